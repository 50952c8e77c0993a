// Complex numbers: np.real, np.imag, np.conj (conjugate) and np.angle (kernels/complex.hpp). They
// take any numeric array: a real one's real part and conjugate are itself, its imaginary part
// zeros.
#include "larix/kernels/complex.hpp"

#include <complex>

#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using numpy_args::array_arg;

// The result type of real/imag (parts) or conj (the dtype kept).
TypeRule parts_rule(bool parts) {
  return [parts](const std::vector<TypeInfo>& t) -> TypeInfo {
    const auto a = numpy_args::array_type(t[0]);
    if (!a) return numpy_args::unknown_type();
    const DType conj = a->dtype == DType::bool_ ? DType::int64 : a->dtype;
    return numpy_args::array_result(parts ? real_of(a->dtype) : conj, a->shape);
  };
}

Kernel unary(const char* fn, Array (*op)(const Array&)) {
  return [fn, op](KernelArgs& args) { return Value(op(array_arg(args[0], fn, "val"))); };
}

}  // namespace

void register_complex(Registry& r) {
  r.add({.name = "complex",
         .signature = {{arg("real", Value(0.0)), arg("imag", Value(0.0))}},
         .doc = "complex(real=0.0, imag=0.0)\n\nThe complex number real + imag * 1j of two real "
                "numbers, as Python's complex(): a 0-d complex128 array (what a kernel's 1j "
                "becomes). It takes part in NumPy's promotion as a complex128 array (NumPy treats "
                "a Python complex as weak: float32 * 1j is complex64 there, complex128 here).",
         .kernel =
             [](KernelArgs& args) {
               return Value(Array::scalar(
                   std::complex<double>(args[0].as_double("real"), args[1].as_double("imag"))));
             },
         .type_rule = [](const std::vector<TypeInfo>&) -> TypeInfo {
           return numpy_args::array_result(DType::complex128, {});
         }});
  r.add({.name = "real",
         .signature = {{arg("val")}},
         .doc = "real(val)\n\nThe real part of each element, as numpy.real: float32 for complex64, "
                "float64 for complex128; a real array comes back as it is.",
         .kernel = unary("real", kernels::real_part),
         .type_rule = parts_rule(true)});
  r.add({.name = "imag",
         .signature = {{arg("val")}},
         .doc = "imag(val)\n\nThe imaginary part of each element, as numpy.imag (its dtype as for "
                "real); zeros of a real array's dtype for a real array.",
         .kernel = unary("imag", kernels::imag_part),
         .type_rule = parts_rule(true)});
  r.add({.name = "conj",
         .aliases = {"conjugate"},
         .signature = {{arg("x")}},
         .doc = "conj(x)\n\nThe complex conjugate of each element, as numpy.conj (the imaginary "
                "part negated); a real array comes back as it is (bools as int64, where NumPy "
                "gives int8).",
         .kernel = unary("conj", kernels::conjugate),
         .type_rule = parts_rule(false)});
  r.add({.name = "angle",
         .signature = {{arg("z"), arg("deg", Value(false))}},
         .doc = "angle(z, deg=false)\n\nThe counterclockwise angle of each element from the "
                "positive real axis, as numpy.angle: atan2(imag, real) in radians (degrees with "
                "deg), float32 for complex64 and float32, float64 otherwise.",
         .kernel =
             [](KernelArgs& args) {
               return Value(
                   kernels::angle(array_arg(args[0], "angle", "z"), args[1].as_bool("deg")));
             },
         .type_rule = [](const std::vector<TypeInfo>& t) -> TypeInfo {
           const auto a = numpy_args::array_type(t[0]);
           if (!a) return numpy_args::unknown_type();
           const DType d = a->dtype == DType::float32 || a->dtype == DType::complex64
                               ? DType::float32
                               : DType::float64;
           return numpy_args::array_result(d, a->shape);
         }});
}

}  // namespace larix
