// Products beyond dot/matmul/inner/outer: cross, tensordot, vdot, kron and
// numpy.linalg.matrix_power, composed of the element-wise, dot and matmul kernels.
#include <algorithm>
#include <string>

#include "larix/kernels/complex.hpp"
#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/join.hpp"
#include "larix/kernels/linalg.hpp"
#include "larix/kernels/matrix.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using kernels::BinaryOp;
using numpy_args::array_arg;
using numpy_args::int_arg;
using std::int64_t;

// An axis in [-ndim, ndim) as a non-negative index; AxisError "axisa: axis 2 is out of bounds
// for array of dimension 2" otherwise.
int normalize_axis(int64_t axis, int ndim, const char* prefix) {
  LARIX_CHECK(axis >= -ndim && axis < ndim, axis, prefix, ": axis ", axis,
              " is out of bounds for array of dimension ", ndim);
  return static_cast<int>(axis < 0 ? axis + ndim : axis);
}

// np.moveaxis(a, from, to) for one axis (views).
Array move_axis(const Array& a, int from, int to) {
  std::vector<int> perm;
  for (int k = 0; k < a.ndim(); ++k)
    if (k != from) perm.push_back(k);
  perm.insert(perm.begin() + to, from);
  return a.transpose(perm);
}

// ---- cross
// ---------------------------------------------------------------------------------------

// v[..., i] (a view).
Array component(const Array& v, int64_t i) {
  return v.view(i * v.strides().back(), Shape(v.shape().begin(), v.shape().end() - 1),
                Strides(v.strides().begin(), v.strides().end() - 1));
}

Value cross_kernel(KernelArgs& args) {
  Array a = array_arg(args[0], "cross", "a"), b = array_arg(args[1], "cross", "b");
  int64_t axisa = int_arg(args[2], "axisa"), axisb = int_arg(args[3], "axisb"),
          axisc = int_arg(args[4], "axisc");
  if (!args[5].is_nil()) axisa = axisb = axisc = int_arg(args[5], "axis");
  LARIX_CHECK(a.ndim() >= 1 && b.ndim() >= 1, value, "At least one array has zero dimension");
  a = move_axis(a, normalize_axis(axisa, a.ndim(), "axisa"), a.ndim() - 1);
  b = move_axis(b, normalize_axis(axisb, b.ndim(), "axisb"), b.ndim() - 1);
  const int64_t na = a.shape().back(), nb = b.shape().back();
  LARIX_CHECK((na == 2 || na == 3) && (nb == 2 || nb == 3), value,
              "incompatible dimensions for cross product\n(dimension must be 2 or 3)");
  auto A = [&](int i) { return component(a, i); };
  auto B = [&](int i) { return component(b, i); };
  auto mul = [](const Array& x, const Array& y) {
    return kernels::binary(BinaryOp::multiply, x, y);
  };
  auto sub = [](const Array& x, const Array& y) {
    return kernels::binary(BinaryOp::subtract, x, y);
  };
  auto neg = [](const Array& x) { return kernels::unary(kernels::UnaryOp::negative, x); };
  // The z component of two 2-vectors; the vectors' missing z components are zero.
  const Array z = sub(mul(A(0), B(1)), mul(A(1), B(0)));
  if (na == 2 && nb == 2) return Value(z);
  Array x, y;
  if (na == 3 && nb == 3) {
    x = sub(mul(A(1), B(2)), mul(A(2), B(1)));
    y = sub(mul(A(2), B(0)), mul(A(0), B(2)));
  } else if (na == 2) {
    x = mul(A(1), B(2));
    y = neg(mul(A(0), B(2)));
  } else {
    x = neg(mul(A(2), B(1)));
    y = mul(A(2), B(0));
  }
  const Array out = kernels::stack({x, y, z}, -1);
  return Value(move_axis(out, out.ndim() - 1, normalize_axis(axisc, out.ndim(), "axisc")));
}

// ---- tensordot
// -----------------------------------------------------------------------------------

// axes=(axes_a, axes_b): a list of two, or an int array of two rows (or of two ints).
std::vector<Value> axes_pair(const Value& v) {
  std::vector<Value> pair;
  if (v.is_list()) {
    pair = v.as_list();
  } else if (v.is_array() && v.as_array_ref().ndim() >= 1) {
    const Array& x = v.as_array_ref();
    for (int64_t i = 0; i < x.shape()[0]; ++i) {
      if (x.ndim() == 1) {
        pair.push_back(Value(x.item<int64_t>(i)));
      } else {
        pair.push_back(
            Value(x.view(i * x.strides()[0], Shape(x.shape().begin() + 1, x.shape().end()),
                         Strides(x.strides().begin() + 1, x.strides().end()))));
      }
    }
  } else {
    user_error(ErrorKind::type, "tensordot(): axes must be an int or a pair of axis lists, not ",
               v.type_name());
  }
  LARIX_CHECK(pair.size() <= 2, value, "too many values to unpack (expected 2)");
  LARIX_CHECK(pair.size() == 2, value, "not enough values to unpack (expected 2, got ", pair.size(),
              ")");
  return pair;
}

