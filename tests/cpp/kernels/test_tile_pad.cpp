// gather_axes, tile, repeat and pad against NumPy. Literals marked "numpy:" were computed by
// NumPy 2.4 on this machine.
#include <doctest/doctest.h>

#include <vector>

#include "larix/kernels/tile_pad.hpp"
#include "test_support.hpp"

using namespace larix;
using larix::test::error_of;
using larix::test::items;
using namespace larix::kernels;
using I = std::vector<std::int64_t>;

TEST_CASE("tile: reps shorter, equal and longer than ndim") {
  const Array a = Array::from_vector<std::int64_t>({1, 2, 3, 4, 5, 6}, {2, 3});
  // numpy: np.tile(a, 2)
  Array t = tile(a, {2});
  CHECK(t.shape() == Shape{2, 6});
  CHECK(items<std::int64_t>(t) == I{1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6});
  // numpy: np.tile(a, (2, 1, 1)).shape -> (2, 2, 3)
  t = tile(a, {2, 1, 1});
  CHECK(t.shape() == Shape{2, 2, 3});
  CHECK(items<std::int64_t>(t) == I{1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6});
  CHECK(tile(a, {0, 2}).shape() == Shape{0, 6});
  CHECK(tile(Array::scalar(7.0), {3}).shape() == Shape{3});
  CHECK(tile(Array::scalar(7.0), {}).ndim() == 0);
  CHECK(error_of([&] { tile(a, {-1}); }).kind() == ErrorKind::value);
}

TEST_CASE("tile: a strided float32 input") {
  const Array a = Array::from_vector<float>({1, 2, 3, 4, 5, 6}, {2, 3}).transpose();
  const Array t = tile(a, {1, 2});  // numpy: np.tile(a.T, (1, 2))
  CHECK(t.dtype() == DType::float32);
  CHECK(items<float>(t) == std::vector<float>{1, 4, 1, 4, 2, 5, 2, 5, 3, 6, 3, 6});
}

TEST_CASE("repeat: one count, per-element counts, errors") {
  const Array a = Array::from_vector<std::int64_t>({1, 2, 3, 4}, {2, 2});
  CHECK(items<std::int64_t>(repeat(a, {2}, 1)) == I{1, 1, 2, 2, 3, 3, 4, 4});
  const Array r = repeat(a, {0, 2}, 0);  // numpy: np.repeat(a, [0, 2], axis=0)
  CHECK(r.shape() == Shape{2, 2});
  CHECK(items<std::int64_t>(r) == I{3, 4, 3, 4});
  CHECK(error_of([&] { repeat(a, {1, 2, 3}, 0); }).kind() == ErrorKind::value);
  CHECK(error_of([&] { repeat(a, {1, -1}, 0); }).kind() == ErrorKind::value);
}

TEST_CASE("pad: constant corners take the last axis' value") {
  const Array a = Array::from_vector<std::int64_t>({1, 2}, {1, 2});
  // numpy: np.pad([[1, 2]], 1, constant_values=((7, 8), (5, 6)))
  const Array values = Array::from_vector<double>({7, 8, 5, 6}, {2, 2});
  const Array p = pad(a, {{1, 1}, {1, 1}}, PadMode::constant, values);
  CHECK(p.shape() == Shape{3, 4});
  CHECK(items<std::int64_t>(p) == I{5, 7, 7, 6, 5, 1, 2, 6, 5, 8, 8, 6});
}

TEST_CASE("pad: periodic modes past the length") {
  const Array a = Array::from_vector<std::int64_t>({0, 1, 2});
  // numpy: np.pad(np.arange(3), 5, mode=...)
  CHECK(items<std::int64_t>(pad(a, {{5, 5}}, PadMode::reflect)) ==
        I{1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 1});
  CHECK(items<std::int64_t>(pad(a, {{5, 5}}, PadMode::symmetric)) ==
        I{1, 2, 2, 1, 0, 0, 1, 2, 2, 1, 0, 0, 1});
  CHECK(items<std::int64_t>(pad(a, {{5, 5}}, PadMode::wrap)) ==
        I{1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1});
  CHECK(items<std::int64_t>(pad(a, {{1, 2}}, PadMode::edge)) == I{0, 0, 1, 2, 2, 2});
  CHECK(error_of([&] { pad(a, {{-1, 0}}, PadMode::edge); }).kind() == ErrorKind::value);
  const Array empty = Array::zeros(DType::float64, {0, 3});
  CHECK(error_of([&] { pad(empty, {{1, 1}, {0, 0}}, PadMode::edge); }).kind() == ErrorKind::value);
  CHECK(pad(empty, {{0, 0}, {1, 1}}, PadMode::edge).shape() == Shape{0, 5});
  CHECK(error_of([] { pad_mode("mean"); }).kind() == ErrorKind::value);
}

TEST_CASE("gather_axes: a large input runs in parallel chunks and matches a serial copy") {
  const std::int64_t n = 300;
  Array a = Array::empty(DType::float64, {n, n});
  for (std::int64_t i = 0; i < n * n; ++i) a.mutable_data<double>()[i] = double(i);
  const Array t = tile(a, {2, 2});
  CHECK(t.shape() == Shape{2 * n, 2 * n});
  bool same = true;
  for (std::int64_t i = 0; i < 2 * n; i += 37)
    for (std::int64_t j = 0; j < 2 * n; j += 11)
      same = same && t.item<double>(i * 2 * n + j) == double((i % n) * n + j % n);
  CHECK(same);
}
