#include "larix/compiler/lower.hpp"

#include "larix/compiler/scalar_code.hpp"

namespace larix::compiler {

namespace {

class Lowering {
 public:
  explicit Lowering(const Ir& root) : scalar_(scalar_code(root, /*marked_only=*/true)) {}

  // `scalar`: the outermost node of scalar code becomes a ScalarNode (not inside one's generic
  // subtree, which is generic throughout).
  NodePtr lower(const Ir& ir, bool scalar = true) {
    if (scalar && is_scalar(ir) && ir.kind != IrKind::constant && ir.kind != IrKind::variable) {
      auto code = scalar_program(ir);
      return std::make_shared<ScalarNode>(std::move(code), lower(ir, false), ir.loc);
    }
    switch (ir.kind) {
      case IrKind::constant: return std::make_shared<ConstantNode>(ir.value, ir.loc);
      case IrKind::variable: return std::make_shared<VariableNode>(ir.name, ir.slot, ir.loc);
      case IrKind::define:
      case IrKind::store:
        return std::make_shared<AssignNode>(ir.kind == IrKind::define, ir.name, ir.slot,
                                            lower(*ir.args[0], scalar), ir.loc);
      case IrKind::store_indexed:
        return std::make_shared<StoreIndexedNode>(*ir.prim, ir.name, ir.slot,
                                                  lower(*ir.args[0], scalar),
                                                  lower_all(ir.args, scalar, 1), ir.loc);
      case IrKind::block: {
        std::vector<std::vector<int>> deps = ir.deps;
        deps.resize(ir.args.size());
        return std::make_shared<BlockNode>(ir.parallel ? "parallel_block" : "block",
                                           lower_all(ir.args, scalar), std::move(deps), ir.loc);
      }
      case IrKind::lambda: {
        auto code = std::make_shared<FunctionCode>();
        const FunctionIr& fn = *ir.function;
        code->name = fn.name;
        code->params = fn.params;
        code->slots = fn.slots;
        code->loc = fn.loc;
        if (is_scalar(*fn.body)) {
          // Scalar code calls the body's program directly; a body of one variable or constant
          // has one too, though it stays the trivial node it is everywhere else.
          code->scalar = scalar_program(*fn.body);
          code->body = fn.body->kind == IrKind::constant || fn.body->kind == IrKind::variable
                           ? lower(*fn.body, false)
                           : std::make_shared<ScalarNode>(code->scalar, lower(*fn.body, false),
                                                          fn.body->loc);
        } else {
          code->body = lower(*fn.body, scalar);
        }
        return std::make_shared<LambdaNode>(std::move(code), lower_all(ir.args, scalar), ir.loc);
      }
      case IrKind::primitive: {
        auto node = std::make_shared<PrimitiveNode>(*ir.prim, lower_all(ir.args, scalar), ir.loc);
        node->set_ordered(ir.ordered);
        return node;
      }
      case IrKind::control: {
        if (ir.parallel_loop) {
          // The loop reads its start and stop out of its init and condition nodes: those stay
          // generic (the body may hold scalar code).
          std::vector<NodePtr> args;
          for (std::size_t i = 0; i < ir.args.size(); ++i)
            args.push_back(lower(*ir.args[i], scalar && i == 3));
          return make_parallel_for(*ir.parallel_loop, std::move(args), ir.loc);
        }
        ControlBuild build{*ir.prim, lower_all(ir.args, scalar), ir.loc};
        return ir.prim->build(build);
      }
      case IrKind::call: {
        auto node = std::make_shared<CallNode>(ir.name, lower(*ir.args[0], scalar),
                                               lower_all(ir.args, scalar, 1), ir.keywords, ir.loc);
        node->set_ordered(ir.ordered);
        return node;
      }
    }
    LARIX_ASSERT(false, "unknown IR kind");
  }

 private:
  bool is_scalar(const Ir& ir) const { return scalar_.nodes.count(&ir) > 0; }

  std::vector<NodePtr> lower_all(const std::vector<IrPtr>& irs, bool scalar, std::size_t from = 0) {
    std::vector<NodePtr> out;
    for (std::size_t i = from; i < irs.size(); ++i)
      out.push_back(irs[i] ? lower(*irs[i], scalar) : nullptr);
    return out;
  }

  std::shared_ptr<const ScalarCode> scalar_program(const Ir& root) {
    auto code = std::make_shared<ScalarCode>();
    code->set_root(build(root, *code));
    return code;
  }

  // The ScalarExpr of `ir` (scalar code) and its operands. `number`: its value is wanted as a
  // number (an operand of arithmetic, comparison or logic, a condition, an index).
  const ScalarExpr& build(const Ir& ir, ScalarCode& code, bool number = false) {
    ScalarExpr e;
    e.loc = ir.loc;
    std::size_t first = 0;  // the first IR operand that is an operand of the operation
    switch (ir.kind) {
      case IrKind::constant:
        e.op = ScalarOp::constant;
        e.value = ir.value;
        break;
      case IrKind::variable:
        e.op = ScalarOp::variable;
        e.slot = ir.slot;
        e.name = ir.name;
        break;
      case IrKind::define:
      case IrKind::store:
        e.op = ScalarOp::assign;
        e.is_define = ir.kind == IrKind::define;
        e.writes = true;
        e.slot = ir.slot;
        e.name = ir.name;
        break;
      case IrKind::block: e.op = ScalarOp::block; break;
      case IrKind::store_indexed:
        e.op = ScalarOp::store_element;
        e.prim = ir.prim;
        e.writes = true;
        e.slot = ir.slot;
        e.name = ir.name;
        break;
      case IrKind::primitive:
        e.op = *scalar_op(*ir.prim);
        e.prim = ir.prim;
        e.unboxed = number;
        break;
      case IrKind::control:
        if (const auto it = scalar_.fused.find(&ir); it != scalar_.fused.end()) {
          e.op = ScalarOp::fused;
          e.slots = it->second->slots;
          e.args.push_back(&build(*it->second->body, code));
          first = 1;
          break;
        }
        e.op = ir.prim->name == "if"      ? ScalarOp::if_
               : ir.prim->name == "while" ? ScalarOp::while_
                                          : ScalarOp::for_;
        break;
      case IrKind::call: {
        const Ir& callee = *ir.args[0];
        e.op = ScalarOp::call;
        e.writes = true;
        e.slot = callee.slot;
        e.name = callee.name;
        e.callee_loc = callee.loc;
        e.slots = scalar_.calls.at(&ir)->slots;
        first = 1;
        break;
      }
      default: LARIX_ASSERT(false, "not scalar code: ", ir_to_physl(ir));
    }
    for (std::size_t i = first; i < ir.args.size(); ++i) {
      // Numbers: an operation's operands (a subscript's indices, not its array; a fused chain's
      // leaves; a store's value and indices), a condition.
      const bool operand = e.op == ScalarOp::fused || e.op == ScalarOp::store_element ||
                           (ir.kind == IrKind::primitive && (e.op != ScalarOp::subscript || i > 0));
      const bool condition = (e.op == ScalarOp::if_ || e.op == ScalarOp::while_) ? i == 0
                             : e.op == ScalarOp::for_                            ? i == 1
                                                                                 : false;
      const ScalarExpr& a = build(*ir.args[i], code, operand || condition);
      e.writes = e.writes || a.writes;
      e.args.push_back(&a);
    }
    return code.add(std::move(e));
  }

  ScalarCodeInfo scalar_;
};

}  // namespace

NodePtr lower(const Ir& ir) { return Lowering(ir).lower(ir); }

}  // namespace larix::compiler
