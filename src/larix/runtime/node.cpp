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

// Time this thread spent in child evals of the node being profiled (for exclusive time).
thread_local std::int64_t child_time_ns = 0;
}  // namespace

Future Node::eval(Frame& frame) const {
  if (trivial()) return with_location(loc_, [&] { return eval_impl(frame); });
  CallContext& ctx = frame.ctx();
  if (ctx.profiler()) return eval_profiled(frame);
  if (ctx.sync()) return with_location(loc_, [&] { return eval_impl(frame); });

  const std::uint32_t n = cost_.evals.load(std::memory_order_relaxed);
  cost_.evals.store(n + 1, std::memory_order_relaxed);
  const std::int64_t estimate = cost_.estimate_ns.load(std::memory_order_relaxed);
  // Unknown cost: the first evaluation is spawned (it may be heavy, and independent siblings then
  // run meanwhile); later ones follow the measured cost.
  if (estimate < 0 ? n == 0 : estimate > ctx.settings().spawn_threshold_ns)
    return eval_spawned(frame);
  if (n > 4 && (n & 15) != 0) return with_location(loc_, [&] { return eval_impl(frame); });
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
  const std::uint32_t n = cost_.evals.fetch_add(1, std::memory_order_relaxed);
  const std::int64_t estimate = cost_.estimate_ns.load(std::memory_order_relaxed);
  const bool spawn = !ctx.sync() &&
                     (estimate < 0 ? n == 0 : estimate > ctx.settings().spawn_threshold_ns);

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

std::vector<Future> eval_all(const std::vector<NodePtr>& nodes, Frame& frame) {
  std::vector<Future> out;
  out.reserve(nodes.size());
  for (const auto& node : nodes) out.push_back(node->eval(frame));
  return out;
}

namespace {
struct DataflowState {
  std::vector<Future> inputs;
  std::function<Future(std::vector<Value>&)> fn;
  Promise promise;
  std::atomic<int> pending;
};

void finish_dataflow(const std::shared_ptr<DataflowState>& state, CallContext& ctx) {
  try {
    std::vector<Value> values;
    values.reserve(state->inputs.size());
    for (const Future& f : state->inputs) values.push_back(f.value());  // rethrows an input's error
    state->inputs.clear();
    state->promise.chain(state->fn(values));
  } catch (...) {
    ctx.fail(std::current_exception());
    state->promise.set_error(std::current_exception());
  }
}
}  // namespace

Future dataflow(Frame& frame, std::vector<Future> inputs,
                std::function<Future(std::vector<Value>&)> fn) {
  int pending = 0;
  for (const Future& f : inputs) pending += f.ready() ? 0 : 1;
  if (pending == 0) {
    std::vector<Value> values;
    values.reserve(inputs.size());
    for (const Future& f : inputs) values.push_back(f.value());
    return fn(values);
  }
  auto state = std::make_shared<DataflowState>();
  state->inputs = std::move(inputs);
  state->fn = std::move(fn);
  state->pending.store(pending, std::memory_order_relaxed);
  Future result = state->promise.future();
  CallContext& ctx = frame.ctx();
  // Keep the frame alive until fn has run: fn reads and writes its slots.
  auto keep = frame.shared_from_this();
  for (const Future& f : state->inputs) {
    if (f.ready()) continue;
    f.on_ready([state, keep, &ctx] {
      if (state->pending.fetch_sub(1, std::memory_order_acq_rel) == 1)
        ctx.run_continuation([state, keep, &ctx] { finish_dataflow(state, ctx); });
    });
  }
  return result;
}

}  // namespace larix
