#include "larix/kernels/indexing.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/parallel.hpp"

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
  // In 128 bits: a step near +-2**63 overflows the int64 sums (and -s for INT64_MIN).
  const __int128 s128 = s;
  int64_t length = 0;
  if (s > 0 && last > first) length = static_cast<int64_t>((last - first + s128 - 1) / s128);
  if (s < 0 && first > last) length = static_cast<int64_t>((first - last - s128 - 1) / -s128);
  // One element or none: the step does not matter, and a huge one would overflow stride * step.
  return {AxisIndex::Kind::range, first, length > 1 ? s : 1, length};
}

void check_index_count(int ndim, std::size_t count) {
  LARIX_CHECK(static_cast<int64_t>(count) <= ndim, index, "too many indices for array: array is ",
              ndim, "-dimensional, but ", count, " were indexed");
}

namespace {

constexpr AxisIndex kNewAxis{AxisIndex::Kind::newaxis, 0, 1, 1};

// The index array with negative entries wrapped. The first entry (C order) outside [0, size) is
// noted in `error` (NumPy raises it when the elements are visited: after a bad value's error).
Array normalised_indices(const Array& idx, int64_t size, int axis, std::string& error) {
  const Array in = idx.contiguous();
  Array out = Array::empty(DType::int64, in.shape());
  const int64_t* src = in.data<int64_t>();
  int64_t* dst = out.mutable_data<int64_t>();
  std::atomic<bool> bad{false};
  parallel_for_chunks(in.size(), [&](int64_t begin, int64_t end) {
    bool any = false;
    for (int64_t i = begin; i < end; ++i) {
      const int64_t v = src[i] < 0 ? src[i] + size : src[i];
      any = any || v < 0 || v >= size;
      dst[i] = v;
    }
    if (any) bad.store(true, std::memory_order_relaxed);
  });
  if (bad.load() && error.empty()) {
    for (int64_t i = 0; i < in.size(); ++i) {
      if (dst[i] >= 0 && dst[i] < size) continue;
      error = "index " + std::to_string(src[i]) + " is out of bounds for axis " +
              std::to_string(axis) + " with size " + std::to_string(size);
      break;
    }
  }
  return out;
}

// The coordinates of the true elements of a mask (numpy.nonzero), one int64 array per axis, in C
// order. Counted per fixed chunk first, so the chunks fill disjoint parts of the result.
std::vector<Array> nonzero(const Array& mask) {
  const Array m = mask.contiguous();
  const bool* data = m.data<bool>();
  const int64_t n = m.size();
  const int64_t chunk = kDefaultGrain;
  const int64_t chunks = (n + chunk - 1) / chunk;
  std::vector<int64_t> first(static_cast<std::size_t>(chunks) + 1, 0);
  parallel_for_chunks(chunks, 1, [&](int64_t cb, int64_t ce) {
    for (int64_t c = cb; c < ce; ++c) {
      int64_t count = 0;
      for (int64_t i = c * chunk, end = std::min(n, (c + 1) * chunk); i < end; ++i)
        count += data[i] ? 1 : 0;
      first[c + 1] = count;
    }
  });
  for (int64_t c = 0; c < chunks; ++c) first[c + 1] += first[c];
  const int k = m.ndim();
  std::vector<Array> coords;
  std::vector<int64_t*> out;
  for (int j = 0; j < k; ++j) {
    coords.push_back(Array::empty(DType::int64, {first.back()}));
    out.push_back(coords.back().mutable_data<int64_t>());
  }
  const Shape& shape = m.shape();
  parallel_for_chunks(chunks, 1, [&](int64_t cb, int64_t ce) {
    for (int64_t c = cb; c < ce; ++c) {
      int64_t pos = first[c];
      for (int64_t i = c * chunk, end = std::min(n, (c + 1) * chunk); i < end; ++i) {
        if (!data[i]) continue;
        int64_t rest = i;
        for (int j = k - 1; j >= 0; --j) {
          out[j][pos] = rest % shape[j];
          rest /= shape[j];
        }
        ++pos;
      }
    }
  });
  return coords;
}

Shape broadcast_index_shapes(const std::vector<Array>& arrays) {
  Shape out;
  bool ok = true;
  for (const Array& a : arrays) {
    const Shape& s = a.shape();
    if (s.size() > out.size()) out.insert(out.begin(), s.size() - out.size(), 1);
    for (std::size_t i = 0; i < s.size(); ++i) {
      int64_t& o = out[out.size() - s.size() + i];
      if (o == 1) o = s[i];
      else if (s[i] != 1 && s[i] != o) ok = false;
    }
  }
  if (!ok) {
    std::string shapes;
    for (const Array& a : arrays)
      if (a.ndim() > 0) shapes += numpy_shape_str(a.shape()) + " ";
    user_error(ErrorKind::index,
               "shape mismatch: indexing arrays could not be broadcast together with shapes ",
               shapes);
  }
  return out;
}

// The view V of `a` that the plan's basic steps select (advanced axes whole).
Array basic_view(const Array& a, const IndexPlan& plan) {
  LARIX_ASSERT(a.shape() == plan.source, "index plan made for shape ", shape_str(plan.source),
               ", used on ", shape_str(a.shape()));
  int64_t offset = 0;
  Shape shape;
  Strides strides;
  int axis = 0;
  for (const AxisIndex& step : plan.steps) {
    if (step.kind == AxisIndex::Kind::newaxis) {
      shape.push_back(1);
      strides.push_back(0);
      continue;
    }
    const int64_t stride = a.strides()[axis++];
    // An empty range may start past the end: no element is ever read there.
    if (step.length > 0) offset += step.start * stride;
    if (step.drops_axis()) continue;
    shape.push_back(step.length);
    strides.push_back(stride * step.step);
  }
  return a.view(offset, std::move(shape), std::move(strides));
}

// The elements of a[index] in C order over `sizes`: the result's axes with the broadcast index
// axes merged into one, whose byte offsets into V come from `table`.
struct Walk {
  Shape sizes;
  Strides strides;  // bytes into V; unused at `table_axis`
  int table_axis = 0;
  std::vector<int64_t> table;
  int64_t size() const { return shape_size(sizes); }

