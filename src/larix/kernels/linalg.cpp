#include "larix/kernels/linalg.hpp"

#include <cblas.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <climits>
#include <complex>
#include <optional>

#include "larix/kernels/blas_threads.hpp"
#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/parallel.hpp"
#include "larix/kernels/simd.hpp"

namespace larix::kernels {

namespace {

using std::int64_t;

template <class T>
struct Blas;
template <>
struct Blas<double> {
  static constexpr auto gemm = scipy_cblas_dgemm;
  static constexpr auto gemv = scipy_cblas_dgemv;
  static constexpr auto dot = scipy_cblas_ddot;
};
template <>
struct Blas<float> {
  static constexpr auto gemm = scipy_cblas_sgemm;
  static constexpr auto gemv = scipy_cblas_sgemv;
  static constexpr auto dot = scipy_cblas_sdot;
};

// Products above this many multiply-adds are split into row blocks that run as parallel tasks
constexpr int64_t kParallelWork = int64_t{1} << 18;  // ~100 µs of work

int64_t rows_per_block(int64_t rows, int64_t work_per_row) {
  const int64_t threads = tbb::this_task_arena::max_concurrency();
  return std::max(
      {int64_t{16}, (int64_t{1} << 20) / std::max<int64_t>(work_per_row, 1), rows / (4 * threads)});
}

int blas_int(int64_t n) {
  LARIX_CHECK(n <= INT_MAX, value, "dot: dimension ", n, " is too large for BLAS (32-bit indices)");
  return static_cast<int>(n);
}

// How row-major CBLAS sees a 2-d view: as stored (ld = row stride) or transposed (ld = column
// stride). None when the strides fit neither: the caller copies the view first.
struct BlasLayout {
  CBLAS_TRANSPOSE trans;
  int ld;
};
std::optional<BlasLayout> blas_layout(const Array& m) {
  const int64_t isz = static_cast<int64_t>(m.itemsize());
  const int64_t rows = m.shape()[0], cols = m.shape()[1];
  // The stride of a length-1 axis is never followed: pick one BLAS accepts.
  const int64_t rs = rows == 1 ? std::max<int64_t>(cols, 1) * isz : m.strides()[0];
  const int64_t cs = cols == 1 ? isz : m.strides()[1];
  if (cs == isz && rs % isz == 0 && rs / isz >= std::max<int64_t>(cols, 1) && rs / isz <= INT_MAX)
    return BlasLayout{CblasNoTrans, static_cast<int>(rs / isz)};
  if (rs == isz && cs % isz == 0 && cs / isz >= std::max<int64_t>(rows, 1) && cs / isz <= INT_MAX)
    return BlasLayout{CblasTrans, static_cast<int>(cs / isz)};
  return std::nullopt;
}

Array blas_ready(const Array& m) { return blas_layout(m) ? m : m.copy(); }

// A vector BLAS can walk: positive stride, a multiple of the item size.
Array blas_vector(const Array& v) {
  const int64_t s = v.strides()[0], isz = static_cast<int64_t>(v.itemsize());
  return v.shape()[0] <= 1 || (s > 0 && s % isz == 0) ? v : v.copy();
}
int blas_inc(const Array& v) {
  return v.shape()[0] <= 1 ? 1 : static_cast<int>(v.strides()[0] / int64_t(v.itemsize()));
}

// C (P x N, row stride ldc elements) = A (P x K) B (K x N).
template <class T>
void gemm(const Array& a, const Array& b, T* c, int64_t ldc) {
  const Array A = blas_ready(a), B = blas_ready(b);
  const BlasLayout la = *blas_layout(A), lb = *blas_layout(B);
  const int64_t P = A.shape()[0], K = A.shape()[1], N = B.shape()[1];
  auto rows = [&](int64_t r0, int64_t r1) {
    Blas<T>::gemm(CblasRowMajor, la.trans, lb.trans, blas_int(r1 - r0), blas_int(N), blas_int(K),
                  T(1), reinterpret_cast<const T*>(A.bytes() + r0 * A.strides()[0]), la.ld,
                  reinterpret_cast<const T*>(B.bytes()), lb.ld, T(0), c + r0 * ldc, blas_int(ldc));
  };
  if (P * N * K > kParallelWork && P > 1) parallel_for_chunks(P, rows_per_block(P, N * K), rows);
  else rows(0, P);
}

// y (R elements, stride incy) = A (R x K) x.
template <class T>
void gemv(const Array& a, const Array& x_view, T* y, int64_t incy) {
  const Array A = blas_ready(a), x = blas_vector(x_view);
  const BlasLayout la = *blas_layout(A);
  const int64_t R = A.shape()[0], K = A.shape()[1];
  auto rows = [&](int64_t r0, int64_t r1) {
    const T* ap = reinterpret_cast<const T*>(A.bytes() + r0 * A.strides()[0]);
    const int m = blas_int(r1 - r0), n = blas_int(K);
    // Row-major gemv takes the stored matrix's shape: K x R when A is its transpose.
    if (la.trans == CblasNoTrans)
      Blas<T>::gemv(CblasRowMajor, CblasNoTrans, m, n, T(1), ap, la.ld,
                    reinterpret_cast<const T*>(x.bytes()), blas_inc(x), T(0), y + r0 * incy,
                    blas_int(incy));
    else
      Blas<T>::gemv(CblasRowMajor, CblasTrans, n, m, T(1), ap, la.ld,
                    reinterpret_cast<const T*>(x.bytes()), blas_inc(x), T(0), y + r0 * incy,
                    blas_int(incy));
  };
  if (R * K > kParallelWork && R > 1) parallel_for_chunks(R, rows_per_block(R, K), rows);
  else rows(0, R);
}

// The inner product of two K-vectors, in fixed blocks (the result does not depend on threads).
template <class T>
T inner(const Array& x_view, const Array& y_view) {
  const Array x = blas_vector(x_view), y = blas_vector(y_view);
  const int64_t K = x.shape()[0];
  const int ix = blas_inc(x), iy = blas_inc(y);
  const T* xp = reinterpret_cast<const T*>(x.bytes());
  const T* yp = reinterpret_cast<const T*>(y.bytes());
  if (K <= kParallelWork) return Blas<T>::dot(blas_int(K), xp, ix, yp, iy);
  constexpr int64_t block = int64_t{1} << 20;
  const int64_t blocks = (K + block - 1) / block;
  std::vector<T> partial(blocks);
  parallel_for_chunks(blocks, 1, [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) {
      const int64_t k0 = b * block, n = std::min(block, K - k0);
      partial[b] = Blas<T>::dot(static_cast<int>(n), xp + k0 * ix, ix, yp + k0 * iy, iy);
    }
  });
  T total = 0;
  for (T p : partial) total += p;
  return total;
}

// C (P x N, row stride ldc) = A (P x K) B (K x N) for int64, wrapping like NumPy.
void int_matmul(const Array& a, const Array& b, int64_t* c, int64_t ldc) {
  const int64_t P = a.shape()[0], K = a.shape()[1], N = b.shape()[1];
  auto at = [](const Array& m, int64_t i, int64_t j) {
    return static_cast<std::uint64_t>(
        *reinterpret_cast<const int64_t*>(m.bytes() + i * m.strides()[0] + j * m.strides()[1]));
  };
  const int64_t grain = P * N * K > kParallelWork ? rows_per_block(P, N * K) : P;
  parallel_for_chunks(P, grain, [&](int64_t r0, int64_t r1) {
    for (int64_t p = r0; p < r1; ++p) {
      std::uint64_t* row = reinterpret_cast<std::uint64_t*>(c + p * ldc);
      for (int64_t n = 0; n < N; ++n) row[n] = 0;
      for (int64_t k = 0; k < K; ++k) {
        const std::uint64_t av = at(a, p, k);
        if (av == 0) continue;
        for (int64_t n = 0; n < N; ++n) row[n] += av * at(b, k, n);
      }
    }
  });
}

// a as a P x K matrix view (a 1-d a is one row); copies only when its leading axes do not merge.
Array as_matrix(const Array& a, int64_t P, int64_t K) {
  const int nd = a.ndim();
  const int64_t isz = static_cast<int64_t>(a.itemsize());
  if (nd == 1) return a.view(0, {1, K}, {K * isz, a.strides()[0]});
  if (nd == 2) return a;
  for (int k = 0; k < nd - 2; ++k)
    if (a.shape()[k + 1] != 1 && a.strides()[k] != a.strides()[k + 1] * a.shape()[k + 1])
      return as_matrix(a.copy(), P, K);
  return a.view(0, {P, K}, {a.strides()[nd - 2], a.strides()[nd - 1]});
}

// Batch j of b (the axes before the last two, in C order) as a K x N view; a 1-d b is one column.
Array batch_matrix(const Array& b, int64_t j, int64_t K, int64_t N) {
  const int nd = b.ndim();
  if (nd == 1) return b.view(0, {K, 1}, {b.strides()[0], static_cast<int64_t>(b.itemsize())});
  int64_t offset = 0;
  for (int axis = nd - 3; axis >= 0; --axis) {
    offset += (j % b.shape()[axis]) * b.strides()[axis];
    j /= b.shape()[axis];
  }
  return b.view(offset, {K, N}, {b.strides()[nd - 2], b.strides()[nd - 1]});
}

// out[:, j * N : (j + 1) * N] = A @ batch j of b for each j, complex: zgemm / cgemm on
// C-contiguous copies (row stride ldc elements in out).
void complex_products(const Array& A0, const Array& b, int64_t J, int64_t K, int64_t N, Array& out,
                      int64_t ldc) {
  const Array A = A0.contiguous();
  const int64_t P = A.shape()[0];
  const bool single = out.dtype() == DType::complex64;
  char* c = out.mutable_bytes();
  const auto isz = static_cast<int64_t>(out.itemsize());
  auto batch = [&](int64_t j) {
    const Array B = batch_matrix(b, j, K, N).contiguous();
    one_blas_thread();  // single-threaded inside our tasks (blas_threads.hpp)
    if (single) {
      const std::complex<float> one(1), zero(0);
      scipy_cblas_cgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blas_int(P), blas_int(N),
                        blas_int(K), &one, A.bytes(), blas_int(K), B.bytes(), blas_int(N), &zero,
                        c + j * N * isz, blas_int(ldc));
    } else {
      const std::complex<double> one(1), zero(0);
      scipy_cblas_zgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blas_int(P), blas_int(N),
                        blas_int(K), &one, A.bytes(), blas_int(K), B.bytes(), blas_int(N), &zero,
                        c + j * N * isz, blas_int(ldc));
    }
  };
  if (J == 1) batch(0);
  else
    parallel_for_chunks(J, std::max<int64_t>(1, kParallelWork / std::max<int64_t>(P * N * K, 1)),
                        [&](int64_t j0, int64_t j1) {
                          for (int64_t j = j0; j < j1; ++j) batch(j);
                        });
}

}  // namespace

