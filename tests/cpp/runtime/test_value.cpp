// Value, the runtime's dynamically typed value: Python's truthiness of scalars, strings,
// containers and one-element arrays (the conditions of if and while). Literals marked "python:"
// are bool(x) in CPython 3.11 / NumPy 2.4.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "larix/runtime/value.hpp"

using namespace larix;

namespace {

const double kNan = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

template <class T>
Value one_element(T v, Shape shape = {1}) {
  return Value(Array::from_vector<T>({v}, shape));
}

}  // namespace

TEST_CASE("truth of numbers: zero is false, everything else (negatives, NaN) is true") {
  CHECK_FALSE(Value().truthy());  // nil
  CHECK(Value(true).truthy());
  CHECK_FALSE(Value(false).truthy());
  CHECK(Value(std::int64_t{-1}).truthy());  // python: bool(-1) True
  CHECK(Value(std::numeric_limits<std::int64_t>::min()).truthy());
  CHECK_FALSE(Value(std::int64_t{0}).truthy());
  CHECK(Value(-0.5).truthy());  // python: bool(-0.5) True
  CHECK(Value(-1e-300).truthy());
  CHECK(Value(-kInf).truthy());
  CHECK(Value(kNan).truthy());  // python: bool(float('nan')) True
  CHECK(Value(-kNan).truthy());
  CHECK(Value(5e-324).truthy());  // the smallest subnormal
  CHECK_FALSE(Value(0.0).truthy());
  CHECK_FALSE(Value(-0.0).truthy());  // python: bool(-0.0) False
}

TEST_CASE("truth of strings and containers: empty is false") {
  CHECK_FALSE(Value("").truthy());
  CHECK(Value("0").truthy());
  CHECK_FALSE(Value(List{}).truthy());
  CHECK(Value(List{Value(0)}).truthy());  // python: bool([0]) True
}

TEST_CASE("truth of a one-element array is its element's") {
  // python: bool(np.array([x])) for each dtype, any number of axes
  CHECK(one_element<double>(-0.5).truthy());
  CHECK(one_element<double>(-1e-300).truthy());
  CHECK(one_element<double>(-kInf).truthy());
  CHECK(one_element<double>(kNan).truthy());  // python: bool(np.array([nan])) True
  CHECK_FALSE(one_element<double>(-0.0).truthy());
  CHECK_FALSE(one_element<double>(0.0).truthy());
  CHECK(one_element<float>(-1e-40f).truthy());  // a float32 subnormal
  CHECK(one_element<float>(-2.0f, {1, 1}).truthy());
  CHECK_FALSE(one_element<float>(-0.0f).truthy());
  CHECK(one_element<std::int64_t>(-3).truthy());
  CHECK(one_element<std::int64_t>(-1, {}).truthy());  // 0-d
  CHECK(one_element<std::int64_t>(std::numeric_limits<std::int64_t>::min(), {1, 1, 1}).truthy());
  CHECK_FALSE(one_element<std::int64_t>(0, {}).truthy());
  CHECK(one_element<bool>(true).truthy());
  CHECK_FALSE(one_element<bool>(false).truthy());
}

TEST_CASE("an array of zero or several elements has no truth value") {
  auto message = [](const Value& v) -> std::string {
    try {
      (void)v.truthy();
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::value);
      return e.message();
    }
    FAIL("no error");
    return "";
  };
  CHECK(message(Value(Array::from_vector<double>({-1.0, 2.0}))) ==
        "the truth value of an array with more than one element is ambiguous. Use a.any() or "
        "a.all()");
  CHECK(message(Value(Array::zeros(DType::float64, {0}))) ==
        "the truth value of an array with no elements is ambiguous. Use a.any() or a.all()");
}

TEST_CASE("a strong number (NumPy's scalar in scalar code) is a float or an int with its mark") {
  static_assert(sizeof(Value) == 32, "the strong mark lives in the padding");
  const Value f = Value::strong(2.5);
  CHECK(f.is_float());
  CHECK(f.is_strong());
  CHECK(f.float_value() == 2.5);
  const Value i = Value::strong(std::int64_t{-7});
  CHECK(i.is_int());
  CHECK(i.is_strong());
  CHECK(i.int_value() == -7);
  Value copy = f;  // copies and moves keep the mark
  CHECK(copy.is_strong());
  const Value moved = std::move(copy);
  CHECK(moved.is_strong());
  CHECK_FALSE(Value(2.5).is_strong());  // a Python number
  CHECK_FALSE(Value(std::int64_t{-7}).is_strong());
  Value reassigned = Value::strong(1.0);
  reassigned = Value(1.0);  // assigning a Python number drops it
  CHECK_FALSE(reassigned.is_strong());
}
