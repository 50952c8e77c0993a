#include "larix/compiler/dependencies.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace larix::compiler {

namespace {

using Slot = std::pair<int, int>;  // (depth relative to the block's frame, index)

struct Access {
  std::set<Slot> reads, writes;
  bool effect = false;
  bool barrier = false;
};

// Primitives that call the functions they are given.
bool calls_function_operands(const PrimitiveInfo& prim) {
  static const std::set<std::string> callers = {"fmap",      "parallel_map", "for_each", "filter",
                                                "fold_left", "fold_right",   "apply",    "map",
                                                "timer",     "async"};
  return callers.count(prim.name) > 0;
}

class Analyzer {
 public:
  // Functions bound once by define(f, ...) and never stored to: calls through f are "known".
  void find_known(const Ir& ir, std::vector<const void*>& owners) {
    if (ir.kind == IrKind::define && ir.args[0]->kind == IrKind::lambda)
      defined_[{owners[owners.size() - 1 - ir.slot.depth], ir.slot.index}].push_back(
          ir.args[0]->function.get());
    if (ir.kind == IrKind::store || ir.kind == IrKind::store_indexed ||
        (ir.kind == IrKind::define && ir.args[0]->kind != IrKind::lambda))
      defined_[{owners[owners.size() - 1 - ir.slot.depth], ir.slot.index}].push_back(nullptr);
    for (const auto& a : ir.args)
      if (a) find_known(*a, owners);
    if (ir.kind == IrKind::lambda) {
      owners.push_back(ir.function.get());
      find_known(*ir.function->body, owners);
      owners.pop_back();
    }
  }

  FunctionIr* known(const Ir& variable, const std::vector<const void*>& owners) const {
    if (variable.kind != IrKind::variable) return nullptr;
    auto it = defined_.find({owners[owners.size() - 1 - variable.slot.depth], variable.slot.index});
    if (it == defined_.end() || it->second.size() != 1) return nullptr;
    return it->second[0];
  }

  // Walks the tree: fills every block's deps.
  void analyze(Ir& ir, std::vector<const void*>& owners) {
    for (auto& a : ir.args)
      if (a) analyze(*a, owners);
    if (ir.kind == IrKind::lambda) {
      owners.push_back(ir.function.get());
      analyze(*ir.function->body, owners);
      owners.pop_back();
    }
    if (ir.kind == IrKind::primitive || ir.kind == IrKind::call) order_effects(ir, owners);
    if (ir.kind != IrKind::block) return;
    const std::size_t n = ir.args.size();
    ir.deps.assign(n, {});
    if (ir.parallel) return;
    std::vector<Access> access(n);
    for (std::size_t i = 0; i < n; ++i) collect(*ir.args[i], 0, owners, access[i]);
    for (std::size_t j = 0; j < n; ++j) {
      for (std::size_t i = 0; i < j; ++i) {
        if (conflict(access[i], access[j])) ir.deps[j].push_back(static_cast<int>(i));
      }
    }
    reduce(ir.deps);
  }

 private:
  // Operands of one call run at the same time; two that draw random numbers, print or touch files
  // would do so in any order. Those operands are flagged to run one after another, left to right.
  void order_effects(Ir& ir, std::vector<const void*>& owners) {
    const std::size_t first = ir.kind == IrKind::call ? 1 : 0;
    std::vector<bool> flags;
    int count = 0;
    for (std::size_t i = first; i < ir.args.size(); ++i) {
      Access acc;
      if (ir.args[i]) collect(*ir.args[i], 0, owners, acc);
      flags.push_back(acc.effect);
      count += acc.effect ? 1 : 0;
    }
    if (count >= 2) ir.ordered = std::move(flags);
  }

  static bool intersects(const std::set<Slot>& a, const std::set<Slot>& b) {
    for (const Slot& s : a)
      if (b.count(s)) return true;
    return false;
  }
  static bool conflict(const Access& a, const Access& b) {
    return a.barrier || b.barrier || (a.effect && b.effect) || intersects(a.writes, b.reads) ||
           intersects(a.writes, b.writes) || intersects(a.reads, b.writes);
  }
  // Drops dependencies implied by others (j waits for i, and i for k: j need not name k).
  static void reduce(std::vector<std::vector<int>>& deps) {
    const std::size_t n = deps.size();
    std::vector<std::vector<bool>> reach(n, std::vector<bool>(n, false));
    for (std::size_t j = 0; j < n; ++j)
      for (int i : deps[j]) {
        reach[j][i] = true;
        for (std::size_t k = 0; k < n; ++k)
          if (reach[i][k]) reach[j][k] = true;
      }
    for (std::size_t j = 0; j < n; ++j) {
      std::vector<int> direct;
      for (int i : deps[j]) {
        bool implied = false;
        for (int k : deps[j])
          if (k != i && reach[k][i]) implied = true;
        if (!implied) direct.push_back(i);
      }
      deps[j] = std::move(direct);
    }
  }

