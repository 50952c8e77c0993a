// Arithmetic: + - * / // % ** and unary -. Two Python scalars follow Python (int + int is an int,
// int / int a float, True + True is 2, division by zero raises; int64 overflow wraps); as soon as
// an array is involved NumPy's rules apply (broadcasting, NEP 50 promotion with Python scalars as
// weak operands); + and * also concatenate and repeat strings and lists, as in Python.
#include <cmath>
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/primitives/registry.hpp"

namespace larix {
namespace {

using kernels::BinaryOp;
using std::int64_t;

const char* symbol(BinaryOp op) {
  switch (op) {
    case BinaryOp::add: return "+";
    case BinaryOp::subtract: return "-";
    case BinaryOp::multiply: return "*";
    case BinaryOp::true_divide: return "/";
    case BinaryOp::floor_divide: return "//";
    case BinaryOp::mod: return "%";
    default: return "**";
  }
}

// ---- two Python scalars: Python's semantics, no Array allocated --------------------------------

template <BinaryOp op>
Value python_int(int64_t x, int64_t y) {
  // Through uint64: int64 overflow wraps (Python would grow the int; NumPy wraps).
  const auto ux = static_cast<std::uint64_t>(x), uy = static_cast<std::uint64_t>(y);
  if constexpr (op == BinaryOp::add) return Value(static_cast<int64_t>(ux + uy));
  else if constexpr (op == BinaryOp::subtract) return Value(static_cast<int64_t>(ux - uy));
  else if constexpr (op == BinaryOp::multiply) return Value(static_cast<int64_t>(ux * uy));
  else if constexpr (op == BinaryOp::true_divide) {
    LARIX_CHECK(y != 0, zero_division, "division by zero");
    return Value(static_cast<double>(x) / static_cast<double>(y));
  } else if constexpr (op == BinaryOp::floor_divide) {
    LARIX_CHECK(y != 0, zero_division, "integer division or modulo by zero");
    return Value(kernels::floor_divide_int(x, y));
  } else if constexpr (op == BinaryOp::mod) {
    LARIX_CHECK(y != 0, zero_division, "integer modulo by zero");
    return Value(kernels::mod_int(x, y));
  } else {
    static_assert(op == BinaryOp::power);
    if (y >= 0) return Value(kernels::power_int(x, y));
    LARIX_CHECK(x != 0, zero_division, "0.0 cannot be raised to a negative power");
    return Value(std::pow(static_cast<double>(x), static_cast<double>(y)));  // 2 ** -1 == 0.5
  }
}

template <BinaryOp op>
Value python_float(double x, double y) {
  if constexpr (op == BinaryOp::add) return Value(x + y);
  else if constexpr (op == BinaryOp::subtract) return Value(x - y);
  else if constexpr (op == BinaryOp::multiply) return Value(x * y);
  else if constexpr (op == BinaryOp::true_divide) {
    LARIX_CHECK(y != 0, zero_division, "float division by zero");
    return Value(x / y);
  } else if constexpr (op == BinaryOp::floor_divide) {
    LARIX_CHECK(y != 0, zero_division, "float floor division by zero");
    return Value(kernels::floor_divide_float(x, y));
  } else if constexpr (op == BinaryOp::mod) {
    LARIX_CHECK(y != 0, zero_division, "float modulo");
    return Value(kernels::mod_float(x, y));
  } else {
    static_assert(op == BinaryOp::power);
    LARIX_CHECK(x != 0 || y >= 0, zero_division, "0.0 cannot be raised to a negative power");
    return Value(std::pow(x, y));  // a negative base to a fractional power: nan (Python: complex)
  }
}

// ---- strings and lists (Python) ----------------------------------------------------------------

bool is_sequence(const Value& v) { return v.is_string() || v.is_list(); }

// Python's seq * n: empty for n <= 0 or an empty seq (at once, whatever n is); a result too
// long to exist is Python's OverflowError (strings) or MemoryError (lists), before any work.
Value repeat(const Value& seq, int64_t n) {
  if (seq.is_string()) {
    const std::string& s = seq.as_string();
    if (n <= 0 || s.empty()) return Value(std::string());
    const auto total = mul_overflows(static_cast<int64_t>(s.size()), n);
    LARIX_CHECK(total && static_cast<std::uint64_t>(*total) <= std::string().max_size(), overflow,
                "repeated string is too long");
    CompileTimeBudget::check(*total);
    std::string out;
    out.reserve(static_cast<std::size_t>(*total));
    for (int64_t i = 0; i < n; ++i) out += s;
    return Value(std::move(out));
  }
  const List& items = seq.as_list();
  if (n <= 0 || items.empty()) return Value(List());
  const auto total = mul_overflows(static_cast<int64_t>(items.size()), n);
  LARIX_CHECK(total && static_cast<std::uint64_t>(*total) <= List().max_size(), memory,
              "out of memory: a list of ", items.size(), " items repeated ", n, " times");
  CompileTimeBudget::check(*total);
  List out;
  out.reserve(static_cast<std::size_t>(*total));
  for (int64_t i = 0; i < n; ++i) out.insert(out.end(), items.begin(), items.end());
  return Value(std::move(out));
}

[[noreturn]] void unsupported(BinaryOp op, const Value& a, const Value& b) {
  user_error(ErrorKind::type, "unsupported operand type(s) for ", symbol(op), ": '", a.type_name(),
             "' and '", b.type_name(), "'");
}

// ---- the general case: NumPy ------------------------------------------------------------------

bool is_numeric(const Value& v) { return v.is_number() || v.is_array() || v.is_list(); }

// An operand of kernels::binary: an array Value's own array, a number's 0-d array over
// `scalar` (no allocation), a list's converted into `converted`.
const Array& operand(const Value& v, ScalarOperand& scalar, Array& converted, const char* what) {
  switch (v.kind()) {
    case ValueKind::array: return v.as_array_ref();
    case ValueKind::boolean: return scalar.set(v.as_bool());
    case ValueKind::integer: return scalar.set(v.as_int());
    case ValueKind::floating: return scalar.set(v.as_double());
    default: return converted = v.to_array(what);
  }
}

template <BinaryOp op>
Value numpy_binary(const Value& a, const Value& b) {
  if (!is_numeric(a) || !is_numeric(b)) unsupported(op, a, b);
  ScalarOperand scalars[2];
  Array lists[2];
  const Array& x = operand(a, scalars[0], lists[0], "left operand");
  const Array& y = operand(b, scalars[1], lists[1], "right operand");
  return Value(kernels::binary(
      op, x, y, kernels::promote_weak(x.dtype(), a.is_number(), y.dtype(), b.is_number())));
}

template <BinaryOp op>
Value apply(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) return python_int<op>(a.as_int(), b.as_int());  // the hot path
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) return python_float<op>(a.as_double(), b.as_double());
    return python_int<op>(a.as_int(), b.as_int());
  }
  if constexpr (op == BinaryOp::add) {
    if (a.is_string() && b.is_string()) return Value(a.as_string() + b.as_string());
    if (a.is_list() && b.is_list()) {
      List out = a.as_list();
      out.insert(out.end(), b.as_list().begin(), b.as_list().end());
      return Value(std::move(out));
    }
    if (a.is_string() || (a.is_list() && !b.is_array()))
      user_error(ErrorKind::type, "can only concatenate ", a.type_name(), " (not \"", b.type_name(),
                 "\") to ", a.type_name());
    if (b.is_string() || (b.is_list() && !a.is_array())) unsupported(op, a, b);
  }
  if constexpr (op == BinaryOp::multiply) {
    auto is_count = [](const Value& v) { return v.is_int() || v.is_bool(); };
    if (is_sequence(a) && is_count(b)) return repeat(a, b.as_int());
    if (is_count(a) && is_sequence(b)) return repeat(b, a.as_int());
    if (a.is_string() || b.is_string())
      user_error(ErrorKind::type, "can't multiply sequence by non-int of type '",
                 (a.is_string() ? b : a).type_name(), "'");
  }
  return numpy_binary<op>(a, b);
}

