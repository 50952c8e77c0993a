#include "larix/kernels/reductions.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "larix/kernels/complex.hpp"
#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/kernels/simd.hpp"
#include "larix/kernels/strided.hpp"

namespace larix::kernels {

namespace {

using std::int64_t;

template <class T>
bool is_nan(T x) {
  if constexpr (std::is_floating_point_v<T>) return std::isnan(x);
  else return false;
}

// ---- scans of contiguous runs: vector code --------------------------------------------------
// GCC vector extensions of 16 bytes (SSE2, the baseline) with four accumulators: as fast as the
// cache delivers data, without relying on the auto-vectoriser, which keeps NaN-aware max/min
// loops scalar. Larger scans run in blocks, so that an early answer (a NaN, any/all) stops early.

inline constexpr int64_t kScanBlock = 4096;

// The largest (kMax) or smallest value of p[0, n), n > 0, picked by `x > m ? x : m`, which never
// picks a NaN; and whether p may hold a NaN: a lane sum that is NaN (a NaN, or inf + -inf: the
// caller looks). W is the vector width in bytes.
template <int W, class S, bool kMax>
[[gnu::always_inline]] inline S block_extreme_w(const S* p, int64_t n, bool& maybe_nan) {
  typedef S V __attribute__((vector_size(W)));
  typedef S VU __attribute__((vector_size(W), aligned(sizeof(S)), may_alias));  // unaligned
  constexpr int64_t L = W / sizeof(S);
#define LARIX_PICK(x, m) (kMax ? ((x) > (m) ? (x) : (m)) : ((x) < (m) ? (x) : (m)))
#define LARIX_LOAD(i) V(*reinterpret_cast<const VU*>(p + (i)))
  S best = p[0], sum = S(0);
  int64_t i = 0;
  if (n >= 4 * L) {
    V m0 = LARIX_LOAD(0), m1 = LARIX_LOAD(L), m2 = LARIX_LOAD(2 * L), m3 = LARIX_LOAD(3 * L);
    V a0 = m0, a1 = m1, a2 = m2, a3 = m3;
    for (i = 4 * L; i + 4 * L <= n; i += 4 * L) {
      const V v0 = LARIX_LOAD(i), v1 = LARIX_LOAD(i + L);
      const V v2 = LARIX_LOAD(i + 2 * L), v3 = LARIX_LOAD(i + 3 * L);
      m0 = LARIX_PICK(v0, m0);
      m1 = LARIX_PICK(v1, m1);
      m2 = LARIX_PICK(v2, m2);
      m3 = LARIX_PICK(v3, m3);
      if constexpr (std::is_floating_point_v<S>) {
        a0 += v0;
        a1 += v1;
        a2 += v2;
        a3 += v3;
      }
    }
    m0 = LARIX_PICK(m0, LARIX_PICK(m1, LARIX_PICK(m2, m3)));
    // The NaN-detecting lane sums exist for floats only (integer sums could overflow).
    if constexpr (std::is_floating_point_v<S>) a0 += a1 + a2 + a3;
    for (int64_t j = 0; j < L; ++j) {
      best = LARIX_PICK(m0[j], best);
      if constexpr (std::is_floating_point_v<S>) sum += a0[j];
    }
  }
  for (; i < n; ++i) {
    best = LARIX_PICK(p[i], best);
    if constexpr (std::is_floating_point_v<S>) sum += p[i];
  }
#undef LARIX_PICK
#undef LARIX_LOAD
  maybe_nan = std::is_floating_point_v<S> && sum != sum;
  return best;
}

template <class S, bool kMax>
LARIX_TARGET_AVX2 S block_extreme_avx2(const S* p, int64_t n, bool& maybe_nan) {
  return block_extreme_w<32, S, kMax>(p, n, maybe_nan);
}

template <class S, bool kMax>
LARIX_TARGET_AVX512 S block_extreme_avx512(const S* p, int64_t n, bool& maybe_nan) {
  return block_extreme_w<64, S, kMax>(p, n, maybe_nan);
}

template <class S, bool kMax>
S block_extreme(const S* p, int64_t n, bool& maybe_nan) {
  if (detail::cpu_has_avx512()) return block_extreme_avx512<S, kMax>(p, n, maybe_nan);
  if (detail::cpu_has_avx2()) return block_extreme_avx2<S, kMax>(p, n, maybe_nan);
  return block_extreme_w<16, S, kMax>(p, n, maybe_nan);
}

// The position of the first extreme of p[0, n), n > 0, as NumPy's argmax/argmin: the first NaN
// when there is one, else the first element equal to the largest (smallest) value. Each block's
// extreme is found with vector code; the block that holds the answer is then searched for it.
template <class S, bool kMax>
int64_t first_extreme(const S* p, int64_t n) {
  if constexpr (std::is_same_v<S, bool>) {
    const S* hit = std::find(p, p + n, kMax);
    return hit == p + n ? 0 : hit - p;
  } else {
    S best{};
    int64_t best_block = -1;
    for (int64_t b = 0; b < n; b += kScanBlock) {
      const int64_t len = std::min(kScanBlock, n - b);
      bool maybe_nan = false;
      const S m = block_extreme<S, kMax>(p + b, len, maybe_nan);
      if (maybe_nan)
        for (int64_t i = b; i < b + len; ++i)
          if (p[i] != p[i]) return i;
      if (best_block < 0 || (kMax ? m > best : m < best)) {
        best = m;
        best_block = b;
      }
    }
    // The first element equal to `best`, in the block that holds it: the first sub-block whose
    // extreme equals it (vector code again), then element by element.
    constexpr int64_t kSub = 256;
    const int64_t end = std::min(best_block + kScanBlock, n);
    int64_t from = best_block;
    for (; from + kSub < end; from += kSub) {
      bool unused = false;
      if (block_extreme<S, kMax>(p + from, kSub, unused) == best) break;
    }
    for (int64_t i = from; i < end; ++i)
      if (p[i] == best) return i;
    return best_block;  // not reached: `best` is an element of the block
  }
}

// How many of p[0, n) are nonzero (NaN is nonzero, -0.0 is zero): a loop that vectorises.
template <class S>
[[gnu::always_inline]] inline int64_t count_nonzero_body(const S* p, int64_t n) {
  if constexpr (std::is_same_v<S, bool>) {
    return n - std::count(p, p + n, false);
  } else {
    using Count = std::conditional_t<sizeof(S) == 8, int64_t, int32_t>;  // lanes as wide as S
    Count count = 0;
    for (int64_t i = 0; i < n; ++i) count += p[i] != S(0);
    return count;
  }
}
template <class S>
LARIX_TARGET_AVX2 int64_t count_nonzero_avx2(const S* p, int64_t n) {
  return count_nonzero_body(p, n);
}
template <class S>
int64_t count_nonzero_run(const S* p, int64_t n) {
  if (detail::cpu_has_avx2()) return count_nonzero_avx2(p, n);
  return count_nonzero_body(p, n);
}

// A reducer: State identity(); step(State&, S, position in the block); combine(left, right) of two
// consecutive parts; R finish(State). The engine below runs it over any axes and strides.
// Optionally run(State&, const S*, count, position): step() over a contiguous run, faster.
template <class S, class Acc>
struct ProdReducer {
  using State = Acc;
  State identity() const { return Acc(1); }
  void step(State& st, S x, int64_t) const {
    if constexpr (std::is_same_v<Acc, bool>) st = st && x;
    else st *= static_cast<Acc>(x);  // uint64 for int64: wraps like NumPy
  }
  State combine(State a, State b) const {
    if constexpr (std::is_same_v<Acc, bool>) return a && b;
    else return a * b;
  }
};

// min/max and argmin/argmax: the first extreme wins, and the first NaN beats everything.
template <class S, bool kMax>
struct ExtremeReducer {
  struct State {
    S value{};
    int64_t index = -1;
  };
  State identity() const { return {}; }
  static bool better(S x, S than) {
    if (is_nan(than)) return false;
    if (is_nan(x)) return true;
    return kMax ? x > than : x < than;
  }
  void step(State& st, S x, int64_t pos) const {
    if (st.index < 0 || better(x, st.value)) st = {x, pos};
  }
  void run(State& st, const S* p, int64_t n, int64_t pos) const {
    if (n <= 0) return;
    const int64_t i = first_extreme<S, kMax>(p, n);
    step(st, p[i], pos + i);
  }
  State combine(State a, State b) const {
    if (a.index < 0) return b;
    if (b.index < 0) return a;
    return better(b.value, a.value) ? b : a;
  }
};

template <class S, ReduceOp op>
struct CountReducer {  // any, all, count_nonzero
  using State = int64_t;
  State identity() const { return op == ReduceOp::all ? 1 : 0; }
  void step(State& st, S x, int64_t) const {
    const bool nz = x != S(0);  // NaN is nonzero
    if constexpr (op == ReduceOp::any) st = st || nz;
    else if constexpr (op == ReduceOp::all) st = st && nz;
    else st += nz;
  }
  void run(State& st, const S* p, int64_t n, int64_t) const {
    if constexpr (op == ReduceOp::count_nonzero) {
      st += count_nonzero_run(p, n);
    } else {
      for (int64_t b = 0; b < n; b += kScanBlock) {  // stops at the first block that decides
        const int64_t len = std::min(kScanBlock, n - b);
        const int64_t count = count_nonzero_run(p + b, len);
        if constexpr (op == ReduceOp::any) st = st || count > 0;
        else st = st && count == len;
        if ((op == ReduceOp::any) == (st != 0)) return;
      }
    }
  }
  State combine(State a, State b) const {
    if constexpr (op == ReduceOp::any) return a || b;
    else if constexpr (op == ReduceOp::all) return a && b;
    else return a + b;
  }
};

// out (the kept axes, C order) = finish(reduction of x over the `reduced` axes). Positions passed
// to step() are C-order indices within the reduced block (a flat index when all axes reduce).
template <class S, class Red, class Finish>
void reduce_into(const Array& x, const std::vector<bool>& reduced, Array& out, const Red& red,
                 Finish finish) {
  using State = typename Red::State;
  Shape kept_shape, red_shape;
  Strides kept_strides, red_strides;
  for (int k = 0; k < x.ndim(); ++k) {
    (reduced[k] ? red_shape : kept_shape).push_back(x.shape()[k]);
    (reduced[k] ? red_strides : kept_strides).push_back(x.strides()[k]);
  }
  const int64_t n = shape_size(red_shape), m = shape_size(kept_shape);
  const auto block_loop = detail::make_loop<1>(red_shape, {&red_strides}, {nullptr});
  auto block = [&](const char* p, int64_t b, int64_t e) {
    auto loop = block_loop;
    loop.base[0] = const_cast<char*>(p);
    State st = red.identity();
    if (b >= e) return st;  // an empty block (run_range needs a non-empty loop)
    int64_t pos = b;
    auto inner = [&](const std::array<char*, 1>& q, const std::array<int64_t, 1>& s, int64_t c) {
      if constexpr (requires { red.run(st, static_cast<const S*>(nullptr), c, pos); }) {
        if (s[0] == int64_t(sizeof(S))) {
          red.run(st, reinterpret_cast<const S*>(q[0]), c, pos);
          pos += c;
          return;
        }
      }
      for (int64_t i = 0; i < c; ++i) red.step(st, detail::at<S>(q[0], i * s[0]), pos + i);
      pos += c;
    };
    detail::run_range(loop, b, e, inner);
    return st;
  };
  auto outer = detail::make_loop<2>(kept_shape, {&out.strides(), &kept_strides},
                                    {out.mutable_bytes(), const_cast<char*>(x.bytes())});
  if (m < 16 && n >= 2 * kDefaultGrain) {
    // Few long blocks: each in fixed chunks (not the scheduler's), combined in order, so that the
    // result does not depend on the number of threads.
    auto one = [&](const std::array<char*, 2>& p, const std::array<int64_t, 2>& s, int64_t c) {
      for (int64_t i = 0; i < c; ++i) {
        const char* base = p[1] + i * s[1];
        const int64_t chunks = (n + kDefaultGrain - 1) / kDefaultGrain;
        std::vector<State> part(chunks);
        parallel_for_chunks(chunks, 1, [&](int64_t c0, int64_t c1) {
          for (int64_t j = c0; j < c1; ++j)
            part[j] = block(base, j * kDefaultGrain, std::min(n, (j + 1) * kDefaultGrain));
        });
        State st = part[0];
        for (int64_t j = 1; j < chunks; ++j) st = red.combine(st, part[j]);
        finish(p[0] + i * s[0], st);
      }
    };
    detail::run_range(outer, 0, m, one);
    return;
  }
  detail::run_loop(
      outer,
      [&](const std::array<char*, 2>& p, const std::array<int64_t, 2>& s, int64_t c) {
        for (int64_t i = 0; i < c; ++i) finish(p[0] + i * s[0], block(p[1] + i * s[1], 0, n));
      },
      std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(n, 1)));
}

std::vector<bool> reduced_mask(const std::vector<int>& axes, int ndim) {
  std::vector<bool> reduced(ndim, false);
  for (int k : axes) reduced[k] = true;
  return reduced;
}

int64_t reduced_count(const Shape& shape, const std::vector<int>& axes) {
  int64_t n = 1;
  for (int k : axes) n *= shape[k];
  return n;
}

}  // namespace

