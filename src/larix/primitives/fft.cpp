// np.fft: fft, ifft, rfft, irfft, fftn, ifftn, fft2, ifft2, fftfreq, rfftfreq, fftshift and
// ifftshift (kernels/fft.hpp, on pocketfft), with NumPy's parameters and defaults.
#include "larix/kernels/fft.hpp"

#include <string>
#include <vector>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using kernels::FftNorm;
using numpy_args::array_arg;
using numpy_args::int_arg;
using std::int64_t;

FftNorm parse_norm(const Value& v) {
  if (v.is_nil()) return FftNorm::backward;
  const std::string name = v.is_string() ? v.as_string() : v.repr();
  if (name == "backward") return FftNorm::backward;
  if (name == "ortho") return FftNorm::ortho;
  if (name == "forward") return FftNorm::forward;
  user_error(ErrorKind::value, "Invalid norm value ", name,
             "; should be \"backward\", \"ortho\" or \"forward\".");
}

int64_t length_along(const Array& a, int axis) {
  const int k = kernels::normalize_axes(std::vector<int>{axis}, a.ndim())[0];
  return a.shape()[k];
}

// fft(a, n=nil, axis=-1, norm=nil) and its kind.
enum class Kind { c2c_forward, c2c_inverse, r2c, c2r };

Array one_axis(Kind kind, const Array& a, const Value& n_arg, int axis, FftNorm norm) {
  const int64_t m = length_along(a, axis);
  int64_t n = kind == Kind::c2r ? 2 * (m - 1) : m;
  if (!n_arg.is_nil()) n = int_arg(n_arg, "n");
  switch (kind) {
    case Kind::c2c_forward: return kernels::fft(a, n, axis, true, norm);
    case Kind::c2c_inverse: return kernels::fft(a, n, axis, false, norm);
    case Kind::r2c: return kernels::rfft(a, n, axis, norm);
    case Kind::c2r: return kernels::irfft(a, n, axis, norm);
  }
  return a;
}

Kernel one_axis_kernel(Kind kind, const char* fn) {
  return [kind, fn](KernelArgs& args) {
    const Array a = array_arg(args[0], fn, "a");
    const int axis = static_cast<int>(int_arg(args[2], "axis"));
    return Value(one_axis(kind, a, args[1], axis, parse_norm(args[3])));
  };
}

// fftn(a, s=nil, axes=nil, norm=nil): one-axis transforms over `axes`, the last axis first (as
// NumPy goes), each with its length from s.
Kernel many_axes_kernel(bool forward, const char* fn) {
  return [forward, fn](KernelArgs& args) {
    Array a = array_arg(args[0], fn, "a");
    const std::optional<std::vector<int>> given = numpy_args::parse_axes(args[2]);
    std::vector<int64_t> s;
    if (!args[1].is_nil()) {
      LARIX_CHECK(args[1].is_list() || args[1].is_array(), type, fn,
                  "(): s must be a sequence of integers");
      const Array lengths = array_arg(args[1], fn, "s");
      for (int64_t i = 0; i < lengths.size(); ++i) s.push_back(lengths.item<int64_t>(i));
    }
    std::vector<int> axes;
    if (given) {
      axes = *given;
    } else {
      const int count = args[1].is_nil() ? a.ndim() : static_cast<int>(s.size());
      for (int k = -count; k < 0; ++k) axes.push_back(k);
    }
    if (args[1].is_nil())
      for (int axis : axes) s.push_back(length_along(a, axis));
    LARIX_CHECK(s.size() == axes.size(), value, "Shape and axes have different lengths.");
    const FftNorm norm = parse_norm(args[3]);
    for (std::size_t i = axes.size(); i-- > 0;) a = kernels::fft(a, s[i], axes[i], forward, norm);
    // No axis: the input as complex, as NumPy returns it.
    if (axes.empty())
      a = kernels::cast(a, a.dtype() == DType::float32 ? DType::complex64
                           : is_complex(a.dtype())     ? a.dtype()
                                                       : DType::complex128);
    return Value(a);
  };
}

Kernel freq_kernel(bool real, const char* fn) {
  return [real, fn](KernelArgs& args) {
    LARIX_CHECK(args[0].is_int() || (args[0].is_array() && args[0].as_array_ref().ndim() == 0 &&
                                     is_integral(args[0].as_array_ref().dtype())),
                type, "n should be an integer");
    return Value(kernels::fftfreq(int_arg(args[0], "n"), args[1].as_double("d"), real));
  };
}

Kernel shift_kernel(bool inverse, const char* fn) {
  return [inverse, fn](KernelArgs& args) {
    const Array x = array_arg(args[0], fn, "x");
    return Value(kernels::fftshift(x, numpy_args::parse_axes(args[1]).value_or(std::vector<int>{}),
                                   inverse));
  };
}

const char* kNorm =
    " norm: nil or \"backward\" (the inverse scaled by 1/n), \"ortho\" (both by 1/sqrt(n)) or "
    "\"forward\" (the forward transform by 1/n); another value is a ValueError.";
const char* kDtypes =
    " float32 and complex64 input compute in complex64, everything else in complex128 (NumPy "
    "2's rule); pocketfft, the library NumPy's np.fft runs on, one thread per call.";

}  // namespace

