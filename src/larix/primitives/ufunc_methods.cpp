// The methods of NumPy's binary ufuncs: np.add.reduce, np.maximum.accumulate, np.subtract.outer,
// np.add.at, ... as ufunc_reduce("add", a, ...), ufunc_accumulate("maximum", a, ...),
// ufunc_outer("subtract", a, b) and ufunc_at("add", a, indices, b) (the frontend's translation of
// `np.<ufunc>.<method>`); and a ufunc called with NumPy's out= and where= keywords, ufunc_call.
// The ufunc is named by its NumPy name; common reductions and accumulations run on their own
// kernels, any other binary ufunc is folded along the axis with its element-wise primitive.
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/indexing.hpp"
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

// ufunc `name` (its primitive `info`) reduced over `axes` of a (none: all of them).
Array reduce_array(const PrimitiveInfo& info, const std::string& name, Array a,
                   const std::optional<std::vector<int>>& axes, bool keepdims, KernelArgs& args) {
  if (name.rfind("logical_", 0) == 0) a = kernels::cast(a, DType::bool_);  // NumPy's ??->? loop
  if (name == "add") return kernels::sum(a, axes, keepdims);
  using kernels::ReduceOp;
  const std::pair<const char*, ReduceOp> fast[] = {{"multiply", ReduceOp::prod},
                                                   {"maximum", ReduceOp::max},
                                                   {"minimum", ReduceOp::min},
                                                   {"logical_and", ReduceOp::all},
                                                   {"logical_or", ReduceOp::any}};
  for (const auto& [n, op] : fast)
    if (name == n) return kernels::reduce(op, a, axes, keepdims);
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
    return name == "bitwise_and" ? kernels::unary(kernels::UnaryOp::invert, zeros) : zeros;
  }
  Value acc(slice0(lines, 0));
  for (int64_t i = 1; i < lines.shape()[0]; ++i)
    acc = call_binary(info, std::move(acc), Value(slice0(lines, i)), args);
  return acc.to_array("reduce").reshape(keepdims ? kept : dropped);
}

Value reduce_kernel(KernelArgs& args) {
  const PrimitiveInfo& info = ufunc_primitive(args[0], "reduce");
  return Value(reduce_array(info, args[0].as_string(), array_arg(args[1], "reduce", "array"),
                            parse_axes(args[2]), args[3].as_bool("keepdims"), args));
}

