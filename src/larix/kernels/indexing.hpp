// Basic indexing: one index per axis, an integer (picks one position, drops the axis), a slice
// (start:stop:step, a strided view) or the whole axis. Results are views that share the buffer,
// as NumPy's basic indexing. (Advanced indexing, index arrays and masks, can add kinds here.)
#pragma once

#include <optional>
#include <vector>

#include "larix/array/array.hpp"

namespace larix::kernels {

struct AxisIndex {
  enum class Kind { all, single, range };
  Kind kind = Kind::all;
  std::int64_t start = 0, step = 1, length = 0;  // normalised: positions start + i*step, i < length

  bool drops_axis() const { return kind == Kind::single; }
};

// The whole axis of length `size`.
AxisIndex whole_axis(std::int64_t size);
// One position; negative counts from the end. IndexError "index 5 is out of bounds for axis 0
// with size 3" when outside.
AxisIndex single_index(std::int64_t index, std::int64_t size, int axis);
// Python's slice(start, stop, step).indices(size): missing ends are open, negative values count
// from the end, out-of-range values clamp. ValueError "slice step cannot be zero".
AxisIndex range_index(std::optional<std::int64_t> start, std::optional<std::int64_t> stop,
                      std::optional<std::int64_t> step, std::int64_t size);

// IndexError "too many indices for array: array is 1-dimensional, but 2 were indexed".
void check_index_count(int ndim, std::size_t count);
// The view of `a` that the indices select (axes past the last index are kept whole).
// IndexError "too many indices for array: array is 1-dimensional, but 2 were indexed".
Array index_view(const Array& a, const std::vector<AxisIndex>& indices);
// The shape of that view (indices must have been made for `shape`).
Shape indexed_shape(const Shape& shape, const std::vector<AxisIndex>& indices);

// dst[indices] = value with NumPy's assignment rules: value broadcasts to the selected region
// (leading length-1 axes of value may be dropped) and is cast to dst's dtype. dst must be writable
// and the only holder of its buffer (copy-on-write is the caller's: see Array::uniquely_owned).
// ValueError "could not broadcast input array from shape (3,) into shape (2,)".
void check_assignable(const Shape& value, const Shape& region);
void assign_indexed(Array& dst, const std::vector<AxisIndex>& indices, const Array& value);

}  // namespace larix::kernels
