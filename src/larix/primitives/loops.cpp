// while, for and for_each: sequential loops that never block a thread. Each iteration starts when
// the previous one is done; an iteration whose work was spawned resumes the loop when it finishes.
#include "larix/primitives/control_support.hpp"

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
}  // namespace

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
  r.add({.name = "while",
         .signature = {{arg("cond"), arg("body")}},
         .doc = "while(cond, body)\n\nEvaluates body as long as cond is true. Returns nil.",
         .kind = PrimitiveKind::control,
         .build = build_node<WhileNode>()});
}

}  // namespace larix
