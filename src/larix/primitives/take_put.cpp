// Gathering and scattering by index arrays: take, take_along_axis, put_along_axis (NumPy's own
// definitions through advanced indexing, kernels/indexing.hpp), put, ravel_multi_index,
// unravel_index.
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/indexing.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/kernels/sort.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using kernels::Index;
using numpy_args::array_arg;
using numpy_args::int_arg;
using std::int64_t;

int one_axis(int64_t axis, int ndim) {
  return kernels::normalize_axes(std::vector<int>{static_cast<int>(axis)}, ndim)[0];
}

// An index operand: int64 (bools and ints), a TypeError for floats as in NumPy.
Array index_array(const Value& v, const char* fn, const char* what) {
  const Array a = array_arg(v, fn, what);
  const std::string f = fn;
  LARIX_CHECK(is_integral(a.dtype()) || (f != "take_along_axis" && f != "put_along_axis"), index,
              "arrays used as indices must be of integer (or boolean) type");
  LARIX_CHECK(is_integral(a.dtype()), type, "Cannot cast array data from dtype('",
              dtype_name(a.dtype()), "') to dtype('int64') according to the rule 'safe'");
  return kernels::cast(a, DType::int64);
}

// mode="wrap" / "clip": the indices brought into [0, n) (NumPy's take and ravel_multi_index).
Array fix_indices(const Array& idx, int64_t n, const std::string& mode) {
  if (mode == "raise") return idx;
  LARIX_CHECK(mode == "wrap" || mode == "clip", value,
              "clipmode must be one of 'clip', 'raise', "
              "or 'wrap' (got '",
              mode, "')");
  Array out = idx.copy();
  int64_t* p = out.mutable_data<int64_t>();
  for (int64_t i = 0; i < out.size(); ++i) {
    if (mode == "wrap") {
      LARIX_CHECK(n > 0, index, "cannot do a non-empty take from an empty axes.");
      p[i] = ((p[i] % n) + n) % n;
    } else {
      LARIX_CHECK(n > 0 || out.size() == 0, index,
                  "cannot do a non-empty take from an empty axes.");
      p[i] = p[i] < 0 ? 0 : (p[i] >= n ? n - 1 : p[i]);
    }
  }
  return out;
}

Value take_kernel(KernelArgs& args) {
  Array a = array_arg(args[0], "take", "a");
  const Array idx = index_array(args[1], "take", "indices");
  const std::string mode = args[4].as_string("mode");
  int axis = 0;
  if (args[2].is_nil()) a = a.reshape({a.size()});
  else axis = one_axis(int_arg(args[2], "axis"), a.ndim());
  std::vector<Index> index(static_cast<std::size_t>(axis), Index::all());
  index.push_back(Index::of_array(fix_indices(idx, a.shape()[axis], mode)));
  return Value(kernels::index(a, index));
}

// The index tuple of take_along_axis / put_along_axis: `indices` on `axis`, and on every other
// axis an arange shaped to broadcast along it only (NumPy's _make_along_axis_idx).
std::vector<Index> along_axis(const Array& arr, const Array& indices, int axis) {
  LARIX_CHECK(indices.ndim() == arr.ndim(), value,
              "`indices` and `arr` must have the same number of dimensions");
  std::vector<Index> out;
  for (int d = 0; d < arr.ndim(); ++d) {
    if (d == axis) {
      out.push_back(Index::of_array(indices));
      continue;
    }
    Shape s(arr.ndim(), 1);
    s[d] = arr.shape()[d];
    Array r = Array::empty(DType::int64, s);
    for (int64_t i = 0; i < s[d]; ++i) r.mutable_data<int64_t>()[i] = i;
    out.push_back(Index::of_array(r));
  }
  return out;
}

// arr and axis, with axis=nil as NumPy's: the flattened array, axis 0.
int along_axis_args(Array& arr, const Value& axis_value, const Array& indices) {
  if (axis_value.is_nil()) {
    LARIX_CHECK(indices.ndim() == 1, value,
                "when axis=None, `indices` must have a single dimension.");
    arr = arr.reshape({arr.size()});
    return 0;
  }
  return one_axis(int_arg(axis_value, "axis"), arr.ndim());
}

