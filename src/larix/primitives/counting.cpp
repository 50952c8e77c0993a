// Counting and 1-d signals: bincount, histogram, digitize, interp, convolve, correlate, and
// copysign (kernels/counting.hpp; digitize on kernels::searchsorted).
#include "larix/kernels/counting.hpp"

#include <cmath>
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/sort.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using numpy_args::array_arg;
using numpy_args::int_arg;
using std::int64_t;

std::optional<Array> optional_array(const Value& v, const char* fn, const char* what) {
  if (v.is_nil()) return std::nullopt;
  return array_arg(v, fn, what);
}

Value bincount_kernel(KernelArgs& args) {
  const Array x = array_arg(args[0], "bincount", "x");
  return Value(kernels::bincount(x, optional_array(args[1], "bincount", "weights"),
                                 int_arg(args[2], "minlength")));
}

// 1 if the values never decrease, -1 if they never increase, 0 otherwise (NaNs: neither).
int monotonic(const Array& a) {
  bool up = true, down = true;
  for (int64_t i = 1; i < a.size(); ++i) {
    const double p = a.item_as_double(i - 1), q = a.item_as_double(i);
    up = up && p <= q;
    down = down && p >= q;
  }
  return up ? 1 : down ? -1 : 0;
}

// np.histogram's bin edges: bins equally spaced over range (or the data's min and max), or given.
Array histogram_edges(const Array& a, const Value& bins, const Value& range, bool& uniform) {
  if (!numpy_args::is_int_like(bins)) {
    const Array edges = array_arg(bins, "histogram", "bins");
    LARIX_CHECK(edges.ndim() == 1, value, "`bins` must be 1d, when an array");
    LARIX_CHECK(monotonic(edges) == 1, value, "`bins` must increase monotonically, when an array");
    LARIX_CHECK(edges.size() >= 1, value, "`bins` must have at least one edge");
    uniform = false;
    return edges;
  }
  const int64_t n = int_arg(bins, "bins");
  LARIX_CHECK(n >= 1, value, "`bins` must be positive, when an integer");
  double first, last;
  if (!range.is_nil()) {
    const Array r = array_arg(range, "histogram", "range");
    LARIX_CHECK(r.size() == 2, value, "too many values to unpack (expected 2)");
    first = r.item_as_double(0);
    last = r.item_as_double(1);
    LARIX_CHECK(first <= last, value, "max must be larger than min in range parameter.");
    LARIX_CHECK(std::isfinite(first) && std::isfinite(last), value, "supplied range of [", first,
                ", ", last, "] is not finite");
  } else if (a.size() == 0) {
    first = 0, last = 1;
  } else {
    first = a.item_as_double(0), last = first;
    for (int64_t i = 0; i < a.size(); ++i) {
      const double v = a.item_as_double(i);
      if (std::isnan(v) || std::isnan(first)) first = last = std::nan("");
      first = std::min(first, v), last = std::max(last, v);
    }
    LARIX_CHECK(std::isfinite(first) && std::isfinite(last), value, "autodetected range of [",
                first, ", ", last, "] is not finite");
  }
  if (first == last) first -= 0.5, last += 0.5;
  const DType dtype = a.dtype() == DType::float32 ? DType::float32 : DType::float64;
  Array edges = Array::empty(DType::float64, {n + 1});
  double* e = edges.mutable_data<double>();
  // np.linspace's steps: i * step + first, the last edge exactly `last`; in float32 for a
  // float32 a without range= (NumPy's edges then start from float32 scalars).
  if (dtype == DType::float32 && range.is_nil()) {
    const float f = static_cast<float>(first), l = static_cast<float>(last);
    const float step = (l - f) / static_cast<float>(n);
    for (int64_t i = 0; i <= n; ++i) e[i] = static_cast<float>(static_cast<float>(i) * step + f);
  } else {
    const double step = (last - first) / static_cast<double>(n);
    for (int64_t i = 0; i <= n; ++i) e[i] = static_cast<double>(i) * step + first;
  }
  e[n] = last;
  uniform = true;
  return kernels::cast(edges, dtype);
}

