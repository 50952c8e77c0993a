#include "larix/physl/printer.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>

#include "larix/support/error.hpp"
#include "larix/support/quote.hpp"

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

// A position in the PhySL text, ordered as the text reads.
struct TextPos {
  int line = 0;
  int col = 0;
  bool operator<(const TextPos& o) const { return line != o.line ? line < o.line : col < o.col; }
};

TextPos own_pos(const Ast& ast) { return {ast.text_line, ast.text_col}; }

// Where the text of a node begins: an operator call begins with its left operand, a call with its
// callee.
TextPos start_of(const Ast& ast) {
  TextPos pos = own_pos(ast);
  if (ast.kind == AstKind::call) {
    if (ast.callee) pos = std::min(pos, start_of(*ast.callee));
    if (!ast.args.empty()) pos = std::min(pos, start_of(ast.args.front()));
  }
  return pos;
}

// Where it ends: its closing bracket, the end of its last operand, or its own token.
TextPos end_of(const Ast& ast) {
  if (ast.close_line > 0) return {ast.close_line, ast.close_col};
  if (ast.kind == AstKind::call && !ast.args.empty()) return end_of(ast.args.back());
  return own_pos(ast);
}

class Printer {
 public:
  explicit Printer(int width, const std::vector<Comment>* comments = nullptr)
      : width_(width), comments_(comments) {}

  std::string take() { return std::move(out_); }
  void text(const char* s) { out_ += s; }

  void emit(const Ast& ast) {
    // A comment inside the node (or still waiting to be placed) needs the broken form's lines.
    if (width_ > 0 && !comment_before(end_of(ast))) {
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
      case AstKind::array_literal: emit_sequence("[", ast.args, "]", end_of(ast)); break;
      case AstKind::list_literal: emit_sequence("'(", ast.args, ")", end_of(ast)); break;
    }
  }

  static std::string flat(const Ast& ast) {
    Printer printer(0);
    printer.emit(ast);
    return printer.take();
  }

  // --- comments: each is printed once, in text order, never with code after it on its line ---

  bool comment_before(TextPos pos) const {
    return comments_ && next_ < comments_->size() && comment_pos(next_) < pos;
  }

  // At the start of a line (after its indentation): the comments before `pos`, a line each.
  void leading_comments(TextPos pos) {
    while (comment_before(pos)) {
      out_ += (*comments_)[next_++].text;
      newline();
    }
  }

  // At the end of a line: the comments before `limit` that the text put on line `line`.
  void trailing_comments(TextPos limit, int line) {
    while (comment_before(limit) && (*comments_)[next_].line == line) {
      out_ += ' ';
      out_ += (*comments_)[next_++].text;
    }
  }

  // Anything left before `pos`, each on a line of its own after the current one.
  void remaining_comments(TextPos pos) {
    while (comment_before(pos)) {
      newline();
      out_ += (*comments_)[next_++].text;
    }
  }

  void newline() {
    out_ += '\n';
    out_.append(indent_, ' ');
  }

 private:
  TextPos comment_pos(std::size_t i) const { return {(*comments_)[i].line, (*comments_)[i].col}; }

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
    emit_sequence("(", ast.args, ")", end_of(ast));
  }

  void emit_operand(const Ast& ast, bool parens) {
    if (parens) out_ += '(';
    emit(ast);
    if (parens) out_ += ')';
  }

  // `close_pos`: where the closing bracket was in the text (comments before it stay inside).
  void emit_sequence(const char* open, const std::vector<Ast>& items, const char* close,
                     TextPos close_pos) {
    out_ += open;
    bool broken = width_ > 0 && !items.empty();  // emit() found that the flat form does not fit
    if (broken) indent_ += kIndent;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (broken) {
        newline();
        leading_comments(start_of(items[i]));
      }
      emit(items[i]);
      if (i + 1 < items.size()) out_ += broken ? "," : ", ";
      if (broken) {
        trailing_comments(i + 1 < items.size() ? start_of(items[i + 1]) : close_pos,
                          end_of(items[i]).line);
      }
    }
    if (broken) {
      remaining_comments(close_pos);
      indent_ -= kIndent;
      newline();
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
  const std::vector<Comment>* comments_;  // in text order; null: print no comments
  std::size_t next_ = 0;                  // the first comment not printed yet
};

}  // namespace

std::string print(const Ast& ast) { return Printer::flat(ast); }

std::string print_program(const Program& program, int width) {
  // Comments are placed by their positions in the text; the last ones follow the last expression.
  const std::vector<Comment>* comments = program.comments.empty() ? nullptr : &program.comments;
  Printer printer(std::max(width, 1), comments);
  constexpr TextPos kEnd{std::numeric_limits<int>::max(), 0};
  const auto& expressions = program.expressions;
  for (std::size_t i = 0; i < expressions.size(); ++i) {
    const Ast& ast = expressions[i];
    printer.leading_comments(start_of(ast));
    // After another expression, a leading '-' would read as a binary minus.
    std::string flat = Printer::flat(ast);
    bool parens = i > 0 && !flat.empty() && flat.front() == '-';
    if (parens) printer.text("(");
    printer.emit(ast);
    if (parens) printer.text(")");
    printer.trailing_comments(i + 1 < expressions.size() ? start_of(expressions[i + 1]) : kEnd,
                              end_of(ast).line);
    printer.newline();
  }
  printer.leading_comments(kEnd);
  return printer.take();
}

}  // namespace larix::physl
