#include "larix/compiler/resolve.hpp"

#include <algorithm>
#include <limits>
#include <numbers>
#include <optional>
#include <unordered_map>

#include "larix/primitives/registry.hpp"

namespace larix::compiler {

using physl::Ast;
using physl::AstKind;

namespace {

struct Binding {
  std::string name;
  int index;
  std::shared_ptr<FunctionIr> known_function;  // defined as a function and never stored to
};

struct Scope {
  Scope* parent = nullptr;
  std::vector<Binding> names;                   // names[i].index == i
  std::unordered_map<std::string, int> latest;  // a name's latest binding
  int slots = 0;

  int add(const std::string& name, std::shared_ptr<FunctionIr> fn = nullptr) {
    names.push_back({name, slots, std::move(fn)});
    latest[name] = slots;
    return slots++;
  }
  Binding* find(const std::string& name) {
    auto it = latest.find(name);
    return it == latest.end() ? nullptr : &names[static_cast<std::size_t>(it->second)];
  }
};

const char* const kSpecialForms[] = {"define", "define_global",  "lambda", "store",
                                     "block",  "parallel_block", "__arg"};

bool is_special_form(const std::string& name) {
  return std::find(std::begin(kSpecialForms), std::end(kSpecialForms), name) !=
         std::end(kSpecialForms);
}

[[noreturn]] void fail(const SourceLoc& loc, const std::string& message,
                       ErrorKind kind = ErrorKind::name) {
  throw Error(kind, message, loc);
}

class Resolver {
 public:
  explicit Resolver(Scope& top) : top_(&top), scope_(&top) {}

  IrPtr expression(const Ast& ast) {
    switch (ast.kind) {
      case AstKind::nil: return constant(Value(), ast.loc);
      case AstKind::boolean: return constant(Value(ast.bool_value), ast.loc);
      case AstKind::integer: return constant(Value(ast.int_value), ast.loc);
      case AstKind::floating: return constant(Value(ast.float_value), ast.loc);
      case AstKind::string: return constant(Value(ast.text), ast.loc);
      case AstKind::identifier: return name_reference(ast);
      case AstKind::call: return call(ast);
      case AstKind::array_literal: return array_literal(ast);
      case AstKind::list_literal: return list_literal(ast);
    }
    fail(ast.loc, "unexpected syntax", ErrorKind::internal);
  }

  IrPtr block(const std::vector<Ast>& statements, const SourceLoc& loc, bool parallel) {
    IrPtr ir = make_ir(IrKind::block, loc);
    ir->parallel = parallel;
    for (const Ast& s : statements) ir->args.push_back(expression(s));
    return ir;
  }

 private:
  static IrPtr constant(Value v, const SourceLoc& loc) {
    IrPtr ir = make_ir(IrKind::constant, loc);
    ir->value = std::move(v);
    return ir;
  }

  // Finds a user binding: the scope distance (frame depth) and the binding.
  std::pair<int, Binding*> lookup(const std::string& name) {
    int depth = 0;
    for (Scope* s = scope_; s; s = s->parent, ++depth)
      if (Binding* b = s->find(name)) return {depth, b};
    return {-1, nullptr};
  }

  int depth_of(const Scope* target) const {
    int depth = 0;
    for (const Scope* s = scope_; s != target; s = s->parent) ++depth;
    return depth;
  }

  IrPtr variable(const std::string& name, int depth, const Binding& b, const SourceLoc& loc) {
    IrPtr ir = make_ir(IrKind::variable, loc);
    ir->name = name;
    ir->slot = {depth, b.index};
    return ir;
  }

