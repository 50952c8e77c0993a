#include "larix/compiler/ir.hpp"

#include <algorithm>
#include <sstream>

#include "larix/compiler/scalar_code.hpp"
#include "larix/support/quote.hpp"

namespace larix::compiler {

TypeKind Type::kind_of(ValueKind kind) {
  switch (kind) {
    case ValueKind::nil: return TypeKind::nil;
    case ValueKind::boolean: return TypeKind::boolean;
    case ValueKind::integer: return TypeKind::integer;
    case ValueKind::floating: return TypeKind::floating;
    case ValueKind::string: return TypeKind::string;
    case ValueKind::list: return TypeKind::list;
    case ValueKind::dict: return TypeKind::dict;
    case ValueKind::function: return TypeKind::function;
    case ValueKind::array: return TypeKind::array;
    default: return TypeKind::unknown;
  }
}

Type Type::of(const Value& v, bool with_value, bool with_dims) {
  Type t;
  t.kind = kind_of(v.kind());
  if (t.kind == TypeKind::unknown) return Type{};
  if (t.kind == TypeKind::array) {
    const Array& a = v.as_array_ref();
    t.dtype = a.dtype();
    t.rank = a.ndim();
    t.dims.assign(a.shape().begin(), a.shape().end());
    if (!with_dims) std::fill(t.dims.begin(), t.dims.end(), -1);
  }
  if (with_value && (with_dims || !v.is_array())) t.value = v;
  return t;
}

bool Type::complete() const {
  if (kind != TypeKind::array) return known();
  if (!dtype || rank < 0) return false;
  for (std::int64_t d : dims)
    if (d < 0) return false;
  return true;
}

std::string Type::str() const {
  switch (kind) {
    case TypeKind::none: return "-";
    case TypeKind::unknown: return "?";
    case TypeKind::nil: return "None";
    case TypeKind::string: return value ? "str " + value->repr() : "str";
    case TypeKind::list: return "list";
    case TypeKind::dict: return "dict";
    case TypeKind::function: return "function";
    case TypeKind::boolean:
    case TypeKind::integer:
    case TypeKind::floating: {
      std::string name = kind == TypeKind::boolean   ? "bool"
                         : kind == TypeKind::integer ? "int"
                                                     : "float";
      return value ? name + " " + value->repr() : name;
    }
    case TypeKind::array: {
      std::string out = dtype ? dtype_name(*dtype) : "?";
      if (rank < 0) return out + "[...]";
      out += "[";
      for (std::size_t i = 0; i < dims.size(); ++i)
        out += (i ? ", " : "") + (dims[i] < 0 ? std::string("?") : std::to_string(dims[i]));
      return out + "]";
    }
  }
  return "?";
}

namespace {
bool same_value(const std::optional<Value>& a, const std::optional<Value>& b) {
  if (!a || !b) return !a && !b;
  return a->kind() == b->kind() && *a == *b;
}
}  // namespace

bool operator==(const Type& a, const Type& b) {
  return a.kind == b.kind && a.dtype == b.dtype && a.rank == b.rank && a.dims == b.dims &&
         same_value(a.value, b.value);
}

Type join(const Type& a, const Type& b) {
  if (a.kind == TypeKind::none) return b;
  if (b.kind == TypeKind::none) return a;
  if (a.kind != b.kind || a.kind == TypeKind::unknown) return Type{};
  Type out;
  out.kind = a.kind;
  if (same_value(a.value, b.value)) out.value = a.value;
  if (a.kind != TypeKind::array) return out;
  if (a.dtype == b.dtype) out.dtype = a.dtype;
  if (a.rank == b.rank) {
    out.rank = a.rank;
    out.dims.resize(a.dims.size());
    for (std::size_t i = 0; i < a.dims.size(); ++i)
      out.dims[i] = a.dims[i] == b.dims[i] ? a.dims[i] : -1;
  }
  return out;
}

IrPtr make_ir(IrKind kind, SourceLoc loc) {
  auto ir = std::make_shared<Ir>();
  ir->kind = kind;
  ir->loc = std::move(loc);
  return ir;
}

namespace {
std::string literal(const Value& v) {
  switch (v.kind()) {
    case ValueKind::nil: return "nil";
    case ValueKind::boolean: return v.as_bool() ? "true" : "false";
    case ValueKind::string: return quote(v.as_string());
    case ValueKind::list: {
      std::string out = "'(";
      const List& items = v.as_list();
      for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + literal(items[i]);
      return out + ")";
    }
    case ValueKind::function: return v.as_function()->name();
    case ValueKind::array: {
      const Array& a = v.as_array_ref();
      if (a.ndim() == 0) return v.repr();
      std::string text = v.repr();  // [[1.0, 2.0], ...]: PhySL's own array literal form
      if (a.dtype() == DType::bool_) {
        std::string out;
        for (std::size_t i = 0; i < text.size(); ++i) {
          if (text.compare(i, 4, "True") == 0) {
            out += "true";
            i += 3;
          } else if (text.compare(i, 5, "False") == 0) {
            out += "false";
            i += 4;
          } else out += text[i];
        }
        return out;
      }
      return text;
    }
    default: return v.repr();
  }
}

void print(const Ir& ir, std::ostream& out) {
  auto args = [&](std::size_t from) {
    for (std::size_t i = from; i < ir.args.size(); ++i) {
      if (i > from) out << ", ";
      if (ir.args[i]) print(*ir.args[i], out);
      else out << "nil";
    }
  };
  switch (ir.kind) {
    case IrKind::constant: out << literal(ir.value); return;
    case IrKind::variable: out << ir.name; return;
    case IrKind::define:
    case IrKind::store:
      out << (ir.kind == IrKind::define ? "define(" : "store(") << ir.name << ", ";
      if (ir.kind == IrKind::define && ir.args[0]->kind == IrKind::lambda &&
          ir.args[0]->function->name == ir.name) {
        // define(f, a, b, body)
        const FunctionIr& fn = *ir.args[0]->function;
        for (std::size_t i = 0; i < fn.params.size(); ++i) {
          if (ir.args[0]->args[i]) {
            out << "__arg(" << fn.params[i] << ", ";
            print(*ir.args[0]->args[i], out);
            out << "), ";
          } else {
            out << fn.params[i] << ", ";
          }
        }
        print(*fn.body, out);
      } else {
        print(*ir.args[0], out);
      }
      out << ")";
      return;
    case IrKind::store_indexed:
      out << (ir.prim && (ir.prim->name == "__store_subscript" ||
                          ir.prim->name == "__store_subscript_owned")
                  ? "store(__subscript("
                  : "store(slice(")
          << ir.name;
      for (std::size_t i = 1; i < ir.args.size(); ++i) {
        out << ", ";
        print(*ir.args[i], out);
      }
      out << "), ";
      print(*ir.args[0], out);
      out << ")";
      return;
    case IrKind::block:
      out << (ir.parallel ? "parallel_block(" : "block(");
      args(0);
      out << ")";
      return;
    case IrKind::lambda: {
      out << "lambda(";
      const FunctionIr& fn = *ir.function;
      for (std::size_t i = 0; i < fn.params.size(); ++i) {
        if (ir.args[i]) {
          out << "__arg(" << fn.params[i] << ", ";
          print(*ir.args[i], out);
          out << "), ";
        } else {
          out << fn.params[i] << ", ";
        }
      }
      print(*fn.body, out);
      out << ")";
      return;
    }
    case IrKind::primitive:
    case IrKind::control:
      out << ir.prim->name << "(";
      args(0);
      out << ")";
      return;
    case IrKind::call: {
      const bool named = ir.args[0]->kind == IrKind::variable;
      if (named) out << ir.args[0]->name;
      else {
        print(*ir.args[0], out);
      }
      out << "(";
      const std::size_t npositional = ir.args.size() - 1 - ir.keywords.size();
      for (std::size_t i = 1; i < ir.args.size(); ++i) {
        if (i > 1) out << ", ";
        if (i > npositional) {
          out << "__arg(" << ir.keywords[i - 1 - npositional] << ", ";
          print(*ir.args[i], out);
          out << ")";
        } else {
          print(*ir.args[i], out);
        }
      }
      out << ")";
      return;
    }
  }
}
}  // namespace

std::string LoopReport::str() const {
  std::string out = std::to_string(loc.line) + ":" + std::to_string(loc.col) + ": ";
  if (parallel) return out + "parallel";
  out += "sequential: " + why;
  if (where.known())
    out += " (at " + std::to_string(where.line) + ":" + std::to_string(where.col) + ")";
  return out;
}

std::string ir_to_physl(const Ir& ir) {
  std::ostringstream out;
  print(ir, out);
  return out.str();
}

namespace {
bool any_scalar_mark(Ir& ir) {
  bool any = ir.scalar;
  for_each_operand(ir, [&](IrPtr& a) { any = any || any_scalar_mark(*a); });
  return any;
}

// One line per outermost subtree of scalar code (what lowering makes a ScalarNode).
void print_scalar_code(Ir& ir, const ScalarCodeInfo& info, std::ostream& out) {
  if (info.nodes.count(&ir) && ir.kind != IrKind::constant && ir.kind != IrKind::variable) {
    out << "// scalar code at " << ir.loc.line << ":" << ir.loc.col << ": ";
    switch (ir.kind) {
      case IrKind::primitive:
      case IrKind::control: out << ir.prim->name; break;
      case IrKind::define:
      case IrKind::store:
        out << (ir.kind == IrKind::define ? "define " : "store ") << ir.name;
        break;
      case IrKind::call: out << "call " << ir.name; break;
      default: out << "block";
    }
    out << "\n";
    return;
  }
  for_each_operand(ir, [&](IrPtr& a) { print_scalar_code(*a, info, out); });
}
}  // namespace

std::string ir_to_physl(const ProgramIr& program) {
  std::ostringstream out;
  for (const auto& statement : program.body->args) {
    print(*statement, out);
    out << "\n";
  }
  if (any_scalar_mark(*program.body))
    print_scalar_code(*program.body, scalar_code(*program.body, /*marked_only=*/true), out);
  return out.str();
}

}  // namespace larix::compiler
