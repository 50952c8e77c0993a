// The one n-d loop every element-wise kernel runs on: N operands (operand 0 is usually the output)
// that share a shape, each with its own byte strides (0 for a broadcast axis). Axes are collapsed
// first, so contiguous and scalar-broadcast operands become one long inner run whose strides the
// kernel's inner loop specialises on (that inner loop is what the compiler vectorises).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "larix/array/array.hpp"
#include "larix/kernels/parallel.hpp"

namespace larix::kernels::detail {

inline constexpr int kMaxDims = 64;  // NumPy 2's limit

template <std::size_t N>
struct StridedLoop {
  Shape shape;  // collapsed: no size-1 axes, mergeable axes merged
  std::array<std::vector<std::int64_t>, N> strides;  // bytes, per operand, per collapsed axis
  std::array<char*, N> base;
  std::int64_t size() const { return shape_size(shape); }
};

// Drops size-1 axes and merges axis pairs that every operand walks as one (stride[k-1] ==
// stride[k] * shape[k]). The element order (C order over `shape`) is kept.
template <std::size_t N>
StridedLoop<N> make_loop(const Shape& shape, const std::array<const Strides*, N>& strides,
                         const std::array<char*, N>& base) {
  StridedLoop<N> loop;
  loop.base = base;
  for (std::size_t axis = 0; axis < shape.size(); ++axis) {
    if (shape[axis] == 1) continue;
    if (!loop.shape.empty()) {
      bool mergeable = true;
      for (std::size_t j = 0; j < N; ++j)
        mergeable = mergeable && loop.strides[j].back() == (*strides[j])[axis] * shape[axis];
      if (mergeable) {
        loop.shape.back() *= shape[axis];
        for (std::size_t j = 0; j < N; ++j) loop.strides[j].back() = (*strides[j])[axis];
        continue;
      }
    }
    loop.shape.push_back(shape[axis]);
    for (std::size_t j = 0; j < N; ++j) loop.strides[j].push_back((*strides[j])[axis]);
  }
  if (shape_size(shape) == 0) loop.shape = {0};
  return loop;
}

// Calls inner(pointers, inner_strides, count) for the runs along the last collapsed axis that
// cover the C-order element range [begin, end).
template <std::size_t N, class Inner>
void run_range(const StridedLoop<N>& loop, std::int64_t begin, std::int64_t end, Inner& inner) {
  const int nd = static_cast<int>(loop.shape.size());
  std::array<std::int64_t, N> step{};
  std::array<char*, N> ptr = loop.base;
  if (nd == 0) {
    if (begin < end) inner(ptr, step, std::int64_t{1});
    return;
  }
  LARIX_ASSERT(nd <= kMaxDims, "too many dimensions: ", nd);
  std::array<std::int64_t, kMaxDims> index;
  std::int64_t rest = begin;
  for (int axis = nd - 1; axis >= 0; --axis) {
    index[axis] = rest % loop.shape[axis];
    rest /= loop.shape[axis];
    for (std::size_t j = 0; j < N; ++j) ptr[j] += index[axis] * loop.strides[j][axis];
  }
  for (std::size_t j = 0; j < N; ++j) step[j] = loop.strides[j][nd - 1];
  const std::int64_t inner_size = loop.shape[nd - 1];
  std::int64_t pos = begin;
  while (pos < end) {
    const std::int64_t count = std::min(inner_size - index[nd - 1], end - pos);
    inner(ptr, step, count);
    pos += count;
    if (pos >= end) return;
    // Back to the start of the inner axis, then carry into the outer axes.
    for (std::size_t j = 0; j < N; ++j) ptr[j] -= index[nd - 1] * step[j];
    index[nd - 1] = 0;
    for (int axis = nd - 2; axis >= 0; --axis) {
      for (std::size_t j = 0; j < N; ++j) ptr[j] += loop.strides[j][axis];
      if (++index[axis] < loop.shape[axis]) break;
      for (std::size_t j = 0; j < N; ++j) ptr[j] -= loop.strides[j][axis] * loop.shape[axis];
      index[axis] = 0;
    }
  }
}

// The whole loop, in parallel chunks of C-order elements when it is large.
template <std::size_t N, class Inner>
void run_loop(const StridedLoop<N>& loop, Inner inner, std::int64_t grain = kDefaultGrain) {
  parallel_for_chunks(loop.size(), grain, [&](std::int64_t begin, std::int64_t end) {
    run_range(loop, begin, end, inner);
  });
}

template <class T>
inline const T& at(const char* p, std::int64_t byte_offset) {
  return *reinterpret_cast<const T*>(p + byte_offset);
}

}  // namespace larix::kernels::detail
