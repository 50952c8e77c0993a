// DType: the runtime element type of an Array, and the one place that switches on it.
#pragma once

#include <complex>
#include <cstddef>
#include <cstdint>
#include <string>

#include "larix/support/error.hpp"

namespace larix {

// The real dtypes are ordered by NumPy's promotion lattice: bool < int64 < float32 < float64.
// complex64 and complex128 (pairs of float32 / float64) are held, passed and reshaped like any
// array; only the operations written for them compute on them (visit_any_dtype), the others
// raise a TypeError for a complex operand (visit_dtype).
enum class DType : std::uint8_t { bool_, int64, float32, float64, complex64, complex128 };

template <class T>
struct TypeTag {
  using type = T;
};

std::size_t itemsize(DType dtype);
const char* dtype_name(DType dtype);  // NumPy's names: bool, int64, float32, ..., complex128
// Result type of a binary arithmetic operation between two arrays (NumPy's promotion).
DType promote(DType a, DType b);
bool is_floating(DType dtype);  // float32, float64
bool is_integral(DType dtype);  // bool counts as integral here
bool is_complex(DType dtype);
// The complex dtype of a real one's precision (float32 -> complex64, others -> complex128), and
// the real dtype of a complex one's parts (complex64 -> float32).
DType complex_of(DType dtype);
DType real_of(DType dtype);
// Parse a NumPy dtype name ("float64", "f8", "int", "bool", "float", "complex", "c16", ...).
DType parse_dtype(const std::string& name);

// The TypeError of an operation that has no loop for complex numbers.
[[noreturn]] void complex_unsupported();

template <class T>
inline constexpr bool is_complex_v = false;
template <class T>
inline constexpr bool is_complex_v<std::complex<T>> = true;

template <class T>
constexpr DType dtype_of() {
  if constexpr (std::is_same_v<T, bool>) return DType::bool_;
  else if constexpr (std::is_same_v<T, std::int64_t>) return DType::int64;
  else if constexpr (std::is_same_v<T, float>) return DType::float32;
  else if constexpr (std::is_same_v<T, std::complex<float>>) return DType::complex64;
  else if constexpr (std::is_same_v<T, std::complex<double>>) return DType::complex128;
  else {
    static_assert(std::is_same_v<T, double>, "no Larix dtype for this C++ type");
    return DType::float64;
  }
}

// One element converted as NumPy's unsafe cast converts it: to bool, whether it is nonzero; a
// real number to a complex one, with no imaginary part; a complex number to a real one, its real
// part (NumPy also warns, ComplexWarning).
template <class S, class D>
D convert_element(S v) {
  if constexpr (std::is_same_v<D, bool>) return v != S(0);
  else if constexpr (is_complex_v<D> && is_complex_v<S>) return D(v);
  else if constexpr (is_complex_v<D>) return D(static_cast<typename D::value_type>(v), 0);
  else if constexpr (is_complex_v<S>) return static_cast<D>(v.real());
  else return static_cast<D>(v);
}

// Calls f(TypeTag<T>{}) with the C++ element type of a real `dtype` (bool, int64, float32,
// float64): kernels are written once, generically. A complex dtype is the user's TypeError
// (complex_unsupported): the kernel has no loop for it.
template <class F>
decltype(auto) visit_dtype(DType dtype, F&& f) {
  switch (dtype) {
    case DType::bool_: return f(TypeTag<bool>{});
    case DType::int64: return f(TypeTag<std::int64_t>{});
    case DType::float32: return f(TypeTag<float>{});
    case DType::float64: return f(TypeTag<double>{});
    case DType::complex64:
    case DType::complex128: complex_unsupported();
  }
  LARIX_ASSERT(false, "bad dtype ", static_cast<int>(dtype));
}

// The same over every dtype, complex ones included (std::complex<float> / <double>): for kernels
// written for complex numbers too.
template <class F>
decltype(auto) visit_any_dtype(DType dtype, F&& f) {
  switch (dtype) {
    case DType::complex64: return f(TypeTag<std::complex<float>>{});
    case DType::complex128: return f(TypeTag<std::complex<double>>{});
    default: return visit_dtype(dtype, std::forward<F>(f));
  }
}

}  // namespace larix
