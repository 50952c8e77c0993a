// Element-wise kernels against NumPy: broadcasting, promotion, Python sign rules, errors, strided
// inputs and the parallel path. Literals marked "numpy:" were computed by NumPy 2.4 on this
// machine.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "larix/kernels/elementwise.hpp"
#include "larix/support/warnings.hpp"
#include "test_support.hpp"

using namespace larix;
using larix::test::error_of;
using larix::test::items;
using namespace larix::kernels;

namespace {

Array f64(std::vector<double> v, Shape shape = {}) { return Array::from_vector(v, shape); }
Array i64(std::vector<std::int64_t> v, Shape shape = {}) { return Array::from_vector(v, shape); }
Array f32(std::vector<float> v, Shape shape = {}) { return Array::from_vector(v, shape); }
Array b8(std::vector<bool> v, Shape shape = {}) {
  Array a = Array::empty(DType::bool_, shape.empty() ? Shape{std::int64_t(v.size())} : shape);
  for (std::size_t i = 0; i < v.size(); ++i) a.mutable_data<bool>()[i] = v[i];
  return a;
}

}  // namespace

TEST_CASE("broadcasting: shapes and values") {
  const Array a = f64({1, 2, 3, 4, 5, 6}, {2, 3});
  SUBCASE("(2,3) + (3,)") {
    const Array r = binary(BinaryOp::add, a, f64({10, 20, 30}));
    CHECK(r.shape() == Shape{2, 3});
    CHECK(items<double>(r) == std::vector<double>{11, 22, 33, 14, 25, 36});
  }
  SUBCASE("(2,1) * (1,3)") {
    const Array r = binary(BinaryOp::multiply, f64({1, 2}, {2, 1}), f64({1, 10, 100}, {1, 3}));
    CHECK(r.shape() == Shape{2, 3});
    CHECK(items<double>(r) == std::vector<double>{1, 10, 100, 2, 20, 200});
  }
  SUBCASE("0-d with n-d, both orders") {
    CHECK(items<double>(binary(BinaryOp::subtract, a, Array::scalar(1.0))) ==
          std::vector<double>{0, 1, 2, 3, 4, 5});
    CHECK(items<double>(binary(BinaryOp::subtract, Array::scalar(1.0), a)) ==
          std::vector<double>{0, -1, -2, -3, -4, -5});
    const Array r = binary(BinaryOp::add, Array::scalar(1.0), Array::scalar(2.0));
    CHECK(r.ndim() == 0);
    CHECK(r.item<double>() == 3.0);
  }
  SUBCASE("empty operands") {
    const Array e = Array::empty(DType::float64, {0});
    CHECK(binary(BinaryOp::add, e, f64({1.0})).shape() == Shape{0});
    CHECK(binary(BinaryOp::add, Array::empty(DType::int64, {2, 0}), i64({1, 2}, {2, 1})).shape() ==
          Shape{2, 0});
  }
  SUBCASE("broadcast_shapes with more dims") {
    CHECK(broadcast_shapes({5, 1, 4}, {3, 1}) == Shape{5, 3, 4});
    CHECK(broadcast_shapes({}, {2, 2}) == Shape{2, 2});
  }
  SUBCASE("mismatch is a ValueError with NumPy's message") {
    const Error e = error_of([&] { binary(BinaryOp::add, a, f64({1, 2, 3, 4})); });
    CHECK(e.kind() == ErrorKind::value);
    CHECK(e.message() == "operands could not be broadcast together with shapes (2,3) (4,)");
    CHECK(error_of([] { broadcast_shapes({0}, {2}); }).kind() == ErrorKind::value);
  }
}

