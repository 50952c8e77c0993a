// Order statistics with NumPy's rules: np.median and np.percentile/np.quantile (method "linear").
#pragma once

#include <optional>
#include <vector>

#include "larix/array/array.hpp"

namespace larix::kernels {

// The quantiles `q` (fractions in [0, 1]) of `a` over `axes` (all when absent), NumPy's "linear"
// method: the sorted values v of each line give v[i] + (v[i+1] - v[i]) * g at q * (n - 1) = i + g.
// A line holding a NaN gives NaN. With `q_is_array` the result has a leading axis of len(q).
// An empty line is an IndexError, as in NumPy. Values are computed in float64 and stored in
// `dtype`.
Array quantile(const Array& a, const std::vector<double>& q, bool q_is_array,
               const std::optional<std::vector<int>>& axes, bool keepdims, DType dtype);

// The IndexError of quantile for an empty line (NumPy raises it before any dtype error).
void check_quantile_lines(const Array& a, const std::optional<std::vector<int>>& axes);

// np.median: the middle value of each sorted line, the mean of the two middle ones for an even
// length; NaN for a line holding a NaN and for an empty line. Bools and ints give float64.
Array median(const Array& a, const std::optional<std::vector<int>>& axes, bool keepdims);

}  // namespace larix::kernels
