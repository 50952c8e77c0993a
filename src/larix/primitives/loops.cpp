// while, for and for_each: sequential loops that never block a thread. Each iteration starts when
// the previous one is done; an iteration whose work was spawned resumes the loop when it finishes.
// parallel_for (and every `for` the compiler proves independent): iterations in chunks, as tasks.
#include <algorithm>
#include <atomic>
#include <chrono>

#include "larix/primitives/control_support.hpp"
#include "larix/primitives/parallel_for.hpp"
#include "larix/runtime/scalar_node.hpp"

namespace larix {

namespace {
// Evaluates `node` once `before` is ready (at once if it is).
Future after(Frame& frame, const Future& before, const Node& node) {
  if (before.ready()) {
    before.value();  // rethrows
    return node.eval(frame);
  }
  return dataflow(frame, {before},
                  [&node, &frame](std::vector<Value>&) { return node.eval(frame); });
}

// cond ? body (then `reinit`, if any) : done
Future iteration(Frame& frame, const Node& cond, const Node& body, const Node* reinit,
                 const SourceLoc& loc) {
  auto run = [&frame, &body, reinit](const Value& c) -> Future {
    if (!c.truthy()) return loop_done();
    Future b = body.eval(frame);
    return reinit ? after(frame, b, *reinit) : b;
  };
  Future c = cond.eval(frame);
  if (c.ready()) return run(c.value());
  return dataflow(
      frame, {c}, [run](std::vector<Value>& v) { return run(v[0]); }, &loc);
}

class WhileNode : public ControlNode {
 public:
  using ControlNode::ControlNode;

 protected:
  Future eval_impl(Frame& frame) const override {
    return run_loop(frame, [this, &frame](std::size_t) {
      return iteration(frame, arg(0), arg(1), nullptr, loc());
    });
  }
};

class ForNode : public ControlNode {
 public:
  using ControlNode::ControlNode;

 protected:
  Future eval_impl(Frame& frame) const override {
    Future init = arg(0).eval(frame);
    auto loop = [this, &frame] {
      return run_loop(frame, [this, &frame](std::size_t) {
        return iteration(frame, arg(1), arg(3), &arg(2), loc());
      });
    };
    if (init.ready()) {
      init.value();
      return loop();
    }
    return dataflow(frame, {init}, [loop](std::vector<Value>&) { return loop(); });
  }
};

class ForEachNode : public ControlNode {
 public:
  using ControlNode::ControlNode;

 protected:
  Future eval_impl(Frame& frame) const override {
    return dataflow(
        frame, {arg(0).eval(frame), arg(1).eval(frame)},
        [this, &frame](std::vector<Value>& v) {
          auto items = std::make_shared<List>(iterate(v[1], "the sequence of for_each"));
          Value fn = v[0];
          CallContext& ctx = frame.ctx();
          return run_loop(frame, [this, items, fn, &ctx](std::size_t i) -> Future {
            if (i >= items->size()) return loop_done();
            return call_function(fn, {{(*items)[i]}, {}}, ctx, loc());
          });
        },
        &loc());
  }
};
std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A chunk should be worth a task: well above the cost of spawning one (~1 µs) and of copying the
// frame; a loop whose whole work is below two chunks runs inline, sequentially.
constexpr std::int64_t kChunkNs = 50'000;
// Chunks per thread when the cost of an iteration is not known yet (or the iterations are heavy):
// enough for work stealing to even out iterations of unequal cost.
constexpr std::int64_t kChunksPerThread = 4;
// A loop with sums: chunks of at least 8 iterations, at most this many, whatever the threads.
constexpr std::int64_t kReductionChunks = 64;

class ParallelForNode : public ForNode {
 public:
  ParallelForNode(ControlBuild& b, ParallelLoopSpec spec)
      : ForNode(b),
        spec_(std::move(spec)),
        start_(arg(0).children().at(0)),
        stop_(arg(1).children().at(1)),
        scalar_body_(dynamic_cast<const ScalarNode*>(&arg(3))) {}
  std::string detail() const override { return "parallel"; }

 protected:
  Future eval_impl(Frame& frame) const override {
    const bool sums =
        std::any_of(spec_.reductions.begin(), spec_.reductions.end(),
                    [](const ParallelLoopSpec::Reduction& r) { return r.op == "__add"; });
    const bool owned = take_ownership(frame);
    const bool threads = !frame.ctx().sync() && Runtime::instance().threads() > 1;
    return dataflow(
        frame, {start_->eval(frame), stop_->eval(frame)},
        [this, &frame, sums, owned, threads](std::vector<Value>& bounds) -> Future {
          if (!bounds[0].is_int() || !bounds[1].is_int()) return ForNode::eval_impl(frame);
          const std::int64_t start = bounds[0].as_int(), stop = bounds[1].as_int();
          const std::int64_t step = spec_.step;
          // A negative index counts from the end: two iterations could write the same row. (With
          // start >= 0 nothing below overflows.)
          if (start < 0 || (step < 0 && stop < -1)) return ForNode::eval_impl(frame);
          const std::int64_t n = step > 0 ? (stop > start ? (stop - start - 1) / step + 1 : 0)
                                          : (stop < start ? (start - stop - 1) / -step + 1 : 0);
          if (owned && (sums || threads) && n > (sums ? 0 : 1)) {
            const std::int64_t chunks =
                sums ? std::min<std::int64_t>(kReductionChunks, (n + 7) / 8) : chunk_count(n);
            if (chunks > 1 || sums) return run_parallel(frame, start, n, chunks);
          }
          return counted(frame, start, n);
        },
        &loc());
  }