int64_t product(const Shape& shape, const std::vector<int>& axes) {
  int64_t p = 1;
  for (int k : axes) p *= shape[k];
  return p;
}

Value tensordot_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "tensordot", "a"), b = array_arg(args[1], "tensordot", "b");
  std::vector<int> axes_a, axes_b;
  if (numpy_args::is_int_like(args[2])) {  // the last n axes of a with the first n of b
    const int64_t n = args[2].as_int("axes");
    for (int64_t k = -n; k < 0; ++k) axes_a.push_back(static_cast<int>(k));
    for (int64_t k = 0; k < n; ++k) axes_b.push_back(static_cast<int>(k));
  } else {
    const std::vector<Value> pair = axes_pair(args[2]);
    axes_a = *numpy_args::parse_axes(pair[0]);
    axes_b = *numpy_args::parse_axes(pair[1]);
  }
  bool equal = axes_a.size() == axes_b.size();
  for (std::size_t k = 0; equal && k < axes_a.size(); ++k) {
    for (auto [axis, x] : {std::pair<int*, const Array*>{&axes_a[k], &a}, {&axes_b[k], &b}}) {
      LARIX_CHECK(*axis >= -x->ndim() && *axis < x->ndim(), index, "tuple index out of range");
      if (*axis < 0) *axis += x->ndim();
    }
    equal = a.shape()[axes_a[k]] == b.shape()[axes_b[k]];
  }
  LARIX_CHECK(equal, value, "shape-mismatch for sum");
  for (const auto* axes : {&axes_a, &axes_b}) {
    std::vector<int> sorted = *axes;
    std::sort(sorted.begin(), sorted.end());
    LARIX_CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end(), value,
                "duplicate axes are not allowed in tensordot");
  }
  // a as (free, summed) and b as (summed, free) matrices: one dot (BLAS gemm for floats).
  auto free_axes = [](const Array& x, const std::vector<int>& summed) {
    std::vector<int> out;
    for (int k = 0; k < x.ndim(); ++k)
      if (std::find(summed.begin(), summed.end(), k) == summed.end()) out.push_back(k);
    return out;
  };
  const std::vector<int> free_a = free_axes(a, axes_a), free_b = free_axes(b, axes_b);
  std::vector<int> perm_a = free_a, perm_b = axes_b;
  perm_a.insert(perm_a.end(), axes_a.begin(), axes_a.end());
  perm_b.insert(perm_b.end(), free_b.begin(), free_b.end());
  const int64_t k = product(a.shape(), axes_a);
  const Array at = a.transpose(perm_a).reshape({product(a.shape(), free_a), k});
  const Array bt = b.transpose(perm_b).reshape({k, product(b.shape(), free_b)});
  Shape shape;
  for (int ax : free_a) shape.push_back(a.shape()[ax]);
  for (int ax : free_b) shape.push_back(b.shape()[ax]);
  return Value(kernels::dot(at, bt).reshape(shape));
}

// ---- vdot, kron, matrix_power
// --------------------------------------------------------------------

Value vdot_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "vdot", "a"), b = array_arg(args[1], "vdot", "b");
  LARIX_CHECK(a.size() == b.size(), value, "cannot reshape array of size ", b.size(),
              " into shape (", a.size(), ",)");
  // NumPy's vdot conjugates its first argument when it is complex.
  const Array first = is_complex(a.dtype()) ? kernels::conjugate(a) : a;
  return Value(kernels::dot(first.reshape({a.size()}), b.reshape({b.size()})));
}

// Each element of a times all of b: a's axes interleaved with b's, then merged pairwise.
Value kron_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "kron", "a"), b = array_arg(args[1], "kron", "b");
  if (a.ndim() == 0 || b.ndim() == 0) return Value(kernels::binary(BinaryOp::multiply, a, b));
  const int nd = std::max(a.ndim(), b.ndim());
  Shape as(nd - a.ndim(), 1), bs(nd - b.ndim(), 1);
  as.insert(as.end(), a.shape().begin(), a.shape().end());
  bs.insert(bs.end(), b.shape().begin(), b.shape().end());
  Shape a2, b2, out;
  for (int d = 0; d < nd; ++d) {
    a2.insert(a2.end(), {as[d], 1});
    b2.insert(b2.end(), {1, bs[d]});
    out.push_back(as[d] * bs[d]);
  }
  return Value(kernels::binary(BinaryOp::multiply, a.reshape(a2), b.reshape(b2)).reshape(out));
}

