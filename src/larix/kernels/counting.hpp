// Counting and 1-d signal kernels with NumPy's rules: np.bincount, np.histogram's counting,
// np.interp, np.convolve / np.correlate, and np.copysign.
#pragma once

#include <optional>
#include <string>

#include "larix/array/array.hpp"

namespace larix::kernels {

// np.bincount(x, weights, minlength): x a 1-d array of non-negative integers (bools count as 0/1);
// int64 counts, or float64 sums of the weights (x's shape). ValueError for a negative value, a
// negative minlength or weights of another shape; TypeError for a float x.
Array bincount(const Array& x, const std::optional<Array>& weights, std::int64_t minlength);

// np.histogram's counts of the flattened a in the bins of `edges` (1-d, non-decreasing, at
// least two): each bin is half open [e_i, e_{i+1}) except the last, which is closed; values
// outside are not counted. `uniform`: edges equally spaced (bins=int), counted as NumPy counts
// them (the index computed from the value, then corrected against the edges). int64 counts, or
// sums of the weights (float64, or the weights' dtype when it is float32) when given.
Array histogram_counts(const Array& a, const Array& edges, bool uniform,
                       const std::optional<Array>& weights);

// np.interp(x, xp, fp, left, right): float64 piecewise-linear interpolation; xp increasing 1-d,
// fp of its length; left/right for x below/above the range (default fp[0]/fp[-1]).
Array interp(const Array& x, const Array& xp, const Array& fp, std::optional<double> left,
             std::optional<double> right);

// np.correlate(a, v, mode) (convolve=false) and np.convolve(a, v, mode) (convolve=true) of 1-d
// arrays; mode "valid", "same" or "full". Computed in result_type(a, v) (bools: or of ands).
Array correlate(const Array& a, const Array& v, const std::string& mode, bool convolve);

// np.isin(element, test, invert): bool of element's shape, whether each element equals one of
// test's (compared in their promoted dtype; NaN equals nothing, as in NumPy).
Array isin(const Array& element, const Array& test, bool invert);

// np.copysign(a, b) with broadcasting, computed in `dtype` (a float dtype).
Array copysign(const Array& a, const Array& b, DType dtype);

}  // namespace larix::kernels
