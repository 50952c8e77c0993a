// Rearranging and generating arrays: moveaxis, roll, rot90, tril, triu (views where NumPy gives
// views), and meshgrid, logspace, tri.
#include <algorithm>
#include <cmath>
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/kernels/select.hpp"
#include "larix/kernels/tile_pad.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using numpy_args::array_arg;
using numpy_args::int_arg;
using numpy_args::parse_axes;

// Axes in the caller's order, negative ones counted from the end (range and repeats checked).
std::vector<int> ordered_axes(const Value& v, int ndim) {
  const std::vector<int> axes = *parse_axes(v);
  kernels::normalize_axes(axes, ndim);
  std::vector<int> out;
  for (int a : axes) out.push_back(a < 0 ? a + ndim : a);
  return out;
}

// A view with the order of elements along `axis` reversed (negative stride), as np.flip.
Array flip_axis(const Array& a, int axis) {
  Strides strides = a.strides();
  const std::int64_t offset = a.shape()[axis] > 0 ? (a.shape()[axis] - 1) * strides[axis] : 0;
  strides[axis] = -strides[axis];
  return a.view(offset, a.shape(), strides);
}

Value moveaxis_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "moveaxis", "a");
  const std::vector<int> src = ordered_axes(args[1], a.ndim());
  const std::vector<int> dst = ordered_axes(args[2], a.ndim());
  LARIX_CHECK(src.size() == dst.size(), value,
              "`source` and `destination` arguments must have the same number of elements");
  std::vector<int> order;
  for (int i = 0; i < a.ndim(); ++i)
    if (std::find(src.begin(), src.end(), i) == src.end()) order.push_back(i);
  std::vector<std::size_t> by_dst(src.size());
  for (std::size_t i = 0; i < by_dst.size(); ++i) by_dst[i] = i;
  std::sort(by_dst.begin(), by_dst.end(), [&](auto i, auto j) { return dst[i] < dst[j]; });
  for (std::size_t i : by_dst) order.insert(order.begin() + dst[i], src[i]);
  return Value(a.transpose(order));
}

// Integers of an int or a list/1-d array of ints.
std::vector<std::int64_t> int_list(const Value& v, const char* what) {
  std::vector<std::int64_t> out;
  if (v.is_list()) {
    for (const Value& x : v.as_list()) out.push_back(int_arg(x, what));
  } else if (v.is_array() && v.as_array_ref().ndim() == 1) {
    const Array& a = v.as_array_ref();
    LARIX_CHECK(is_integral(a.dtype()), type, what, " must be integers");
    for (std::int64_t i = 0; i < a.size(); ++i) out.push_back(a.item<std::int64_t>(i));
  } else {
    out.push_back(int_arg(v, what));
  }
  return out;
}

Value roll_kernel(KernelArgs& args) {
  const Array in = array_arg(args[0], "roll", "a");
  const bool flat = args[2].is_nil();
  const Array a = flat ? in.reshape({in.size()}) : in;
  const std::vector<std::int64_t> shifts = int_list(args[1], "shift");
  const std::vector<int> axes = flat ? std::vector<int>{0} : *parse_axes(args[2]);
  const std::size_t n = std::max(shifts.size(), axes.size());
  LARIX_CHECK((shifts.size() == n || shifts.size() == 1) && (axes.size() == n || axes.size() == 1),
              value,
              "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is "
              "between arg 0 with shape (",
              shifts.size(), ",) and arg 1 with shape (", axes.size(), ",).");
  std::vector<std::int64_t> total(a.ndim(), 0);
  for (std::size_t i = 0; i < n; ++i) {
    const int axis = axes[axes.size() == 1 ? 0 : i];
    kernels::normalize_axes(std::vector<int>{axis}, a.ndim());
    total[axis < 0 ? axis + a.ndim() : axis] += shifts[shifts.size() == 1 ? 0 : i];
  }
  std::vector<kernels::AxisMap> maps(a.ndim());
  for (int k = 0; k < a.ndim(); ++k) {
    const std::int64_t len = a.shape()[k];
    maps[k].resize(len);
    const std::int64_t s = len > 0 ? ((total[k] % len) + len) % len : 0;
    for (std::int64_t i = 0; i < len; ++i) maps[k][i] = (i - s + len) % len;
  }
  const Array out = kernels::gather_axes(a, maps);
  return Value(flat ? out.reshape(in.shape()) : out);
}

