// Statistics beyond the moments: median, percentile, quantile (kernels/statistics.hpp), and
// average, ptp, nansum, nanmean composed from the element-wise kernels and the reductions.
#include "larix/kernels/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/kernels/reductions.hpp"
#include "larix/kernels/select.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using kernels::BinaryOp;
using kernels::UnaryOp;
using numpy_args::array_arg;
using numpy_args::parse_axes;
using numpy_args::value_of;

// A rule for the reductions here: the result dtype from the input's, shape from axis/keepdims.
TypeRule stats_rule(DType (*dtype)(DType), int axis_arg, int keepdims_arg) {
  return [=](const std::vector<TypeInfo>& t) -> TypeInfo {
    const auto a = numpy_args::array_type(t[0]);
    if (!a || !numpy_args::known(t[axis_arg]) ||
        (keepdims_arg >= 0 && !numpy_args::known(t[keepdims_arg])))
      return numpy_args::unknown_type();
    const bool keepdims = keepdims_arg >= 0 && value_of(t[keepdims_arg]).truthy();
    const int nd = static_cast<int>(a->shape.size());
    return numpy_args::array_result(
        dtype(a->dtype),
        kernels::reduced_shape(
            a->shape, kernels::normalize_axes(parse_axes(value_of(t[axis_arg])), nd), keepdims));
  };
}

DType float_of(DType d) { return is_integral(d) ? DType::float64 : d; }
DType same(DType d) { return d; }
DType sum_of(DType d) { return kernels::sum_dtype(d); }

// percentile's q / quantile's q: a number (a result without the q axis) or a 1-d list/array.
struct Quantiles {
  std::vector<double> q;
  bool is_array = false;
  DType dtype = DType::float64;
};

Quantiles parse_q(const Value& v, const char* fn, double scale) {
  const Array q = array_arg(v, fn, "q");
  LARIX_CHECK(q.ndim() <= 1, value, fn, "(): q must be a number or a 1-d list of numbers");
  Quantiles out{.is_array = q.ndim() == 1,
                .dtype = scale == 1 || is_floating(q.dtype()) ? q.dtype() : DType::float64};
  for (std::int64_t i = 0; i < q.size(); ++i) {
    const double x = q.item_as_double(i) / scale;
    LARIX_CHECK(x >= 0 && x <= 1, value, scale == 100 ? "Percentiles" : "Quantiles",
                " must be in the range [0, ", scale == 100 ? "100" : "1", "]");
    out.q.push_back(x);
  }
  return out;
}

// NumPy: the dtype of a lerp between the array's elements with weights of q's dtype (a Python
// number is weak); bools are a TypeError (boolean subtract), integers give float64.
// NumPy: the dtype of a lerp between the array's elements with weights of q's dtype (a Python
// number is weak); bools are a TypeError (boolean subtract), integers give float64. Integer q
// (quantile's 0 and 1) picks elements without a lerp and keeps the promoted integer dtype.
DType quantile_dtype(DType a, DType q, bool q_weak) {
  if (is_integral(q) && q != DType::bool_ && is_integral(a))
    return q_weak ? a : kernels::result_type(a, q);
  LARIX_CHECK(a != DType::bool_, type,
              "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, "
              "the `^` operator, or the logical_xor function instead.");
  return float_of(kernels::promote_weak(float_of(a), false, q, q_weak));
}

Kernel quantile_kernel(const char* fn, double scale) {
  return [fn, scale](KernelArgs& args) {
    const Array a = array_arg(args[0], fn, "a");
    const Quantiles q = parse_q(args[1], fn, scale);
    kernels::check_quantile_lines(a, parse_axes(args[2]));
    return Value(kernels::quantile(a, q.q, q.is_array, parse_axes(args[2]),
                                   args[3].as_bool("keepdims"),
                                   quantile_dtype(a.dtype(), q.dtype, args[1].is_number())));
  };
}

TypeRule quantile_rule(double scale) {
  return [scale](const std::vector<TypeInfo>& t) -> TypeInfo {
    const auto a = numpy_args::array_type(t[0]), q = numpy_args::array_type(t[1]);
    if (!a || !q || !numpy_args::known(t[2]) || !numpy_args::known(t[3]) || q->shape.size() > 1)
      return numpy_args::unknown_type();
    const int nd = static_cast<int>(a->shape.size());
    const std::vector<int> axes = kernels::normalize_axes(parse_axes(value_of(t[2])), nd);
    // Empty lines fail in the kernel (check_quantile_lines) before the dtype is looked at.
    for (int axis : axes)
      if (a->shape[static_cast<std::size_t>(axis)] == 0) return numpy_args::unknown_type();
    Shape shape = kernels::reduced_shape(a->shape, axes, value_of(t[3]).truthy());
    if (q->shape.size() == 1) shape.insert(shape.begin(), q->shape[0]);
    const DType q_dtype = scale == 1 || is_floating(q->dtype) ? q->dtype : DType::float64;
    return numpy_args::array_result(quantile_dtype(a->dtype, q_dtype, q->weak), shape);
  };
}