 private:
  // The arrays the body writes must have no other holder (copy-on-write, once, before the loop),
  // since the iterations then write them in place. False when one is no array (a list, or not
  // defined yet: the sequential loop writes it as __store_slice does, or reports the error).
  // (Always before the loop runs, parallel or not: the body's element writes go in place.) Also
  // false when a sum of integers does not start from an int.
  bool take_ownership(Frame& frame) const {
    bool arrays = true;
    for (const auto& r : spec_.reductions)
      if (r.needs_int && !frame.slot(0, r.slot).is_int()) arrays = false;
    for (int slot : spec_.owned) {
      Value& v = frame.slot(0, slot);
      if (!v.is_array()) {
        arrays = false;
        continue;
      }
      if (frame.is_loop_copy() && std::find(spec_.owned_outside.begin(), spec_.owned_outside.end(),
                                            slot) != spec_.owned_outside.end())
        continue;
      Value taken = std::move(v);
      Array array = taken.as_array_ref();
      taken = Value();  // `array` may now be the buffer's only holder
      array.unshare();
      v = Value(std::move(array));
    }
    return arrays;
  }

  std::int64_t chunk_count(std::int64_t n) const {
    const std::int64_t most =
        std::min<std::int64_t>(n, kChunksPerThread * Runtime::instance().threads());
    const std::int64_t per_iteration = iteration_ns_.load(std::memory_order_relaxed);
    if (per_iteration < 0) return most;
    const double work = static_cast<double>(per_iteration) * static_cast<double>(n);
    return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::min(work / kChunkNs, 1e18)), 1,
                                    most);
  }

  Future run_parallel(Frame& frame, std::int64_t start, std::int64_t n, std::int64_t chunks) const {
    CallContext& ctx = frame.ctx();
    std::vector<FramePtr> frames;
    for (std::int64_t c = 0; c < chunks; ++c) {
      frames.push_back(frame.clone());  // a maximum or minimum starts from s's value
      for (const auto& r : spec_.reductions)
        if (r.op == "__add") frames.back()->slot(0, r.slot) = Value(std::int64_t{0});
    }
    std::vector<Future> done =
        run_chunks(ctx, chunks, [this, frames, start, n, chunks](std::int64_t c) {
          // Chunk c: iterations [first, first + count), the first n % chunks chunks one longer.
          const std::int64_t q = n / chunks, extra = n % chunks;
          const std::int64_t first = c * q + std::min(c, extra), count = q + (c < extra ? 1 : 0);
          return run_chunk(frames[static_cast<std::size_t>(c)], start, first, count,
                           chunks >= Runtime::instance().threads());
        });
    FramePtr last = frames.back();
    auto keep = frame.shared_from_this();
    return dataflow(
        frame, std::move(done),
        [this, keep, last, frames, start, n](std::vector<Value>&) -> Future {
          // As after the sequential loop: the variables hold the last iteration's values, and the
          // loop variable the first value that failed the condition.
          // A function the last iteration defined in the chunk's frame is the loop frame's now
          // (the chunk's frame holds its variables no longer; kept there as a self-reference,
          // as every function stored in the frame it was defined in, so no cycle keeps it).
          for (int slot : spec_.privates) {
            Value v = last->slot(0, slot);
            if (const Function* fn = v.function_ptr())
              if (auto moved = fn->with_frame(*last, keep)) v = Value(std::move(moved));
            keep->slot(0, slot) = AssignNode::storable(VariableNode::readable(v), keep.get());
          }
          for (const auto& r : spec_.reductions) {
            const PrimitiveInfo& op = *Registry::instance().find(r.op);
            for (const FramePtr& f : frames) {
              std::vector<Value> operands{std::move(keep->slot(0, r.slot)), f->slot(0, r.slot)};
              std::vector<Value> bound = bind_arguments(op.name, op.signature, {operands, {}});
              keep->slot(0, r.slot) = run_kernel(op, bound, keep->ctx(), loc());
            }
          }
          keep->slot(0, spec_.index) = Value(start + n * spec_.step);
          for (const FramePtr& f : frames) f->retire_copies();
          return Value();
        },
        &loc());
  }

