// The PhySL printer: AST -> canonical text that parses back to the same structure, with the
// $LINE$COL annotations it was given. Operator calls print infix with the fewest parentheses.
#pragma once

#include <string>

#include "larix/physl/ast.hpp"

namespace larix::physl {

// One line (unless a string literal holds a newline).
std::string print(const Ast& ast);

// One top-level expression per line, each ending in '\n'; a call, array or list longer than `width`
// columns is broken into one argument per line, indented by four spaces.
std::string print_program(const Program& program, int width = 100);

}  // namespace larix::physl
