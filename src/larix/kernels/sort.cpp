#include "larix/kernels/sort.hpp"

#include <oneapi/tbb/parallel_sort.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <type_traits>
#include <vector>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/kernels/strided.hpp"

namespace larix::kernels {

namespace {

using std::int64_t;

// From this many elements one line sorts with tbb::parallel_sort (a task costs ~1 µs; sorting
// this many elements takes ~1 ms).
constexpr int64_t kParallelSortMin = int64_t{1} << 16;

// Bools are buffered as bytes: std::vector<bool> packs bits and sorts slowly.
template <class T>
using Stored = std::conditional_t<std::is_same_v<T, bool>, unsigned char, T>;

template <class T>
bool is_nan(T x) {
  if constexpr (std::is_floating_point_v<T>) return std::isnan(x);
  else return false;
}

// NumPy's order: NaN after every number, all NaNs equal.
template <class T>
bool less_nan_last(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) return a < b || (std::isnan(b) && !std::isnan(a));
  else return a < b;
}

template <class T>
bool same_value(T a, T b) {  // unique's equality: NaNs are one value
  if constexpr (std::is_floating_point_v<T>) return a == b || (std::isnan(a) && std::isnan(b));
  else return a == b;
}

template <class It, class Less>
void sort_range(It begin, It end, Less less) {
  if (end - begin >= kParallelSortMin) tbb::parallel_sort(begin, end, less);
  else std::sort(begin, end, less);
}

// NumPy's order of complex numbers: lexicographic (real part, then imaginary), and those with a
// NaN after all others: R + Rj < R + nanj < nan + Rj < nan + nanj, each group ordered by its
// part that is a number.
template <class C>
bool complex_less(C a, C b) {
  auto group = [](C v) { return 2 * std::isnan(v.real()) + std::isnan(v.imag()); };
  const int ga = group(a), gb = group(b);
  if (ga != gb) return ga < gb;
  switch (ga) {
    case 0: return a.real() < b.real() || (a.real() == b.real() && a.imag() < b.imag());
    case 1: return a.real() < b.real();
    case 2: return a.imag() < b.imag();
    default: return false;
  }
}

// Sorts values in place: NaNs are moved to the end first, then the numbers are sorted.
template <class S>
void sort_values(std::vector<S>& v) {
  if constexpr (is_complex_v<S>) {
    sort_range(v.begin(), v.end(), complex_less<S>);
  } else {
    auto end = v.end();
    if constexpr (std::is_floating_point_v<S>)
      end = std::partition(v.begin(), v.end(), [](S x) { return !std::isnan(x); });
    sort_range(v.begin(), end, [](S a, S b) { return a < b; });
  }
}

template <class S>
struct Keyed {
  S key;
  int64_t index;
};

// Sorts (key, position) pairs stably: NaNs go to the end in their original order, the numbers
// sort by key, then position (an unstable sort on that order is a stable sort by key).
template <class S>
void sort_keyed(std::vector<Keyed<S>>& v) {
  if constexpr (is_complex_v<S>) {
    sort_range(v.begin(), v.end(), [](const Keyed<S>& a, const Keyed<S>& b) {
      if (complex_less(a.key, b.key)) return true;
      return !complex_less(b.key, a.key) && a.index < b.index;
    });
  } else {
    auto end = v.end();
    if constexpr (std::is_floating_point_v<S>)
      end = std::stable_partition(v.begin(), v.end(),
                                  [](const Keyed<S>& x) { return !std::isnan(x.key); });
    sort_range(v.begin(), end, [](const Keyed<S>& a, const Keyed<S>& b) {
      return a.key < b.key || (a.key == b.key && a.index < b.index);
    });
  }
}

// Calls line(in, out) for every line of x along axis k and the matching line of out (same shape),
// in parallel over lines; in/out point at the first element of the line.
template <class Line>
void for_each_line(const Array& x, int k, Array& out, Line line) {
  const int64_t len = x.shape()[k];
  if (len == 0 || x.size() == 0) return;
  Shape kept;
  Strides out_kept, x_kept;
  for (int j = 0; j < x.ndim(); ++j) {
    if (j == k) continue;
    kept.push_back(x.shape()[j]);
    out_kept.push_back(out.strides()[j]);
    x_kept.push_back(x.strides()[j]);
  }
  auto loop = detail::make_loop<2>(kept, {&out_kept, &x_kept},
                                   {out.mutable_bytes(), const_cast<char*>(x.bytes())});
  auto lines = [&](const std::array<char*, 2>& p, const std::array<int64_t, 2>& s, int64_t c) {
    for (int64_t i = 0; i < c; ++i) line(p[1] + i * s[1], p[0] + i * s[0]);
  };
  detail::run_loop(loop, lines, std::max<int64_t>(1, kDefaultGrain / len));
}

// The array to sort and the axis: the flattened array and 0 when axis is absent.
std::pair<Array, int> prepare(const Array& a, std::optional<int> axis) {
  if (!axis) return {a.reshape({a.size()}), 0};
  return {a, normalize_axes(std::vector<int>{*axis}, a.ndim())[0]};
}

// unique's index, inverse and counts from where each run of equal values begins among the n
// sorted ones and the sorting permutation (sorted[i] is element perm[i]; needed for index and
// inverse only); the inverse has `shape`.
void unique_parts(UniqueResult& r, int64_t n, const std::vector<int64_t>& starts,
                  const std::vector<int64_t>& perm, const Shape& shape, bool want_index,
                  bool want_inverse, bool want_counts) {
  const auto runs = static_cast<int64_t>(starts.size());
  if (want_index) {
    r.index = Array::empty(DType::int64, {runs});
    auto* index = r.index.mutable_data<int64_t>();
    for (int64_t j = 0; j < runs; ++j) index[j] = perm[starts[j]];
  }
  if (want_inverse) {
    r.inverse = Array::empty(DType::int64, shape);
    auto* inverse = r.inverse.mutable_data<int64_t>();
    int64_t run = -1;
    for (int64_t i = 0; i < n; ++i) {
      if (run + 1 < runs && starts[run + 1] == i) ++run;
      inverse[perm[i]] = run;
    }
  }
  if (want_counts) {
    r.counts = Array::empty(DType::int64, {runs});
    auto* counts = r.counts.mutable_data<int64_t>();
    for (int64_t j = 0; j < runs; ++j) counts[j] = (j + 1 < runs ? starts[j + 1] : n) - starts[j];
  }
}

}  // namespace