const char* reduce_op_name(ReduceOp op) {
  switch (op) {
    case ReduceOp::prod: return "multiply";
    case ReduceOp::min: return "minimum";
    case ReduceOp::max: return "maximum";
    case ReduceOp::any: return "logical_or";
    case ReduceOp::all: return "logical_and";
    case ReduceOp::count_nonzero: return "count_nonzero";
  }
  return "?";
}

DType reduce_dtype(ReduceOp op, DType input, std::optional<DType> dtype) {
  switch (op) {
    case ReduceOp::prod: return sum_dtype(input, dtype);
    case ReduceOp::min:
    case ReduceOp::max: return input;
    case ReduceOp::any:
    case ReduceOp::all: return DType::bool_;
    case ReduceOp::count_nonzero: return DType::int64;
  }
  return input;
}

Array reduce(ReduceOp op, const Array& a, const std::optional<std::vector<int>>& axes,
             bool keepdims, std::optional<DType> dtype) {
  if (is_complex(a.dtype()) && op != ReduceOp::prod && op != ReduceOp::min &&
      op != ReduceOp::max)  // any, all, count_nonzero: of the truth of each element
    return reduce(op, binary(BinaryOp::not_equal, a, cast(Array::scalar(0.0), a.dtype())), axes,
                  keepdims, dtype);
  if ((is_complex(a.dtype()) || (dtype && is_complex(*dtype))) && op == ReduceOp::prod)
    return complex_prod(cast(a, dtype.value_or(a.dtype())), axes, keepdims);
  const std::vector<int> ax = normalize_axes(axes, a.ndim());
  const int64_t n = reduced_count(a.shape(), ax);
  LARIX_CHECK(n > 0 || (op != ReduceOp::min && op != ReduceOp::max), value,
              "zero-size array to reduction operation ", reduce_op_name(op),
              " which has no identity");
  const DType out_dtype = reduce_dtype(op, a.dtype(), dtype);
  const std::vector<bool> reduced = reduced_mask(ax, a.ndim());
  Array out = Array::empty(out_dtype, reduced_shape(a.shape(), ax, false));
  // prod computes in its result dtype (int64 through uint64 so that overflow wraps).
  const Array x = op == ReduceOp::prod && !(is_integral(a.dtype()) && out_dtype == DType::int64)
                      ? cast(a, out_dtype)
                      : a;
  visit_dtype(x.dtype(), [&](auto tag) {
    using S = typename decltype(tag)::type;
    switch (op) {
      case ReduceOp::prod:
        visit_dtype(out_dtype, [&](auto rtag) {
          using R = typename decltype(rtag)::type;
          using Acc = std::conditional_t<std::is_same_v<R, int64_t>, std::uint64_t, R>;
          reduce_into<S>(x, reduced, out, ProdReducer<S, Acc>{},
                         [](char* o, Acc v) { *reinterpret_cast<R*>(o) = static_cast<R>(v); });
        });
        break;
      case ReduceOp::min:
      case ReduceOp::max: {
        auto finish = [](char* o, const auto& st) { *reinterpret_cast<S*>(o) = st.value; };
        if (op == ReduceOp::max) reduce_into<S>(x, reduced, out, ExtremeReducer<S, true>{}, finish);
        else reduce_into<S>(x, reduced, out, ExtremeReducer<S, false>{}, finish);
        break;
      }
      case ReduceOp::any:
        reduce_into<S>(x, reduced, out, CountReducer<S, ReduceOp::any>{},
                       [](char* o, int64_t v) { *reinterpret_cast<bool*>(o) = v != 0; });
        break;
      case ReduceOp::all:
        reduce_into<S>(x, reduced, out, CountReducer<S, ReduceOp::all>{},
                       [](char* o, int64_t v) { *reinterpret_cast<bool*>(o) = v != 0; });
        break;
      case ReduceOp::count_nonzero:
        reduce_into<S>(x, reduced, out, CountReducer<S, ReduceOp::count_nonzero>{},
                       [](char* o, int64_t v) { *reinterpret_cast<int64_t*>(o) = v; });
        break;
    }
  });
  if (keepdims) out = out.reshape(reduced_shape(a.shape(), ax, true));
  return out;
}

