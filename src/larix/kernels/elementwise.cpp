#include "larix/kernels/elementwise.hpp"

#include <algorithm>
#include <cmath>
#include <concepts>
#include <type_traits>

#include "larix/kernels/complex.hpp"
#include "larix/kernels/parallel.hpp"
#include "larix/kernels/simd.hpp"
#include "larix/kernels/strided.hpp"
#include "larix/kernels/vmath.hpp"
#include "larix/support/warnings.hpp"

namespace larix::kernels {

namespace {

using std::int64_t;
using std::uint64_t;

// int64 arithmetic wraps like NumPy's (through uint64: signed overflow would be undefined).
inline int64_t wrap_add(int64_t a, int64_t b) { return int64_t(uint64_t(a) + uint64_t(b)); }
inline int64_t wrap_sub(int64_t a, int64_t b) { return int64_t(uint64_t(a) - uint64_t(b)); }
inline int64_t wrap_mul(int64_t a, int64_t b) { return int64_t(uint64_t(a) * uint64_t(b)); }

template <class T>
concept Int = std::same_as<T, int64_t>;
template <class T>
concept Float = std::floating_point<T>;
template <class T>
concept Number = Int<T> || Float<T>;  // not bool: NumPy has no bool kernel for these

// Integer floor_divide and remainder by zero give 0, as NumPy's do; binary() reports NumPy's
// RuntimeWarning (a divisor with a zero is found before the loop: the chunks do not report).
bool has_zero(const Array& a) {
  return visit_dtype(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    bool zero = false;
    for_each_offset(a.shape(), a.strides(), [&](std::int64_t off) {
      zero |= *reinterpret_cast<const T*>(a.bytes() + off) == T(0);
    });
    return zero;
  });
}

// NumPy's npy_divmod: Python's sign rules for floats (the remainder takes the divisor's sign).
template <class T>
T float_divmod(T a, T b, T& mod) {
  mod = std::fmod(a, b);
  if (b == 0) return a / b;
  T div = (a - mod) / b;
  if (mod != 0) {
    if ((b < 0) != (mod < 0)) {
      mod += b;
      div -= T(1);
    }
  } else {
    mod = std::copysign(T(0), b);
  }
  T floordiv;
  if (div != 0) {
    floordiv = std::floor(div);
    if (div - floordiv > T(0.5)) floordiv += T(1);
  } else {
    floordiv = std::copysign(T(0), a / b);
  }
  return floordiv;
}

// ---- binary operations: one functor each, constrained to the types they compute in ----------

// Bool operations use & | (not && ||): no branch per element, so the loops vectorise.
struct Add {  // on bools: logical or, as NumPy
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (std::same_as<T, bool>) return a | b;
    else if constexpr (Int<T>) return wrap_add(a, b);
    else return a + b;
  }
};
struct Subtract {
  template <Number T>
  T operator()(T a, T b) const {
    if constexpr (Int<T>) return wrap_sub(a, b);
    else return a - b;
  }
};
struct Multiply {  // on bools: logical and
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (std::same_as<T, bool>) return a & b;
    else if constexpr (Int<T>) return wrap_mul(a, b);
    else return a * b;
  }
};
struct TrueDivide {
  template <Float T>
  T operator()(T a, T b) const {
    return a / b;
  }
};
struct FloorDivide {
  template <Number T>
  T operator()(T a, T b) const {
    if constexpr (Int<T>) {
      if (b == 0) return 0;
      if (b == -1) return wrap_sub(0, a);  // INT64_MIN // -1 wraps, as in NumPy
      const int64_t q = a / b;
      return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
    } else {
      if (b == 0) return a / b;  // NumPy: inf or nan
      T mod;
      return float_divmod(a, b, mod);
    }
  }
};
struct Mod {
  template <Number T>
  T operator()(T a, T b) const {
    if constexpr (Int<T>) {
      if (b == 0) return 0;
      if (b == -1) return 0;
      const int64_t r = a % b;
      return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
    } else {
      if (b == 0) return std::fmod(a, b);  // nan
      T mod;
      float_divmod(a, b, mod);
      return mod;
    }
  }
};
struct Power {
  template <Number T>
  T operator()(T a, T b) const {
    if constexpr (Int<T>) {
      if (b < 0)
        user_error(ErrorKind::value, "Integers to negative integer powers are not allowed.");
      int64_t result = 1;
      for (; b; b >>= 1, a = wrap_mul(a, a))
        if (b & 1) result = wrap_mul(result, a);
      return result;
    } else {
      return std::pow(a, b);
    }
  }
};
#define LARIX_COMPARISON(Name, expr)  \
  struct Name {                       \
    template <class T>                \
    bool operator()(T a, T b) const { \
      return expr;                    \
    }                                 \
  };
