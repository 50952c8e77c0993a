// Shape manipulation: transpose, reshape, ravel/flatten, squeeze, expand_dims, swapaxes, flip and
// friends (views where NumPy gives views), astype, copy, ndim, size, and joining arrays
// (concatenate, stack, hstack, vstack).
#include <algorithm>
#include <numeric>
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/join.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using numpy_args::array_arg;
using numpy_args::int_arg;
using numpy_args::parse_axes;
using numpy_args::sequence_arg;
using std::int64_t;

int normalize_axis(int64_t axis, int ndim) {
  const int64_t k = axis < 0 ? axis + ndim : axis;
  LARIX_CHECK(k >= 0 && k < ndim, axis, "axis ", axis, " is out of bounds for array of dimension ",
              ndim);
  return static_cast<int>(k);
}

Value transpose_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "transpose", "a");
  if (args[1].is_nil()) return Value(a.transpose());
  const auto axes = parse_axes(args[1]);
  return Value(a.transpose(std::vector<int>(axes->begin(), axes->end())));
}

Value reshape_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "reshape", "a");
  const Value& s = args[1];
  Shape shape;
  if (s.is_list()) {
    for (const Value& d : s.as_list()) shape.push_back(int_arg(d, "a dimension of shape"));
  } else if (s.is_array() && s.as_array_ref().ndim() == 1) {
    for (int64_t i = 0; i < s.as_array_ref().size(); ++i)
      shape.push_back(s.as_array_ref().item<int64_t>(i));
  } else {
    shape.push_back(int_arg(s, "shape"));
  }
  return Value(a.reshape(shape));
}

Value squeeze_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "squeeze", "a");
  const int nd = a.ndim();
  std::vector<bool> drop(nd, false);
  if (args[1].is_nil()) {
    for (int k = 0; k < nd; ++k) drop[k] = a.shape()[k] == 1;
  } else {
    for (int k : kernels::normalize_axes(parse_axes(args[1]), nd)) {
      LARIX_CHECK(a.shape()[k] == 1, value,
                  "cannot select an axis to squeeze out which has size not equal to one");
      drop[k] = true;
    }
  }
  Shape shape;
  Strides strides;
  for (int k = 0; k < nd; ++k)
    if (!drop[k]) shape.push_back(a.shape()[k]), strides.push_back(a.strides()[k]);
  return Value(a.view(0, shape, strides));
}

Value expand_dims_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "expand_dims", "a");
  const auto axes = parse_axes(args[1]);
  LARIX_CHECK(axes.has_value(), type, "expand_dims() axis must be an int or a list of ints");
  const int out_nd = a.ndim() + static_cast<int>(axes->size());
  const std::vector<int> at = kernels::normalize_axes(axes, out_nd);
  Shape shape;
  Strides strides;
  int src = 0;
  for (int k = 0; k < out_nd; ++k) {
    if (std::binary_search(at.begin(), at.end(), k)) {
      shape.push_back(1), strides.push_back(0);
    } else {
      shape.push_back(a.shape()[src]), strides.push_back(a.strides()[src]);
      ++src;
    }
  }
  return Value(a.view(0, shape, strides));
}

Value swapaxes_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "swapaxes", "a");
  std::vector<int> perm(a.ndim());
  std::iota(perm.begin(), perm.end(), 0);
  std::swap(perm[normalize_axis(int_arg(args[1], "axis1"), a.ndim())],
            perm[normalize_axis(int_arg(args[2], "axis2"), a.ndim())]);
  return Value(a.transpose(perm));
}

// A view with the given axes reversed (negative strides), as np.flip.
Array flip(const Array& a, const std::vector<int>& axes) {
  Strides strides = a.strides();
  int64_t offset = 0;
  for (int k : axes) {
    if (a.shape()[k] > 0) offset += (a.shape()[k] - 1) * a.strides()[k];
    strides[k] = -strides[k];
  }
  return a.view(offset, a.shape(), strides);
}

Value flip_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "flip", "m");
  return Value(flip(a, kernels::normalize_axes(parse_axes(args[1]), a.ndim())));
}

Value fliplr_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "fliplr", "m");
  LARIX_CHECK(a.ndim() >= 2, value, "Input must be >= 2-d.");
  return Value(flip(a, {1}));
}

