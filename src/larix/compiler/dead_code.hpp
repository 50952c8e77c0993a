// Dead-code elimination: drops statements of a block whose value is unused and that have no effect
// (constants, variable reads, pure calls), defines of variables nobody reads whose value is pure,
// and the branch of an if whose condition is a constant.
#pragma once

#include "larix/compiler/ir.hpp"

namespace larix::compiler {

void eliminate_dead_code(ProgramIr& program);

}  // namespace larix::compiler
