#include "larix/runtime/distributed.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "larix/runtime/mpi.hpp"
#include "larix/runtime/primitive.hpp"

namespace larix {

namespace {

std::uint64_t fnv1a(std::uint64_t h, const void* data, std::size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ULL;
  return h;
}

[[noreturn]] void unsupported(const PrimitiveInfo& info, const Value& operand) {
  user_error(ErrorKind::type, info.name, "() does not take a distributed array (",
             operand.type_name(),
             "); on distributed arrays Larix computes element-wise operations, the reductions "
             "sum, prod, min, max, mean, any and all, dot and matmul, transpose and shape: gather "
             "the whole array first with all_gather_d(x) (larix.distributed.all_gather)");
}

std::shared_ptr<const Tiling> make_tiling(Shape global, std::vector<Box> boxes,
                                          std::uint64_t split_axes) {
  auto t = std::make_shared<Tiling>();
  t->global = std::move(global);
  t->boxes = std::move(boxes);
  t->rank = mpi::rank();
  t->split_axes = split_axes;
  return t;
}

// The bytes of a C-contiguous array (copied into one when it is not).
std::span<const std::byte> bytes_of(const Array& a) {
  return {reinterpret_cast<const std::byte*>(a.bytes()),
          static_cast<std::size_t>(a.size()) * a.itemsize()};
}

// ---- combining partial results over the ranks ------------------------------------------------

enum class Combine { sum, prod, max, min, any, all };

template <class T>
T combine_one(Combine op, T a, T b) {
  if constexpr (std::is_same_v<T, bool>) {
    return op == Combine::any || op == Combine::sum || op == Combine::max ? (a || b) : (a && b);
  } else if constexpr (is_complex_v<T>) {
    return op == Combine::prod ? a * b : a + b;
  } else {
    switch (op) {
      case Combine::sum: return static_cast<T>(a + b);
      case Combine::prod: return static_cast<T>(a * b);
      case Combine::max:
      case Combine::any:
        if constexpr (std::is_floating_point_v<T>)
          if (std::isnan(a) || std::isnan(b)) return std::isnan(a) ? a : b;  // NaN propagates
        return std::max(a, b);
      case Combine::min:
      case Combine::all:
        if constexpr (std::is_floating_point_v<T>)
          if (std::isnan(a) || std::isnan(b)) return std::isnan(a) ? a : b;
        return std::min(a, b);
    }
    return a;
  }
}

// Every rank's `partial` (of one shape and dtype on every rank) combined in rank order, so that
// every rank gets the same bits.
Array combine_over_ranks(const Array& partial, Combine op, std::uint64_t key) {
  const DType storage = partial.dtype();
  const DType compute = compute_dtype(storage);
  LARIX_CHECK(!is_complex(compute) || op == Combine::sum || op == Combine::prod, type,
              "a maximum or minimum of complex values over a distributed array is not supported");
  const Array mine = partial.astype(compute).contiguous();
  const auto parts = mpi::exchange_all(key, bytes_of(mine));
  Array out = Array::empty(compute, mine.shape());
  visit_any_dtype(compute, [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* o = out.mutable_data<T>();
    const std::size_t n = static_cast<std::size_t>(out.size());
    LARIX_ASSERT(parts[0].size() == n * sizeof(T), "partial results of different sizes");
    std::memcpy(o, parts[0].data(), n * sizeof(T));
    for (std::size_t r = 1; r < parts.size(); ++r) {
      LARIX_ASSERT(parts[r].size() == n * sizeof(T), "partial results of different sizes");
      const T* p = reinterpret_cast<const T*>(parts[r].data());
      for (std::size_t i = 0; i < n; ++i) o[i] = combine_one(op, o[i], p[i]);
    }
  });
  return compute == storage ? out : out.astype(storage);
}

// ---- element-wise ----------------------------------------------------------------------------

// A replicated operand cut to this rank's tile along the axes it spans (a view); it broadcasts
// against the distributed array as NumPy aligns shapes (from the last axis).
Array cut_operand(const Array& a, const Tiling& t) {
  LARIX_CHECK(a.ndim() <= t.ndim(), value, "an operand of shape ", shape_str(a.shape()),
              " has more axes than the distributed array of shape ", shape_str(t.global),
              ": the result would not be distributed like it");
  const int offset = t.ndim() - a.ndim();
  Array out = a;
  for (int d = 0; d < a.ndim(); ++d) {
    const int g = d + offset;
    if (a.shape()[d] == 1) continue;
    LARIX_CHECK(a.shape()[d] == t.global[g], value,
                "operands could not be broadcast together with shapes ", shape_str(t.global),
                " (distributed) and ", shape_str(a.shape()));
    if (!t.splits(g)) continue;
    Shape shape = out.shape();
    shape[d] = t.mine().extent(g);
    out = out.view(t.mine().lo[g] * out.strides()[d], shape, out.strides());
  }
  return out;
}

// The one tiling of the tiled operands (an error if they differ).
const Tiled& common_tiling(const PrimitiveInfo& info, std::span<Value> values) {
  const Tiled* first = nullptr;
  for (const Value& v : values) {
    if (!v.is_tiled()) continue;
    const Tiled& t = v.as_tiled();
    if (!first) {
      first = &t;
      continue;
    }
    LARIX_CHECK(*t.tiling == *first->tiling, value, info.name,
                "(): operands distributed differently: ", first->tiling->describe(), " and ",
                t.tiling->describe(),
                " (retile one, or make both with the same global shape and tiling)");
  }
  return *first;
}

Value elementwise(const PrimitiveInfo& info, std::span<Value> values, const LocalKernel& local) {
  const Tiled& first = common_tiling(info, values);
  const std::shared_ptr<const Tiling> tiling = first.tiling;
  for (Value& v : values) {
    if (v.is_tiled()) v = Value(v.as_tiled().local);
    else if (v.is_array()) v = Value(cut_operand(v.as_array_ref(), *tiling));
  }
  Value r = local(values);
  LARIX_ASSERT(r.is_array() && r.as_array_ref().shape() == tiling->mine().extents(), info.name,
               "() on a tile gave ", r.type_name(), " for a tile of ",
               shape_str(tiling->mine().extents()));
  return Value(Tiled{r.as_array_ref(), tiling});
}

// `whole` as the kind of value `r` is: a Python scalar result stays one (count_nonzero over
// everything is an int).
Value like(const Value& r, Array whole) {
  if (r.is_int()) return Value(whole.item<std::int64_t>());
  if (r.is_bool()) return Value(whole.item<bool>());
  if (r.is_float()) return Value(whole.item<double>());
  return Value(std::move(whole));
}

// ---- reductions ------------------------------------------------------------------------------

std::vector<bool> reduced_axes(const Value& axis, int ndim) {
  std::vector<bool> reduced(ndim, axis.is_nil());
  if (axis.is_nil()) return reduced;
  std::vector<std::int64_t> axes;
  if (axis.is_list())
    for (const Value& a : axis.as_list()) axes.push_back(a.as_int("axis"));
  else axes.push_back(axis.as_int("axis"));
  for (std::int64_t a : axes) {
    LARIX_CHECK(a >= -ndim && a < ndim, axis, "axis ", a,
                " is out of bounds for array of dimension ", ndim);
    reduced[a < 0 ? a + ndim : a] = true;
  }
  return reduced;
}

int param_index(const PrimitiveInfo& info, const char* name) {
  const auto& p = info.signature.params;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (p[i].name == name) return static_cast<int>(i);
  return -1;
}

Value reduction(const PrimitiveInfo& info, DistPolicy policy, std::span<Value> values,
                const SourceLoc& loc, const LocalKernel& local) {
  for (std::size_t i = 1; i < values.size(); ++i)
    if (values[i].is_tiled()) unsupported(info, values[i]);
  const Tiled t = values[0].as_tiled();
  const Tiling& tiling = *t.tiling;
  const int ai = param_index(info, "axis"), ki = param_index(info, "keepdims");
  const Value axis = ai >= 0 && static_cast<std::size_t>(ai) < values.size() ? values[ai] : Value();
  const bool keepdims =
      ki >= 0 && static_cast<std::size_t>(ki) < values.size() && values[ki].truthy();
  const std::vector<bool> reduced = reduced_axes(axis, tiling.ndim());
  bool across = false;  // a cut axis is reduced: the ranks' results are combined
  bool kept_cut = false;
  for (int d = 0; d < tiling.ndim(); ++d) {
    across = across || (reduced[d] && tiling.splits(d));
    kept_cut = kept_cut || (!reduced[d] && tiling.splits(d));
  }
  LARIX_CHECK(!(across && kept_cut), value, info.name,
              "() over some but not all of the cut axes of a distributed array (",
              tiling.describe(), ") is not supported");
  values[0] = Value(t.local);
  const std::int64_t local_count = [&] {
    std::int64_t n = 1;
    for (int d = 0; d < tiling.ndim(); ++d)
      if (reduced[d]) n *= t.local.shape()[d];
    return n;
  }();
  Value r = local(values);
  if (!across) {  // each rank's result is its tile of the result
    Shape global;
    Box box;
    std::vector<Box> boxes(tiling.ranks());
    std::uint64_t split = 0;
    for (int d = 0; d < tiling.ndim(); ++d) {
      if (reduced[d] && !keepdims) continue;
      const int at = static_cast<int>(global.size());
      global.push_back(reduced[d] ? 1 : tiling.global[d]);
      for (int q = 0; q < tiling.ranks(); ++q) {
        boxes[q].lo.push_back(reduced[d] ? 0 : tiling.boxes[q].lo[d]);
        boxes[q].hi.push_back(reduced[d] ? 1 : tiling.boxes[q].hi[d]);
      }
      if (!reduced[d] && tiling.splits(d)) split |= std::uint64_t{1} << at;
    }
    if (split == 0) return r;  // nothing was cut (one rank's whole array): the whole result
    Array a = r.to_array();
    LARIX_ASSERT(a.shape() == boxes[tiling.rank].extents(), "a reduced tile of the wrong shape");
    return Value(Tiled{std::move(a), make_tiling(std::move(global), std::move(boxes), split)});
  }
  Array partial = r.to_array();
  const std::uint64_t key = collective_key(info.name.c_str(), loc);
  Combine op = Combine::sum;
  switch (policy) {
    case DistPolicy::reduce_prod: op = Combine::prod; break;
    case DistPolicy::reduce_max: op = Combine::max; break;
    case DistPolicy::reduce_min: op = Combine::min; break;
    case DistPolicy::reduce_any: op = Combine::any; break;
    case DistPolicy::reduce_all: op = Combine::all; break;
    default: break;
  }
  if (policy == DistPolicy::reduce_mean) {  // weigh this tile's mean by its share of the elements
    std::int64_t global_count = 1;
    for (int d = 0; d < tiling.ndim(); ++d)
      if (reduced[d]) global_count *= tiling.global[d];
    const DType storage = partial.dtype();
    Array w = partial.astype(compute_dtype(storage)).copy();
    const double share = static_cast<double>(local_count) / static_cast<double>(global_count);
    visit_any_dtype(w.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (!std::is_same_v<T, bool> && !std::is_integral_v<T>) {
        T* p = w.mutable_data<T>();
        const auto factor = static_cast<decltype(std::abs(T{}))>(share);
        for (std::int64_t i = 0; i < w.size(); ++i) p[i] = p[i] * factor;
      }
    });
    partial = w.astype(storage);
  }
  return like(r, combine_over_ranks(partial, op, key));
}

// ---- dot -------------------------------------------------------------------------------------

struct Operand {
  Array local;                     // the tile, or the whole replicated array
  const Tiling* tiling = nullptr;  // null: replicated
  Shape global() const { return tiling ? tiling->global : local.shape(); }
  bool cut(int axis) const { return tiling && tiling->splits(axis); }
  // Along `axis`, rank q's range.
  std::pair<std::int64_t, std::int64_t> range(int axis, int q) const {
    if (!tiling) return {0, local.shape()[axis]};
    return {tiling->boxes[q].lo[axis], tiling->boxes[q].hi[axis]};
  }
};

Operand operand(const Value& v) {
  if (v.is_tiled()) return {v.as_tiled().local, v.as_tiled().tiling.get()};
  return {v.to_array(), nullptr};
}

// `a` (replicated) cut to [lo, hi) along `axis`.
Array cut_axis(const Array& a, int axis, std::int64_t lo, std::int64_t hi) {
  Shape shape = a.shape();
  shape[axis] = hi - lo;
  return a.view(lo * a.strides()[axis], shape, a.strides());
}

Value dot(const PrimitiveInfo& info, std::span<Value> values, const SourceLoc& loc,
          const LocalKernel& local) {
  LARIX_CHECK(values.size() == 2, type, info.name, "() of distributed arrays takes 2 operands");
  Operand A = operand(values[0]), B = operand(values[1]);
  const Shape ga = A.global(), gb = B.global();
  const int na = static_cast<int>(ga.size()), nb = static_cast<int>(gb.size());
  LARIX_CHECK(na >= 1 && na <= 2 && nb >= 1 && nb <= 2, value, info.name,
              "() of distributed arrays takes 1-d and 2-d operands, not shapes ", shape_str(ga),
              " and ", shape_str(gb));
  const int ka = na - 1;  // the contracted axes
  LARIX_CHECK(ga[ka] == gb[0], value, "shapes ", shape_str(ga), " and ", shape_str(gb),
              " not aligned: ", ga[ka], " (dim ", ka, ") != ", gb[0], " (dim 0)");
  if (!A.tiling && !B.tiling) return local(values);  // both gathered (below)
  const int ranks = A.tiling ? A.tiling->ranks() : B.tiling->ranks();
  const int me = mpi::rank();
  const bool rows_cut = na == 2 && A.cut(0), cols_cut = nb == 2 && B.cut(1);
  const bool partial = A.cut(ka) || B.cut(0);
  bool direct = partial ? !rows_cut && !cols_cut : !(rows_cut && cols_cut);
  if (direct && A.cut(ka) && B.cut(0))
    for (int q = 0; q < ranks; ++q) direct = direct && A.range(ka, q) == B.range(0, q);
  if (!direct) {
    // Cut so that no rank has the parts of a product it needs (an outer product of tiles, a
    // contracted axis cut differently, a cut beside the contracted one): the whole of one
    // operand on every rank (the smaller one; one all-gather step), then as above.
    const int which = !A.tiling ? 1 : !B.tiling ? 0 : shape_size(ga) <= shape_size(gb) ? 0 : 1;
    const Tiled& t = values[which].as_tiled();
    values[which] = Value(gather_tiles(t, collective_key((info.name + " gather").c_str(), loc)));
    return dot(info, values, loc, local);
  }
  if (partial) {  // partial products, summed over the ranks
    Array a = A.local, b = B.local;
    if (!A.tiling || !A.cut(ka)) {
      const auto [lo, hi] = B.range(0, me);
      a = cut_axis(a, ka, lo, hi);
    }
    if (!B.tiling || !B.cut(0)) {
      const auto [lo, hi] = A.range(ka, me);
      b = cut_axis(b, 0, lo, hi);
    }
    values[0] = Value(a);
    values[1] = Value(b);
    Value r = local(values);
    return like(
        r, combine_over_ranks(r.to_array(), Combine::sum, collective_key(info.name.c_str(), loc)));
  }
  values[0] = Value(A.local);
  values[1] = Value(B.local);
  Value r = local(values);
  Array a = r.to_array();
  Shape global;
  if (na == 2) global.push_back(ga[0]);
  if (nb == 2) global.push_back(gb[1]);
  if (!rows_cut && !cols_cut) {  // nothing was cut but the tiling of a size-1 axis: replicated
    return r;
  }
  const int axis = rows_cut ? 0 : static_cast<int>(global.size()) - 1;
  std::vector<Box> boxes(ranks);
  for (int q = 0; q < ranks; ++q) {
    boxes[q].lo = Shape(global.size(), 0);
    boxes[q].hi = global;
    const auto [lo, hi] = rows_cut ? A.range(0, q) : B.range(1, q);
    boxes[q].lo[axis] = lo;
    boxes[q].hi[axis] = hi;
  }
  return Value(Tiled{std::move(a),
                     make_tiling(std::move(global), std::move(boxes), std::uint64_t{1} << axis)});
}

// ---- subscripts by global indices ---------------------------------------------------------

// One index of a subscript, as Python reads it over the global extent: an int (the axis goes) or
// a slice with a positive step.
struct Selector {
  bool is_int = false;
  std::int64_t start = 0, stop = 0, step = 1;  // an int: start
  std::int64_t count() const {
    return is_int ? 1 : std::max<std::int64_t>(0, (stop - start + step - 1) / step);
  }
};

Selector selector(const Value& index, std::int64_t extent, int axis) {
  Selector s;
  if (index.is_nil()) {
    s.stop = extent;
    return s;
  }
  if (index.is_int() || index.is_bool()) {
    std::int64_t i = index.as_int();
    LARIX_CHECK(i >= -extent && i < extent, index, "index ", i, " is out of bounds for axis ", axis,
                " with size ", extent);
    s.is_int = true;
    s.start = i < 0 ? i + extent : i;
    return s;
  }
  LARIX_CHECK(index.is_list() && index.as_list().size() >= 2 && index.as_list().size() <= 3, type,
              "a distributed array takes ints and slices as indices (gather it for others: "
              "all_gather_d), not ",
              index.repr());
  const List& l = index.as_list();
  s.step = l.size() == 3 && !l[2].is_nil() ? l[2].as_int("a slice's step") : 1;
  LARIX_CHECK(s.step > 0, value, "a distributed array takes slices with a positive step, not ",
              s.step);
  auto bound = [&](const Value& v, std::int64_t open) {
    if (v.is_nil()) return open;
    std::int64_t b = v.as_int("a slice's bound");
    if (b < 0) b += extent;
    return std::clamp<std::int64_t>(b, 0, extent);
  };
  s.start = bound(l[0], 0);
  s.stop = std::max(s.start, bound(l[1], extent));
  return s;
}

Value subscript(const PrimitiveInfo& info, std::span<Value> values, const SourceLoc& loc,
                const LocalKernel& local) {
  for (std::size_t i = 1; i < values.size(); ++i)
    if (values[i].is_tiled()) unsupported(info, values[i]);
  const Tiled t = values[0].as_tiled();
  const Tiling& tiling = *t.tiling;
  const int n = tiling.ndim();
  LARIX_CHECK(static_cast<int>(values.size()) - 1 <= n, index,
              "too many indices for array: array is ", n, "-dimensional, but ", values.size() - 1,
              " were indexed");
  std::vector<Selector> sel;
  for (int d = 0; d < n; ++d)
    sel.push_back(selector(d + 1 < static_cast<int>(values.size()) ? values[d + 1] : Value(),
                           tiling.global[d], d));
  // Every rank's part of the result, along the axes that stay: [first, first + count) of the
  // selected positions (the same computation on every rank, from the tiling).
  Shape global;
  std::uint64_t split = 0;
  for (int d = 0; d < n; ++d)
    if (!sel[d].is_int) {
      if (tiling.splits(d)) split |= std::uint64_t{1} << global.size();
      global.push_back(sel[d].count());
    }
  std::vector<Box> boxes(tiling.ranks());
  std::vector<bool> holds(tiling.ranks(), true);
  for (int q = 0; q < tiling.ranks(); ++q) {
    const Box& b = tiling.boxes[q];
    for (int d = 0; d < n; ++d) {
      const Selector& s = sel[d];
      if (s.is_int) {
        holds[q] = holds[q] && b.lo[d] <= s.start && s.start < b.hi[d];
        continue;
      }
      const std::int64_t first =
          std::clamp<std::int64_t>((b.lo[d] - s.start + s.step - 1) / s.step, 0, s.count());
      const std::int64_t end =
          std::clamp<std::int64_t>((b.hi[d] - s.start + s.step - 1) / s.step, 0, s.count());
      boxes[q].lo.push_back(first);
      boxes[q].hi.push_back(std::max(first, end));
      holds[q] = holds[q] && end > first;
    }
    if (!holds[q]) boxes[q].hi = boxes[q].lo;  // nothing of the result
  }
  // This rank's part, by its local indices.
  const Box& mine = tiling.mine();
  const int me = tiling.rank;
  Array part;
  if (holds[me]) {
    std::vector<Value> operands{Value(t.local)};
    int kept = 0;
    for (int d = 0; d < n; ++d) {
      const Selector& s = sel[d];
      if (s.is_int) {
        operands.push_back(Value(s.start - mine.lo[d]));
        continue;
      }
      const std::int64_t first = s.start + boxes[me].lo[kept] * s.step - mine.lo[d];
      const std::int64_t count = boxes[me].hi[kept] - boxes[me].lo[kept];
      operands.push_back(
          Value(List{Value(first), Value(first + (count - 1) * s.step + 1), Value(s.step)}));
      ++kept;
    }
    part = local(operands).to_array();
  } else {
    part = Array::empty(t.dtype(), boxes[me].extents());
  }
  auto result = std::make_shared<Tiling>();
  result->global = global;
  result->boxes = boxes;
  result->rank = me;
  result->split_axes = split;
  const bool everyone = std::all_of(holds.begin(), holds.end(), [](bool h) { return h; });
  if (everyone && split != 0) return Value(Tiled{std::move(part), std::move(result)});
  // Some rank holds nothing (or nothing stays cut): the result whole on every rank.
  const std::uint64_t key = collective_key("__subscript gather", loc);
  if (global.empty()) {  // one element, on the rank that holds it
    const auto parts = mpi::exchange_all(
        key, holds[me] ? bytes_of(part.contiguous()) : std::span<const std::byte>());
    for (int q = 0; q < tiling.ranks(); ++q)
      if (holds[q]) {
        Array one = Array::empty(t.dtype(), {});
        std::memcpy(one.mutable_bytes(), parts[q].data(), parts[q].size());
        return Value(std::move(one));
      }
  }
  return Value(gather_tiles(Tiled{std::move(part), std::move(result)}, key));
}

// ---- transpose, shape ------------------------------------------------------------------------

Value transpose(const PrimitiveInfo& info, std::span<Value> values, const LocalKernel& local) {
  for (std::size_t i = 1; i < values.size(); ++i)
    if (values[i].is_tiled()) unsupported(info, values[i]);
  const Tiled t = values[0].as_tiled();
  const Tiling& tiling = *t.tiling;
  const int n = tiling.ndim();
  std::vector<int> axes(n);
  const Value axes_value = values.size() > 1 ? values[1] : Value();
  if (axes_value.is_nil()) {
    for (int d = 0; d < n; ++d) axes[d] = n - 1 - d;
  } else {
    const List& items = axes_value.as_list("axes");
    LARIX_CHECK(static_cast<int>(items.size()) == n, value, "axes don't match array");
    for (int d = 0; d < n; ++d) {
      std::int64_t a = items[d].as_int("axes");
      LARIX_CHECK(a >= -n && a < n, axis, "axis ", a, " is out of bounds for array of dimension ",
                  n);
      axes[d] = static_cast<int>(a < 0 ? a + n : a);
    }
  }
  values[0] = Value(t.local);
  Value r = local(values);
  Shape global(n);
  std::vector<Box> boxes(tiling.ranks());
  std::uint64_t split = 0;
  for (int q = 0; q < tiling.ranks(); ++q) {
    boxes[q].lo.resize(n);
    boxes[q].hi.resize(n);
  }
  for (int d = 0; d < n; ++d) {
    global[d] = tiling.global[axes[d]];
    if (tiling.splits(axes[d])) split |= std::uint64_t{1} << d;
    for (int q = 0; q < tiling.ranks(); ++q) {
      boxes[q].lo[d] = tiling.boxes[q].lo[axes[d]];
      boxes[q].hi[d] = tiling.boxes[q].hi[axes[d]];
    }
  }
  return Value(Tiled{r.as_array_ref(), make_tiling(std::move(global), std::move(boxes), split)});
}

Value shape(const PrimitiveInfo& info, std::span<Value> values, const LocalKernel& local) {
  for (std::size_t i = 1; i < values.size(); ++i)
    if (values[i].is_tiled()) unsupported(info, values[i]);
  const Tiled& t = values[0].as_tiled();
  // A view of the global shape that holds no elements (strides 0): the kernel reads its shape.
  values[0] = Value(Array::zeros(t.dtype(), {}).broadcast_to(t.tiling->global));
  return local(values);
}

}  // namespace