Value take_along_axis_kernel(KernelArgs& args) {
  Array arr = array_arg(args[0], "take_along_axis", "arr");
  const Array idx = index_array(args[1], "take_along_axis", "indices");
  const int axis = along_axis_args(arr, args[2], idx);
  return Value(kernels::index(arr, along_axis(arr, idx, axis)));
}

Value put_along_axis_kernel(KernelArgs& args) {
  Array arr = array_arg(args[0], "put_along_axis", "arr");
  const Array idx = index_array(args[1], "put_along_axis", "indices");
  const Array values = array_arg(args[2], "put_along_axis", "values");
  const Shape shape = arr.shape();
  const int axis = along_axis_args(arr, args[3], idx);
  const kernels::IndexPlan plan = kernels::plan_index(arr.shape(), along_axis(arr, idx, axis));
  kernels::check_bounds(plan);
  Array out = arr.copy();
  kernels::assign_index(out, plan, values.broadcast_to(plan.result));
  return Value(out.reshape(shape));
}

// np.put(a, ind, v, mode): a copy of a with a.flat[ind[k]] = v[k % len(v)], in the order of ind
// (the last write to a position wins); v is cast to a's dtype as NumPy's put casts (unsafe), and
// ind to int64 (NumPy's put takes float and bool indices too, truncated).
Value put_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "put", "a");
  const Array ind = kernels::cast(array_arg(args[1], "put", "ind"), DType::int64).copy();
  const Array v = kernels::cast(array_arg(args[2], "put", "v"), a.dtype()).copy();
  const std::string mode = args[3].as_string("mode");
  Array out = a.copy();
  const int64_t n = out.size();
  LARIX_CHECK(mode == "raise" || mode == "wrap" || mode == "clip", value,
              "clipmode must be one of 'clip', 'raise', or 'wrap' (got '", mode, "')");
  if (ind.size() == 0 || v.size() == 0) return Value(out);
  LARIX_CHECK(n > 0, index, "cannot replace elements of an empty array");
  const Array where = fix_indices(ind, n, mode);
  const int64_t* p = where.data<int64_t>();
  for (int64_t k = 0; k < where.size(); ++k) {
    const int64_t i = p[k];
    LARIX_CHECK(i >= -n && i < n, index, "index ", i, " is out of bounds for axis 0 with size ", n);
  }
  visit_dtype(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* o = out.mutable_data<T>();
    const T* values = v.data<T>();
    for (int64_t k = 0; k < where.size(); ++k) o[p[k] < 0 ? p[k] + n : p[k]] = values[k % v.size()];
  });
  return Value(out);
}

// np.lexsort(keys, axis): stable sorts by each key from the first to the last, so the last key
// decides first.
Value lexsort_kernel(KernelArgs& args) {
  std::vector<Array> keys;
  if (args[0].is_list()) {
    for (const Value& k : args[0].as_list()) keys.push_back(array_arg(k, "lexsort", "keys"));
  } else {
    const Array k = array_arg(args[0], "lexsort", "keys");
    LARIX_CHECK(k.ndim() > 0, type, "need sequence of keys with len > 0 in lexsort");
    for (int64_t i = 0; i < k.shape()[0]; ++i)
      keys.push_back(k.view(i * k.strides()[0], Shape(k.shape().begin() + 1, k.shape().end()),
                            Strides(k.strides().begin() + 1, k.strides().end())));
  }
  LARIX_CHECK(!keys.empty(), type, "need sequence of keys with len > 0 in lexsort");
  for (const Array& k : keys)
    LARIX_CHECK(k.shape() == keys[0].shape(), value, "all keys need to be the same shape");
  if (keys[0].ndim() == 0) {
    for (Array& k : keys) k = k.reshape({1});
  }
  const int axis = one_axis(int_arg(args[1], "axis"), keys[0].ndim());
  Array order = kernels::argsort(keys[0], axis);
  for (std::size_t i = 1; i < keys.size(); ++i) {
    const Array k = kernels::index(keys[i], along_axis(keys[i], order, axis));
    order = kernels::index(order, along_axis(order, kernels::argsort(k, axis), axis));
  }
  return Value(order);
}

