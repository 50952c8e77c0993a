// NumPy's .npy format (versions 1.0, 2.0 and 3.0): read any plain numeric array, write what
// np.load reads.
#pragma once

#include <string>
#include <string_view>

#include "larix/array/array.hpp"

namespace larix::kernels {

// The array in .npy bytes. Element types become Larix dtypes: b1 -> bool; i1, i2, i4, i8, u1, u2,
// u4 -> int64 (u8 too, a ValueError for a value above 2^63 - 1); f2 -> float32; f4, f8 keep
// theirs. Either byte order; Fortran order gives a Fortran-ordered view. Other types (complex,
// strings, objects, structured) are a TypeError; a bad magic string or header, or too few data
// bytes, a ValueError naming `name`.
Array parse_npy(std::string_view bytes, const std::string& name);
Array read_npy(const std::string& filename);

// .npy bytes of `a`: version 1.0 (2.0 when the header needs it), little-endian, C order, the
// header padded so that the data starts at a multiple of 64 bytes, as np.save writes it.
std::string format_npy(const Array& a);
void write_npy(const std::string& filename, const Array& a);

}  // namespace larix::kernels
