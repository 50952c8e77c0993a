#include "larix/compiler/rewrites.hpp"

#include <map>
#include <optional>

#include "larix/primitives/registry.hpp"

namespace larix::compiler {

namespace {

// The rules, tried in this order on every dot(a, b) (after its operands were rewritten).
struct Rule {
  const char* name;       // as in docs/design.md
  const char* primitive;  // what dot(a, b) becomes (primitives/rewritten_dot.cpp)
  int side;               // the operand that must be the structured call
  const char* call;       // that operand's primitive: "diag", "__add" (diag + identity), "inverse"
};
constexpr Rule kRules[] = {
    {"inv_dot_to_solve", "__dot_inverse", 0, "inverse"},
    {"diag_identity_dot", "__dot_diag_identity_left", 0, "__add"},
    {"dot_diag_identity", "__dot_diag_identity_right", 1, "__add"},
    {"diag_dot_to_row_scaling", "__dot_diag_left", 0, "diag"},
    {"dot_diag_to_column_scaling", "__dot_diag_right", 1, "diag"},
};

bool is_call(const Ir& ir, std::string_view name) {
  return ir.kind == IrKind::primitive && ir.prim->name == name;
}

bool pure_tree(const Ir& ir) {
  if (ir.kind == IrKind::constant || ir.kind == IrKind::variable) return true;
  if (ir.kind != IrKind::primitive || !ir.prim->pure || ir.prim->effect) return false;
  for (const auto& a : ir.args)
    if (!a || !pure_tree(*a)) return false;
  return true;
}

// transpose(x) with its default axes.
bool is_default_transpose(const Ir& ir) {
  return is_call(ir, "transpose") && ir.args.size() == 2 && ir.args[0] &&
         ir.args[1]->kind == IrKind::constant && ir.args[1]->value.is_nil();
}

// Whether infer_types leaves open that the value is a 2-d float64 array.
bool may_be_float64_matrix(const Type& t) {
  if (!t.known()) return true;
  return t.kind == TypeKind::array && (!t.dtype || *t.dtype == DType::float64) &&
         (t.rank < 0 || t.rank == 2);
}

IrPtr clone(const Ir& ir) {
  auto out = std::make_shared<Ir>(ir);
  for (auto& a : out->args)
    if (a) a = clone(*a);
  return out;
}

// Where a node is inside its function: the blocks around it and its statement in each.
using Path = std::vector<std::pair<const Ir*, int>>;
// A slot: its function (null: the top level) and index.
using SlotKey = std::pair<const void*, int>;

struct SlotInfo {
  int writes = 0;
  const Ir* define = nullptr;  // the define when it is the only write
  Path site;                   // where that define is
};

// Counts every write of every slot and records where single definitions are.
class WriteScan {
 public:
  std::map<SlotKey, SlotInfo> slots;

  void scan(const Ir& ir, std::vector<const void*>& owners, Path& path) {
    switch (ir.kind) {
      case IrKind::define:
      case IrKind::store:
      case IrKind::store_indexed: {
        SlotInfo& s = slots[key(ir.slot, owners)];
        // Only a define that is itself a statement runs whenever its block does (not one
        // inside an if or a loop within the statement).
        if (++s.writes == 1 && ir.kind == IrKind::define && ir.slot.depth == 0 && &ir == statement_)
          s.define = &ir, s.site = path;
        break;
      }
      case IrKind::control:
        // A control primitive may bind a variable operand (a loop variable): count it as
        // written more than once, so no rule relies on its value.
        for (const auto& a : ir.args)
          if (a && a->kind == IrKind::variable) slots[key(a->slot, owners)].writes += 2;
        break;
      default: break;
    }
    if (ir.kind == IrKind::block) {
      for (std::size_t i = 0; i < ir.args.size(); ++i) {
        path.emplace_back(&ir, static_cast<int>(i));
        statement_ = ir.args[i].get();
        scan(*ir.args[i], owners, path);
        path.pop_back();
      }
      return;
    }
    for (const auto& a : ir.args)
      if (a) scan(*a, owners, path);
    if (ir.kind == IrKind::lambda) {
      owners.push_back(ir.function.get());
      Path inner;
      scan(*ir.function->body, owners, inner);
      owners.pop_back();
    }
  }