void register_fft(Registry& r) {
  auto doc = [](const std::string& head, const std::string& body) {
    return head + "\n\n" + body + kNorm;
  };
  const Signature one{
      {arg("a"), arg("n", Value()), arg("axis", Value(int64_t{-1})), arg("norm", Value())}};
  auto many = [](Value axes) {
    return Signature{
        {arg("a"), arg("s", Value()), arg("axes", std::move(axes)), arg("norm", Value())}};
  };
  const Value last_two(List{Value(int64_t{-2}), Value(int64_t{-1})});
  r.add({.name = "fft",
         .signature = one,
         .doc = doc("fft(a, n=nil, axis=-1, norm=nil)",
                    std::string("The discrete Fourier transform along one axis, as "
                                "numpy.fft.fft, of n points (a cut, or padded with zeros; n >= 1, "
                                "else a ValueError).") +
                        kDtypes),
         .kernel = one_axis_kernel(Kind::c2c_forward, "fft")});
  r.add({.name = "ifft",
         .signature = one,
         .doc = doc("ifft(a, n=nil, axis=-1, norm=nil)",
                    std::string("The inverse transform of fft along one axis, as "
                                "numpy.fft.ifft.") +
                        kDtypes),
         .kernel = one_axis_kernel(Kind::c2c_inverse, "ifft")});
  r.add({.name = "rfft",
         .signature = one,
         .doc = doc("rfft(a, n=nil, axis=-1, norm=nil)",
                    "The transform of real input along one axis, as numpy.fft.rfft: n / 2 + 1 "
                    "complex values (complex64 for float32 input, complex128 otherwise); complex "
                    "input is a TypeError."),
         .kernel = one_axis_kernel(Kind::r2c, "rfft")});
  r.add({.name = "irfft",
         .signature = one,
         .doc = doc("irfft(a, n=nil, axis=-1, norm=nil)",
                    "The inverse of rfft, as numpy.fft.irfft: n real values (n defaults to "
                    "2 * (m - 1) for m input values, of which the first n / 2 + 1 are used, "
                    "padded with zeros when fewer); float32 for complex64 or float32 input, "
                    "float64 otherwise."),
         .kernel = one_axis_kernel(Kind::c2r, "irfft")});
  r.add({.name = "fftn",
         .signature = many(Value()),
         .doc = doc("fftn(a, s=nil, axes=nil, norm=nil)",
                    "The n-dimensional transform, as numpy.fft.fftn: fft over each of `axes` "
                    "(all, or the last len(s)), the last first, with lengths s (a's by "
                    "default); s and axes of different lengths are a ValueError."),
         .kernel = many_axes_kernel(true, "fftn")});
  r.add({.name = "ifftn",
         .signature = many(Value()),
         .doc =
             doc("ifftn(a, s=nil, axes=nil, norm=nil)", "The inverse of fftn, as numpy.fft.ifftn."),
         .kernel = many_axes_kernel(false, "ifftn")});
  r.add({.name = "fft2",
         .signature = many(last_two),
         .doc = doc("fft2(a, s=nil, axes='(-2, -1), norm=nil)",
                    "fftn over the last two axes, as numpy.fft.fft2."),
         .kernel = many_axes_kernel(true, "fft2")});
  r.add({.name = "ifft2",
         .signature = many(last_two),
         .doc = doc("ifft2(a, s=nil, axes='(-2, -1), norm=nil)",
                    "ifftn over the last two axes, as numpy.fft.ifft2."),
         .kernel = many_axes_kernel(false, "ifft2")});
  r.add({.name = "fftfreq",
         .signature = {{arg("n"), arg("d", Value(1.0))}},
         .doc = "fftfreq(n, d=1.0)\n\nThe sample frequencies of fft's result for n points d "
                "apart, as numpy.fft.fftfreq: [0, 1, ..., (n - 1) / 2, -(n / 2), ..., -1] / "
                "(n * d), float64. n must be an integer (TypeError).",
         .kernel = freq_kernel(false, "fftfreq")});
  r.add({.name = "rfftfreq",
         .signature = {{arg("n"), arg("d", Value(1.0))}},
         .doc = "rfftfreq(n, d=1.0)\n\nThe sample frequencies of rfft's result, as "
                "numpy.fft.rfftfreq: [0, 1, ..., n / 2] / (n * d), float64.",
         .kernel = freq_kernel(true, "rfftfreq")});
  r.add({.name = "fftshift",
         .signature = {{arg("x"), arg("axes", Value())}},
         .doc = "fftshift(x, axes=nil)\n\nThe zero frequency moved to the middle, as "
                "numpy.fft.fftshift: x rolled by n / 2 along each of `axes` (all by default).",
         .kernel = shift_kernel(false, "fftshift")});
  r.add({.name = "ifftshift",
         .signature = {{arg("x"), arg("axes", Value())}},
         .doc = "ifftshift(x, axes=nil)\n\nThe inverse of fftshift, as numpy.fft.ifftshift (the "
                "two differ for odd lengths).",
         .kernel = shift_kernel(true, "ifftshift")});
}

}  // namespace larix
