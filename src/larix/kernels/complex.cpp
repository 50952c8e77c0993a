#include "larix/kernels/complex.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "larix/kernels/parallel.hpp"
#include "larix/kernels/reduce.hpp"

namespace larix::kernels {
namespace {

using std::int64_t;

// The product as NumPy computes it: four real products, no recovery of infinities (C's
// operator* and libstdc++'s may take another path for inf and nan parts).
template <class C>
C multiply(C a, C b) {
  return C(a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real());
}

// Smith's division, scaled by the larger part of the divisor (NumPy's formula); a zero divisor
// divides the parts by zero (inf or nan, as NumPy gives).
template <class C>
C divide(C a, C b) {
  using T = typename C::value_type;
  const T br = b.real(), bi = b.imag();
  const T abs_r = std::fabs(br), abs_i = std::fabs(bi);
  if (abs_r >= abs_i) {
    if (abs_r == 0 && abs_i == 0) return C(a.real() / abs_r, a.imag() / abs_r);
    const T ratio = bi / br;
    const T scale = T(1) / (br + bi * ratio);
    return C((a.real() + a.imag() * ratio) * scale, (a.imag() - a.real() * ratio) * scale);
  }
  const T ratio = br / bi;
  const T scale = T(1) / (bi + br * ratio);
  return C((a.real() * ratio + a.imag()) * scale, (a.imag() * ratio - a.real()) * scale);
}

// a ** b as NumPy computes it: 1 for b == 0; for a == 0, 0 when b is a positive real, else nan;
// a whole real b of magnitude below 100 by repeated squaring (NumPy's product formula, 1 / the
// power for a negative b); anything else by the C library's complex power (whose infinite and
// NaN parts may differ from NumPy's).
template <class C>
C power(C a, C b) {
  using T = typename C::value_type;
  if (b.real() == 0 && b.imag() == 0) return C(1, 0);
  if (a.real() == 0 && a.imag() == 0) {
    if (b.real() > 0 && b.imag() == 0) return C(0, 0);
    const T nan = std::numeric_limits<T>::quiet_NaN();
    return C(nan, nan);
  }
  if (b.imag() == 0 && b.real() == std::trunc(b.real()) && std::fabs(b.real()) < 100) {
    auto n = static_cast<std::int64_t>(b.real());
    if (n == 1) return a;  // 1, 2 and 3 unrolled, as NumPy (infinite parts fare better)
    if (n == 2) return multiply(a, a);
    if (n == 3) return multiply(a, multiply(a, a));
    const bool negative = n < 0;
    if (negative) n = -n;
    C result(1, 0), base = a;
    for (std::int64_t mask = 1; mask <= n; mask <<= 1) {
      if (n & mask) result = multiply(result, base);
      base = multiply(base, base);
    }
    return negative ? divide(C(1, 0), result) : result;
  }
  return std::pow(a, b);
}

// An operand of each_pair over `shape`: its elements in C order (step 1), or its one value
// (step 0: a scalar is not spread into a full array first).
template <class C>
struct Operand {
  Array held;
  const C* data;
  int64_t step;
};
template <class C>
Operand<C> operand(const Array& a, DType compute, const Shape& shape) {
  const Array x = cast(a, compute);
  if (x.size() == 1) return {x, x.template data<C>(), 0};
  const Array line = x.broadcast_to(shape).contiguous();
  return {line, line.template data<C>(), 1};
}

template <class C, class Op>
Array each_pair(const Operand<C>& x, const Operand<C>& y, const Shape& shape, DType result, Op op) {
  Array out = Array::empty(result, shape);
  const C* px = x.data;
  const C* py = y.data;
  const int64_t sx = x.step, sy = y.step;
  visit_any_dtype(result, [&](auto tag) {
    using R = typename decltype(tag)::type;
    if constexpr (std::is_invocable_r_v<R, Op, C, C>) {
      R* o = out.mutable_data<R>();
      parallel_for_chunks(out.size(), [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) o[i] = op(px[i * sx], py[i * sy]);
      });
    }
  });
  return out;
}

template <class C, class Op>
Array each(const Array& x, DType result, Op op) {
  Array out = Array::empty(result, x.shape());
  const C* px = x.data<C>();
  visit_any_dtype(result, [&](auto tag) {
    using R = typename decltype(tag)::type;
    if constexpr (std::is_invocable_r_v<R, Op, C>) {
      R* o = out.mutable_data<R>();
      parallel_for_chunks(out.size(), [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) o[i] = op(px[i]);
      });
    }
  });
  return out;
}

