#include "larix/compiler/parallel_loops.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "larix/compiler/access.hpp"
#include "larix/primitives/registry.hpp"

namespace larix::compiler {

namespace {

using Slots = std::set<int>;  // slots of the loop's own frame

// Why an automatic loop stays sequential (thrown while one loop is analysed, caught per loop).
struct Sequential {
  std::string why;
  SourceLoc where;
};

bool is_variable(const Ir& ir, int depth, int index) {
  return ir.kind == IrKind::variable && ir.slot.depth == depth && ir.slot.index == index;
}

bool is_primitive(const Ir& ir, std::string_view name) {
  return ir.kind == IrKind::primitive && ir.prim->name == name;
}

std::optional<std::int64_t> int_constant(const Ir& ir) {
  if (ir.kind == IrKind::constant && ir.value.is_int()) return ir.value.as_int();
  return std::nullopt;
}

// An index that selects along exactly one axis of any array: an int, nil (the whole axis) or a
// slice '(start, stop, step) of ints and nils. ("...", "newaxis", masks and index arrays move or
// consume axes, so the axis the loop variable indexes after them is not known.)
bool one_axis_index(const Ir& ir) {
  if (ir.kind != IrKind::constant) return false;
  const Value& v = ir.value;
  if (v.is_int() || v.is_nil()) return true;
  if (!v.is_list()) return false;
  const List& parts = v.as_list();
  return parts.size() >= 2 && parts.size() <= 3 &&
         std::all_of(parts.begin(), parts.end(),
                     [](const Value& p) { return p.is_int() || p.is_nil(); });
}

// Primitives that read only an array's shape or type, which element writes do not change.
bool reads_metadata_only(const Ir& ir) {
  static const std::set<std::string> names = {"shape", "__len", "ndim", "size", "dtype"};
  return ir.kind == IrKind::primitive && names.count(ir.prim->name) > 0 && !ir.args.empty() &&
         ir.args[0] && ir.args[0]->kind == IrKind::variable;
}

// The slots of the current frame that `ir` reads, `offset` lambda levels in; a variable that is
// only the operand of a metadata primitive (shape(x), __len(x)) does not count.
void value_reads(const Ir& ir, int offset, Slots& out) {
  if (ir.kind == IrKind::variable && ir.slot.depth == offset) out.insert(ir.slot.index);
  if (ir.kind == IrKind::store_indexed && ir.slot.depth == offset) out.insert(ir.slot.index);
  const bool metadata = reads_metadata_only(ir);
  for (std::size_t i = 0; i < ir.args.size(); ++i)
    if (ir.args[i] && !(metadata && i == 0)) value_reads(*ir.args[i], offset, out);
  if (ir.kind == IrKind::lambda) value_reads(*ir.function->body, offset + 1, out);
}

bool reads_slot(const Ir& ir, int index) {
  Slots reads;
  value_reads(ir, 0, reads);
  return reads.count(index) > 0;
}

// Whether anything in `ir` except `skip` reads slot `index` of the frame `offset` levels out.
bool reads_outside(const Ir& ir, const Ir* skip, int offset, int index) {
  if (&ir == skip) return false;
  if (ir.kind == IrKind::variable && ir.slot.depth == offset && ir.slot.index == index) return true;
  if (ir.kind == IrKind::store_indexed && ir.slot.depth == offset && ir.slot.index == index)
    return true;
  for (const auto& a : ir.args)
    if (a && reads_outside(*a, skip, offset, index)) return true;
  return ir.kind == IrKind::lambda && reads_outside(*ir.function->body, skip, offset + 1, index);
}

// The analysis of one loop.
class LoopChecker {
 public:
  LoopChecker(AccessAnalyzer& access, Owners& owners, Ir& loop, const Ir& function_body,
              bool promised, const Slots& owned_outside, const Slots& outer_indices)
      : access_(access),
        owners_(owners),
        loop_(loop),
        function_body_(function_body),
        promised_(promised),
        owned_outside_(owned_outside),
        outer_indices_(outer_indices) {}

