// The compiler's intermediate form: PhySL with every name resolved (to a frame slot, a primitive,
// or a function), keywords bound, and source locations kept. Passes rewrite it; lowering turns it
// into the execution tree. It prints back as PhySL (ir_to_physl) so each pass can be looked at.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "larix/primitives/parallel_for.hpp"
#include "larix/runtime/basic_nodes.hpp"
#include "larix/runtime/primitive.hpp"

namespace larix::compiler {

struct Ir;
using IrPtr = std::shared_ptr<Ir>;
struct FunctionIr;

enum class IrKind {
  constant,       // value
  variable,       // read slot
  define,         // slot = args[0]
  store,          // slot = args[0]
  store_indexed,  // slot = writer(slot, args[0] (value), args[1..] (indices))
  block,          // args = statements (deps filled by analyze_dependencies)
  lambda,         // function (args = default expressions, null where none)
  primitive,      // regular primitive call: args bound to the signature
  control,        // control primitive: args bound to the signature, unevaluated
  call,           // args[0] = callee expression; args[1..] positional then keywords
};

struct Ir {
  IrKind kind = IrKind::constant;
  SourceLoc loc;
  Value value;                          // constant
  std::string name;                     // variable/define/store: the variable; call: callee text
  SlotRef slot;                         // variable/define/store/store_indexed
  const PrimitiveInfo* prim = nullptr;  // primitive/control, and store_indexed's writer
  std::vector<IrPtr> args;
  std::vector<std::string> keywords;     // call: names of the trailing keyword args
  std::shared_ptr<FunctionIr> function;  // lambda
  std::vector<std::vector<int>> deps;    // block
  bool parallel = false;                 // block: parallel_block (no dependencies at all)
  // primitive/call: per operand (a call's: per argument after the callee), whether it has ordered
  // effects that must run in program order; empty when fewer than two operands have effects.
  std::vector<bool> ordered;
  // control for/parallel_for: set when its iterations run in parallel (find_parallel_loops).
  std::shared_ptr<const ParallelLoopSpec> parallel_loop;
  // This node and everything below it is scalar code (mark_scalar_code): lowered to a ScalarNode.
  bool scalar = false;
  // define's value: rewrite_algebra copied it into the products that read the variable, so those
  // copies raise its errors and dead_code may drop the define once nothing reads it.
  bool copied = false;
};

struct FunctionIr {
  std::string name;
  std::vector<std::string> params;
  int slots = 0;
  IrPtr body;
  SourceLoc loc;
  // What calling it may touch outside its own frame, relative to its own frame (depth >= 1), and
  // whether it has effects or calls unknown functions. Filled by analyze_dependencies.
  std::vector<SlotRef> outer_reads, outer_writes;
  bool effects = false;
  bool barrier = false;  // calls functions the compiler cannot see
  bool analyzed = false;
  bool analyzing = false;
};

// What find_parallel_loops concluded about one loop: parallel, or why not (and where).
struct LoopReport {
  SourceLoc loc;  // the loop
  bool parallel = false;
  std::string why;          // sequential: the reason
  SourceLoc where;          // sequential: what stands in the way, when it has a place
  std::string str() const;  // "line:col: parallel" / "line:col: sequential: why (at line:col)"
};

struct ProgramIr {
  IrPtr body;                     // a block of the top-level expressions
  int slots = 0;                  // slots of the top-level frame
  std::string source;             // source name (for messages)
  std::vector<LoopReport> loops;  // filled by find_parallel_loops, in source order
};

IrPtr make_ir(IrKind kind, SourceLoc loc);
// PhySL text of the IR (names as written; constants as literals).
std::string ir_to_physl(const Ir& ir);
std::string ir_to_physl(const ProgramIr& program);

// Calls f on each direct operand (the same in every pass).
template <class F>
void for_each_operand(Ir& ir, F&& f) {
  for (auto& a : ir.args)
    if (a) f(a);
  if (ir.function && ir.function->body) f(ir.function->body);
}

}  // namespace larix::compiler