Shape dot_shape(const Shape& a, const Shape& b) {
  if (a.empty() || b.empty()) return a.size() >= b.size() ? a : b;  // multiply: broadcast
  const int bk = b.size() == 1 ? 0 : static_cast<int>(b.size()) - 2;
  const int ak = static_cast<int>(a.size()) - 1;
  LARIX_CHECK(a[ak] == b[bk], value, "shapes ", numpy_shape_str(a), " and ", numpy_shape_str(b),
              " not aligned: ", a[ak], " (dim ", ak, ") != ", b[bk], " (dim ", bk, ")");
  Shape out(a.begin(), a.end() - 1);
  if (b.size() >= 2) {
    out.insert(out.end(), b.begin(), b.end() - 2);
    out.push_back(b.back());
  }
  return out;
}

namespace {
// One pass over the columns for G rows a[i] of one block and H rows b[m] of the next:
// y += x[0] a[0] + ... + x[G-1] a[G-1], each y vector kept in a register while the rows' parts
// are added to it, in row order, and z[m] = b[m] . w, so that the next block streams in from
// memory while this block's part is added out of cache. (OpenBLAS's gemv went over y, which for
// LRA's 10,000 columns is 80 KB and lives in L2, about twice per eight rows.)
template <int W, int G, int H>
[[gnu::always_inline]] inline void add_and_dot_group(const double* const* a, const double* x,
                                                     double* y, const double* const* b,
                                                     const double* w, double* z, int64_t n) {
  typedef double V __attribute__((vector_size(W)));
  typedef double VU __attribute__((vector_size(W), aligned(8), may_alias));  // unaligned
  constexpr int64_t L = W / 8;
  V dots[H > 0 ? H : 1] = {};
  int64_t j = 0;
  for (; j + L <= n; j += L) {
    if constexpr (G > 0) {
      V acc = *reinterpret_cast<const VU*>(y + j);
      for (int i = 0; i < G; ++i) acc += x[i] * V(*reinterpret_cast<const VU*>(a[i] + j));
      *reinterpret_cast<VU*>(y + j) = acc;
    }
    if constexpr (H > 0) {
      const V wv = *reinterpret_cast<const VU*>(w + j);
      for (int m = 0; m < H; ++m) dots[m] += V(*reinterpret_cast<const VU*>(b[m] + j)) * wv;
      // Each next row's line 512 bytes ahead, into L2 (where this block's pass will read it):
      // eight streams from memory are more than the hardware prefetchers keep up with (LRA's
      // step: 64 ms without, 59 with; 256 or 1,024 bytes ahead: 62, 60).
      if ((j * 8) % 64 == 0)
        for (int m = 0; m < H; ++m) __builtin_prefetch(b[m] + j + 64, 0, 2);
    }
  }
  double tails[H > 0 ? H : 1] = {};
  for (; j < n; ++j) {
    if constexpr (G > 0) {
      double acc = y[j];
      for (int i = 0; i < G; ++i) acc += x[i] * a[i][j];
      y[j] = acc;
    }
    for (int m = 0; m < H; ++m) tails[m] += b[m][j] * w[j];
  }
  for (int m = 0; m < H; ++m) {
    double sum = 0.0;
    for (int l = 0; l < L; ++l) sum += dots[m][l];
    z[m] = sum + tails[m];
  }
}

// The rows of this block (a, rows_a) and of the next (b, rows_b), in groups of 8, 4, 2, 1 on
// each side, paired up: one pass over the columns per pair.
template <int W>
[[gnu::always_inline]] inline void add_and_dot_w(const double* a, int64_t rows_a, const double* x,
                                                 double* y, const double* b, int64_t rows_b,
                                                 const double* w, double* z, int64_t lda,
                                                 int64_t n) {
  const double* ra[8];
  const double* rb[8];
  int64_t ka = 0, kb = 0;
  auto group_of = [](int64_t left) -> int {
    return left >= 8 ? 8 : left >= 4 ? 4 : left >= 2 ? 2 : left >= 1 ? 1 : 0;
  };
  auto pass = [&]<int G, int H>() {
    for (int i = 0; i < G; ++i) ra[i] = a + (ka + i) * lda;
    for (int m = 0; m < H; ++m) rb[m] = b + (kb + m) * lda;
    add_and_dot_group<W, G, H>(ra, x + ka, y, rb, w, z + kb, n);
    ka += G;
    kb += H;
  };
  auto with_h = [&]<int G>(int h) {
    switch (h) {
      case 8: pass.template operator()<G, 8>(); break;
      case 4: pass.template operator()<G, 4>(); break;
      case 2: pass.template operator()<G, 2>(); break;
      case 1: pass.template operator()<G, 1>(); break;
      default:
        if constexpr (G > 0) pass.template operator()<G, 0>();
    }
  };
  while (ka < rows_a || kb < rows_b) {
    const int h = group_of(rows_b - kb);
    switch (group_of(rows_a - ka)) {
      case 8: with_h.template operator()<8>(h); break;
      case 4: with_h.template operator()<4>(h); break;
      case 2: with_h.template operator()<2>(h); break;
      case 1: with_h.template operator()<1>(h); break;
      default: with_h.template operator()<0>(h);
    }
  }
}

void add_and_dot_sse2(const double* a, int64_t rows_a, const double* x, double* y, const double* b,
                      int64_t rows_b, const double* w, double* z, int64_t lda, int64_t n) {
  add_and_dot_w<16>(a, rows_a, x, y, b, rows_b, w, z, lda, n);
}
LARIX_TARGET_AVX2_FMA void add_and_dot_avx2(const double* a, int64_t rows_a, const double* x,
                                            double* y, const double* b, int64_t rows_b,
                                            const double* w, double* z, int64_t lda, int64_t n) {
  add_and_dot_w<32>(a, rows_a, x, y, b, rows_b, w, z, lda, n);
}
LARIX_TARGET_AVX512 void add_and_dot_avx512(const double* a, int64_t rows_a, const double* x,
                                            double* y, const double* b, int64_t rows_b,
                                            const double* w, double* z, int64_t lda, int64_t n) {
  add_and_dot_w<64>(a, rows_a, x, y, b, rows_b, w, z, lda, n);
}

}  // namespace

