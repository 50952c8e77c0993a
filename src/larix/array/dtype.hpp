// DType: the runtime element type of an Array, and the one place that switches on it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "larix/support/error.hpp"

namespace larix {

// Ordered by NumPy's promotion lattice for the types we hold: bool < int64 < float32 < float64.
enum class DType : std::uint8_t { bool_, int64, float32, float64 };

template <class T>
struct TypeTag {
  using type = T;
};

std::size_t itemsize(DType dtype);
const char* dtype_name(DType dtype);  // NumPy's names: bool, int64, float32, float64
// Result type of a binary arithmetic operation between two arrays (NumPy's promotion).
DType promote(DType a, DType b);
bool is_floating(DType dtype);
bool is_integral(DType dtype);  // bool counts as integral here
// Parse a NumPy dtype name ("float64", "f8", "int", "bool", "float", "float32", "int64", ...).
DType parse_dtype(const std::string& name);

template <class T>
constexpr DType dtype_of() {
  if constexpr (std::is_same_v<T, bool>) return DType::bool_;
  else if constexpr (std::is_same_v<T, std::int64_t>) return DType::int64;
  else if constexpr (std::is_same_v<T, float>) return DType::float32;
  else {
    static_assert(std::is_same_v<T, double>, "no Larix dtype for this C++ type");
    return DType::float64;
  }
}

// Calls f(TypeTag<T>{}) with the C++ element type of `dtype`. Kernels are written once,
// generically.
template <class F>
decltype(auto) visit_dtype(DType dtype, F&& f) {
  switch (dtype) {
    case DType::bool_: return f(TypeTag<bool>{});
    case DType::int64: return f(TypeTag<std::int64_t>{});
    case DType::float32: return f(TypeTag<float>{});
    case DType::float64: return f(TypeTag<double>{});
  }
  LARIX_ASSERT(false, "bad dtype ", static_cast<int>(dtype));
}

}  // namespace larix
