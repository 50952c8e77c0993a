#include "larix/runtime/tiled.hpp"

#include <algorithm>

#include "larix/support/error.hpp"

namespace larix {

Shape Box::extents() const {
  Shape e(lo.size());
  for (std::size_t d = 0; d < lo.size(); ++d) e[d] = hi[d] - lo[d];
  return e;
}

std::uint64_t Tiling::axes_cut_by_boxes() const {
  std::uint64_t mask = 0;
  for (const Box& b : boxes)
    for (int d = 0; d < ndim(); ++d)
      if (b.lo[d] != 0 || b.hi[d] != global[d]) mask |= std::uint64_t{1} << d;
  return mask;
}

std::string Tiling::kind() const {
  std::vector<int> split;
  for (int d = 0; d < ndim(); ++d)
    if (splits(d)) split.push_back(d);
  if (split.empty()) return "whole";
  if (split.size() > 1) return "blocks";
  const int from_end = ndim() - split[0];  // columns are the last axis, rows the one before
  if (ndim() == 1) return "rows";
  return from_end == 1 ? "columns" : from_end == 2 ? "rows" : "pages";
}

std::string Tiling::describe() const {
  std::string out;
  for (int d = 0; d < ndim(); ++d) {
    if (!splits(d)) continue;
    out += (out.empty() ? "" : " x ") + std::string("axis ") + std::to_string(d) + " " +
           std::to_string(mine().lo[d]) + ":" + std::to_string(mine().hi[d]);
  }
  return (out.empty() ? std::string("all") : out) + " of " + shape_str(global) + " (" + kind() +
         " over " + std::to_string(ranks()) + " rank" + (ranks() == 1 ? "" : "s") + ")";
}

int tile_span_axis(const std::string& name, int ndim, const char* fn) {
  if (ndim == 1 && (name == "rows" || name == "columns")) return 0;
  if (name == "columns" && ndim >= 1) return ndim - 1;
  if (name == "rows" && ndim >= 2) return ndim - 2;
  if (name == "pages" && ndim == 3) return 0;
  user_error(ErrorKind::value, fn, "(): a tile of a ", ndim, "-d array has no span '", name,
             "' (spans: pages, rows, columns)");
}

Tiling Tiling::split(const Shape& global, int axis, int ranks, int rank) {
  const int ndim = static_cast<int>(global.size());
  LARIX_CHECK(ndim >= 1, value, "a distributed array needs at least one axis, not shape ",
              shape_str(global));
  LARIX_CHECK(axis >= 0 && axis < ndim, axis, "axis ", axis, " is out of bounds for a ", ndim,
              "-d distributed array");
  LARIX_CHECK(global[axis] >= ranks, value, "cannot split axis ", axis, " of shape ",
              shape_str(global), " over ", ranks, " ranks: each rank's tile needs at least one ",
              "index along it");
  Tiling t;
  t.global = global;
  t.rank = rank;
  t.split_axes = std::uint64_t{1} << axis;
  const std::int64_t n = global[axis], base = n / ranks, extra = n % ranks;
  std::int64_t at = 0;
  for (int r = 0; r < ranks; ++r) {
    Box b{.lo = Shape(ndim, 0), .hi = global};
    b.lo[axis] = at;
    at += base + (r < extra ? 1 : 0);
    b.hi[axis] = at;
    t.boxes.push_back(std::move(b));
  }
  return t;
}

void Tiling::check() const {
  std::int64_t covered = 0, total = 1;
  for (std::int64_t n : global) total *= n;
  for (std::size_t r = 0; r < boxes.size(); ++r) {
    const Box& b = boxes[r];
    LARIX_CHECK(b.lo.size() == global.size() && b.hi.size() == global.size(), value, "rank ", r,
                "'s tile has ", b.lo.size(), " axes, the array ", global.size());
    std::int64_t size = 1;
    for (std::size_t d = 0; d < global.size(); ++d) {
      LARIX_CHECK(0 <= b.lo[d] && b.lo[d] < b.hi[d] && b.hi[d] <= global[d], value, "rank ", r,
                  "'s tile spans ", b.lo[d], ":", b.hi[d], " of axis ", d,
                  ", which is not a non-empty range inside the global shape ", shape_str(global));
      size *= b.hi[d] - b.lo[d];
    }
    covered += size;
    for (std::size_t q = 0; q < r; ++q) {
      bool overlap = true;
      for (std::size_t d = 0; d < global.size(); ++d)
        overlap = overlap && std::max(b.lo[d], boxes[q].lo[d]) < std::min(b.hi[d], boxes[q].hi[d]);
      LARIX_CHECK(!overlap, value, "the tiles of ranks ", q, " and ", r,
                  " overlap (Larix's distributed arrays hold each element on one rank)");
    }
  }
  LARIX_CHECK(covered == total, value, "the tiles cover ", covered, " of the ", total,
              " elements of the global shape ", shape_str(global));
}

}  // namespace larix