  // The loop's plan; throws Sequential (automatic loops) or a compile error (promised ones).
  ParallelLoopSpec check() {
    match_header();
    gather(loop_.args[3], 0);
    const std::string& index_name = loop_.args[0]->name;
    for (const auto& [slot, where] : plain_)
      if (slot == index_) race("the body assigns the loop variable '" + index_name + "'", where);
    find_aliases();
    find_reductions();
    for (auto& [slot, sites] : indexed_)
      if (!plain_.count(slot)) owned_[slot] = write_axis(slot, sites);
    check_bounds();
    Slots assigned;
    walk(loop_.args[3], 0, assigned);
    // A variable assigned in some iterations only, and read after the loop, would get the value
    // of whichever iteration ran last in its chunk, not the sequentially last one.
    for (const auto& [slot, where] : plain_) {
      if (assigned.count(slot) || reductions_.count(slot) ||
          !reads_outside(function_body_, &loop_, 0, slot))
        continue;
      unprovable(
          "'" + name_of(slot) + "' is assigned in some iterations only and read after the loop",
          where);
    }

    for (IrPtr* read : own_reads_) {  // reads of an owned array at the own index: a copy
      IrPtr copy = make_ir(IrKind::primitive, (*read)->loc);
      copy->prim = &own_part_reader();
      copy->args.push_back(*read);
      *read = copy;
    }
    ParallelLoopSpec spec;
    spec.index = index_;
    spec.step = step_;
    for (auto& [slot, axis] : owned_) {
      for (Ir* site : indexed_[slot]) site->prim = &owned_store_writer(*site->prim);
      spec.owned.push_back(slot);
      if (owned_outside_.count(slot)) spec.owned_outside.push_back(slot);
    }
    for (const auto& [slot, where] : plain_)
      if (!reductions_.count(slot)) spec.privates.push_back(slot);
    for (const auto& [slot, op] : reductions_)
      spec.reductions.push_back({slot, op, !promised_ && integer_sums_.count(slot) > 0});
    return spec;
  }

  // Whether the loop has the counting form; its variable is then a scalar in the body.
  bool counting() const { return counting_; }
  int index() const { return index_; }

  std::vector<int> owned_slots() const {
    std::vector<int> out;
    for (const auto& [slot, axis] : owned_) out.push_back(slot);
    return out;
  }

 private:
  // Something that makes the loop's iterations interfere: an error in a promised loop.
  [[noreturn]] void race(const std::string& why, const SourceLoc& where) {
    if (promised_)
      throw Error(ErrorKind::syntax, "parallel loop: " + why + " (iterations run at the same time)",
                  where);
    throw Sequential{why, where};
  }
  // Something the compiler cannot prove harmless: a promised loop is trusted.
  void unprovable(const std::string& why, const SourceLoc& where) {
    if (!promised_) throw Sequential{why, where};
  }
  // Not of the form the parallel loop runs.
  [[noreturn]] void bad_form(const std::string& why, const SourceLoc& where) {
    if (promised_)
      throw Error(ErrorKind::syntax,
                  "parallel_for needs the form parallel_for(define(i, start), i < stop, "
                  "store(i, i + step), body) with a constant step: " +
                      why,
                  where);
    throw Sequential{why, where};
  }

  std::string name_of(int slot) const {
    auto it = names_.find(slot);
    return it == names_.end() ? "?" : it->second;
  }

  // for(define(i, start), i < stop, store(i, i + step), body), step a nonzero constant.
  void match_header() {
    if (loop_.args.size() != 4 || !loop_.args[0] || !loop_.args[1] || !loop_.args[2] ||
        !loop_.args[3])
      bad_form("it is not a four-part loop", loop_.loc);
    const Ir& init = *loop_.args[0];
    if ((init.kind != IrKind::define && init.kind != IrKind::store) || init.slot.depth != 0)
      bad_form("it does not start by assigning the loop variable", init.loc);
    index_ = init.slot.index;
    names_[index_] = init.name;
    const Ir& cond = *loop_.args[1];
    const bool less = is_primitive(cond, "__lt");
    if (!(less || is_primitive(cond, "__gt")) || !is_variable(*cond.args[0], 0, index_))
      bad_form("its condition is not '" + init.name + " < stop' (a break, or a while-style loop)",
               cond.loc);
    const Ir& reinit = *loop_.args[2];
    std::optional<std::int64_t> step;
    if (reinit.kind == IrKind::store && reinit.slot.depth == 0 && reinit.slot.index == index_) {
      const Ir& next = *reinit.args[0];
      if (is_primitive(next, "__add") && is_variable(*next.args[0], 0, index_))
        step = int_constant(*next.args[1]);
      else if (is_primitive(next, "__add") && is_variable(*next.args[1], 0, index_))
        step = int_constant(*next.args[0]);
      else if (is_primitive(next, "__sub") && is_variable(*next.args[0], 0, index_)) {
        step = int_constant(*next.args[1]);
        if (step) step = -*step;
      }
    }
    if (!step || *step == 0) bad_form("its step is not a constant", reinit.loc);
    if ((*step > 0) != less) bad_form("its step goes away from its bound", reinit.loc);
    step_ = *step;
    counting_ = true;
  }