// np.average with weights: sum(a * w) / sum(w) in NumPy's result dtype.
Array weighted_average(const Array& a, Array w, const std::optional<std::vector<int>>& axes,
                       bool keepdims) {
  const DType dtype =
      is_integral(a.dtype())
          ? kernels::result_type(kernels::result_type(a.dtype(), w.dtype()), DType::float64)
          : kernels::result_type(a.dtype(), w.dtype());
  if (a.shape() != w.shape()) {
    LARIX_CHECK(axes.has_value(), type,
                "Axis must be specified when shapes of a and weights differ.");
    kernels::normalize_axes(axes, a.ndim());  // range and repeat errors
    std::vector<int> given;                   // in the caller's order: weights' axes follow it
    Shape want;
    for (int ax : *axes) {
      given.push_back(ax < 0 ? ax + a.ndim() : ax);
      want.push_back(a.shape()[given.back()]);
    }
    LARIX_CHECK(w.shape() == want, value,
                "Shape of weights must be consistent with shape of a along specified axis.");
    std::vector<int> order(given.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::sort(order.begin(), order.end(), [&](int i, int j) { return given[i] < given[j]; });
    Shape s(a.ndim(), 1);
    for (int ax : given) s[ax] = a.shape()[ax];
    w = w.transpose(order).reshape(s);
  }
  const Array scale = kernels::sum(w, axes, keepdims, dtype);
  const Array zero = kernels::binary(BinaryOp::equal, scale, Array::scalar<double>(0.0));
  LARIX_CHECK(!kernels::reduce(kernels::ReduceOp::any, zero).item<bool>(), zero_division,
              "Weights sum to zero, can't be normalized");
  const Array total =
      kernels::sum(kernels::binary(BinaryOp::multiply, a, w, dtype), axes, keepdims, dtype);
  return kernels::binary(BinaryOp::true_divide, total, scale);
}

// a with NaNs replaced by zero (floats), and the count of the others.
// Floats and complex numbers hold NaNs (a complex one in either part); bools and ints do not.
bool holds_nan(DType d) { return is_floating(d) || is_complex(d); }

Array nan_to_zero(const Array& a) {
  if (!holds_nan(a.dtype())) return a;
  return kernels::where(kernels::unary(UnaryOp::isnan, a), Array::scalar<double>(0.0), a,
                        a.dtype());
}

Array nanmean(const Array& a, const std::optional<std::vector<int>>& axes, bool keepdims) {
  if (!holds_nan(a.dtype())) return kernels::mean(a, axes, keepdims);
  const Array total = kernels::sum(nan_to_zero(a), axes, keepdims);
  const Array count = kernels::sum(
      kernels::unary(UnaryOp::logical_not, kernels::unary(UnaryOp::isnan, a)), axes, keepdims);
  return kernels::cast(kernels::binary(BinaryOp::true_divide, total, count), a.dtype());
}

const char* kAxes =
    " axis is nil (all axes), an int or a list of ints (negative counts from the end; out of "
    "range is an AxisError); keepdims keeps reduced axes with length 1. A whole-array result is a "
    "0-d array (NumPy: a NumPy scalar).";

}  // namespace

