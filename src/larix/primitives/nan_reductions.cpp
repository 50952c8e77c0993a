// Reductions that ignore NaNs: nanmax, nanmin, nanargmax, nanargmin, nanvar, nanstd, nancumsum,
// nancumprod (nansum and nanmean: statistics.cpp), composed as NumPy defines them from the
// element-wise kernels and the reductions. Bools and ints have no NaN: they reduce as they are.
#include <cmath>
#include <limits>
#include <string>

#include "larix/kernels/complex.hpp"
#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/kernels/reductions.hpp"
#include "larix/kernels/select.hpp"
#include "larix/primitives/numpy_args.hpp"
#include "larix/support/warnings.hpp"

namespace larix {
namespace {

using kernels::BinaryOp;
using kernels::ReduceOp;
using kernels::UnaryOp;
using numpy_args::array_arg;
using numpy_args::parse_axes;
using numpy_args::parse_axis;
using numpy_args::parse_dtype_arg;

Array isnan(const Array& a) { return kernels::unary(UnaryOp::isnan, a); }
Array fill_nan(const Array& a, double v) {
  return kernels::where(isnan(a), Array::scalar<double>(v), a, a.dtype());
}
bool any(const Array& a) { return kernels::reduce(ReduceOp::any, a).item<bool>(); }
constexpr double kInf = std::numeric_limits<double>::infinity();

Kernel nan_extreme(bool max) {
  const char* fn = max ? "nanmax" : "nanmin";
  return [max, fn](KernelArgs& args) {
    const Array a = array_arg(args[0], fn, "a");
    const auto axes = parse_axes(args[1]);
    const bool keepdims = args[2].as_bool("keepdims");
    const ReduceOp op = max ? ReduceOp::max : ReduceOp::min;
    if (!is_floating(a.dtype())) return Value(kernels::reduce(op, a, axes, keepdims));
    const Array m = kernels::reduce(op, fill_nan(a, max ? -kInf : kInf), axes, keepdims);
    const Array all_nan = kernels::reduce(ReduceOp::all, isnan(a), axes, keepdims);
    if (!any(all_nan)) return Value(m);
    warn("All-NaN slice encountered");
    return Value(kernels::where(all_nan, Array::scalar<double>(std::nan("")), m, a.dtype()));
  };
}

Kernel nan_arg_extreme(bool max) {
  const char* fn = max ? "nanargmax" : "nanargmin";
  return [max, fn](KernelArgs& args) {
    const Array a = array_arg(args[0], fn, "a");
    const auto axis = parse_axis(args[1]);
    const bool keepdims = args[2].as_bool("keepdims");
    if (!is_floating(a.dtype())) return Value(kernels::arg_reduce(max, a, axis, keepdims));
    const Array r = kernels::arg_reduce(max, fill_nan(a, max ? -kInf : kInf), axis, keepdims);
    std::optional<std::vector<int>> axes;
    if (axis) axes = std::vector<int>{*axis};
    LARIX_CHECK(!any(kernels::reduce(ReduceOp::all, isnan(a), axes, keepdims)), value,
                "All-NaN slice encountered");
    return Value(r);
  };
}

// NumPy's nanvar: the mean of the non-NaN values, the squares of the deviations (NaNs as 0),
// their sum over max(count - ddof, 0) (NaN, with a warning, where that is not positive).
Array nanvar(const Array& a, const std::optional<std::vector<int>>& axes, bool keepdims,
             double ddof, std::optional<DType> dtype) {
  const Array mask = isnan(a);
  const Array arr = fill_nan(a, 0.0);
  const Array count = kernels::sum(kernels::unary(UnaryOp::logical_not, mask), axes, true);
  const DType d = dtype.value_or(a.dtype());
  const Array avg = kernels::cast(
      kernels::binary(BinaryOp::true_divide, kernels::sum(arr, axes, true, d), count), d);
  const Array dev =
      kernels::where(mask, Array::scalar<double>(0.0),
                     kernels::binary(BinaryOp::subtract, kernels::cast(arr, d), avg), d);
  // |dev|^2: of a complex deviation, the squares of both parts (the variance is real).
  const Array squares =
      is_complex(d) ? kernels::binary(BinaryOp::add,
                                      kernels::binary(BinaryOp::multiply, kernels::real_part(dev),
                                                      kernels::real_part(dev)),
                                      kernels::binary(BinaryOp::multiply, kernels::imag_part(dev),
                                                      kernels::imag_part(dev)))
                    : kernels::binary(BinaryOp::multiply, dev, dev);
  const Array sq = kernels::sum(squares, axes, true, real_of(d));
  const Array dof = kernels::binary(BinaryOp::subtract, count, Array::scalar<double>(ddof));
  const Array bad = kernels::binary(BinaryOp::less_equal, dof, Array::scalar<double>(0.0));
  if (any(bad)) warn("Degrees of freedom <= 0 for slice.");
  Array var = kernels::where(bad, Array::scalar<double>(std::nan("")),
                             kernels::binary(BinaryOp::true_divide, sq, dof), real_of(d));
  if (!keepdims) {
    const auto norm = kernels::normalize_axes(axes, a.ndim());
    var = var.reshape(kernels::reduced_shape(a.shape(), norm, false));
  }
  return var;
}

Kernel nan_moment(bool std_dev) {
  const char* fn = std_dev ? "nanstd" : "nanvar";
  return [std_dev, fn](KernelArgs& args) {
    const Array a = array_arg(args[0], fn, "a");
    const auto axes = parse_axes(args[1]);
    const auto dtype = parse_dtype_arg(args[2]);
    const double ddof = args[3].as_double("ddof");
    const bool keepdims = args[4].as_bool("keepdims");
    if (!is_floating(a.dtype()) && !is_complex(a.dtype()))
      return Value(std_dev ? kernels::std_dev(a, axes, keepdims, ddof, dtype)
                           : kernels::var(a, axes, keepdims, ddof, dtype));
    const Array v = nanvar(a, axes, keepdims, ddof, dtype);
    if (!std_dev) return Value(v);
    return Value(kernels::unary(UnaryOp::sqrt, v));
  };
}

Kernel nan_cumulative(bool product) {
  const char* fn = product ? "nancumprod" : "nancumsum";
  return [product, fn](KernelArgs& args) {
    Array a = array_arg(args[0], fn, "a");
    if (is_floating(a.dtype()) || is_complex(a.dtype())) a = fill_nan(a, product ? 1.0 : 0.0);
    return Value(kernels::cumulative(product, a, parse_axis(args[1]), parse_dtype_arg(args[2])));
  };
}

const char* kAxes =
    " axis is nil (all axes), an int or a list of ints (negative counts from the end; out of "
    "range is an AxisError); keepdims keeps reduced axes with length 1.";

}  // namespace

void register_nan_reductions(Registry& r) {
  for (bool max : {true, false}) {
    const std::string name = max ? "nanmax" : "nanmin";
    r.add({.name = name,
           .signature = {{arg("a"), arg("axis", Value()), arg("keepdims", Value(false))}},
           .doc = name + "(a, axis=nil, keepdims=false)\n\nThe " + (max ? "largest" : "smallest") +
                  " element ignoring NaNs, as numpy." + name +
                  ": a line of NaNs only gives NaN (with NumPy's RuntimeWarning \"All-NaN slice "
                  "encountered\"); an empty reduction is a ValueError. Bools and ints as " +
                  (max ? "amax" : "amin") + "." + kAxes,
           .kernel = nan_extreme(max)});
    const std::string arg_name = max ? "nanargmax" : "nanargmin";
    r.add({.name = arg_name,
           .signature = {{arg("a"), arg("axis", Value()), arg("keepdims", Value(false))}},
           .doc = arg_name + "(a, axis=nil, keepdims=false)\n\nThe int64 position of the first " +
                  (max ? "largest" : "smallest") + " element ignoring NaNs, as numpy." + arg_name +
                  " (along one axis, or in the flattened array). A line of NaNs only, or an empty "
                  "one, is a ValueError.",
           .kernel = nan_arg_extreme(max)});
  }
  for (bool std_dev : {false, true}) {
    const std::string name = std_dev ? "nanstd" : "nanvar";
    r.add({.name = name,
           .signature = {{arg("a"), arg("axis", Value()), arg("dtype", Value()),
                          arg("ddof", Value(0.0)), arg("keepdims", Value(false))}},
           .doc = name + "(a, axis=nil, dtype=nil, ddof=0, keepdims=false)\n\nThe " +
                  (std_dev ? "standard deviation" : "variance") + " ignoring NaNs, as numpy." +
                  name +
                  ": squared deviations from the mean of the other elements, summed, over max(n "
                  "- ddof, 0)" +
                  (std_dev ? ", then the square root" : "") +
                  "; a slice with n - ddof <= 0 gives NaN (with NumPy's RuntimeWarning). Bools "
                  "and ints give float64 as numpy.var." +
                  kAxes,
           .kernel = nan_moment(std_dev)});
  }
  for (bool product : {false, true}) {
    const std::string name = product ? "nancumprod" : "nancumsum";
    r.add({.name = name,
           .signature = {{arg("a"), arg("axis", Value()), arg("dtype", Value())}},
           .doc = name + "(a, axis=nil, dtype=nil)\n\nThe cumulative " +
                  (product ? "product" : "sum") + " treating NaNs as " + (product ? "1" : "0") +
                  ", as numpy." + name + " (dtypes as numpy." + (product ? "cumprod" : "cumsum") +
                  "): along one axis, or over the flattened array.",
           .kernel = nan_cumulative(product)});
  }
}

}  // namespace larix
