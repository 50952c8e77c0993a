// File kernels: CSV parsing (blanks, nan/inf, errors with line and column), shortest round-trip
// formatting, .npy headers (versions, byte orders, Fortran order, widened types) and damaged
// files, missing files as FileNotFoundError.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "larix/kernels/csv_io.hpp"
#include "larix/kernels/file_bytes.hpp"
#include "larix/kernels/npy_io.hpp"
#include "test_support.hpp"

using namespace larix;
using larix::test::error_of;
using larix::test::items;
using namespace larix::kernels;
using I = std::vector<std::int64_t>;
using D = std::vector<double>;

namespace {

// A .npy file as np.save would write it, with any header text and data bytes.
std::string npy(const std::string& dict, const std::string& data, int version = 1) {
  std::string out("\x93NUMPY", 6);
  out += static_cast<char>(version);
  out += '\0';
  const std::size_t len = dict.size();
  const int len_bytes = version == 1 ? 2 : 4;
  for (int i = 0; i < len_bytes; ++i) out += static_cast<char>((len >> (8 * i)) & 0xff);
  return out + dict + data;
}

template <class T>
std::string raw(const std::vector<T>& v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

}  // namespace

TEST_CASE("CSV: rows and columns, blanks, blank lines, CRLF, nan and inf") {
  const Array a = parse_csv(" 1, 2.5 ,-3e2\r\n\n4,+5,nan\n", "t.csv");
  CHECK(a.shape() == Shape{2, 3});
  const auto v = items<double>(a);
  CHECK(v[0] == 1);
  CHECK(v[1] == 2.5);
  CHECK(v[2] == -300);
  CHECK(v[4] == 5);
  CHECK(std::isnan(v[5]));
  CHECK(items<double>(parse_csv("inf,-inf,1e400\n", "t.csv")) == D{INFINITY, -INFINITY, INFINITY});
  CHECK(parse_csv("", "t.csv").shape() == Shape{0, 0});
}

TEST_CASE("CSV errors name the line and column") {
  const Error e = error_of([] { parse_csv("1,2\n\n3,x4\n", "t.csv"); });
  CHECK(e.kind() == ErrorKind::value);
  CHECK(e.message().find("'x4'") != std::string::npos);
  CHECK(e.message().find("line 3, column 2") != std::string::npos);
  CHECK(error_of([] { parse_csv("1,2\n3\n", "t.csv"); }).message().find("line 2") !=
        std::string::npos);
  CHECK(error_of([] { parse_csv("1,\n", "t.csv"); }).kind() == ErrorKind::value);
  CHECK(error_of([] { parse_csv("+-1\n", "t.csv"); }).kind() == ErrorKind::value);
}

TEST_CASE("CSV formatting: shortest round trip per dtype, one line per row") {
  CHECK(format_csv(Array::from_vector<double>({0.1, 1e300, -2, NAN, -INFINITY})) ==
        "0.1,1e+300,-2,nan,-inf\n");
  CHECK(format_csv(Array::from_vector<float>({0.1f, 3})) == "0.1,3\n");
  CHECK(format_csv(Array::from_vector<std::int64_t>({1, 2, 3, 4}).reshape({2, 2})) == "1,2\n3,4\n");
  CHECK(format_csv(Array::from_vector<bool>({true, false})) == "1,0\n");
  CHECK(format_csv(Array::scalar<double>(2.5)) == "2.5\n");
  CHECK(error_of([] {
          format_csv(Array::zeros(DType::float64, {1, 1, 1}));
        }).kind() == ErrorKind::value);
  const double third = 1.0 / 3.0;
  CHECK(items<double>(parse_csv(format_csv(Array::scalar<double>(third)), "t")) == D{third});
}

TEST_CASE(".npy: every integer width as it is, byte orders, Fortran order, float16, complex") {
  const std::string h = "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }\n";
  const Array a = parse_npy(npy(h, raw<std::int32_t>({1, -2, 3, 4})), "t");
  CHECK(a.dtype() == DType::int32);
  CHECK(items<std::int64_t>(a) == I{1, -2, 3, 4});
  // Big-endian int16 1 and 258; Fortran order: the data holds columns.
  const std::string be = "{'descr': '>i2', 'fortran_order': True, 'shape': (2, 1), }\n";
  const Array b = parse_npy(npy(be, std::string("\0\1\1\2", 4)), "t");
  CHECK(b.dtype() == DType::int16);
  CHECK(items<std::int64_t>(b) == I{1, 258});
  const std::string f = "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }\n";
  const Array fa = parse_npy(npy(f, raw<double>({1, 4, 2, 5, 3, 6})), "t");
  CHECK(fa.shape() == Shape{2, 3});
  CHECK(items<double>(fa) == D{1, 2, 3, 4, 5, 6});
  const std::string half = "{'descr': '<f2', 'fortran_order': False, 'shape': (3,), }\n";
  // float16 bits of 1.0, -2.5 and the smallest subnormal 2^-24
  const Array ha = parse_npy(npy(half, raw<std::uint16_t>({0x3c00, 0xc100, 0x0001}), 2), "t");
  CHECK(ha.dtype() == DType::float16);
  CHECK(items<float>(ha) == std::vector<float>{1.0f, -2.5f, std::ldexp(1.0f, -24)});
  const std::string u8 = "{'descr': '<u8', 'fortran_order': False, 'shape': (), }\n";
  const Array big =
      parse_npy(npy(u8, raw<std::uint64_t>({std::numeric_limits<std::uint64_t>::max()})), "t");
  CHECK(big.dtype() == DType::uint64);
  CHECK(big.item<std::uint64_t>() == std::numeric_limits<std::uint64_t>::max());
  // A big-endian complex128: each part's bytes reversed apart (1.0 and -2.0).
  const std::string c = "{'descr': '>c16', 'fortran_order': False, 'shape': (1,), }\n";
  const std::string parts =
      std::string("\x3f\xf0\0\0\0\0\0\0", 8) + std::string("\xc0\0\0\0\0\0\0\0", 8);
  const Array ca = parse_npy(npy(c, parts), "t");
  CHECK(ca.dtype() == DType::complex128);
  CHECK(ca.item<std::complex<double>>() == std::complex<double>(1.0, -2.0));
}

TEST_CASE(".npy round trip through format_npy, header padded to 64 bytes") {
  for (const Array& a : {Array::from_vector<double>({1.5, -2, 3, 4, 5, 6}).reshape({3, 2}),
                         Array::from_vector<bool>({true, false}), Array::scalar<float>(2.5f),
                         Array::zeros(DType::int64, {0, 4}),
                         Array::from_vector<std::int64_t>({7, -3, 200}).astype(DType::uint8),
                         Array::from_vector<std::int64_t>({7, -3, 200}).astype(DType::int16),
                         Array::from_vector<double>({0.5, -1e4}).astype(DType::float16),
                         Array::from_vector<double>({0.5, -1e4}).astype(DType::complex64)}) {
    const std::string bytes = format_npy(a);
    const std::size_t header_len =
        static_cast<unsigned char>(bytes[8]) | static_cast<unsigned char>(bytes[9]) << 8;
    CHECK((10 + header_len) % 64 == 0);
    const Array b = parse_npy(bytes, "t");
    CHECK(b.dtype() == a.dtype());
    CHECK(b.shape() == a.shape());
    const Array ac = a.contiguous();  // the same bytes, whatever the dtype
    CHECK(std::string(b.bytes(), b.size() * b.itemsize()) ==
          std::string(ac.bytes(), ac.size() * ac.itemsize()));
  }
  // the view of a transposed array is written in C order
  const Array t = Array::from_vector<std::int64_t>({1, 2, 3, 4, 5, 6}).reshape({2, 3}).transpose();
  CHECK(items<std::int64_t>(parse_npy(format_npy(t), "t")) == I{1, 4, 2, 5, 3, 6});
}

TEST_CASE(".npy errors: magic, header, truncated data, unsupported dtypes") {
  CHECK(error_of([] { parse_npy("hello", "t"); }).kind() == ErrorKind::value);
  CHECK(error_of([] { parse_npy(std::string("PK\x03\x04zip", 7), "t"); }).kind() ==
        ErrorKind::value);
  const std::string bad = "{'descr': '<f8', 'shape': (2,), }\n";
  CHECK(error_of([&] {
          parse_npy(npy(bad, raw<double>({1, 2})), "t");
        }).kind() == ErrorKind::value);
  const std::string h = "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }\n";
  const Error e = error_of([&] { parse_npy(npy(h, raw<double>({1, 2})), "t"); });
  CHECK(e.message().find("could only read 2 elements") != std::string::npos);
  const std::string c = "{'descr': '<c32', 'fortran_order': False, 'shape': (1,), }\n";
  CHECK(error_of([&] { parse_npy(npy(c, std::string(32, '\0')), "t"); }).kind() == ErrorKind::type);
  const std::string q = "{'descr': '<f16', 'fortran_order': False, 'shape': (1,), }\n";
  CHECK(error_of([&] { parse_npy(npy(q, std::string(16, '\0')), "t"); }).kind() == ErrorKind::type);
  const std::string h2 = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }\n";
  CHECK(error_of([&] { parse_npy(npy(h2, raw<double>({1})).substr(0, 20), "t"); }).kind() ==
        ErrorKind::value);
}

TEST_CASE("files: write then read back; a missing file is file_not_found") {
  const auto dir = std::filesystem::temp_directory_path();
  const std::string path = (dir / "larix_test_file_io.csv").string();
  write_csv(path, Array::from_vector<double>({1, 2, 3, 4}).reshape({2, 2}));
  CHECK(items<double>(read_csv(path)) == D{1, 2, 3, 4});
  std::filesystem::remove(path);
  CHECK(error_of([&] { read_csv(path); }).kind() == ErrorKind::file_not_found);
  CHECK(error_of([&] { read_npy(dir.string()); }).kind() == ErrorKind::io);
  CHECK(error_of([&] {
          write_npy((dir / "no_such_dir" / "x.npy").string(), Array::scalar<double>(1));
        }).kind() == ErrorKind::file_not_found);
}