void add_transposed_product(const Array& a, const Array& x_view, Array& y) {
  LARIX_ASSERT(a.ndim() == 2 && a.dtype() == DType::float64 && x_view.dtype() == DType::float64 &&
                   y.dtype() == DType::float64 && y.is_c_contiguous() &&
                   x_view.shape()[0] == a.shape()[0] && y.shape()[0] == a.shape()[1],
               "add_transposed_product: shapes or dtypes");
  const Array A = a.strides()[1] == 8 && a.strides()[0] % 8 == 0 ? a : a.copy();
  const Array x = x_view.contiguous();
  add_transposed_product_and_dot(reinterpret_cast<const double*>(A.bytes()), A.shape()[0],
                                 x.data<double>(), y.mutable_data<double>(), nullptr, 0, nullptr,
                                 nullptr, std::max<int64_t>(A.strides()[0] / 8, 1), A.shape()[1]);
}

void add_transposed_product_and_dot(const double* a, std::int64_t rows_a, const double* x,
                                    double* y, const double* b, std::int64_t rows_b,
                                    const double* w, double* z, std::int64_t lda, std::int64_t n) {
  auto* run = detail::cpu_has_avx512() ? add_and_dot_avx512
              : detail::cpu_has_avx2() ? add_and_dot_avx2
                                       : add_and_dot_sse2;
  run(a, rows_a, x, y, b, rows_b, w, z, lda, n);
}

