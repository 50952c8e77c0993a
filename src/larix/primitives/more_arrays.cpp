// More of NumPy's array functions: diff, insert, partition, argpartition, ascontiguousarray, and
// the array attributes itemsize and nbytes.
#include <algorithm>
#include <numeric>
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/indexing.hpp"
#include "larix/kernels/join.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/kernels/sort.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using kernels::Index;
using numpy_args::array_arg;
using numpy_args::int_arg;
using numpy_args::parse_axis;
using std::int64_t;

int one_axis(int64_t axis, int ndim) {
  return kernels::normalize_axes(std::vector<int>{static_cast<int>(axis)}, ndim)[0];
}

// a[start:stop] along `axis` (a view).
Array axis_range(const Array& a, int axis, std::optional<int64_t> start,
                 std::optional<int64_t> stop) {
  std::vector<Index> index(static_cast<std::size_t>(axis), Index::all());
  index.push_back(Index::range(start, stop));
  return kernels::index(a, index);
}

// prepend= / append=: an array, a 0-d one broadcast to a's shape with length 1 along the axis.
Array diff_edge(const Value& v, const Array& a, int axis, const char* what) {
  Array e = array_arg(v, "diff", what);
  if (e.ndim() == 0) {
    Shape s = a.shape();
    s[axis] = 1;
    e = e.broadcast_to(s);
  }
  return e;
}

Value diff_kernel(KernelArgs& args) {
  Array a = array_arg(args[0], "diff", "a");
  const int64_t n = int_arg(args[1], "n");
  LARIX_CHECK(n >= 0, value, "order must be non-negative but got ", n);
  LARIX_CHECK(a.ndim() > 0, value, "diff requires input that is at least one dimensional");
  const int axis = one_axis(int_arg(args[2], "axis"), a.ndim());
  if (n == 0) return Value(a);
  if (!args[3].is_nil() || !args[4].is_nil()) {
    std::vector<Array> parts;
    if (!args[3].is_nil()) parts.push_back(diff_edge(args[3], a, axis, "prepend"));
    parts.push_back(a);
    if (!args[4].is_nil()) parts.push_back(diff_edge(args[4], a, axis, "append"));
    a = kernels::concatenate(parts, axis);
  }
  const auto op =
      a.dtype() == DType::bool_ ? kernels::BinaryOp::not_equal : kernels::BinaryOp::subtract;
  for (int64_t i = 0; i < n; ++i)
    a = kernels::binary(op, axis_range(a, axis, 1, std::nullopt), axis_range(a, axis, 0, -1));
  return Value(a);
}

// ---- insert ------------------------------------------------------------------------------------

// insert's obj: one int, or a sequence of ints (a list or a 1-d int array). `scalar`: one int
// given as such (NumPy then inserts values' first axis as a block there).
struct InsertPositions {
  std::vector<int64_t> indices;
  bool scalar = false;
};

InsertPositions insert_positions(const Value& obj) {
  const char* kWhat = "insert(): obj must be an int or a sequence of ints, not ";
  InsertPositions p;
  auto one = [&](const Value& v) {
    const bool is_int = v.is_int() || (v.is_array() && v.as_array_ref().ndim() == 0 &&
                                       v.as_array_ref().dtype() == DType::int64);
    LARIX_CHECK(is_int, type, kWhat, v.type_name());
    p.indices.push_back(v.as_int("obj"));
  };
  if (obj.is_list()) {
    for (const Value& v : obj.as_list()) one(v);
  } else if (obj.is_array() && obj.as_array_ref().ndim() > 0) {
    const Array& a = obj.as_array_ref();
    LARIX_CHECK(a.ndim() == 1, value,
                "index array argument obj to insert must be one dimensional or scalar");
    LARIX_CHECK(a.dtype() == DType::int64 || a.size() == 0, type, kWhat, obj.type_name());
    for (int64_t i = 0; i < a.size(); ++i) p.indices.push_back(a.item<int64_t>(i));
  } else {
    one(obj);
    p.scalar = true;
  }
  return p;
}

// NumPy's assignment of `values` to a slab of shape `slab`: leading length-1 axes dropped, then
// broadcast. ValueError when they do not fit.
Array fit_values(Array values, const Shape& slab) {
  while (values.ndim() > static_cast<int>(slab.size()) && values.shape()[0] == 1)
    values = values.reshape(Shape(values.shape().begin() + 1, values.shape().end()));
  bool fits = values.ndim() <= static_cast<int>(slab.size());
  for (int k = 1; fits && k <= values.ndim(); ++k) {
    const int64_t have = values.shape()[values.ndim() - k], want = slab[slab.size() - k];
    fits = have == want || have == 1;
  }
  LARIX_CHECK(fits, value, "could not broadcast input array from shape ", shape_str(values.shape()),
              " into shape ", shape_str(slab));
  return values.broadcast_to(slab);
}