  IrPtr name_reference(const Ast& ast) {
    auto [depth, binding] = lookup(ast.text);
    if (binding) return variable(ast.text, depth, *binding, ast.loc);
    if (is_special_form(ast.text))
      fail(ast.loc, "'" + ast.text + "' must be called: " + ast.text + "(...)", ErrorKind::syntax);
    if (const PrimitiveInfo* prim = Registry::instance().find(ast.text)) {
      if (prim->kind == PrimitiveKind::control)
        fail(ast.loc, "'" + ast.text + "' cannot be used as a value; call it instead");
      return constant(
          Value(std::shared_ptr<const Function>(std::make_shared<BuiltinFunction>(*prim))),
          ast.loc);
    }
    if (const std::optional<Value> c = physl_constant(ast.text)) return constant(*c, ast.loc);
    fail(ast.loc, "unknown name '" + ast.text + "'");
  }

  // The constants PhySL defines besides nil, true and false (Phylanx's number parser reads inf
  // and nan; ninf is its -inf; pi and e as numpy.pi and numpy.e). A name the program binds
  // (define, a parameter) is the program's.
  static std::optional<Value> physl_constant(const std::string& name) {
    if (name == "inf") return Value(std::numeric_limits<double>::infinity());
    if (name == "ninf") return Value(-std::numeric_limits<double>::infinity());
    if (name == "nan") return Value(std::numeric_limits<double>::quiet_NaN());
    if (name == "pi") return Value(std::numbers::pi);
    if (name == "e") return Value(std::numbers::e);
    return std::nullopt;
  }

  IrPtr array_literal(const Ast& ast) {
    // Nested array literals are rows: compile them as lists so the outer literal stacks them.
    std::vector<IrPtr> elements;
    bool all_constant = true;
    for (const Ast& e : ast.args) {
      IrPtr element = e.kind == AstKind::array_literal ? nested_rows(e) : expression(e);
      all_constant = all_constant && element->kind == IrKind::constant;
      elements.push_back(std::move(element));
    }
    if (all_constant) {
      List items;
      for (auto& e : elements) items.push_back(e->value);
      if (items.empty()) return constant(Value(Array::empty(DType::float64, {0})), ast.loc);
      return with_location(ast.loc, [&] {
        return constant(Value(Value(items).to_array("array literal")), ast.loc);
      });
    }
    return primitive_call("__make_array", std::move(elements), ast.loc);
  }

  IrPtr nested_rows(const Ast& ast) {
    std::vector<IrPtr> elements;
    bool all_constant = true;
    for (const Ast& e : ast.args) {
      IrPtr element = e.kind == AstKind::array_literal ? nested_rows(e) : expression(e);
      all_constant = all_constant && element->kind == IrKind::constant;
      elements.push_back(std::move(element));
    }
    if (all_constant) {
      List items;
      for (auto& e : elements) items.push_back(e->value);
      return constant(Value(std::move(items)), ast.loc);
    }
    return primitive_call("list", std::move(elements), ast.loc);
  }

  IrPtr list_literal(const Ast& ast) {
    std::vector<IrPtr> elements;
    bool all_constant = true;
    for (const Ast& e : ast.args) {
      elements.push_back(expression(e));
      all_constant = all_constant && elements.back()->kind == IrKind::constant;
    }
    if (all_constant) {
      List items;
      for (auto& e : elements) items.push_back(e->value);
      return constant(Value(std::move(items)), ast.loc);
    }
    return primitive_call("list", std::move(elements), ast.loc);
  }

  IrPtr primitive_call(const std::string& name, std::vector<IrPtr> args, const SourceLoc& loc) {
    const PrimitiveInfo* prim = Registry::instance().find(name);
    LARIX_ASSERT(prim, "primitive ", name, " is not registered");
    IrPtr ir = make_ir(IrKind::primitive, loc);
    ir->prim = prim;
    ir->name = name;
    ir->args = std::move(args);
    return ir;
  }