LARIX_COMPARISON(Equal, a == b)
LARIX_COMPARISON(NotEqual, a != b)
LARIX_COMPARISON(Less, a < b)
LARIX_COMPARISON(LessEqual, a <= b)
LARIX_COMPARISON(Greater, a > b)
LARIX_COMPARISON(GreaterEqual, a >= b)
LARIX_COMPARISON(LogicalAnd, (a != T(0)) & (b != T(0)))
LARIX_COMPARISON(LogicalOr, (a != T(0)) | (b != T(0)))
LARIX_COMPARISON(LogicalXor, (a != T(0)) != (b != T(0)))
#undef LARIX_COMPARISON
// NaN propagates, as in np.maximum: a when a >= b or a is NaN, else b. Written as two selects,
// which vectorise (a compare and a blend each).
struct Maximum {
  template <class T>
  T operator()(T a, T b) const {
    const T m = a >= b ? a : b;
    if constexpr (Float<T>) return a != a ? a : m;
    else return m;
  }
};
struct Arctan2 {
  template <Float T>
  T operator()(T a, T b) const {
    return std::atan2(a, b);
  }
};
struct Minimum {
  template <class T>
  T operator()(T a, T b) const {
    const T m = a <= b ? a : b;
    if constexpr (Float<T>) return a != a ? a : m;
    else return m;
  }
};

// ---- unary operations -------------------------------------------------------------------------

struct Negative {
  template <Number T>
  T operator()(T x) const {
    if constexpr (Int<T>) return wrap_sub(0, x);
    else return -x;
  }
};
struct Absolute {  // abs(INT64_MIN) wraps to itself, as in NumPy
  template <class T>
  T operator()(T x) const {
    if constexpr (Int<T>) return x < 0 ? wrap_sub(0, x) : x;
    else if constexpr (Float<T>) return std::abs(x);
    else return x;
  }
};
// & | ^ ~ exist for bool and int64 only: floats have no kernel (the dtype rule rejects them).
template <class T>
concept BitwiseType = std::is_same_v<T, bool> || std::is_same_v<T, int64_t>;
struct BitwiseAnd {
  template <BitwiseType T>
  T operator()(T a, T b) const {
    return static_cast<T>(a & b);
  }
};
struct BitwiseOr {
  template <BitwiseType T>
  T operator()(T a, T b) const {
    return static_cast<T>(a | b);
  }
};
struct BitwiseXor {
  template <BitwiseType T>
  T operator()(T a, T b) const {
    return static_cast<T>(a ^ b);
  }
};
// Shifts as NumPy's: a count of the width or more (or a negative one) shifts every bit out, to 0
// (-1 for a negative number shifted right); a left shift wraps as the unsigned one would.
template <class T>
concept ShiftType = std::is_same_v<T, int64_t>;  // (bools compute as int64)
struct LeftShift {
  template <ShiftType T>
  T operator()(T a, T b) const {
    if (static_cast<uint64_t>(b) >= 64) return 0;
    return static_cast<T>(static_cast<uint64_t>(a) << b);
  }
};
struct RightShift {
  template <ShiftType T>
  T operator()(T a, T b) const {
    if (static_cast<uint64_t>(b) >= 64) return a < 0 ? -1 : 0;
    return a >> b;
  }
};
struct Invert {
  template <BitwiseType T>
  T operator()(T x) const {
    if constexpr (std::is_same_v<T, bool>) return !x;
    else return ~x;
  }
};
struct LogicalNot {
  template <class T>
  bool operator()(T x) const {
    return x == T(0);
  }
};
struct Square {
  template <Number T>
  T operator()(T x) const {
    if constexpr (Int<T>) return wrap_mul(x, x);
    else return x * x;
  }
};
struct Sign {
  template <Number T>
  T operator()(T x) const {
    const T s = T((x > T(0)) - (x < T(0)));
    if constexpr (Float<T>) return x != x ? x : s;
    else return s;
  }
};
// floor, ceil and trunc: the C library's functions, except in the AVX2 build (avx2()), where ceil
// goes through nearbyint, which compiles to one rounding instruction that vectorises (std::ceil
// and std::floor stay library calls unless -fno-trapping-math; nearbyint is a slow call without
// SSE4.1), plus one where it rounded down, and x's sign put back (ceil(-0.5) = -0.0; NaN keeps
// its payload). floor(x) = -ceil(-x) and trunc(x) = copysign(ceil(-|x|), x) reuse it (as
// r - (r > x), GCC keeps a branch).
struct Ceil {
  template <class T>
  T operator()(T x) const {
    if constexpr (Float<T>) return std::ceil(x);
    else return x;
  }
  template <class T>
  static T avx2(T x) {
    if constexpr (Float<T>) {
      const T r = std::nearbyint(x);
      return std::copysign(r + T(r < x), x);
    } else {
      return x;
    }
  }
};
struct Floor {
  template <class T>
  T operator()(T x) const {
    if constexpr (Float<T>) return std::floor(x);
    else return x;
  }
  template <class T>
  static T avx2(T x) {
    if constexpr (Float<T>) return -Ceil::avx2(-x);
    else return x;
  }
};
struct Trunc {
  template <class T>
  T operator()(T x) const {
    if constexpr (Float<T>) return std::trunc(x);
    else return x;
  }
  template <class T>
  static T avx2(T x) {
    if constexpr (Float<T>) return std::copysign(Ceil::avx2(-std::fabs(x)), x);
    else return x;
  }
};
struct Relu {
  template <class T>
  T operator()(T x) const {
    if constexpr (Float<T>) return x < T(0) ? T(0) : x;  // NaN and -0.0 pass through
    else if constexpr (Int<T>) return x > 0 ? x : 0;
    else return x;
  }
};
struct IsNan {
  template <class T>
  bool operator()(T x) const {
    if constexpr (Float<T>) return std::isnan(x);
    else return false;
  }
};
struct IsInf {
  template <class T>
  bool operator()(T x) const {
    if constexpr (Float<T>) return std::isinf(x);
    else return false;
  }
};
struct IsFinite {
  template <class T>
  bool operator()(T x) const {
    if constexpr (Float<T>) return std::isfinite(x);
    else return true;
  }
};
#define LARIX_UNARY_FUNCTOR(name, expr) \
  struct Float_##name {                 \
    template <Float T>                  \
    T operator()(T x) const {           \
      return expr;                      \
    }                                   \
  };
