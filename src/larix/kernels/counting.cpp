#include "larix/kernels/counting.hpp"

#include <algorithm>
#include <cmath>

#include "larix/kernels/elementwise.hpp"

namespace larix::kernels {
namespace {

using std::int64_t;

// The elements of a (any layout) in C order, converted to T.
template <class T>
std::vector<T> values_of(const Array& a) {
  std::vector<T> out;
  out.reserve(static_cast<std::size_t>(a.size()));
  visit_dtype(a.dtype(), [&](auto tag) {
    using S = typename decltype(tag)::type;
    for_each_offset(a.shape(), a.strides(), [&](int64_t off) {
      out.push_back(static_cast<T>(*reinterpret_cast<const S*>(a.bytes() + off)));
    });
  });
  return out;
}

}  // namespace

Array bincount(const Array& x, const std::optional<Array>& weights, int64_t minlength) {
  LARIX_CHECK(x.ndim() == 1, value, "object of too small depth for desired array");
  LARIX_CHECK(!is_floating(x.dtype()), type, "Cannot cast array data from dtype('",
              dtype_name(x.dtype()), "') to dtype('int64') according to the rule 'safe'");
  LARIX_CHECK(minlength >= 0, value, "'minlength' must not be negative");
  const std::vector<int64_t> v = values_of<int64_t>(x);
  int64_t n = minlength;
  for (int64_t e : v) {
    LARIX_CHECK(e >= 0, value, "'list' argument must have no negative elements");
    n = std::max(n, e + 1);
  }
  if (!weights) {
    Array out = Array::zeros(DType::int64, {n});
    int64_t* o = out.mutable_data<int64_t>();
    for (int64_t e : v) ++o[e];
    return out;
  }
  LARIX_CHECK(weights->shape() == x.shape(), value,
              "The weights and list don't have the same length.");
  const std::vector<double> w = values_of<double>(*weights);
  Array out = Array::zeros(DType::float64, {n});
  double* o = out.mutable_data<double>();
  for (std::size_t i = 0; i < v.size(); ++i) o[v[i]] += w[i];
  return out;
}

Array histogram_counts(const Array& a, const Array& edges, bool uniform,
                       const std::optional<Array>& weights) {
  const int64_t nbins = edges.size() - 1;
  const DType wdtype = !weights                             ? DType::int64
                       : weights->dtype() == DType::float32 ? DType::float32
                       : is_floating(weights->dtype())      ? DType::float64
                       : weights->dtype() == DType::bool_   ? DType::int64
                                                            : DType::int64;
  std::vector<double> counts(static_cast<std::size_t>(nbins), 0.0);
  // Equal bins: the values in the edges' dtype, as NumPy computes their bins.
  const Array av = uniform ? cast(a, edges.dtype()) : a;
  const std::vector<double> x = values_of<double>(av), e = values_of<double>(edges);
  std::vector<double> w;
  if (weights) w = values_of<double>(*weights);
  const double first = e.front(), last = e.back();
  for (std::size_t i = 0; i < x.size() && nbins > 0; ++i) {
    const double v = x[i];
    if (!(v >= first && v <= last)) continue;
    int64_t k;
    if (uniform) {
      k = static_cast<int64_t>((v - first) / (last - first) * static_cast<double>(nbins));
      if (k == nbins) --k;
      if (v < e[k]) --k;
      else if (k != nbins - 1 && v >= e[k + 1]) ++k;
    } else {
      k = std::upper_bound(e.begin(), e.end(), v) - e.begin() - 1;
      if (k == nbins) --k;  // the last edge belongs to the last bin
    }
    counts[k] += weights ? w[i] : 1.0;
  }
  Array out = Array::empty(wdtype, {nbins});
  visit_dtype(wdtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* o = out.mutable_data<T>();
    for (int64_t i = 0; i < nbins; ++i) o[i] = static_cast<T>(counts[i]);
  });
  return out;
}

Array interp(const Array& x, const Array& xp, const Array& fp, std::optional<double> left,
             std::optional<double> right) {
  LARIX_CHECK(xp.ndim() == 1 && fp.ndim() == 1, value, "object too deep for desired array");
  LARIX_CHECK(xp.size() == fp.size(), value, "fp and xp are not of the same length.");
  LARIX_CHECK(xp.size() > 0, value, "array of sample points is empty");
  const std::vector<double> px = values_of<double>(xp), pf = values_of<double>(fp);
  const std::vector<double> xs = values_of<double>(x);
  const double lo = left.value_or(pf.front()), hi = right.value_or(pf.back());
  const int64_t n = xp.size();
  Array out = Array::empty(DType::float64, x.shape());
  double* o = out.mutable_data<double>();
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double v = xs[i];
    if (std::isnan(v)) {
      o[i] = v;
    } else if (v < px[0]) {
      o[i] = lo;
    } else if (v > px[n - 1]) {
      o[i] = hi;
    } else if (v == px[n - 1]) {
      o[i] = pf[n - 1];
    } else {
      const int64_t j = std::upper_bound(px.begin(), px.end(), v) - px.begin() - 1;
      const double slope = (pf[j + 1] - pf[j]) / (px[j + 1] - px[j]);
      double r = slope * (v - px[j]) + pf[j];
      // NumPy: where the slope is not finite, from the other end; an exact knot gives fp[j].
      if (std::isnan(r)) {
        r = slope * (v - px[j + 1]) + pf[j + 1];
        if (std::isnan(r) && pf[j] == pf[j + 1]) r = pf[j];
      }
      o[i] = v == px[j] ? pf[j] : r;
    }
  }
  return out;
}

