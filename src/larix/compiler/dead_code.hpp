// Dead-code elimination: drops only what is proven pure and total (cannot raise): statements of a
// block whose value is unused that are constants, lambdas or reads of surely bound variables;
// defines of variables nobody reads whose value is such (or was copied into every use by
// rewrite_algebra); and the branch of an if whose condition is a constant. Optimised and
// unoptimised programs raise the same errors.
#pragma once

#include "larix/compiler/ir.hpp"

namespace larix::compiler {

void eliminate_dead_code(ProgramIr& program);

}  // namespace larix::compiler
