// The LAPACK decompositions against values NumPy printed for the same inputs, their defining
// identities (a = L L^T, a = Q R, A v = v w), dtypes, stacks, empty matrices and errors.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "larix/kernels/decompositions.hpp"
#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/matrix.hpp"
#include "test_support.hpp"

using namespace larix;
using larix::test::error_of;
using larix::test::items;
using namespace larix::kernels;

namespace {

const Array kSpd = Array::from_vector<double>({4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2}, {3, 3});
const Array kTall = Array::from_vector<double>({1, 2, 3, 4, 5, 6}, {3, 2});

void check_close(const Array& got, const std::vector<double>& want, double tol = 1e-12) {
  REQUIRE(got.size() == static_cast<std::int64_t>(want.size()));
  for (std::size_t i = 0; i < want.size(); ++i)
    CHECK(std::abs(got.item_as_double(i) - want[i]) <= tol * (1 + std::abs(want[i])));
}

Array transposed(const Array& a) {
  std::vector<int> perm(a.ndim());
  for (int k = 0; k < a.ndim(); ++k) perm[k] = k;
  std::swap(perm[a.ndim() - 1], perm[a.ndim() - 2]);
  return a.transpose(perm);
}

Array stack2(const Array& a, const Array& b) {
  Shape s = a.shape();
  s.insert(s.begin(), 2);
  Array out = Array::empty(a.dtype(), s);
  Array first = out.view(0, a.shape(), Strides(out.strides().begin() + 1, out.strides().end()));
  Array second = out.view(out.strides()[0], a.shape(),
                          Strides(out.strides().begin() + 1, out.strides().end()));
  assign(first, a);
  assign(second, b);
  return out;
}

}  // namespace

TEST_CASE("cholesky: NumPy's lower factor, upper, stacks, dtypes, errors") {
  // numpy: np.linalg.cholesky(SPD)
  const std::vector<double> lower = {
      2, 0, 0, 0.5, 1.6583123951777, 0, 0.25, 0.04522670168666455, 1.391206147720224};
  check_close(cholesky(kSpd), lower);
  check_close(cholesky(kSpd, true), items<double>(transposed(cholesky(kSpd)).copy()));
  const Array stacked = cholesky(stack2(kSpd, kSpd));
  CHECK(stacked.shape() == Shape{2, 3, 3});
  check_close(stacked.reshape({18}).copy().view(9 * 8, {9}, {8}), lower);
  CHECK(cholesky(cast(kSpd, DType::float32)).dtype() == DType::float32);
  CHECK(cholesky(Array::from_vector<std::int64_t>({4, 2, 2, 5}, {2, 2})).dtype() == DType::float64);
  CHECK(cholesky(Array::zeros(DType::float64, {0, 0})).shape() == Shape{0, 0});
  Error e = error_of([] { cholesky(Array::from_vector<double>({1, 2, 2, 1}, {2, 2})); });
  CHECK(e.kind() == ErrorKind::linalg);
  CHECK(std::string(e.what()).find("Matrix is not positive definite") != std::string::npos);
  CHECK(error_of([] { cholesky(kTall); }).kind() == ErrorKind::linalg);
  CHECK(error_of([] { cholesky(Array::zeros(DType::float64, {3})); }).kind() == ErrorKind::linalg);
}

TEST_CASE("qr: reduced, complete, r and raw as NumPy") {
  auto parts = qr(kTall);
  REQUIRE(parts.size() == 2);
  // numpy: np.linalg.qr([[1,2],[3,4],[5,6]])
  check_close(parts[0], {-0.16903085094570325, 0.8970852271450607, -0.50709255283711,
                         0.27602622373694136, -0.8451542547285166, -0.345032779671177});
  check_close(parts[1], {-5.916079783099616, -7.437357441610946, 0, 0.8280786712108248});
  auto full = qr(kTall, "complete");
  CHECK(full[0].shape() == Shape{3, 3});
  CHECK(full[1].shape() == Shape{3, 2});
  check_close(full[0].copy().view(2 * 8, {3}, {24}),
              {0.40824829046386274, -0.8164965809277261, 0.40824829046386313});
  CHECK(qr(kTall, "r").size() == 1);
  auto raw = qr(kTall, "raw");
  CHECK(raw[0].shape() == Shape{2, 3});
  check_close(raw[1], {1.1690308509457032, 1.1131040011646904});
  // a 3x0 matrix: complete q is the identity
  check_close(qr(Array::zeros(DType::float64, {3, 0}), "complete")[0], {1, 0, 0, 0, 1, 0, 0, 0, 1});
  CHECK(qr(Array::zeros(DType::float32, {2, 4, 3}))[0].dtype() == DType::float32);
  CHECK(error_of([] { qr(kTall, "full"); }).kind() == ErrorKind::value);
  CHECK(error_of([] { qr(Array::zeros(DType::float64, {3})); }).kind() == ErrorKind::linalg);
}

TEST_CASE("eigh: ascending values, A v = v w") {
  const std::vector<double> w = {1.8800869029150526, 2.398343019336997, 4.72157007774795};
  check_close(eigh(kSpd, 'L', false)[0], w);
  auto wv = eigh(kSpd);
  check_close(wv[0], w);
  const Array av = matmul(kSpd, wv[1]);
  const Array vw = binary(BinaryOp::multiply, wv[1], wv[0].reshape({1, 3}));
  check_close(av, items<double>(vw), 1e-12);
  check_close(matmul(transposed(wv[1]), wv[1]), {1, 0, 0, 0, 1, 0, 0, 0, 1}, 1e-12);
  // only the named triangle is read
  const Array lower_only = Array::from_vector<double>({4, 99, 99, 1, 3, 99, 0.5, 0.2, 2}, {3, 3});
  check_close(eigh(lower_only, 'L', false)[0], w);
  check_close(eigh(transposed(lower_only), 'U', false)[0], w);
  CHECK(eigh(Array::zeros(DType::float64, {0, 0}))[1].shape() == Shape{0, 0});
  CHECK(error_of([] { eigh(kSpd, 'X'); }).kind() == ErrorKind::value);
  CHECK(error_of([] { eigh(kTall); }).kind() == ErrorKind::linalg);
}

