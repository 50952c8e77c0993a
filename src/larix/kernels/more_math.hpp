// Element-wise comparisons of whole arrays (isclose, array_equal) and the NaN-aware element-wise
// functions hypot, fmax, fmin and nan_to_num, with NumPy's broadcasting.
#pragma once

#include <optional>

#include "larix/array/array.hpp"

namespace larix::kernels {

// np.isclose: |a - b| <= atol + rtol * |b| element-wise with broadcasting (bool). Computed in
// float64; infinities are close only to themselves; NaNs are close to each other when equal_nan.
Array isclose(const Array& a, const Array& b, double rtol, double atol, bool equal_nan);
// np.array_equal: same shape and equal elements (NaNs equal when equal_nan).
bool array_equal(const Array& a, const Array& b, bool equal_nan);

enum class NanBinaryOp { hypot, fmax, fmin };
// a op b in `dtype` (both operands are cast to it; the caller applies NumPy's promotion). fmax and
// fmin return the other operand when one is NaN; hypot is sqrt(a*a + b*b) without overflow.
Array nan_binary(NanBinaryOp op, const Array& a, const Array& b, DType dtype);

// np.nan_to_num: NaN -> nan, +inf -> posinf (default: the dtype's largest finite value), -inf ->
// neginf (default: its lowest). Bools and ints come back unchanged (a copy).
Array nan_to_num(const Array& a, double nan, std::optional<double> posinf,
                 std::optional<double> neginf);

}  // namespace larix::kernels
