// Name resolution: PhySL AST -> IR. Scopes are lexical; each function (and the program's top
// level) has one frame whose slots hold its parameters and every name it defines. A name refers to
// the latest definition before it (a function's own name is visible in its body, for recursion);
// user definitions shadow primitives. Unknown names, bad arity and unknown keywords are errors
// here.
#pragma once

#include "larix/compiler/ir.hpp"
#include "larix/physl/ast.hpp"

namespace larix::compiler {

ProgramIr resolve(const physl::Program& program, const std::string& source_name);

}  // namespace larix::compiler
