// The compiler's intermediate form: PhySL with every name resolved (to a frame slot, a primitive,
// or a function), keywords bound, and source locations kept. Passes rewrite it; lowering turns it
// into the execution tree. It prints back as PhySL (ir_to_physl) so each pass can be looked at.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "larix/primitives/parallel_for.hpp"
#include "larix/runtime/basic_nodes.hpp"
#include "larix/runtime/primitive.hpp"

namespace larix::compiler {

// What the compiler knows about a value before running (filled by infer_types): its kind, and for
// an array its dtype, rank and dimensions where known; the value itself when it is a constant.
// `unknown` is always a correct answer: nothing may depend on a type for correctness. A type is
// what the value is *if* its expression succeeds (an expression that must fail has any type).
enum class TypeKind : std::uint8_t {
  none,      // no value yet (the analysis' start: a variable nothing has written)
  unknown,   // anything
  nil,       // None
  boolean,   // a Python bool
  integer,   // a Python int (int64)
  floating,  // a Python float
  string,
  list,
  dict,
  function,
  array,  // dtype/rank/dims below, each where known
};

struct Type {
  TypeKind kind = TypeKind::unknown;
  std::optional<DType> dtype;      // array: its dtype, when known
  int rank = -1;                   // array: its number of axes, -1 when not known
  std::vector<std::int64_t> dims;  // array of known rank: each length, -1 where not known
  std::optional<Value> value;      // the value, when known (a constant)

  static Type of(TypeKind kind) { return Type{.kind = kind}; }
  // The type of a value; `with_value` keeps the value itself, `with_dims` the array's lengths
  // (otherwise only its rank).
  static Type of(const Value& v, bool with_value = true, bool with_dims = true);
  // The type kind of a value kind (unknown for one no type stands for: unbound).
  static TypeKind kind_of(ValueKind kind);
  bool known() const { return kind != TypeKind::unknown && kind != TypeKind::none; }
  bool is_scalar() const {  // a Python number
    return kind == TypeKind::boolean || kind == TypeKind::integer || kind == TypeKind::floating;
  }
  bool is_array(DType d, int r) const { return kind == TypeKind::array && dtype == d && rank == r; }
  // Everything about the value but its data: the kind, and an array's dtype and every length.
  bool complete() const;
  // "float64[2, ?]", "int", "int 3", "?" (unknown), "-" (none).
  std::string str() const;
  friend bool operator==(const Type& a, const Type& b);
};
// The least type holding both: what a variable written with either value is.
Type join(const Type& a, const Type& b);

struct Ir;
using IrPtr = std::shared_ptr<Ir>;
struct FunctionIr;

enum class IrKind {
  constant,       // value
  variable,       // read slot
  define,         // slot = args[0]
  store,          // slot = args[0]
  store_indexed,  // slot = writer(slot, args[0] (value), args[1..] (indices))
  block,          // args = statements (deps filled by analyze_dependencies)
  lambda,         // function (args = default expressions, null where none)
  primitive,      // regular primitive call: args bound to the signature
  control,        // control primitive: args bound to the signature, unevaluated
  call,           // args[0] = callee expression; args[1..] positional then keywords
};

struct Ir {
  IrKind kind = IrKind::constant;
  SourceLoc loc;
  Value value;                          // constant
  std::string name;                     // variable/define/store: the variable; call: callee text
  SlotRef slot;                         // variable/define/store/store_indexed
  const PrimitiveInfo* prim = nullptr;  // primitive/control, and store_indexed's writer
  std::vector<IrPtr> args;
  std::vector<std::string> keywords;     // call: names of the trailing keyword args
  std::shared_ptr<FunctionIr> function;  // lambda
  std::vector<std::vector<int>> deps;    // block
  bool parallel = false;                 // block: parallel_block (no dependencies at all)
  // primitive/call: per operand (a call's: per argument after the callee), whether it has ordered
  // effects that must run in program order; empty when fewer than two operands have effects.
  std::vector<bool> ordered;
  // control for/parallel_for: set when its iterations run in parallel (find_parallel_loops).
  std::shared_ptr<const ParallelLoopSpec> parallel_loop;
  // This node and everything below it is scalar code (mark_scalar_code): lowered to a ScalarNode.
  bool scalar = false;
  // What the node's value is (infer_types; unknown until it ran, and for nodes made after it).
  Type type;
  // define's value: rewrite_algebra copied it into the products that read the variable, so those
  // copies raise its errors and dead_code may drop the define once nothing reads it.
  bool copied = false;
};

struct FunctionIr {
  std::string name;
  std::vector<std::string> params;
  int slots = 0;
  IrPtr body;
  SourceLoc loc;
  // What calling it may touch outside its own frame, relative to its own frame (depth >= 1), and
  // whether it has effects or calls unknown functions. Filled by analyze_dependencies.
  std::vector<SlotRef> outer_reads, outer_writes;
  bool effects = false;
  bool barrier = false;  // calls functions the compiler cannot see
  bool analyzed = false;
  bool analyzing = false;
  // What a call of it returns (infer_types; unknown when not known).
  Type result;
};

// What find_parallel_loops concluded about one loop: parallel, or why not (and where).
struct LoopReport {
  SourceLoc loc;  // the loop
  bool parallel = false;
  std::string why;          // sequential: the reason
  SourceLoc where;          // sequential: what stands in the way, when it has a place
  std::string str() const;  // "line:col: parallel" / "line:col: sequential: why (at line:col)"
};

struct ProgramIr {
  IrPtr body;                     // a block of the top-level expressions
  int slots = 0;                  // slots of the top-level frame
  std::string source;             // source name (for messages)
  std::vector<LoopReport> loops;  // filled by find_parallel_loops, in source order
  // The argument types of the call the program is compiled for, when it ends with a function
  // (CompileOptions::signature): infer_types gives them to that function's parameters.
  std::optional<std::vector<Type>> signature;
  // What the program gives (infer_types): with a signature, what that call returns.
  Type result;
};

IrPtr make_ir(IrKind kind, SourceLoc loc);
// PhySL text of the IR (names as written; constants as literals).
std::string ir_to_physl(const Ir& ir);
std::string ir_to_physl(const ProgramIr& program);

// Calls f on each direct operand (the same in every pass).
template <class F>
void for_each_operand(Ir& ir, F&& f) {
  for (auto& a : ir.args)
    if (a) f(a);
  if (ir.function && ir.function->body) f(ir.function->body);
}

}  // namespace larix::compiler
