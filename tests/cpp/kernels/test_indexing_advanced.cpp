// NumPy indexing (kernels/indexing.hpp): newaxis, Ellipsis, integer arrays, masks, their placement
// rule, errors, and the parallel gather/scatter. Literals marked "numpy:" were computed by
// NumPy 2.4.
#include <doctest/doctest.h>

#include <numeric>
#include <vector>

#include "larix/kernels/indexing.hpp"
#include "test_support.hpp"

using namespace larix;
using larix::test::error_of;
using larix::test::items;
using namespace larix::kernels;
using I64s = std::vector<std::int64_t>;

namespace {

// np.arange(n).reshape(shape) as int64
Array arange(Shape shape) {
  std::vector<std::int64_t> v(static_cast<std::size_t>(shape_size(shape)));
  std::iota(v.begin(), v.end(), 0);
  Array a = Array::empty(DType::int64, shape);
  std::copy(v.begin(), v.end(), a.mutable_data<std::int64_t>());
  return a;
}

Array ints(const I64s& v, Shape shape = {}) {
  if (shape.empty()) shape = {static_cast<std::int64_t>(v.size())};
  return Array::from_vector<std::int64_t>(v, shape);
}

Array bools(const std::vector<bool>& v, Shape shape) {
  Array a = Array::empty(DType::bool_, shape);
  for (std::size_t i = 0; i < v.size(); ++i) a.mutable_data<bool>()[i] = v[i];
  return a;
}

Index arr(Array a) { return Index::of_array(std::move(a)); }

}  // namespace

TEST_CASE("indexing: newaxis and Ellipsis are views") {
  const Array a = arange({2, 3});
  Array r = index(a, {Index::all(), Index::newaxis()});  // numpy: a[:, None].shape (2, 1, 3)
  CHECK(r.shape() == Shape{2, 1, 3});
  CHECK(r.buffer() == a.buffer());
  CHECK(items<std::int64_t>(r) == I64s{0, 1, 2, 3, 4, 5});
  r = index(a, {Index::ellipsis(), Index::integer(0)});  // numpy: a[..., 0] -> [0, 3]
  CHECK(items<std::int64_t>(r) == I64s{0, 3});
  r = index(a, {Index::integer(1), Index::ellipsis(), Index::integer(-1)});  // numpy: 5, 0-d
  CHECK(r.ndim() == 0);
  CHECK(r.item<std::int64_t>() == 5);
  r = index(a, {Index::newaxis(), Index::ellipsis(), Index::newaxis()});
  CHECK(r.shape() == Shape{1, 2, 3, 1});
  r = index(a,
            {Index::range(std::nullopt, std::nullopt, -1), Index::newaxis(), Index::range(1, 3)});
  CHECK(r.shape() == Shape{2, 1, 2});
  CHECK(items<std::int64_t>(r) == I64s{4, 5, 1, 2});  // numpy: a[::-1, None, 1:3]
}