  // Splits call arguments into positional ones and __arg(name, value) keywords.
  struct SplitArgs {
    std::vector<const Ast*> positional;
    std::vector<std::pair<std::string, const Ast*>> keywords;  // name, the __arg(name, v) call
  };
  static SplitArgs split_args(const Ast& call, const std::string& callee) {
    SplitArgs out;
    for (const Ast& a : call.args) {
      if (a.kind == AstKind::call && a.callee_name() == "__arg") {
        if (a.args.size() != 2 || a.args[0].kind != AstKind::identifier)
          fail(a.loc, "__arg takes a name and a value: __arg(name, value)", ErrorKind::syntax);
        for (const auto& [k, _] : out.keywords)
          if (k == a.args[0].text)
            fail(a.loc, callee + "() got keyword argument '" + k + "' twice");
        out.keywords.emplace_back(a.args[0].text, &a);
      } else {
        if (!out.keywords.empty())
          fail(a.loc, "positional argument follows keyword argument in call of " + callee + "()",
               ErrorKind::syntax);
        out.positional.push_back(&a);
      }
    }
    return out;
  }

  // Binds a call's arguments to a primitive's signature at compile time.
  std::vector<IrPtr> bind(const PrimitiveInfo& prim, const Ast& call) {
    SplitArgs split = split_args(call, prim.name);
    const Signature& sig = prim.signature;
    const std::size_t nparams = sig.params.size();
    if (split.positional.size() > nparams && !sig.variadic) {
      std::size_t required = 0;
      for (const auto& p : sig.params) required += p.default_value ? 0 : 1;
      fail(call.loc,
           prim.name + "() takes " +
               (required == nparams ? std::to_string(nparams)
                                    : std::to_string(required) + " to " + std::to_string(nparams)) +
               " argument" + (nparams == 1 ? "" : "s") + " but " +
               std::to_string(split.positional.size()) + " were given");
    }
    std::vector<IrPtr> bound(std::max(nparams, split.positional.size()));
    for (std::size_t i = 0; i < split.positional.size(); ++i)
      bound[i] = expression(*split.positional[i]);
    for (const auto& [name, keyword] : split.keywords) {
      std::size_t i = 0;
      while (i < nparams && sig.params[i].name != name) ++i;
      if (i == nparams)
        fail(keyword->loc, prim.name + "() has no parameter '" + name +
                               "' (signature: " + prim.name + sig.text() + ")");
      if (bound[i])
        fail(keyword->loc, prim.name + "() got multiple values for argument '" + name + "'");
      bound[i] = expression(keyword->args[1]);
    }
    for (std::size_t i = 0; i < nparams; ++i) {
      if (bound[i]) continue;
      if (!sig.params[i].default_value)
        fail(call.loc, prim.name + "() missing required argument '" + sig.params[i].name +
                           "' (signature: " + prim.name + sig.text() + ")");
      bound[i] = constant(*sig.params[i].default_value, call.loc);
    }
    return bound;
  }

  IrPtr call(const Ast& ast) {
    const std::string& name = ast.callee_name();
    if (name.empty()) return call_value(expression(*ast.callee), "<expression>", ast);
    auto [depth, binding] = lookup(name);
    if (binding) {
      if (binding->known_function) check_arity(*binding->known_function, ast);
      return call_value(variable(name, depth, *binding, ast.callee->loc), name, ast);
    }
    if (name == "define") return define(ast, false);
    if (name == "define_global") return define(ast, true);
    if (name == "lambda") return lambda(ast.args, "lambda", ast.loc, 0);
    if (name == "store") return store(ast);
    if (name == "block" || name == "parallel_block") {
      for (const Ast& a : ast.args)
        if (a.kind == AstKind::call && a.callee_name() == "__arg")
          fail(a.loc, name + "() takes no keyword arguments");
      return block(ast.args, ast.loc, name == "parallel_block");
    }
    if (name == "__arg")
      fail(ast.loc, "__arg(name, value) may only be an argument of a call", ErrorKind::syntax);
    const PrimitiveInfo* prim = Registry::instance().find(name);
    if (!prim) fail(ast.callee->loc, "unknown function '" + name + "'");
    IrPtr ir = make_ir(prim->kind == PrimitiveKind::control ? IrKind::control : IrKind::primitive,
                       ast.loc);
    ir->prim = prim;
    ir->name = name;
    ir->args = bind(*prim, ast);
    return ir;
  }