TEST_CASE("promotion: result dtypes follow NumPy") {
  const Array b = b8({true, false}), i = i64({3, -7}), f = f32({1.5f, -2.5f}), d = f64({1, 2});
  // numpy: np.add(bool, bool) -> bool (logical or), np.multiply(bool, bool) -> bool
  CHECK(binary(BinaryOp::add, b, b).dtype() == DType::bool_);
  CHECK(items<bool>(binary(BinaryOp::add, b, b8({true, false}))) == std::vector<bool>{true, false});
  CHECK(items<bool>(binary(BinaryOp::multiply, b, b8({false, false}))) ==
        std::vector<bool>{false, false});
  // numpy: bool+int64 -> int64; int64+float32 -> float64; bool+float32 -> float32
  CHECK(binary(BinaryOp::add, b, i).dtype() == DType::int64);
  CHECK(items<std::int64_t>(binary(BinaryOp::add, b, i)) == std::vector<std::int64_t>{4, -7});
  CHECK(binary(BinaryOp::add, i, f).dtype() == DType::float64);
  CHECK(items<double>(binary(BinaryOp::add, i, f)) == std::vector<double>{4.5, -9.5});
  CHECK(binary(BinaryOp::add, b, f).dtype() == DType::float32);
  CHECK(binary(BinaryOp::add, f, d).dtype() == DType::float64);
  CHECK(result_type(DType::int64, DType::float32) == DType::float64);
  // numpy: true_divide of ints and of bools -> float64; of float32 stays float32
  CHECK(binary(BinaryOp::true_divide, i, i64({2, 2})).dtype() == DType::float64);
  CHECK(items<double>(binary(BinaryOp::true_divide, i, i64({2, 2}))) ==
        std::vector<double>{1.5, -3.5});
  CHECK(binary(BinaryOp::true_divide, b, b).dtype() == DType::float64);
  CHECK(binary(BinaryOp::true_divide, f, f).dtype() == DType::float32);
  // numpy gives int8 for floor_divide/mod/power of two bools; we have no int8: int64
  CHECK(binary(BinaryOp::floor_divide, b, b8({true, true})).dtype() == DType::int64);
  CHECK(binary(BinaryOp::power, b, b).dtype() == DType::int64);
  // comparisons and logical operations -> bool
  for (BinaryOp op : {BinaryOp::equal, BinaryOp::not_equal, BinaryOp::less, BinaryOp::less_equal,
                      BinaryOp::greater, BinaryOp::greater_equal, BinaryOp::logical_and,
                      BinaryOp::logical_or, BinaryOp::logical_xor})
    CHECK(binary(op, i, f).dtype() == DType::bool_);
  // the caller's promotion (a weak Python float with a float32 array computes in float32)
  CHECK(binary(BinaryOp::multiply, f, Array::scalar(2.0), DType::float32).dtype() ==
        DType::float32);
  // numpy: maximum/minimum of bools -> bool; of int/float32 -> float64
  CHECK(binary(BinaryOp::maximum, b, b).dtype() == DType::bool_);
  CHECK(items<double>(binary(BinaryOp::minimum, i, f)) == std::vector<double>{1.5, -7});
}

