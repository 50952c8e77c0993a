#include "larix/compiler/scalar_code.hpp"

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace larix::compiler {

namespace {

struct OpInfo {
  ScalarOp op;
  int min_args;  // 2 for binary (more: Phylanx's n-ary form, when the primitive takes it), 1 unary
};

const std::unordered_map<std::string, OpInfo>& op_table() {
  static const std::unordered_map<std::string, OpInfo> table = {
      {"__add", {ScalarOp::add, 2}},
      {"__sub", {ScalarOp::subtract, 2}},
      {"__mul", {ScalarOp::multiply, 2}},
      {"__div", {ScalarOp::divide, 2}},
      {"__floordiv", {ScalarOp::floor_divide, 2}},
      {"__mod", {ScalarOp::mod, 2}},
      {"power", {ScalarOp::power, 2}},
      {"__minus", {ScalarOp::negative, 1}},
      {"__eq", {ScalarOp::equal, 2}},
      {"__ne", {ScalarOp::not_equal, 2}},
      {"__lt", {ScalarOp::less, 2}},
      {"__le", {ScalarOp::less_equal, 2}},
      {"__gt", {ScalarOp::greater, 2}},
      {"__ge", {ScalarOp::greater_equal, 2}},
      {"__and", {ScalarOp::logical_and, 2}},
      {"__or", {ScalarOp::logical_or, 2}},
      {"__xor", {ScalarOp::logical_xor, 2}},
      {"__not", {ScalarOp::logical_not, 1}},
      {"__subscript", {ScalarOp::subscript, 2}},
  };
  return table;
}

// Frames are told apart by their owner: the function whose activation they are (null: the top
// level). `owners` is the chain from the top level to the function being looked at.
using Owners = std::vector<const FunctionIr*>;
using SlotKey = std::pair<const FunctionIr*, int>;

class Analysis {
 public:
  Analysis(const Ir& root, bool marked_only) : marked_only_(marked_only) {
    Owners owners{nullptr};
    find_writes(root, owners);
    // Every function may be scalar until its body shows otherwise; a body that is not makes the
    // calls of its function not scalar, which may make other bodies not scalar: repeat until
    // nothing changes (each round only removes functions, so this ends).
    bool changed = true;
    while (changed) {
      info_ = {};
      changed = false;
      visit(root, owners, changed);
    }
  }
  ScalarCodeInfo take() { return std::move(info_); }

 private:
  // Records which functions may be in a slot: those a define(f, lambda) puts there, null for
  // any other write (a store, a define of another value, a parameter's argument).
  void find_writes(const Ir& ir, Owners& owners) {
    if (ir.kind == IrKind::define || ir.kind == IrKind::store || ir.kind == IrKind::store_indexed) {
      const bool function = ir.kind == IrKind::define && ir.args[0]->kind == IrKind::lambda;
      writes_[key(ir.slot, owners)].push_back(function ? ir.args[0]->function.get() : nullptr);
    }
    for (const auto& a : ir.args)
      if (a) find_writes(*a, owners);
    if (ir.kind == IrKind::lambda) {
      const FunctionIr* f = ir.function.get();
      bool defaults = false;
      for (const auto& d : ir.args) defaults = defaults || d;
      if (!defaults) function_scalar_.emplace(f, true);
      owners.push_back(f);
      find_writes(*ir.function->body, owners);
      owners.pop_back();
    }
  }

  static SlotKey key(SlotRef slot, const Owners& owners) {
    return {owners[owners.size() - 1 - static_cast<std::size_t>(slot.depth)], slot.index};
  }

  // The function a variable always holds once it is bound (bound once, by define), or null.
  const FunctionIr* known(const Ir& variable, const Owners& owners) const {
    if (variable.kind != IrKind::variable) return nullptr;
    const SlotKey k = key(variable.slot, owners);
    if (k.first && k.second < static_cast<int>(k.first->params.size())) return nullptr;
    auto it = writes_.find(k);
    if (it == writes_.end() || it->second.size() != 1) return nullptr;
    return it->second[0];
  }

  bool function_scalar(const FunctionIr* f) const {
    auto it = function_scalar_.find(f);
    return it != function_scalar_.end() && it->second;
  }

  // Whether `ir` is scalar code; visits all of it (recording every node that is). `subscripted`:
  // `ir` is the array operand of a subscript (a variable there may be an array).
  bool visit(const Ir& ir, Owners& owners, bool& changed, bool subscripted = false) {
    if (is_fused(ir)) return visit_fused(ir, owners, changed);
    bool ok = true;
    const bool subscript = is_subscript(ir);
    for (std::size_t i = 0; i < ir.args.size(); ++i)
      ok = (ir.args[i] && visit(*ir.args[i], owners, changed, subscript && i == 0)) && ok;
    switch (ir.kind) {
      case IrKind::constant:
      case IrKind::variable: break;
      case IrKind::define:
      case IrKind::store: ok = ok && ir.args[0]->kind != IrKind::lambda; break;
      case IrKind::block: ok = ok && !ir.parallel; break;
      case IrKind::primitive: {
        auto it = op_table().find(ir.prim->name);
        ok = ok && it != op_table().end() && ir.ordered.empty() &&
             (it->second.min_args == 1 ? ir.args.size() == 1 : ir.args.size() >= 2);
        break;
      }
      case IrKind::control: {
        const std::string& name = ir.prim->name;
        ok = ok && ((name == "if" && (ir.args.size() == 2 || ir.args.size() == 3)) ||
                    (name == "while" && ir.args.size() == 2) ||
                    (name == "for" && ir.args.size() == 4 && !ir.parallel_loop));
        // A parallel loop reads its start and stop out of its init and condition nodes.
        if (ir.parallel_loop)
          for (std::size_t i = 0; i < 3 && i < ir.args.size(); ++i) forget(*ir.args[i]);
        break;
      }
      case IrKind::call: {
        const FunctionIr* f = known(*ir.args[0], owners);
        ok = ok && f && function_scalar(f) && ir.keywords.empty() && ir.ordered.empty() &&
             ir.args.size() - 1 == f->params.size();
        if (ok) info_.calls[&ir] = f;
        break;
      }
      case IrKind::lambda: {
        owners.push_back(ir.function.get());
        const bool body = visit(*ir.function->body, owners, changed);
        owners.pop_back();
        auto it = function_scalar_.find(ir.function.get());
        if (!body && it != function_scalar_.end() && it->second) {
          it->second = false;
          changed = true;
        }
        ok = false;
        break;
      }
      case IrKind::store_indexed: break;  // x[i, ...] = v: its value and indices scalar code
      default: ok = false;
    }
    // A subscript may be an array (its value then goes where it goes: the kernel makes it, and
    // arithmetic on it is not scalar code by this same rule).
    ok = ok &&
         ((subscripted && ir.kind == IrKind::variable) || subscript || !proven_not_a_number(ir)) &&
         (!marked_only_ || ir.scalar);
    if (ok) info_.nodes.insert(&ir);
    return ok;
  }

  static bool is_subscript(const Ir& ir) {
    return ir.kind == IrKind::primitive && ir.prim->name == "__subscript";
  }

  // A value infer_types proved an array, a string, a list or a dict: a ScalarNode would hand it
  // to the generic path at once (prefer_generic), so it is not scalar code. (A function is the
  // callee of a call.) The kind of a node survives the passes after infer_types: they copy nodes
  // with their types. A 0-d float64 or int64 array is NumPy's scalar, a number scalar code
  // computes on.
  static bool proven_not_a_number(const Ir& ir) {
    if (ir.kind != IrKind::constant && ir.kind != IrKind::variable &&
        ir.kind != IrKind::primitive && ir.kind != IrKind::call)
      return false;
    switch (ir.type.kind) {
      case TypeKind::array:
        return !(ir.type.rank == 0 &&
                 (ir.type.dtype == DType::float64 || ir.type.dtype == DType::int64));
      case TypeKind::string:
      case TypeKind::list:
      case TypeKind::dict: return true;
      default: return false;
    }
  }

  static bool is_fused(const Ir& ir) {
    return ir.kind == IrKind::control && ir.prim->name == "__fused" && !ir.args.empty() &&
           ir.args[0] && ir.args[0]->kind == IrKind::lambda;
  }

  // A chain's body reads its parameters only (fuse_elementwise makes every other operand one).
  static bool reads_own_slots_only(const Ir& ir) {
    if (ir.kind == IrKind::variable && ir.slot.depth != 0) return false;
    for (const auto& a : ir.args)
      if (!a || !reads_own_slots_only(*a)) return false;
    return !ir.function;
  }

  // __fused(lambda(params, chain), leaves...) (compiler/fuse_elementwise.hpp) is scalar code when
  // the leaves and the chain are: the chain then runs on the leaves' values as written. The
  // lambda's body stays generic nodes where it is lowered (the fused node reads the chain out of
  // them): it is recorded as the chain of this call, not as scalar code of its own.
  bool visit_fused(const Ir& ir, Owners& owners, bool& changed) {
    bool ok = true;
    for (std::size_t i = 1; i < ir.args.size(); ++i)
      ok = (ir.args[i] && visit(*ir.args[i], owners, changed)) && ok;
    const Ir& lambda = *ir.args[0];
    for (const auto& d : lambda.args) ok = ok && !d;  // no defaults
    const FunctionIr& chain = *lambda.function;
    owners.push_back(&chain);
    const bool marked_only = marked_only_;
    marked_only_ = false;  // the chain carries no marks of its own: the __fused node's counts
    ok = visit(*chain.body, owners, changed) && ok;
    marked_only_ = marked_only;
    owners.pop_back();
    forget(*chain.body);
    ok = ok && reads_own_slots_only(*chain.body) && chain.params.size() + 1 == ir.args.size() &&
         (!marked_only_ || ir.scalar);
    if (ok) {
      info_.nodes.insert(&ir);
      info_.fused[&ir] = &chain;
    }
    return ok;
  }

  void forget(const Ir& ir) {
    info_.nodes.erase(&ir);
    info_.calls.erase(&ir);
    info_.fused.erase(&ir);
    for (const auto& a : ir.args)
      if (a) forget(*a);
  }

  bool marked_only_;
  std::map<SlotKey, std::vector<const FunctionIr*>> writes_;
  std::map<const FunctionIr*, bool> function_scalar_;
  ScalarCodeInfo info_;
};

void set_marks(Ir& ir, const std::unordered_set<const Ir*>& nodes) {
  ir.scalar = nodes.count(&ir) > 0;
  for_each_operand(ir, [&](IrPtr& a) { set_marks(*a, nodes); });
}

}  // namespace

ScalarCodeInfo scalar_code(const Ir& root, bool marked_only) {
  return Analysis(root, marked_only).take();
}

void mark_scalar_code(ProgramIr& program) {
  set_marks(*program.body, scalar_code(*program.body, false).nodes);
}

std::optional<ScalarOp> scalar_op(const PrimitiveInfo& prim) {
  auto it = op_table().find(prim.name);
  if (it == op_table().end()) return std::nullopt;
  return it->second.op;
}

}  // namespace larix::compiler
