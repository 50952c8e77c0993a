// The methods of NumPy's binary ufuncs: np.add.reduce, np.maximum.accumulate, np.subtract.outer,
// ... as ufunc_reduce("add", a, ...), ufunc_accumulate("maximum", a, ...) and
// ufunc_outer("subtract", a, b) (the frontend's translation of `np.<ufunc>.<method>`). The ufunc
// is named by its NumPy name; common reductions and accumulations run on their own kernels, any
// other binary ufunc is folded along the axis with its element-wise primitive.
#include <algorithm>
#include <cmath>
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/join.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/kernels/reductions.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using numpy_args::array_arg;
using numpy_args::parse_axes;
using std::int64_t;

// The binary ufuncs these methods accept, and the primitive each maps to.
const PrimitiveInfo& ufunc_primitive(const Value& name, const char* method) {
  static const char* kUfuncs[] = {
      "add",         "subtract",    "multiply",   "divide",       "true_divide", "floor_divide",
      "remainder",   "mod",         "power",      "maximum",      "minimum",     "fmax",
      "fmin",        "logical_and", "logical_or", "logical_xor",  "bitwise_and", "bitwise_or",
      "bitwise_xor", "arctan2",     "hypot",      "copysign",     "equal",       "not_equal",
      "less",        "less_equal",  "greater",    "greater_equal"};
  LARIX_CHECK(name.is_string(), type, "ufunc_", method, "(): the ufunc must be named by a string");
  const std::string& n = name.as_string();
  bool known = false;
  for (const char* u : kUfuncs) known = known || n == u;
  const PrimitiveInfo* info = known ? Registry::instance().find(n) : nullptr;
  LARIX_CHECK(info != nullptr, value, method, " is not supported for the ufunc '", n,
              "' by Larix (only binary ufuncs have it)");
  return *info;
}

Value call_binary(const PrimitiveInfo& info, Value a, Value b, KernelArgs& args) {
  Value v[2] = {std::move(a), std::move(b)};
  return run_kernel(info, std::span<Value>(v, 2), args.ctx(), args.loc());
}

// The ufunc's loop for a's dtype must give a's dtype back (NumPy's rule for reduce and
// accumulate: equal.reduce of ints is a TypeError), and the ufunc must take that dtype at all
// (bool - bool is a TypeError even for an empty array).
void check_loop(const PrimitiveInfo& info, const std::string& name, const Array& a,
                KernelArgs& args, const char* method) {
  const Array none = Array::empty(a.dtype(), {0});
  const Array r = call_binary(info, Value(none), Value(none), args).to_array(method);
  LARIX_CHECK(r.dtype() == a.dtype(), type, "the resolved dtypes are not compatible with ", name,
              ".", method, ": ", dtype_name(a.dtype()), " gives ", dtype_name(r.dtype()));
}

// a with `axis` first (a view).
Array axis_first(const Array& a, int axis) {
  std::vector<int> perm{axis};
  for (int d = 0; d < a.ndim(); ++d)
    if (d != axis) perm.push_back(d);
  return a.transpose(perm);
}
Array slice0(const Array& a, int64_t i) {
  return a.view(i * a.strides()[0], Shape(a.shape().begin() + 1, a.shape().end()),
                Strides(a.strides().begin() + 1, a.strides().end()));
}

