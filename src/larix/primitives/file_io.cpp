// File input and output: Phylanx's file_read_csv / file_write_csv, and NumPy's .npy files
// (load / save). All are ordered effects: in a block, a read waits for earlier writes.
#include <string>

#include "larix/kernels/csv_io.hpp"
#include "larix/kernels/npy_io.hpp"
#include "larix/primitives/numpy_args.hpp"

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
  r.add({.name = "load",
         .signature = {{arg("file")}},
         .doc = std::string("load(file)\n\nThe array of a .npy file (format versions 1.0, 2.0 "
                            "and 3.0), as numpy.load. Element types become Larix's: bool; any "
                            "signed or unsigned integer becomes int64 (a uint64 above 2^63 - 1 "
                            "is a ValueError); float16 becomes float32; float32 and float64 stay. "
                            "Either byte order; a Fortran-ordered file gives a Fortran-ordered "
                            "array. Other element types (complex, strings, objects, records) are "
                            "a TypeError; .npz archives, pickles and damaged files (bad magic "
                            "string or header, too few data bytes) a ValueError.") +
                errors,
         .pure = false,
         .effect = true,
         .kernel = load_kernel});
  r.add({.name = "save",
         .signature = {{arg("file"), arg("arr")}},
         .doc = std::string("save(file, arr)\n\nWrites `arr` to a .npy file that numpy.load "
                            "reads (format 1.0, little-endian, C order), as numpy.save; \".npy\" "
                            "is appended to the file name unless it ends with it. Returns nil.") +
                errors,
         .pure = false,
         .effect = true,
         .kernel = save_kernel});
}

}  // namespace larix
