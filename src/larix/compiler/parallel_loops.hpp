// Parallel loops: finds the `for` loops whose iterations are independent and makes them
// parallel_for loops (their iterations then run in chunks, as tasks: primitives/parallel_for.hpp),
// and checks the loops the program promises to be independent (PhySL's parallel_for, Python's
// larix.prange). A loop is independent when it counts an integer from start to stop by a constant
// step, every variable its body reads is either never assigned in the body or assigned earlier in
// the same iteration, every array it writes by element is written at the loop variable's index
// along one axis (and read only there), and it has no ordered effects (print, random, files) and
// calls no function the compiler cannot see. Every loop gets a report: parallel, or why not.
// In the same way fmap(f, l) becomes parallel_map(f, l) when f has no effects, assigns nothing
// outside its own frame and calls only functions the compiler can see.
#pragma once

#include "larix/compiler/ir.hpp"

namespace larix::compiler {

// Rewrites the loops it proves independent (when `automatic`) and checks the promised ones (a
// promise broken in a way it can see is a compile error at the user's line). The reports go to
// program.loops.
void find_parallel_loops(ProgramIr& program, bool automatic = true);

}  // namespace larix::compiler