Value reduce_kernel(KernelArgs& args) {
  const PrimitiveInfo& info = ufunc_primitive(args[0], "reduce");
  const std::string& name = args[0].as_string();
  Array a = array_arg(args[1], "reduce", "array");
  if (name.rfind("logical_", 0) == 0) a = kernels::cast(a, DType::bool_);  // NumPy's ??->? loop
  const auto axes = parse_axes(args[2]);
  const bool keepdims = args[3].as_bool("keepdims");
  if (name == "add") return Value(kernels::sum(a, axes, keepdims));
  using kernels::ReduceOp;
  const std::pair<const char*, ReduceOp> fast[] = {{"multiply", ReduceOp::prod},
                                                   {"maximum", ReduceOp::max},
                                                   {"minimum", ReduceOp::min},
                                                   {"logical_and", ReduceOp::all},
                                                   {"logical_or", ReduceOp::any}};
  for (const auto& [n, op] : fast)
    if (name == n) return Value(kernels::reduce(op, a, axes, keepdims));
  // Any other ufunc: folded along the axes in order (several only for a reorderable one).
  const auto norm = kernels::normalize_axes(axes, a.ndim());
  check_loop(info, name, a, args, "reduce");
  const bool reorderable =
      name == "fmax" || name == "fmin" || name == "logical_xor" || name.rfind("bitwise_", 0) == 0;
  LARIX_CHECK(norm.size() <= 1 || reorderable, value, "reduction operation '", name,
              "' is not reorderable, so at most one axis may be specified");
  const Shape kept = kernels::reduced_shape(a.shape(), norm, true);
  const Shape dropped = kernels::reduced_shape(a.shape(), norm, false);
  // The reduced axes first, as one.
  std::vector<int> perm(norm.begin(), norm.end());
  Shape shape{1};
  for (int d : norm) shape[0] *= a.shape()[d];
  for (int d = 0; d < a.ndim(); ++d)
    if (std::find(norm.begin(), norm.end(), d) == norm.end()) {
      perm.push_back(d);
      shape.push_back(a.shape()[d]);
    }
  const Array lines = a.transpose(perm).copy().reshape(shape);
  if (lines.shape()[0] == 0) {
    // Only ufuncs with an identity reduce an empty axis: all bits set for bitwise_and, else 0.
    LARIX_CHECK(name == "bitwise_and" || name == "bitwise_or" || name == "bitwise_xor" ||
                    name == "logical_xor",
                value, "zero-size array to reduction operation ", name, " which has no identity");
    const Array zeros = Array::zeros(a.dtype(), keepdims ? kept : dropped);
    return Value(name == "bitwise_and" ? kernels::unary(kernels::UnaryOp::invert, zeros) : zeros);
  }
  Value acc(slice0(lines, 0));
  for (int64_t i = 1; i < lines.shape()[0]; ++i)
    acc = call_binary(info, std::move(acc), Value(slice0(lines, i)), args);
  return Value(acc.to_array("reduce").reshape(keepdims ? kept : dropped));
}

// np.maximum.accumulate / np.minimum.accumulate: the running extreme along the last axis of a
// C-contiguous copy (NaN, once met, stays).
Array running_extreme(const Array& a, bool max) {
  Array out = a.copy();
  const int64_t n = a.ndim() ? a.shape().back() : 1;
  if (out.size() == 0) return out;
  visit_dtype(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* p = out.mutable_data<T>();
    for (int64_t start = 0; start < out.size(); start += n) {
      for (int64_t i = start + 1; i < start + n; ++i) {
        const T prev = p[i - 1], x = p[i];
        if constexpr (std::floating_point<T>) {
          if (std::isnan(prev)) p[i] = prev;
          else if (!std::isnan(x)) p[i] = max ? std::max(prev, x) : std::min(prev, x);
        } else {
          p[i] = max ? std::max(prev, x) : std::min(prev, x);
        }
      }
    }
  });
  return out;
}