Array arg_reduce(bool max, const Array& a, std::optional<int> axis, bool keepdims) {
  std::optional<std::vector<int>> axes;
  if (axis) axes = std::vector<int>{*axis};
  const std::vector<int> ax = normalize_axes(axes, a.ndim());
  LARIX_CHECK(reduced_count(a.shape(), ax) > 0, value, "attempt to get ", max ? "argmax" : "argmin",
              " of an empty sequence");
  Array out = Array::empty(DType::int64, reduced_shape(a.shape(), ax, false));
  visit_dtype(a.dtype(), [&](auto tag) {
    using S = typename decltype(tag)::type;
    auto finish = [](char* o, const auto& st) { *reinterpret_cast<int64_t*>(o) = st.index; };
    if (max) reduce_into<S>(a, reduced_mask(ax, a.ndim()), out, ExtremeReducer<S, true>{}, finish);
    else reduce_into<S>(a, reduced_mask(ax, a.ndim()), out, ExtremeReducer<S, false>{}, finish);
  });
  if (keepdims) out = out.reshape(reduced_shape(a.shape(), ax, true));
  return out;
}

Array mean(const Array& a, const std::optional<std::vector<int>>& axes, bool keepdims,
           std::optional<DType> dtype) {
  const std::vector<int> ax = normalize_axes(axes, a.ndim());
  const DType sd = dtype.value_or(is_integral(a.dtype()) ? DType::float64 : a.dtype());
  const Array s = sum(a, axes, keepdims, sd);
  const auto count = Array::scalar(static_cast<double>(reduced_count(a.shape(), ax)));
  return cast(binary(BinaryOp::true_divide, s, count, s.dtype()), sd);
}

