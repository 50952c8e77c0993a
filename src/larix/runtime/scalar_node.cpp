#include "larix/runtime/scalar_node.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <memory>
#include <new>
#include <span>

namespace larix {

// The variables scalar code sees: its own frame's slots (depth 0) and the frames around it.
struct ScalarScope {
  Value* locals;  // depth 0: the ScalarNode's frame's slots, or a scalar call's own slots
  Frame* outer;   // depth 1 (null at the top level)
  Frame* self;    // the Frame that owns `locals` (null for a scalar call's own slots)
  const ScalarCode* code;

  Value& slot(SlotRef s) const {
    return s.depth == 0 ? locals[s.index] : outer->slot(s.depth - 1, s.index);
  }
  const Frame* frame_of(SlotRef s) const {
    return s.depth == 0 ? self : &outer->outer(s.depth - 1);
  }
};

// What one evaluation of scalar code shares: the call, this thread's PhySL call depth, and how
// many loops of it are running.
class ScalarMachine {
 public:
  explicit ScalarMachine(CallContext& ctx)
      : ctx(ctx),
        call_depth(CallContext::call_depth()),
        max_call_depth(ctx.settings().max_call_depth) {}
  CallContext& ctx;
  int& call_depth;  // scalar code runs on one thread
  const int max_call_depth;
  int loops = 0;  // while, for, or a counted loop's iterations (run_counted)
};

namespace {

using Scope = ScalarScope;
using Machine = ScalarMachine;

// Counts a running loop of scalar code, however it is left.
class InLoop {
 public:
  explicit InLoop(Machine& m) : loops_(m.loops) { ++loops_; }
  ~InLoop() { --loops_; }
  InLoop(const InLoop&) = delete;
  InLoop& operator=(const InLoop&) = delete;

