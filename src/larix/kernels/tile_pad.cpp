#include "larix/kernels/tile_pad.hpp"

#include <cstring>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/parallel.hpp"

namespace larix::kernels {

using std::int64_t;

namespace {

// Copies elements of `Item` bytes: the gather moves bits and never looks at the dtype.
template <class Item>
void gather_rows(const Array& a, const std::vector<AxisMap>& maps, Array& out) {
  const int nd = a.ndim();
  const Shape& shape = out.shape();
  if (nd == 0) {
    std::memcpy(out.mutable_bytes(), a.bytes(), sizeof(Item));
    return;
  }
  // Byte offsets of each map's entries, so the inner loop is one load per element.
  std::vector<std::vector<int64_t>> offsets(nd);
  for (int k = 0; k < nd; ++k) {
    offsets[k].reserve(maps[k].size());
    for (int64_t i : maps[k]) offsets[k].push_back(i * a.strides()[k]);
  }
  const int64_t inner = shape[nd - 1];
  const int64_t rows = inner == 0 ? 0 : out.size() / inner;
  const char* src = a.bytes();
  Item* dst = reinterpret_cast<Item*>(out.mutable_bytes());
  const int64_t* last = offsets[nd - 1].data();
  parallel_for_chunks(rows, std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(inner, 1)),
                      [&](int64_t r0, int64_t r1) {
                        std::vector<int64_t> index(nd, 0);
                        int64_t rest = r0;
                        for (int k = nd - 2; k >= 0; --k)
                          index[k] = rest % shape[k], rest /= shape[k];
                        for (int64_t r = r0; r < r1; ++r) {
                          int64_t base = 0;
                          for (int k = 0; k < nd - 1; ++k) base += offsets[k][index[k]];
                          const char* row = src + base;
                          Item* o = dst + r * inner;
                          for (int64_t j = 0; j < inner; ++j)
                            std::memcpy(o + j, row + last[j], sizeof(Item));
                          for (int k = nd - 2; k >= 0; --k) {
                            if (++index[k] < shape[k]) break;
                            index[k] = 0;
                          }
                        }
                      });
}

// Leading axes of length 1 up to `nd` dimensions (a view).
Array with_leading_ones(const Array& a, int nd) {
  if (a.ndim() >= nd) return a;
  Shape s(nd - a.ndim(), 1);
  Strides st(nd - a.ndim(), 0);
  s.insert(s.end(), a.shape().begin(), a.shape().end());
  st.insert(st.end(), a.strides().begin(), a.strides().end());
  return a.view(0, s, st);
}

// Position `i` (may lie outside [0, n)) mapped into [0, n) by a periodic extension.
int64_t periodic(int64_t i, int64_t n, PadMode mode) {
  auto mod = [](int64_t x, int64_t m) { return ((x % m) + m) % m; };
  switch (mode) {
    case PadMode::edge: return std::min(std::max(i, int64_t{0}), n - 1);
    case PadMode::wrap: return mod(i, n);
    case PadMode::symmetric: {
      const int64_t m = mod(i, 2 * n);
      return m < n ? m : 2 * n - 1 - m;
    }
    case PadMode::reflect: {
      if (n == 1) return 0;
      const int64_t m = mod(i, 2 * (n - 1));
      return m < n ? m : 2 * (n - 1) - m;
    }
    case PadMode::constant: break;
  }
  LARIX_ASSERT(false, "periodic() of the constant mode");
  return 0;
}

const char* mode_name(PadMode mode) {
  switch (mode) {
    case PadMode::constant: return "constant";
    case PadMode::edge: return "edge";
    case PadMode::reflect: return "reflect";
    case PadMode::symmetric: return "symmetric";
    case PadMode::wrap: return "wrap";
  }
  return "?";
}

// Before index maps of an output of `shape` are built (one entry per output index along each
// axis): the shape must be one an array may have, fit the compile-time budget, and the maps'
// memory is asked for at once, so that a huge output fails promptly (ValueError "array is too
// big", or MemoryError) instead of growing the maps until memory runs out.
void reserve_maps(std::vector<AxisMap>& maps, const Shape& shape, std::size_t itemsize) {
  CompileTimeBudget::check(check_shape(shape, itemsize));
  for (std::size_t k = 0; k < maps.size(); ++k) maps[k].reserve(static_cast<std::size_t>(shape[k]));
}

struct Word16 {  // an element of 16 bytes (complex128), moved as it is
  std::uint64_t lo, hi;
};

}  // namespace

Array gather_axes(const Array& a, const std::vector<AxisMap>& maps) {
  LARIX_ASSERT(static_cast<int>(maps.size()) == a.ndim(), "one map per axis");
  Shape shape;
  for (const AxisMap& m : maps) shape.push_back(static_cast<int64_t>(m.size()));
  Array out = Array::empty(a.dtype(), shape);
  if (out.size() == 0) return out;
  switch (a.itemsize()) {
    case 1: gather_rows<std::uint8_t>(a, maps, out); break;
    case 2: gather_rows<std::uint16_t>(a, maps, out); break;  // int16, uint16, float16
    case 4: gather_rows<std::uint32_t>(a, maps, out); break;
    case 8: gather_rows<std::uint64_t>(a, maps, out); break;
    case 16: gather_rows<Word16>(a, maps, out); break;  // complex128
    default: LARIX_ASSERT(false, "item size ", a.itemsize());
  }
  return out;
}

