// The kernels behind the NumPy primitive library: the generic reduction engine (NaN and first-
// occurrence rules, empty reductions, the chunked path for long blocks, strided inputs), cumulative
// scans, where, joins and the LAPACK-backed matrix kernels.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/join.hpp"
#include "larix/kernels/matrix.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/kernels/reductions.hpp"
#include "larix/kernels/select.hpp"
#include "test_support.hpp"

using namespace larix;
using larix::test::error_of;
using larix::test::items;
using namespace larix::kernels;

namespace {

const double kNan = std::numeric_limits<double>::quiet_NaN();

}  // namespace

TEST_CASE("min/max propagate NaN; argmax takes the first extreme or the first NaN") {
  const Array x = Array::from_vector<double>({1, 5, kNan, 5, kNan});
  CHECK(std::isnan(reduce(ReduceOp::max, x).item<double>()));
  CHECK(std::isnan(reduce(ReduceOp::min, x).item<double>()));
  CHECK(arg_reduce(true, x).item<std::int64_t>() == 2);
  const Array y = Array::from_vector<double>({1, 5, 3, 5});
  CHECK(arg_reduce(true, y).item<std::int64_t>() == 1);
  CHECK(arg_reduce(false, y).item<std::int64_t>() == 0);
}

TEST_CASE("argmax along an axis of a strided view counts positions along that axis") {
  // numpy: a = np.arange(12.).reshape(3, 4)[:, ::-1]; a[1, 3] = 99; np.argmax(a, 0) -> [2,2,2,1]
  Array base = Array::from_vector<double>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}).reshape({3, 4});
  base.mutable_data<double>()[4] = 99;  // a[1, 3] after the flip
  const Array a = base.view(3 * 8, {3, 4}, {32, -8});
  CHECK(items<std::int64_t>(arg_reduce(true, a, 0)) == std::vector<std::int64_t>{2, 2, 2, 1});
  CHECK(items<std::int64_t>(arg_reduce(true, a, 1, true)) == std::vector<std::int64_t>{0, 3, 0});
  CHECK(arg_reduce(true, a, 1, true).shape() == Shape{3, 1});
}

TEST_CASE("empty reductions: identities, or NumPy's errors") {
  const Array e = Array::zeros(DType::float64, {0, 3});
  CHECK(items<double>(reduce(ReduceOp::prod, e, std::vector<int>{0})) ==
        std::vector<double>{1, 1, 1});
  CHECK(reduce(ReduceOp::max, e, std::vector<int>{1}).shape() == Shape{0});
  const Error err = error_of([&] { reduce(ReduceOp::max, e, std::vector<int>{0}); });
  CHECK(err.kind() == ErrorKind::value);
  CHECK(std::string(err.what())
            .find("zero-size array to reduction operation maximum which has no identity") !=
        std::string::npos);
  CHECK(error_of([&] { arg_reduce(false, e); }).kind() == ErrorKind::value);
  CHECK(error_of([&] { reduce(ReduceOp::any, e, std::vector<int>{2}); }).kind() == ErrorKind::axis);
  CHECK(reduce(ReduceOp::all, e).item<bool>());
  CHECK(!reduce(ReduceOp::any, e).item<bool>());
}

TEST_CASE("prod of int64 wraps; of bools gives int64") {
  const Array big =
      Array::from_vector<std::int64_t>({std::int64_t{1} << 40, std::int64_t{1} << 40});
  CHECK(reduce(ReduceOp::prod, big).item<std::int64_t>() == 0);  // 2**80 mod 2**64
  const Array b = Array::from_vector<bool>({true, true});
  CHECK(reduce(ReduceOp::prod, b).dtype() == DType::int64);
}

TEST_CASE("long blocks reduce in fixed chunks: same result as a short serial loop") {
  const std::int64_t n = 300001;
  Array x = Array::empty(DType::float64, {n});
  for (std::int64_t i = 0; i < n; ++i) x.mutable_data<double>()[i] = double((i * 7919) % 1000);
  x.mutable_data<double>()[250000] = 5000;
  x.mutable_data<double>()[260000] = 5000;
  CHECK(reduce(ReduceOp::max, x).item<double>() == 5000);
  CHECK(arg_reduce(true, x).item<std::int64_t>() == 250000);
  CHECK(reduce(ReduceOp::count_nonzero, x).item<std::int64_t>() ==
        n - (n + 999) / 1000 + 2);  // zero exactly when i % 1000 == 0; two were set to 5000
}

