// Reductions with NumPy's axis/keepdims/dtype rules: prod, amin/amax, any, all, count_nonzero,
// argmin/argmax, mean, var, std, cumsum, cumprod (sum is in sum.cpp). Positional order follows
// Phylanx's signatures where Phylanx has the primitive (mean/var/std(a, axis, keepdims, ...),
// amin/amax(a, axis, keepdims, initial)), else NumPy's without `out`; the Python frontend passes
// NumPy's further positional arguments as keywords.
#include "larix/kernels/reductions.hpp"

#include <functional>
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using kernels::ReduceOp;
using numpy_args::array_arg;
using numpy_args::parse_axes;
using numpy_args::parse_axis;
using numpy_args::parse_dtype_arg;
using numpy_args::value_of;

// What a rule needs from a reduction: the result dtype from the input's (and dtype=), and whether
// axis= is one int (arg reductions, cumulative ones) or any set of axes.
struct RuleSpec {
  std::function<DType(DType, std::optional<DType>)> dtype;
  int axis_arg = 1, keepdims_arg = -1, dtype_arg = -1;
  bool cumulative = false;
};

TypeRule reduction_rule(RuleSpec spec) {
  return [spec](const std::vector<TypeInfo>& t) -> TypeInfo {
    const auto a = numpy_args::array_type(t[0]);
    if (!a) return numpy_args::unknown_type();
    for (int i : {spec.axis_arg, spec.keepdims_arg, spec.dtype_arg})
      if (i >= 0 && !numpy_args::known(t[i])) return numpy_args::unknown_type();
    const auto dtype =
        spec.dtype_arg >= 0 ? parse_dtype_arg(value_of(t[spec.dtype_arg])) : std::nullopt;
    const auto axes = parse_axes(value_of(t[spec.axis_arg]));
    const int nd = static_cast<int>(a->shape.size());
    if (spec.cumulative) {
      if (!axes)
        return numpy_args::array_result(spec.dtype(a->dtype, dtype), {shape_size(a->shape)});
      kernels::normalize_axes(axes, nd);
      return numpy_args::array_result(spec.dtype(a->dtype, dtype), a->shape);
    }
    const bool keepdims = spec.keepdims_arg >= 0 && value_of(t[spec.keepdims_arg]).truthy();
    return numpy_args::array_result(
        spec.dtype(a->dtype, dtype),
        kernels::reduced_shape(a->shape, kernels::normalize_axes(axes, nd), keepdims));
  };
}

const char* kCommon =
    " axis is nil (all axes), an int or a list of ints (negative counts from the end; out of "
    "range is an AxisError); keepdims keeps reduced axes with length 1. A whole-array result is a "
    "0-d array (NumPy: a NumPy scalar).";

// np.amax(a, axis, keepdims=k, initial=v): the reduction of the elements and v together; an
// empty reduction gives v (where NumPy's reduction without `initial` has no identity).
Array reduce_with_initial(ReduceOp op, const Array& a, const std::optional<std::vector<int>>& axes,
                          bool keepdims, const Value& initial) {
  const Array v = initial.to_array("initial");
  LARIX_CHECK(v.ndim() == 0, value, "initial must be a scalar, not an array of shape ",
              shape_str(v.shape()));
  const Shape out =
      kernels::reduced_shape(a.shape(), kernels::normalize_axes(axes, a.ndim()), keepdims);
  const Array cast = v.astype(a.dtype());
  if (a.size() == 0) return cast.broadcast_to(out).copy();
  const Array reduced = kernels::reduce(op, a, axes, keepdims, std::nullopt);
  return kernels::binary(
      op == ReduceOp::max ? kernels::BinaryOp::maximum : kernels::BinaryOp::minimum, reduced, cast);
}

