#include "larix/compiler/infer_types.hpp"

#include <array>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>
#include <utility>

namespace larix::compiler {

namespace {

// Frames are told apart by their function (null: the top level); `owners` is the chain from the
// top level to the function being looked at.
using Owners = std::vector<const FunctionIr*>;
using SlotKey = std::pair<const FunctionIr*, int>;

SlotKey key(const SlotRef& slot, const Owners& owners) {
  return {owners[owners.size() - 1 - static_cast<std::size_t>(slot.depth)], slot.index};
}

// ---- calling a type rule ------------------------------------------------------------------------

std::optional<ValueKind> value_kind(TypeKind k) {
  switch (k) {
    case TypeKind::nil: return ValueKind::nil;
    case TypeKind::boolean: return ValueKind::boolean;
    case TypeKind::integer: return ValueKind::integer;
    case TypeKind::floating: return ValueKind::floating;
    case TypeKind::string: return ValueKind::string;
    case TypeKind::list: return ValueKind::list;
    case TypeKind::dict: return ValueKind::dict;
    case TypeKind::function: return ValueKind::function;
    case TypeKind::array: return ValueKind::array;
    default: return std::nullopt;
  }
}

// What a rule can be given: a known kind, and an array's dtype and rank.
bool rule_operand(const Type& t) {
  if (!value_kind(t.kind)) return false;
  return t.kind != TypeKind::array || (t.dtype && t.rank >= 0);
}

// The rule's view of t, every unknown length set to `probe`.
TypeInfo to_info(const Type& t, std::int64_t probe) {
  TypeInfo info;
  info.kind = *value_kind(t.kind);
  if (t.kind == TypeKind::array) {
    info.dtype = *t.dtype;
    for (std::int64_t d : t.dims) info.shape.push_back(d < 0 ? probe : d);
  }
  if (t.value && t.complete()) info.value = t.value;
  return info;
}

Type from_info(const TypeInfo& info, bool with_value) {
  Type t;
  t.kind = Type::kind_of(info.kind);
  if (t.kind == TypeKind::unknown) return Type{};
  if (t.kind == TypeKind::array) {
    t.dtype = info.dtype;
    t.rank = static_cast<int>(info.shape.size());
    t.dims.assign(info.shape.begin(), info.shape.end());
  }
  if (with_value && info.value && info.value->kind() == info.kind) t.value = info.value;
  return t;
}

constexpr std::array<std::int64_t, 3> kProbes = {1, 29, 31};

// The rule applied to operands of which some lengths are not known (see the header).
Type probe_rule(const PrimitiveInfo& info, const std::vector<Type>& in) {
  std::array<std::optional<TypeInfo>, kProbes.size()> out;
  for (std::size_t p = 0; p < kProbes.size(); ++p) {
    std::vector<TypeInfo> infos;
    for (const Type& t : in) infos.push_back(to_info(t, kProbes[p]));
    try {
      out[p] = apply_type_rule(info, std::move(infos));
      if (out[p]->kind == ValueKind::unbound) return Type{};
    } catch (...) {  // a failure with made-up lengths proves nothing
    }
  }
  const TypeInfo* first = nullptr;
  for (const auto& o : out) first = first ? first : (o ? &*o : nullptr);
  if (!first) return Type{};
  Type t = from_info(*first, false);
  for (const auto& o : out) {
    if (!o) continue;
    if (o->kind != first->kind) return Type{};
    if (first->kind != ValueKind::array) continue;
    if (o->dtype != first->dtype) t.dtype.reset();
    if (o->shape.size() != first->shape.size()) t.rank = -1;
  }
  if (t.kind != TypeKind::array) return t;
  if (t.rank < 0) {
    t.dims.clear();
    return t;
  }
  for (std::size_t i = 0; i < t.dims.size(); ++i) {
    for (const auto& o : out)
      if (!o || o->shape[i] != first->shape[i]) t.dims[i] = -1;
  }
  return t;
}

// ---- the analysis -------------------------------------------------------------------------------

class Inference {
 public:
  explicit Inference(ProgramIr& program) : program_(program) {
    Owners owners{nullptr};
    scan(*program.body, owners, nullptr);
    find_entry();
    for (const auto& [f, info] : functions_) {
      const bool visible = info.defaults == 0 && !escapes_.count(f) && known_.count(f);
      for (std::size_t i = 0; i < f->params.size(); ++i) {
        Type t = Type::of(visible ? TypeKind::none : TypeKind::unknown);
        if (f == entry_ && visible) t = (*program.signature)[i];
        slots_[{f, static_cast<int>(i)}] = t;
      }
    }
    // To a fixed point: every round only widens variables' and results' types.
    constexpr int kMaxRounds = 64;
    bool done = false;
    for (int round = 0; round < kMaxRounds && !done; ++round) {
      changed_ = false;
      proven_.clear();
      visit(*program.body, owners);
      done = !changed_;
    }
    if (!done) {  // give up: everything unknown
      for (auto& [k, t] : slots_) t = Type{};
      for (auto& [f, r] : results_) r = Type{};
      proven_.clear();
      visit(*program.body, owners);
    }
    finish(*program.body);
    for (auto& [f, r] : results_) const_cast<FunctionIr*>(f)->result = r.known() ? r : Type{};
    program.result = entry_ && program.signature ? results_[entry_] : program.body->type;
    if (!program.result.known()) program.result = Type{};
  }

