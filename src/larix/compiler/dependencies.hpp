// Dependency analysis of blocks: statement j of a block waits for statement i < j when j reads
// what i writes, writes what i reads or writes, when both have ordered effects (output, files,
// random state), or when either calls a function the compiler cannot see (a barrier). Calls of
// functions it can see take the variables those functions touch into account.
#pragma once

#include <vector>

#include "larix/compiler/access.hpp"
#include "larix/compiler/ir.hpp"

namespace larix::compiler {

void analyze_dependencies(ProgramIr& program);

// For the statements of one block, what each reads, writes and does: deps[j], the statements
// before j that j waits for, in order, none implied by another (the transitive reduction).
std::vector<std::vector<int>> block_dependencies(const std::vector<Access>& access);

}  // namespace larix::compiler