Array var(const Array& a, const std::optional<std::vector<int>>& axes, bool keepdims, double ddof,
          std::optional<DType> dtype) {
  const std::vector<int> ax = normalize_axes(axes, a.ndim());
  const int64_t n = reduced_count(a.shape(), ax);
  if (is_complex(a.dtype())) {
    // NumPy's: the mean of |x - mean|^2, real (float32 for complex64).
    const DType parts = real_of(dtype.value_or(a.dtype()));
    const Array d = binary(BinaryOp::subtract, a, mean(a, axes, true, std::nullopt));
    const Array re = real_part(d), im = imag_part(d);
    const Array squares = binary(BinaryOp::add, binary(BinaryOp::multiply, re, re),
                                 binary(BinaryOp::multiply, im, im));
    const Array s = sum(squares, axes, keepdims, parts);
    const auto div = Array::scalar(std::max(static_cast<double>(n) - ddof, 0.0));
    return cast(binary(BinaryOp::true_divide, s, div, s.dtype()), parts);
  }
  const DType sd = dtype.value_or(is_integral(a.dtype()) ? DType::float64 : a.dtype());
  if (static_cast<int>(ax.size()) == a.ndim() && n > 0 && is_floating(sd)) {
    // All axes: one pass for the mean, one for the squares, no temporary arrays.
    const Array m = mean(a, axes, false, sd);
    const DType compute = result_type(is_integral(a.dtype()) ? sd : a.dtype(), sd);
    const Array s = sum_squared_deviations(a, m.item_as_double(0), compute, sd);
    const auto div = Array::scalar(std::max(static_cast<double>(n) - ddof, 0.0));
    Array v = cast(binary(BinaryOp::true_divide, s, div, s.dtype()), sd);
    if (keepdims) v = v.reshape(reduced_shape(a.shape(), ax, true));
    return v;
  }
  const Array m = mean(a, axes, true, sd);
  Array d = binary(BinaryOp::subtract, cast(a, is_integral(a.dtype()) ? sd : a.dtype()), m);
  d = binary(BinaryOp::multiply, d, d);
  const Array s = sum(d, axes, keepdims, sd);
  const auto div = Array::scalar(std::max(static_cast<double>(n) - ddof, 0.0));
  return cast(binary(BinaryOp::true_divide, s, div, s.dtype()), sd);
}