// np.<ufunc>.reduceat(a, indices, axis): along `axis`, part i is the ufunc's reduction of
// a[indices[i]:indices[i + 1]] (the last one's runs to the end), or a[indices[i]] alone (in the
// reduction's dtype) when indices[i] >= indices[i + 1]. Every index must be in [0, n).
Value reduceat_kernel(KernelArgs& args) {
  const PrimitiveInfo& info = ufunc_primitive(args[0], "reduceat");
  const std::string& name = args[0].as_string();
  const Array a = array_arg(args[1], "reduceat", "array");
  LARIX_CHECK(a.ndim() > 0, type, "cannot reduceat on a scalar");
  const Array given = array_arg(args[2], "reduceat", "indices");
  LARIX_CHECK(given.ndim() == 1, value, name, ".reduceat: indices must be one-dimensional, not of ",
              "shape ", shape_str(given.shape()));
  const Array indices = kernels::cast(given, DType::int64).copy();
  LARIX_CHECK(!args[3].is_nil(), type, "reduceat does not allow multiple axes");
  const int axis = kernels::normalize_axes(
      std::vector<int>{static_cast<int>(args[3].as_int("axis"))}, a.ndim())[0];
  const int64_t n = a.shape()[axis];
  const int64_t* at = indices.data<int64_t>();
  const int64_t count = indices.size();
  for (int64_t i = 0; i < count; ++i)
    LARIX_CHECK(at[i] >= 0 && at[i] < n, index, "index ", at[i], " out-of-bounds in ", name,
                ".reduceat [0, ", n, ")");
  const Array lines = axis_first(a, axis);
  const std::optional<std::vector<int>> first_axis{std::vector<int>{0}};
  auto part = [&](int64_t start, int64_t stop) {  // the reduction of lines[start:stop]
    Shape shape = lines.shape();
    shape[0] = stop - start;
    return reduce_array(info, name, lines.view(start * lines.strides()[0], shape, lines.strides()),
                        first_axis, false, args);
  };
  std::vector<Array> parts;
  parts.reserve(static_cast<std::size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    const int64_t stop = i + 1 < count ? at[i + 1] : n;
    parts.push_back(part(at[i], std::max(stop, at[i] + 1)));  // one element: itself, reduced
  }
  Array stacked;
  if (parts.empty()) {  // no index: no part along the axis, in the reduction's dtype
    Shape shape = lines.shape();
    shape[0] = 0;
    stacked = Array::empty(n > 0 ? part(0, 1).dtype() : a.dtype(), shape);
  } else {
    stacked = kernels::stack(parts, 0);
  }
  // The parts' axis back where `axis` was.
  std::vector<int> back;
  for (int d = 1; d <= axis; ++d) back.push_back(d);
  back.push_back(0);
  for (int d = axis + 1; d < a.ndim(); ++d) back.push_back(d);
  return Value(stacked.transpose(back).copy());
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

// ---- np.<ufunc>.at -------------------------------------------------------------------------

// The element function ufunc_at applies in one pass, on elements of a's own dtype T (the ufunc's
// loop for T gives T), chosen once per call: NumPy's results, bools as NumPy's ?? loops (add is
// or, multiply and). Null for a ufunc without one.
template <class T>
using AtStep = void (*)(T& x, T y);

template <class T>
AtStep<T> at_step(const std::string& name) {
  auto is = [&](std::initializer_list<const char*> names) {
    return std::any_of(names.begin(), names.end(), [&](const char* n) { return name == n; });
  };
  if constexpr (std::is_same_v<T, bool>) {
    if (is({"add", "maximum", "fmax", "logical_or", "bitwise_or"}))
      return [](T& x, T y) { x = x || y; };
    if (is({"multiply", "minimum", "fmin", "logical_and", "bitwise_and"}))
      return [](T& x, T y) { x = x && y; };
    if (is({"logical_xor", "bitwise_xor"})) return [](T& x, T y) { x = x != y; };
  } else if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;  // wraps as NumPy's integers do
    if (is({"add"})) return [](T& x, T y) { x = static_cast<T>(U(x) + U(y)); };
    if (is({"subtract"})) return [](T& x, T y) { x = static_cast<T>(U(x) - U(y)); };
    if (is({"multiply"})) return [](T& x, T y) { x = static_cast<T>(U(x) * U(y)); };
    if (is({"maximum", "fmax"})) return [](T& x, T y) { x = std::max(x, y); };
    if (is({"minimum", "fmin"})) return [](T& x, T y) { x = std::min(x, y); };
    if (is({"bitwise_and"})) return [](T& x, T y) { x &= y; };
    if (is({"bitwise_or"})) return [](T& x, T y) { x |= y; };
    if (is({"bitwise_xor"})) return [](T& x, T y) { x ^= y; };
  } else {
    if (is({"add"})) return [](T& x, T y) { x += y; };
    if (is({"subtract"})) return [](T& x, T y) { x -= y; };
    if (is({"multiply"})) return [](T& x, T y) { x *= y; };
    if (is({"maximum"}))
      return [](T& x, T y) { x = std::isnan(x) ? x : (std::isnan(y) || y > x ? y : x); };
    if (is({"minimum"}))
      return [](T& x, T y) { x = std::isnan(x) ? x : (std::isnan(y) || y < x ? y : x); };
    if (is({"fmax"}))
      return [](T& x, T y) { x = std::isnan(y) ? x : (std::isnan(x) || y > x ? y : x); };
    if (is({"fmin"}))
      return [](T& x, T y) { x = std::isnan(y) ? x : (std::isnan(x) || y < x ? y : x); };
  }
  return nullptr;
}

