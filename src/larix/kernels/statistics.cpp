#include "larix/kernels/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "larix/kernels/parallel.hpp"
#include "larix/kernels/reduce.hpp"

namespace larix::kernels {
namespace {

// Calls line(values, nan, k) for each reduced line of `a` (k: its C-order position among the kept
// elements) with its n elements in float64, and stores what `line` writes. Unless the line holds a
// NaN, values[r] is the line's r-th smallest value for every rank r in `ranks` (ascending): found
// by selection, as NumPy's partition does, not by a full sort.
template <class F>
void for_each_selected_line(const Array& a, const std::vector<int>& axes,
                            const std::vector<std::int64_t>& ranks, F line) {
  std::vector<int> perm;
  for (int i = 0; i < a.ndim(); ++i)
    if (!std::binary_search(axes.begin(), axes.end(), i)) perm.push_back(i);
  std::int64_t n = 1;
  for (int i : axes) {
    perm.push_back(i);
    n *= a.shape()[i];
  }
  const Array c = a.transpose(perm).astype(DType::float64).contiguous();
  const std::int64_t lines = c.size() / n;  // callers skip n == 0
  const double* data = c.data<double>();
  parallel_for_chunks(
      lines, std::max<std::int64_t>(1, kDefaultGrain / std::max<std::int64_t>(n, 1)),
      [&](std::int64_t begin, std::int64_t end) {
        std::vector<double> v(n);
        for (std::int64_t k = begin; k < end; ++k) {
          std::copy(data + k * n, data + (k + 1) * n, v.begin());
          const bool nan = std::any_of(v.begin(), v.end(), [](double x) { return std::isnan(x); });
          if (!nan) {
            // Each selection leaves the smaller values before the rank: the next rank's search
            // starts after it.
            auto from = v.begin();
            for (std::int64_t r : ranks) {
              if (v.begin() + r < from) continue;  // a repeated rank
              std::nth_element(from, v.begin() + r, v.end());
              from = v.begin() + r + 1;
            }
          }
          line(v, nan, k);
        }
      });
}

void store(Array& out, std::int64_t i, double value) {
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    out.mutable_data<T>()[i] = static_cast<T>(value);
  });
}

}  // namespace

void check_quantile_lines(const Array& a, const std::optional<std::vector<int>>& axes) {
  const std::vector<int> ax = normalize_axes(axes, a.ndim());
  std::int64_t n = 1;
  for (int i : ax) n *= a.shape()[i];
  LARIX_CHECK(n > 0 || shape_size(reduced_shape(a.shape(), ax, false)) == 0, index,
              "index -1 is out of bounds for axis 0 with size 0");
}

Array quantile(const Array& a, const std::vector<double>& q, bool q_is_array,
               const std::optional<std::vector<int>>& axes, bool keepdims, DType dtype) {
  const std::vector<int> ax = normalize_axes(axes, a.ndim());
  Shape shape = reduced_shape(a.shape(), ax, keepdims);
  const std::int64_t lines = shape_size(shape);
  std::int64_t n = 1;
  for (int i : ax) n *= a.shape()[i];
  check_quantile_lines(a, axes);
  if (q_is_array) shape.insert(shape.begin(), static_cast<std::int64_t>(q.size()));
  Array out = Array::empty(dtype, shape);
  if (n == 0) return out;
  const bool single = a.dtype() == DType::float32;
  std::vector<std::int64_t> ranks;  // the neighbours each q interpolates between
  for (double qj : q) {
    const double index = qj * static_cast<double>(n - 1);
    const auto lo = std::min<std::int64_t>(static_cast<std::int64_t>(std::floor(index)), n - 1);
    ranks.push_back(lo);
    ranks.push_back(std::min<std::int64_t>(lo + 1, n - 1));
  }
  std::sort(ranks.begin(), ranks.end());
  for_each_selected_line(a, ax, ranks, [&](const std::vector<double>& v, bool nan, std::int64_t k) {
    for (std::size_t j = 0; j < q.size(); ++j) {
      double r = std::numeric_limits<double>::quiet_NaN();
      if (!nan) {
        const double index = q[j] * static_cast<double>(n - 1);
        const auto lo = std::min<std::int64_t>(static_cast<std::int64_t>(std::floor(index)), n - 1);
        const auto hi = std::min<std::int64_t>(lo + 1, n - 1);
        const double g = index - static_cast<double>(lo), x = v[lo], y = v[hi];
        // NumPy subtracts in the input's dtype, then weights in the result's.
        const double diff =
            single ? static_cast<double>(static_cast<float>(y) - static_cast<float>(x)) : y - x;
        r = g >= 0.5 ? y - diff * (1 - g) : x + diff * g;
      }
      store(out, static_cast<std::int64_t>(j) * lines + k, r);
    }
  });
  return out;
}

Array median(const Array& a, const std::optional<std::vector<int>>& axes, bool keepdims) {
  const std::vector<int> ax = normalize_axes(axes, a.ndim());
  const DType dtype = is_integral(a.dtype()) ? DType::float64 : a.dtype();
  Array out = Array::empty(dtype, reduced_shape(a.shape(), ax, keepdims));
  std::int64_t n = 1;
  for (int i : ax) n *= a.shape()[i];
  if (n == 0) {
    for (std::int64_t i = 0; i < out.size(); ++i)
      store(out, i, std::numeric_limits<double>::quiet_NaN());
    return out;
  }
  std::vector<std::int64_t> ranks{n / 2};
  if (n % 2 == 0) ranks.insert(ranks.begin(), n / 2 - 1);
  for_each_selected_line(a, ax, ranks, [&](const std::vector<double>& v, bool nan, std::int64_t k) {
    double r = std::numeric_limits<double>::quiet_NaN();
    if (!nan) r = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    store(out, k, r);
  });
  return out;
}

}  // namespace larix::kernels
