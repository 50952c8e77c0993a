// Linear algebra: matmul, outer, inner, trace, diag, and numpy.linalg's inv (Phylanx: inverse),
// solve, det (Phylanx: determinant) and norm. LAPACK runs single-threaded inside tasks.
#include <cmath>
#include <limits>
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/linalg.hpp"
#include "larix/kernels/matrix.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/kernels/reductions.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using kernels::BinaryOp;
using kernels::UnaryOp;
using numpy_args::array_arg;
using numpy_args::int_arg;
using std::int64_t;

Value matmul_kernel(KernelArgs& args) {
  return Value(
      kernels::matmul(array_arg(args[0], "matmul", "x1"), array_arg(args[1], "matmul", "x2")));
}

TypeInfo matmul_rule(const std::vector<TypeInfo>& t) {
  const auto a = numpy_args::array_type(t[0]), b = numpy_args::array_type(t[1]);
  if (!a || !b) return numpy_args::unknown_type();
  return numpy_args::array_result(kernels::result_type(a->dtype, b->dtype),
                                  kernels::matmul_shape(a->shape, b->shape));
}

Value outer_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "outer", "a"), b = array_arg(args[1], "outer", "b");
  return Value(
      kernels::binary(BinaryOp::multiply, a.reshape({a.size(), 1}), b.reshape({1, b.size()})));
}

// np.inner: the sum over the last axes of both; as np.dot with b's last two axes swapped.
Value inner_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "inner", "a"), b = array_arg(args[1], "inner", "b");
  if (a.ndim() == 0 || b.ndim() == 0) return Value(kernels::binary(BinaryOp::multiply, a, b));
  LARIX_CHECK(a.shape().back() == b.shape().back(), value, "shapes ",
              kernels::numpy_shape_str(a.shape()), " and ", kernels::numpy_shape_str(b.shape()),
              " not aligned: ", a.shape().back(), " (dim ", a.ndim() - 1, ") != ", b.shape().back(),
              " (dim ", b.ndim() - 1, ")");
  if (b.ndim() == 1) return Value(kernels::dot(a, b));
  std::vector<int> perm(b.ndim());
  for (int k = 0; k < b.ndim(); ++k) perm[k] = k;
  std::swap(perm[b.ndim() - 1], perm[b.ndim() - 2]);
  return Value(kernels::dot(a, b.transpose(perm)));
}

Value trace_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "trace", "a");
  const Array d =
      kernels::diagonal(a, int_arg(args[1], "offset"), static_cast<int>(int_arg(args[2], "axis1")),
                        static_cast<int>(int_arg(args[3], "axis2")));
  return Value(kernels::sum(d, std::vector<int>{-1}, false, numpy_args::parse_dtype_arg(args[4])));
}

// np.diag: a 1-d v gives a square matrix with v on diagonal k; a 2-d v gives its diagonal k.
Value diag_kernel(KernelArgs& args) {
  const Array v = array_arg(args[0], "diag", "v");
  const int64_t k = int_arg(args[1], "k");
  if (v.ndim() == 2) return Value(kernels::diagonal(v, k, 0, 1));
  LARIX_CHECK(v.ndim() == 1, value, "Input must be 1- or 2-d.");
  const int64_t n = v.shape()[0] + (k < 0 ? -k : k);
  Array out = Array::zeros(v.dtype(), {n, n});
  Array d = kernels::diagonal(out, k, 0, 1);  // a view of `out`, which this kernel alone holds
  kernels::assign(d, v);
  return Value(out);
}

Value inverse_kernel(KernelArgs& args) {
  return Value(kernels::inv(array_arg(args[0], "inv", "a")));
}

Value solve_kernel(KernelArgs& args) {
  return Value(kernels::solve(array_arg(args[0], "solve", "a"), array_arg(args[1], "solve", "b")));
}

Value det_kernel(KernelArgs& args) { return Value(kernels::det(array_arg(args[0], "det", "a"))); }

// outer's operands are flattened arrays (array_arg: a Python scalar is a 0-d array of its type).
TypeInfo outer_rule(const std::vector<TypeInfo>& t) {
  const auto a = numpy_args::array_type(t[0]), b = numpy_args::array_type(t[1]);
  if (!a || !b) return numpy_args::unknown_type();
  return numpy_args::array_result(kernels::result_type(a->dtype, b->dtype),
                                  {shape_size(a->shape), shape_size(b->shape)});
}

