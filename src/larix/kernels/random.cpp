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
