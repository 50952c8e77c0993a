// DType: the runtime element type of an Array, and the one place that switches on it.
#pragma once

#include <complex>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "larix/support/error.hpp"

namespace larix {

// The compute dtypes, which kernels are written for (visit_dtype): bool, int64, float32, float64.
// complex64 and complex128 (pairs of float32 / float64) are held, passed and reshaped like any
// array; only the operations written for them compute on them (visit_any_dtype), the others
// raise a TypeError for a complex operand (visit_dtype).
// The narrow dtypes (int8 ... uint64, float16) are storage: arrays hold them (borrowed from and
// returned to NumPy without a copy), data movement keeps them, and a kernel sees them widened to
// their compute dtype (compute_dtype: int64 or float32) by run_kernel, whose primitive's policy
// then gives the result NumPy's dtype (runtime/narrow.hpp). Their values are appended to keep
// the older ones' numbers.
enum class DType : std::uint8_t {
  bool_,
  int64,
  float32,
  float64,
  complex64,
  complex128,
  int8,
  int16,
  int32,
  uint8,
  uint16,
  uint32,
  uint64,
  float16
};
inline constexpr int kDTypeCount = 14;

// IEEE 754 binary16, NumPy's float16: stored as its bits; converted to and from float and double
// with rounding to nearest, ties to even (as NumPy's npy_half functions).
struct Half {
  std::uint16_t bits = 0;
  Half() = default;
  explicit Half(double v) : bits(half_bits_from_double(v)) {}
  explicit operator float() const { return half_bits_to_float(bits); }
  explicit operator double() const { return half_bits_to_float(bits); }
  static std::uint16_t half_bits_from_double(double v);
  static float half_bits_to_float(std::uint16_t h);
};

template <class T>
struct TypeTag {
  using type = T;
};

std::size_t itemsize(DType dtype);
const char* dtype_name(DType dtype);  // NumPy's names: bool, int64, float32, ..., complex128
// Result type of a binary arithmetic operation between two arrays (NumPy's promotion).
DType promote(DType a, DType b);
bool is_floating(DType dtype);  // float16, float32, float64
bool is_integral(DType dtype);  // bool and every integer width (bool counts as integral here)
bool is_complex(DType dtype);
bool is_unsigned(DType dtype);    // uint8 ... uint64
bool is_signed_int(DType dtype);  // int8 ... int64
// A storage-only dtype: int8, int16, int32, uint8, uint16, uint32, uint64, float16.
inline bool is_narrow(DType dtype) { return dtype >= DType::int8; }
// The dtype a kernel computes a narrow one in: int64 for the integers, float32 for float16; any
// other dtype is its own.
DType compute_dtype(DType dtype);
// The float dtype NumPy's float functions (sqrt, exp, ...) give for an operand of this dtype: the
// smallest float that holds its values (int8/uint8: float16, int16/uint16: float32, wider:
// float64); a float or complex dtype is its own. bool: float64 (Larix's, documented; NumPy:
// float16).
DType holding_float(DType dtype);
// The integer dtype of a width and signedness (bytes 1, 2, 4, 8).
DType int_dtype(std::size_t bytes, bool is_signed);
// The complex dtype of a real one's precision (float32 -> complex64, others -> complex128), and
// the real dtype of a complex one's parts (complex64 -> float32).
DType complex_of(DType dtype);
DType real_of(DType dtype);
// Parse a NumPy dtype name ("float64", "f8", "int", "bool", "float", "complex", "c16", ...); a
// name of no Larix dtype is a TypeError (parse_dtype) or none (dtype_named).
DType parse_dtype(const std::string& name);
std::optional<DType> dtype_named(const std::string& name);

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
  else if constexpr (std::is_same_v<T, std::int8_t>) return DType::int8;
  else if constexpr (std::is_same_v<T, std::int16_t>) return DType::int16;
  else if constexpr (std::is_same_v<T, std::int32_t>) return DType::int32;
  else if constexpr (std::is_same_v<T, std::uint8_t>) return DType::uint8;
  else if constexpr (std::is_same_v<T, std::uint16_t>) return DType::uint16;
  else if constexpr (std::is_same_v<T, std::uint32_t>) return DType::uint32;
  else if constexpr (std::is_same_v<T, std::uint64_t>) return DType::uint64;
  else if constexpr (std::is_same_v<T, Half>) return DType::float16;
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
  if constexpr (std::is_same_v<S, Half>) return convert_element<float, D>(static_cast<float>(v));
  else if constexpr (std::is_same_v<D, Half>) {
    if constexpr (is_complex_v<S>) return Half(static_cast<double>(v.real()));
    else return Half(static_cast<double>(v));
  } else if constexpr (std::is_same_v<D, bool>) return v != S(0);
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
    default: break;
  }
  // A narrow dtype never reaches a kernel: run_kernel widens it (compute_dtype).
  LARIX_ASSERT(false, "a kernel got a ", dtype_name(dtype), " array (not widened)");
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

// The same over every dtype an Array can hold, the narrow ones included (std::int8_t ...
// std::uint64_t, Half): for storage, not computation (conversions, element reads, printing).
template <class F>
decltype(auto) visit_storage_dtype(DType dtype, F&& f) {
  switch (dtype) {
    case DType::int8: return f(TypeTag<std::int8_t>{});
    case DType::int16: return f(TypeTag<std::int16_t>{});
    case DType::int32: return f(TypeTag<std::int32_t>{});
    case DType::uint8: return f(TypeTag<std::uint8_t>{});
    case DType::uint16: return f(TypeTag<std::uint16_t>{});
    case DType::uint32: return f(TypeTag<std::uint32_t>{});
    case DType::uint64: return f(TypeTag<std::uint64_t>{});
    case DType::float16: return f(TypeTag<Half>{});
    default: return visit_any_dtype(dtype, std::forward<F>(f));
  }
}

}  // namespace larix