Value accumulate_kernel(KernelArgs& args) {
  const PrimitiveInfo& info = ufunc_primitive(args[0], "accumulate");
  const std::string& name = args[0].as_string();
  Array a = array_arg(args[1], "accumulate", "array");
  if (name.rfind("logical_", 0) == 0) a = kernels::cast(a, DType::bool_);  // NumPy's ??->? loop
  LARIX_CHECK(a.ndim() > 0, type, "cannot accumulate on a scalar");
  LARIX_CHECK(!args[2].is_nil(), type, "accumulate does not allow multiple axes");
  const int axis = kernels::normalize_axes(
      std::vector<int>{static_cast<int>(args[2].as_int("axis"))}, a.ndim())[0];
  if (name == "add" || name == "multiply")
    return Value(kernels::cumulative(name == "multiply", a, axis));
  if (name == "maximum" || name == "minimum") {
    std::vector<int> perm;
    for (int d = 0; d < a.ndim(); ++d)
      if (d != axis) perm.push_back(d);
    perm.push_back(axis);
    std::vector<int> back(perm.size());
    for (std::size_t i = 0; i < perm.size(); ++i) back[perm[i]] = static_cast<int>(i);
    return Value(running_extreme(a.transpose(perm), name == "maximum").transpose(back).copy());
  }
  const Array lines = axis_first(a, axis);
  std::vector<Array> steps;
  check_loop(info, name, a, args, "accumulate");
  if (lines.shape()[0] == 0) return Value(a.copy());
  Value acc(slice0(lines, 0).copy());
  steps.push_back(acc.to_array("accumulate"));
  for (int64_t i = 1; i < lines.shape()[0]; ++i) {
    acc = call_binary(info, acc, Value(slice0(lines, i)), args);
    steps.push_back(acc.to_array("accumulate"));
  }
  const DType d = steps.back().dtype();
  for (Array& s : steps) s = kernels::cast(s, d);
  return Value(kernels::stack(steps, axis));
}

Value outer_kernel(KernelArgs& args) {
  const PrimitiveInfo& info = ufunc_primitive(args[0], "outer");
  // Both operands become arrays first (a Python scalar is not weak here, as in NumPy).
  const Array a = array_arg(args[1], "outer", "A"), b = array_arg(args[2], "outer", "B");
  Shape s = a.shape();
  s.insert(s.end(), static_cast<std::size_t>(b.ndim()), 1);
  return call_binary(info, Value(a.reshape(s)), Value(b), args);
}

const char* kUfuncNote =
    " ufunc is a binary ufunc's NumPy name (\"add\", \"maximum\", \"logical_and\", ...); "
    "another name is a ValueError.";

}  // namespace

void register_ufunc_methods(Registry& r) {
  r.add({.name = "ufunc_reduce",
         .signature = {{arg("ufunc"), arg("array"), arg("axis", Value(0)),
                        arg("keepdims", Value(false))}},
         .doc = std::string("ufunc_reduce(ufunc, array, axis=0, keepdims=false)\n\nnumpy.ufunc."
                            "reduce: np.add.reduce(a, axis) in a kernel. add, multiply, maximum, "
                            "minimum, logical_and and logical_or are sum, prod, amax, amin, all "
                            "and any (their dtypes, any axes); other ufuncs fold one axis (or "
                            "every axis: the flattened array) in order, and an empty one is a "
                            "ValueError.") +
                kUfuncNote,
         .kernel = reduce_kernel});
  r.add({.name = "ufunc_accumulate",
         .signature = {{arg("ufunc"), arg("array"), arg("axis", Value(0))}},
         .doc = std::string("ufunc_accumulate(ufunc, array, axis=0)\n\nnumpy.ufunc.accumulate: "
                            "np.maximum.accumulate(a) in a kernel, the running results along "
                            "one axis. add and multiply are cumsum and cumprod (their dtypes); "
                            "maximum and minimum keep a's dtype (NaN, once met, stays); others "
                            "fold step by step. A 0-d array is a TypeError.") +
                kUfuncNote,
         .kernel = accumulate_kernel});
  r.add({.name = "ufunc_outer",
         .signature = {{arg("ufunc"), arg("A"), arg("B")}},
         .doc = std::string("ufunc_outer(ufunc, A, B)\n\nnumpy.ufunc.outer: np.subtract.outer(a, "
                            "b) in a kernel, ufunc(a[..., None, ...], b) with the result's shape "
                            "a.shape + b.shape, in the ufunc's own dtype rules.") +
                kUfuncNote,
         .kernel = outer_kernel});
}

}  // namespace larix