LARIX_FLOAT_UNARY_OPS(LARIX_UNARY_FUNCTOR)
#undef LARIX_UNARY_FUNCTOR

// The functions with a vector implementation (vmath.hpp) use it for every layout (strided and
// broadcast inputs in gathered blocks): a value's result does not depend on where it is. Their
// functors above (the std:: functions, within an ulp or two) serve single values elsewhere.
template <Float T>
void vector_run(Float_exp, T* o, const T* x, int64_t n) {
  vmath::exp(x, o, n);
}
template <Float T>
void vector_run(Float_log, T* o, const T* x, int64_t n) {
  vmath::log(x, o, n);
}
template <Float T>
void vector_run(Float_tanh, T* o, const T* x, int64_t n) {
  vmath::tanh(x, o, n);
}
template <Float T>
void vector_run(Float_sigmoid, T* o, const T* x, int64_t n) {
  vmath::sigmoid(x, o, n);
}
template <Float T>
void vector_run(Float_exp2, T* o, const T* x, int64_t n) {
  vmath::exp2(x, o, n);
}
template <Float T>
void vector_run(Float_expm1, T* o, const T* x, int64_t n) {
  vmath::expm1(x, o, n);
}
template <Float T>
void vector_run(Float_log2, T* o, const T* x, int64_t n) {
  vmath::log2(x, o, n);
}
template <Float T>
void vector_run(Float_log10, T* o, const T* x, int64_t n) {
  vmath::log10(x, o, n);
}
template <Float T>
void vector_run(Float_log1p, T* o, const T* x, int64_t n) {
  vmath::log1p(x, o, n);
}
template <Float T>
void vector_run(Float_sinh, T* o, const T* x, int64_t n) {
  vmath::sinh(x, o, n);
}
template <Float T>
void vector_run(Float_cosh, T* o, const T* x, int64_t n) {
  vmath::cosh(x, o, n);
}

// ---- the loops --------------------------------------------------------------------------------

// The contiguous runs of the loops below, where the time goes: plain loops the compiler vectorises,
// compiled for SSE2 and for AVX2 (simd.hpp). kKind: 0 both operands contiguous, 1 x is a scalar,
// 2 y is.
template <int kKind, class T, class R, class Op>
[[gnu::always_inline]] inline void binary_run_body(Op op, R* __restrict o, const T* __restrict x,
                                                   const T* __restrict y, int64_t n) {
  if constexpr (kKind == 0) {
    for (int64_t i = 0; i < n; ++i) o[i] = op(x[i], y[i]);
  } else if constexpr (kKind == 1) {
    const T xv = *x;
    for (int64_t i = 0; i < n; ++i) o[i] = op(xv, y[i]);
  } else {
    const T yv = *y;
    for (int64_t i = 0; i < n; ++i) o[i] = op(x[i], yv);
  }
}
template <int kKind, class T, class R, class Op>
LARIX_TARGET_AVX2 void binary_run_avx2(Op op, R* o, const T* x, const T* y, int64_t n) {
  binary_run_body<kKind>(op, o, x, y, n);
}
template <int kKind, class T, class R, class Op>
void binary_run(Op op, R* o, const T* x, const T* y, int64_t n) {
  if (detail::cpu_has_avx2()) binary_run_avx2<kKind>(op, o, x, y, n);
  else binary_run_body<kKind>(op, o, x, y, n);
}

template <class S, class R, class Op>
[[gnu::always_inline]] inline void unary_run_body(Op op, R* __restrict o, const S* __restrict x,
                                                  int64_t n) {
  for (int64_t i = 0; i < n; ++i) o[i] = op(x[i]);
}
// An operation's form for the AVX2 build, where it has one (Op::avx2).
template <class Op>
struct Avx2Form {
  template <class T>
  T operator()(T x) const {
    return Op::avx2(x);
  }
};
template <class S, class R, class Op>
LARIX_TARGET_AVX2 void unary_run_avx2(Op op, R* o, const S* x, int64_t n) {
  if constexpr (requires { Op::avx2(S{}); }) unary_run_body(Avx2Form<Op>{}, o, x, n);
  else unary_run_body(op, o, x, n);
}
template <class S, class R, class Op>
void unary_run(Op op, R* o, const S* x, int64_t n) {
  if (detail::cpu_has_avx2()) unary_run_avx2(op, o, x, n);
  else unary_run_body(op, o, x, n);
}