void add_reduce(Registry& r, ReduceOp op, std::string name, std::vector<std::string> aliases,
                std::string what, bool with_dtype) {
  const bool with_initial = op == ReduceOp::max || op == ReduceOp::min;
  // Phylanx's positional order: a, axis, keepdims, then initial (amax, amin) or dtype (prod); a
  // kernel passes NumPy's positional arguments after axis by keyword.
  Signature sig{{arg("a"), arg("axis", Value()), arg("keepdims", Value(false))}};
  if (with_initial) sig.params.push_back(arg("initial", Value()));
  if (with_dtype) sig.params.push_back(arg("dtype", Value()));
  const int keepdims_arg = 2, dtype_arg = with_dtype ? 3 : -1;
  const std::string doc = name + "(a, axis=nil, keepdims=false" +
                          (with_initial ? ", initial=nil" : "") +
                          (with_dtype ? ", dtype=nil" : "") + ")\n\n" + what + kCommon;
  r.add({.name = name,
         .aliases = std::move(aliases),
         .signature = std::move(sig),
         .doc = doc,
         .kernel =
             [op, name, keepdims_arg, dtype_arg, with_initial](KernelArgs& args) {
               const Array a = array_arg(args[0], name, "a");
               const bool keepdims = args[keepdims_arg].as_bool("keepdims");
               if (with_initial && !args[3].is_nil())
                 return Value(reduce_with_initial(op, a, parse_axes(args[1]), keepdims, args[3]));
               return Value(kernels::reduce(
                   op, a, parse_axes(args[1]), keepdims,
                   dtype_arg >= 0 ? parse_dtype_arg(args[dtype_arg]) : std::nullopt));
             },
         .type_rule = reduction_rule(
             {.dtype = [op](DType d,
                            std::optional<DType> o) { return kernels::reduce_dtype(op, d, o); },
              .keepdims_arg = keepdims_arg,
              .dtype_arg = dtype_arg})});
}

void add_arg_reduce(Registry& r, bool max) {
  const std::string name = max ? "argmax" : "argmin";
  r.add({.name = name,
         .signature = {{arg("a"), arg("axis", Value()), arg("keepdims", Value(false))}},
         .doc = name + "(a, axis=nil, keepdims=false)\n\nThe int64 index of the " +
                (max ? "largest" : "smallest") + " element, as numpy." + name +
                ": along `axis` (one int), or the flat C-order index when axis is nil. The first "
                "occurrence wins, and the first NaN when there is one. An empty array is a "
                "ValueError \"attempt to get " +
                name + " of an empty sequence\".",
         .kernel =
             [max, name](KernelArgs& args) {
               return Value(kernels::arg_reduce(max, array_arg(args[0], name, "a"),
                                                parse_axis(args[1]), args[2].as_bool("keepdims")));
             },
         .type_rule =
             reduction_rule({.dtype = [](DType, std::optional<DType>) { return DType::int64; },
                             .keepdims_arg = 2})});
}

DType float_result(DType d, std::optional<DType> o) {
  return o.value_or(is_integral(d) ? DType::float64 : d);
}

// var and std of complex numbers are real (the moduli of the deviations).
DType moment_result(DType d, std::optional<DType> o) { return real_of(float_result(d, o)); }

// Phylanx's order: mean/var/std(a, axis, keepdims), then NumPy's dtype (and ddof) by keyword.
void add_moment(Registry& r, const std::string& name, const std::string& what) {
  const bool is_mean = name == "mean";
  Signature sig{
      {arg("a"), arg("axis", Value()), arg("keepdims", Value(false)), arg("dtype", Value())}};
  if (!is_mean) sig.params.push_back(arg("ddof", Value(0.0)));
  r.add(
      {.name = name,
       .signature = std::move(sig),
       .doc = name + "(a, axis=nil, keepdims=false, dtype=nil" + (is_mean ? "" : ", ddof=0") +
              ")\n\n" + what + kCommon +
              " Positional order is Phylanx's (a, axis, keepdims); numpy." + name + "'s dtype" +
              (is_mean ? "" : " and ddof") + " by keyword.",
       .kernel =
           [name, is_mean](KernelArgs& args) {
             const Array a = array_arg(args[0], name, "a");
             const auto axes = parse_axes(args[1]);
             const bool keepdims = args[2].as_bool("keepdims");
             const auto dtype = parse_dtype_arg(args[3]);
             if (is_mean) return Value(kernels::mean(a, axes, keepdims, dtype));
             const double ddof = args[4].as_double("ddof");
             return Value(name == "var" ? kernels::var(a, axes, keepdims, ddof, dtype)
                                        : kernels::std_dev(a, axes, keepdims, ddof, dtype));
           },
       .type_rule = reduction_rule(
           {.dtype = is_mean ? float_result : moment_result, .keepdims_arg = 2, .dtype_arg = 3})});
}