  // The error of a failing primitive the rules proved (complete operand types).
  const Error* proven(const Ir& ir) const {
    auto it = proven_.find(&ir);
    return it == proven_.end() ? nullptr : &it->second;
  }
  const FunctionIr* entry() const { return program_.signature ? entry_ : nullptr; }

 private:
  struct FunctionInfo {
    int defaults = 0;
  };

  // Records the writes of every slot (which functions a define binds), the functions and every
  // use of a variable that holds one other than as the callee of a call with all its arguments.
  void scan(const Ir& ir, Owners& owners, const Ir* callee_of) {
    if (ir.kind == IrKind::define || ir.kind == IrKind::store || ir.kind == IrKind::store_indexed) {
      const bool function = ir.kind == IrKind::define && ir.args[0]->kind == IrKind::lambda;
      writes_[key(ir.slot, owners)].push_back(function ? ir.args[0]->function.get() : nullptr);
    }
    if (ir.kind == IrKind::variable) {
      uses_.push_back({key(ir.slot, owners), callee_of});
    }
    if (ir.kind == IrKind::call) {
      for (std::size_t i = 0; i < ir.args.size(); ++i)
        if (ir.args[i]) scan(*ir.args[i], owners, i == 0 ? &ir : nullptr);
      return;
    }
    for (const auto& a : ir.args)
      if (a) scan(*a, owners, nullptr);
    if (ir.kind == IrKind::lambda) {
      FunctionInfo& info = functions_[ir.function.get()];
      for (const auto& d : ir.args) info.defaults += d ? 1 : 0;
      owners.push_back(ir.function.get());
      scan(*ir.function->body, owners, nullptr);
      owners.pop_back();
    }
  }

