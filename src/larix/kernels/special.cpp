#include "larix/kernels/special.hpp"

#include <cmath>
#include <limits>
#include <numeric>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/parallel.hpp"
#include "larix/kernels/reduce.hpp"

namespace larix::kernels {

using std::int64_t;

DType special_float_dtype(DType input) {
  return input == DType::float32 ? DType::float32 : DType::float64;
}

namespace {

// The input laid out as rows: the kept axes first (outer), the reduced ones last (one row each),
// contiguous, in the compute dtype.
struct Rows {
  Array data;                // (outer, inner) C-contiguous
  std::vector<int> perm;     // the axis order of `data` before flattening
  Shape permuted;            // the shape in that order
  std::vector<int> reduced;  // normalised reduced axes
  int64_t outer = 1, inner = 1;
};

Rows as_rows(const Array& x, const std::optional<std::vector<int>>& axes) {
  Rows r;
  const int nd = x.ndim();
  if (nd == 0 && axes) {  // scipy reduces a 0-d input over axis 0 or -1
    for (int k : *axes)
      LARIX_CHECK(k == 0 || k == -1, axis, "axis ", k,
                  " is out of bounds for array of dimension 0");
  } else {
    r.reduced = normalize_axes(axes, nd);
  }
  std::vector<bool> is_reduced(nd, false);
  for (int k : r.reduced) is_reduced[k] = true;
  for (int k = 0; k < nd; ++k)
    if (!is_reduced[k]) r.perm.push_back(k), r.outer *= x.shape()[k];
  for (int k : r.reduced) r.perm.push_back(k), r.inner *= x.shape()[k];
  for (int k : r.perm) r.permuted.push_back(x.shape()[k]);
  r.data = cast(x, special_float_dtype(x.dtype())).transpose(r.perm).contiguous();
  return r;
}

// Grain (in rows) that gives each task about kDefaultGrain elements.
int64_t row_grain(int64_t inner) {
  return std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(inner, 1));
}

// max(x[0..n)) with NaN propagating; -inf for n == 0. Chunks of a long row run in parallel.
template <class T>
T row_max(const T* x, int64_t n) {
  auto serial = [x](int64_t b, int64_t e) {
    T m = -std::numeric_limits<T>::infinity();
    for (int64_t i = b; i < e; ++i)
      if (x[i] > m || std::isnan(x[i])) m = std::isnan(m) ? m : x[i];
    return m;
  };
  if (n <= kDefaultGrain) return serial(0, n);
  const int64_t chunks = (n + kDefaultGrain - 1) / kDefaultGrain;
  std::vector<T> part(chunks);
  parallel_for_chunks(chunks, 1, [&](int64_t c0, int64_t c1) {
    for (int64_t c = c0; c < c1; ++c)
      part[c] = serial(c * kDefaultGrain, std::min(n, (c + 1) * kDefaultGrain));
  });
  T m = part[0];
  for (T p : part)
    if (p > m || std::isnan(p)) m = std::isnan(m) ? m : p;
  return m;
}

// sum(exp(x[i] - shift)) in double; when `out` is given it also receives the exp terms. Fixed
// chunks combined in order: the result does not depend on the number of threads.
template <class T>
double row_exp_sum(const T* x, int64_t n, T shift, T* out) {
  auto serial = [=](int64_t b, int64_t e) {
    double s = 0;
    for (int64_t i = b; i < e; ++i) {
      const T v = std::exp(x[i] - shift);
      if (out) out[i] = v;
      s += static_cast<double>(v);
    }
    return s;
  };
  if (n <= kDefaultGrain) return serial(0, n);
  const int64_t chunks = (n + kDefaultGrain - 1) / kDefaultGrain;
  std::vector<double> part(chunks);
  parallel_for_chunks(chunks, 1, [&](int64_t c0, int64_t c1) {
    for (int64_t c = c0; c < c1; ++c)
      part[c] = serial(c * kDefaultGrain, std::min(n, (c + 1) * kDefaultGrain));
  });
  return std::accumulate(part.begin(), part.end(), 0.0);
}

}  // namespace

