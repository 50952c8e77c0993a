#include "larix/array/dtype.hpp"

namespace larix {

std::size_t itemsize(DType dtype) {
  return visit_dtype(dtype, [](auto tag) { return sizeof(typename decltype(tag)::type); });
}

const char* dtype_name(DType dtype) {
  switch (dtype) {
    case DType::bool_: return "bool";
    case DType::int64: return "int64";
    case DType::float32: return "float32";
    case DType::float64: return "float64";
  }
  return "?";
}

DType promote(DType a, DType b) {
  // int64 with float32 needs float64 to hold both exactly (NumPy's rule); otherwise the larger.
  if ((a == DType::int64 && b == DType::float32) || (a == DType::float32 && b == DType::int64))
    return DType::float64;
  return a < b ? b : a;
}
bool is_floating(DType dtype) { return dtype == DType::float32 || dtype == DType::float64; }
bool is_integral(DType dtype) { return !is_floating(dtype); }

DType parse_dtype(const std::string& name) {
  if (name == "bool" || name == "bool_" || name == "?") return DType::bool_;
  if (name == "int" || name == "int64" || name == "i8" || name == "long" || name == "intp")
    return DType::int64;
  if (name == "float32" || name == "f4" || name == "single") return DType::float32;
  if (name == "float" || name == "float64" || name == "f8" || name == "double")
    return DType::float64;
  user_error(ErrorKind::type, "data type '", name,
             "' is not supported (Larix arrays hold bool, int64, float32 or float64)");
}

}  // namespace larix
