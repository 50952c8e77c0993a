#include "larix/runtime/node.hpp"

#include <chrono>

#include "larix/runtime/profiler.hpp"

namespace larix {

namespace {
std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void update_estimate(NodeCost& cost, std::int64_t sample_ns) {
  const std::int64_t old = cost.estimate_ns.load(std::memory_order_relaxed);
  cost.estimate_ns.store(old < 0 ? sample_ns : (3 * old + sample_ns) / 4,
                         std::memory_order_relaxed);
}

thread_local std::uint32_t sample_tick = 0;

// Time this thread spent in child evals of the node being profiled (for exclusive time).
thread_local std::int64_t child_time_ns = 0;

// InlineScopes alive on this thread.
thread_local int inline_scopes = 0;

// Whether a node may become a task of its own here: not on the reference executor, not with one
// thread (nothing could run meanwhile), not inside an InlineScope.
bool may_spawn(const CallContext& ctx) {
  return !ctx.sync() && inline_scopes == 0 && ctx.settings().threads > 1;
}
}  // namespace

InlineScope::InlineScope() { ++inline_scopes; }
InlineScope::~InlineScope() { --inline_scopes; }

Future Node::eval(Frame& frame) const {
  if (trivial()) return with_location(loc_, [&] { return eval_impl(frame); });
  CallContext& ctx = frame.ctx();
  if (ctx.profiler()) return eval_profiled(frame);
  if (ctx.sync()) return with_location(loc_, [&] { return eval_impl(frame); });

  const std::int64_t estimate = cost_.estimate_ns.load(std::memory_order_relaxed);
  const bool spawnable = may_spawn(ctx);
  if (estimate < 0) {
    // Unknown cost: the first evaluation is spawned (it may be heavy, and independent siblings then
    // run meanwhile); the ones before it is measured run inline and are timed.
    if (spawnable && !cost_.spawned_unmeasured.exchange(true, std::memory_order_relaxed))
      return eval_spawned(frame);
  } else if (spawnable && estimate > ctx.settings().spawn_threshold_ns) {
    return eval_spawned(frame);
  } else if ((++sample_tick & 15) != 0) {
    // One evaluation in 16 (per thread: no shared counter to contend on) is timed.
    return with_location(loc_, [&] { return eval_impl(frame); });
  }
  const std::int64_t t0 = now_ns();
  Future result = with_location(loc_, [&] { return eval_impl(frame); });
  update_estimate(cost_, now_ns() - t0);
  return result;
}

Future Node::eval_spawned(Frame& frame) const {
  Promise promise;
  CallContext& ctx = frame.ctx();
  ctx.spawn([this, promise, self = frame.shared_from_this(), &ctx] {
    try {
      const std::int64_t t0 = now_ns();
      Future result = with_location(loc_, [&] { return eval_impl(*self); });
      update_estimate(cost_, now_ns() - t0);
      promise.chain(result);
    } catch (...) {
      ctx.fail(std::current_exception());
      promise.set_error(std::current_exception());
    }
  });
  return promise.future();
}

Future Node::eval_profiled(Frame& frame) const {
  CallContext& ctx = frame.ctx();
  Profiler& profiler = *ctx.profiler();
  NodeCounters& counters = profiler.counters(id_);
  const std::int64_t start = profiler.now_ns();
  const std::int64_t estimate = cost_.estimate_ns.load(std::memory_order_relaxed);
  const bool spawn =
      may_spawn(ctx) &&
      (estimate < 0 ? !cost_.spawned_unmeasured.exchange(true, std::memory_order_relaxed)
                    : estimate > ctx.settings().spawn_threshold_ns);

  // Runs eval_impl on this thread and books its own (exclusive) time.
  auto run_body = [this, &counters, &profiler](Frame& f) {
    const std::int64_t saved_child = child_time_ns;
    child_time_ns = 0;
    const std::int64_t t0 = profiler.now_ns();
    Future result;
    try {
      result = with_location(loc_, [&] { return eval_impl(f); });
    } catch (...) {
      child_time_ns = saved_child;
      throw;
    }
    const std::int64_t elapsed = profiler.now_ns() - t0;
    counters.exclusive_ns.fetch_add(elapsed - child_time_ns, std::memory_order_relaxed);
    update_estimate(cost_, elapsed);
    if (profiler.tracing()) profiler.add_event(id_, t0, elapsed);
    child_time_ns = saved_child + elapsed;  // the parent's exclusive time excludes this eval
    return result;
  };

  counters.count.fetch_add(1, std::memory_order_relaxed);
  Future result;
  if (spawn) {
    counters.spawned_runs.fetch_add(1, std::memory_order_relaxed);
    Promise promise;
    ctx.spawn([promise, self = frame.shared_from_this(), &ctx, run_body] {
      try {
        child_time_ns = 0;
        promise.chain(run_body(*self));
      } catch (...) {
        ctx.fail(std::current_exception());
        promise.set_error(std::current_exception());
      }
    });
    result = promise.future();
  } else {
    counters.inline_runs.fetch_add(1, std::memory_order_relaxed);
    result = run_body(frame);
  }
  result.on_ready([&counters, &profiler, start] {
    counters.inclusive_ns.fetch_add(profiler.now_ns() - start, std::memory_order_relaxed);
  });
  return result;
}

Value run_as_own_work(const Node& node, CallContext& ctx, const std::function<Value()>& fn) {
  Profiler* profiler = ctx.profiler();
  if (!profiler) return fn();
  const std::int64_t t0 = profiler->now_ns();
  const std::int64_t saved_child = child_time_ns;
  child_time_ns = 0;
  Value result;
  try {
    result = fn();
  } catch (...) {
    child_time_ns = saved_child;
    throw;
  }
  const std::int64_t elapsed = profiler->now_ns() - t0;
  profiler->counters(node.id()).exclusive_ns.fetch_add(elapsed - child_time_ns,
                                                       std::memory_order_relaxed);
  child_time_ns = saved_child + elapsed;  // not the running node's own work
  return result;
}

std::vector<Future> eval_all(const std::vector<NodePtr>& nodes, Frame& frame,
                             const std::vector<bool>& ordered) {
  std::vector<Future> out;
  out.reserve(nodes.size());
  const Future* previous = nullptr;  // the last flagged operand's result
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const bool flagged = i < ordered.size() && ordered[i];
    if (flagged && previous && !previous->ready()) {
      const NodePtr& node = nodes[i];
      out.push_back(dataflow(frame, {*previous},
                             [node, &frame](std::vector<Value>&) { return node->eval(frame); }));
    } else {
      out.push_back(nodes[i]->eval(frame));
    }
    if (flagged) previous = &out.back();
  }
  return out;
}

