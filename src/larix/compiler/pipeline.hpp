// The compiler pipeline: parse -> resolve -> passes -> dependency analysis -> lowering. This file
// alone orders the passes, and can print the program (as PhySL) after any of them.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "larix/compiler/ir.hpp"
#include "larix/runtime/node.hpp"

namespace larix::compiler {

struct CompileOptions {
  std::string source_name = "<string>";  // names the PhySL text in errors
  std::string origin_file;               // file that name$LINE$COL annotations point into
  bool optimize = true;                  // run the optimisation passes
  // Make the `for` loops proved independent parallel (with optimize; parallel_for loops, the
  // program's promise, are parallel either way).
  bool parallel_loops = true;
  // The types of the arguments of the call the program is compiled for, when its value is a
  // function about to be called with them (a kernel's call signature): type inference starts
  // from them, and errors it proves in that function's body are reported at compile time.
  std::optional<std::vector<Type>> signature;
  // Program::call compiles the program again for each signature of its calls (the arguments'
  // kinds, dtypes and ranks), with `signature` set, and runs that one (@larix.kernel's programs).
  bool specialize = false;
  // Called with (pass name, program as PhySL) after each pass, when set.
  std::function<void(const std::string&, const std::string&)> dump;
};

struct CompiledProgram {
  NodePtr root;                    // a block of the top-level expressions
  int slots = 0;                   // slots of the top-level frame
  std::vector<const Node*> nodes;  // every node, by id (pre-order)
  std::vector<int> parents;        // parent id of each node (-1 for the root)
  std::vector<LoopReport> loops;   // every for loop: parallel, or why not
  // The top level only defines functions (define(f, lambda) with constant defaults, nothing
  // assigns a top-level variable again) and ends with one of them: its value is the same
  // function at every call, and a call may reuse the first one's (Program::call).
  bool definitions_only = false;
  // What the program gives (with a signature: what the call returns), as infer_types found it.
  Type result;
};

// The names of the passes, in order ("resolve" is the state before any optimisation).
const std::vector<std::string>& pass_names();

CompiledProgram compile(std::string_view text, const CompileOptions& options = {});

}  // namespace larix::compiler
