#include "larix/array/dtype.hpp"

namespace larix {

std::size_t itemsize(DType dtype) {
  switch (dtype) {
    case DType::bool_: return 1;
    case DType::int64: return 8;
    case DType::float32: return 4;
    case DType::float64: return 8;
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
  }
  return "?";
}

DType promote(DType a, DType b) {
  // int64 with float32 needs float64 to hold both exactly (NumPy's rule); otherwise the larger.
  if ((a == DType::int64 && b == DType::float32) || (a == DType::float32 && b == DType::int64))
    return DType::float64;
  if (is_complex(a) || is_complex(b)) {
    // complex64 holds bool and float32 exactly; with int64 or float64 the pair needs complex128.
    const DType other = is_complex(a) ? b : a;
    const bool single =
        (a == DType::complex64 || !is_complex(a)) && (b == DType::complex64 || !is_complex(b));
    return single && (other == DType::bool_ || other == DType::float32 || other == DType::complex64)
               ? DType::complex64
               : DType::complex128;
  }
  return a < b ? b : a;
}
bool is_floating(DType dtype) { return dtype == DType::float32 || dtype == DType::float64; }
bool is_integral(DType dtype) { return dtype == DType::bool_ || dtype == DType::int64; }
bool is_complex(DType dtype) { return dtype == DType::complex64 || dtype == DType::complex128; }
DType complex_of(DType dtype) {
  return dtype == DType::float32 || dtype == DType::complex64 ? DType::complex64
                                                              : DType::complex128;
}
DType real_of(DType dtype) {
  return dtype == DType::complex64    ? DType::float32
         : dtype == DType::complex128 ? DType::float64
                                      : dtype;
}

DType parse_dtype(const std::string& name) {
  if (name == "bool" || name == "bool_" || name == "?") return DType::bool_;
  if (name == "int" || name == "int64" || name == "i8" || name == "long" || name == "intp")
    return DType::int64;
  if (name == "float32" || name == "f4" || name == "single") return DType::float32;
  if (name == "float" || name == "float64" || name == "f8" || name == "double")
    return DType::float64;
  if (name == "complex64" || name == "c8" || name == "csingle") return DType::complex64;
  if (name == "complex" || name == "complex128" || name == "c16" || name == "cdouble")
    return DType::complex128;
  user_error(ErrorKind::type, "data type '", name,
             "' is not supported (Larix arrays hold bool, int64, float32, float64, complex64 or "
             "complex128)");
}

void complex_unsupported() {
  user_error(ErrorKind::type,
             "this operation does not support complex numbers in Larix (yet): complex arrays "
             "take + - * / **, == and !=, abs, real, imag, conj, angle, exp, log, sqrt, sin, "
             "cos, tan, sinh, cosh, tanh, sum, mean, prod, cumsum, var, std, any, all, where, "
             "isclose, dot, matmul, vdot, norm, astype, reshaping, indexing and np.fft "
             "(docs/python.md)");
}

}  // namespace larix
