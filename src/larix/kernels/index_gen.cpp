#include "larix/kernels/index_gen.hpp"

#include <numeric>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/parallel.hpp"

namespace larix::kernels {

using std::int64_t;

Array indices(const Shape& shape, DType dtype) {
  const int nd = static_cast<int>(shape.size());
  Shape out_shape{nd};
  out_shape.insert(out_shape.end(), shape.begin(), shape.end());
  Array out = Array::empty(dtype, out_shape);
  if (out.size() == 0) return out;
  Shape slab_shape(shape);
  Strides slab_strides(out.strides().begin() + 1, out.strides().end());
  for (int k = 0; k < nd; ++k) {
    // 0, 1, ..., shape[k]-1 along axis k, broadcast (stride 0) along the others.
    Array range = Array::empty(DType::int64, {shape[k]});
    std::iota(range.mutable_data<int64_t>(), range.mutable_data<int64_t>() + shape[k], 0);
    Strides st(nd, 0);
    st[k] = range.strides()[0];
    Array slab = out.view(k * out.strides()[0], slab_shape, slab_strides);
    assign(slab, range.view(0, shape, st));
  }
  return out;
}

namespace {

template <class T>
bool is_nonzero(T x) {
  return x != T(0);  // NaN != 0 is true, -0.0 != 0 is false: NumPy's truth
}

}  // namespace

Array nonzero(const Array& input) {
  if (is_complex(input.dtype()))  // nonzero: either part
    return nonzero(binary(BinaryOp::not_equal, input, cast(Array::scalar(0.0), input.dtype())));
  const Array a = input.contiguous();
  const int nd = a.ndim();
  const int64_t n = a.size();
  // Fixed chunks, so that the counting pass and the filling pass agree on the boundaries.
  const int64_t chunk = kDefaultGrain;
  const int64_t chunks = (n + chunk - 1) / chunk;
  std::vector<int64_t> counts(chunks + 1, 0);
  visit_dtype(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* x = a.data<T>();
    parallel_for_chunks(chunks, 1, [&](int64_t c0, int64_t c1) {
      for (int64_t c = c0; c < c1; ++c) {
        int64_t count = 0;
        for (int64_t i = c * chunk, end = std::min(n, (c + 1) * chunk); i < end; ++i)
          count += is_nonzero(x[i]) ? 1 : 0;
        counts[c + 1] = count;
      }
    });
  });
  std::partial_sum(counts.begin(), counts.end(), counts.begin());
  const int64_t total = counts[chunks];
  Array out = Array::empty(DType::int64, {nd, total});
  if (total == 0 || nd == 0) return out;
  int64_t* coords = out.mutable_data<int64_t>();
  const Shape& shape = a.shape();
  visit_dtype(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* x = a.data<T>();
    parallel_for_chunks(chunks, 1, [&](int64_t c0, int64_t c1) {
      std::vector<int64_t> index(nd);
      for (int64_t c = c0; c < c1; ++c) {
        int64_t rest = c * chunk, slot = counts[c];
        for (int k = nd - 1; k >= 0; --k) index[k] = rest % shape[k], rest /= shape[k];
        for (int64_t i = c * chunk, end = std::min(n, (c + 1) * chunk); i < end; ++i) {
          if (is_nonzero(x[i])) {
            for (int k = 0; k < nd; ++k) coords[k * total + slot] = index[k];
            ++slot;
          }
          for (int k = nd - 1; k >= 0; --k) {
            if (++index[k] < shape[k]) break;
            index[k] = 0;
          }
        }
      }
    });
  });
  return out;
}

}  // namespace larix::kernels
