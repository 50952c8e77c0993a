// Matrix decompositions of numpy.linalg through LAPACK: cholesky, qr, eigh/eigvalsh, svd, lstsq,
// slogdet, and pinv / matrix_rank on top of svd. As NumPy, every one computes in float64 (float32
// input included) on column-major copies and casts the results back: float32 gives float32,
// everything else float64. LAPACK runs single-threaded; the matrices of a stack (..., m, n) are
// factorised in parallel tasks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "larix/array/array.hpp"

namespace larix::kernels {

// np.linalg.cholesky(a, upper=False) over (..., n, n): the lower factor L with a = L @ L.T, only
// the lower triangle of `a` read (upper: U with a = U.T @ U from the upper triangle). LinAlgError
// "Matrix is not positive definite".
Array cholesky(const Array& a, bool upper = false);

// np.linalg.qr over (..., m, n). mode "reduced" -> {q (..., m, k), r (..., k, n)} with
// k = min(m, n); "complete" -> {q (..., m, m), r (..., m, n)}; "r" -> {r (..., k, n)};
// "raw" -> {h (..., n, m), tau (..., k)} (LAPACK's geqrf output, as NumPy). Signs as LAPACK's
// geqrf + orgqr (NumPy's too). ValueError "Unrecognized mode 'x'".
std::vector<Array> qr(const Array& a, const std::string& mode = "reduced");

// np.linalg.eigh / eigvalsh over (..., n, n): eigenvalues ascending (..., n) and, when `vectors`,
// the eigenvectors as columns (..., n, n). uplo 'L' or 'U' names the triangle that is read.
std::vector<Array> eigh(const Array& a, char uplo = 'L', bool vectors = true);

// np.linalg.svd over (..., m, n) through gesdd: {u, s, vh} with s descending (..., k); u is
// (..., m, m) and vh (..., n, n) with full_matrices, else (..., m, k) and (..., k, n). Without
// compute_uv only {s}. LinAlgError "SVD did not converge".
// np.linalg.eig / eigvals over (..., n, n) of a real matrix: eigenvalues (..., n) and, when
// `vectors`, the unit eigenvectors as the columns of (..., n, n), from LAPACK geev in float64
// (float32 input gives float32 / complex64 results). Real arrays when every eigenvalue of the
// stack is real, complex ones otherwise (NumPy's rule). LinAlgError for infs and NaNs.
std::vector<Array> eig(const Array& a, bool vectors = true);
std::vector<Array> svd(const Array& a, bool full_matrices = true, bool compute_uv = true);

// np.linalg.lstsq(a, b, rcond) through gelsd: a (m, n), b (m,) or (m, k). rcond nil means
// eps * max(m, n) (NumPy 2). Residuals (k,) or (1,) when rank == n < m, else empty.
struct LstsqResult {
  Array x, residuals;
  std::int64_t rank = 0;
  Array s;
};
LstsqResult lstsq(const Array& a, const Array& b, std::optional<double> rcond = std::nullopt);

// np.linalg.slogdet over (..., n, n): {sign, logabsdet}, each of the batch shape; a singular
// matrix gives sign 0 and logabsdet -inf.
std::vector<Array> slogdet(const Array& a);

// Phylanx's lu over (..., m, n): {L, U, P} with a = L @ U @ P, where L (..., m, k) is lower
// triangular, U (..., k, n) upper triangular with a unit diagonal, P (..., n, n) a permutation of
// the columns, k = min(m, n): partial pivoting over the columns (LAPACK getrf of a's transpose,
// Blaze's row-major lu). A singular matrix factorises too (a zero on L's diagonal).
std::vector<Array> lu(const Array& a);

// np.linalg.pinv(a, rcond) over (..., m, n): singular values at most rcond * max(s) count as zero.
// An empty matrix gives an empty (..., n, m) of a's dtype, as NumPy.
Array pinv(const Array& a, double rcond = 1e-15);

// np.linalg.matrix_rank over (..., m, n): the number of singular values above tol; tol nil means
// max(s) * max(m, n) * eps, with eps of the result dtype (float32's for float32 input); rtol, when
// given, means max(s) * rtol. int64 of the batch shape. For ndim < 2: 1 unless all elements are 0.
Array matrix_rank(const Array& a, std::optional<double> tol = std::nullopt,
                  std::optional<double> rtol = std::nullopt);

}  // namespace larix::kernels
