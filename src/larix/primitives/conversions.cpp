// Python's float(), int() and bool() builtins (the frontend calls them __float, __int, __bool so
// that `int`, `float` and `bool` stay ordinary names in PhySL) and dtype(x), the name of a value's
// NumPy dtype (a kernel's `a.dtype`; `a.dtype == np.float64` compares names).
#include <charconv>
#include <cmath>
#include <string>

#include "larix/primitives/registry.hpp"

namespace larix {
namespace {

// A scalar from x: Python numbers as they are, a size-1 array's element (NumPy allows it).
Value scalar_of(const Value& x, const char* builtin) {
  if (x.is_number()) return x;
  LARIX_CHECK(x.is_array() || x.is_string(), type, builtin,
              "() argument must be a string or a real number, not '", x.type_name(), "'");
  if (x.is_string()) return x;
  const Array& a = x.as_array_ref();
  LARIX_CHECK(a.size() == 1, type, "only length-1 arrays can be converted to Python scalars");
  if (a.dtype() == DType::bool_) return Value(a.item<double>() != 0.0);
  if (a.dtype() == DType::int64) return Value(a.item<std::int64_t>());
  return Value(a.item<double>());
}

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\n\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\n\r") - first + 1);
}

Value float_kernel(KernelArgs& args) {
  const Value v = scalar_of(args[0], "float");
  if (!v.is_string()) return Value(v.as_double());
  const std::string text = trimmed(v.as_string());
  std::string lower;
  for (char ch : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const bool negative = !lower.empty() && lower[0] == '-';
  const std::string body = lower.substr(!lower.empty() && (lower[0] == '-' || lower[0] == '+'));
  if (body == "inf" || body == "infinity") return Value(negative ? -INFINITY : INFINITY);
  if (body == "nan") return Value(std::nan(""));
  double out = 0;
  const char* begin = text.data() + (!text.empty() && text[0] == '+');
  const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), out);
  LARIX_CHECK(!text.empty() && ec == std::errc() && end == text.data() + text.size(), value,
              "could not convert string to float: '", v.as_string(), "'");
  return Value(out);
}

// A whole float `rounded` (from `d`) as a Python int: Python's errors for NaN and infinity, and
// ours where the value does not fit in int64.
Value whole_float_to_int(double d, double rounded, const char* builtin) {
  LARIX_CHECK(!std::isnan(d), value, "cannot convert float NaN to integer");
  LARIX_CHECK(std::isfinite(d), overflow, "cannot convert float infinity to integer");
  LARIX_CHECK(std::fabs(rounded) < 9.2233720368547758e18, overflow, builtin, "() of ", d,
              " does not fit in a 64-bit integer");
  return Value(static_cast<std::int64_t>(rounded));
}

Value int_kernel(KernelArgs& args) {
  const Value v = scalar_of(args[0], "int");
  if (v.is_string()) {
    const std::string text = trimmed(v.as_string());
    std::int64_t out = 0;
    const char* begin = text.data() + (!text.empty() && text[0] == '+');
    const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), out);
    LARIX_CHECK(!text.empty() && ec == std::errc() && end == text.data() + text.size(), value,
                "invalid literal for int() with base 10: '", v.as_string(), "'");
    return Value(out);
  }
  if (!v.is_float()) return Value(v.as_int());
  const double d = v.as_double();
  return whole_float_to_int(d, std::trunc(d), "int");  // toward zero, as Python
}

Value bool_kernel(KernelArgs& args) { return Value(args[0].truthy()); }

// Python's round(x[, ndigits]): a Python number with one argument rounds half to even to an int;
// everything else (ndigits given, arrays) is numpy.around, which rounds halves to even as well.
Value round_kernel(KernelArgs& args) {
  const Value& x = args[0];
  if (args[1].is_nil() && x.is_number()) {
    if (!x.is_float()) return Value(x.as_int());
    const double d = x.as_double();
    return whole_float_to_int(d, d - std::remainder(d, 1.0), "round");  // nearest, ties to even
  }
  if (x.is_float() && args[1].is_int()) {
    // Python's limits, where 10**ndigits overflows (NumPy's around would give nan): a float has
    // no digits beyond the 323rd decimal, and rounds to a zero of its sign before the 308th.
    const std::int64_t nd = args[1].as_int();
    if (nd > 323) return x;
    if (nd < -308) return Value(std::copysign(0.0, x.as_double()));
  }
  const PrimitiveInfo* around = Registry::instance().find("around");
  LARIX_ASSERT(around, "around is not registered");
  std::vector<Value> values{x, args[1].is_nil() ? Value(std::int64_t{0}) : args[1]};
  return run_kernel(*around, values, args.ctx(), args.loc());
}

Value dtype_kernel(KernelArgs& args) {
  const Value& x = args[0];
  if (x.is_array()) return Value(dtype_name(x.as_array_ref().dtype()));
  if (x.is_bool()) return Value("bool");
  if (x.is_int()) return Value("int64");
  if (x.is_float()) return Value("float64");
  LARIX_CHECK(x.is_list(), type, "dtype(): a ", x.type_name(), " has no NumPy dtype");
  return Value(dtype_name(x.to_array().dtype()));
}

}  // namespace

void register_conversions(Registry& r) {
  const Signature one{{arg("x")}};
  r.add({.name = "__float",
         .signature = one,
         .doc = "__float(x)\n\nPython's float(x): a number, a size-1 array or a string (\"1.5\", "
                "\"inf\", \"nan\") as a Python float; a ValueError for text that is no number.",
         .kernel = float_kernel});
  r.add({.name = "__int",
         .signature = one,
         .doc =
             "__int(x)\n\nPython's int(x): a float truncated toward zero, a bool as 0/1, a "
             "size-1 array's element, or a decimal string; a ValueError for NaN and text that is "
             "no integer, an OverflowError for infinity (as Python).",
         .kernel = int_kernel});
  r.add({.name = "__bool",
         .signature = one,
         .doc = "__bool(x)\n\nPython's bool(x): truthiness (an array must have one element).",
         .kernel = bool_kernel});
  r.add({.name = "__round",
         .signature = {{arg("number"), arg("ndigits", Value())}},
         .doc = "__round(number, ndigits=nil)\n\nPython's round(): a Python number without "
                "ndigits rounds half to even to an int (round(2.5) == 2); with ndigits, or on an "
                "array, numpy.around (halves to even).",
         .kernel = round_kernel});
  r.add({.name = "dtype",
         .signature = one,
         .doc = "dtype(x)\n\nThe name of x's NumPy dtype as a string (\"float64\", \"int64\", "
                "\"float32\", \"bool\"); a Python number counts as NumPy counts it (int -> int64, "
                "float -> float64). A kernel's `a.dtype`; `a.dtype == np.float64` compares names.",
         .kernel = dtype_kernel});
}

}  // namespace larix