  int64_t offset(int axis, int64_t i) const {
    return axis == table_axis ? table[static_cast<std::size_t>(i)] : i * strides[axis];
  }

  // Calls op(position, byte offset into V) for the positions [begin, end) in C order.
  template <class Op>
  void run(int64_t begin, int64_t end, Op&& op) const {
    const int nd = static_cast<int>(sizes.size());
    std::vector<int64_t> index(nd);
    int64_t rest = begin, off = 0;
    for (int axis = nd - 1; axis >= 0; --axis) {
      index[axis] = rest % sizes[axis];
      rest /= sizes[axis];
      off += offset(axis, index[axis]);
    }
    const int last = nd - 1;
    off -= offset(last, index[last]);  // `off` holds the outer axes only
    int64_t pos = begin;
    while (pos < end) {
      const int64_t stop = std::min(sizes[last], index[last] + (end - pos));
      if (last == table_axis) {
        for (int64_t i = index[last]; i < stop; ++i) op(pos++, off + table[i]);
      } else {
        for (int64_t i = index[last]; i < stop; ++i) op(pos++, off + i * strides[last]);
      }
      if (pos >= end) return;
      index[last] = 0;
      for (int axis = last - 1; axis >= 0; --axis) {
        off -= offset(axis, index[axis]);
        if (++index[axis] < sizes[axis]) {
          off += offset(axis, index[axis]);
          break;
        }
        index[axis] = 0;
        off += offset(axis, 0);
      }
    }
  }
};

Walk make_walk(const Array& v, const IndexPlan& plan) {
  Walk w;
  const int64_t count = shape_size(plan.broadcast);
  std::size_t next = 0;  // next advanced axis of V
  for (int axis = 0; axis < v.ndim(); ++axis) {
    if (next < plan.advanced_axes.size() && plan.advanced_axes[next] == axis) {
      ++next;
      continue;
    }
    w.sizes.push_back(v.shape()[axis]);
    w.strides.push_back(v.strides()[axis]);
  }
  w.table_axis = plan.position;
  w.sizes.insert(w.sizes.begin() + plan.position, count);
  w.strides.insert(w.strides.begin() + plan.position, 0);
  w.table.assign(static_cast<std::size_t>(count), 0);
  for (std::size_t k = 0; k < plan.advanced.size(); ++k) {
    const int64_t* idx = plan.advanced[k].data<int64_t>();
    const int64_t stride = v.strides()[plan.advanced_axes[k]];
    parallel_for_chunks(count, [&](int64_t begin, int64_t end) {
      for (int64_t b = begin; b < end; ++b) w.table[b] += idx[b] * stride;
    });
  }
  return w;
}

template <std::size_t Bytes>
struct Word {
  unsigned char b[Bytes];
};

// Calls f(Word<itemsize>{}) : elements are moved as raw words of the dtype's size.
template <class F>
void with_word(std::size_t itemsize, F&& f) {
  switch (itemsize) {
    case 1: return f(std::uint8_t{});
    case 2: return f(std::uint16_t{});  // int16, uint16, float16
    case 4: return f(std::uint32_t{});
    case 8: return f(std::uint64_t{});
    case 16: return f(Word<16>{});  // complex128
  }
  LARIX_ASSERT(false, "unexpected itemsize ", itemsize);
}

bool has_duplicates(std::vector<int64_t> offsets) {
  std::sort(offsets.begin(), offsets.end());
  return std::adjacent_find(offsets.begin(), offsets.end()) != offsets.end();
}

}  // namespace

