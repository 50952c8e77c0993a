// sum() against NumPy: axes, keepdims, dtypes, empty and strided inputs, and the parallel path.
// Literals marked "numpy:" were computed by NumPy 2.4 on this machine.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/reduce.hpp"
#include "test_support.hpp"

using namespace larix;
using larix::test::error_of;
using larix::test::items;
using namespace larix::kernels;

namespace {

// numpy: x = 1.0 / (1 + (np.arange(n) * 7919) % 100003) - 1e-5
Array test_data(std::int64_t n) {
  Array x = Array::empty(DType::float64, {n});
  for (std::int64_t i = 0; i < n; ++i)
    x.mutable_data<double>()[i] = 1.0 / double(1 + (i * 7919) % 100003) - 1e-5;
  return x;
}

}  // namespace

TEST_CASE("sum: axes and keepdims") {
  const Array a = Array::from_vector<std::int64_t>({1, 2, 3, 4, 5, 6}, {2, 3});
  Array s = sum(a);
  CHECK(s.ndim() == 0);
  CHECK(s.dtype() == DType::int64);
  CHECK(s.item<std::int64_t>() == 21);
  CHECK(items<std::int64_t>(sum(a, std::vector<int>{0})) == std::vector<std::int64_t>{5, 7, 9});
  CHECK(items<std::int64_t>(sum(a, std::vector<int>{1})) == std::vector<std::int64_t>{6, 15});
  CHECK(items<std::int64_t>(sum(a, std::vector<int>{-1})) == std::vector<std::int64_t>{6, 15});
  CHECK(sum(a, std::vector<int>{1, 0}).item<std::int64_t>() == 21);
  // numpy: np.sum(ones((2,3)), axis=0, keepdims=True).shape -> (1, 3); keepdims alone -> (1, 1)
  CHECK(sum(a, std::vector<int>{0}, true).shape() == Shape{1, 3});
  CHECK(sum(a, std::nullopt, true).shape() == Shape{1, 1});
  // axis=() reduces nothing
  CHECK(items<std::int64_t>(sum(a, std::vector<int>{})) == items<std::int64_t>(a));
  CHECK(reduced_shape({2, 3, 4}, {0, 2}, true) == Shape{1, 3, 1});
  // a 3-d array over a middle axis and over outer + inner axes
  std::vector<double> v(24);
  for (int i = 0; i < 24; ++i) v[i] = i;
  const Array c = Array::from_vector(v, {2, 3, 4});
  // numpy: np.arange(24.).reshape(2,3,4).sum(axis=1) -> [[12 15 18 21] [48 51 54 57]]
  CHECK(items<double>(sum(c, std::vector<int>{1})) ==
        std::vector<double>{12, 15, 18, 21, 48, 51, 54, 57});
  // numpy: ....sum(axis=(0, 2)) -> [60 92 124]
  CHECK(items<double>(sum(c, std::vector<int>{0, 2})) == std::vector<double>{60, 92, 124});
}

TEST_CASE("sum: dtypes") {
  Array b = Array::empty(DType::bool_, {3});
  b.mutable_data<bool>()[0] = true;
  b.mutable_data<bool>()[1] = true;
  b.mutable_data<bool>()[2] = false;
  CHECK(sum(b).dtype() == DType::int64);  // numpy: np.sum([True, True, False]) -> 2 (int64)
  CHECK(sum(b).item<std::int64_t>() == 2);
  const Array f = Array::from_vector<float>({0.5f, 0.25f});
  CHECK(sum(f).dtype() == DType::float32);
  CHECK(sum(f).item<float>() == 0.75f);
  CHECK(sum(f, std::nullopt, false, DType::float64).dtype() == DType::float64);
  // numpy: np.sum([1.5, 2.5], dtype=np.int64) -> 3 (each element cast first)
  CHECK(sum(Array::from_vector<double>({1.5, 2.5}), std::nullopt, false, DType::int64)
            .item<std::int64_t>() == 3);
  // numpy: np.sum(np.ones((2, 3)), axis=0, dtype=bool) -> [True True True]
  const Array any = sum(Array::from_vector<double>({1, 0, 0, 1, 0, 0}, {2, 3}), std::vector<int>{0},
                        false, DType::bool_);
  CHECK(any.dtype() == DType::bool_);
  CHECK(items<bool>(any) == std::vector<bool>{true, false, false});
  // int64 sums wrap
  CHECK(sum(Array::from_vector<std::int64_t>({INT64_MAX, 1})).item<std::int64_t>() == INT64_MIN);
}

TEST_CASE("sum: empty arrays and 0-d") {
  // numpy: np.sum(np.zeros((0, 3)), axis=0) -> [0. 0. 0.]; np.sum(np.zeros((0, 3))) -> 0.0
  const Array e = Array::empty(DType::float64, {0, 3});
  CHECK(items<double>(sum(e, std::vector<int>{0})) == std::vector<double>{0, 0, 0});
  CHECK(sum(e, std::vector<int>{1}).shape() == Shape{0});
  CHECK(sum(e).item<double>() == 0.0);
  CHECK(sum(Array::empty(DType::bool_, {0})).dtype() == DType::int64);
  CHECK(sum(Array::scalar(3.5)).item<double>() == 3.5);
  CHECK(sum(Array::scalar(std::int64_t{3}), std::vector<int>{}).ndim() == 0);
}