// Operand k of a two-operand call when it is an array that only this call holds (a temporary, as
// 2 * a in 2 * a + 1): the result may then be written into its buffer; -1 when neither is.
int temporary_operand(KernelArgs& args) {
  for (int k = 0; k < 2; ++k) {
    const Value& v = args[k];
    if (v.is_array() && v.use_count() == 1 && v.as_array_ref().uniquely_owned() &&
        is_numeric(args[1 - k]))
      return k;
  }
  return -1;
}

// a op b computed into the buffer of the temporary operand k (when shape and dtype allow).
template <BinaryOp op>
Value binary_into_temporary(KernelArgs& args, int k) {
  const bool weak[2] = {args[0].is_number(), args[1].is_number()};
  Array temporary = args[k].as_array_ref();
  args.all()[k] = Value();  // the Value lets go: `temporary` is the buffer's only holder
  ScalarOperand scalar;
  Array list;
  const Array& other =
      operand(args[1 - k], scalar, list, k == 0 ? "right operand" : "left operand");
  const Array& x = k == 0 ? temporary : other;
  const Array& y = k == 0 ? other : temporary;
  return Value(kernels::binary(
      op, x, y, kernels::promote_weak(x.dtype(), weak[0], y.dtype(), weak[1]), &temporary));
}

