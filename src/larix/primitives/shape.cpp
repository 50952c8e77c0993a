// shape(x) and shape(x, dim): Phylanx's extract_shape (numpy.shape).
#include "larix/primitives/registry.hpp"

namespace larix {
namespace {

// np.shape of a value: an array's shape; nested lists by their lengths while they are regular;
// () for anything else (a number, a string: NumPy sees a 0-d array).
Shape shape_of(const Value& x) {
  if (x.is_array()) return x.as_array_ref().shape();
  Shape shape;
  const Value* level = &x;
  while (level->is_list()) {
    const List& items = level->as_list();
    shape.push_back(static_cast<std::int64_t>(items.size()));
    if (items.empty() || !items[0].is_list()) break;
    for (const Value& item : items)
      if (!item.is_list() || item.as_list().size() != items[0].as_list().size()) return shape;
    level = &items[0];
  }
  return shape;
}

Value shape_kernel(KernelArgs& args) {
  const Shape shape = shape_of(args[0]);
  if (args[1].is_nil()) {
    List out;
    for (auto d : shape) out.emplace_back(d);
    return Value(std::move(out));
  }
  LARIX_CHECK(args[1].is_int() || (args[1].is_array() && args[1].as_array_ref().ndim() == 0), type,
              "shape(): dim must be an integer, not ", args[1].type_name());
  const std::int64_t dim = args[1].as_int("dim");
  const std::int64_t nd = static_cast<std::int64_t>(shape.size());
  const std::int64_t k = dim < 0 ? dim + nd : dim;
  LARIX_CHECK(k >= 0 && k < nd, axis, "axis ", dim, " is out of bounds for array of dimension ",
              nd);
  return Value(shape[k]);
}

}  // namespace

void register_shape(Registry& r) {
  r.add({.name = "shape",
         .signature = {{arg("x"), arg("dim", Value())}},
         .doc = "shape(x, dim=nil)\n\nThe shape of x as a list of ints, '(2, 3) for a 2x3 array, "
                "as numpy.shape (a number gives '(), a nested list its lengths). With `dim`, that "
                "one length (negative counts from the end; out of range is an AxisError).",
         .kernel = shape_kernel});
}

}  // namespace larix
