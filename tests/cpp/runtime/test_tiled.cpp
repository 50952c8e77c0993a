// Tilings of distributed arrays (runtime/tiled.hpp) and the collective step on one process
// (runtime/mpi.hpp before mpi::init: rank 0 of 1). The same operations over several ranks are
// tested under mpiexec from Python (tests/python/test_distributed.py).
#include <doctest/doctest.h>

#include <cstring>

#include "larix/runtime/mpi.hpp"
#include "larix/runtime/tiled.hpp"
#include "larix/runtime/value.hpp"

using namespace larix;

TEST_CASE("split cuts one axis into even runs, the first ones one longer") {
  const Tiling t = Tiling::split({10, 3}, 0, 4, 1);
  REQUIRE(t.ranks() == 4);
  CHECK(t.boxes[0] == Box{{0, 0}, {3, 3}});
  CHECK(t.boxes[1] == Box{{3, 0}, {6, 3}});
  CHECK(t.boxes[2] == Box{{6, 0}, {8, 3}});
  CHECK(t.boxes[3] == Box{{8, 0}, {10, 3}});
  CHECK(t.mine().extents() == Shape{3, 3});
  CHECK(t.splits(0));
  CHECK_FALSE(t.splits(1));
  CHECK(t.kind() == "rows");
  CHECK(t.describe() == "axis 0 3:6 of (10, 3) (rows over 4 ranks)");
  CHECK_NOTHROW(t.check());
  CHECK(Tiling::split({3, 10}, 1, 2, 0).kind() == "columns");
  CHECK(Tiling::split({7}, 0, 2, 0).kind() == "rows");
}

TEST_CASE("one rank's tiling still cuts its axis (it behaves as on many ranks)") {
  const Tiling t = Tiling::split({5, 2}, 0, 1, 0);
  CHECK(t.boxes[0] == Box{{0, 0}, {5, 2}});
  CHECK(t.splits(0));
  CHECK(t.axes_cut_by_boxes() == 0);  // the boxes alone would say: not cut
  CHECK(t.kind() == "rows");
}

TEST_CASE("split refuses empty tiles and bad axes") {
  CHECK_THROWS_WITH_AS(Tiling::split({3, 2}, 0, 4, 0),
                       doctest::Contains("cannot split axis 0 of shape (3, 2) over 4 ranks"),
                       Error);
  CHECK_THROWS_AS(Tiling::split({3, 2}, 2, 1, 0), Error);
  CHECK_THROWS_AS(Tiling::split({}, 0, 1, 0), Error);
}

TEST_CASE("check finds tiles that overlap, leave gaps or stick out") {
  Tiling t;
  t.global = {4, 2};
  t.boxes = {Box{{0, 0}, {2, 2}}, Box{{1, 0}, {4, 2}}};
  CHECK_THROWS_WITH_AS(t.check(), doctest::Contains("overlap"), Error);
  t.boxes = {Box{{0, 0}, {2, 2}}, Box{{3, 0}, {4, 2}}};
  CHECK_THROWS_WITH_AS(t.check(), doctest::Contains("cover 6 of the 8"), Error);
  t.boxes = {Box{{0, 0}, {2, 2}}, Box{{2, 0}, {5, 2}}};
  CHECK_THROWS_WITH_AS(t.check(), doctest::Contains("not a non-empty range"), Error);
  t.boxes = {Box{{0, 0}, {2, 2}}, Box{{2, 0}, {4, 2}}};
  CHECK_NOTHROW(t.check());
  CHECK(t.axes_cut_by_boxes() == 1);
  t.boxes = {Box{{0, 0}, {4, 1}}, Box{{0, 1}, {4, 2}}};
  CHECK(t.axes_cut_by_boxes() == 2);
  t.split_axes = t.axes_cut_by_boxes();
  CHECK(t.kind() == "columns");
}

TEST_CASE("a distributed array is a value of its own kind") {
  auto tiling = std::make_shared<Tiling>(Tiling::split({2, 2}, 0, 1, 0));
  const Value v(Tiled{Array::from_vector<double>({1, 2, 3, 4}, {2, 2}), tiling});
  CHECK(v.is_tiled());
  CHECK_FALSE(v.is_array());
  CHECK(v.type_name() == "distributed array(float64, (2, 2), rows)");
  CHECK_THROWS_WITH_AS(v.as_array_ref("x"),
                       doctest::Contains("x must be an array, not distributed"), Error);
  CHECK_THROWS_WITH_AS(v.truthy(), doctest::Contains("ambiguous"), Error);
  const Value same(Tiled{Array::from_vector<double>({1, 2, 3, 4}, {2, 2}), tiling});
  const Value other(Tiled{Array::from_vector<double>({1, 2, 3, 5}, {2, 2}), tiling});
  CHECK(v == same);
  CHECK_FALSE(v == other);
}

TEST_CASE("without MPI a process is rank 0 of 1, and a collective step is a copy") {
  REQUIRE_FALSE(mpi::active());
  CHECK(mpi::rank() == 0);
  CHECK(mpi::size() == 1);
  const double payload[2] = {1.5, -2.0};
  const auto got =
      mpi::exchange_all(42, {reinterpret_cast<const std::byte*>(payload), sizeof payload});
  REQUIRE(got.size() == 1);
  REQUIRE(got[0].size() == sizeof payload);
  double back[2];
  std::memcpy(back, got[0].data(), sizeof back);
  CHECK(back[0] == 1.5);
  CHECK(back[1] == -2.0);
  const mpi::Failure failure{ErrorKind::value, "bad tile"};
  CHECK_THROWS_WITH_AS(mpi::exchange_all(42, {}, &failure), "bad tile", Error);
}
