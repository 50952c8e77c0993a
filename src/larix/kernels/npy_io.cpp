#include "larix/kernels/npy_io.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstring>
#include <limits>
#include <optional>
#include <vector>

#include "larix/kernels/file_bytes.hpp"

namespace larix::kernels {

namespace {

static_assert(std::endian::native == std::endian::little, "the .npy writer assumes little endian");

using std::int64_t;

constexpr std::string_view kMagic = "\x93NUMPY";

// The header is a Python dict literal: {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& name) : s_(text), name_(name) {}

  struct Header {
    std::string descr;
    bool fortran_order = false;
    Shape shape;
  };

  Header parse() {
    Header h;
    bool have_descr = false, have_order = false, have_shape = false;
    expect('{');
    while (!eat('}')) {
      const std::string key = string();
      expect(':');
      if (key == "descr") {
        h.descr = string();
        have_descr = true;
      } else if (key == "fortran_order") {
        h.fortran_order = boolean();
        have_order = true;
      } else if (key == "shape") {
        h.shape = tuple();
        have_shape = true;
      } else {
        fail("unexpected key '" + key + "'");
      }
      if (!eat(',')) {
        expect('}');
        break;
      }
    }
    if (!have_descr || !have_order || !have_shape)
      fail("the header does not contain 'descr', 'fortran_order' and 'shape'");
    return h;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    user_error(ErrorKind::value, "'", name_, "' is not a valid .npy file: ", what);
  }
  void skip_blanks() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool eat(char c) {
    skip_blanks();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!eat(c)) fail(std::string("expected '") + c + "' in the header");
  }
  std::string string() {
    skip_blanks();
    if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"')) fail("expected a string");
    const char quote = s_[pos_++];
    const std::size_t end = s_.find(quote, pos_);
    if (end == std::string_view::npos) fail("unterminated string");
    std::string out(s_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return out;
  }
  bool boolean() {
    skip_blanks();
    for (const auto& [word, value] : {std::pair{"True", true}, std::pair{"False", false}}) {
      const std::size_t n = std::strlen(word);
      if (s_.substr(pos_, n) == word) {
        pos_ += n;
        return value;
      }
    }
    fail("fortran_order must be True or False");
  }
  Shape tuple() {
    Shape shape;
    expect('(');
    while (!eat(')')) {
      skip_blanks();
      int64_t d = 0;
      const std::size_t start = pos_;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) {
        if (d > (std::numeric_limits<int64_t>::max() - 9) / 10) fail("a dimension is too large");
        d = d * 10 + (s_[pos_++] - '0');
      }
      if (pos_ == start) fail("the shape must be a tuple of non-negative ints");
      shape.push_back(d);
      if (!eat(',')) {
        expect(')');
        break;
      }
    }
    return shape;
  }

  std::string_view s_;
  const std::string& name_;
  std::size_t pos_ = 0;
};

// The stored element type: kind ('b', 'i', 'u', 'f', 'c'), size in bytes, byte-swapped or not,
// and the Larix dtype that holds it as it is (every one NumPy writes for these kinds).
struct Stored {
  char kind;
  int size;
  bool swap;
  DType larix;
};

Stored parse_descr(const std::string& descr) {
  std::string_view d = descr;
  bool swap = false;
  if (!d.empty() && (d[0] == '<' || d[0] == '>' || d[0] == '|' || d[0] == '=')) {
    swap = d[0] == '>';
    d.remove_prefix(1);
  }
  const char kind = d.empty() ? '\0' : d[0];
  const std::string_view size = d.empty() ? d : d.substr(1);
  const int n = size == "1"    ? 1
                : size == "2"  ? 2
                : size == "4"  ? 4
                : size == "8"  ? 8
                : size == "16" ? 16
                               : 0;
  const bool ok = (kind == 'b' && n == 1) || ((kind == 'i' || kind == 'u') && n > 0 && n <= 8) ||
                  (kind == 'f' && n >= 2 && n <= 8) || (kind == 'c' && n >= 8);
  LARIX_CHECK(ok, type, "cannot load an array of dtype '", descr,
              "': Larix holds bool, integers, float16/32/64 and complex64/128");
  DType larix = DType::bool_;
  if (kind == 'i' || kind == 'u') larix = int_dtype(static_cast<std::size_t>(n), kind == 'i');
  if (kind == 'f') larix = n == 2 ? DType::float16 : n == 4 ? DType::float32 : DType::float64;
  if (kind == 'c') larix = n == 8 ? DType::complex64 : DType::complex128;
  return {kind, n, swap && n > 1, larix};
}

}  // namespace

