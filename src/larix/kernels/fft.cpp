#include "larix/kernels/fft.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstring>
#include <type_traits>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/kernels/tile_pad.hpp"

#define POCKETFFT_NO_MULTITHREADING
#include "pocketfft_hdronly.h"

namespace larix::kernels {
namespace {

using std::int64_t;

void check_points(int64_t n) {
  LARIX_CHECK(n >= 1, value, "Invalid number of FFT data points (", n, ") specified.");
}

int normalized_axis(int axis, int ndim) { return normalize_axes(std::vector<int>{axis}, ndim)[0]; }

// The order of axes that puts `axis` last, and the order that puts it back.
std::vector<int> axis_last(int axis, int ndim) {
  std::vector<int> perm;
  for (int d = 0; d < ndim; ++d)
    if (d != axis) perm.push_back(d);
  perm.push_back(axis);
  return perm;
}
std::vector<int> inverse(const std::vector<int>& perm) {
  std::vector<int> back(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) back[perm[i]] = static_cast<int>(i);
  return back;
}

// a as a C-contiguous array of `dtype` with `axis` last and n long there: cut, or padded with
// zeros.
Array lines_of(const Array& a, DType dtype, int axis, int64_t n) {
  const Array x = cast(a, dtype).transpose(axis_last(axis, a.ndim())).contiguous();
  const int64_t m = x.shape().back();
  Shape shape = x.shape();
  shape.back() = n;
  if (m == n) return x;
  Array out = Array::zeros(dtype, shape);
  const int64_t lines = m == 0 ? 0 : x.size() / m;
  const std::size_t item = x.itemsize();
  const std::size_t keep = static_cast<std::size_t>(std::min(m, n)) * item;
  char* dst = out.mutable_bytes();
  for (int64_t i = 0; i < lines; ++i)
    std::memcpy(dst + i * n * item, x.bytes() + i * m * item, keep);
  return out;
}

// The lines' last axis back where `axis` was (C-contiguous).
Array put_back(const Array& lines, int axis) {
  return lines.transpose(inverse(axis_last(axis, lines.ndim()))).contiguous();
}

pocketfft::shape_t dims(const Array& a) { return {a.shape().begin(), a.shape().end()}; }
pocketfft::stride_t strides(const Array& a) { return {a.strides().begin(), a.strides().end()}; }

double scale(FftNorm norm, bool forward, int64_t n) {
  const double points = static_cast<double>(n);
  if (norm == FftNorm::ortho) return 1.0 / std::sqrt(points);
  return (norm == FftNorm::forward) == forward ? 1.0 / points : 1.0;
}

// float32 and complex64 compute in single precision, the rest in double.
bool single(DType d) { return d == DType::float32 || d == DType::complex64; }

}  // namespace

Array fft(const Array& a, int64_t n, int axis, bool forward, FftNorm norm) {
  check_points(n);
  axis = normalized_axis(axis, a.ndim());
  const DType dtype = single(a.dtype()) ? DType::complex64 : DType::complex128;
  Array lines = lines_of(a, dtype, axis, n);
  if (lines.size() == 0) return put_back(lines, axis);
  lines.unshare();
  const double fct = scale(norm, forward, n);
  const pocketfft::shape_t along{static_cast<std::size_t>(lines.ndim() - 1)};
  auto run = [&](auto* data) {
    using T = typename std::remove_pointer_t<decltype(data)>::value_type;
    pocketfft::c2c(dims(lines), strides(lines), strides(lines), along, forward, data, data,
                   static_cast<T>(fct), 1);
  };
  if (dtype == DType::complex64) run(reinterpret_cast<std::complex<float>*>(lines.mutable_bytes()));
  else run(reinterpret_cast<std::complex<double>*>(lines.mutable_bytes()));
  return put_back(lines, axis);
}

Array rfft(const Array& a, int64_t n, int axis, FftNorm norm) {
  check_points(n);
  LARIX_CHECK(!is_complex(a.dtype()), type,
              "rfft takes real input: the imaginary part of a complex array would be lost (use "
              "fft)");
  axis = normalized_axis(axis, a.ndim());
  const bool one = single(a.dtype());
  const Array in = lines_of(a, one ? DType::float32 : DType::float64, axis, n);
  Shape shape = in.shape();
  shape.back() = n / 2 + 1;
  Array out = Array::empty(one ? DType::complex64 : DType::complex128, shape);
  if (out.size() == 0) return put_back(out, axis);
  const double fct = scale(norm, true, n);
  const std::size_t last = static_cast<std::size_t>(in.ndim() - 1);
  if (one)
    pocketfft::r2c(dims(in), strides(in), strides(out), last, true, in.data<float>(),
                   reinterpret_cast<std::complex<float>*>(out.mutable_bytes()),
                   static_cast<float>(fct), 1);
  else
    pocketfft::r2c(dims(in), strides(in), strides(out), last, true, in.data<double>(),
                   reinterpret_cast<std::complex<double>*>(out.mutable_bytes()), fct, 1);
  return put_back(out, axis);
}

Array irfft(const Array& a, int64_t n, int axis, FftNorm norm) {
  check_points(n);
  axis = normalized_axis(axis, a.ndim());
  const bool one = single(a.dtype());
  const Array in = lines_of(a, one ? DType::complex64 : DType::complex128, axis, n / 2 + 1);
  Shape shape = in.shape();
  shape.back() = n;
  Array out = Array::empty(one ? DType::float32 : DType::float64, shape);
  if (out.size() == 0) return put_back(out, axis);
  const double fct = scale(norm, false, n);
  const std::size_t last = static_cast<std::size_t>(in.ndim() - 1);
  if (one)
    pocketfft::c2r(dims(out), strides(in), strides(out), last, false,
                   reinterpret_cast<const std::complex<float>*>(in.bytes()),
                   out.mutable_data<float>(), static_cast<float>(fct), 1);
  else
    pocketfft::c2r(dims(out), strides(in), strides(out), last, false,
                   reinterpret_cast<const std::complex<double>*>(in.bytes()),
                   out.mutable_data<double>(), fct, 1);
  return put_back(out, axis);
}

Array fftfreq(int64_t n, double d, bool real) {
  const double span = static_cast<double>(n) * d;
  LARIX_CHECK(span != 0, zero_division, "float division by zero");  // Python's, as in NumPy
  LARIX_CHECK(n >= 0 || real, value, "negative dimensions are not allowed");
  const double step = 1.0 / span;
  const int64_t count = real ? n / 2 + 1 : n;
  Array out = Array::empty(DType::float64, {std::max<int64_t>(count, 0)});
  double* o = out.mutable_data<double>();
  const int64_t positive = real ? count : (n - 1) / 2 + 1;  // 0, 1, ..., then -(n / 2), ..., -1
  for (int64_t i = 0; i < out.size(); ++i)
    o[i] = static_cast<double>(i < positive ? i : i - n) * step;
  return out;
}

Array fftshift(const Array& a, const std::vector<int>& axes, bool inverse_shift) {
  std::vector<int> which = axes;
  if (which.empty())
    for (int d = 0; d < a.ndim(); ++d) which.push_back(d);
  which = normalize_axes(which, a.ndim());
  std::vector<AxisMap> maps(a.ndim());
  for (int k = 0; k < a.ndim(); ++k) {
    const int64_t len = a.shape()[k];
    const bool moved = std::find(which.begin(), which.end(), k) != which.end();
    // fftshift rolls by len / 2, ifftshift back by as much.
    const int64_t shift = !moved || len == 0 ? 0 : inverse_shift ? len - len / 2 : len / 2;
    maps[k].resize(len);
    for (int64_t i = 0; i < len; ++i) maps[k][i] = (i - shift + len) % len;
  }
  return gather_axes(a, maps);
}

}  // namespace larix::kernels