bool has_fast_at(const std::string& name, DType dtype) {
  bool known = false;
  visit_dtype(dtype, [&](auto tag) { known = at_step<typename decltype(tag)::type>(name); });
  return known;
}

// The flat positions (C order of a) of a[indices], in the C order of a[indices]: NumPy's index
// rules and errors, through __subscript on the positions themselves.
Array at_positions(const Array& a, const Value& indices, KernelArgs& args) {
  Array iota = Array::empty(DType::int64, a.shape());
  int64_t* p = iota.mutable_data<int64_t>();
  for (int64_t i = 0; i < iota.size(); ++i) p[i] = i;
  std::vector<Value> v{Value(std::move(iota))};
  if (indices.is_list()) {
    for (const Value& x : indices.as_list()) v.push_back(x);
  } else {
    v.push_back(indices);
  }
  const PrimitiveInfo* subscript = Registry::instance().find("__subscript");
  LARIX_ASSERT(subscript != nullptr, "__subscript is not registered");
  return run_kernel(*subscript, std::span<Value>(v), args.ctx(), args.loc()).to_array("at").copy();
}

// np.<ufunc>.at(a, indices, b): a copy of a in which a[indices] = ufunc(a[indices], b) is done
// element by element in the C order of a[indices], so that a position named twice takes both
// (NumPy's unbuffered at). When the ufunc's loop for a's dtype gives that dtype, one pass over
// the positions; otherwise rounds in which no position repeats, each one vectorised call of the
// ufunc's primitive, its result cast to a's dtype (NumPy's unsafe cast of at's result).
Value at_kernel(KernelArgs& args) {
  const PrimitiveInfo& info = ufunc_primitive(args[0], "at");
  const std::string& name = args[0].as_string();
  const Array a = array_arg(args[1], "at", "a");
  const Array pos = at_positions(a, args[2], args);
  const Value& b = args[3];
  const Array barr = array_arg(b, "at", "b");
  const bool weak = !b.is_array() && !b.is_list();  // a Python scalar keeps NumPy 2's weak rule
  LARIX_CHECK(kernels::broadcast_shapes(barr.shape(), pos.shape()) == pos.shape(), value,
              "array is not broadcastable to correct shape");
  const Array bb = barr.broadcast_to(pos.shape()).copy();
  const Value none_b = weak ? b : Value(Array::empty(barr.dtype(), {0}));
  const DType result =
      call_binary(info, Value(Array::empty(a.dtype(), {0})), none_b, args).to_array("at").dtype();
  Array out = a.copy();
  const int64_t* p = pos.data<int64_t>();
  const int64_t n = pos.size();
  if (result == a.dtype() && has_fast_at(name, a.dtype())) {
    const Array y = kernels::cast(bb, a.dtype()).copy();
    visit_dtype(a.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      T* o = out.mutable_data<T>();
      const T* v = y.data<T>();
      const AtStep<T> step = at_step<T>(name);
      for (int64_t k = 0; k < n; ++k) step(o[p[k]], v[k]);
    });
    return Value(out);
  }
  // Rounds: the k-th occurrence of each position goes in round k.
  std::vector<int64_t> seen(static_cast<std::size_t>(out.size()), 0);
  std::vector<std::vector<int64_t>> rounds;
  for (int64_t k = 0; k < n; ++k) {
    const auto r = static_cast<std::size_t>(seen[static_cast<std::size_t>(p[k])]++);
    if (r == rounds.size()) rounds.emplace_back();
    rounds[r].push_back(k);
  }
  for (const std::vector<int64_t>& round : rounds) {
    const auto m = static_cast<int64_t>(round.size());
    Array at = Array::empty(DType::int64, {m}), ks = Array::empty(DType::int64, {m});
    for (int64_t i = 0; i < m; ++i) {
      ks.mutable_data<int64_t>()[i] = round[static_cast<std::size_t>(i)];
      at.mutable_data<int64_t>()[i] = p[round[static_cast<std::size_t>(i)]];
    }
    const std::vector<kernels::Index> where{kernels::Index::of_array(at)};
    const Array x = kernels::index(out.reshape({out.size()}), where);
    const Value y =
        weak ? b : Value(kernels::index(bb.reshape({n}), {kernels::Index::of_array(ks)}));
    const Array r = call_binary(info, Value(x), y, args).to_array("at");
    Array flat = out.reshape({out.size()});
    kernels::assign_index(flat, kernels::plan_index(flat.shape(), where),
                          kernels::cast(r, a.dtype()));
  }
  return Value(out);
}

