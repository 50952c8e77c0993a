// Dependency analysis of blocks: statement j of a block waits for statement i < j when j reads
// what i writes, writes what i reads or writes, when both have ordered effects (output, files,
// random state), or when either calls a function the compiler cannot see (a barrier). Calls of
// functions it can see take the variables those functions touch into account.
#pragma once

#include "larix/compiler/ir.hpp"

namespace larix::compiler {

void analyze_dependencies(ProgramIr& program);

}  // namespace larix::compiler
