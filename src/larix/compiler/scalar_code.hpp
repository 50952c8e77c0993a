// Scalar code: the subtrees a ScalarNode (runtime/scalar_node.hpp) can evaluate directly, without
// a future or a generic primitive call per operation. A node is scalar code when it is a literal,
// a variable, an arithmetic, comparison or logical primitive (+ - * / // % ** unary -, == != < <=
// > >=, && || ^ !) of scalar code, a subscript x[i, ...] (__subscript) of a variable by scalar
// code (an array's element is NumPy's scalar: the ScalarNode computes on float64 and int64 ones
// unboxed; the subscript's value may be an array, a view made by its kernel, and a 0-d float64
// or int64 array proven by the types is a number here), an element store x[i, ...] = v
// (store_indexed) whose value and indices are scalar code, if, while, a sequential for, a block
// (not parallel_block), a define or store of a variable with a value that is scalar code (not a
// lambda), or a call of a known function (bound once by define, not a parameter, no defaults,
// called with exactly its parameters by position) whose body is scalar code (recursion
// included), or a fused chain (__fused, compiler/fuse_elementwise.hpp) of scalar code. Whether a
// value is a Python scalar is not known at compile time: the ScalarNode checks each value and
// hands whatever is not a Python number to the primitive's own kernel, so this is a question of
// form only. A `for` made parallel by find_parallel_loops is not scalar code, nor are its init,
// condition and step (ParallelForNode reads its bounds out of them). Lowering asks scalar_code()
// again, so that the subtrees it turns into ScalarNodes are those of the final program.
#pragma once

#include <map>
#include <optional>
#include <unordered_set>

#include "larix/compiler/ir.hpp"
#include "larix/runtime/scalar_node.hpp"

namespace larix::compiler {

struct ScalarCodeInfo {
  std::unordered_set<const Ir*> nodes;           // every node of scalar code
  std::map<const Ir*, const FunctionIr*> calls;  // each call in it: the function it calls
  std::map<const Ir*, const FunctionIr*> fused;  // each __fused in it: its chain (a lambda)
};

// The scalar code of the program below `root`. With `marked_only`, a node must also carry the
// mark of the pass (Ir::scalar).
ScalarCodeInfo scalar_code(const Ir& root, bool marked_only);

// The pass: sets Ir::scalar on exactly the nodes of scalar code.
void mark_scalar_code(ProgramIr& program);

// The operation of scalar code a primitive is, if it is one.
std::optional<ScalarOp> scalar_op(const PrimitiveInfo& prim);

}  // namespace larix::compiler
