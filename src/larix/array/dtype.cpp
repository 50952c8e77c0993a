#include "larix/array/dtype.hpp"

#include <bit>
#include <cmath>

namespace larix {

std::size_t itemsize(DType dtype) {
  switch (dtype) {
    case DType::bool_:
    case DType::int8:
    case DType::uint8: return 1;
    case DType::int16:
    case DType::uint16:
    case DType::float16: return 2;
    case DType::int32:
    case DType::uint32:
    case DType::float32: return 4;
    case DType::int64:
    case DType::uint64:
    case DType::float64:
    case DType::complex64: return 8;
    case DType::complex128: return 16;
  }
  return 0;
}

const char* dtype_name(DType dtype) {
  switch (dtype) {
    case DType::bool_: return "bool";
    case DType::int64: return "int64";
    case DType::float32: return "float32";
    case DType::float64: return "float64";
    case DType::complex64: return "complex64";
    case DType::complex128: return "complex128";
    case DType::int8: return "int8";
    case DType::int16: return "int16";
    case DType::int32: return "int32";
    case DType::uint8: return "uint8";
    case DType::uint16: return "uint16";
    case DType::uint32: return "uint32";
    case DType::uint64: return "uint64";
    case DType::float16: return "float16";
  }
  return "?";
}

bool is_unsigned(DType dtype) { return dtype >= DType::uint8 && dtype <= DType::uint64; }
bool is_signed_int(DType dtype) {
  return dtype == DType::int64 || (dtype >= DType::int8 && dtype <= DType::int32);
}
bool is_floating(DType dtype) {
  return dtype == DType::float32 || dtype == DType::float64 || dtype == DType::float16;
}
bool is_integral(DType dtype) {
  return dtype == DType::bool_ || is_signed_int(dtype) || is_unsigned(dtype);
}
bool is_complex(DType dtype) { return dtype == DType::complex64 || dtype == DType::complex128; }

DType compute_dtype(DType dtype) {
  if (!is_narrow(dtype)) return dtype;
  return dtype == DType::float16 ? DType::float32 : DType::int64;
}

DType int_dtype(std::size_t bytes, bool is_signed) {
  switch (bytes) {
    case 1: return is_signed ? DType::int8 : DType::uint8;
    case 2: return is_signed ? DType::int16 : DType::uint16;
    case 4: return is_signed ? DType::int32 : DType::uint32;
    default: return is_signed ? DType::int64 : DType::uint64;
  }
}

DType holding_float(DType dtype) {
  if (is_floating(dtype) || is_complex(dtype)) return dtype;
  if (dtype == DType::bool_) return DType::float64;
  switch (itemsize(dtype)) {
    case 1: return DType::float16;
    case 2: return DType::float32;
    default: return DType::float64;
  }
}

namespace {
// The float size (2, 4, 8) that holds every value of an integer dtype exactly (NumPy's rule for
// an integer meeting a float); 0 for bool (any float holds it).
std::size_t float_bytes_for(DType int_dtype) {
  if (int_dtype == DType::bool_) return 0;
  const std::size_t n = itemsize(int_dtype);
  return n == 1 ? 2 : n == 2 ? 4 : 8;
}

DType float_dtype(std::size_t bytes) {
  return bytes <= 2 ? DType::float16 : bytes == 4 ? DType::float32 : DType::float64;
}
}  // namespace

// NumPy's promotion of two array dtypes (np.result_type; NEP 50: both are "strong").
DType promote(DType a, DType b) {
  if (a == b) return a;
  if (a == DType::bool_) return b;
  if (b == DType::bool_) return a;
  if (is_complex(a) || is_complex(b)) {
    // The complex dtype whose parts hold both: complex64 when a float32 does.
    const DType other = is_complex(a) ? b : a;
    const DType c = is_complex(a) ? a : b;
    std::size_t part = c == DType::complex64 ? 4 : 8;
    if (is_complex(other)) part = std::max(part, other == DType::complex64 ? std::size_t{4} : 8);
    else if (is_floating(other)) part = std::max(part, itemsize(other));
    else part = std::max(part, float_bytes_for(other));
    return part <= 4 ? DType::complex64 : DType::complex128;
  }
  if (is_floating(a) || is_floating(b)) {
    std::size_t bytes = 0;
    for (DType d : {a, b})
      bytes = std::max(bytes, is_floating(d) ? itemsize(d) : float_bytes_for(d));
    return float_dtype(bytes);
  }
  // Two integer dtypes.
  const bool ua = is_unsigned(a), ub = is_unsigned(b);
  const std::size_t na = itemsize(a), nb = itemsize(b);
  if (ua == ub) return int_dtype(std::max(na, nb), !ua);
  const std::size_t signed_bytes = ua ? nb : na, unsigned_bytes = ua ? na : nb;
  if (signed_bytes > unsigned_bytes) return int_dtype(signed_bytes, true);
  if (unsigned_bytes == 8) return DType::float64;  // uint64 with any signed integer
  return int_dtype(2 * unsigned_bytes, true);
}

DType complex_of(DType dtype) {
  return dtype == DType::float32 || dtype == DType::complex64 || dtype == DType::float16
             ? DType::complex64
             : DType::complex128;
}
DType real_of(DType dtype) {
  return dtype == DType::complex64    ? DType::float32
         : dtype == DType::complex128 ? DType::float64
                                      : dtype;
}

std::optional<DType> dtype_named(const std::string& name) {
  if (name == "bool" || name == "bool_" || name == "?") return DType::bool_;
  if (name == "int" || name == "int64" || name == "i8" || name == "long" || name == "intp")
    return DType::int64;
  if (name == "float32" || name == "f4" || name == "single") return DType::float32;
  if (name == "float" || name == "float64" || name == "f8" || name == "double")
    return DType::float64;
  if (name == "complex64" || name == "c8" || name == "csingle") return DType::complex64;
  if (name == "complex" || name == "complex128" || name == "c16" || name == "cdouble")
    return DType::complex128;
  if (name == "int8" || name == "i1" || name == "byte") return DType::int8;
  if (name == "int16" || name == "i2" || name == "short") return DType::int16;
  if (name == "int32" || name == "i4" || name == "intc") return DType::int32;
  if (name == "uint8" || name == "u1" || name == "ubyte") return DType::uint8;
  if (name == "uint16" || name == "u2" || name == "ushort") return DType::uint16;
  if (name == "uint32" || name == "u4" || name == "uintc") return DType::uint32;
  if (name == "uint64" || name == "u8" || name == "uint" || name == "ulong" || name == "uintp")
    return DType::uint64;
  if (name == "float16" || name == "f2" || name == "half") return DType::float16;
  return std::nullopt;
}

DType parse_dtype(const std::string& name) {
  if (const std::optional<DType> d = dtype_named(name)) return *d;
  user_error(ErrorKind::type, "data type '", name,
             "' is not supported (Larix arrays hold bool, int8 ... int64, uint8 ... uint64, "
             "float16, float32, float64, complex64 or complex128)");
}

void complex_unsupported() {
  user_error(ErrorKind::type,
             "this operation does not support complex numbers in Larix (yet): complex arrays "
             "take + - * / **, == and !=, maximum, minimum, abs, real, imag, conj, angle, exp, "
             "exp2, expm1, log, log1p, sqrt, sin, cos, tan, sinh, cosh, tanh and their "
             "inverses, sort, argsort, sum, mean, prod, cumsum, var, std, any, all, where, "
             "isclose, dot, matmul, vdot, norm, solve, inv, det, astype, reshaping, indexing and "
             "np.fft "
             "(docs/python.md)");
}

// binary16: 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits. Rounded once, from the
// double (a float converts to double exactly), to nearest with ties to even.
std::uint16_t Half::half_bits_from_double(double v) {
  const std::uint64_t x = std::bit_cast<std::uint64_t>(v);
  const auto sign = static_cast<std::uint16_t>((x >> 48) & 0x8000u);
  const std::uint64_t magnitude = x & 0x7fffffffffffffffull;
  const std::uint64_t fraction = magnitude & 0xfffffffffffffull;
  if (magnitude >= 0x7ff0000000000000ull) {  // inf or NaN (a NaN stays a NaN, quiet)
    if (magnitude == 0x7ff0000000000000ull) return sign | 0x7c00u;
    return static_cast<std::uint16_t>(sign | 0x7e00u | (fraction >> 42));
  }
  const double a = std::fabs(v);
  if (a >= 65520.0) return sign | 0x7c00u;  // rounds past the largest half, 65504
  if (a < 0x1p-14) {                        // zero or a subnormal half: units of 2**-24
    return static_cast<std::uint16_t>(sign |
                                      static_cast<std::uint16_t>(std::nearbyint(a * 0x1p24)));
  }
  const auto exponent = static_cast<std::uint32_t>((magnitude >> 52) - 1023 + 15);
  std::uint32_t h = (exponent << 10) | static_cast<std::uint32_t>(fraction >> 42);
  const std::uint64_t rest = fraction & ((std::uint64_t{1} << 42) - 1);
  const std::uint64_t halfway = std::uint64_t{1} << 41;
  if (rest > halfway || (rest == halfway && (h & 1u))) ++h;  // a carry moves the exponent up
  return static_cast<std::uint16_t>(sign | h);
}

float Half::half_bits_to_float(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t exponent = (h >> 10) & 0x1fu;
  const std::uint32_t fraction = h & 0x3ffu;
  if (exponent == 0) {  // zero or subnormal: fraction * 2**-24, exact in a float
    const float m = std::ldexp(static_cast<float>(fraction), -24);
    return sign ? -m : m;
  }
  if (exponent == 31) return std::bit_cast<float>(sign | 0x7f800000u | (fraction << 13));
  return std::bit_cast<float>(sign | ((exponent - 15 + 127) << 23) | (fraction << 13));
}

}  // namespace larix