IndexPlan plan_index(const Shape& shape, const std::vector<Index>& indices) {
  const int ndim = static_cast<int>(shape.size());
  std::size_t consumed = 0;
  int ellipses = 0;
  bool has_array = false;
  for (const Index& ix : indices) {
    switch (ix.kind) {
      case Index::Kind::ellipsis: ++ellipses; break;
      case Index::Kind::newaxis: break;
      case Index::Kind::array:
        LARIX_CHECK(ix.array.dtype() == DType::int64 || ix.array.dtype() == DType::bool_, index,
                    "arrays used as indices must be of integer (or boolean) type");
        has_array = true;
        consumed += ix.array.dtype() == DType::bool_ ? ix.array.ndim() : 1;
        break;
      default: ++consumed;
    }
  }
  LARIX_CHECK(ellipses <= 1, index, "an index can only have a single ellipsis ('...')");
  check_index_count(ndim, consumed);

  IndexPlan plan;
  plan.source = shape;
  std::vector<Array> arrays;  // normalised index arrays, one per advanced axis of V
  int vaxis = 0, axis = 0;
  int first_item = -1, last_item = -1, items = 0, masks = 0;
  auto advanced = [&](int item, Array idx) {
    if (first_item < 0) first_item = item;
    if (last_item != item) ++items;
    last_item = item;
    plan.advanced_axes.push_back(vaxis);
    arrays.push_back(std::move(idx));
  };
  auto keep_whole = [&] {
    plan.steps.push_back(whole_axis(shape[axis++]));
    ++vaxis;
  };
  for (std::size_t i = 0; i < indices.size(); ++i) {
    const Index& ix = indices[i];
    const int item = static_cast<int>(i);
    switch (ix.kind) {
      case Index::Kind::all: keep_whole(); break;
      case Index::Kind::range:
        plan.steps.push_back(range_index(ix.start, ix.stop, ix.step, shape[axis++]));
        ++vaxis;
        break;
      case Index::Kind::integer: {
        const AxisIndex one = single_index(ix.value, shape[axis], axis);
        if (!has_array) {
          plan.steps.push_back(one);
          ++axis;
          break;
        }
        // Beside index arrays an integer is a 0-d index array (NumPy's rule, which matters for
        // where the broadcast axes go).
        advanced(item, Array::scalar<int64_t>(one.start));
        keep_whole();
        break;
      }
      case Index::Kind::newaxis:
        plan.steps.push_back(kNewAxis);
        ++vaxis;
        break;
      case Index::Kind::ellipsis:
        for (std::size_t k = consumed; k < shape.size(); ++k) keep_whole();
        break;
      case Index::Kind::array: {
        const Array& a = ix.array;
        if (a.dtype() == DType::int64) {
          advanced(item, normalised_indices(a, shape[axis], axis, plan.out_of_bounds));
          keep_whole();
          break;
        }
        ++masks;
        if (a.ndim() == 0) {
          // A 0-d mask adds an axis of length 1 and keeps it (true) or none of it (false).
          plan.steps.push_back(kNewAxis);
          advanced(item, a.item<bool>() ? Array::from_vector<int64_t>({0}, {1})
                                        : Array::empty(DType::int64, {0}));
          ++vaxis;
          break;
        }
        // NumPy accepts a mask axis of length 0 against any axis length (it selects nothing).
        for (int j = 0; j < a.ndim(); ++j)
          LARIX_CHECK(a.shape()[j] == shape[axis + j] || a.shape()[j] == 0, index,
                      "boolean index did not match indexed array along axis ", axis + j,
                      "; size of axis is ", shape[axis + j],
                      " but size of corresponding boolean axis is ", a.shape()[j]);
        for (Array& coords : nonzero(a)) {
          advanced(item, std::move(coords));
          keep_whole();
        }
        break;
      }
    }
  }
  while (axis < ndim) keep_whole();

  Shape view_shape;
  for (const AxisIndex& step : plan.steps)
    if (!step.drops_axis()) view_shape.push_back(step.length);
  if (plan.advanced_axes.empty()) {
    plan.result = std::move(view_shape);
    return plan;
  }
  plan.broadcast = broadcast_index_shapes(arrays);
  // NumPy checks the entries it visits: none when the index arrays broadcast to nothing
  if (shape_size(plan.broadcast) == 0) plan.out_of_bounds.clear();
  for (const Array& a : arrays)
    plan.advanced.push_back(a.broadcast_to(plan.broadcast).contiguous());
  // Adjacent advanced indices put the broadcast axes where they stand; separated ones, first.
  const bool adjacent = last_item - first_item + 1 == items;
  // (V's axes before the first advanced one are all kept: none of them is advanced)
  plan.position = adjacent ? plan.advanced_axes.front() : 0;
  std::size_t next = 0;
  for (int v = 0; v < static_cast<int>(view_shape.size()); ++v) {
    if (next < plan.advanced_axes.size() && plan.advanced_axes[next] == v) {
      ++next;
      continue;
    }
    plan.result.push_back(view_shape[v]);
  }
  plan.result.insert(plan.result.begin() + plan.position, plan.broadcast.begin(),
                     plan.broadcast.end());
  plan.whole_mask = indices.size() == 1 && masks == 1 && indices[0].array.ndim() == ndim;
  plan.may_repeat = !(masks == items);  // masks and 0-d masks never name an element twice
  return plan;
}

