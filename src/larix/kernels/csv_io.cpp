#include "larix/kernels/csv_io.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <vector>

#include "larix/kernels/file_bytes.hpp"

namespace larix::kernels {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// Python's float(): an optional sign, digits with '.' and exponent, nan, inf, infinity.
bool parse_number(std::string_view field, double& out) {
  if (field.empty()) return false;
  std::string_view digits = field;
  if (digits.front() == '+') {  // from_chars takes '-' only
    digits.remove_prefix(1);
    if (digits.empty() || digits.front() == '-') return false;
  }
  const char* end = digits.data() + digits.size();
  auto [ptr, ec] = std::from_chars(digits.data(), end, out, std::chars_format::general);
  if (ptr != end) return false;
  if (ec == std::errc::result_out_of_range) {  // overflow to inf, underflow to 0, as float()
    out = std::strtod(std::string(digits).c_str(), nullptr);
    return true;
  }
  return ec == std::errc();
}

}  // namespace

Array parse_csv(std::string_view text, const std::string& name) {
  std::vector<double> values;
  std::int64_t rows = 0, cols = 0, line_no = 0;
  while (!text.empty()) {
    const std::size_t eol = text.find('\n');
    const std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    ++line_no;
    if (trim(line).empty()) continue;
    std::int64_t col = 0;
    std::string_view rest = line;
    while (true) {
      const std::size_t comma = rest.find(',');
      const std::string_view field = trim(rest.substr(0, comma));
      ++col;
      double v = 0;
      LARIX_CHECK(parse_number(field, v), value, "could not convert string '", field,
                  "' to float64 at line ", line_no, ", column ", col, " of '", name, "'");
      values.push_back(v);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    if (rows == 0) cols = col;
    LARIX_CHECK(col == cols, value, "the number of columns changed from ", cols, " to ", col,
                " at line ", line_no, " of '", name, "'");
    ++rows;
  }
  Array out = Array::empty(DType::float64, {rows, cols});
  std::copy(values.begin(), values.end(), out.mutable_data<double>());
  return out;
}

Array read_csv(const std::string& filename) {
  return parse_csv(read_file_bytes(filename), filename);
}

std::string format_csv(const Array& a) {
  LARIX_CHECK(a.ndim() <= 2, value, "file_write_csv: expected a 0-d, 1-d or 2-d array, not ",
              a.ndim(), "-d");
  const std::int64_t rows = a.ndim() == 2 ? a.shape()[0] : 1;
  const std::int64_t cols = a.ndim() == 0 ? 1 : a.shape()[a.ndim() - 1];
  std::string out;
  char buf[64];
  visit_dtype(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    for (std::int64_t i = 0; i < rows; ++i) {
      for (std::int64_t j = 0; j < cols; ++j) {
        if (j) out += ',';
        const T x = a.item<T>(i * cols + j);
        char* end = buf;
        if constexpr (std::is_same_v<T, bool>) *end++ = x ? '1' : '0';
        else if constexpr (std::is_floating_point_v<T>) {
          if (std::isnan(x)) end = std::copy_n("nan", 3, buf);
          else end = std::to_chars(buf, buf + sizeof buf, x).ptr;  // shortest round trip
        } else end = std::to_chars(buf, buf + sizeof buf, x).ptr;
        out.append(buf, end);
      }
      out += '\n';
    }
  });
  return out;
}

void write_csv(const std::string& filename, const Array& a) {
  write_file_bytes(filename, format_csv(a));
}

// ---- numpy.loadtxt -------------------------------------------------------------------------

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view strip(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Python's int() of a field: an optional sign and decimal digits, within int64.
bool parse_int64(std::string_view field, std::int64_t& out) {
  if (!field.empty() && field.front() == '+') field.remove_prefix(1);
  if (field.empty() || field.front() == '+') return false;
  const char* end = field.data() + field.size();
  auto [ptr, ec] = std::from_chars(field.data(), end, out);
  return ptr == end && ec == std::errc();
}

// A field as Python's float() reads it (no "nan(...)" forms).
bool parse_float(std::string_view field, double& out) {
  return field.find('(') == std::string_view::npos && parse_number(field, out);
}

std::vector<std::string_view> split_fields(std::string_view line, std::optional<char> delimiter) {
  std::vector<std::string_view> fields;
  if (delimiter) {
    while (true) {
      const std::size_t at = line.find(*delimiter);
      fields.push_back(line.substr(0, at));
      if (at == std::string_view::npos) break;
      line.remove_prefix(at + 1);
    }
    return fields;
  }
  std::size_t i = 0;
  while (true) {
    while (i < line.size() && is_space(line[i])) ++i;
    if (i == line.size()) break;
    const std::size_t start = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

}  // namespace

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t eol = text.find_first_of("\r\n");
    lines.push_back(text.substr(0, eol));
    if (eol == std::string_view::npos) break;
    const std::size_t next =
        text[eol] == '\r' && eol + 1 < text.size() && text[eol + 1] == '\n' ? eol + 2 : eol + 1;
    text.remove_prefix(next);
  }
  return lines;
}