Value rot90_kernel(KernelArgs& args) {
  const Array m = array_arg(args[0], "rot90", "m");
  const std::int64_t k = int_arg(args[1], "k");
  const std::vector<std::int64_t> axes = int_list(args[2], "axes");
  LARIX_CHECK(axes.size() == 2, value, "len(axes) must be 2.");
  const std::int64_t nd = m.ndim();
  LARIX_CHECK(axes[0] != axes[1] && std::abs(axes[0] - axes[1]) != nd, value,
              "Axes must be different.");
  LARIX_CHECK(axes[0] < nd && axes[0] >= -nd && axes[1] < nd && axes[1] >= -nd, value, "Axes=(",
              axes[0], ", ", axes[1], ") out of range for array of ndim=", nd, ".");
  const int a0 = static_cast<int>(axes[0] < 0 ? axes[0] + nd : axes[0]);
  const int a1 = static_cast<int>(axes[1] < 0 ? axes[1] + nd : axes[1]);
  const std::int64_t turns = ((k % 4) + 4) % 4;
  if (turns == 0) return Value(m);
  if (turns == 2) return Value(flip_axis(flip_axis(m, a0), a1));
  std::vector<int> perm(nd);
  for (int i = 0; i < nd; ++i) perm[i] = i;
  std::swap(perm[a0], perm[a1]);
  if (turns == 1) return Value(flip_axis(m, a1).transpose(perm));
  return Value(flip_axis(m.transpose(perm), a1));
}

// The lower-triangle mask of an n x m matrix: j - i <= k (j - i < k when strict). Written as
// a difference of indices, which always fits, so that any int64 k gives NumPy's answer.
Array tri_mask(std::int64_t n, std::int64_t m, std::int64_t k, bool strict = false) {
  LARIX_CHECK(n >= 0 && m >= 0, value, "negative dimensions are not allowed");
  Array out = Array::empty(DType::bool_, {n, m});
  bool* p = out.mutable_data<bool>();
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < m; ++j) p[i * m + j] = strict ? j - i < k : j - i <= k;
  return out;
}

Value triangle(KernelArgs& args, bool lower) {
  const char* fn = lower ? "tril" : "triu";
  const Array m = array_arg(args[0], fn, "m");
  const std::int64_t k = int_arg(args[1], "k");
  LARIX_CHECK(m.ndim() >= 1, type, fn,
              "() needs an array of at least 1 dimension (NumPy: tri() missing N)");
  const std::int64_t rows = m.ndim() == 1 ? m.shape()[0] : m.shape()[m.ndim() - 2];
  const std::int64_t cols = m.shape()[m.ndim() - 1];
  const Array zero = kernels::cast(Array::scalar<std::int64_t>(0), m.dtype());
  if (lower) return Value(kernels::where(tri_mask(rows, cols, k), m, zero, m.dtype()));
  return Value(kernels::where(tri_mask(rows, cols, k, /*strict=*/true), zero, m, m.dtype()));
}

Value meshgrid_kernel(KernelArgs& args) {
  std::vector<Array> xs;
  std::string indexing = "xy";
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i == 3 && args[i].is_string()) {
      indexing = args[i].as_string("indexing");
      continue;
    }
    if (i < 3 && args[i].is_nil()) continue;
    const Array x = array_arg(args[i], "meshgrid", "xi");
    xs.push_back(x.reshape({x.size()}));
  }
  LARIX_CHECK(indexing == "xy" || indexing == "ij", value,
              "Valid values for `indexing` are 'xy' and 'ij'.");
  Shape shape;
  for (const Array& x : xs) shape.push_back(x.size());
  const bool swap = indexing == "xy" && xs.size() >= 2;
  if (swap) std::swap(shape[0], shape[1]);
  List out;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    std::size_t axis = i;
    if (swap && i < 2) axis = 1 - i;
    Shape s(xs.size(), 1);
    s[axis] = xs[i].size();
    out.push_back(Value(xs[i].reshape(s).broadcast_to(shape).copy()));
  }
  return Value(std::move(out));
}

// NumPy's linspace arithmetic (see creation.cpp), then base ** y.
Value logspace_kernel(KernelArgs& args) {
  const double start = args[0].as_double("start"), stop = args[1].as_double("stop");
  const std::int64_t num = int_arg(args[2], "num");
  LARIX_CHECK(num >= 0, value, "Number of samples, ", num, ", must be non-negative.");
  const bool endpoint = args[3].as_bool("endpoint");
  const double base = args[4].as_double("base");
  const std::int64_t div = endpoint ? num - 1 : num;
  const double delta = stop - start, step = div > 0 ? delta / static_cast<double>(div) : NAN;
  Array y = Array::empty(DType::float64, {num});
  double* p = y.mutable_data<double>();
  for (std::int64_t i = 0; i < num; ++i) {
    const double t = static_cast<double>(i);
    double v =
        (div > 0 ? (step == 0 ? t / static_cast<double>(div) * delta : t * step) : t * delta) +
        start;
    if (endpoint && num > 1 && i == num - 1) v = stop;
    p[i] = std::pow(base, v);
  }
  const auto dtype = numpy_args::parse_dtype_arg(args[5]);
  return Value(kernels::cast(y, dtype.value_or(DType::float64)));
}

