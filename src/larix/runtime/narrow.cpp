#include "larix/runtime/narrow.hpp"

#include <limits>

namespace larix {

namespace {
enum class Category { boolean, integer, floating, complex };

Category category(DType d) {
  if (d == DType::bool_) return Category::boolean;
  if (is_complex(d)) return Category::complex;
  if (is_floating(d)) return Category::floating;
  return Category::integer;
}

bool fits(std::int64_t v, DType d) {
  switch (d) {
    case DType::int8: return v >= -128 && v <= 127;
    case DType::int16: return v >= -32768 && v <= 32767;
    case DType::int32:
      return v >= std::numeric_limits<std::int32_t>::min() &&
             v <= std::numeric_limits<std::int32_t>::max();
    case DType::uint8: return v >= 0 && v <= 255;
    case DType::uint16: return v >= 0 && v <= 65535;
    case DType::uint32: return v >= 0 && v <= std::numeric_limits<std::uint32_t>::max();
    case DType::uint64: return v >= 0;
    default: return true;
  }
}

// NEP 50: the arrays' dtypes promoted together; then the Python numbers, which are weak: an int
// takes an integer or float result's dtype (bool: int64), a float a float or complex one's
// (integers or bool: float64). (A Python complex arrives as a complex128 0-d array: strong.)
std::optional<DType> result_type(std::span<const OperandType> operands) {
  std::optional<DType> strong;
  bool weak_int = false, weak_float = false;
  for (const OperandType& o : operands) {
    if (o.has_array) strong = strong ? promote(*strong, o.dtype) : o.dtype;
    else if (o.kind == ValueKind::integer) weak_int = true;
    else if (o.kind == ValueKind::floating) weak_float = true;
  }
  if (!strong) return std::nullopt;  // numbers only: the kernel's own result
  DType r = *strong;
  if (weak_int && r == DType::bool_) r = DType::int64;
  if (weak_float && (r == DType::bool_ || is_integral(r))) r = DType::float64;
  return r;
}

std::optional<DType> first_arrays_dtype(std::span<const OperandType> operands) {
  if (operands.empty() || !operands[0].has_array) return std::nullopt;
  return operands[0].dtype;
}
}  // namespace

OperandType operand_type(const Value& v) {
  OperandType t;
  t.kind = v.kind();
  if (v.is_array()) {
    t.dtype = v.as_array_ref().dtype();
    t.has_array = true;
  } else if (v.is_int()) {
    t.int_value = v.int_value();
  } else if (v.is_list()) {
    for (const Value& item : v.as_list()) {
      if (!item.is_array()) continue;
      const DType d = item.as_array_ref().dtype();
      t.dtype = t.has_array ? promote(t.dtype, d) : d;
      t.has_array = true;
    }
  }
  return t;
}

std::optional<DType> narrow_target(NarrowPolicy policy, std::span<const OperandType> operands) {
  switch (policy) {
    case NarrowPolicy::widen:
    case NarrowPolicy::keep:
    case NarrowPolicy::keep_first: return std::nullopt;
    case NarrowPolicy::store:
      if (operands.size() > 1 && operands[0].has_array && operands[0].kind == ValueKind::array &&
          is_integral(operands[0].dtype) && operands[1].int_value &&
          !fits(*operands[1].int_value, operands[0].dtype))
        user_error(ErrorKind::overflow, "Python integer ", *operands[1].int_value,
                   " out of bounds for ", dtype_name(operands[0].dtype));
      return std::nullopt;
    case NarrowPolicy::same_kind:
    case NarrowPolicy::same_kind_but_first: {
      const auto used =
          policy == NarrowPolicy::same_kind || operands.empty() ? operands : operands.subspan(1);
      std::optional<DType> r = result_type(used);
      if (r && is_integral(*r))
        for (const OperandType& o : used)
          if (!o.has_array && o.int_value && !fits(*o.int_value, *r))
            user_error(ErrorKind::overflow, "Python integer ", *o.int_value, " out of bounds for ",
                       dtype_name(*r));
      return r;
    }
    case NarrowPolicy::to_float: {
      std::optional<DType> r;
      for (const OperandType& o : operands)
        if (o.has_array) r = r ? promote(*r, holding_float(o.dtype)) : holding_float(o.dtype);
      return r;
    }
    case NarrowPolicy::true_divide: {
      std::optional<DType> r = result_type(operands);
      if (r && (is_integral(*r))) return DType::float64;
      return r;
    }
    case NarrowPolicy::like_first:
    case NarrowPolicy::like_first_head: return first_arrays_dtype(operands);
    case NarrowPolicy::float_like_first: {
      const std::optional<DType> d = first_arrays_dtype(operands);
      if (d == DType::float16) return d;
      return std::nullopt;
    }
    case NarrowPolicy::sum_like: {
      const std::optional<DType> d = first_arrays_dtype(operands);
      if (d && is_unsigned(*d)) return DType::uint64;
      if (d == DType::float16) return d;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

DType narrowed_dtype(DType computed, DType target) {
  const Category from = category(computed), to = category(target);
  // An integer result NumPy gives as a float or complex (uint64 with int64: float64) too.
  const bool int_to_inexact =
      from == Category::integer && (to == Category::floating || to == Category::complex);
  return from == to || int_to_inexact ? target : computed;
}

std::optional<DType> narrow_dtype_named(const std::string& name) {
  const std::optional<DType> d = dtype_named(name);
  return d && is_narrow(*d) ? d : std::nullopt;
}

bool has_narrow(std::span<const Value> values, int dtype_param) {
  for (const Value& v : values) {
    if (v.is_array()) {
      if (is_narrow(v.as_array_ref().dtype())) return true;
    } else if (v.is_list()) {
      for (const Value& item : v.as_list())
        if (item.is_array() && is_narrow(item.as_array_ref().dtype())) return true;
    }
  }
  return dtype_param >= 0 && static_cast<std::size_t>(dtype_param) < values.size() &&
         values[dtype_param].is_string() &&
         narrow_dtype_named(values[dtype_param].as_string()).has_value();
}

namespace {
// `a` in the dtype a kernel computes it in: `to` when given (a float or complex result: the
// operands in its compute dtype, as NumPy converts them), else its compute dtype.
Array widened(const Array& a, std::optional<DType> to, bool uint64_as_bits) {
  if (!is_narrow(a.dtype())) return a;
  const DType d = to ? *to : compute_dtype(a.dtype());
  if (a.dtype() == DType::uint64 && d == DType::int64 && !uint64_as_bits)
    for (std::int64_t i = 0, n = a.size(); i < n; ++i)
      if (a.item<std::uint64_t>(i) >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        user_error(ErrorKind::overflow,
                   "a uint64 array holds values of 2**63 or more, which this operation computes "
                   "in int64 and cannot take (Larix keeps uint64 arrays as they are in data "
                   "movement, indexing and astype)");
  return a.astype(d);
}
}  // namespace

std::optional<DType> widen_operands(NarrowPolicy policy, std::span<Value> values, int dtype_param,
                                    std::optional<DType> target, bool uint64_as_bits) {
  std::optional<DType> requested;
  if (policy == NarrowPolicy::keep) return requested;
  if (!keeps_first_operand(policy) && dtype_param >= 0 &&
      static_cast<std::size_t>(dtype_param) < values.size() && values[dtype_param].is_string()) {
    requested = narrow_dtype_named(values[dtype_param].as_string());
    if (requested) values[dtype_param] = Value(std::string(dtype_name(compute_dtype(*requested))));
  }
  // Arithmetic with a float or complex result converts its operands to that type (uint64 with
  // int64 is float64: not computed in int64, where it could wrap).
  std::optional<DType> to;
  const bool arithmetic = policy == NarrowPolicy::same_kind ||
                          policy == NarrowPolicy::same_kind_but_first ||
                          policy == NarrowPolicy::to_float || policy == NarrowPolicy::true_divide;
  if (arithmetic && target && (is_floating(*target) || is_complex(*target)))
    to = compute_dtype(*target);
  const bool keep_first = keeps_first_operand(policy);
  for (std::size_t i = keep_first ? 1 : 0; i < values.size(); ++i) {
    Value& v = values[i];
    if (v.is_array()) {
      if (is_narrow(v.as_array_ref().dtype()))
        v = Value(widened(v.as_array_ref(), to, uint64_as_bits));
    } else if (v.is_list()) {
      bool any = false;
      for (const Value& item : v.as_list())
        any = any || (item.is_array() && is_narrow(item.as_array_ref().dtype()));
      if (!any) continue;
      List items = v.as_list();
      for (Value& item : items)
        if (item.is_array() && is_narrow(item.as_array_ref().dtype()))
          item = Value(widened(item.as_array_ref(), to, uint64_as_bits));
      v = Value(std::move(items));
    }
  }
  return requested;
}

Value narrow_result(Value result, DType target, bool head_only) {
  if (result.is_array()) {
    const Array& a = result.as_array_ref();
    const DType d = narrowed_dtype(a.dtype(), target);
    return d == a.dtype() ? result : Value(a.astype(d));
  }
  if (result.is_list() && !result.as_list().empty()) {
    List items = result.as_list();
    const std::size_t n = head_only ? 1 : items.size();
    for (std::size_t i = 0; i < n; ++i)
      if (items[i].is_array()) items[i] = narrow_result(std::move(items[i]), target);
    return Value(std::move(items));
  }
  return result;
}

}  // namespace larix
