// Splitting an array into a list of views (split, array_split, hsplit, vsplit, dsplit) and the
// joins that first give their operands a trailing axis (dstack, column_stack).
#include <cmath>
#include <string>

#include "larix/kernels/indexing.hpp"
#include "larix/kernels/join.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using numpy_args::array_arg;
using numpy_args::int_arg;
using numpy_args::sequence_arg;
using std::int64_t;

// a[begin:end] along `axis` (Python slice bounds: negative counts from the end, clamped): a view.
Array axis_slice(const Array& a, int axis, std::optional<int64_t> begin,
                 std::optional<int64_t> end) {
  const int64_t n = a.shape()[axis];
  const kernels::AxisIndex r = kernels::range_index(begin, end, std::nullopt, n);
  Shape s = a.shape();
  s[axis] = r.length;
  return a.view(r.start * a.strides()[axis], s, a.strides());
}

// np.split (equal=true) and np.array_split: a number of sections or a list of split points.
List split_views(const Array& a, const Value& sections, const Value& axis_v, bool equal,
                 const std::string& fn) {
  LARIX_CHECK(a.ndim() > 0, index, fn,
              "(): a 0-d array cannot be split (tuple index out of range)");
  const int axis = kernels::normalize_axes(
      std::vector<int>{static_cast<int>(int_arg(axis_v, "axis"))}, a.ndim())[0];
  const int64_t n = a.shape()[axis];
  List out;
  if (sections.is_number() || numpy_args::is_int_like(sections)) {
    LARIX_CHECK(!sections.is_float() || std::isfinite(sections.as_double()), value, fn,
                "(): the number of sections must be finite");
    const double count_d = sections.as_double("indices_or_sections");
    if (equal) {
      LARIX_CHECK(count_d != 0, zero_division, "integer modulo by zero");
      LARIX_CHECK(std::fmod(static_cast<double>(n), count_d) == 0, value,
                  "array split does not result in an equal division");
    }
    const int64_t count = static_cast<int64_t>(count_d);
    LARIX_CHECK(count > 0, value, "number sections must be larger than 0.");
    // The first n % count sections get one element more (np.array_split).
    const int64_t each = n / count, extra = n % count;
    int64_t start = 0;
    for (int64_t i = 0; i < count; ++i) {
      const int64_t len = each + (i < extra ? 1 : 0);
      out.push_back(Value(axis_slice(a, axis, start, start + len)));
      start += len;
    }
    return out;
  }
  const Array points = array_arg(sections, fn, "indices_or_sections");
  LARIX_CHECK(points.ndim() == 1 && (is_integral(points.dtype()) || points.size() == 0), type, fn,
              "(): indices_or_sections must be an int or a 1-d list of ints");
  std::optional<int64_t> begin = 0;
  for (int64_t i = 0; i <= points.size(); ++i) {
    std::optional<int64_t> end;
    if (i < points.size()) end = points.item<int64_t>(i);
    out.push_back(Value(axis_slice(a, axis, begin, end)));
    begin = end;
  }
  return out;
}

Kernel split_kernel(bool equal, std::string fn) {
  return [equal, fn](KernelArgs& args) {
    return Value(split_views(array_arg(args[0], fn, "ary"), args[1], args[2], equal, fn));
  };
}

// hsplit (axis 1, or 0 for 1-d), vsplit (axis 0) and dsplit (axis 2): np.split with a minimum rank.
Kernel fixed_axis_split(std::string fn, int min_ndim) {
  return [fn, min_ndim](KernelArgs& args) {
    const Array a = array_arg(args[0], fn, "ary");
    LARIX_CHECK(a.ndim() >= min_ndim, value, fn, " only works on arrays of ", min_ndim,
                " or more dimensions");
    const int64_t axis = fn == "vsplit" ? 0 : fn == "dsplit" ? 2 : (a.ndim() > 1 ? 1 : 0);
    return Value(split_views(a, args[1], Value(axis), true, fn));
  };
}

// Operands of dstack as np.atleast_3d makes them: () -> (1,1,1), (N,) -> (1,N,1), (M,N) -> (M,N,1).
Array at_least_3d(const Array& a) {
  switch (a.ndim()) {
    case 0: return a.view(0, {1, 1, 1}, {0, 0, 0});
    case 1: return a.view(0, {1, a.shape()[0], 1}, {0, a.strides()[0], 0});
    case 2: return a.view(0, {a.shape()[0], a.shape()[1], 1}, {a.strides()[0], a.strides()[1], 0});
    default: return a;
  }
}

