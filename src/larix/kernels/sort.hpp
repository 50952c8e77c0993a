// Sorting and searching with NumPy's rules: np.sort, np.argsort, np.unique, np.searchsorted.
// Order: false < true for bools; for floats NaN sorts after everything else (NumPy's order), and
// -0.0 and 0.0 are equal (which one comes first among equal zeros is not NumPy's).
#pragma once

#include <optional>

#include "larix/array/array.hpp"

namespace larix::kernels {

// np.sort(a, axis): a sorted copy along `axis`, or of the flattened array (a 1-d result) when axis
// is absent. AxisError for a bad axis (a 0-d array has no axis -1, as in NumPy). Lines along the
// axis sort in parallel tasks; one long line sorts with tbb::parallel_sort.
Array sort(const Array& a, std::optional<int> axis);

// np.argsort(a, axis, kind="stable"): int64 indices that sort each line (or the flattened array).
// Always stable: equal elements keep their order (NumPy's default quicksort does not promise
// that). A 0-d array counts as 1-d, as in NumPy.
Array argsort(const Array& a, std::optional<int> axis);

// np.unique(a, return_index, return_inverse, return_counts) of the flattened array: sorted
// distinct values (all NaNs count as one, NumPy's equal_nan=True); `index` the first position of
// each value in the flattened input, `inverse` (int64, a's shape) the position of each input
// element in `values`, `counts` how often each occurs. Parts not asked for are left empty.
struct UniqueResult {
  Array values, index, inverse, counts;
};
UniqueResult unique(const Array& a, bool want_index, bool want_inverse, bool want_counts);
// np.unique(a, axis=axis): the distinct subarrays along `axis` (rows for axis 0 of a matrix),
// sorted lexicographically (NaN after numbers; a subarray holding a NaN is distinct from every
// other, as NumPy's); index, inverse and counts are 1-d over that axis.
UniqueResult unique_along(const Array& a, int axis, bool want_index, bool want_inverse,
                          bool want_counts);

// np.searchsorted(a, v, side, sorter): for each element of v, the int64 insertion position in the
// sorted 1-d array `a` (a[sorter] when a sorter is given) that keeps it sorted, before equal
// elements (left) or after them (right); the result has v's shape. Both are compared in
// `common`, the dtype NumPy compares them in. ValueError when a is not 1-d or a sorter index is
// out of range.
Array searchsorted(const Array& a, const Array& v, bool right, DType common,
                   const std::optional<Array>& sorter = {});

}  // namespace larix::kernels
