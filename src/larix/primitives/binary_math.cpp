// Element-wise functions of two or three operands with broadcasting: maximum, minimum, arctan2,
// where(cond, x, y) and clip(a, a_min, a_max). Python scalars are NumPy 2's weak operands.
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/select.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using kernels::BinaryOp;
using numpy_args::array_arg;
using numpy_args::array_type;

Kernel binary_kernel(BinaryOp op) {
  return [op](KernelArgs& args) {
    const char* fn = kernels::binary_op_name(op);
    const Array x = array_arg(args[0], fn, "x1"), y = array_arg(args[1], fn, "x2");
    return Value(kernels::binary(
        op, x, y,
        kernels::promote_weak(x.dtype(), args[0].is_number(), y.dtype(), args[1].is_number())));
  };
}

TypeRule binary_rule(BinaryOp op) {
  return [op](const std::vector<TypeInfo>& t) -> TypeInfo {
    const auto a = array_type(t[0]), b = array_type(t[1]);
    if (!a || !b) return numpy_args::unknown_type();
    return numpy_args::array_result(kernels::binary_dtype(op, a->dtype, a->weak, b->dtype, b->weak),
                                    kernels::broadcast_shapes(a->shape, b->shape));
  };
}

// NumPy 2's promotion of x and y in where(): weak Python scalars take the other's dtype.
DType where_dtype(DType x, bool x_weak, DType y, bool y_weak) {
  return kernels::promote_weak(x, x_weak, y, y_weak);
}

Value where_kernel(KernelArgs& args) {
  if (args[1].is_nil() && args[2].is_nil()) {  // where(condition): Phylanx's nonzero
    const PrimitiveInfo* nonzero = Registry::instance().find("nonzero");
    LARIX_ASSERT(nonzero, "nonzero is not registered");
    Value condition = args[0];
    return run_kernel(*nonzero, std::span<Value>(&condition, 1), args.ctx(), args.loc());
  }
  const Array c = array_arg(args[0], "where", "condition");
  const Array x = array_arg(args[1], "where", "x"), y = array_arg(args[2], "where", "y");
  return Value(kernels::where(
      c, x, y, where_dtype(x.dtype(), args[1].is_number(), y.dtype(), args[2].is_number())));
}

TypeInfo where_type(const std::vector<TypeInfo>& t) {
  const auto c = array_type(t[0]), x = array_type(t[1]), y = array_type(t[2]);
  if (!c || !x || !y) return numpy_args::unknown_type();
  return numpy_args::array_result(where_dtype(x->dtype, x->weak, y->dtype, y->weak),
                                  kernels::broadcast_shapes(c->shape, x->shape, y->shape));
}

// minimum(maximum(a, a_min), a_max), as np.clip computes it; nil leaves that side open.
Value clip_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "clip", "a");
  LARIX_CHECK(!args[1].is_nil() || !args[2].is_nil(), value, "One of max or min must be given");
  Array out = a;
  bool weak = args[0].is_number();
  for (int i = 1; i <= 2; ++i) {
    if (args[i].is_nil()) continue;
    const Array bound = array_arg(args[i], "clip", i == 1 ? "a_min" : "a_max");
    const BinaryOp op = i == 1 ? BinaryOp::maximum : BinaryOp::minimum;
    out = kernels::binary(
        op, out, bound,
        kernels::promote_weak(out.dtype(), weak, bound.dtype(), args[i].is_number()));
    weak = weak && args[i].is_number();
  }
  return Value(out);
}

TypeInfo clip_type(const std::vector<TypeInfo>& t) {
  auto acc = array_type(t[0]);
  if (!acc) return numpy_args::unknown_type();
  for (int i = 1; i <= 2; ++i) {
    if (t[i].kind == ValueKind::nil) continue;
    const auto b = array_type(t[i]);
    if (!b) return numpy_args::unknown_type();
    acc = numpy_args::ArrayType{kernels::promote_weak(acc->dtype, acc->weak, b->dtype, b->weak),
                                kernels::broadcast_shapes(acc->shape, b->shape),
                                acc->weak && b->weak};
  }
  return numpy_args::array_result(acc->dtype, acc->shape);
}

const char* kWeakNote =
    " A Python scalar takes the other operand's dtype when it is of the same kind or lower (NumPy "
    "2's weak scalars); two Python scalars give a 0-d array (NumPy: a NumPy scalar).";

}  // namespace

void register_binary_math(Registry& r) {
  const Signature two{{arg("x1"), arg("x2")}};
  r.add({.name = "maximum",
         .signature = two,
         .doc = std::string("maximum(x1, x2)\n\nThe element-wise maximum of x1 and x2 with "
                            "broadcasting, as numpy.maximum; a NaN in either gives NaN.") +
                kWeakNote,
         .kernel = binary_kernel(BinaryOp::maximum),
         .type_rule = binary_rule(BinaryOp::maximum)});
  r.add({.name = "minimum",
         .signature = two,
         .doc = std::string("minimum(x1, x2)\n\nThe element-wise minimum of x1 and x2 with "
                            "broadcasting, as numpy.minimum; a NaN in either gives NaN.") +
                kWeakNote,
         .kernel = binary_kernel(BinaryOp::minimum),
         .type_rule = binary_rule(BinaryOp::minimum)});
  r.add({.name = "arctan2",
         .aliases = {"atan2"},
         .signature = two,
         .doc = std::string("arctan2(x1, x2)\n\nThe angle of the point (x2, x1) in radians, in "
                            "[-pi, pi], element-wise with broadcasting, as numpy.arctan2. "
                            "Integers and bools give float64 (NumPy: float16 for bools).") +
                kWeakNote,
         .kernel = binary_kernel(BinaryOp::arctan2),
         .type_rule = binary_rule(BinaryOp::arctan2)});
  r.add({.name = "where",
         .signature = {{arg("condition"), arg("x", Value()), arg("y", Value())}},
         .doc = "where(condition, x, y)\n\nx where condition is true (nonzero), else y; the three "
                "broadcast together, as numpy.where(condition, x, y). The result dtype promotes x "
                "and y (Python scalars are weak, as in NumPy 2). where(condition) (x and y nil) "
                "is nonzero(condition), Phylanx's: the indices where it holds, a list of int64 "
                "arrays, one per axis (a 0-d condition counts as one element).",
         .kernel = where_kernel,
         .type_rule = where_type});
  r.add({.name = "clip",
         .signature = {{arg("a"), arg("a_min", Value()), arg("a_max", Value())}},
         .doc = "clip(a, a_min=nil, a_max=nil)\n\nThe values of `a` limited to [a_min, a_max], as "
                "numpy.clip: minimum(maximum(a, a_min), a_max), with broadcasting; nil leaves that "
                "side open (both nil is a ValueError). The result dtype promotes the three "
                "(Python scalars are weak). NaN in `a` stays NaN.",
         .kernel = clip_kernel,
         .type_rule = clip_type});
}

}  // namespace larix