Array parse_text_table(const std::vector<std::string_view>& lines, const TextTableOptions& options,
                       bool& no_data) {
  const bool ints = options.dtype == DType::int64;
  const char* type = ints ? "int64" : options.dtype == DType::float32 ? "float32" : "float64";
  std::vector<double> floats;
  std::vector<std::int64_t> integers;
  std::int64_t rows = 0, cols = -1;
  const std::size_t first = static_cast<std::size_t>(std::max<std::int64_t>(options.skiprows, 0));
  for (std::size_t n = first; n < lines.size(); ++n) {
    if (options.max_rows && rows >= *options.max_rows) break;
    std::string_view line = lines[n];
    for (const std::string& c : options.comments) line = line.substr(0, line.find(c));
    if (line.empty() || (!options.delimiter && strip(line).empty())) continue;
    const std::vector<std::string_view> fields = split_fields(line, options.delimiter);
    const auto count = static_cast<std::int64_t>(fields.size());
    std::vector<std::int64_t> use;
    if (options.usecols) {
      for (std::int64_t c : *options.usecols) {
        LARIX_CHECK(c >= -count && c < count, value, "invalid column index ", c, " at row ",
                    rows + 1, " with ", count, " columns");
        use.push_back(c < 0 ? c + count : c);
      }
    } else {
      LARIX_CHECK(cols < 0 || count == cols, value, "the number of columns changed from ", cols,
                  " to ", count, " at row ", rows + 1,
                  "; use `usecols` to select a subset and avoid this error");
      for (std::int64_t c = 0; c < count; ++c) use.push_back(c);
    }
    cols = static_cast<std::int64_t>(use.size());
    for (std::int64_t c : use) {
      const std::string_view field = strip(fields[static_cast<std::size_t>(c)]);
      bool ok = false;
      if (ints) {
        std::int64_t v = 0;
        ok = parse_int64(field, v);
        integers.push_back(v);
      } else {
        double v = 0;
        ok = parse_float(field, v);
        floats.push_back(v);
      }
      LARIX_CHECK(ok, value, "could not convert string '", fields[static_cast<std::size_t>(c)],
                  "' to ", type, " at row ", rows, ", column ", c + 1, ".");
    }
    ++rows;
  }
  no_data = rows == 0;
  if (no_data) {
    if (options.usecols)
      return Array::empty(options.dtype, {0, static_cast<std::int64_t>(options.usecols->size())});
    return Array::empty(options.dtype, {0});
  }
  if (ints) return Array::from_vector<std::int64_t>(integers, {rows, cols});
  const Array table = Array::from_vector<double>(floats, {rows, cols});
  return options.dtype == DType::float32 ? table.astype(DType::float32) : table;
}

// ---- numpy.savetxt -------------------------------------------------------------------------

namespace {

// One piece of a %-format: literal text, or a conversion with its flags, width and precision.
struct FormatPiece {
  std::string text;  // the literal, or the flags
  char conversion = 0;
  int width = -1, precision = -1;
};

std::vector<FormatPiece> parse_format(const std::string& format) {
  std::vector<FormatPiece> pieces;
  std::string literal;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      literal += format[i];
      continue;
    }
    if (i + 1 < format.size() && format[i + 1] == '%') {
      literal += '%';
      ++i;
      continue;
    }
    if (!literal.empty()) pieces.push_back({std::move(literal)});
    literal.clear();
    FormatPiece spec;
    std::size_t j = i + 1;
    while (j < format.size() && std::string_view("#0- +").find(format[j]) != std::string::npos)
      spec.text += format[j++];
    auto number = [&] {
      int v = 0;
      while (j < format.size() && format[j] >= '0' && format[j] <= '9')
        v = v * 10 + (format[j++] - '0');
      return v;
    };
    if (j < format.size() && format[j] >= '0' && format[j] <= '9') spec.width = number();
    if (j < format.size() && format[j] == '.') {
      ++j;
      spec.precision = number();
    }
    const char conv = j < format.size() ? format[j] : '\0';
    LARIX_CHECK(conv != '\0' && std::string_view("diueEfFgG").find(conv) != std::string::npos,
                value, "savetxt(): the format '", format.substr(i, j + 1 - i),
                "' is not supported by Larix (conversions d, i, u, e, E, f, F, g, G and %%, "
                "with flags, width and precision)");
    spec.conversion = conv;
    pieces.push_back(std::move(spec));
    i = j;
  }
  if (!literal.empty()) pieces.push_back({std::move(literal)});
  return pieces;
}