Value tri_kernel(KernelArgs& args) {
  const std::int64_t n = int_arg(args[0], "N");
  const std::int64_t m = args[1].is_nil() ? n : int_arg(args[1], "M");
  LARIX_CHECK(n >= 0 && m >= 0, value, "negative dimensions are not allowed");
  const auto dtype = numpy_args::parse_dtype_arg(args[3]);
  return Value(
      kernels::cast(tri_mask(n, m, int_arg(args[2], "k")), dtype.value_or(DType::float64)));
}

}  // namespace

void register_rearrange(Registry& r) {
  r.add({.name = "logspace",
         .signature = {{arg("start"), arg("stop"), arg("num", Value(50)),
                        arg("endpoint", Value(true)), arg("base", Value(10.0)),
                        arg("dtype", Value())}},
         .doc = "logspace(start, stop, num=50, endpoint=true, base=10.0, dtype=nil)\n\nbase ** y "
                "for y = linspace(start, stop, num, endpoint), as numpy.logspace (scalar start, "
                "stop and base only); float64 unless dtype is given.",
         .kernel = logspace_kernel});
  r.add({.name = "meshgrid",
         .signature = {{arg("x1", Value()), arg("x2", Value()), arg("x3", Value()),
                        arg("indexing", Value("xy"))},
                       true},
         .doc = "meshgrid(x1, x2, ..., indexing=\"xy\")\n\nCoordinate arrays from coordinate "
                "vectors, as numpy.meshgrid: a list (NumPy: a tuple) of N arrays of the shape "
                "(len(x1), len(x2), ...), with the first two swapped for indexing \"xy\" "
                "(Cartesian) and not for \"ij\" (matrix); inputs are flattened. The arrays are "
                "copies (NumPy's copy=True; sparse= is not supported). The indexing keyword "
                "works with up to three vectors; more than three vectors take the default.",
         .kernel = meshgrid_kernel});
  r.add({.name = "moveaxis",
         .signature = {{arg("a"), arg("source"), arg("destination")}},
         .doc = "moveaxis(a, source, destination)\n\n`a` with the axes `source` (an int or a "
                "list) moved to the positions `destination`, the others kept in order, as "
                "numpy.moveaxis (a view). Out-of-range axes are an AxisError, repeated ones or "
                "lists of different lengths a ValueError.",
         .kernel = moveaxis_kernel});
  r.add(
      {.name = "roll",
       .signature = {{arg("a"), arg("shift"), arg("axis", Value())}},
       .doc =
           "roll(a, shift, axis=nil)\n\nThe elements of `a` shifted cyclically by `shift` "
           "along `axis`, as numpy.roll: elements that leave one end come back at the other. "
           "shift and axis are ints or lists that broadcast (shifts for a repeated axis "
           "add up); axis nil rolls the flattened array and restores the shape. Float shifts are a "
           "TypeError (NumPy truncates them).",
       .kernel = roll_kernel});
  r.add(
      {.name = "rot90",
       .signature = {{arg("m"), arg("k", Value(1)), arg("axes", Value(List{Value(0), Value(1)}))}},
       .doc = "rot90(m, k=1, axes='(0, 1))\n\n`m` rotated by 90 degrees k times in the plane "
              "of `axes`, from the first axis towards the second, as numpy.rot90 (a view). "
              "ValueError for len(axes) != 2, equal axes, or axes out of range (m must be at "
              "least 2-d).",
       .kernel = rot90_kernel});
  r.add({.name = "tri",
         .signature = {{arg("N"), arg("M", Value()), arg("k", Value(0)), arg("dtype", Value())}},
         .doc = "tri(N, M=nil, k=0, dtype=nil)\n\nAn N x M array (M = N when nil) with ones at "
                "and below the k-th diagonal (j <= i + k) and zeros elsewhere, as numpy.tri; "
                "float64 unless dtype is given.",
         .kernel = tri_kernel});
  r.add({.name = "tril",
         .signature = {{arg("m"), arg("k", Value(0))}},
         .doc = "tril(m, k=0)\n\nA copy of `m` with the elements above the k-th diagonal of the "
                "last two axes zeroed, as numpy.tril (a 1-d m of length n gives an n x n "
                "result, as in NumPy). The dtype is kept.",
         .kernel = [](KernelArgs& args) { return triangle(args, true); }});
  r.add({.name = "triu",
         .signature = {{arg("m"), arg("k", Value(0))}},
         .doc = "triu(m, k=0)\n\nA copy of `m` with the elements below the k-th diagonal of the "
                "last two axes zeroed, as numpy.triu (a 1-d m of length n gives an n x n "
                "result, as in NumPy). The dtype is kept.",
         .kernel = [](KernelArgs& args) { return triangle(args, false); }});
}

}  // namespace larix
