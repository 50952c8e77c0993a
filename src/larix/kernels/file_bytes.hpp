// Whole-file reads and writes for the file primitives, with Python's error classes: a missing file
// is a FileNotFoundError (ErrorKind::file_not_found), any other failure an OSError (io).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace larix::kernels {

// What is read at most of a file that is not a regular one (a device such as /dev/zero, a pipe).
inline constexpr std::size_t kMaxStreamBytes = std::size_t{256} << 20;

// A path holding a NUL byte is a ValueError ("embedded null byte"), as in Python.
std::string read_file_bytes(const std::string& path);
// Creates or truncates the file.
void write_file_bytes(const std::string& path, std::string_view bytes);

}  // namespace larix::kernels