TEST_CASE("indexing: integer arrays") {
  const Array a = arange({3, 4});
  // numpy: a[[2, -3, 2]] rows 2, 0, 2
  Array r = index(a, {arr(ints({2, -3, 2}))});
  CHECK(r.shape() == Shape{3, 4});
  CHECK(items<std::int64_t>(r) == I64s{8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11});
  CHECK(r.buffer() != a.buffer());
  // numpy: a[[[0], [2]], [1, 3]] -> [[1, 3], [9, 11]]: the arrays broadcast to (2, 2)
  r = index(a, {arr(ints({0, 2}, {2, 1})), arr(ints({1, 3}))});
  CHECK(r.shape() == Shape{2, 2});
  CHECK(items<std::int64_t>(r) == I64s{1, 3, 9, 11});
  // numpy: a[:, [3, 0]] -> [[3, 0], [7, 4], [11, 8]]
  r = index(a, {Index::all(), arr(ints({3, 0}))});
  CHECK(items<std::int64_t>(r) == I64s{3, 0, 7, 4, 11, 8});
  // numpy: a[::-1, [1]] -> [[9], [5], [1]]
  r = index(a, {Index::range(std::nullopt, std::nullopt, -1), arr(ints({1}))});
  CHECK(r.shape() == Shape{3, 1});
  CHECK(items<std::int64_t>(r) == I64s{9, 5, 1});
  // a 0-d result of advanced indexing: numpy a[1, np.array(2)] with np.array(2) 0-d
  r = index(a, {arr(Array::scalar<std::int64_t>(1)), arr(Array::scalar<std::int64_t>(2))});
  CHECK(r.ndim() == 0);
  CHECK(r.item<std::int64_t>() == 6);
  // empty index arrays
  r = index(a, {arr(Array::empty(DType::int64, {0}))});
  CHECK(r.shape() == Shape{0, 4});
  r = index(a, {arr(ints({0, 1})), arr(Array::empty(DType::int64, {0, 1}))});
  CHECK(r.shape() == Shape{0, 2});
}

TEST_CASE("indexing: where the broadcast axes go") {
  const Shape s{5, 3, 4};
  const Array a = arange(s);
  const Array two = ints({0, 1});
  // numpy: each .shape
  CHECK(plan_index(s, {Index::all(), arr(two), arr(two)}).result == Shape{5, 2});
  CHECK(plan_index(s, {Index::all(), arr(two), Index::newaxis(), arr(two)}).result ==
        Shape{2, 5, 1});
  CHECK(plan_index(s, {Index::all(), arr(two), Index::ellipsis(), arr(two)}).result == Shape{2, 5});
  CHECK(plan_index(s, {Index::integer(1), Index::all(), arr(two)}).result == Shape{2, 3});
  CHECK(plan_index(s, {Index::all(), Index::integer(1), arr(two)}).result == Shape{5, 2});
  CHECK(plan_index(s, {arr(two), Index::integer(1)}).result == Shape{2, 4});
  CHECK(plan_index(s, {Index::all(), arr(ints({0, 1, 2, 0}, {2, 2}))}).result == Shape{5, 2, 2, 4});
  // numpy: a[1, :, [0, 3]] -> [[12, 16, 20], [15, 19, 23]]
  CHECK(items<std::int64_t>(index(a, {Index::integer(1), Index::all(), arr(ints({0, 3}))})) ==
        I64s{12, 16, 20, 15, 19, 23});
}

TEST_CASE("indexing: boolean masks") {
  const Array a = arange({2, 3});
  const Array m = bools({true, false, true, false, true, false}, {2, 3});
  Array r = index(a, {arr(m)});  // numpy: a[m] -> [0, 2, 4]
  CHECK(r.shape() == Shape{3});
  CHECK(items<std::int64_t>(r) == I64s{0, 2, 4});
  // numpy: a[:, [True, False, True]] -> [[0, 2], [3, 5]]
  r = index(a, {Index::all(), arr(bools({true, false, true}, {3}))});
  CHECK(items<std::int64_t>(r) == I64s{0, 2, 3, 5});
  // numpy: a[[False, True]] -> [[3, 4, 5]]
  r = index(a, {arr(bools({false, true}, {2}))});
  CHECK(r.shape() == Shape{1, 3});
  // 0-d masks: numpy a[True].shape (1, 2, 3), a[False].shape (0, 2, 3), a[1, True].shape (1, 3)
  CHECK(index(a, {arr(Array::scalar<bool>(true))}).shape() == Shape{1, 2, 3});
  CHECK(index(a, {arr(Array::scalar<bool>(false))}).shape() == Shape{0, 2, 3});
  CHECK(index(a, {Index::integer(1), arr(Array::scalar<bool>(true))}).shape() == Shape{1, 3});
  // all false: an empty result
  CHECK(index(a, {arr(bools(std::vector<bool>(6, false), {2, 3}))}).shape() == Shape{0});
  // a mask of a strided view
  const Array t = a.transpose();  // [[0, 3], [1, 4], [2, 5]]
  r = index(t, {arr(bools({true, true, false, false, false, true}, {3, 2}))});
  CHECK(items<std::int64_t>(r) == I64s{0, 3, 5});
}

