// async(expr): evaluate expr as a task of its own; timer(expr, label): time expr's evaluation.
#include <chrono>
#include <cstdio>

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
}  // namespace

void register_async(Registry& r) {
  r.add({.name = "async",
         .signature = {{arg("expr")}},
         .doc = "async(expr)\n\nEvaluates expr as a task of its own and gives its value; the "
                "code around it continues meanwhile (the value is waited for by dataflow, where it "
                "is used).",
         .kind = PrimitiveKind::control,
         .build = build_node<AsyncNode>()});
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
