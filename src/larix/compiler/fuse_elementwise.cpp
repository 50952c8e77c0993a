#include "larix/compiler/fuse_elementwise.hpp"

#include "larix/primitives/fused.hpp"
#include "larix/primitives/registry.hpp"

namespace larix::compiler {

namespace {

bool is_op(const Ir& ir) {
  if (ir.kind != IrKind::primitive || !ir.prim) return false;
  const FusableOp* f = fusable_op(*ir.prim);
  if (!f || static_cast<int>(ir.args.size()) != f->arity) return false;
  for (const auto& a : ir.args)
    if (!a) return false;
  return true;
}

// sum(chain) or mean(chain) over all elements: the other arguments are their defaults, written
// as literals.
bool is_sum_of_op(const Ir& ir) {
  if (ir.kind != IrKind::primitive || !ir.prim || !is_fusable_reduction(*ir.prim)) return false;
  if (ir.args.empty() || !ir.args[0] || !is_op(*ir.args[0])) return false;
  const auto& params = ir.prim->signature.params;
  if (ir.args.size() != params.size()) return false;
  for (std::size_t i = 1; i < ir.args.size(); ++i) {
    const Ir* a = ir.args[i].get();
    const Value& d = *params[i].default_value;
    if (!a || a->kind != IrKind::constant || a->value.kind() != d.kind()) return false;
    if (d.is_bool() && a->value.as_bool() != d.as_bool()) return false;
  }
  return true;
}

int count_ops(const Ir& ir) {
  if (!is_op(ir)) return 0;
  int n = 1;
  for (const auto& a : ir.args) n += count_ops(*a);
  return n;
}

// No effect and no call the compiler cannot see into: its evaluation order does not matter.
bool effect_free(const Ir& ir) {
  switch (ir.kind) {
    case IrKind::constant:
    case IrKind::variable: return true;
    case IrKind::primitive:
      if (!ir.prim || !ir.prim->pure || ir.prim->effect) return false;
      for (const auto& a : ir.args)
        if (a && !effect_free(*a)) return false;
      return true;
    default: return false;
  }
}

bool same_variable(const Ir& a, const Ir& b) {
  return a.kind == IrKind::variable && b.kind == IrKind::variable && a.slot.depth == b.slot.depth &&
         a.slot.index == b.slot.index;
}

class ChainBuilder {
 public:
  // The body's copy of e: operations copied, literals kept, every other operand a parameter.
  IrPtr copy(const IrPtr& e) {
    if (is_op(*e)) {
      IrPtr out = std::make_shared<Ir>(*e);
      for (auto& a : out->args) a = copy(a);
      return out;
    }
    if (e->kind == IrKind::constant && e->value.is_number()) return std::make_shared<Ir>(*e);
    std::size_t k = 0;
    while (k < leaves.size() && !same_variable(*leaves[k], *e)) ++k;
    if (k == leaves.size()) {
      leaves.push_back(e);
      names.push_back(name_for(*e));
    }
    IrPtr v = make_ir(IrKind::variable, e->loc);
    v->name = names[k];
    v->slot = SlotRef{0, static_cast<int>(k)};
    return v;
  }

  std::vector<IrPtr> leaves;
  std::vector<std::string> names;

 private:
  // The variable's own name when no other parameter has it yet (readable dumps), else _k.
  std::string name_for(const Ir& e) const {
    std::string name = e.kind == IrKind::variable ? e.name : "";
    for (const auto& n : names)
      if (n == name) name.clear();
    return name.empty() ? "_" + std::to_string(names.size()) : name;
  }
};

void visit(IrPtr& ir);

// Whether a chain whose value has type t (infer_types) may take __fused's one pass: not when it
// is proven a Python number (the operations run one by one; scalar code takes them) or an array
// of a dtype the pass does not give (float64 or bool), nor a string or list; unknown may.
bool worth_fusing(const Type& t) {
  if (!t.known()) return true;
  if (t.kind != TypeKind::array) return false;
  return !t.dtype || *t.dtype == DType::float64 || *t.dtype == DType::bool_;
}

// Replaces the chain at `root` (an operation, or sum of one) by __fused when it is worth it.
bool fuse(IrPtr& root) {
  const bool sum = is_sum_of_op(*root);
  if (!sum && !is_op(*root)) return false;
  const int ops = sum ? count_ops(*root->args[0]) : count_ops(*root);
  if (ops < (sum ? 1 : 2)) return false;
  if (!worth_fusing((sum ? root->args[0] : root)->type)) return false;
  ChainBuilder b;
  IrPtr body;
  if (sum) {
    body = std::make_shared<Ir>(*root);
    body->args[0] = b.copy(root->args[0]);
  } else {
    body = b.copy(root);
  }
  int effects = 0;
  for (const auto& leaf : b.leaves) effects += effect_free(*leaf) ? 0 : 1;
  if (effects > 1) return false;

  auto function = std::make_shared<FunctionIr>();
  function->name = "lambda";
  function->params = b.names;
  function->slots = static_cast<int>(b.names.size());
  function->body = body;
  function->loc = root->loc;
  IrPtr lambda = make_ir(IrKind::lambda, root->loc);
  lambda->function = function;
  lambda->args.assign(function->params.size(), nullptr);

  IrPtr call = make_ir(IrKind::control, root->loc);
  call->prim = Registry::instance().find("__fused");
  call->args = {lambda};
  for (auto& leaf : b.leaves) {
    visit(leaf);  // chains inside the leaves (an argument of a call, a product's operand...)
    call->args.push_back(leaf);
  }
  call->type = root->type;  // the chain's value, computed in one pass
  root = call;
  return true;
}

void visit(IrPtr& ir) {
  if (!ir) return;
  if (fuse(ir)) return;
  for (auto& a : ir->args) visit(a);
  if (ir->function && ir->function->body) visit(ir->function->body);
}

}  // namespace

void fuse_elementwise(ProgramIr& program) { visit(program.body); }

}  // namespace larix::compiler
