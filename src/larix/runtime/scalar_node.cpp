#include "larix/runtime/scalar_node.hpp"

#include <cmath>
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

// What one evaluation of scalar code shares: the call, and this thread's PhySL call depth.
class ScalarMachine {
 public:
  explicit ScalarMachine(CallContext& ctx)
      : ctx(ctx),
        call_depth(CallContext::call_depth()),
        max_call_depth(ctx.settings().max_call_depth) {}
  CallContext& ctx;
  int& call_depth;  // scalar code runs on one thread
  const int max_call_depth;
};

namespace {

using Scope = ScalarScope;
using Machine = ScalarMachine;

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

// Two Python numbers compared (ints exactly, an int against a float exactly): false when the
// kernel must decide (a bool operand, or not numbers at all).
template <ScalarOp op>
bool compare_numbers(const Value& a, const Value& b, bool& result) {
  if (a.is_int() && b.is_int()) result = compare<op>(a.int_value(), b.int_value());
  else if (a.is_float() && b.is_float()) result = compare<op>(a.float_value(), b.float_value());
  else if (is_scalar(a) && is_scalar(b)) result = compare<op>(exact(a), exact(b));
  else return false;
  return true;
}

// ---- operands ---------------------------------------------------------------------------------

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
// reused), a variable's value as read (a copy; a function made a full Closure), a constant's copy.
Value kernel_operand(const Value& v, Value* owned) {
  if (owned) return std::move(*owned);
  return v.is_function() ? VariableNode::readable(v) : v;
}

// The generic code: the primitive's kernel with these operands, at the primitive's location.
Value kernel(const ScalarExpr& e, Machine& m, const Scope& s, Value* values, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (!values[i].is_number()) s.code->prefer_generic();
  return run_kernel(*e.prim, std::span<Value>(values, n), m.ctx, e.loc);
}

[[gnu::noinline]] Value binary_kernel(const ScalarExpr& e, Machine& m, const Scope& s,
                                      const Value& a, Value* owned_a, const Value& b,
                                      Value* owned_b) {
  Value values[2] = {kernel_operand(a, owned_a), kernel_operand(b, owned_b)};
  return kernel(e, m, s, values, 2);
}

// if/while/for: a condition's truth (Python's; an array's error at the testing node, as IfNode's).
bool truth(const Value& c, const SourceLoc& at) {
  if (c.is_number()) return number_truth(c);
  return with_location(at, [&] { return c.truthy(); });
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
  if constexpr (is_logic(op)) {
    if (a.is_number() && b.is_number()) return Value(combine<op>(number_truth(a), number_truth(b)));
  } else if constexpr (is_comparison(op)) {
    bool result;
    if (compare_numbers<op>(a, b, result)) return Value(result);
  } else {
    if (a.is_int() && b.is_int()) {
      const std::int64_t x = a.int_value(), y = b.int_value();
      const auto ux = static_cast<std::uint64_t>(x), uy = static_cast<std::uint64_t>(y);
      if constexpr (op == ScalarOp::add) return Value(wrap(ux + uy));
      else if constexpr (op == ScalarOp::subtract) return Value(wrap(ux - uy));
      else if constexpr (op == ScalarOp::multiply) return Value(wrap(ux * uy));
      else if constexpr (op == ScalarOp::divide) {
        if (y != 0) return Value(static_cast<double>(x) / static_cast<double>(y));
      } else if constexpr (op == ScalarOp::floor_divide) {
        if (y != 0 && y != -1) {  // else the kernel: its error, INT64_MIN // -1
          const std::int64_t q = x / y;
          return Value((x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q);
        }
      } else if constexpr (op == ScalarOp::mod) {
        if (y != 0 && y != -1) {
          const std::int64_t r = x % y;
          return Value((r != 0 && ((r < 0) != (y < 0))) ? r + y : r);
        }
      } else if constexpr (op == ScalarOp::power) {
        if (y >= 0) {  // square and multiply, wrapping as the kernel's loop does
          std::uint64_t result = 1, base = ux;
          for (std::uint64_t n = uy; n; n >>= 1, base *= base)
            if (n & 1) result *= base;
          return Value(wrap(result));
        }
      }
    } else if (is_scalar(a) && is_scalar(b)) {
      const double x = to_double(a), y = to_double(b);
      if constexpr (op == ScalarOp::add) return Value(x + y);
      else if constexpr (op == ScalarOp::subtract) return Value(x - y);
      else if constexpr (op == ScalarOp::multiply) return Value(x * y);
      else if constexpr (op == ScalarOp::divide) {
        if (y != 0) return Value(x / y);
      } else if constexpr (op == ScalarOp::power) {
        if (x != 0 || y >= 0) return Value(std::pow(x, y));
      }
      // float // and %: the kernel (Python's divmod rules)
    }
  }
  return binary_kernel(e, m, s, a, oa.owned(), b, ob.owned());
}

// A comparison or logical operation as a condition: its truth without making a bool Value.
template <ScalarOp op, Arg A, Arg B>
bool binary_test(const ScalarExpr& e, Machine& m, const Scope& s, const SourceLoc& at) {
  Operand<A> oa(*e.args[0], m, s);
  Operand<B> ob(*e.args[1], m, s);
  const Value& a = oa.v;
  const Value& b = ob.v;
  if constexpr (is_logic(op)) {
    if (a.is_number() && b.is_number()) return combine<op>(number_truth(a), number_truth(b));
  } else {
    bool result;
    if (compare_numbers<op>(a, b, result)) return result;
  }
  return truth(binary_kernel(e, m, s, a, oa.owned(), b, ob.owned()), at);
}

// Three or more operands (Phylanx's n-ary __add ...): all evaluated, then the kernel folds them.
Value nary(const ScalarExpr& e, Machine& m, const Scope& s) {
  std::vector<Value> values;
  values.reserve(e.args.size());
  for (const ScalarExpr* a : e.args) values.push_back(eval(*a, m, s));
  return kernel(e, m, s, values.data(), values.size());
}

template <ScalarOp op>
Value unary(const ScalarExpr& e, Machine& m, const Scope& s) {
  Value a = eval(*e.args[0], m, s);
  if constexpr (op == ScalarOp::logical_not) {
    if (a.is_number()) return Value(!number_truth(a));
  } else {
    if (a.is_int()) return Value(wrap(0 - static_cast<std::uint64_t>(a.int_value())));
    if (a.is_float()) return Value(-a.float_value());
  }
  return kernel(e, m, s, &a, 1);
}

bool not_test(const ScalarExpr& e, Machine& m, const Scope& s, const SourceLoc& at) {
  Value a = eval(*e.args[0], m, s);
  if (a.is_number()) return !number_truth(a);
  return truth(kernel(e, m, s, &a, 1), at);
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
template <bool is_define>
Value assign(const ScalarExpr& e, Machine& m, const Scope& s) {
  Value v = eval(*e.args[0], m, s);
  Value& slot = s.slot(e.slot);
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
  while (cond.test(cond, m, s, e.loc)) {
    m.ctx.check_cancelled();
    body.eval(body, m, s);
    reinit.eval(reinit, m, s);
  }
  return Value();
}

// The slots of a scalar call's own frame: on the stack when few (no allocation per call); all
// unbound until set, as a new Frame's.
class CallSlots {
 public:
  explicit CallSlots(std::size_t n) : n_(n) {
    if (n_ > kInline) heap_.assign(n_, Value::unbound());
    else
      for (std::size_t i = 0; i < n_; ++i) new (inline_slot(i)) Value(Value::unbound());
  }
  ~CallSlots() {
    if (n_ <= kInline)
      for (std::size_t i = 0; i < n_; ++i) inline_slot(i)->~Value();
  }
  CallSlots(const CallSlots&) = delete;
  CallSlots& operator=(const CallSlots&) = delete;
  Value* data() { return n_ > kInline ? heap_.data() : inline_slot(0); }

 private:
  static constexpr std::size_t kInline = 8;
  Value* inline_slot(std::size_t i) { return std::launder(reinterpret_cast<Value*>(storage_)) + i; }
  std::size_t n_;
  alignas(Value) unsigned char storage_[kInline * sizeof(Value)];  // the first n_ are alive
  std::vector<Value> heap_;
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
  Value* locals = slots.data();
  for (std::size_t i = 0; i < nargs; ++i) locals[i] = eval(*e.args[i], m, s);
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
  Value* locals = slots.data();
  for (std::size_t i = 1; i < e.args.size(); ++i) locals[i - 1] = eval(*e.args[i], m, s);
  const Scope chain{locals, nullptr, nullptr, s.code};
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

void pick(ScalarExpr& e) {
  e.test = test_value;
  switch (e.op) {
    case ScalarOp::constant: e.eval = constant; return;
    case ScalarOp::variable: e.eval = e.slot.depth == 0 ? local_variable : outer_variable; return;
    case ScalarOp::assign: e.eval = e.is_define ? assign<true> : assign<false>; return;
    case ScalarOp::block: e.eval = block; return;
    case ScalarOp::if_: e.eval = if_; return;
    case ScalarOp::while_: e.eval = while_; return;
    case ScalarOp::for_: e.eval = for_; return;
    case ScalarOp::call: e.eval = call; return;
    case ScalarOp::fused: e.eval = fused; return;
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
  return exprs_.emplace_back(std::move(e));
}

Value ScalarCode::run(Frame& frame) const {
  Machine machine(frame.ctx());
  const Scope scope{frame.slots().data(), frame.parent(), &frame, this};
  return eval(*root_, machine, scope);
}

Future ScalarNode::eval_impl(Frame& frame) const {
  if (frame.ctx().profiler() || code_->prefers_generic()) return generic_->eval(frame);
  return code_->run(frame);
}

}  // namespace larix
