#include "larix/compiler/dead_code.hpp"

#include <map>

namespace larix::compiler {

namespace {

// Slots a statement may read without "used before it is defined": the function's parameters and
// the variables defined by earlier statements of the enclosing blocks (all at depth 0).
struct Bound {
  const FunctionIr* function = nullptr;
  std::vector<int> log;    // slot indices defined so far, in order, in the function's frame
  std::vector<int> count;  // per slot index: its entries in log
  bool has(const SlotRef& slot) const {
    if (slot.depth != 0) return false;
    if (function && slot.index < static_cast<int>(function->params.size())) return true;
    return slot.index < static_cast<int>(count.size()) && count[slot.index] > 0;
  }
  void add(int index) {
    log.push_back(index);
    if (index >= static_cast<int>(count.size())) count.resize(index + 1, 0);
    ++count[index];
  }
  // What an operand defines binds nothing for sure afterwards (an if's branch may not run):
  // mark() before it, rollback() after. (Not a copy per operand: a long block would be
  // quadratic.)
  std::size_t mark() const { return log.size(); }
  void rollback(std::size_t mark) {
    for (; log.size() > mark; log.pop_back()) --count[log.back()];
  }
};

// Pure and total: evaluating `ir` has no effect and cannot raise, so dropping it changes nothing
// observable. A call of a primitive may raise (a bad index, a shape mismatch, out of memory), so
// it is never total here; constant folding already turned the ones with constant operands that
// succeed into constants. A lambda only makes a closure (its defaults must be total too).
bool pure_and_total(const Ir& ir, const Bound& bound) {
  switch (ir.kind) {
    case IrKind::constant: return true;
    case IrKind::variable: return bound.has(ir.slot);
    case IrKind::lambda:
      for (const auto& d : ir.args)
        if (d && !pure_and_total(*d, bound)) return false;
      return true;
    default: return false;  // primitives, calls, stores, control: may raise or do anything
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

  void visit(IrPtr& ir, std::vector<const void*>& owners, Bound& bound) {
    if (ir->kind == IrKind::lambda) {
      for (auto& d : ir->args)
        if (d) visit(d, owners, bound);
      owners.push_back(ir->function.get());
      Bound inner{ir->function.get(), {}};
      visit(ir->function->body, owners, inner);
      owners.pop_back();
      return;
    }
    if (ir->kind != IrKind::block) {
      // Definitions inside an operand may not run (an if's branch): they bind nothing for sure.
      const std::size_t mark = bound.mark();
      for (auto& a : ir->args)
        if (a) visit(a, owners, bound);
      bound.rollback(mark);
    }
    if (ir->kind == IrKind::control && ir->prim->name == "if" &&
        ir->args[0]->kind == IrKind::constant) {
      const Value& c = ir->args[0]->value;
      if (!c.is_array() || c.as_array_ref().size() == 1) {
        IrPtr taken = c.truthy() ? ir->args[1] : ir->args[2];
        ir = taken;
        return;
      }
    }
    if (ir->kind != IrKind::block) return;
    if (ir->parallel) {  // no order between the statements: nothing is bound for the others
      const std::size_t mark = bound.mark();
      for (auto& a : ir->args)
        if (a) visit(a, owners, bound);
      bound.rollback(mark);
      return;
    }
    std::vector<IrPtr> kept;
    for (std::size_t i = 0; i < ir->args.size(); ++i) {
      IrPtr& s = ir->args[i];
      visit(s, owners, bound);
      const bool last = i + 1 == ir->args.size();
      if (!last && pure_and_total(*s, bound)) continue;
      if (!last && s->kind == IrKind::define &&
          (pure_and_total(*s->args[0], bound) || s->args[0]->copied) &&
          reads_.reads({owners[owners.size() - 1 - s->slot.depth], s->slot.index}) == 0)
        continue;
      if (s->kind == IrKind::define && s->slot.depth == 0) bound.add(s->slot.index);
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
  Bound bound;
  dce.visit(program.body, owners, bound);
}

}  // namespace larix::compiler
