// Common-subexpression elimination: within one statement, a pure primitive call that occurs more
// than once where the statement evaluates eagerly (not in lazily evaluated operands such as if
// branches or lambda bodies) is computed once into a new local and read from there.
#pragma once

#include "larix/compiler/ir.hpp"

namespace larix::compiler {

void eliminate_common_subexpressions(ProgramIr& program);

}  // namespace larix::compiler
