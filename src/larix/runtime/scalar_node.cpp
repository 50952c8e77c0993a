#include "larix/runtime/scalar_node.hpp"

#include <cmath>
#include <compare>
#include <new>
#include <span>

namespace larix {

namespace {

// The variables scalar code sees: its own frame's slots (depth 0) and the frames around it.
struct Scope {
  Value* locals;  // depth 0: the ScalarNode's frame's slots, or a scalar call's own slots
  Frame* outer;   // depth 1 (null at the top level)
  Frame* self;    // the Frame that owns `locals` (null for a scalar call's own slots)
  const ScalarCode* code;

  Value& slot(SlotRef s) const {
    return s.depth == 0 ? locals[s.index] : outer->slot(s.depth - 1, s.index);
  }
  const Frame* frame_of(SlotRef s) const { return s.depth == 0 ? self : &outer->outer(s.depth - 1); }
};

bool is_scalar(const Value& v) { return v.is_int() || v.is_float(); }
double to_double(const Value& v) {
  return v.is_int() ? static_cast<double>(v.int_value()) : v.float_value();
}
std::int64_t wrap(std::uint64_t v) { return static_cast<std::int64_t>(v); }

// Python's exact comparison of an int with a float (long double holds every int64 exactly).
long double exact(const Value& v) {
  return v.is_int() ? static_cast<long double>(v.int_value())
                    : static_cast<long double>(v.float_value());
}

template <class T>
bool compare(ScalarOp op, T a, T b) {
  switch (op) {
    case ScalarOp::equal: return a == b;
    case ScalarOp::not_equal: return a != b;  // nan != nan
    case ScalarOp::less: return a < b;
    case ScalarOp::less_equal: return a <= b;
    case ScalarOp::greater: return a > b;
    default: return a >= b;
  }
}

// Python's int arithmetic as arithmetic.cpp's kernels do it (int64 wraps); false when the kernel
// must decide (division by zero, INT64_MIN // -1, a negative power).
bool int_arithmetic(ScalarOp op, std::int64_t x, std::int64_t y, Value& out) {
  const auto ux = static_cast<std::uint64_t>(x), uy = static_cast<std::uint64_t>(y);
  switch (op) {
    case ScalarOp::add: out = Value(wrap(ux + uy)); return true;
    case ScalarOp::subtract: out = Value(wrap(ux - uy)); return true;
    case ScalarOp::multiply: out = Value(wrap(ux * uy)); return true;
    case ScalarOp::divide:
      if (y == 0) return false;
      out = Value(static_cast<double>(x) / static_cast<double>(y));
      return true;
    case ScalarOp::floor_divide: {
      if (y == 0 || y == -1) return false;
      const std::int64_t q = x / y;
      out = Value((x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q);
      return true;
    }
    case ScalarOp::mod: {
      if (y == 0 || y == -1) return false;
      const std::int64_t r = x % y;
      out = Value((r != 0 && ((r < 0) != (y < 0))) ? r + y : r);
      return true;
    }
    case ScalarOp::power: {
      if (y < 0) return false;
      std::uint64_t result = 1, base = ux;
      for (; y; y >>= 1, base *= base)
        if (y & 1) result *= base;
      out = Value(wrap(result));
      return true;
    }
    default: return false;
  }
}

// Python's float arithmetic (an int operand converted), as arithmetic.cpp's python_float.
bool float_arithmetic(ScalarOp op, double x, double y, Value& out) {
  switch (op) {
    case ScalarOp::add: out = Value(x + y); return true;
    case ScalarOp::subtract: out = Value(x - y); return true;
    case ScalarOp::multiply: out = Value(x * y); return true;
    case ScalarOp::divide:
      if (y == 0) return false;
      out = Value(x / y);
      return true;
    case ScalarOp::power:
      if (x == 0 && y < 0) return false;
      out = Value(std::pow(x, y));
      return true;
    default: return false;  // floor division and modulo of floats: the kernel
  }
}

bool is_comparison(ScalarOp op) { return op >= ScalarOp::equal && op <= ScalarOp::greater_equal; }
bool is_logic(ScalarOp op) { return op >= ScalarOp::logical_and && op <= ScalarOp::logical_xor; }

// A Python number's truth, for bool, int and float.
bool number_truth(const Value& v) {
  return v.is_bool() ? v.bool_value() : v.is_int() ? v.int_value() != 0 : v.float_value() != 0.0;
}

// The fast path of a two-operand primitive; false when the kernel must compute it.
bool binary_fast(ScalarOp op, const Value& a, const Value& b, Value& out) {
  if (is_logic(op)) {
    if (!a.is_number() || !b.is_number()) return false;
    const bool x = number_truth(a), y = number_truth(b);
    out = Value(op == ScalarOp::logical_and ? (x && y) : op == ScalarOp::logical_or ? (x || y)
                                                                                      : (x != y));
    return true;
  }
  if (a.is_int() && b.is_int()) {
    if (is_comparison(op)) {
      out = Value(compare(op, a.int_value(), b.int_value()));
      return true;
    }
    return int_arithmetic(op, a.int_value(), b.int_value(), out);
  }
  if (!is_scalar(a) || !is_scalar(b)) return false;
  if (is_comparison(op)) {
    out = Value(a.is_float() && b.is_float() ? compare(op, a.float_value(), b.float_value())
                                             : compare(op, exact(a), exact(b)));
    return true;
  }
  return float_arithmetic(op, to_double(a), to_double(b), out);
}

bool unary_fast(ScalarOp op, const Value& a, Value& out) {
  if (op == ScalarOp::logical_not) {
    if (!a.is_number()) return false;
    out = Value(!number_truth(a));
    return true;
  }
  if (a.is_int()) {
    out = Value(wrap(0 - static_cast<std::uint64_t>(a.int_value())));
    return true;
  }
  if (a.is_float()) {
    out = Value(-a.float_value());
    return true;
  }
  return false;
}

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

// The slots of a scalar call's own frame: on the stack when few (no allocation per call); all
// unbound until set, as a new Frame's.
class CallSlots {
 public:
  explicit CallSlots(std::size_t n) : n_(n) {
    if (n_ > kInline) heap_.assign(n_, Value::unbound());
    else
      for (std::size_t i = 0; i < n_; ++i) new (&inline_[i]) Value(Value::unbound());
  }
  ~CallSlots() {
    if (n_ <= kInline)
      for (std::size_t i = 0; i < n_; ++i) inline_[i].~Value();
  }
  CallSlots(const CallSlots&) = delete;
  CallSlots& operator=(const CallSlots&) = delete;
  Value* data() { return n_ > kInline ? heap_.data() : inline_; }
  void set(std::size_t i, Value v) { data()[i] = std::move(v); }

 private:
  static constexpr std::size_t kInline = 8;
  std::size_t n_;
  union {
    Value inline_[kInline];  // the first n_ are alive
  };
  std::vector<Value> heap_;
};

// An operand as the kernel gets it from PrimitiveNode: a temporary (`tmp`) by move, so its buffer
// may be reused; a variable's or a constant's value as a copy.
Value take(const Value& v, Value& tmp) {
  if (&v == &tmp) return std::move(tmp);
  return v;
}

class Evaluator {
 public:
  explicit Evaluator(CallContext& ctx)
      : ctx_(ctx),
        call_depth_(CallContext::call_depth()),
        max_call_depth_(ctx.settings().max_call_depth) {}

  Value eval(const ScalarExpr& e, const Scope& s) {
    switch (e.op) {
      case ScalarOp::constant: return e.value;
      case ScalarOp::variable: {
        const Value& v = read(e, s);
        return v.is_function() ? VariableNode::readable(v) : v;
      }
      case ScalarOp::assign: {
        Value v = eval(*e.args[0], s);
        Value& slot = s.slot(e.slot);
        if (v.is_function()) slot = AssignNode::storable(v, s.frame_of(e.slot));
        else if (!e.is_define) slot = std::move(v);
        else slot = v;
        return e.is_define ? v : Value();
      }
      case ScalarOp::block: {
        const std::size_t n = e.args.size();
        if (n == 0) return Value();
        for (std::size_t i = 0; i + 1 < n; ++i) eval(*e.args[i], s);
        return eval(*e.args[n - 1], s);
      }
      case ScalarOp::if_: {
        const bool taken = truth(eval(*e.args[0], s), e);
        if (taken) return eval(*e.args[1], s);
        return e.args.size() > 2 ? eval(*e.args[2], s) : Value();
      }
      case ScalarOp::while_:
        while (truth(eval(*e.args[0], s), e)) eval(*e.args[1], s);
        return Value();
      case ScalarOp::for_:  // for(init, cond, reinit, body)
        eval(*e.args[0], s);
        while (truth(eval(*e.args[1], s), e)) {
          eval(*e.args[3], s);
          eval(*e.args[2], s);
        }
        return Value();
      case ScalarOp::call: return call(e, s);
      case ScalarOp::negative:
      case ScalarOp::logical_not: {
        Value a = eval(*e.args[0], s);
        Value out;
        if (unary_fast(e.op, a, out)) return out;
        return kernel(e, s, &a, 1);
      }
      default: return e.args.size() == 2 ? binary(e, s) : nary(e, s);
    }
  }

 private:
  // The slot a variable names, as stored ("used before it is defined" as VariableNode says it).
  const Value& read(const ScalarExpr& e, const Scope& s) {
    const Value& v = s.slot(e.slot);
    if (v.is_unbound()) unbound(e.name, e.loc);
    return v;
  }
  [[noreturn]] static void unbound(const std::string& name, const SourceLoc& loc) {
    user_error_at(ErrorKind::runtime, loc, "variable '", name, "' is used before it is defined");
  }

  // if/while/for: the condition's truth (Python's; an array's error at the node, as IfNode's).
  static bool truth(const Value& c, const ScalarExpr& e) {
    if (c.is_number()) return number_truth(c);
    return with_location(e.loc, [&] { return c.truthy(); });
  }

  // An operand: a variable or constant is read in place (no copy) when `in_place`; anything else
  // is evaluated into `tmp`.
  const Value& operand(const ScalarExpr& e, const Scope& s, Value& tmp, bool in_place) {
    if (in_place) {
      if (e.op == ScalarOp::constant) return e.value;
      if (e.op == ScalarOp::variable) {
        const Value& v = read(e, s);
        if (!v.is_function()) return v;
      }
    }
    tmp = eval(e, s);
    return tmp;
  }

  Value binary(const ScalarExpr& e, const Scope& s) {
    Value ta, tb;
    // The left operand stays in its slot only if evaluating the right one cannot change it.
    const Value& a = operand(*e.args[0], s, ta, !e.args[1]->writes);
    const Value& b = operand(*e.args[1], s, tb, true);
    Value out;
    if (binary_fast(e.op, a, b, out)) return out;
    // The kernel gets the operands as PrimitiveNode passes them: a temporary by move (its buffer
    // may be reused), a variable's or constant's value as a copy.
    Value values[2] = {take(a, ta), take(b, tb)};
    return kernel(e, s, values, 2);
  }

  // Three or more operands (Phylanx's n-ary __add ...): the kernel folds them.
  Value nary(const ScalarExpr& e, const Scope& s) {
    std::vector<Value> values;
    values.reserve(e.args.size());
    for (const ScalarExpr* a : e.args) values.push_back(eval(*a, s));
    return kernel(e, s, values.data(), values.size());
  }

  // The generic code: the primitive's kernel, at the primitive's location.
  Value kernel(const ScalarExpr& e, const Scope& s, Value* values, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      if (!values[i].is_number()) s.code->prefer_generic();
    return run_kernel(*e.prim, std::span<Value>(values, n), ctx_, e.loc);
  }

  // A call of a known function whose body is scalar code, as CallNode and invoke_closure do it:
  // the callee is read, the arguments evaluated in order, the call depth checked, the body run in
  // a frame of its own below the frame the function was defined in; an error passing out of the
  // body gets the call's PhySL stack entry.
  Value call(const ScalarExpr& e, const Scope& s) {
    if (s.slot(e.slot).is_unbound()) unbound(e.name, e.callee_loc);
    CallSlots slots(static_cast<std::size_t>(e.slots));
    const std::size_t nargs = e.args.size();
    for (std::size_t i = 0; i < nargs; ++i) slots.set(i, eval(*e.args[i], s));
    const Function* fn = s.slot(e.slot).function_ptr();
    const Function::ClosureParts callee = fn ? fn->closure_parts() : Function::ClosureParts{};
    LARIX_ASSERT(callee.code && callee.code->scalar && callee.frame &&
                     callee.code->params.size() == nargs && callee.code->slots == e.slots,
                 "scalar code calls '", e.name, "', which is not the known function it expects");
    const FunctionCode& code = *callee.code;
    CallDepth depth(call_depth_);
    if (call_depth_ > max_call_depth_) recursion_too_deep(code, ctx_, e.loc);
    const Scope inner{slots.data(), callee.frame, nullptr, code.scalar.get()};
    try {
      return eval(code.scalar->root(), inner);
    } catch (Error& error) {
      add_stack_entry(error, code.name, e.loc);
      throw;
    }
  }

  CallContext& ctx_;
  int& call_depth_;  // this thread's (scalar code runs on one thread)
  int max_call_depth_;
};

}  // namespace

Value ScalarCode::run(Frame& frame) const {
  Evaluator evaluator(frame.ctx());
  const Scope scope{frame.slots().data(), frame.parent(), &frame, this};
  return evaluator.eval(*root_, scope);
}

Future ScalarNode::eval_impl(Frame& frame) const {
  if (frame.ctx().profiler() || code_->prefers_generic()) return generic_->eval(frame);
  return code_->run(frame);
}

}  // namespace larix
