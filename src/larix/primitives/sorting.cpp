// Sorting and searching: sort, argsort, unique, searchsorted (NumPy's signatures without `out`).
#include <cctype>
#include <string>

#include "larix/kernels/reduce.hpp"
#include "larix/kernels/sort.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using numpy_args::array_arg;
using numpy_args::parse_axis;
using numpy_args::value_of;
using std::int64_t;

// kind= and stable=: NumPy accepts any string starting with q, h, m or s (quicksort, heapsort,
// mergesort, stable). Larix always sorts stably, so the choice only has to be valid.
void check_kind(const Value& kind, const Value& stable, const Value& order) {
  LARIX_CHECK(order.is_nil(), value, "Cannot specify order when the array has no fields.");
  if (!stable.is_nil()) {
    LARIX_CHECK(kind.is_nil(), value,
                "`kind` and keyword parameters can't be provided at the same time. Use only one "
                "of them.");
    stable.as_bool("stable");
  }
  if (kind.is_nil()) return;
  LARIX_CHECK(kind.is_string(), type, "sort kind must be str, not ", kind.type_name());
  const std::string& k = kind.as_string();
  const char c = k.empty() ? '\0' : static_cast<char>(std::tolower(k[0]));
  LARIX_CHECK(c == 'q' || c == 'h' || c == 'm' || c == 's', value,
              "sort kind must be one of 'quick', 'heap', or 'stable' (got '", k, "')");
}

// sort and argsort: a's dtype (int64 for argsort), the flattened size when axis is nil.
TypeRule sort_rule(bool arg) {
  return [arg](const std::vector<TypeInfo>& t) -> TypeInfo {
    const auto a = numpy_args::array_type(t[0]);
    if (!a || !numpy_args::known(t[1])) return numpy_args::unknown_type();
    Shape shape = a->shape;
    if (arg && shape.empty()) shape = {1};
    const auto axis = parse_axis(value_of(t[1]));
    if (!axis) shape = {shape_size(shape)};
    else kernels::normalize_axes(std::vector<int>{*axis}, static_cast<int>(shape.size()));
    return numpy_args::array_result(arg ? DType::int64 : a->dtype, shape);
  };
}

Signature sort_signature() {
  return {{arg("a"), arg("axis", Value(-1)), arg("kind", Value()), arg("order", Value()),
           arg("stable", Value())}};
}

Value sort_kernel(KernelArgs& args) {
  check_kind(args[2], args[4], args[3]);
  return Value(kernels::sort(array_arg(args[0], "sort", "a"), parse_axis(args[1])));
}

Value argsort_kernel(KernelArgs& args) {
  check_kind(args[2], args[4], args[3]);
  return Value(kernels::argsort(array_arg(args[0], "argsort", "a"), parse_axis(args[1])));
}

Value unique_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "unique", "ar");
  const bool index = args[1].as_bool("return_index"), inverse = args[2].as_bool("return_inverse"),
             counts = args[3].as_bool("return_counts");
  kernels::UniqueResult r = args[4].is_nil()
                                ? kernels::unique(a, index, inverse, counts)
                                : kernels::unique_along(a, static_cast<int>(args[4].as_int("axis")),
                                                        index, inverse, counts);
  if (!index && !inverse && !counts) return Value(std::move(r.values));
  List out{Value(std::move(r.values))};
  if (index) out.emplace_back(std::move(r.index));
  if (inverse) out.emplace_back(std::move(r.inverse));
  if (counts) out.emplace_back(std::move(r.counts));
  return Value(std::move(out));
}

// The dtype NumPy compares a and v in: NumPy 2's promotion, where a Python number is weak (it
// takes a's kind when it fits: a float array keeps its float dtype for a Python float).
DType search_dtype(const Array& a, const Value& v, const Array& va) {
  if (!v.is_number()) return promote(a.dtype(), va.dtype());
  if (v.is_float()) return is_floating(a.dtype()) ? a.dtype() : DType::float64;
  if (v.is_int()) return a.dtype() == DType::bool_ ? DType::int64 : a.dtype();
  return a.dtype();
}

