// NumPy indexing of Arrays. An index tuple is a list of `Index`es: integers, slices, the whole
// axis, numpy.newaxis, Ellipsis, integer arrays and boolean masks. `plan_index` checks a tuple
// against a shape once (every IndexError is raised there) and gives an `IndexPlan`, which reads
// (`apply_index`) or writes (`assign_index`) any array of that shape. Basic indexing (no arrays)
// gives a view sharing the buffer; advanced indexing (arrays) gathers into a new array, with
// NumPy's rules for the result's shape (index arrays broadcast together; their axes replace the
// indexed axes in place when the advanced indices are adjacent in the tuple, else go first).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "larix/array/array.hpp"

namespace larix::kernels {

// One axis of a basic index, normalised for a given axis length.
struct AxisIndex {
  enum class Kind { all, single, range, newaxis };
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

// One entry of an index tuple, as NumPy reads it.
struct Index {
  enum class Kind { all, integer, range, newaxis, ellipsis, array };
  Kind kind = Kind::all;
  std::int64_t value = 0;                         // integer
  std::optional<std::int64_t> start, stop, step;  // range (Python's slice)
  Array array;                                    // array: int64 (indices) or bool (a mask)

  static Index all() { return {}; }
  static Index integer(std::int64_t i) { return {Kind::integer, i, {}, {}, {}, {}}; }
  static Index range(std::optional<std::int64_t> start, std::optional<std::int64_t> stop,
                     std::optional<std::int64_t> step = std::nullopt) {
    return {Kind::range, 0, start, stop, step, {}};
  }
  static Index newaxis() { return {Kind::newaxis, 0, {}, {}, {}, {}}; }
  static Index ellipsis() { return {Kind::ellipsis, 0, {}, {}, {}, {}}; }
  // An int64 array (indices, negative ones wrap) or a bool array (a mask); any other dtype is an
  // IndexError in plan_index.
  static Index of_array(Array a) { return {Kind::array, 0, {}, {}, {}, std::move(a)}; }
};

// An index tuple checked against a shape: the basic part as one step per axis of an intermediate
// view V (advanced axes kept whole there), and the advanced part as int64 index arrays over axes
// of V, normalised (no negatives) and broadcast to one shape.
struct IndexPlan {
  Shape source;                    // the shape the plan was made for
  std::vector<AxisIndex> steps;    // builds V: all/single/range use a source axis, newaxis none
  std::vector<int> advanced_axes;  // axes of V indexed by arrays (increasing)
  std::vector<Array> advanced;     // one C-contiguous int64 array of shape `broadcast` per axis
  Shape broadcast;                 // the index arrays' common shape
  int position = 0;                // where the broadcast axes stand among the result's axes
  Shape result;                    // the shape of a[index]
  bool may_repeat = false;         // an index array may name one element twice
  std::string out_of_bounds;       // the message for an index array's entry out of bounds
  bool whole_mask = false;         // the index is one mask of the array's shape (NumPy's rules)

  bool is_basic() const { return advanced_axes.empty(); }
};

// Checks `indices` against `shape`: too many indices, more than one Ellipsis, non-integer arrays,
// out-of-bounds integers, masks whose shape does not match, index arrays that do not broadcast:
// each an IndexError with NumPy's message. An out-of-bounds entry of an index array is noted in
// the plan and raised by check_bounds (NumPy finds it when it visits the elements: a write
// reports a value of the wrong shape first).
IndexPlan plan_index(const Shape& shape, const std::vector<Index>& indices);
// IndexError "index 5 is out of bounds for axis 0 with size 3" for an index array's entry.
void check_bounds(const IndexPlan& plan);

// a[index] (check_bounds first): a view when the plan is basic, else a new C-contiguous array
// (gathered in parallel chunks when large). `a` must have the plan's shape.
Array apply_index(const Array& a, const IndexPlan& plan);
inline Array index(const Array& a, const std::vector<Index>& indices) {
  return apply_index(a, plan_index(a.shape(), indices));
}

// ValueError unless a value of shape `value` can be assigned to a[index]: leading length-1 axes
// of the value may be dropped, then it broadcasts to the plan's result shape. With one mask of
// the array's own shape, NumPy's stricter rule: the value is 0-d or 1-d (else a TypeError).
// Then check_bounds.
void check_assignable(const Shape& value, const IndexPlan& plan);
// dst[index] = value with NumPy's assignment rules: value broadcasts to a[index]'s shape and is
// cast to dst's dtype; with repeated indices the last write in C order wins. dst must be writable
// and the only holder of its buffer (copy-on-write is the caller's: see Array::uniquely_owned).
void assign_index(Array& dst, const IndexPlan& plan, const Array& value);

}  // namespace larix::kernels
