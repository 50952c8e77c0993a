// dot(a, b): numpy.dot (not matmul: its batch semantics differ).
#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/linalg.hpp"
#include "larix/primitives/registry.hpp"

namespace larix {
namespace {

Value dot_kernel(KernelArgs& args) {
  for (std::size_t i = 0; i < 2; ++i)
    LARIX_CHECK(args[i].is_number() || args[i].is_array() || args[i].is_list(), type,
                "dot() argument ", i + 1, " must be an array, a number or a list of numbers, not ",
                args[i].type_name());
  return Value(
      kernels::dot(args[0].to_array("dot() argument 1"), args[1].to_array("dot() argument 2")));
}

// np.dot converts Python scalars to arrays first: they are strong here (float32 · 2.0 is float64).
TypeInfo dot_type(const std::vector<TypeInfo>& t) {
  DType dtype[2];
  Shape shape[2];
  for (int i = 0; i < 2; ++i) {
    switch (t[i].kind) {
      case ValueKind::array: dtype[i] = t[i].dtype, shape[i] = t[i].shape; break;
      case ValueKind::boolean: dtype[i] = DType::bool_; break;
      case ValueKind::integer: dtype[i] = DType::int64; break;
      case ValueKind::floating: dtype[i] = DType::float64; break;
      default: return {.kind = ValueKind::unbound};
    }
  }
  return {.kind = ValueKind::array,
          .dtype = kernels::result_type(dtype[0], dtype[1]),
          .shape = kernels::dot_shape(shape[0], shape[1])};
}

}  // namespace

void register_dot(Registry& r) {
  r.add({.name = "dot",
         .aliases = {"dot_d"},
         .signature = {{arg("a"), arg("b")}},
         .doc = "dot(a, b)\n\nThe dot product, as numpy.dot: 0-d operands multiply; two vectors "
                "give their inner product (a 0-d array); otherwise the sum over the last axis of "
                "`a` and the second-to-last of `b` (the only axis of a vector b): a matrix "
                "product for matrices. float32/float64 use BLAS; bool and int64 are computed "
                "exactly (int64 wraps). Mismatched lengths are a ValueError \"shapes (2,3) and "
                "(4,) not aligned: 3 (dim 1) != 4 (dim 0)\".",
         .kernel = dot_kernel,
         .type_rule = dot_type});
}

}  // namespace larix