Array correlate(const Array& a0, const Array& v0, const std::string& mode, bool convolve) {
  LARIX_CHECK(a0.ndim() == 1 && v0.ndim() == 1, value, "object too deep for desired array");
  LARIX_CHECK(mode == "valid" || mode == "same" || mode == "full", value,
              "mode must be one of "
              "'valid', 'same', or 'full' (got '",
              mode, "')");
  LARIX_CHECK(a0.size() > 0, value,
              convolve ? "a cannot be empty" : "first array argument cannot be empty");
  LARIX_CHECK(v0.size() > 0, value,
              convolve ? "v cannot be empty" : "second array argument cannot be empty");
  const DType dtype = promote(a0.dtype(), v0.dtype());
  Array a = cast(a0, dtype), v = cast(v0, dtype);
  if (convolve) {  // convolve(a, v) = correlate(a, v[::-1]) with the longer array first
    if (v.size() > a.size()) std::swap(a, v);
    v = v.view(v.strides()[0] * (v.size() - 1), v.shape(), {-v.strides()[0]});
  }
  bool inverted = false;
  if (a.size() < v.size()) {
    std::swap(a, v);
    inverted = true;
  }
  const int64_t n = a.size(), m = v.size();
  int64_t first, len;  // in lags: result[i] is lag first + i, sum_j a[j + lag] * v[j]
  if (mode == "valid") first = 0, len = n - m + 1;
  else if (mode == "same") first = -(m / 2), len = n;
  else first = -(m - 1), len = n + m - 1;
  Array out = Array::empty(dtype, {len});
  visit_dtype(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const std::vector<T> pa = values_of<T>(a), pv = values_of<T>(v);
    T* o = out.mutable_data<T>();
    for (int64_t i = 0; i < len; ++i) {
      const int64_t lag = first + i;
      const int64_t j0 = std::max<int64_t>(0, -lag), j1 = std::min<int64_t>(m, n - lag);
      if constexpr (std::same_as<T, bool>) {
        bool acc = false;
        for (int64_t j = j0; j < j1; ++j) acc = acc || (pa[j + lag] && pv[j]);
        o[i] = acc;
      } else if constexpr (std::same_as<T, int64_t>) {
        std::uint64_t acc = 0;  // int64 wraps
        for (int64_t j = j0; j < j1; ++j)
          acc += static_cast<std::uint64_t>(pa[j + lag]) * static_cast<std::uint64_t>(pv[j]);
        o[i] = static_cast<int64_t>(acc);
      } else {
        T acc = 0;
        for (int64_t j = j0; j < j1; ++j) acc += pa[j + lag] * pv[j];
        o[i] = acc;
      }
    }
    if (inverted) std::reverse(o, o + len);
  });
  return out;
}

Array isin(const Array& element, const Array& test, bool invert) {
  const DType dtype = promote(element.dtype(), test.dtype());
  Array out = Array::empty(DType::bool_, element.shape());
  bool* o = out.mutable_data<bool>();
  visit_dtype(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    std::vector<T> t = values_of<T>(cast(test, dtype));
    if constexpr (std::floating_point<T>)
      t.erase(std::remove_if(t.begin(), t.end(), [](T x) { return std::isnan(x); }), t.end());
    std::sort(t.begin(), t.end());
    const std::vector<T> e = values_of<T>(cast(element, dtype));
    for (std::size_t i = 0; i < e.size(); ++i) {
      bool found;
      if constexpr (std::floating_point<T>)
        found = !std::isnan(e[i]) && std::binary_search(t.begin(), t.end(), e[i]);
      else found = std::binary_search(t.begin(), t.end(), e[i]);
      o[i] = found != invert;
    }
  });
  return out;
}

Array copysign(const Array& a, const Array& b, DType dtype) {
  const Shape shape = broadcast_shapes(a.shape(), b.shape());
  const Array x = cast(a, dtype).broadcast_to(shape), y = cast(b, dtype).broadcast_to(shape);
  Array out = Array::empty(dtype, shape);
  visit_dtype(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::floating_point<T>) {
      const std::vector<T> px = values_of<T>(x), py = values_of<T>(y);
      T* o = out.mutable_data<T>();
      for (std::size_t i = 0; i < px.size(); ++i) o[i] = std::copysign(px[i], py[i]);
    } else {
      LARIX_ASSERT(false, "copysign computes in a float dtype");
    }
  });
  return out;
}

}  // namespace larix::kernels
