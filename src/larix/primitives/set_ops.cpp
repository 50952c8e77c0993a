// Set operations on arrays, NumPy's definitions over sorted values: union1d, intersect1d,
// setdiff1d, isin (kernels::unique, kernels::sort, kernels::isin).
#include <string>

#include "larix/kernels/counting.hpp"
#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/indexing.hpp"
#include "larix/kernels/join.hpp"
#include "larix/kernels/sort.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using numpy_args::array_arg;
using std::int64_t;

Array flat(const Array& a) { return a.reshape({a.size()}); }
Array unique_of(const Array& a) { return kernels::unique(a, false, false, false).values; }
Array both(const Array& a, const Array& b) { return kernels::concatenate({flat(a), flat(b)}); }

Value union1d_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "union1d", "ar1"), b = array_arg(args[1], "union1d", "ar2");
  return Value(unique_of(both(a, b)));
}

Value intersect1d_kernel(KernelArgs& args) {
  LARIX_CHECK(!args[3].as_bool("return_indices"), type,
              "intersect1d(): return_indices=True is not supported by Larix (yet)");
  Array a = array_arg(args[0], "intersect1d", "ar1"), b = array_arg(args[1], "intersect1d", "ar2");
  if (!args[2].as_bool("assume_unique")) a = unique_of(a), b = unique_of(b);
  const Array aux = kernels::sort(both(a, b), 0);
  const int64_t n = aux.size();
  if (n < 2) return Value(aux.view(0, {0}, aux.strides()));
  const Array head = aux.view(0, {n - 1}, aux.strides());
  const Array tail = aux.view(aux.strides()[0], {n - 1}, aux.strides());
  const Array mask = kernels::binary(kernels::BinaryOp::equal, tail, head);
  return Value(kernels::index(head, {kernels::Index::of_array(mask)}));
}

Value setdiff1d_kernel(KernelArgs& args) {
  Array a = array_arg(args[0], "setdiff1d", "ar1");
  const Array b = array_arg(args[1], "setdiff1d", "ar2");
  a = args[2].as_bool("assume_unique") ? flat(a) : unique_of(a);
  return Value(kernels::index(a, {kernels::Index::of_array(kernels::isin(a, b, true))}));
}

Value isin_kernel(KernelArgs& args) {
  const Array e = array_arg(args[0], "isin", "element");
  const Array t = array_arg(args[1], "isin", "test_elements");
  args[2].as_bool("assume_unique");
  if (!args[4].is_nil()) {
    LARIX_CHECK(
        args[4].is_string() && (args[4].as_string() == "sort" || args[4].as_string() == "table"),
        value, "Invalid kind: '", args[4].repr(), "'. Please use None, 'sort' or 'table'.");
  }
  return Value(kernels::isin(e, t, args[3].as_bool("invert")));
}

}  // namespace

void register_set_ops(Registry& r) {
  r.add({.name = "union1d",
         .signature = {{arg("ar1"), arg("ar2")}},
         .doc = "union1d(ar1, ar2)\n\nThe sorted distinct values in either array (both "
                "flattened), as numpy.union1d; the dtype promotes the two. NaNs count as one "
                "value.",
         .kernel = union1d_kernel});
  r.add({.name = "intersect1d",
         .signature = {{arg("ar1"), arg("ar2"), arg("assume_unique", Value(false)),
                        arg("return_indices", Value(false))}},
         .doc = "intersect1d(ar1, ar2, assume_unique=false, return_indices=false)\n\nThe sorted "
                "values in both arrays (flattened), as numpy.intersect1d: with assume_unique the "
                "inputs are not made unique first (a value repeated in one then counts as "
                "common, as in NumPy). NaN is never common. return_indices=true is not supported "
                "(a TypeError).",
         .kernel = intersect1d_kernel});
  r.add({.name = "setdiff1d",
         .signature = {{arg("ar1"), arg("ar2"), arg("assume_unique", Value(false))}},
         .doc = "setdiff1d(ar1, ar2, assume_unique=false)\n\nThe sorted distinct values of ar1 "
                "that are not in ar2, as numpy.setdiff1d (ar1's dtype; with assume_unique, "
                "ar1's values in their order). NaN is never in ar2, so it stays.",
         .kernel = setdiff1d_kernel});
  r.add({.name = "isin",
         .signature = {{arg("element"), arg("test_elements"), arg("assume_unique", Value(false)),
                        arg("invert", Value(false)), arg("kind", Value())}},
         .doc = "isin(element, test_elements, assume_unique=false, invert=false, kind=nil)\n\n"
                "Whether each element of `element` is one of test_elements (flattened), as "
                "numpy.isin: bool of element's shape, negated with invert=true. The two are "
                "compared in their promoted dtype; NaN equals nothing. assume_unique and kind "
                "('sort', 'table') do not change the result.",
         .kernel = isin_kernel});
}

}  // namespace larix
