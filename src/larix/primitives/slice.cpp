// Phylanx's slice(x, rows, columns, ...) on arrays and lists, and its write form __store_slice,
// which the compiler emits for store(slice(x, ...), v); and NumPy's x[i, j, ...] as __subscript
// and __store_subscript, which the Python frontend emits. The two conventions differ only in how
// an array's selectors are read (phylanx_plan, the Phylanx front end of kernels::plan_index);
// everything else (lists, dicts, the writes) is shared. Array results are views (no copy); a write
// goes in place when the array's buffer has no other holder, else into a copy (copy-on-write).
#include <algorithm>
#include <optional>
#include <span>
#include <string>

#include "larix/kernels/indexing.hpp"
#include "larix/primitives/parallel_for.hpp"
#include "larix/primitives/registry.hpp"

namespace larix {
namespace {

using kernels::AxisIndex;
using std::int64_t;

bool is_int_like(const Value& v) {
  return v.is_int() ||
         (v.is_array() && v.as_array_ref().ndim() == 0 && v.as_array_ref().dtype() == DType::int64);
}

std::optional<int64_t> bound(const Value& v) {
  if (v.is_nil()) return std::nullopt;
  LARIX_CHECK(is_int_like(v), type, "slice indices must be integers or nil, not ", v.type_name());
  return v.as_int();
}

// Phylanx's list index '(start, stop[, step]) (nil for an open end), read as Python's slice;
// Phylanx's '(i) is the int i.
kernels::Index list_index(const List& parts) {
  LARIX_CHECK(!parts.empty() && parts.size() <= 3, index,
              "a slice is '(start, stop) or '(start, stop, step), not a list of ", parts.size());
  if (parts.size() == 1) {
    LARIX_CHECK(is_int_like(parts[0]), type, "slice indices must be integers, not ",
                parts[0].type_name());
    return kernels::Index::integer(parts[0].as_int());
  }
  return kernels::Index::range(bound(parts[0]), bound(parts[1]),
                               parts.size() == 3 ? bound(parts[2]) : std::nullopt);
}

// One entry of an array's index tuple. Phylanx's forms: nil (the whole axis), an int, a list
// '(start, stop[, step]). NumPy's: "newaxis" (numpy.newaxis; Phylanx's nil already means the whole
// axis), "..." (Ellipsis), an int64 array (indices), a bool array or bool (a mask). The one place
// that reads an array index.
kernels::Index array_index(const Value& v) {
  using kernels::Index;
  if (v.is_nil()) return Index::all();
  if (is_int_like(v)) return Index::integer(v.as_int());
  if (v.is_bool()) return Index::of_array(Array::scalar<bool>(v.as_bool()));
  if (v.is_list()) return list_index(v.as_list());
  if (v.is_array()) return Index::of_array(v.as_array_ref());
  if (v.is_string() && v.as_string() == "newaxis") return Index::newaxis();
  if (v.is_string() && v.as_string() == "...") return Index::ellipsis();
  user_error(ErrorKind::index,
             "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or "
             "boolean arrays are valid indices (in PhySL: an int, '(start, stop, step), nil for "
             "the whole axis, \"newaxis\", \"...\" or an array), not ",
             v.type_name(), v.is_string() ? " \"" + v.as_string() + "\"" : std::string());
}

// How slice()'s selectors are read: Phylanx's (PhySL's slice) or NumPy's (the frontend's x[...]).
enum class Convention { phylanx, numpy };

bool is_bool_like(const Value& v) {
  return v.is_bool() ||
         (v.is_array() && v.as_array_ref().ndim() == 0 && v.as_array_ref().dtype() == DType::bool_);
}

bool truth(const Value& v) { return v.is_bool() ? v.as_bool() : v.as_array_ref().item<bool>(); }

// One selector in Phylanx's convention. Where it differs from NumPy's array_index: a bool (or a
// 0-d bool array) takes the whole axis or nothing of it (the axis stays); a list is '() (the
// whole axis), '(s) (s itself as a selector: an int, a bool, an index array), a list of bools (a
// mask), '(start, stop[, step]) (a range), or more than three ints (an integer-array index).
kernels::Index phylanx_index(const Value& v) {
  using kernels::Index;
  if (is_bool_like(v)) return truth(v) ? Index::all() : Index::range(0, 0);
  if (!v.is_list()) return array_index(v);
  const List& parts = v.as_list();
  if (parts.empty()) return Index::all();
  if (parts.size() == 1) return parts[0].is_nil() ? Index::all() : phylanx_index(parts[0]);
  if (std::all_of(parts.begin(), parts.end(), [](const Value& p) { return p.is_bool(); })) {
    Array mask = Array::empty(DType::bool_, {static_cast<int64_t>(parts.size())});
    for (std::size_t i = 0; i < parts.size(); ++i)
      mask.mutable_data<bool>()[i] = parts[i].as_bool();
    return Index::of_array(std::move(mask));
  }
  if (parts.size() > 3 && std::all_of(parts.begin(), parts.end(), is_int_like)) {
    Array ints = Array::empty(DType::int64, {static_cast<int64_t>(parts.size())});
    for (std::size_t i = 0; i < parts.size(); ++i)
      ints.mutable_data<int64_t>()[i] = parts[i].as_int();
    return Index::of_array(std::move(ints));
  }
  return list_index(parts);
}

// Phylanx's front end of plan_index. A vector takes slice(v, rows, columns) with one of the two
// nil: the other one selects (slice([42, 43], 1, nil) and slice([42, 43], nil, 1) are both 43).
// A 0-d value takes selectors that each pick its one element (0, -1, nil, true, '(0, 1), ...)
// and gives the value; any other selector is an IndexError.
kernels::IndexPlan phylanx_plan(const Shape& shape, std::vector<Value> sel) {
  const bool named =
      std::any_of(sel.begin(), sel.end(), [](const Value& s) { return s.is_string(); });
  if (shape.size() == 1 && sel.size() == 2 && (sel[0].is_nil() || sel[1].is_nil()))
    sel.erase(sel.begin() + (sel[1].is_nil() ? 1 : 0));
  if (shape.empty() && !sel.empty() && !named) {
    for (const Value& s : sel) {
      int64_t count = 0;  // elements s picks out of one
      try {
        const kernels::IndexPlan one = kernels::plan_index(Shape{1}, {phylanx_index(s)});
        kernels::check_bounds(one);
        count = 1;
        for (int64_t n : one.result) count *= n;
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::index) throw;
        count = -1;  // out of bounds for its one element
      }
      LARIX_CHECK(count == 1, index,
                  "a 0-d value has one element: a selector must pick it (0, -1, nil, true, '(0, "
                  "1)), not ",
                  count == 0  ? "nothing"
                  : count < 0 ? "a position out of bounds"
                              : "more");
    }
    return kernels::plan_index(shape, {});
  }
  std::vector<kernels::Index> indices;
  for (const Value& s : sel) indices.push_back(phylanx_index(s));
  return kernels::plan_index(shape, indices);
}

// The plan for indexing an array of `shape` with idx[k...].
kernels::IndexPlan plan_indices(const Shape& shape, const std::vector<Value>& idx, std::size_t k,
                                Convention convention) {
  if (convention == Convention::phylanx)
    return phylanx_plan(
        shape, std::vector<Value>(idx.begin() + static_cast<std::ptrdiff_t>(k), idx.end()));
  std::vector<kernels::Index> indices;
  for (std::size_t i = k; i < idx.size(); ++i) indices.push_back(array_index(idx[i]));
  return kernels::plan_index(shape, indices);
}

// One index of a list: an int or a range (Python's list indexing).
AxisIndex list_axis_index(const Value& v, int64_t size, int axis) {
  if (is_int_like(v)) return kernels::single_index(v.as_int(), size, axis);
  if (v.is_nil()) return kernels::whole_axis(size);
  LARIX_CHECK(v.is_list(), type,
              "list indices must be integers, '(start, stop[, step]) or nil, not ", v.type_name());
  const kernels::Index ix = list_index(v.as_list());
  if (ix.kind == kernels::Index::Kind::integer) return kernels::single_index(ix.value, size, axis);
  return kernels::range_index(ix.start, ix.stop, ix.step, size);
}

// Dicts are the dict primitives' business: slice/store on a dict delegate to them.
Value call_primitive(const char* name, std::vector<Value> values, KernelArgs& args) {
  const PrimitiveInfo* p = Registry::instance().find(name);
  LARIX_ASSERT(p, name, " is not registered");
  return run_kernel(*p, values, args.ctx(), args.loc());
}

// ---- reading ---------------------------------------------------------------------------------

Value slice_value(const Value& x, const std::vector<Value>& idx, std::size_t k, KernelArgs& args,
                  Convention convention) {
  if (k == idx.size()) return x;
  if (x.is_array() || x.is_number()) {
    const Array a = x.to_array();
    return Value(kernels::apply_index(a, plan_indices(a.shape(), idx, k, convention)));
  }
  if (x.is_list()) {
    const List& items = x.as_list();
    const AxisIndex ix =
        list_axis_index(idx[k], static_cast<int64_t>(items.size()), static_cast<int>(k));
    if (ix.drops_axis()) return slice_value(items[ix.start], idx, k + 1, args, convention);
    List out;
    out.reserve(ix.length);
    for (int64_t i = 0; i < ix.length; ++i)
      out.push_back(slice_value(items[ix.start + i * ix.step], idx, k + 1, args, convention));
    return Value(std::move(out));
  }
  if (x.is_dict() && k + 1 == idx.size()) return call_primitive("__getitem", {x, idx[k]}, args);
  user_error(ErrorKind::type, "'", x.type_name(), "' object is not subscriptable");
}

// NumPy's basic indexing of an array with in-range ints, nil and '(start, stop[, step]) (the x[i],
// x[i, j], x[a:b] and x[:, j] of loops): the view at once, without an index plan. Anything else,
// an error included, is the general path's (nullopt): it raises what it raises.
std::optional<Value> quick_basic_view(const Array& a, std::span<const Value> idx) {
  if (idx.size() > a.shape().size()) return std::nullopt;
  auto end = [](const Value& v, std::optional<int64_t>& out) {
    if (v.is_nil()) return true;
    if (!v.is_int()) return false;
    out = v.as_int();
    return true;
  };
  Shape shape;
  Strides strides;
  int64_t offset = 0;
  for (std::size_t k = 0; k < a.shape().size(); ++k) {
    const int64_t size = a.shape()[k], stride = a.strides()[k];
    if (k >= idx.size() || idx[k].is_nil()) {
      shape.push_back(size);
      strides.push_back(stride);
    } else if (idx[k].is_int()) {
      int64_t i = idx[k].as_int();
      if (i < 0) i += size;
      if (i < 0 || i >= size) return std::nullopt;
      offset += i * stride;
    } else if (idx[k].is_list()) {
      const List& parts = idx[k].as_list();
      std::optional<int64_t> start, stop, step;
      if (parts.size() < 2 || parts.size() > 3 || !end(parts[0], start) || !end(parts[1], stop) ||
          (parts.size() == 3 && !end(parts[2], step)) || step == 0)
        return std::nullopt;
      const AxisIndex r = kernels::range_index(start, stop, step, size);
      if (r.length > 0) offset += r.start * stride;  // an empty range may start past the end
      shape.push_back(r.length);
      strides.push_back(stride * r.step);
    } else {
      return std::nullopt;
    }
  }
  return Value(a.view(offset, std::move(shape), std::move(strides)));
}

template <Convention convention>
Value slice_kernel(KernelArgs& args) {
  if constexpr (convention == Convention::numpy) {
    if (args[0].is_array()) {
      const std::span<const Value> idx(args.all().begin() + 1, args.all().end());
      if (auto view = quick_basic_view(args[0].as_array_ref(), idx)) return std::move(*view);
    }
  }
  const std::vector<Value> idx(args.all().begin() + 1, args.all().end());
  return slice_value(args[0], idx, 0, args, convention);
}

// Phylanx's slice_row(x, rows), slice_column(x, columns) and slice_page(x, pages): slice with the
// one selector at `position` of `count` and nil at the others.
template <std::size_t position, std::size_t count>
Value axis_slice_kernel(KernelArgs& args) {
  std::vector<Value> idx(count);
  idx[position] = args[1];
  return slice_value(args[0], idx, 0, args, Convention::phylanx);
}

// ---- writing ---------------------------------------------------------------------------------

// Everything that can fail about target[idx...] = value, checked before the target is touched.
struct ArrayWrite {
  kernels::IndexPlan plan;
  Array value;
};

ArrayWrite prepare_write(const Array& target, const std::vector<Value>& idx, std::size_t k,
                         const Value& value, Convention convention) {
  LARIX_CHECK(value.is_number() || value.is_array() || value.is_list(), type, "cannot assign a ",
              value.type_name(), " to an array element");
  ArrayWrite w{plan_indices(target.shape(), idx, k, convention),
               value.to_array("the assigned value")};
  // numpy: x[i, j] = v with an int per axis sets one element, which takes no sequence (a bool
  // element takes the truth value of a one-element array)
  const bool one_element =
      static_cast<int>(idx.size() - k) == target.ndim() &&
      std::all_of(idx.begin() + static_cast<std::ptrdiff_t>(k), idx.end(), is_int_like);
  if (one_element && w.value.ndim() > 0) {
    LARIX_CHECK(target.dtype() == DType::bool_, value, "setting an array element with a sequence.");
    LARIX_CHECK(w.value.size() == 1, value,
                "The truth value of an array with more than one element is ambiguous. Use "
                "a.any() or a.all()");
  }
  kernels::check_assignable(w.value.shape(), w.plan);
  return w;
}

Array commit_write(Array target, const ArrayWrite& w) {
  if (!target.uniquely_owned()) target = target.copy();  // someone else still sees the old value
  kernels::assign_index(target, w.plan, w.value);
  return target;
}

Value store_value(const Value& x, const Value& value, const std::vector<Value>& idx, std::size_t k,
                  KernelArgs& args, Convention convention) {
  if (k == idx.size()) return value;
  if (x.is_array()) {
    const ArrayWrite w = prepare_write(x.as_array_ref(), idx, k, value, convention);
    return Value(commit_write(x.as_array_ref(), w));  // held by x too: this copies
  }
  if (x.is_number() && convention == Convention::phylanx) {  // Phylanx's 0-d values take stores
    const Array a = x.to_array();
    return Value(commit_write(a, prepare_write(a, idx, k, value, convention)));
  }
  if (x.is_list()) {
    List out = x.as_list();
    const AxisIndex ix =
        list_axis_index(idx[k], static_cast<int64_t>(out.size()), static_cast<int>(k));
    if (ix.drops_axis()) {
      out[ix.start] = store_value(out[ix.start], value, idx, k + 1, args, convention);
      return Value(std::move(out));
    }
    // Python's slice assignment: l[a:b] = items (any length), l[a:b:c] = items (same length).
    LARIX_CHECK(k + 1 == idx.size(), index, "a list slice takes no further indices");
    LARIX_CHECK(value.is_list(), type, "can only assign a list to a list slice, not ",
                value.type_name());
    const List& items = value.as_list();
    if (ix.step == 1) {
      out.erase(out.begin() + ix.start, out.begin() + ix.start + ix.length);
      out.insert(out.begin() + ix.start, items.begin(), items.end());
    } else {
      LARIX_CHECK(static_cast<int64_t>(items.size()) == ix.length, value,
                  "attempt to assign sequence of size ", items.size(),
                  " to extended slice of size ", ix.length);
      for (int64_t i = 0; i < ix.length; ++i) out[ix.start + i * ix.step] = items[i];
    }
    return Value(std::move(out));
  }
  if (x.is_dict() && k + 1 == idx.size())
    return call_primitive("__dict_set", {x, idx[k], value}, args);
  user_error(ErrorKind::type, "'", x.type_name(), "' object does not support item assignment");
}

template <Convention convention>
Value store_slice_kernel(KernelArgs& args) {
  const std::vector<Value> idx(args.all().begin() + 2, args.all().end());
  if (!args[0].is_array()) return store_value(args[0], args[1], idx, 0, args, convention);
  // Validate first: once the target is taken out of args it must not be lost to an error.
  const ArrayWrite w = prepare_write(args[0].as_array_ref(), idx, 0, args[1], convention);
  Value taken = args.take(0);
  Array target = taken.as_array_ref();
  taken = Value();  // now `target` may be the buffer's only holder
  return Value(commit_write(std::move(target), w));
}

template <Convention convention>
Value store_slice_owned_kernel(KernelArgs& args) {
  if (!args[0].is_array() || args[0].as_array_ref().is_borrowed())
    return store_slice_kernel<convention>(args);
  const std::vector<Value> idx(args.all().begin() + 2, args.all().end());
  const ArrayWrite w = prepare_write(args[0].as_array_ref(), idx, 0, args[1], convention);
  Array target = args[0].as_array_ref();  // shares the buffer: the write is seen through x
  kernels::assign_index(target, w.plan, w.value);
  return args.take(0);
}
}  // namespace

