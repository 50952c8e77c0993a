// What evaluating a piece of IR may read and write (frame slots, relative to the frame it runs
// in), and whether it has ordered effects or calls functions the compiler cannot see. Shared by
// the dependency analysis of blocks and the parallel-loop analysis. Calls of functions bound once
// by define(f, ...) are "known": their summary (what they touch outside their own frame) counts.
#pragma once

#include <map>
#include <set>
#include <utility>
#include <vector>

#include "larix/compiler/ir.hpp"

namespace larix::compiler {

using Slot = std::pair<int, int>;  // (depth relative to the frame the IR runs in, index)

struct Access {
  std::set<Slot> reads, writes;
  bool effect = false;
  bool barrier = false;
};

// Frames are told apart by their owner: the FunctionIr whose activation they are (nullptr for
// the program's top level). `owners` is the chain from the top level to the current function.
using Owners = std::vector<const void*>;

// Primitives that call the functions they are given (fmap, parallel_map, fold_left, ...).
bool calls_function_operands(const PrimitiveInfo& prim);

class AccessAnalyzer {
 public:
  explicit AccessAnalyzer(const ProgramIr& program);

  // Adds what evaluating `ir`, `offset` lambda levels inside the frame of interest, may touch.
  void collect(const Ir& ir, int offset, Owners& owners, Access& acc);
  // The same for `ir` alone, without its operands: the slot it reads or writes itself, its own
  // effects, and what the functions it calls (a call's callee, fmap's f ...) may touch.
  void collect_node(const Ir& ir, int offset, Owners& owners, Access& acc);
  // The function a variable always holds (bound once by define), or null.
  FunctionIr* known(const Ir& variable, const Owners& owners) const;

 private:
  void find_known(const Ir& ir, Owners& owners);
  void record_chains(const Ir& ir, Owners& owners);
  void add_summary(FunctionIr& f, int depth, Access& acc);
  void summarize(FunctionIr& f);

  std::map<std::pair<const void*, int>, std::vector<FunctionIr*>> defined_;
  std::map<const FunctionIr*, Owners> chains_;
};

}  // namespace larix::compiler