TEST_CASE("cumsum and cumprod along an axis, and flattened") {
  const Array a = Array::from_vector<std::int64_t>({1, 2, 3, 4, 5, 6}).reshape({2, 3});
  CHECK(items<std::int64_t>(cumulative(false, a, 0)) ==
        std::vector<std::int64_t>{1, 2, 3, 5, 7, 9});
  CHECK(items<std::int64_t>(cumulative(true, a, -1)) ==
        std::vector<std::int64_t>{1, 2, 6, 4, 20, 120});
  const Array flat = cumulative(false, a.transpose());
  CHECK(flat.shape() == Shape{6});
  CHECK(items<std::int64_t>(flat) == std::vector<std::int64_t>{1, 5, 7, 12, 15, 21});
  CHECK(cumulative(false, Array::from_vector<bool>({true, true})).dtype() == DType::int64);
}

TEST_CASE("var is NumPy's two-pass algorithm; ints give float64") {
  const Array a = Array::from_vector<std::int64_t>({1, 2, 3, 4});
  CHECK(var(a).dtype() == DType::float64);
  CHECK(var(a).item<double>() == doctest::Approx(1.25).epsilon(1e-12));
  CHECK(var(a, {}, false, 1).item<double>() == doctest::Approx(5.0 / 3).epsilon(1e-12));
  const double one = var(Array::from_vector<double>({1.0}), {}, false, 1).item<double>();
  CHECK(std::isnan(one));  // 0 / 0, as NumPy (which also warns)
}

TEST_CASE("var and std along an axis divide by n - ddof") {
  // Sums of squared deviations: rows [1, 2, 4] -> 14/3, [3, 5, 10] -> 26; columns 2, 4.5, 18.
  const Array a = Array::from_vector<double>({1, 2, 4, 3, 5, 10}).reshape({2, 3});
  const Array ints = Array::from_vector<std::int64_t>({1, 2, 4, 3, 5, 10}).reshape({2, 3});
  auto along = [](const Array& x, int axis, double ddof, bool keepdims = false) {
    return var(x, std::vector<int>{axis}, keepdims, ddof);
  };
  auto near = [](const std::vector<double>& got, const std::vector<double>& want) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i)
      CHECK(got[i] == doctest::Approx(want[i]).epsilon(1e-14));
  };
  for (const Array& x : {a, ints}) {
    // numpy: np.var(a, axis=1, ddof=d) for d = 0, 1, 2, 1.5
    near(items<double>(along(x, 1, 0)), {14.0 / 9, 26.0 / 3});
    near(items<double>(along(x, 1, 1)), {7.0 / 3, 13});
    near(items<double>(along(x, 1, 2)), {14.0 / 3, 26});
    near(items<double>(along(x, 1, 1.5)), {28.0 / 9, 52.0 / 3});
    // numpy: np.var(a, axis=0, ddof=d); ddof = n divides by zero: inf (numpy warns)
    near(items<double>(along(x, 0, 0)), {1, 2.25, 9});
    near(items<double>(along(x, 0, 1)), {2, 4.5, 18});
    for (double v : items<double>(along(x, 0, 2)))
      CHECK(v == std::numeric_limits<double>::infinity());
    const Array k = along(x, 1, 1, true);
    CHECK(k.dtype() == DType::float64);
    CHECK(k.shape() == Shape{2, 1});
    near(items<double>(k), {7.0 / 3, 13});
    // numpy: np.std(a, axis=0, ddof=1) -> sqrt([2, 4.5, 18])
    near(items<double>(std_dev(x, std::vector<int>{0}, false, 1)),
         {std::sqrt(2.0), std::sqrt(4.5), std::sqrt(18.0)});
  }
  // several axes of a 3-d array at once, not all: numpy np.var(b, axis=(0, 2), ddof=1)
  const Array b =
      Array::from_vector<double>({1, 2, 4, 3, 5, 10, 0, 1, 2, 8, 6, 4}).reshape({2, 3, 2});
  // groups over axes 0 and 2: {1, 2, 0, 1}, {4, 3, 2, 8}, {5, 10, 6, 4}; squared deviations
  // 2, 20.75, 20.75
  near(items<double>(var(b, std::vector<int>{0, 2}, false, 1)), {2.0 / 3, 83.0 / 12, 83.0 / 12});
}