  void check_arity(const FunctionIr& fn, const Ast& ast) {
    // Only a definite surplus is reported here; a call with no arguments returns the value.
    SplitArgs split = split_args(ast, fn.name);
    if (split.positional.size() > fn.params.size())
      fail(ast.loc, fn.name + "() takes " + std::to_string(fn.params.size()) + " argument" +
                        (fn.params.size() == 1 ? "" : "s") + " but " +
                        std::to_string(split.positional.size()) + " were given");
    for (const auto& [k, keyword] : split.keywords)
      if (std::find(fn.params.begin(), fn.params.end(), k) == fn.params.end())
        fail(keyword->loc, fn.name + "() got an unexpected keyword argument '" + k + "'");
  }

  IrPtr call_value(IrPtr callee, const std::string& text, const Ast& ast) {
    SplitArgs split = split_args(ast, text);
    IrPtr ir = make_ir(IrKind::call, ast.loc);
    ir->name = text;
    ir->args.push_back(std::move(callee));
    for (const Ast* a : split.positional) ir->args.push_back(expression(*a));
    for (const auto& [k, keyword] : split.keywords) {
      ir->keywords.push_back(k);
      ir->args.push_back(expression(keyword->args[1]));
    }
    return ir;
  }

  static const Ast& name_operand(const Ast& ast, const std::string& form, std::size_t i) {
    if (ast.args.size() <= i || ast.args[i].kind != AstKind::identifier)
      fail(ast.args.size() > i ? ast.args[i].loc : ast.loc,
           form + "() needs a variable name as argument " + std::to_string(i + 1),
           ErrorKind::syntax);
    return ast.args[i];
  }

  IrPtr define(const Ast& ast, bool global) {
    const std::string form = global ? "define_global" : "define";
    if (ast.args.size() < 2)
      fail(ast.loc,
           form + "() takes a name and a value: " + form + "(name, value) or " + form +
               "(name, arg..., body)",
           ErrorKind::syntax);
    const Ast& target = name_operand(ast, form, 0);
    if (is_special_form(target.text))
      fail(target.loc, "cannot redefine the built-in form '" + target.text + "'",
           ErrorKind::syntax);
    Scope* scope = global ? top_ : scope_;
    IrPtr ir = make_ir(IrKind::define, ast.loc);
    ir->name = target.text;
    if (ast.args.size() == 2) {
      ir->args.push_back(expression(ast.args[1]));
      std::shared_ptr<FunctionIr> known;
      if (ir->args[0]->kind == IrKind::lambda) known = ir->args[0]->function;
      if (known && known->name == "lambda") known->name = target.text;
      ir->slot = {depth_of(scope), scope->add(target.text, known)};
      return ir;
    }
    // define(f, params..., body): f is visible in its own body (recursion).
    ir->slot = {depth_of(scope), scope->add(target.text)};
    std::vector<Ast> rest(ast.args.begin() + 1, ast.args.end());
    IrPtr fn = lambda(rest, target.text, ast.loc, 0);
    // The binding vector may have grown while compiling the body: its index still finds it.
    scope->names[static_cast<std::size_t>(ir->slot.index)].known_function = fn->function;
    ir->args.push_back(std::move(fn));
    return ir;
  }

