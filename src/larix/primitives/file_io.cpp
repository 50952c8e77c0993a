// File input and output: Phylanx's file_read_csv / file_write_csv, NumPy's .npy files (load /
// save) and text tables of numbers (loadtxt / savetxt, the simple numeric cases). All are ordered
// effects: in a block, a read waits for earlier writes.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "larix/kernels/csv_io.hpp"
#include "larix/kernels/file_bytes.hpp"
#include "larix/kernels/npy_io.hpp"
#include "larix/primitives/numpy_args.hpp"
#include "larix/support/warnings.hpp"

namespace larix {
namespace {

using numpy_args::array_arg;
using std::int64_t;

const std::string& filename_arg(const Value& v, const char* fn) {
  LARIX_CHECK(v.is_string(), type, fn, "() expects a file name (a string), not ", v.type_name());
  return v.as_string();
}

// Phylanx's shapes: one value is 0-d, one row is 1-d, more rows are 2-d; mode3d cuts the rows
// into pages of page_nrows rows (a 3-d result).
Value read_csv_kernel(KernelArgs& args) {
  Array m = kernels::read_csv(filename_arg(args[0], "file_read_csv"));
  const int64_t rows = m.shape()[0], cols = m.shape()[1];
  if (args[1].as_bool("mode3d")) {
    const int64_t page = numpy_args::int_arg(args[2], "page_nrows");
    LARIX_CHECK(page > 0, value, "file_read_csv(): page_nrows must be positive, not ", page);
    LARIX_CHECK(rows % page == 0, value, "file_read_csv(): the number of rows (", rows,
                ") is not divisible by page_nrows (", page, ")");
    return Value(m.reshape({rows / page, page, cols}));
  }
  if (rows == 1) return Value(cols == 1 ? m.reshape({}) : m.reshape({cols}));
  return Value(std::move(m));
}

Value write_csv_kernel(KernelArgs& args) {
  const std::string& name = filename_arg(args[0], "file_write_csv");
  Array a = array_arg(args[1], "file_write_csv", "array");
  kernels::write_csv(name, a);
  return Value(std::move(a));
}

Value load_kernel(KernelArgs& args) {
  return Value(kernels::read_npy(filename_arg(args[0], "load")));
}

Value save_kernel(KernelArgs& args) {
  std::string name = filename_arg(args[0], "save");
  if (name.size() < 4 || name.compare(name.size() - 4, 4, ".npy") != 0) name += ".npy";
  kernels::write_npy(name, array_arg(args[1], "save", "arr"));
  return Value();
}

// A control character of loadtxt (delimiter): one character, not a newline.
std::optional<char> control_char(const Value& v, const char* what) {
  if (v.is_nil()) return std::nullopt;
  LARIX_CHECK(v.is_string() && v.as_string().size() == 1, type,
              "Text reading control character must be a single unicode character or None; but "
              "got: '",
              v.is_string() ? v.as_string() : v.type_name(), "'");
  const char c = v.as_string()[0];
  LARIX_CHECK(c != '\n' && c != '\r', type, "control character '", what,
              "' cannot be a newline (`\\r` or `\\n`).");
  return c;
}

std::vector<std::string> comment_strings(const Value& v) {
  std::vector<std::string> out;
  if (v.is_nil()) return out;
  if (v.is_string()) {
    out.push_back(v.as_string());
  } else {
    LARIX_CHECK(v.is_list(), type,
                "loadtxt(): comments must be a string, a list of strings or nil, not ",
                v.type_name());
    for (const Value& c : v.as_list()) {
      LARIX_CHECK(c.is_string(), type, "loadtxt(): comments must be strings, not ", c.type_name());
      out.push_back(c.as_string());
    }
  }
  for (const std::string& c : out)
    LARIX_CHECK(!c.empty(), value,
                "comments cannot be an empty string. Use comments=None to disable comments.");
  return out;
}

std::vector<std::int64_t> usecols_arg(const Value& v) {
  std::vector<std::int64_t> cols;
  const auto one = [&](const Value& c) {
    LARIX_CHECK(numpy_args::is_int_like(c) && !c.is_bool(), type,
                "usecols must be an int or a sequence of ints but it contains at least one "
                "element of type '",
                c.type_name(), "'");
    cols.push_back(c.as_int());
  };
  if (v.is_list()) {
    for (const Value& c : v.as_list()) one(c);
  } else if (v.is_array() && v.as_array_ref().ndim() == 1) {
    const Array a = v.as_array_ref();
    for (std::int64_t i = 0; i < a.size(); ++i) one(Value(a.item<std::int64_t>(i)));
  } else {
    one(v);
  }
  return cols;
}

// The lines of loadtxt's fname: a file's, or those of a list of strings (NumPy reads any iterable
// of lines).
Value loadtxt_kernel(KernelArgs& args) {
  const Value& fname = args[0];
  std::string text;
  std::vector<std::string_view> lines;
  if (fname.is_list()) {
    for (const Value& l : fname.as_list()) {
      LARIX_CHECK(l.is_string(), type,
                  "loadtxt(): fname must be a file name or a list of lines "
                  "(strings), not a list holding ",
                  l.type_name());
      std::string_view line = l.as_string();
      if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      LARIX_CHECK(line.find_first_of("\r\n") == std::string_view::npos, value,
                  "Found an unquoted embedded newline within a single line of input.  This is "
                  "currently not supported.");
      lines.push_back(line);
    }
  } else {
    text = kernels::read_file_bytes(filename_arg(fname, "loadtxt"));
    lines = kernels::split_lines(text);
  }
  kernels::TextTableOptions options;
  const DType dtype = numpy_args::parse_dtype_arg(args[1]).value_or(DType::float64);
  LARIX_CHECK(dtype != DType::bool_, type,
              "loadtxt(): dtype bool is not supported by Larix (float64, float32 or int64)");
  options.dtype = dtype;
  options.comments = comment_strings(args[2]);
  options.delimiter = control_char(args[3], "delimiter");
  for (const std::string& c : options.comments)
    LARIX_CHECK(!options.delimiter || c != std::string(1, *options.delimiter), type,
                "The values for control characters 'comment' and 'delimiter' are incompatible");
  options.skiprows = numpy_args::int_arg(args[4], "skiprows");
  LARIX_CHECK(options.skiprows >= 0, value, "argument must be nonnegative");
  if (!args[5].is_nil()) options.usecols = usecols_arg(args[5]);
  const bool unpack = args[6].as_bool("unpack");
  const std::int64_t ndmin = numpy_args::int_arg(args[7], "ndmin");
  LARIX_CHECK(ndmin >= 0 && ndmin <= 2, value, "Illegal value of ndmin keyword: ", ndmin);
  if (!args[8].is_nil()) {
    const std::int64_t m = numpy_args::int_arg(args[8], "max_rows");
    if (m >= 0) options.max_rows = m;
  }
  bool no_data = false;
  Array table = kernels::parse_text_table(lines, options, no_data);
  if (no_data) {
    warn("loadtxt: input contained no data: \"" +
         (fname.is_string() ? fname.as_string() : std::string("<list of lines>")) + "\"");
  }
  // NumPy's _ensure_ndmin_ndarray: squeeze above ndmin, then pad up to it.
  if (table.ndim() > ndmin) {
    Shape kept;
    for (std::int64_t d : table.shape())
      if (d != 1) kept.push_back(d);
    table = table.reshape(kept);
  }
  if (table.ndim() < ndmin) {
    if (ndmin == 1) table = table.reshape({table.size()});
    else table = table.ndim() == 0 ? table.reshape({1, 1}) : table.reshape({table.size(), 1});
  }
  return Value(unpack ? table.transpose().copy() : table);
}

// savetxt's row format from fmt (a string or a list of strings) as NumPy builds it.
std::string row_format(const Value& fmt, std::int64_t cols, const std::string& delimiter) {
  if (fmt.is_list()) {
    const List& parts = fmt.as_list();
    LARIX_CHECK(static_cast<std::int64_t>(parts.size()) == cols, value, "fmt has wrong shape.  (",
                parts.size(), " formats for ", cols, " columns)");
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      LARIX_CHECK(parts[i].is_string(), value, "invalid fmt: a list holding ",
                  parts[i].type_name());
      out += (i ? delimiter : "") + parts[i].as_string();
    }
    return out;
  }
  LARIX_CHECK(fmt.is_string(), value, "invalid fmt: ", fmt.type_name());
  const std::string& f = fmt.as_string();
  const auto percents = std::count(f.begin(), f.end(), '%');
  if (percents == 1) {
    std::string out;
    for (std::int64_t i = 0; i < cols; ++i) out += (i ? delimiter : "") + f;
    return out;
  }
  LARIX_CHECK(percents == cols, value, "fmt has wrong number of % formats:  ", f);
  return f;
}

std::string commented(const std::string& text, const std::string& comments) {
  std::string out = comments;
  for (char c : text) {
    out += c;
    if (c == '\n') out += comments;
  }
  return out;
}

Value savetxt_kernel(KernelArgs& args) {
  const std::string& name = filename_arg(args[0], "savetxt");
  const Array x = array_arg(args[1], "savetxt", "X");
  const std::string& delimiter = args[3].as_string("delimiter");
  const std::string& newline = args[4].as_string("newline");
  const std::string& header = args[5].as_string("header");
  const std::string& footer = args[6].as_string("footer");
  const std::string& comments = args[7].as_string("comments");
  LARIX_CHECK(x.ndim() == 1 || x.ndim() == 2, value, "Expected 1D or 2D array, got ", x.ndim(),
              "D array instead");
  const std::string format = row_format(args[2], x.ndim() == 2 ? x.shape()[1] : 1, delimiter);
  std::string text;
  if (!header.empty()) text += commented(header, comments) + newline;
  text += kernels::format_text_table(x, format, newline);
  if (!footer.empty()) text += commented(footer, comments) + newline;
  kernels::write_file_bytes(name, text);
  return Value();
}

}  // namespace