// diag of a vector (a square matrix) or a matrix (its diagonal k), with k known.
TypeInfo diag_rule(const std::vector<TypeInfo>& t) {
  const auto v = numpy_args::array_type(t[0]);
  if (!v || !t[1].value || !t[1].value->is_int()) return numpy_args::unknown_type();
  const int64_t k = t[1].value->as_int();
  if (v->shape.size() == 1) {
    const int64_t n = v->shape[0] + (k < 0 ? -k : k);
    return numpy_args::array_result(v->dtype, {n, n});
  }
  if (v->shape.size() != 2) return numpy_args::unknown_type();  // the kernel's ValueError
  const int64_t rows = v->shape[0], cols = v->shape[1];
  const int64_t n = k >= 0 ? std::min(rows, cols - k) : std::min(rows + k, cols);
  return numpy_args::array_result(v->dtype, {std::max<int64_t>(n, 0)});
}

// solve(a, b) for one square matrix a and b a vector or a matrix: b's shape (no batches here).
TypeInfo solve_rule(const std::vector<TypeInfo>& t) {
  const auto a = numpy_args::array_type(t[0]), b = numpy_args::array_type(t[1]);
  if (!a || !b || a->shape.size() != 2 || (b->shape.size() != 1 && b->shape.size() != 2))
    return numpy_args::unknown_type();
  return numpy_args::array_result(kernels::lapack_dtype(kernels::result_type(a->dtype, b->dtype)),
                                  b->shape);
}

TypeInfo square_rule(const std::vector<TypeInfo>& t, bool drop_core) {
  const auto a = numpy_args::array_type(t[0]);
  if (!a || a->shape.size() < 2) return numpy_args::unknown_type();
  Shape shape = a->shape;
  if (drop_core) shape.resize(shape.size() - 2);
  return numpy_args::array_result(kernels::lapack_dtype(a->dtype), shape);
}

// ---- norm --------------------------------------------------------------------------------------

Array abs_float(const Array& x) {
  return kernels::unary(UnaryOp::absolute, kernels::cast(x, kernels::lapack_dtype(x.dtype())));
}

Array vector_norm(const Array& x, double ord, const std::vector<int>& axes, bool keepdims) {
  const Array a = abs_float(x);
  const std::optional<std::vector<int>> ax = axes;
  if (std::isinf(ord))
    return kernels::reduce(ord > 0 ? kernels::ReduceOp::max : kernels::ReduceOp::min, a, ax,
                           keepdims);
  if (ord == 0)
    return kernels::cast(kernels::reduce(kernels::ReduceOp::count_nonzero, a, ax, keepdims),
                         a.dtype());
  if (ord == 1) return kernels::sum(a, ax, keepdims);
  if (ord == 2)
    return kernels::unary(UnaryOp::sqrt,
                          kernels::sum(kernels::binary(BinaryOp::multiply, a, a), ax, keepdims));
  const Array p = Array::scalar(ord);
  const Array s = kernels::sum(kernels::binary(BinaryOp::power, a, p, a.dtype()), ax, keepdims);
  return kernels::binary(BinaryOp::power, s, Array::scalar(1.0 / ord), s.dtype());
}

// Matrix norms over axes (r, c): 'fro', 1 / -1 (max/min column sum), inf / -inf (row sums).
Array matrix_norm(const Array& x, const Value& ord, int r, int c, bool keepdims) {
  const Array a = abs_float(x);
  if (ord.is_nil() || (ord.is_string() && ord.as_string() == "fro"))
    return kernels::unary(UnaryOp::sqrt, kernels::sum(kernels::binary(BinaryOp::multiply, a, a),
                                                      std::vector<int>{r, c}, keepdims));
  LARIX_CHECK(ord.is_number(), value, "Invalid norm order for matrices.");
  const double o = ord.as_double("ord");
  int sum_axis, red_axis;
  if (std::abs(o) == 1) sum_axis = r, red_axis = c;
  else if (std::isinf(o)) sum_axis = c, red_axis = r;
  else
    user_error(ErrorKind::value, "norm: matrix ord ", ord.repr(),
               " is not supported (it needs singular values); use 'fro', 1, -1, inf or -inf");
  Array s = kernels::sum(a, std::vector<int>{sum_axis}, true);
  s = kernels::reduce(o > 0 ? kernels::ReduceOp::max : kernels::ReduceOp::min, s,
                      std::vector<int>{red_axis}, true);
  if (!keepdims) {
    Shape shape;
    for (int k = 0; k < s.ndim(); ++k)
      if (k != r && k != c) shape.push_back(s.shape()[k]);
    s = s.reshape(shape);
  }
  return s;
}

