// Phylanx's slice(x, index0, index1, ...) on arrays and lists, and its write form __store_slice,
// which the compiler emits for store(slice(x, ...), v). Array results are views (no copy); a write
// goes in place when the array's buffer has no other holder, else into a copy (copy-on-write).
#include <string>

#include "larix/kernels/indexing.hpp"
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

// One index: nil (the whole axis), an int (one position; the axis goes away), or a list
// '(start, stop[, step]) with nil for open ends, read as Python's slice (Phylanx's '(i) is i).
// The one place that reads an index: NumPy-style indexing (arrays of indices, masks) goes here.
AxisIndex parse_index(const Value& v, int64_t size, int axis) {
  if (v.is_nil()) return kernels::whole_axis(size);
  if (is_int_like(v)) return kernels::single_index(v.as_int(), size, axis);
  if (v.is_list()) {
    const List& parts = v.as_list();
    LARIX_CHECK(!parts.empty() && parts.size() <= 3, index,
                "a slice is '(start, stop) or '(start, stop, step), not a list of ", parts.size());
    if (parts.size() == 1) {
      LARIX_CHECK(is_int_like(parts[0]), type, "slice indices must be integers, not ",
                  parts[0].type_name());
      return kernels::single_index(parts[0].as_int(), size, axis);
    }
    return kernels::range_index(bound(parts[0]), bound(parts[1]),
                                parts.size() == 3 ? bound(parts[2]) : std::nullopt, size);
  }
  user_error(ErrorKind::type,
             "slice index must be an integer, a list '(start, stop[, step]) or nil, not ",
             v.type_name());
}

// The indices idx[k...] for an array of `shape`.
std::vector<AxisIndex> parse_indices(const Shape& shape, const std::vector<Value>& idx,
                                     std::size_t k) {
  kernels::check_index_count(static_cast<int>(shape.size()), idx.size() - k);
  std::vector<AxisIndex> out;
  for (std::size_t i = k; i < idx.size(); ++i)
    out.push_back(parse_index(idx[i], shape[i - k], static_cast<int>(i - k)));
  return out;
}

// Dicts are the dict primitives' business: slice/store on a dict delegate to them.
Value call_primitive(const char* name, std::vector<Value> values, KernelArgs& args) {
  const PrimitiveInfo* p = Registry::instance().find(name);
  LARIX_ASSERT(p, name, " is not registered");
  return run_kernel(*p, values, args.ctx(), args.loc());
}

// ---- reading ---------------------------------------------------------------------------------

Value slice_value(const Value& x, const std::vector<Value>& idx, std::size_t k, KernelArgs& args) {
  if (k == idx.size()) return x;
  if (x.is_array() || x.is_number()) {
    const Array a = x.to_array();
    return Value(kernels::index_view(a, parse_indices(a.shape(), idx, k)));
  }
  if (x.is_list()) {
    const List& items = x.as_list();
    const AxisIndex ix =
        parse_index(idx[k], static_cast<int64_t>(items.size()), static_cast<int>(k));
    if (ix.drops_axis()) return slice_value(items[ix.start], idx, k + 1, args);
    List out;
    out.reserve(ix.length);
    for (int64_t i = 0; i < ix.length; ++i)
      out.push_back(slice_value(items[ix.start + i * ix.step], idx, k + 1, args));
    return Value(std::move(out));
  }
  if (x.is_dict() && k + 1 == idx.size()) return call_primitive("__getitem", {x, idx[k]}, args);
  user_error(ErrorKind::type, "'", x.type_name(), "' object is not subscriptable");
}

Value slice_kernel(KernelArgs& args) {
  const std::vector<Value> idx(args.all().begin() + 1, args.all().end());
  return slice_value(args[0], idx, 0, args);
}

// ---- writing ---------------------------------------------------------------------------------

// Everything that can fail about target[idx...] = value, checked before the target is touched.
struct ArrayWrite {
  std::vector<AxisIndex> indices;
  Array value;
};

ArrayWrite prepare_write(const Array& target, const std::vector<Value>& idx, std::size_t k,
                         const Value& value) {
  LARIX_CHECK(value.is_number() || value.is_array() || value.is_list(), type, "cannot assign a ",
              value.type_name(), " to an array element");
  ArrayWrite w{parse_indices(target.shape(), idx, k), value.to_array("the assigned value")};
  kernels::check_assignable(w.value.shape(), kernels::indexed_shape(target.shape(), w.indices));
  return w;
}

Array commit_write(Array target, const ArrayWrite& w) {
  if (!target.uniquely_owned()) target = target.copy();  // someone else still sees the old value
  kernels::assign_indexed(target, w.indices, w.value);
  return target;
}

Value store_value(const Value& x, const Value& value, const std::vector<Value>& idx, std::size_t k,
                  KernelArgs& args) {
  if (k == idx.size()) return value;
  if (x.is_array()) {
    const ArrayWrite w = prepare_write(x.as_array_ref(), idx, k, value);
    return Value(commit_write(x.as_array_ref(), w));  // held by x too: this copies
  }
  if (x.is_list()) {
    List out = x.as_list();
    const AxisIndex ix = parse_index(idx[k], static_cast<int64_t>(out.size()), static_cast<int>(k));
    if (ix.drops_axis()) {
      out[ix.start] = store_value(out[ix.start], value, idx, k + 1, args);
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

Value store_slice_kernel(KernelArgs& args) {
  const std::vector<Value> idx(args.all().begin() + 2, args.all().end());
  if (!args[0].is_array()) return store_value(args[0], args[1], idx, 0, args);
  // Validate first: once the target is taken out of args it must not be lost to an error.
  const ArrayWrite w = prepare_write(args[0].as_array_ref(), idx, 0, args[1]);
  Value taken = args.take(0);
  Array target = taken.as_array_ref();
  taken = Value();  // now `target` may be the buffer's only holder
  return Value(commit_write(std::move(target), w));
}

}  // namespace

void register_slice(Registry& r) {
  r.add({.name = "slice",
         .signature = {{arg("x")}, true},
         .doc = "slice(x, index0, index1, ...)\n\nPart of an array or list (Phylanx's slice, "
                "numpy's basic indexing x[index0, index1, ...]). Each index addresses one axis "
                "(index1 is the columns of a matrix): an int picks one position and drops the axis "
                "(negative counts from the end; outside is an IndexError); a list '(start, stop) "
                "or '(start, stop, step) is Python's slice, with nil for an open end; nil is the "
                "whole axis. An array result is a view of x (no copy). On a list an int gives the "
                "element, a range a new list; further indices apply to the selected elements.",
         .kernel = slice_kernel});
  r.add({.name = "__store_slice",
         .signature = {{arg("x"), arg("value")}, true},
         .doc = "__store_slice(x, value, index0, index1, ...)\n\nThe new version of x with "
                "x[index0, ...] = value: what store(slice(x, index0, ...), value) compiles to. "
                "Indices as for slice(). On an array the value broadcasts to the selected region "
                "and is cast to x's dtype (numpy's assignment); the write goes in place when x's "
                "buffer has no other holder, else into a copy, so no other value ever changes. "
                "On a list: a new list with the element replaced (a range replaces a sublist, "
                "as Python's slice assignment); on a dict: the key set.",
         .kernel = store_slice_kernel});
}

}  // namespace larix
