// Element-wise kernels with NumPy's broadcasting and type promotion. The dtype rules are functions
// of their own so that a primitive's shape/dtype rule and its kernel cannot disagree.
#pragma once

#include <cmath>
#include <optional>
#include <string>

#include "larix/array/array.hpp"

namespace larix::kernels {

// clang-format off
enum class BinaryOp {
  add, subtract, multiply, true_divide, floor_divide, mod, power,
  equal, not_equal, less, less_equal, greater, greater_equal,
  logical_and, logical_or, logical_xor, maximum, minimum,
  arctan2,  // floating: integers compute in float64, as true_divide
  bitwise_and, bitwise_or, bitwise_xor,  // bool and int64 only (TypeError for floats); & | ^
  left_shift, right_shift,  // integers only (bools count as int64); << >>
};

// Floating-point math functions: X(name, expression in x). Integer and bool inputs compute in
// float64 (NumPy gives float16 for bool: we have no float16); float32 stays float32.
// Adding one is one line here (and one row in primitives/unary_math.cpp to give it a primitive).
#define LARIX_FLOAT_UNARY_OPS(X) \
  X(exp, std::exp(x))            \
  X(expm1, std::expm1(x))        \
  X(exp2, std::exp2(x))          \
  X(log, std::log(x))            \
  X(log2, std::log2(x))          \
  X(log10, std::log10(x))        \
  X(log1p, std::log1p(x))        \
  X(sqrt, std::sqrt(x))          \
  X(cbrt, std::cbrt(x))          \
  X(invsqrt, T(1) / std::sqrt(x)) \
  X(invcbrt, T(1) / std::cbrt(x)) \
  X(exp10, std::pow(T(10), x))   \
  X(sin, std::sin(x))            \
  X(cos, std::cos(x))            \
  X(tan, std::tan(x))            \
  X(arcsin, std::asin(x))        \
  X(arccos, std::acos(x))        \
  X(arctan, std::atan(x))        \
  X(sinh, std::sinh(x))          \
  X(cosh, std::cosh(x))          \
  X(tanh, std::tanh(x))          \
  X(arcsinh, std::asinh(x))      \
  X(arccosh, std::acosh(x))      \
  X(arctanh, std::atanh(x))      \
  X(rint, std::nearbyint(x))     \
  X(erf, std::erf(x))            \
  X(erfc, std::erfc(x))          \
  X(sigmoid, T(1) / (T(1) + std::exp(-x)))

enum class UnaryOp {
  negative, absolute, logical_not, square,  // dtype kept (logical_not: bool; square of bool: int64)
  sign,                                      // dtype kept; TypeError for bool, as in NumPy
  floor, ceil, trunc,                        // dtype kept: integers and bools are already whole
  relu,                                      // max(x, 0), dtype kept, NaN propagates
  isnan, isinf, isfinite,                    // bool
  invert,                                    // ~x: bool not, int64 bitwise not; TypeError else
#define LARIX_UNARY_ENUM(name, expr) name,
  LARIX_FLOAT_UNARY_OPS(LARIX_UNARY_ENUM)
#undef LARIX_UNARY_ENUM
};
// clang-format on

const char* binary_op_name(BinaryOp op);  // NumPy's ufunc name: "add", "true_divide", ...
const char* unary_op_name(UnaryOp op);

// NumPy's shape text, "(2,3)" and "(4,)", as its error messages print it.
std::string numpy_shape_str(const Shape& shape);

// The broadcast shape of two operands; a ValueError like NumPy's when they do not broadcast.
Shape broadcast_shapes(const Shape& a, const Shape& b);

// NumPy's promotion of two array dtypes (int64 with float32 gives float64, as in NumPy).
DType result_type(DType a, DType b);

// NumPy 2's promotion with Python scalars (NEP 50). A Python bool/int/float operand is "weak": it
// takes the other operand's dtype when that is of its kind or a higher one (a float32 array * 2.0
// is float32, an int64 array * 2.0 is float64, a bool array + 1 is int64). Arrays, NumPy scalars
// and 0-d results are "strong". `dtype` of a weak operand: bool, int64 or float64 by its kind.
DType promote_weak(DType a, bool a_weak, DType b, bool b_weak);

// The dtype an operation computes in, given the dtype its operands promote to: true_divide of
// integers computes in float64; floor_divide/mod/power of bools in int64 (NumPy: int8, which we do
// not have). A TypeError for bool subtract, as in NumPy.
DType binary_compute_dtype(BinaryOp op, DType promoted);
// The result dtype: bool for comparisons and logical operations, else the compute dtype.
DType binary_result_dtype(BinaryOp op, DType compute);
DType unary_result_dtype(UnaryOp op, DType input);  // TypeError for negative of bool
// All of the above in one: the result dtype of `a op b` (what a type rule reports).
DType binary_dtype(BinaryOp op, DType a, bool a_weak, DType b, bool b_weak);

// The element functions behind floor_divide, mod and power, for the Python-scalar fast paths of
// the primitives (Python's sign rules; the caller checks for a zero divisor / negative exponent).
std::int64_t floor_divide_int(std::int64_t a, std::int64_t b);
std::int64_t mod_int(std::int64_t a, std::int64_t b);
std::int64_t power_int(std::int64_t a, std::int64_t b);  // wraps like int64
double floor_divide_float(double a, double b);
double mod_float(double a, double b);

// a <op> b with broadcasting. `promoted` is the dtype the operands promote to (default:
// result_type(a, b); the primitives pass NumPy 2's weak-scalar promotion here).
// Integer floor_divide/mod by zero give 0 and report NumPy's RuntimeWarning ("divide by zero
// encountered in floor_divide", support/warnings.hpp); an integer to a negative integer power is a
// ValueError. `overwritable`: an operand whose buffer nobody else holds (the caller guarantees it:
// a temporary such as the result of 2 * a in 2 * a + 1); when it is C-contiguous and has the
// result's dtype and shape, the result is written into it instead of a new array (safe: element i
// is read before it is written, as NumPy's in-place ufuncs).
Array binary(BinaryOp op, const Array& a, const Array& b, std::optional<DType> promoted = {},
             Array* overwritable = nullptr);
Array unary(UnaryOp op, const Array& a);

// The float64 loops of binary() and unary() over contiguous runs, for fused element-wise programs
// (kernels/fused.hpp): out[i] = a[i] op b[i] for i < n, where a scalar operand (`a_scalar`) is
// a[0] for every i. Comparison and logical results are 1.0 or 0.0. unary_f64 uses the vector
// functions as unary() does (vmath.hpp: a value's result does not depend on its place), or, for
// one value `alone` (n = 1), the element function as unary() does for an array of one element.
// `out` may be `a` or `b`.
void binary_f64(BinaryOp op, const double* a, bool a_scalar, const double* b, bool b_scalar,
                double* out, std::int64_t n);
void unary_f64(UnaryOp op, const double* x, double* out, std::int64_t n, bool alone = false);

// Elements converted to `dtype` (NumPy's astype: unsafe casting); `a` itself when it already is.
// A complex `a` to a real dtype is complex_unsupported's TypeError: a kernel computing in a real
// dtype has no loop for it (dropping the imaginary part would be a wrong result).
Array cast(const Array& a, DType dtype);
// The same, where a complex `a` to a real dtype keeps the real part (ndarray.astype).
Array cast_discarding_imaginary(const Array& a, DType dtype);
// Writes src, broadcast to dst's shape and cast to dst's dtype, into dst (a view of a writable,
// uniquely held buffer). Overlap between src and dst is the caller's concern.
void assign(Array& dst, const Array& src);
// An array of `shape` with every element `value` (a 0-d or size-1 array, cast to `dtype`).
Array full(const Shape& shape, const Array& value, DType dtype);

}  // namespace larix::kernels