TEST_CASE("every operation on every dtype") {
  // numpy: np.<op>(np.array([3, -7]), np.array([2, 2])) and the float64/float32 equivalents
  const Array i = i64({3, -7}), j = i64({2, 2});
  CHECK(items<std::int64_t>(binary(BinaryOp::subtract, i, j)) == std::vector<std::int64_t>{1, -9});
  CHECK(items<std::int64_t>(binary(BinaryOp::multiply, i, j)) == std::vector<std::int64_t>{6, -14});
  CHECK(items<std::int64_t>(binary(BinaryOp::floor_divide, i, j)) ==
        std::vector<std::int64_t>{1, -4});
  CHECK(items<std::int64_t>(binary(BinaryOp::mod, i, j)) == std::vector<std::int64_t>{1, 1});
  CHECK(items<std::int64_t>(binary(BinaryOp::power, i, j)) == std::vector<std::int64_t>{9, 49});
  CHECK(items<bool>(binary(BinaryOp::less, i, j)) == std::vector<bool>{false, true});
  CHECK(items<bool>(binary(BinaryOp::greater_equal, i, j)) == std::vector<bool>{true, false});
  CHECK(items<bool>(binary(BinaryOp::logical_xor, i, i64({0, 1}))) ==
        std::vector<bool>{true, false});
  for (DType dt : {DType::float32, DType::float64}) {
    const Array x = cast(f64({3, -7}), dt), y = cast(f64({2, 2}), dt);
    CHECK(items<double>(binary(BinaryOp::add, x, y)) == std::vector<double>{5, -5});
    CHECK(items<double>(binary(BinaryOp::true_divide, x, y)) == std::vector<double>{1.5, -3.5});
    CHECK(items<double>(binary(BinaryOp::floor_divide, x, y)) == std::vector<double>{1, -4});
    CHECK(items<double>(binary(BinaryOp::mod, x, y)) == std::vector<double>{1, 1});
    CHECK(items<double>(binary(BinaryOp::power, x, y)) == std::vector<double>{9, 49});
    CHECK(items<double>(binary(BinaryOp::maximum, x, y)) == std::vector<double>{3, 2});
    CHECK(binary(BinaryOp::power, x, y).dtype() == dt);
  }
  // int64 arithmetic wraps (numpy: np.power(np.array([2]), 63) -> [-9223372036854775808])
  CHECK(binary(BinaryOp::power, i64({2}), i64({63})).item<std::int64_t>() ==
        std::numeric_limits<std::int64_t>::min());
  CHECK(binary(BinaryOp::add, i64({std::numeric_limits<std::int64_t>::max()}), i64({1}))
            .item<std::int64_t>() == std::numeric_limits<std::int64_t>::min());
  // numpy: np.floor_divide(np.array([-2**63]), -1) -> [-2**63]; np.mod(..., -1) -> [0]
  CHECK(binary(BinaryOp::floor_divide, i64({std::numeric_limits<std::int64_t>::min()}), i64({-1}))
            .item<std::int64_t>() == std::numeric_limits<std::int64_t>::min());
  CHECK(binary(BinaryOp::mod, i64({std::numeric_limits<std::int64_t>::min()}), i64({-1}))
            .item<std::int64_t>() == 0);
  // numpy: np.power(np.array([0]), np.array([0])) -> [1]
  CHECK(binary(BinaryOp::power, i64({0}), i64({0})).item<std::int64_t>() == 1);
}

