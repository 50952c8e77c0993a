// Row-block fusion: logistic regression's inner loop in one pass over X. In a block,
//
//   define(p, E1)                      E1 element-wise in one product dot(X, w)
//   ... (statements that touch none of X, w, E1's variables, and have no effects)
//   define(g, dot(transpose(X), E2))   E2 element-wise in p; p read nowhere else
//                                      (or dot(E2, X), the same for the vector E2 is)
//
// becomes define(g, __row_blocks(X, w, lambda(__X, __w, v..., E2[p := E1[X := __X, w := __w]]),
// left, v...)), with v the other variables E1 and E2 read and left true for dot(E2, X).
// __row_blocks (primitives/row_blocks.cpp) walks X in blocks of rows: for each, the lambda gives
// that block's part of E2, and X_b.T times it is added to the chunk's partial result while X_b is
// still in cache; partials are added in a fixed order. Values that do not fit (not a float64
// matrix, variables of other shapes) run the original computation, with the original nodes and
// locations.
#pragma once

#include "larix/compiler/ir.hpp"

namespace larix::compiler {

void fuse_row_blocks(ProgramIr& program);

}  // namespace larix::compiler
