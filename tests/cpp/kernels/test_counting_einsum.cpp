// The kernels of issue 11's breadth against hand-computed values: einsum (products, diagonals,
// broadcasting, errors), bincount, histogram counts (the closed last bin), interp, correlate and
// convolve in each mode, isin and copysign.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "larix/kernels/counting.hpp"
#include "larix/kernels/einsum.hpp"
#include "test_support.hpp"

using namespace larix;
using larix::test::error_of;
using larix::test::items;
using namespace larix::kernels;

namespace {
const double kNan = std::numeric_limits<double>::quiet_NaN();
Array f64(std::vector<double> v, Shape s = {}) { return Array::from_vector<double>(v, s); }
Array i64(std::vector<std::int64_t> v, Shape s = {}) {
  return Array::from_vector<std::int64_t>(v, s);
}
}  // namespace

TEST_CASE("einsum: products, diagonals, sums and broadcasting") {
  const Array a = f64({1, 2, 3, 4, 5, 6}, {2, 3});  // [[1,2,3],[4,5,6]]
  const Array b = f64({1, 0, 0, 1, 1, 1}, {3, 2});  // [[1,0],[0,1],[1,1]]
  CHECK(items<double>(einsum("ij,jk->ik", {a, b})) == std::vector<double>{4, 5, 10, 11});
  CHECK(items<double>(einsum("ij,jk", {a, b})) == std::vector<double>{4, 5, 10, 11});
  CHECK(items<double>(einsum("ij->ji", {a})) == std::vector<double>{1, 4, 2, 5, 3, 6});
  CHECK(einsum("ij->", {a}).item<double>() == 21);
  const Array m = i64({1, 2, 3, 4}, {2, 2});
  CHECK(einsum("ii", {m}).item<std::int64_t>() == 5);  // the trace, in int64
  CHECK(items<std::int64_t>(einsum("ii->i", {m})) == std::vector<std::int64_t>{1, 4});
  CHECK(einsum("i,i", {f64({1, 2, 3}), f64({4, 5, 6})}).item<double>() == 32);
  // implicit output: labels that occur once, sorted ("ba" transposes)
  CHECK(items<double>(einsum("ba", {a})) == std::vector<double>{1, 4, 2, 5, 3, 6});
  // a batch and a length-1 axis that broadcasts
  const Array batch = einsum("...ij,...jk->...ik", {f64({1, 2, 3, 4, 5, 6, 7, 8}, {2, 2, 2}),
                                                    f64({1, 0, 0, 1}, {1, 2, 2})});
  CHECK(batch.shape() == Shape{2, 2, 2});
  CHECK(items<double>(batch) == std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8});
  // three operands, contracted from the left
  CHECK(einsum("i,i,i->", {f64({1, 2}), f64({3, 4}), f64({5, 6})}).item<double>() == 63);
  CHECK(error_of([&] { einsum("ij,jk", {a, a}); }).kind() == ErrorKind::value);
  CHECK(error_of([&] { einsum("i->j", {f64({1})}); }).kind() == ErrorKind::value);
  CHECK(error_of([&] { einsum("i", {a}); }).kind() == ErrorKind::value);
}

TEST_CASE("bincount counts and sums weights; bad input is NumPy's error") {
  CHECK(items<std::int64_t>(bincount(i64({1, 1, 3}), {}, 0)) ==
        std::vector<std::int64_t>{0, 2, 0, 1});
  CHECK(bincount(i64({1}, {1}), {}, 5).size() == 5);
  CHECK(items<double>(bincount(i64({0, 2, 0}), f64({0.5, 1, 2}), 0)) ==
        std::vector<double>{2.5, 0, 1});
  CHECK(error_of([] { bincount(i64({1, -1}), {}, 0); }).kind() == ErrorKind::value);
  CHECK(error_of([] { bincount(f64({1}, {1}), {}, 0); }).kind() == ErrorKind::type);
  CHECK(error_of([] { bincount(i64({1}), {}, 0); }).kind() == ErrorKind::value);  // 0-d
}

TEST_CASE("histogram counts: half-open bins, the last one closed, outside values dropped") {
  const Array edges = f64({0, 1, 2, 3});
  const Array x = f64({-1, 0, 0.5, 1, 2.999, 3, 4, kNan});
  CHECK(items<std::int64_t>(histogram_counts(x, edges, true, {})) ==
        std::vector<std::int64_t>{2, 1, 2});
  CHECK(items<std::int64_t>(histogram_counts(x, edges, false, {})) ==
        std::vector<std::int64_t>{2, 1, 2});
}

TEST_CASE("interp, correlate and convolve") {
  CHECK(items<double>(interp(f64({-1, 0.5, 2, 3}), f64({0, 1, 2}), f64({0, 10, 0}), {}, 7.0)) ==
        std::vector<double>{0, 5, 0, 7});
  const Array a = i64({1, 2, 3}), v = i64({0, 1, 2});
  // np.correlate([1,2,3], [0,1,2], mode): full [2, 5, 8, 3, 0], same [5, 8, 3], valid [8]
  CHECK(items<std::int64_t>(correlate(a, v, "full", false)) ==
        std::vector<std::int64_t>{2, 5, 8, 3, 0});
  CHECK(items<std::int64_t>(correlate(a, v, "same", false)) == std::vector<std::int64_t>{5, 8, 3});
  CHECK(items<std::int64_t>(correlate(a, v, "valid", false)) == std::vector<std::int64_t>{8});
  // np.convolve([1,2,3], [0,1,2]): [0, 1, 4, 7, 6]
  CHECK(items<std::int64_t>(correlate(a, v, "full", true)) ==
        std::vector<std::int64_t>{0, 1, 4, 7, 6});
  CHECK(error_of([&] { correlate(a, v, "middle", true); }).kind() == ErrorKind::value);
}

TEST_CASE("isin and copysign") {
  CHECK(items<bool>(isin(f64({1, kNan, 3}), f64({3, kNan}), false)) ==
        std::vector<bool>{false, false, true});
  CHECK(items<bool>(isin(i64({1, 2}), f64({2.0}), true)) == std::vector<bool>{true, false});
  const Array s = copysign(f64({1, -2, 3}), f64({-0.0}), DType::float64);
  CHECK(items<double>(s) == std::vector<double>{-1, -2, -3});
}
