// Index arrays: np.indices (the coordinate grid of a shape) and np.nonzero (the coordinates of the
// nonzero elements), the kernels behind indices, fromfunction, nonzero, argwhere and flatnonzero.
#pragma once

#include "larix/array/array.hpp"

namespace larix::kernels {

// np.indices(shape, dtype): an array of shape (ndim, *shape) whose slice k holds each element's
// index along axis k (cast to `dtype`). Filled in parallel for large grids.
Array indices(const Shape& shape, DType dtype = DType::int64);

// The int64 coordinates of the nonzero elements of `a` (NaN counts as nonzero, -0.0 as zero) in
// C order, as an array of shape (a.ndim(), count): row k is np.nonzero(a)[k]. Counts and fills in
// parallel chunks for large inputs. `a` may be 0-d (shape (0, count)); the primitive decides what
// NumPy does with that.
Array nonzero(const Array& a);

}  // namespace larix::kernels
