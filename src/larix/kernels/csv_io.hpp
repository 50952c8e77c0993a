// Numbers in text: Phylanx's comma-separated files (file_read_csv / file_write_csv), and the
// simple numeric tables of numpy.loadtxt / numpy.savetxt.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "larix/array/array.hpp"

namespace larix::kernels {

// The numbers of `text`, one row per line, as a 2-d float64 array (rows, columns); (0, 0) when
// there is none. Fields are separated by commas and may have blanks around them; blank lines are
// skipped; "nan", "inf" and "-inf" are read as Python's float() reads them, a number too large for
// a double as inf. A field that is not a number, or a row whose length differs from the first's,
// is a ValueError naming `name`, the line and the column (both 1-based).
Array parse_csv(std::string_view text, const std::string& name);
Array read_csv(const std::string& filename);

// One line per row of a 0-d, 1-d (one line) or 2-d array, values separated by commas, floats in
// the shortest form that reads back to the same value (float32s to the same float32), ints as
// integers, bools as 1 and 0. A 3-d or higher array is a ValueError.
std::string format_csv(const Array& a);
void write_csv(const std::string& filename, const Array& a);

// ---- numpy.loadtxt / numpy.savetxt ---------------------------------------------------------

struct TextTableOptions {
  DType dtype = DType::float64;                      // float64, float32 or int64
  std::vector<std::string> comments{"#"};            // none: no comments
  std::optional<char> delimiter;                     // none: runs of blanks
  std::int64_t skiprows = 0;                         // lines skipped first, comments included
  std::optional<std::vector<std::int64_t>> usecols;  // negative counts from the end
  std::optional<std::int64_t> max_rows;              // data rows read at most
};

// The table of `lines` as numpy.loadtxt reads it, a 2-d array (rows, columns); without any data
// row it is (0,) (or (0, len(usecols))) and `no_data` is set. A line is cut at the first comment,
// then skipped if empty (with blank-separated fields: if blank). Fields are parsed as Python's
// float() (float64, float32) or int() (int64) parse them, blanks around them allowed. ValueErrors
// with NumPy's messages: a field that is not a number ("could not convert string 'x' to float64
// at row 0, column 1."), a row of another length, a usecols index beyond a row.
Array parse_text_table(const std::vector<std::string_view>& lines, const TextTableOptions& options,
                       bool& no_data);

// Lines of text, as Python's universal newlines split them (\n, \r\n, \r).
std::vector<std::string_view> split_lines(std::string_view text);

// The rows of a 1-d (one value per line) or 2-d array as numpy.savetxt writes them:
// `format % tuple(row) + newline` per row, where format is Python %-formatting with the
// conversions d, i, u, e, E, f, F, g, G (flags, width, precision) and %%. A format whose
// conversions do not match the columns is a TypeError ("Mismatch between array dtype..."),
// another conversion a ValueError (not supported by Larix), %d of NaN a ValueError and of an
// infinity an OverflowError (Python's int()).
std::string format_text_table(const Array& a, const std::string& format,
                              const std::string& newline);

}  // namespace larix::kernels