Value histogram_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "histogram", "a");
  bool uniform = false;
  const Array edges = histogram_edges(a, args[1], args[2], uniform);
  const std::optional<Array> weights = optional_array(args[3], "histogram", "weights");
  if (weights)
    LARIX_CHECK(weights->shape() == a.shape(), value, "weights should have the same shape as a.");
  Array counts = kernels::histogram_counts(a, edges, uniform, weights);
  if (!args[4].is_nil() && args[4].as_bool("density")) {
    const Array widths =
        kernels::binary(kernels::BinaryOp::subtract,
                        edges.view(edges.itemsize(), {edges.size() - 1}, edges.strides()),
                        edges.view(0, {edges.size() - 1}, edges.strides()));
    double total = 0;
    for (int64_t i = 0; i < counts.size(); ++i) total += counts.item_as_double(i);
    counts = kernels::binary(kernels::BinaryOp::true_divide,
                             kernels::binary(kernels::BinaryOp::true_divide, counts, widths),
                             Array::scalar<double>(total));
  }
  return Value(List{Value(std::move(counts)), Value(edges)});
}

Value digitize_kernel(KernelArgs& args) {
  const Array x = array_arg(args[0], "digitize", "x");
  const Array bins = array_arg(args[1], "digitize", "bins");
  const bool right = args[2].as_bool("right");
  LARIX_CHECK(bins.ndim() == 1, value, "object too deep for desired array");
  const int mono = bins.size() <= 1 ? 1 : monotonic(bins);
  LARIX_CHECK(mono != 0, value, "bins must be monotonically increasing or decreasing");
  const DType common = promote(x.dtype(), bins.dtype());
  if (mono == 1) return Value(kernels::searchsorted(bins, x, !right, common));
  // Decreasing bins: len(bins) - searchsorted(bins[::-1], x, side).
  const Array reversed =
      bins.view(bins.strides()[0] * (bins.size() - 1), bins.shape(), {-bins.strides()[0]});
  return Value(kernels::binary(kernels::BinaryOp::subtract, Array::scalar<int64_t>(bins.size()),
                               kernels::searchsorted(reversed, x, !right, common)));
}

std::optional<double> optional_double(const Value& v, const char* what) {
  if (v.is_nil()) return std::nullopt;
  return v.as_double(what);
}

Value interp_kernel(KernelArgs& args) {
  LARIX_CHECK(args[5].is_nil(), type, "interp(): period= is not supported by Larix (yet)");
  return Value(kernels::interp(array_arg(args[0], "interp", "x"),
                               array_arg(args[1], "interp", "xp"),
                               array_arg(args[2], "interp", "fp"), optional_double(args[3], "left"),
                               optional_double(args[4], "right")));
}

Kernel correlate_kernel(bool convolve) {
  const char* fn = convolve ? "convolve" : "correlate";
  return [convolve, fn](KernelArgs& args) {
    const Array a = array_arg(args[0], fn, "a"), v = array_arg(args[1], fn, "v");
    LARIX_CHECK(args[2].is_string(), type, fn, "(): mode must be a string");
    return Value(kernels::correlate(a, v, args[2].as_string(), convolve));
  };
}

Value copysign_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "copysign", "x1"), b = array_arg(args[1], "copysign", "x2");
  DType d = kernels::promote_weak(a.dtype(), args[0].is_number(), b.dtype(), args[1].is_number());
  if (!is_floating(d)) d = DType::float64;
  return Value(kernels::copysign(a, b, d));
}

}  // namespace

