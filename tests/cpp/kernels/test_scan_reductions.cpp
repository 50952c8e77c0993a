// The vectorised scans behind max/min/argmax/argmin/any/all/count_nonzero against a plain
// element-by-element reference: every length around the vector and block sizes, NaNs anywhere,
// ties, signed zeros and infinities, and the chunked (parallel) path. Run with LARIX_SIMD=sse2 too.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/kernels/reductions.hpp"
#include "test_support.hpp"

using namespace larix;
using namespace larix::kernels;

namespace {

template <class T>
bool is_nan(T x) {
  if constexpr (std::is_floating_point_v<T>) return std::isnan(x);
  else return false;
}

// The sequential rule NumPy documents: the first NaN, else the first element equal to the extreme.
template <class T>
std::int64_t reference_arg(const std::vector<T>& v, bool max) {
  std::int64_t best = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (is_nan(v[i])) return static_cast<std::int64_t>(i);
    if (max ? v[i] > v[best] : v[i] < v[best]) best = static_cast<std::int64_t>(i);
  }
  return best;
}

template <class T>
bool same_bits(T a, T b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

template <class T>
void check_all_reductions(const std::vector<T>& v) {
  const Array a = Array::from_vector<T>(v);
  CAPTURE(v.size());
  for (bool max : {true, false}) {
    CAPTURE(max);
    const std::int64_t expected = reference_arg(v, max);
    CHECK(arg_reduce(max, a).template item<std::int64_t>() == expected);
    const T value = reduce(max ? ReduceOp::max : ReduceOp::min, a).template item<T>();
    CHECK(same_bits(value, v[expected]));  // the very element: NaN payload, sign of zero
  }
  std::int64_t nonzero = 0;
  for (T x : v) nonzero += x != T(0);
  CHECK(reduce(ReduceOp::count_nonzero, a).template item<std::int64_t>() == nonzero);
  CHECK(reduce(ReduceOp::any, a).template item<bool>() == (nonzero > 0));
  CHECK(reduce(ReduceOp::all, a).template item<bool>() == (nonzero == std::int64_t(v.size())));
}

template <class T>
std::vector<T> random_values(std::mt19937_64& rng, std::size_t n, int range) {
  std::uniform_int_distribution<int> d(-range, range);
  std::vector<T> v(n);
  for (auto& x : v) x = static_cast<T>(d(rng));
  return v;
}

const std::vector<std::size_t> kLengths = {1,    2,    3,    7,    8,    15,   16,    17,
                                           31,   32,   33,   63,   64,   65,   100,   1023,
                                           1024, 1025, 2047, 4095, 4096, 4097, 10000, 70001};

}  // namespace

TEST_CASE_TEMPLATE("vectorised extreme scans agree with the sequential rule", T, double, float) {
  std::mt19937_64 rng(42);
  const T nan = std::numeric_limits<T>::quiet_NaN(), inf = std::numeric_limits<T>::infinity();
  for (std::size_t n : kLengths) {
    auto v = random_values<T>(rng, n, 1000);
    check_all_reductions(v);  // ties between equal values are likely: 2001 distinct values
    auto zeros = random_values<T>(rng, n, 0);  // all zero: the sign of the first one wins
    for (std::size_t i = 0; i < n; ++i)
      if (rng() & 1) zeros[i] = -zeros[i] - T(0);
    check_all_reductions(zeros);
    auto signed_zero_max = random_values<T>(rng, n, 0);
    for (auto& x : signed_zero_max) x = (rng() & 1) ? T(-0.0) : T(-1);
    signed_zero_max[rng() % n] = T(0.0);
    check_all_reductions(signed_zero_max);
    std::uniform_int_distribution<std::size_t> at(0, n - 1);
    for (int k = 0; k < 3; ++k) {  // NaNs: the first one wins, wherever it is
      auto w = v;
      w[at(rng)] = nan;
      if (k > 0) w[at(rng)] = -nan;
      check_all_reductions(w);
    }
    auto infs = v;  // inf + -inf in the NaN screen is NaN: no NaN here all the same
    infs[at(rng)] = inf;
    infs[at(rng)] = -inf;
    check_all_reductions(infs);
    auto huge = v;  // sums overflow to inf and back to NaN
    for (auto& x : huge)
      x = (rng() & 1) ? std::numeric_limits<T>::max() : -std::numeric_limits<T>::max();
    check_all_reductions(huge);
  }
}

