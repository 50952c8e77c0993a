#include "larix/kernels/reduce.hpp"

#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cstdlib>

#include "larix/kernels/complex.hpp"
#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/simd.hpp"
#include "larix/kernels/strided.hpp"
#include "larix/support/tsan.hpp"

namespace larix::kernels {

namespace {

using std::int64_t;

// The term of a sum for an element: the element itself (sum), or (x - m)^2 (var's second pass).
template <class Acc>
struct AsTerm {
  template <class S>
  Acc operator()(S x) const {
    return static_cast<Acc>(x);
  }
};

// NumPy's pairwise summation (numpy/_core/src/umath/loops_utils.h.src): the same tree of partial
// sums, so the same rounding. Error O(log n) instead of the naive loop's O(n). With a contiguous
// run (kStride = the item size) the 8 accumulators become vector lanes: same order, same result.
template <class S, class Acc, int64_t kStride = 0, class F = AsTerm<Acc>>
Acc pairwise(const char* p, int64_t n, int64_t stride, const F& term = {}) {
  if constexpr (kStride != 0) stride = kStride;
  auto v = [p, stride, &term](int64_t i) { return term(detail::at<S>(p, i * stride)); };
  if (n < 8) {
    Acc res = Acc(0);
    for (int64_t i = 0; i < n; ++i) res += v(i);
    return res;
  }
  if (n <= 128) {
    Acc r[8];
    for (int j = 0; j < 8; ++j) r[j] = v(j);
    int64_t i = 8;
    for (; i < n - n % 8; i += 8)
      for (int j = 0; j < 8; ++j) r[j] += v(i + j);
    Acc res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += v(i);
    return res;
  }
  int64_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise<S, Acc, kStride>(p, n2, stride, term) +
         pairwise<S, Acc, kStride>(p + n2 * stride, n - n2, stride, term);
}

template <class S, class Acc, class F = AsTerm<Acc>>
Acc pairwise_any(const char* p, int64_t n, int64_t stride, const F& term = {}) {
  if (stride == int64_t(sizeof(S))) return pairwise<S, Acc, int64_t(sizeof(S))>(p, n, stride, term);
  return pairwise<S, Acc>(p, n, stride, term);
}

// The same tree with its top levels run as parallel tasks: bit-identical to pairwise().
template <class S, class Acc, class F = AsTerm<Acc>>
Acc pairwise_parallel(const char* p, int64_t n, int64_t stride, const F& term = {}) {
  if (n < 2 * kDefaultGrain) return pairwise_any<S, Acc>(p, n, stride, term);
  int64_t n2 = n / 2;
  n2 -= n2 % 8;
  Acc x, y;
  tsan_release(&x);  // TSan tokens (support/tsan.hpp)
  tbb::parallel_invoke(
      [&] {
        tsan_acquire(&x);
        x = pairwise_parallel<S, Acc>(p, n2, stride, term);
        tsan_release(&y);
      },
      [&] {
        tsan_acquire(&x);
        y = pairwise_parallel<S, Acc>(p + n2 * stride, n - n2, stride, term);
        tsan_release(&y);
      });
  tsan_acquire(&y);
  return x + y;
}

struct Dims {
  Shape shape;
  std::vector<int64_t> strides;  // bytes
};

// The reduced axes in memory order (largest stride first; a sum may visit elements in any order),
// size-1 axes dropped and mergeable neighbours merged: the last one is the run summed pairwise.
Dims reduced_dims(const Array& a, const std::vector<bool>& reduced) {
  std::vector<int> axes;
  for (int k = 0; k < a.ndim(); ++k)
    if (reduced[k] && a.shape()[k] != 1) axes.push_back(k);
  std::stable_sort(axes.begin(), axes.end(), [&](int x, int y) {
    return std::llabs(a.strides()[x]) > std::llabs(a.strides()[y]);
  });
  Dims d;
  for (int k : axes) {
    if (!d.shape.empty() && d.strides.back() == a.strides()[k] * a.shape()[k]) {
      d.shape.back() *= a.shape()[k];
      d.strides.back() = a.strides()[k];
    } else {
      d.shape.push_back(a.shape()[k]);
      d.strides.push_back(a.strides()[k]);
    }
  }
  return d;
}

// Sums the reduced block that starts at p: runs along the innermost reduced axis, pairwise each,
// added in order.
template <class S, class Acc, class F = AsTerm<Acc>>
class BlockSum {
 public:
  explicit BlockSum(Dims dims, F term = {}) : dims_(std::move(dims)), term_(term) {
    if (!dims_.shape.empty()) {
      run_len_ = dims_.shape.back();
      run_stride_ = dims_.strides.back();
      dims_.shape.pop_back();
      dims_.strides.pop_back();
    }
    runs_ = shape_size(dims_.shape);
  }

