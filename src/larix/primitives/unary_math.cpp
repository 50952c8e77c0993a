// Element-wise functions of one operand, one table row each: the NumPy math functions the kernels
// have (exp itself lives in exp.cpp), Phylanx's ML helpers sigmoid and relu, and the predicates
// isnan/isinf/isfinite. The element functions are in kernels/elementwise.hpp.
#include <limits>
#include <string>
#include <vector>

#include "larix/kernels/elementwise.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using kernels::UnaryOp;

// How the result's dtype follows the input's: the docstring says it from this.
enum class Result { floating, kept, boolean };

struct UnaryMath {
  UnaryOp op;
  std::vector<std::string> aliases;
  const char* what;   // the docstring's description
  const char* numpy;  // the NumPy function mirrored ("" when NumPy has none)
  Result result;
};

const std::vector<UnaryMath>& table() {
  static const std::vector<UnaryMath> rows = {
      {UnaryOp::absolute, {"abs"}, "The absolute value |x|", "absolute", Result::kept},
      {UnaryOp::square,
       {},
       "The square x*x (bools give int64; NumPy: int8)",
       "square",
       Result::kept},
      {UnaryOp::sign,
       {},
       "The sign: -1, 0 or 1 (NaN stays NaN; bools are a TypeError)",
       "sign",
       Result::kept},
      {UnaryOp::floor, {}, "The largest whole number <= x", "floor", Result::kept},
      {UnaryOp::ceil, {}, "The smallest whole number >= x", "ceil", Result::kept},
      {UnaryOp::trunc, {}, "x rounded toward zero", "trunc", Result::kept},
      {UnaryOp::rint,
       {},
       "x rounded to the nearest whole number, halves to even",
       "rint",
       Result::floating},
      {UnaryOp::relu,
       {},
       "The rectifier max(x, 0) (NaN stays NaN), Phylanx's relu",
       "",
       Result::kept},
      {UnaryOp::sigmoid,
       {},
       "The logistic function 1 / (1 + exp(-x)), Phylanx's sigmoid",
       "",
       Result::floating},
      {UnaryOp::isnan, {}, "True where x is NaN", "isnan", Result::boolean},
      {UnaryOp::isinf, {}, "True where x is +inf or -inf", "isinf", Result::boolean},
      {UnaryOp::isfinite,
       {},
       "True where x is neither NaN nor infinite",
       "isfinite",
       Result::boolean},
      {UnaryOp::expm1, {}, "exp(x) - 1, accurate near 0", "expm1", Result::floating},
      {UnaryOp::exp10, {}, "10 ** x, Phylanx's exp10", "", Result::floating},
      {UnaryOp::invsqrt, {}, "1 / sqrt(x), Phylanx's invsqrt", "", Result::floating},
      {UnaryOp::invcbrt, {}, "1 / cbrt(x), Phylanx's invcbrt", "", Result::floating},
      {UnaryOp::exp2, {}, "2**x", "exp2", Result::floating},
      {UnaryOp::log, {}, "The natural logarithm", "log", Result::floating},
      {UnaryOp::log2, {}, "The base-2 logarithm", "log2", Result::floating},
      {UnaryOp::log10, {}, "The base-10 logarithm", "log10", Result::floating},
      {UnaryOp::log1p, {}, "log(1 + x), accurate near 0", "log1p", Result::floating},
      {UnaryOp::sqrt, {}, "The non-negative square root (NaN for x < 0)", "sqrt", Result::floating},
      {UnaryOp::cbrt, {}, "The cube root", "cbrt", Result::floating},
      {UnaryOp::sin, {}, "The sine (x in radians)", "sin", Result::floating},
      {UnaryOp::cos, {}, "The cosine (x in radians)", "cos", Result::floating},
      {UnaryOp::tan, {}, "The tangent (x in radians)", "tan", Result::floating},
      {UnaryOp::arcsin, {"asin"}, "The inverse sine", "arcsin", Result::floating},
      {UnaryOp::arccos, {"acos"}, "The inverse cosine", "arccos", Result::floating},
      {UnaryOp::arctan, {"atan"}, "The inverse tangent", "arctan", Result::floating},
      {UnaryOp::sinh, {}, "The hyperbolic sine", "sinh", Result::floating},
      {UnaryOp::cosh, {}, "The hyperbolic cosine", "cosh", Result::floating},
      {UnaryOp::tanh, {}, "The hyperbolic tangent", "tanh", Result::floating},
      {UnaryOp::arcsinh, {"asinh"}, "The inverse hyperbolic sine", "arcsinh", Result::floating},
      {UnaryOp::arccosh, {"acosh"}, "The inverse hyperbolic cosine", "arccosh", Result::floating},
      {UnaryOp::arctanh, {"atanh"}, "The inverse hyperbolic tangent", "arctanh", Result::floating},
      {UnaryOp::erf, {}, "The error function", "scipy.special.erf", Result::floating},
      {UnaryOp::erfc,
       {},
       "The complementary error function 1 - erf(x), accurate for large x",
       "scipy.special.erfc",
       Result::floating},
  };
  return rows;
}

