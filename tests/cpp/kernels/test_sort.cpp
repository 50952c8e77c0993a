// Sorting kernels: NaN-last order, stable argsort, strided lines along any axis, the parallel path
// for long lines, unique's parts and searchsorted's sides. Expected values are NumPy's.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "larix/kernels/sort.hpp"
#include "test_support.hpp"

using namespace larix;
using larix::test::error_of;
using larix::test::items;
using namespace larix::kernels;
using I = std::vector<std::int64_t>;

namespace {
const double kNan = std::numeric_limits<double>::quiet_NaN();
}  // namespace

TEST_CASE("sort puts NaN last and sorts bools false first") {
  const Array x = Array::from_vector<double>({3, kNan, -1, 2, kNan, 0});
  const auto got = items<double>(sort(x, -1));
  CHECK(got[0] == -1);
  CHECK(got[1] == 0);
  CHECK(got[2] == 2);
  CHECK(got[3] == 3);
  CHECK(std::isnan(got[4]));
  CHECK(std::isnan(got[5]));
  const Array b = Array::from_vector<bool>({true, false, true, false});
  CHECK(items<bool>(sort(b, 0)) == std::vector<bool>{false, false, true, true});
}

TEST_CASE("sort along each axis of a strided 2-d view, and of the flattened array") {
  // numpy: a = np.array([[5, 1, 4], [2, 6, 3]])[:, ::-1] -> [[4, 1, 5], [3, 6, 2]]
  Array base = Array::from_vector<std::int64_t>({5, 1, 4, 2, 6, 3}).reshape({2, 3});
  const Array a = base.view(2 * 8, {2, 3}, {24, -8});
  CHECK(items<std::int64_t>(sort(a, 1)) == I{1, 4, 5, 2, 3, 6});
  CHECK(items<std::int64_t>(sort(a, 0)) == I{3, 1, 2, 4, 6, 5});
  CHECK(items<std::int64_t>(sort(a, std::nullopt)) == I{1, 2, 3, 4, 5, 6});
  CHECK(sort(a, std::nullopt).shape() == Shape{6});
  CHECK(items<std::int64_t>(argsort(a, 0)) == I{1, 0, 1, 0, 1, 0});
  CHECK(items<std::int64_t>(argsort(a, -1)) == I{1, 0, 2, 2, 0, 1});
}

TEST_CASE("argsort is stable: ties keep their order, NaNs too") {
  const Array x = Array::from_vector<double>({2, kNan, 1, 2, kNan, 1, 0});
  CHECK(items<std::int64_t>(argsort(x, 0)) == I{6, 2, 5, 0, 3, 1, 4});
  CHECK(items<std::int64_t>(argsort(Array::scalar<double>(7), -1)) == I{0});
}

TEST_CASE("axis errors and empty arrays") {
  CHECK(error_of([] { sort(Array::scalar<double>(1), -1); }).kind() == ErrorKind::axis);
  CHECK(error_of([] {
          argsort(Array::zeros(DType::float64, {2, 2}), 2);
        }).kind() == ErrorKind::axis);
  CHECK(sort(Array::zeros(DType::float32, {2, 0}), 1).shape() == Shape{2, 0});
  CHECK(argsort(Array::zeros(DType::float32, {0, 3}), 0).shape() == Shape{0, 3});
  CHECK(unique(Array::zeros(DType::int64, {0}), true, true, true).counts.size() == 0);
}

TEST_CASE("long lines take the parallel path and give the same order as a serial stable sort") {
  const std::int64_t n = 200000;
  std::mt19937_64 rng(7);
  std::vector<std::int64_t> v(n);
  for (auto& x : v) x = static_cast<std::int64_t>(rng() % 1000);
  const Array a = Array::from_vector(v);
  std::vector<std::int64_t> want(n);
  for (std::int64_t i = 0; i < n; ++i) want[i] = i;
  std::stable_sort(want.begin(), want.end(), [&](auto i, auto j) { return v[i] < v[j]; });
  CHECK(items<std::int64_t>(argsort(a, 0)) == want);
  auto sorted = v;
  std::sort(sorted.begin(), sorted.end());
  CHECK(items<std::int64_t>(sort(a, 0)) == sorted);
}

TEST_CASE("unique: values, first index, inverse in a's shape, counts; NaNs are one value") {
  // numpy: np.unique([[3, 1, 3], [nan, 1, nan]], True, True, True)
  const Array a = Array::from_vector<double>({3, 1, 3, kNan, 1, kNan}).reshape({2, 3});
  const UniqueResult r = unique(a, true, true, true);
  const auto values = items<double>(r.values);
  REQUIRE(values.size() == 3);
  CHECK(values[0] == 1);
  CHECK(values[1] == 3);
  CHECK(std::isnan(values[2]));
  CHECK(items<std::int64_t>(r.index) == I{1, 0, 3});
  CHECK(items<std::int64_t>(r.inverse) == I{1, 0, 1, 2, 0, 2});
  CHECK(r.inverse.shape() == Shape{2, 3});
  CHECK(items<std::int64_t>(r.counts) == I{2, 2, 2});
}

TEST_CASE("searchsorted: sides, NaN last, sorter, errors") {
  const Array a = Array::from_vector<double>({1, 2, 2, 3, kNan});
  const Array v = Array::from_vector<double>({2, 0, 9, kNan});
  CHECK(items<std::int64_t>(searchsorted(a, v, false, DType::float64)) == I{1, 0, 4, 4});
  CHECK(items<std::int64_t>(searchsorted(a, v, true, DType::float64)) == I{3, 0, 4, 5});
  const Array unsorted = Array::from_vector<std::int64_t>({30, 10, 20});
  const Array sorter = Array::from_vector<std::int64_t>({1, 2, 0});
  CHECK(searchsorted(unsorted, Array::scalar<std::int64_t>(25), false, DType::int64, sorter)
            .item<std::int64_t>() == 2);
  const Array bad = Array::from_vector<std::int64_t>({1, 2, 3});
  CHECK(error_of([&] {
          searchsorted(unsorted, Array::scalar<std::int64_t>(1), false, DType::int64, bad);
        }).kind() == ErrorKind::value);
  CHECK(error_of([&] {
          searchsorted(Array::zeros(DType::float64, {2, 2}), v, false, DType::float64);
        }).kind() == ErrorKind::value);
}
