// Fused element-wise programs (kernels/fused.hpp) against the unfused kernels they stand for:
// binary() and unary() one operation at a time, and sum(). The same bits are required: a fused
// chain must be invisible in the results, at any size (blocks of 1,024, parallel chunks, ragged
// tails), layout (strided, negative steps, broadcast) and input dtype (int64 and bool read as
// float64).
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/fused.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/kernels/select.hpp"
#include "test_support.hpp"

using namespace larix;
using namespace larix::kernels;
using fused::Input;
using fused::Program;
using fused::Step;

namespace {

Array normal(std::int64_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> d(0.0, 4.0);
  std::vector<double> v(static_cast<std::size_t>(n));
  for (double& x : v) x = d(rng);
  return Array::from_vector(v, {n});
}

// Every third element of a fresh array, last to first: a negative stride.
Array reversed_every_third(std::int64_t n, unsigned seed) {
  const Array base = normal(3 * n, seed);
  auto owner = std::make_shared<Array>(base);
  void* last = const_cast<double*>(base.data<double>() + 3 * n - 1);
  return Array::borrow(last, DType::float64, {n}, {-3 * 8}, owner);
}

bool same_bits(const Array& a, const Array& b) {
  if (a.dtype() != b.dtype() || a.shape() != b.shape()) return false;
  for (std::int64_t i = 0; i < a.size(); ++i) {
    const double x = a.item_as_double(i), y = b.item_as_double(i);
    if (std::memcmp(&x, &y, sizeof x) != 0) return false;
  }
  return true;
}

Step binary_step(BinaryOp op, int a, int b) {
  return {.kind = Step::Kind::binary, .binary = op, .a = a, .b = b};
}
Step unary_step(UnaryOp op, int a) { return {.kind = Step::Kind::unary, .unary = op, .a = a}; }

}  // namespace

TEST_CASE("a fused chain has the bits of its operations run one by one") {
  // exp(-(a * b + 2) / 8) - a: registers a=0, b=1, 2.0=2, 8.0=3, then the steps 4..9.
  Program p;
  p.inputs = 4;
  p.steps = {binary_step(BinaryOp::multiply, 0, 1), binary_step(BinaryOp::add, 4, 2),
             unary_step(UnaryOp::negative, 5),      binary_step(BinaryOp::true_divide, 6, 3),
             unary_step(UnaryOp::exp, 7),           binary_step(BinaryOp::subtract, 8, 0)};
  for (std::int64_t n : {1, 3, 1023, 1024, 1025, 70'001, 100'003}) {
    for (int layout = 0; layout < 3; ++layout) {
      CAPTURE(n);
      CAPTURE(layout);
      Array a = layout == 1 ? reversed_every_third(n, 1) : normal(n, 1);
      Array b = normal(n, 2);
      if (layout == 2) b = cast(binary(BinaryOp::greater, b, Array::scalar(0.0)), DType::int64);
      const Array two = Array::scalar(2.0), eight = Array::scalar(8.0);
      const Array want =
          binary(BinaryOp::subtract,
                 unary(UnaryOp::exp,
                       binary(BinaryOp::true_divide,
                              unary(UnaryOp::negative,
                                    binary(BinaryOp::add, binary(BinaryOp::multiply, a, b), two)),
                              eight)),
                 a);
      const Input inputs[] = {{.array = &a}, {.array = &b}, {.value = 2.0}, {.value = 8.0}};
      const Array got = fused::evaluate(p, inputs, {n}, DType::float64);
      CHECK(same_bits(got, want));
    }
  }
}

TEST_CASE("a fused chain broadcasts its inputs and gives bool for a comparison") {
  // where(x > row, x * row, -x) < 1 over x (n, 3) and row (3,).
  Program p;
  p.inputs = 3;  // x, row, 1.0
  p.steps = {binary_step(BinaryOp::greater, 0, 1),
             binary_step(BinaryOp::multiply, 0, 1),
             unary_step(UnaryOp::negative, 0),
             {.kind = Step::Kind::where, .a = 3, .b = 4, .c = 5},
             binary_step(BinaryOp::less, 6, 2)};
  for (std::int64_t rows : {1, 341, 40'000}) {
    CAPTURE(rows);
    const Array x = normal(3 * rows, 3).reshape({rows, 3});
    const Array row = normal(3, 4);
    const Array want =
        binary(BinaryOp::less,
               where(binary(BinaryOp::greater, x, row), binary(BinaryOp::multiply, x, row),
                     unary(UnaryOp::negative, x), DType::float64),
               Array::scalar(1.0));
    const Input inputs[] = {{.array = &x}, {.array = &row}, {.value = 1.0}};
    const Array got = fused::evaluate(p, inputs, {rows, 3}, DType::bool_);
    REQUIRE(got.dtype() == DType::bool_);
    CHECK(test::items<bool>(got) == test::items<bool>(want));
  }
}

TEST_CASE("inputs of one value are computed once and a one-value result fills the shape") {
  // (s + 1) * 2 with s one value, over 5 elements: the value itself, repeated.
  Program p;
  p.inputs = 3;  // s, 1, 2
  p.steps = {binary_step(BinaryOp::add, 0, 1), binary_step(BinaryOp::multiply, 3, 2)};
  const Array s = Array::from_vector<double>({0.25});
  const Input inputs[] = {{.array = &s}, {.value = 1.0}, {.value = 2.0}};
  CHECK(test::items<double>(fused::evaluate(p, inputs, {5}, DType::float64)) ==
        std::vector<double>(5, 2.5));
  // exp of one value alone is the C library's, as unary() computes an array of one element.
  Program e;
  e.inputs = 1;
  e.steps = {unary_step(UnaryOp::exp, 0)};
  const Array one = Array::from_vector<double>({1.0});
  const Input x[] = {{.array = &one}};
  CHECK(fused::evaluate(e, x, {3}, DType::float64).item<double>(2) == std::exp(1.0));
  CHECK(unary(UnaryOp::exp, one).item<double>() == std::exp(1.0));
}

TEST_CASE("a fused sum has the bits of sum() over the fused values") {
  // sum((a - 0.25) ** 2 as (a - 0.25) * (a - 0.25)) + nothing else.
  Program p;
  p.inputs = 2;
  p.steps = {binary_step(BinaryOp::subtract, 0, 1), binary_step(BinaryOp::multiply, 2, 2)};
  for (std::int64_t n : {0, 1, 7, 129, 1000, 1025, 65'537, 262'147}) {
    for (bool strided : {false, true}) {
      CAPTURE(n);
      CAPTURE(strided);
      const Array a = strided ? reversed_every_third(n, 5) : normal(n, 5);
      const Input inputs[] = {{.array = &a}, {.value = 0.25}};
      const double got = fused::sum(p, inputs, {n});
      const Array values = fused::evaluate(p, inputs, {n}, DType::float64);
      const double want = kernels::sum(values).item<double>();
      CHECK(std::memcmp(&got, &want, sizeof got) == 0);
      const Array d = binary(BinaryOp::subtract, a, Array::scalar(0.25));
      CHECK(same_bits(values, binary(BinaryOp::multiply, d, d)));
    }
  }
}
