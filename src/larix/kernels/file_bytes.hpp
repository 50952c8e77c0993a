// Whole-file reads and writes for the file primitives, with Python's error classes: a missing file
// is a FileNotFoundError (ErrorKind::file_not_found), any other failure an OSError (io).
#pragma once

#include <string>
#include <string_view>

namespace larix::kernels {

std::string read_file_bytes(const std::string& path);
// Creates or truncates the file.
void write_file_bytes(const std::string& path, std::string_view bytes);

}  // namespace larix::kernels
