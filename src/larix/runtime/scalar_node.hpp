// ScalarNode: evaluates a subtree of scalar code (compiler/scalar_code.hpp: literals, variables,
// arithmetic, comparisons and logic, subscripts and element stores, if, while, sequential for,
// blocks, define/store of variables, calls of known functions whose bodies are scalar code)
// directly, on the calling thread: no Future, no Node per operation, no generic primitive call.
// Python ints, floats and bools take inline fast paths, and so do NumPy's float64 and int64
// scalars: an element of a float64 or int64 array read where a number is wanted (a[i] * b[i], if
// a[i] > 0) is held unboxed as a strong number (Value::strong), computed on with NumPy 2's
// promotion (float32 * it is float64), and boxed into the 0-d array it stands for wherever it
// leaves scalar code (a kernel's operand, the ScalarNode's value, a variable of a frame, written
// once the ScalarNode ends). An element store writes a float64 or int64 array in place where no
// one else can see it. Any other operand (an array, a string, a bool in arithmetic) or an unusual
// case (division by zero, an int to a negative power, an index out of range ...) goes through the
// primitive's own kernel with the same operands, so values and errors (class, message, location,
// PhySL stack) are the generic path's. The node also holds that subtree lowered the generic way:
// it runs it instead when the profiler is on (the profile is that of the generic nodes) and once
// an operand was an array (array work keeps the scheduler: spawning, parallel statements).
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "larix/runtime/basic_nodes.hpp"

namespace larix {

enum class ScalarOp : std::uint8_t {
  constant,
  variable,
  assign,
  block,
  if_,
  while_,
  for_,
  call,
  fused,  // a fused chain: args[0] its body (over its own slots), args[1..] the leaves
  // Regular primitives: `prim` is set (its kernel computes what the fast path does not).
  add,
  subtract,
  multiply,
  divide,
  floor_divide,
  mod,
  power,
  negative,
  equal,
  not_equal,
  less,
  less_equal,
  greater,
  greater_equal,
  logical_and,
  logical_or,
  logical_xor,
  logical_not,
  subscript,      // numpy's x[i, j, ...] (__subscript)
  store_element,  // x[i, ...] = v (store_indexed): args[0] the value, then the indices
};

class ScalarMachine;
struct ScalarScope;

// One operation of scalar code (one IR node: one node of the generic subtree).
struct ScalarExpr {
  // How it runs, picked by ScalarCode::add from the operation and the kinds of its operands: its
  // value, and (a condition of if/while/for) its truth, whose error is reported `at` the node
  // testing it.
  using Eval = Value (*)(const ScalarExpr&, ScalarMachine&, const ScalarScope&);
  using Test = bool (*)(const ScalarExpr&, ScalarMachine&, const ScalarScope&, const SourceLoc& at);
  Eval eval = nullptr;
  Test test = nullptr;

  ScalarOp op = ScalarOp::constant;
  bool is_define = false;  // assign: define (its value is the value written) or store (nil)
  // Evaluating it may write a variable (an assignment, a call): an operand evaluated before it is
  // then copied out of its slot rather than read in place.
  bool writes = false;
  // subscript: its value is wanted as a number (an operand of arithmetic, a comparison, a
  // condition, an index): an element of a float64 or int64 array is read as a strong number.
  // Elsewhere (r = a[i]) it is one inside a loop of scalar code, and the 0-d view the kernel
  // would make outside one.
  bool unboxed = false;
  SlotRef slot;                         // variable, assign, store_element; call: the callee's
  Value value;                          // constant
  const PrimitiveInfo* prim = nullptr;  // primitives
  std::vector<const ScalarExpr*> args;  // operands; call: the arguments
  std::string name;                     // variable, assign: the variable; call: the callee
  SourceLoc loc;                        // where the operation is (its errors)
  SourceLoc callee_loc;                 // call: where the callee's name is
  int slots = 0;                        // call: the callee's frame size; fused: the chain's
};

// The operations of one scalar subtree (a ScalarNode's, or a function body's).
class ScalarCode {
 public:
  // Adds an operation (its operands added before it); its address stays valid as long as the
  // code lives.
  const ScalarExpr& add(ScalarExpr e);
  void set_root(const ScalarExpr& root) { root_ = &root; }
  const ScalarExpr& root() const { return *root_; }
  // Evaluates the code in `frame` (the frame of the ScalarNode holding it).
  Value run(Frame& frame) const;
  // Evaluates it `n` times in `frame`, its slot `index` set to start + k * step before the k-th
  // time (a counted loop's body: ParallelForNode, one iteration after another). Returns how many
  // ran: fewer once an operand made it prefer its generic subtree.
  std::int64_t run_counted(Frame& frame, int index, std::int64_t start, std::int64_t step,
                           std::int64_t n) const;
  // Set once an operand was an array (or another value that is not a Python scalar): the
  // ScalarNode runs its generic subtree from then on. Relaxed: a hint, racy by design.
  bool prefers_generic() const { return prefer_generic_.load(std::memory_order_relaxed); }
  void prefer_generic() const { prefer_generic_.store(true, std::memory_order_relaxed); }

 private:
  std::deque<ScalarExpr> exprs_;
  const ScalarExpr* root_ = nullptr;
  std::vector<int> assigned_;  // the slots of its own frame it writes (boxed when it ends)
  mutable std::atomic<bool> prefer_generic_{false};
};

class ScalarNode : public Node {
 public:
  ScalarNode(std::shared_ptr<const ScalarCode> code, NodePtr generic, SourceLoc loc)
      : Node("scalar", std::move(loc)), code_(std::move(code)), generic_(std::move(generic)) {}
  std::vector<const Node*> children() const override { return {generic_.get()}; }
  std::string detail() const override { return generic_->name(); }  // scalar while, scalar if ...
  const std::shared_ptr<const ScalarCode>& code() const { return code_; }
  // ScalarCode::run_counted, where this node runs its scalar code (0, nothing run, where it runs
  // its generic subtree: the profiler is on, or it prefers it). A node evaluated this way is not
  // timed or scheduled: it is what runs inside a loop's iterations, never a task of its own.
  std::int64_t run_counted(Frame& frame, int index, std::int64_t start, std::int64_t step,
                           std::int64_t n) const;

 protected:
  Future eval_impl(Frame& frame) const override;

 private:
  std::shared_ptr<const ScalarCode> code_;
  NodePtr generic_;  // the same subtree as generic nodes
};

}  // namespace larix
