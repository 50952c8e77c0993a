// Building larger arrays from one: tile, repeat and pad (kernels in kernels/tile_pad.hpp).
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/kernels/tile_pad.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using numpy_args::array_arg;
using numpy_args::int_arg;
using numpy_args::is_int_like;
using std::int64_t;

// An int, or a list / 1-d array of ints (bools count as ints, as in NumPy's safe casting).
std::vector<int64_t> int_list(const Value& v, const std::string& fn, const char* what) {
  if (is_int_like(v)) return {v.as_int(what)};
  const Array a = array_arg(v, fn, what);
  LARIX_CHECK(is_integral(a.dtype()) || a.size() == 0, type, fn, "(): ", what,
              " must be integers, not ", dtype_name(a.dtype()));
  LARIX_CHECK(a.ndim() <= 1, value, fn, "(): ", what, " must be an int or a 1-d sequence of ints");
  std::vector<int64_t> out;
  for (int64_t i = 0; i < a.size(); ++i) out.push_back(a.item<int64_t>(i));
  return out;
}

Value tile_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "tile", "A");
  return Value(kernels::tile(a, int_list(args[1], "tile", "reps")));
}

Value repeat_kernel(KernelArgs& args) {
  Array a = array_arg(args[0], "repeat", "a");
  const std::vector<int64_t> repeats = int_list(args[1], "repeat", "repeats");
  int axis = 0;
  // A 0-d array repeats as a 1-d one, also along axis 0 or -1 (as NumPy).
  if (args[2].is_nil() || a.ndim() == 0) a = a.reshape({a.size()});
  if (!args[2].is_nil())
    axis = kernels::normalize_axes(std::vector<int>{static_cast<int>(int_arg(args[2], "axis"))},
                                   a.ndim())[0];
  return Value(kernels::repeat(a, repeats, axis));
}

// pad_width / constant_values broadcast to one (before, after) pair per axis, as np.pad does.
Array per_axis_pairs(const Value& v, int nd, const char* what) {
  const Array a = array_arg(v, "pad", what);
  LARIX_CHECK(a.ndim() <= 2, value, "pad(): ", what, " of shape ", shape_str(a.shape()),
              " cannot be broadcast to (", nd, ", 2)");
  return a.broadcast_to({nd, 2});
}

Value pad_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "pad", "array");
  const int nd = a.ndim();
  const Array widths = per_axis_pairs(args[1], nd, "pad_width");
  LARIX_CHECK(is_integral(widths.dtype()), type, "`pad_width` must be of integral type.");
  const kernels::PadMode mode = kernels::pad_mode(args[2].as_string("mode"));
  std::vector<std::array<int64_t, 2>> w(nd);
  for (int k = 0; k < nd; ++k)
    for (int side = 0; side < 2; ++side) w[k][side] = widths.item<int64_t>(2 * k + side);
  return Value(kernels::pad(a, w, mode, per_axis_pairs(args[3], nd, "constant_values")));
}

}  // namespace

void register_tiling(Registry& r) {
  r.add({.name = "tile",
         .signature = {{arg("A"), arg("reps")}},
         .doc = "tile(A, reps)\n\nA new array of `A` repeated reps[k] times along axis k, as "
                "numpy.tile. `reps` is an int or a list of ints; a shorter `reps` is padded with "
                "leading 1s, a longer one gives `A` leading axes of length 1. A negative rep is a "
                "ValueError. The result is always a copy.",
         .kernel = tile_kernel});
  r.add({.name = "repeat",
         .signature = {{arg("a"), arg("repeats"), arg("axis", Value())}},
         .doc = "repeat(a, repeats, axis=nil)\n\nEach element of `a` repeated, as numpy.repeat: "
                "along `axis`, or over the flattened array (a 1-d result) when axis is nil. "
                "`repeats` is an int (the same count for every element) or a list/array of ints, "
                "one per element along the axis. Negative counts and a count list of the wrong "
                "length are ValueErrors.",
         .kernel = repeat_kernel});
  r.add({.name = "pad",
         .signature = {{arg("array"), arg("pad_width"), arg("mode", Value("constant")),
                        arg("constant_values", Value(int64_t{0}))}},
         .doc = "pad(array, pad_width, mode=\"constant\", constant_values=0)\n\n`array` with a "
                "border, as numpy.pad. pad_width is an int (every side of every axis), a pair "
                "(before, after) for every axis, or one pair per axis; widths must be "
                "non-negative ints. Modes: \"constant\" (constant_values, broadcast like "
                "pad_width; the corners take the last axis' value, as NumPy), \"edge\" (the edge "
                "value), \"reflect\" (mirrored without the edge), \"symmetric\" (mirrored with "
                "the edge) and \"wrap\" (periodic); widths larger than the axis extend "
                "periodically. NumPy's other modes (mean, median, linear_ramp, ...) are a "
                "ValueError \"mode '...' is not supported\".",
         .kernel = pad_kernel});
}

}  // namespace larix