double vector_ord(const Value& ord) {
  if (ord.is_nil()) return 2;
  LARIX_CHECK(ord.is_number(), value, "Invalid norm order '", ord.repr(), "' for vectors");
  return ord.as_double("ord");
}

Value norm_kernel(KernelArgs& args) {
  Array x = array_arg(args[0], "norm", "x");
  const Value& ord = args[1];
  if (is_complex(x.dtype())) {
    // The norms that depend only on the moduli are those of |x|; the spectral ones (2, -2 and
    // "nuc" of matrices) need complex singular values.
    const bool matrix = args[2].is_nil() ? x.ndim() == 2 && !ord.is_nil()
                                         : numpy_args::parse_axes(args[2])->size() == 2;
    const bool spectral = matrix && ((ord.is_string() && ord.as_string() == "nuc") ||
                                     (ord.is_number() && std::fabs(ord.as_double("ord")) == 2.0));
    if (spectral) complex_unsupported();
    x = kernels::unary(kernels::UnaryOp::absolute, x);
  }
  const bool keepdims = args[3].as_bool("keepdims");
  if (args[2].is_nil()) {
    if (ord.is_nil()) {  // 2-norm of the flattened array (Frobenius for matrices)
      Array n = vector_norm(x.reshape({x.size()}), 2, {0}, false);
      return Value(keepdims ? n.reshape(Shape(x.ndim(), 1)) : n);
    }
    if (x.ndim() == 1) return Value(vector_norm(x, vector_ord(ord), {0}, keepdims));
    LARIX_CHECK(x.ndim() == 2, value, "Improper number of dimensions to norm.");
    return Value(matrix_norm(x, ord, 0, 1, keepdims));
  }
  const std::vector<int> axes = kernels::normalize_axes(numpy_args::parse_axes(args[2]), x.ndim());
  const auto given = numpy_args::parse_axes(args[2]);
  if (given->size() == 1) return Value(vector_norm(x, vector_ord(ord), axes, keepdims));
  LARIX_CHECK(given->size() == 2, value, "Improper number of dimensions to norm.");
  const int r = (*given)[0] < 0 ? (*given)[0] + x.ndim() : (*given)[0];
  const int c = (*given)[1] < 0 ? (*given)[1] + x.ndim() : (*given)[1];
  return Value(matrix_norm(x, ord, r, c, keepdims));
}

// Phylanx's normalize (Blaze's): v / its Euclidean length, and a zero vector stays zero.
Value normalize_kernel(KernelArgs& args) {
  const Array v = array_arg(args[0], "normalize", "v");
  LARIX_CHECK(v.ndim() == 1, value, "normalize(): the operand must be a vector (1-d), not ",
              v.ndim(), "-d");
  const Array x = kernels::cast(v, kernels::lapack_dtype(v.dtype()));
  const Array length = vector_norm(x, 2, {0}, false);
  if (length.item_as_double() == 0) return Value(x.copy());
  return Value(kernels::binary(BinaryOp::true_divide, x, length));
}

}  // namespace

