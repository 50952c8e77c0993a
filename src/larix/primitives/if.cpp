// if(cond, then, else=nil): evaluates only the branch the condition picks.
#include "larix/primitives/control_support.hpp"

namespace larix {

namespace {
class IfNode : public ControlNode {
 public:
  using ControlNode::ControlNode;

 protected:
  Future eval_impl(Frame& frame) const override {
    Future cond = arg(0).eval(frame);
    auto branch = [this, &frame](const Value& c) { return arg(c.truthy() ? 1 : 2).eval(frame); };
    if (cond.ready()) return branch(cond.value());
    return dataflow(
        frame, {cond}, [branch](std::vector<Value>& v) { return branch(v[0]); }, &loc());
  }
};
}  // namespace

void register_if(Registry& r) {
  r.add({.name = "if",
         .signature = {{arg("cond"), arg("then"), arg("else", Value())}},
         .doc = "if(cond, then, else=nil)\n\nEvaluates `then` when cond is true (Python "
                "truthiness; an array must have one element), else `else`. Only the chosen "
                "branch is evaluated.",
         .kind = PrimitiveKind::control,
         .build = build_node<IfNode>()});
}

}  // namespace larix
