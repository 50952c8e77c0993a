// Linear algebra kernels: np.dot through single-threaded CBLAS calls (OpenBLAS), parallel by
// row blocks in the caller's oneTBB arena (the runtime owns the threads).
#pragma once

#include "larix/array/array.hpp"

namespace larix::kernels {

// np.dot's result shape: a.shape[:-1] + b.shape[:-2] + b.shape[-1:] (0-d operands multiply).
// ValueError "shapes (2,3) and (4,) not aligned: 3 (dim 1) != 4 (dim 0)" when they do not fit.
Shape dot_shape(const Shape& a, const Shape& b);

// np.dot(a, b): 0-d operands multiply; 1-d·1-d is the inner product (a 0-d result); otherwise the
// sum over the last axis of a and the second-to-last of b (the only axis of a 1-d b). float32 and
// float64 go through BLAS (sgemm/dgemm, sgemv/dgemv, sdot/ddot); bool and int64 through a loop.
Array dot(const Array& a, const Array& b);

// y += a.T @ x for a float64 matrix a (R x K), a float64 R-vector x and a float64 K-vector y
// Larix owns, on the calling thread: row-block fusion adds a block's part while the block is in
// cache. The rows are added in order, eight per pass over y (a vectorised loop, not BLAS).
void add_transposed_product(const Array& a, const Array& x, Array& y);
// Row-block fusion's one pass per block, on raw float64 rows of one matrix (row stride lda
// elements, n columns): y += (rows_a rows at a).T @ x, in row order, and z = (rows_b rows at b)
// @ w, the next block's products, in the same pass over the columns, so that the next block
// streams in from memory while this one's part is added out of cache. Either count may be 0.
void add_transposed_product_and_dot(const double* a, std::int64_t rows_a, const double* x,
                                    double* y, const double* b, std::int64_t rows_b,
                                    const double* w, double* z, std::int64_t lda, std::int64_t n);

// The symmetric product of a float64 matrix a with itself: a.T @ a (`transposed_first`) or
// a @ a.T, through BLAS dsyrk on the diagonal blocks and dgemm on the blocks above them (the
// lower triangle is copied from the upper one, so the result is exactly symmetric). Each entry is
// one BLAS sum over a's other axis, in blocks that depend on the shape only: the same bits at any
// thread count; within rounding of dot(a.T, a) (~1e-16 relative per term).
Array symmetric_product(const Array& a, bool transposed_first);

}  // namespace larix::kernels
