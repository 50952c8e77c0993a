// Reductions over axes with NumPy's rules (axis normalisation, keepdims, result dtypes).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "larix/array/array.hpp"

namespace larix::kernels {

// Sorted, distinct axes in [0, ndim); all axes when `axes` is absent. Negative axes count from the
// end. AxisError "axis 2 is out of bounds for array of dimension 2"; ValueError for a repeat.
std::vector<int> normalize_axes(const std::optional<std::vector<int>>& axes, int ndim);
// The shape left after reducing `axes` (normalised), with 1s in their place when keepdims.
Shape reduced_shape(const Shape& shape, const std::vector<int>& axes, bool keepdims);
// np.sum's result dtype: bool and int64 give int64, floats keep theirs; `dtype` when given.
DType sum_dtype(DType input, std::optional<DType> dtype = {});

// np.sum(a, axis, keepdims=keepdims, dtype=dtype). Floats are summed pairwise in NumPy's order
// for a contiguous run (a contiguous 1-d float sum is bit-identical to NumPy's, serial or
// parallel); integer sums wrap. The result does not depend on the number of threads.
Array sum(const Array& a, const std::optional<std::vector<int>>& axes = {}, bool keepdims = false,
          std::optional<DType> dtype = {});

// NumPy's pairwise sum of a contiguous float64 run, serial: the tree sum() uses for it (its halves
// split at n / 2 rounded down to a multiple of 8, runs of at most 128 added by 8 accumulators).
double pairwise_sum(const double* p, std::int64_t n);

// np.var's second pass over all elements: the sum of (a - m)^2 with NumPy's roundings (a - m and
// the square in `compute`, the sum pairwise in `acc`, in sum()'s order) but without its two
// temporary arrays. A 0-d array of dtype `acc`.
Array sum_squared_deviations(const Array& a, double m, DType compute, DType acc);

}  // namespace larix::kernels
