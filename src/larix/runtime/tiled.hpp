// A distributed array (issue 15): an array of a global shape split into one tile per MPI rank,
// each rank holding its own tile. The tiling (every rank's box in the global array) is known to
// every rank alike, so whatever is decided from it (which operands line up, whether a product
// needs a sum over ranks) is decided the same way everywhere, before any rank communicates.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "larix/array/array.hpp"

namespace larix {

// Where a tile sits: [lo[d], hi[d]) along each axis d of the global array.
struct Box {
  Shape lo, hi;
  std::int64_t extent(int axis) const { return hi[axis] - lo[axis]; }
  Shape extents() const;
  friend bool operator==(const Box&, const Box&) = default;
};

struct Tiling {
  Shape global;            // the whole array's shape
  std::vector<Box> boxes;  // one per rank, in rank order
  int rank = 0;            // this process's
  // The axes the tiling cuts (bit d: axis d), also where one rank holds all of it: an array cut
  // into rows is a row-tiled array on one rank too, and behaves as it does on many.
  std::uint64_t split_axes = 0;

  const Box& mine() const { return boxes[rank]; }
  int ndim() const { return static_cast<int>(global.size()); }
  int ranks() const { return static_cast<int>(boxes.size()); }
  bool splits(int axis) const { return (split_axes >> axis) & 1U; }
  // "rows", "columns", "blocks", "pages", "whole" (not split): how the tiles cut the array.
  std::string kind() const;
  // "rows 0:50 of (100, 4)": this rank's tile, for messages.
  std::string describe() const;
  friend bool operator==(const Tiling& a, const Tiling& b) {
    return a.global == b.global && a.boxes == b.boxes && a.split_axes == b.split_axes;
  }

  // The tiling of `global` cut along `axis` into `ranks` contiguous runs, as even as possible
  // (the first global[axis] % ranks tiles one longer); a user error if a tile would be empty.
  static Tiling split(const Shape& global, int axis, int ranks, int rank);
  // Checks that the boxes lie inside `global`, do not overlap and cover it (a user error naming
  // what is wrong otherwise).
  void check() const;
  // The axes some box does not span (for boxes given by the user: annotate_d).
  std::uint64_t axes_cut_by_boxes() const;
};

// The axis a span of Phylanx's tile annotation names in an array of `ndim` axes: "columns" the
// last, "rows" the one before (a vector's one axis is either), "pages" the first of three; a
// ValueError naming `fn` otherwise.
int tile_span_axis(const std::string& name, int ndim, const char* fn);

struct Tiled {
  Array local;  // this rank's tile: shape mine().extents()
  std::shared_ptr<const Tiling> tiling;
  DType dtype() const { return local.dtype(); }
};

}  // namespace larix