bool has_tiled(std::span<const Value> values) {
  for (const Value& v : values)
    if (v.is_tiled()) return true;
  return false;
}

std::uint64_t collective_key(const char* name, const SourceLoc& loc) {
  std::uint64_t h = 1469598103934665603ULL;
  h = fnv1a(h, name, std::strlen(name));
  const std::string& file = loc.file_name();
  h = fnv1a(h, file.data(), file.size());
  h = fnv1a(h, &loc.line, sizeof loc.line);
  h = fnv1a(h, &loc.col, sizeof loc.col);
  return h;
}

Array cut_to_box(const Array& a, const Box& box) {
  Array out = a;
  for (int d = 0; d < a.ndim(); ++d) out = cut_axis(out, d, box.lo[d], box.hi[d]);
  return out;
}

Array sum_over_ranks(const Array& partial, std::uint64_t key) {
  return combine_over_ranks(partial, Combine::sum, key);
}

namespace {
// Copies `part` (the C-ordered elements of `box`) into `out` (C-contiguous) at `box`: run by run
// along the last axis.
void place(Array& out, const Box& box, std::span<const std::byte> part) {
  const Shape ext = box.extents();
  const std::int64_t count = shape_size(ext);
  const std::size_t item = out.itemsize();
  LARIX_ASSERT(part.size() == static_cast<std::size_t>(count) * item, "a part of ", part.size(),
               " bytes for ", count, " elements");
  if (count == 0) return;
  char* base = out.mutable_bytes();
  const int n = static_cast<int>(ext.size());
  const std::int64_t run = ext[n - 1];
  const std::byte* src = part.data();
  Shape index(n, 0);
  for (std::int64_t done = 0; done < count; done += run) {
    std::int64_t offset = 0;
    for (int d = 0; d < n; ++d) offset += (box.lo[d] + index[d]) * out.strides()[d];
    std::memcpy(base + offset, src, static_cast<std::size_t>(run) * item);
    src += run * item;
    for (int d = n - 2; d >= 0; --d) {
      if (++index[d] < ext[d]) break;
      index[d] = 0;
    }
  }
}

// The part of two boxes both hold (empty: some axis with lo == hi).
Box intersection(const Box& a, const Box& b) {
  Box out{a.lo, a.hi};
  for (std::size_t d = 0; d < a.lo.size(); ++d) {
    out.lo[d] = std::max(a.lo[d], b.lo[d]);
    out.hi[d] = std::max(out.lo[d], std::min(a.hi[d], b.hi[d]));
  }
  return out;
}

// `box` moved by -origin: a box of the global array as a box of the tile that starts at origin.
Box relative(Box box, const Shape& origin) {
  for (std::size_t d = 0; d < origin.size(); ++d) {
    box.lo[d] -= origin[d];
    box.hi[d] -= origin[d];
  }
  return box;
}
}  // namespace

