// Complex dtypes and np.fft's kernels: promotion, casts, NumPy's product and division formulas,
// the TypeError of kernels without a complex loop, and transforms against hand-computed values.
#include <doctest/doctest.h>

#include <cmath>
#include <complex>
#include <limits>
#include <vector>

#include "larix/kernels/complex.hpp"
#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/fft.hpp"
#include "test_support.hpp"

using namespace larix;
using namespace larix::kernels;
using larix::test::error_of;
using C = std::complex<double>;

namespace {

Array c128(std::vector<C> v) {
  Array a = Array::empty(DType::complex128, {static_cast<std::int64_t>(v.size())});
  for (std::size_t i = 0; i < v.size(); ++i) a.mutable_data<C>()[i] = v[i];
  return a;
}

}  // namespace

TEST_CASE("complex dtypes promote as NumPy's") {
  CHECK(promote(DType::float32, DType::complex64) == DType::complex64);
  CHECK(promote(DType::bool_, DType::complex64) == DType::complex64);
  CHECK(promote(DType::float64, DType::complex64) == DType::complex128);  // numpy: complex128
  CHECK(promote(DType::int64, DType::complex64) == DType::complex128);
  CHECK(promote(DType::complex64, DType::complex128) == DType::complex128);
  CHECK(promote_weak(DType::float64, true, DType::complex64, false) == DType::complex64);
  CHECK(itemsize(DType::complex64) == 8);
  CHECK(itemsize(DType::complex128) == 16);
  CHECK(parse_dtype("complex") == DType::complex128);
  CHECK(parse_dtype("c8") == DType::complex64);
}

TEST_CASE("casts to complex, and back only when the imaginary part may go") {
  const Array x = Array::from_vector<double>({1.5, -2.0});
  const Array z = cast(x, DType::complex64);
  CHECK(z.item<std::complex<float>>(1) == std::complex<float>(-2.0f, 0.0f));
  // A kernel computing in a real dtype has no complex loop: a TypeError, not a dropped part.
  CHECK(error_of([] { cast(c128({C(3, 4)}), DType::float64); }).kind() == ErrorKind::type);
  CHECK(error_of([] { c128({C(3, 4)}).astype(DType::float64); }).kind() == ErrorKind::type);
  // astype's unsafe cast keeps the real part.
  const Array back = cast_discarding_imaginary(c128({C(3, 4), C(-1, 2)}), DType::int64);
  CHECK(back.item<std::int64_t>(0) == 3);
  CHECK(cast_discarding_imaginary(c128({C(0, 1)}), DType::bool_).item<bool>(0));  // 1j is nonzero
}

TEST_CASE("products and quotients follow NumPy's formulas") {
  const double inf = std::numeric_limits<double>::infinity();
  const Array a = c128({C(1, 2), C(3, -1), C(1, 1), C(inf, 0)});
  const Array b = c128({C(3, 4), C(0, 2), C(0, 0), C(0, 1)});
  const Array q = binary(BinaryOp::true_divide, a, b, DType::complex128);
  CHECK(std::abs(q.item<C>(0) - C(0.44, 0.08)) < 1e-15);  // (1+2j)/(3+4j) = (11+2j)/25
  CHECK(std::abs(q.item<C>(1) - C(-0.5, -1.5)) < 1e-15);
  CHECK(std::isinf(q.item<C>(2).real()));  // a zero divisor: the parts divided by zero
  const Array p = binary(BinaryOp::multiply, a, b, DType::complex128);
  CHECK(p.item<C>(0) == C(-5, 10));
  // (inf+0j) * 1j: NumPy's plain formula gives nan+infj (C's recovery of infinities would not).
  CHECK(std::isnan(p.item<C>(3).real()));
  CHECK(std::isinf(p.item<C>(3).imag()));
}

TEST_CASE("a kernel without a complex loop raises the user's TypeError") {
  const Error e = error_of([] { unary(UnaryOp::floor, c128({C(1, 1)})); });
  CHECK(e.kind() == ErrorKind::type);
  CHECK(std::string(e.what()).find("complex") != std::string::npos);
}

TEST_CASE("fft of a known signal, and its inverse") {
  // The transform of [1, 0, -1, 0] is [0, 2, 0, 2]; of a unit impulse, all ones.
  const Array x = Array::from_vector<double>({1, 0, -1, 0});
  const Array f = fft(x, 4, -1, true, FftNorm::backward);
  CHECK(f.dtype() == DType::complex128);
  const C want[] = {C(0, 0), C(2, 0), C(0, 0), C(2, 0)};
  for (int i = 0; i < 4; ++i) CHECK(std::abs(f.item<C>(i) - want[i]) < 1e-15);
  const Array back = fft(f, 4, 0, false, FftNorm::backward);
  for (int i = 0; i < 4; ++i) CHECK(std::abs(back.item<C>(i) - x.item<C>(i)) < 1e-15);
  const Array padded = fft(Array::from_vector<double>({1.0}, {1}), 3, 0, true, FftNorm::ortho);
  for (int i = 0; i < 3; ++i) CHECK(std::abs(padded.item<C>(i) - 1.0 / std::sqrt(3.0)) < 1e-15);
  const Array r = rfft(x, 4, 0, FftNorm::backward);
  CHECK(r.size() == 3);
  const Array real = irfft(r, 4, 0, FftNorm::backward);
  CHECK(real.dtype() == DType::float64);
  for (int i = 0; i < 4; ++i) CHECK(std::abs(real.item<double>(i) - x.item<double>(i)) < 1e-15);
  CHECK(error_of([&] { fft(x, 0, 0, true, FftNorm::backward); }).kind() == ErrorKind::value);
}

TEST_CASE("fftfreq and fftshift") {
  const Array f = fftfreq(5, 0.5, false);  // [0, 1, 2, -2, -1] / 2.5
  const double want[] = {0, 0.4, 0.8, -0.8, -0.4};
  for (int i = 0; i < 5; ++i) CHECK(f.item<double>(i) == doctest::Approx(want[i]));
  const Array s = fftshift(Array::from_vector<std::int64_t>({0, 1, 2, -2, -1}), {}, false);
  const std::int64_t shifted[] = {-2, -1, 0, 1, 2};
  for (int i = 0; i < 5; ++i) CHECK(s.item<std::int64_t>(i) == shifted[i]);
  const Array back = fftshift(s, {}, true);
  for (int i = 0; i < 5; ++i) CHECK(back.item<std::int64_t>(i) == f.item<double>(i) * 2.5);
}
