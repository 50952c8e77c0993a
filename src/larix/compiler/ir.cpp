#include "larix/compiler/ir.hpp"

#include <sstream>

#include "larix/compiler/scalar_code.hpp"

namespace larix::compiler {

IrPtr make_ir(IrKind kind, SourceLoc loc) {
  auto ir = std::make_shared<Ir>();
  ir->kind = kind;
  ir->loc = std::move(loc);
  return ir;
}

namespace {
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

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
      out << "store(slice(" << ir.name;
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
