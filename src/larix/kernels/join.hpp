// Joining arrays: np.concatenate and np.stack (hstack, vstack and nested array literals build on
// them). The result dtype promotes the inputs' (NumPy's result_type).
#pragma once

#include <vector>

#include "larix/array/array.hpp"

namespace larix::kernels {

// np.concatenate(arrays, axis): shapes must agree except along `axis`. ValueError "need at least
// one array to concatenate", "all the input array dimensions except for the concatenation axis
// must match exactly, ...", AxisError for a bad axis.
Array concatenate(const std::vector<Array>& arrays, int axis = 0);
// np.stack(arrays, axis): a new axis at `axis` (in [-ndim-1, ndim]); shapes must be equal.
Array stack(const std::vector<Array>& arrays, int axis = 0);

}  // namespace larix::kernels