// The dims argument: an int or a sequence of non-negative ints.
Shape dims_arg(const Value& v, const char* fn) { return numpy_args::parse_shape(v, fn); }

Value ravel_multi_index_kernel(KernelArgs& args) {
  const Shape dims = dims_arg(args[1], "ravel_multi_index");
  std::vector<Array> coords;
  if (args[0].is_list()) {
    for (const Value& c : args[0].as_list())
      coords.push_back(index_array(c, "ravel_multi_index", "multi_index"));
  } else {
    const Array m = index_array(args[0], "ravel_multi_index", "multi_index");
    LARIX_CHECK(m.ndim() >= 1, value, "parameter multi_index must be a sequence of length ",
                dims.size());
    for (int64_t i = 0; i < m.shape()[0]; ++i)
      coords.push_back(m.view(i * m.strides()[0], Shape(m.shape().begin() + 1, m.shape().end()),
                              Strides(m.strides().begin() + 1, m.strides().end())));
  }
  LARIX_CHECK(coords.size() == dims.size(), value,
              "parameter multi_index must be a sequence of "
              "length ",
              dims.size());
  const std::string mode = args[2].as_string("mode");
  const std::string order = args[3].as_string("order");
  LARIX_CHECK(order == "C" || order == "F", value, "only 'C' or 'F' order is permitted");
  Shape shape;
  for (const Array& c : coords) shape = kernels::broadcast_shapes(shape, c.shape());
  const std::size_t n = dims.size();
  Array out = Array::zeros(DType::int64, shape);
  int64_t* o = out.mutable_data<int64_t>();
  int64_t stride = 1;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t d = order == "C" ? n - 1 - k : k;
    Array c = fix_indices(coords[d].broadcast_to(shape).copy(), dims[d], mode);
    const int64_t* p = c.data<int64_t>();
    for (int64_t i = 0; i < out.size(); ++i) {
      LARIX_CHECK(p[i] >= 0 && p[i] < dims[d], value, "invalid entry in coordinates array");
      o[i] += p[i] * stride;
    }
    stride *= dims[d];
  }
  return Value(out);
}

Value unravel_index_kernel(KernelArgs& args) {
  const Array idx = index_array(args[0], "unravel_index", "indices").contiguous();
  const Shape dims = dims_arg(args[1], "unravel_index");
  const std::string order = args[2].as_string("order");
  LARIX_CHECK(order == "C" || order == "F", value, "only 'C' or 'F' order is permitted");
  const int64_t total = shape_size(dims);
  const std::size_t n = dims.size();
  std::vector<Array> out;
  for (std::size_t d = 0; d < n; ++d) out.push_back(Array::empty(DType::int64, idx.shape()));
  const int64_t* p = idx.data<int64_t>();
  for (int64_t i = 0; i < idx.size(); ++i) {
    int64_t v = p[i];
    LARIX_CHECK(v >= 0 && v < total, value, "index ", v, " is out of bounds for array with size ",
                total);
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t d = order == "C" ? n - 1 - k : k;
      out[d].mutable_data<int64_t>()[i] = v % dims[d];
      v /= dims[d];
    }
  }
  List result;
  for (Array& a : out) result.emplace_back(std::move(a));
  return Value(std::move(result));
}

}  // namespace

