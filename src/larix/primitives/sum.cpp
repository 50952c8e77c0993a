// sum(a, axis=nil, keepdims=false, dtype=nil): numpy.sum.
#include <string>

#include "larix/kernels/reduce.hpp"
#include "larix/primitives/numpy_args.hpp"
#include "larix/primitives/registry.hpp"

namespace larix {
namespace {

using numpy_args::parse_axes;
using numpy_args::parse_dtype_arg;

Value sum_kernel(KernelArgs& args) {
  const Value& x = args[0];
  LARIX_CHECK(x.is_number() || x.is_array() || x.is_list(), type,
              "sum() argument must be an array, a number or a list of numbers, not ",
              x.type_name());
  return Value(kernels::sum(x.to_array("sum() argument"), parse_axes(args[1]),
                            args[2].as_bool("keepdims"), parse_dtype_arg(args[3])));
}

// Exact when axis, keepdims and dtype are nil or their values are known (TypeInfo::value).
TypeInfo sum_type(const std::vector<TypeInfo>& t) {
  const TypeInfo& x = t[0];
  auto known = [](const TypeInfo& a) { return a.kind == ValueKind::nil || a.value.has_value(); };
  if (!known(t[1]) || !known(t[2]) || !known(t[3])) return {.kind = ValueKind::unbound};
  Shape shape;
  DType dtype;
  switch (x.kind) {
    case ValueKind::array: shape = x.shape, dtype = x.dtype; break;
    case ValueKind::boolean: dtype = DType::bool_; break;
    case ValueKind::integer: dtype = DType::int64; break;
    case ValueKind::floating: dtype = DType::float64; break;
    default: return {.kind = ValueKind::unbound};
  }
  const Value nil;
  const std::vector<int> axes =
      kernels::normalize_axes(parse_axes(t[1].value.value_or(nil)), static_cast<int>(shape.size()));
  const bool keepdims = t[2].kind != ValueKind::nil && t[2].value->as_bool("keepdims");
  return {.kind = ValueKind::array,
          .dtype = kernels::sum_dtype(dtype, parse_dtype_arg(t[3].value.value_or(nil))),
          .shape = kernels::reduced_shape(shape, axes, keepdims)};
}

}  // namespace

void register_sum(Registry& r) {
  r.add({.name = "sum",
         .signature = {{arg("a"), arg("axis", Value()), arg("keepdims", Value(false)),
                        arg("dtype", Value())}},
         .doc =
             "sum(a, axis=nil, keepdims=false, dtype=nil)\n\nThe sum of the elements of `a` over "
             "the given axes (an int or a list of ints; nil: all), as numpy.sum. keepdims keeps "
             "the reduced axes with length 1. Bools and ints sum to int64, floats keep their "
             "dtype unless `dtype` (a name: \"float64\", \"int64\", ...) says otherwise. The sum "
             "of a whole array is a 0-d array; a list of numbers is converted as by "
             "numpy.asarray. Floats are summed pairwise in NumPy's order.",
         .kernel = sum_kernel,
         .type_rule = sum_type});
}

}  // namespace larix
