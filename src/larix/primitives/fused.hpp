// The element-wise primitives a fused program (kernels/fused.hpp) can hold, for the compiler's
// element-wise fusion (compiler/fuse_elementwise.cpp) and for __fused (primitives/fused.cpp).
#pragma once

#include "larix/kernels/fused.hpp"
#include "larix/runtime/primitive.hpp"

namespace larix {

struct FusableOp {
  kernels::fused::Step::Kind kind = kernels::fused::Step::Kind::binary;
  kernels::BinaryOp binary = kernels::BinaryOp::add;
  kernels::UnaryOp unary = kernels::UnaryOp::negative;
  int arity = 2;  // the operands a fused call has (__add(a, b, c) is not fused: three)
};

// What `info` computes when it is an element-wise operation a fused program can hold: + - * / //
// % **, comparisons, maximum, minimum, arctan2, where, unary minus and the unary math functions
// (exp, log, sqrt, abs, tanh, sigmoid, ...). Null for any other primitive.
const FusableOp* fusable_op(const PrimitiveInfo& info);

// The primitive of the reductions a fused program can end in (sum over all elements).
bool is_fusable_reduction(const PrimitiveInfo& info);

}  // namespace larix
