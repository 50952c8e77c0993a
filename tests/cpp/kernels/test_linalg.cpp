// dot() against np.dot: every rank combination, dtypes, strided operands (BLAS transpose flags and
// copies), errors, and the row-block parallel path against a naive reference loop.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/linalg.hpp"
#include "test_support.hpp"

using namespace larix;
using larix::test::error_of;
using larix::test::items;
using namespace larix::kernels;

namespace {

Array ramp(Shape shape, double scale = 1.0, double shift = 0.0) {
  Array a = Array::empty(DType::float64, shape);
  for (std::int64_t i = 0; i < a.size(); ++i)
    a.mutable_data<double>()[i] = scale * double((i * 37) % 101) + shift;
  return a;
}

// np.dot by definition, in long double, for any ranks >= 1.
std::vector<long double> reference_dot(const Array& a, const Array& b) {
  const std::int64_t K = a.shape().back();
  const std::int64_t P = a.size() / K;
  const std::int64_t N = b.ndim() == 1 ? 1 : b.shape().back();
  const std::int64_t J = b.size() / (K * N);
  std::vector<long double> out(P * J * N, 0);
  for (std::int64_t p = 0; p < P; ++p)
    for (std::int64_t j = 0; j < J; ++j)
      for (std::int64_t n = 0; n < N; ++n)
        for (std::int64_t k = 0; k < K; ++k)
          out[(p * J + j) * N + n] +=
              (long double)a.item<double>(p * K + k) * b.item<double>((j * K + k) * N + n);
  return out;
}

bool close_to(const Array& r, const std::vector<long double>& ref, double rtol) {
  if (r.size() != static_cast<std::int64_t>(ref.size())) return false;
  for (std::int64_t i = 0; i < r.size(); ++i)
    if (std::abs(r.item<double>(i) - double(ref[i])) > rtol * std::abs(double(ref[i])) + 1e-9)
      return false;
  return true;
}

}  // namespace

TEST_CASE("dot: ranks and shapes") {
  const Array v = Array::from_vector<double>({1, 2, 3});
  const Array m = Array::from_vector<double>({1, 2, 3, 4, 5, 6}, {2, 3});
  // numpy: np.dot([1,2,3], [1,2,3]) -> 14.0 (0-d)
  Array r = dot(v, v);
  CHECK(r.ndim() == 0);
  CHECK(r.item<double>() == 14);
  // numpy: np.dot(m, [1,2,3]) -> [14, 32]
  CHECK(items<double>(dot(m, v)) == std::vector<double>{14, 32});
  // numpy: np.dot([1, 2], m) -> [9, 12, 15]
  CHECK(items<double>(dot(Array::from_vector<double>({1, 2}), m)) ==
        std::vector<double>{9, 12, 15});
  // numpy: np.dot(m, m.T) -> [[14, 32], [32, 77]]
  r = dot(m, m.transpose());
  CHECK(r.shape() == Shape{2, 2});
  CHECK(items<double>(r) == std::vector<double>{14, 32, 32, 77});
  // numpy: np.dot(m.T, m) -> [[17 22 27] [22 29 36] [27 36 45]]
  CHECK(items<double>(dot(m.transpose(), m)) ==
        std::vector<double>{17, 22, 27, 22, 29, 36, 27, 36, 45});
  // 0-d operands multiply
  CHECK(items<double>(dot(Array::scalar(2.0), v)) == std::vector<double>{2, 4, 6});
  CHECK(dot(Array::scalar(2.0), Array::scalar(3.0)).item<double>() == 6);
  // numpy: np.dot(ones((2,3,4)), ones((5,4,6))).shape -> (2, 3, 5, 6); np.dot(ones(4), ...) -> (5,
  // 6)
  CHECK(dot_shape({2, 3, 4}, {5, 4, 6}) == Shape{2, 3, 5, 6});
  CHECK(dot_shape({4}, {5, 4, 6}) == Shape{5, 6});
  CHECK(dot_shape({2, 3, 4}, {4}) == Shape{2, 3});
}

TEST_CASE("dot: N-d operands against the definition") {
  const Array a = ramp({2, 3, 4}, 0.5, -3), b = ramp({5, 4, 6}, 0.25, 1), v = ramp({4});
  CHECK(close_to(dot(a, b), reference_dot(a, b), 1e-14));
  CHECK(dot(a, b).shape() == Shape{2, 3, 5, 6});
  CHECK(close_to(dot(a, v), reference_dot(a, v), 1e-14));
  CHECK(close_to(dot(v, b), reference_dot(v, b), 1e-14));
  // a non-contiguous N-d a (its leading axes do not merge: copied) and b batches from a transpose
  const Array at = ramp({4, 3, 2}).transpose();           // (2, 3, 4) view
  const Array bt = ramp({6, 4, 5}).transpose({2, 1, 0});  // (5, 4, 6) view
  CHECK(close_to(dot(at, bt), reference_dot(at.copy(), bt.copy()), 1e-14));
}