  Acc operator()(const char* p, bool parallel) const {
    if (!parallel) return runs(p, 0, runs_);
    if (runs_ == 1) return Acc(0) + pairwise_parallel<S, Acc>(p, run_len_, run_stride_, term_);
    // Fixed blocks of runs (not the scheduler's chunks): the result does not depend on threads.
    const int64_t per = std::max<int64_t>(1, 2 * kDefaultGrain / std::max<int64_t>(run_len_, 1));
    const int64_t blocks = (runs_ + per - 1) / per;
    std::vector<Acc> partial(blocks);
    parallel_for_chunks(blocks, 1, [&](int64_t b0, int64_t b1) {
      for (int64_t b = b0; b < b1; ++b)
        partial[b] = runs(p, b * per, std::min(runs_, (b + 1) * per));
    });
    Acc total = Acc(0);
    for (const Acc& x : partial) total += x;
    return total;
  }

 private:
  Acc runs(const char* p, int64_t r0, int64_t r1) const {
    Acc total = Acc(0);
    for (int64_t r = r0; r < r1; ++r) {
      int64_t offset = 0;
      for (int64_t axis = static_cast<int64_t>(dims_.shape.size()) - 1, rest = r; axis >= 0;
           --axis) {
        offset += (rest % dims_.shape[axis]) * dims_.strides[axis];
        rest /= dims_.shape[axis];
      }
      total += pairwise_any<S, Acc>(p + offset, run_len_, run_stride_, term_);
    }
    return total;
  }

