#include "larix/kernels/matrix.hpp"

#include <lapacke.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <complex>
#include <limits>
#include <mutex>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/linalg.hpp"
#include "larix/kernels/parallel.hpp"

namespace larix::kernels {

namespace {

using std::int64_t;

template <class T>
struct Lapack;
template <>
struct Lapack<double> {
  static constexpr auto getrf = scipy_LAPACKE_dgetrf_work;
  static constexpr auto gesv = scipy_LAPACKE_dgesv_work;  // no NaN check: NumPy makes none
};
template <>
struct Lapack<float> {
  static constexpr auto getrf = scipy_LAPACKE_sgetrf_work;
  static constexpr auto gesv = scipy_LAPACKE_sgesv_work;
};
// Complex: LAPACKE's complex type has std::complex's layout (two reals), whatever it is named.
template <class C, class L, auto Getrf, auto Gesv>
struct ComplexLapack {
  static lapack_int getrf(int layout, lapack_int m, lapack_int n, C* a, lapack_int lda,
                          lapack_int* piv) {
    return Getrf(layout, m, n, reinterpret_cast<L*>(a), lda, piv);
  }
  static lapack_int gesv(int layout, lapack_int n, lapack_int k, C* a, lapack_int lda,
                         lapack_int* piv, C* b, lapack_int ldb) {
    return Gesv(layout, n, k, reinterpret_cast<L*>(a), lda, piv, reinterpret_cast<L*>(b), ldb);
  }
};
template <>
struct Lapack<std::complex<double>>
    : ComplexLapack<std::complex<double>, lapack_complex_double, scipy_LAPACKE_zgetrf_work,
                    scipy_LAPACKE_zgesv_work> {};
template <>
struct Lapack<std::complex<float>>
    : ComplexLapack<std::complex<float>, lapack_complex_float, scipy_LAPACKE_cgetrf_work,
                    scipy_LAPACKE_cgesv_work> {};

template <class T>
struct RealOf {
  using type = T;
};
template <class T>
struct RealOf<std::complex<T>> {
  using type = T;
};

// The magnitude LAPACK picks pivots by: |x| for reals, |re| + |im| for complex numbers (cabs1).
template <class T>
auto pivot_size(T x) {
  if constexpr (is_complex_v<T>) return std::abs(x.real()) + std::abs(x.imag());
  else return std::abs(x);
}

template <class T>
constexpr bool is_lapack_type_v = std::is_floating_point_v<T> || is_complex_v<T>;

// (..., n, n): the batch count and n; a LinAlgError like NumPy's otherwise.
void check_square(const Array& a, int64_t& batches, int64_t& n) {
  LARIX_CHECK(a.ndim() >= 2, linalg, a.ndim(),
              "-dimensional array given. Array must be at least two-dimensional");
  n = a.shape().back();
  LARIX_CHECK(a.shape()[a.ndim() - 2] == n, linalg,
              "Last 2 dimensions of the array must be square");
  LARIX_CHECK(n <= INT_MAX, value, "matrix too large for LAPACK (32-bit indices)");
  batches = n == 0 ? 0 : a.size() / (n * n);
}

Shape batch_of(const Shape& s, int core) { return Shape(s.begin(), s.end() - core); }

// Up to this order gesv's work is below the cost of calling it: LAPACKE's transposed copies and
// NaN checks, and OpenBLAS's workspace from its one allocator, behind a lock every thread takes
// (solve 10 x 10 in a parallel loop ran at 0.82 of its 1-thread time on 2 threads).
constexpr int64_t kSmallSolve = 32;

// Solves a x = b in place for a row-major n x n `a` and n x k `b`, as getrf + getrs do (LU with
// partial pivoting, the first largest magnitude; a reciprocal times the column unless the pivot
// is below the smallest normal, then a division; the forward substitution of b as the columns
// are eliminated, in the same order as a separate one).
// False when a pivot is exactly zero (LAPACK's info > 0). a becomes its LU factors.
template <class T>
bool small_solve(T* a, T* b, int64_t n, int64_t k) {
  using Real = typename RealOf<T>::type;
  for (int64_t j = 0; j < n; ++j) {
    int64_t p = j;
    Real largest = pivot_size(a[j * n + j]);
    for (int64_t i = j + 1; i < n; ++i)
      if (pivot_size(a[i * n + j]) > largest) {
        largest = pivot_size(a[i * n + j]);
        p = i;
      }
    if (a[p * n + j] == T(0)) return false;
    if (p != j) {
      std::swap_ranges(a + p * n, a + p * n + n, a + j * n);
      std::swap_ranges(b + p * k, b + p * k + k, b + j * k);
    }
    const T pivot = a[j * n + j];
    const bool reciprocal = std::abs(pivot) >= std::numeric_limits<Real>::min();
    const T inverse = T(1) / pivot;
    const T* row_j = a + j * n;
    const T* rhs_j = b + j * k;
    for (int64_t i = j + 1; i < n; ++i) {
      T* row = a + i * n;
      const T l = reciprocal ? row[j] * inverse : row[j] / pivot;
      row[j] = l;
      for (int64_t c = j + 1; c < n; ++c) row[c] -= l * row_j[c];
      T* rhs = b + i * k;
      for (int64_t c = 0; c < k; ++c) rhs[c] -= l * rhs_j[c];
    }
  }
  // Back substitution in reference dtrsm's order: x_j = b_j / u_jj, then x_j leaves the rows
  // above, last row first.
  for (int64_t j = n - 1; j >= 0; --j) {
    T* x = b + j * k;
    for (int64_t c = 0; c < k; ++c) x[c] /= a[j * n + j];
    for (int64_t i = 0; i < j; ++i) {
      const T u = a[i * n + j];
      T* rhs = b + i * k;
      for (int64_t c = 0; c < k; ++c) rhs[c] -= x[c] * u;
    }
  }
  return true;
}

// gesv on one row-major system (LAPACK's, or small_solve's for small n); a LinAlgError when
// the matrix is singular.
template <class T>
void solve_one(T* a, T* b, int64_t n, int64_t k) {
  if (n <= kSmallSolve) {
    LARIX_CHECK(small_solve(a, b, n, k), linalg, "Singular matrix");
    return;
  }
  std::vector<lapack_int> piv(n);
  const lapack_int info =
      Lapack<T>::gesv(LAPACK_ROW_MAJOR, static_cast<int>(n), static_cast<int>(k), a,
                      static_cast<int>(n), piv.data(), b, static_cast<int>(k));
  if (info == LAPACK_TRANSPOSE_MEMORY_ERROR) throw std::bad_alloc();
  LARIX_ASSERT(info >= 0, "gesv: bad argument ", -info);
  LARIX_CHECK(info == 0, linalg, "Singular matrix");
}

Shape concat(Shape a, const Shape& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

Shape matmul_shape(const Shape& a, const Shape& b) {
  for (int i = 0; i < 2; ++i)
    LARIX_CHECK(!(i == 0 ? a : b).empty(), value, "matmul: Input operand ", i,
                " does not have enough dimensions (has 0, gufunc core with signature "
                "(n?,k),(k,m?)->(n?,m?) requires 1)");
  const Shape a2 = a.size() == 1 ? Shape{1, a[0]} : a;
  const Shape b2 = b.size() == 1 ? Shape{b[0], 1} : b;
  const int64_t k = a2.back(), kb = b2[b2.size() - 2];
  LARIX_CHECK(k == kb, value,
              "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
              "signature (n?,k),(k,m?)->(n?,m?) (size ",
              kb, " is different from ", k, ")");
  Shape out = broadcast_shapes(batch_of(a2, 2), batch_of(b2, 2));
  if (a.size() > 1) out.push_back(a2[a2.size() - 2]);
  if (b.size() > 1) out.push_back(b2.back());
  return out;
}

Array matmul(const Array& a, const Array& b) {
  const Shape shape = matmul_shape(a.shape(), b.shape());
  if (a.ndim() <= 2 && b.ndim() <= 2) return dot(a, b);  // np.dot agrees here
  // Batches: both operands as (batch..., n, k) and (batch..., k, m) broadcast views.
  const Array a2 = a.ndim() == 1 ? a.reshape({1, a.shape()[0]}) : a;
  const Array b2 = b.ndim() == 1 ? b.reshape({b.shape()[0], 1}) : b;
  const Shape batch = broadcast_shapes(batch_of(a2.shape(), 2), batch_of(b2.shape(), 2));
  const int64_t n = a2.shape()[a2.ndim() - 2], k = a2.shape().back(), m = b2.shape().back();
  const Array A = a2.broadcast_to(concat(batch, {n, k}));
  const Array B = b2.broadcast_to(concat(batch, {k, m}));
  const DType dtype = result_type(a.dtype(), b.dtype());
  Array out = Array::empty(dtype, concat(batch, {n, m}));
  const int64_t batches = shape_size(batch);
  const int nb = static_cast<int>(batch.size());
  auto matrix = [nb](const Array& x, int64_t j) {
    int64_t offset = 0;
    for (int axis = nb - 1; axis >= 0; --axis) {
      offset += (j % x.shape()[axis]) * x.strides()[axis];
      j /= x.shape()[axis];
    }
    return x.view(offset, {x.shape()[nb], x.shape()[nb + 1]},
                  {x.strides()[nb], x.strides()[nb + 1]});
  };
  for_batches(batches, n * k * m, [&](int64_t j) {
    Array dst = matrix(out, j);  // disjoint slices of `out`, which this call alone holds
    assign(dst, dot(matrix(A, j), matrix(B, j)));
  });
  return out.reshape(shape);
}

Array diagonal(const Array& a, int64_t offset, int axis1, int axis2) {
  const int nd = a.ndim();
  LARIX_CHECK(nd >= 2, value, "diag requires an array of at least two dimensions");
  const int k1 = axis1 < 0 ? axis1 + nd : axis1, k2 = axis2 < 0 ? axis2 + nd : axis2;
  LARIX_CHECK(k1 >= 0 && k1 < nd, axis, "axis1: axis ", axis1,
              " is out of bounds for array of dimension ", nd);
  LARIX_CHECK(k2 >= 0 && k2 < nd, axis, "axis2: axis ", axis2,
              " is out of bounds for array of dimension ", nd);
  LARIX_CHECK(k1 != k2, value, "axis1 and axis2 cannot be the same");
  const int64_t rows = a.shape()[k1], cols = a.shape()[k2];
  int64_t start = 0, len = 0;
  if (offset >= 0) {
    len = std::max<int64_t>(0, std::min(rows, cols - offset));
    start = len > 0 ? offset * a.strides()[k2] : 0;
  } else {
    len = std::max<int64_t>(0, std::min(rows + offset, cols));
    start = len > 0 ? -offset * a.strides()[k1] : 0;
  }
  Shape shape;
  Strides strides;
  for (int j = 0; j < nd; ++j) {
    if (j == k1 || j == k2) continue;
    shape.push_back(a.shape()[j]);
    strides.push_back(a.strides()[j]);
  }
  shape.push_back(len);
  strides.push_back(a.strides()[k1] + a.strides()[k2]);
  return a.view(start, shape, strides);
}

// The dtype LAPACK computes in: float32, complex64 and complex128 as they are, others float64.
DType lapack_dtype(DType dtype) {
  return dtype == DType::float32 || is_complex(dtype) ? dtype : DType::float64;
}

Array inv(const Array& a) {
  int64_t batches, n;
  check_square(a, batches, n);
  // As NumPy: solve A X = I by LU (gesv's algorithm; getri's results differ, e.g. -0.0 for 0.0).
  // Up to order 32 by small_solve: the last bits may differ from LAPACK's.
  Array lu = cast(a, lapack_dtype(a.dtype())).copy();
  Array out = Array::empty(lu.dtype(), a.shape());
  visit_any_dtype(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (is_lapack_type_v<T>) {
      T* lu_base = lu.mutable_data<T>();
      T* base = out.mutable_data<T>();
      for_batches(batches, n * n * n, [&](int64_t j) {
        T* m = lu_base + j * n * n;
        T* x = base + j * n * n;
        std::fill(x, x + n * n, T(0));
        for (int64_t i = 0; i < n; ++i) x[i * n + i] = T(1);
        solve_one(m, x, n, n);
      });
    }
  });
  return out;
}

Array solve(const Array& a, const Array& b) {
  int64_t batches_a, n;
  check_square(a, batches_a, n);
  const DType dtype = lapack_dtype(result_type(a.dtype(), b.dtype()));
  const bool vector = b.ndim() == 1;
  const Array b2 = vector ? b.reshape({b.shape()[0], 1}) : b;
  LARIX_CHECK(b2.ndim() >= 2 && b2.shape()[b2.ndim() - 2] == n, value,
              "solve: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
              "signature (m,m),(m,n)->(m,n) (size ",
              b2.ndim() >= 2 ? b2.shape()[b2.ndim() - 2] : 0, " is different from ", n, ")");
  const int64_t k = b2.shape().back();
  const Shape batch = broadcast_shapes(batch_of(a.shape(), 2), batch_of(b2.shape(), 2));
  Array A = cast(a, dtype).broadcast_to(concat(batch, {n, n})).copy();
  Array X = cast(b2, dtype).broadcast_to(concat(batch, {n, k})).copy();
  visit_any_dtype(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (is_lapack_type_v<T>) {
      T* ap = A.mutable_data<T>();
      T* xp = X.mutable_data<T>();
      for_batches(shape_size(batch), n * n * n, [&](int64_t j) {
        if (n == 0 || k == 0) return;
        solve_one(ap + j * n * n, xp + j * n * k, n, k);
      });
    }
  });
  return vector ? X.reshape(concat(batch, {n})) : X;
}

Array det(const Array& a) {
  int64_t batches, n;
  check_square(a, batches, n);
  Array lu = cast(a, lapack_dtype(a.dtype())).copy();
  const Shape batch = batch_of(a.shape(), 2);
  Array out = Array::empty(lu.dtype(), batch);
  visit_any_dtype(lu.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (is_lapack_type_v<T>) {
      T* m0 = lu.mutable_data<T>();
      T* res = out.mutable_data<T>();
      if (n == 0) {
        for (int64_t j = 0; j < shape_size(batch); ++j) res[j] = T(1);
        return;
      }
      for_batches(batches, n * n * n, [&](int64_t j) {
        T* m = m0 + j * n * n;
        std::vector<lapack_int> piv(n);
        const int N = static_cast<int>(n);
        // (No NaN check: a NaN gives a NaN determinant, as NumPy's.)
        const lapack_int info = Lapack<T>::getrf(LAPACK_ROW_MAJOR, N, N, m, N, piv.data());
        if (info == LAPACK_TRANSPOSE_MEMORY_ERROR) throw std::bad_alloc();
        LARIX_ASSERT(info >= 0, "getrf: bad argument ", -info);
        T d = T(1);
        for (int64_t i = 0; i < n; ++i) {
          d *= m[i * n + i];
          if (piv[i] != i + 1) d = -d;  // LAPACK pivots are 1-based
        }
        res[j] = info > 0 ? T(0) : d;
      });
    }
  });
  return out;
}

}  // namespace larix::kernels
