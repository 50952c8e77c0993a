// softmax, logsumexp and round_decimals against scipy.special / NumPy. Literals marked "numpy:" or
// "scipy:" were computed by NumPy 2.4 / SciPy 1.17 on this machine.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "larix/kernels/special.hpp"
#include "test_support.hpp"

using namespace larix;
using larix::test::error_of;
using larix::test::items;
using namespace larix::kernels;

namespace {
const double inf = std::numeric_limits<double>::infinity();
}

TEST_CASE("softmax: rows sum to one, axes, large inputs stay finite") {
  const Array x = Array::from_vector<double>({1, 2, 3, 1000, 1001, 1002}, {2, 3});
  const Array s = softmax(x, std::vector<int>{-1});
  // scipy: softmax([1, 2, 3]) -> [0.09003057, 0.24472847, 0.66524096]
  CHECK(s.item<double>(0) == doctest::Approx(0.09003057317038046).epsilon(1e-14));
  CHECK(s.item<double>(5) == doctest::Approx(0.6652409557748219).epsilon(1e-14));
  CHECK(s.item<double>(3) == doctest::Approx(s.item<double>(0)).epsilon(1e-12));
  const Array s0 = softmax(x, std::vector<int>{0});  // each column: exp(x - max) / sum
  CHECK(s0.shape() == Shape{2, 3});
  CHECK(s0.item<double>(3) == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(softmax(Array::from_vector<std::int64_t>({1, 2}), {}).dtype() == DType::float64);
  CHECK(softmax(Array::from_vector<float>({1, 2}), {}).dtype() == DType::float32);
  CHECK(error_of([] { softmax(Array::zeros(DType::float64, {0}), std::vector<int>{0}); }).kind() ==
        ErrorKind::value);
  // scipy: softmax([inf, 1.0]) -> [nan, nan]
  CHECK(std::isnan(softmax(Array::from_vector<double>({inf, 1.0}), {}).item<double>(1)));
}

TEST_CASE("logsumexp: infinities, NaN, empty, keepdims") {
  auto lse = [](std::vector<double> v) {
    return logsumexp(Array::from_vector<double>(v, {static_cast<std::int64_t>(v.size())}), {},
                     false)
        .item<double>();
  };
  CHECK(lse({1, 2}) == doctest::Approx(2.313261687518223).epsilon(1e-14));  // scipy
  CHECK(lse({-inf, -inf}) == -inf);
  CHECK(lse({inf, -inf}) == inf);
  CHECK(std::isnan(lse({std::nan(""), 1})));
  CHECK(lse({}) == -inf);
  CHECK(lse({1e4, 1e4}) == doctest::Approx(1e4 + std::log(2.0)).epsilon(1e-15));
  const Array a = Array::zeros(DType::float32, {2, 3, 4});
  const Array r = logsumexp(a, std::vector<int>{0, 2}, true);
  CHECK(r.shape() == Shape{1, 3, 1});
  CHECK(r.dtype() == DType::float32);
  CHECK(r.item<float>(1) == doctest::Approx(std::log(8.0)).epsilon(1e-6));
}

TEST_CASE("softmax and logsumexp: one long row runs in chunks, the same at any thread count") {
  const std::int64_t n = 300001;
  Array x = Array::empty(DType::float64, {n});
  for (std::int64_t i = 0; i < n; ++i)
    x.mutable_data<double>()[i] = double((i * 7919) % 1000) / 100;
  double m = -inf, s = 0;
  for (std::int64_t i = 0; i < n; ++i) m = std::max(m, x.item<double>(i));
  for (std::int64_t i = 0; i < n; ++i) s += std::exp(x.item<double>(i) - m);
  CHECK(logsumexp(x, {}, false).item<double>() == doctest::Approx(m + std::log(s)).epsilon(1e-12));
  const Array p = softmax(x, {});
  CHECK(p.item<double>(123) ==
        doctest::Approx(std::exp(x.item<double>(123) - m) / s).epsilon(1e-12));
}

TEST_CASE("round_decimals: halves to even, NumPy's scaling, exact integers") {
  const Array f = Array::from_vector<double>({2.5, 3.5, -0.5, 2.675, 1234.5678});
  // numpy: np.round(f) / np.round(f, 2) / np.round(f, -2)
  CHECK(items<double>(round_decimals(f, 0)) == std::vector<double>{2, 4, -0.0, 3, 1235});
  CHECK(round_decimals(f, 2).item<double>(3) == 2.68);  // numpy: 2.68 (Python round: 2.67)
  CHECK(round_decimals(f, 2).item<double>(4) == 1234.57);
  CHECK(round_decimals(f, -2).item<double>(4) == 1200);
  const Array i = Array::from_vector<std::int64_t>({15, 25, -15, -25, 14, 35});
  // numpy: np.round([15, 25, -15, -25, 14, 35], -1) -> [20, 20, -20, -20, 10, 40]
  CHECK(items<std::int64_t>(round_decimals(i, -1)) ==
        std::vector<std::int64_t>{20, 20, -20, -20, 10, 40});
  CHECK(items<std::int64_t>(round_decimals(i, 2)) == items<std::int64_t>(i));
  const Array b = Array::from_vector<bool>({true, false});
  CHECK(round_decimals(b, 0).dtype() == DType::float64);
  CHECK(error_of([&] { round_decimals(b, 1); }).kind() == ErrorKind::type);
}