TEST_CASE("comparisons, abs and integer power at their boundaries") {
  using B = std::vector<bool>;
  using I = std::vector<std::int64_t>;
  const std::int64_t lo = std::numeric_limits<std::int64_t>::min();
  const std::int64_t hi = std::numeric_limits<std::int64_t>::max();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  // numpy: a = [-1, 0, 1, 5, lo, hi], b = [0, 0, 0, 5, lo, lo]
  const Array a = i64({-1, 0, 1, 5, lo, hi}), b = i64({0, 0, 0, 5, lo, lo});
  CHECK(items<bool>(binary(BinaryOp::less_equal, a, b)) == B{true, true, false, true, true, false});
  CHECK(items<bool>(binary(BinaryOp::less, a, b)) == B{true, false, false, false, false, false});
  CHECK(items<bool>(binary(BinaryOp::greater_equal, a, b)) ==
        B{false, true, true, true, true, true});
  CHECK(items<bool>(binary(BinaryOp::greater, a, b)) == B{false, false, true, false, false, true});
  for (DType dt : {DType::float32, DType::float64}) {
    // numpy: [nan, -0., -inf, 1, 2, nan] <= [nan, 0., inf, 1, 1, 1]
    const Array x = cast(f64({nan, -0.0, -inf, 1, 2, nan}), dt);
    const Array y = cast(f64({nan, 0.0, inf, 1, 1, 1}), dt);
    CHECK(items<bool>(binary(BinaryOp::less_equal, x, y)) ==
          B{false, true, true, true, false, false});
    CHECK(items<bool>(binary(BinaryOp::greater_equal, x, y)) ==
          B{false, true, false, true, true, false});
  }
  // numpy: [False, False, True, True] <= [False, True, False, True]
  CHECK(items<bool>(binary(BinaryOp::less_equal, b8({false, false, true, true}),
                           b8({false, true, false, true}))) == B{true, true, false, true});
  // an array against a 0-d scalar, long enough for the vector loop: numpy np.arange(40) <= 39
  Array r = Array::empty(DType::int64, {40});
  for (std::int64_t k = 0; k < 40; ++k) r.mutable_data<std::int64_t>()[k] = k;
  const std::vector<bool> le39 =
      items<bool>(binary(BinaryOp::less_equal, r, Array::scalar<std::int64_t>(39)));
  CHECK(le39 == B(40, true));
  const std::vector<bool> le20 =
      items<bool>(binary(BinaryOp::less_equal, r, Array::scalar<std::int64_t>(20)));
  CHECK(std::count(le20.begin(), le20.end(), true) == 21);

  // numpy: np.abs([-1, 1, 0, -2, lo, hi]) -> [1, 1, 0, 2, lo, hi] (lo wraps to itself)
  CHECK(items<std::int64_t>(unary(UnaryOp::absolute, i64({-1, 1, 0, -2, lo, hi}))) ==
        I{1, 1, 0, 2, lo, hi});
  const Array f = unary(UnaryOp::absolute, f64({-0.0, -1.5, -inf, nan, -1.0}));
  CHECK_FALSE(std::signbit(f.item<double>(0)));  // numpy: np.abs(-0.0) -> 0.0
  CHECK(f.item<double>(1) == 1.5);
  CHECK(f.item<double>(2) == inf);
  CHECK(std::isnan(f.item<double>(3)));
  CHECK(f.item<double>(4) == 1.0);

  // numpy: np.power(3, np.arange(9)), np.power(-2, np.arange(8)); wrapping: 3**40, 7**21
  Array e9 = Array::empty(DType::int64, {9});
  for (std::int64_t k = 0; k < 9; ++k) e9.mutable_data<std::int64_t>()[k] = k;
  CHECK(items<std::int64_t>(binary(BinaryOp::power, Array::scalar<std::int64_t>(3), e9)) ==
        I{1, 3, 9, 27, 81, 243, 729, 2187, 6561});
  CHECK(items<std::int64_t>(binary(BinaryOp::power, Array::scalar<std::int64_t>(-2),
                                   e9.view(0, {8}, {8}))) == I{1, -2, 4, -8, 16, -32, 64, -128});
  CHECK(items<std::int64_t>(binary(BinaryOp::power, i64({3, 7, -1, 10}), i64({40, 21, 63, 18}))) ==
        I{-6289078614652622815, 558545864083284007, -1, 1000000000000000000});
}

TEST_CASE("mod and floor_divide: Python's sign rules") {
  // numpy: np.mod([-7, 7, -7, 7], [3, -3, -3, 3]) -> [2, -2, -1, 1]; floor_divide -> [-3, -3, 2, 2]
  const Array a = i64({-7, 7, -7, 7}), b = i64({3, -3, -3, 3});
  CHECK(items<std::int64_t>(binary(BinaryOp::mod, a, b)) ==
        std::vector<std::int64_t>{2, -2, -1, 1});
  CHECK(items<std::int64_t>(binary(BinaryOp::floor_divide, a, b)) ==
        std::vector<std::int64_t>{-3, -3, 2, 2});
  // numpy: np.mod([-7.5, 7.5, -7.5, 7.5, 0., -0.], [3, -3, -3, 3, -3, 3]) -> [1.5 -1.5 -1.5 1.5 -0.
  // 0.]
  const Array m =
      binary(BinaryOp::mod, f64({-7.5, 7.5, -7.5, 7.5, 0.0, -0.0}), f64({3, -3, -3, 3, -3, 3}));
  CHECK(items<double>(m) == std::vector<double>{1.5, -1.5, -1.5, 1.5, 0.0, 0.0});
  CHECK(std::signbit(m.item<double>(4)));
  CHECK(!std::signbit(m.item<double>(5)));
  // numpy: np.floor_divide([-7.5, 7.5, -7.5, 7.5, 1, -1], [3, -3, -3, 3, 0, 0]) -> [-3 -3 2 2 inf
  // -inf]
  const Array q =
      binary(BinaryOp::floor_divide, f64({-7.5, 7.5, -7.5, 7.5, 1, -1}), f64({3, -3, -3, 3, 0, 0}));
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(items<double>(q) == std::vector<double>{-3, -3, 2, 2, inf, -inf});
  // numpy: np.mod([1.0], [0.0]) -> [nan]; np.floor_divide([-1.0], [inf]) -> [-1.]
  CHECK(std::isnan(binary(BinaryOp::mod, f64({1.0}), f64({0.0})).item<double>()));
  CHECK(binary(BinaryOp::floor_divide, f64({-1.0}), f64({inf})).item<double>() == -1.0);
  CHECK(binary(BinaryOp::mod, f64({5.0, -5.0}), f64({inf, inf})).item<double>(1) == inf);
}