Array apply_index(const Array& a, const IndexPlan& plan) {
  check_bounds(plan);
  const Array v = basic_view(a, plan);
  if (plan.is_basic()) return v;
  const Walk w = make_walk(v, plan);
  Array out = Array::empty(a.dtype(), plan.result);
  with_word(a.itemsize(), [&](auto word) {
    using W = decltype(word);
    const char* src = v.bytes();
    W* dst = reinterpret_cast<W*>(out.mutable_bytes());
    parallel_for_chunks(w.size(), [&](int64_t begin, int64_t end) {
      w.run(begin, end,
            [&](int64_t pos, int64_t off) { std::memcpy(dst + pos, src + off, sizeof(W)); });
    });
  });
  return out;
}

namespace {

// The value with the leading length-1 axes it has beyond `ndim` dropped (a view).
Array drop_leading_ones(const Array& value, std::size_t ndim) {
  std::size_t extra = 0;
  while (value.ndim() - extra > ndim && value.shape()[extra] == 1) ++extra;
  if (extra == 0) return value;
  return value.view(0, Shape(value.shape().begin() + extra, value.shape().end()),
                    Strides(value.strides().begin() + extra, value.strides().end()));
}

bool broadcastable(const Shape& value, const Shape& region) {
  std::size_t skip = 0;
  while (value.size() - skip > region.size() && value[skip] == 1) ++skip;
  if (value.size() - skip > region.size()) return false;
  for (std::size_t i = skip; i < value.size(); ++i) {
    const int64_t r = region[region.size() - (value.size() - i)];
    if (value[i] != r && value[i] != 1) return false;
  }
  return true;
}

void check_value_shape(const Shape& value, const IndexPlan& plan) {
  if (plan.whole_mask) {
    LARIX_CHECK(value.size() <= 1, type,
                "NumPy boolean array indexing assignment requires a 0 or 1-dimensional input, "
                "input has ",
                value.size(), " dimensions");
    const int64_t count = shape_size(plan.broadcast);
    LARIX_CHECK(value.empty() || value[0] == 1 || value[0] == count, value,
                "NumPy boolean array indexing assignment cannot assign ",
                value.empty() ? 1 : value[0], " input values to the ", count,
                " output values where the mask is true");
    return;
  }
  if (broadcastable(value, plan.result)) return;
  if (plan.is_basic())
    user_error(ErrorKind::value, "could not broadcast input array from shape ",
               numpy_shape_str(value), " into shape ", numpy_shape_str(plan.result));
  user_error(ErrorKind::value, "shape mismatch: value array of shape ", numpy_shape_str(value),
             " could not be broadcast to indexing result of shape ", numpy_shape_str(plan.result));
}

}  // namespace