  // Variables the body's first statements set to the loop variable, and never assign again.
  void find_aliases() {
    const Ir& body = *loop_.args[3];
    std::vector<const Ir*> first;
    if (body.kind == IrKind::block) {
      for (const auto& s : body.args) first.push_back(s.get());
    } else {
      first.push_back(&body);
    }
    std::map<int, int> assignments;
    count_assignments(body, 0, assignments);
    for (const Ir* s : first) {
      if ((s->kind != IrKind::define && s->kind != IrKind::store) || s->slot.depth != 0 ||
          !is_variable(*s->args[0], 0, index_) || assignments[s->slot.index] != 1)
        break;
      aliases_.insert(s->slot.index);
      names_[index_] = s->name;  // messages name the user's variable
    }
  }

  static void count_assignments(const Ir& ir, int offset, std::map<int, int>& out) {
    if ((ir.kind == IrKind::define || ir.kind == IrKind::store) && ir.slot.depth == offset)
      ++out[ir.slot.index];
    for (const auto& a : ir.args)
      if (a) count_assignments(*a, offset, out);
    if (ir.kind == IrKind::lambda) count_assignments(*ir.function->body, offset + 1, out);
  }

  // Variables the body only accumulates into, `s = s + e`, `s = maximum(s, e)` or
  // `s = minimum(s, e)` (e not reading s), and reads nowhere else: a reduction over the
  // iterations. The iterations of a chunk reduce into a partial of their own (a sum from 0, a
  // maximum or minimum from s's value before the loop), and the partials are combined into s in
  // chunk order. That changes the order of a floating-point sum, so only a promised loop
  // (larix.prange) sums; maximum and minimum give the same value in any order.
  void find_reductions() {
    for (const auto& [slot, where] : plain_) {
      std::vector<const Ir*> stores;
      std::vector<int> operand;
      collect_assignments(*loop_.args[3], 0, slot, stores);
      std::string op;
      bool reduction = !stores.empty();
      for (const Ir* st : stores) {
        if (!st || st->kind != IrKind::store) {  // a define, or inside a function of the loop
          reduction = false;
          break;
        }
        const Ir& value = *st->args[0];
        int e = -1;
        if (value.kind == IrKind::primitive && value.args.size() >= 2 &&
            (op.empty() || value.prim->name == op) &&
            (value.prim->name == "__add" || value.prim->name == "maximum" ||
             value.prim->name == "minimum")) {
          if (is_variable(*value.args[0], 0, slot)) e = 1;
          else if (is_variable(*value.args[1], 0, slot)) e = 0;
          for (std::size_t k = 2; k < value.args.size(); ++k)
            if (value.args[k]->kind != IrKind::constant) e = -1;  // keywords given
        }
        if (e < 0 || reads_slot(*value.args[static_cast<std::size_t>(e)], slot)) {
          reduction = false;
          break;
        }
        op = value.prim->name;
        operand.push_back(e);
      }
      if (!reduction || reads_beyond(*loop_.args[3], 0, slot, stores)) continue;
      // A sum of integers has the same value in any order (int64 wraps): a count, a sum of
      // indices. It stays one when s is an int when the loop starts (checked then).
      bool integers = op == "__add";
      for (std::size_t k = 0; k < stores.size(); ++k)
        integers &= integer_valued(*stores[k]->args[0]->args[static_cast<std::size_t>(operand[k])]);
      if (integers) integer_sums_.insert(slot);
      if (!promised_ && op == "__add" && !integers)
        throw Sequential{"'" + name_of(slot) +
                             "' is summed over the iterations; a parallel sum changes the order "
                             "of the additions (larix.prange allows that)",
                         where};
      reductions_[slot] = op;
      for (std::size_t k = 0; k < stores.size(); ++k) accumulations_[stores[k]] = operand[k];
    }
  }