Array softmax(const Array& x, const std::optional<std::vector<int>>& axes) {
  Rows r = as_rows(x, axes);
  for (int k : r.reduced)
    LARIX_CHECK(x.shape()[k] > 0, value,
                "zero-size array to reduction operation maximum which has no identity");
  Array out = Array::empty(r.data.dtype(), r.permuted);
  visit_dtype(r.data.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_floating_point_v<T>) {
      const T* in = r.data.data<T>();
      T* o = out.mutable_data<T>();
      const int64_t inner = r.inner;
      parallel_for_chunks(r.outer, row_grain(inner), [&](int64_t r0, int64_t r1) {
        for (int64_t row = r0; row < r1; ++row) {
          const T* xi = in + row * inner;
          T* oi = o + row * inner;
          const T m = row_max(xi, inner);
          const T s = static_cast<T>(row_exp_sum(xi, inner, m, oi));
          parallel_for_chunks(inner, [&](int64_t b, int64_t e) {
            for (int64_t i = b; i < e; ++i) oi[i] /= s;
          });
        }
      });
    }
  });
  // Back to the input's axis order.
  std::vector<int> inverse(r.perm.size());
  for (std::size_t i = 0; i < r.perm.size(); ++i) inverse[r.perm[i]] = static_cast<int>(i);
  return out.transpose(inverse).contiguous();
}

Array logsumexp(const Array& a, const std::optional<std::vector<int>>& axes, bool keepdims) {
  Rows r = as_rows(a, axes);
  Array out = Array::empty(r.data.dtype(), {r.outer});
  visit_dtype(r.data.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_floating_point_v<T>) {
      const T* in = r.data.data<T>();
      T* o = out.mutable_data<T>();
      const int64_t inner = r.inner;
      parallel_for_chunks(r.outer, row_grain(inner), [&](int64_t r0, int64_t r1) {
        for (int64_t row = r0; row < r1; ++row) {
          const T* xi = in + row * inner;
          T m = row_max(xi, inner);
          if (!std::isfinite(m)) m = 0;  // scipy: all -inf gives -inf, +inf gives +inf
          o[row] = static_cast<T>(std::log(row_exp_sum<T>(xi, inner, m, nullptr)) + m);
        }
      });
    }
  });
  return out.reshape(reduced_shape(a.shape(), r.reduced, keepdims));
}

Array round_decimals(const Array& a, int64_t decimals) {
  switch (a.dtype()) {
    case DType::bool_:
      LARIX_CHECK(decimals == 0, type, "Cannot cast ufunc '", decimals > 0 ? "multiply" : "divide",
                  "' output from dtype('float64') to dtype('bool') with casting rule 'same_kind'");
      return cast(a, DType::float64).copy();
    case DType::int64: {
      if (decimals >= 0) return a.copy();
      Array out = a.copy();
      int64_t* x = out.mutable_data<int64_t>();
      if (-decimals > 18) {  // 10**19 exceeds int64: every value rounds to 0
        std::fill(x, x + out.size(), 0);
        return out;
      }
      int64_t f = 1;
      for (int64_t i = 0; i < -decimals; ++i) f *= 10;
      parallel_for_chunks(out.size(), [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) {
          // Floor division, then half to even on the remainder.
          int64_t q = x[i] / f, rem = x[i] % f;
          if (rem < 0) rem += f, q -= 1;
          if (2 * rem > f || (2 * rem == f && (q & 1))) q += 1;
          x[i] = q * f;
        }
      });
      return out;
    }
    default: break;
  }
  if (decimals == 0) return unary(UnaryOp::rint, a);
  const double f = std::pow(10.0, static_cast<double>(decimals < 0 ? -decimals : decimals));
  const Array factor = cast(Array::scalar(f), a.dtype());
  const BinaryOp there = decimals > 0 ? BinaryOp::multiply : BinaryOp::true_divide;
  const BinaryOp back = decimals > 0 ? BinaryOp::true_divide : BinaryOp::multiply;
  return binary(back, unary(UnaryOp::rint, binary(there, a, factor)), factor);
}

}  // namespace larix::kernels
