// Element-wise fusion: a chain of two or more element-wise operations (+ - * / // % **,
// comparisons, maximum, minimum, where, unary math: primitives/fused.hpp), or sum() of a chain of
// one or more, becomes
//
//   __fused(lambda(v..., chain[leaves := v...]), leaves...)
//
// where the leaves are the chain's operands that are not operations of it (variables, calls, any
// other expression) and number literals stay in the body. __fused (primitives/fused.cpp) runs the
// chain as one pass without temporaries when its values are float64 (or int64/bool arrays and
// Python scalars promoted to float64), and each operation as written otherwise. The body keeps the
// operations' locations, so errors and the profile point at the user's code. A chain is not fused
// when more than one of its leaves has effects (their order would be the fused node's, not the
// program's).
#pragma once

#include "larix/compiler/ir.hpp"

namespace larix::compiler {

void fuse_elementwise(ProgramIr& program);

}  // namespace larix::compiler
