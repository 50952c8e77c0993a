// The nodes the compiler builds for PhySL's own forms (not primitives of the registry):
// constants, variable reads, define/store, blocks with their dependency lists, lambdas and calls.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "larix/runtime/function.hpp"
#include "larix/runtime/node.hpp"
#include "larix/runtime/primitive.hpp"

namespace larix {

// A constant that holds an object (a string, list, dict or array: `list(nil, nil)` of `m[:, i]`)
// gives each thread a replica of its own (Value::replica, made at the thread's first read): every
// read copies the Value, and threads copying one shared object would take turns over its
// reference count's cache line (`m[:, i]` in a parallel loop: 200 ns an iteration at 2 threads,
// 131 with the index as nil).
class ConstantNode : public Node {
 public:
  ConstantNode(Value value, SourceLoc loc);
  ~ConstantNode() override;
  bool trivial() const override { return true; }
  std::string detail() const override;
  const Value& value() const { return value_; }

 protected:
  Future eval_impl(Frame&) const override { return replicas_ ? replica() : value_; }

 private:
  static constexpr std::size_t kReplicas = 64;  // threads beyond it share (correct, slower)
  const Value& replica() const;

  Value value_;
  std::unique_ptr<std::atomic<const Value*>[]> replicas_;  // null: a scalar, nil or function
};

// Where a resolved variable lives: `depth` frames out, slot `index`.
struct SlotRef {
  int depth = 0;
  int index = 0;
};

class VariableNode : public Node {
 public:
  VariableNode(std::string var, SlotRef slot, SourceLoc loc)
      : Node("access-variable", std::move(loc)), var_(std::move(var)), slot_(slot) {}
  bool trivial() const override { return true; }
  std::string detail() const override { return var_; }
  // What reading a slot that holds `stored` gives: a SelfClosure becomes a full Closure again.
  static Value readable(const Value& stored);
  // The slot's value as stored (a function kept in its own frame stays a SelfClosure).
  const Value& read(Frame& frame) const;
  SlotRef slot() const { return slot_; }

 protected:
  Future eval_impl(Frame& frame) const override;

 private:
  std::string var_;
  SlotRef slot_;
};

// define(x, value) and store(x, value): evaluate, then write the slot. define's value is the value
// written; store's is nil.
class AssignNode : public Node {
 public:
  AssignNode(bool is_define, std::string var, SlotRef slot, NodePtr value, SourceLoc loc)
      : Node(is_define ? "define" : "store", std::move(loc)),
        is_define_(is_define),
        var_(std::move(var)),
        slot_(slot),
        value_(std::move(value)) {}
  std::vector<const Node*> children() const override { return {value_.get()}; }
  std::string detail() const override { return var_; }
  // What writing `v` into a slot of `target` stores: a closure of `target` itself is kept as a
  // SelfClosure (no frame -> slot -> closure -> frame cycle).
  static Value storable(const Value& v, const Frame* target);

 protected:
  Future eval_impl(Frame& frame) const override;

 private:
  bool is_define_;
  std::string var_;
  SlotRef slot_;
  NodePtr value_;
};

// store(slice(x, i...), v): the variable's value is handed to the primitive by move, so a uniquely
// owned buffer is updated in place (copy-on-write), and the new version is written back.
class StoreIndexedNode : public Node {
 public:
  StoreIndexedNode(const PrimitiveInfo& writer, std::string var, SlotRef slot, NodePtr value,
                   std::vector<NodePtr> indices, SourceLoc loc)
      : Node("store", std::move(loc)),
        writer_(writer),
        var_(std::move(var)),
        slot_(slot),
        value_(std::move(value)),
        indices_(std::move(indices)) {}
  std::vector<const Node*> children() const override;
  std::string detail() const override { return var_; }

 protected:
  Future eval_impl(Frame& frame) const override;

 private:
  const PrimitiveInfo& writer_;
  std::string var_;
  SlotRef slot_;
  NodePtr value_;
  std::vector<NodePtr> indices_;
};

// block(s0, s1, ...): statement i starts when the statements in deps[i] are done (data and effect
// order, computed by the compiler), so independent statements run at the same time. The value is
// the last statement's, once all are done.
class BlockNode : public Node {
 public:
  BlockNode(std::string name, std::vector<NodePtr> statements, std::vector<std::vector<int>> deps,
            SourceLoc loc)
      : Node(std::move(name), std::move(loc)),
        statements_(std::move(statements)),
        deps_(std::move(deps)) {}
  std::vector<const Node*> children() const override;
  const std::vector<std::vector<int>>& deps() const { return deps_; }

 protected:
  Future eval_impl(Frame& frame) const override;

