// The PhySL abstract syntax tree. Operators are parsed into calls of their primitives
// (a + b is a call of __add), exactly as Phylanx does, so the compiler sees one form.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "larix/support/source_loc.hpp"

namespace larix::physl {

enum class AstKind {
  nil,            // nil
  boolean,        // true / false
  integer,        // 42, -7
  floating,       // 1.0, 1e-5, -0.5
  string,         // "text" (escapes already decoded)
  identifier,     // name, name$LINE$COL
  call,           // callee(args...), callee{attr}(args...)
  array_literal,  // [1, 2], [[1.0, 2.0], [3.0, 4.0]] (elements are expressions)
  list_literal,   // '(1, 2)
};

struct Ast {
  AstKind kind = AstKind::nil;
  SourceLoc loc;

  bool bool_value = false;
  std::int64_t int_value = 0;
  double float_value = 0.0;
  std::string text;        // identifier name (without $LINE$COL), or decoded string literal
  bool annotated = false;  // identifier carried $LINE$COL in the text (printer emits it again)

  std::shared_ptr<const Ast> callee;  // call: the thing called (an identifier, or any expression)
  std::string attribute;              // call: text between { } in name{attr}(...), empty if none
  std::vector<Ast> args;              // call arguments, or literal elements

  // Where the node's own token is in the PhySL text (loc may be a $LINE$COL annotation instead),
  // and, for calls and literals, where their closing bracket is: the formatter places comments
  // between them. 0 when the tree was not parsed from text.
  int text_line = 0, text_col = 0;
  int close_line = 0, close_col = 0;

  // Name of the callee when it is a plain identifier, "" otherwise.
  const std::string& callee_name() const;
};

// Structural equality that ignores source locations (used by round-trip tests and CSE).
bool same_structure(const Ast& a, const Ast& b);

// The infix and prefix operators and the primitive each one is a call of. Parser and printer share
// this table so that they cannot disagree. precedence: 1 (||) .. 6 (* / %) binary, 7 prefix.
struct Operator {
  std::string_view symbol;
  std::string_view primitive;
  int arity;
  int precedence;
};
const Operator* operator_by_symbol(std::string_view symbol, int arity);
const Operator* operator_by_primitive(std::string_view primitive);

// A comment in PhySL text, as written (`// ...`, `# ...` or `/* ... */`). `trailing`: a token
// precedes it on its first line.
struct Comment {
  int line = 0;
  int col = 0;
  std::string text;
  bool trailing = false;
};

struct Program {
  std::vector<Ast> expressions;   // the program's value is the value of the last one
  std::vector<Comment> comments;  // filled only by parse_program_with_comments, in text order
};

}  // namespace larix::physl