// Phylanx's operators take two or more operands: a + b + c is __add(a, b, c) (a left fold).
template <BinaryOp op>
Value arithmetic_kernel(KernelArgs& args) {
  if (args.size() == 2) {
    if (args[0].is_array() || args[1].is_array()) {
      const int k = temporary_operand(args);
      if (k >= 0) return binary_into_temporary<op>(args, k);
    }
    return apply<op>(args[0], args[1]);
  }
  Value acc = apply<op>(args[0], args[1]);
  for (std::size_t i = 2; i < args.size(); ++i) acc = apply<op>(acc, args[i]);
  return acc;
}

Value negative_kernel(KernelArgs& args) {
  const Value& x = args[0];
  if (x.is_int() || x.is_bool())
    return Value(static_cast<int64_t>(0 - static_cast<std::uint64_t>(x.as_int())));
  if (x.is_float()) return Value(-x.as_double());
  LARIX_CHECK(x.is_array() || x.is_list(), type, "bad operand type for unary -: '", x.type_name(),
              "'");
  return Value(kernels::unary(kernels::UnaryOp::negative, x.to_array()));
}

// ---- shape/dtype rules: the same promotion helpers as the kernels -----------------------------

bool is_sequence_kind(ValueKind k) { return k == ValueKind::string || k == ValueKind::list; }
bool is_scalar_kind(ValueKind k) {
  return k == ValueKind::boolean || k == ValueKind::integer || k == ValueKind::floating;
}
DType scalar_dtype(ValueKind k) {
  return k == ValueKind::boolean   ? DType::bool_
         : k == ValueKind::integer ? DType::int64
                                   : DType::float64;
}

TypeInfo binary_type(BinaryOp op, const TypeInfo& a, const TypeInfo& b) {
  const bool sa = is_scalar_kind(a.kind), sb = is_scalar_kind(b.kind);
  if (sa && sb) {  // Python: bool arithmetic gives ints; / gives floats; int ** negative a float
    const bool floating = a.kind == ValueKind::floating || b.kind == ValueKind::floating ||
                          op == BinaryOp::true_divide;
    if (op == BinaryOp::power && !floating && !(b.value && b.value->as_int() >= 0))
      return {.kind = ValueKind::unbound};
    return {.kind = floating ? ValueKind::floating : ValueKind::integer};
  }
  if ((a.kind == ValueKind::array || sa) && (b.kind == ValueKind::array || sb))
    return {.kind = ValueKind::array,
            .dtype = kernels::binary_dtype(op, sa ? scalar_dtype(a.kind) : a.dtype, sa,
                                           sb ? scalar_dtype(b.kind) : b.dtype, sb),
            .shape = kernels::broadcast_shapes(a.shape, b.shape)};
  if (op == BinaryOp::add && a.kind == b.kind &&
      (a.kind == ValueKind::string || a.kind == ValueKind::list))
    return {.kind = a.kind};
  if (op == BinaryOp::multiply && (is_sequence_kind(a.kind) || is_sequence_kind(b.kind)) &&
      (sa || sb))
    return {.kind = sa ? b.kind : a.kind};
  return {.kind = ValueKind::unbound};  // lists of numbers: their dtype is known only at run time
}

TypeRule binary_rule(BinaryOp op) {
  return [op](const std::vector<TypeInfo>& t) {
    TypeInfo acc = binary_type(op, t[0], t[1]);
    for (std::size_t i = 2; i < t.size() && acc.kind != ValueKind::unbound; ++i)
      acc = binary_type(op, acc, t[i]);
    return acc;
  };
}

TypeInfo negative_type(const std::vector<TypeInfo>& t) {
  if (t[0].kind == ValueKind::array)
    return {.kind = ValueKind::array,
            .dtype = kernels::unary_result_dtype(kernels::UnaryOp::negative, t[0].dtype),
            .shape = t[0].shape};
  if (t[0].kind == ValueKind::boolean) return {.kind = ValueKind::integer};
  return {.kind = is_scalar_kind(t[0].kind) ? t[0].kind : ValueKind::unbound};
}