Array std_dev(const Array& a, const std::optional<std::vector<int>>& axes, bool keepdims,
              double ddof, std::optional<DType> dtype) {
  const Array v = var(a, axes, keepdims, ddof, dtype);
  return is_floating(v.dtype()) ? unary(UnaryOp::sqrt, v)
                                : cast(unary(UnaryOp::sqrt, v), v.dtype());
}

Array cumulative(bool product, const Array& a, std::optional<int> axis,
                 std::optional<DType> dtype) {
  if (is_complex(a.dtype()) || (dtype && is_complex(*dtype)))
    return complex_cumulative(product, cast(a, dtype.value_or(a.dtype())), axis);
  const DType out_dtype = sum_dtype(a.dtype(), dtype);
  Array x = cast(a, out_dtype);
  int k = 0;
  if (!axis) x = x.reshape({x.size()});
  else k = normalize_axes(std::vector<int>{*axis}, a.ndim())[0];
  Array out = Array::empty(out_dtype, x.shape());
  Shape kept;
  Strides out_kept, x_kept;
  for (int j = 0; j < x.ndim(); ++j) {
    if (j == k) continue;
    kept.push_back(x.shape()[j]);
    out_kept.push_back(out.strides()[j]);
    x_kept.push_back(x.strides()[j]);
  }
  const int64_t len = x.shape()[k], so = out.strides()[k], sx = x.strides()[k];
  visit_dtype(out_dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    using Acc = std::conditional_t<std::is_same_v<T, int64_t>, std::uint64_t, T>;  // wraps
    auto loop = detail::make_loop<2>(kept, {&out_kept, &x_kept},
                                     {out.mutable_bytes(), const_cast<char*>(x.bytes())});
    auto lines = [&](const std::array<char*, 2>& p, const std::array<int64_t, 2>& s, int64_t c) {
      for (int64_t i = 0; i < c; ++i) {
        char* o = p[0] + i * s[0];
        const char* in = p[1] + i * s[1];
        Acc acc = static_cast<Acc>(detail::at<T>(in, 0));
        *reinterpret_cast<T*>(o) = static_cast<T>(acc);
        for (int64_t j = 1; j < len; ++j) {
          const Acc v = static_cast<Acc>(detail::at<T>(in, j * sx));
          if constexpr (std::is_same_v<T, bool>) acc = product ? (acc && v) : (acc || v);
          else acc = product ? acc * v : acc + v;
          *reinterpret_cast<T*>(o + j * so) = static_cast<T>(acc);
        }
      }
    };
    if (len > 0)
      detail::run_loop(loop, lines,
                       std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(len, 1)));
  });
  return out;
}

}  // namespace larix::kernels