 private:
  int& loops_;
};

Value eval(const ScalarExpr& e, Machine& m, const Scope& s) { return e.eval(e, m, s); }

[[noreturn]] void unbound(const ScalarExpr& variable) {
  user_error_at(ErrorKind::runtime, variable.loc, "variable '", variable.name,
                "' is used before it is defined");
}

// ---- Python numbers: what the kernels of arithmetic.cpp, comparison.cpp and logic.cpp do -------

bool is_scalar(const Value& v) { return v.is_int() || v.is_float(); }
double to_double(const Value& v) {
  return v.is_int() ? static_cast<double>(v.int_value()) : v.float_value();
}
std::int64_t wrap(std::uint64_t v) { return static_cast<std::int64_t>(v); }  // int64 wraps
// Python's exact comparison of an int with a float (long double holds every int64 exactly).
long double exact(const Value& v) {
  return v.is_int() ? static_cast<long double>(v.int_value())
                    : static_cast<long double>(v.float_value());
}
// A Python number's truth (bool, int or float): a float's is Value::truthy's (one definition).
bool number_truth(const Value& v) {
  return v.is_bool() ? v.bool_value() : v.is_int() ? v.int_value() != 0 : v.truthy();
}

// ---- NumPy's float64 and int64 scalars: strong numbers (Value::strong) --------------------------

// A number of the kind of `x`, strong when an operand was (NumPy 2: a NumPy scalar with a Python
// number keeps the NumPy scalar's dtype; float64 wins over int64 as float wins over int).
template <class T>
Value number(T x, bool strong) {
  return Value::number(x, strong);
}

// A 0-d float64 or int64 array as the strong number it holds; nil for anything else.
Value unboxed(const Value& v) {
  if (v.is_array()) {
    const Array& a = v.as_array_ref();
    if (a.ndim() == 0 && a.dtype() == DType::float64) return Value::strong(*a.data<double>());
    if (a.ndim() == 0 && a.dtype() == DType::int64) return Value::strong(*a.data<std::int64_t>());
  }
  return Value();
}

// A strong number as the 0-d array it stands for (what leaves scalar code); anything else as is.
Value boxed(Value v) {
  if (!v.is_strong()) [[likely]]
    return v;
  return v.is_int() ? Value(Array::scalar<std::int64_t>(v.int_value()))
                    : Value(Array::scalar<double>(v.float_value()));
}

// What scalar code computes on without leaving for the generic path: Python numbers, and the
// 0-d float64 and int64 arrays NumPy's scalars are (an operand scalar code unboxes).
bool number_like(const Value& v) {
  if (v.is_number()) return true;
  if (!v.is_array()) return false;
  const Array& a = v.as_array_ref();
  return a.ndim() == 0 && (a.dtype() == DType::float64 || a.dtype() == DType::int64);
}

constexpr bool is_comparison(ScalarOp op) {
  return op >= ScalarOp::equal && op <= ScalarOp::greater_equal;
}
constexpr bool is_logic(ScalarOp op) {
  return op >= ScalarOp::logical_and && op <= ScalarOp::logical_xor;
}

template <ScalarOp op, class T>
bool compare(T a, T b) {
  if constexpr (op == ScalarOp::equal) return a == b;
  else if constexpr (op == ScalarOp::not_equal) return a != b;  // nan != nan
  else if constexpr (op == ScalarOp::less) return a < b;
  else if constexpr (op == ScalarOp::less_equal) return a <= b;
  else if constexpr (op == ScalarOp::greater) return a > b;
  else return a >= b;
}

template <ScalarOp op>
bool combine(bool x, bool y) {
  if constexpr (op == ScalarOp::logical_and) return x && y;
  else if constexpr (op == ScalarOp::logical_or) return x || y;
  else return x != y;
}

// Two numbers compared (ints exactly, an int against a Python float exactly): false when the
// kernel must decide (a bool operand, not numbers at all, or an int against a float where one
// is strong: NumPy converts the int to float64 first).
template <ScalarOp op>
bool compare_numbers(const Value& a, const Value& b, bool& result) {
  if (a.is_int() && b.is_int()) result = compare<op>(a.int_value(), b.int_value());
  else if (a.is_float() && b.is_float()) result = compare<op>(a.float_value(), b.float_value());
  else if (is_scalar(a) && is_scalar(b) && !a.is_strong() && !b.is_strong())
    result = compare<op>(exact(a), exact(b));
  else return false;
  return true;
}

// Arithmetic, a comparison or a logical operation on two numbers as scalar code computes it;
// otherwise() when the kernel must (an operand that is not a number, a case of its own: division
// by zero, an int to a negative power, float // and %; a comparison's or logical operation's
// value with a strong operand, which is NumPy's bool scalar, a 0-d array). (Every path returns
// a Value made in the caller's return slot: no sentinel to test, no move.)
template <ScalarOp op, class Otherwise>
[[gnu::always_inline]] inline Value compute(const Value& a, const Value& b, Otherwise&& otherwise) {
  const bool strong = a.is_strong() || b.is_strong();
  if constexpr (is_logic(op)) {
    if (a.is_number() && b.is_number() && !strong)
      return Value(combine<op>(number_truth(a), number_truth(b)));
  } else if constexpr (is_comparison(op)) {
    bool result;
    if (!strong && compare_numbers<op>(a, b, result)) return Value(result);
  } else {
    if (a.is_int() && b.is_int()) {
      const std::int64_t x = a.int_value(), y = b.int_value();
      const auto ux = static_cast<std::uint64_t>(x), uy = static_cast<std::uint64_t>(y);
      if constexpr (op == ScalarOp::add) return number(wrap(ux + uy), strong);
      else if constexpr (op == ScalarOp::subtract) return number(wrap(ux - uy), strong);
      else if constexpr (op == ScalarOp::multiply) return number(wrap(ux * uy), strong);
      else if constexpr (op == ScalarOp::divide) {
        if (y != 0) return number(static_cast<double>(x) / static_cast<double>(y), strong);
      } else if constexpr (op == ScalarOp::floor_divide) {
        if (y != 0 && y != -1) {  // else the kernel: its error, INT64_MIN // -1
          const std::int64_t q = x / y;
          return number((x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q, strong);
        }
      } else if constexpr (op == ScalarOp::mod) {
        if (y != 0 && y != -1) {
          const std::int64_t r = x % y;
          return number((r != 0 && ((r < 0) != (y < 0))) ? r + y : r, strong);
        }
      } else if constexpr (op == ScalarOp::power) {
        if (y >= 0) {  // square and multiply, wrapping as the kernel's loop does
          std::uint64_t result = 1, base = ux;
          for (std::uint64_t n = uy; n; n >>= 1, base *= base)
            if (n & 1) result *= base;
          return number(wrap(result), strong);
        }
      }
    } else if (is_scalar(a) && is_scalar(b)) {
      const double x = to_double(a), y = to_double(b);
      if constexpr (op == ScalarOp::add) return number(x + y, strong);
      else if constexpr (op == ScalarOp::subtract) return number(x - y, strong);
      else if constexpr (op == ScalarOp::multiply) return number(x * y, strong);
      else if constexpr (op == ScalarOp::divide) {
        if (y != 0) return number(x / y, strong);
      } else if constexpr (op == ScalarOp::power) {
        if (x != 0 || y >= 0) return number(std::pow(x, y), strong);
      }
      // float // and %: the kernel (Python's divmod rules)
    }
  }
  return otherwise();
}

// A comparison or logical operation's truth (if, while, for): false when the kernel must decide.
template <ScalarOp op>
[[gnu::always_inline]] inline bool compute_truth(const Value& a, const Value& b, bool& result) {
  if constexpr (is_logic(op)) {
    if (!a.is_number() || !b.is_number()) return false;
    result = combine<op>(number_truth(a), number_truth(b));
    return true;
  } else {
    return compare_numbers<op>(a, b, result);
  }
}

// ---- operands ---------------------------------------------------------------------------------

// if/while/for: a condition's truth (Python's; an array's error at the testing node, as IfNode's).
bool truth(const Value& c, const SourceLoc& at) {
  if (c.is_number()) return number_truth(c);
  return with_location(at, [&] { return c.truthy(); });
}

// How an operand is read: a local variable or a constant in place (no copy), anything else
// evaluated. A variable is read in place only when the operands after it cannot write it.
enum class Arg : std::uint8_t { local, constant, any };

template <Arg kind>
struct Operand;
template <>
struct Operand<Arg::constant> {
  Operand(const ScalarExpr& e, Machine&, const Scope&) : v(e.value) {}
  Value* owned() { return nullptr; }
  const Value& v;
};
template <>
struct Operand<Arg::local> {
  Operand(const ScalarExpr& e, Machine&, const Scope& s) : v(s.locals[e.slot.index]) {
    if (v.is_unbound()) [[unlikely]]
      unbound(e);
  }
  Value* owned() { return nullptr; }
  const Value& v;  // as stored: a function (a SelfClosure) never takes a fast path
};
template <>
struct Operand<Arg::any> {
  Operand(const ScalarExpr& e, Machine& m, const Scope& s) : tmp(eval(e, m, s)) {}
  Value* owned() { return &tmp; }
  Value tmp;
  const Value& v = tmp;
};

Arg arg_kind(const ScalarExpr& e) {
  if (e.op == ScalarOp::constant) return Arg::constant;
  if (e.op == ScalarOp::variable && e.slot.depth == 0) return Arg::local;
  return Arg::any;
}

// An operand as PrimitiveNode passes it to the kernel: a temporary by move (its buffer may be
// reused), a variable's value as read (a copy; a function made a full Closure), a constant's copy;
// a strong number boxed.
Value kernel_operand(const Value& v, Value* owned) {
  if (owned) return boxed(std::move(*owned));
  return v.is_function() ? VariableNode::readable(v) : boxed(v);
}

// The generic code: the primitive's kernel with these operands (boxed), at the primitive's
// location. An operand that is not a number makes the ScalarNode prefer its generic subtree.
Value kernel(const ScalarExpr& e, Machine& m, const Scope& s, Value* values, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (!number_like(values[i])) s.code->prefer_generic();
  return run_kernel(*e.prim, std::span<Value>(values, n), m.ctx, e.loc);
}

[[gnu::noinline]] Value binary_kernel(const ScalarExpr& e, Machine& m, const Scope& s,
                                      const Value& a, Value* owned_a, const Value& b,
                                      Value* owned_b) {
  Value values[2] = {kernel_operand(a, owned_a), kernel_operand(b, owned_b)};
  return kernel(e, m, s, values, 2);
}

// What the inline fast path left: a 0-d float64 or int64 operand (NumPy's scalar, made outside
// this scalar code) unboxed and computed on, else the kernel.
template <ScalarOp op>
[[gnu::noinline]] Value binary_slow(const ScalarExpr& e, Machine& m, const Scope& s, const Value& a,
                                    Value* owned_a, const Value& b, Value* owned_b) {
  const Value ua = unboxed(a), ub = unboxed(b);
  const auto generic = [&] { return binary_kernel(e, m, s, a, owned_a, b, owned_b); };
  if (ua.is_nil() && ub.is_nil()) return generic();
  return compute<op>(ua.is_nil() ? a : ua, ub.is_nil() ? b : ub, generic);
}

template <ScalarOp op>
[[gnu::noinline]] bool binary_test_slow(const ScalarExpr& e, Machine& m, const Scope& s,
                                        const Value& a, Value* owned_a, const Value& b,
                                        Value* owned_b, const SourceLoc& at) {
  const Value ua = unboxed(a), ub = unboxed(b);
  if (!ua.is_nil() || !ub.is_nil()) {
    bool result;
    if (compute_truth<op>(ua.is_nil() ? a : ua, ub.is_nil() ? b : ub, result)) return result;
  }
  return truth(binary_kernel(e, m, s, a, owned_a, b, owned_b), at);
}

bool test_value(const ScalarExpr& e, Machine& m, const Scope& s, const SourceLoc& at) {
  return truth(eval(e, m, s), at);
}

// ---- the operations ---------------------------------------------------------------------------

template <ScalarOp op, Arg A, Arg B>
Value binary(const ScalarExpr& e, Machine& m, const Scope& s) {
  Operand<A> oa(*e.args[0], m, s);
  Operand<B> ob(*e.args[1], m, s);
  const Value& a = oa.v;
  const Value& b = ob.v;
  return compute<op>(a, b, [&] { return binary_slow<op>(e, m, s, a, oa.owned(), b, ob.owned()); });
}

// A comparison or logical operation as a condition: its truth without making a bool Value.
template <ScalarOp op, Arg A, Arg B>
bool binary_test(const ScalarExpr& e, Machine& m, const Scope& s, const SourceLoc& at) {
  Operand<A> oa(*e.args[0], m, s);
  Operand<B> ob(*e.args[1], m, s);
  const Value& a = oa.v;
  const Value& b = ob.v;
  bool result;
  if (compute_truth<op>(a, b, result)) return result;
  return binary_test_slow<op>(e, m, s, a, oa.owned(), b, ob.owned(), at);
}

// Three or more operands (Phylanx's n-ary __add ...): all evaluated, then the kernel folds them.
Value nary(const ScalarExpr& e, Machine& m, const Scope& s) {
  std::vector<Value> values;
  values.reserve(e.args.size());
  for (const ScalarExpr* a : e.args) values.push_back(boxed(eval(*a, m, s)));
  return kernel(e, m, s, values.data(), values.size());
}

template <ScalarOp op>
Value unary(const ScalarExpr& e, Machine& m, const Scope& s) {
  Value a = eval(*e.args[0], m, s);
  if (a.is_array()) [[unlikely]]
    if (Value u = unboxed(a); !u.is_nil()) a = std::move(u);
  if constexpr (op == ScalarOp::logical_not) {
    if (a.is_number() && !a.is_strong()) return Value(!number_truth(a));  // NumPy's bool: kernel
  } else {
    if (a.is_int())
      return number(wrap(0 - static_cast<std::uint64_t>(a.int_value())), a.is_strong());
    if (a.is_float()) return number(-a.float_value(), a.is_strong());
  }
  a = boxed(std::move(a));
  return kernel(e, m, s, &a, 1);
}

bool not_test(const ScalarExpr& e, Machine& m, const Scope& s, const SourceLoc& at) {
  Value a = eval(*e.args[0], m, s);
  if (a.is_array()) [[unlikely]]
    if (Value u = unboxed(a); !u.is_nil()) a = std::move(u);
  if (a.is_number()) return !number_truth(a);
  return truth(kernel(e, m, s, &a, 1), at);
}

// ---- subscripts and element stores ------------------------------------------------------------

// The N operands of a subscript or a store, each read where it is when it is a local variable or
// a constant and `in_place` (no operand after the first writes a variable), else evaluated, in
// order, into a temporary of its own.
template <std::size_t N>
class OperandPack {
 public:
  OperandPack(const ScalarExpr& e, Machine& m, const Scope& s, bool in_place) {
    for (std::size_t i = 0; i < N; ++i) {
      const ScalarExpr& a = *e.args[i];
      if (in_place && a.op == ScalarOp::variable && a.slot.depth == 0) {
        v_[i] = &s.locals[a.slot.index];
        if (v_[i]->is_unbound()) [[unlikely]]
          unbound(a);
      } else if (in_place && a.op == ScalarOp::constant) {
        v_[i] = &a.value;
      } else {
        v_[i] = new (temporary(i)) Value(eval(a, m, s));
        made_ |= 1U << i;
      }
    }
  }
  ~OperandPack() {
    for (std::size_t i = 0; i < N; ++i)
      if (made_ & (1U << i)) temporary(i)->~Value();
  }
  OperandPack(const OperandPack&) = delete;
  OperandPack& operator=(const OperandPack&) = delete;

  const Value& operator[](std::size_t i) const { return *v_[i]; }
  // Operand i as PrimitiveNode passes it to a kernel (a temporary moved; kernel_operand).
  Value take(std::size_t i) {
    return kernel_operand(*v_[i], made_ & (1U << i) ? temporary(i) : nullptr);
  }

 private:
  Value* temporary(std::size_t i) { return std::launder(reinterpret_cast<Value*>(storage_)) + i; }
  const Value* v_[N];
  unsigned made_ = 0;  // the temporaries made (bit i: operand i's)
  alignas(Value) unsigned char storage_[N * sizeof(Value)];
};

// An index made non-negative (counted from the end when negative); false when out of range (the
// kernel's IndexError).
bool index_in(std::int64_t size, std::int64_t& i) {
  if (i < 0) i += size;
  return i >= 0 && i < size;
}

// The float64 (else int64) element at p as a strong number.
Value strong_at(const char* p, bool f64) {
  if (f64) {
    double v;
    std::memcpy(&v, p, sizeof v);
    return Value::strong(v);
  }
  std::int64_t v;
  std::memcpy(&v, p, sizeof v);
  return Value::strong(v);
}

// The byte offset of x[i0, i1, ...] for in-range int indices (negative ones from the end), one
// per axis from `first` on, nil keeping its axis; false when an index is anything else or out of
// range (the kernel's case). `kept`: how many nils.
template <std::size_t N>
bool element_offset(const Array& a, const OperandPack<N>& ops, std::size_t first,
                    std::int64_t& offset, int& kept) {
  offset = 0;
  kept = 0;
  for (std::size_t k = first; k < N; ++k) {
    const Value& index = ops[k];
    if (index.is_nil()) {
      ++kept;
      continue;
    }
    std::int64_t i = index.is_int() ? index.int_value() : 0;
    if (!index.is_int() || !index_in(a.shape()[k - first], i)) return false;
    offset += i * a.strides()[k - first];
  }
  return true;
}

// numpy's x[i, j, ...] with N - 1 indices. An element of an array (as many int indices as it has
// axes, each in range) is read directly: of a float64 or int64 array, as a strong number where
// its value is wanted as a number (ScalarExpr::unboxed) or inside a loop (r = a[i] in a loop:
// boxed once, when the code ends, not made as an array each time); elsewhere as the 0-d view of
// it the kernel makes. In-range ints and nils (numpy's `:`, m[:, j]) make the view of the axes
// left directly too. Not for the narrow dtypes, which the kernel keeps apart; anything else
// (slices, index arrays, an error) is the kernel's.
template <std::size_t N, bool in_place>
Value subscript(const ScalarExpr& e, Machine& m, const Scope& s) {
  OperandPack<N> ops(e, m, s, in_place);
  const Value& x = ops[0];
  if (x.is_array()) {
    const Array& a = x.array_value();
    std::int64_t offset;
    int kept;
    if (static_cast<std::size_t>(a.ndim()) + 1 >= N && !is_narrow(a.dtype()) &&
        element_offset(a, ops, 1, offset, kept)) {
      if (kept == 0 && static_cast<std::size_t>(a.ndim()) + 1 == N) {
        const bool f64 = a.dtype() == DType::float64;
        if ((e.unboxed || m.loops > 0) && (f64 || a.dtype() == DType::int64))
          return strong_at(a.bytes() + offset, f64);
        return Value(a.view(offset, {}, {}));
      }
      Shape shape;
      Strides strides;
      for (std::size_t axis = 0; axis < static_cast<std::size_t>(a.ndim()); ++axis) {
        if (axis + 1 < N && !ops[axis + 1].is_nil()) continue;
        shape.push_back(a.shape()[axis]);
        strides.push_back(a.strides()[axis]);
      }
      return Value(a.view(offset, std::move(shape), std::move(strides)));
    }
  }
  std::array<Value, N> values;
  for (std::size_t i = 0; i < N; ++i) values[i] = ops.take(i);
  return run_kernel(*e.prim, values, m.ctx, e.loc);
}

// Where `index` is (a local variable or a constant, as pick_indexed checked); unbound is
// reported as the read of that variable.
const Value& local_or_constant(const ScalarExpr& index, const Scope& s) {
  if (index.op == ScalarOp::constant) return index.value;
  const Value& v = s.locals[index.slot.index];
  if (v.is_unbound()) [[unlikely]]
    unbound(index);
  return v;
}

// The element i of a 1-d float64 or int64 array as a strong number, where i is an in-range int;
// unbound otherwise. (A Value returned, not assigned: see compute.)
[[gnu::always_inline]] inline Value vector_element(const Value& x, const Value& i) {
  if (x.is_array() && i.is_int()) {
    const Array& a = x.array_value();
    const DType d = a.dtype();
    std::int64_t k = i.int_value();
    if (a.ndim() == 1 && (d == DType::float64 || d == DType::int64) && index_in(a.shape()[0], k)) {
      const char* p = a.bytes() + k * a.strides()[0];
      return strong_at(p, d == DType::float64);
    }
  }
  return Value::unbound();
}

// a[i] of a local variable by a local variable or a constant where a number is wanted (a loop's
// a[i]): a vector's element read at once; anything else as subscript<2, true>.
Value subscript_local(const ScalarExpr& e, Machine& m, const Scope& s) {
  const Value& x = s.locals[e.args[0]->slot.index];
  Value out = (e.unboxed || m.loops > 0) && x.is_array()
                  ? vector_element(x, local_or_constant(*e.args[1], s))
                  : Value::unbound();
  if (out.is_unbound()) [[unlikely]]
    out = subscript<2, true>(e, m, s);
  return out;
}

// More indices than the quick forms take: the kernel's.
Value subscript_any(const ScalarExpr& e, Machine& m, const Scope& s) {
  std::vector<Value> values;
  values.reserve(e.args.size());
  for (const ScalarExpr* a : e.args) values.push_back(kernel_operand(eval(*a, m, s), nullptr));
  return run_kernel(*e.prim, values, m.ctx, e.loc);
}

// x[i, ...] = v as StoreIndexedNode runs it: the target taken out of its variable (so that its
// buffer may be its only holder), the writer's kernel on (target, value, indices...), its result
// the variable's value; the target put back if the kernel fails.
[[gnu::noinline]] Value store_kernel(const ScalarExpr& e, Machine& m, Value& target,
                                     std::vector<Value> operands) {
  with_location(e.loc, [&] {
    LARIX_CHECK(!target.is_unbound(), runtime, "variable '", e.name,
                "' is used before it is defined");
  });
  operands.insert(operands.begin(), std::move(target));
  target = Value::unbound();
  try {
    target = run_kernel(*e.prim, operands, m.ctx, e.loc);
  } catch (...) {
    if (!operands[0].is_unbound() && target.is_unbound()) target = std::move(operands[0]);
    throw;
  }
  return Value();
}

// x[i, j, ...] = v (store_indexed) with N - 1 indices. One element of a float64 or int64 array
// (as many in-range int indices as it has axes) set to a number that its dtype holds as it is (an
// int or a float into float64, an int into int64) is written in place, where no one else can see
// the write: the variable's value and buffer have no other holder (__store_subscript; a NumPy
// argument is borrowed, so its first write copies, in the kernel), or the array is one a
// parallel loop owns (__store_subscript_owned: the loop made it its own before it started).
// Anything else, an error included, is the writer's kernel's (Phylanx's __store_slice always).
enum class Writer : std::uint8_t { numpy, owned, other };

// Whether a store may write `target`'s array in place: no one else can see the write.
template <Writer writer>
bool in_place_store(const Value& target, const Array& a) {
  if constexpr (writer == Writer::owned) return !a.is_borrowed();
  return target.use_count() == 1 && a.uniquely_owned();
}

// Whether `a`'s dtype holds the number v as it is (an int or a float in float64, an int in
// int64).
bool holds_as_is(const Array& a, const Value& v) {
  return (a.dtype() == DType::float64 && (v.is_int() || v.is_float())) ||
         (a.dtype() == DType::int64 && v.is_int());
}

// The number v written at `offset` of `a` (which holds it as it is). No one else holds the memory
// (or the loop owns it): writing through the const view is the write the kernel would make.
void write_number(const Array& a, std::int64_t offset, const Value& v) {
  char* p = const_cast<char*>(a.bytes()) + offset;
  if (a.dtype() == DType::float64) {
    const double x = v.is_int() ? static_cast<double>(v.int_value()) : v.float_value();
    std::memcpy(p, &x, sizeof x);
  } else {
    const std::int64_t x = v.int_value();
    std::memcpy(p, &x, sizeof x);
  }
}

template <Writer writer, std::size_t N, bool in_place>
Value store_element(const ScalarExpr& e, Machine& m, const Scope& s) {
  OperandPack<N> ops(e, m, s, in_place);  // as the node: the value first, then the indices
  Value& target = s.slot(e.slot);
  if (writer != Writer::other && target.is_array()) {
    const Array& a = target.array_value();
    std::int64_t offset;
    int kept;
    if (holds_as_is(a, ops[0]) && in_place_store<writer>(target, a) &&
        static_cast<std::size_t>(a.ndim()) + 1 == N && element_offset(a, ops, 1, offset, kept) &&
        kept == 0) {
      write_number(a, offset, ops[0]);
      return Value();
    }
  }
  std::vector<Value> operands;
  operands.reserve(N + 1);
  for (std::size_t i = 0; i < N; ++i) operands.push_back(ops.take(i));
  return store_kernel(e, m, target, std::move(operands));
}

// a[i] = v with i a local variable or a constant (a loop's out[i] = ...): a vector's element
// written at once as store_element writes it; anything else through the writer's kernel.
template <Writer writer>
Value store_local(const ScalarExpr& e, Machine& m, const Scope& s) {
  Value v = eval(*e.args[0], m, s);  // as the node: the value first, then the index
  const Value& i = local_or_constant(*e.args[1], s);
  Value& target = s.slot(e.slot);
  if (target.is_array() && i.is_int()) {
    const Array& a = target.array_value();
    std::int64_t k = i.int_value();
    if (a.ndim() == 1 && holds_as_is(a, v) && in_place_store<writer>(target, a) &&
        index_in(a.shape()[0], k)) {
      write_number(a, k * a.strides()[0], v);
      return Value();
    }
  }
  std::vector<Value> operands;
  operands.reserve(3);
  operands.push_back(kernel_operand(v, &v));
  operands.push_back(kernel_operand(i, nullptr));
  return store_kernel(e, m, target, std::move(operands));
}

// More indices than the quick forms take: the writer's kernel.
Value store_any(const ScalarExpr& e, Machine& m, const Scope& s) {
  std::vector<Value> operands;
  operands.reserve(e.args.size() + 1);
  for (const ScalarExpr* a : e.args) operands.push_back(kernel_operand(eval(*a, m, s), nullptr));
  return store_kernel(e, m, s.slot(e.slot), std::move(operands));
}

Value constant(const ScalarExpr& e, Machine&, const Scope&) { return e.value; }

Value local_variable(const ScalarExpr& e, Machine&, const Scope& s) {
  const Value& v = s.locals[e.slot.index];
  if (v.is_unbound()) [[unlikely]]
    unbound(e);
  return v.is_function() ? VariableNode::readable(v) : v;
}

Value outer_variable(const ScalarExpr& e, Machine&, const Scope& s) {
  const Value& v = s.slot(e.slot);
  if (v.is_unbound()) [[unlikely]]
    unbound(e);
  return v.is_function() ? VariableNode::readable(v) : v;
}

// define/store: the value is evaluated, then written (a closure of the target frame itself kept
// as AssignNode keeps it); define's value is the value, store's nil.
template <bool is_define, bool outer>
Value assign(const ScalarExpr& e, Machine& m, const Scope& s) {
  Value v = eval(*e.args[0], m, s);
  // A frame around this one: boxed now (its own frame's slots are boxed when the code ends; a
  // scalar call's slots die with it).
  if constexpr (outer) v = boxed(std::move(v));
  Value& slot = outer ? s.slot(e.slot) : s.locals[e.slot.index];
  if (v.is_function()) [[unlikely]]
    slot = AssignNode::storable(v, s.frame_of(e.slot));
  else if constexpr (is_define) slot = v;
  else slot = std::move(v);
  if constexpr (is_define) return v;
  else return Value();
}

Value block(const ScalarExpr& e, Machine& m, const Scope& s) {
  const std::size_t n = e.args.size();
  if (n == 0) return Value();
  for (std::size_t i = 0; i + 1 < n; ++i) eval(*e.args[i], m, s);
  return eval(*e.args[n - 1], m, s);
}

Value if_(const ScalarExpr& e, Machine& m, const Scope& s) {
  const ScalarExpr& cond = *e.args[0];
  if (cond.test(cond, m, s, e.loc)) return eval(*e.args[1], m, s);
  return e.args.size() > 2 ? eval(*e.args[2], m, s) : Value();
}

Value while_(const ScalarExpr& e, Machine& m, const Scope& s) {
  const ScalarExpr& cond = *e.args[0];
  const ScalarExpr& body = *e.args[1];
  const InLoop looping(m);
  while (cond.test(cond, m, s, e.loc)) {
    m.ctx.check_cancelled();  // an interrupt or another task's failure stops the loop
    body.eval(body, m, s);
  }
  return Value();
}

Value for_(const ScalarExpr& e, Machine& m, const Scope& s) {  // for(init, cond, reinit, body)
  const ScalarExpr& cond = *e.args[1];
  const ScalarExpr& reinit = *e.args[2];
  const ScalarExpr& body = *e.args[3];
  eval(*e.args[0], m, s);
  const InLoop looping(m);
  while (cond.test(cond, m, s, e.loc)) {
    m.ctx.check_cancelled();
    body.eval(body, m, s);
    reinit.eval(reinit, m, s);
  }
  return Value();
}

// The slots of a scalar call's own frame (or a fused chain's): on the stack when few (no
// allocation per call). fill() makes the first ones from the arguments' values in place and the
// others unbound, as a new Frame's.
class CallSlots {
 public:
  explicit CallSlots(std::size_t n) : n_(n) {
    if (n_ > kInline) heap_.reset(new Value[n_]);
  }
  ~CallSlots() {
    if (!heap_)
      for (std::size_t i = 0; i < alive_; ++i) inline_slot(i)->~Value();
  }
  CallSlots(const CallSlots&) = delete;
  CallSlots& operator=(const CallSlots&) = delete;
  // Slots 0 .. set - 1 from make(i), in order (an error leaves the ones made so far to the
  // destructor), the rest unbound.
  template <class Make>
  void fill(std::size_t set, Make&& make) {
    if (heap_) {
      for (std::size_t i = 0; i < n_; ++i) heap_[i] = i < set ? make(i) : Value::unbound();
      return;
    }
    for (; alive_ < set; ++alive_) new (inline_slot(alive_)) Value(make(alive_));
    for (; alive_ < n_; ++alive_) new (inline_slot(alive_)) Value(Value::unbound());
  }
  Value* data() { return heap_ ? heap_.get() : inline_slot(0); }

 private:
  static constexpr std::size_t kInline = 8;
  Value* inline_slot(std::size_t i) { return std::launder(reinterpret_cast<Value*>(storage_)) + i; }
  std::size_t n_;
  std::size_t alive_ = 0;                                          // inline slots made
  alignas(Value) unsigned char storage_[kInline * sizeof(Value)];  // the first alive_ are alive
  std::unique_ptr<Value[]> heap_;                                  // more than kInline
};

// Keeps the thread's PhySL call depth right however a call is left.
class CallDepth {
 public:
  explicit CallDepth(int& depth) : depth_(depth) { ++depth_; }
  ~CallDepth() { --depth_; }
  CallDepth(const CallDepth&) = delete;
  CallDepth& operator=(const CallDepth&) = delete;

 private:
  int& depth_;
};

// A call of a known function whose body is scalar code, as CallNode and invoke_closure make it:
// the callee is read, the arguments evaluated in order, the call depth checked, the body run in
// a frame of its own below the frame the function was defined in; an error passing out of the
// body gets the call's PhySL stack entry.
Value call(const ScalarExpr& e, Machine& m, const Scope& s) {
  // The variable is bound once (by the define): the arguments cannot change it.
  const Value& callee_value = s.slot(e.slot);
  if (callee_value.is_unbound()) [[unlikely]]
    user_error_at(ErrorKind::runtime, e.callee_loc, "variable '", e.name,
                  "' is used before it is defined");
  CallSlots slots(static_cast<std::size_t>(e.slots));
  const std::size_t nargs = e.args.size();
  slots.fill(nargs, [&](std::size_t i) { return eval(*e.args[i], m, s); });
  Value* locals = slots.data();
  const Function* fn = callee_value.function_ptr();
  const Function::ClosureParts callee = fn ? fn->closure_parts() : Function::ClosureParts{};
  LARIX_ASSERT(callee.code && callee.code->scalar && callee.frame &&
                   callee.code->params.size() == nargs && callee.code->slots == e.slots,
               "scalar code calls '", e.name, "', which is not the known function it expects");
  const FunctionCode& code = *callee.code;
  CallDepth depth(m.call_depth);
  if (m.call_depth > m.max_call_depth) recursion_too_deep(code, m.ctx, e.loc);
  m.ctx.check_cancelled();
  with_location(e.loc, check_stack);
  const ScalarCode& body = *code.scalar;
  const Scope inner{locals, callee.frame, nullptr, &body};
  try {
    return eval(body.root(), m, inner);
  } catch (Error& error) {
    add_stack_entry(error, code.name, e.loc);
    throw;
  }
}

// __fused(lambda(params, chain), leaves...): the leaves evaluated, then the chain on them as
// written (its operations at their own locations), as the fused node runs a chain of Python
// numbers; an array among them takes each operation's kernel (the fused node's values) and makes
// the ScalarNode run its generic subtree, the fused node, from then on.
Value fused(const ScalarExpr& e, Machine& m, const Scope& s) {
  CallSlots slots(static_cast<std::size_t>(e.slots));
  slots.fill(e.args.size() - 1, [&](std::size_t i) { return eval(*e.args[i + 1], m, s); });
  const Scope chain{slots.data(), nullptr, nullptr, s.code};
  return eval(*e.args[0], m, chain);
}

// ---- picking the handlers ---------------------------------------------------------------------

template <ScalarOp op>
void pick_binary(ScalarExpr& e) {
  const Arg b = arg_kind(*e.args[1]);
  const Arg a = e.args[1]->writes ? Arg::any : arg_kind(*e.args[0]);
  static constexpr ScalarExpr::Eval evals[3][3] = {
      {binary<op, Arg::local, Arg::local>, binary<op, Arg::local, Arg::constant>,
       binary<op, Arg::local, Arg::any>},
      {binary<op, Arg::constant, Arg::local>, binary<op, Arg::constant, Arg::constant>,
       binary<op, Arg::constant, Arg::any>},
      {binary<op, Arg::any, Arg::local>, binary<op, Arg::any, Arg::constant>,
       binary<op, Arg::any, Arg::any>}};
  e.eval = evals[static_cast<int>(a)][static_cast<int>(b)];
  if constexpr (is_comparison(op) || is_logic(op)) {
    static constexpr ScalarExpr::Test tests[3][3] = {
        {binary_test<op, Arg::local, Arg::local>, binary_test<op, Arg::local, Arg::constant>,
         binary_test<op, Arg::local, Arg::any>},
        {binary_test<op, Arg::constant, Arg::local>, binary_test<op, Arg::constant, Arg::constant>,
         binary_test<op, Arg::constant, Arg::any>},
        {binary_test<op, Arg::any, Arg::local>, binary_test<op, Arg::any, Arg::constant>,
         binary_test<op, Arg::any, Arg::any>}};
    e.test = tests[static_cast<int>(a)][static_cast<int>(b)];
  }
}

// subscript and store_element: the form for its number of operands, reading them in place when
// no operand after the first writes a variable.
// A store's writer: numpy's, the one a parallel loop gives the arrays it owns, or another.
Writer writer_of(const ScalarExpr& e) {
  const std::string& name = e.prim->name;
  return name == "__store_subscript"         ? Writer::numpy
         : name == "__store_subscript_owned" ? Writer::owned
                                             : Writer::other;
}

template <std::size_t N>
ScalarExpr::Eval indexed_form(const ScalarExpr& e, bool in_place) {
  if (e.op == ScalarOp::subscript) return in_place ? subscript<N, true> : subscript<N, false>;
  const Writer w = writer_of(e);
  static constexpr ScalarExpr::Eval forms[3][2] = {
      {store_element<Writer::numpy, N, false>, store_element<Writer::numpy, N, true>},
      {store_element<Writer::owned, N, false>, store_element<Writer::owned, N, true>},
      {store_element<Writer::other, N, false>, store_element<Writer::other, N, true>}};
  return forms[static_cast<int>(w)][in_place ? 1 : 0];
}

void pick_indexed(ScalarExpr& e) {
  bool in_place = true;
  for (std::size_t i = 1; i < e.args.size(); ++i) in_place = in_place && !e.args[i]->writes;
  const auto local = [](const ScalarExpr& a) {
    return a.op == ScalarOp::variable && a.slot.depth == 0;
  };
  if (e.args.size() == 2 && in_place &&
      (local(*e.args[1]) || e.args[1]->op == ScalarOp::constant)) {
    if (e.op == ScalarOp::subscript && local(*e.args[0])) {
      e.eval = subscript_local;
      return;
    }
    if (e.op == ScalarOp::store_element && writer_of(e) == Writer::numpy) {
      e.eval = store_local<Writer::numpy>;
      return;
    }
    if (e.op == ScalarOp::store_element && writer_of(e) == Writer::owned) {
      e.eval = store_local<Writer::owned>;
      return;
    }
  }
  switch (e.args.size()) {
    case 2: e.eval = indexed_form<2>(e, in_place); return;
    case 3: e.eval = indexed_form<3>(e, in_place); return;
    case 4: e.eval = indexed_form<4>(e, in_place); return;
    case 5: e.eval = indexed_form<5>(e, in_place); return;
    default: e.eval = e.op == ScalarOp::subscript ? subscript_any : store_any;
  }
}

void pick(ScalarExpr& e) {
  e.test = test_value;
  switch (e.op) {
    case ScalarOp::constant: e.eval = constant; return;
    case ScalarOp::variable: e.eval = e.slot.depth == 0 ? local_variable : outer_variable; return;
    case ScalarOp::assign:
      e.eval = e.slot.depth > 0 ? (e.is_define ? assign<true, true> : assign<false, true>)
                                : (e.is_define ? assign<true, false> : assign<false, false>);
      return;
    case ScalarOp::block: e.eval = block; return;
    case ScalarOp::if_: e.eval = if_; return;
    case ScalarOp::while_: e.eval = while_; return;
    case ScalarOp::for_: e.eval = for_; return;
    case ScalarOp::call: e.eval = call; return;
    case ScalarOp::fused: e.eval = fused; return;
    case ScalarOp::subscript:
    case ScalarOp::store_element: pick_indexed(e); return;
    case ScalarOp::negative: e.eval = unary<ScalarOp::negative>; return;
    case ScalarOp::logical_not:
      e.eval = unary<ScalarOp::logical_not>;
      e.test = not_test;
      return;
    default: break;
  }
  if (e.args.size() != 2) {
    e.eval = nary;
    return;
  }
  switch (e.op) {
    case ScalarOp::add: return pick_binary<ScalarOp::add>(e);
    case ScalarOp::subtract: return pick_binary<ScalarOp::subtract>(e);
    case ScalarOp::multiply: return pick_binary<ScalarOp::multiply>(e);
    case ScalarOp::divide: return pick_binary<ScalarOp::divide>(e);
    case ScalarOp::floor_divide: return pick_binary<ScalarOp::floor_divide>(e);
    case ScalarOp::mod: return pick_binary<ScalarOp::mod>(e);
    case ScalarOp::power: return pick_binary<ScalarOp::power>(e);
    case ScalarOp::equal: return pick_binary<ScalarOp::equal>(e);
    case ScalarOp::not_equal: return pick_binary<ScalarOp::not_equal>(e);
    case ScalarOp::less: return pick_binary<ScalarOp::less>(e);
    case ScalarOp::less_equal: return pick_binary<ScalarOp::less_equal>(e);
    case ScalarOp::greater: return pick_binary<ScalarOp::greater>(e);
    case ScalarOp::greater_equal: return pick_binary<ScalarOp::greater_equal>(e);
    case ScalarOp::logical_and: return pick_binary<ScalarOp::logical_and>(e);
    case ScalarOp::logical_or: return pick_binary<ScalarOp::logical_or>(e);
    case ScalarOp::logical_xor: return pick_binary<ScalarOp::logical_xor>(e);
    default: LARIX_ASSERT(false, "no handler for a scalar operation");
  }
}

}  // namespace

const ScalarExpr& ScalarCode::add(ScalarExpr e) {
  pick(e);
  if (e.op == ScalarOp::assign && e.slot.depth == 0 &&
      std::find(assigned_.begin(), assigned_.end(), e.slot.index) == assigned_.end())
    assigned_.push_back(e.slot.index);
  return exprs_.emplace_back(std::move(e));
}

namespace {
// Boxes the strong numbers scalar code left in its frame's variables, however it ends: the
// generic code reading them next sees the 0-d arrays they stand for.
class BoxOnExit {
 public:
  BoxOnExit(Value* slots, const std::vector<int>& assigned) : slots_(slots), assigned_(assigned) {}
  ~BoxOnExit() {
    for (const int i : assigned_) {
      Value& v = slots_[i];
      if (!v.is_strong()) continue;
      try {
        v = boxed(std::move(v));
      } catch (...) {  // no memory for the box while an error unwinds: no value rather than a
        v = Value();   // Python number in its place
      }
    }
  }
  BoxOnExit(const BoxOnExit&) = delete;
  BoxOnExit& operator=(const BoxOnExit&) = delete;