  Dims dims_;
  F term_;
  int64_t run_len_ = 1, run_stride_ = 0, runs_ = 1;
};

// o[i] = in[i] (the first slice) or o[i] += in[i]: the row-by-row sum, in SSE2 or AVX2 (simd.hpp).
template <class S, class Acc>
[[gnu::always_inline]] inline void accumulate_body(Acc* __restrict o, const S* __restrict in,
                                                   int64_t n, bool first) {
  if (first)
    for (int64_t i = 0; i < n; ++i) o[i] = static_cast<Acc>(in[i]);
  else
    for (int64_t i = 0; i < n; ++i) o[i] += static_cast<Acc>(in[i]);
}
template <class S, class Acc>
LARIX_TARGET_AVX2 void accumulate_avx2(Acc* o, const S* in, int64_t n, bool first) {
  accumulate_body(o, in, n, first);
}
template <class S, class Acc>
void accumulate(Acc* o, const S* in, int64_t n, bool first) {
  if (detail::cpu_has_avx2()) accumulate_avx2(o, in, n, first);
  else accumulate_body(o, in, n, first);
}

// out (kept shape, C order, holding Acc) = the sum of x over the `reduced` axes.
template <class S, class Acc>
void sum_into(const Array& x, const std::vector<bool>& reduced, Array& out) {
  Shape kept_shape;
  Strides kept_strides;
  int64_t min_kept = INT64_MAX;
  for (int k = 0; k < x.ndim(); ++k) {
    if (reduced[k]) continue;
    kept_shape.push_back(x.shape()[k]);
    kept_strides.push_back(x.strides()[k]);
    if (x.shape()[k] > 1) min_kept = std::min<int64_t>(min_kept, std::llabs(x.strides()[k]));
  }
  const Dims dims = reduced_dims(x, reduced);
  const int64_t m = shape_size(kept_shape), n = shape_size(dims.shape);
  int64_t min_reduced = INT64_MAX;
  for (auto s : dims.strides) min_reduced = std::min<int64_t>(min_reduced, std::llabs(s));
  auto loop = detail::make_loop<2>(kept_shape, {&out.strides(), &kept_strides},
                                   {out.mutable_bytes(), const_cast<char*>(x.bytes())});

  if (m >= 64 && min_kept < min_reduced) {
    // The kept axes are the inner ones in memory (e.g. axis 0 of a C matrix): add whole kept
    // slices in order, a vectorised row-by-row accumulation, in parallel over output elements.
    // One chunk of outputs per thread (at least 512): long runs along each row, which the
    // prefetcher follows, instead of many short ones. Each output adds its rows in order, so the
    // split does not change the result.
    const int64_t threads = tbb::this_task_arena::max_concurrency();
    const int64_t grain = std::max<int64_t>({512, kDefaultGrain / n, (m + threads - 1) / threads});
    parallel_for_chunks(m, grain, [&](int64_t b, int64_t e) {
      auto local = loop;
      std::array<int64_t, detail::kMaxDims> index{};
      int64_t offset = 0;
      for (int64_t r = 0; r < n; ++r) {
        local.base[1] = const_cast<char*>(x.bytes()) + offset;
        auto inner = [r](const std::array<char*, 2>& p, const std::array<int64_t, 2>& s,
                         int64_t c) {
          if (s[0] == int64_t(sizeof(Acc)) && s[1] == int64_t(sizeof(S)))
            return accumulate(reinterpret_cast<Acc*>(p[0]), reinterpret_cast<const S*>(p[1]), c,
                              r == 0);
          for (int64_t i = 0; i < c; ++i) {
            Acc& dst = *reinterpret_cast<Acc*>(p[0] + i * s[0]);
            const Acc v = static_cast<Acc>(detail::at<S>(p[1], i * s[1]));
            dst = r == 0 ? v : dst + v;
          }
        };
        detail::run_range(local, b, e, inner);
        for (int axis = static_cast<int>(dims.shape.size()) - 1; axis >= 0; --axis) {
          offset += dims.strides[axis];
          if (++index[axis] < dims.shape[axis]) break;
          offset -= dims.strides[axis] * dims.shape[axis];
          index[axis] = 0;
        }
      }
    });
    return;
  }

  // The reduced axes are the inner ones: each output element sums its own block.
  const BlockSum<S, Acc> block(dims);
  const bool few_outputs = m < 16 && n >= 2 * kDefaultGrain;
  auto inner = [&](const std::array<char*, 2>& p, const std::array<int64_t, 2>& s, int64_t c) {
    for (int64_t i = 0; i < c; ++i)
      *reinterpret_cast<Acc*>(p[0] + i * s[0]) = block(p[1] + i * s[1], few_outputs);
  };
  if (few_outputs) {
    detail::run_range(loop, 0, m, inner);
  } else {
    detail::run_loop(loop, inner, std::max<int64_t>(1, kDefaultGrain / n));
  }
}

}  // namespace

std::vector<int> normalize_axes(const std::optional<std::vector<int>>& axes, int ndim) {
  std::vector<int> out;
  if (!axes) {
    for (int k = 0; k < ndim; ++k) out.push_back(k);
    return out;
  }
  std::vector<bool> seen(ndim, false);
  for (int axis : *axes) {
    const int k = axis < 0 ? axis + ndim : axis;
    LARIX_CHECK(k >= 0 && k < ndim, axis, "axis ", axis,
                " is out of bounds for array of dimension ", ndim);
    LARIX_CHECK(!seen[k], value, "duplicate value in 'axis'");
    seen[k] = true;
    out.push_back(k);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Shape reduced_shape(const Shape& shape, const std::vector<int>& axes, bool keepdims) {
  Shape out;
  for (int k = 0; k < static_cast<int>(shape.size()); ++k) {
    const bool reduced = std::binary_search(axes.begin(), axes.end(), k);
    if (!reduced) out.push_back(shape[k]);
    else if (keepdims) out.push_back(1);
  }
  return out;
}

DType sum_dtype(DType input, std::optional<DType> dtype) {
  if (dtype) return *dtype;
  return is_integral(input) ? DType::int64 : input;
}

Array sum(const Array& a, const std::optional<std::vector<int>>& axes, bool keepdims,
          std::optional<DType> dtype) {
  if (is_complex(a.dtype()) || (dtype && is_complex(*dtype)))
    return complex_sum(cast(a, dtype.value_or(a.dtype())), axes, keepdims);
  const std::vector<int> ax = normalize_axes(axes, a.ndim());
  const DType out_dtype = sum_dtype(a.dtype(), dtype);
  // A bool sum is "any": count the true elements in int64, then compare with zero.
  const DType acc_dtype = out_dtype == DType::bool_ ? DType::int64 : out_dtype;
  Array x = a;
  if (out_dtype == DType::bool_) x = cast(a, DType::bool_);
  else if (!(is_integral(a.dtype()) && acc_dtype == DType::int64)) x = cast(a, acc_dtype);

  std::vector<bool> reduced(a.ndim(), false);
  for (int k : ax) reduced[k] = true;
  Array out = Array::empty(acc_dtype, reduced_shape(a.shape(), ax, false));
  if (x.size() == 0) {
    out = Array::zeros(acc_dtype, out.shape());
  } else {
    visit_dtype(x.dtype(), [&](auto tag) {
      using S = typename decltype(tag)::type;
      if (acc_dtype == DType::int64) {
        // int64 sums wrap: add in uint64, where overflow is defined.
        if constexpr (std::is_integral_v<S>) sum_into<S, std::uint64_t>(x, reduced, out);
      } else if constexpr (std::is_floating_point_v<S>) {
        sum_into<S, S>(x, reduced, out);
      }
    });
  }
  if (out_dtype == DType::bool_) out = cast(out, DType::bool_);
  if (keepdims) out = out.reshape(reduced_shape(a.shape(), ax, true));
  return out;
}

double pairwise_sum(const double* p, std::int64_t n) {
  return pairwise<double, double, int64_t(sizeof(double))>(reinterpret_cast<const char*>(p), n,
                                                           int64_t(sizeof(double)));
}

Array sum_squared_deviations(const Array& a, double m, DType compute, DType acc) {
  LARIX_ASSERT(is_floating(compute) && is_floating(acc), "sum_squared_deviations in ",
               dtype_name(compute), " / ", dtype_name(acc));
  Array out = Array::zeros(acc, {});
  if (a.size() == 0) return out;
  const Dims dims = reduced_dims(a, std::vector<bool>(a.ndim(), true));
  const bool parallel = a.size() >= 2 * kDefaultGrain;
  visit_dtype(a.dtype(), [&](auto tag) {
    using S = typename decltype(tag)::type;
    visit_dtype(compute, [&](auto ctag) {
      using C = typename decltype(ctag)::type;
      visit_dtype(acc, [&](auto atag) {
        using Acc = typename decltype(atag)::type;
        if constexpr (std::is_floating_point_v<C> && std::is_floating_point_v<Acc>) {
          // NumPy's arrays x = a - m and x * x, one rounding each, without the arrays.
          auto term = [mc = static_cast<C>(m)](S x) {
            const C d = static_cast<C>(x) - mc;
            return static_cast<Acc>(d * d);
          };
          *out.mutable_data<Acc>() =
              BlockSum<S, Acc, decltype(term)>(dims, term)(a.bytes(), parallel);
        }
      });
    });
  });
  return out;
}

}  // namespace larix::kernels
