// annotate and annotate_d (Phylanx's): attach annotations to a value. Larix checks that the
// annotations are well formed; values do not carry them. The one annotation Larix reads is
// annotate_d's "tile": the array is this rank's tile of a distributed array (runtime/tiled.hpp),
// whose global shape the ranks learn from each other's tiles.
#include <algorithm>
#include <cstring>
#include <optional>
#include <string>

#include "larix/primitives/registry.hpp"
#include "larix/runtime/mpi.hpp"

namespace larix {
namespace {

// An annotation is a list whose first element is a string (its key), followed by numbers,
// strings, nil and further annotations: list("tile", list("columns", 0, 2), list("rows", 0, 2)).
void check_annotation(const Value& v, const char* fn, int depth) {
  LARIX_CHECK(depth < 64, value, fn, "(): annotations nest too deep");
  LARIX_CHECK(v.is_list(), type, fn,
              "(): an annotation must be a list whose first element is a string (its key), not ",
              v.repr());
  const auto& items = v.as_list();
  LARIX_CHECK(!items.empty() && items.front().is_string(), type, fn,
              "(): an annotation must be a list whose first element is a string (its key), not ",
              v.repr());
  for (std::size_t i = 1; i < items.size(); ++i) {
    const Value& item = items[i];
    if (item.is_list()) {
      check_annotation(item, fn, depth + 1);
    } else {
      LARIX_CHECK(item.is_number() || item.is_string() || item.is_nil(), type, fn,
                  "(): the values of annotation '", items.front().as_string(),
                  "' must be numbers, strings, nil or annotations, not ", item.repr());
    }
  }
}

Value annotate_kernel(KernelArgs& a) {
  for (std::size_t i = 1; i < a.size(); ++i) check_annotation(a[i], "annotate", 0);
  return a[0];
}

// The axis a span of a "tile" annotation names in an array of `ndim` axes (Phylanx's names: a
// vector's one axis is "columns" or "rows").
bool is_span(const Value& v) {
  if (!v.is_list() || v.as_list().empty() || !v.as_list().front().is_string()) return false;
  const std::string& name = v.as_list().front().as_string();
  return name == "rows" || name == "columns" || name == "pages";
}

bool has_span(const List& tile) { return std::any_of(tile.begin() + 1, tile.end(), is_span); }

// This rank's box from list("tile", list("rows", lo, hi), list("columns", lo, hi)); a span not
// given is all of the tile's axis, starting at 0. Entries of other names are not spans.
Box tile_box(const List& tile, const Array& local) {
  const int ndim = local.ndim();
  LARIX_CHECK(ndim >= 1, value, "annotate_d(): a tile must have at least one axis");
  Box box{.lo = Shape(ndim, 0), .hi = local.shape()};
  for (std::size_t i = 1; i < tile.size(); ++i) {
    if (!is_span(tile[i])) continue;
    const List& span = tile[i].as_list("a tile's span");
    LARIX_CHECK(span.size() == 3, value, "annotate_d(): a tile's span is list(name, start, ",
                "stop), not ", tile[i].repr());
    const int axis = tile_span_axis(span[0].as_string("a span's name"), ndim, "annotate_d");
    box.lo[axis] = span[1].as_int("a span's start");
    box.hi[axis] = span[2].as_int("a span's stop");
    LARIX_CHECK(box.hi[axis] - box.lo[axis] == local.shape()[axis] && box.lo[axis] >= 0, value,
                "annotate_d(): the span ", tile[i].repr(), " holds ", box.hi[axis] - box.lo[axis],
                " indices, but the tile's axis ", axis, " has ", local.shape()[axis]);
  }
  return box;
}

Value annotate_d_kernel(KernelArgs& a) {
  LARIX_CHECK(a[1].is_string(), type,
              "annotate_d(): the name must be a string (it names the object across localities), "
              "not ",
              a[1].repr());
  const List* tile = nullptr;
  for (std::size_t i = 2; i < a.size(); ++i) {
    check_annotation(a[i], "annotate_d", 0);
    const List& items = a[i].as_list();
    if (items.front().as_string() == "tile" && has_span(items)) tile = &items;
  }
  if (!tile) return a[0];  // no tile given: the value as it is (Phylanx's meta annotations)
  // Every rank learns every tile's box; a rank whose own tile is wrong makes all of them fail.
  std::optional<mpi::Failure> failure;
  Box box;
  Array local;
  try {
    local = a[0].to_array("annotate_d's target");
    box = tile_box(*tile, local);
  } catch (const Error& e) {
    failure = mpi::Failure{e.kind(), e.message()};
  }
  std::vector<std::int64_t> mine;
  mine.push_back(local.ndim());
  mine.insert(mine.end(), box.lo.begin(), box.lo.end());
  mine.insert(mine.end(), box.hi.begin(), box.hi.end());
  const auto parts = mpi::exchange_ints(collective_key("annotate_d", a.loc()), mine,
                                        failure ? &*failure : nullptr);
  auto tiling = std::make_shared<Tiling>();
  tiling->rank = mpi::rank();
  for (std::size_t q = 0; q < parts.size(); ++q) {
    const std::vector<std::int64_t>& v = parts[q];
    const auto ndim = static_cast<std::size_t>(v.empty() ? 0 : v[0]);
    LARIX_CHECK(ndim == static_cast<std::size_t>(local.ndim()) && v.size() == 1 + 2 * ndim, value,
                "annotate_d(): rank ", q, "'s tile has ", ndim, " axes, this rank's ",
                local.ndim());
    Box b{.lo = Shape(v.begin() + 1, v.begin() + 1 + ndim),
          .hi = Shape(v.begin() + 1 + ndim, v.end())};
    if (tiling->global.empty()) tiling->global = b.hi;
    for (std::size_t d = 0; d < ndim; ++d) tiling->global[d] = std::max(tiling->global[d], b.hi[d]);
    tiling->boxes.push_back(std::move(b));
  }
  tiling->check();
  tiling->split_axes = tiling->axes_cut_by_boxes();
  return Value(Tiled{std::move(local), std::move(tiling)});
}

TypeInfo same_type(const std::vector<TypeInfo>& t) { return t[0]; }

}  // namespace

void register_annotate(Registry& r) {
  r.add({.name = "annotate",
         .signature = {.params = {arg("target")}, .variadic = true},
         .doc = "annotate(target, *annotations)\n\nPhylanx's annotate: target with the given "
                "annotations, each a list whose first element is a string (its key) followed by "
                "numbers, strings, nil or further annotations, e.g. list(\"tile\", "
                "list(\"columns\", 0, 2), list(\"rows\", 0, 2)). A malformed annotation is a "
                "TypeError. Larix returns target unchanged: values do not keep the annotations "
                "(Phylanx's distributed primitives read them; Larix runs on one locality).",
         .kernel = annotate_kernel,
         .type_rule = same_type});
  r.add({.name = "annotate_d",
         .signature = {.params = {arg("target"), arg("name")}, .variadic = true},
         .doc = "annotate_d(target, name, *annotations)\n\nPhylanx's annotate_d: as annotate, "
                "and with a tile annotation, list(\"tile\", list(\"rows\", r0, r1), "
                "list(\"columns\", c0, c1)), target is this rank's tile of a distributed array "
                "(a vector's span is \"columns\" or \"rows\", a 3-d array's also \"pages\"; a "
                "span not given is the whole axis). Every rank calls it with its own tile; the "
                "global shape is where the tiles end, and the tiles must cover it without "
                "overlapping (a ValueError on every rank otherwise). The name is checked and "
                "not kept (Larix's arrays are values). Without a tile annotation target is "
                "returned unchanged.",
         .pure = false,
         .kernel = annotate_d_kernel,
         .dist = DistPolicy::own});
}

}  // namespace larix
