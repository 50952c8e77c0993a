// Phylanx's distributed primitives (issue 15): where a process is (find_here, num_localities),
// distributed arrays made from tiles (annotate_d: see annotate.cpp; constant_d), the whole array
// gathered (all_gather_d), and the `_d` forms of dot and transpose. The other primitives take
// distributed arrays as runtime/distributed.hpp says; MPI is reached through runtime/mpi.hpp.
#include <cmath>
#include <cstring>
#include <optional>

#include "larix/kernels/random.hpp"
#include "larix/primitives/registry.hpp"
#include "larix/runtime/mpi.hpp"

namespace larix {

namespace {

Value find_here_kernel(KernelArgs&) { return Value(static_cast<std::int64_t>(mpi::rank())); }
Value num_localities_kernel(KernelArgs&) { return Value(static_cast<std::int64_t>(mpi::size())); }

Value all_gather_kernel(KernelArgs& a) {
  if (!a[0].is_tiled()) return a[0];  // replicated already
  return Value(gather_tiles(a[0].as_tiled(), collective_key("all_gather_d", a.loc())));
}

// The axis a tiling type of Phylanx cuts: "row(s)" the first of a matrix, "column(s)" the last,
// "page(s)" the first of a 3-d array; "sym" (Phylanx: balanced over both axes) cuts rows here.
int tiling_axis(const std::string& type, int ndim) {
  std::string t = type;
  if (!t.empty() && t.back() == 's') t.pop_back();
  if (ndim == 1 || t == "sym" || t == "row" || t == "page") return ndim == 3 && t == "row" ? 1 : 0;
  LARIX_CHECK(t == "column", value, "tiling_type must be 'sym', 'row', 'column' or 'page', not '",
              type, "'");
  return ndim - 1;
}

Value constant_d_kernel(KernelArgs& a) {
  const Value& value = a[0];
  Shape global;
  if (a[1].is_list())
    for (const Value& n : a[1].as_list()) global.push_back(n.as_int("shape"));
  else global.push_back(a[1].as_int("shape"));
  const int ranks = mpi::size(), rank = mpi::rank();
  LARIX_CHECK(a[2].is_nil() || a[2].as_int("tile_index") == rank, value,
              "constant_d(): tile_index ", a[2].repr(), " is not this rank (", rank,
              "): Larix holds the tile of each rank on that rank");
  LARIX_CHECK(a[3].is_nil() || a[3].as_int("numtiles") == ranks, value, "constant_d(): numtiles ",
              a[3].repr(), " is not the number of ranks (", ranks,
              "): Larix makes one tile per rank");
  LARIX_CHECK(a[6].is_nil() || (a[6].is_int() && a[6].as_int() == 0), value,
              "constant_d(): overlapping tiles (intersection) are not supported");
  const std::string type = a[5].is_nil() ? "sym" : a[5].as_string("tiling_type");
  const DType dtype = a[7].is_nil() ? DType::float64 : parse_dtype(a[7].as_string("dtype"));
  const int ndim = static_cast<int>(global.size());
  for (std::int64_t n : global)
    LARIX_CHECK(n >= 0, value, "constant_d(): negative dimensions are not allowed");
  auto tiling =
      std::make_shared<Tiling>(Tiling::split(global, tiling_axis(type, ndim), ranks, rank));
  const Array one = value.to_array("value").astype(dtype);
  LARIX_CHECK(one.ndim() == 0, value, "constant_d(): the fill value must be a number");
  Array local = one.broadcast_to(tiling->mine().extents()).copy();
  return Value(Tiled{std::move(local), std::move(tiling)});
}

Value local_kernel(KernelArgs& a) {
  if (!a[0].is_tiled()) return a[0];  // replicated: all of it is this rank's
  return Value(a[0].as_tiled().local);
}

// The distributed array whose tiles are the ranks' `tile`s, one after another along `axis` (the
// other axes alike on every rank: checked by every rank on every rank's extents).
Value from_tiles_kernel(KernelArgs& a) {
  std::optional<mpi::Failure> failure;
  Array tile;
  std::int64_t axis = 0;
  try {
    tile = a[0].to_array("from_tiles_d's tile");
    axis = a[1].as_int("axis");
    LARIX_CHECK(tile.ndim() >= 1, value, "from_tiles_d(): a tile needs at least one axis");
    LARIX_CHECK(axis >= -tile.ndim() && axis < tile.ndim(), axis, "axis ", axis,
                " is out of bounds for array of dimension ", tile.ndim());
    if (axis < 0) axis += tile.ndim();
  } catch (const Error& e) {
    failure = mpi::Failure{e.kind(), e.message()};
  }
  std::vector<std::int64_t> mine{tile.ndim()};
  mine.insert(mine.end(), tile.shape().begin(), tile.shape().end());
  const auto parts = mpi::exchange_ints(collective_key("from_tiles_d", a.loc()), mine,
                                        failure ? &*failure : nullptr);
  const int ndim = tile.ndim();
  auto tiling = std::make_shared<Tiling>();
  tiling->rank = mpi::rank();
  tiling->global = tile.shape();
  tiling->global[axis] = 0;
  tiling->split_axes = std::uint64_t{1} << axis;
  for (std::size_t q = 0; q < parts.size(); ++q) {
    Shape shape(parts[q].begin() + 1, parts[q].end());  // after the count of axes
    bool same = static_cast<int>(shape.size()) == ndim;
    for (int d = 0; same && d < ndim; ++d) same = d == axis || shape[d] == tile.shape()[d];
    LARIX_CHECK(same, value, "from_tiles_d(): rank ", q, "'s tile has shape ", shape_str(shape),
                ", rank ", tiling->rank, "'s ", shape_str(tile.shape()),
                ": they may differ along axis ", axis, " only");
    LARIX_CHECK(shape[axis] >= 1, value, "from_tiles_d(): rank ", q, "'s tile is empty along axis ",
                axis);
    Box b{.lo = Shape(ndim, 0), .hi = tile.shape()};
    b.lo[axis] = tiling->global[axis];
    b.hi[axis] = b.lo[axis] + shape[axis];
    tiling->global[axis] = b.hi[axis];
    tiling->boxes.push_back(std::move(b));
  }
  return Value(Tiled{std::move(tile), std::move(tiling)});
}

// This rank's box of the global shape from Phylanx's tile annotation (list("tile", spans...), or
// list("args", list("locality", ...), list("tile", ...))): each span names its axis; an axis no
// span names is whole.
Box desired_box(const List& tiling, const Shape& global) {
  const List* tile = &tiling;
  if (!tiling.empty() && tiling.front().is_string() && tiling.front().as_string() == "args") {
    tile = nullptr;
    for (std::size_t i = 1; i < tiling.size(); ++i)
      if (tiling[i].is_list() && !tiling[i].as_list().empty() &&
          tiling[i].as_list().front().is_string() &&
          tiling[i].as_list().front().as_string() == "tile")
        tile = &tiling[i].as_list();
    LARIX_CHECK(tile, value, "retile_d(): the new tiling has no \"tile\" annotation");
  }
  LARIX_CHECK(!tile->empty() && tile->front().is_string() && tile->front().as_string() == "tile",
              value, "retile_d(): the new tiling must be list(\"tile\", spans...), an axis or a ",
              "tiling type");
  const int ndim = static_cast<int>(global.size());
  Box box{.lo = Shape(ndim, 0), .hi = global};
  for (std::size_t i = 1; i < tile->size(); ++i) {
    const List& span = (*tile)[i].as_list("a tile's span");
    LARIX_CHECK(span.size() == 3, value, "retile_d(): a span is list(name, start, stop), not ",
                (*tile)[i].repr());
    const int axis = tile_span_axis(span[0].as_string("a span's name"), ndim, "retile_d");
    box.lo[axis] = span[1].as_int("a span's start");
    box.hi[axis] = span[2].as_int("a span's stop");
  }
  return box;
}

Value retile_kernel(KernelArgs& a) {
  const Value& x = a[0];
  const Shape global = x.is_tiled() ? x.as_tiled().tiling->global : x.to_array("a").shape();
  const int ndim = static_cast<int>(global.size());
  const int ranks = mpi::size(), rank = mpi::rank();
  const std::uint64_t key = collective_key("retile_d", a.loc());
  std::shared_ptr<Tiling> to;
  if (a[1].is_string() || a[1].is_int()) {  // a tiling type or an axis: cut evenly along it
    std::int64_t axis = a[1].is_int() ? a[1].as_int() : tiling_axis(a[1].as_string(), ndim);
    LARIX_CHECK(axis >= -ndim && axis < ndim, axis, "axis ", axis,
                " is out of bounds for array of dimension ", ndim);
    if (axis < 0) axis += ndim;
    to = std::make_shared<Tiling>(Tiling::split(global, static_cast<int>(axis), ranks, rank));
  } else {  // every rank's box, from each rank's own tile annotation
    std::optional<mpi::Failure> failure;
    Box box;
    try {
      box = desired_box(a[1].as_list("the new tiling"), global);
    } catch (const Error& e) {
      failure = mpi::Failure{e.kind(), e.message()};
      box = Box{.lo = Shape(ndim, 0), .hi = Shape(ndim, 0)};
    }
    std::vector<std::int64_t> mine(box.lo.begin(), box.lo.end());
    mine.insert(mine.end(), box.hi.begin(), box.hi.end());
    const auto parts = mpi::exchange_ints(key ^ 1, mine, failure ? &*failure : nullptr);
    to = std::make_shared<Tiling>();
    to->global = global;
    to->rank = rank;
    for (const std::vector<std::int64_t>& v : parts) {
      LARIX_ASSERT(v.size() == 2 * static_cast<std::size_t>(ndim), "a box of another rank");
      to->boxes.push_back({Shape(v.begin(), v.begin() + ndim), Shape(v.begin() + ndim, v.end())});
    }
    to->check();
    to->split_axes = to->axes_cut_by_boxes();
  }
  if (!x.is_tiled())  // replicated: each rank keeps its part, nothing moves
    return Value(Tiled{cut_to_box(x.to_array(), to->mine()).copy(), std::move(to)});
  return Value(retile(x.as_tiled(), std::move(to), key));
}

// Phylanx's random_d: this rank's tile of normal(mean, std) values, drawn from this process's
// global random state (np.random's; each rank has its own).
Value random_d_kernel(KernelArgs& a) {
  Shape global;
  if (a[0].is_list())
    for (const Value& n : a[0].as_list()) global.push_back(n.as_int("shape"));
  else global.push_back(a[0].as_int("shape"));
  for (std::int64_t n : global)
    LARIX_CHECK(n > 0, value, "random_d(): the shape must hold positive lengths, not ",
                shape_str(global));
  const int ranks = mpi::size(), rank = mpi::rank();
  LARIX_CHECK(a[1].is_nil() || a[1].as_int("tile_index") == rank, value, "random_d(): tile_index ",
              a[1].repr(), " is not this rank (", rank, ")");
  LARIX_CHECK(a[2].is_nil() || a[2].as_int("numtiles") == ranks, value, "random_d(): numtiles ",
              a[2].repr(), " is not the number of ranks (", ranks, ")");
  const std::string type = a[4].is_nil() ? "sym" : a[4].as_string("tiling_type");
  const double mean = a[5].as_double("mean"), std = a[6].as_double("std");
  const int ndim = static_cast<int>(global.size());
  auto tiling =
      std::make_shared<Tiling>(Tiling::split(global, tiling_axis(type, ndim), ranks, rank));
  Array tile = kernels::random::with_global_state([&](kernels::random::LegacyState& state) {
    return kernels::random::standard_normal(state, tiling->mine().extents());
  });
  double* p = tile.mutable_data<double>();
  for (std::int64_t i = 0; i < tile.size(); ++i) p[i] = mean + std * p[i];
  return Value(Tiled{std::move(tile), std::move(tiling)});
}

TypeInfo int_type(const std::vector<TypeInfo>&) { return {.kind = ValueKind::integer}; }

}  // namespace

void register_distributed(Registry& r) {
  r.add({.name = "find_here",
         .aliases = {"locality"},
         .signature = {{}},
         .doc = "find_here()\n\nThis process's rank (Phylanx's locality): 0 ... "
                "num_localities() - 1; 0 in a run without MPI.",
         .pure = false,
         .kernel = find_here_kernel,
         .type_rule = int_type});
  r.add({.name = "num_localities",
         .signature = {{}},
         .doc = "num_localities()\n\nThe number of ranks (Phylanx's localities) of the run: "
                "`mpirun -n N` gives N; 1 without MPI.",
         .pure = false,
         .kernel = num_localities_kernel,
         .type_rule = int_type});
  r.add({.name = "all_gather_d",
         .signature = {{arg("a")}},
         .doc = "all_gather_d(a)\n\nThe whole of the distributed array `a` on every rank (every "
                "rank sends its tile to every other one); any other value is returned as it "
                "is.",
         .pure = false,
         .kernel = all_gather_kernel,
         .dist = DistPolicy::own});
  r.add({.name = "local_d",
         .signature = {{arg("a")}},
         .doc = "local_d(a)\n\nThis rank's tile of the distributed array `a` as an ordinary "
                "array (no copy); any other value is returned as it is. (larix.distributed.local "
                "in a kernel.)",
         .kernel = local_kernel,
         .dist = DistPolicy::own});
  r.add({.name = "from_tiles_d",
         .signature = {{arg("tile"), arg("axis", Value(std::int64_t{0}))}},
         .doc = "from_tiles_d(tile, axis=0)\n\nThe distributed array whose tiles are every "
                "rank's `tile`, in rank order along `axis` (the ranks exchange their tiles' "
                "shapes, which may differ along `axis` only; a ValueError on every rank "
                "otherwise). (larix.distributed.from_tiles in a kernel.)",
         .pure = false,
         .kernel = from_tiles_kernel,
         .dist = DistPolicy::own});
  r.add({.name = "random_d",
         .signature = {{arg("shape"), arg("tile_index", Value()), arg("numtiles", Value()),
                        arg("name", Value("")), arg("tiling_type", Value("sym")),
                        arg("mean", Value(0.0)), arg("std", Value(1.0))}},
         .doc = "random_d(shape, tile_index=find_here(), numtiles=num_localities(), name=\"\", "
                "tiling_type=\"sym\", mean=0.0, std=1.0)\n\nPhylanx's random_d: a distributed "
                "array of the global `shape` of normally distributed floats, cut as constant_d "
                "cuts; each rank draws its tile from its own global random state (np.random's: "
                "seed it differently on each rank for independent tiles). tile_index and "
                "numtiles, when given, must be this rank and the number of ranks.",
         .pure = false,
         .effect = true,
         .kernel = random_d_kernel,
         .dist = DistPolicy::own});
  r.add({.name = "retile_d",
         .signature = {{arg("a"), arg("new_tiling")}},
         .doc = "retile_d(a, new_tiling)\n\nPhylanx's retile_d: the distributed array `a` cut "
                "anew, its elements moved between the ranks (one all-to-all step: each rank sends "
                "each other rank what of its tile lies in the other's new tile). new_tiling is "
                "this rank's tile, list(\"tile\", list(\"rows\", r0, r1), list(\"columns\", "
                "c0, c1)) (every rank gives its own; together they must cover the array without "
                "overlapping), or an axis, or a tiling type (\"row\", \"column\", \"sym\") to "
                "cut it evenly along. A replicated `a` is cut without moving anything. "
                "(larix.distributed.retile in a kernel.)",
         .pure = false,
         .kernel = retile_kernel,
         .dist = DistPolicy::own});
  r.add({.name = "constant_d",
         .signature = {{arg("value"), arg("shape"), arg("tile_index", Value()),
                        arg("numtiles", Value()), arg("name", Value("")),
                        arg("tiling_type", Value("sym")), arg("intersection", Value()),
                        arg("dtype", Value())}},
         .doc = "constant_d(value, shape, tile_index=find_here(), numtiles=num_localities(), "
                "name=\"\", tiling_type=\"sym\", intersection=nil, dtype=nil)\n\nPhylanx's "
                "constant_d: a distributed array of the global `shape` filled with `value`, "
                "cut into one tile per rank: \"row\" (and \"sym\") cuts the first axis, "
                "\"column\" the last, as evenly as possible. tile_index and numtiles, when "
                "given, must be this rank and the number of ranks; overlapping tiles "
                "(intersection) are not supported. dtype defaults to float64.",
         .pure = false,
         .kernel = constant_d_kernel,
         .dist = DistPolicy::own});
}

}  // namespace larix