  // Known functions (a slot bound once, by define(f, lambda)), and those used other than by calls.
  void find_entry() {
    for (const auto& [k, w] : writes_) {
      if (w.size() != 1 || !w[0]) continue;
      if (k.first && k.second < static_cast<int>(k.first->params.size())) continue;
      known_.insert(w[0]);
      slot_function_[k] = w[0];
    }
    const Ir& body = *program_.body;
    const Ir* last =
        body.kind == IrKind::block && !body.args.empty() ? body.args.back().get() : nullptr;
    if (last && last->kind == IrKind::variable && last->slot.depth == 0) {
      auto it = slot_function_.find({nullptr, last->slot.index});
      if (it != slot_function_.end()) entry_ = it->second;
    }
    for (const auto& [k, callee_of] : uses_) {
      auto it = slot_function_.find(k);
      if (it == slot_function_.end()) continue;
      const FunctionIr* f = it->second;
      const bool call = callee_of && callee_of->keywords.empty() &&
                        callee_of->args.size() - 1 == f->params.size();
      if (!call && f != entry_) escapes_.insert(f);
    }
    if (entry_) {
      // The program's value is its function: called with the signature, or by anyone.
      const bool fits = program_.signature && program_.signature->size() == entry_->params.size();
      if (!fits) escapes_.insert(entry_);
      else {
        // The read of the entry at the end is that call; any other use makes it escape.
        int other = 0;
        for (const auto& [k, callee_of] : uses_)
          if (!callee_of && slot_function_.count(k) && slot_function_[k] == entry_) ++other;
        if (other > 1) escapes_.insert(entry_);
      }
    }
  }

  void write(const SlotKey& k, const Type& t) {
    auto [it, fresh] = slots_.emplace(k, Type::of(TypeKind::none));
    Type joined = join(it->second, t);
    if (!(joined == it->second)) {
      it->second = std::move(joined);
      changed_ = true;
    }
  }

  const Type& slot(const SlotKey& k) {
    static const Type none = Type::of(TypeKind::none);
    auto it = slots_.find(k);
    return it == slots_.end() ? none : it->second;
  }

  // The function a call calls when it is a known one called with all its parameters.
  const FunctionIr* callee(const Ir& call, const Owners& owners) const {
    const Ir& c = *call.args[0];
    if (c.kind != IrKind::variable) return nullptr;
    auto it = slot_function_.find(key(c.slot, owners));
    if (it == slot_function_.end()) return nullptr;
    const FunctionIr* f = it->second;
    if (!call.keywords.empty() || call.args.size() - 1 != f->params.size()) return nullptr;
    return f;
  }

  Type visit(Ir& ir, Owners& owners) {
    ir.type = type_of(ir, owners);
    return ir.type;
  }

  Type type_of(Ir& ir, Owners& owners) {
    switch (ir.kind) {
      case IrKind::constant: return Type::of(ir.value);
      case IrKind::variable: return slot(key(ir.slot, owners));
      case IrKind::define:
      case IrKind::store: {
        Type t = visit(*ir.args[0], owners);
        write(key(ir.slot, owners), t);
        return ir.kind == IrKind::define ? t : Type::of(TypeKind::nil);
      }
      case IrKind::store_indexed: {
        for (auto& a : ir.args)
          if (a) visit(*a, owners);
        // The writer casts the value to x's dtype: x keeps its type (a list stays a list).
        const SlotKey k = key(ir.slot, owners);
        Type t = slot(k);
        t.value.reset();
        if (t.kind != TypeKind::array && t.kind != TypeKind::list && t.kind != TypeKind::none)
          t = Type{};
        write(k, t);
        return Type::of(TypeKind::nil);
      }
      case IrKind::block: {
        Type last = Type::of(TypeKind::nil);
        for (auto& a : ir.args) last = visit(*a, owners);
        return last;
      }
      case IrKind::lambda: {
        for (auto& d : ir.args)
          if (d) visit(*d, owners);
        FunctionIr* f = ir.function.get();
        owners.push_back(f);
        Type body = visit(*f->body, owners);
        owners.pop_back();
        Type& r = results_.emplace(f, Type::of(TypeKind::none)).first->second;
        Type joined = join(r, body);
        if (!(joined == r)) {
          r = std::move(joined);
          changed_ = true;
        }
        return Type::of(TypeKind::function);
      }
      case IrKind::primitive: {
        std::vector<Type> in;
        for (auto& a : ir.args) in.push_back(a ? visit(*a, owners) : Type{});
        return apply_rule(ir, in);
      }
      case IrKind::control: {
        std::vector<Type> in;
        for (auto& a : ir.args) in.push_back(a ? visit(*a, owners) : Type{});
        const std::string& name = ir.prim->name;
        if (name == "if" && in.size() == 3) return join(in[1], in[2]);
        if (name == "while" || name == "for" || name == "parallel_for" || name == "for_each" ||
            name == "parallel_for_each")
          return Type::of(TypeKind::nil);
        return Type{};
      }
      case IrKind::call: {
        std::vector<Type> in;
        for (auto& a : ir.args) in.push_back(a ? visit(*a, owners) : Type{});
        const FunctionIr* f = callee(ir, owners);
        if (!f) return Type{};
        if (!escapes_.count(f))
          for (std::size_t i = 0; i < f->params.size(); ++i)
            write({f, static_cast<int>(i)}, without_value(in[i + 1]));
        auto it = results_.find(f);
        return it == results_.end() ? Type::of(TypeKind::none) : it->second;
      }
    }
    return Type{};
  }