Array dot(const Array& a0, const Array& b0) {
  if (a0.ndim() == 0 || b0.ndim() == 0) return binary(BinaryOp::multiply, a0, b0);
  const Shape shape = dot_shape(a0.shape(), b0.shape());
  const DType dtype = result_type(a0.dtype(), b0.dtype());
  // bool: "any a[k] and b[k]", computed as an int64 count compared with zero.
  const DType compute = dtype == DType::bool_ ? DType::int64 : dtype;
  const Array a = cast(a0, compute), b = cast(b0, compute);
  const int64_t K = a.shape().back();
  const int64_t P = shape_size(Shape(a.shape().begin(), a.shape().end() - 1));
  const int64_t N = b.ndim() == 1 ? 1 : b.shape().back();
  const int64_t J = b.ndim() <= 2 ? 1 : shape_size(Shape(b.shape().begin(), b.shape().end() - 2));
  Array out = Array::zeros(compute, shape);
  if (out.size() == 0 || K == 0) return cast(out, dtype);

  const Array A = as_matrix(a, P, K);
  const int64_t ldc = J * N;  // out is (P, J, N) in C order
  if (is_complex(compute)) {
    complex_products(A, b, J, K, N, out, ldc);
    return out;
  }
  visit_dtype(compute, [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* c = out.mutable_data<T>();
    auto batch = [&](int64_t j) {
      const Array B = batch_matrix(b, j, K, N);
      if constexpr (std::is_floating_point_v<T>) {
        one_blas_thread();  // single-threaded inside our tasks (blas_threads.hpp)
        const Array a_row = A.view(0, {K}, {A.strides()[1]});
        const Array b_col = B.view(0, {K}, {B.strides()[0]});
        if (P == 1 && N == 1) c[j] = inner<T>(a_row, b_col);
        else if (N == 1) gemv<T>(A, b_col, c + j, ldc);
        else if (P == 1) gemv<T>(B.transpose(), a_row, c + j * N, 1);
        else gemm<T>(A, B, c + j * N, ldc);
      } else if constexpr (std::is_same_v<T, int64_t>) {
        int_matmul(A, B, c + j * N, ldc);
      } else {
        LARIX_ASSERT(false, "dot computes in ", dtype_name(compute));
      }
    };
    if (J == 1) batch(0);
    else
      parallel_for_chunks(J, std::max<int64_t>(1, kParallelWork / (P * N * K)),
                          [&](int64_t j0, int64_t j1) {
                            for (int64_t j = j0; j < j1; ++j) batch(j);
                          });
  });
  return cast(out, dtype);
}