// Pairwise summation of n values (NumPy's: blocks of 8 added in order below 128 values).
template <class C>
C pairwise(const C* p, int64_t n) {
  if (n <= 128) {
    C s(0);
    for (int64_t i = 0; i < n; ++i) s += p[i];
    return s;
  }
  const int64_t half = (n / 2) - (n / 2) % 8;
  return pairwise(p, half) + pairwise(p + half, n - half);
}

template <class C>
bool has_nan(C v) {
  return std::isnan(v.real()) || std::isnan(v.imag());
}

// p < q in NumPy's order of complex numbers: by real part, then by imaginary part.
template <class C>
bool lexicographic_less(C p, C q) {
  return p.real() < q.real() || (p.real() == q.real() && p.imag() < q.imag());
}

// maximum/minimum: p when it has a NaN or `keep_p`, else q unless q has a NaN.
template <class C>
C nan_or(C p, C q, bool keep_p) {
  if (has_nan(p)) return p;
  if (has_nan(q)) return q;
  return keep_p ? p : q;
}

// Calls f(TypeTag<C>) with the std::complex type of a complex dtype.
template <class F>
decltype(auto) visit_complex(DType dtype, F&& f) {
  if (dtype == DType::complex64) return f(TypeTag<std::complex<float>>{});
  LARIX_ASSERT(dtype == DType::complex128, "not a complex dtype: ", dtype_name(dtype));
  return f(TypeTag<std::complex<double>>{});
}

}  // namespace

Array complex_binary(BinaryOp op, const Array& a, const Array& b, DType compute,
                     const Shape& shape) {
  return visit_complex(compute, [&](auto tag) {
    using C = typename decltype(tag)::type;
    const Operand<C> x = operand<C>(a, compute, shape), y = operand<C>(b, compute, shape);
    auto run = [&](DType result, auto f) { return each_pair<C>(x, y, shape, result, f); };
    switch (op) {
      case BinaryOp::add: return run(compute, [](C p, C q) { return p + q; });
      case BinaryOp::subtract: return run(compute, [](C p, C q) { return p - q; });
      case BinaryOp::multiply: return run(compute, multiply<C>);
      case BinaryOp::true_divide: return run(compute, divide<C>);
      case BinaryOp::power: return run(compute, power<C>);
      case BinaryOp::equal: return run(DType::bool_, [](C p, C q) { return p == q; });
      case BinaryOp::not_equal: return run(DType::bool_, [](C p, C q) { return p != q; });
      // NumPy orders complex numbers lexicographically (real part, then imaginary); a NaN in
      // either part wins (the first operand's when both have one).
      case BinaryOp::maximum:
        return run(compute, [](C p, C q) { return nan_or(p, q, !lexicographic_less(p, q)); });
      case BinaryOp::minimum:
        return run(compute, [](C p, C q) { return nan_or(p, q, !lexicographic_less(q, p)); });
      default: complex_unsupported();
    }
  });
}