void register_file_io(Registry& r) {
  const char* errors =
      " A missing file is a FileNotFoundError, any other failure to open, read or write it an "
      "OSError.";
  r.add({.name = "file_read_csv",
         .signature = {{arg("filename"), arg("mode3d", Value(false)), arg("page_nrows", Value(1))}},
         .doc = std::string("file_read_csv(filename, mode3d=false, page_nrows=1)\n\nThe numbers "
                            "of a comma-separated file as float64, with Phylanx's shapes: a "
                            "file of one value gives a 0-d array, of one row a 1-d array, of "
                            "more rows a 2-d array (rows, columns) (like numpy.loadtxt(f, "
                            "delimiter=',') except that one column stays 2-d); an empty file "
                            "gives shape (0, 0). With mode3d the rows are cut into pages of "
                            "page_nrows rows: a 3-d array (pages, page_nrows, columns). Blanks "
                            "around fields and blank lines are ignored; nan, inf and -inf are "
                            "read as Python's float() reads them. A field that is not a number "
                            "or a row of another length is a ValueError naming the line and "
                            "column (1-based).") +
                errors,
         .pure = false,
         .effect = true,
         .kernel = read_csv_kernel});
  r.add({.name = "file_write_csv",
         .signature = {{arg("filename"), arg("array")}},
         .doc = std::string("file_write_csv(filename, array)\n\nWrites a 0-d, 1-d or 2-d array "
                            "as comma-separated lines (one line per row; a 0-d or 1-d array is "
                            "one line) and returns the array, as Phylanx. Floats are written in "
                            "the shortest form that reads back to the same value (float32s to "
                            "the same float32), ints as integers, bools as 1 and 0, NaN as nan "
                            "and infinities as inf and -inf, so file_read_csv and "
                            "numpy.loadtxt(f, delimiter=',') read the values back exactly. A "
                            "3-d or higher array is a ValueError.") +
                errors,
         .pure = false,
         .effect = true,
         .kernel = write_csv_kernel});
  r.add({.name = "loadtxt",
         .signature = {{arg("fname"), arg("dtype", Value("float64")), arg("comments", Value("#")),
                        arg("delimiter", Value()), arg("skiprows", Value(0)),
                        arg("usecols", Value()), arg("unpack", Value(false)),
                        arg("ndmin", Value(0)), arg("max_rows", Value())}},
         .doc = std::string("loadtxt(fname, dtype=\"float64\", comments=\"#\", delimiter=nil, "
                            "skiprows=0, usecols=nil, unpack=false, ndmin=0, max_rows=nil)\n\n"
                            "A table of numbers from a text file (or a list of lines), as "
                            "numpy.loadtxt in its simple numeric cases: dtype float64, float32 "
                            "or int64; comments a string or list of strings (nil: none), cut "
                            "from each line; delimiter one character (nil: runs of blanks); the "
                            "first skiprows lines skipped; usecols an int or list of column "
                            "indices; at most max_rows data rows. Empty lines are skipped. The "
                            "result is squeezed to at least ndmin (0, 1, 2) dimensions and "
                            "transposed with unpack, as NumPy's. No data gives an empty array "
                            "and NumPy's warning \"input contained no data\" (a RuntimeWarning; "
                            "NumPy's is a UserWarning). ValueErrors with NumPy's messages for a "
                            "field that does not parse (\"could not convert string 'x' to "
                            "float64 at row 0, column 1.\"), rows of different lengths, a "
                            "usecols index beyond a row, a negative skiprows, a bad ndmin, an "
                            "empty comment; TypeErrors for a delimiter of several characters or "
                            "equal to a comment, and for dtype bool. NumPy's converters, "
                            "encoding, quotechar and structured dtypes are not supported (the "
                            "frontend refuses those keywords).") +
                errors,
         .pure = false,
         .effect = true,
         .kernel = loadtxt_kernel});
  r.add({.name = "savetxt",
         .signature = {{arg("fname"), arg("X"), arg("fmt", Value("%.18e")),
                        arg("delimiter", Value(" ")), arg("newline", Value("\n")),
                        arg("header", Value("")), arg("footer", Value("")),
                        arg("comments", Value("# "))}},
         .doc = std::string("savetxt(fname, X, fmt=\"%.18e\", delimiter=\" \", newline=\"\\n\", "
                            "header=\"\", footer=\"\", comments=\"# \")\n\nWrites a 1-d (one "
                            "value per line) or 2-d array as text, as numpy.savetxt: fmt is one "
                            "%-format for every column (joined by delimiter), a list of one "
                            "per column, or a whole row's format; Python's %-formatting of the "
                            "conversions d, i, u, e, E, f, F, g, G with flags, width and "
                            "precision (%d truncates floats, as int()). header and footer are "
                            "written with comments before each of their lines. Returns nil. "
                            "ValueError for a 0-d or 3-d array, a format string with a wrong "
                            "number of conversions or a list of formats of another length "
                            "(NumPy: AttributeError), another conversion (%s, %x, ...: not "
                            "supported by Larix), and %d of NaN; TypeError when a row format's "
                            "conversions do not match the columns.") +
                errors,
         .pure = false,
         .effect = true,
         .kernel = savetxt_kernel});
  r.add({.name = "load",
         .signature = {{arg("file")}},
         .doc = std::string("load(file)\n\nThe array of a .npy file (format versions 1.0, 2.0 "
                            "and 3.0), as numpy.load, in the file's dtype: bool, every signed and "
                            "unsigned integer width, float16/32/64, complex64/128. Either byte "
                            "order; a Fortran-ordered file gives a Fortran-ordered array. Other "
                            "element types (longdouble, strings, objects, records) are a "
                            "TypeError; .npz archives, pickles and damaged files (bad magic "
                            "string or header, too few data bytes) a ValueError.") +
                errors,
         .pure = false,
         .effect = true,
         .kernel = load_kernel});
  r.add({.name = "save",
         .signature = {{arg("file"), arg("arr")}},
         .doc = std::string("save(file, arr)\n\nWrites `arr` to a .npy file that numpy.load "
                            "reads (format 1.0, little-endian, C order, `arr`'s dtype), as "
                            "numpy.save; \".npy\" "
                            "is appended to the file name unless it ends with it. Returns nil.") +
                errors,
         .pure = false,
         .effect = true,
         .kernel = save_kernel});
}

}  // namespace larix
