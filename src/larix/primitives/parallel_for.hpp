// Parallel loops: a `for` loop whose iterations are independent, proved so by the compiler
// (compiler/parallel_loops) or promised by the user (PhySL's parallel_for, Python's larix.prange).
// Its iterations run in chunks, each chunk a task in a copy of the loop's frame (the variables an
// iteration assigns are the chunk's own; the last iteration's values are kept after the loop),
// and they write the arrays the loop owns in place, each at its own index.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "larix/runtime/basic_nodes.hpp"

namespace larix {

struct ParallelLoopSpec {
  int index = 0;           // the loop variable's slot in the loop's frame (depth 0)
  std::int64_t step = 1;   // a constant, never 0
  std::vector<int> owned;  // arrays (slots at depth 0) the body writes at the iteration's index
  // Those of `owned` an enclosing parallel loop owns too: in its chunk's frame copy they are
  // the enclosing loop's already (and shared with its other chunks), so they are not unshared.
  std::vector<int> owned_outside;
  std::vector<int> privates;  // slots (depth 0) the body assigns: kept from the last iteration
  // Slots the body only accumulates into: s = s + e (promised loops), s = maximum(s, e),
  // s = minimum(s, e). Each chunk reduces into a partial of its own, starting from 0 (a sum) or
  // from s's value before the loop (maximum, minimum), and the partials are combined into s in
  // chunk order. With a sum, the chunks depend on the number of iterations only, so the sum is
  // the same at any thread count (and on the reference executor).
  struct Reduction {
    int slot = 0;
    std::string op;  // "__add", "maximum" or "minimum": the primitive that combines
    // A sum of integer terms in a loop the compiler proved (not promised): parallel only when s
    // holds an int when the loop starts (an int sum has the same value in any order).
    bool needs_int = false;
  };
  std::vector<Reduction> reductions;
};

// args are those of for(init, cond, reinit, body): init assigns the start (its operand), cond is
// `index < stop` (or `>` for a negative step) with the stop as its second operand. When the
// bounds are not integers, a loop of at most one iteration, a negative index, one thread or the
// reference executor, or an owned variable that holds no array (a list: its element writes make
// new lists): the loop runs as the sequential `for` would.
NodePtr make_parallel_for(ParallelLoopSpec spec, std::vector<NodePtr> args, SourceLoc loc);

// The writer of store(slice(x, ...), v) (`writer` is __store_slice) or store(__subscript(x, ...),
// v) (__store_subscript) for an array a parallel loop owns: the loop made x's buffer its own
// before it started, and its iterations write disjoint parts of it, so the write goes in place
// although every chunk's frame holds x. Anything else is written as by `writer`.
const PrimitiveInfo& owned_store_writer(const PrimitiveInfo& writer);
// Wraps a read of an owned array at the iteration's own index: a copy, so that a later write of
// the iteration, in place, cannot change what the read gave (as copy-on-write would not).
const PrimitiveInfo& own_part_reader();

}  // namespace larix