TEST_CASE("errors carry the right kind and message") {
  // Integer // and % by zero give 0 and report NumPy's RuntimeWarning, as NumPy does.
  {
    WarningLog log;
    const WarningScope scope(&log);
    const Array q = binary(BinaryOp::floor_divide, i64({7, 2}), i64({2, 0}));
    CHECK(q.item<std::int64_t>(0) == 3);
    CHECK(q.item<std::int64_t>(1) == 0);
    CHECK(log.take() == std::vector<std::string>{"divide by zero encountered in floor_divide"});
    CHECK(binary(BinaryOp::mod, i64({1}), Array::scalar(false)).item<std::int64_t>() == 0);
    CHECK(log.take() == std::vector<std::string>{"divide by zero encountered in remainder"});
    CHECK(binary(BinaryOp::mod, i64({5}), i64({3})).item<std::int64_t>() == 2);
    CHECK(log.empty());  // no zero divisor, no warning
  }
  // Float division by zero is inf, as in NumPy.
  CHECK(std::isinf(binary(BinaryOp::true_divide, i64({1}), i64({0})).item<double>()));
  Error e = error_of([] { binary(BinaryOp::power, i64({2}), i64({-1})); });
  CHECK(e.kind() == ErrorKind::value);
  CHECK(e.message() == "Integers to negative integer powers are not allowed.");
  e = error_of([] { binary(BinaryOp::subtract, b8({true}), b8({false})); });
  CHECK(e.kind() == ErrorKind::type);
  CHECK(e.message().rfind("numpy boolean subtract, the `-` operator, is not supported", 0) == 0);
  e = error_of([] { unary(UnaryOp::negative, b8({true})); });
  CHECK(e.kind() == ErrorKind::type);
  CHECK(e.message().rfind("The numpy boolean negative", 0) == 0);
}

TEST_CASE("NaN and comparisons") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // numpy: np.maximum([nan, 1.0], [1.0, nan]) -> [nan, nan]
  const Array m = binary(BinaryOp::maximum, f64({nan, 1.0}), f64({1.0, nan}));
  CHECK(std::isnan(m.item<double>(0)));
  CHECK(std::isnan(m.item<double>(1)));
  CHECK(items<bool>(binary(BinaryOp::equal, f64({nan, 1}), f64({nan, 1}))) ==
        std::vector<bool>{false, true});
  CHECK(items<bool>(binary(BinaryOp::not_equal, f64({nan}), f64({nan}))) ==
        std::vector<bool>{true});
  // NaN is truthy in logical operations
  CHECK(items<bool>(binary(BinaryOp::logical_and, f64({nan, 0}), f64({1, 1}))) ==
        std::vector<bool>{true, false});
  // numpy: [True, False] < [True, True] -> [False, True]
  CHECK(items<bool>(binary(BinaryOp::less, b8({true, false}), b8({true, true}))) ==
        std::vector<bool>{false, true});
}