void register_statistics(Registry& r) {
  r.add({.name = "average",
         .signature = {{arg("a"), arg("axis", Value()), arg("weights", Value()),
                        arg("keepdims", Value(false))}},
         .doc = std::string("average(a, axis=nil, weights=nil, keepdims=false)\n\nThe weighted "
                            "mean sum(a * weights) / sum(weights), as numpy.average (without "
                            "weights: numpy.mean). weights has a's shape, or the "
                            "shape of a along `axis` (in axis's order; else a TypeError or "
                            "ValueError as in NumPy); weights summing to zero are a "
                            "ZeroDivisionError. Bools and "
                            "ints give float64. returned= is not supported.") +
                kAxes,
         .kernel =
             [](KernelArgs& args) {
               const Array a = array_arg(args[0], "average", "a");
               const auto axes = parse_axes(args[1]);
               const bool keepdims = args[3].as_bool("keepdims");
               if (args[2].is_nil()) {
                 const Array m = kernels::mean(a, axes, keepdims);
                 // NumPy divides a.size by the result's size in Python: 0 / 0 when it is empty.
                 LARIX_CHECK(m.size() > 0, zero_division, "division by zero");
                 return Value(m);
               }
               return Value(
                   weighted_average(a, array_arg(args[2], "average", "weights"), axes, keepdims));
             },
         .type_rule = [](const std::vector<TypeInfo>& t) -> TypeInfo {
           if (t[2].kind != ValueKind::nil) return numpy_args::unknown_type();
           return stats_rule(float_of, 1, 3)(t);
         }});
  r.add({.name = "median",
         .signature = {{arg("a"), arg("axis", Value()), arg("keepdims", Value(false))}},
         .doc = std::string("median(a, axis=nil, keepdims=false)\n\nThe median along the axes, as "
                            "numpy.median: the middle of the sorted values, or the mean of the two "
                            "middle ones. A NaN in a line gives NaN, an empty line NaN. Bools and "
                            "ints give float64.") +
                kAxes,
         .kernel =
             [](KernelArgs& args) {
               return Value(kernels::median(array_arg(args[0], "median", "a"), parse_axes(args[1]),
                                            args[2].as_bool("keepdims")));
             },
         .type_rule = stats_rule(float_of, 1, 2)});
  r.add({.name = "nanmean",
         .signature = {{arg("a"), arg("axis", Value()), arg("keepdims", Value(false))}},
         .doc = std::string("nanmean(a, axis=nil, keepdims=false)\n\nThe mean ignoring NaNs, as "
                            "numpy.nanmean: the sum of the other elements over their count (NaN "
                            "where all are NaN). Bools and ints give float64. dtype= is not "
                            "supported.") +
                kAxes,
         .kernel =
             [](KernelArgs& args) {
               return Value(nanmean(array_arg(args[0], "nanmean", "a"), parse_axes(args[1]),
                                    args[2].as_bool("keepdims")));
             },
         .type_rule = stats_rule(float_of, 1, 2)});
  r.add({.name = "nansum",
         .signature = {{arg("a"), arg("axis", Value()), arg("dtype", Value()),
                        arg("keepdims", Value(false))}},
         .doc = std::string("nansum(a, axis=nil, dtype=nil, keepdims=false)\n\nThe sum treating "
                            "NaNs as zero, as numpy.nansum; dtypes as numpy.sum (bools and ints "
                            "give int64).") +
                kAxes,
         .kernel =
             [](KernelArgs& args) {
               return Value(kernels::sum(nan_to_zero(array_arg(args[0], "nansum", "a")),
                                         parse_axes(args[1]), args[3].as_bool("keepdims"),
                                         numpy_args::parse_dtype_arg(args[2])));
             },
         .type_rule = [](const std::vector<TypeInfo>& t) -> TypeInfo {
           if (t[2].kind != ValueKind::nil) return numpy_args::unknown_type();
           return stats_rule(sum_of, 1, 3)(t);
         }});
  const Signature q_sig{{arg("a"), arg("q"), arg("axis", Value()), arg("keepdims", Value(false))}};
  r.add({.name = "percentile",
         .signature = q_sig,
         .doc = std::string("percentile(a, q, axis=nil, keepdims=false)\n\nThe q-th percentiles "
                            "(q in [0, 100], a number or a 1-d list; else a ValueError) along the "
                            "axes, as numpy.percentile with its default method 'linear': between "
                            "the sorted values v[i] and v[i+1] where q/100 * (n - 1) = i + g, "
                            "v[i] + (v[i+1] - v[i]) * g. A 1-d q adds a leading axis of len(q). "
                            "A NaN in a line gives NaN; an empty line is an IndexError and bools "
                            "a TypeError, as in NumPy. Ints give float64; float32 stays float32 "
                            "for a Python-number q.") +
                kAxes,
         .kernel = quantile_kernel("percentile", 100.0),
         .type_rule = quantile_rule(100.0)});
  r.add({.name = "ptp",
         .signature = {{arg("a"), arg("axis", Value()), arg("keepdims", Value(false))}},
         .doc = std::string("ptp(a, axis=nil, keepdims=false)\n\nThe range max - min along the "
                            "axes (peak to peak), as numpy.ptp; the dtype is kept (bools are a "
                            "TypeError, an empty reduction a ValueError, as in NumPy).") +
                kAxes,
         .kernel =
             [](KernelArgs& args) {
               const Array a = array_arg(args[0], "ptp", "a");
               const auto axes = parse_axes(args[1]);
               const bool keepdims = args[2].as_bool("keepdims");
               const Array hi = kernels::reduce(kernels::ReduceOp::max, a, axes, keepdims);
               const Array lo = kernels::reduce(kernels::ReduceOp::min, a, axes, keepdims);
               return Value(kernels::binary(BinaryOp::subtract, hi, lo));
             },
         .type_rule = stats_rule(same, 1, 2)});
  r.add({.name = "quantile",
         .signature = q_sig,
         .doc =
             std::string("quantile(a, q, axis=nil, keepdims=false)\n\npercentile with q as a "
                         "fraction in [0, 1], as numpy.quantile (method 'linear'). As in NumPy, an "
                         "integer q (0 or 1) of an integer or bool array picks elements and "
                         "keeps the array's dtype (a Python int) or promotes with q's.") +
             kAxes,
         .kernel = quantile_kernel("quantile", 1.0),
         .type_rule = quantile_rule(1.0)});
}

}  // namespace larix