Array parse_npy(std::string_view bytes, const std::string& name) {
  if (bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4))
    user_error(ErrorKind::value, "'", name,
               "' is an .npz archive: Larix reads single arrays (.npy) only");
  LARIX_CHECK(bytes.size() >= 10 && bytes.substr(0, 6) == kMagic, value, "'", name,
              "' is not a .npy file (it does not start with \\x93NUMPY)");
  const int major = static_cast<unsigned char>(bytes[6]);
  LARIX_CHECK(major >= 1 && major <= 3, value, "'", name, "': unsupported .npy format version ",
              major, ".", static_cast<int>(static_cast<unsigned char>(bytes[7])));
  std::size_t header_len = 0, prefix = 0;
  auto byte = [&](std::size_t i) {
    return static_cast<std::size_t>(static_cast<unsigned char>(bytes[i]));
  };
  if (major == 1) {
    header_len = byte(8) | byte(9) << 8;
    prefix = 10;
  } else {
    LARIX_CHECK(bytes.size() >= 12, value, "'", name, "' is not a valid .npy file: truncated");
    header_len = byte(8) | byte(9) << 8 | byte(10) << 16 | byte(11) << 24;
    prefix = 12;
  }
  LARIX_CHECK(bytes.size() >= prefix + header_len, value, "'", name,
              "' is not a valid .npy file: the header is truncated");
  const auto header = HeaderParser(bytes.substr(prefix, header_len), name).parse();
  const Stored st = parse_descr(header.descr);
  check_shape(header.shape, static_cast<std::size_t>(st.size));  // rank and size, before use
  const int64_t n = shape_size(header.shape);
  const std::string_view data = bytes.substr(prefix + header_len);
  const auto available = static_cast<int64_t>(data.size() / st.size);
  LARIX_CHECK(available >= n, value, "Failed to read all data for array. Expected ",
              shape_str(header.shape), " = ", n, " elements, could only read ", available,
              " elements. (file seems not fully written?)");
  Shape storage = header.shape;
  if (header.fortran_order) std::reverse(storage.begin(), storage.end());
  Array out = Array::empty(st.larix, storage);
  char* o = out.mutable_bytes();
  if (n > 0) std::memcpy(o, data.data(), static_cast<std::size_t>(n) * st.size);
  if (st.swap) {  // big-endian: each number's bytes reversed (a complex number's two parts apart)
    const int part = st.kind == 'c' ? st.size / 2 : st.size;
    for (int64_t i = 0; i < n * (st.size / part); ++i)
      std::reverse(o + i * part, o + (i + 1) * part);
  }
  return header.fortran_order ? out.transpose() : out;
}

Array read_npy(const std::string& filename) {
  return parse_npy(read_file_bytes(filename), filename);
}

std::string format_npy(const Array& a) {
  // NumPy's descr of each dtype (this machine's little-endian order; one byte has none).
  auto descr_of = [](DType d) -> const char* {
    switch (d) {
      case DType::bool_: return "|b1";
      case DType::int8: return "|i1";
      case DType::uint8: return "|u1";
      case DType::int16: return "<i2";
      case DType::uint16: return "<u2";
      case DType::int32: return "<i4";
      case DType::uint32: return "<u4";
      case DType::int64: return "<i8";
      case DType::uint64: return "<u8";
      case DType::float16: return "<f2";
      case DType::float32: return "<f4";
      case DType::float64: return "<f8";
      case DType::complex64: return "<c8";
      case DType::complex128: return "<c16";
    }
    return "<f8";
  };
  const char* descr = descr_of(a.dtype());
  std::string dict = std::string("{'descr': '") + descr +
                     "', 'fortran_order': False, 'shape': " + shape_str(a.shape()) + ", }";
  // Version 1.0 has a 2-byte header length; the data starts at a multiple of 64 bytes.
  const bool v2 = dict.size() + 1 + 10 > 65535;
  const std::size_t prefix = v2 ? 12 : 10;
  const std::size_t total = (prefix + dict.size() + 1 + 63) / 64 * 64;
  dict.append(total - prefix - dict.size() - 1, ' ');
  dict += '\n';
  std::string out(kMagic);
  out += static_cast<char>(v2 ? 2 : 1);
  out += '\0';
  const std::size_t len = dict.size();
  for (std::size_t i = 0; i < (v2 ? 4u : 2u); ++i)
    out += static_cast<char>((len >> (8 * i)) & 0xff);
  out += dict;
  const Array c = a.contiguous();
  out.append(c.bytes(), c.size() * c.itemsize());
  return out;
}

void write_npy(const std::string& filename, const Array& a) {
  write_file_bytes(filename, format_npy(a));
}

}  // namespace larix::kernels