Array complex_unary(UnaryOp op, const Array& a) {
  const Array x = a.contiguous();
  return visit_complex(a.dtype(), [&](auto tag) {
    using C = typename decltype(tag)::type;
    using T = typename C::value_type;
    const DType real = dtype_of<T>(), self = a.dtype();
    switch (op) {
      case UnaryOp::negative: return each<C>(x, self, [](C v) { return C(-v.real(), -v.imag()); });
      case UnaryOp::square: return each<C>(x, self, [](C v) { return multiply(v, v); });
      case UnaryOp::absolute:
        return each<C>(x, real, [](C v) { return std::hypot(v.real(), v.imag()); });
      case UnaryOp::isnan:
        return each<C>(x, DType::bool_,
                       [](C v) { return std::isnan(v.real()) || std::isnan(v.imag()); });
      case UnaryOp::isinf:
        return each<C>(x, DType::bool_,
                       [](C v) { return std::isinf(v.real()) || std::isinf(v.imag()); });
      case UnaryOp::isfinite:
        return each<C>(x, DType::bool_,
                       [](C v) { return std::isfinite(v.real()) && std::isfinite(v.imag()); });
      case UnaryOp::exp: return each<C>(x, self, [](C v) { return std::exp(v); });
      case UnaryOp::log: return each<C>(x, self, [](C v) { return std::log(v); });
      case UnaryOp::sqrt: return each<C>(x, self, [](C v) { return std::sqrt(v); });
      // NumPy's: the natural logarithm scaled by log10(e) / log2(e).
      case UnaryOp::log10:
        return each<C>(x, self, [](C v) { return std::log(v) * T(0.434294481903251827651); });
      case UnaryOp::log2:
        return each<C>(x, self, [](C v) { return std::log(v) * T(1.442695040888963407360); });
      case UnaryOp::sin: return each<C>(x, self, [](C v) { return std::sin(v); });
      case UnaryOp::cos: return each<C>(x, self, [](C v) { return std::cos(v); });
      case UnaryOp::tan: return each<C>(x, self, [](C v) { return std::tan(v); });
      case UnaryOp::sinh: return each<C>(x, self, [](C v) { return std::sinh(v); });
      case UnaryOp::cosh: return each<C>(x, self, [](C v) { return std::cosh(v); });
      case UnaryOp::tanh: return each<C>(x, self, [](C v) { return std::tanh(v); });
      // The inverse functions with C99's branch cuts (std::asin ... of <complex>), as NumPy's.
      case UnaryOp::arcsin: return each<C>(x, self, [](C v) { return std::asin(v); });
      case UnaryOp::arccos: return each<C>(x, self, [](C v) { return std::acos(v); });
      case UnaryOp::arctan: return each<C>(x, self, [](C v) { return std::atan(v); });
      case UnaryOp::arcsinh: return each<C>(x, self, [](C v) { return std::asinh(v); });
      case UnaryOp::arccosh: return each<C>(x, self, [](C v) { return std::acosh(v); });
      case UnaryOp::arctanh: return each<C>(x, self, [](C v) { return std::atanh(v); });
      case UnaryOp::exp2:
        return each<C>(x, self, [](C v) { return std::exp(v * T(0.693147180559945309417)); });
      // NumPy's formulas, accurate near 0: expm1(x + iy) = expm1(x) cos y - 2 sin^2(y/2) +
      // i e^x sin y; log1p(z) = log|1 + z| + i arg(1 + z).
      case UnaryOp::expm1:
        return each<C>(x, self, [](C v) {
          const T h = std::sin(v.imag() / 2);
          return C(std::expm1(v.real()) * std::cos(v.imag()) - 2 * h * h,
                   std::exp(v.real()) * std::sin(v.imag()));
        });
      case UnaryOp::log1p:
        return each<C>(x, self, [](C v) {
          return C(std::log(std::hypot(v.real() + 1, v.imag())),
                   std::atan2(v.imag(), v.real() + 1));
        });
      default: complex_unsupported();
    }
  });
}

Array real_part(const Array& a) {
  if (!is_complex(a.dtype())) return a;
  const Array x = a.contiguous();
  return visit_complex(a.dtype(), [&](auto tag) {
    using C = typename decltype(tag)::type;
    return each<C>(x, real_of(a.dtype()), [](C v) { return v.real(); });
  });
}

Array imag_part(const Array& a) {
  if (!is_complex(a.dtype())) return Array::zeros(a.dtype(), a.shape());
  const Array x = a.contiguous();
  return visit_complex(a.dtype(), [&](auto tag) {
    using C = typename decltype(tag)::type;
    return each<C>(x, real_of(a.dtype()), [](C v) { return v.imag(); });
  });
}

Array conjugate(const Array& a) {
  if (a.dtype() == DType::bool_) return cast(a, DType::int64);  // NumPy's loop: int8 for bools
  if (!is_complex(a.dtype())) return a;
  const Array x = a.contiguous();
  return visit_complex(a.dtype(), [&](auto tag) {
    using C = typename decltype(tag)::type;
    return each<C>(x, a.dtype(), [](C v) { return C(v.real(), -v.imag()); });
  });
}

