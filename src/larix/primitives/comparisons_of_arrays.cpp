// Comparisons of whole arrays: isclose, allclose and array_equal (kernels/more_math.hpp).
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/more_math.hpp"
#include "larix/kernels/reductions.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using numpy_args::array_arg;

Array isclose_of(KernelArgs& args, const char* fn) {
  const Array a = array_arg(args[0], fn, "a"), b = array_arg(args[1], fn, "b");
  return kernels::isclose(a, b, args[2].as_double("rtol"), args[3].as_double("atol"),
                          args[4].as_bool("equal_nan"));
}

TypeInfo isclose_type(const std::vector<TypeInfo>& t) {
  const auto a = numpy_args::array_type(t[0]), b = numpy_args::array_type(t[1]);
  if (!a || !b) return numpy_args::unknown_type();
  return numpy_args::array_result(DType::bool_, kernels::broadcast_shapes(a->shape, b->shape));
}

const char* kClose =
    "|a - b| <= atol + rtol * |b|, with broadcasting (a shape mismatch is a ValueError), computed "
    "in float64 (NumPy: in the operands' float dtype). Infinities are close only to an infinity "
    "of the same sign; NaNs only to each other and only with equal_nan.";

}  // namespace

void register_comparisons_of_arrays(Registry& r) {
  const Signature close_sig{{arg("a"), arg("b"), arg("rtol", Value(1e-05)),
                             arg("atol", Value(1e-08)), arg("equal_nan", Value(false))}};
  r.add({.name = "allclose",
         .signature = close_sig,
         .doc = std::string("allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=false)\n\nTrue when "
                            "every element of a is close to b's, as numpy.allclose (a Python "
                            "bool): ") +
                kClose,
         .kernel =
             [](KernelArgs& args) {
               const Array c = isclose_of(args, "allclose");
               return Value(kernels::reduce(kernels::ReduceOp::all, c).item<bool>());
             },
         .type_rule = [](const std::vector<TypeInfo>& t) -> TypeInfo {
           if (isclose_type(t).kind != ValueKind::array) return numpy_args::unknown_type();
           return {.kind = ValueKind::boolean};
         }});
  r.add({.name = "array_equal",
         .signature = {{arg("a1"), arg("a2"), arg("equal_nan", Value(false))}},
         .doc = "array_equal(a1, a2, equal_nan=false)\n\nTrue when a1 and a2 have the same shape "
                "and equal elements, as numpy.array_equal (a Python bool; different shapes give "
                "false, not an error). NaNs are equal to each other only with equal_nan.",
         .kernel =
             [](KernelArgs& args) {
               return Value(kernels::array_equal(array_arg(args[0], "array_equal", "a1"),
                                                 array_arg(args[1], "array_equal", "a2"),
                                                 args[2].as_bool("equal_nan")));
             },
         .type_rule = [](const std::vector<TypeInfo>&) -> TypeInfo {
           return {.kind = ValueKind::boolean};
         }});
  r.add({.name = "isclose",
         .signature = close_sig,
         .doc = std::string("isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=false)\n\nA bool "
                            "array telling element-wise whether a is close to b, as "
                            "numpy.isclose: ") +
                kClose + " Two scalars give a 0-d array (NumPy: a NumPy bool).",
         .kernel = [](KernelArgs& args) { return Value(isclose_of(args, "isclose")); },
         .type_rule = isclose_type});
}

}  // namespace larix