 private:
  Value* slots_;
  const std::vector<int>& assigned_;
};
}  // namespace

Value ScalarCode::run(Frame& frame) const {
  Machine machine(frame.ctx());
  const Scope scope{frame.slots().data(), frame.parent(), &frame, this};
  if (assigned_.empty()) return boxed(eval(*root_, machine, scope));
  const BoxOnExit box(scope.locals, assigned_);
  return boxed(eval(*root_, machine, scope));
}

std::int64_t ScalarCode::run_counted(Frame& frame, int index, std::int64_t start, std::int64_t step,
                                     std::int64_t n) const {
  Machine machine(frame.ctx());
  const Scope scope{frame.slots().data(), frame.parent(), &frame, this};
  const BoxOnExit box(scope.locals, assigned_);
  const InLoop looping(machine);
  for (std::int64_t k = 0; k < n; ++k) {
    if (prefers_generic()) return k;
    machine.ctx.check_cancelled();  // as run_loop, before each iteration
    scope.locals[index] = Value(start + k * step);
    eval(*root_, machine, scope);  // its value is not used: no box made
  }
  return n;
}

std::int64_t ScalarNode::run_counted(Frame& frame, int index, std::int64_t start, std::int64_t step,
                                     std::int64_t n) const {
  if (frame.ctx().profiler() || code_->prefers_generic()) return 0;
  return code_->run_counted(frame, index, start, step, n);
}

Future ScalarNode::eval_impl(Frame& frame) const {
  if (frame.ctx().profiler() || code_->prefers_generic()) return generic_->eval(frame);
  return code_->run(frame);
}

}  // namespace larix