const PrimitiveInfo& owned_store_writer(const PrimitiveInfo& writer) {
  static const PrimitiveInfo phylanx{
      .name = "__store_slice_owned",
      .signature = {{arg("x"), arg("value")}, true},
      .doc = "store(slice(x, ...), v) on an array a parallel loop owns",
      .kernel = store_slice_owned_kernel<Convention::phylanx>};
  static const PrimitiveInfo numpy{
      .name = "__store_subscript_owned",
      .signature = {{arg("x"), arg("value")}, true},
      .doc = "store(__subscript(x, ...), v) on an array a parallel loop owns",
      .kernel = store_slice_owned_kernel<Convention::numpy>};
  return writer.name == "__store_subscript" || writer.name == numpy.name ? numpy : phylanx;
}

const PrimitiveInfo& own_part_reader() {
  static const PrimitiveInfo info{
      .name = "__own_part",
      .signature = {{arg("x")}},
      .doc = "a read of an owned array's own part in a parallel loop: a copy of an array view",
      .kernel = [](KernelArgs& args) {
        return args[0].is_array() ? Value(args[0].as_array_ref().copy()) : args.take(0);
      }};
  return info;
}

// Element k of what a Python for loop iterates over: a dict's k-th key (Python iterates a dict's
// keys, in insertion order), else seq[k] as numpy reads it.
Value iter_at_kernel(KernelArgs& args) {
  if (!args[0].is_dict()) return slice_kernel<Convention::numpy>(args);
  const Dict& d = args[0].as_dict();
  LARIX_CHECK(is_int_like(args[1]), type, "a loop position must be an int, not ",
              args[1].type_name());
  const int64_t k = args[1].as_int();
  LARIX_CHECK(k >= 0 && k < static_cast<int64_t>(d.items.size()), index, "position ", k,
              " is out of range for a dict of ", d.items.size(), " keys");
  return d.items[static_cast<std::size_t>(k)].first;
}