void add_cumulative(Registry& r, bool product) {
  const std::string name = product ? "cumprod" : "cumsum";
  r.add({.name = name,
         .signature = {{arg("a"), arg("axis", Value()), arg("dtype", Value())}},
         .doc = name + "(a, axis=nil, dtype=nil)\n\nThe cumulative " +
                (product ? "product" : "sum") +
                " along `axis` (one int), or over the flattened "
                "array (a 1-d result) when axis is nil, as numpy." +
                name +
                ". Bools and ints give int64 (wrapping on overflow), floats keep their dtype, "
                "unless `dtype` is given. Elements are combined in order (no pairwise summation, "
                "as NumPy).",
         .kernel =
             [product, name](KernelArgs& args) {
               return Value(kernels::cumulative(product, array_arg(args[0], name, "a"),
                                                parse_axis(args[1]), parse_dtype_arg(args[2])));
             },
         .type_rule = reduction_rule(
             {.dtype = [](DType d, std::optional<DType> o) { return kernels::sum_dtype(d, o); },
              .dtype_arg = 2,
              .cumulative = true})});
}

}  // namespace

void register_reductions(Registry& r) {
  add_reduce(r, ReduceOp::prod, "prod", {},
             "The product of the elements over the given axes, as numpy.prod. Bools and ints "
             "give int64 (wrapping on overflow), floats keep their dtype, unless `dtype` is "
             "given. The product of nothing is 1.",
             true);
  add_reduce(r, ReduceOp::min, "amin", {"min"},
             "The smallest element over the given axes, as numpy.amin (numpy.min); NaN "
             "propagates. An empty reduction is a ValueError \"zero-size array to reduction "
             "operation minimum which has no identity\".",
             false);
  add_reduce(r, ReduceOp::max, "amax", {"max"},
             "The largest element over the given axes, as numpy.amax (numpy.max); NaN "
             "propagates. An empty reduction is a ValueError \"zero-size array to reduction "
             "operation maximum which has no identity\".",
             false);
  add_reduce(r, ReduceOp::any, "any", {},
             "True when any element over the given axes is nonzero (NaN counts), as numpy.any.",
             false);
  add_reduce(r, ReduceOp::all, "all", {},
             "True when every element over the given axes is nonzero (NaN counts), as numpy.all.",
             false);
  add_reduce(r, ReduceOp::count_nonzero, "count_nonzero", {},
             "The int64 number of nonzero elements over the given axes, as numpy.count_nonzero "
             "(which gives a Python int for axis=nil).",
             false);
  add_arg_reduce(r, false);
  add_arg_reduce(r, true);
  add_moment(r, "mean",
             "The arithmetic mean over the given axes, as numpy.mean: the sum (pairwise, in "
             "float64 for bools and ints, else in the input's dtype or `dtype`) divided by the "
             "count. An empty reduction gives NaN (NumPy also warns).");
  add_moment(r, "var",
             "The variance over the given axes, as numpy.var: the mean of squared deviations from "
             "the mean, divided by max(n - ddof, 0) instead of n (NumPy's two-pass algorithm). "
             "Bools and ints give float64.");
  add_moment(r, "std",
             "The standard deviation over the given axes, as numpy.std: sqrt(var(a, axis, "
             "keepdims, dtype, ddof)).");
  add_cumulative(r, false);
  add_cumulative(r, true);
}

}  // namespace larix