void check_bounds(const IndexPlan& plan) {
  LARIX_CHECK(plan.out_of_bounds.empty(), index, plan.out_of_bounds);
}

void check_assignable(const Shape& value, const IndexPlan& plan) {
  check_value_shape(value, plan);
  check_bounds(plan);
}

void assign_index(Array& dst, const IndexPlan& plan, const Array& value) {
  check_assignable(value.shape(), plan);
  Array v = basic_view(dst, plan);
  const Array from = drop_leading_ones(value, plan.result.size());
  if (plan.is_basic()) return assign(v, from);
  const Walk w = make_walk(v, plan);
  const int64_t n = w.size();
  if (n == 0) return;
  // The value in dst's dtype, as n elements in C order (one element when it is a scalar).
  Array src = cast(from, dst.dtype());
  const bool scalar = src.size() == 1;
  src = scalar ? src.contiguous() : src.broadcast_to(plan.result).contiguous();
  // With repeated indices the last write wins: keep C order by writing serially.
  const bool serial = n > kDefaultGrain && plan.may_repeat && has_duplicates(w.table);
  char* base = v.mutable_bytes();
  with_word(dst.itemsize(), [&](auto word) {
    using W = decltype(word);
    const W* in = reinterpret_cast<const W*>(src.bytes());
    auto body = [&](int64_t begin, int64_t end) {
      w.run(begin, end, [&](int64_t pos, int64_t off) {
        std::memcpy(base + off, in + (scalar ? 0 : pos), sizeof(W));
      });
    };
    if (serial) body(0, n);
    else parallel_for_chunks(n, body);
  });
}

}  // namespace larix::kernels
