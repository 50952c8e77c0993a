#include "larix/kernels/decompositions.hpp"

#include <lapacke.h>

#include <algorithm>
#include <cfloat>
#include <climits>
#include <cmath>
#include <complex>
#include <limits>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/matrix.hpp"
#include "larix/kernels/parallel.hpp"

namespace larix::kernels {

namespace {

using std::int64_t;

// NumPy hands LAPACK Fortran-ordered copies; we do the same, so that the factorisations (and the
// signs of q, of eigenvectors, of singular vectors) are the ones NumPy gets. The LAPACKE *_work
// calls pass column-major data straight to LAPACK, without LAPACKE's NaN scan and transposes.
constexpr int kColMajor = LAPACK_COL_MAJOR;

int lapack_size(int64_t n) {
  LARIX_CHECK(n <= INT_MAX, value, "matrix too large for LAPACK (32-bit indices)");
  return static_cast<int>(n);
}

void check_matrices(const Array& a) {
  LARIX_CHECK(a.ndim() >= 2, linalg, a.ndim(),
              "-dimensional array given. Array must be at least two-dimensional");
}

void check_square(const Array& a) {
  check_matrices(a);
  LARIX_CHECK(a.shape()[a.ndim() - 2] == a.shape().back(), linalg,
              "Last 2 dimensions of the array must be square");
}

// A LAPACK argument error is a bug in these calls, not bad input.
void check_arguments(lapack_int info, const char* routine) {
  LARIX_ASSERT(info >= 0, "LAPACK ", routine, ": illegal value of argument ", -info);
}

// The same, except that LAPACK reports a NaN (or inf) in the matrix as an illegal argument too
// (dgesdd: INFO = -4): that is bad input, NumPy's LinAlgError `not_converged`.
void check_arguments(lapack_int info, const char* routine, const double* a, std::int64_t count,
                     const char* not_converged) {
  if (info < 0)
    for (std::int64_t i = 0; i < count; ++i)
      if (!std::isfinite(a[i])) user_error(ErrorKind::linalg, not_converged);
  check_arguments(info, routine);
}

Array swap_last(const Array& a) {
  std::vector<int> perm(a.ndim());
  for (int k = 0; k < a.ndim(); ++k) perm[k] = k;
  std::swap(perm[a.ndim() - 1], perm[a.ndim() - 2]);
  return a.transpose(perm);
}

// float64 copies of the matrices of `a` (..., m, n) in column-major order: a C-contiguous array
// (..., n, m). swap_last() of such an array is the (..., m, n) result.
Array fortran_copy(const Array& a) { return swap_last(cast(a, DType::float64)).copy(); }

Shape batch_of(const Shape& s) { return Shape(s.begin(), s.end() - 2); }
Shape concat(Shape a, const Shape& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A workspace of the size a LAPACK query (lwork = -1) reported.
std::vector<double> workspace(double query) {
  return std::vector<double>(static_cast<std::size_t>(std::max(1.0, query)));
}

void set_identity(double* m, int64_t n) {
  std::fill(m, m + n * n, 0.0);
  for (int64_t i = 0; i < n; ++i) m[i * n + i] = 1.0;
}

// svd in float64: {u (..., m, ucols), s, vt (..., vrows, n)} or {s}.
std::vector<Array> svd_f64(const Array& a, bool full, bool compute_uv) {
  check_matrices(a);
  const int64_t m = a.shape()[a.ndim() - 2], n = a.shape().back(), k = std::min(m, n);
  const int M = lapack_size(m), N = lapack_size(n);
  const Shape batch = batch_of(a.shape());
  const int64_t ucols = full ? m : k, vrows = full ? n : k;
  Array f = fortran_copy(a);
  Array s = Array::empty(DType::float64, concat(batch, {k}));
  Array u, vt;  // column-major: u is C (..., ucols, m), vt is C (..., n, vrows)
  if (compute_uv) {
    u = Array::zeros(DType::float64, concat(batch, {ucols, m}));
    vt = Array::zeros(DType::float64, concat(batch, {n, vrows}));
  }
  double* fp = f.mutable_data<double>();
  double* sp = s.mutable_data<double>();
  double* up = compute_uv ? u.mutable_data<double>() : nullptr;
  double* vp = compute_uv ? vt.mutable_data<double>() : nullptr;
  const char jobz = !compute_uv ? 'N' : full ? 'A' : 'S';
  for_batches(shape_size(batch), m * n * std::max<int64_t>(k, 1), [&](int64_t j) {
    double* U = compute_uv ? up + j * ucols * m : nullptr;
    double* VT = compute_uv ? vp + j * n * vrows : nullptr;
    if (k == 0) {  // LAPACK returns at once; the full factors of an empty matrix are identities
      if (compute_uv && full) set_identity(U, m), set_identity(VT, n);
      return;
    }
    double dummy = 0;
    const int ldu = compute_uv ? M : 1, ldvt = compute_uv ? lapack_size(vrows) : 1;
    if (!compute_uv) U = VT = &dummy;
    std::vector<lapack_int> iwork(8 * k);
    double* A = fp + j * m * n;
    double query = 0;
    check_arguments(scipy_LAPACKE_dgesdd_work(kColMajor, jobz, M, N, A, M, sp + j * k, U, ldu, VT,
                                              ldvt, &query, -1, iwork.data()),
                    "dgesdd");
    std::vector<double> work = workspace(query);
    const lapack_int info =
        scipy_LAPACKE_dgesdd_work(kColMajor, jobz, M, N, A, M, sp + j * k, U, ldu, VT, ldvt,
                                  work.data(), static_cast<int>(work.size()), iwork.data());
    check_arguments(info, "dgesdd", A, m * n, "SVD did not converge");
    LARIX_CHECK(info == 0, linalg, "SVD did not converge");
  });
  if (!compute_uv) return {s};
  return {swap_last(u), s, swap_last(vt)};
}

}  // namespace

Array cholesky(const Array& a, bool upper) {
  check_square(a);
  const int64_t n = a.shape().back();
  const int N = lapack_size(n);
  Array f = fortran_copy(a);
  double* base = f.mutable_data<double>();
  for_batches(shape_size(batch_of(a.shape())), n * n * n, [&](int64_t j) {
    if (n == 0) return;
    double* m = base + j * n * n;  // element (r, c) at m[c * n + r]
    const lapack_int info = scipy_LAPACKE_dpotrf_work(kColMajor, upper ? 'U' : 'L', N, m, N);
    check_arguments(info, "dpotrf");
    LARIX_CHECK(info == 0, linalg, "Matrix is not positive definite");
    for (int64_t c = 0; c < n; ++c)  // LAPACK leaves the other triangle as it was
      for (int64_t r = 0; r < n; ++r)
        if (upper ? r > c : r < c) m[c * n + r] = 0;
  });
  return cast(swap_last(f), lapack_dtype(a.dtype()));
}

std::vector<Array> qr(const Array& a, const std::string& mode) {
  LARIX_CHECK(mode == "reduced" || mode == "complete" || mode == "r" || mode == "raw", value,
              "Unrecognized mode '", mode, "'");
  check_matrices(a);
  const DType out = lapack_dtype(a.dtype());
  const int64_t m = a.shape()[a.ndim() - 2], n = a.shape().back(), k = std::min(m, n);
  const int M = lapack_size(m), N = lapack_size(n), K = lapack_size(k);
  const Shape batch = batch_of(a.shape());
  const int64_t batches = shape_size(batch);
  Array h = fortran_copy(a);  // geqrf's output (..., n, m) is NumPy's "raw" h as it stands
  Array tau = Array::zeros(DType::float64, concat(batch, {k}));
  double* hp = h.mutable_data<double>();
  double* tp = tau.mutable_data<double>();
  for_batches(batches, m * n * std::max<int64_t>(k, 1), [&](int64_t j) {
    if (k == 0) return;
    double* A = hp + j * m * n;
    double query = 0;
    check_arguments(scipy_LAPACKE_dgeqrf_work(kColMajor, M, N, A, M, tp + j * k, &query, -1),
                    "dgeqrf");
    std::vector<double> work = workspace(query);
    check_arguments(scipy_LAPACKE_dgeqrf_work(kColMajor, M, N, A, M, tp + j * k, work.data(),
                                              static_cast<int>(work.size())),
                    "dgeqrf");
  });
  if (mode == "raw") return {cast(h, out), cast(tau, out)};

  const bool complete = mode == "complete";
  const int64_t rows = complete ? m : k;  // of r; q has as many columns
  Array r = Array::zeros(DType::float64, concat(batch, {rows, n}));
  double* rp = r.mutable_data<double>();
  for_batches(batches, rows * n, [&](int64_t j) {
    const double* A = hp + j * m * n;
    double* R = rp + j * rows * n;
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t c = i; c < n; ++c) R[i * n + c] = A[c * m + i];
  });
  if (mode == "r") return {cast(r, out)};