Value flipud_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "flipud", "m");
  LARIX_CHECK(a.ndim() >= 1, value, "Input must be >= 1-d.");
  return Value(flip(a, {0}));
}

Array at_least(const Array& a, int nd) {
  if (a.ndim() >= nd) return a;
  if (a.ndim() == 0) return a.reshape(Shape(nd, 1));
  return a.reshape({1, a.shape()[0]});  // 1-d to 2-d: a row
}

Value concatenate_kernel(KernelArgs& args) {
  std::vector<Array> arrays = sequence_arg(args[0], "concatenate");
  if (args[1].is_nil()) {
    for (Array& a : arrays) a = a.reshape({a.size()});
    return Value(kernels::concatenate(arrays, 0));
  }
  return Value(kernels::concatenate(arrays, static_cast<int>(int_arg(args[1], "axis"))));
}

// numpy.stack(arrays, axis): a list of arrays, or an array (its first axis).
Value numpy_stack_kernel(KernelArgs& args) {
  return Value(
      kernels::stack(sequence_arg(args[0], "stack"), static_cast<int>(int_arg(args[1], "axis"))));
}

// Phylanx's stack: a list holding one array of rank >= 1 stacks that array's first axis, as
// numpy.stack(array) does (stack(list([1.0, 2.0])) is [1.0, 2.0]); anything else as numpy's.
Value stack_kernel(KernelArgs& args) {
  if (args[0].is_list() && args[0].as_list().size() == 1 && args[0].as_list()[0].is_array() &&
      args[0].as_list()[0].as_array_ref().ndim() > 0)
    return Value(kernels::stack(sequence_arg(args[0].as_list()[0], "stack"),
                                static_cast<int>(int_arg(args[1], "axis"))));
  return numpy_stack_kernel(args);
}

Value hstack_kernel(KernelArgs& args) {
  std::vector<Array> arrays = sequence_arg(args[0], "hstack");
  for (Array& a : arrays) a = at_least(a, 1);
  return Value(kernels::concatenate(arrays, !arrays.empty() && arrays[0].ndim() == 1 ? 0 : 1));
}

Value vstack_kernel(KernelArgs& args) {
  std::vector<Array> arrays = sequence_arg(args[0], "vstack");
  for (Array& a : arrays) a = at_least(a, 2);
  return Value(kernels::concatenate(arrays, 0));
}

// ---- rules ------------------------------------------------------------------------------------

TypeInfo same_shape_rule(const std::vector<TypeInfo>& t) {
  const auto a = numpy_args::array_type(t[0]);
  if (!a) return numpy_args::unknown_type();
  return numpy_args::array_result(a->dtype, a->shape);
}

TypeInfo transpose_rule(const std::vector<TypeInfo>& t) {
  const auto a = numpy_args::array_type(t[0]);
  if (!a || t[1].kind != ValueKind::nil) return numpy_args::unknown_type();
  return numpy_args::array_result(a->dtype, Shape(a->shape.rbegin(), a->shape.rend()));
}

TypeInfo astype_rule(const std::vector<TypeInfo>& t) {
  const auto a = numpy_args::array_type(t[0]);
  if (!a || !t[1].value) return numpy_args::unknown_type();
  return numpy_args::array_result(parse_dtype(t[1].value->as_string("dtype")), a->shape);
}

// ravel / flatten: one axis of all the elements (array_arg: a Python scalar is a 0-d array).
TypeInfo flat_rule(const std::vector<TypeInfo>& t) {
  const auto a = numpy_args::array_type(t[0]);
  if (!a) return numpy_args::unknown_type();
  return numpy_args::array_result(a->dtype, {shape_size(a->shape)});
}

TypeInfo int_rule(const std::vector<TypeInfo>&) { return {.kind = ValueKind::integer}; }

const char* kView = " The result is a view of `a` (no copy), as in NumPy.";

}  // namespace