TEST_CASE("dot: dtypes") {
  const Array i = Array::from_vector<std::int64_t>({1, 2, 3, 4}, {2, 2});
  Array r = dot(i, i);
  CHECK(r.dtype() == DType::int64);
  CHECK(items<std::int64_t>(r) == std::vector<std::int64_t>{7, 10, 15, 22});
  // numpy: np.dot([True, False], [True, True]) -> True (bool)
  Array b = Array::empty(DType::bool_, {2});
  b.mutable_data<bool>()[0] = true;
  b.mutable_data<bool>()[1] = false;
  r = dot(b, b);
  CHECK(r.dtype() == DType::bool_);
  CHECK(r.item<bool>() == true);
  CHECK(dot(b, Array::from_vector<std::int64_t>({2, 5})).dtype() == DType::int64);
  // float32 stays float32 (sgemm); int64 with float32 -> float64, as np.dot
  const Array f = Array::from_vector<float>({1, 2, 3, 4}, {2, 2});
  r = dot(f, f);
  CHECK(r.dtype() == DType::float32);
  CHECK(items<float>(r) == std::vector<float>{7, 10, 15, 22});
  CHECK(items<float>(dot(f, Array::from_vector<float>({1, 1}))) == std::vector<float>{3, 7});
  CHECK(dot(i, f).dtype() == DType::float64);
  CHECK(items<double>(dot(i, f)) == std::vector<double>{7, 10, 15, 22});
}

TEST_CASE("dot: strided operands") {
  const Array m = ramp({6, 8});
  const Array cols = m.view(8, {6, 4}, {64, 16});  // every other column: copied for BLAS
  const Array rows = m.view(0, {3, 8}, {128, 8});  // every other row: a leading dimension
  const Array v = ramp({8}).view(0, {4}, {16});
  CHECK(close_to(dot(cols, v), reference_dot(cols.copy(), v.copy()), 1e-14));
  CHECK(
      close_to(dot(rows, m.transpose()), reference_dot(rows.copy(), m.transpose().copy()), 1e-14));
  CHECK(close_to(dot(cols.transpose(), m), reference_dot(cols.transpose().copy(), m), 1e-14));
  const Array reversed = ramp({8}).view(7 * 8, {8}, {-8});
  CHECK(close_to(dot(m, reversed), reference_dot(m, reversed.copy()), 1e-14));
  const Array bcast = Array::scalar(2.0).broadcast_to({8});
  CHECK(items<double>(dot(ramp({8}), bcast)) ==
        items<double>(dot(ramp({8}), Array::from_vector(std::vector<double>(8, 2.0)))));
}

TEST_CASE("dot: empty and errors") {
  // numpy: np.dot(np.ones((2, 0)), np.ones((0, 3))) -> zeros((2, 3))
  CHECK(items<double>(dot(Array::zeros(DType::float64, {2, 0}),
                          Array::zeros(DType::float64, {0, 3}))) == std::vector<double>(6, 0.0));
  CHECK(dot(Array::zeros(DType::float64, {0, 3}), Array::zeros(DType::float64, {3})).shape() ==
        Shape{0});
  Error e = error_of([] {
    dot(Array::zeros(DType::float64, {2, 3}), Array::zeros(DType::float64, {4}));
  });
  CHECK(e.kind() == ErrorKind::value);
  CHECK(e.message() == "shapes (2,3) and (4,) not aligned: 3 (dim 1) != 4 (dim 0)");
  e = error_of([] { dot(Array::zeros(DType::float64, {3}), Array::zeros(DType::float64, {4})); });
  CHECK(e.message() == "shapes (3,) and (4,) not aligned: 3 (dim 0) != 4 (dim 0)");
  e = error_of([] { dot_shape({2, 3, 4}, {5, 3, 6}); });
  CHECK(e.message() == "shapes (2,3,4) and (5,3,6) not aligned: 4 (dim 2) != 3 (dim 1)");
}

TEST_CASE("dot: large products take the row-block parallel path") {
  const Array a = ramp({300, 200}, 0.01, -0.5), b = ramp({200, 250}, 0.02, -1);
  CHECK(close_to(dot(a, b), reference_dot(a, b), 1e-12));
  CHECK(close_to(dot(b.transpose(), a.transpose()),
                 reference_dot(b.transpose().copy(), a.transpose().copy()), 1e-12));
  const Array big = ramp({3000, 2000}, 0.01, -0.5), x = ramp({2000}, 0.1, -2);
  CHECK(close_to(dot(big, x), reference_dot(big, x), 1e-12));
  const Array y = ramp({3000}, 0.1, -2);
  CHECK(close_to(dot(y, big), reference_dot(y, big), 1e-12));
  const Array long_vec = ramp({5'000'000}, 1e-3, -0.05);
  CHECK(close_to(dot(long_vec, long_vec), reference_dot(long_vec, long_vec), 1e-12));
  // integers wrap and run in parallel
  const Array ia = cast(ramp({100, 100}), DType::int64);
  const Array ib = cast(ramp({100, 80}), DType::int64);
  const Array ir = dot(ia, ib);
  CHECK(close_to(ir, reference_dot(cast(ia, DType::float64), cast(ib, DType::float64)), 0));
}