namespace {
// C (n x n, row stride n) = B @ B.T (`rows`: B is n x k) or B.T @ B (B is k x n), B row-major
// with row stride ld: the upper triangle, one row block [i0, i1) per task.
void gram(const double* b, int64_t n, int64_t k, int64_t ld, bool rows, double* c) {
  const int64_t block = std::max<int64_t>(64, (n + 15) / 16);
  const int64_t blocks = (n + block - 1) / block;
  auto at = [&](int64_t i) { return rows ? b + i * ld : b + i; };  // B's i-th row / column
  const CBLAS_TRANSPOSE first = rows ? CblasNoTrans : CblasTrans;
  const CBLAS_TRANSPOSE second = rows ? CblasTrans : CblasNoTrans;
  auto run = [&](int64_t b0, int64_t b1) {
    one_blas_thread();  // single-threaded inside our tasks (blas_threads.hpp)
    for (int64_t bi = b0; bi < b1; ++bi) {
      const int64_t i0 = bi * block, i1 = std::min(n, i0 + block);
      scipy_cblas_dsyrk(CblasRowMajor, CblasUpper, first, blas_int(i1 - i0), blas_int(k), 1.0,
                        at(i0), blas_int(ld), 0.0, c + i0 * n + i0, blas_int(n));
      if (i1 < n)
        scipy_cblas_dgemm(CblasRowMajor, first, second, blas_int(i1 - i0), blas_int(n - i1),
                          blas_int(k), 1.0, at(i0), blas_int(ld), at(i1), blas_int(ld), 0.0,
                          c + i0 * n + i1, blas_int(n));
    }
  };
  if (n * n * k > kParallelWork && blocks > 1) parallel_for_chunks(blocks, 1, run);
  else run(0, blocks);
}
}  // namespace

Array symmetric_product(const Array& a0, bool transposed_first) {
  LARIX_ASSERT(a0.ndim() == 2 && a0.dtype() == DType::float64, "symmetric_product: a 2-d float64");
  const int64_t m = a0.shape()[0], k0 = a0.shape()[1];
  const int64_t n = transposed_first ? k0 : m;  // C is n x n
  const int64_t k = transposed_first ? m : k0;  // summed over
  Array out = Array::zeros(DType::float64, {n, n});
  if (n == 0 || k == 0) return out;
  const Array a = blas_ready(a0);
  const BlasLayout layout = *blas_layout(a);
  // a as stored is B (row-major, row stride ld): a itself, or B = a.T when a is column-major.
  const bool stored = layout.trans == CblasNoTrans;
  // a.T @ a is B.T @ B for a stored as is, B @ B.T for a stored transposed; a @ a.T the reverse.
  const bool rows = stored != transposed_first;
  double* c = out.mutable_data<double>();
  gram(reinterpret_cast<const double*>(a.bytes()), n, k, layout.ld, rows, c);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = i + 1; j < n; ++j) c[j * n + i] = c[i * n + j];
  return out;
}

}  // namespace larix::kernels