  // What evaluating `ir` (at `offset` lambda levels inside the block's frame) may touch.
  void collect(const Ir& ir, int offset, std::vector<const void*>& owners, Access& acc) {
    auto relative = [&](const SlotRef& s) -> std::optional<Slot> {
      if (s.depth < offset) return std::nullopt;  // a local of a lambda inside the statement
      return Slot{s.depth - offset, s.index};
    };
    switch (ir.kind) {
      case IrKind::variable:
        if (auto s = relative(ir.slot)) acc.reads.insert(*s);
        break;
      case IrKind::define:
      case IrKind::store:
        if (auto s = relative(ir.slot)) acc.writes.insert(*s);
        break;
      case IrKind::store_indexed:
        if (auto s = relative(ir.slot)) {
          acc.reads.insert(*s);
          acc.writes.insert(*s);
        }
        break;
      case IrKind::primitive: acc.effect |= ir.prim->effect; break;
      case IrKind::control:
        acc.effect |= ir.prim->effect;
        if (calls_function_operands(*ir.prim)) {
          for (const auto& a : ir.args) {
            if (a->kind == IrKind::lambda || a->kind == IrKind::constant) continue;
            if (FunctionIr* f = known(*a, owners)) {
              add_summary(*f, a->slot.depth - offset, acc);
              continue;
            }
            if (a->kind == IrKind::variable) acc.barrier = true;  // may hold any function
          }
        }
        break;
      case IrKind::call:
        if (FunctionIr* f = known(*ir.args[0], owners))
          add_summary(*f, ir.args[0]->slot.depth - offset, acc);
        else acc.barrier = true;
        break;
      default: break;
    }
    for (const auto& a : ir.args)
      if (a) collect(*a, offset, owners, acc);
    if (ir.kind == IrKind::lambda) {
      owners.push_back(ir.function.get());
      collect(*ir.function->body, offset + 1, owners, acc);
      owners.pop_back();
    }
  }

  // Adds what calling f may touch; f's own frame hangs below the frame `depth` levels out.
  void add_summary(FunctionIr& f, int depth, Access& acc) {
    summarize(f);
    acc.effect |= f.effects;
    acc.barrier |= f.barrier;
    for (const SlotRef& s : f.outer_reads)
      if (s.depth - 1 + depth >= 0) acc.reads.insert({s.depth - 1 + depth, s.index});
    for (const SlotRef& s : f.outer_writes)
      if (s.depth - 1 + depth >= 0) acc.writes.insert({s.depth - 1 + depth, s.index});
  }

  void summarize(FunctionIr& f) {
    if (f.analyzed || f.analyzing) return;  // recursion adds nothing new
    f.analyzing = true;
    // f's body runs in f's own frame, whose owner chain is unknown here; only known() lookups need
    // owners, and they use the function's own frame as the innermost owner.
    std::vector<const void*> owners = owner_chain(f);
    Access acc;
    collect(*f.body, 0, owners, acc);
    for (const Slot& s : acc.reads)
      if (s.first >= 1) f.outer_reads.push_back({s.first, s.second});
    for (const Slot& s : acc.writes)
      if (s.first >= 1) f.outer_writes.push_back({s.first, s.second});
    f.effects = acc.effect;
    f.barrier = acc.barrier;
    f.analyzing = false;
    f.analyzed = true;
  }

  std::vector<const void*> owner_chain(const FunctionIr& f) const {
    auto it = chains_.find(&f);
    return it == chains_.end() ? std::vector<const void*>{&f} : it->second;
  }

 public:
  void record_chains(const Ir& ir, std::vector<const void*>& owners) {
    for (const auto& a : ir.args)
      if (a) record_chains(*a, owners);
    if (ir.kind == IrKind::lambda) {
      owners.push_back(ir.function.get());
      chains_[ir.function.get()] = owners;
      record_chains(*ir.function->body, owners);
      owners.pop_back();
    }
  }

 private:
  std::map<std::pair<const void*, int>, std::vector<FunctionIr*>> defined_;
  std::map<const FunctionIr*, std::vector<const void*>> chains_;
};

}  // namespace

void analyze_dependencies(ProgramIr& program) {
  Analyzer analyzer;
  std::vector<const void*> owners{nullptr};
  analyzer.find_known(*program.body, owners);
  analyzer.record_chains(*program.body, owners);
  analyzer.analyze(*program.body, owners);
}

}  // namespace larix::compiler
