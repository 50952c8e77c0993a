#include "larix/compiler/dead_code.hpp"

#include <map>

namespace larix::compiler {

namespace {

bool side_effect_free(const Ir& ir) {
  switch (ir.kind) {
    case IrKind::constant:
    case IrKind::variable: return true;
    case IrKind::lambda:
      for (const auto& d : ir.args)
        if (d && !side_effect_free(*d)) return false;
      return true;
    case IrKind::primitive:
      if (!ir.prim->pure) return false;
      for (const auto& a : ir.args)
        if (!side_effect_free(*a)) return false;
      return true;
    default: return false;  // calls, stores, control: may do anything
  }
}

// Owner of a slot: the FunctionIr (or null for the top level) and the index.
using SlotKey = std::pair<const void*, int>;

class ReadCounter {
 public:
  void count(const Ir& ir, std::vector<const void*>& owners) {
    if (ir.kind == IrKind::variable || ir.kind == IrKind::store_indexed)
      ++reads_[{owners[owners.size() - 1 - ir.slot.depth], ir.slot.index}];
    for (const auto& a : ir.args)
      if (a) count(*a, owners);
    if (ir.kind == IrKind::lambda) {
      owners.push_back(ir.function.get());
      count(*ir.function->body, owners);
      owners.pop_back();
    }
  }
  int reads(SlotKey k) const {
    auto it = reads_.find(k);
    return it == reads_.end() ? 0 : it->second;
  }

 private:
  std::map<SlotKey, int> reads_;
};

class Dce {
 public:
  explicit Dce(const ReadCounter& reads) : reads_(reads) {}

  void visit(IrPtr& ir, std::vector<const void*>& owners) {
    if (ir->kind == IrKind::lambda) {
      for (auto& d : ir->args)
        if (d) visit(d, owners);
      owners.push_back(ir->function.get());
      visit(ir->function->body, owners);
      owners.pop_back();
      return;
    }
    for (auto& a : ir->args)
      if (a) visit(a, owners);
    if (ir->kind == IrKind::control && ir->prim->name == "if" &&
        ir->args[0]->kind == IrKind::constant) {
      const Value& c = ir->args[0]->value;
      if (!c.is_array() || c.as_array_ref().size() == 1) {
        IrPtr taken = c.truthy() ? ir->args[1] : ir->args[2];
        ir = taken;
        return;
      }
    }
    if (ir->kind != IrKind::block || ir->parallel) return;
    std::vector<IrPtr> kept;
    for (std::size_t i = 0; i < ir->args.size(); ++i) {
      IrPtr& s = ir->args[i];
      const bool last = i + 1 == ir->args.size();
      if (!last && side_effect_free(*s)) continue;
      if (!last && s->kind == IrKind::define && side_effect_free(*s->args[0]) &&
          reads_.reads({owners[owners.size() - 1 - s->slot.depth], s->slot.index}) == 0)
        continue;
      kept.push_back(s);
    }
    ir->args = std::move(kept);
  }

 private:
  const ReadCounter& reads_;
};

}  // namespace

void eliminate_dead_code(ProgramIr& program) {
  ReadCounter reads;
  std::vector<const void*> owners{nullptr};
  reads.count(*program.body, owners);
  Dce dce(reads);
  dce.visit(program.body, owners);
}

}  // namespace larix::compiler