  // Whether e is surely an integer: an int constant, the loop's variable (or a copy), the variable
  // of an enclosing counting loop, or +, -, * of such.
  bool integer_valued(const Ir& e) const {
    if (e.kind == IrKind::constant) return e.value.is_int();
    if (e.kind == IrKind::variable)
      return is_index(e) || (e.slot.depth == 0 && outer_indices_.count(e.slot.index) &&
                             !plain_.count(e.slot.index));
    if (e.kind != IrKind::primitive) return false;
    const std::string& name = e.prim->name;
    if (name == "__minus") return integer_valued(*e.args[0]);
    if (name != "__add" && name != "__sub" && name != "__mul") return false;
    return integer_valued(*e.args[0]) && integer_valued(*e.args[1]);
  }

  static void collect_assignments(const Ir& ir, int offset, int slot, std::vector<const Ir*>& out) {
    if ((ir.kind == IrKind::define || ir.kind == IrKind::store) && ir.slot.depth == offset &&
        ir.slot.index == slot)
      out.push_back(offset == 0 ? &ir : nullptr);
    for (const auto& a : ir.args)
      if (a) collect_assignments(*a, offset, slot, out);
    if (ir.kind == IrKind::lambda) collect_assignments(*ir.function->body, offset + 1, slot, out);
  }

  // Whether slot is read anywhere but as the first operand of its accumulations.
  static bool reads_beyond(const Ir& ir, int offset, int slot,
                           const std::vector<const Ir*>& accumulations) {
    if (std::find(accumulations.begin(), accumulations.end(), &ir) != accumulations.end()) {
      const Ir& value = *ir.args[0];
      for (const auto& a : value.args)
        if (!is_variable(*a, 0, slot) && reads_beyond(*a, offset, slot, accumulations)) return true;
      return false;
    }
    if ((ir.kind == IrKind::variable || ir.kind == IrKind::store_indexed) &&
        ir.slot.depth == offset && ir.slot.index == slot)
      return true;
    for (const auto& a : ir.args)
      if (a && reads_beyond(*a, offset, slot, accumulations)) return true;
    return ir.kind == IrKind::lambda &&
           reads_beyond(*ir.function->body, offset + 1, slot, accumulations);
  }

  // The start and the bound are evaluated once: they must not change during the loop.
  void check_bounds() {
    for (const Ir* bound : {loop_.args[0]->args[0].get(), loop_.args[1]->args[1].get()}) {
      Access acc;
      access_.collect(*bound, 0, owners_, acc);
      if (acc.effect || acc.barrier)
        bad_form("its bound has effects or calls a function the compiler cannot see", bound->loc);
      Slots reads;
      value_reads(*bound, 0, reads);
      for (int slot : reads)
        if (slot == index_ || plain_.count(slot) || owned_.count(slot))
          bad_form("its bound reads '" + name_of(slot) + "', which the loop changes", bound->loc);
    }
  }

  // Finds the body's assignments (plain_) and element writes (indexed_) of the loop's frame.
  void gather(IrPtr& node, int offset) {
    Ir& ir = *node;
    if (ir.kind == IrKind::define || ir.kind == IrKind::store || ir.kind == IrKind::store_indexed) {
      if (ir.slot.depth > offset)
        race("the body assigns '" + ir.name + "' of an enclosing function", ir.loc);
      if (ir.slot.depth == offset) {
        names_[ir.slot.index] = ir.name;
        if (ir.kind == IrKind::store_indexed) {
          indexed_[ir.slot.index].push_back(&ir);
          if (offset > 0)
            unprovable("a function defined in the loop writes elements of '" + ir.name + "'",
                       ir.loc);
        } else {
          plain_.emplace(ir.slot.index, ir.loc);
        }
      }
    }
    if (ir.kind == IrKind::variable && ir.slot.depth == offset) names_[ir.slot.index] = ir.name;
    for (auto& a : ir.args)
      if (a) gather(a, offset);
    if (ir.kind == IrKind::lambda) gather(ir.function->body, offset + 1);
  }

