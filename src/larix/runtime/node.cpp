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

// The time this thread spent in OwnWorkScopes nested in the innermost open one (for its exclusive
// time). Read and written by OwnWorkScope only.
thread_local std::int64_t child_time_ns = 0;

// InlineScopes alive on this thread.
thread_local int inline_scopes = 0;

// Whether a node may become a task of its own here: not with one thread (nothing could run
// meanwhile), not inside an InlineScope.
bool may_spawn(const CallContext& ctx) { return inline_scopes == 0 && ctx.settings().threads > 1; }
}  // namespace

InlineScope::InlineScope() { ++inline_scopes; }
InlineScope::~InlineScope() { --inline_scopes; }

void book_nested_work_ns(std::int64_t ns) { child_time_ns += ns; }

namespace {
thread_local OwnWork own_work;
}  // namespace

OwnWork current_own_work() { return own_work; }

void OwnWorkScope::begin(int node_id, bool trace_event) {
  enclosing_ = own_work;
  own_work = {profiler_, node_id};
  node_id_ = node_id;
  trace_event_ = trace_event;
  enclosing_child_ns_ = child_time_ns;
  child_time_ns = 0;
  start_ns_ = profiler_->now_ns();
}

void OwnWorkScope::end() noexcept {
  const std::int64_t elapsed = profiler_->now_ns() - start_ns_;
  profiler_->counters(node_id_).exclusive_ns.fetch_add(elapsed - child_time_ns,
                                                       std::memory_order_relaxed);
  if (trace_event_ && profiler_->tracing()) profiler_->add_event(node_id_, start_ns_, elapsed);
  child_time_ns = enclosing_child_ns_ + elapsed;  // not the enclosing scope's own work
  own_work = enclosing_;
}

Node::Run Node::schedule(const CallContext& ctx) const {
  if (ctx.sync()) return Run::here;  // the reference executor spawns nothing
  const std::int64_t estimate = cost_.estimate_ns.load(std::memory_order_relaxed);
  const bool spawnable = may_spawn(ctx);
  if (estimate < 0) {
    // Unknown cost: the first evaluation is spawned (it may be heavy, and independent siblings then
    // run meanwhile); the ones before it is measured run inline and are timed.
    if (spawnable && !cost_.spawned_unmeasured.exchange(true, std::memory_order_relaxed))
      return Run::task;
    return Run::here_timed;
  }
  if (spawnable && estimate > ctx.settings().spawn_threshold_ns) return Run::task;
  // One evaluation in 16 (per thread: no shared counter to contend on) is timed.
  return (++sample_tick & 15) == 0 ? Run::here_timed : Run::here;
}

Future Node::eval(Frame& frame) const {
  if (trivial()) return with_location(loc_, [&] { return eval_impl(frame); });
  with_location(loc_, check_stack);  // deep nesting of expressions and calls: an error, not a crash
  CallContext& ctx = frame.ctx();
  const Run run = schedule(ctx);
  Profiler* const profiler = ctx.profiler();
  if (!profiler) [[likely]]
    return run == Run::task ? eval_spawned(frame) : run_body(frame, run == Run::here_timed);

  // Profiling observes the decision made above; the node runs exactly as it would without it.
  NodeCounters& counters = profiler->counters(id_);
  const std::int64_t start = profiler->now_ns();
  counters.count.fetch_add(1, std::memory_order_relaxed);
  (run == Run::task ? counters.spawned_runs : counters.inline_runs)
      .fetch_add(1, std::memory_order_relaxed);
  Future result = run == Run::task ? eval_spawned(frame) : run_body(frame, run == Run::here_timed);
  result.on_ready([&counters, profiler, start] {
    counters.inclusive_ns.fetch_add(profiler->now_ns() - start, std::memory_order_relaxed);
  });
  return result;
}

Future Node::run_body(Frame& frame, bool timed) const {
  OwnWorkScope own(frame.ctx().profiler(), id_, /*trace_event=*/true);
  if (!timed) return with_location(loc_, [&] { return eval_impl(frame); });
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
      ctx.check_cancelled();
      promise.chain(run_body(*self, /*timed=*/true));
    } catch (...) {
      ctx.fail(std::current_exception());
      promise.set_error(std::current_exception());
    }
  });
  return promise.future();
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
    // An input's error is this one's; a failure rather than a cancellation (the failure's path
    // carries its stack of calls to the caller).
    for (const Future& f : state->inputs) {
      if (!f.state()) continue;
      const std::exception_ptr& e = f.state()->error();
      if (e && e != CallContext::cancelled_error()) std::rethrow_exception(e);
    }
    std::vector<Value> values;
    values.reserve(state->inputs.size());
    for (const Future& f : state->inputs) values.push_back(f.value());  // a cancellation
    state->inputs.clear();
    ctx.check_cancelled();
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