  // The loop one iteration after another in this frame (one thread, one chunk's worth of work,
  // or arrays to write that are not arrays), counting in C++: the analysis proved that the body
  // assigns neither the index nor the stop, so the condition and the step are not evaluated as
  // nodes. The index is left at the first value that fails the condition, as for() leaves it.
  // A body of scalar code runs its iterations in one call of it (no node evaluated, no future per
  // iteration); the generic loop does whatever it leaves.
  Future counted(Frame& frame, std::int64_t start, std::int64_t n) const {
    const std::int64_t done =
        scalar_body_ ? scalar_body_->run_counted(frame, spec_.index, start, spec_.step, n) : 0;
    return run_loop(frame, [this, &frame, start, n, done](std::size_t k) -> Future {
      const auto i = static_cast<std::int64_t>(k) + done;
      frame.slot(0, spec_.index) = Value(start + i * spec_.step);
      if (i >= n) return loop_done();
      return arg(3).eval(frame);
    });
  }

  // Iterations first .. first + count - 1, one after another, in the chunk's frame f. When the
  // chunks are enough to keep every thread busy (`saturating`), the body spawns nothing: more
  // tasks would only add their cost. (A loop of fewer, heavy iterations than threads keeps the
  // parallelism inside its iterations.)
  Future run_chunk(const FramePtr& f, std::int64_t start, std::int64_t first, std::int64_t count,
                   bool saturating) const {
    const std::int64_t t0 = now_ns();
    const std::int64_t done =
        scalar_body_ ? scalar_body_->run_counted(*f, spec_.index, start + first * spec_.step,
                                                 spec_.step, count)
                     : 0;
    Future result = run_loop(*f, [this, f, start, first, count, done, saturating](std::size_t j) {
      const std::size_t k = j + static_cast<std::size_t>(done);
      if (static_cast<std::int64_t>(k) >= count) return Future(loop_done());
      f->slot(0, spec_.index) = Value(start + (first + static_cast<std::int64_t>(k)) * spec_.step);
      if (!saturating) return arg(3).eval(*f);
      InlineScope inline_only;
      return arg(3).eval(*f);
    });
    auto record = [this, t0, count] {
      const std::int64_t sample = (now_ns() - t0) / std::max<std::int64_t>(count, 1);
      const std::int64_t old = iteration_ns_.load(std::memory_order_relaxed);
      iteration_ns_.store(old < 0 ? sample : (old + sample) / 2, std::memory_order_relaxed);
    };
    if (result.ready()) record();
    else result.on_ready(record);
    return result;
  }

  ParallelLoopSpec spec_;
  const Node* start_;                                   // init's operand
  const Node* stop_;                                    // cond's second operand
  const ScalarNode* scalar_body_;                       // the body, when it is scalar code
  mutable std::atomic<std::int64_t> iteration_ns_{-1};  // measured cost of one iteration
};
}  // namespace

NodePtr make_parallel_for(ParallelLoopSpec spec, std::vector<NodePtr> args, SourceLoc loc) {
  ControlBuild build{*Registry::instance().find("parallel_for"), std::move(args), std::move(loc)};
  return std::make_shared<ParallelForNode>(build, std::move(spec));
}

void register_loops(Registry& r) {
  r.add({.name = "for",
         .signature = {{arg("init"), arg("cond"), arg("reinit"), arg("body")}},
         .doc = "for(init, cond, reinit, body)\n\nC-style loop: evaluates init once, then body "
                "and reinit while cond is true. Returns nil.",
         .kind = PrimitiveKind::control,
         .build = build_node<ForNode>()});
  r.add({.name = "for_each",
         .signature = {{arg("f"), arg("sequence")}},
         .doc = "for_each(f, sequence)\n\nCalls f(x) for each element x of a list, the rows of "
                "an array, the keys of a dict or the characters of a string, in order. Returns "
                "nil.",
         .kind = PrimitiveKind::control,
         .build = build_node<ForEachNode>()});
  r.add({.name = "parallel_for",
         .signature = {{arg("init"), arg("cond"), arg("reinit"), arg("body")}},
         .doc = "parallel_for(init, cond, reinit, body)\n\nfor(init, cond, reinit, body) whose "
                "iterations the program promises to be independent (Python's larix.prange): "
                "they run in chunks, as tasks. The loop must have the form "
                "parallel_for(define(i, start), i < stop, store(i, i + step), body) with a "
                "constant step; variables the body assigns are private to an iteration (after "
                "the loop they hold the last iteration's values), arrays it writes are written "
                "in place, each at an index derived from i (a compile error otherwise). A `for` "
                "loop the compiler proves independent runs the same way (see larix.explain). "
                "Returns nil.",
         .kind = PrimitiveKind::control,
         .build = build_node<ForNode>()});
  r.add({.name = "while",
         .signature = {{arg("cond"), arg("body")}},
         .doc = "while(cond, body)\n\nEvaluates body as long as cond is true. Returns nil.",
         .kind = PrimitiveKind::control,
         .build = build_node<WhileNode>()});
}

}  // namespace larix
