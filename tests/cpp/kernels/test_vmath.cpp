// The vectorised exp/log/tanh/sigmoid (kernels/vmath.hpp) against the C library: special inputs
// exactly as std:: gives them (NaN, ±inf, ±0, subnormals, negatives, the overflow and underflow
// thresholds), and 10^5 random inputs per range within the documented ulp bounds (the bound here
// adds glibc's own error, under 1 ulp). Run with LARIX_SIMD=sse2 as well for the SSE2 build.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "larix/kernels/vmath.hpp"

namespace vmath = larix::kernels::vmath;

namespace {

template <class T>
using Bits = std::conditional_t<sizeof(T) == 8, std::int64_t, std::int32_t>;

// Distance in units in the last place, counted along the ordered bit patterns (-0 and +0 are 0).
template <class T>
double ulps(T a, T b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0 : INFINITY;
  auto ordered = [](T x) {
    Bits<T> i;
    std::memcpy(&i, &x, sizeof x);
    return i < 0 ? std::numeric_limits<Bits<T>>::min() - i : i;
  };
  return std::fabs(static_cast<double>(static_cast<long double>(ordered(a)) - ordered(b)));
}

template <class T>
bool same_bits(T a, T b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0 || (std::isnan(a) && std::isnan(b));
}

template <class T>
struct Fn {
  const char* name;
  void (*vector)(const T*, T*, std::int64_t);
  T (*scalar)(T);
  double bound;  // ulps from the C library's value
};

template <class T>
std::vector<Fn<T>> functions() {
  const bool f64 = sizeof(T) == 8;
  return {
      {"exp", vmath::exp, [](T x) { return std::exp(x); }, f64 ? 1.5 : 1.0},
      {"log", vmath::log, [](T x) { return std::log(x); }, f64 ? 1.5 : 1.0},
      // glibc's tanhf itself is off by up to ~1.5 ulp; ours rounds the float64 value once
      {"tanh", vmath::tanh, [](T x) { return std::tanh(x); }, f64 ? 2.5 : 2.0},
      // float32 sigmoid rounds once, the C expression three times
      {"sigmoid", vmath::sigmoid, [](T x) { return T(1) / (T(1) + std::exp(-x)); }, f64 ? 3 : 2},
      {"exp2", vmath::exp2, [](T x) { return std::exp2(x); }, f64 ? 1.5 : 1.0},
      {"expm1", vmath::expm1, [](T x) { return std::expm1(x); }, f64 ? 2.0 : 1.0},
      {"log2", vmath::log2, [](T x) { return std::log2(x); }, f64 ? 2.0 : 1.0},
      // glibc's log10f itself is off by up to ~1.5 ulp
      {"log10", vmath::log10, [](T x) { return std::log10(x); }, 2.0},
      {"log1p", vmath::log1p, [](T x) { return std::log1p(x); }, f64 ? 2.0 : 1.0},
      // glibc's sinhf and coshf are themselves up to ~1.5 ulp off
      {"sinh", vmath::sinh, [](T x) { return std::sinh(x); }, f64 ? 3.0 : 2.0},
      {"cosh", vmath::cosh, [](T x) { return std::cosh(x); }, 2.0},
  };
}

template <class T>
std::vector<T> apply(const Fn<T>& f, const std::vector<T>& x) {
  std::vector<T> out(x.size());
  f.vector(x.data(), out.data(), static_cast<std::int64_t>(x.size()));
  return out;
}

template <class T>
std::vector<T> edge_values() {
  using L = std::numeric_limits<T>;
  std::vector<T> v = {T(0),
                      -T(0),
                      L::infinity(),
                      -L::infinity(),
                      L::quiet_NaN(),
                      -L::quiet_NaN(),
                      L::denorm_min(),
                      -L::denorm_min(),
                      L::min(),
                      -L::min(),
                      L::min() / 2,
                      L::max(),
                      -L::max(),
                      L::epsilon(),
                      T(1),
                      T(-1),
                      T(0.5),
                      T(2),
                      T(0.55),
                      T(-0.55),
                      T(22),
                      T(-22),
                      T(21.999),
                      T(30),
                      T(-30),
                      T(1e-300),
                      T(-1e-300),
                      T(0.7071067811865476),
                      T(1.4142135623730951),
                      T(0.6931471805599453)};
  // exp's thresholds: the largest finite result, the smallest normal and subnormal ones, and the
  // edge of the vector range (|x| <= 708).
  for (double x : {709.782712893384,
                   709.7827128933841,
                   709.79,
                   710.0,
                   -708.3964185322641,
                   -708.4,
                   -708.0,
                   708.0,
                   -707.9999,
                   707.9999,
                   -745.1332191019411,
                   -745.1332191019412,
                   -746.0,
                   -744.5,
                   88.72283,
                   88.72284,
                   -87.33654,
                   -103.97208,
                   -104.0,
                   89.0})
    v.push_back(static_cast<T>(x));
  return v;
}

}  // namespace