Array gather_tiles(const Tiled& t, std::uint64_t key) {
  const Tiling& tiling = *t.tiling;
  const Array mine = t.local.contiguous();
  const auto parts = mpi::exchange_all(key, bytes_of(mine));
  Array out = Array::empty(t.dtype(), tiling.global);
  for (int q = 0; q < tiling.ranks(); ++q) place(out, tiling.boxes[q], parts[q]);
  return out;
}

Tiled retile(const Tiled& t, std::shared_ptr<const Tiling> to, std::uint64_t key) {
  const Tiling& from = *t.tiling;
  LARIX_CHECK(from.global == to->global, value, "retile: a tiling of ", shape_str(to->global),
              " for an array of ", shape_str(from.global));
  const int n = from.ranks();
  std::vector<Array> outgoing(n);  // to rank q: what of this tile lies in q's new tile
  std::vector<std::span<const std::byte>> to_each(n);
  for (int q = 0; q < n; ++q) {
    const Box common = intersection(from.mine(), to->boxes[q]);
    outgoing[q] = cut_to_box(t.local, relative(common, from.mine().lo)).contiguous();
    to_each[q] = bytes_of(outgoing[q]);
  }
  const auto parts = mpi::exchange(key, to_each);
  Array local = Array::empty(t.dtype(), to->mine().extents());
  for (int q = 0; q < n; ++q)
    place(local, relative(intersection(from.boxes[q], to->mine()), to->mine().lo), parts[q]);
  return Tiled{std::move(local), std::move(to)};
}

