// NaN-aware element-wise functions: hypot, fmax, fmin and nan_to_num (kernels/more_math.hpp).
#include "larix/kernels/more_math.hpp"

#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using kernels::BinaryOp;
using kernels::NanBinaryOp;
using numpy_args::array_arg;

// The dtype rule of each op is that of an existing one: hypot computes like arctan2 (integers in
// float64), fmax/fmin keep the promoted dtype like maximum/minimum.
BinaryOp like(NanBinaryOp op) {
  switch (op) {
    case NanBinaryOp::hypot: return BinaryOp::arctan2;
    case NanBinaryOp::fmax: return BinaryOp::maximum;
    case NanBinaryOp::fmin: return BinaryOp::minimum;
  }
  return BinaryOp::maximum;
}

Kernel nan_binary_kernel(NanBinaryOp op, const char* fn) {
  return [op, fn](KernelArgs& args) {
    const Array x = array_arg(args[0], fn, "x1"), y = array_arg(args[1], fn, "x2");
    const DType d = kernels::binary_dtype(like(op), x.dtype(), args[0].is_number(), y.dtype(),
                                          args[1].is_number());
    return Value(kernels::nan_binary(op, x, y, d));
  };
}

TypeRule nan_binary_rule(NanBinaryOp op) {
  return [op](const std::vector<TypeInfo>& t) -> TypeInfo {
    const auto a = numpy_args::array_type(t[0]), b = numpy_args::array_type(t[1]);
    if (!a || !b) return numpy_args::unknown_type();
    return numpy_args::array_result(
        kernels::binary_dtype(like(op), a->dtype, a->weak, b->dtype, b->weak),
        kernels::broadcast_shapes(a->shape, b->shape));
  };
}

std::optional<double> optional_double(const Value& v, const char* what) {
  if (v.is_nil()) return std::nullopt;
  return v.as_double(what);
}

const char* kWeak =
    " Python scalars take the other operand's dtype when of the same kind or lower (NumPy 2's "
    "weak scalars); two Python scalars give a 0-d array (NumPy: a NumPy scalar).";

}  // namespace

void register_more_math(Registry& r) {
  const Signature two{{arg("x1"), arg("x2")}};
  r.add({.name = "fmax",
         .signature = two,
         .doc = std::string("fmax(x1, x2)\n\nThe element-wise maximum with broadcasting, as "
                            "numpy.fmax: where one operand is NaN the other is returned (NaN only "
                            "when both are). The dtype promotes x1 and x2.") +
                kWeak,
         .kernel = nan_binary_kernel(NanBinaryOp::fmax, "fmax"),
         .type_rule = nan_binary_rule(NanBinaryOp::fmax)});
  r.add({.name = "fmin",
         .signature = two,
         .doc = std::string("fmin(x1, x2)\n\nThe element-wise minimum with broadcasting, as "
                            "numpy.fmin: where one operand is NaN the other is returned (NaN only "
                            "when both are). The dtype promotes x1 and x2.") +
                kWeak,
         .kernel = nan_binary_kernel(NanBinaryOp::fmin, "fmin"),
         .type_rule = nan_binary_rule(NanBinaryOp::fmin)});
  r.add({.name = "hypot",
         .signature = two,
         .doc = std::string("hypot(x1, x2)\n\nsqrt(x1**2 + x2**2) element-wise with broadcasting "
                            "and without intermediate overflow, as numpy.hypot. Integers and "
                            "bools give float64 (NumPy: float16 for bools).") +
                kWeak,
         .kernel = nan_binary_kernel(NanBinaryOp::hypot, "hypot"),
         .type_rule = nan_binary_rule(NanBinaryOp::hypot)});
  r.add({.name = "nan_to_num",
         .signature = {{arg("x"), arg("copy", Value(true)), arg("nan", Value(0.0)),
                        arg("posinf", Value()), arg("neginf", Value())}},
         .doc = "nan_to_num(x, copy=true, nan=0.0, posinf=nil, neginf=nil)\n\nx with NaN "
                "replaced by `nan`, +inf by `posinf` and -inf by `neginf`, as numpy.nan_to_num; "
                "nil infinities become the largest / lowest finite value of x's dtype. Bools and "
                "ints come back unchanged; the dtype is kept. Always a new array (copy=false is "
                "accepted; Larix arrays are immutable). A Python scalar gives a 0-d array.",
         .kernel =
             [](KernelArgs& args) {
               const Array x = array_arg(args[0], "nan_to_num", "x");
               args[1].as_bool("copy");
               return Value(kernels::nan_to_num(x, args[2].as_double("nan"),
                                                optional_double(args[3], "posinf"),
                                                optional_double(args[4], "neginf")));
             },
         .type_rule = [](const std::vector<TypeInfo>& t) -> TypeInfo {
           const auto a = numpy_args::array_type(t[0]);
           if (!a) return numpy_args::unknown_type();
           return numpy_args::array_result(a->dtype, a->shape);
         }});
}

}  // namespace larix
