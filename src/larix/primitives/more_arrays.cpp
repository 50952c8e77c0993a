// More of NumPy's array functions: diff, partition, argpartition, ascontiguousarray, and the
// array attributes itemsize and nbytes.
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