// out = op(a, b): a and b hold T and are broadcast to out's shape. The inner loop specialises on
// contiguous and scalar (stride 0) operands so that the compiler vectorises them.
template <class T, class R, class Op>
void binary_loop(Op op, const Array& a, const Array& b, Array& out) {
  auto loop = detail::make_loop<3>(
      out.shape(), {&out.strides(), &a.strides(), &b.strides()},
      {out.mutable_bytes(), const_cast<char*>(a.bytes()), const_cast<char*>(b.bytes())});
  auto inner = [op](const std::array<char*, 3>& p, const std::array<int64_t, 3>& s, int64_t n) {
    constexpr int64_t t = sizeof(T), r = sizeof(R);
    R* o = reinterpret_cast<R*>(p[0]);
    const T* x = reinterpret_cast<const T*>(p[1]);
    const T* y = reinterpret_cast<const T*>(p[2]);
    if (s[0] == r) {
      if (s[1] == t && s[2] == t) return binary_run<0>(op, o, x, y, n);
      if (s[1] == 0 && s[2] == t) return binary_run<1>(op, o, x, y, n);
      if (s[1] == t && s[2] == 0) return binary_run<2>(op, o, x, y, n);
    }
    for (int64_t i = 0; i < n; ++i)
      *reinterpret_cast<R*>(p[0] + i * s[0]) =
          op(detail::at<T>(p[1], i * s[1]), detail::at<T>(p[2], i * s[2]));
  };
  detail::run_loop(loop, inner);
}

// out = op(a): a holds S and has out's shape (possibly broadcast, possibly strided).
template <class S, class R, class Op>
void unary_loop(Op op, const Array& a, Array& out) {
  auto loop = detail::make_loop<2>(out.shape(), {&out.strides(), &a.strides()},
                                   {out.mutable_bytes(), const_cast<char*>(a.bytes())});
  auto inner = [op](const std::array<char*, 2>& p, const std::array<int64_t, 2>& s, int64_t n) {
    R* o = reinterpret_cast<R*>(p[0]);
    const S* x = reinterpret_cast<const S*>(p[1]);
    if constexpr (requires { vector_run(op, o, x, n); }) {
      if (s[0] == int64_t(sizeof(R)) && s[1] == int64_t(sizeof(S))) return vector_run(op, o, x, n);
      // Strided or broadcast: the vector function on gathered blocks, for the bits a contiguous
      // run of the same values gets.
      constexpr int64_t kGather = 256;
      S in[kGather];
      R res[kGather];
      for (int64_t b = 0; b < n; b += kGather) {
        const int64_t len = s[1] == 0 ? 1 : std::min(kGather, n - b);
        for (int64_t i = 0; i < len; ++i) in[i] = detail::at<S>(p[1], (b + i) * s[1]);
        vector_run(op, res, in, len);
        if (s[1] == 0) {  // one value for the whole run
          for (int64_t i = 0; i < n; ++i) *reinterpret_cast<R*>(p[0] + i * s[0]) = res[0];
          return;
        }
        for (int64_t i = 0; i < len; ++i) *reinterpret_cast<R*>(p[0] + (b + i) * s[0]) = res[i];
      }
      return;
    }
    if (s[0] == int64_t(sizeof(R))) {
      if (s[1] == int64_t(sizeof(S))) return unary_run(op, o, x, n);
      if (s[1] == 0) {
        const R v = op(*x);
        for (int64_t i = 0; i < n; ++i) o[i] = v;
        return;
      }
    }
    for (int64_t i = 0; i < n; ++i)
      *reinterpret_cast<R*>(p[0] + i * s[0]) = op(detail::at<S>(p[1], i * s[1]));
  };
  detail::run_loop(loop, inner);
}

// How a binary operation can run as one flat loop over contiguous memory (binary_run's kKind): 0
// both operands are contiguous arrays of the compute dtype in the result's shape (or the result is
// one element), 1 a is one value (of any dtype: it is converted) and b such an array, 2 the other
// way round; -1 when it needs the general loop (a cast of many elements, a broadcast along some
// axes, strides).
int flat_kind(const Array& a, const Array& b, DType compute, const Shape& shape) {
  auto flat = [&](const Array& v) {
    return v.dtype() == compute && v.shape() == shape && v.is_c_contiguous();
  };
  if (shape_size(shape) == 1 && a.size() == 1 && b.size() == 1) return 0;
  if (a.size() == 1 && flat(b)) return 1;
  if (b.size() == 1 && flat(a)) return 2;
  if (flat(a) && flat(b)) return 0;
  return -1;
}

// The one element of v converted to T, as cast() converts.
template <class T>
T single_value(const Array& v) {
  return visit_dtype(v.dtype(), [&](auto tag) -> T {
    using S = typename decltype(tag)::type;
    const S s = *v.template data<S>();
    if constexpr (std::is_same_v<T, bool>) return s != S(0);
    else return static_cast<T>(s);
  });
}

