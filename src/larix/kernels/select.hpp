// Selection kernels: np.where(cond, x, y) with three-way broadcasting.
#pragma once

#include "larix/array/array.hpp"

namespace larix::kernels {

// The broadcast shape of three operands (a ValueError like NumPy's when they do not broadcast).
Shape broadcast_shapes(const Shape& a, const Shape& b, const Shape& c);

// np.where(cond, x, y): x where cond is true (nonzero), else y, all broadcast together; x and y are
// cast to `dtype` (the caller's promotion, NumPy 2's weak scalars included).
Array where(const Array& cond, const Array& x, const Array& y, DType dtype);

}  // namespace larix::kernels