  // Parameters get no values: a function body is typed once for all its calls.
  static Type without_value(Type t) {
    t.value.reset();
    return t;
  }

  Type apply_rule(const Ir& ir, const std::vector<Type>& in) {
    if (!ir.prim->type_rule) return Type{};
    for (const Type& t : in)
      if (t.kind == TypeKind::none) return t;
    for (const Type& t : in)
      if (!rule_operand(t)) return Type{};
    bool complete = true;
    for (const Type& t : in) complete = complete && t.complete();
    if (!complete) return probe_rule(*ir.prim, in);
    std::vector<TypeInfo> infos;
    for (const Type& t : in) infos.push_back(to_info(t, 0));
    try {
      return from_info(apply_type_rule(*ir.prim, std::move(infos)), true);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::internal) proven_.emplace(&ir, e);
    } catch (...) {
    }
    return Type{};
  }

  // Nodes that never get a value have type unknown from here on.
  static void finish(Ir& ir) {
    if (ir.type.kind == TypeKind::none) ir.type = Type{};
    for_each_operand(ir, [](IrPtr& a) { finish(*a); });
  }

  ProgramIr& program_;
  std::map<SlotKey, std::vector<const FunctionIr*>> writes_;
  std::vector<std::pair<SlotKey, const Ir*>> uses_;
  std::map<const FunctionIr*, FunctionInfo> functions_;
  std::set<const FunctionIr*> known_;
  std::map<SlotKey, const FunctionIr*> slot_function_;
  std::set<const FunctionIr*> escapes_;
  const FunctionIr* entry_ = nullptr;
  std::map<SlotKey, Type> slots_;
  std::map<const FunctionIr*, Type> results_;
  std::unordered_map<const Ir*, Error> proven_;
  bool changed_ = false;
};

// ---- errors proved at compile time --------------------------------------------------------------

// Regular primitives that cannot fail once their rule accepted complete operand types, when
// `array_only` is false; with it, only when their value is an array (Python scalars may overflow
// or divide by zero where arrays wrap or give inf).
struct Total {
  bool array_only;
};
const std::unordered_map<std::string, Total>& total_primitives() {
  static const std::unordered_map<std::string, Total> table = {
      {"zeros", {false}},  {"ones", {false}},   {"empty", {false}},   {"identity", {false}},
      {"eye", {false}},    {"dot", {false}},    {"matmul", {false}},  {"transpose", {false}},
      {"__add", {true}},   {"__sub", {true}},   {"__mul", {true}},    {"__minus", {true}},
      {"__div", {true}},   {"__eq", {true}},    {"__ne", {true}},     {"__lt", {true}},
      {"__le", {true}},    {"__gt", {true}},    {"__ge", {true}},     {"exp", {true}},
      {"log", {true}},     {"sqrt", {true}},    {"sin", {true}},      {"cos", {true}},
      {"tanh", {true}},    {"sigmoid", {true}}, {"absolute", {true}}, {"maximum", {true}},
      {"minimum", {true}}, {"sum", {false}},    {"mean", {false}},    {"shape", {false}},
  };
  return table;
}

// Walks the program in evaluation order as far as every expression surely succeeds without an
// effect; the first expression met that the rules proved to fail is thrown.
class CertainErrors {
 public:
  explicit CertainErrors(const Inference& inference) : inference_(inference) {}