template <class Op>
Array run_binary(Op op, const Array& a, const Array& b, DType compute, DType result,
                 const Shape& shape, Array* overwritable = nullptr) {
  const bool in_place = overwritable && overwritable->dtype() == result &&
                        overwritable->shape() == shape && overwritable->is_c_contiguous() &&
                        !overwritable->is_borrowed();
  // The common case of small arrays, where the loop plan costs more than the loop: operands of
  // the compute dtype, each contiguous in the result's shape or one value. One flat run, no
  // converted copies, views or plan.
  const int kind = flat_kind(a, b, compute, shape);
  if (kind >= 0) {
    Array out = in_place ? *overwritable : Array::empty(result, shape);
    visit_dtype(compute, [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (std::is_invocable_v<Op, T, T>) {
        using R = std::invoke_result_t<Op, T, T>;
        LARIX_ASSERT(dtype_of<R>() == result, "binary result dtype");
        R* o = out.template mutable_data<R>();
        const std::int64_t n = out.size();
        if (kind == 0 && n == 1) {
          *o = op(single_value<T>(a), single_value<T>(b));
          return;
        }
        // In chunks on the arena, as the general loop (one chunk below the grain).
        T one{};  // the single value, converted
        if (kind != 0) one = single_value<T>(kind == 1 ? a : b);
        const T* x = kind == 1 ? &one : a.template data<T>();
        const T* y = kind == 2 ? &one : b.template data<T>();
        parallel_for_chunks(n, [&](std::int64_t begin, std::int64_t end) {
          if (kind == 0) binary_run<0>(op, o + begin, x + begin, y + begin, end - begin);
          else if (kind == 1) binary_run<1>(op, o + begin, x, y + begin, end - begin);
          else binary_run<2>(op, o + begin, x + begin, y, end - begin);
        });
      } else {
        LARIX_ASSERT(false, "no binary kernel for ", dtype_name(compute));
      }
    });
    return out;
  }
  const Array x = cast(a, compute).broadcast_to(shape);
  const Array y = cast(b, compute).broadcast_to(shape);
  Array out = in_place ? *overwritable : Array::empty(result, shape);
  visit_dtype(compute, [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_invocable_v<Op, T, T>) {
      using R = std::invoke_result_t<Op, T, T>;
      LARIX_ASSERT(dtype_of<R>() == result, "binary result dtype");
      binary_loop<T, R>(op, x, y, out);
    } else {
      LARIX_ASSERT(false, "no binary kernel for ", dtype_name(compute));
    }
  });
  return out;
}

template <class Op>
Array run_unary(Op op, const Array& a, DType compute, DType result) {
  const Array x = cast(a, compute);
  Array out = Array::empty(result, x.shape());
  visit_dtype(compute, [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_invocable_v<Op, T>) {
      using R = std::invoke_result_t<Op, T>;
      LARIX_ASSERT(dtype_of<R>() == result, "unary result dtype");
      // One value alone: the element function itself (the std:: one where a vector one exists),
      // as CPython's math module and NumPy's scalar loops compute it.
      if (x.size() == 1) *out.template mutable_data<R>() = op(*x.template data<T>());
      else unary_loop<T, R>(op, x, out);
    } else {
      LARIX_ASSERT(false, "no unary kernel for ", dtype_name(compute));
    }
  });
  return out;
}

// dst = src converted element by element (src already has dst's shape).
// dst = src converted element by element; a complex src into a real dst only when asked
// (`discard_imaginary`: astype's unsafe cast), else the TypeError of a kernel without a complex
// loop (a real slot cannot hold a complex value: NumPy's TypeError too).
void convert_into(Array& dst, const Array& src, bool discard_imaginary = false) {
  if (is_complex(src.dtype()) && !is_complex(dst.dtype()) && !discard_imaginary)
    complex_unsupported();
  if (is_narrow(src.dtype()) || is_narrow(dst.dtype())) {
    // Storage dtypes: converted by Array::astype (one plain loop per pair of dtypes), then moved
    // into dst's layout as words of its size.
    const Array converted = src.astype(dst.dtype());
    auto move_words = [&](auto word) {
      using W = decltype(word);
      unary_loop<W, W>([](W v) { return v; }, converted, dst);
    };
    switch (dst.itemsize()) {
      case 1: return move_words(std::uint8_t{});
      case 2: return move_words(std::uint16_t{});
      case 4: return move_words(std::uint32_t{});
      case 8: return move_words(std::uint64_t{});
      default: LARIX_ASSERT(false, "a narrow dtype of ", dst.itemsize(), " bytes");
    }
  }
  visit_any_dtype(src.dtype(), [&](auto src_tag) {
    using S = typename decltype(src_tag)::type;
    visit_any_dtype(dst.dtype(), [&](auto dst_tag) {
      using D = typename decltype(dst_tag)::type;
      unary_loop<S, D>([](S v) -> D { return convert_element<S, D>(v); }, src, dst);
    });
  });
}

bool is_comparison_or_logical(BinaryOp op) {
  switch (op) {
    case BinaryOp::equal:
    case BinaryOp::not_equal:
    case BinaryOp::less:
    case BinaryOp::less_equal:
    case BinaryOp::greater:
    case BinaryOp::greater_equal:
    case BinaryOp::logical_and:
    case BinaryOp::logical_or:
    case BinaryOp::logical_xor: return true;
    default: return false;
  }
}

}  // namespace

const char* binary_op_name(BinaryOp op) {
  static constexpr const char* names[] = {
      "add",           "subtract",    "multiply",   "true_divide", "floor_divide", "remainder",
      "power",         "equal",       "not_equal",  "less",        "less_equal",   "greater",
      "greater_equal", "logical_and", "logical_or", "logical_xor", "maximum",      "minimum",
      "arctan2",       "bitwise_and", "bitwise_or", "bitwise_xor", "left_shift",   "right_shift"};
  return names[static_cast<int>(op)];
}

