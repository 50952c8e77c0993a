// Node: one vertex of the execution tree. eval() returns a Future; a node never blocks on one.
// The non-virtual eval() wraps every node's eval_impl() with what all nodes share: the adaptive
// inline-or-spawn decision, cost sampling, and giving errors the node's source location. Profiling
// observes that one path (it counts and times what the scheduler decided; it decides nothing).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <stdexcept>
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
  // How one evaluation runs: here untimed, here timed (a cost sample), or as a task of its own.
  enum class Run { here, here_timed, task };
  // The one inline-or-spawn decision (docs/design.md, "Inline or spawn").
  Run schedule(const CallContext& ctx) const;
  // eval_impl on this thread: the only place it runs (trivial nodes aside).
  Future run_body(Frame& frame, bool timed) const;
  Future eval_spawned(Frame& frame) const;

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

// The node whose own work this thread does now, and its profiler (null: profiling is off).
struct OwnWork {
  Profiler* profiler = nullptr;
  int node = -1;
};
OwnWork current_own_work();

// With profiling on, books the time this thread spends in its scope as node `node_id`'s exclusive
// time, minus the time spent in scopes nested in it (child nodes evaluated inline, kernels booked
// to their own node), and hides its time from the enclosing scope. However the scope is left (an
// exception too), the enclosing scope's bookkeeping is restored. Off (no profiler): one test.
class OwnWorkScope {
 public:
  OwnWorkScope(Profiler* profiler, int node_id, bool trace_event = false) : profiler_(profiler) {
    if (profiler_) begin(node_id, trace_event);
  }
  ~OwnWorkScope() {
    if (profiler_) end();
  }
  OwnWorkScope(const OwnWorkScope&) = delete;
  OwnWorkScope& operator=(const OwnWorkScope&) = delete;

 private:
  void begin(int node_id, bool trace_event);
  void end() noexcept;

  Profiler* profiler_;
  int node_id_ = -1;
  bool trace_event_ = false;
  std::int64_t start_ns_ = 0;
  std::int64_t enclosing_child_ns_ = 0;
  OwnWork enclosing_;
};

// Time the current OwnWorkScope of this thread spent on work booked to other nodes by hand (the
// steps of a fused chain, booked to the operations they came from): not the scope's own work.
void book_nested_work_ns(std::int64_t ns);

// Runs fn as `node`'s own work, wherever it runs (a kernel in a continuation, after its inputs
// became ready): with profiling on, its time is booked as the node's exclusive time and not as
// the exclusive time of whatever node this thread is evaluating.
template <class F>
decltype(auto) run_as_own_work(const Node& node, CallContext& ctx, F&& fn) {
  OwnWorkScope own(ctx.profiler(), node.id());
  return fn();
}

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
  } catch (const std::bad_alloc&) {  // a MemoryError at this node, not a bare C++ exception
    throw Error(ErrorKind::memory, "out of memory", loc);
  } catch (const std::length_error&) {  // a std::vector asked for more than it can hold
    throw Error(ErrorKind::memory, "out of memory", loc);
  }
}

}  // namespace larix