  static SlotKey key(const SlotRef& slot, const std::vector<const void*>& owners) {
    return {owners[owners.size() - 1 - slot.depth], slot.index};
  }

 private:
  const Ir* statement_ = nullptr;  // the block statement being scanned, at its top
};

class Rewriter {
 public:
  explicit Rewriter(const WriteScan& scan) : slots_(scan.slots) {}

  void visit(IrPtr& ir, std::vector<const void*>& owners, Path& path) {
    if (ir->kind == IrKind::block) {
      for (std::size_t i = 0; i < ir->args.size(); ++i) {
        path.emplace_back(ir.get(), static_cast<int>(i));
        visit(ir->args[i], owners, path);
        path.pop_back();
      }
      return;
    }
    for (auto& a : ir->args)
      if (a) visit(a, owners, path);
    if (ir->kind == IrKind::lambda) {
      owners.push_back(ir->function.get());
      Path inner;
      visit(ir->function->body, owners, inner);
      owners.pop_back();
      return;
    }
    if (is_call(*ir, "dot") && ir->args.size() == 2) rewrite_dot(ir, owners, path);
  }

 private:
  void rewrite_dot(IrPtr& ir, const std::vector<const void*>& owners, const Path& path) {
    // reassociate_scaled_vector: (A * d) @ p, a product an earlier rule made, times a vector.
    const Ir& a = *ir->args[0];
    if (a.kind == IrKind::control &&
        (a.prim->name == "__dot_diag_right" || a.prim->name == "__dot_diag_identity_right") &&
        pure_tree(*ir->args[1])) {
      IrPtr out = make_ir(IrKind::control, ir->loc);
      out->prim = Registry::instance().find("__dot_scaled_vector");
      out->args = ir->args;
      ir = out;
      return;
    }
    // transpose_vector_dot: a transpose of what infer_types proved a vector is the vector itself
    // (x.T @ y on vectors is dot(x, y)); a vector's transpose cannot fail.
    bool dropped = false;
    for (auto& operand : ir->args) {
      if (is_default_transpose(*operand) && operand->args[0]->type.kind == TypeKind::array &&
          operand->args[0]->type.rank == 1) {
        operand = operand->args[0];
        dropped = true;
      }
    }
    if (dropped) return;
    // symmetric_product: A.T @ A and A @ A.T, A one variable read twice that may be a 2-d float64
    // array (__dot_syrk_* check the values and compute the product as written otherwise).
    for (int side = 0; side < 2; ++side) {
      const Ir& t = *ir->args[side];
      const Ir& other = *ir->args[1 - side];
      if (!is_default_transpose(t) || t.args[0]->kind != IrKind::variable ||
          other.kind != IrKind::variable || other.slot.depth != t.args[0]->slot.depth ||
          other.slot.index != t.args[0]->slot.index || !may_be_float64_matrix(other.type))
        continue;
      IrPtr out = make_ir(IrKind::control, ir->loc);
      out->prim = Registry::instance().find(side == 0 ? "__dot_syrk_left" : "__dot_syrk_right");
      LARIX_ASSERT(out->prim, "rewrite_algebra: no symmetric product primitive");
      out->args = ir->args;
      out->type = ir->type;
      ir = out;
      return;
    }
    for (const Rule& rule : kRules) {
      IrPtr call = structured(ir->args[rule.side], rule.call, owners, path);
      if (!call || !pure_tree(*call) || !pure_tree(*ir->args[1 - rule.side])) continue;
      IrPtr out = make_ir(IrKind::control, ir->loc);
      out->prim = Registry::instance().find(rule.primitive);
      LARIX_ASSERT(out->prim, "rewrite_algebra: no primitive ", rule.primitive);
      out->args = ir->args;
      out->args[rule.side] = call;
      ir = out;
      return;
    }
  }

