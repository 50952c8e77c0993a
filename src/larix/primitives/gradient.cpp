// gradient (Phylanx's, as numpy.gradient with unit spacing): central differences inside, one-sided
// differences at both ends, along one axis or along each.
#include <string>
#include <vector>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/join.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using kernels::BinaryOp;

// a[start:stop] along axis k, a view.
Array part(const Array& a, int k, std::int64_t start, std::int64_t stop) {
  Shape shape = a.shape();
  shape[static_cast<std::size_t>(k)] = stop - start;
  return a.view(start * a.strides()[static_cast<std::size_t>(k)], shape, a.strides());
}

Array gradient_along(const Array& f, int k) {
  const std::int64_t n = f.shape()[static_cast<std::size_t>(k)];
  LARIX_CHECK(n >= 2, value,
              "Shape of array too small to calculate a numerical gradient, at least (edge_order + "
              "1) elements are required.");
  const DType d = f.dtype();
  auto minus = [&](const Array& x, const Array& y) {
    return kernels::binary(BinaryOp::subtract, x, y, d);
  };
  std::vector<Array> pieces{minus(part(f, k, 1, 2), part(f, k, 0, 1))};
  if (n > 2) {
    const Array two = d == DType::float32 ? Array::scalar<float>(2.0F) : Array::scalar<double>(2.0);
    pieces.push_back(kernels::binary(BinaryOp::true_divide,
                                     minus(part(f, k, 2, n), part(f, k, 0, n - 2)), two, d));
  }
  pieces.push_back(minus(part(f, k, n - 1, n), part(f, k, n - 2, n - 1)));
  return kernels::concatenate(pieces, k);
}

Value gradient_kernel(KernelArgs& args) {
  const Array a = numpy_args::array_arg(args[0], "gradient", "f");
  LARIX_CHECK(a.dtype() != DType::bool_, type,
              "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, "
              "the `^` operator, or the logical_xor function instead.");
  LARIX_CHECK(a.ndim() > 0, value,
              "Shape of array too small to calculate a numerical gradient, at least (edge_order + "
              "1) elements are required.");
  // Integers compute in float64, float32 stays float32 (NumPy's).
  const Array f = a.dtype() == DType::int64 ? a.astype(DType::float64) : a;
  const int nd = f.ndim();
  if (const auto axis = numpy_args::parse_axis(args[1])) {
    LARIX_CHECK(*axis >= -nd && *axis < nd, axis, "axis ", *axis,
                " is out of bounds for array of dimension ", nd);
    return Value(gradient_along(f, *axis < 0 ? *axis + nd : *axis));
  }
  if (nd == 1) return Value(gradient_along(f, 0));
  List out;
  for (int k = 0; k < nd; ++k) out.push_back(Value(gradient_along(f, k)));
  return Value(std::move(out));
}

}  // namespace

void register_gradient(Registry& r) {
  r.add({.name = "gradient",
         .signature = {{arg("f"), arg("axis", Value())}},
         .doc = "gradient(f, axis=nil)\n\nPhylanx's gradient, as numpy.gradient with unit "
                "spacing (edge_order 1): (f[i+1] - f[i-1]) / 2 inside, f[1] - f[0] and f[-1] - "
                "f[-2] at the ends, along axis. With axis nil a 1-d f gives one array and an n-d "
                "f a list of n arrays, one per axis. Integers give float64, float32 stays "
                "float32; bools are a TypeError; an axis shorter than 2 is a ValueError.",
         .kernel = gradient_kernel});
}

}  // namespace larix