TEST_CASE("vectorised extreme scans on int64 and bool") {
  std::mt19937_64 rng(7);
  for (std::size_t n : kLengths) {
    check_all_reductions(random_values<std::int64_t>(rng, n, 1000));
    auto big = random_values<std::int64_t>(rng, n, 3);
    for (auto& x : big) x = x * (std::int64_t{1} << 61);  // INT64_MIN and near it
    check_all_reductions(big);
    std::vector<bool> b(n);
    for (std::size_t i = 0; i < n; ++i) b[i] = (rng() % 5) == 0;
    const Array a = Array::from_vector<bool>(std::vector<bool>(b));
    std::int64_t first_true = -1, first_false = -1, trues = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (b[i] && first_true < 0) first_true = static_cast<std::int64_t>(i);
      if (!b[i] && first_false < 0) first_false = static_cast<std::int64_t>(i);
      trues += b[i];
    }
    CHECK(arg_reduce(true, a).item<std::int64_t>() == std::max<std::int64_t>(first_true, 0));
    CHECK(arg_reduce(false, a).item<std::int64_t>() == std::max<std::int64_t>(first_false, 0));
    CHECK(reduce(ReduceOp::count_nonzero, a).item<std::int64_t>() == trues);
    CHECK(reduce(ReduceOp::any, a).item<bool>() == (trues > 0));
    CHECK(reduce(ReduceOp::all, a).item<bool>() == (trues == std::int64_t(n)));
  }
}

TEST_CASE("row-wise extreme scans (contiguous runs per output) agree with the sequential rule") {
  std::mt19937_64 rng(3);
  const std::int64_t rows = 37, cols = 1500;
  auto v = random_values<double>(rng, rows * cols, 100);
  for (int k = 0; k < 5; ++k) v[rng() % v.size()] = std::numeric_limits<double>::quiet_NaN();
  const Array a = Array::from_vector<double>(v).reshape({rows, cols});
  const Array arg = arg_reduce(true, a, 1);
  const Array mx = reduce(ReduceOp::max, a, std::vector<int>{1});
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::vector<double> row(v.begin() + r * cols, v.begin() + (r + 1) * cols);
    const std::int64_t expected = reference_arg(row, true);
    CHECK(arg.item<std::int64_t>(r) == expected);
    CHECK(same_bits(mx.item<double>(r), row[expected]));
  }
}

TEST_CASE("var over all axes without temporaries equals the two-pass form bit for bit") {
  // The form NumPy computes: m = mean(a); d = a - m; sum(d * d) / n, each an array.
  std::mt19937_64 rng(11);
  std::normal_distribution<double> d(3.0, 50.0);
  for (std::int64_t n : {1, 7, 1000, 65536, 300001}) {
    std::vector<double> v(n);
    for (auto& x : v) x = d(rng);
    for (DType dt : {DType::float64, DType::float32, DType::int64}) {
      CAPTURE(n);
      CAPTURE(dtype_name(dt));
      Array a = cast(Array::from_vector<double>(v, {n}), dt);
      std::vector<Array> layouts = {a};
      if (n % 1000 == 0) layouts.push_back(a.reshape({n / 1000, 1000}).transpose());
      for (const Array& x : layouts) {
        const DType sd = is_integral(dt) ? DType::float64 : dt;
        const Array m = mean(x, std::nullopt, true, sd);
        const Array dev = binary(BinaryOp::subtract, cast(x, sd), m);
        const Array two_pass =
            binary(BinaryOp::true_divide, sum(binary(BinaryOp::multiply, dev, dev)),
                   Array::scalar(static_cast<double>(n)), sd);
        const Array one_pass = var(x);
        CHECK(one_pass.dtype() == sd);
        CHECK(one_pass.item_as_double(0) == two_pass.item_as_double(0));
        CHECK(var(x, std::nullopt, true).shape() == Shape(x.ndim(), 1));
      }
    }
  }
}
