// Reductions beyond sum (reduce.hpp): prod, min/max, any/all, count_nonzero, argmin/argmax, mean,
// var/std and the cumulative sum and product, with NumPy's axis, keepdims and dtype rules.
#pragma once

#include <optional>
#include <vector>

#include "larix/array/array.hpp"

namespace larix::kernels {

enum class ReduceOp { prod, min, max, any, all, count_nonzero };

// NumPy's ufunc name in messages: "multiply", "minimum", "maximum", ...
const char* reduce_op_name(ReduceOp op);
// The result dtype: prod as sum (bools and ints give int64), min/max keep the input's, any/all
// give bool and count_nonzero int64; `dtype` (prod only) overrides.
DType reduce_dtype(ReduceOp op, DType input, std::optional<DType> dtype = {});

// np.prod/np.min/np.max/np.any/np.all/np.count_nonzero(a, axis, keepdims). min/max over an empty
// axis are a ValueError "zero-size array to reduction operation maximum which has no identity".
// NaN propagates through min/max and counts as true. Products multiply in C order (int64 wraps).
Array reduce(ReduceOp op, const Array& a, const std::optional<std::vector<int>>& axes = {},
             bool keepdims = false, std::optional<DType> dtype = {});

// np.argmax/np.argmin(a, axis, keepdims): int64 positions of the first extreme (the first NaN when
// there is one), along `axis` or in the flattened array. ValueError for an empty reduction.
Array arg_reduce(bool max, const Array& a, std::optional<int> axis = {}, bool keepdims = false);

// np.mean: sum (pairwise, in float64 for bools and ints) divided by the count.
Array mean(const Array& a, const std::optional<std::vector<int>>& axes = {}, bool keepdims = false,
           std::optional<DType> dtype = {});
// np.var / np.std: NumPy's two-pass algorithm (mean, then the sum of squared deviations), divided
// by max(n - ddof, 0).
Array var(const Array& a, const std::optional<std::vector<int>>& axes = {}, bool keepdims = false,
          double ddof = 0, std::optional<DType> dtype = {});
Array std_dev(const Array& a, const std::optional<std::vector<int>>& axes = {},
              bool keepdims = false, double ddof = 0, std::optional<DType> dtype = {});

// np.cumsum / np.cumprod(a, axis, dtype): along `axis`, or over the flattened array (C order).
// Sequential in each line, as NumPy (no pairwise summation); lines run in parallel.
Array cumulative(bool product, const Array& a, std::optional<int> axis = {},
                 std::optional<DType> dtype = {});

}  // namespace larix::kernels
