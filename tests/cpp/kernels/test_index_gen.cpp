// indices and nonzero against NumPy. Literals marked "numpy:" were computed by NumPy 2.4.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "larix/kernels/index_gen.hpp"
#include "test_support.hpp"

using namespace larix;
using larix::test::items;
using namespace larix::kernels;
using I = std::vector<std::int64_t>;

TEST_CASE("indices: grid shape, values and dtype") {
  const Array g = indices({2, 3});  // numpy: np.indices((2, 3))
  CHECK(g.shape() == Shape{2, 2, 3});
  CHECK(items<std::int64_t>(g) == I{0, 0, 0, 1, 1, 1, 0, 1, 2, 0, 1, 2});
  CHECK(indices({2}, DType::float32).dtype() == DType::float32);
  CHECK(indices({}).shape() == Shape{0});
  CHECK(indices({0, 3}).shape() == Shape{2, 0, 3});
}

TEST_CASE("nonzero: NaN counts, -0.0 does not, strided input") {
  const Array a = Array::from_vector<double>({0, 1, std::nan(""), 0, -0.0, 2}, {2, 3});
  const Array nz = nonzero(a);  // numpy: np.nonzero(a) -> ([0, 0, 1], [1, 2, 2])
  CHECK(nz.shape() == Shape{2, 3});
  CHECK(items<std::int64_t>(nz) == I{0, 0, 1, 1, 2, 2});
  // numpy: np.nonzero(a.T) -> ([1, 2, 2], [0, 0, 1])
  CHECK(items<std::int64_t>(nonzero(a.transpose())) == I{1, 2, 2, 0, 0, 1});
  CHECK(nonzero(Array::zeros(DType::bool_, {4})).shape() == Shape{1, 0});
}

TEST_CASE("nonzero: many chunks agree with a serial scan") {
  const std::int64_t n = 200003;
  Array a = Array::empty(DType::int64, {n});
  std::int64_t* x = a.mutable_data<std::int64_t>();
  I want;
  for (std::int64_t i = 0; i < n; ++i) {
    x[i] = (i * 7919) % 13 == 0 ? 1 : 0;
    if (x[i]) want.push_back(i);
  }
  CHECK(items<std::int64_t>(nonzero(a)) == want);
  // 2-d: the row of each hit is i / 1000 ... for the elements that fit a (200, 1000) grid.
  const Array b = a.view(0, {200, 1000}, {1000 * 8, 8});
  const Array nz = nonzero(b);
  bool ok = nz.shape()[0] == 2;
  for (std::int64_t j = 0; ok && j < nz.shape()[1]; ++j)
    ok = x[nz.item<std::int64_t>(j) * 1000 + nz.item<std::int64_t>(nz.shape()[1] + j)] == 1;
  CHECK(ok);
}