  IrPtr lambda(const std::vector<Ast>& args, const std::string& name, const SourceLoc& loc, int) {
    if (args.empty()) fail(loc, "lambda() needs a body: lambda(arg..., body)", ErrorKind::syntax);
    auto fn = std::make_shared<FunctionIr>();
    fn->name = name;
    fn->loc = loc;
    IrPtr ir = make_ir(IrKind::lambda, loc);
    ir->function = fn;
    Scope inner;
    inner.parent = scope_;
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
      const Ast& p = args[i];
      const Ast* param_name = &p;
      IrPtr default_value;
      if (p.kind == AstKind::call && p.callee_name() == "__arg") {
        if (p.args.size() != 2 || p.args[0].kind != AstKind::identifier)
          fail(p.loc, "__arg takes a name and a default value: __arg(name, value)",
               ErrorKind::syntax);
        param_name = &p.args[0];
        default_value = expression(p.args[1]);  // evaluated where the function is defined
      } else if (p.kind != AstKind::identifier) {
        fail(p.loc, "parameters of " + name + " must be names or __arg(name, default)",
             ErrorKind::syntax);
      } else if (!ir->args.empty() && ir->args.back()) {
        fail(p.loc, "parameter '" + p.text + "' without a default follows a parameter with one",
             ErrorKind::syntax);
      }
      if (std::find(fn->params.begin(), fn->params.end(), param_name->text) != fn->params.end())
        fail(param_name->loc, "duplicate parameter '" + param_name->text + "' in " + name,
             ErrorKind::syntax);
      fn->params.push_back(param_name->text);
      inner.add(param_name->text);
      ir->args.push_back(std::move(default_value));
    }
    Scope* saved = scope_;
    scope_ = &inner;
    try {
      fn->body = expression(args.back());
    } catch (...) {
      scope_ = saved;
      throw;
    }
    scope_ = saved;
    fn->slots = inner.slots;
    return ir;
  }

  IrPtr store(const Ast& ast) {
    if (ast.args.size() != 2)
      fail(ast.loc,
           "store() takes a target and a value: store(name, value) or store(slice(name, ...), "
           "value)",
           ErrorKind::syntax);
    const Ast& target = ast.args[0];
    IrPtr value = expression(ast.args[1]);
    if (target.kind == AstKind::identifier) {
      auto [depth, binding] = lookup(target.text);
      if (!binding)
        fail(target.loc, "store() to unknown variable '" + target.text + "' (define it first)");
      binding->known_function = nullptr;
      IrPtr ir = make_ir(IrKind::store, ast.loc);
      ir->name = target.text;
      ir->slot = {depth, binding->index};
      ir->args.push_back(std::move(value));
      return ir;
    }
    const bool numpy = target.kind == AstKind::call && target.callee_name() == "__subscript";
    if (target.kind == AstKind::call && (target.callee_name() == "slice" || numpy) &&
        !target.args.empty() && target.args[0].kind == AstKind::identifier) {
      auto [depth, binding] = lookup(target.args[0].text);
      if (!binding)
        fail(target.args[0].loc,
             "store() to unknown variable '" + target.args[0].text + "' (define it first)");
      IrPtr ir = make_ir(IrKind::store_indexed, ast.loc);
      ir->name = target.args[0].text;
      ir->slot = {depth, binding->index};
      ir->prim = Registry::instance().find(numpy ? "__store_subscript" : "__store_slice");
      LARIX_ASSERT(ir->prim, "__store_slice is not registered");
      ir->args.push_back(std::move(value));
      for (std::size_t i = 1; i < target.args.size(); ++i)
        ir->args.push_back(expression(target.args[i]));
      return ir;
    }
    fail(target.loc, "store() can write a variable or slice(variable, ...), not this expression",
         ErrorKind::syntax);
  }

  Scope* top_;
  Scope* scope_;
};

}  // namespace

ProgramIr resolve(const physl::Program& program, const std::string& source_name) {
  Scope top;
  Resolver resolver(top);
  ProgramIr out;
  SourceLoc loc{std::make_shared<const std::string>(source_name), 1, 1};
  if (!program.expressions.empty()) loc = program.expressions.front().loc;
  out.body = resolver.block(program.expressions, loc, false);
  out.slots = top.slots;
  out.source = source_name;
  return out;
}

}  // namespace larix::compiler