TEST_CASE("reductions over axes that overlap in memory (sliding windows) keep them apart") {
  // numpy: w = sliding_window_view(x[:7], 3), windows [3,1,4] [1,4,1] [4,1,5] [1,5,9] [5,9,2];
  // x goes on with 100s: walking w's 15 elements as one run would reach them.
  std::vector<double> values{3, 1, 4, 1, 5, 9, 2};
  values.resize(20, 100.0);
  const Array x = Array::from_vector<double>(values);
  const Array w = x.view(0, {5, 3}, {8, 8});
  CHECK(reduce(ReduceOp::max, w).item<double>() == 9);
  CHECK(reduce(ReduceOp::min, w).item<double>() == 1);
  CHECK(arg_reduce(true, w).item<std::int64_t>() == 11);  // numpy: np.argmax(w)
  CHECK(sum(w).item<double>() == 55);
  CHECK(items<double>(reduce(ReduceOp::max, w, std::vector<int>{0})) ==
        std::vector<double>{5, 9, 9});
  CHECK(items<double>(reduce(ReduceOp::max, w, std::vector<int>{1})) ==
        std::vector<double>{4, 4, 5, 9, 9});
  CHECK(items<double>(sum(w, std::vector<int>{0})) == std::vector<double>{14, 20, 21});
  // numpy: as_strided(x, (2, 5, 3), (0, 8, 8)).max(axis=(1, 2)) -> [9, 9]: a broadcast axis too
  const Array b = x.view(0, {2, 5, 3}, {0, 8, 8});
  CHECK(items<double>(reduce(ReduceOp::max, b, std::vector<int>{1, 2})) ==
        std::vector<double>{9, 9});
  CHECK(items<double>(sum(b, std::vector<int>{1, 2})) == std::vector<double>{55, 55});
}

TEST_CASE("where broadcasts three operands") {
  const Array c = Array::from_vector<bool>({true, false}).reshape({2, 1});
  const Array x = Array::from_vector<std::int64_t>({1, 2, 3});
  const Array y = Array::scalar<double>(0.5);
  const Array w = where(c, x, y, DType::float64);
  CHECK(w.shape() == Shape{2, 3});
  CHECK(items<double>(w) == std::vector<double>{1, 2, 3, 0.5, 0.5, 0.5});
  CHECK(error_of([&] {
          where(c, Array::zeros(DType::float64, {3}), Array::zeros(DType::float64, {4}),
                DType::float64);
        }).kind() == ErrorKind::value);
}

TEST_CASE("concatenate promotes and checks shapes; stack adds an axis") {
  const Array a = Array::from_vector<std::int64_t>({1, 2}).reshape({1, 2});
  const Array b = Array::from_vector<double>({3.5, 4.5}).reshape({1, 2});
  const Array c = concatenate({a, b}, 0);
  CHECK(c.dtype() == DType::float64);
  CHECK(items<double>(c) == std::vector<double>{1, 2, 3.5, 4.5});
  CHECK(items<double>(concatenate({a, b}, -1)) == std::vector<double>{1, 2, 3.5, 4.5});
  CHECK(error_of([&] {
          concatenate({a, Array::zeros(DType::float64, {1, 3})}, 0);
        }).kind() == ErrorKind::value);
  CHECK(stack({a.reshape({2}), b.reshape({2})}, 1).shape() == Shape{2, 2});
  CHECK(items<double>(stack({a.reshape({2}), b.reshape({2})}, 1)) ==
        std::vector<double>{1, 3.5, 2, 4.5});
}