  // The position (among the indices) where every element write of `slot` has the loop variable,
  // or -1 when the writes depend on it only through an expression (a promised loop only).
  int write_axis(int slot, const std::vector<Ir*>& sites) {
    std::optional<int> axis;
    for (Ir* site : sites) {
      int found = -1;
      for (std::size_t k = 1; k < site->args.size(); ++k)
        if (is_index(*site->args[k])) {
          found = static_cast<int>(k) - 1;
          break;
        }
      if (found < 0) {
        bool derived = false;
        for (std::size_t k = 1; k < site->args.size(); ++k) {
          derived |= reads_slot(*site->args[k], index_);
          for (int alias : aliases_) derived |= reads_slot(*site->args[k], alias);
        }
        if (!derived)
          race("'" + site->name +
                   "' is written at an index that does not depend on the loop "
                   "variable '" +
                   names_[index_] + "', so every iteration writes the same elements",
               site->loc);
        unprovable("'" + site->name + "' is written at an index computed from '" + names_[index_] +
                       "', not at '" + names_[index_] + "' itself",
                   site->loc);
        return -1;
      }
      for (int k = 0; k < found; ++k)
        if (!one_axis(*site->args[1 + static_cast<std::size_t>(k)])) {
          unprovable("cannot tell which axis of '" + site->name + "' the loop variable indexes",
                     site->loc);
          return -1;
        }
      if (axis && *axis != found)
        race("'" + site->name + "' is written along two different axes", site->loc);
      axis = found;
    }
    return axis.value_or(-1);
  }

  // The loop variable, or a copy of it the body makes first (the frontend's `define(i, __k)`
  // when the Python loop variable is used after the loop).
  bool is_index(const Ir& ir) const {
    return ir.kind == IrKind::variable && ir.slot.depth == 0 &&
           (ir.slot.index == index_ || aliases_.count(ir.slot.index));
  }

  // An index that selects along one axis: a constant one (one_axis_index), or the variable of an
  // enclosing counting loop that this body does not assign (a scalar: out[i, j] in a nest).
  bool one_axis(const Ir& ir) const {
    if (one_axis_index(ir)) return true;
    return ir.kind == IrKind::variable && ir.slot.depth == 0 &&
           outer_indices_.count(ir.slot.index) && !plain_.count(ir.slot.index);
  }

  // Whether slice(x, ...) reads only the iteration's own part of an owned array.
  bool own_part(const Ir& slice, int slot) const {
    const int axis = owned_.at(slot);
    if (axis < 0 || slice.args.size() < static_cast<std::size_t>(axis) + 2) return false;
    for (int k = 0; k < axis; ++k)
      if (!one_axis(*slice.args[1 + static_cast<std::size_t>(k)])) return false;
    return is_index(*slice.args[1 + static_cast<std::size_t>(axis)]);
  }

  void read(const Ir& ir, int offset, const Slots& assigned) {
    if (ir.slot.depth != offset) return;  // a lambda's own local, or an enclosing function's
    const int slot = ir.slot.index;
    if (slot == index_) return;
    if (owned_.count(slot))
      race("the body reads '" + ir.name + "' beyond the part the iteration writes", ir.loc);
    if (plain_.count(slot) && !assigned.count(slot))
      race("'" + ir.name +
               "' is carried from one iteration to the next (read before it is "
               "assigned)",
           ir.loc);
  }

