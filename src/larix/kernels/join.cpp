#include "larix/kernels/join.hpp"

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/parallel.hpp"

namespace larix::kernels {

Array concatenate(const std::vector<Array>& arrays, int axis) {
  LARIX_CHECK(!arrays.empty(), value, "need at least one array to concatenate");
  const int nd = arrays[0].ndim();
  LARIX_CHECK(nd > 0, value, "zero-dimensional arrays cannot be concatenated");
  const int k = axis < 0 ? axis + nd : axis;
  LARIX_CHECK(k >= 0 && k < nd, axis, "axis ", axis, " is out of bounds for array of dimension ",
              nd);
  Shape shape = arrays[0].shape();
  DType dtype = arrays[0].dtype();
  shape[k] = 0;
  for (std::size_t i = 0; i < arrays.size(); ++i) {
    const Array& a = arrays[i];
    LARIX_CHECK(a.ndim() == nd, value,
                "all the input arrays must have same number of dimensions, but the array at "
                "index 0 has ",
                nd, " dimension(s) and the array at index ", i, " has ", a.ndim(), " dimension(s)");
    for (int j = 0; j < nd; ++j)
      LARIX_CHECK(j == k || a.shape()[j] == arrays[0].shape()[j], value,
                  "all the input array dimensions except for the concatenation axis must match "
                  "exactly, but along dimension ",
                  j, ", the array at index 0 has size ", arrays[0].shape()[j],
                  " and the array at index ", i, " has size ", a.shape()[j]);
    shape[k] += a.shape()[k];
    dtype = result_type(dtype, a.dtype());
  }
  Array out = Array::empty(dtype, shape);
  // Each input fills its own slab of `out` (disjoint views): in parallel when there are several.
  std::vector<std::int64_t> start(arrays.size() + 1, 0);
  for (std::size_t i = 0; i < arrays.size(); ++i) start[i + 1] = start[i] + arrays[i].shape()[k];
  const std::int64_t per =
      std::max<std::int64_t>(1, out.size() / std::max<std::size_t>(1, arrays.size()));
  parallel_for_chunks(static_cast<std::int64_t>(arrays.size()),
                      std::max<std::int64_t>(1, kDefaultGrain / per),
                      [&](std::int64_t i0, std::int64_t i1) {
                        for (std::int64_t i = i0; i < i1; ++i) {
                          Shape s = shape;
                          s[k] = arrays[i].shape()[k];
                          Array dst = out.view(start[i] * out.strides()[k], s, out.strides());
                          assign(dst, arrays[i]);
                        }
                      });
  return out;
}

Array stack(const std::vector<Array>& arrays, int axis) {
  LARIX_CHECK(!arrays.empty(), value, "need at least one array to stack");
  const int nd = arrays[0].ndim();
  const int k = axis < 0 ? axis + nd + 1 : axis;
  LARIX_CHECK(k >= 0 && k <= nd, axis, "axis ", axis, " is out of bounds for array of dimension ",
              nd + 1);
  std::vector<Array> expanded;
  for (const Array& a : arrays) {
    LARIX_CHECK(a.shape() == arrays[0].shape(), value, "all input arrays must have the same shape");
    Shape s = a.shape();
    Strides st = a.strides();
    s.insert(s.begin() + k, 1);
    st.insert(st.begin() + k, 0);
    expanded.push_back(a.view(0, s, st));
  }
  return concatenate(expanded, k);
}

}  // namespace larix::kernels