Array tile(const Array& a, const std::vector<int64_t>& reps_in) {
  for (int64_t r : reps_in) LARIX_CHECK(r >= 0, value, "negative dimensions are not allowed");
  const int nd = std::max(a.ndim(), static_cast<int>(reps_in.size()));
  const Array src = with_leading_ones(a, nd);
  std::vector<int64_t> reps(nd - reps_in.size(), 1);
  reps.insert(reps.end(), reps_in.begin(), reps_in.end());
  Shape shape(nd);
  for (int k = 0; k < nd; ++k) shape[k] = checked_size(src.shape()[k], reps[k]);
  std::vector<AxisMap> maps(nd);
  reserve_maps(maps, shape, src.itemsize());
  for (int k = 0; k < nd; ++k) {
    const int64_t n = src.shape()[k];
    for (int64_t i = 0; i < n * reps[k]; ++i) maps[k].push_back(i % n);
  }
  return gather_axes(src, maps);
}

Array repeat(const Array& a, const std::vector<int64_t>& repeats, int axis) {
  LARIX_ASSERT(axis >= 0 && axis < a.ndim(), "axis ", axis);
  const int64_t n = a.shape()[axis];
  const int64_t count = static_cast<int64_t>(repeats.size());
  LARIX_CHECK(count == 1 || count == n, value,
              "operands could not be broadcast together with shape (", n, ",) (", count, ",)");
  for (int64_t r : repeats) LARIX_CHECK(r >= 0, value, "repeats may not contain negative values.");
  Shape shape = a.shape();
  shape[axis] = 0;
  for (int64_t i = 0; i < n; ++i)
    shape[axis] = checked_add(shape[axis], repeats[count == 1 ? 0 : i], ErrorKind::value,
                              "array is too big; `arr.size * arr.dtype.itemsize` is larger than "
                              "the maximum possible size");
  std::vector<AxisMap> maps(a.ndim());
  reserve_maps(maps, shape, a.itemsize());
  for (int k = 0; k < a.ndim(); ++k) {
    if (k != axis) {
      for (int64_t i = 0; i < a.shape()[k]; ++i) maps[k].push_back(i);
      continue;
    }
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < repeats[count == 1 ? 0 : i]; ++j) maps[k].push_back(i);
  }
  return gather_axes(a, maps);
}

PadMode pad_mode(const std::string& name) {
  for (PadMode m :
       {PadMode::constant, PadMode::edge, PadMode::reflect, PadMode::symmetric, PadMode::wrap})
    if (name == mode_name(m)) return m;
  user_error(ErrorKind::value, "mode '", name, "' is not supported");
}

Array pad(const Array& a, const std::vector<std::array<int64_t, 2>>& widths, PadMode mode,
          const Array& values) {
  const int nd = a.ndim();
  LARIX_ASSERT(static_cast<int>(widths.size()) == nd, "one pad width pair per axis");
  Shape shape = a.shape();
  for (int k = 0; k < nd; ++k) {
    LARIX_CHECK(widths[k][0] >= 0 && widths[k][1] >= 0, value,
                "index can't contain negative values");
    shape[k] += widths[k][0] + widths[k][1];
  }
  if (mode != PadMode::constant) {
    std::vector<AxisMap> maps(nd);
    for (int k = 0; k < nd; ++k) {
      const int64_t n = a.shape()[k];
      LARIX_CHECK(n > 0 || widths[k][0] + widths[k][1] == 0, value, "can't extend empty axis ", k,
                  " using modes other than 'constant' or 'empty'");
      for (int64_t i = 0; i < shape[k]; ++i) maps[k].push_back(periodic(i - widths[k][0], n, mode));
    }
    return gather_axes(a, maps);
  }
  LARIX_ASSERT(values.shape() == (Shape{nd, 2}), "one constant pair per axis");
  Array out = Array::empty(a.dtype(), shape);
  if (out.size() == 0) return out;
  // Axis by axis, as NumPy: the border of axis k spans the whole (padded) extent of the axes
  // before it and the input's extent of the axes after it, so the corners get the last axis' value.
  for (int k = 0; k < nd; ++k) {
    for (int side = 0; side < 2; ++side) {
      const int64_t width = widths[k][side];
      if (width == 0) continue;
      Shape s = shape;
      int64_t offset = 0;
      for (int j = k + 1; j < nd; ++j) {
        s[j] = a.shape()[j];
        offset += widths[j][0] * out.strides()[j];
      }
      s[k] = width;
      if (side == 1) offset += (widths[k][0] + a.shape()[k]) * out.strides()[k];
      Array region = out.view(offset, s, out.strides());
      assign(region, values.view(k * values.strides()[0] + side * values.strides()[1], {}, {}));
    }
  }
  int64_t offset = 0;
  for (int k = 0; k < nd; ++k) offset += widths[k][0] * out.strides()[k];
  Array middle = out.view(offset, a.shape(), out.strides());
  assign(middle, a);
  return out;
}

}  // namespace larix::kernels
