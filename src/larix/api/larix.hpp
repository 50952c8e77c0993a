// The C++ facade of Larix: compile PhySL text into a Program, call it. C++ users include this
// header only; everything else is detail.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "larix/api/profile.hpp"  // RunOptions, profiled calls and the profile JSON
#include "larix/compiler/pipeline.hpp"
#include "larix/primitives/registry.hpp"
#include "larix/runtime/function.hpp"
#include "larix/runtime/profiler.hpp"

namespace larix {

class Program {
 public:
  // Compiles PhySL text (parse, resolve, passes, lowering). Errors: larix::Error with location.
  static Program compile(std::string text, compiler::CompileOptions options = {});

  // Evaluates the program. If its value is a function and arguments are given (or the function
  // takes none), calls it with them and returns that result.
  Value call(CallArgs args = {}, const RunOptions& options = {}) const;

  const std::string& physl() const;
  const std::string& source_name() const;
  const compiler::CompiledProgram& compiled() const;
  // The execution tree as indented text: one node a line with its id and source location.
  std::string dump_tree() const;
  // With CompileOptions::specialize: the programs compiled so far for the calls' signatures, each
  // as (the argument types, e.g. "float64[?, ?], int", what infer_types found the call gives).
  std::vector<std::pair<std::string, compiler::Type>> specializations() const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

// Calls a function value (e.g. a closure a program returned) with arguments.
Value call_function(const Value& fn, CallArgs args, const RunOptions& options = {});

// Starts (or restarts) the runtime with `threads` threads; 0 = LARIX_THREADS or all cores.
void init(int threads = 0);
int threads();

// The OpenBLAS thread count Larix's last BLAS or LAPACK call ran with: 1 whatever threadpoolctl or
// OPENBLAS_NUM_THREADS asked for (kernels/blas_threads.hpp). For tests.
int blas_threads_at_last_call();
// Array buffers Larix has allocated since the process started (a debug counter: tests check that a
// fused chain allocates one result and no temporaries).
std::uint64_t array_allocations();

// Documentation of a primitive: "name(signature)\n\ndocstring" (user error if unknown).
std::string primitive_doc(const std::string& name);

// The canonical form of PhySL text (larix fmt), its comments kept; parse errors as larix::Error.
std::string format_physl(const std::string& text, const std::string& source_name);

// When `e` points into `text` (named `source_name`) and carries no source line yet, adds it.
void attach_source_line(Error& e, const std::string& source_name, const std::string& text);

}  // namespace larix
