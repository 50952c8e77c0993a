// isclose, array_equal, hypot/fmax/fmin and nan_to_num against NumPy. Literals marked "numpy:"
// were computed by NumPy 2.4 on this machine.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "larix/kernels/more_math.hpp"
#include "test_support.hpp"

using namespace larix;
using larix::test::error_of;
using larix::test::items;
using namespace larix::kernels;

namespace {
const double inf = std::numeric_limits<double>::infinity();
const double qnan = std::numeric_limits<double>::quiet_NaN();
}  // namespace

TEST_CASE("isclose: tolerances, infinities, NaN, broadcasting") {
  const Array a = Array::from_vector<double>({1.0, qnan, inf, -inf, 1e10, 1e-9});
  const Array b = Array::from_vector<double>({1.0 + 1e-9, qnan, inf, inf, 1.00001e10, 0.0});
  // numpy: np.isclose(a, b) -> [True, False, True, False, True, True]
  CHECK(items<bool>(isclose(a, b, 1e-5, 1e-8, false)) ==
        std::vector<bool>{true, false, true, false, true, true});
  CHECK(items<bool>(isclose(a, b, 1e-5, 1e-8, true))[1]);
  CHECK_FALSE(items<bool>(isclose(a, b, 1e-5, 0.0, false))[5]);
  const Array m = isclose(Array::zeros(DType::int64, {2, 3}), Array::from_vector<double>({0.0}),
                          1e-5, 1e-8, false);
  CHECK(m.shape() == Shape{2, 3});
  CHECK(m.dtype() == DType::bool_);
  CHECK(error_of([] {
          isclose(Array::zeros(DType::float64, {2}), Array::zeros(DType::float64, {3}), 0, 0,
                  false);
        }).kind() == ErrorKind::value);
}

TEST_CASE("array_equal: shapes, dtypes, NaN") {
  const Array a = Array::from_vector<std::int64_t>({1, 2, 3});
  CHECK(array_equal(a, Array::from_vector<double>({1, 2, 3}), false));
  CHECK_FALSE(array_equal(a, Array::from_vector<double>({1, 2, 4}), false));
  CHECK_FALSE(array_equal(a, a.reshape({1, 3}), false));
  const Array n = Array::from_vector<double>({1, qnan});
  CHECK_FALSE(array_equal(n, n, false));
  CHECK(array_equal(n, n, true));
  CHECK(array_equal(Array::zeros(DType::bool_, {0}), Array::zeros(DType::float32, {0}), false));
}

TEST_CASE("fmax, fmin ignore NaN; hypot does not overflow") {
  const Array x = Array::from_vector<double>({1.0, qnan, qnan, -inf});
  const Array y = Array::from_vector<double>({qnan, 2.0, qnan, 1.0});
  const auto mx = items<double>(nan_binary(NanBinaryOp::fmax, x, y, DType::float64));
  CHECK(mx[0] == 1.0);
  CHECK(mx[1] == 2.0);
  CHECK(std::isnan(mx[2]));
  CHECK(mx[3] == 1.0);
  CHECK(items<double>(nan_binary(NanBinaryOp::fmin, x, y, DType::float64))[3] == -inf);
  CHECK(items<std::int64_t>(nan_binary(NanBinaryOp::fmin, Array::from_vector<std::int64_t>({3, -1}),
                                       Array::from_vector<std::int64_t>({2}), DType::int64)) ==
        std::vector<std::int64_t>{2, -1});
  const Array big = Array::from_vector<double>({3e200, 3.0});
  const auto h = items<double>(nan_binary(
      NanBinaryOp::hypot, big, Array::from_vector<double>({4e200, 4.0}), DType::float64));
  CHECK(h[0] == doctest::Approx(5e200).epsilon(1e-12));
  CHECK(h[1] == 5.0);
  CHECK(nan_binary(NanBinaryOp::hypot, Array::from_vector<float>({3}),
                   Array::from_vector<float>({4}), DType::float32)
            .dtype() == DType::float32);
}

TEST_CASE("nan_to_num: defaults are the dtype's extremes; ints unchanged") {
  const Array f = Array::from_vector<float>({float(qnan), float(inf), float(-inf), 1.5f});
  const auto r = items<float>(nan_to_num(f, 0.0, std::nullopt, std::nullopt));
  CHECK(r[0] == 0.0f);
  CHECK(r[1] == std::numeric_limits<float>::max());
  CHECK(r[2] == std::numeric_limits<float>::lowest());
  CHECK(r[3] == 1.5f);
  const auto s =
      items<double>(nan_to_num(Array::from_vector<double>({qnan, inf, -inf}), -1, 9, -9));
  CHECK(s == std::vector<double>{-1, 9, -9});
  CHECK(items<std::int64_t>(nan_to_num(Array::from_vector<std::int64_t>({4, 5}), 0, 1, 2)) ==
        std::vector<std::int64_t>{4, 5});
}