  void run(const ProgramIr& program) {
    Owners owners{nullptr};
    if (!safe(*program.body, owners)) return;
    const FunctionIr* entry = inference_.entry();
    if (!entry) return;
    // The program's value is then called with the signature's arguments.
    for (std::size_t i = 0; i < entry->params.size(); ++i)
      defined_.insert({entry, static_cast<int>(i)});
    owners.push_back(entry);
    safe(*entry->body, owners);
  }

 private:
  bool safe(const Ir& ir, Owners& owners) {
    switch (ir.kind) {
      case IrKind::constant: return true;
      case IrKind::variable: return defined_.count(key(ir.slot, owners)) > 0;
      case IrKind::define:
      case IrKind::store: {
        const SlotKey k = key(ir.slot, owners);
        if (ir.kind == IrKind::store && !defined_.count(k)) return false;
        if (!safe(*ir.args[0], owners)) return false;
        defined_.insert(k);
        return true;
      }
      case IrKind::block:
        for (const auto& a : ir.args)
          if (!safe(*a, owners)) return false;
        return true;
      case IrKind::lambda:
        for (const auto& d : ir.args)
          if (d) return false;
        return true;
      case IrKind::primitive: {
        for (const auto& a : ir.args)
          if (!a || !safe(*a, owners)) return false;
        if (const Error* e = inference_.proven(ir)) {
          Error error = *e;
          error.set_loc_if_missing(ir.loc);
          throw error;
        }
        if (!ir.prim->pure || ir.prim->effect || !ir.type.known()) return false;
        auto it = total_primitives().find(ir.prim->name);
        if (it == total_primitives().end()) return false;
        for (const auto& a : ir.args)
          if (!a->type.complete()) return false;
        return !it->second.array_only || ir.type.kind == TypeKind::array;
      }
      case IrKind::control:
        // Only if's condition surely runs; a branch may not.
        if (ir.prim->name == "if" && !ir.args.empty()) safe(*ir.args[0], owners);
        return false;
      default: return false;  // store(slice(...)), calls: they may fail
    }
  }

  const Inference& inference_;
  std::set<SlotKey> defined_;
};

// ---- the dump -----------------------------------------------------------------------------------

std::string where(const SourceLoc& loc) {
  return std::to_string(loc.line) + ":" + std::to_string(loc.col);
}

void report(const Ir& ir, const std::string& prefix, std::ostream& out) {
  if (ir.kind == IrKind::define || ir.kind == IrKind::store || ir.kind == IrKind::store_indexed) {
    const bool function = ir.kind == IrKind::define && ir.args[0]->kind == IrKind::lambda;
    if (!function)
      out << "// " << prefix << ir.name << " = "
          << (ir.kind == IrKind::store_indexed ? std::string("(element store)")
                                               : ir.args[0]->type.str())
          << " at " << where(ir.loc) << "\n";
  }
  for (const auto& a : ir.args)
    if (a) report(*a, prefix, out);
  if (ir.kind == IrKind::lambda) {
    const FunctionIr& f = *ir.function;
    out << "// " << prefix << f.name << "(";
    for (std::size_t i = 0; i < f.params.size(); ++i) out << (i ? ", " : "") << f.params[i];
    out << ") returns " << f.result.str() << "\n";
    report(*f.body, prefix + f.name + ".", out);
  }
}

}  // namespace

void infer_types(ProgramIr& program) {
  Inference inference(program);
  CertainErrors(inference).run(program);
}

std::string type_report(const ProgramIr& program) {
  std::ostringstream out;
  for (const auto& statement : program.body->args) {
    report(*statement, "", out);
    out << "// statement at " << where(statement->loc) << ": " << statement->type.str() << "\n";
  }
  return out.str();
}

}  // namespace larix::compiler