// ---- out= and where= -------------------------------------------------------------------------

int kind_rank(DType d) { return d == DType::bool_ ? 0 : is_integral(d) ? 1 : 2; }

// NumPy's same_kind rule for a ufunc's output: bool -> int -> float, never back.
void check_output_cast(const std::string& ufunc, DType from, DType to) {
  LARIX_CHECK(kind_rank(from) <= kind_rank(to), type, "Cannot cast ufunc '", ufunc,
              "' output from dtype('", dtype_name(from), "') to dtype('", dtype_name(to),
              "') with casting rule 'same_kind'");
}

// The shape the result takes with out= (out's own: the operands broadcast to it, not it to them).
void check_output_shape(const Shape& broadcast, const Shape& out) {
  const Shape both = kernels::broadcast_shapes(broadcast, out);
  LARIX_CHECK(both == out, value, "non-broadcastable output operand with shape ",
              kernels::numpy_shape_str(out), " doesn't match the broadcast shape ",
              kernels::numpy_shape_str(both));
}

// ufunc_call(ufunc, out, where, x...): NumPy's ufunc(x..., out=out, where=where) as a value.
// The result has out's shape and dtype (the ufunc's result cast by the same_kind rule) and out's
// values where `where` is false; without out, where `where` is false the result is 0 (NumPy leaves
// those elements uninitialised). The ufunc runs on the selected elements only, so a masked-off
// division by zero computes nothing and warns of nothing, as in NumPy.
Value ufunc_call_kernel(KernelArgs& args) {
  LARIX_CHECK(args[0].is_string(), type, "ufunc_call(): the ufunc must be named by a string");
  const std::string& name = args[0].as_string();
  const PrimitiveInfo* info = Registry::instance().find(name);
  LARIX_CHECK(info != nullptr && info->kind == PrimitiveKind::regular, value, "ufunc_call(): '",
              name, "' is not a ufunc");
  LARIX_CHECK(args.size() > 3, type, "ufunc_call(): ", name, " needs its operands");
  std::vector<Value> operands;
  Shape shape;
  for (std::size_t i = 3; i < args.size(); ++i) {
    const Value& v = args[i];
    operands.push_back(v.is_list() ? Value(array_arg(v, name, "operand")) : v);
    if (operands.back().is_array())
      shape = kernels::broadcast_shapes(shape, operands.back().as_array_ref().shape());
  }
  std::optional<Array> out;
  if (!args[1].is_nil()) {
    LARIX_CHECK(args[1].is_array(), type, "return arrays must be of ArrayType");
    out = args[1].as_array_ref();
  }
  const Value& where = args[2];
  const bool everywhere = where.is_bool() && where.as_bool();
  if (everywhere) {
    Array r = run_kernel(*info, std::span<Value>(operands), args.ctx(), args.loc())
                  .to_array(name.c_str());
    LARIX_CHECK(r.shape() == shape, value, "ufunc_call(): '", name,
                "' is not an element-wise function");
    if (!out) return Value(std::move(r));
    check_output_shape(shape, out->shape());
    check_output_cast(name, r.dtype(), out->dtype());
    return Value(kernels::cast(r, out->dtype()).broadcast_to(out->shape()).copy());
  }
  Array mask =
      where.is_bool() ? Array::scalar<bool>(where.as_bool()) : array_arg(where, name, "where");
  LARIX_CHECK(mask.dtype() == DType::bool_ || where.is_list(), type,
              "Cannot cast array data from dtype('", dtype_name(mask.dtype()),
              "') to dtype('bool') according to the rule 'safe'");
  mask = kernels::cast(mask, DType::bool_);
  shape = kernels::broadcast_shapes(shape, mask.shape());
  if (out) check_output_shape(shape, out->shape());
  const Shape& full = out ? out->shape() : shape;
  const Array m = mask.broadcast_to(full);
  const std::vector<kernels::Index> selected{kernels::Index::of_array(m)};
  for (Value& v : operands)
    if (v.is_array()) v = Value(kernels::index(v.as_array_ref().broadcast_to(full), selected));
  const Array r =
      run_kernel(*info, std::span<Value>(operands), args.ctx(), args.loc()).to_array(name.c_str());
  Array result = out ? out->copy() : Array::zeros(r.dtype(), full);
  if (out) check_output_cast(name, r.dtype(), out->dtype());
  kernels::assign_index(result, kernels::plan_index(full, selected),
                        kernels::cast(r, result.dtype()));
  return Value(std::move(result));
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
  r.add({.name = "ufunc_reduceat",
         .signature = {{arg("ufunc"), arg("array"), arg("indices"), arg("axis", Value(0))}},
         .doc = std::string("ufunc_reduceat(ufunc, array, indices, axis=0)\n\nnumpy.ufunc."
                            "reduceat: np.add.reduceat(a, indices, axis) in a kernel. Along "
                            "`axis`, part i is the ufunc's reduce of a[indices[i]:indices[i+1]] "
                            "(the last part's runs to the end), or a[indices[i]] alone when "
                            "indices[i] >= indices[i+1]; the parts keep reduce's dtype. indices "
                            "is one-dimensional (else a ValueError; cast to int64 as NumPy casts "
                            "it); an index outside [0, n) is an IndexError, a 0-d array a "
                            "TypeError.") +
                kUfuncNote,
         .kernel = reduceat_kernel});
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
  r.add({.name = "ufunc_at",
         .signature = {{arg("ufunc"), arg("a"), arg("indices"), arg("b")}},
         .doc = std::string("ufunc_at(ufunc, a, indices, b)\n\nnumpy.ufunc.at: a copy of `a` in "
                            "which a[indices] = ufunc(a[indices], b) is done element by element "
                            "(unbuffered), so a position named twice takes both: np.add.at(a, "
                            "[0, 0], 1) adds 2. `indices` is what __subscript takes as one index, "
                            "or a list of such indices (NumPy's tuple); b broadcasts to the "
                            "shape of a[indices] (else a ValueError); each result is cast to a's "
                            "dtype (unsafe, as NumPy's at). NumPy changes `a` in place and "
                            "returns None: a kernel's statement `np.add.at(x, i, v)` on a "
                            "variable x becomes x = ufunc_at(\"add\", x, i, v). Index errors as "
                            "for a[indices].") +
                kUfuncNote,
         .kernel = at_kernel});
  r.add({.name = "ufunc_call",
         .signature = {{arg("ufunc"), arg("out"), arg("where")}, true},
         .doc = "ufunc_call(ufunc, out, where, x1, x2, ...)\n\nA ufunc called with NumPy's "
                "out= and where= keywords, ufunc(x1, ..., out=out, where=where), as a value: "
                "ufunc is the name of an element-wise primitive (\"add\", \"sqrt\", ...). With "
                "out (an array, or nil) the result has out's shape (the operands broadcast to it; "
                "a ValueError otherwise) and out's dtype (the ufunc's result cast by NumPy's "
                "same_kind rule: a float result into an int out is a TypeError). `where` (true, "
                "or a bool array that broadcasts) selects the elements computed; elsewhere the "
                "result is out's element, or 0 without out (NumPy leaves those uninitialised). "
                "The ufunc runs on the selected elements only, so masked-off elements warn of "
                "nothing. Under value semantics out itself is not written: the frontend's "
                "`np.add(a, b, out=c)` rebinds c to the result (and gives it as the call's "
                "value).",
         .kernel = ufunc_call_kernel});
}

}  // namespace larix
