// constant(value, shape=nil, dtype=nil): Phylanx's array filled with one value (numpy.full).
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/primitives/registry.hpp"

namespace larix {
namespace {

// shape: nil (0-d), an int (1-d), a list '(2, 3) or an int array literal [2, 3].
Shape parse_shape(const Value& v) {
  if (v.is_nil()) return {};
  if (v.is_int() || (v.is_array() && v.as_array_ref().ndim() == 0)) return {v.as_int("shape")};
  Shape shape;
  if (v.is_list()) {
    for (const Value& d : v.as_list()) {
      LARIX_CHECK(d.is_int() || d.is_array(), type, "constant(): shape must hold integers, not ",
                  d.type_name());
      shape.push_back(d.as_int("a dimension of shape"));
    }
    return shape;
  }
  if (v.is_array() && v.as_array_ref().ndim() == 1 && v.as_array_ref().dtype() == DType::int64) {
    const Array& a = v.as_array_ref();
    for (std::int64_t i = 0; i < a.size(); ++i) shape.push_back(a.item<std::int64_t>(i));
    return shape;
  }
  user_error(ErrorKind::type, "constant(): shape must be an int, a list of ints or nil, not ",
             v.type_name());
}

Value constant_kernel(KernelArgs& args) {
  const Value& value = args[0];
  LARIX_CHECK(value.is_number() || (value.is_array() && value.as_array_ref().size() == 1), type,
              "constant(): the value must be a number, not ", value.type_name());
  const Array v = value.to_array("value");
  const DType dtype = args[2].is_nil() ? v.dtype() : parse_dtype(args[2].as_string("dtype"));
  return Value(kernels::full(parse_shape(args[1]), v, dtype));
}

}  // namespace

void register_constant(Registry& r) {
  r.add({.name = "constant",
         .signature = {{arg("value"), arg("shape", Value()), arg("dtype", Value())}},
         .doc = "constant(value, shape=nil, dtype=nil)\n\nAn array of the given shape with every "
                "element `value`, as numpy.full(shape, value, dtype) (Phylanx's constant). shape "
                "is an int (a vector), a list such as '(2, 3), an int array [2, 3], or nil for a "
                "0-d array. dtype is a name (\"float64\", \"float32\", \"int64\", \"bool\", "
                "\"float\", \"int\"); by default it follows the value: int gives int64, float "
                "float64, bool bool.",
         .kernel = constant_kernel});
}

}  // namespace larix