void register_linalg_ops(Registry& r) {
  r.add({.name = "matmul",
         .aliases = {"__matmul"},
         .signature = {{arg("x1"), arg("x2")}},
         .doc = "matmul(x1, x2)\n\nThe matrix product, as numpy.matmul (the @ operator): the last "
                "two axes are matrices and the axes before them broadcast as batches; a 1-d x1 is "
                "a row and a 1-d x2 a column, the added axis removed from the result. 0-d operands "
                "are a ValueError (use multiply). float32/float64 use BLAS; bool and int64 are "
                "exact (int64 wraps).",
         .kernel = matmul_kernel,
         .type_rule = matmul_rule});
  r.add({.name = "outer",
         .signature = {{arg("a"), arg("b")}},
         .doc = "outer(a, b)\n\nThe outer product a[i] * b[j] of the flattened operands, as "
                "numpy.outer (an M x N matrix).",
         .kernel = outer_kernel,
         .type_rule = outer_rule});
  r.add({.name = "inner",
         .signature = {{arg("a"), arg("b")}},
         .doc = "inner(a, b)\n\nThe inner product over the last axes, as numpy.inner: for vectors "
                "their dot product (a 0-d array); in general the shape is a.shape[:-1] + "
                "b.shape[:-1]. 0-d operands multiply.",
         .kernel = inner_kernel});
  r.add({.name = "trace",
         .signature = {{arg("a"), arg("offset", Value(int64_t{0})), arg("axis1", Value(int64_t{0})),
                        arg("axis2", Value(int64_t{1})), arg("dtype", Value())}},
         .doc = "trace(a, offset=0, axis1=0, axis2=1, dtype=nil)\n\nThe sum along a diagonal of "
                "`a` (offset above the main one when positive, below when negative), as "
                "numpy.trace; for n-d `a` an array of traces over the remaining axes. Bools and "
                "ints sum to int64.",
         .kernel = trace_kernel});
  r.add({.name = "diag",
         .signature = {{arg("v"), arg("k", Value(int64_t{0}))}},
         .doc = "diag(v, k=0)\n\nAs numpy.diag: a 1-d v gives a square matrix with v on diagonal "
                "k (zeros elsewhere); a 2-d v gives its diagonal k as a 1-d view (read-only in "
                "NumPy, immutable here).",
         .kernel = diag_kernel,
         .type_rule = diag_rule});
  r.add({.name = "inverse",
         .aliases = {"inv", "invGJE"},
         .signature = {{arg("a")}},
         .doc = "inverse(a)\n\nThe inverse of a square matrix (or of each in a stack (..., n, n)), "
                "as numpy.linalg.inv, by LU factorisation (LAPACK getrf/getri). float32 stays "
                "float32, everything else gives float64. A singular matrix is a LinAlgError "
                "\"Singular matrix\". Phylanx's inverse, and its invGJE (Gauss-Jordan: the same "
                "inverse by another method).",
         .kernel = inverse_kernel,
         .type_rule = [](const std::vector<TypeInfo>& t) { return square_rule(t, false); }});
  r.add({.name = "solve",
         .aliases = {"linear_solver_lu"},
         .signature = {{arg("a"), arg("b")}},
         .doc = "solve(a, b)\n\nx with a @ x == b, as numpy.linalg.solve (LU with partial "
                "pivoting: LAPACK gesv, or for n <= 32 the same algorithm in Larix, where "
                "calling LAPACK costs more than the work): a is (..., n, n); b is a vector (n,) "
                "or (..., n, k), batch axes broadcast. float32 stays float32, everything else "
                "gives float64. A singular a (an exactly zero pivot) is a LinAlgError "
                "\"Singular matrix\"; NaNs give NaNs, no error (with OpenBLAS, NumPy raises "
                "\"Singular matrix\" for some NaNs in a, depending on its pivot search). "
                "Phylanx's linear_solver_lu(a, b) (LU with partial pivoting, as here).",
         .kernel = solve_kernel,
         .type_rule = solve_rule});
  r.add({.name = "determinant",
         .aliases = {"det"},
         .signature = {{arg("a")}},
         .doc = "determinant(a)\n\nThe determinant of a square matrix (or of each in a stack), "
                "as numpy.linalg.det, from its LU factorisation (LAPACK getrf); 0 for a singular "
                "matrix. float32 stays float32, everything else gives float64. Phylanx's "
                "determinant.",
         .kernel = det_kernel,
         .type_rule = [](const std::vector<TypeInfo>& t) { return square_rule(t, true); }});
  r.add({.name = "normalize",
         .signature = {{arg("v")}},
         .doc = "normalize(v)\n\nPhylanx's normalize: the vector v scaled to Euclidean length "
                "1, v / norm(v); a zero vector stays zero (Blaze's normalize). float32 stays "
                "float32, everything else gives float64. A v that is no 1-d array is a "
                "ValueError.",
         .kernel = normalize_kernel,
         .type_rule = [](const std::vector<TypeInfo>& t) {
           const auto a = numpy_args::array_type(t[0]);
           if (!a || a->shape.size() != 1) return numpy_args::unknown_type();
           return numpy_args::array_result(kernels::lapack_dtype(a->dtype), a->shape);
         }});
  r.add({.name = "norm",
         .signature = {{arg("x"), arg("ord", Value()), arg("axis", Value()),
                        arg("keepdims", Value(false))}},
         .doc = "norm(x, ord=nil, axis=nil, keepdims=false)\n\nA vector or matrix norm, as "
                "numpy.linalg.norm. ord=nil: the 2-norm of the flattened array (Frobenius for "
                "matrices). Vectors (1-d x, or one int axis): ord inf, -inf, 0, 1, 2 or any p "
                "(sum(|x|**p)**(1/p)). Matrices (2-d x, or two axes): 'fro', 1, -1, inf, -inf; "
                "ord 2, -2 and 'nuc' (singular values) are not supported. The result is float64 "
                "(float32 stays float32).",
         .kernel = norm_kernel});
}

}  // namespace larix