TEST_CASE("svd: singular values, reconstruction, empty matrices") {
  check_close(svd(kTall, true, false)[0], {9.525518091565107, 0.514300580658644});
  auto usv = svd(kTall, false);
  CHECK(usv[0].shape() == Shape{3, 2});
  CHECK(usv[2].shape() == Shape{2, 2});
  const Array us = binary(BinaryOp::multiply, usv[0], usv[1].reshape({1, 2}));
  check_close(matmul(us, usv[2]), items<double>(kTall));
  auto full = svd(kTall);
  CHECK(full[0].shape() == Shape{3, 3});
  check_close(matmul(transposed(full[0]), full[0]), {1, 0, 0, 0, 1, 0, 0, 0, 1});
  auto empty = svd(Array::zeros(DType::float64, {3, 0}));
  check_close(empty[0], {1, 0, 0, 0, 1, 0, 0, 0, 1});
  CHECK(empty[1].shape() == Shape{0});
  CHECK(svd(Array::zeros(DType::float64, {2, 0, 3}), true, false)[0].shape() == Shape{2, 0});
}

TEST_CASE("lstsq, slogdet, pinv, matrix_rank") {
  // numpy: np.linalg.lstsq([[1,2],[3,4],[5,6]], [1,2,4])
  auto r = lstsq(kTall, Array::from_vector<double>({1, 2, 4}));
  check_close(r.x, {0.6666666666666666, 0.08333333333333325}, 1e-10);
  check_close(r.residuals, {0.16666666666666677}, 1e-10);
  CHECK(r.rank == 2);
  check_close(r.s, {9.525518091565107, 0.5143005806586441});
  auto under = lstsq(transposed(kTall), Array::from_vector<double>({1, 2}));
  CHECK(under.residuals.shape() == Shape{0});
  auto none = lstsq(Array::zeros(DType::float64, {3, 0}), Array::from_vector<double>({1, 1, 1}));
  check_close(none.residuals, {3});
  CHECK(error_of([&] {
          lstsq(kTall, Array::from_vector<double>({1, 2}));
        }).kind() == ErrorKind::linalg);
  CHECK(error_of([&] { lstsq(stack2(kTall, kTall), kTall); }).kind() == ErrorKind::linalg);

  auto sl = slogdet(Array::from_vector<double>({0, 1, 2, 3}, {2, 2}));
  check_close(sl[0], {-1});
  check_close(sl[1], {0.6931471805599453});
  auto singular = slogdet(Array::zeros(DType::float64, {2, 2}));
  check_close(singular[0], {0});
  CHECK(std::isinf(singular[1].item<double>()));

  check_close(pinv(kTall),
              {-1.3333333333333337, -0.3333333333333329, 0.6666666666666666, 1.083333333333334,
               0.33333333333333304, -0.4166666666666667},
              1e-12);
  CHECK(pinv(Array::zeros(DType::int64, {0, 3})).shape() == Shape{3, 0});

  CHECK(matrix_rank(kTall).item<std::int64_t>() == 2);
  CHECK(matrix_rank(Array::from_vector<double>({1, 2, 2, 4}, {2, 2})).item<std::int64_t>() == 1);
  CHECK(matrix_rank(Array::zeros(DType::float64, {3})).item<std::int64_t>() == 0);
  CHECK(matrix_rank(Array::zeros(DType::float64, {0, 0})).item<std::int64_t>() == 0);
}

TEST_CASE("lu: Phylanx's factors, m = L @ U @ P") {
  // Hand-computed: the larger element of the first row, 2, leads (a column swap).
  auto f = lu(kTall);
  REQUIRE(f.size() == 3);
  CHECK(f[0].shape() == Shape{3, 2});
  check_close(f[0], {2, 0, 4, 1, 6, 2});
  check_close(f[1], {1, 0.5, 0, 1});
  check_close(f[2], {0, 1, 1, 0});
  // No pivot needed: the first of equal magnitudes stays (LAPACK's idamax).
  auto g = lu(Array::from_vector<double>({10, -10, 0, -3, 15, 6, 5, 7, 5}, {3, 3}));
  check_close(g[0], {10, 0, 0, -3, 12, 0, 5, 12, -1});
  check_close(g[1], {1, -1, 0, 0, 1, 0.5, 0, 0, 1});
  check_close(g[2], {1, 0, 0, 0, 1, 0, 0, 0, 1});
  // A stack factorises matrix by matrix; float32 stays float32; empty matrices give identities.
  auto s = lu(stack2(kTall, kTall));
  CHECK(s[2].shape() == Shape{2, 2, 2});
  check_close(s[0], {2, 0, 4, 1, 6, 2, 2, 0, 4, 1, 6, 2});
  CHECK(lu(cast(kTall, DType::float32))[1].dtype() == DType::float32);
  auto e = lu(Array::zeros(DType::float64, {0, 2}));
  CHECK(e[0].shape() == Shape{0, 0});
  check_close(e[2], {1, 0, 0, 1});
  CHECK(error_of([&] { lu(Array::zeros(DType::float64, {3})); }).kind() == ErrorKind::linalg);
}
