// Numerically stable ML helpers over axes (softmax, logsumexp, as scipy.special) and NumPy's
// rounding to a number of decimals (np.round / np.around).
#pragma once

#include <optional>
#include <vector>

#include "larix/array/array.hpp"

namespace larix::kernels {

// The floating dtype these functions compute in: float32 stays float32, the rest give float64.
DType special_float_dtype(DType input);

// scipy.special.softmax(x, axis): exp(x - max) / sum(exp(x - max)) over `axes` (all when absent),
// with the max taken over the same axes. NaN and infinities propagate as in scipy (an infinite
// max gives NaN). A reduced axis of length 0 is a ValueError like np.amax's. A 0-d input accepts
// axis 0 or -1 (as scipy).
Array softmax(const Array& x, const std::optional<std::vector<int>>& axes);

// scipy.special.logsumexp(a, axis, keepdims): log(sum(exp(a))) over `axes`, computed as
// max + log(sum(exp(a - max))) with a non-finite max replaced by 0 (so all -inf gives -inf, any
// +inf gives +inf, NaN gives NaN, and an empty reduction gives -inf).
Array logsumexp(const Array& a, const std::optional<std::vector<int>>& axes, bool keepdims);

// np.round(a, decimals): floats are scaled by 10**decimals, rounded half to even (rint) and
// scaled back, in their own dtype (NumPy's algorithm: 2.675 rounds to 2.68, as in NumPy).
// Integers are exact: unchanged for decimals >= 0, else rounded half to even to a multiple of
// 10**-decimals. Bools give float64 for decimals == 0 (NumPy: float16) and a TypeError otherwise.
Array round_decimals(const Array& a, std::int64_t decimals);

}  // namespace larix::kernels