// np.insert(arr, obj, values, axis): the new positions along the axis are those of the inserted
// slabs, the others take arr's in order; the result is gathered from concatenate(arr, slabs).
Value insert_kernel(KernelArgs& args) {
  Array arr = array_arg(args[0], "insert", "arr");
  int axis = 0;
  if (args[3].is_nil()) {
    if (arr.ndim() != 1) arr = arr.contiguous().reshape({arr.size()});
  } else {
    axis = one_axis(int_arg(args[3], "axis"), arr.ndim());
  }
  const int64_t n = arr.shape()[axis];
  InsertPositions obj = insert_positions(args[1]);
  Array values = kernels::cast(array_arg(args[2], "insert", "values"), arr.dtype());
  Shape slab = arr.shape();
  std::vector<int64_t> positions;  // of the inserted slabs, in the result
  if (obj.indices.size() == 1) {
    int64_t index = obj.indices[0];
    LARIX_CHECK(index >= -n && index <= n, index, "index ", index, " is out of bounds for axis ",
                axis, " with size ", n);
    if (index < 0) index += n;
    if (values.ndim() < arr.ndim()) {  // np.array(values, ndmin=arr.ndim)
      Shape s(static_cast<std::size_t>(arr.ndim() - values.ndim()), 1);
      s.insert(s.end(), values.shape().begin(), values.shape().end());
      values = values.reshape(s);
    }
    if (obj.scalar && axis != 0) {  // np.moveaxis(values, 0, axis)
      std::vector<int> perm;
      for (int k = 1; k < values.ndim(); ++k) perm.push_back(k);
      perm.insert(perm.begin() + axis, 0);
      values = values.transpose(perm);
    }
    slab[axis] = values.shape()[axis];
    for (int64_t k = 0; k < slab[axis]; ++k) positions.push_back(index + k);
  } else {
    // Each index counts in arr; the k-th smallest (ties in order) moves k places on.
    const int64_t count = static_cast<int64_t>(obj.indices.size());
    std::vector<int64_t> idx = obj.indices;
    for (int64_t& i : idx)
      if (i < 0) i += n;
    std::vector<int64_t> order(idx.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t x, int64_t y) { return idx[x] < idx[y]; });
    positions.assign(idx.size(), 0);
    for (int64_t k = 0; k < count; ++k) positions[order[k]] = idx[order[k]] + k;
    slab[axis] = count;
  }
  const int64_t total = n + slab[axis];
  values = fit_values(values, slab);
  std::vector<int64_t> source(static_cast<std::size_t>(total), -1);
  for (std::size_t k = 0; k < positions.size(); ++k) {
    int64_t p = positions[k];
    LARIX_CHECK(p >= -total && p < total, index, "index ", p, " is out of bounds for axis ", axis,
                " with size ", total);
    if (p < 0) p += total;  // NumPy's index wraps in the result too
    LARIX_CHECK(source[p] < 0, value, "insert(): two values inserted at position ", p);
    source[p] = n + static_cast<int64_t>(k);
  }
  int64_t next = 0;
  for (int64_t& s : source)
    if (s < 0) s = next++;
  if (slab[axis] == 0) return Value(arr.copy());
  std::vector<Index> index(static_cast<std::size_t>(axis), Index::all());
  index.push_back(Index::of_array(Array::from_vector(source, {total})));
  return Value(kernels::index(kernels::concatenate({arr, values}, axis), index));
}

// kth= of partition / argpartition: each position must lie in the axis (negative from the end).
void check_kth(const Value& kth, int64_t n) {
  const Array k = array_arg(kth, "partition", "kth");
  LARIX_CHECK(is_integral(k.dtype()) && k.dtype() != DType::bool_, type,
              "Partition index must be integer");
  LARIX_CHECK(k.ndim() <= 1, value, "kth must be scalar or 1-D");
  for (int64_t i = 0; i < k.size(); ++i) {
    const int64_t v = k.item<int64_t>(i);
    LARIX_CHECK(v >= -n && v < n, value, "kth(=", v, ") out of bounds (", n, ")");
  }
}

Kernel partition_kernel(bool arg) {
  const char* fn = arg ? "argpartition" : "partition";
  return [arg, fn](KernelArgs& args) {
    Array a = array_arg(args[0], fn, "a");
    LARIX_CHECK(args[4].is_nil(), value, "Cannot specify order when the array has no fields.");
    if (!args[3].is_nil()) {
      LARIX_CHECK(args[3].is_string() && args[3].as_string() == "introselect", value,
                  "select kind must be 'introselect'");
    }
    std::optional<int> axis = parse_axis(args[2]);
    if (arg && a.ndim() == 0) a = a.reshape({1});
    if (!axis) {
      a = a.reshape({a.size()});
      axis = 0;
    }
    LARIX_CHECK(a.ndim() > 0, axis, "axis ", *axis, " is out of bounds for array of dimension 0");
    const int ax = one_axis(*axis, a.ndim());
    check_kth(args[1], a.shape()[ax]);
    // A sorted line is partitioned at every kth: the kth values are NumPy's.
    return Value(arg ? kernels::argsort(a, ax) : kernels::sort(a, ax));
  };
}

}  // namespace