void register_slice(Registry& r) {
  r.add({.name = "__iter_at",
         .signature = {{arg("seq"), arg("k")}},
         .doc = "__iter_at(seq, k)\n\nElement k of what a Python for loop iterates over (the "
                "frontend's `for x in seq:`): a dict's k-th key, in insertion order (Python "
                "iterates a dict's keys); anything else, numpy's seq[k] (__subscript).",
         .kernel = iter_at_kernel});
  r.add({.name = "slice",
         .aliases = {"tuple_slice"},
         .signature = {{arg("x")}, true},
         .doc =
             "slice(x, rows, columns)\n\nPhylanx's slice: part of an array, list or dict. On an "
             "array, slice(x) is x, slice(x, rows) selects along the first axis, slice(x, rows, "
             "columns) along the first two (and further selectors along further axes). A "
             "selector is: nil, the whole axis; an int, one position (the axis goes away; "
             "negative counts from the end); list(start, stop) or list(start, stop, step), "
             "Python's range with nil for an open end (list() is the whole axis); list(s) of one "
             "element, s itself (list(1) is 1, list(true) is true, list([0, 2]) is [0, 2]); true "
             "or false, the whole axis or none of it (the axis stays: slice([42, 43], false, "
             "nil) is []); a list of bools, or a bool array, a mask (its length must be the "
             "axis's); a list of more than three ints, or an int array of any shape, integer "
             "indices (negative ones wrap; several broadcast together, as numpy's). On a vector, "
             "slice(v, rows, nil) and slice(v, nil, columns) both select along its one axis "
             "(slice([42], 0, nil) is 42). On a 0-d value every selector must pick its one "
             "element (0, -1, nil, true, list(0, 1)) and the value is the result. numpy's "
             "\"newaxis\" and \"...\" are accepted too. Without index arrays or masks the result "
             "is a view of x (no copy). Out-of-bounds positions, too many selectors and masks of "
             "the wrong length are IndexErrors; a zero step a ValueError. On a list an int gives "
             "the element, a range a new list; further selectors apply to the selected elements. "
             "On a dict: the value of the key. Phylanx's tuple_slice is the same primitive.",
         .kernel = slice_kernel<Convention::phylanx>});
  r.add({.name = "slice_row",
         .signature = {{arg("x"), arg("rows")}},
         .doc = "slice_row(x, rows)\n\nPhylanx's slice_row: slice(x, rows, nil).",
         .kernel = axis_slice_kernel<0, 2>});
  r.add({.name = "slice_column",
         .signature = {{arg("x"), arg("columns")}},
         .doc = "slice_column(x, columns)\n\nPhylanx's slice_column: slice(x, nil, columns) (on a "
                "vector, its one axis).",
         .kernel = axis_slice_kernel<1, 2>});
  r.add({.name = "slice_page",
         .signature = {{arg("x"), arg("pages")}},
         .doc = "slice_page(x, pages)\n\nPhylanx's slice_page: slice(x, pages, nil, nil), the "
                "first axis of a 3-d array (pages, rows, columns).",
         .kernel = axis_slice_kernel<0, 3>});
  r.add({.name = "__subscript",
         .signature = {{arg("x")}, true},
         .doc = "__subscript(x, index0, index1, ...)\n\nnumpy's x[index0, index1, ...], which "
                "the Python frontend emits for a subscript (slice() reads its selectors as "
                "Phylanx does). Each index is one of: an int (one position, the axis goes away; "
                "negative counts from the end); a list '(start, stop) or '(start, stop, step), "
                "Python's slice, with nil for an open end; nil, the whole axis (numpy's `:`); "
                "\"newaxis\", a new axis of length 1 (numpy's None); \"...\", as many whole "
                "axes as needed (numpy's Ellipsis); an int64 array of any shape, integer-array "
                "indexing (negative values wrap; several index arrays broadcast together, and "
                "their axes replace the indexed ones in place when the array indices are "
                "adjacent, else come first, as numpy); a bool array or a bool, a mask over as "
                "many axes as it has (a[mask] with mask.shape == a.shape is the 1-d array of the "
                "selected elements in C order; a[True] adds an axis of length 1). Without array "
                "indices the result is a view of x (no copy); with them, a new array. "
                "Out-of-bounds indices, too many indices and masks of the wrong shape are "
                "IndexErrors with numpy's messages. On a list an int gives the element, a range "
                "a new list; on a dict: the value of the key.",
         .kernel = slice_kernel<Convention::numpy>});
  r.add({.name = "__store_slice",
         .signature = {{arg("x"), arg("value")}, true},
         .doc = "__store_slice(x, value, rows, columns, ...)\n\nThe new version of x with "
                "slice(x, rows, columns, ...) replaced by value: what store(slice(x, ...), "
                "value) compiles to. Selectors as for slice() (Phylanx's). On an array the value "
                "broadcasts to the shape of the selected part and is cast to x's dtype (with "
                "repeated indices the last write wins); the write goes in place when x's buffer "
                "has no other holder, else into a copy, so no other value ever changes. On a "
                "list: a new list with the element replaced (a range replaces a sublist, as "
                "Python's slice assignment); on a dict: the key set.",
         .kernel = store_slice_kernel<Convention::phylanx>});
  r.add({.name = "__store_subscript",
         .signature = {{arg("x"), arg("value")}, true},
         .doc = "__store_subscript(x, value, index0, index1, ...)\n\nnumpy's x[index0, ...] = "
                "value, as a new version of x: what store(__subscript(x, ...), value) compiles "
                "to (the Python frontend's item assignment). Indices as for __subscript(), "
                "numpy's. The value broadcasts to the shape of x[index0, ...] and is cast to "
                "x's dtype; the write goes in place when x's buffer has no other holder, else "
                "into a copy.",
         .kernel = store_slice_kernel<Convention::numpy>});
}

}  // namespace larix
