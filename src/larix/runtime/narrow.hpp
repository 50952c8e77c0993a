// Narrow dtypes (int8 ... uint64, float16) around a kernel. Kernels compute in bool, int64,
// float32, float64 and complex (array/dtype.hpp); run_kernel widens a narrow operand to its
// compute dtype before the kernel and gives the result the dtype NumPy gives it, by the
// primitive's NarrowPolicy. One place decides both the values' and the types' side: the compiler's
// type inference applies the same rule (narrow_target) to a primitive's type rule.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "larix/runtime/value.hpp"

namespace larix {

enum class NarrowPolicy : std::uint8_t {
  // Operands widened; the result is what the kernel computes (int64, float32, float64, bool: the
  // indices, counts, truth values and statistics that NumPy gives in those dtypes too).
  widen,
  // Nothing widened: containers, printing, calls of functions (the values pass through).
  keep,
  // The first operand as it is (the kernel moves its elements by their size: views, indexing,
  // stores, astype), the others widened (an int32 index array is an int64 one to the kernel).
  keep_first,
  // The same for stores x[...] = value (value second): a Python int outside a narrow integer
  // x's range is NumPy's OverflowError, not a wrapped value.
  store,
  // Arithmetic: the result in NumPy's result type of all operands (NEP 50: arrays strong, Python
  // numbers weak; a Python int outside a narrow integer result's range is NumPy's OverflowError).
  same_kind,
  // The same, the first operand left out (where's condition).
  same_kind_but_first,
  // Float functions (sqrt, exp, ...): the smallest float that holds the operands (holding_float).
  to_float,
  // True division: float64 for integer operands, else NumPy's result type.
  true_divide,
  // Data movement and order statistics (sort, concatenate, take, max): the dtype of the first
  // operand's arrays (a list's arrays promoted together).
  like_first,
  // The same for the first array of a list result only (unique's values, not its counts).
  like_first_head,
  // mean, var, median ...: float16 for a float16 operand (integers give float64 already).
  float_like_first,
  // sum, prod, cumsum ...: uint64 for unsigned integers, float16 for float16.
  sum_like,
};

// keep_first and store: the first operand reaches the kernel as it is (and no `dtype` argument is
// rewritten).
inline bool keeps_first_operand(NarrowPolicy p) {
  return p == NarrowPolicy::keep_first || p == NarrowPolicy::store;
}

// What narrow_target sees of an operand.
struct OperandType {
  ValueKind kind = ValueKind::nil;
  DType dtype = DType::float64;  // arrays: their dtype; lists: their arrays' promoted dtype
  bool has_array = false;        // an array, or a list holding one
  std::optional<std::int64_t> int_value;  // a Python int's value (its range check)
};

OperandType operand_type(const Value& v);

// The dtype the result gets (none: as computed), and NumPy's OverflowError for a Python int that
// does not fit a narrow integer result.
std::optional<DType> narrow_target(NarrowPolicy policy, std::span<const OperandType> operands);

// The dtype a computed result of dtype `computed` ends with, for a target: the target when both
// are of one category (integers, floats, complex) or an integer result has an inexact target,
// else the computed one (a comparison's bool, a true division's float64).
DType narrowed_dtype(DType computed, DType target);

// A dtype name ("uint8", "f2", ...) when it names a narrow dtype; none otherwise (never throws).
std::optional<DType> narrow_dtype_named(const std::string& name);

// Whether a kernel's operands need run_kernel's narrow handling: a narrow array (or one in a
// list), or a `dtype` argument (at dtype_param, -1: none) naming a narrow dtype.
bool has_narrow(std::span<const Value> values, int dtype_param);

// Widens the operands in place (keep_first, store: all but the first) to their compute dtype, or
// for arithmetic with a float or complex `target` (narrow_target's) to that one's; returns the
// requested result dtype of a `dtype` argument naming a narrow one (replaced by its compute
// dtype's name). A uint64 array holding values of 2**63 or more cannot be widened to int64 (an
// OverflowError) unless `uint64_as_bits` (the operation's int64 result has the uint64 one's bits).
std::optional<DType> widen_operands(NarrowPolicy policy, std::span<Value> values, int dtype_param,
                                    std::optional<DType> target, bool uint64_as_bits);

// The result narrowed to `target` (arrays, and the arrays of a list result; `head_only`: only
// the list's first).
Value narrow_result(Value result, DType target, bool head_only = false);

}  // namespace larix
