// Strings: format (Phylanx's: printf-style specs, 1-based field numbers), __format (Python's
// str.format, which the frontend emits for f-strings and str.format) and string/str.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "larix/primitives/registry.hpp"

namespace larix {
namespace {

std::string printf_string(const char* fmt, int precision, double v) {
  const int n = std::snprintf(nullptr, 0, fmt, precision, v);
  std::string out(static_cast<std::size_t>(n) + 1, '\0');
  std::snprintf(out.data(), out.size(), fmt, precision, v);
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// Python's format-spec mini-language: [[fill]align][sign][#][0][width][,|_][.precision][type].
struct Spec {
  char fill = ' ', align = 0, sign = 0, grouping = 0, type = 0;
  bool alt = false, zero = false;  // zero: '0' before the width (sign-aware zero padding)
  int width = 0, precision = -1;
  // Numbers: the fill goes between sign and digits ('=') when '0' is given without an alignment.
  char number_align() const { return align ? align : zero ? '=' : '>'; }
  std::string sign_of(bool negative) const {
    return negative ? "-" : sign == '+' || sign == ' ' ? std::string(1, sign) : "";
  }
};

Spec parse_spec(std::string_view s, const std::string& type_name) {
  Spec spec;
  std::size_t i = 0;
  auto is_align = [](char c) { return c == '<' || c == '>' || c == '=' || c == '^'; };
  auto number = [&] {
    int n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && n < 100000000) n = n * 10 + (s[i++] - '0');
    return n;
  };
  bool explicit_fill = false;
  if (s.size() >= 2 && is_align(s[1]))
    spec.fill = s[0], spec.align = s[1], i = 2, explicit_fill = true;
  else if (!s.empty() && is_align(s[0])) spec.align = s[0], i = 1;
  if (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) spec.sign = s[i++];
  if (i < s.size() && s[i] == '#') spec.alt = true, ++i;
  if (i < s.size() && s[i] == '0') {
    spec.zero = true, ++i;
    if (!explicit_fill) spec.fill = '0';
  }
  spec.width = number();
  if (i < s.size() && (s[i] == ',' || s[i] == '_')) spec.grouping = s[i++];
  if (i < s.size() && s[i] == '.') {
    ++i;
    LARIX_CHECK(i < s.size() && s[i] >= '0' && s[i] <= '9', value,
                "Format specifier missing precision");
    spec.precision = number();
  }
  if (i < s.size()) spec.type = s[i++];
  LARIX_CHECK(i == s.size(), value, "Invalid format specifier '", s, "' for object of type '",
              type_name, "'");
  if (spec.grouping && spec.type) {
    const bool ok =
        std::string_view(spec.grouping == ',' ? "deEfFgG%" : "dboxXeEfFgG%").find(spec.type) !=
        std::string_view::npos;
    LARIX_CHECK(ok, value, "Cannot specify '", spec.grouping, "' with '", spec.type, "'.");
  }
  return spec;
}

// Puts the separators into the integer digits at the front of body (every 3 digits, every 4 in
// hexadecimal, octal and binary). Zero padding is grouped too, as Python does: '06,' of 0 is
// 00,000.
std::string group_digits(const std::string& body, const Spec& spec, std::size_t sign_len,
                         int every) {
  std::size_t end = body.find_first_not_of(every == 3 ? "0123456789" : "0123456789abcdefABCDEF");
  if (end == std::string::npos) end = body.size();
  std::string digits = body.substr(0, end);
  const std::string rest = body.substr(end);
  auto grouped = [&] {
    std::string out = digits;
    for (auto pos = static_cast<std::ptrdiff_t>(out.size()) - every; pos > 0; pos -= every)
      out.insert(static_cast<std::size_t>(pos), 1, spec.grouping);
    return out;
  };
  if (spec.fill == '0' && spec.number_align() == '=') {
    const std::size_t want = spec.width > static_cast<int>(sign_len + rest.size())
                                 ? spec.width - sign_len - rest.size()
                                 : 0;
    while (grouped().size() < want) digits.insert(digits.begin(), '0');
  }
  return grouped() + rest;
}

// Characters (code points) of UTF-8 text, as Python counts a str: widths and precisions count
// these, not bytes.
std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// The first `count` code points of s.
std::string first_code_points(const std::string& s, std::size_t count) {
  std::size_t i = 0;
  for (std::size_t seen = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && seen++ == count) break;
  return s.substr(0, i);
}

// Pads sign + body to the width; '=' puts the fill between the sign (and prefix) and the body.
std::string pad(const Spec& spec, const std::string& sign, const std::string& body, char align) {
  const std::size_t len = code_points(sign) + code_points(body);
  const std::size_t n = spec.width > static_cast<int>(len) ? spec.width - len : 0;
  switch (align) {
    case '<': return sign + body + std::string(n, spec.fill);
    case '^':
      return std::string(n / 2, spec.fill) + sign + body + std::string(n - n / 2, spec.fill);
    case '=': return sign + std::string(n, spec.fill) + body;
    default: return std::string(n, spec.fill) + sign + body;
  }
}

std::string utf8_encode(char32_t c) {
  if (c < 0x80) return std::string(1, static_cast<char>(c));
  std::string out;
  const int n = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  out.push_back(static_cast<char>((0xF00 >> n) | (c >> (6 * (n - 1)))));
  for (int i = n - 2; i >= 0; --i) out.push_back(static_cast<char>(0x80 | ((c >> (6 * i)) & 0x3F)));
  return out;
}

[[noreturn]] void unknown_code(char type, const char* kind) {
  user_error(ErrorKind::value, "Unknown format code '", type, "' for object of type '", kind, "'");
}

// 'g' (and Python's float formatting without a type but with a precision, which differs in that
// fixed-point keeps a digit after the point, so the exponent comes one digit earlier: 100.0 with
// precision 3 is 1e+02, not 100.0). Done by hand: glibc's %#g drops the zero in 99.99 -> 1.0e+02.
std::string float_general(double v, int precision, bool alt, bool typeless) {
  if (!std::isfinite(v)) return printf_string("%.*g", 1, v);
  const int digits = std::max(precision, 1);
  std::string body = printf_string("%.*e", digits - 1, v);
  const std::size_t e = body.find('e');
  const int exp = std::atoi(body.c_str() + e + 1);
  if (exp >= -4 && exp < digits - (typeless ? 1 : 0)) {
    body = printf_string(alt ? "%#.*f" : "%.*f", digits - 1 - exp, v);
    if (!alt && body.find('.') != std::string::npos) {
      body.erase(body.find_last_not_of('0') + 1);
      if (body.back() == '.') body.pop_back();
    }
    if (typeless && body.find('.') == std::string::npos) body += ".0";
    else if (typeless && body.back() == '.') body += '0';
    return body;
  }
  std::string mantissa = body.substr(0, e);
  if (alt && mantissa.find('.') == std::string::npos) mantissa += '.';
  if (!alt && mantissa.find('.') != std::string::npos) {
    mantissa.erase(mantissa.find_last_not_of('0') + 1);
    if (mantissa.back() == '.') mantissa.pop_back();
  }
  return mantissa + body.substr(e);
}

std::string format_float(double v, const Spec& spec) {
  const std::string sign = spec.sign_of(std::signbit(v) && !std::isnan(v));
  v = std::fabs(v);
  const int p = spec.precision < 0 ? 6 : spec.precision;
  const std::string alt = spec.alt ? "#" : "";
  std::string body;
  switch (spec.type) {
    case 'f':
    case 'F':
    case 'e':
    case 'E': body = printf_string(("%" + alt + ".*" + spec.type).c_str(), p, v); break;
    case 'g':
    case 'G':
    case 'n':
      body = float_general(v, p, spec.alt, false);
      if (spec.type == 'G') std::transform(body.begin(), body.end(), body.begin(), ::toupper);
      break;
    case '%': body = printf_string(("%" + alt + ".*f").c_str(), p, v * 100) + "%"; break;
    case 0:
      if (spec.precision >= 0) {
        body = float_general(v, p, spec.alt, true);
      } else {
        body = Value(v).repr();  // shortest round-trip text, like Python's str(float)
        if (spec.alt && std::isfinite(v) && body.find('.') == std::string::npos)
          body.insert(std::min(body.find('e'), body.size()), ".");
      }
      break;
    default: unknown_code(spec.type, "float");
  }
  if (spec.grouping && std::isfinite(v)) body = group_digits(body, spec, sign.size(), 3);
  return pad(spec, sign, body, spec.number_align());
}

std::string format_int(std::int64_t v, const Spec& spec) {
  if (spec.type && std::string_view("eEfFgG%").find(spec.type) != std::string_view::npos)
    return format_float(static_cast<double>(v), spec);
  int base = 10;
  std::string prefix;
  switch (spec.type) {
    case 0:
    case 'd':
    case 'n': break;
    case 'x':
    case 'X': base = 16, prefix = spec.type == 'x' ? "0x" : "0X"; break;
    case 'o': base = 8, prefix = "0o"; break;
    case 'b': base = 2, prefix = "0b"; break;
    case 'c': break;
    default: unknown_code(spec.type, "int");
  }
  LARIX_CHECK(spec.precision < 0, value, "Precision not allowed in integer format specifier");
  if (spec.type == 'c') {
    LARIX_CHECK(!spec.sign, value, "Sign not allowed with integer format specifier 'c'");
    LARIX_CHECK(!spec.alt, value,
                "Alternate form (#) not allowed with integer format specifier 'c'");
    LARIX_CHECK(v >= 0 && v < 0x110000, value, "%c arg not in range(0x110000)");
    return pad(spec, "", utf8_encode(static_cast<char32_t>(v)), spec.number_align());
  }
  // The magnitude as unsigned, so that INT64_MIN has one.
  std::uint64_t m = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  std::string digits;
  const char* alphabet = spec.type == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
  do digits.insert(digits.begin(), alphabet[m % base]);
  while (m /= base);
  const std::string sign = spec.sign_of(v < 0) + (spec.alt ? prefix : "");
  if (spec.grouping) digits = group_digits(digits, spec, sign.size(), base == 10 ? 3 : 4);
  return pad(spec, sign, digits, spec.number_align());
}

std::string format_string(const std::string& s, const Spec& spec) {
  if (spec.type && spec.type != 's') unknown_code(spec.type, "str");
  LARIX_CHECK(!spec.grouping, value, "Cannot specify '", spec.grouping, "' with 's'.");
  LARIX_CHECK(spec.sign != ' ', value, "Space not allowed in string format specifier");
  LARIX_CHECK(!spec.sign, value, "Sign not allowed in string format specifier");
  LARIX_CHECK(!spec.alt, value, "Alternate form (#) not allowed in string format specifier");
  LARIX_CHECK(spec.align != '=', value, "'=' alignment not allowed in string format specifier");
  return pad(
      spec, "",
      spec.precision < 0 ? s : first_code_points(s, static_cast<std::size_t>(spec.precision)),
      spec.align ? spec.align : '<');
}

std::string format_value(const Value& v, std::string_view spec_text) {
  if (spec_text.empty()) return v.repr();
  // Python's names for the types in its messages.
  const std::string type_name = v.is_nil()     ? "NoneType"
                                : v.is_array() ? "numpy.ndarray"
                                               : v.type_name();
  const Spec spec = parse_spec(spec_text, type_name);
  switch (v.kind()) {
    case ValueKind::string: return format_string(v.as_string(), spec);
    case ValueKind::boolean:
    case ValueKind::integer: return format_int(v.as_int(), spec);
    case ValueKind::floating: return format_float(v.as_double(), spec);
    case ValueKind::array:
      if (v.as_array_ref().ndim() == 0) {  // a NumPy scalar formats as its value
        const Array& a = v.as_array_ref();
        return is_integral(a.dtype()) ? format_int(a.item<std::int64_t>(), spec)
                                      : format_float(a.item<double>(), spec);
      }
      [[fallthrough]];
    default:
      user_error(ErrorKind::type, "unsupported format string passed to ", type_name, ".__format__");
  }
}

// {}, {0}, {!r}, {0:>8.3f}; {{ and }} are literal braces.
std::string format(const std::string& fmt, KernelArgs& a) {
  std::string out;
  std::size_t next_auto = 0;
  bool used_auto = false, used_manual = false;
  for (std::size_t i = 0; i < fmt.size(); ++i) {
    const char c = fmt[i];
    if (c == '}') {
      LARIX_CHECK(i + 1 < fmt.size() && fmt[i + 1] == '}', value,
                  "Single '}' encountered in format string");
      out += '}', ++i;
      continue;
    }
    if (c != '{') {
      out += c;
      continue;
    }
    if (i + 1 < fmt.size() && fmt[i + 1] == '{') {
      out += '{', ++i;
      continue;
    }
    const std::size_t close = fmt.find('}', i);
    LARIX_CHECK(close != std::string::npos, value, "Single '{' encountered in format string");
    const std::string_view field = std::string_view(fmt).substr(i + 1, close - i - 1);
    LARIX_CHECK(field.find('{') == std::string_view::npos, value,
                "nested replacement fields in a format spec are not supported");
    const std::size_t colon = field.find(':');
    std::string_view name = field.substr(0, colon);
    const std::string_view spec = colon == std::string_view::npos ? "" : field.substr(colon + 1);
    char conversion = 0;
    if (const std::size_t bang = name.find('!'); bang != std::string_view::npos) {
      LARIX_CHECK(bang + 2 == name.size(), value, "expected ':' after conversion specifier");
      conversion = name[bang + 1];
      LARIX_CHECK(conversion == 'r' || conversion == 's' || conversion == 'a', value,
                  "Unknown conversion specifier ", conversion);
      name = name.substr(0, bang);
    }
    std::size_t pos;
    if (name.empty()) {
      LARIX_CHECK(!used_manual, value,
                  "cannot switch from manual field specification to automatic field numbering");
      used_auto = true;
      pos = next_auto++;
    } else {
      LARIX_CHECK(name.find_first_not_of("0123456789") == std::string_view::npos, index,
                  "KeyError: '", name, "'");
      LARIX_CHECK(!used_auto, value,
                  "cannot switch from automatic field numbering to manual field specification");
      used_manual = true;
      pos = name.size() > 9 ? a.size() : std::stoul(std::string(name));  // too large: out of range
    }
    LARIX_CHECK(pos + 1 < a.size(), index, "Replacement index ", pos,
                " out of range for positional args tuple");
    const Value& v = a[pos + 1];
    if (conversion == 'r' || conversion == 'a')
      out += format_value(Value(v.is_string() ? "'" + v.as_string() + "'" : v.repr()), spec);
    else if (conversion == 's') out += format_value(Value(v.repr()), spec);
    else out += format_value(v, spec);
    i = close;
  }
  return out;
}

Value format_kernel(KernelArgs& a) {
  return Value(format(a[0].as_string("the format string (argument 1 of __format)"), a));
}

// ---- Phylanx's format ------------------------------------------------------------------------

// One printf conversion of `v` for a spec "[flags][width][.precision][length]conversion" (no
// '%'), as Phylanx's format (HPX's) applies it: integer conversions truncate a float, float ones
// take an int, `s` takes the value's text.
std::string printf_value(const Value& value, std::string_view spec) {
  std::size_t i = 0;
  std::string flags;
  while (i < spec.size() && std::string_view("-+ 0#").find(spec[i]) != std::string_view::npos)
    flags += spec[i++];
  std::string width, precision;
  bool has_precision = false;
  while (i < spec.size() && std::isdigit(static_cast<unsigned char>(spec[i]))) width += spec[i++];
  if (i < spec.size() && spec[i] == '.') {
    has_precision = true;
    ++i;
    while (i < spec.size() && std::isdigit(static_cast<unsigned char>(spec[i])))
      precision += spec[i++];
  }
  while (i < spec.size() && std::string_view("hlLjzt").find(spec[i]) != std::string_view::npos)
    ++i;  // length modifiers: the value's own type decides
  const char conv = i < spec.size() ? spec[i++] : 's';
  LARIX_CHECK(i == spec.size() && width.size() <= 4 && precision.size() <= 4, value,
              "format(): invalid format spec '{:", spec,
              "}' (a printf conversion: flags, width, "
              ".precision and one of d i u o x X e E f F g G a A c s)");
  Value v = value;
  if (v.is_array()) {
    LARIX_CHECK(v.as_array_ref().ndim() == 0, type, "format(): '{:", spec,
                "}' takes a number or a string, not an array of shape ",
                shape_str(v.as_array_ref().shape()));
    const Array& arr = v.as_array_ref();
    v = arr.dtype() == DType::bool_ ? Value(arr.item<bool>())
        : is_integral(arr.dtype())  ? Value(arr.item<std::int64_t>())
                                    : Value(arr.item<double>());
  }
  std::string fmt = "%" + flags + width + (has_precision ? "." + precision : std::string());
  auto print = [&](auto x) {
    const int n = std::snprintf(nullptr, 0, fmt.c_str(), x);
    std::string out(static_cast<std::size_t>(n) + 1, '\0');
    std::snprintf(out.data(), out.size(), fmt.c_str(), x);
    out.resize(static_cast<std::size_t>(n));
    return out;
  };
  const std::string_view ints = "diuoxXc", floats = "eEfFgGaA";
  if (conv == 's') {
    fmt += 's';
    return print((v.is_string() ? v.as_string() : v.repr()).c_str());
  }
  LARIX_CHECK(v.is_number(), type, "format(): '{:", spec, "}' takes a number, not a ",
              v.type_name());
  if (ints.find(conv) != std::string_view::npos) {
    const double d = v.as_double();
    LARIX_CHECK(std::isfinite(d) || !v.is_float(), value, "format(): cannot convert ", v.repr(),
                " to an integer for '{:", spec, "}'");
    LARIX_CHECK(!v.is_float() || std::fabs(d) < 9.2e18, overflow, "format(): ", v.repr(),
                " is too large for an integer conversion");
    const long long n = v.is_float() ? static_cast<long long>(d) : v.as_int();
    if (conv == 'c') {
      LARIX_CHECK(n >= 0 && n < 256, overflow, "format(): '{:c}' takes a value in [0, 256)");
      fmt += 'c';
      return print(static_cast<int>(n));
    }
    fmt += (conv == 'i' ? std::string("lld") : std::string("ll") + (conv == 'd' ? 'd' : conv));
    if (conv == 'd' || conv == 'i') return print(n);
    return print(static_cast<unsigned long long>(n));
  }
  LARIX_CHECK(floats.find(conv) != std::string_view::npos, value, "format(): unknown conversion '",
              std::string(1, conv), "' in '{:", spec, "}'");
  fmt += conv;
  return print(v.as_double());
}

// Phylanx's format: `{}` the next argument, `{N}` the N-th (counting from 1), `{:spec}` /
// `{N:spec}` a printf conversion; `{{` and `}}` are braces.
Value phylanx_format_kernel(KernelArgs& a) {
  const std::string& fmt = a[0].as_string("the format string (argument 1 of format)");
  const std::size_t count = a.size() - 1;
  std::string out;
  std::size_t next = 0;
  for (std::size_t i = 0; i < fmt.size(); ++i) {
    const char c = fmt[i];
    if ((c == '{' || c == '}') && i + 1 < fmt.size() && fmt[i + 1] == c) {
      out += c, ++i;
      continue;
    }
    LARIX_CHECK(c != '}', value, "format(): a single '}' in the format string (write '}}')");
    if (c != '{') {
      out += c;
      continue;
    }
    const std::size_t close = fmt.find('}', i);
    LARIX_CHECK(close != std::string::npos, value,
                "format(): a single '{' in the format string (write '{{')");
    const std::string_view field = std::string_view(fmt).substr(i + 1, close - i - 1);
    const std::size_t colon = field.find(':');
    const std::string_view number = field.substr(0, colon);
    std::size_t k = next++;
    if (!number.empty()) {
      LARIX_CHECK(
          number.size() <= 9 &&
              std::all_of(number.begin(), number.end(),
                          [](char d) { return std::isdigit(static_cast<unsigned char>(d)); }),
          value, "format(): a field is {N} or {N:spec} with N counted from 1, not {", field, "}");
      const std::size_t n = std::stoul(std::string(number));
      LARIX_CHECK(n >= 1, index, "format(): fields count from 1 ({1} is the first argument)");
      k = n - 1;
    }
    LARIX_CHECK(k < count, index, "format(): field {", field, "} needs argument ", k + 1, ", but ",
                count, count == 1 ? " was" : " were", " given");
    const Value& v = a[k + 1];
    if (colon == std::string_view::npos) out += v.is_string() ? v.as_string() : v.repr();
    else out += printf_value(v, field.substr(colon + 1));
    i = close;
  }
  return Value(std::move(out));
}

Value string_kernel(KernelArgs& a) { return a[0].is_string() ? a.take(0) : Value(a[0].repr()); }

}  // namespace

void register_strings(Registry& r) {
  r.add({.name = "format",
         .signature = {{arg("format_string")}, /*variadic=*/true},
         .doc = "format(format_string, *args)\n\nPhylanx's format: `{}` takes the next "
                "argument, `{N}` the N-th counting from 1 (format(\"{2} {1}\", a, b) is \"b a\"), "
                "`{{` and `}}` are braces; `{:spec}` and `{N:spec}` format the value with a printf "
                "conversion: flags (- + space 0 #), width, .precision, length modifiers (ignored: "
                "l, ll, h, ...) and one of d i u o x X c (integers; a float is truncated), e E f "
                "F g G a A (floats; an int converts), s (the value's text: {:s} of 42 is \"42\"). "
                "So {:6.3lf} of 42.0 is \"42.000\" and {:d} of 42.0 is \"42\". Without a spec "
                "the value's text. Python's str.format (f-strings in a kernel) is __format.",
         .kernel = phylanx_format_kernel});
  r.add({.name = "__format",
         .signature = {{arg("format_string")}, /*variadic=*/true},
         .doc = "__format(format_string, *args)\n\nPython's format_string.format(*args), which "
                "the Python frontend emits for f-strings and str.format: `{}` takes the next "
                "argument, `{0}` a numbered one (from 0), `{{` and `}}` are braces; conversions "
                "!r/!s and format specs such as {:>8.3f}, {:,d}, {:x} work as in Python.",
         .kernel = format_kernel});
  r.add({.name = "string",
         .aliases = {"str"},
         .signature = {{arg("x")}},
         .doc = "string(x)\n\nThe text of a value, as Python's str(x) (what cout prints).",
         .kernel = string_kernel});
}

}  // namespace larix