  // What a call, or a primitive calling its function operands, touches through those functions.
  void check_calls(const Ir& ir, int offset, const Slots& assigned) {
    Access acc;
    access_.collect_node(ir, offset, owners_, acc);
    const std::string what = ir.kind == IrKind::call ? "'" + ir.name + "'" : ir.prim->name;
    if (acc.barrier)
      unprovable("it calls " + what + ", which the compiler cannot see into", ir.loc);
    if (acc.effect)
      unprovable(what + " has ordered effects (output, random numbers, files)", ir.loc);
    for (const Slot& s : acc.writes) {
      if (s.first > 0)
        race("it calls " + what + ", which assigns a variable of an enclosing function", ir.loc);
      if (s.first == 0)
        unprovable("it calls " + what + ", which assigns '" + name_of(s.second) + "'", ir.loc);
    }
    // A function defined outside the loop reads the loop's frame, not a chunk's copy of it: the
    // variables the iterations assign would be stale there. One the body defines is the chunk's.
    bool defined_in_body = true;
    auto note_callee = [&](const Ir& f) {
      if (f.kind == IrKind::lambda) return;
      defined_in_body &=
          f.kind == IrKind::variable && f.slot.depth == offset && plain_.count(f.slot.index) > 0;
    };
    if (ir.kind == IrKind::call) note_callee(*ir.args[0]);
    else
      for (const auto& a : ir.args)
        if (a && a->kind != IrKind::constant) note_callee(*a);
    for (const Slot& s : acc.reads) {
      if (s.first != 0) continue;
      if (owned_.count(s.second))
        unprovable("it calls " + what + ", which reads '" + name_of(s.second) + "'", ir.loc);
      if (!plain_.count(s.second)) continue;
      if (!defined_in_body)
        unprovable("it calls " + what + ", which reads '" + name_of(s.second) +
                       "', a variable the loop assigns",
                   ir.loc);
      if (!assigned.count(s.second))
        race("'" + name_of(s.second) + "' is carried from one iteration to the next (read by " +
                 what + " before it is assigned)",
             ir.loc);
    }
  }

  // Walks the body in evaluation order; `assigned` holds the variables certainly assigned so far
  // in this iteration.
  void walk(IrPtr& node, int offset, Slots& assigned) {
    Ir& ir = *node;
    switch (ir.kind) {
      case IrKind::constant: return;
      case IrKind::variable: read(ir, offset, assigned); return;
      case IrKind::define:
      case IrKind::store:
        if (accumulations_.count(&ir)) {  // s = s + e: only e is read here
          walk(ir.args[0]->args[accumulations_.at(&ir)], offset, assigned);
          return;
        }
        walk(ir.args[0], offset, assigned);
        if (offset == 0 && ir.slot.depth == 0) assigned.insert(ir.slot.index);
        return;
      case IrKind::store_indexed:
        for (auto& a : ir.args) walk(a, offset, assigned);
        if (ir.slot.depth == offset && !owned_.count(ir.slot.index)) read(ir, offset, assigned);
        return;
      case IrKind::block:
        for (auto& a : ir.args) walk(a, offset, assigned);
        return;
      case IrKind::lambda: {
        for (auto& a : ir.args)
          if (a) walk(a, offset, assigned);
        Slots inner = assigned;  // its body runs when called: after what is assigned by now
        owners_.push_back(ir.function.get());
        walk(ir.function->body, offset + 1, inner);
        owners_.pop_back();
        return;
      }
      case IrKind::primitive: {
        if (ir.prim->effect)
          unprovable(ir.prim->name + " has an ordered effect (output, random numbers, files)",
                     ir.loc);
        const Ir* target = ir.args.empty() ? nullptr : ir.args[0].get();
        const bool owned_target = target && target->kind == IrKind::variable &&
                                  target->slot.depth == offset && owned_.count(target->slot.index);
        if (owned_target && reads_metadata_only(ir)) {
          for (std::size_t i = 1; i < ir.args.size(); ++i) walk(ir.args[i], offset, assigned);
          return;
        }
        if (owned_target && (ir.prim->name == "slice" || ir.prim->name == "__subscript")) {
          if (offset != 0 || !own_part(ir, target->slot.index))
            race("'" + target->name + "' is read at another iteration's index", ir.loc);
          for (std::size_t i = 1; i < ir.args.size(); ++i) walk(ir.args[i], offset, assigned);
          own_reads_.push_back(&node);
          return;
        }
        for (auto& a : ir.args) walk(a, offset, assigned);
        return;
      }
      case IrKind::control: {
        if (ir.prim->name == "if") {
          walk(ir.args[0], offset, assigned);
          Slots then_assigned = assigned, else_assigned = assigned;
          if (ir.args.size() > 1 && ir.args[1]) walk(ir.args[1], offset, then_assigned);
          if (ir.args.size() > 2 && ir.args[2]) walk(ir.args[2], offset, else_assigned);
          for (int slot : then_assigned)
            if (else_assigned.count(slot)) assigned.insert(slot);
          return;
        }
        if (ir.prim->effect)
          unprovable(ir.prim->name + " has an ordered effect (output, random numbers, files)",
                     ir.loc);
        if (calls_function_operands(*ir.prim)) check_calls(ir, offset, assigned);
        // A loop's body may run no time or many: what it assigns counts inside it only.
        Slots inner = assigned;
        for (auto& a : ir.args)
          if (a) walk(a, offset, inner);
        return;
      }
      case IrKind::call:
        check_calls(ir, offset, assigned);
        for (auto& a : ir.args)
          if (a) walk(a, offset, assigned);
        return;
    }
  }

