#include "larix/kernels/vmath.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "larix/kernels/simd.hpp"

namespace larix::kernels::vmath {

namespace {

using std::int64_t;

// Vectors of W bytes (GCC vector extensions): D of doubles, I of int64 (compare results, bits),
// U of uint64 (logical shifts), DU for unaligned loads and stores.
template <int W>
struct Vec {
  typedef double D __attribute__((vector_size(W)));
  typedef int64_t I __attribute__((vector_size(W)));
  typedef std::uint64_t U __attribute__((vector_size(W)));
  typedef double DU __attribute__((vector_size(W), aligned(8), may_alias));
  static constexpr int64_t kLanes = W / 8;
};

// ln 2 split so that k * kLn2Hi is exact for |k| < 2^21 (the low 21 bits of kLn2Hi are zero).
constexpr double kLn2Hi = 0x1.62e42feep-1;
constexpr double kLn2Lo = 0x1.a39ef35793c76p-33;
constexpr double kLog2e = 0x1.71547652b82fep0;
constexpr double kShift = 0x1.8p52;  // x + kShift rounds x to an integer, held in the low bits
constexpr double kLn2 = 0x1.62e42fefa39efp-1;
constexpr double kLog10e = 0x1.bcb7b1526e50ep-2;
// log10(2) split as ln 2 is.
constexpr double kLog10_2Hi = 0x1.34413508p-2;
constexpr double kLog10_2Lo = 0x1.f79fef311f12bp-34;

// (exp(r) - 1 - r) / r^2 on |r| <= 0.354 (a bit over ln(2)/2), degree 10: interpolation at
// Chebyshev nodes in 60-digit arithmetic; relative error of exp(r) below 1e-18 before rounding.
constexpr double kExpQ[] = {0x1.0000000000000p-1,  0x1.5555555555557p-3,  0x1.5555555555556p-5,
                            0x1.111111110fe17p-7,  0x1.6c16c16c1613fp-10, 0x1.a01a01ad6369dp-13,
                            0x1.a01a01a7b14bbp-16, 0x1.71ddfd9647581p-19, 0x1.27e4d8c2b2e6cp-22,
                            0x1.af574f448311ap-26, 0x1.1f7861ab0e5c1p-29};
// R(w) / w, where log((1+s)/(1-s)) = 2s + s R(s^2), on 0 <= w <= 0.03 (|s| <= 0.1733), degree 7,
// fitted the same way; error of log below 1e-18 before rounding.
constexpr double kLogP[] = {0x1.5555555555555p-1, 0x1.9999999999a50p-2, 0x1.24924924732fdp-2,
                            0x1.c71c7207ae819p-3, 0x1.745cf666ab820p-3, 0x1.3b1cc23c236f8p-3,
                            0x1.0fafff2badc00p-3, 0x1.0c9aa26626f44p-3};

// (tanh(x) - x) / x^3 as a polynomial in w = x^2 on |x| <= 0.56, degree 10, fitted the same way;
// error of tanh below 1e-17 before rounding.
constexpr double kTanhP[] = {-0x1.5555555555555p-2,  0x1.1111111110fd9p-3,  -0x1.ba1ba1b9f49e6p-5,
                             0x1.664f487384560p-6,   -0x1.226e324ef7265p-7, 0x1.d6d318a012c9ep-9,
                             -0x1.7d95d08f04614p-10, 0x1.34b253ea057a5p-11, -0x1.eb2f1f90d81f4p-13,
                             0x1.6227bf9d410dfp-14,  -0x1.51eb0f790fd4cp-16};

// c[0] + c[1] x + ... + c[N-1] x^(N-1) by Estrin's scheme: pairs c[2i] + c[2i+1] x, then pairs
// of those with x^2, x^4, ...: a dependency chain of log2(N) steps instead of N, so that the
// vector units are not waiting on one long chain of multiply-adds.
template <class D, std::size_t N>
[[gnu::always_inline]] inline D poly(D x, const double (&c)[N]) {
  D t[(N + 1) / 2];
  for (std::size_t i = 0; i < N / 2; ++i) t[i] = c[2 * i] + c[2 * i + 1] * x;
  if constexpr (N % 2 == 1) t[N / 2] = D{} + c[N - 1];
  D power = x * x;
  for (std::size_t m = (N + 1) / 2; m > 1; m = (m + 1) / 2) {
    for (std::size_t i = 0; i < m / 2; ++i) t[i] = t[2 * i] + t[2 * i + 1] * power;
    if (m % 2 == 1) t[m / 2] = t[m - 1];
    power = power * power;
  }
  return t[0];
}

// exp(x) = 2^k (1 + q), q = expm1(r), r = x - k ln 2, |r| <= ln(2)/2. Returns q; `shifted` holds k.
template <int W>
[[gnu::always_inline]] inline typename Vec<W>::D expm1_reduced(typename Vec<W>::D x,
                                                               typename Vec<W>::D& shifted) {
  using D = typename Vec<W>::D;
  shifted = x * kLog2e + kShift;
  const D k = shifted - kShift;
  const D r = (x - k * kLn2Hi) - k * kLn2Lo;
  return r + r * r * poly(r, kExpQ);
}

template <int W>
[[gnu::always_inline]] inline typename Vec<W>::D abs(typename Vec<W>::D x) {
  using I = typename Vec<W>::I;
  return (typename Vec<W>::D)((I)x & INT64_MAX);
}

// The operations: core() on a vector of ordinary inputs; special() flags the inputs that core()
// does not handle, which fallback() (the std:: function) computes instead.
struct Exp {
  // |x| <= 708: 2^k (1 + q) stays a normal number (exp(-708.4) is the smallest normal).
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::I special(typename Vec<W>::D x) {
    return ~(abs<W>(x) <= 708.0);
  }
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::D core(typename Vec<W>::D x) {
    using D = typename Vec<W>::D;
    using U = typename Vec<W>::U;
    D shifted;
    const D y = 1.0 + expm1_reduced<W>(x, shifted);
    // y * 2^k by adding k to the exponent field (unsigned: lanes the caller replaces may wrap)
    return (D)((U)y + ((U)shifted << 52));
  }
  static double fallback(double x) { return std::exp(x); }
};

struct Sigmoid {
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::I special(typename Vec<W>::D x) {
    return Exp::special<W>(x);
  }
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::D core(typename Vec<W>::D x) {
    return 1.0 / (1.0 + Exp::core<W>(-x));
  }
  static double fallback(double x) { return 1.0 / (1.0 + std::exp(-x)); }
  // In float32, exp(-x) overflows below x = -88.72 and the C expression (and NumPy's) gives 0,
  // where float64 would give a subnormal: those inputs compute in float32.
  static bool float_special(float x) { return x < -88.0f; }
  static float float_fallback(float x) { return 1.0f / (1.0f + std::exp(-x)); }
};

struct Exp2 {
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::I special(typename Vec<W>::D x) {
    return ~(abs<W>(x) <= 1020.0);
  }
  // 2^x = 2^k exp(f ln 2), k = round(x), f = x - k exact, |f| <= 1/2.
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::D core(typename Vec<W>::D x) {
    using D = typename Vec<W>::D;
    using U = typename Vec<W>::U;
    const D shifted = x + kShift;
    const D r = (x - (shifted - kShift)) * kLn2;
    const D y = 1.0 + (r + r * r * poly(r, kExpQ));
    return (D)((U)y + ((U)shifted << 52));
  }
  static double fallback(double x) { return std::exp2(x); }
};

struct Expm1 {
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::I special(typename Vec<W>::D x) {
    return ~(abs<W>(x) <= 708.0);
  }
  // expm1(x) = 2^k q + (2^k - 1): exactly q near 0 (k = 0), so no cancellation there. The result
  // has x's sign (expm1(-0) = -0).
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::D core(typename Vec<W>::D x) {
    using D = typename Vec<W>::D;
    using I = typename Vec<W>::I;
    using U = typename Vec<W>::U;
    D shifted;
    const D q = expm1_reduced<W>(x, shifted);
    const D two_k = (D)(((U)shifted << 52) + 0x3ff0000000000000);
    const D y = two_k * q + (two_k - 1.0);
    return (D)(((I)y & INT64_MAX) | ((I)x & INT64_MIN));
  }
  static double fallback(double x) { return std::expm1(x); }
};

struct Sinh {
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::I special(typename Vec<W>::D x) {
    return Expm1::special<W>(x);
  }
  // sinh|x| = (t + t / (t + 1)) / 2 with t = expm1|x|: no cancellation near 0; x's sign back.
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::D core(typename Vec<W>::D x) {
    using D = typename Vec<W>::D;
    using I = typename Vec<W>::I;
    const D t = Expm1::core<W>(abs<W>(x));
    const D y = 0.5 * (t + t / (t + 1.0));
    return (D)((I)y | ((I)x & INT64_MIN));
  }
  static double fallback(double x) { return std::sinh(x); }
};

struct Cosh {
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::I special(typename Vec<W>::D x) {
    return Exp::special<W>(x);
  }
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::D core(typename Vec<W>::D x) {
    const typename Vec<W>::D e = Exp::core<W>(abs<W>(x));
    return 0.5 * e + 0.5 / e;
  }
  static double fallback(double x) { return std::cosh(x); }
};

// x = 2^k z with sqrt(1/2) <= z < sqrt(2), for a positive normal x; returns log(z) as far as its
// small correction terms (log(z) = f - (hfsq - tail)), and k as a double.
template <int W>
[[gnu::always_inline]] inline void log_parts(typename Vec<W>::D x, typename Vec<W>::D& kd,
                                             typename Vec<W>::D& f, typename Vec<W>::D& hfsq,
                                             typename Vec<W>::D& tail) {
  using D = typename Vec<W>::D;
  using I = typename Vec<W>::I;
  using U = typename Vec<W>::U;
  // Subtracting the bits of sqrt(1/2) carries into the exponent field exactly when the mantissa
  // is at least sqrt(1/2)'s.
  constexpr int64_t kSqrtHalf = 0x3fe6a09e667f3bcd;
  constexpr int64_t kExpMask = static_cast<int64_t>(0xfff0000000000000ULL);
  // Unsigned bit arithmetic: lanes the caller replaces (negative, NaN) may wrap around.
  const U ux = (U)x;
  const U t = ux - kSqrtHalf;
  const I k = (I)((t + (std::uint64_t{1023} << 52)) >> 52) - 1023;
  const D z = (D)(ux - (t & kExpMask));
  kd = (D)(k + 0x4338000000000000) - kShift;  // int64 -> double, |k| < 2^51
  // log(z) = log(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2)), s = f / (2 + f): the large terms exact
  // or nearly, the polynomial only in a small correction.
  f = z - 1.0;
  const D s = f / (2.0 + f);
  const D w = s * s;
  const D r = w * poly(w, kLogP);
  hfsq = 0.5 * f * f;
  tail = s * (hfsq + r);
}

// Positive normal numbers: one unsigned compare of the bits (below DBL_MIN, or negative, wraps
// around to large); not 0, negatives, subnormals, inf, NaN.
template <int W>
[[gnu::always_inline]] inline typename Vec<W>::I not_positive_normal(typename Vec<W>::D x) {
  using U = typename Vec<W>::U;
  return (typename Vec<W>::I)((U)x - 0x0010000000000000 >= 0x7fe0000000000000);
}

struct Log {
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::I special(typename Vec<W>::D x) {
    return not_positive_normal<W>(x);
  }
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::D core(typename Vec<W>::D x) {
    typename Vec<W>::D kd, f, hfsq, tail;
    log_parts<W>(x, kd, f, hfsq, tail);
    return kd * kLn2Hi + (f - (hfsq - (tail + kd * kLn2Lo)));
  }
  static double fallback(double x) { return std::log(x); }
};

struct Log2 {  // k + log(z) / ln 2
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::I special(typename Vec<W>::D x) {
    return not_positive_normal<W>(x);
  }
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::D core(typename Vec<W>::D x) {
    typename Vec<W>::D kd, f, hfsq, tail;
    log_parts<W>(x, kd, f, hfsq, tail);
    return kd + (f - (hfsq - tail)) * kLog2e;
  }
  static double fallback(double x) { return std::log2(x); }
};

struct Log10 {  // k log10(2) + log(z) log10(e)
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::I special(typename Vec<W>::D x) {
    return not_positive_normal<W>(x);
  }
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::D core(typename Vec<W>::D x) {
    typename Vec<W>::D kd, f, hfsq, tail;
    log_parts<W>(x, kd, f, hfsq, tail);
    return kd * kLog10_2Hi + ((f - (hfsq - tail)) * kLog10e + kd * kLog10_2Lo);
  }
  static double fallback(double x) { return std::log10(x); }
};

struct Log1p {
  // u = 1 + x must be a positive normal number: x > -1, finite.
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::I special(typename Vec<W>::D x) {
    return not_positive_normal<W>(1.0 + x);
  }
  // log(1 + x) = log(u) + c / u, where c = x - (u - 1) is the rounding error of u = 1 + x; the
  // result has x's sign (log1p(-0) = -0).
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::D core(typename Vec<W>::D x) {
    using D = typename Vec<W>::D;
    using I = typename Vec<W>::I;
    const D u = 1.0 + x;
    const D y = Log::core<W>(u) + (x - (u - 1.0)) / u;
    return (D)(((I)y & INT64_MAX) | ((I)x & INT64_MIN));
  }
  static double fallback(double x) { return std::log1p(x); }
};

struct Tanh {
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::I special(typename Vec<W>::D x) {
    return x != x;
  }
  // Below |x| = 0.55, tanh|x| = |x| + |x|^3 P(x^2). Above, tanh|x| = 1 - 2 / (e + 1) with
  // e = exp(2|x|) (the quotient is at most 1/2, so its error shrinks), |x| clamped to 22, where
  // tanh is 1 in double. Both are computed, without branches; the sign is put back at the end.
  template <int W>
  [[gnu::always_inline]] static typename Vec<W>::D core(typename Vec<W>::D x) {
    using D = typename Vec<W>::D;
    using I = typename Vec<W>::I;
    const D a = abs<W>(x);
    const D w = a * a;
    const D near_zero = a + a * w * poly(w, kTanhP);
    const D e = Exp::core<W>(2.0 * (a < 22.0 ? a : 22.0));
    const D far = 1.0 - 2.0 / (e + 1.0);
    const D th = a < 0.55 ? near_zero : far;
    return (D)((I)th | ((I)x & INT64_MIN));
  }
  static double fallback(double x) { return std::tanh(x); }
};

// out[0, n) = Op(x[0, n)), n small (a block): vectors, then the special inputs again one by one.
// The last, partial vector is padded (with its last value), so that a value's result does not
// depend on where it is in the array: the same bits in a contiguous run, a strided view, one
// element alone or a fused block.
template <int W, class Op>
[[gnu::always_inline]] inline void map_body(const double* __restrict x, double* __restrict out,
                                            int64_t n) {
  using V = Vec<W>;
  constexpr int64_t L = V::kLanes;
  typename V::I any_special = {};
  int64_t i = 0;
  for (; i + L <= n; i += L) {
    const typename V::D v = *reinterpret_cast<const typename V::DU*>(x + i);
    any_special |= Op::template special<W>(v);
    *reinterpret_cast<typename V::DU*>(out + i) = Op::template core<W>(v);
  }
  if (i < n) {
    typename V::D v, r;
    for (int64_t l = 0; l < L; ++l) v[l] = x[std::min(i + l, n - 1)];
    any_special |= Op::template special<W>(v);
    r = Op::template core<W>(v);
    for (int64_t j = i; j < n; ++j) out[j] = r[j - i];
  }
  bool redo = false;
  for (int64_t j = 0; j < L; ++j) redo = redo || any_special[j] != 0;
  if (!redo) return;
  for (int64_t j = 0; j < n; j += L) {
    typename V::D v;
    for (int64_t l = 0; l < L; ++l) v[l] = x[std::min(j + l, n - 1)];
    const typename V::I flags = Op::template special<W>(v);
    for (int64_t l = 0; l < L && j + l < n; ++l)
      if (flags[l]) out[j + l] = Op::fallback(x[j + l]);
  }
}

template <class Op>
LARIX_TARGET_AVX2_FMA void map_avx2(const double* x, double* out, int64_t n) {
  map_body<32, Op>(x, out, n);
}

constexpr int64_t kBlock = 512;  // the special inputs are looked up again while in L1

template <class Op>
LARIX_TARGET_AVX512 void map_avx512(const double* x, double* out, int64_t n) {
  map_body<64, Op>(x, out, n);
}

template <class Op>
void map(const double* x, double* out, int64_t n) {
  const bool avx2 = larix::kernels::detail::cpu_has_avx2();
  const bool avx512 = larix::kernels::detail::cpu_has_avx512();
  for (int64_t b = 0; b < n; b += kBlock) {
    const int64_t len = std::min(kBlock, n - b);
    if (avx512) map_avx512<Op>(x + b, out + b, len);
    else if (avx2) map_avx2<Op>(x + b, out + b, len);
    else map_body<16, Op>(x + b, out + b, len);
  }
}

// float32 through float64: one rounding at the end.
template <class Op>
void map(const float* x, float* out, int64_t n) {
  double in[kBlock], res[kBlock];
  for (int64_t b = 0; b < n; b += kBlock) {
    const int64_t len = std::min(kBlock, n - b);
    for (int64_t i = 0; i < len; ++i) in[i] = x[b + i];
    map<Op>(in, res, len);
    for (int64_t i = 0; i < len; ++i) out[b + i] = static_cast<float>(res[i]);
    if constexpr (requires { Op::float_special(0.0f); })
      for (int64_t i = b; i < b + len; ++i)
        if (Op::float_special(x[i])) out[i] = Op::float_fallback(x[i]);
  }
}

}  // namespace

void exp(const double* x, double* out, int64_t n) { map<Exp>(x, out, n); }
void exp(const float* x, float* out, int64_t n) { map<Exp>(x, out, n); }
void log(const double* x, double* out, int64_t n) { map<Log>(x, out, n); }
void log(const float* x, float* out, int64_t n) { map<Log>(x, out, n); }
void tanh(const double* x, double* out, int64_t n) { map<Tanh>(x, out, n); }
void tanh(const float* x, float* out, int64_t n) { map<Tanh>(x, out, n); }
void sigmoid(const double* x, double* out, int64_t n) { map<Sigmoid>(x, out, n); }
void sigmoid(const float* x, float* out, int64_t n) { map<Sigmoid>(x, out, n); }
void exp2(const double* x, double* out, int64_t n) { map<Exp2>(x, out, n); }
void exp2(const float* x, float* out, int64_t n) { map<Exp2>(x, out, n); }
void expm1(const double* x, double* out, int64_t n) { map<Expm1>(x, out, n); }
void expm1(const float* x, float* out, int64_t n) { map<Expm1>(x, out, n); }
void log2(const double* x, double* out, int64_t n) { map<Log2>(x, out, n); }
void log2(const float* x, float* out, int64_t n) { map<Log2>(x, out, n); }
void log10(const double* x, double* out, int64_t n) { map<Log10>(x, out, n); }
void log10(const float* x, float* out, int64_t n) { map<Log10>(x, out, n); }
void log1p(const double* x, double* out, int64_t n) { map<Log1p>(x, out, n); }
void log1p(const float* x, float* out, int64_t n) { map<Log1p>(x, out, n); }
void sinh(const double* x, double* out, int64_t n) { map<Sinh>(x, out, n); }
void sinh(const float* x, float* out, int64_t n) { map<Sinh>(x, out, n); }
void cosh(const double* x, double* out, int64_t n) { map<Cosh>(x, out, n); }
void cosh(const float* x, float* out, int64_t n) { map<Cosh>(x, out, n); }

}  // namespace larix::kernels::vmath