// Operands of column_stack: () -> (1, 1), (N,) -> a column (N, 1).
Array as_column(const Array& a) {
  if (a.ndim() == 0) return a.view(0, {1, 1}, {0, 0});
  if (a.ndim() == 1) return a.view(0, {a.shape()[0], 1}, {a.strides()[0], 0});
  return a;
}

const char* kSplitDoc =
    " The parts are views of `ary` (no copy), returned as a list (NumPy: a list). "
    "indices_or_sections is a number of sections N or a list of split points (Python slice "
    "bounds: negative ones count from the end, out-of-range ones clamp, so parts may be empty).";

}  // namespace

void register_split_stack(Registry& r) {
  const Value zero(int64_t{0});
  r.add({.name = "split",
         .signature = {{arg("ary"), arg("indices_or_sections"), arg("axis", zero)}},
         .doc = std::string("split(ary, indices_or_sections, axis=0)\n\n`ary` split along `axis` "
                            "into N equal parts (a ValueError \"array split does not result in an "
                            "equal division\" when N does not divide the length; N = 0 is a "
                            "ZeroDivisionError, as NumPy) or at the given points, as "
                            "numpy.split.") +
                kSplitDoc,
         .kernel = split_kernel(true, "split")});
  r.add({.name = "array_split",
         .signature = {{arg("ary"), arg("indices_or_sections"), arg("axis", zero)}},
         .doc = std::string("array_split(ary, indices_or_sections, axis=0)\n\nAs split, but N need "
                            "not divide the length: the first len % N parts are one element "
                            "longer, as numpy.array_split. N <= 0 is a ValueError.") +
                kSplitDoc,
         .kernel = split_kernel(false, "array_split")});
  r.add({.name = "hsplit",
         .signature = {{arg("ary"), arg("indices_or_sections")}},
         .doc = std::string("hsplit(ary, indices_or_sections)\n\nsplit along axis 1 (axis 0 for "
                            "1-d arrays), as numpy.hsplit; a 0-d array is a ValueError.") +
                kSplitDoc,
         .kernel = fixed_axis_split("hsplit", 1)});
  r.add({.name = "vsplit",
         .signature = {{arg("ary"), arg("indices_or_sections")}},
         .doc = std::string("vsplit(ary, indices_or_sections)\n\nsplit along axis 0 of an array "
                            "of at least 2 dimensions, as numpy.vsplit.") +
                kSplitDoc,
         .kernel = fixed_axis_split("vsplit", 2)});
  r.add({.name = "dsplit",
         .signature = {{arg("ary"), arg("indices_or_sections")}},
         .doc = std::string("dsplit(ary, indices_or_sections)\n\nsplit along axis 2 of an array "
                            "of at least 3 dimensions, as numpy.dsplit.") +
                kSplitDoc,
         .kernel = fixed_axis_split("dsplit", 3)});
  r.add({.name = "dstack",
         .signature = {{arg("tup")}},
         .doc = "dstack(tup)\n\nThe arrays of a list joined along axis 2 (depth), as "
                "numpy.dstack: 0-d arrays become (1, 1, 1), 1-d (N,) become (1, N, 1) and 2-d "
                "(M, N) become (M, N, 1) first.",
         .kernel = [](KernelArgs& args) {
           std::vector<Array> arrays = sequence_arg(args[0], "dstack");
           for (Array& a : arrays) a = at_least_3d(a);
           return Value(kernels::concatenate(arrays, 2));
         }});
  r.add({.name = "column_stack",
         .signature = {{arg("tup")}},
         .doc = "column_stack(tup)\n\nThe arrays of a list joined as columns along axis 1, as "
                "numpy.column_stack: 1-d arrays (N,) become columns (N, 1) and 0-d arrays (1, 1) "
                "first; arrays of 2 or more dimensions are joined as they are.",
         .kernel = [](KernelArgs& args) {
           std::vector<Array> arrays = sequence_arg(args[0], "column_stack");
           for (Array& a : arrays) a = as_column(a);
           return Value(kernels::concatenate(arrays, 1));
         }});
}

}  // namespace larix