Value searchsorted_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "searchsorted", "a");
  const Array v = array_arg(args[1], "searchsorted", "v");
  const std::string& side = args[2].as_string("side");
  LARIX_CHECK(side == "left" || side == "right", value,
              "search side must be 'left' or 'right' (got '", side, "')");
  std::optional<Array> sorter;
  if (!args[3].is_nil()) sorter = array_arg(args[3], "searchsorted", "sorter");
  return Value(kernels::searchsorted(a, v, side == "right", search_dtype(a, args[1], v), sorter));
}

const char* kOrder =
    " Bools sort false before true; NaN sorts after every number, as in NumPy; -0.0 and 0.0 are "
    "equal. axis is an int (negative counts from the end; out of range is an AxisError) or nil "
    "for the flattened array (a 1-d result). kind is checked as NumPy checks it ('quicksort', "
    "'mergesort', 'heapsort', 'stable', or any string starting with q, m, h or s) and stable= "
    "may be given instead; order must be nil (Larix arrays have no fields).";

}  // namespace

void register_sorting(Registry& r) {
  r.add({.name = "sort",
         .signature = sort_signature(),
         .doc = std::string("sort(a, axis=-1, kind=nil, order=nil, stable=nil)\n\nA sorted copy "
                            "of `a` along `axis`, as numpy.sort; the values are NumPy's "
                            "whatever the kind.") +
                kOrder +
                " Lines along the axis sort in parallel tasks; one long line (from 65536 "
                "elements) sorts with oneTBB's parallel_sort.",
         .kernel = sort_kernel,
         .type_rule = sort_rule(false)});
  r.add({.name = "argsort",
         .signature = sort_signature(),
         .doc = std::string("argsort(a, axis=-1, kind=nil, order=nil, stable=nil)\n\nThe int64 "
                            "indices that sort `a` along `axis`, as numpy.argsort. Always "
                            "stable: equal elements keep their order, as numpy.argsort(..., "
                            "kind='stable'). NumPy's default kind (quicksort) is not stable, so "
                            "without kind='stable' NumPy may order ties differently. A 0-d "
                            "array counts as 1-d, as in NumPy.") +
                kOrder,
         .kernel = argsort_kernel,
         .type_rule = sort_rule(true)});
  r.add({.name = "unique",
         .signature = {{arg("ar"), arg("return_index", Value(false)),
                        arg("return_inverse", Value(false)), arg("return_counts", Value(false)),
                        arg("axis", Value())}},
         .doc =
             "unique(ar, return_index=false, return_inverse=false, return_counts=false, "
             "axis=nil)\n\n"
             "The sorted distinct elements of the flattened array, as numpy.unique (all NaNs "
             "count as one value, NumPy's equal_nan=True); with `axis`, the distinct "
             "subarrays along that axis (rows for axis 0), in lexicographic order, index, "
             "inverse and counts then being 1-d over the axis. With any return_* flag the result "
             "is a list [values, index, inverse, counts] of the parts asked for, in that "
             "order (NumPy: a tuple): index holds the first position of each value in the "
             "flattened input, inverse (a's shape) the position in values of each element of "
             "a, counts how often each value occurs; all int64.",
         .kernel = unique_kernel});
  r.add({.name = "searchsorted",
         .signature = {{arg("a"), arg("v"), arg("side", Value("left")), arg("sorter", Value())}},
         .doc = "searchsorted(a, v, side=\"left\", sorter=nil)\n\nThe int64 positions at which "
                "the elements of v would be inserted into the sorted 1-d array a (or a[sorter]) "
                "to keep it sorted, as numpy.searchsorted: before equal elements for side "
                "\"left\", after them for \"right\". NaN counts as larger than every number. The "
                "result has v's shape (a 0-d array for a scalar v). a and v are compared in the "
                "dtype NumPy 2 promotes them to (a Python number is weak). a not 1-d, a bad side "
                "or a sorter index out of range is a ValueError.",
         .kernel = searchsorted_kernel,
         .type_rule = [](const std::vector<TypeInfo>& t) -> TypeInfo {
           const auto a = numpy_args::array_type(t[0]);
           const auto v = numpy_args::array_type(t[1]);
           if (!a || !v || a->shape.size() != 1) return numpy_args::unknown_type();
           return numpy_args::array_result(DType::int64, v->shape);
         }});
}

}  // namespace larix