 private:
  std::vector<NodePtr> statements_;
  std::vector<std::vector<int>> deps_;
};

class ScalarCode;

// The compiled body of a PhySL function.
struct FunctionCode {
  std::string name;  // "fib", or "lambda" for anonymous functions
  std::vector<std::string> params;
  int slots = 0;  // params occupy slots 0..params.size()-1
  NodePtr body;
  SourceLoc loc;
  // When the body is scalar code (compiler/scalar_code.hpp): its program, which scalar code calls
  // directly (runtime/scalar_node.hpp). Null otherwise.
  std::shared_ptr<const ScalarCode> scalar;
};

// A function value: code plus the frame it was created in (and defaults evaluated at creation).
class Closure : public Function, public std::enable_shared_from_this<Closure> {
 public:
  Closure(std::shared_ptr<const FunctionCode> code, FramePtr captured, Signature signature)
      : code_(std::move(code)), captured_(std::move(captured)), signature_(std::move(signature)) {}
  Future call(CallArgs args, CallContext& ctx, const SourceLoc& call_site) const override;
  std::string name() const override { return code_->name; }
  int required_args() const override;
  std::string parameters_text() const override { return signature_.text(); }
  const Frame* captured_frame() const { return captured_.get(); }
  ClosureParts closure_parts() const override { return {code_.get(), captured_.get()}; }
  // How the closure is kept in a slot of the very frame it captured (see SelfClosure).
  Value as_self_reference() const;
  std::shared_ptr<const Function> with_frame(const Frame& from,
                                             const std::shared_ptr<Frame>& to) const override;

 private:
  std::shared_ptr<const FunctionCode> code_;
  FramePtr captured_;
  Signature signature_;
};

// A closure stored in a slot of the frame it captured (every define(f, ...) does that) would keep
// that frame alive forever: frame -> slot -> closure -> frame. There, the closure is kept with a
// weak reference to the frame instead, and reading the slot gives a full Closure again (the frame
// is alive while anyone reads its slots). A closure that escapes holds its frame as usual.
class SelfClosure : public Function {
 public:
  SelfClosure(std::shared_ptr<const FunctionCode> code, const FramePtr& frame, Signature sig)
      : code_(std::move(code)),
        frame_(frame),
        raw_frame_(frame.get()),
        signature_(std::move(sig)) {}
  Future call(CallArgs args, CallContext& ctx, const SourceLoc& call_site) const override;
  std::string name() const override { return code_->name; }
  int required_args() const override;
  std::string parameters_text() const override { return signature_.text(); }
  Value strong() const;  // the Closure, holding its frame again
  // The frame without taking a reference (it is alive while its slots are read); null if gone.
  ClosureParts closure_parts() const override {
    return {code_.get(), frame_.expired() ? nullptr : raw_frame_};
  }
  std::shared_ptr<const Function> with_frame(const Frame& from,
                                             const std::shared_ptr<Frame>& to) const override;

 private:
  std::shared_ptr<const FunctionCode> code_;
  std::weak_ptr<Frame> frame_;
  Frame* raw_frame_;  // frame_'s frame, for closure_parts
  Signature signature_;
};

// lambda(params..., body) / define(f, params..., body): makes a Closure of the current frame.
// defaults[i] is the default of params[i] (null: required), evaluated when the closure is made.
class LambdaNode : public Node {
 public:
  LambdaNode(std::shared_ptr<const FunctionCode> code, std::vector<NodePtr> defaults, SourceLoc loc)
      : Node("lambda", std::move(loc)), code_(std::move(code)), defaults_(std::move(defaults)) {}
  std::vector<const Node*> children() const override;
  std::string detail() const override { return code_->name; }
  const FunctionCode& code() const { return *code_; }

 protected:
  Future eval_impl(Frame& frame) const override;

 private:
  std::shared_ptr<const FunctionCode> code_;
  std::vector<NodePtr> defaults_;
};

// callee(args..., __arg(name, v)...) where the callee is a value (a variable, or any expression).
// A variable that holds a non-function, or a function needing arguments, called with no arguments
// gives its value (Phylanx's rule).
class CallNode : public Node {
 public:
  CallNode(std::string callee_name, NodePtr callee, std::vector<NodePtr> args,
           std::vector<std::string> keywords, SourceLoc loc)
      : Node("call-function", std::move(loc)),
        callee_name_(std::move(callee_name)),
        callee_(std::move(callee)),
        callee_variable_(dynamic_cast<const VariableNode*>(callee_.get())),
        args_(std::move(args)),
        keywords_(std::move(keywords)) {}
  std::vector<const Node*> children() const override;
  std::string detail() const override { return callee_name_; }
  // Arguments with ordered effects that must run one after another (see eval_all).
  void set_ordered(std::vector<bool> ordered) { ordered_ = std::move(ordered); }

 protected:
  Future eval_impl(Frame& frame) const override;

 private:
  std::vector<bool> ordered_;  // per argument; empty: every argument may run at once
  std::string callee_name_;
  NodePtr callee_;
  const VariableNode* callee_variable_;  // the callee when it is a variable (the common call)
  std::vector<NodePtr> args_;            // positional first, then one per keyword
  std::vector<std::string> keywords_;    // names of the trailing keyword arguments
};

// The error of a call nested deeper than max_call_depth (at the call site).
[[noreturn]] void recursion_too_deep(const FunctionCode& code, CallContext& ctx,
                                     const SourceLoc& call_site);
// Adds the PhySL stack entry of a call of `function` at `call_site` to an error passing through it.
void add_stack_entry(Error& e, const std::string& function, const SourceLoc& call_site);

// Calls a PhySL function's code in a new frame below `captured` (Closure and SelfClosure).
Future invoke_closure(const FunctionCode& code, const FramePtr& captured,
                      const Signature& signature, CallArgs args, CallContext& ctx,
                      const SourceLoc& call_site);

// Calls `fn` with `args` and returns its result; used by control primitives (fmap, fold_left...).
Future call_function(const Value& fn, CallArgs args, CallContext& ctx, const SourceLoc& loc);

}  // namespace larix
