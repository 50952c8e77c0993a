// NumPy's legacy random streams. Floating-point expressions here must not be contracted into fused
// multiply-adds (CMake builds this file with -ffp-contract=off): NumPy rounds every operation.
#include "larix/kernels/random.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>

#include "larix/kernels/elementwise.hpp"

namespace larix::kernels::random {

using std::int64_t;
using std::uint32_t;
using std::uint64_t;

// ---- MT19937 (Matsumoto & Nishimura 1998) -------------------------------------------------------

namespace {
constexpr int kN = Mt19937::kStateSize;
constexpr int kM = 397;
constexpr uint32_t kMatrixA = 0x9908b0dfU;
constexpr uint32_t kUpperMask = 0x80000000U;
constexpr uint32_t kLowerMask = 0x7fffffffU;
}  // namespace

void Mt19937::init_genrand(uint32_t seed) {
  mt_[0] = seed;
  for (int i = 1; i < kN; ++i)
    mt_[i] = 1812433253U * (mt_[i - 1] ^ (mt_[i - 1] >> 30)) + static_cast<uint32_t>(i);
  index_ = kN;
}

void Mt19937::init_by_array(std::span<const uint32_t> key) {
  init_genrand(19650218U);
  const int len = static_cast<int>(key.size());
  int i = 1, j = 0;
  for (int k = std::max(kN, len); k > 0; --k) {
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1664525U)) + key[j] +
             static_cast<uint32_t>(j);
    ++i, ++j;
    if (i >= kN) mt_[0] = mt_[kN - 1], i = 1;
    if (j >= len) j = 0;
  }
  for (int k = kN - 1; k > 0; --k) {
    mt_[i] =
        (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1566083941U)) - static_cast<uint32_t>(i);
    ++i;
    if (i >= kN) mt_[0] = mt_[kN - 1], i = 1;
  }
  mt_[0] = 0x80000000U;  // the most significant bit is 1: a non-zero initial state
  index_ = kN;
}

void Mt19937::regenerate() {
  auto twist = [](uint32_t upper, uint32_t lower, uint32_t far) {
    const uint32_t y = (upper & kUpperMask) | (lower & kLowerMask);
    return far ^ (y >> 1) ^ ((y & 1U) ? kMatrixA : 0U);
  };
  int k = 0;
  for (; k < kN - kM; ++k) mt_[k] = twist(mt_[k], mt_[k + 1], mt_[k + kM]);
  for (; k < kN - 1; ++k) mt_[k] = twist(mt_[k], mt_[k + 1], mt_[k + kM - kN]);
  mt_[kN - 1] = twist(mt_[kN - 1], mt_[0], mt_[kM - 1]);
  index_ = 0;
}

