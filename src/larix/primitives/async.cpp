// async(expr): evaluate expr as a task of its own; timer(expr, label): time expr's evaluation;
// sleep(ms): wait, as a task of its own.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "larix/primitives/control_support.hpp"

namespace larix {

namespace {
class AsyncNode : public ControlNode {
 public:
  using ControlNode::ControlNode;

 protected:
  Future eval_impl(Frame& frame) const override {
    Promise promise;
    CallContext& ctx = frame.ctx();
    ctx.spawn([this, promise, self = frame.shared_from_this(), &ctx] {
      try {
        ctx.check_cancelled();
        promise.chain(arg(0).eval(*self));
      } catch (...) {
        ctx.fail(std::current_exception());
        promise.set_error(std::current_exception());
      }
    });
    return promise.future();
  }
};

class TimerNode : public ControlNode {
 public:
  using ControlNode::ControlNode;

 protected:
  Future eval_impl(Frame& frame) const override {
    const auto start = std::chrono::steady_clock::now();
    Future label = arg(1).eval(frame);
    Future value = arg(0).eval(frame);
    return dataflow(frame, {value, label}, [start](std::vector<Value>& v) {
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const std::string text = v[1].is_string() ? v[1].as_string() : v[1].repr();
      std::fprintf(stderr, "%s: %.6f s\n", text.c_str(), seconds);
      std::fflush(stderr);
      return Future(v[0]);
    });
  }
};
// Long enough that a waiting task costs nothing, short enough that Ctrl-C (or another task's
// failure) stops the wait at once.
constexpr auto kSleepSlice = std::chrono::milliseconds(10);

std::chrono::milliseconds sleep_length(const Value& ms) {
  const bool is_int = ms.is_int() || (ms.is_array() && ms.as_array_ref().ndim() == 0 &&
                                      ms.as_array_ref().dtype() == DType::int64);
  LARIX_CHECK(is_int, type, "sleep(): the time must be an int (milliseconds), not ",
              ms.type_name());
  const std::int64_t n = ms.as_int("time");
  LARIX_CHECK(n >= 0, value, "sleep(): the time must be non-negative, not ", n);
  return std::chrono::milliseconds(n);
}

// Waits in slices, each after a check_cancelled() (which throws when the call has failed or,
// when it is interruptible, on SIGINT).
void sleep_for(CallContext& ctx, std::chrono::milliseconds length) {
  const auto end = std::chrono::steady_clock::now() + length;
  for (;;) {
    ctx.check_cancelled();
    const auto now = std::chrono::steady_clock::now();
    if (now >= end) return;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(end - now, kSleepSlice));
  }
}

// The wait is a task of its own: the thread that evaluated the operand goes on with the work
// that does not wait for the sleep (the reference executor waits where it is).
class SleepNode : public ControlNode {
 public:
  using ControlNode::ControlNode;

 protected:
  Future eval_impl(Frame& frame) const override {
    return dataflow(
        frame, {arg(0).eval(frame)},
        [&frame](std::vector<Value>& v) -> Future {
          const std::chrono::milliseconds length = sleep_length(v[0]);
          CallContext& ctx = frame.ctx();
          if (ctx.sync() || length.count() == 0) {
            sleep_for(ctx, length);
            return Value();
          }
          Promise done;
          ctx.spawn([done, length, &ctx] {
            try {
              sleep_for(ctx, length);
              done.set_value(Value());
            } catch (...) {
              ctx.fail(std::current_exception());
              done.set_error(std::current_exception());
            }
          });
          return done.future();
        },
        &loc());
  }
};
}  // namespace

void register_async(Registry& r) {
  r.add({.name = "async",
         .signature = {{arg("expr")}},
         .doc = "async(expr)\n\nEvaluates expr as a task of its own and gives its value; the "
                "code around it continues meanwhile (the value is waited for by dataflow, where it "
                "is used).",
         .kind = PrimitiveKind::control,
         .build = build_node<AsyncNode>()});
  r.add({.name = "sleep",
         .signature = {{arg("time")}},
         .doc = "sleep(time)\n\nPhylanx's sleep: waits `time` milliseconds (an int), then "
                "gives nil. The wait is a task of its own, so work that does not wait for it "
                "goes on meanwhile; it is ordered with the program's other effects (output, "
                "files) as they are with each other. Ctrl-C (or a failure elsewhere in the call) "
                "stops it within about 10 ms. A time that is no int is a TypeError, a negative "
                "one a ValueError.",
         .kind = PrimitiveKind::control,
         .pure = false,
         .effect = true,
         .build = build_node<SleepNode>()});
  r.add({.name = "timer",
         .signature = {{arg("expr"), arg("label", Value("timer"))}},
         .doc = "timer(expr, label=\"timer\")\n\nEvaluates expr, prints `label: <seconds> s` to "
                "standard error when its value is ready, and gives that value.",
         .kind = PrimitiveKind::control,
         .pure = false,
         .effect = true,
         .build = build_node<TimerNode>()});
}

}  // namespace larix
