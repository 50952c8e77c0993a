// Complex numbers (complex64, complex128): the operations written for them. kernels::binary,
// kernels::unary and kernels::sum hand a complex operand here; every other kernel raises the
// TypeError of complex_unsupported (visit_dtype).
#pragma once

#include <optional>
#include <vector>

#include "larix/array/array.hpp"
#include "larix/kernels/elementwise.hpp"

namespace larix::kernels {

// a op b computed in `compute` (a complex dtype), broadcast to `shape`: add, subtract, multiply,
// true_divide (NumPy's formulas: four real products for *, Smith's scaled division for /, a zero
// divisor giving inf or nan parts), equal and not_equal (bool; both parts compared). Other
// operations raise complex_unsupported.
Array complex_binary(BinaryOp op, const Array& a, const Array& b, DType compute,
                     const Shape& shape);

// op of a complex a: negative, square, absolute (|a| in the parts' dtype), isnan / isinf /
// isfinite (of either part; isfinite of both), exp, log, sqrt (the C library's complex
// functions, which NumPy calls too). Others raise complex_unsupported.
Array complex_unary(UnaryOp op, const Array& a);

// np.real / np.imag / np.conj / np.angle of any numeric array: a real a's real part is a itself,
// its imaginary part zeros of its dtype, its conjugate itself (a bool one's as int64: NumPy's has
// no bool loop); angle is atan2(imag, real) in the
// parts' dtype (float64 for bool and int64), in degrees when asked.
Array real_part(const Array& a);
Array imag_part(const Array& a);
Array conjugate(const Array& a);
// re + i im of two float arrays of one shape and dtype (complex64 from float32).
Array complex_from_parts(const Array& re, const Array& im);
Array angle(const Array& a, bool degrees);

// The sum of a complex array over `axes` (all when none), pairwise along each line as NumPy sums;
// the product (in order, NumPy's product formula); the running sum or product along `axis`
// (the flattened array without one).
Array complex_sum(const Array& a, const std::optional<std::vector<int>>& axes, bool keepdims);
Array complex_prod(const Array& a, const std::optional<std::vector<int>>& axes, bool keepdims);
Array complex_cumulative(bool product, const Array& a, std::optional<int> axis);

}  // namespace larix::kernels
