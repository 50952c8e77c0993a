#include "larix/physl/ast.hpp"

#include <cmath>

namespace larix::physl {

namespace {

constexpr Operator kOperators[] = {
    {"||", "__or", 2, 1}, {"&&", "__and", 2, 2},  {"==", "__eq", 2, 3}, {"!=", "__ne", 2, 3},
    {"<", "__lt", 2, 4},  {"<=", "__le", 2, 4},   {">", "__gt", 2, 4},  {">=", "__ge", 2, 4},
    {"+", "__add", 2, 5}, {"-", "__sub", 2, 5},   {"*", "__mul", 2, 6}, {"/", "__div", 2, 6},
    {"%", "__mod", 2, 6}, {"-", "__minus", 1, 7}, {"!", "__not", 1, 7},
};

// 0.0 and -0.0 differ (1 / x tells them apart), and a NaN literal is the same as itself.
bool same_float(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return a == b && std::signbit(a) == std::signbit(b);
}

bool same_elements(const Ast& a, const Ast& b) {
  if (a.args.size() != b.args.size()) return false;
  for (std::size_t i = 0; i < a.args.size(); ++i) {
    if (!same_structure(a.args[i], b.args[i])) return false;
  }
  return true;
}

}  // namespace

const Operator* operator_by_symbol(std::string_view symbol, int arity) {
  for (const auto& op : kOperators) {
    if (op.symbol == symbol && op.arity == arity) return &op;
  }
  return nullptr;
}

const Operator* operator_by_primitive(std::string_view primitive) {
  for (const auto& op : kOperators) {
    if (op.primitive == primitive) return &op;
  }
  return nullptr;
}

const std::string& Ast::callee_name() const {
  static const std::string none;
  if (kind != AstKind::call || !callee || callee->kind != AstKind::identifier) return none;
  return callee->text;
}

bool same_structure(const Ast& a, const Ast& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case AstKind::nil: return true;
    case AstKind::boolean: return a.bool_value == b.bool_value;
    case AstKind::integer: return a.int_value == b.int_value;
    case AstKind::floating: return same_float(a.float_value, b.float_value);
    case AstKind::string:
    case AstKind::identifier: return a.text == b.text;
    case AstKind::call:
      if (a.attribute != b.attribute || !a.callee != !b.callee) return false;
      if (a.callee && !same_structure(*a.callee, *b.callee)) return false;
      return same_elements(a, b);
    case AstKind::array_literal:
    case AstKind::list_literal: return same_elements(a, b);
  }
  return false;
}

}  // namespace larix::physl
