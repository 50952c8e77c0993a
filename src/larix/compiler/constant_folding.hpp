// Constant folding: a call of a pure regular primitive whose operands are all constants is
// evaluated at compile time (when the result is small) and replaced by its value. A call that
// would fail is left alone: the error belongs to run time, when (and if) the call runs.
#pragma once

#include "larix/compiler/ir.hpp"

namespace larix::compiler {

void fold_constants(ProgramIr& program);

}  // namespace larix::compiler