std::string binary_doc(const std::string& name, const char* op, const std::string& numpy,
                       const std::string& extra) {
  return name + "(x1, x2, ...)\n\nx1 " + op + " x2, element-wise with broadcasting, as " + numpy +
         ". More operands fold from the left (Phylanx's n-ary form). Two Python scalars follow "
         "Python (the result is a Python scalar); with an array the result is an array and a "
         "Python scalar takes the array's dtype when it is of the same kind or lower (NumPy 2's "
         "weak scalars). " +
         extra;
}

}  // namespace

void register_arithmetic(Registry& r) {
  const Signature two_or_more{{arg("x1"), arg("x2")}, true};
  const Signature two{{arg("x1"), arg("x2")}};
  r.add({.name = "__add",
         .aliases = {"add"},
         .signature = two_or_more,
         .doc = binary_doc("__add", "+", "numpy.add",
                           "Two strings or two lists concatenate, as in Python. An array of "
                           "bools: logical or."),
         .kernel = arithmetic_kernel<BinaryOp::add>,
         .type_rule = binary_rule(BinaryOp::add)});
  r.add({.name = "__sub",
         .aliases = {"subtract"},
         .signature = two_or_more,
         .doc = binary_doc("__sub", "-", "numpy.subtract",
                           "Bool arrays are a TypeError, as in NumPy (use logical_xor)."),
         .kernel = arithmetic_kernel<BinaryOp::subtract>,
         .type_rule = binary_rule(BinaryOp::subtract)});
  r.add({.name = "__mul",
         .aliases = {"multiply"},
         .signature = two_or_more,
         .doc = binary_doc("__mul", "*", "numpy.multiply",
                           "A string or list times an int repeats it, as in Python."),
         .kernel = arithmetic_kernel<BinaryOp::multiply>,
         .type_rule = binary_rule(BinaryOp::multiply)});
  r.add({.name = "__div",
         .aliases = {"divide", "true_divide"},
         .signature = two_or_more,
         .doc = binary_doc("__div", "/", "numpy.true_divide",
                           "True division: integers give float64. A Python scalar divided by zero "
                           "raises ZeroDivisionError; arrays give inf or nan, as in NumPy."),
         .kernel = arithmetic_kernel<BinaryOp::true_divide>,
         .type_rule = binary_rule(BinaryOp::true_divide)});
  r.add(
      {.name = "__floordiv",
       .aliases = {"floor_divide"},
       .signature = two,
       .doc = binary_doc("__floordiv", "//", "numpy.floor_divide",
                         "Rounds toward minus infinity (Python's rule). Integer arrays divided by "
                         "zero give 0 with NumPy's RuntimeWarning; two Python ints raise "
                         "ZeroDivisionError, as in Python."),
       .kernel = arithmetic_kernel<BinaryOp::floor_divide>,
       .type_rule = binary_rule(BinaryOp::floor_divide)});
  r.add({.name = "__mod",
         .aliases = {"mod", "remainder"},
         .signature = two,
         .doc = binary_doc("__mod", "%", "numpy.remainder",
                           "The result has the sign of the divisor (Python's rule). Integer arrays "
                           "modulo zero give 0 with NumPy's RuntimeWarning; two Python ints raise "
                           "ZeroDivisionError, as in Python."),
         .kernel = arithmetic_kernel<BinaryOp::mod>,
         .type_rule = binary_rule(BinaryOp::mod)});
  r.add({.name = "power",
         .aliases = {"pow"},
         .signature = two,
         .doc = binary_doc("power", "**", "numpy.power",
                           "Python ints to a negative int power give a float (2 ** -1 == 0.5); "
                           "integer arrays to a negative integer power are a ValueError, as in "
                           "NumPy. int64 results wrap on overflow."),
         .kernel = arithmetic_kernel<BinaryOp::power>,
         .type_rule = binary_rule(BinaryOp::power)});
  r.add({.name = "__minus",
         .aliases = {"negative"},
         .signature = {{arg("x")}},
         .doc = "__minus(x)\n\n-x, element-wise, as numpy.negative. A Python scalar gives a Python "
                "scalar (-True == -1); an array of bools is a TypeError, as in NumPy.",
         .kernel = negative_kernel,
         .type_rule = negative_type});
}

}  // namespace larix