  // `operand` as the call `name` (for "__add": diag(...) + identity(...) or eye(...)), reading
  // through variables defined once; null when it is not one.
  IrPtr structured(const IrPtr& operand, std::string_view name,
                   const std::vector<const void*>& owners, const Path& path) {
    if (name == "__add") {
      IrPtr sum = resolve(operand, {"__add"}, owners, path);
      if (!sum || sum->args.size() != 2) return nullptr;
      IrPtr d = resolve(sum->args[0], {"diag"}, owners, path);
      IrPtr i = resolve(sum->args[1], {"identity", "eye"}, owners, path);
      if (!d || !i) return nullptr;
      if (d != sum->args[0] || i != sum->args[1]) {
        sum = sum == operand ? std::make_shared<Ir>(*sum) : sum;
        sum->args = {d, i};
      }
      return sum;
    }
    return resolve(operand, {name}, owners, path);
  }

  // `ir` when it is a call of one of `names`; for a variable defined once as such a call, whose
  // operands are constants or variables that still hold the values they had at that definition,
  // a copy of the call (which keeps its source locations, so its errors point where they did).
  IrPtr resolve(const IrPtr& ir, std::initializer_list<std::string_view> names,
                const std::vector<const void*>& owners, const Path& path) {
    auto named = [&](const Ir& x) {
      for (std::string_view n : names)
        if (is_call(x, n)) return true;
      return false;
    };
    if (named(*ir)) return ir;
    if (ir->kind != IrKind::variable || ir->slot.depth != 0) return nullptr;
    const SlotInfo* v = single_definition(ir->slot, owners, path);
    if (!v || !named(*v->define->args[0])) return nullptr;
    for (const auto& a : v->define->args[0]->args) {
      if (!a) return nullptr;
      if (a->kind == IrKind::constant) continue;
      if (a->kind != IrKind::variable || a->slot.depth != 0) return nullptr;
      // Unchanged between the definition and here: a parameter never assigned, or a variable
      // defined once, before both.
      if (!unassigned_parameter(a->slot, owners) && (!single_definition(a->slot, owners, path) ||
                                                     !single_definition(a->slot, owners, v->site)))
        return nullptr;
    }
    IrPtr copy = clone(*v->define->args[0]);
    v->define->args[0]->copied = true;
    return copy;
  }

  bool unassigned_parameter(const SlotRef& slot, const std::vector<const void*>& owners) const {
    const auto* f = static_cast<const FunctionIr*>(owners[owners.size() - 1 - slot.depth]);
    if (!f || slot.index >= static_cast<int>(f->params.size())) return false;
    auto it = slots_.find(WriteScan::key(slot, owners));
    return it == slots_.end() || it->second.writes == 0;
  }

  // The slot's only write when it is a define that has run, and not run again, whenever `at` runs:
  // the define is statement i of a block that holds `at` in a statement after i.
  const SlotInfo* single_definition(const SlotRef& slot, const std::vector<const void*>& owners,
                                    const Path& at) const {
    auto it = slots_.find(WriteScan::key(slot, owners));
    if (it == slots_.end() || it->second.writes != 1 || !it->second.define) return nullptr;
    const Path& site = it->second.site;
    if (site.empty() || at.size() < site.size()) return nullptr;
    const std::size_t m = site.size() - 1;
    for (std::size_t k = 0; k < m; ++k)
      if (at[k] != site[k]) return nullptr;
    if (at[m].first != site[m].first || at[m].second <= site[m].second) return nullptr;
    return &it->second;
  }

  const std::map<SlotKey, SlotInfo>& slots_;
};

}  // namespace

void rewrite_algebra(ProgramIr& program) {
  WriteScan scan;
  std::vector<const void*> owners{nullptr};
  Path path;
  scan.scan(*program.body, owners, path);
  Rewriter rewriter(scan);
  rewriter.visit(program.body, owners, path);
}

}  // namespace larix::compiler
