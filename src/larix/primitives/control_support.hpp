// Shared pieces of the control primitives: a node type that holds its operand nodes, the
// iteration of PhySL sequences, and an asynchronous loop driver (a loop that keeps going inline
// while its steps are ready and resumes from a continuation when one is not: no blocking wait).
#pragma once

#include <functional>
#include <memory>

#include "larix/primitives/registry.hpp"
#include "larix/runtime/basic_nodes.hpp"

namespace larix {

class ControlNode : public Node {
 public:
  explicit ControlNode(ControlBuild& b) : Node(b.info.name, b.loc), args_(std::move(b.args)) {}
  std::vector<const Node*> children() const override {
    std::vector<const Node*> out;
    for (const auto& a : args_) out.push_back(a.get());
    return out;
  }

 protected:
  const Node& arg(std::size_t i) const { return *args_[i]; }
  std::size_t nargs() const { return args_.size(); }

 private:
  std::vector<NodePtr> args_;
};

// Evaluates all operands, then apply_to(values): a control primitive that is a regular one apart
// from calling the functions it is given (fmap, filter, fold, apply, fromfunction, ...).
class HigherOrderNode : public ControlNode {
 public:
  using ControlNode::ControlNode;

 protected:
  Future eval_impl(Frame& frame) const override {
    std::vector<Future> inputs;
    for (std::size_t i = 0; i < nargs(); ++i) inputs.push_back(arg(i).eval(frame));
    return dataflow(
        frame, std::move(inputs),
        [this, &frame](std::vector<Value>& v) { return apply_to(v, frame); }, &loc());
  }
  virtual Future apply_to(std::vector<Value>& values, Frame& frame) const = 0;
};

// Builds a control primitive's node of type N.
template <class N>
std::function<NodePtr(ControlBuild&)> build_node() {
  return [](ControlBuild& b) -> NodePtr { return std::make_shared<N>(b); };
}

// The elements of what PhySL iterates over: a list, or an array's first axis (0-d elements of a
// 1-d array are NumPy scalars; rows of a 2-d array are views), a dict's keys, a string's chars.
List iterate(const Value& sequence, const char* what);

// A loop whose step returns a Future: step(i) is called for i = 0, 1, ... until a step's value is
// kLoopDone. Runs inline while the steps are ready; otherwise continues when the pending step is
// done. The result future is ready (nil) when the loop has finished, or holds the first error.
using LoopStep = std::function<Future(std::size_t)>;
inline Value loop_done() { return Value::unbound(); }
inline bool is_loop_done(const Value& v) { return v.is_unbound(); }
Future run_loop(Frame& frame, LoopStep step);

// Runs chunk(c) for c in [0, chunks): chunks 1, 2, ... as tasks of the call, then chunk 0 on this
// thread (the others start meanwhile on idle threads); the reference executor runs them all here,
// in order. Returns the chunks' futures, by chunk; an error of a task fails the call as well.
std::vector<Future> run_chunks(CallContext& ctx, std::int64_t chunks,
                               std::function<Future(std::int64_t)> chunk);

}  // namespace larix
