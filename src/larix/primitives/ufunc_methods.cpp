// The methods of NumPy's binary ufuncs: np.add.reduce, np.maximum.accumulate, np.subtract.outer,
// ... as ufunc_reduce("add", a, ...), ufunc_accumulate("maximum", a, ...) and
// ufunc_outer("subtract", a, b) (the frontend's translation of `np.<ufunc>.<method>`). The ufunc
// is named by its NumPy name; common reductions and accumulations run on their own kernels, any
// other binary ufunc is folded along the axis with its element-wise primitive.
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
  // Any other ufunc: folded along one axis (or the flattened array), in order.
  const auto norm = kernels::normalize_axes(axes, a.ndim());
  LARIX_CHECK(norm.size() <= 1 || norm.size() == static_cast<std::size_t>(a.ndim()), value,
              "reduction operation '", name,
              "' is not reorderable, so at most one axis may be "
              "specified");
  const Shape kept = kernels::reduced_shape(a.shape(), norm, true);
  Array lines = norm.size() == 1 ? axis_first(a, norm[0]) : a.reshape({a.size()});
  if (norm.empty()) lines = a.reshape({1});
  LARIX_CHECK(lines.shape()[0] > 0, value, "zero-size array to reduction operation ", name,
              " which has no identity");
  Value acc(slice0(lines, 0));
  for (int64_t i = 1; i < lines.shape()[0]; ++i)
    acc = call_binary(info, std::move(acc), Value(slice0(lines, i)), args);
  Array r = acc.to_array("reduce");
  return Value(r.reshape(keepdims ? kept : kernels::reduced_shape(a.shape(), norm, false)));
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
  const Array a = array_arg(args[1], "accumulate", "array");
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
  Value a = args[1];
  const Value& b = args[2];
  const int bdim = b.is_array()    ? b.as_array_ref().ndim()
                   : b.is_number() ? 0
                                   : array_arg(b, "outer", "B").ndim();
  if (bdim > 0) {
    Array x = array_arg(a, "outer", "A");
    Shape s = x.shape();
    s.insert(s.end(), static_cast<std::size_t>(bdim), 1);
    a = Value(x.reshape(s));
  }
  return call_binary(info, std::move(a), b, args);
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