Array sort(const Array& a, std::optional<int> axis) {
  const auto prepared = prepare(a, axis);
  const Array& x = prepared.first;
  const int k = prepared.second;
  Array out = Array::empty(x.dtype(), x.shape());
  if (out.size() == 0) return out;
  const int64_t len = x.shape()[k], sx = x.strides()[k], so = out.strides()[k];
  visit_any_dtype(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using S = Stored<T>;
    for_each_line(x, k, out, [&](const char* in, char* o) {
      std::vector<S> buf(len);
      for (int64_t j = 0; j < len; ++j) buf[j] = static_cast<S>(detail::at<T>(in, j * sx));
      sort_values(buf);
      for (int64_t j = 0; j < len; ++j) *reinterpret_cast<T*>(o + j * so) = static_cast<T>(buf[j]);
    });
  });
  return out;
}

Array argsort(const Array& a, std::optional<int> axis) {
  const auto prepared = prepare(a.ndim() == 0 ? a.reshape({1}) : a, axis);
  const Array& x = prepared.first;
  const int k = prepared.second;
  Array out = Array::empty(DType::int64, x.shape());
  if (out.size() == 0) return out;
  const int64_t len = x.shape()[k], sx = x.strides()[k], so = out.strides()[k];
  visit_any_dtype(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using S = Stored<T>;
    for_each_line(x, k, out, [&](const char* in, char* o) {
      std::vector<Keyed<S>> buf(len);
      for (int64_t j = 0; j < len; ++j) buf[j] = {static_cast<S>(detail::at<T>(in, j * sx)), j};
      sort_keyed(buf);
      for (int64_t j = 0; j < len; ++j) *reinterpret_cast<int64_t*>(o + j * so) = buf[j].index;
    });
  });
  return out;
}

UniqueResult unique(const Array& a, bool want_index, bool want_inverse, bool want_counts) {
  const Array flat = a.reshape({a.size()}).contiguous();
  const int64_t n = flat.size();
  UniqueResult r;
  visit_dtype(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using S = Stored<T>;
    const T* in = flat.data<T>();
    std::vector<S> sorted(n);
    std::vector<int64_t> perm;  // sorted[i] = in[perm[i]], stable
    if (want_index || want_inverse) {
      std::vector<Keyed<S>> keyed(n);
      for (int64_t i = 0; i < n; ++i) keyed[i] = {static_cast<S>(in[i]), i};
      sort_keyed(keyed);
      perm.resize(n);
      for (int64_t i = 0; i < n; ++i) {
        sorted[i] = keyed[i].key;
        perm[i] = keyed[i].index;
      }
    } else {
      for (int64_t i = 0; i < n; ++i) sorted[i] = static_cast<S>(in[i]);
      sort_values(sorted);
    }
    std::vector<int64_t> starts;  // where each run of equal values begins in `sorted`
    for (int64_t i = 0; i < n; ++i)
      if (i == 0 || !same_value(sorted[i - 1], sorted[i])) starts.push_back(i);
    const auto runs = static_cast<int64_t>(starts.size());
    r.values = Array::empty(a.dtype(), {runs});
    T* values = r.values.template mutable_data<T>();
    for (int64_t j = 0; j < runs; ++j) values[j] = static_cast<T>(sorted[starts[j]]);
    unique_parts(r, n, starts, perm, a.shape(), want_index, want_inverse, want_counts);
  });
  return r;
}

