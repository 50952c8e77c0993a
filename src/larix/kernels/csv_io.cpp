#include "larix/kernels/csv_io.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
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

}  // namespace larix::kernels