TEST_CASE("non-contiguous operands") {
  const Array a = i64({0, 1, 2, 3, 4, 5}, {2, 3});
  // numpy: np.arange(6).reshape(2,3).T + [10, 20] -> [[10 23] [11 24] [12 25]]
  const Array r = binary(BinaryOp::add, a.transpose(), i64({10, 20}));
  CHECK(r.shape() == Shape{3, 2});
  CHECK(items<std::int64_t>(r) == std::vector<std::int64_t>{10, 23, 11, 24, 12, 25});
  CHECK(r.is_c_contiguous());
  // every other element, and a reversed view (negative stride)
  const Array v = f64({0, 1, 2, 3, 4, 5, 6, 7});
  const Array even = v.view(0, {4}, {16});
  const Array reversed = v.view(7 * 8, {8}, {-8});
  CHECK(items<double>(binary(BinaryOp::multiply, even, even)) == std::vector<double>{0, 4, 16, 36});
  CHECK(items<double>(binary(BinaryOp::subtract, v, reversed)) ==
        std::vector<double>{-7, -5, -3, -1, 1, 3, 5, 7});
  CHECK(items<double>(unary(UnaryOp::negative, reversed)) ==
        std::vector<double>{-7, -6, -5, -4, -3, -2, -1, -0.0});
  // a broadcast (stride 0) operand that is not a scalar
  const Array col = f64({1, 2}, {2, 1}).broadcast_to({2, 3});
  CHECK(items<double>(binary(BinaryOp::add, col, f64({0, 0, 0, 0, 0, 0}, {2, 3}))) ==
        std::vector<double>{1, 1, 1, 2, 2, 2});
}

TEST_CASE("unary operations") {
  // numpy: np.exp([0, 1, 2]) -> float64 [1, 2.71828183, 7.3890561]
  const Array e = unary(UnaryOp::exp, i64({0, 1, 2}));
  CHECK(e.dtype() == DType::float64);
  CHECK(e.item<double>(1) == doctest::Approx(std::exp(1.0)).epsilon(1e-15));
  // numpy: np.exp(np.float32(0.5)) -> float32 1.6487212181091309
  const Array ef = unary(UnaryOp::exp, f32({0.5f}));
  CHECK(ef.dtype() == DType::float32);
  CHECK(ef.item<float>() == 1.6487212181091309f);
  CHECK(unary(UnaryOp::exp, b8({true})).dtype() == DType::float64);  // numpy: float16
  CHECK(std::isnan(unary(UnaryOp::log, f64({-1})).item<double>()));
  CHECK(unary(UnaryOp::sqrt, f64({4})).item<double>() == 2.0);
  CHECK(items<std::int64_t>(unary(UnaryOp::negative, i64({1, -2}))) ==
        std::vector<std::int64_t>{-1, 2});
  CHECK(items<bool>(unary(UnaryOp::logical_not, f64({0, 2}))) == std::vector<bool>{true, false});
  CHECK(unary(UnaryOp::absolute, b8({true})).dtype() == DType::bool_);
  CHECK(items<std::int64_t>(unary(UnaryOp::absolute, i64({-3, 3}))) ==
        std::vector<std::int64_t>{3, 3});
  CHECK(unary(UnaryOp::square, i64({-3})).item<std::int64_t>() == 9);
  CHECK(unary(UnaryOp::exp, Array::scalar(0.0)).ndim() == 0);
  CHECK(unary(UnaryOp::tanh, Array::empty(DType::float32, {0, 3})).shape() == Shape{0, 3});
  CHECK(std::string(unary_op_name(UnaryOp::exp)) == "exp");
  CHECK(std::string(binary_op_name(BinaryOp::mod)) == "remainder");
}

TEST_CASE("cast, assign, full") {
  CHECK(items<bool>(cast(f64({0, 0.5, -1}), DType::bool_)) == std::vector<bool>{false, true, true});
  CHECK(items<std::int64_t>(cast(f64({1.9, -1.9}), DType::int64)) ==
        std::vector<std::int64_t>{1, -1});
  Array dst = Array::zeros(DType::int64, {2, 3});
  Array col = dst.view(8, {2}, {24});  // column 1
  assign(col, f64({7.5}));
  CHECK(items<std::int64_t>(dst) == std::vector<std::int64_t>{0, 7, 0, 0, 7, 0});
  const Array f = full({2, 2}, Array::scalar(std::int64_t{3}), DType::float32);
  CHECK(f.dtype() == DType::float32);
  CHECK(items<float>(f) == std::vector<float>{3, 3, 3, 3});
  CHECK(full({}, Array::scalar(true), DType::bool_).ndim() == 0);
}

