// Matrix kernels beyond np.dot (linalg.hpp): np.matmul with its batch rules, diagonals, and the
// LAPACK-backed np.linalg.inv / solve / det (single-threaded LAPACK, batches in parallel tasks).
#pragma once

#include <algorithm>
#include <cstdint>

#include "larix/array/array.hpp"
#include "larix/kernels/blas_threads.hpp"
#include "larix/kernels/parallel.hpp"

namespace larix::kernels {

// np.matmul's result shape: 1-d operands get a 1 prepended (a) or appended (b) which the result
// drops; batch axes broadcast. ValueError like NumPy's for 0-d operands and mismatched cores.
Shape matmul_shape(const Shape& a, const Shape& b);
Array matmul(const Array& a, const Array& b);

// A view of the diagonal at `offset` of axes axis1 and axis2, which are removed; the diagonal is
// the last axis (np.diagonal). Axes must be distinct and in range (AxisError otherwise).
Array diagonal(const Array& a, std::int64_t offset = 0, int axis1 = 0, int axis2 = 1);

// The float dtype LAPACK works in for `dtype`: float32 stays, everything else is float64.
DType lapack_dtype(DType dtype);
// np.linalg.inv over (..., n, n); LinAlgError "Singular matrix".
Array inv(const Array& a);
// np.linalg.solve(a, b): a (..., n, n); b (n,) or (..., n, k) (batches broadcast).
Array solve(const Array& a, const Array& b);
// np.linalg.det over (..., n, n): the product of LU's diagonal (0 for a singular matrix).
Array det(const Array& a);

// f(j) for every matrix j of a stack of `batches` (each about `work` multiply-adds), in parallel
// tasks of about 2^20 multiply-adds: how the LAPACK kernels spread a stack over the arena. OpenBLAS
// is put back to one thread first (blas_threads.hpp): LAPACK's inner BLAS calls would thread too.
template <class F>
void for_batches(std::int64_t batches, std::int64_t work, F&& f) {
  one_blas_thread();
  parallel_for_chunks(
      batches, std::max<std::int64_t>(1, (std::int64_t{1} << 20) / std::max<std::int64_t>(work, 1)),
      [&](std::int64_t b0, std::int64_t b1) {
        for (std::int64_t j = b0; j < b1; ++j) f(j);
      });
}

}  // namespace larix::kernels