  Array q = Array::zeros(DType::float64, concat(batch, {rows, m}));  // column-major m x rows
  double* qp = q.mutable_data<double>();
  const int ROWS = lapack_size(rows);
  for_batches(batches, m * rows * std::max<int64_t>(k, 1), [&](int64_t j) {
    if (m == 0 || rows == 0) return;
    double* Q = qp + j * rows * m;
    const double* A = hp + j * m * n;
    std::copy(A, A + std::min(n, rows) * m, Q);  // the reflectors; orgqr ignores columns >= k
    double query = 0;
    check_arguments(scipy_LAPACKE_dorgqr_work(kColMajor, M, ROWS, K, Q, M, tp + j * k, &query, -1),
                    "dorgqr");
    std::vector<double> work = workspace(query);
    check_arguments(scipy_LAPACKE_dorgqr_work(kColMajor, M, ROWS, K, Q, M, tp + j * k, work.data(),
                                              static_cast<int>(work.size())),
                    "dorgqr");
  });
  return {cast(swap_last(q), out), cast(r, out)};
}

std::vector<Array> eigh(const Array& a, char uplo, bool vectors) {
  LARIX_CHECK(uplo == 'L' || uplo == 'U', value, "UPLO argument must be 'L' or 'U'");
  check_square(a);
  const DType out = lapack_dtype(a.dtype());
  const int64_t n = a.shape().back();
  const int N = lapack_size(n);
  const Shape batch = batch_of(a.shape());
  Array f = fortran_copy(a);  // on return the eigenvectors, column-major
  Array w = Array::empty(DType::float64, concat(batch, {n}));
  double* fp = f.mutable_data<double>();
  double* wp = w.mutable_data<double>();
  const char jobz = vectors ? 'V' : 'N';
  for_batches(shape_size(batch), n * n * n, [&](int64_t j) {
    if (n == 0) return;
    double* A = fp + j * n * n;
    double query = 0;
    lapack_int iquery = 0;
    check_arguments(scipy_LAPACKE_dsyevd_work(kColMajor, jobz, uplo, N, A, N, wp + j * n, &query,
                                              -1, &iquery, -1),
                    "dsyevd");
    std::vector<double> work = workspace(query);
    std::vector<lapack_int> iwork(std::max<lapack_int>(1, iquery));
    const lapack_int info = scipy_LAPACKE_dsyevd_work(kColMajor, jobz, uplo, N, A, N, wp + j * n,
                                                      work.data(), static_cast<int>(work.size()),
                                                      iwork.data(), static_cast<int>(iwork.size()));
    check_arguments(info, "dsyevd");
    LARIX_CHECK(info == 0, linalg, "Eigenvalues did not converge");
  });
  if (!vectors) return {cast(w, out)};
  return {cast(w, out), cast(swap_last(f), out)};
}

std::vector<Array> eig(const Array& a, bool vectors) {
  check_square(a);
  const DType out = lapack_dtype(a.dtype());
  const int64_t n = a.shape().back();
  const int N = lapack_size(n);
  const Shape batch = batch_of(a.shape());
  Array f = fortran_copy(a);
  const double* in = f.data<double>();
  for (int64_t i = 0; i < f.size(); ++i)  // NumPy checks first: geev would not converge
    LARIX_CHECK(std::isfinite(in[i]), linalg, "Array must not contain infs or NaNs");
  Array wr = Array::empty(DType::float64, concat(batch, {n}));
  Array wi = Array::empty(DType::float64, concat(batch, {n}));
  Array vr = Array::empty(DType::float64, concat(batch, {n, n}));  // column-major per matrix
  double* fp = f.mutable_data<double>();
  double* rp = wr.mutable_data<double>();
  double* ip = wi.mutable_data<double>();
  double* vp = vr.mutable_data<double>();
  const char jobvr = vectors ? 'V' : 'N';
  for_batches(shape_size(batch), n * n * n, [&](int64_t j) {
    if (n == 0) return;
    double* A = fp + j * n * n;
    double* V = vp + j * n * n;
    double query = 0;
    check_arguments(scipy_LAPACKE_dgeev_work(kColMajor, 'N', jobvr, N, A, N, rp + j * n, ip + j * n,
                                             nullptr, 1, V, N, &query, -1),
                    "dgeev");
    std::vector<double> work = workspace(query);
    const lapack_int info =
        scipy_LAPACKE_dgeev_work(kColMajor, 'N', jobvr, N, A, N, rp + j * n, ip + j * n, nullptr, 1,
                                 V, N, work.data(), static_cast<int>(work.size()));
    check_arguments(info, "dgeev");
    LARIX_CHECK(info == 0, linalg, "Eigenvalues did not converge");
  });
  // All eigenvalues real: real results, as NumPy gives them; else complex ones, each conjugate
  // pair's vectors re + i im and re - i im from LAPACK's two columns.
  bool real = true;
  for (int64_t i = 0; i < wi.size(); ++i) real = real && ip[i] == 0.0;
  if (real) {
    if (!vectors) return {cast(wr, out)};
    return {cast(wr, out), cast(swap_last(vr), out)};
  }
  const DType complex_out = complex_of(out);
  Array w = Array::empty(DType::complex128, wr.shape());
  auto* wc = w.mutable_data<std::complex<double>>();
  for (int64_t i = 0; i < w.size(); ++i) wc[i] = {rp[i], ip[i]};
  if (!vectors) return {cast(w, complex_out)};
  Array v = Array::empty(DType::complex128, vr.shape());  // column-major per matrix, as vr
  auto* vc = v.mutable_data<std::complex<double>>();
  for (int64_t j = 0; j < shape_size(batch); ++j) {
    const double* wim = ip + j * n;
    const double* V = vp + j * n * n;
    std::complex<double>* out_v = vc + j * n * n;
    for (int64_t k = 0; k < n; ++k) {
      const double* col = V + k * n;
      if (wim[k] == 0.0) {
        for (int64_t r = 0; r < n; ++r) out_v[k * n + r] = {col[r], 0.0};
      } else if (wim[k] > 0.0 && k + 1 < n) {
        const double* next = col + n;
        for (int64_t r = 0; r < n; ++r) {
          out_v[k * n + r] = {col[r], next[r]};
          out_v[(k + 1) * n + r] = {col[r], -next[r]};
        }
        ++k;
      }
    }
  }
  return {cast(w, complex_out), cast(swap_last(v), complex_out)};
}

std::vector<Array> svd(const Array& a, bool full_matrices, bool compute_uv) {
  const DType out = lapack_dtype(a.dtype());
  std::vector<Array> parts = svd_f64(a, full_matrices, compute_uv);
  for (Array& p : parts) p = cast(p, out);
  return parts;
}

LstsqResult lstsq(const Array& a, const Array& b_in, std::optional<double> rcond) {
  const bool vector = b_in.ndim() == 1;
  const Array b = vector ? b_in.reshape({b_in.shape()[0], 1}) : b_in;
  for (const Array* x : {&a, &b})
    LARIX_CHECK(x->ndim() == 2, linalg, x->ndim(),
                "-dimensional array given. Array must be two-dimensional");
  const int64_t m = a.shape()[0], n = a.shape()[1], nrhs = b.shape()[1], k = std::min(m, n);
  LARIX_CHECK(b.shape()[0] == m, linalg, "Incompatible dimensions");
  // NumPy's _commonType: float32 only when every operand is float32.
  const DType out =
      a.dtype() == DType::float32 && b.dtype() == DType::float32 ? DType::float32 : DType::float64;
  const double cond =
      rcond.value_or(std::numeric_limits<double>::epsilon() * double(std::max(m, n)));
  const int64_t ld = std::max<int64_t>({m, n, 1});
  const int64_t cols = std::max<int64_t>(nrhs, 1);  // LAPACK takes no empty right-hand side
  Array A = fortran_copy(a);
  Array B = Array::zeros(DType::float64, {cols, ld});  // column-major ld x cols
  const int64_t e = sizeof(double);
  Array b_rows = B.view(0, {m, nrhs}, {e, ld * e});
  assign(b_rows, b);
  Array s = Array::zeros(DType::float64, {k});
  lapack_int rank = 0;
  if (m > 0 && n > 0) {  // else LAPACK returns rank 0 and leaves b as it is
    const int M = lapack_size(m), N = lapack_size(n), C = lapack_size(cols), LD = lapack_size(ld);
    one_blas_thread();
    double* ap = A.mutable_data<double>();
    double* bp = B.mutable_data<double>();
    double* sp = s.mutable_data<double>();
    double query = 0;
    lapack_int iquery = 0;
    check_arguments(scipy_LAPACKE_dgelsd_work(kColMajor, M, N, C, ap, M, bp, LD, sp, cond, &rank,
                                              &query, -1, &iquery),
                    "dgelsd");
    std::vector<double> work = workspace(query);
    std::vector<lapack_int> iwork(std::max<lapack_int>(1, iquery));
    const lapack_int info =
        scipy_LAPACKE_dgelsd_work(kColMajor, M, N, C, ap, M, bp, LD, sp, cond, &rank, work.data(),
                                  static_cast<int>(work.size()), iwork.data());
    check_arguments(info, "dgelsd", ap, m * n, "SVD did not converge in Linear Least Squares");
    check_arguments(info, "dgelsd", bp, ld * cols, "SVD did not converge in Linear Least Squares");
    LARIX_CHECK(info == 0, linalg, "SVD did not converge in Linear Least Squares");
  }
  const Array x = B.view(0, {n, nrhs}, {e, ld * e});  // zero when m == 0, as NumPy sets it
  Array residuals = Array::zeros(DType::float64, {0});
  if (rank == n && m > n) {
    residuals = Array::zeros(DType::float64, {nrhs});
    const double* bp = B.data<double>();
    double* rp = residuals.mutable_data<double>();
    for (int64_t c = 0; c < nrhs; ++c)
      for (int64_t i = n; i < m; ++i) rp[c] += bp[c * ld + i] * bp[c * ld + i];
  }
  return {cast(vector ? x.reshape({n}) : x, out).contiguous(), cast(residuals, out), rank,
          cast(s, out)};
}

std::vector<Array> slogdet(const Array& a) {
  check_square(a);
  const DType out = lapack_dtype(a.dtype());
  const int64_t n = a.shape().back();
  const int N = lapack_size(n);
  const Shape batch = batch_of(a.shape());
  Array f = fortran_copy(a);
  Array sign = Array::empty(DType::float64, batch), logdet = Array::empty(DType::float64, batch);
  double* fp = f.mutable_data<double>();
  double* sg = sign.mutable_data<double>();
  double* ld = logdet.mutable_data<double>();
  for_batches(shape_size(batch), n * n * n, [&](int64_t j) {
    sg[j] = 1, ld[j] = 0;
    if (n == 0) return;
    double* A = fp + j * n * n;
    std::vector<lapack_int> piv(n);
    const lapack_int info = scipy_LAPACKE_dgetrf_work(kColMajor, N, N, A, N, piv.data());
    check_arguments(info, "dgetrf");
    if (info > 0) {  // an exact zero on U's diagonal
      sg[j] = 0, ld[j] = -std::numeric_limits<double>::infinity();
      return;
    }
    for (int64_t i = 0; i < n; ++i) {
      const double d = A[i * n + i];
      if ((piv[i] != i + 1) != (d < 0)) sg[j] = -sg[j];  // LAPACK pivots are 1-based
      ld[j] += std::log(std::abs(d));
    }
  });
  return {cast(sign, out), cast(logdet, out)};
}

std::vector<Array> lu(const Array& a) {
  check_matrices(a);
  const DType out = lapack_dtype(a.dtype());
  const int64_t m = a.shape()[a.ndim() - 2], n = a.shape().back(), k = std::min(m, n);
  const Shape batch = batch_of(a.shape());
  // A C-ordered (m, n) matrix is its transpose (n, m) in column-major order: getrf factorises
  // a.T = Q @ L1 @ U1 (row pivoting), so a = U1.T @ L1.T @ Q.T, with U1.T lower and L1.T unit
  // upper. Read back in C order, the factored matrix holds U1.T on and below the diagonal and the
  // strict upper part of L1.T above it.
  Array f = cast(a, DType::float64).copy();
  Array lower = Array::zeros(DType::float64, concat(batch, {m, k}));
  Array upper = Array::zeros(DType::float64, concat(batch, {k, n}));
  Array perm = Array::zeros(DType::float64, concat(batch, {n, n}));
  double* fp = f.mutable_data<double>();
  double* lp = lower.mutable_data<double>();
  double* up = upper.mutable_data<double>();
  double* pp = perm.mutable_data<double>();
  const int M = lapack_size(m), N = lapack_size(n);
  for_batches(shape_size(batch), m * n * std::max<int64_t>(k, 1), [&](int64_t j) {
    double* A = fp + j * m * n;
    double* L = lp + j * m * k;
    double* U = up + j * k * n;
    double* P = pp + j * n * n;
    std::vector<lapack_int> piv(static_cast<std::size_t>(k));
    if (k > 0) {
      // info > 0: an exact zero pivot; the factors are still complete (a singular a).
      check_arguments(scipy_LAPACKE_dgetrf_work(kColMajor, N, M, A, N, piv.data()), "dgetrf");
    }
    for (int64_t r = 0; r < m; ++r)
      for (int64_t c = 0; c < n; ++c) {
        const double v = A[r * n + c];
        if (c <= r && c < k) L[r * k + c] = v;
        else if (r < k && c > r) U[r * n + c] = v;
      }
    for (int64_t r = 0; r < k; ++r) U[r * n + r] = 1;
    // The rows of a.T in the order getrf left them: row i was swapped with row piv[i] (1-based).
    std::vector<int64_t> order(static_cast<std::size_t>(n));
    for (int64_t i = 0; i < n; ++i) order[i] = i;
    for (int64_t i = 0; i < k; ++i) std::swap(order[i], order[piv[i] - 1]);
    for (int64_t r = 0; r < n; ++r) P[r * n + order[r]] = 1;
  });
  return {cast(lower, out), cast(upper, out), cast(perm, out)};
}

Array pinv(const Array& a, double rcond) {
  check_matrices(a);
  const int64_t m = a.shape()[a.ndim() - 2], n = a.shape().back(), k = std::min(m, n);
  const Shape batch = batch_of(a.shape());
  if (k == 0) return Array::zeros(a.dtype(), concat(batch, {n, m}));
  const std::vector<Array> usv = svd_f64(a, false, true);
  // vt.T scaled by 1/s (small singular values dropped), times u.T: (..., n, m).
  Array sinv = usv[1].copy();
  double* sp = sinv.mutable_data<double>();
  for (int64_t j = 0; j < shape_size(batch); ++j) {
    double* s = sp + j * k;
    const double cutoff = rcond * *std::max_element(s, s + k);
    for (int64_t l = 0; l < k; ++l) s[l] = s[l] > cutoff ? 1.0 / s[l] : 0.0;
  }
  const Array scaled =
      binary(BinaryOp::multiply, swap_last(usv[2]), sinv.reshape(concat(batch, {1, k})));
  return cast(matmul(scaled, swap_last(usv[0])), lapack_dtype(a.dtype()));
}

Array matrix_rank(const Array& a, std::optional<double> tol, std::optional<double> rtol) {
  if (a.ndim() < 2) {
    bool nonzero = false;
    for (int64_t i = 0; i < a.size() && !nonzero; ++i) nonzero = a.item_as_double(i) != 0;
    return Array::scalar<int64_t>(nonzero ? 1 : 0);
  }
  const bool single = lapack_dtype(a.dtype()) == DType::float32;
  const int64_t m = a.shape()[a.ndim() - 2], n = a.shape().back(), k = std::min(m, n);
  const Shape batch = batch_of(a.shape());
  const Array s = svd_f64(a, false, false)[0];
  const double eps = single ? double(FLT_EPSILON) : DBL_EPSILON;
  Array out = Array::empty(DType::int64, batch);
  int64_t* op = out.mutable_data<int64_t>();
  const double* sp = s.data<double>();
  for (int64_t j = 0; j < shape_size(batch); ++j) {
    std::vector<double> sj(sp + j * k, sp + (j + 1) * k);
    if (single)  // NumPy compares float32 singular values
      for (double& v : sj) v = double(static_cast<float>(v));
    const double smax = k == 0 ? 0.0 : *std::max_element(sj.begin(), sj.end());
    const double t = tol ? *tol : rtol ? smax * *rtol : smax * double(std::max(m, n)) * eps;
    op[j] = std::count_if(sj.begin(), sj.end(), [t](double v) { return v > t; });
  }
  return out;
}

}  // namespace larix::kernels
