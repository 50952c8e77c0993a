#include "larix/compiler/cse.hpp"

#include <map>
#include <sstream>

namespace larix::compiler {

namespace {

// A key that identifies an expression by structure and resolved slots.
std::string key(const Ir& ir) {
  std::ostringstream out;
  switch (ir.kind) {
    case IrKind::constant: out << "c:" << ir.value.type_name() << ":" << ir.value.repr(); break;
    case IrKind::variable: out << "v:" << ir.slot.depth << ":" << ir.slot.index; break;
    case IrKind::primitive:
      out << "p:" << ir.prim->name << "(";
      for (const auto& a : ir.args) out << key(*a) << ",";
      out << ")";
      break;
    default: out << "x:" << &ir; break;  // never equal to anything else
  }
  return out.str();
}

bool pure_tree(const Ir& ir) {
  if (ir.kind == IrKind::constant || ir.kind == IrKind::variable) return true;
  if (ir.kind != IrKind::primitive || !ir.prim->pure) return false;
  for (const auto& a : ir.args)
    if (!pure_tree(*a)) return false;
  return true;
}

// Collects the eagerly evaluated pure primitive calls of a statement.
void collect(IrPtr& ir, std::map<std::string, std::vector<IrPtr*>>& seen) {
  if (ir->kind == IrKind::define || ir->kind == IrKind::store) {
    collect(ir->args[0], seen);
    return;
  }
  if (ir->kind != IrKind::primitive) return;
  if (pure_tree(*ir)) {
    bool has_variable_operand = false;
    for (const auto& a : ir->args) has_variable_operand |= a->kind != IrKind::constant;
    if (has_variable_operand) seen[key(*ir)].push_back(&ir);
  }
  for (auto& a : ir->args) collect(a, seen);
}

class Cse {
 public:
  // Statement positions: block statements, function bodies, control operands.
  void statement(IrPtr& ir, int& slots) {
    // Hoist the largest repeated expression, then look again (its parts now occur once, and
    // pointers into replaced subtrees are stale). A part of an earlier hoisted expression that
    // repeats elsewhere is defined before it, hence the insertion at the front.
    std::vector<IrPtr> hoisted;
    while (true) {
      std::map<std::string, std::vector<IrPtr*>> seen;
      collect(ir, seen);
      for (auto& h : hoisted) collect(h, seen);
      const std::vector<IrPtr*>* best = nullptr;
      std::size_t best_size = 0;
      for (const auto& [k, places] : seen)
        if (places.size() > 1 && k.size() > best_size) best = &places, best_size = k.size();
      if (!best) break;
      const int slot = slots++;
      const std::string name = "__cse" + std::to_string(slot);
      IrPtr define = make_ir(IrKind::define, (*(*best)[0])->loc);
      define->name = name;
      define->slot = {0, slot};
      define->args.push_back(*(*best)[0]);
      for (IrPtr* p : *best) {
        IrPtr read = make_ir(IrKind::variable, (*p)->loc);
        read->name = name;
        read->slot = {0, slot};
        *p = read;
      }
      hoisted.insert(hoisted.begin(), define);
    }
    if (!hoisted.empty()) {
      IrPtr block = make_ir(IrKind::block, ir->loc);
      block->args = std::move(hoisted);
      block->args.push_back(ir);
      ir = block;
    }
    nested(ir, slots);
  }

 private:
  // Recurse into the places inside a statement that are statements of their own.
  void nested(IrPtr& ir, int& slots) {
    switch (ir->kind) {
      case IrKind::block:
        for (auto& s : ir->args) statement(s, slots);
        return;
      case IrKind::lambda:
        for (auto& d : ir->args)
          if (d) nested(d, slots);
        statement(ir->function->body, ir->function->slots);
        return;
      case IrKind::control:
        for (auto& a : ir->args) statement(a, slots);
        return;
      default:
        for (auto& a : ir->args)
          if (a) nested(a, slots);
    }
  }
};

}  // namespace

void eliminate_common_subexpressions(ProgramIr& program) {
  Cse cse;
  cse.statement(program.body, program.slots);
}

}  // namespace larix::compiler