const char* unary_op_name(UnaryOp op) {
  static constexpr const char* names[] = {"negative",
                                          "absolute",
                                          "logical_not",
                                          "square",
                                          "sign",
                                          "floor",
                                          "ceil",
                                          "trunc",
                                          "relu",
                                          "isnan",
                                          "isinf",
                                          "isfinite",
                                          "invert",
#define LARIX_UNARY_NAME(name, expr) #name,
                                          LARIX_FLOAT_UNARY_OPS(LARIX_UNARY_NAME)
#undef LARIX_UNARY_NAME
  };
  return names[static_cast<int>(op)];
}

std::string numpy_shape_str(const Shape& shape) {
  std::string out = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(shape[i]);
  }
  return out + (shape.size() == 1 ? ",)" : ")");
}

Shape broadcast_shapes(const Shape& a, const Shape& b) {
  const std::size_t nd = std::max(a.size(), b.size());
  Shape out(nd);
  for (std::size_t i = 0; i < nd; ++i) {
    const int64_t da = i < nd - a.size() ? 1 : a[i - (nd - a.size())];
    const int64_t db = i < nd - b.size() ? 1 : b[i - (nd - b.size())];
    LARIX_CHECK(da == db || da == 1 || db == 1, value,
                "operands could not be broadcast together with shapes ", numpy_shape_str(a), " ",
                numpy_shape_str(b));
    out[i] = da == 1 ? db : da;
  }
  return out;
}

DType result_type(DType a, DType b) { return promote(a, b); }

DType promote_weak(DType a, bool a_weak, DType b, bool b_weak) {
  // Kinds: bool < integer < floating < complex.
  auto kind = [](DType d) {
    return d == DType::bool_ ? 0 : d == DType::int64 ? 1 : is_complex(d) ? 3 : 2;
  };
  if (a_weak && !b_weak && kind(a) <= kind(b)) return b;
  if (b_weak && !a_weak && kind(b) <= kind(a)) return a;
  return result_type(a, b);
}

DType binary_compute_dtype(BinaryOp op, DType promoted) {
  switch (op) {
    case BinaryOp::true_divide:
    case BinaryOp::arctan2: return is_integral(promoted) ? DType::float64 : promoted;
    case BinaryOp::floor_divide:
    case BinaryOp::mod:
    case BinaryOp::power: return promoted == DType::bool_ ? DType::int64 : promoted;
    case BinaryOp::subtract:
      LARIX_CHECK(promoted != DType::bool_, type,
                  "numpy boolean subtract, the `-` operator, is not supported, use the "
                  "bitwise_xor, the `^` operator, or the logical_xor function instead.");
      return promoted;
    case BinaryOp::bitwise_and:
    case BinaryOp::bitwise_or:
    case BinaryOp::bitwise_xor:
    case BinaryOp::left_shift:
    case BinaryOp::right_shift:
      LARIX_CHECK(is_integral(promoted), type, "ufunc '", binary_op_name(op),
                  "' not supported for the input types, and the inputs could not be safely "
                  "coerced to any supported types according to the casting rule ''safe''");
      if (op == BinaryOp::left_shift || op == BinaryOp::right_shift) return DType::int64;
      return promoted;
    default: return promoted;
  }
}

DType binary_result_dtype(BinaryOp op, DType compute) {
  return is_comparison_or_logical(op) ? DType::bool_ : compute;
}

DType unary_result_dtype(UnaryOp op, DType input) {
  switch (op) {
    case UnaryOp::negative:
      LARIX_CHECK(input != DType::bool_, type,
                  "The numpy boolean negative, the `-` operator, is not supported, use the `~` "
                  "operator or the logical_not function instead.");
      return input;
    case UnaryOp::absolute: return real_of(input);  // |complex| is real
    case UnaryOp::floor:
    case UnaryOp::ceil:
    case UnaryOp::trunc:
    case UnaryOp::relu: return input;
    case UnaryOp::sign:
      LARIX_CHECK(input != DType::bool_, type,
                  "ufunc 'sign' did not contain a loop with signature matching types "
                  "<class 'numpy.dtypes.BoolDType'> -> None");
      return input;
    case UnaryOp::isnan:
    case UnaryOp::isinf:
    case UnaryOp::isfinite: return DType::bool_;
    case UnaryOp::square: return input == DType::bool_ ? DType::int64 : input;  // NumPy: int8
    case UnaryOp::logical_not: return DType::bool_;
    case UnaryOp::invert:
      LARIX_CHECK(is_integral(input), type,
                  "ufunc 'invert' not supported for the input types, and the inputs could not be "
                  "safely coerced to any supported types according to the casting rule ''safe''");
      return input;
    default: return is_integral(input) ? DType::float64 : input;
  }
}

DType binary_dtype(BinaryOp op, DType a, bool a_weak, DType b, bool b_weak) {
  return binary_result_dtype(op, binary_compute_dtype(op, promote_weak(a, a_weak, b, b_weak)));
}

std::int64_t floor_divide_int(std::int64_t a, std::int64_t b) { return FloorDivide{}(a, b); }
std::int64_t mod_int(std::int64_t a, std::int64_t b) { return Mod{}(a, b); }
std::int64_t power_int(std::int64_t a, std::int64_t b) { return Power{}(a, b); }
double floor_divide_float(double a, double b) { return FloorDivide{}(a, b); }
double mod_float(double a, double b) { return Mod{}(a, b); }