void register_take_put(Registry& r) {
  r.add({.name = "take",
         .signature = {{arg("a"), arg("indices"), arg("axis", Value()), arg("out", Value()),
                        arg("mode", Value("raise"))}},
         .doc = "take(a, indices, axis=nil, out=nil, mode=\"raise\")\n\nThe elements of `a` at "
                "`indices` along `axis` (of the flattened array when nil), as numpy.take: the "
                "result's shape is a.shape[:axis] + indices.shape + a.shape[axis+1:]. Negative "
                "indices count from the end; mode \"wrap\" wraps and \"clip\" clips indices "
                "instead of raising. An index out of range is an IndexError, float indices a "
                "TypeError; out= must be nil.",
         .kernel = [](KernelArgs& args) {
           LARIX_CHECK(args[3].is_nil(), type, "take(): out= is not supported by Larix");
           return take_kernel(args);
         }});
  r.add({.name = "take_along_axis",
         .signature = {{arg("arr"), arg("indices"), arg("axis", Value(-1))}},
         .doc = "take_along_axis(arr, indices, axis=-1)\n\nValues of arr at the positions "
                "`indices` gives along `axis`, as numpy.take_along_axis (what argsort, argmax "
                "with keepdims or argpartition give): indices has arr's number of dimensions and "
                "broadcasts with it on the other axes. axis=nil works on the flattened array "
                "(indices 1-d). Out-of-range indices are an IndexError.",
         .kernel = take_along_axis_kernel});
  r.add({.name = "put_along_axis",
         .signature = {{arg("arr"), arg("indices"), arg("values"), arg("axis")}},
         .doc = "put_along_axis(arr, indices, values, axis)\n\nA copy of arr with `values` "
                "written at the positions `indices` gives along `axis`, as "
                "numpy.put_along_axis; values broadcast to the indexed shape and take arr's "
                "dtype. NumPy changes arr in place and returns None: a kernel's statement "
                "`np.put_along_axis(x, i, v, axis)` on a variable x becomes x = "
                "put_along_axis(x, i, v, axis).",
         .kernel = put_along_axis_kernel});
  r.add({.name = "put",
         .signature = {{arg("a"), arg("ind"), arg("v"), arg("mode", Value("raise"))}},
         .doc = "put(a, ind, v, mode=\"raise\")\n\nA copy of `a` with the elements at the flat "
                "indices `ind` replaced by `v`, as numpy.put: v's elements are used in turn and "
                "repeated when v is shorter than ind, the last write to a position wins, v is "
                "cast to a's dtype (unsafe, as NumPy's put). mode \"wrap\" wraps and \"clip\" "
                "clips the indices; with \"raise\" one out of range is an IndexError, as is any "
                "index into an empty array. NumPy changes `a` in place and returns None: a "
                "kernel's statement `np.put(x, ind, v)` or `x.put(ind, v)` on a variable x "
                "becomes x = put(x, ind, v).",
         .kernel = put_kernel});
  r.add({.name = "lexsort",
         .signature = {{arg("keys"), arg("axis", Value(-1))}},
         .doc = "lexsort(keys, axis=-1)\n\nThe int64 indices that sort by several keys, as "
                "numpy.lexsort: keys is a list of arrays of one shape (or an array, its rows the "
                "keys); the last key is the primary one, ties go to the one before, and so on; "
                "stable. Keys of different shapes are a ValueError, no keys a TypeError.",
         .kernel = lexsort_kernel});
  r.add({.name = "ravel_multi_index",
         .signature = {{arg("multi_index"), arg("dims"), arg("mode", Value("raise")),
                        arg("order", Value("C"))}},
         .doc = "ravel_multi_index(multi_index, dims, mode=\"raise\", order=\"C\")\n\nThe flat "
                "int64 indices of the coordinates in multi_index (a list of int arrays that "
                "broadcast, one per dimension) into an array of shape dims, as "
                "numpy.ravel_multi_index. mode \"wrap\"/\"clip\" bring coordinates into range; "
                "with \"raise\" one out of range is a ValueError.",
         .kernel = ravel_multi_index_kernel});
  r.add({.name = "unravel_index",
         .signature = {{arg("indices"), arg("shape"), arg("order", Value("C"))}},
         .doc = "unravel_index(indices, shape, order=\"C\")\n\nThe coordinates of flat indices "
                "in an array of `shape`, as numpy.unravel_index: a list (NumPy: a tuple) of int64 "
                "arrays of indices's shape, one per dimension. An index out of range is a "
                "ValueError, float indices a TypeError.",
         .kernel = unravel_index_kernel});
}

}  // namespace larix