Array complex_from_parts(const Array& re, const Array& im) {
  LARIX_ASSERT(re.shape() == im.shape() && re.dtype() == im.dtype() && is_floating(re.dtype()),
               "complex_from_parts: two real arrays of one shape and dtype");
  const DType dtype = complex_of(re.dtype());
  const Array r = re.contiguous(), i = im.contiguous();
  Array out = Array::empty(dtype, re.shape());
  visit_complex(dtype, [&](auto tag) {
    using C = typename decltype(tag)::type;
    using T = typename C::value_type;
    C* o = out.mutable_data<C>();
    for (int64_t k = 0, n = out.size(); k < n; ++k) o[k] = C(r.data<T>()[k], i.data<T>()[k]);
  });
  return out;
}

Array angle(const Array& a, bool degrees) {
  // The parts in their dtype: complex64 -> float32, float32 stays, the rest in float64.
  const DType parts = is_complex(a.dtype())         ? real_of(a.dtype())
                      : a.dtype() == DType::float32 ? DType::float32
                                                    : DType::float64;
  const Array re = cast(real_part(a), parts), im = cast(imag_part(a), parts);
  Array out = binary(BinaryOp::arctan2, im, re, parts);
  if (!degrees) return out;
  const Array factor = cast(Array::scalar(180.0 / M_PI), parts);
  return binary(BinaryOp::multiply, out, factor, parts);
}

namespace {

// The reduction of a complex `a` over `axes`: f(line, length) for each result element, the
// kept axes first and the reduced ones last making one contiguous line per result element.
template <class C, class F>
Array over_lines(const Array& a, const std::optional<std::vector<int>>& axes, bool keepdims, F f) {
  const std::vector<int> reduced = normalize_axes(axes, a.ndim());
  std::vector<int> perm;
  for (int d = 0; d < a.ndim(); ++d)
    if (std::find(reduced.begin(), reduced.end(), d) == reduced.end()) perm.push_back(d);
  int64_t line = 1;
  for (int d : reduced) {
    perm.push_back(d);
    line *= a.shape()[d];
  }
  const Array lines = a.transpose(perm).contiguous();
  Array out = Array::empty(a.dtype(), reduced_shape(a.shape(), reduced, keepdims));
  const C* p = lines.data<C>();
  C* o = out.mutable_data<C>();
  for (int64_t i = 0, n = out.size(); i < n; ++i) o[i] = f(p + i * line, line);
  return out;
}

}  // namespace

Array complex_prod(const Array& a, const std::optional<std::vector<int>>& axes, bool keepdims) {
  return visit_complex(a.dtype(), [&](auto tag) {
    using C = typename decltype(tag)::type;
    return over_lines<C>(a, axes, keepdims, [](const C* p, int64_t n) {
      C acc(1);
      for (int64_t i = 0; i < n; ++i) acc = multiply(acc, p[i]);
      return acc;
    });
  });
}

Array complex_cumulative(bool product, const Array& a, std::optional<int> axis) {
  const Array x = axis ? a : a.reshape({a.size()});
  const int k = axis ? normalize_axes(std::vector<int>{*axis}, a.ndim())[0] : 0;
  // The axis last, one contiguous line per run.
  std::vector<int> perm;
  for (int d = 0; d < x.ndim(); ++d)
    if (d != k) perm.push_back(d);
  perm.push_back(k);
  std::vector<int> back(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) back[perm[i]] = static_cast<int>(i);
  Array lines = x.transpose(perm).copy();
  const int64_t len = x.ndim() ? x.shape()[k] : 1;
  visit_complex(a.dtype(), [&](auto tag) {
    using C = typename decltype(tag)::type;
    C* p = lines.mutable_data<C>();
    for (int64_t start = 0; len > 0 && start < lines.size(); start += len)
      for (int64_t i = start + 1; i < start + len; ++i)
        p[i] = product ? multiply(p[i - 1], p[i]) : p[i - 1] + p[i];
  });
  return lines.transpose(back).contiguous();
}

Array complex_sum(const Array& a, const std::optional<std::vector<int>>& axes, bool keepdims) {
  return visit_complex(a.dtype(), [&](auto tag) {
    using C = typename decltype(tag)::type;
    return over_lines<C>(a, axes, keepdims, pairwise<C>);
  });
}

}  // namespace larix::kernels