TEST_CASE_TEMPLATE("vmath: special inputs give exactly what the C library gives", T, double,
                   float) {
  const std::vector<T> x = edge_values<T>();
  for (const auto& f : functions<T>()) {
    CAPTURE(std::string(f.name));
    // Alone (the scalar tail), and inside a long run (the vector path with its fix-up pass).
    for (std::size_t pad : {std::size_t{0}, std::size_t{37}}) {
      std::vector<T> run(pad, T(0.25));
      run.insert(run.end(), x.begin(), x.end());
      run.insert(run.end(), pad, T(-0.75));
      const std::vector<T> got = apply(f, run);
      for (std::size_t i = 0; i < run.size(); ++i) {
        CAPTURE(run[i]);
        const T expected = f.scalar(run[i]);
        const std::string_view name = f.name;
        const T v = run[i];
        const bool special =
            std::isnan(v) || std::isinf(v) || v == 0 || std::isnan(expected) ||
            std::isinf(expected) || expected == 0 ||
            std::fabs(expected) < std::numeric_limits<T>::min() ||
            ((name == "exp" || name == "sigmoid" || name == "expm1") && std::fabs(v) > T(708)) ||
            (name == "exp2" && std::fabs(v) > T(1020)) ||
            (name.substr(0, 3) == "log" && name != "log1p" && v < std::numeric_limits<T>::min()) ||
            (name == "log1p" && v <= T(-1));
        if (special)
          CHECK_MESSAGE(same_bits(got[i], expected), got[i], " vs ",
                        expected);  // these go through the C library (or are exact)
        else CHECK(ulps(got[i], expected) <= f.bound);
      }
    }
  }
}

TEST_CASE_TEMPLATE("vmath: 10^5 random inputs per range within the ulp bound", T, double, float) {
  std::mt19937_64 rng(2024);
  struct Range {
    double lo, hi;
    bool log_uniform;
  };
  const bool f64 = sizeof(T) == 8;
  const std::vector<Range> ranges = {
      {-1, 1, false},
      {-20, 20, false},
      {-0.6, 0.6, false},
      {-1e-8, 1e-8, false},
      {f64 ? -745.0 : -104.0, f64 ? 710.0 : 89.0, false},
      {f64 ? -700.0 : -80.0, f64 ? 700.0 : 80.0, true},  // log-uniform magnitudes
  };
  for (const auto& f : functions<T>()) {
    CAPTURE(std::string(f.name));
    for (const Range& r : ranges) {
      CAPTURE(r.lo);
      CAPTURE(r.hi);
      std::vector<T> x(100000);
      std::uniform_real_distribution<double> d(r.lo, r.hi);
      for (auto& v : x) {
        v = static_cast<T>(r.log_uniform ? std::exp(d(rng)) : d(rng));
        const std::string_view name = f.name;
        if (name == "log" || name == "log2" || name == "log10") v = std::fabs(v);
      }
      const std::vector<T> got = apply(f, x);
      double worst = 0;
      T worst_x = 0;
      for (std::size_t i = 0; i < x.size(); ++i) {
        const double e = ulps(got[i], f.scalar(x[i]));
        if (e > worst) {
          worst = e;
          worst_x = x[i];
        }
      }
      CAPTURE(worst_x);
      CHECK(worst <= f.bound);
    }
  }
}
