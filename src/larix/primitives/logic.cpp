// Logical operators && || ^ ! and NumPy's logical_and/or/xor/not. Without an array operand each
// operand counts by Python truthiness and the result is a Python bool (all operands are evaluated:
// no short circuit, as in Phylanx); with an array the operation is element-wise (a bool array).
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/primitives/registry.hpp"

namespace larix {
namespace {

using kernels::BinaryOp;

template <BinaryOp op>
bool combine(bool x, bool y) {
  if constexpr (op == BinaryOp::logical_and) return x && y;
  else if constexpr (op == BinaryOp::logical_or) return x || y;
  else return x != y;
}

template <BinaryOp op>
Value logic_kernel(KernelArgs& args) {
  bool any_array = false;
  for (std::size_t i = 0; i < args.size(); ++i) any_array = any_array || args[i].is_array();
  if (!any_array) {
    bool acc = args[0].truthy();
    for (std::size_t i = 1; i < args.size(); ++i) acc = combine<op>(acc, args[i].truthy());
    return Value(acc);
  }
  Array acc = kernels::binary(op, args[0].to_array("operand 1"), args[1].to_array("operand 2"));
  for (std::size_t i = 2; i < args.size(); ++i)
    acc = kernels::binary(op, acc, args[i].to_array("operand"));
  return Value(std::move(acc));
}

Value not_kernel(KernelArgs& args) {
  if (!args[0].is_array()) return Value(!args[0].truthy());
  return Value(kernels::unary(kernels::UnaryOp::logical_not, args[0].as_array_ref()));
}

// Bool for scalars; a bool array of the broadcast shape with arrays; unknown with lists + arrays.
TypeInfo logic_type(const std::vector<TypeInfo>& t) {
  bool array = false, list = false;
  Shape shape;
  for (const TypeInfo& x : t) {
    array = array || x.kind == ValueKind::array;
    list = list || x.kind == ValueKind::list;
    if (x.kind == ValueKind::array) shape = kernels::broadcast_shapes(shape, x.shape);
  }
  if (!array) return {.kind = ValueKind::boolean};
  if (list) return {.kind = ValueKind::unbound};
  return {.kind = ValueKind::array, .dtype = DType::bool_, .shape = shape};
}

std::string logic_doc(const std::string& name, const std::string& what, const std::string& numpy) {
  return name + "(x1, x2, ...)\n\n" + what + ", as " + numpy +
         ": element-wise with broadcasting "
         "(a bool array) when an operand is an array, else by Python truthiness (a Python "
         "bool). More operands fold from the left (Phylanx's n-ary form); all operands are "
         "evaluated (no short circuit).";
}

}  // namespace

void register_logic(Registry& r) {
  const Signature two_or_more{{arg("x1"), arg("x2")}, true};
  r.add({.name = "__and",
         .aliases = {"logical_and"},
         .signature = two_or_more,
         .doc = logic_doc("__and", "x1 && x2", "numpy.logical_and"),
         .kernel = logic_kernel<BinaryOp::logical_and>,
         .type_rule = logic_type});
  r.add({.name = "__or",
         .aliases = {"logical_or"},
         .signature = two_or_more,
         .doc = logic_doc("__or", "x1 || x2", "numpy.logical_or"),
         .kernel = logic_kernel<BinaryOp::logical_or>,
         .type_rule = logic_type});
  r.add({.name = "__xor",
         .aliases = {"logical_xor"},
         .signature = two_or_more,
         .doc = logic_doc("__xor", "Exclusive or of the truth values", "numpy.logical_xor"),
         .kernel = logic_kernel<BinaryOp::logical_xor>,
         .type_rule = logic_type});
  r.add({.name = "__not",
         .aliases = {"logical_not"},
         .signature = {{arg("x")}},
         .doc = "__not(x)\n\n!x, as numpy.logical_not: element-wise for an array (a bool array), "
                "else Python's `not x` (a Python bool; nil, 0, empty strings and lists are false).",
         .kernel = not_kernel,
         .type_rule = logic_type});
}

}  // namespace larix
