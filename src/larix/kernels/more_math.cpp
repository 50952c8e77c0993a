#include "larix/kernels/more_math.hpp"

#include <cmath>
#include <complex>
#include <limits>

#include "larix/kernels/complex.hpp"
#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/strided.hpp"

namespace larix::kernels {
namespace {

// out[i] = f(a[i], b[i]) over the broadcast shape; a and b hold T, out holds R.
template <class T, class R, class F>
Array map2(const Array& a, const Array& b, DType out_dtype, F f) {
  const Shape shape = broadcast_shapes(a.shape(), b.shape());
  Array out = Array::empty(out_dtype, shape);
  const Array x = a.broadcast_to(shape), y = b.broadcast_to(shape);
  auto loop = detail::make_loop<3>(
      shape, {&out.strides(), &x.strides(), &y.strides()},
      {out.mutable_bytes(), const_cast<char*>(x.bytes()), const_cast<char*>(y.bytes())});
  detail::run_loop(loop, [f](const std::array<char*, 3>& p, const std::array<std::int64_t, 3>& s,
                             std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i)
      *reinterpret_cast<R*>(p[0] + i * s[0]) =
          f(detail::at<T>(p[1], i * s[1]), detail::at<T>(p[2], i * s[2]));
  });
  return out;
}

bool close(double x, double y, double rtol, double atol, bool equal_nan) {
  if (std::isnan(x) || std::isnan(y)) return equal_nan && std::isnan(x) && std::isnan(y);
  if (std::isinf(x) || std::isinf(y)) return x == y;
  return std::fabs(x - y) <= atol + rtol * std::fabs(y);
}

}  // namespace

Array isclose(const Array& a, const Array& b, double rtol, double atol, bool equal_nan) {
  if (is_complex(a.dtype()) || is_complex(b.dtype())) {
    // NumPy's test on complex numbers: |x - y| <= atol + rtol |y| (the moduli), infinite values
    // equal only to themselves, a NaN part as NaN.
    using C = std::complex<double>;
    return map2<C, bool>(cast(a, DType::complex128), cast(b, DType::complex128), DType::bool_,
                         [=](C x, C y) {
                           const bool nx = std::isnan(x.real()) || std::isnan(x.imag());
                           const bool ny = std::isnan(y.real()) || std::isnan(y.imag());
                           if (nx || ny) return equal_nan && nx && ny;
                           const bool ix = std::isinf(x.real()) || std::isinf(x.imag());
                           const bool iy = std::isinf(y.real()) || std::isinf(y.imag());
                           if (ix || iy) return x == y;
                           return std::abs(x - y) <= atol + rtol * std::abs(y);
                         });
  }
  return map2<double, bool>(cast(a, DType::float64), cast(b, DType::float64), DType::bool_,
                            [=](double x, double y) { return close(x, y, rtol, atol, equal_nan); });
}

bool array_equal(const Array& a, const Array& b, bool equal_nan) {
  if (a.shape() != b.shape()) return false;
  const DType d = result_type(a.dtype(), b.dtype());
  const Array x = cast(a, d), y = cast(b, d);
  return visit_any_dtype(d, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const Array eq = map2<T, bool>(x, y, DType::bool_, [equal_nan](T u, T v) {
      if constexpr (std::is_floating_point_v<T>) {
        if (equal_nan && std::isnan(u) && std::isnan(v)) return true;
      } else if constexpr (is_complex_v<T>) {
        auto nan = [](T z) { return std::isnan(z.real()) || std::isnan(z.imag()); };
        if (equal_nan && nan(u) && nan(v)) return true;
      }
      return u == v;
    });
    const bool* e = eq.data<bool>();
    for (std::int64_t i = 0; i < eq.size(); ++i)
      if (!e[i]) return false;
    return true;
  });
}

Array nan_binary(NanBinaryOp op, const Array& a, const Array& b, DType dtype) {
  const Array x = cast(a, dtype), y = cast(b, dtype);
  return visit_dtype(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    return map2<T, T>(x, y, dtype, [op](T u, T v) -> T {
      if constexpr (std::is_floating_point_v<T>) {
        switch (op) {
          case NanBinaryOp::hypot: return std::hypot(u, v);
          case NanBinaryOp::fmax: return std::fmax(u, v);
          case NanBinaryOp::fmin: return std::fmin(u, v);
        }
        return T(0);
      } else {
        LARIX_ASSERT(op != NanBinaryOp::hypot, "hypot of integers");
        return op == NanBinaryOp::fmax ? (u < v ? v : u) : (v < u ? v : u);
      }
    });
  });
}

Array nan_to_num(const Array& a, double nan, std::optional<double> posinf,
                 std::optional<double> neginf) {
  if (is_complex(a.dtype()))  // each part as a real number (NumPy's)
    return complex_from_parts(nan_to_num(real_part(a), nan, posinf, neginf),
                              nan_to_num(imag_part(a), nan, posinf, neginf));
  if (!is_floating(a.dtype())) return a.copy();
  Array out = a.copy();
  visit_dtype(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_floating_point_v<T>) {
      const T n = static_cast<T>(nan);
      const T hi = posinf ? static_cast<T>(*posinf) : std::numeric_limits<T>::max();
      const T lo = neginf ? static_cast<T>(*neginf) : std::numeric_limits<T>::lowest();
      T* p = out.mutable_data<T>();
      parallel_for_chunks(out.size(), [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) {
          if (std::isnan(p[i])) p[i] = n;
          else if (std::isinf(p[i])) p[i] = p[i] > 0 ? hi : lo;
        }
      });
    }
  });
  return out;
}

}  // namespace larix::kernels