template <class... Args>
std::string c_format(const std::string& spec, Args... args) {
  const int n = std::snprintf(nullptr, 0, spec.c_str(), args...);
  std::string out(static_cast<std::size_t>(n), '\0');
  std::snprintf(out.data(), out.size() + 1, spec.c_str(), args...);
  return out;
}

// Python pads infinities and NaN with zeros too (C does not): sign, then zeros.
std::string non_finite(const FormatPiece& p, double x) {
  const bool upper = p.conversion == 'E' || p.conversion == 'F' || p.conversion == 'G';
  std::string body = std::isnan(x) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
  const auto has = [&](char f) { return p.text.find(f) != std::string::npos; };
  const std::string sign = !std::isnan(x) && x < 0 ? "-" : has('+') ? "+" : has(' ') ? " " : "";
  const auto width = static_cast<std::size_t>(std::max(p.width, 0));
  const std::size_t len = sign.size() + body.size();
  if (len >= width) return sign + body;
  const std::string pad(width - len, has('-') ? ' ' : has('0') ? '0' : ' ');
  if (has('-')) return sign + body + pad;
  return has('0') ? sign + pad + body : pad + sign + body;
}

std::string format_value(const FormatPiece& p, double x, std::optional<std::int64_t> whole) {
  std::string spec = "%";
  const bool integer = p.conversion == 'd' || p.conversion == 'i' || p.conversion == 'u';
  for (char f : p.text)
    if (!(integer && f == '#')) spec += f;  // Python ignores '#' for d
  if (p.width >= 0) spec += std::to_string(p.width);
  if (!integer) {
    if (!std::isfinite(x)) return non_finite(p, x);
    if (p.precision >= 0) spec += "." + std::to_string(p.precision);
    return c_format(spec + p.conversion, x);
  }
  if (!whole) {  // Python's int() of a float: truncated, any size
    LARIX_CHECK(!std::isnan(x), value, "cannot convert float NaN to integer");
    LARIX_CHECK(!std::isinf(x), overflow, "cannot convert float infinity to integer");
    const double t = std::trunc(x) + 0.0;
    if (std::abs(t) < 9.2e18) {
      whole = static_cast<std::int64_t>(t);
    } else {
      return c_format(spec + ".0f", t);
    }
  }
  if (p.precision >= 0) spec += "." + std::to_string(p.precision);
  return c_format(spec + "lld", static_cast<long long>(*whole));
}

}  // namespace

std::string format_text_table(const Array& a, const std::string& format,
                              const std::string& newline) {
  LARIX_CHECK(a.ndim() == 1 || a.ndim() == 2, value, "Expected 1D or 2D array, got ", a.ndim(),
              "D array instead");
  const std::int64_t rows = a.shape()[0];
  const std::int64_t cols = a.ndim() == 2 ? a.shape()[1] : 1;
  const std::vector<FormatPiece> pieces = parse_format(format);
  const auto conversions = std::count_if(pieces.begin(), pieces.end(),
                                         [](const FormatPiece& p) { return p.conversion; });
  LARIX_CHECK(conversions == cols, type, "Mismatch between array dtype ('", dtype_name(a.dtype()),
              "') and format specifier ('", format, "')");
  const Array x = a.contiguous();
  std::string out;
  visit_dtype(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* data = x.data<T>();
    for (std::int64_t i = 0; i < rows; ++i) {
      std::int64_t j = 0;
      for (const FormatPiece& p : pieces) {
        if (!p.conversion) {
          out += p.text;
          continue;
        }
        const T v = data[i * cols + j++];
        std::optional<std::int64_t> whole;
        if constexpr (!std::is_floating_point_v<T>) whole = static_cast<std::int64_t>(v);
        out += format_value(p, static_cast<double>(v), whole);
      }
      out += newline;
    }
  });
  return out;
}

}  // namespace larix::kernels