TEST_CASE("matmul broadcasts batches and drops the axes of 1-d operands") {
  CHECK(matmul_shape({2, 1, 3, 4}, {5, 4, 2}) == Shape{2, 5, 3, 2});
  CHECK(matmul_shape({4}, {2, 4, 3}) == Shape{2, 3});
  CHECK(matmul_shape({2, 3, 4}, {4}) == Shape{2, 3});
  CHECK(error_of([] { matmul_shape({2, 3}, {2, 3}); }).kind() == ErrorKind::value);
  const Array a = Array::from_vector<double>({1, 2, 3, 4, 5, 6, 7, 8}).reshape({2, 2, 2});
  const Array i = Array::from_vector<double>({1, 0, 0, 1}).reshape({2, 2});
  CHECK(items<double>(matmul(a, i)) == items<double>(a));
}

TEST_CASE("diagonal views with offsets") {
  const Array a = Array::from_vector<double>({0, 1, 2, 3, 4, 5}).reshape({2, 3});
  CHECK(items<double>(diagonal(a)) == std::vector<double>{0, 4});
  CHECK(items<double>(diagonal(a, 1)) == std::vector<double>{1, 5});
  CHECK(items<double>(diagonal(a, -1)) == std::vector<double>{3});
  CHECK(diagonal(a, 3).shape() == Shape{0});
  CHECK(diagonal(a, -2).shape() == Shape{0});
}

TEST_CASE("solve and inv pivot rows, and so move the right-hand sides with them") {
  // A's first column has its only nonzero in row 1: every LU must swap rows. Hand-computed:
  // A [1, 2, 3] = [7, 1, 11] and A [-1, 0, 2] = [2, -1, 6].
  const Array a = Array::from_vector<double>({0, 2, 1, 1, 0, 0, 0, 1, 3}).reshape({3, 3});
  const Array b = Array::from_vector<double>({7, 2, 1, -1, 11, 6}).reshape({3, 2});
  const std::vector<double> want{1, -1, 2, 0, 3, 2};
  const std::vector<double> got = items<double>(solve(a, b));
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i)
    CHECK(got[i] == doctest::Approx(want[i]).epsilon(1e-14));
  // inv(A) A = I.
  const std::vector<double> inverse = items<double>(inv(a));
  const std::vector<double> m = items<double>(a);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      double s = 0;
      for (int k = 0; k < 3; ++k) s += inverse[i * 3 + k] * m[k * 3 + j];
      CHECK(s == doctest::Approx(i == j ? 1.0 : 0.0).epsilon(1e-14));
    }
}

TEST_CASE("inv, solve and det through LAPACK") {
  const Array m = Array::from_vector<double>({4, 7, 2, 6}).reshape({2, 2});
  CHECK(items<double>(inv(m))[0] == doctest::Approx(0.6).epsilon(1e-12));
  CHECK(items<double>(inv(m))[1] == doctest::Approx(-0.7).epsilon(1e-12));
  CHECK(det(m).item<double>() == doctest::Approx(10.0).epsilon(1e-12));
  // Row swaps flip the sign: det([[0, 1], [1, 0]]) = -1.
  CHECK(det(Array::from_vector<double>({0, 1, 1, 0}).reshape({2, 2})).item<double>() ==
        doctest::Approx(-1.0).epsilon(1e-12));
  const Array x = solve(m, Array::from_vector<double>({1, 2}));
  CHECK(x.shape() == Shape{2});
  CHECK(items<double>(x)[0] == doctest::Approx(-0.8).epsilon(1e-12));
  CHECK(items<double>(x)[1] == doctest::Approx(0.6).epsilon(1e-12));
  const Array singular = Array::from_vector<double>({1, 2, 2, 4}).reshape({2, 2});
  const Error e = error_of([&] { inv(singular); });
  CHECK(e.kind() == ErrorKind::linalg);
  CHECK(std::string(e.what()).find("Singular matrix") != std::string::npos);
  CHECK(det(singular).item<double>() == 0.0);
  CHECK(inv(Array::from_vector<float>({2, 0, 0, 4}).reshape({2, 2})).dtype() == DType::float32);
  CHECK(inv(Array::from_vector<std::int64_t>({2, 0, 0, 4}).reshape({2, 2})).dtype() ==
        DType::float64);
}