TEST_CASE("indexing: errors with numpy's messages") {
  const Shape s{3, 4};
  auto message = [&](std::vector<Index> ix) {
    const Error e = error_of([&] { check_bounds(plan_index(s, ix)); });
    CHECK(e.kind() == ErrorKind::index);
    return e.message();
  };
  CHECK(message({arr(ints({1, 5}))}) == "index 5 is out of bounds for axis 0 with size 3");
  CHECK(message({Index::all(), arr(ints({-5}))}) ==
        "index -5 is out of bounds for axis 1 with size 4");
  CHECK(message({Index::ellipsis(), Index::integer(4)}) ==
        "index 4 is out of bounds for axis 1 with size 4");
  CHECK(message({arr(bools({true, false}, {2}))}) ==
        "boolean index did not match indexed array along axis 0; size of axis is 3 but size of "
        "corresponding boolean axis is 2");
  CHECK(message({Index::integer(0), arr(bools({true, false, true}, {3}))}) ==
        "boolean index did not match indexed array along axis 1; size of axis is 4 but size of "
        "corresponding boolean axis is 3");
  CHECK(message({arr(ints({0, 1})), arr(ints({0, 1, 2}))}) ==
        "shape mismatch: indexing arrays could not be broadcast together with shapes (2,) (3,) ");
  CHECK(message({Index::ellipsis(), Index::ellipsis()}) ==
        "an index can only have a single ellipsis ('...')");
  CHECK(message({Index::integer(0), Index::integer(0), Index::newaxis(), Index::integer(0)}) ==
        "too many indices for array: array is 2-dimensional, but 3 were indexed");
  CHECK(message({arr(bools(std::vector<bool>(12, true), {3, 4, 1}))}) ==
        "too many indices for array: array is 2-dimensional, but 3 were indexed");
  CHECK(message({arr(Array::from_vector<double>({1.0}))}) ==
        "arrays used as indices must be of integer (or boolean) type");
}

