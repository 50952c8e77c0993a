#include "larix/physl/printer.hpp"

#include <charconv>
#include <cmath>
#include <string_view>

#include "larix/support/error.hpp"

namespace larix::physl {

namespace {

constexpr int kPrimary = 8;  // above every operator precedence (prefix operators are 7)
constexpr int kIndent = 4;

// The operator an operator call prints as, or nullptr when it must print as a plain call (an
// annotated callee keeps its position only in the call form).
const Operator* infix_operator(const Ast& ast) {
  if (ast.kind != AstKind::call || !ast.callee || ast.callee->kind != AstKind::identifier ||
      ast.callee->annotated || !ast.attribute.empty()) {
    return nullptr;
  }
  const Operator* op = operator_by_primitive(ast.callee->text);
  return op && static_cast<std::size_t>(op->arity) == ast.args.size() ? op : nullptr;
}

int precedence(const Ast& ast) {
  const Operator* op = infix_operator(ast);
  return op ? op->precedence : kPrimary;
}

bool is_number(const Ast& ast) {
  return ast.kind == AstKind::integer || ast.kind == AstKind::floating;
}

std::string format_float(double value) {
  if (std::isinf(value)) return value > 0 ? "1e999" : "-1e999";  // overflows back to inf
  if (std::isnan(value)) return "nan";  // PhySL has no NaN literal; this reads as a name
  char buffer[64];
  // Shortest text that reads back to the same double, independent of the locale.
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string text(buffer, end);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";  // stays a float
  return text;
}

std::string quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '\0': out += "\\0"; break;
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      default: out += c;
    }
  }
  return out + "\"";
}

class Printer {
 public:
  explicit Printer(int width) : width_(width) {}

  std::string take() { return std::move(out_); }

  void emit(const Ast& ast) {
    if (width_ > 0) {
      // Whatever fits on the rest of the line is printed flat.
      std::string flat = Printer::flat(ast);
      std::size_t line_start = out_.rfind('\n');
      std::size_t column = out_.size() - (line_start == std::string::npos ? 0 : line_start + 1);
      if (column + flat.size() <= static_cast<std::size_t>(width_)) {
        out_ += flat;
        return;
      }
    }
    switch (ast.kind) {
      case AstKind::nil: out_ += "nil"; break;
      case AstKind::boolean: out_ += ast.bool_value ? "true" : "false"; break;
      case AstKind::integer: out_ += std::to_string(ast.int_value); break;
      case AstKind::floating: out_ += format_float(ast.float_value); break;
      case AstKind::string: out_ += quote(ast.text); break;
      case AstKind::identifier: emit_name(ast); break;
      case AstKind::call: emit_call(ast); break;
      case AstKind::array_literal: emit_sequence("[", ast.args, "]"); break;
      case AstKind::list_literal: emit_sequence("'(", ast.args, ")"); break;
    }
  }

  static std::string flat(const Ast& ast) {
    Printer printer(0);
    printer.emit(ast);
    return printer.take();
  }

 private:
  void emit_name(const Ast& ast) {
    out_ += ast.text;
    if (!ast.annotated) return;
    out_ += "$" + std::to_string(ast.loc.line);
    if (ast.loc.col > 0) out_ += "$" + std::to_string(ast.loc.col - 1);  // back to 0-based
  }

  void emit_call(const Ast& ast) {
    LARIX_ASSERT(ast.callee != nullptr, "a call without a callee");
    if (const Operator* op = infix_operator(ast)) {
      if (op->arity == 1) {
        out_ += op->symbol;
        const Ast& operand = ast.args[0];
        // -(1) is a call of __minus, -1 a literal; `- -x` keeps two '-' apart for the reader.
        bool parens = precedence(operand) < op->precedence ||
                      (op->symbol == "-" && is_number(operand) && !starts_with_minus(operand));
        if (!parens && op->symbol == "-" && starts_with_minus(operand)) out_ += ' ';
        emit_operand(operand, parens);
        return;
      }
      // Left-associative: a right operand of the same precedence needs parentheses.
      emit_operand(ast.args[0], precedence(ast.args[0]) < op->precedence);
      out_ += ' ';
      out_ += op->symbol;
      out_ += ' ';
      emit_operand(ast.args[1], precedence(ast.args[1]) <= op->precedence);
      return;
    }
    const Ast& callee = *ast.callee;
    if (callee.kind == AstKind::identifier) {
      emit_name(callee);
      if (!ast.attribute.empty()) out_ += "{" + ast.attribute + "}";
    } else {
      LARIX_ASSERT(ast.attribute.empty(), "an attribute on a call of a non-identifier");
      // A call may follow a call directly; anything else is called through parentheses.
      emit_operand(callee, callee.kind != AstKind::call || infix_operator(callee));
    }
    emit_sequence("(", ast.args, ")");
  }

  void emit_operand(const Ast& ast, bool parens) {
    if (parens) out_ += '(';
    emit(ast);
    if (parens) out_ += ')';
  }

  void emit_sequence(const char* open, const std::vector<Ast>& items, const char* close) {
    out_ += open;
    bool broken = width_ > 0 && !items.empty();  // emit() found that the flat form does not fit
    if (broken) indent_ += kIndent;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (broken) {
        out_ += '\n';
        out_.append(indent_, ' ');
      }
      emit(items[i]);
      if (i + 1 < items.size()) out_ += broken ? "," : ", ";
    }
    if (broken) {
      indent_ -= kIndent;
      out_ += '\n';
      out_.append(indent_, ' ');
    }
    out_ += close;
  }

  static double number_value(const Ast& ast) {
    return ast.kind == AstKind::integer ? static_cast<double>(ast.int_value) : ast.float_value;
  }

  static bool starts_with_minus(const Ast& ast) {
    if (is_number(ast)) return std::signbit(number_value(ast));
    const Operator* op = infix_operator(ast);
    if (!op) return false;
    return op->arity == 1 ? op->symbol == "-" : starts_with_minus(ast.args[0]);
  }

  int width_;  // 0: everything on one line
  int indent_ = 0;
  std::string out_;
};

}  // namespace

std::string print(const Ast& ast) { return Printer::flat(ast); }

std::string print_program(const Program& program, int width) {
  std::string out;
  for (std::size_t i = 0; i < program.expressions.size(); ++i) {
    const Ast& ast = program.expressions[i];
    Printer printer(std::max(width, 1));
    // After another expression, a leading '-' would read as a binary minus.
    std::string flat = Printer::flat(ast);
    bool parens = i > 0 && !flat.empty() && flat.front() == '-';
    if (parens) out += '(';
    printer.emit(ast);
    out += printer.take();
    if (parens) out += ')';
    out += '\n';
  }
  return out;
}

}  // namespace larix::physl
