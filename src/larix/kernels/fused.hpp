// Fused element-wise programs: a chain such as 2 * a + 1 or (x - m) ** 2 evaluated in one pass,
// block by block, without an array per operation (what the compiler's element-wise fusion makes
// of a chain; primitives/fused.cpp decides when a chain's values fit). Every step computes in
// float64 through the same loops as binary() and unary() (binary_f64, unary_f64), so a fused
// result has the bits of the unfused one; inputs of int64 or bool are converted as they are read,
// as cast() would convert them.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <vector>

#include "larix/array/array.hpp"
#include "larix/kernels/elementwise.hpp"

namespace larix::kernels::fused {

// An input: an array of float64, int64 or bool broadcastable to the program's shape, or (no
// array) one number for every element.
struct Input {
  const Array* array = nullptr;
  double value = 0;
};

// One step. Registers are the inputs (0 .. inputs - 1), then each step's result in order.
struct Step {
  enum class Kind : std::uint8_t { binary, unary, where };
  Kind kind = Kind::binary;
  BinaryOp binary = BinaryOp::add;
  UnaryOp unary = UnaryOp::negative;
  int a = 0, b = 0, c = 0;  // operands: binary a, b; unary a; where(a, b, c)
};

struct Program {
  int inputs = 0;
  std::vector<Step> steps;  // at least one; the last one's value is the result
};

// The nanoseconds each step took, added up over blocks and threads, when a profile asks for them
// (empty: not measured).
using StepTimes = std::span<std::atomic<std::int64_t>>;

// The last step's values over `shape`, as an array of `result` (float64, or bool: nonzero).
// Blocks of elements go through all steps in small registers; large shapes run in parallel chunks.
Array evaluate(const Program& program, std::span<const Input> inputs, const Shape& shape,
               DType result, StepTimes times = {});

// The sum of the last step's values over all of `shape`, in C order and in np.sum's pairwise
// order: the bits of sum(evaluate(program, inputs, shape, float64)), at any number of threads.
double sum(const Program& program, std::span<const Input> inputs, const Shape& shape,
           StepTimes times = {});

}  // namespace larix::kernels::fused
