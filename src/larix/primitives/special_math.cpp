// softmax and logsumexp (scipy.special's, numerically stable) and NumPy's round to decimals
// (kernels in kernels/special.hpp; erf and erfc are rows of unary_math.cpp).
#include <string>

#include "larix/kernels/reduce.hpp"
#include "larix/kernels/special.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using numpy_args::array_arg;
using numpy_args::parse_axes;

TypeInfo softmax_rule(const std::vector<TypeInfo>& t) {
  const auto x = numpy_args::array_type(t[0]);
  if (!x) return numpy_args::unknown_type();
  return numpy_args::array_result(kernels::special_float_dtype(x->dtype), x->shape);
}

TypeInfo logsumexp_rule(const std::vector<TypeInfo>& t) {
  const auto a = numpy_args::array_type(t[0]);
  if (!a || !numpy_args::known(t[1]) || !numpy_args::known(t[2]) || a->shape.empty())
    return numpy_args::unknown_type();
  const auto axes = parse_axes(numpy_args::value_of(t[1]));
  const int nd = static_cast<int>(a->shape.size());
  return numpy_args::array_result(
      kernels::special_float_dtype(a->dtype),
      kernels::reduced_shape(a->shape, kernels::normalize_axes(axes, nd),
                             numpy_args::value_of(t[2]).truthy()));
}

TypeInfo around_rule(const std::vector<TypeInfo>& t) {
  const auto a = numpy_args::array_type(t[0]);
  if (!a) return numpy_args::unknown_type();
  return numpy_args::array_result(a->dtype == DType::bool_ ? DType::float64 : a->dtype, a->shape);
}

}  // namespace

void register_special_math(Registry& r) {
  r.add({.name = "softmax",
         .signature = {{arg("x"), arg("axis", Value(std::int64_t{-1}))}},
         .doc = "softmax(x, axis=-1)\n\nexp(x) / sum(exp(x)) over `axis` (an int, a list of "
                "ints, or nil: all elements), computed stably as scipy.special.softmax does "
                "(the max over the axis is subtracted first; NaN and infinities propagate as in "
                "scipy, so an infinite max gives NaN). The default axis is the last one, as in "
                "the ML libraries (scipy.special.softmax defaults to all elements). Integers and "
                "bools give float64 (scipy: bools are a TypeError), float32 stays float32. A "
                "reduced axis of length 0 is a ValueError. Rows run in parallel.",
         .kernel =
             [](KernelArgs& args) {
               return Value(
                   kernels::softmax(array_arg(args[0], "softmax", "x"), parse_axes(args[1])));
             },
         .type_rule = softmax_rule});
  r.add({.name = "logsumexp",
         .signature = {{arg("a"), arg("axis", Value()), arg("keepdims", Value(false))}},
         .doc = "logsumexp(a, axis=nil, keepdims=false)\n\nlog(sum(exp(a))) over `axis` (nil: "
                "all axes, an int or a list of ints), computed stably as "
                "scipy.special.logsumexp: max + log(sum(exp(a - max))), with a non-finite max "
                "taken as 0, so all -inf gives -inf, any +inf gives +inf and NaN gives NaN; an "
                "empty reduction gives -inf. Integers and bools give float64, float32 stays "
                "float32. scipy's b= and return_sign= are not supported. A whole-array result "
                "is a 0-d array (scipy: a NumPy scalar).",
         .kernel =
             [](KernelArgs& args) {
               return Value(kernels::logsumexp(array_arg(args[0], "logsumexp", "a"),
                                               parse_axes(args[1]), args[2].as_bool("keepdims")));
             },
         .type_rule = logsumexp_rule});
  r.add({.name = "around",
         .aliases = {"round"},
         .signature = {{arg("a"), arg("decimals", Value(std::int64_t{0}))}},
         .doc = "around(a, decimals=0)\n\n`a` rounded to `decimals` decimal places, halves to "
                "even, as numpy.round / numpy.around: floats are scaled by 10**decimals, rounded "
                "and scaled back in their own dtype (NumPy's algorithm and results); integers "
                "stay integers (exact; decimals < 0 rounds to a multiple of 10**-decimals); "
                "bools give float64 for decimals=0 (NumPy: float16) and a TypeError otherwise. A "
                "scalar gives a 0-d array (Python's round() of a float gives an int).",
         .kernel =
             [](KernelArgs& args) {
               return Value(kernels::round_decimals(array_arg(args[0], "around", "a"),
                                                    numpy_args::int_arg(args[1], "decimals")));
             },
         .type_rule = around_rule});
}

}  // namespace larix
