// Comma-separated numbers (Phylanx's file_read_csv / file_write_csv): text <-> float64 arrays.
#pragma once

#include <string>
#include <string_view>

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

}  // namespace larix::kernels