namespace {
// NumPy's power loop special-cases one exponent for all elements: 2 is x * x, 0.5 is sqrt(x), -1 is
// 1 / x (floats; for integers only 2). These are its bits (pow would differ in the last bit now and
// then, and sqrt(-0.0) is -0.0 where pow gives 0.0), and far cheaper than pow.
std::optional<Array> power_by_scalar(const Array& a, const Array& b, DType compute, DType result,
                                     const Shape& shape, Array* overwritable) {
  if (b.size() != 1 || shape != a.shape()) return std::nullopt;
  const double e = b.item_as_double();
  if (e == 2) return run_binary(Multiply{}, a, a, compute, result, shape, overwritable);
  if (is_integral(compute)) return std::nullopt;
  if (e == 0.5) return unary(UnaryOp::sqrt, cast(a, compute));
  if (e == -1)
    return run_binary(TrueDivide{}, cast(Array::scalar(1.0), compute), a, compute, result, shape,
                      overwritable);
  return std::nullopt;
}
}  // namespace

Array binary(BinaryOp op, const Array& a, const Array& b, std::optional<DType> promoted,
             Array* overwritable) {
  const Shape shape = broadcast_shapes(a.shape(), b.shape());
  const DType compute =
      binary_compute_dtype(op, promoted.value_or(result_type(a.dtype(), b.dtype())));
  if (is_complex(compute)) return complex_binary(op, a, b, compute, shape);
  const DType result = binary_result_dtype(op, compute);
  if ((op == BinaryOp::floor_divide || op == BinaryOp::mod) && is_integral(compute) &&
      shape_size(shape) > 0 && has_zero(b))
    warn(op == BinaryOp::mod ? "divide by zero encountered in remainder"
                             : "divide by zero encountered in floor_divide");
  switch (op) {
    case BinaryOp::add: return run_binary(Add{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::subtract:
      return run_binary(Subtract{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::multiply:
      return run_binary(Multiply{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::true_divide:
      return run_binary(TrueDivide{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::floor_divide:
      return run_binary(FloorDivide{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::mod: return run_binary(Mod{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::power:
      if (auto r = power_by_scalar(a, b, compute, result, shape, overwritable)) return *r;
      return run_binary(Power{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::equal: return run_binary(Equal{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::not_equal:
      return run_binary(NotEqual{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::less: return run_binary(Less{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::less_equal:
      return run_binary(LessEqual{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::greater:
      return run_binary(Greater{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::greater_equal:
      return run_binary(GreaterEqual{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::logical_and:
      return run_binary(LogicalAnd{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::logical_or:
      return run_binary(LogicalOr{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::logical_xor:
      return run_binary(LogicalXor{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::maximum:
      return run_binary(Maximum{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::minimum:
      return run_binary(Minimum{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::arctan2:
      return run_binary(Arctan2{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::bitwise_and:
      return run_binary(BitwiseAnd{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::bitwise_or:
      return run_binary(BitwiseOr{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::bitwise_xor:
      return run_binary(BitwiseXor{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::left_shift:
      return run_binary(LeftShift{}, a, b, compute, result, shape, overwritable);
    case BinaryOp::right_shift:
      return run_binary(RightShift{}, a, b, compute, result, shape, overwritable);
  }
  LARIX_ASSERT(false, "bad BinaryOp ", static_cast<int>(op));
}

Array unary(UnaryOp op, const Array& a) {
  if (is_complex(a.dtype())) return complex_unary(op, a);
  const DType result = unary_result_dtype(op, a.dtype());
  // Predicates look at the input as it is (the result is bool).
  const bool predicate = op == UnaryOp::logical_not || op == UnaryOp::isnan ||
                         op == UnaryOp::isinf || op == UnaryOp::isfinite;
  const DType compute = predicate ? a.dtype() : result;
  switch (op) {
    case UnaryOp::negative: return run_unary(Negative{}, a, compute, result);
    case UnaryOp::absolute: return run_unary(Absolute{}, a, compute, result);
    case UnaryOp::logical_not: return run_unary(LogicalNot{}, a, compute, result);
    case UnaryOp::square: return run_unary(Square{}, a, compute, result);
    case UnaryOp::sign: return run_unary(Sign{}, a, compute, result);
    case UnaryOp::floor: return run_unary(Floor{}, a, compute, result);
    case UnaryOp::ceil: return run_unary(Ceil{}, a, compute, result);
    case UnaryOp::trunc: return run_unary(Trunc{}, a, compute, result);
    case UnaryOp::relu: return run_unary(Relu{}, a, compute, result);
    case UnaryOp::isnan: return run_unary(IsNan{}, a, compute, result);
    case UnaryOp::isinf: return run_unary(IsInf{}, a, compute, result);
    case UnaryOp::invert: return run_unary(Invert{}, a, compute, result);
    case UnaryOp::isfinite: return run_unary(IsFinite{}, a, compute, result);
#define LARIX_UNARY_CASE(name, expr) \
  case UnaryOp::name: return run_unary(Float_##name{}, a, compute, result);
      LARIX_FLOAT_UNARY_OPS(LARIX_UNARY_CASE)
#undef LARIX_UNARY_CASE
  }
  LARIX_ASSERT(false, "bad UnaryOp ", static_cast<int>(op));
}

namespace {
template <class Op>
void binary_f64_run(Op op, const double* a, bool a_scalar, const double* b, bool b_scalar,
                    double* out, int64_t n) {
  if constexpr (std::is_invocable_v<Op, double, double>) {
    if (a_scalar && b_scalar) std::fill(out, out + n, static_cast<double>(op(*a, *b)));
    else if (a_scalar) binary_run<1>(op, out, a, b, n);
    else if (b_scalar) binary_run<2>(op, out, a, b, n);
    else binary_run<0>(op, out, a, b, n);
  } else {
    LARIX_ASSERT(false, "no float64 kernel for this binary operation");
  }
}
template <class Op>
void unary_f64_run(Op op, const double* x, double* out, int64_t n, bool alone) {
  if constexpr (std::is_invocable_v<Op, double>)
    if (alone) {
      *out = static_cast<double>(op(*x));
      return;
    }
  if constexpr (requires { vector_run(op, out, x, n); }) vector_run(op, out, x, n);
  else if constexpr (std::is_invocable_v<Op, double>) unary_run(op, out, x, n);
  else LARIX_ASSERT(false, "no float64 kernel for this unary operation");
}
}  // namespace

void binary_f64(BinaryOp op, const double* a, bool a_scalar, const double* b, bool b_scalar,
                double* out, int64_t n) {
  auto run = [&](auto functor) { binary_f64_run(functor, a, a_scalar, b, b_scalar, out, n); };
  switch (op) {
    case BinaryOp::add: return run(Add{});
    case BinaryOp::subtract: return run(Subtract{});
    case BinaryOp::multiply: return run(Multiply{});
    case BinaryOp::true_divide: return run(TrueDivide{});
    case BinaryOp::floor_divide: return run(FloorDivide{});
    case BinaryOp::mod: return run(Mod{});
    case BinaryOp::power: return run(Power{});
    case BinaryOp::equal: return run(Equal{});
    case BinaryOp::not_equal: return run(NotEqual{});
    case BinaryOp::less: return run(Less{});
    case BinaryOp::less_equal: return run(LessEqual{});
    case BinaryOp::greater: return run(Greater{});
    case BinaryOp::greater_equal: return run(GreaterEqual{});
    case BinaryOp::logical_and: return run(LogicalAnd{});
    case BinaryOp::logical_or: return run(LogicalOr{});
    case BinaryOp::logical_xor: return run(LogicalXor{});
    case BinaryOp::maximum: return run(Maximum{});
    case BinaryOp::minimum: return run(Minimum{});
    case BinaryOp::arctan2: return run(Arctan2{});
    case BinaryOp::bitwise_and:
    case BinaryOp::bitwise_or:
    case BinaryOp::bitwise_xor:
    case BinaryOp::left_shift:
    case BinaryOp::right_shift: break;
  }
  LARIX_ASSERT(false, "no float64 kernel for ", binary_op_name(op));
}

void unary_f64(UnaryOp op, const double* x, double* out, int64_t n, bool alone) {
  switch (op) {
    case UnaryOp::negative: return unary_f64_run(Negative{}, x, out, n, alone);
    case UnaryOp::absolute: return unary_f64_run(Absolute{}, x, out, n, alone);
    case UnaryOp::logical_not: return unary_f64_run(LogicalNot{}, x, out, n, alone);
    case UnaryOp::square: return unary_f64_run(Square{}, x, out, n, alone);
    case UnaryOp::sign: return unary_f64_run(Sign{}, x, out, n, alone);
    case UnaryOp::floor: return unary_f64_run(Floor{}, x, out, n, alone);
    case UnaryOp::ceil: return unary_f64_run(Ceil{}, x, out, n, alone);
    case UnaryOp::trunc: return unary_f64_run(Trunc{}, x, out, n, alone);
    case UnaryOp::relu: return unary_f64_run(Relu{}, x, out, n, alone);
    case UnaryOp::isnan: return unary_f64_run(IsNan{}, x, out, n, alone);
    case UnaryOp::isinf: return unary_f64_run(IsInf{}, x, out, n, alone);
    case UnaryOp::isfinite: return unary_f64_run(IsFinite{}, x, out, n, alone);
    case UnaryOp::invert: break;
#define LARIX_UNARY_CASE(name, expr) \
  case UnaryOp::name: return unary_f64_run(Float_##name{}, x, out, n, alone);
      LARIX_FLOAT_UNARY_OPS(LARIX_UNARY_CASE)
#undef LARIX_UNARY_CASE
  }
  LARIX_ASSERT(false, "no float64 kernel for ", unary_op_name(op));
}

Array cast(const Array& a, DType dtype) {
  if (a.dtype() == dtype) return a;
  Array out = Array::empty(dtype, a.shape());
  convert_into(out, a);
  return out;
}

Array cast_discarding_imaginary(const Array& a, DType dtype) {
  if (a.dtype() == dtype) return a;
  Array out = Array::empty(dtype, a.shape());
  convert_into(out, a, true);
  return out;
}

void assign(Array& dst, const Array& src) {
  const Array from = src.broadcast_to(dst.shape());
  convert_into(dst, from);
}

Array full(const Shape& shape, const Array& value, DType dtype) {
  LARIX_CHECK(value.size() == 1, value, "the fill value must be a scalar, not an array of shape ",
              numpy_shape_str(value.shape()));
  Array out = Array::empty(dtype, shape);
  convert_into(out, value.reshape({}).broadcast_to(shape));
  return out;
}

}  // namespace larix::kernels