void register_shape_ops(Registry& r) {
  r.add({.name = "transpose",
         .aliases = {"transpose_d"},
         .signature = {{arg("a"), arg("axes", Value())}},
         .doc = std::string("transpose(a, axes=nil)\n\nThe axes of `a` permuted, as "
                            "numpy.transpose: reversed when axes is nil, else axis i of the "
                            "result is axis axes[i] of a.") +
                kView,
         .kernel = transpose_kernel,
         .type_rule = transpose_rule});
  r.add({.name = "reshape",
         .signature = {{arg("a"), arg("shape")}},
         .doc = "reshape(a, shape)\n\n`a` with a new shape of the same size, as numpy.reshape "
                "(C order); one dimension may be -1 (inferred). A view when `a` is C-contiguous, "
                "else a copy.",
         .kernel = reshape_kernel});
  r.add({.name = "ravel",
         .signature = {{arg("a")}},
         .doc = "ravel(a)\n\n`a` as a 1-d array in C order, as numpy.ravel: a view when `a` is "
                "C-contiguous, else a copy.",
         .kernel =
             [](KernelArgs& args) {
               const Array a = array_arg(args[0], "ravel", "a");
               return Value(a.reshape({a.size()}));
             },
         .type_rule = flat_rule});
  r.add({.name = "flatten",
         .signature = {{arg("a"), arg("order", Value("C"))}},
         .doc = "flatten(a, order=\"C\")\n\nA copy of `a` as a 1-d array, as ndarray.flatten "
                "(Phylanx's flatten(a, order)): its elements in row-major order (\"C\"; "
                "\"A\" and \"K\" too, as Larix arrays are read in C order) or column-major "
                "order (\"F\"). Any other order is a ValueError.",
         .kernel =
             [](KernelArgs& args) {
               const Array a = array_arg(args[0], "flatten", "a");
               LARIX_CHECK(args[1].is_string(), type, "flatten(): order must be a string, not ",
                           args[1].type_name());
               const std::string& order = args[1].as_string();
               LARIX_CHECK(order == "C" || order == "F" || order == "A" || order == "K", value,
                           "order must be one of 'C', 'F', 'A', or 'K' (got '", order, "')");
               const Array source = order == "F" ? a.transpose() : a;
               return Value(source.copy().reshape({a.size()}));
             },
         .type_rule = flat_rule});
  r.add({.name = "squeeze",
         .signature = {{arg("a"), arg("axis", Value())}},
         .doc = std::string("squeeze(a, axis=nil)\n\n`a` without axes of length 1 (all of them, "
                            "or those in `axis`, an int or a list; one of another length is a "
                            "ValueError), as numpy.squeeze.") +
                kView,
         .kernel = squeeze_kernel});
  r.add({.name = "expand_dims",
         .signature = {{arg("a"), arg("axis")}},
         .doc = std::string("expand_dims(a, axis)\n\n`a` with new axes of length 1 at the "
                            "positions `axis` (an int or a list, positions in the result), as "
                            "numpy.expand_dims.") +
                kView,
         .kernel = expand_dims_kernel});
  r.add({.name = "swapaxes",
         .signature = {{arg("a"), arg("axis1"), arg("axis2")}},
         .doc = std::string("swapaxes(a, axis1, axis2)\n\n`a` with two axes interchanged, as "
                            "numpy.swapaxes.") +
                kView,
         .kernel = swapaxes_kernel});
  r.add({.name = "flip",
         .signature = {{arg("m"), arg("axis", Value())}},
         .doc = std::string("flip(m, axis=nil)\n\n`m` with the order of elements reversed along "
                            "`axis` (an int, a list, or nil: all axes), as numpy.flip.") +
                kView + " (with negative strides)",
         .kernel = flip_kernel,
         .type_rule = same_shape_rule});
  r.add({.name = "fliplr",
         .signature = {{arg("m")}},
         .doc = std::string("fliplr(m)\n\n`m` reversed along axis 1 (left/right), as "
                            "numpy.fliplr; `m` must be at least 2-d.") +
                kView,
         .kernel = fliplr_kernel,
         .type_rule = same_shape_rule});
  r.add({.name = "flipud",
         .signature = {{arg("m")}},
         .doc = std::string("flipud(m)\n\n`m` reversed along axis 0 (up/down), as numpy.flipud; "
                            "`m` must be at least 1-d.") +
                kView,
         .kernel = flipud_kernel,
         .type_rule = same_shape_rule});
  r.add({.name = "astype",
         .signature = {{arg("a"), arg("dtype")}},
         .doc = "astype(a, dtype)\n\n`a` converted to `dtype` (a NumPy name), as "
                "ndarray.astype with unsafe casting (floats to ints truncate, nonzero to bool is "
                "true, complex to real keeps the real part, without NumPy's ComplexWarning).",
         .kernel =
             [](KernelArgs& args) {
               const Array a = array_arg(args[0], "astype", "a");
               return Value(
                   kernels::cast_discarding_imaginary(a, parse_dtype(args[1].as_string("dtype")))
                       .copy());
             },
         .type_rule = astype_rule});
  r.add({.name = "view",
         .signature = {{arg("a"), arg("dtype")}},
         .doc = "view(a, dtype)\n\nThe bytes of `a` read as `dtype` (a NumPy name) without a copy, "
                "as ndarray.view(dtype), for a dtype of the same size (float64 as int64 or "
                "uint64, float32 as int32, uint8 as int8, ...); not as bool.",
         .kernel =
             [](KernelArgs& args) {
               const Array a = array_arg(args[0], "view", "a");
               return Value(a.view_as(parse_dtype(args[1].as_string("dtype"))));
             },
         .type_rule = astype_rule});
  r.add({.name = "copy",
         .signature = {{arg("a")}},
         .doc = "copy(a)\n\nA C-contiguous copy of `a`, as numpy.copy.",
         .kernel = [](KernelArgs& args) { return Value(array_arg(args[0], "copy", "a").copy()); },
         .type_rule = same_shape_rule});
  r.add(
      {.name = "ndim",
       .signature = {{arg("a")}},
       .doc = "ndim(a)\n\nThe number of dimensions of `a` (an int), as numpy.ndim.",
       .kernel =
           [](KernelArgs& args) { return Value(int64_t{array_arg(args[0], "ndim", "a").ndim()}); },
       .type_rule = int_rule});
  r.add({.name = "size",
         .signature = {{arg("a")}},
         .doc = "size(a)\n\nThe number of elements of `a` (an int), as numpy.size.",
         .kernel = [](KernelArgs& args) { return Value(array_arg(args[0], "size", "a").size()); },
         .type_rule = int_rule});
  r.add({.name = "concatenate",
         .signature = {{arg("arrays"), arg("axis", Value(int64_t{0}))}},
         .doc = "concatenate(arrays, axis=0)\n\nThe arrays of a list joined along an existing "
                "axis, as numpy.concatenate (axis=nil: flattened first). Shapes must match except "
                "along `axis`; the dtype promotes the inputs'.",
         .kernel = concatenate_kernel});
  r.add({.name = "stack",
         .signature = {{arg("arrays"), arg("axis", Value(int64_t{0}))}},
         .doc = "stack(arrays, axis=0)\n\nPhylanx's stack: the arrays of a list (all of one "
                "shape; scalars too) joined along a new axis, as numpy.stack; a list holding one "
                "array of rank >= 1 stacks that array's own first axis (stack(list([1.0, 2.0])) "
                "is [1.0, 2.0], stack(list(m), 1) is m transposed for a matrix m), as "
                "numpy.stack(array). numpy.stack([a]) in a kernel is __stack.",
         .kernel = stack_kernel});
  r.add({.name = "__stack",
         .signature = {{arg("arrays"), arg("axis", Value(int64_t{0}))}},
         .doc = "__stack(arrays, axis=0)\n\nnumpy.stack, which the Python frontend emits: the "
                "arrays of a list (all of one shape) joined along a new axis (a list of one array "
                "adds an axis of length 1); an array stacks its first axis.",
         .kernel = numpy_stack_kernel});
  r.add({.name = "hstack",
         .signature = {{arg("arrays")}},
         .doc = "hstack(arrays)\n\nThe arrays of a list joined column-wise, as numpy.hstack: "
                "along axis 0 for 1-d arrays, else along axis 1 (scalars become 1-d).",
         .kernel = hstack_kernel});
  r.add({.name = "vstack",
         .signature = {{arg("arrays")}},
         .doc = "vstack(arrays)\n\nThe arrays of a list joined row-wise, as numpy.vstack: 1-d "
                "arrays of length N become rows (1, N), then join along axis 0.",
         .kernel = vstack_kernel});
}

}  // namespace larix
