// The PhySL parser: text -> AST. Recursive descent; every function carries its grammar rule.
#pragma once

#include <string>
#include <string_view>

#include "larix/physl/ast.hpp"

namespace larix::physl {

// Trees deeper than this are refused with a syntax error ("nesting too deep"), so that neither the
// parser nor what recurses over the tree later (destructor, printer, passes) runs out of stack.
// Parsing at this limit needs about 1.5 MB of stack (optimized build).
inline constexpr int kMaxNesting = 1000;

// Parses a whole program: zero or more expressions; its value is the last one's. `source_name`
// names the PhySL text in errors. `origin_file` is the file that `name$LINE$COL` annotations refer
// to (the user's Python file); empty means source_name. Throws Error(ErrorKind::syntax).
Program parse_program(std::string_view text, const std::string& source_name,
                      const std::string& origin_file = "");

// The same, keeping the text's comments in Program::comments (for the formatter).
Program parse_program_with_comments(std::string_view text, const std::string& source_name);

// Parses exactly one expression.
Ast parse_expression(std::string_view text, const std::string& source_name = "<expr>");

}  // namespace larix::physl