TEST_CASE("large arrays take the parallel path and match a serial loop") {
  const std::int64_t n = 1'000'000;
  Array a = Array::empty(DType::float64, {n});
  Array b = Array::empty(DType::float64, {n});
  for (std::int64_t i = 0; i < n; ++i) {
    a.mutable_data<double>()[i] = 0.5 * double(i % 1000) - 3;
    b.mutable_data<double>()[i] = 1.0 + double(i % 7);
  }
  const Array sum = binary(BinaryOp::add, a, b);
  const Array mod = binary(BinaryOp::mod, a, b);
  const Array scaled = binary(BinaryOp::multiply, a, Array::scalar(2.0));
  const Array e = unary(UnaryOp::exp, binary(BinaryOp::true_divide, a, Array::scalar(1000.0)));
  bool ok = true;
  for (std::int64_t i = 0; i < n && ok; ++i) {
    const double x = a.data<double>()[i], y = b.data<double>()[i];
    double r = std::fmod(x, y);
    if (r != 0 && ((r < 0) != (y < 0))) r += y;
    ok = sum.data<double>()[i] == x + y && mod.data<double>()[i] == r &&
         scaled.data<double>()[i] == 2 * x &&
         // exp runs vmath's vector code: within 1.5 ulp of the C library's
         std::fabs(e.data<double>()[i] - std::exp(x / 1000.0)) <= 3.4e-16 * std::exp(x / 1000.0);
  }
  CHECK(ok);
  // 2-d with a broadcast row, transposed: the general strided path in parallel
  const Array m = a.reshape({1000, 1000}).transpose();
  const Array row = f64(std::vector<double>(1000, 1.0), {1000});
  const Array t = binary(BinaryOp::subtract, m, row);
  ok = true;
  for (std::int64_t i = 0; i < 1000 && ok; ++i)
    for (std::int64_t j = 0; j < 1000 && ok; ++j)
      ok = t.data<double>()[i * 1000 + j] == a.data<double>()[j * 1000 + i] - 1.0;
  CHECK(ok);
  // an error inside a parallel chunk reaches the caller
  Array ints = Array::empty(DType::int64, {n});
  for (std::int64_t i = 0; i < n; ++i) ints.mutable_data<std::int64_t>()[i] = (i == n - 5) ? -1 : 1;
  CHECK(error_of([&] { binary(BinaryOp::power, ints, ints); }).kind() == ErrorKind::value);
}

TEST_CASE_TEMPLATE("floor, ceil and trunc equal the C library's bit for bit (sign of zero, NaN)", T,
                   double, float) {
  using L = std::numeric_limits<T>;
  std::vector<T> v = {T(0),
                      -T(0),
                      T(0.5),
                      T(-0.5),
                      T(1.5),
                      T(-1.5),
                      T(2.5),
                      T(-2.5),
                      T(0.7),
                      T(-0.7),
                      T(3),
                      T(-3),
                      L::infinity(),
                      -L::infinity(),
                      L::quiet_NaN(),
                      -L::quiet_NaN(),
                      L::denorm_min(),
                      -L::denorm_min(),
                      L::max(),
                      -L::max(),
                      T(1) - L::epsilon() / 2,
                      -(T(1) - L::epsilon() / 2),
                      T(1) / L::epsilon() + T(0.5),
                      -(T(1) / L::epsilon() + T(0.5)),
                      T(2) / L::epsilon(),
                      T(1e10),
                      T(-1e10)};
  for (int i = 0; i < 200; ++i) v.push_back(T(i - 100) * T(0.37));
  const Array a = Array::from_vector<T>(v);
  auto same = [](T x, T y) {
    return std::memcmp(&x, &y, sizeof(T)) == 0 || (std::isnan(x) && std::isnan(y));
  };
  const std::vector<T> f = items<T>(unary(UnaryOp::floor, a));
  const std::vector<T> c = items<T>(unary(UnaryOp::ceil, a));
  const std::vector<T> t = items<T>(unary(UnaryOp::trunc, a));
  for (std::size_t i = 0; i < v.size(); ++i) {
    CAPTURE(v[i]);
    CHECK(same(f[i], std::floor(v[i])));
    CHECK(same(c[i], std::ceil(v[i])));
    CHECK(same(t[i], std::trunc(v[i])));
  }
}
