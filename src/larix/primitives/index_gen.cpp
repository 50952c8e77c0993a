// Index arrays: indices (a coordinate grid), fromfunction (a function called once with that grid),
// nonzero, argwhere and flatnonzero (kernels in kernels/index_gen.hpp).
#include "larix/kernels/index_gen.hpp"

#include <string>

#include "larix/primitives/control_support.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using numpy_args::array_arg;
using numpy_args::parse_shape;
using std::int64_t;

// The rows of a (k, ...) array as a list of views.
List rows_of(const Array& a) {
  List out;
  Shape s(a.shape().begin() + 1, a.shape().end());
  Strides st(a.strides().begin() + 1, a.strides().end());
  for (int64_t k = 0; k < a.shape()[0]; ++k)
    out.push_back(Value(a.view(k * a.strides()[0], s, st)));
  return out;
}

// np.indices' dimensions: a sequence of ints (a single int is a TypeError, as NumPy's len()).
Shape grid_shape(const Value& v, const std::string& fn) {
  LARIX_CHECK(!numpy_args::is_int_like(v), type, fn,
              "(): the shape must be a sequence of ints (object of type 'int' has no len())");
  return parse_shape(v, fn);
}

// The grid's dtype. NumPy builds the grid with arange, which refuses bool past length 2.
DType grid_dtype(const Value& v, DType fallback, const Shape& shape) {
  const DType dtype = numpy_args::parse_dtype_arg(v).value_or(fallback);
  for (int64_t d : shape)
    LARIX_CHECK(dtype != DType::bool_ || d <= 2, type,
                "arange() is only supported for booleans when the result has at most length 2.");
  return dtype;
}

Value indices_kernel(KernelArgs& args) {
  const Shape shape = grid_shape(args[0], "indices");
  const DType dtype = grid_dtype(args[1], DType::int64, shape);
  if (!args[2].as_bool("sparse")) return Value(kernels::indices(shape, dtype));
  // sparse=true: one array per axis, of length shape[k] along axis k and 1 along the others.
  List out;
  const int nd = static_cast<int>(shape.size());
  for (int k = 0; k < nd; ++k) {
    Shape s(nd, 1);
    s[k] = shape[k];
    out.push_back(Value(kernels::indices({shape[k]}, dtype).reshape(s)));
  }
  return Value(std::move(out));
}

// fromfunction(f, shape, dtype): evaluates its operands, then calls f once with the coordinate
// arrays of np.indices(shape, dtype) as positional arguments; f's value is the result.
class FromFunctionNode : public HigherOrderNode {
 public:
  using HigherOrderNode::HigherOrderNode;

 protected:
  Future apply_to(std::vector<Value>& v, Frame& frame) const override {
    LARIX_CHECK(v[0].is_function(), type, "fromfunction(): function must be callable, not ",
                v[0].type_name());
    const Shape shape = grid_shape(v[1], "fromfunction");
    const Array grid = kernels::indices(shape, grid_dtype(v[2], DType::float64, shape));
    return call_function(v[0], {rows_of(grid), {}}, frame.ctx(), loc());
  }
};

Array nonzero_checked(const Array& a) {
  LARIX_CHECK(a.ndim() > 0, value,
              "Calling nonzero on 0d arrays is not allowed. Use np.atleast_1d(scalar).nonzero() "
              "instead.");
  return kernels::nonzero(a);
}

Value argwhere_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "argwhere", "a");
  if (a.ndim() == 0)  // NumPy: argwhere(atleast_1d(a))[:, :0], so (1, 0) or (0, 0)
    return Value(Array::empty(DType::int64, {kernels::nonzero(a.reshape({1})).shape()[1], 0}));
  return Value(kernels::nonzero(a).transpose());
}

}  // namespace

void register_index_gen(Registry& r) {
  r.add({.name = "indices",
         .signature = {{arg("dimensions"), arg("dtype", Value("int64")),
                        arg("sparse", Value(false))}},
         .doc = "indices(dimensions, dtype=\"int64\", sparse=false)\n\nThe grid of coordinates "
                "of an array of shape `dimensions`, as numpy.indices: an array of shape (N, "
                "*dimensions) whose slice k holds each element's index along axis k. With "
                "sparse=true, a list of N arrays, the k-th of length dimensions[k] along axis k "
                "and 1 along the others (they broadcast to the grid).",
         .kernel = indices_kernel});
  r.add({.name = "fromfunction",
         .signature = {{arg("function"), arg("shape"), arg("dtype", Value("float64"))}},
         .doc = "fromfunction(function, shape, dtype=\"float64\")\n\nCalls `function` once with "
                "the coordinate arrays of indices(shape, dtype) as its positional arguments (one "
                "per axis, each of shape `shape`) and returns its value, as numpy.fromfunction. "
                "`function` is a PhySL function or lambda working on whole arrays.",
         .kind = PrimitiveKind::control,
         .build = build_node<FromFunctionNode>()});
  r.add({.name = "nonzero",
         .signature = {{arg("a")}},
         .doc = "nonzero(a)\n\nPhylanx's nonzero: the indices of the nonzero elements of `a` "
                "(NaN counts as nonzero), a list of int64 arrays, one per axis, in C order, as "
                "numpy.nonzero; a 0-d `a` counts as a 1-d array of one element (nonzero(3) is "
                "list([0]), nonzero(0) is list([])), as NumPy before 1.17. numpy.nonzero in a "
                "kernel is __nonzero.",
         .kernel = [](KernelArgs& args) {
           const Array a = array_arg(args[0], "nonzero", "a");
           return Value(rows_of(kernels::nonzero(a.ndim() == 0 ? a.reshape({1}) : a)));
         }});
  r.add({.name = "__nonzero",
         .signature = {{arg("a")}},
         .doc = "__nonzero(a)\n\nnumpy.nonzero (and numpy.where(a)), which the Python frontend "
                "emits: the indices of the nonzero elements of `a` as a list of int64 arrays, one "
                "per axis (NumPy: a tuple). A 0-d array is a ValueError, as in NumPy 2.",
         .kernel = [](KernelArgs& args) {
           return Value(rows_of(nonzero_checked(array_arg(args[0], "nonzero", "a"))));
         }});
  r.add({.name = "argwhere",
         .signature = {{arg("a")}},
         .doc = "argwhere(a)\n\nThe indices of the nonzero elements of `a` grouped by element, "
                "as numpy.argwhere: an int64 array of shape (count, a.ndim) (a view of the "
                "nonzero result, as NumPy). A 0-d `a` gives shape (1, 0) or (0, 0).",
         .kernel = argwhere_kernel});
  r.add({.name = "flatnonzero",
         .signature = {{arg("a")}},
         .doc = "flatnonzero(a)\n\nThe indices of the nonzero elements of the flattened `a`, as "
                "numpy.flatnonzero: a 1-d int64 array.",
         .kernel = [](KernelArgs& args) {
           const Array a = array_arg(args[0], "flatnonzero", "a");
           return Value(rows_of(kernels::nonzero(a.reshape({a.size()})))[0]);
         }});
}

}  // namespace larix
