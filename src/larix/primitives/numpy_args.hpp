// Argument parsing shared by the NumPy primitive families (axis=, dtype=, shapes, array operands)
// and the small pieces their shape/dtype rules have in common.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "larix/primitives/registry.hpp"

namespace larix::numpy_args {

// A number, an array or a (nested) list of numbers: what np.asarray accepts.
inline bool is_numeric(const Value& v) { return v.is_number() || v.is_array() || v.is_list(); }

// An operand as an Array; a TypeError naming the function otherwise.
inline Array array_arg(const Value& v, const std::string& fn, const char* what = "argument") {
  LARIX_CHECK(is_numeric(v), type, fn, "() ", what,
              " must be an array, a number or a list of numbers, not ", v.type_name());
  return v.to_array(what);
}

inline bool is_int_like(const Value& v) {
  return v.is_int() || v.is_bool() ||
         (v.is_array() && v.as_array_ref().ndim() == 0 && is_integral(v.as_array_ref().dtype()));
}

inline std::int64_t int_arg(const Value& v, const char* what) {
  LARIX_CHECK(is_int_like(v), type, "'", v.type_name(),
              "' object cannot be interpreted as an integer (", what, ")");
  return v.as_int(what);
}

// axis=: nil (all axes), an int, or a list/tuple/1-d int array of ints.
inline std::optional<std::vector<int>> parse_axes(const Value& v) {
  if (v.is_nil()) return std::nullopt;
  std::vector<int> axes;
  if (v.is_list()) {
    for (const Value& x : v.as_list()) axes.push_back(static_cast<int>(int_arg(x, "axis")));
  } else if (v.is_array() && v.as_array_ref().ndim() == 1) {
    const Array& a = v.as_array_ref();
    LARIX_CHECK(a.dtype() == DType::int64, type, "axis must be integers, not ",
                dtype_name(a.dtype()));
    for (std::int64_t i = 0; i < a.size(); ++i)
      axes.push_back(static_cast<int>(a.item<std::int64_t>(i)));
  } else {
    axes.push_back(static_cast<int>(int_arg(v, "axis")));
  }
  return axes;
}

// axis= that must be one int or nil.
inline std::optional<int> parse_axis(const Value& v) {
  if (v.is_nil()) return std::nullopt;
  return static_cast<int>(int_arg(v, "axis"));
}

inline std::optional<DType> parse_dtype_arg(const Value& v) {
  if (v.is_nil()) return std::nullopt;
  return parse_dtype(v.as_string("dtype"));
}

// shape: an int, a list '(2, 3) or a 1-d int array [2, 3]. Negative lengths are a ValueError.
inline Shape parse_shape(const Value& v, const std::string& fn) {
  // A bool is no dimension (NumPy's TypeError; zeros(True) would otherwise be zeros(1)).
  auto is_bool = [](const Value& x) {
    return x.is_bool() || (x.is_array() && x.as_array_ref().dtype() == DType::bool_);
  };
  LARIX_CHECK(!is_bool(v), type, fn, "(): expected a sequence of integers or a single integer, ",
              "got a bool");
  if (v.is_list())
    for (const Value& d : v.as_list())
      LARIX_CHECK(!is_bool(d), type, fn, "(): a dimension of shape must be an integer, not bool");
  Shape shape;
  if (is_int_like(v)) {
    shape.push_back(v.as_int("shape"));
  } else if (v.is_list()) {
    for (const Value& d : v.as_list()) shape.push_back(int_arg(d, "a dimension of shape"));
  } else if (v.is_array() && v.as_array_ref().ndim() == 1 &&
             is_integral(v.as_array_ref().dtype())) {
    const Array& a = v.as_array_ref();
    for (std::int64_t i = 0; i < a.size(); ++i) shape.push_back(a.item<std::int64_t>(i));
  } else {
    user_error(ErrorKind::type, fn,
               "(): shape must be an int, a list of ints or an int array, not ", v.type_name());
  }
  for (auto d : shape) LARIX_CHECK(d >= 0, value, "negative dimensions are not allowed");
  return shape;
}

// The arrays of a join: a list of array-likes, or an array (its first axis).
inline std::vector<Array> sequence_arg(const Value& v, const std::string& fn) {
  std::vector<Array> out;
  if (v.is_list()) {
    for (const Value& x : v.as_list()) out.push_back(array_arg(x, fn, "element of arrays"));
  } else {
    const Array a = array_arg(v, fn, "arrays");
    LARIX_CHECK(a.ndim() > 0, value, "zero-dimensional arrays cannot be concatenated");
    Shape s(a.shape().begin() + 1, a.shape().end());
    Strides st(a.strides().begin() + 1, a.strides().end());
    for (std::int64_t i = 0; i < a.shape()[0]; ++i)
      out.push_back(a.view(i * a.strides()[0], s, st));
  }
  return out;
}

// ---- shape/dtype rules -------------------------------------------------------------------------

// An operand's array type when the rule can tell: (dtype, shape, is a weak Python scalar).
struct ArrayType {
  DType dtype;
  Shape shape;
  bool weak = false;
};
inline std::optional<ArrayType> array_type(const TypeInfo& t) {
  switch (t.kind) {
    case ValueKind::array: return ArrayType{t.dtype, t.shape, false};
    case ValueKind::boolean: return ArrayType{DType::bool_, {}, true};
    case ValueKind::integer: return ArrayType{DType::int64, {}, true};
    case ValueKind::floating: return ArrayType{DType::float64, {}, true};
    default: return std::nullopt;
  }
}
// A keyword's value is known to the rule (nil, or a literal).
inline bool known(const TypeInfo& t) { return t.kind == ValueKind::nil || t.value.has_value(); }
inline Value value_of(const TypeInfo& t) { return t.value.value_or(Value()); }
inline TypeInfo unknown_type() { return {.kind = ValueKind::unbound}; }
inline TypeInfo array_result(DType dtype, Shape shape) {
  return {.kind = ValueKind::array, .dtype = dtype, .shape = std::move(shape)};
}

}  // namespace larix::numpy_args