Value run_distributed(const PrimitiveInfo& info, std::span<Value> values, const SourceLoc& loc,
                      const LocalKernel& local) {
  switch (info.dist) {
    case DistPolicy::elementwise: return elementwise(info, values, local);
    case DistPolicy::reduce_sum:
    case DistPolicy::reduce_prod:
    case DistPolicy::reduce_max:
    case DistPolicy::reduce_min:
    case DistPolicy::reduce_any:
    case DistPolicy::reduce_all:
    case DistPolicy::reduce_mean:
      if (!values[0].is_tiled()) break;
      return reduction(info, info.dist, values, loc, local);
    case DistPolicy::dot: return dot(info, values, loc, local);
    case DistPolicy::transpose:
      if (!values[0].is_tiled()) break;
      return transpose(info, values, local);
    case DistPolicy::shape:
      if (!values[0].is_tiled()) break;
      return shape(info, values, local);
    case DistPolicy::subscript:
      if (!values[0].is_tiled()) break;
      return subscript(info, values, loc, local);
    case DistPolicy::pass:
    case DistPolicy::own: return local(values);
    case DistPolicy::none: break;
  }
  for (const Value& v : values)
    if (v.is_tiled()) unsupported(info, v);
  LARIX_ASSERT(false, "run_distributed without a distributed operand");
}

}  // namespace larix