Kernel unary_kernel(UnaryOp op) {
  return [op](KernelArgs& args) {
    return Value(kernels::unary(op, numpy_args::array_arg(args[0], kernels::unary_op_name(op))));
  };
}

// A Python scalar gives a 0-d array (NumPy gives a NumPy scalar).
TypeRule unary_rule(UnaryOp op) {
  return [op](const std::vector<TypeInfo>& t) -> TypeInfo {
    const auto x = numpy_args::array_type(t[0]);
    if (!x) return numpy_args::unknown_type();
    return numpy_args::array_result(kernels::unary_result_dtype(op, x->dtype), x->shape);
  };
}

std::string doc(const std::string& name, const UnaryMath& m) {
  std::string d = name + "(x)\n\n" + m.what + ", element-wise";
  const bool qualified = std::string(m.numpy).find('.') != std::string::npos;
  d += *m.numpy ? std::string(", as ") + (qualified ? "" : "numpy.") + m.numpy + "."
                : " (NumPy has no such function).";
  switch (m.result) {
    case Result::floating:
      d += " Integers and bools give float64 (NumPy: float16 for bools), float32 stays float32.";
      break;
    case Result::kept: d += " The result has the input's dtype."; break;
    case Result::boolean: d += " The result is a bool array (false/true for integers)."; break;
  }
  return d +
         " A Python scalar or a list is converted as by numpy.asarray; a scalar gives a 0-d "
         "array (NumPy: a NumPy scalar).";
}

// Phylanx's isposinf/isneginf (NumPy's too): x == +inf, x == -inf.
Kernel infinity_kernel(double infinity, const char* fn) {
  return [infinity, fn](KernelArgs& args) {
    const Array x = numpy_args::array_arg(args[0], fn);
    if (is_complex(x.dtype())) complex_unsupported();  // NumPy: no complex loop either
    return Value(kernels::binary(kernels::BinaryOp::equal, x, Array::scalar<double>(infinity)));
  };
}

TypeInfo bool_rule(const std::vector<TypeInfo>& t) {
  const auto x = numpy_args::array_type(t[0]);
  if (!x) return numpy_args::unknown_type();
  return numpy_args::array_result(DType::bool_, x->shape);
}

}  // namespace

void register_unary_math(Registry& r) {
  for (const UnaryMath& m : table()) {
    const std::string name = kernels::unary_op_name(m.op);
    r.add({.name = name,
           .aliases = m.aliases,
           .signature = {{arg("x")}},
           .doc = doc(name, m),
           .kernel = unary_kernel(m.op),
           .type_rule = unary_rule(m.op)});
  }
  const double inf = std::numeric_limits<double>::infinity();
  r.add({.name = "isposinf",
         .signature = {{arg("x")}},
         .doc = "isposinf(x)\n\nTrue where x is +inf, element-wise, as numpy.isposinf (Phylanx's "
                "isposinf). The result is a bool array (false for integers and bools).",
         .kernel = infinity_kernel(inf, "isposinf"),
         .type_rule = bool_rule});
  r.add({.name = "isneginf",
         .signature = {{arg("x")}},
         .doc = "isneginf(x)\n\nTrue where x is -inf, element-wise, as numpy.isneginf (Phylanx's "
                "isneginf). The result is a bool array (false for integers and bools).",
         .kernel = infinity_kernel(-inf, "isneginf"),
         .type_rule = bool_rule});
}

}  // namespace larix
