// NumPy's bitwise_and/or/xor and invert: the Python operators & | ^ ~. They exist for bools and
// integers only: on bools they are logical (a mask combined with a mask, the common NumPy idiom
// `(x > 0) & (y < 1)`), on integers bitwise; floats are a TypeError, as in NumPy and Python.
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/primitives/registry.hpp"

namespace larix {
namespace {

using kernels::BinaryOp;
using std::int64_t;

const char* symbol(BinaryOp op) {
  switch (op) {
    case BinaryOp::bitwise_and: return "&";
    case BinaryOp::bitwise_or: return "|";
    case BinaryOp::left_shift: return "<<";
    case BinaryOp::right_shift: return ">>";
    default: return "^";
  }
}

// Two Python ints: Python's result, or Larix's OverflowError where it leaves int64.
template <BinaryOp op>
int64_t combine(int64_t x, int64_t y) {
  if constexpr (op == BinaryOp::bitwise_and) return x & y;
  else if constexpr (op == BinaryOp::bitwise_or) return x | y;
  else if constexpr (op == BinaryOp::bitwise_xor) return x ^ y;
  else {
    LARIX_CHECK(y >= 0, value, "negative shift count");
    if constexpr (op == BinaryOp::right_shift) return y >= 64 ? (x < 0 ? -1 : 0) : x >> y;
    else {
      if (x == 0) return 0;
      const int64_t shifted = y >= 64 ? 0 : static_cast<int64_t>(static_cast<uint64_t>(x) << y);
      LARIX_CHECK(y < 64 && (shifted >> y) == x, overflow,
                  "Python int too large to convert to "
                  "C long (",
                  x, " << ", y, " does not fit Larix's int64)");
      return shifted;
    }
  }
}

template <BinaryOp op>
Value bitwise_kernel(KernelArgs& args) {
  const Value &a = args[0], &b = args[1];
  auto integral = [](const Value& v) { return v.is_bool() || v.is_int(); };
  if (integral(a) && integral(b)) {  // Python: bool op bool is a bool, else an int
    const int64_t r = combine<op>(a.as_int(), b.as_int());
    constexpr bool shift = op == BinaryOp::left_shift || op == BinaryOp::right_shift;
    return a.is_bool() && b.is_bool() && !shift ? Value(r != 0) : Value(r);  // True << 1 == 2
  }
  auto numeric = [](const Value& v) { return v.is_number() || v.is_array() || v.is_list(); };
  LARIX_CHECK(
      numeric(a) && numeric(b) && (a.is_array() || b.is_array() || a.is_list() || b.is_list()),
      type, "unsupported operand type(s) for ", symbol(op), ": '", a.type_name(), "' and '",
      b.type_name(), "'");
  const Array x = a.to_array("left operand"), y = b.to_array("right operand");
  return Value(kernels::binary(
      op, x, y, kernels::promote_weak(x.dtype(), a.is_number(), y.dtype(), b.is_number())));
}

Value invert_kernel(KernelArgs& args) {
  const Value& x = args[0];
  if (x.is_bool())
    return Value(static_cast<int64_t>(~int64_t{x.as_bool()}));  // Python: ~True == -2
  if (x.is_int()) return Value(~x.as_int());
  LARIX_CHECK(x.is_array() || x.is_list(), type, "bad operand type for unary ~: '", x.type_name(),
              "'");
  return Value(kernels::unary(kernels::UnaryOp::invert, x.to_array()));
}

bool scalar_kind(ValueKind k) { return k == ValueKind::boolean || k == ValueKind::integer; }

template <BinaryOp op>
TypeInfo bitwise_type(const std::vector<TypeInfo>& t) {
  const TypeInfo &a = t[0], &b = t[1];
  constexpr bool shift = op == BinaryOp::left_shift || op == BinaryOp::right_shift;
  if (scalar_kind(a.kind) && scalar_kind(b.kind))
    return {.kind = a.kind == ValueKind::boolean && b.kind == ValueKind::boolean && !shift
                        ? ValueKind::boolean
                        : ValueKind::integer};
  auto dtype = [](const TypeInfo& x) {
    return x.kind == ValueKind::boolean   ? DType::bool_
           : x.kind == ValueKind::integer ? DType::int64
                                          : x.dtype;
  };
  const bool sa = scalar_kind(a.kind), sb = scalar_kind(b.kind);
  if ((a.kind == ValueKind::array || sa) && (b.kind == ValueKind::array || sb))
    return {.kind = ValueKind::array,
            .dtype = kernels::binary_dtype(op, dtype(a), sa, dtype(b), sb),
            .shape = kernels::broadcast_shapes(a.shape, b.shape)};
  return {.kind = ValueKind::unbound};
}

std::string bitwise_doc(const std::string& name, const char* op) {
  return name + "(x1, x2)\n\nx1 " + op + " x2, as numpy." + name + " (the Python operator " + op +
         " in a kernel): element-wise with broadcasting; logical on bools (a mask combined with "
         "a mask stays a bool mask), bitwise on integers (a bool with an integer counts as 0/1). "
         "Two Python scalars follow Python. Floats are a TypeError, as in NumPy.";
}

}  // namespace

void register_bitwise(Registry& r) {
  const Signature two{{arg("x1"), arg("x2")}};
  r.add({.name = "bitwise_and",
         .signature = two,
         .doc = bitwise_doc("bitwise_and", "&"),
         .kernel = bitwise_kernel<BinaryOp::bitwise_and>,
         .type_rule = bitwise_type<BinaryOp::bitwise_and>});
  r.add({.name = "bitwise_or",
         .signature = two,
         .doc = bitwise_doc("bitwise_or", "|"),
         .kernel = bitwise_kernel<BinaryOp::bitwise_or>,
         .type_rule = bitwise_type<BinaryOp::bitwise_or>});
  r.add({.name = "bitwise_xor",
         .signature = two,
         .doc = bitwise_doc("bitwise_xor", "^"),
         .kernel = bitwise_kernel<BinaryOp::bitwise_xor>,
         .type_rule = bitwise_type<BinaryOp::bitwise_xor>});
  r.add({.name = "left_shift",
         .signature = two,
         .doc = "left_shift(x1, x2)\n\nx1 << x2, as numpy.left_shift (the Python operator << in a "
                "kernel): integers only, element-wise with broadcasting; a count of the width or "
                "more shifts every bit out (0), and the bits wrap as NumPy's. Two Python ints "
                "follow Python (an OverflowError where the result leaves int64).",
         .kernel = bitwise_kernel<BinaryOp::left_shift>,
         .type_rule = bitwise_type<BinaryOp::left_shift>});
  r.add({.name = "right_shift",
         .signature = two,
         .doc = "right_shift(x1, x2)\n\nx1 >> x2, as numpy.right_shift (the Python operator >> in "
                "a kernel): integers only, arithmetic (the sign bit repeats), element-wise with "
                "broadcasting; a count of the width or more gives 0 (-1 for a negative x1).",
         .kernel = bitwise_kernel<BinaryOp::right_shift>,
         .type_rule = bitwise_type<BinaryOp::right_shift>});
  r.add({.name = "invert",
         .aliases = {"bitwise_not", "bitwise_invert"},
         .signature = {{arg("x")}},
         .doc = "invert(x)\n\n~x, as numpy.invert (the Python operator ~ in a kernel): logical not "
                "on bools (~mask), bitwise not on integers (~5 == -6). A Python bool follows "
                "Python (~True == -2). Floats are a TypeError, as in NumPy.",
         .kernel = invert_kernel});
}

}  // namespace larix
