// Primitives on distributed arrays (issue 15): run_kernel hands a call with a tiled operand
// (runtime/tiled.hpp) to run_distributed, which runs the primitive's own kernel on this rank's
// tiles and, where the result needs the other ranks' tiles, combines them over MPI
// (runtime/mpi.hpp). How is the primitive's DistPolicy, from one table (primitives/registry.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "larix/runtime/tiled.hpp"
#include "larix/runtime/value.hpp"

namespace larix {

struct PrimitiveInfo;
class KernelArgs;

enum class DistPolicy : std::uint8_t {
  none,         // a distributed operand is a TypeError (gather it first)
  elementwise,  // each tile alone; replicated operands cut to the tile; the result tiled alike
  reduce_sum,   // (a, axis, ...): each tile reduced, then, over a cut axis, summed over the ranks
  reduce_prod,
  reduce_max,
  reduce_min,
  reduce_any,
  reduce_all,
  reduce_mean,  // the tiles' means weighed by their element counts, summed over the ranks
  dot,          // dot/matmul of 1-d and 2-d operands, summed over the ranks when the
                // contracted axis is cut
  transpose,    // the tile transposed, and the tiling with it
  shape,        // shape, len, ndim, size: the global array's
  subscript,    // x[i, a:b:s, ...] by global ints and slices: each rank its part of the result
  pass,         // values passed on unread (containers); kernels that read one fail as usual
  own,          // the kernel takes tiled values itself (the distributed primitives)
};

bool has_tiled(std::span<const Value> values);

// The call of `info` on values of which some are tiled; `local` runs the primitive's kernel on
// the values as they are then (tiles in place of the tiled ones).
using LocalKernel = std::function<Value(std::span<Value>)>;
Value run_distributed(const PrimitiveInfo& info, std::span<Value> values, const SourceLoc& loc,
                      const LocalKernel& local);

// The key of a collective step at `loc` of primitive `name`: the same on every rank.
std::uint64_t collective_key(const char* name, const SourceLoc& loc);

// The sum of every rank's `partial` (of one shape and dtype everywhere), added in rank order: the
// same bits on every rank.
Array sum_over_ranks(const Array& partial, std::uint64_t key);
// The whole array on every rank (all_gather_d).
Array gather_tiles(const Tiled& t, std::uint64_t key);
// The elements of the replicated array `a` inside `box` (a view).
Array cut_to_box(const Array& a, const Box& box);
// `t` moved to the tiling `to` (of the same global shape): each rank sends every other rank the
// part of its tile that lies in the other's new tile (one all-to-all step).
Tiled retile(const Tiled& t, std::shared_ptr<const Tiling> to, std::uint64_t key);

}  // namespace larix
