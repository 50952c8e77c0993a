// Type inference: fills Ir::type (and FunctionIr::result) with what each value is before running:
// constants give their own type (and value); a variable has the join of everything written into
// it anywhere (define, store, store(slice(x, ...)) keeps x's array type); a function's parameters
// have the join of the arguments of its calls when every use of it is a visible call (the entry
// function of a program compiled for a signature counts that call too), else unknown; a regular
// primitive's type is its registry type_rule applied to its operands' types; if's is the join of
// its branches, a block's its last statement's, a call of a known function its body's. Runs to a
// fixed point (loops, recursion); whatever it cannot tell is unknown, and nothing may depend on a
// type for correctness.
//
// A rule sees complete types (kind, dtype, every length, values of literals). An operand array
// whose rank and dtype are known but some lengths are not is tried with those lengths set to 1,
// 29 and 31 in turn: the dtype and rank the successful tries agree on are the result's, a length
// is known when all three tries succeed and agree on it.
//
// A rule that fails on complete types proves the expression fails. When that expression would
// certainly run first (at the top level, or in the body of the program's function when it is
// compiled for the call about to run, every expression before it in evaluation order known to
// succeed without effects, not in a branch, loop or other function), the error is thrown at
// compile time: the class and message the kernel would give, at the expression's location.
#pragma once

#include <string>

#include "larix/compiler/ir.hpp"

namespace larix::compiler {

void infer_types(ProgramIr& program);

// The types for the dump after infer_types: one comment line per assignment, per function's
// result and per top-level statement.
std::string type_report(const ProgramIr& program);

}  // namespace larix::compiler
