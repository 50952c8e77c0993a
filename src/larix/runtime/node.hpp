// Node: one vertex of the execution tree. eval() returns a Future; a node never blocks on one.
// The non-virtual eval() wraps every node's eval_impl() with what all nodes share: the adaptive
// inline-or-spawn decision, cost sampling, profiling, and giving errors the node's source location.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "larix/runtime/frame.hpp"
#include "larix/runtime/future.hpp"

namespace larix {

class Node;
using NodePtr = std::shared_ptr<const Node>;

// Per-node statistics the scheduler uses (always on, sampled, relaxed: cheap and racy by design).
struct NodeCost {
  std::atomic<bool> spawned_unmeasured{false};  // the first evaluation was sent off as a task
  std::atomic<std::int64_t> estimate_ns{-1};    // -1: never measured
};

class Node {
 public:
  Node(std::string name, SourceLoc loc) : name_(std::move(name)), loc_(std::move(loc)) {}
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  Future eval(Frame& frame) const;

  const std::string& name() const { return name_; }
  const SourceLoc& loc() const { return loc_; }
  virtual std::vector<const Node*> children() const { return {}; }
  // Constants and variable reads: never spawned, never timed, never profiled on their own.
  virtual bool trivial() const { return false; }
  // Text shown by dump-tree next to the name (a constant's value, a variable's slot ...).
  virtual std::string detail() const { return ""; }

  int id() const { return id_; }
  void set_id(int id) const { id_ = id; }
  NodeCost& cost() const { return cost_; }

 protected:
  virtual Future eval_impl(Frame& frame) const = 0;

 private:
  Future eval_spawned(Frame& frame) const;
  Future eval_profiled(Frame& frame) const;

  std::string name_;
  SourceLoc loc_;
  mutable int id_ = -1;
  mutable NodeCost cost_;
};

// When all inputs are ready, calls fn(values) and returns its Future (inline, at once, when they
// are all ready already). An input's error becomes the result's error; an error fn throws later,
// without a location of its own, gets *loc (the node's: errors always point at the user's code).
Future dataflow(Frame& frame, std::vector<Future> inputs,
                std::function<Future(std::vector<Value>&)> fn, const SourceLoc* loc = nullptr);
// Evaluates every node. The nodes flagged in `ordered` (ordered effects: random draws, output,
// files) start one after another, each when the previous flagged one is done; the others at once.
std::vector<Future> eval_all(const std::vector<NodePtr>& nodes, Frame& frame,
                             const std::vector<bool>& ordered = {});

// Runs fn as `node`'s own work, wherever it runs (a kernel in a continuation, after its inputs
// became ready): with profiling on, its time is booked as the node's exclusive time and not as
// the exclusive time of whatever node this thread is evaluating.
Value run_as_own_work(const Node& node, CallContext& ctx, const std::function<Value()>& fn);

// While one lives on a thread, the nodes evaluated there run inline, never as tasks of their own:
// a chunk of a parallel loop (one of several per thread) keeps every thread busy already, so a
// task would only add its cost. (With one thread nothing is spawned either.)
class InlineScope {
 public:
  InlineScope();
  ~InlineScope();
  InlineScope(const InlineScope&) = delete;
  InlineScope& operator=(const InlineScope&) = delete;
};

// Gives an error that escapes `fn` the node's location (when it has none yet).
template <class F>
decltype(auto) with_location(const SourceLoc& loc, F&& fn) {
  try {
    return fn();
  } catch (Error& e) {
    e.set_loc_if_missing(loc);
    throw;
  }
}

}  // namespace larix
