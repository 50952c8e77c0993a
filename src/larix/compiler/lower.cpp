#include "larix/compiler/lower.hpp"

namespace larix::compiler {

namespace {
std::vector<NodePtr> lower_all(const std::vector<IrPtr>& irs, std::size_t from = 0) {
  std::vector<NodePtr> out;
  for (std::size_t i = from; i < irs.size(); ++i) out.push_back(irs[i] ? lower(*irs[i]) : nullptr);
  return out;
}
}  // namespace

NodePtr lower(const Ir& ir) {
  switch (ir.kind) {
    case IrKind::constant: return std::make_shared<ConstantNode>(ir.value, ir.loc);
    case IrKind::variable: return std::make_shared<VariableNode>(ir.name, ir.slot, ir.loc);
    case IrKind::define:
    case IrKind::store:
      return std::make_shared<AssignNode>(ir.kind == IrKind::define, ir.name, ir.slot,
                                          lower(*ir.args[0]), ir.loc);
    case IrKind::store_indexed:
      return std::make_shared<StoreIndexedNode>(*ir.prim, ir.name, ir.slot, lower(*ir.args[0]),
                                                lower_all(ir.args, 1), ir.loc);
    case IrKind::block: {
      std::vector<std::vector<int>> deps = ir.deps;
      deps.resize(ir.args.size());
      return std::make_shared<BlockNode>(ir.parallel ? "parallel_block" : "block",
                                         lower_all(ir.args), std::move(deps), ir.loc);
    }
    case IrKind::lambda: {
      auto code = std::make_shared<FunctionCode>();
      code->name = ir.function->name;
      code->params = ir.function->params;
      code->slots = ir.function->slots;
      code->body = lower(*ir.function->body);
      code->loc = ir.function->loc;
      return std::make_shared<LambdaNode>(std::move(code), lower_all(ir.args), ir.loc);
    }
    case IrKind::primitive: {
      auto node = std::make_shared<PrimitiveNode>(*ir.prim, lower_all(ir.args), ir.loc);
      node->set_ordered(ir.ordered);
      return node;
    }
    case IrKind::control: {
      if (ir.parallel_loop) return make_parallel_for(*ir.parallel_loop, lower_all(ir.args), ir.loc);
      ControlBuild build{*ir.prim, lower_all(ir.args), ir.loc};
      return ir.prim->build(build);
    }
    case IrKind::call: {
      auto node = std::make_shared<CallNode>(ir.name, lower(*ir.args[0]), lower_all(ir.args, 1),
                                             ir.keywords, ir.loc);
      node->set_ordered(ir.ordered);
      return node;
    }
  }
  LARIX_ASSERT(false, "unknown IR kind");
}

}  // namespace larix::compiler
