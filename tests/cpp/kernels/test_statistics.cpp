// median and quantile against NumPy. Literals marked "numpy:" were computed by NumPy 2.4.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "larix/kernels/statistics.hpp"
#include "test_support.hpp"

using namespace larix;
using larix::test::error_of;
using larix::test::items;
using namespace larix::kernels;

TEST_CASE("median: odd and even lines, axes, keepdims, NaN, empty") {
  const Array a = Array::from_vector<std::int64_t>({3, 1, 2, 9, 4, 8, 7, 5}, {2, 4});
  CHECK(median(a, {}, false).item<double>() == 4.5);  // numpy: np.median(a) -> 4.5
  CHECK(items<double>(median(a, std::vector<int>{1}, false)) == std::vector<double>{2.5, 6.0});
  CHECK(median(a, std::vector<int>{0}, true).shape() == Shape{1, 4});
  CHECK(items<double>(median(a, std::vector<int>{-2}, false)) ==
        std::vector<double>{3.5, 4.5, 4.5, 7.0});
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(std::isnan(median(Array::from_vector<double>({1.0, nan, 2.0}), {}, false).item<double>()));
  CHECK(std::isnan(median(Array::zeros(DType::float64, {0}), {}, false).item<double>()));
  CHECK(median(Array::from_vector<float>({1, 2}), {}, false).dtype() == DType::float32);
  CHECK(error_of([&] { median(a, std::vector<int>{2}, false); }).kind() == ErrorKind::axis);
}

TEST_CASE("quantile: NumPy's linear method, q axis first, empty lines") {
  const Array a = Array::from_vector<double>({1, 2, 3, 4, 10});
  // numpy: np.quantile([1, 2, 3, 4, 10], [0, 0.3, 0.5, 0.9, 1]) -> [1, 2.2, 3, 7.6, 10]
  const auto q = items<double>(quantile(a, {0, 0.3, 0.5, 0.9, 1}, true, {}, false, DType::float64));
  CHECK(q[0] == 1.0);
  CHECK(q[1] == doctest::Approx(2.2).epsilon(1e-15));
  CHECK(q[2] == 3.0);
  CHECK(q[3] == doctest::Approx(7.6).epsilon(1e-15));
  CHECK(q[4] == 10.0);
  const Array m = Array::from_vector<double>({1, 2, 3, 4, 5, 6}, {2, 3});
  const Array r = quantile(m, {0.5, 1.0}, true, std::vector<int>{1}, true, DType::float64);
  CHECK(r.shape() == Shape{2, 2, 1});
  CHECK(items<double>(r) == std::vector<double>{2, 5, 3, 6});
  CHECK(error_of([] {
          quantile(Array::zeros(DType::float64, {0}), {0.5}, false, {}, false, DType::float64);
        }).kind() == ErrorKind::index);
  CHECK(quantile(Array::zeros(DType::float64, {2, 0}), {0.5}, false, std::vector<int>{0}, false,
                 DType::float64)
            .shape() == Shape{0});
}