namespace {
struct DataflowState {
  std::vector<Future> inputs;
  std::function<Future(std::vector<Value>&)> fn;
  Promise promise;
  std::atomic<int> pending;
  const SourceLoc* loc = nullptr;  // given to errors of fn that have no location yet
};

void finish_dataflow(const std::shared_ptr<DataflowState>& state, CallContext& ctx) {
  try {
    std::vector<Value> values;
    values.reserve(state->inputs.size());
    for (const Future& f : state->inputs) values.push_back(f.value());  // rethrows an input's error
    state->inputs.clear();
    state->promise.chain(state->loc ? with_location(*state->loc, [&] { return state->fn(values); })
                                    : state->fn(values));
  } catch (...) {
    ctx.fail(std::current_exception());
    state->promise.set_error(std::current_exception());
  }
}
}  // namespace

Future dataflow(Frame& frame, std::vector<Future> inputs,
                std::function<Future(std::vector<Value>&)> fn, const SourceLoc* loc) {
  std::vector<std::size_t> pending;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (!inputs[i].ready()) pending.push_back(i);
  if (pending.empty()) {
    std::vector<Value> values;
    values.reserve(inputs.size());
    for (Future& f : inputs) values.push_back(f.take_value());
    return fn(values);
  }
  auto state = std::make_shared<DataflowState>();
  state->inputs = std::move(inputs);
  state->fn = std::move(fn);
  state->loc = loc;
  state->pending.store(static_cast<int>(pending.size()), std::memory_order_relaxed);
  Future result = state->promise.future();
  CallContext& ctx = frame.ctx();
  // Keep the frame alive until fn has run: fn reads and writes its slots.
  auto keep = frame.shared_from_this();
  // Exactly the inputs counted as pending get a continuation (one may have become ready since it
  // was counted: its continuation then runs at once).
  for (std::size_t i : pending) {
    state->inputs[i].on_ready([state, keep, &ctx] {
      if (state->pending.fetch_sub(1, std::memory_order_acq_rel) == 1)
        ctx.run_continuation([state, keep, &ctx] { finish_dataflow(state, ctx); });
    });
  }
  return result;
}

}  // namespace larix