Value matrix_power_kernel(KernelArgs& args) {
  Array a = array_arg(args[0], "matrix_power", "a");
  LARIX_CHECK(a.ndim() >= 2, linalg, a.ndim(),
              "-dimensional array given. Array must be at least two-dimensional");
  const int64_t m = a.shape().back();
  LARIX_CHECK(a.shape()[a.ndim() - 2] == m, linalg,
              "Last 2 dimensions of the array must be square");
  LARIX_CHECK(numpy_args::is_int_like(args[1]), type, "exponent must be an integer");
  const int64_t power = args[1].as_int("n");
  if (power == 0) {
    Array eye = Array::zeros(a.dtype(), {m, m});
    Array d = kernels::diagonal(eye, 0, 0, 1);  // a view of `eye`, which this kernel alone holds
    kernels::assign(d, Array::scalar<int64_t>(1));
    return Value(eye.broadcast_to(a.shape()).copy());
  }
  // The magnitude as unsigned: -power overflows for INT64_MIN.
  uint64_t n = power < 0 ? 0 - static_cast<uint64_t>(power) : static_cast<uint64_t>(power);
  if (power < 0) a = kernels::inv(a);
  // NumPy's order of products (so that float results round alike): 1, 2, 3 directly, larger n
  // by binary decomposition.
  if (n == 1) return Value(a);
  if (n == 2) return Value(kernels::matmul(a, a));
  if (n == 3) return Value(kernels::matmul(kernels::matmul(a, a), a));
  Array z, result;
  bool have_z = false, have_result = false;
  while (n > 0) {
    z = have_z ? kernels::matmul(z, z) : a;
    have_z = true;
    if (n % 2) {
      result = have_result ? kernels::matmul(result, z) : z;
      have_result = true;
    }
    n /= 2;
  }
  return Value(result);
}

}  // namespace

void register_products(Registry& r) {
  r.add({.name = "cross",
         .signature = {{arg("a"), arg("b"), arg("axisa", Value(int64_t{-1})),
                        arg("axisb", Value(int64_t{-1})), arg("axisc", Value(int64_t{-1})),
                        arg("axis", Value())}},
         .doc = "cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=nil)\n\nThe cross product of "
                "vectors along axisa of a and axisb of b (axis sets all three), as numpy.cross: "
                "the other axes broadcast; 3-vectors give 3-vectors placed at axisc; two "
                "2-vectors give the z component alone; a 2-vector with a 3-vector has z = 0. "
                "Vector lengths other than 2 and 3 are a ValueError; bools a TypeError.",
         .kernel = cross_kernel});
  r.add({.name = "tensordot",
         .signature = {{arg("a"), arg("b"), arg("axes", Value(int64_t{2}))}},
         .doc = "tensordot(a, b, axes=2)\n\nThe sum of products over the given axes, as "
                "numpy.tensordot: axes=n sums the last n axes of a with the first n of b; "
                "axes=list(axes_a, axes_b) pairs them explicitly. The result has a's remaining "
                "axes, then b's. One matrix product (BLAS gemm for floats).",
         .kernel = tensordot_kernel});
  r.add({.name = "vdot",
         .signature = {{arg("a"), arg("b")}},
         .doc = "vdot(a, b)\n\nThe dot product of a and b flattened, as numpy.vdot (real "
                "dtypes only): a 0-d array. Sizes must agree (ValueError).",
         .kernel = vdot_kernel});
  r.add({.name = "kron",
         .signature = {{arg("a"), arg("b")}},
         .doc = "kron(a, b)\n\nThe Kronecker product, as numpy.kron: blocks a[i, j, ...] * b; "
                "the shorter shape is padded with leading 1s, the result's shape is the "
                "element-wise product of the two.",
         .kernel = kron_kernel});
  r.add({.name = "matrix_power",
         .signature = {{arg("a"), arg("n")}},
         .doc = "matrix_power(a, n)\n\nThe integer power n of a square matrix or stack (..., m, "
                "m) by repeated matrix products, as numpy.linalg.matrix_power: n = 0 gives the "
                "identity in a's dtype; n < 0 the power of the inverse (LinAlgError \"Singular "
                "matrix\"). A non-integer n is a TypeError.",
         .kernel = matrix_power_kernel});
}

}  // namespace larix