void register_more_arrays(Registry& r) {
  r.add({.name = "diff",
         .signature = {{arg("a"), arg("n", Value(1)), arg("axis", Value(-1)),
                        arg("prepend", Value()), arg("append", Value())}},
         .doc = "diff(a, n=1, axis=-1, prepend=nil, append=nil)\n\nThe n-th discrete difference "
                "along `axis`, as numpy.diff: a[1:] - a[:-1] applied n times (not_equal for "
                "bools), after putting prepend/append (arrays, or scalars repeated along the "
                "axis) before/after a. The dtype is a's (promoted with prepend/append). A 0-d "
                "a or a negative n is a ValueError.",
         .kernel = diff_kernel});
  r.add({.name = "insert",
         .signature = {{arg("arr"), arg("obj"), arg("values"), arg("axis", Value())}},
         .doc = "insert(arr, obj, values, axis=nil)\n\nPhylanx's insert, as numpy.insert: a "
                "copy of arr with values inserted before the index obj (an int; negative counts "
                "from the end; len(arr) appends) or before each index of a sequence of ints obj "
                "(a list or a 1-d int array; equal indices keep their order), along axis; "
                "axis=nil inserts into the flattened arr. values broadcast to the inserted part "
                "and are cast to arr's dtype (as NumPy's np.array(values, dtype=arr.dtype)). An "
                "index out of bounds is an IndexError, a bad axis an AxisError, an obj that is "
                "no int or sequence of ints a TypeError, values that do not fit a ValueError.",
         .kernel = insert_kernel});
  const char* kPartition =
      " kth is an int or a 1-d list of ints, each in [-n, n) for the axis' length n (else a "
      "ValueError). Larix sorts each line, which is a valid partition at every kth: the kth "
      "elements and the partition property are NumPy's, but the order inside each side may "
      "differ from NumPy's introselect. axis=nil works on the flattened array; kind must be "
      "'introselect' and order nil.";
  r.add({.name = "partition",
         .signature = {{arg("a"), arg("kth"), arg("axis", Value(-1)), arg("kind", Value()),
                        arg("order", Value())}},
         .doc = std::string("partition(a, kth, axis=-1, kind=nil, order=nil)\n\nA copy of a "
                            "with the element at each kth position where it would be in sorted "
                            "order, the smaller ones before it and the larger ones after it, as "
                            "numpy.partition.") +
                kPartition,
         .kernel = partition_kernel(false)});
  r.add({.name = "argpartition",
         .signature = {{arg("a"), arg("kth"), arg("axis", Value(-1)), arg("kind", Value()),
                        arg("order", Value())}},
         .doc = std::string("argpartition(a, kth, axis=-1, kind=nil, order=nil)\n\nThe int64 "
                            "indices that partition a (take_along_axis(a, argpartition(a, k), "
                            "axis) is partition(a, k)), as numpy.argpartition.") +
                kPartition,
         .kernel = partition_kernel(true)});
  r.add({.name = "ascontiguousarray",
         .signature = {{arg("a"), arg("dtype", Value())}},
         .doc = "ascontiguousarray(a, dtype=nil)\n\na as a C-contiguous array of at least one "
                "dimension (a 0-d a gives shape (1,)), cast to dtype when given, as "
                "numpy.ascontiguousarray; an array that already is one is returned as it is.",
         .kernel = [](KernelArgs& args) {
           Array a = array_arg(args[0], "ascontiguousarray", "a");
           if (auto d = numpy_args::parse_dtype_arg(args[1])) a = kernels::cast(a, *d);
           if (a.ndim() == 0) a = a.reshape({1});
           return Value(a.contiguous());
         }});
  r.add({.name = "itemsize",
         .signature = {{arg("a")}},
         .doc = "itemsize(a)\n\nThe size of one element of `a` in bytes, as ndarray.itemsize "
                "(a.itemsize in a kernel). Larix holds bool, int64, float32 and float64: an "
                "int32 or uint8 argument arrives as int64 and reports 8.",
         .kernel = [](KernelArgs& args) {
           return Value(static_cast<int64_t>(array_arg(args[0], "itemsize", "a").itemsize()));
         }});
  r.add({.name = "nbytes",
         .signature = {{arg("a")}},
         .doc = "nbytes(a)\n\nThe bytes the elements of `a` take, size * itemsize, as "
                "ndarray.nbytes (a.nbytes in a kernel; see itemsize for the dtypes).",
         .kernel = [](KernelArgs& args) {
           const Array a = array_arg(args[0], "nbytes", "a");
           return Value(a.size() * static_cast<int64_t>(a.itemsize()));
         }});
}

}  // namespace larix