TEST_CASE("indexing: assignment") {
  SUBCASE("masks and index arrays, broadcast values, last write wins") {
    Array a = arange({2, 3});
    const Array m = bools({true, false, true, false, true, false}, {2, 3});
    assign_index(a, plan_index(a.shape(), {arr(m)}), Array::scalar<std::int64_t>(-1));
    CHECK(items<std::int64_t>(a) == I64s{-1, 1, -1, 3, -1, 5});
    assign_index(a, plan_index(a.shape(), {arr(m)}), ints({7, 8, 9}));
    CHECK(items<std::int64_t>(a) == I64s{7, 1, 8, 3, 9, 5});
    // numpy: a[[0, 0, 1], 1] = [1, 2, 3] -> column 1 becomes [2, 3]
    assign_index(a, plan_index(a.shape(), {arr(ints({0, 0, 1})), Index::integer(1)}),
                 ints({1, 2, 3}));
    CHECK(items<std::int64_t>(a) == I64s{7, 2, 8, 3, 3, 5});
    // a float value is cast to the array's dtype; a row broadcasts over the selected rows
    assign_index(a, plan_index(a.shape(), {arr(ints({1}))}), Array::from_vector<double>({0.5}));
    CHECK(items<std::int64_t>(a) == I64s{7, 2, 8, 0, 0, 0});
    // leading length-1 axes of the value may be dropped: numpy a[[[0]], [1, 2]] = [[[5, 6]]]
    assign_index(a, plan_index(a.shape(), {arr(ints({0}, {1, 1})), arr(ints({1, 2}))}),
                 ints({5, 6}, {1, 1, 1, 2}));
    CHECK(items<std::int64_t>(a) == I64s{7, 5, 6, 0, 0, 0});
    // basic forms: a[..., 0] = 4, a[:, None] = row
    assign_index(a, plan_index(a.shape(), {Index::ellipsis(), Index::integer(0)}),
                 Array::scalar<std::int64_t>(4));
    CHECK(items<std::int64_t>(a) == I64s{4, 5, 6, 4, 0, 0});
    assign_index(a, plan_index(a.shape(), {Index::all(), Index::newaxis()}), ints({1, 2, 3}));
    CHECK(items<std::int64_t>(a) == I64s{1, 2, 3, 1, 2, 3});
  }
  SUBCASE("value shape errors") {
    const Shape s{2, 3};
    auto message = [&](std::vector<Index> ix, Shape value) {
      const Error e = error_of([&] { check_assignable(value, plan_index(s, ix)); });
      CHECK(e.kind() == ErrorKind::value);
      return e.message();
    };
    CHECK(message({arr(ints({0, 1}))}, {4}) ==
          "shape mismatch: value array of shape (4,) could not be broadcast to indexing result "
          "of shape (2,3)");
    CHECK(message({arr(bools(std::vector<bool>(6, false), {2, 3}))}, {4}) ==
          "NumPy boolean array indexing assignment cannot assign 4 input values to the 0 output "
          "values where the mask is true");
    // one mask of the array's shape: the value must be 0-d or 1-d (numpy: a TypeError)
    const Error e = error_of([&] {
      check_assignable({1, 6}, plan_index(s, {arr(bools(std::vector<bool>(6, true), {2, 3}))}));
    });
    CHECK(e.kind() == ErrorKind::type);
    CHECK(e.message() ==
          "NumPy boolean array indexing assignment requires a 0 or 1-dimensional input, input has "
          "2 dimensions");
    // a mask over the first axis only follows the general rule
    CHECK(message({arr(bools({true, false}, {2}))}, {2}) ==
          "shape mismatch: value array of shape (2,) could not be broadcast to indexing result "
          "of shape (1,3)");
    // a value of the wrong shape is reported before an index out of bounds, as numpy
    CHECK(message({arr(ints({5}))}, {2}) ==
          "shape mismatch: value array of shape (2,) could not be broadcast to indexing result "
          "of shape (1,3)");
    CHECK(message({Index::integer(0)}, {2}) ==
          "could not broadcast input array from shape (2,) into shape (3,)");
  }
}

TEST_CASE("indexing: large gathers and scatters run in parallel chunks") {
  const std::int64_t n = 1 << 20;
  const Array a = arange({n});
  // every third element, in reverse
  Array idx = Array::empty(DType::int64, {n / 3});
  for (std::int64_t i = 0; i < n / 3; ++i) idx.mutable_data<std::int64_t>()[i] = -1 - 3 * i;
  const Array g = index(a, {arr(idx)});
  bool ok = true;
  for (std::int64_t i = 0; i < n / 3; ++i) ok = ok && g.data<std::int64_t>()[i] == n - 1 - 3 * i;
  CHECK(ok);
  // a mask of the even elements of a 2-d array
  const Array b = arange({1024, 1024});
  Array m = Array::empty(DType::bool_, {1024, 1024});
  for (std::int64_t i = 0; i < n; ++i) m.mutable_data<bool>()[i] = i % 2 == 0;
  const Array e = index(b, {arr(m)});
  CHECK(e.size() == n / 2);
  ok = true;
  for (std::int64_t i = 0; i < n / 2; ++i) ok = ok && e.data<std::int64_t>()[i] == 2 * i;
  CHECK(ok);
  // scatter through the mask, then through repeated indices (the last write wins)
  Array c = b.copy();
  assign_index(c, plan_index(c.shape(), {arr(m)}), Array::scalar<std::int64_t>(-1));
  ok = true;
  for (std::int64_t i = 0; i < n; ++i)
    ok = ok && c.data<std::int64_t>()[i] == (i % 2 == 0 ? -1 : i);
  CHECK(ok);
  Array rep = Array::empty(DType::int64, {n});
  for (std::int64_t i = 0; i < n; ++i) rep.mutable_data<std::int64_t>()[i] = i % 7;
  Array d = Array::zeros(DType::int64, {8});
  assign_index(d, plan_index(d.shape(), {arr(rep)}), arange({n}));
  // numpy: the last i with i % 7 == k
  for (std::int64_t k = 0; k < 7; ++k)
    CHECK(d.data<std::int64_t>()[k] == (n - 1) - ((n - 1 - k) % 7));
  CHECK(d.data<std::int64_t>()[7] == 0);
}

