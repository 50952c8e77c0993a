// Element-wise math functions of one operand. Each row of kUnaryMath is one primitive; the
// function itself is one line of LARIX_FLOAT_UNARY_OPS in kernels/elementwise.hpp.
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/primitives/registry.hpp"

namespace larix {
namespace {

using kernels::UnaryOp;

struct UnaryMath {
  UnaryOp op;
  const char* what;  // the docstring's description
};

constexpr UnaryMath kUnaryMath[] = {
    {UnaryOp::exp, "The exponential e**x"},
};

Kernel unary_kernel(UnaryOp op) {
  return [op](KernelArgs& args) {
    const Value& x = args[0];
    LARIX_CHECK(x.is_number() || x.is_array() || x.is_list(), type, kernels::unary_op_name(op),
                "() argument must be a number or an array, not ", x.type_name());
    return Value(kernels::unary(op, x.to_array()));
  };
}

// A Python scalar gives a 0-d array (NumPy gives a NumPy scalar: np.exp(1) is np.float64).
TypeRule unary_rule(UnaryOp op) {
  return [op](const std::vector<TypeInfo>& t) -> TypeInfo {
    const TypeInfo& x = t[0];
    switch (x.kind) {
      case ValueKind::array:
        return {.kind = ValueKind::array,
                .dtype = kernels::unary_result_dtype(op, x.dtype),
                .shape = x.shape};
      case ValueKind::boolean:
        return {.kind = ValueKind::array, .dtype = kernels::unary_result_dtype(op, DType::bool_)};
      case ValueKind::integer:
        return {.kind = ValueKind::array, .dtype = kernels::unary_result_dtype(op, DType::int64)};
      case ValueKind::floating:
        return {.kind = ValueKind::array, .dtype = kernels::unary_result_dtype(op, DType::float64)};
      default: return {.kind = ValueKind::unbound};
    }
  };
}

}  // namespace

void register_exp(Registry& r) {
  for (const UnaryMath& m : kUnaryMath) {
    const std::string name = kernels::unary_op_name(m.op);
    r.add({.name = name,
           .signature = {{arg("x")}},
           .doc = name + "(x)\n\n" + m.what + ", element-wise, as numpy." + name +
                  ". Integers and bools give float64 (NumPy: float16 for bools), float32 stays "
                  "float32; a Python scalar or 0-d array gives a 0-d array (NumPy's scalar).",
           .kernel = unary_kernel(m.op),
           .type_rule = unary_rule(m.op)});
  }
}

}  // namespace larix
