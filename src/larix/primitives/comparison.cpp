// Comparisons == != < <= > >=. Python scalars, strings and lists compare as in Python and give a
// Python bool; an array with numbers, lists or arrays compares element-wise as NumPy (a bool
// array, NEP 50 promotion: float32_array == 0.1 compares in float32); == and != on anything else
// (nil, dicts, a string against a number) are structural and never an error.
#include <compare>
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/primitives/registry.hpp"

namespace larix {
namespace {

using kernels::BinaryOp;

const char* symbol(BinaryOp op) {
  switch (op) {
    case BinaryOp::equal: return "==";
    case BinaryOp::not_equal: return "!=";
    case BinaryOp::less: return "<";
    case BinaryOp::less_equal: return "<=";
    case BinaryOp::greater: return ">";
    default: return ">=";
  }
}

// Python's ordering of two values: numbers (exactly, int64 against float too), strings
// (lexicographic by bytes, which is code point order for UTF-8) and lists (lexicographic).
std::partial_ordering python_order(BinaryOp op, const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (!a.is_float() && !b.is_float()) return a.as_int() <=> b.as_int();
    // long double holds every int64 exactly (x86): 2**53 + 1 > 2.0**53, as in Python.
    auto exact = [](const Value& v) {
      return v.is_float() ? static_cast<long double>(v.as_double())
                          : static_cast<long double>(v.as_int());
    };
    return exact(a) <=> exact(b);
  }
  if (a.is_string() && b.is_string()) return a.as_string().compare(b.as_string()) <=> 0;
  if (a.is_list() && b.is_list()) {
    const List& x = a.as_list();
    const List& y = b.as_list();
    for (std::size_t i = 0; i < x.size() && i < y.size(); ++i)
      if (!(x[i] == y[i])) return python_order(op, x[i], y[i]);
    return x.size() <=> y.size();
  }
  user_error(ErrorKind::type, "'", symbol(op), "' not supported between instances of '",
             a.type_name(), "' and '", b.type_name(), "'");
}

template <BinaryOp op>
bool holds(std::partial_ordering c) {
  if constexpr (op == BinaryOp::equal) return c == 0;
  else if constexpr (op == BinaryOp::not_equal) return c != 0;  // nan != nan
  else if constexpr (op == BinaryOp::less) return c < 0;
  else if constexpr (op == BinaryOp::less_equal) return c <= 0;
  else if constexpr (op == BinaryOp::greater) return c > 0;
  else return c >= 0;
}

bool is_numeric(const Value& v) { return v.is_number() || v.is_array() || v.is_list(); }

template <BinaryOp op>
Value comparison_kernel(KernelArgs& args) {
  const Value& a = args[0];
  const Value& b = args[1];
  if (a.is_number() && b.is_number()) return Value(holds<op>(python_order(op, a, b)));
  if ((a.is_array() && is_numeric(b)) || (b.is_array() && is_numeric(a))) {
    const Array x = a.to_array("left operand"), y = b.to_array("right operand");
    return Value(kernels::binary(
        op, x, y, kernels::promote_weak(x.dtype(), a.is_number(), y.dtype(), b.is_number())));
  }
  if constexpr (op == BinaryOp::equal) return Value(a == b);
  else if constexpr (op == BinaryOp::not_equal) return Value(!(a == b));
  else return Value(holds<op>(python_order(op, a, b)));
}

bool is_scalar_kind(ValueKind k) {
  return k == ValueKind::boolean || k == ValueKind::integer || k == ValueKind::floating;
}

TypeRule comparison_rule(BinaryOp op) {
  return [op](const std::vector<TypeInfo>& t) -> TypeInfo {
    const TypeInfo &a = t[0], &b = t[1];
    const bool sa = is_scalar_kind(a.kind), sb = is_scalar_kind(b.kind);
    const bool array = a.kind == ValueKind::array || b.kind == ValueKind::array;
    if (array && (a.kind == ValueKind::list || b.kind == ValueKind::list))
      return {.kind = ValueKind::unbound};  // a list's dtype is known only at run time
    if (array && (sa || a.kind == ValueKind::array) && (sb || b.kind == ValueKind::array)) {
      auto dtype = [](const TypeInfo& x, bool scalar) {
        return !scalar                        ? x.dtype
               : x.kind == ValueKind::boolean ? DType::bool_
               : x.kind == ValueKind::integer ? DType::int64
                                              : DType::float64;
      };
      return {.kind = ValueKind::array,
              .dtype = kernels::binary_dtype(op, dtype(a, sa), sa, dtype(b, sb), sb),
              .shape = kernels::broadcast_shapes(a.shape, b.shape)};
    }
    return {.kind = ValueKind::boolean};
  };
}

void add_comparison(Registry& r, const char* name, const char* numpy, BinaryOp op, Kernel kernel) {
  const std::string sym = symbol(op);
  r.add({.name = name,
         .aliases = {numpy},
         .signature = {{arg("x1"), arg("x2")}},
         .doc = std::string(name) + "(x1, x2)\n\nx1 " + sym +
                " x2. With an array (and numbers, "
                "lists or arrays) it compares element-wise with broadcasting and gives a bool "
                "array, as numpy." +
                numpy +
                " (a Python scalar takes the array's dtype: NumPy 2's "
                "weak scalars). Python scalars, strings and lists compare as in Python and give a "
                "Python bool" +
                (op == BinaryOp::equal || op == BinaryOp::not_equal
                     ? std::string("; any other values compare structurally (nil == nil, dicts "
                                   "and lists by their elements).")
                     : std::string("; other values are a TypeError.")),
         .kernel = std::move(kernel),
         .type_rule = comparison_rule(op)});
}

}  // namespace

void register_comparison(Registry& r) {
  add_comparison(r, "__eq", "equal", BinaryOp::equal, comparison_kernel<BinaryOp::equal>);
  add_comparison(r, "__ne", "not_equal", BinaryOp::not_equal,
                 comparison_kernel<BinaryOp::not_equal>);
  add_comparison(r, "__lt", "less", BinaryOp::less, comparison_kernel<BinaryOp::less>);
  add_comparison(r, "__le", "less_equal", BinaryOp::less_equal,
                 comparison_kernel<BinaryOp::less_equal>);
  add_comparison(r, "__gt", "greater", BinaryOp::greater, comparison_kernel<BinaryOp::greater>);
  add_comparison(r, "__ge", "greater_equal", BinaryOp::greater_equal,
                 comparison_kernel<BinaryOp::greater_equal>);
}

}  // namespace larix