TEST_CASE("indexing: slice bounds past either end clamp as Python's slice.indices") {
  using std::nullopt;
  struct Case {
    std::optional<std::int64_t> start, stop, step;
    std::int64_t first, length;  // python: slice(start, stop, step).indices(4) and len(range(...))
    I64s values;                 // numpy: np.arange(4)[start:stop:step]
  };
  const std::vector<Case> cases = {
      {4, nullopt, -1, 3, 4, {3, 2, 1, 0}},    // a[4::-1]: start at the end clamps to 3
      {10, nullopt, -1, 3, 4, {3, 2, 1, 0}},   // a[10::-1]
      {4, 0, -1, 3, 3, {3, 2, 1}},             // a[4:0:-1]
      {4, nullopt, -2, 3, 2, {3, 1}},          // a[4::-2]
      {5, -6, -3, 3, 2, {3, 0}},               // a[5:-6:-3]
      {nullopt, -10, -1, 3, 4, {3, 2, 1, 0}},  // a[:-10:-1]: stop before the start clamps to -1
      {2, -5, -1, 2, 3, {2, 1, 0}},            // a[2:-5:-1]
      {3, -5, -2, 3, 2, {3, 1}},               // a[3:-5:-2]
      {-1, -10, -1, 3, 4, {3, 2, 1, 0}},       // a[-1:-10:-1]
      {3, -4, -1, 3, 3, {3, 2, 1}},            // a[3:-4:-1]: -4 is position 0, excluded
      {-5, nullopt, -1, -1, 0, {}},            // a[-5::-1]: starts before the first: empty
      {-10, nullopt, -1, -1, 0, {}},           // a[-10::-1]
      {-10, 10, 1, 0, 4, {0, 1, 2, 3}},        // a[-10:10]
      {4, nullopt, 1, 4, 0, {}},               // a[4:]
      {-10, 2, 1, 0, 2, {0, 1}},               // a[-10:2]
  };
  // Row 0 of a 2x4 array: reading past its end would show row 1's 4, 5, ...
  const Array a = arange({2, 4});
  for (const Case& c : cases) {
    CAPTURE(c.start.value_or(-99));
    CAPTURE(c.stop.value_or(-99));
    CAPTURE(c.step.value_or(-99));
    const AxisIndex r = range_index(c.start, c.stop, c.step, 4);
    if (c.length > 0) CHECK(r.start == c.first);
    CHECK(r.length == c.length);
    const Array got = index(a, {Index::integer(0), Index::range(c.start, c.stop, c.step)});
    CHECK(got.shape() == Shape{c.length});
    CHECK(items<std::int64_t>(got) == c.values);
    // written: numpy b = np.arange(4); b[start:stop:step] = -1
    Array b = arange({2, 4});
    assign_index(b,
                 plan_index(b.shape(), {Index::integer(0), Index::range(c.start, c.stop, c.step)}),
                 Array::scalar<std::int64_t>(-1));
    I64s want{0, 1, 2, 3, 4, 5, 6, 7};
    for (std::int64_t v : c.values) want[static_cast<std::size_t>(v)] = -1;
    CHECK(items<std::int64_t>(b) == want);
  }
}
