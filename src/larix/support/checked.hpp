// Checked 64-bit arithmetic for sizes, shapes and indices: the one place where a computation that
// could overflow int64 is done, so that a huge argument gives NumPy's error at once instead of a
// wrapped value (a wrong answer, a tiny allocation written past its end, a loop that never ends).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>

#include "larix/support/error.hpp"

namespace larix {

// NumPy's limit on the number of dimensions of an array (NPY_MAXDIMS).
inline constexpr int kMaxRank = 64;

// The largest number of bytes an array may span (NumPy's: npy_intp's maximum).
inline constexpr std::int64_t kMaxBytes = std::numeric_limits<std::int64_t>::max();

// a + b, a - b, a * b; nullopt when the exact result does not fit in int64.
inline std::optional<std::int64_t> add_overflows(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}
inline std::optional<std::int64_t> sub_overflows(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) return std::nullopt;
  return r;
}
inline std::optional<std::int64_t> mul_overflows(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

// The same, raising a user error of `kind` with the message parts when the result does not fit.
template <class... Parts>
std::int64_t checked_add(std::int64_t a, std::int64_t b, ErrorKind kind, const Parts&... parts) {
  if (auto r = add_overflows(a, b)) return *r;
  throw Error(kind, detail::concat(parts...));
}
template <class... Parts>
std::int64_t checked_sub(std::int64_t a, std::int64_t b, ErrorKind kind, const Parts&... parts) {
  if (auto r = sub_overflows(a, b)) return *r;
  throw Error(kind, detail::concat(parts...));
}
template <class... Parts>
std::int64_t checked_mul(std::int64_t a, std::int64_t b, ErrorKind kind, const Parts&... parts) {
  if (auto r = mul_overflows(a, b)) return *r;
  throw Error(kind, detail::concat(parts...));
}

// The rank limit, at every place a shape is made: a ValueError as NumPy's.
inline void check_rank(std::int64_t ndim) {
  LARIX_CHECK(ndim <= kMaxRank, value, "maximum supported dimension for an ndarray is currently ",
              kMaxRank, ", found ", ndim);
}

// A count of elements times a size in bytes (or any two sizes): NumPy's "array is too big" when
// the product does not fit.
inline std::int64_t checked_size(std::int64_t count, std::int64_t itemsize) {
  return checked_mul(count, itemsize, ErrorKind::value,
                     "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum "
                     "possible size");
}

// Work at compile time is bounded: while a CompileTimeBudget is open on a thread (constant
// folding), a result of more than its bytes (an array, a repeated list or string) fails at once,
// before it is allocated or built; folding then leaves the call for run time.
class CompileTimeBudget {
 public:
  explicit CompileTimeBudget(std::int64_t bytes) : saved_(limit()) { limit() = bytes; }
  ~CompileTimeBudget() { limit() = saved_; }
  CompileTimeBudget(const CompileTimeBudget&) = delete;
  CompileTimeBudget& operator=(const CompileTimeBudget&) = delete;
  // -1: no budget open.
  static std::int64_t& limit() {
    thread_local std::int64_t bytes = -1;
    return bytes;
  }
  static void check(std::int64_t bytes) {
    if (limit() >= 0 && bytes > limit()) [[unlikely]]
      throw Error(ErrorKind::value, "too big to evaluate at compile time");
  }

 private:
  std::int64_t saved_;
};

// An int converted to a double loses nothing below 2**53; for a length computed from doubles
// (arange, linspace) the caller checks the range first with this.
inline bool fits_int64(double x) {
  return x >= -9223372036854775808.0 && x < 9223372036854775808.0;
}

}  // namespace larix