  AccessAnalyzer& access_;
  Owners& owners_;
  Ir& loop_;
  const Ir& function_body_;
  bool promised_;
  const Slots& owned_outside_;
  const Slots& outer_indices_;  // variables of enclosing counting loops: scalars

  int index_ = 0;
  std::int64_t step_ = 1;
  bool counting_ = false;
  std::map<int, SourceLoc> plain_;           // assigned in the body (first assignment)
  std::map<int, std::vector<Ir*>> indexed_;  // written by element in the body
  std::map<int, int> owned_;                 // element-written, never assigned: axis of the index
  std::map<int, std::string> names_;
  Slots aliases_;                          // copies of the loop variable
  std::map<int, std::string> reductions_;  // reductions over the iterations: slot -> primitive
  std::map<const Ir*, int> accumulations_;
  Slots integer_sums_;  // sums of integer-valued terms  // their `s = s + e` stores: the operand e
  std::vector<IrPtr*> own_reads_;
};

class Finder {
 public:
  Finder(ProgramIr& program, bool automatic)
      : program_(program), access_(program), automatic_(automatic) {}

  void run() {
    Owners owners{nullptr};
    visit(program_.body, owners, *program_.body, {}, {});
  }

 private:
  // owned: arrays enclosing parallel loops own; indices: variables of enclosing counting loops.
  void visit(IrPtr& node, Owners& owners, const Ir& function_body, Slots owned, Slots indices) {
    Ir& ir = *node;
    if (ir.kind == IrKind::control && (ir.prim->name == "for" || ir.prim->name == "parallel_for")) {
      const bool promised = ir.prim->name == "parallel_for";
      LoopReport report{ir.loc, false, "", {}};
      if (promised || automatic_) {
        LoopChecker checker(access_, owners, ir, function_body, promised, owned, indices);
        try {
          ir.parallel_loop = std::make_shared<const ParallelLoopSpec>(checker.check());
          ir.prim = Registry::instance().find("parallel_for");
          report.parallel = true;
          for (int slot : checker.owned_slots()) owned.insert(slot);
        } catch (const Sequential& s) {
          report.why = s.why;
          report.where = s.where;
        }
        if (checker.counting()) indices.insert(checker.index());
      } else {
        report.why = "automatic parallel loops are off";
      }
      program_.loops.push_back(std::move(report));
    }
    if (automatic_ && ir.kind == IrKind::control && ir.prim->name == "fmap" &&
        ir.args.size() == 2 && ir.args[0] && ir.args[1]) {
      // fmap(f, l) calls f in order; when f has no effects, assigns nothing outside itself and
      // calls only functions the compiler can see, the calls may as well run at once.
      Access acc;
      access_.collect_node(ir, 0, owners, acc);
      access_.collect(*ir.args[0], 0, owners, acc);
      if (!acc.effect && !acc.barrier && acc.writes.empty())
        ir.prim = Registry::instance().find("parallel_map");
    }
    for (auto& a : ir.args)
      if (a) visit(a, owners, function_body, owned, indices);
    if (ir.kind == IrKind::lambda) {
      owners.push_back(ir.function.get());
      visit(ir.function->body, owners, *ir.function->body, {}, {});
      owners.pop_back();
    }
  }

  ProgramIr& program_;
  AccessAnalyzer access_;
  bool automatic_;
};

}  // namespace

void find_parallel_loops(ProgramIr& program, bool automatic) {
  program.loops.clear();
  Finder(program, automatic).run();
  std::stable_sort(
      program.loops.begin(), program.loops.end(), [](const LoopReport& a, const LoopReport& b) {
        return a.loc.line != b.loc.line ? a.loc.line < b.loc.line : a.loc.col < b.loc.col;
      });
}

}  // namespace larix::compiler
