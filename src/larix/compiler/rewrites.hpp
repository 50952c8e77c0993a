// Algebraic rewrites: products with a dense diagonal, a diagonal plus identity, or an inverse
// become products that never build the n x n matrix; A.T @ A and A @ A.T a symmetric product
// (dsyrk); the transpose of what infer_types proved a vector goes (rules and their names:
// rewrites.cpp and docs/design.md). A read of a variable defined once as diag(...), identity(...)
// or eye(...) is replaced by that call where a rule needs it, if its operands still have the same
// values there. The rewritten calls (primitives/rewritten_dot.cpp) check the operands' ranks and
// lengths when they run and compute the original expression when they do not fit: values and errors
// stay those of the program as written.
#pragma once

#include "larix/compiler/ir.hpp"

namespace larix::compiler {

void rewrite_algebra(ProgramIr& program);

}  // namespace larix::compiler
