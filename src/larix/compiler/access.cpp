#include "larix/compiler/access.hpp"

#include <optional>
#include <string>

namespace larix::compiler {

bool calls_function_operands(const PrimitiveInfo& prim) {
  static const std::set<std::string> callers = {
      "fmap",   "parallel_map", "for_each",   "parallel_for_each",
      "filter", "fold_left",    "fold_right", "apply",
      "map",    "timer",        "async"};
  return callers.count(prim.name) > 0;
}

AccessAnalyzer::AccessAnalyzer(const ProgramIr& program) {
  Owners owners{nullptr};
  find_known(*program.body, owners);
  record_chains(*program.body, owners);
}

// Functions bound once by define(f, ...) and never stored to: calls through f are "known".
void AccessAnalyzer::find_known(const Ir& ir, Owners& owners) {
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

void AccessAnalyzer::record_chains(const Ir& ir, Owners& owners) {
  for (const auto& a : ir.args)
    if (a) record_chains(*a, owners);
  if (ir.kind == IrKind::lambda) {
    owners.push_back(ir.function.get());
    chains_[ir.function.get()] = owners;
    record_chains(*ir.function->body, owners);
    owners.pop_back();
  }
}

FunctionIr* AccessAnalyzer::known(const Ir& variable, const Owners& owners) const {
  if (variable.kind != IrKind::variable) return nullptr;
  auto it = defined_.find({owners[owners.size() - 1 - variable.slot.depth], variable.slot.index});
  if (it == defined_.end() || it->second.size() != 1) return nullptr;
  return it->second[0];
}

void AccessAnalyzer::collect_node(const Ir& ir, int offset, Owners& owners, Access& acc) {
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
}

void AccessAnalyzer::collect(const Ir& ir, int offset, Owners& owners, Access& acc) {
  collect_node(ir, offset, owners, acc);
  for (const auto& a : ir.args)
    if (a) collect(*a, offset, owners, acc);
  if (ir.kind == IrKind::lambda) {
    owners.push_back(ir.function.get());
    collect(*ir.function->body, offset + 1, owners, acc);
    owners.pop_back();
  }
}

// Adds what calling f may touch; f's own frame hangs below the frame `depth` levels out.
void AccessAnalyzer::add_summary(FunctionIr& f, int depth, Access& acc) {
  summarize(f);
  acc.effect |= f.effects;
  acc.barrier |= f.barrier;
  for (const SlotRef& s : f.outer_reads)
    if (s.depth - 1 + depth >= 0) acc.reads.insert({s.depth - 1 + depth, s.index});
  for (const SlotRef& s : f.outer_writes)
    if (s.depth - 1 + depth >= 0) acc.writes.insert({s.depth - 1 + depth, s.index});
}

void AccessAnalyzer::summarize(FunctionIr& f) {
  if (f.analyzed || f.analyzing) return;  // recursion adds nothing new
  f.analyzing = true;
  // f's body runs in f's own frame; known() lookups inside it use f's recorded owner chain.
  auto it = chains_.find(&f);
  Owners owners = it == chains_.end() ? Owners{&f} : it->second;
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

}  // namespace larix::compiler