void register_counting(Registry& r) {
  r.add({.name = "bincount",
         .signature = {{arg("x"), arg("weights", Value()), arg("minlength", Value(0))}},
         .doc = "bincount(x, weights=nil, minlength=0)\n\nHow often each value 0, 1, ... occurs "
                "in the 1-d array x of non-negative ints, as numpy.bincount: int64 counts of "
                "length max(max(x) + 1, minlength), or float64 sums of `weights` (x's shape). A "
                "negative value or minlength, or x not 1-d, is a ValueError; a float x a "
                "TypeError.",
         .kernel = bincount_kernel});
  r.add(
      {.name = "histogram",
       .signature = {{arg("a"), arg("bins", Value(10)), arg("range", Value()),
                      arg("weights", Value()), arg("density", Value())}},
       .doc =
           "histogram(a, bins=10, range=nil, weights=nil, density=nil)\n\nThe histogram of "
           "the flattened a, as numpy.histogram: a list [hist, bin_edges] (NumPy: a "
           "tuple). bins an int (that many equal bins over range, or over a's min and max; "
           "equal min and max widen by 0.5 each side) or the increasing edges. Each bin is "
           "[e_i, e_{i+1}) but the last, which includes its right edge; values outside are "
           "not counted. hist is int64, the weights' sums with weights, or a density (float64) "
           "with density=true. Edges are float64 (float32 for a float32 a with bins an int), "
           "or the given edges. A range with NaN or inf, or autodetected from data with NaN, is a "
           "ValueError, as are decreasing edges; NumPy's estimator names (bins=\"auto\", ...) "
           "are not supported (a TypeError).",
       .kernel = histogram_kernel});
  r.add({.name = "digitize",
         .signature = {{arg("x"), arg("bins"), arg("right", Value(false))}},
         .doc = "digitize(x, bins, right=false)\n\nThe int64 index of the bin each element of x "
                "falls in, as numpy.digitize: for increasing bins i with bins[i-1] <= x < bins[i] "
                "(bins[i-1] < x <= bins[i] with right=true); decreasing bins likewise from the "
                "other end. bins not 1-d or not monotonic is a ValueError.",
         .kernel = digitize_kernel});
  r.add({.name = "interp",
         .signature = {{arg("x"), arg("xp"), arg("fp"), arg("left", Value()), arg("right", Value()),
                        arg("period", Value())}},
         .doc = "interp(x, xp, fp, left=nil, right=nil, period=nil)\n\nPiecewise-linear "
                "interpolation of the points (xp, fp) at x, as numpy.interp: float64 of x's shape; "
                "left/right (default fp[0]/fp[-1]) outside [xp[0], xp[-1]]. xp must increase (not "
                "checked, as in NumPy). xp and fp of different lengths or empty is a ValueError; "
                "period= is not supported (a TypeError).",
         .kernel = interp_kernel});
  r.add({.name = "convolve",
         .signature = {{arg("a"), arg("v"), arg("mode", Value("full"))}},
         .doc = "convolve(a, v, mode=\"full\")\n\nThe discrete linear convolution of two 1-d "
                "arrays, as numpy.convolve: mode \"full\" (length n + m - 1), \"same\" (max(n, m)) "
                "or \"valid\" (max - min + 1). Computed in the promoted dtype (ints wrap, bools or "
                "of ands). An empty operand or a bad mode is a ValueError.",
         .kernel = correlate_kernel(true)});
  r.add({.name = "correlate",
         .signature = {{arg("a"), arg("v"), arg("mode", Value("valid"))}},
         .doc = "correlate(a, v, mode=\"valid\")\n\nThe cross-correlation of two 1-d arrays, as "
                "numpy.correlate: c[k] = sum_n a[n + k] * v[n], with the modes of convolve (here "
                "\"valid\" by default).",
         .kernel = correlate_kernel(false)});
  r.add({.name = "copysign",
         .signature = {{arg("x1"), arg("x2")}},
         .doc = "copysign(x1, x2)\n\nThe magnitude of x1 with the sign of x2, element-wise with "
                "broadcasting, as numpy.copysign (the sign bit: -0.0 and -nan count as negative). "
                "Floats keep their dtype (Python scalars are weak); ints and bools give float64 "
                "(NumPy: float16 for bools).",
         .kernel = copysign_kernel});
}

}  // namespace larix