TEST_CASE("sum: errors") {
  const Array a = Array::zeros(DType::float64, {2, 3});
  Error e = error_of([&] { sum(a, std::vector<int>{2}); });
  CHECK(e.kind() == ErrorKind::axis);
  CHECK(e.message() == "axis 2 is out of bounds for array of dimension 2");
  e = error_of([&] { sum(a, std::vector<int>{-3}); });
  CHECK(e.message() == "axis -3 is out of bounds for array of dimension 2");
  e = error_of([&] { sum(a, std::vector<int>{0, -2}); });
  CHECK(e.kind() == ErrorKind::value);
  CHECK(e.message() == "duplicate value in 'axis'");
  CHECK(error_of([] { sum(Array::scalar(1.0), std::vector<int>{0}); }).kind() == ErrorKind::axis);
}

TEST_CASE("sum: strided inputs") {
  const Array a = Array::from_vector<double>({1, 2, 3, 4, 5, 6}, {2, 3});
  CHECK(items<double>(sum(a.transpose(), std::vector<int>{0})) == std::vector<double>{6, 15});
  CHECK(items<double>(sum(a.transpose(), std::vector<int>{1})) == std::vector<double>{5, 7, 9});
  const Array every_other = a.reshape({6}).view(0, {3}, {16});  // 1, 3, 5
  CHECK(sum(every_other).item<double>() == 9);
  const Array reversed = a.reshape({6}).view(5 * 8, {6}, {-8});
  CHECK(sum(reversed).item<double>() == 21);
  CHECK(sum(a.broadcast_to({4, 2, 3}), std::vector<int>{0, 1}).item<double>(2) ==
        36);  // 4 * (3 + 6)
}

TEST_CASE("sum: big arrays match NumPy's pairwise sum and do not depend on threads") {
  const Array x = test_data(1'000'000);
  // numpy: np.sum(x) -> 110.90035748669862 (bit-identical: same pairwise tree)
  CHECK(sum(x).item<double>() == 110.90035748669862);
  // numpy: np.sum(x[:777]) -> 1.049420183803741
  CHECK(sum(x.view(0, {777}, {8})).item<double>() == 1.049420183803741);
  // numpy: np.sum(x.astype(np.float32)) -> 110.90035247802734 (float32 accumulation)
  CHECK(sum(cast(x, DType::float32)).item<float>() == 110.90035247802734f);
  // numpy: np.sum(x[::3]) -> 36.914285730083094
  CHECK(sum(x.view(0, {333334}, {24})).item<double>() ==
        doctest::Approx(36.914285730083094).epsilon(1e-12));
  const Array m = x.reshape({1000, 1000});
  // numpy: m.sum(axis=1)[[0, 1, 999]] -> [1.0659275796662708, 0.06974765504782252,
  // 0.11255327929466508]
  const Array rows = sum(m, std::vector<int>{1});
  CHECK(rows.item<double>(0) == 1.0659275796662708);
  CHECK(rows.item<double>(1) == 0.06974765504782252);
  CHECK(rows.item<double>(999) == 0.11255327929466508);
  // numpy: m.sum(axis=0)[[0, 1, 999]] -> [1.0589378363608424, 0.06943398262525868,
  // 0.0947580466865568]
  const Array cols = sum(m, std::vector<int>{0});
  CHECK(cols.item<double>(0) == doctest::Approx(1.0589378363608424).epsilon(1e-12));
  CHECK(cols.item<double>(1) == doctest::Approx(0.06943398262525868).epsilon(1e-12));
  CHECK(cols.item<double>(999) == doctest::Approx(0.0947580466865568).epsilon(1e-12));
  // numpy: np.sum(m.T) -> 110.90035748669862 (memory order, like NumPy)
  CHECK(sum(m.transpose()).item<double>() == doctest::Approx(110.90035748669862).epsilon(1e-12));
  // every column against a serial reference loop
  bool ok = true;
  for (int j = 0; j < 1000 && ok; ++j) {
    long double ref = 0;
    for (int i = 0; i < 1000; ++i) ref += m.data<double>()[i * 1000 + j];
    ok = std::abs(cols.item<double>(j) - double(ref)) <= 1e-12 * std::abs(double(ref)) + 1e-15;
  }
  CHECK(ok);
  // many outputs over the outer axis: chunks of columns in parallel, each row added in order
  const Array wide = x.reshape({50, 20000});
  const Array wide_cols = sum(wide, std::vector<int>{0});
  ok = true;
  for (int j = 0; j < 20000 && ok; ++j) {
    double ref = 0;  // NumPy's order for an outer-axis reduction: row by row
    for (int i = 0; i < 50; ++i) ref += wide.data<double>()[i * 20000 + j];
    ok = wide_cols.item<double>(j) == ref;
  }
  CHECK(ok);
  // integers: exact, parallel
  Array ints = Array::empty(DType::int64, {3'000'000});
  for (std::int64_t i = 0; i < ints.size(); ++i) ints.mutable_data<std::int64_t>()[i] = i;
  CHECK(sum(ints).item<std::int64_t>() == std::int64_t{3'000'000} * 2'999'999 / 2);
  // a strided full reduction that does not collapse (few outputs, many runs)
  const Array sub = x.reshape({1000, 1000}).view(0, {1000, 500}, {8000, 8});
  long double ref = 0;
  for (int i = 0; i < 1000; ++i)
    for (int j = 0; j < 500; ++j) ref += x.data<double>()[i * 1000 + j];
  CHECK(sum(sub).item<double>() == doctest::Approx(double(ref)).epsilon(1e-12));
}
