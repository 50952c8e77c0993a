#include "larix/kernels/indexing.hpp"

#include "larix/kernels/elementwise.hpp"

namespace larix::kernels {

using std::int64_t;

AxisIndex whole_axis(int64_t size) { return {AxisIndex::Kind::all, 0, 1, size}; }

AxisIndex single_index(int64_t index, int64_t size, int axis) {
  const int64_t i = index < 0 ? index + size : index;
  LARIX_CHECK(i >= 0 && i < size, index, "index ", index, " is out of bounds for axis ", axis,
              " with size ", size);
  return {AxisIndex::Kind::single, i, 1, 1};
}

AxisIndex range_index(std::optional<int64_t> start, std::optional<int64_t> stop,
                      std::optional<int64_t> step, int64_t size) {
  const int64_t s = step.value_or(1);
  LARIX_CHECK(s != 0, value, "slice step cannot be zero");
  // Clamp like CPython's PySlice_AdjustIndices: -1 is "before the first" for negative steps.
  auto clamp = [&](std::optional<int64_t> v, int64_t open) {
    if (!v) return open;
    int64_t x = *v < 0 ? *v + size : *v;
    if (x < 0) return s < 0 ? int64_t{-1} : int64_t{0};
    if (x >= size) return s < 0 ? size - 1 : size;
    return x;
  };
  const int64_t first = clamp(start, s < 0 ? size - 1 : 0);
  const int64_t last = clamp(stop, s < 0 ? -1 : size);
  int64_t length = 0;
  if (s > 0 && last > first) length = (last - first + s - 1) / s;
  if (s < 0 && first > last) length = (first - last - s - 1) / (-s);
  return {AxisIndex::Kind::range, first, s, length};
}

void check_index_count(int ndim, std::size_t count) {
  LARIX_CHECK(static_cast<int64_t>(count) <= ndim, index, "too many indices for array: array is ",
              ndim, "-dimensional, but ", count, " were indexed");
}

Shape indexed_shape(const Shape& shape, const std::vector<AxisIndex>& indices) {
  check_index_count(static_cast<int>(shape.size()), indices.size());
  Shape out;
  for (std::size_t axis = 0; axis < shape.size(); ++axis) {
    if (axis >= indices.size()) out.push_back(shape[axis]);
    else if (!indices[axis].drops_axis()) out.push_back(indices[axis].length);
  }
  return out;
}

Array index_view(const Array& a, const std::vector<AxisIndex>& indices) {
  check_index_count(a.ndim(), indices.size());
  int64_t offset = 0;
  Shape shape;
  Strides strides;
  for (int axis = 0; axis < a.ndim(); ++axis) {
    const int64_t stride = a.strides()[axis];
    if (axis >= static_cast<int>(indices.size())) {
      shape.push_back(a.shape()[axis]);
      strides.push_back(stride);
      continue;
    }
    const AxisIndex& index = indices[axis];
    // An empty range may start past the end: no element is ever read there.
    if (index.length > 0) offset += index.start * stride;
    if (index.drops_axis()) continue;
    shape.push_back(index.length);
    strides.push_back(stride * index.step);
  }
  return a.view(offset, std::move(shape), std::move(strides));
}

void check_assignable(const Shape& value, const Shape& region) {
  // NumPy drops leading length-1 axes of the value, then broadcasts it to the region.
  std::size_t skip = 0;
  while (value.size() - skip > region.size() && value[skip] == 1) ++skip;
  bool ok = value.size() - skip <= region.size();
  for (std::size_t i = skip; ok && i < value.size(); ++i) {
    const int64_t r = region[region.size() - (value.size() - i)];
    ok = value[i] == r || value[i] == 1;
  }
  LARIX_CHECK(ok, value, "could not broadcast input array from shape ", numpy_shape_str(value),
              " into shape ", numpy_shape_str(region));
}

void assign_indexed(Array& dst, const std::vector<AxisIndex>& indices, const Array& value) {
  Array region = index_view(dst, indices);
  check_assignable(value.shape(), region.shape());
  const std::size_t extra = value.ndim() > region.ndim() ? value.ndim() - region.ndim() : 0;
  if (extra == 0) return assign(region, value);
  // Drop the extra leading axes (all of length 1) as a view.
  assign(region, value.view(0, Shape(value.shape().begin() + extra, value.shape().end()),
                            Strides(value.strides().begin() + extra, value.strides().end())));
}

}  // namespace larix::kernels
