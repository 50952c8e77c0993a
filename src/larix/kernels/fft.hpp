// Discrete Fourier transforms (np.fft) on pocketfft (third_party/pocketfft, the library NumPy's
// own np.fft runs on), one thread per call: the runtime owns the threads.
#pragma once

#include <cstdint>
#include <vector>

#include "larix/array/array.hpp"

namespace larix::kernels {

// NumPy's norm=: which direction is scaled, by 1/n (backward: the inverse; forward: the forward
// transform) or both by 1/sqrt(n) (ortho).
enum class FftNorm { backward, ortho, forward };

// np.fft.fft (forward) / ifft along `axis` with n points (a cut, or padded with zeros): complex64
// for float32 and complex64 input, complex128 for the rest. n >= 1 (else NumPy's ValueError).
Array fft(const Array& a, std::int64_t n, int axis, bool forward, FftNorm norm);
// np.fft.rfft: a real a (cast to float32 or float64) to n / 2 + 1 complex values.
Array rfft(const Array& a, std::int64_t n, int axis, FftNorm norm);
// np.fft.irfft: the n real values whose rfft is a (cut or padded to n / 2 + 1 values).
Array irfft(const Array& a, std::int64_t n, int axis, FftNorm norm);
// np.fft.fftfreq / rfftfreq: the sample frequencies of n points d apart.
Array fftfreq(std::int64_t n, double d, bool real);
// np.fft.fftshift (inverse: ifftshift) over `axes` (all when empty): the zero frequency moved to
// the middle.
Array fftshift(const Array& a, const std::vector<int>& axes, bool inverse);

}  // namespace larix::kernels
