#include "larix/kernels/file_bytes.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "larix/support/error.hpp"

namespace larix::kernels {

namespace {

struct CloseFile {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, CloseFile>;

// Python's wording: "[Errno 2] No such file or directory: 'name'".
[[noreturn]] void fail(int err, const std::string& path) {
  user_error(err == ENOENT ? ErrorKind::file_not_found : ErrorKind::io, "[Errno ", err, "] ",
             std::strerror(err), ": '", path, "'");
}

// A path with a NUL byte would be cut short by the C library: Python's ValueError instead.
void check_path(const std::string& path) {
  LARIX_CHECK(path.find('\0') == std::string::npos, value, "embedded null byte");
}

}  // namespace

std::string read_file_bytes(const std::string& path) {
  check_path(path);
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) fail(errno, path);
  // A device or pipe (/dev/zero) may never end: read at most kMaxStreamBytes of it.
  struct stat st {};
  const bool regular = fstat(fileno(f.get()), &st) == 0 && S_ISREG(st.st_mode);
  std::string out;
  char chunk[1 << 16];
  while (true) {
    const std::size_t n = std::fread(chunk, 1, sizeof chunk, f.get());
    out.append(chunk, n);
    if (n < sizeof chunk) break;
    if (!regular && out.size() > kMaxStreamBytes)
      user_error(ErrorKind::io, "'", path, "' is not a regular file and gives more than ",
                 kMaxStreamBytes >> 20, " MiB");
  }
  if (std::ferror(f.get())) fail(errno ? errno : EIO, path);  // e.g. EISDIR for a directory
  return out;
}

void write_file_bytes(const std::string& path, std::string_view bytes) {
  check_path(path);
  File f(std::fopen(path.c_str(), "wb"));
  if (!f) fail(errno, path);
  if (std::fwrite(bytes.data(), 1, bytes.size(), f.get()) != bytes.size()) fail(errno, path);
  if (std::fclose(f.release()) != 0) fail(errno, path);
}

}  // namespace larix::kernels