UniqueResult unique_along(const Array& a, int axis, bool want_index, bool want_inverse,
                          bool want_counts) {
  LARIX_CHECK(a.ndim() >= 1, value, "axis ", axis, " is out of bounds for array of dimension 0");
  const int k = normalize_axes(std::vector<int>{axis}, a.ndim())[0];
  // The subarrays as the rows of a C-ordered (n, m) matrix: axis k moved to the front.
  std::vector<int> order{k};
  for (int j = 0; j < a.ndim(); ++j)
    if (j != k) order.push_back(j);
  const Array moved = a.transpose(order).contiguous();
  const int64_t n = moved.shape()[0], m = n == 0 ? 0 : moved.size() / n;
  UniqueResult r;
  visit_dtype(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using S = Stored<T>;
    const T* x = moved.data<T>();
    auto row_less = [&](int64_t p, int64_t q) {
      for (int64_t j = 0; j < m; ++j) {
        const S u = static_cast<S>(x[p * m + j]), v = static_cast<S>(x[q * m + j]);
        if (less_nan_last(u, v)) return true;
        if (less_nan_last(v, u)) return false;
      }
      return false;
    };
    auto row_same = [&](int64_t p, int64_t q) {  // NumPy's: a NaN makes a subarray distinct
      for (int64_t j = 0; j < m; ++j)
        if (!(static_cast<S>(x[p * m + j]) == static_cast<S>(x[q * m + j]))) return false;
      return true;
    };
    std::vector<int64_t> perm(static_cast<std::size_t>(n));
    std::iota(perm.begin(), perm.end(), int64_t{0});
    std::stable_sort(perm.begin(), perm.end(), row_less);
    std::vector<int64_t> starts;  // where each run of equal rows begins in perm
    for (int64_t i = 0; i < n; ++i)
      if (i == 0 || !row_same(perm[i - 1], perm[i])) starts.push_back(i);
    const auto runs = static_cast<int64_t>(starts.size());
    Shape shape = moved.shape();
    shape[0] = runs;
    Array rows = Array::empty(a.dtype(), shape);
    T* out = rows.template mutable_data<T>();
    for (int64_t j = 0; j < runs; ++j)
      std::copy(x + perm[starts[j]] * m, x + (perm[starts[j]] + 1) * m, out + j * m);
    std::vector<int> back(a.ndim());  // the inverse of `order`
    for (int j = 0; j < a.ndim(); ++j) back[order[j]] = j;
    r.values = rows.transpose(back);
    unique_parts(r, n, starts, perm, {n}, want_index, want_inverse, want_counts);
  });
  return r;
}

Array searchsorted(const Array& a, const Array& v, bool right, DType common,
                   const std::optional<Array>& sorter) {
  LARIX_CHECK(a.ndim() >= 1, value, "object of too small depth for desired array");
  LARIX_CHECK(a.ndim() <= 1, value, "object too deep for desired array");
  const int64_t n = a.size();
  Array keys = cast(a, common).contiguous();
  if (sorter) {
    LARIX_CHECK(is_integral(sorter->dtype()) && sorter->dtype() != DType::bool_, type,
                "sorter must be an array of integers, not ", dtype_name(sorter->dtype()));
    LARIX_CHECK(sorter->ndim() == 1 && sorter->size() == n, value, "sorter.size must equal a.size");
    Array gathered = Array::empty(common, {n});
    visit_dtype(common, [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T* k = keys.data<T>();
      T* g = gathered.mutable_data<T>();
      for (int64_t i = 0; i < n; ++i) {
        const auto s = sorter->item<int64_t>(i);
        LARIX_CHECK(s >= 0 && s < n, value, "Sorter index out of range.");
        g[i] = k[s];
      }
    });
    keys = gathered;
  }
  const Array vals = cast(v, common).contiguous();
  Array out = Array::empty(DType::int64, v.shape());
  visit_dtype(common, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* k = keys.data<T>();
    const T* x = vals.data<T>();
    auto* o = out.mutable_data<int64_t>();
    // Binary searches cost ~log2(n) comparisons each: parallel chunks of a few thousand.
    parallel_for_chunks(out.size(), 4096, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        const T* pos = right ? std::upper_bound(k, k + n, x[i], less_nan_last<T>)
                             : std::lower_bound(k, k + n, x[i], less_nan_last<T>);
        o[i] = pos - k;
      }
    });
  });
  return out;
}

}  // namespace larix::kernels