uint32_t Mt19937::genrand_int32() {
  if (index_ > kN) init_genrand(5489U);  // the reference code's default seed
  if (index_ >= kN) regenerate();
  uint32_t y = mt_[index_++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= y >> 18;
  return y;
}

// ---- the legacy RandomState ---------------------------------------------------------------------

LegacyState::LegacyState() : entropy_seed_(std::random_device{}()) { seed(entropy_seed_); }

void LegacyState::seed(uint32_t s) {
  mt_.init_genrand(s);
  has_gauss_ = false;
  gauss_ = 0.0;
}

void LegacyState::seed_by_array(std::span<const uint32_t> key) {
  mt_.init_by_array(key);
  has_gauss_ = false;
  gauss_ = 0.0;
}

uint64_t LegacyState::next_uint64() {
  const uint64_t high = next_uint32();
  return (high << 32) | next_uint32();
}

double LegacyState::next_double() {
  const int32_t a = static_cast<int32_t>(next_uint32() >> 5);
  const int32_t b = static_cast<int32_t>(next_uint32() >> 6);
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

double LegacyState::gauss() {
  if (has_gauss_) {
    has_gauss_ = false;
    const double cached = gauss_;
    gauss_ = 0.0;
    return cached;
  }
  double x1, x2, r2;
  do {
    x1 = 2.0 * next_double() - 1.0;
    x2 = 2.0 * next_double() - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  const double f = std::sqrt(-2.0 * std::log(r2) / r2);
  gauss_ = f * x1;
  has_gauss_ = true;
  return f * x2;
}

namespace {
// The smallest all-ones bit mask >= v.
uint64_t mask_of(uint64_t v) {
  for (int shift = 1; shift <= 32; shift *= 2) v |= v >> shift;
  return v;
}
}  // namespace

uint64_t LegacyState::interval(uint64_t max) {
  if (max == 0) return 0;
  const uint64_t mask = mask_of(max);
  uint64_t value;
  if (max <= 0xffffffffULL) {
    do value = next_uint32() & mask;
    while (value > max);
  } else {
    do value = next_uint64() & mask;
    while (value > max);
  }
  return value;
}

uint64_t LegacyState::bounded(uint64_t off, uint64_t rng) {
  if (rng == 0) return off;
  if (rng == 0xffffffffULL) return off + next_uint32();
  if (rng == ~uint64_t{0}) return off + next_uint64();
  // Below 2^32 - 1 interval() rejects on 32-bit draws, above on 64-bit draws: randint's way too.
  return off + interval(rng);
}

std::mutex& global_state_mutex() {
  static std::mutex m;
  return m;
}

LegacyState& global_state_unlocked() {
  static LegacyState state;
  return state;
}

// ---- array algorithms ---------------------------------------------------------------------------

namespace {

std::int64_t count(const Shape& shape) {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

// A shape as Python prints a tuple: (3,), (2, 1), ().
std::string tuple_str(const Shape& shape) {
  std::string out = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + (shape.size() == 1 ? ",)" : ")");
}

// a as a C-contiguous array of dtype over `shape` (broadcast), for element-wise reads.
Array spread(const Array& a, DType dtype, const Shape& shape) {
  return cast(a, dtype).broadcast_to(shape).contiguous();
}

}  // namespace

Array random_sample(LegacyState& s, const Shape& shape) {
  Array out = Array::empty(DType::float64, shape);
  double* p = out.mutable_data<double>();
  for (int64_t i = 0, n = out.size(); i < n; ++i) p[i] = s.next_double();
  return out;
}

Array standard_normal(LegacyState& s, const Shape& shape) {
  Array out = Array::empty(DType::float64, shape);
  double* p = out.mutable_data<double>();
  for (int64_t i = 0, n = out.size(); i < n; ++i) p[i] = s.gauss();
  return out;
}

Shape broadcast_params(const std::vector<Shape>& params, const std::optional<Shape>& size) {
  // NumPy broadcasts the output (size) with the parameters, then asks that nothing grew.
  std::vector<Shape> all;
  if (size) all.push_back(*size);
  all.insert(all.end(), params.begin(), params.end());
  Shape out;
  for (std::size_t k = 0; k < all.size(); ++k) {
    const Shape& a = all[k];
    Shape next(std::max(out.size(), a.size()), 1);
    for (std::size_t i = 0; i < next.size(); ++i) {
      const int64_t x = i < next.size() - out.size() ? 1 : out[i - (next.size() - out.size())];
      const int64_t y = i < next.size() - a.size() ? 1 : a[i - (next.size() - a.size())];
      if (x != y && x != 1 && y != 1) {
        std::size_t first = 0;  // the first earlier operand the mismatch is with
        for (std::size_t m = k; m-- > 0;) {
          const Shape& b = all[m];
          const std::size_t pos = i + b.size();  // b's axis at i, right-aligned
          if (pos >= next.size() && b[pos - next.size()] != 1 && b[pos - next.size()] != y)
            first = m;
        }
        user_error(ErrorKind::value,
                   "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is "
                   "between arg ",
                   first, " with shape ", tuple_str(all[first]), " and arg ", k, " with shape ",
                   tuple_str(a), ".");
      }
      next[i] = x == 1 ? y : x;
    }
    out = std::move(next);
  }
  if (size)
    LARIX_CHECK(out == *size, value, "Output size ", tuple_str(*size),
                " is not compatible with broadcast dimensions of inputs ", tuple_str(out), ".");
  return out;
}

Array uniform(LegacyState& s, const Array& low, const Array& high, const Shape& shape) {
  // NumPy checks the ranges of the parameters (not repeated over size) before any draw.
  const Shape params = broadcast_params({low.shape(), high.shape()}, std::nullopt);
  const Array range = binary(BinaryOp::subtract, spread(high, DType::float64, params),
                             spread(low, DType::float64, params));
  for (int64_t i = 0, n = range.size(); i < n; ++i)
    LARIX_CHECK(std::isfinite(range.data<double>()[i]), overflow, "Range exceeds valid bounds");
  const Array lo = spread(low, DType::float64, shape), width = spread(range, DType::float64, shape);
  const double* pl = lo.data<double>();
  const double* pw = width.data<double>();
  Array out = Array::empty(DType::float64, shape);
  double* p = out.mutable_data<double>();
  for (int64_t i = 0, n = out.size(); i < n; ++i) p[i] = pl[i] + pw[i] * s.next_double();
  return out;
}

Array normal(LegacyState& s, const Array& loc, const Array& scale, const Shape& shape) {
  const Array sd0 = cast(scale, DType::float64).contiguous();
  for (int64_t i = 0, n = sd0.size(); i < n; ++i)
    LARIX_CHECK(!(sd0.data<double>()[i] < 0), value, "scale < 0");
  const Array mu = spread(loc, DType::float64, shape), sd = spread(scale, DType::float64, shape);
  const double* pm = mu.data<double>();
  const double* ps = sd.data<double>();
  Array out = Array::empty(DType::float64, shape);
  double* p = out.mutable_data<double>();
  for (int64_t i = 0, n = out.size(); i < n; ++i) p[i] = pm[i] + ps[i] * s.gauss();
  return out;
}

Array randint(LegacyState& s, const Array& low, const Array& high, const Shape& shape,
              DType dtype) {
  LARIX_CHECK(dtype == DType::int64 || dtype == DType::bool_, type, "Unsupported dtype dtype('",
              dtype_name(dtype), "') for randint");
  // Float bounds are truncated toward zero, as int(low) does. The bounds are checked on the
  // parameters' own broadcast, before any draw.
  const Shape params = broadcast_params({low.shape(), high.shape()}, std::nullopt);
  const char* type = dtype == DType::bool_ ? "bool" : "int64";
  {
    const Array lo = spread(low, DType::int64, params), hi = spread(high, DType::int64, params);
    const int64_t* pl = lo.data<int64_t>();
    const int64_t* ph = hi.data<int64_t>();
    bool any_low = false, empty = false;
    for (int64_t i = 0, n = lo.size(); i < n; ++i) {
      if (dtype == DType::bool_) {
        LARIX_CHECK(pl[i] >= 0, value, "low is out of bounds for ", type);
        LARIX_CHECK(ph[i] <= 2, value, "high is out of bounds for ", type);
      }
      any_low = any_low || pl[i] != 0;
      empty = empty || pl[i] >= ph[i];
    }
    LARIX_CHECK(!empty, value, any_low ? "low >= high" : "high <= 0");
  }
  const Array lo = spread(low, DType::int64, shape), hi = spread(high, DType::int64, shape);
  const int64_t n = count(shape);
  const int64_t* pl = lo.data<int64_t>();
  const int64_t* ph = hi.data<int64_t>();
  Array out = Array::empty(dtype, shape);
  if (dtype == DType::bool_) {
    // Legacy bool draws: one 32-bit draw gives 32 values, its bits from the lowest up.
    bool* p = out.mutable_data<bool>();
    uint32_t buf = 0;
    int left = 0;
    for (int64_t i = 0; i < n; ++i) {
      if (ph[i] - pl[i] == 1) {
        p[i] = pl[i] != 0;
        continue;
      }
      if (left == 0) {
        buf = s.next_uint32();
        left = 31;
      } else {
        buf >>= 1;
        --left;
      }
      p[i] = (buf & 1U) != 0;
    }
    return out;
  }
  int64_t* p = out.mutable_data<int64_t>();
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t off = static_cast<uint64_t>(pl[i]);
    const uint64_t rng = static_cast<uint64_t>(ph[i]) - 1 - off;  // closed interval [low, high-1]
    p[i] = static_cast<int64_t>(s.bounded(off, rng));
  }
  return out;
}

namespace {

// NumPy's cdf of choice: p.cumsum() (sequential), divided by its last element.
std::vector<double> normalised_cdf(const std::vector<double>& p) {
  std::vector<double> cdf(p.size());
  double acc = 0;
  for (std::size_t i = 0; i < p.size(); ++i) cdf[i] = acc += p[i];
  const double last = cdf.back();
  for (double& c : cdf) c /= last;
  return cdf;
}

int64_t search_right(const std::vector<double>& cdf, double u) {
  return std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin();
}

}  // namespace

std::vector<int64_t> choice(LegacyState& s, int64_t pop, int64_t n, bool replace,
                            const std::vector<double>& p) {
  std::vector<int64_t> out;
  out.reserve(static_cast<std::size_t>(n));
  if (replace && p.empty()) {
    if (n == 0) return out;  // NumPy's randint of no values checks no bounds
    const uint64_t rng = static_cast<uint64_t>(pop) - 1;
    for (int64_t i = 0; i < n; ++i) out.push_back(static_cast<int64_t>(s.bounded(0, rng)));
    return out;
  }
  if (replace) {
    const std::vector<double> cdf = normalised_cdf(p);
    for (int64_t i = 0; i < n; ++i) out.push_back(search_right(cdf, s.next_double()));
    return out;
  }
  if (p.empty()) {
    const std::vector<int64_t> order = shuffle_order(s, pop);
    return std::vector<int64_t>(order.begin(), order.begin() + n);
  }
  std::vector<double> left = p;
  while (static_cast<int64_t>(out.size()) < n) {
    std::vector<double> x(static_cast<std::size_t>(n) - out.size());
    for (double& u : x) u = s.next_double();
    for (int64_t k : out) left[static_cast<std::size_t>(k)] = 0;
    const std::vector<double> cdf = normalised_cdf(left);
    std::vector<bool> new_this_round(static_cast<std::size_t>(pop), false);
    for (double u : x) {
      const int64_t k = search_right(cdf, u);
      if (new_this_round[static_cast<std::size_t>(k)]) continue;
      new_this_round[static_cast<std::size_t>(k)] = true;
      out.push_back(k);
    }
  }
  return out;
}

// ---- poisson and binomial (legacy RandomState's algorithms, draw for draw) ---------------------

namespace {

// log(Gamma(x)) for x >= 1 as NumPy's legacy samplers compute it (Stirling's series with ten
// terms, x raised to at least 7 first), so that PTRS accepts exactly where NumPy's does.
double log_gamma(double x) {
  static constexpr double kCoef[10] = {
      8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04, -5.952380952380952e-04,
      8.417508417508418e-04, -1.917526917526918e-03, 6.410256410256410e-03, -2.955065359477124e-02,
      1.796443723688307e-01, -1.39243221690590e+00};
  if (x == 1.0 || x == 2.0) return 0.0;
  const int64_t shift = x < 7.0 ? static_cast<int64_t>(7 - x) : 0;
  double x0 = x + static_cast<double>(shift);
  const double inv2 = (1.0 / x0) * (1.0 / x0);
  double series = kCoef[9];
  for (int k = 8; k >= 0; --k) series = series * inv2 + kCoef[k];
  double out = series / x0 + 0.5 * std::log(2 * M_PI) + (x0 - 0.5) * std::log(x0) - x0;
  for (int64_t k = 1; k <= shift; ++k) {
    out -= std::log(x0 - 1.0);
    x0 -= 1.0;
  }
  return out;
}

int64_t poisson_draw(LegacyState& s, double lam) {
  if (lam == 0) return 0;
  if (lam < 10) {  // multiply uniforms until the product falls to exp(-lam)
    const double floor = std::exp(-lam);
    int64_t x = 0;
    for (double product = 1.0;; ++x) {
      product *= s.next_double();
      if (!(product > floor)) return x;
    }
  }
  // PTRS (Hoermann 1993): a transformed-rejection hat with a quick acceptance region.
  const double root = std::sqrt(lam), log_lam = std::log(lam);
  const double b = 0.931 + 2.53 * root;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double v_r = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const double u = s.next_double() - 0.5;
    const double v = s.next_double();
    const double us = 0.5 - std::fabs(u);
    const auto k = static_cast<int64_t>(std::floor((2 * a / us + b) * u + lam + 0.43));
    if (us >= 0.07 && v <= v_r) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -lam + static_cast<double>(k) * log_lam - log_gamma(static_cast<double>(k + 1)))
      return k;
  }
}

// Binomial(n, p) for p <= 0.5 and n * p <= 30: walk the probabilities from 0 until the uniform
// is used up; past a bound of 10 standard deviations, start again with a new uniform.
int64_t binomial_inversion(LegacyState& s, int64_t n, double p) {
  const double q = 1.0 - p;
  const double q_n = std::exp(static_cast<double>(n) * std::log(q));
  const double mean = static_cast<double>(n) * p;
  const auto bound =
      static_cast<int64_t>(std::min(static_cast<double>(n), mean + 10.0 * std::sqrt(mean * q + 1)));
  int64_t x = 0;
  double px = q_n;
  double u = s.next_double();
  while (u > px) {
    ++x;
    if (x > bound) {
      x = 0;
      px = q_n;
      u = s.next_double();
    } else {
      u -= px;
      px = (static_cast<double>(n - x + 1) * p * px) / (static_cast<double>(x) * q);
    }
  }
  return x;
}

// i + add as a double, the sum taken in integers (without overflow: wrapped as unsigned).
double as_double(int64_t i, int64_t add) {
  return static_cast<double>(
      static_cast<int64_t>(static_cast<uint64_t>(i) + static_cast<uint64_t>(add)));
}

// 1/(12x) - 1/(360x^3) + ... of Stirling's formula at x (x2 = x * x), BTPE's final test.
double stirling_tail(double x, double x2) {
  return (13680. - (462. - (132. - (99. - 140. / x2) / x2) / x2) / x2) / x / 166320.;
}

// Binomial(n, p) for p <= 0.5 and n * p > 30: BTPE (Kachitvichyanukul & Schmeiser 1988). A
// triangle, two parallelograms and two exponential tails make the hat; a candidate y is accepted
// at once in the triangle, by an explicit ratio of probabilities near the mode, or by squeezes and
// Stirling's formula far from it.
int64_t binomial_btpe(LegacyState& s, int64_t n, double p) {
  const double nd = static_cast<double>(n);
  const double r = std::min(p, 1.0 - p), q = 1.0 - r;
  const double fm = nd * r + r;
  const auto m = static_cast<int64_t>(std::floor(fm));
  const double md = static_cast<double>(m);
  const double p1 = std::floor(2.195 * std::sqrt(nd * r * q) - 4.6 * q) + 0.5;
  const double xm = md + 0.5, xl = xm - p1, xr = xm + p1;
  const double c = 0.134 + 20.5 / (15.3 + md);
  double a = (fm - xl) / (fm - xl * r);
  const double lam_l = a * (1.0 + a / 2.0);
  a = (xr - fm) / (xr * q);
  const double lam_r = a * (1.0 + a / 2.0);
  const double p2 = p1 * (1.0 + 2.0 * c), p3 = p2 + c / lam_l, p4 = p3 + c / lam_r;
  const double nrq = nd * r * q;
  for (;;) {
    const double u = s.next_double() * p4;
    double v = s.next_double();
    int64_t y = 0;
    if (u <= p1) {  // the triangle: accepted
      y = static_cast<int64_t>(std::floor(xm - p1 * v + u));
      return p > 0.5 ? n - y : y;
    }
    if (u <= p2) {  // the parallelograms
      const double x = xl + (u - p1) / c;
      v = v * c + 1.0 - std::fabs(md - x + 0.5) / p1;
      if (v > 1.0) continue;
      y = static_cast<int64_t>(std::floor(x));
    } else if (u <= p3) {  // the left tail (v == 0 is rejected: its y would not be a number)
      if (v == 0.0) continue;
      y = static_cast<int64_t>(std::floor(xl + std::log(v) / lam_l));
      if (y < 0) continue;
      v = v * (u - p2) * lam_l;
    } else {  // the right tail
      if (v == 0.0) continue;
      y = static_cast<int64_t>(std::floor(xr - std::log(v) / lam_r));
      if (y > n) continue;
      v = v * (u - p3) * lam_r;
    }
    const int64_t k = y > m ? y - m : m - y;
    const double kd = static_cast<double>(k);
    if (k <= 20 || kd >= nrq / 2.0 - 1) {  // near the mode: the ratio f(y) / f(m), explicitly
      // (n + 1 and the differences below in integers first, then as doubles, as NumPy does.)
      const double ratio = r / q, base = ratio * as_double(n, 1);
      double f = 1.0;
      if (m < y) {
        for (int64_t i = m + 1; i <= y; ++i) f *= (base / static_cast<double>(i) - ratio);
      } else if (m > y) {
        for (int64_t i = y + 1; i <= m; ++i) f /= (base / static_cast<double>(i) - ratio);
      }
      if (v > f) continue;
      return p > 0.5 ? n - y : y;
    }
    // Far from it: squeezes around the normal approximation, then Stirling's formula.
    const double rho = (kd / nrq) * ((kd * (kd / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5);
    const double t = -kd * kd / (2 * nrq);
    const double log_v = std::log(v);
    if (log_v < t - rho) return p > 0.5 ? n - y : y;
    if (log_v > t + rho) continue;
    const double x1 = as_double(y, 1), f1 = as_double(m, 1), z = as_double(n - m, 1),
                 w = as_double(n - y, 1);
    const double bound = xm * std::log(f1 / x1) + (as_double(n - m, 0) + 0.5) * std::log(z / w) +
                         as_double(y - m, 0) * std::log(w * r / (x1 * q)) +
                         stirling_tail(f1, f1 * f1) + stirling_tail(z, z * z) +
                         stirling_tail(x1, x1 * x1) + stirling_tail(w, w * w);
    if (log_v > bound) continue;
    return p > 0.5 ? n - y : y;
  }
}

int64_t binomial_draw(LegacyState& s, int64_t n, double p) {
  if (n == 0 || p == 0.0) return 0;
  if (p <= 0.5)
    return p * static_cast<double>(n) <= 30.0 ? binomial_inversion(s, n, p)
                                              : binomial_btpe(s, n, p);
  const double q = 1.0 - p;
  return n - (q * static_cast<double>(n) <= 30.0 ? binomial_inversion(s, n, q)
                                                 : binomial_btpe(s, n, q));
}

}  // namespace

Array poisson(LegacyState& s, const Array& lam, const Shape& shape, bool scalar) {
  // NumPy's largest lam: the int64 range less ten standard deviations.
  const double lam_max =
      static_cast<double>(INT64_MAX) - std::sqrt(static_cast<double>(INT64_MAX)) * 10;
  const Array given = cast(lam, DType::float64).contiguous();
  const double* g = given.data<double>();
  const int64_t count_given = given.size();
  if (scalar) {
    LARIX_CHECK(g[0] >= 0, value, "lam < 0 or lam is NaN");
    LARIX_CHECK(g[0] <= lam_max, value, "lam value too large");
  } else {
    for (int64_t i = 0; i < count_given; ++i)
      LARIX_CHECK(g[i] <= lam_max, value, "lam value too large");
    for (int64_t i = 0; i < count_given; ++i)
      LARIX_CHECK(!(g[i] < 0), value, "lam < 0 or lam contains NaNs");
  }
  const Array lams = spread(lam, DType::float64, shape);
  const double* pl = lams.data<double>();
  Array out = Array::empty(DType::int64, shape);
  int64_t* o = out.mutable_data<int64_t>();
  for (int64_t i = 0, total = out.size(); i < total; ++i) o[i] = poisson_draw(s, pl[i]);
  return out;
}

Array binomial(LegacyState& s, const Array& n, const Array& p, const Shape& shape, bool scalar) {
  const Array ps = cast(p, DType::float64).contiguous();
  for (int64_t i = 0, total = ps.size(); i < total; ++i) {
    const double v = ps.data<double>()[i];
    LARIX_CHECK(v >= 0 && v <= 1, value,
                scalar ? "p < 0, p > 1 or p is NaN" : "p < 0, p > 1 or p contains NaNs");
  }
  const Array ns = cast(n, DType::int64).contiguous();
  for (int64_t i = 0, total = ns.size(); i < total; ++i)
    LARIX_CHECK(ns.data<int64_t>()[i] >= 0, value, "n < 0");
  const Array trials = spread(n, DType::int64, shape), probs = spread(p, DType::float64, shape);
  const int64_t* pn = trials.data<int64_t>();
  const double* pp = probs.data<double>();
  Array out = Array::empty(DType::int64, shape);
  int64_t* o = out.mutable_data<int64_t>();
  for (int64_t i = 0, total = out.size(); i < total; ++i) o[i] = binomial_draw(s, pn[i], pp[i]);
  return out;
}

std::vector<int64_t> shuffle_order(LegacyState& s, int64_t n) {
  std::vector<int64_t> order(static_cast<std::size_t>(std::max<int64_t>(n, 0)));
  for (int64_t i = 0; i < n; ++i) order[i] = i;
  for (int64_t i = n - 1; i > 0; --i) {
    const auto j = static_cast<int64_t>(s.interval(static_cast<uint64_t>(i)));
    std::swap(order[i], order[j]);
  }
  return order;
}

Array take_rows(const Array& x, const std::vector<int64_t>& perm) {
  LARIX_ASSERT(x.ndim() >= 1 && static_cast<int64_t>(perm.size()) == x.dim(0),
               "take_rows: one index per row");
  const Array src = x.contiguous();
  Array out = Array::empty(x.dtype(), x.shape());
  const std::size_t row =
      static_cast<std::size_t>(x.size() / std::max<int64_t>(x.dim(0), 1)) * x.itemsize();
  char* dst = static_cast<char*>(out.mutable_bytes());
  for (std::size_t k = 0; k < perm.size(); ++k)
    if (row) std::memcpy(dst + k * row, src.bytes() + perm[k] * row, row);
  return out;
}

}  // namespace larix::kernels::random