TEST_CASE("symmetric_product: a.T @ a and a @ a.T against the definition") {
  for (Shape shape : {Shape{5, 3}, Shape{3, 5}, Shape{1, 1}, Shape{130, 70}, Shape{70, 130}}) {
    const Array a = ramp(shape, 0.01, -0.5);
    for (const Array& view : {a, a.transpose({1, 0}).copy().transpose({1, 0})}) {
      for (bool first : {true, false}) {
        const Array c = symmetric_product(view, first);
        const Array at = view.transpose({1, 0});
        const auto want = first ? reference_dot(at, view) : reference_dot(view, at);
        const std::int64_t n = first ? shape[1] : shape[0];
        REQUIRE(c.shape() == Shape{n, n});
        for (std::int64_t i = 0; i < n; ++i)
          for (std::int64_t j = 0; j < n; ++j) {
            CHECK(c.item<double>(i * n + j) == c.item<double>(j * n + i));  // exactly symmetric
            CHECK(std::abs(c.item<double>(i * n + j) - double(want[i * n + j])) <=
                  1e-12 * (1 + std::abs(double(want[i * n + j]))));
          }
      }
    }
  }
  CHECK(symmetric_product(Array::zeros(DType::float64, {0, 3}), true).shape() == Shape{3, 3});
  CHECK(items<double>(symmetric_product(Array::zeros(DType::float64, {0, 3}), true)) ==
        std::vector<double>(9, 0.0));
  CHECK(symmetric_product(Array::zeros(DType::float64, {4, 0}), true).shape() == Shape{0, 0});
}

TEST_CASE("add_transposed_product: y += a.T @ x for every row count and width, strided rows") {
  // Row counts that take every group size (8, 4, 2, 1) and widths with and without a vector tail;
  // a's rows are a view with a longer stride (a block of a wider matrix's columns).
  for (const std::int64_t rows : {1, 2, 3, 5, 7, 8, 9, 12, 15, 19}) {
    for (const std::int64_t cols : {1, 7, 8, 17, 64, 101}) {
      const Array wide = ramp({rows, cols + 3}, 0.01, -0.4);
      const Array a = wide.view(8, {rows, cols}, wide.strides());  // columns 1 .. cols
      const Array x = ramp({rows}, 0.03, -1.0);
      Array y = ramp({cols}, 0.5, 1.0).copy();
      const std::vector<double> y0 = items<double>(y);
      add_transposed_product(a, x, y);
      const std::vector<double> got = items<double>(y);
      for (std::int64_t j = 0; j < cols; ++j) {
        long double want = y0[static_cast<std::size_t>(j)];
        for (std::int64_t k = 0; k < rows; ++k)
          want += static_cast<long double>(items<double>(x)[static_cast<std::size_t>(k)]) *
                  wide.item<double>(k * (cols + 3) + j + 1);
        CHECK(got[static_cast<std::size_t>(j)] ==
              doctest::Approx(static_cast<double>(want)).epsilon(1e-14));
      }
    }
  }
}

TEST_CASE("add_transposed_product_and_dot: this block's part and the next block's products") {
  for (const std::int64_t rows_a : {0, 1, 3, 8, 13}) {
    for (const std::int64_t rows_b : {0, 1, 5, 8, 12}) {
      for (const std::int64_t cols : {1, 7, 64, 101}) {
        if (rows_a + rows_b == 0) continue;
        // Both blocks are rows of one matrix with a longer row stride (columns 1 .. cols).
        const std::int64_t lda = cols + 3;
        const Array m = ramp({rows_a + rows_b, lda}, 0.01, -0.4);
        const double* base = m.data<double>() + 1;
        const std::vector<double> x =
            items<double>(ramp({std::max<std::int64_t>(rows_a, 1)}, 0.03, -1.0));
        const std::vector<double> w = items<double>(ramp({cols}, 0.02, -0.7));
        std::vector<double> y = items<double>(ramp({cols}, 0.5, 1.0));
        const std::vector<double> y0 = y;
        std::vector<double> z(static_cast<std::size_t>(rows_b), -99.0);
        add_transposed_product_and_dot(base, rows_a, x.data(), y.data(), base + rows_a * lda,
                                       rows_b, w.data(), z.data(), lda, cols);
        for (std::int64_t j = 0; j < cols; ++j) {
          long double want = y0[static_cast<std::size_t>(j)];
          for (std::int64_t k = 0; k < rows_a; ++k)
            want += static_cast<long double>(x[static_cast<std::size_t>(k)]) * base[k * lda + j];
          CHECK(y[static_cast<std::size_t>(j)] ==
                doctest::Approx(static_cast<double>(want)).epsilon(1e-14));
        }
        for (std::int64_t r = 0; r < rows_b; ++r) {
          long double want = 0;
          for (std::int64_t j = 0; j < cols; ++j)
            want += static_cast<long double>(base[(rows_a + r) * lda + j]) *
                    w[static_cast<std::size_t>(j)];
          CHECK(z[static_cast<std::size_t>(r)] ==
                doctest::Approx(static_cast<double>(want)).epsilon(1e-13).scale(1.0));
        }
      }
    }
  }
}
