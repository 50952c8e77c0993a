// Array creation: zeros, ones, empty, full and their *_like forms, identity, eye, arange,
// linspace, array and Phylanx's constant_like and linearmatrix. Shapes are an int, a list '(2, 3)
// or a 1-d int array; dtypes are NumPy names ("float64", "int64", "float32", "bool", "float",
// "int", ...).
#include <cmath>
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/join.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using numpy_args::array_arg;
using numpy_args::parse_dtype_arg;
using numpy_args::parse_shape;
using std::int64_t;

DType dtype_or(const Value& v, DType fallback) { return parse_dtype_arg(v).value_or(fallback); }

// The dtype NumPy gives a fill value: np.array(value).dtype.
Array fill_value(const Value& v, const std::string& fn) {
  const Array a = array_arg(v, fn, "fill_value");
  LARIX_CHECK(a.size() == 1, value, fn, "(): fill_value must be a scalar, not an array of shape ",
              kernels::numpy_shape_str(a.shape()));
  return a;
}

Kernel filled(double value, const char* fn) {
  return [value, fn](KernelArgs& args) {
    return Value(kernels::full(parse_shape(args[0], fn), Array::scalar(value),
                               dtype_or(args[1], DType::float64)));
  };
}

Kernel filled_like(double value, const char* fn) {
  return [value, fn](KernelArgs& args) {
    const Array a = array_arg(args[0], fn, "a");
    return Value(kernels::full(a.shape(), Array::scalar(value), dtype_or(args[1], a.dtype())));
  };
}

Value full_kernel(KernelArgs& args) {
  const Array v = fill_value(args[1], "full");
  return Value(kernels::full(parse_shape(args[0], "full"), v, dtype_or(args[2], v.dtype())));
}

Value full_like_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "full_like", "a");
  return Value(
      kernels::full(a.shape(), fill_value(args[1], "full_like"), dtype_or(args[2], a.dtype())));
}

Value constant_like_kernel(KernelArgs& args) {
  const Array a = array_arg(args[1], "constant_like", "a");
  return Value(
      kernels::full(a.shape(), fill_value(args[0], "constant_like"), dtype_or(args[2], a.dtype())));
}

Array eye(int64_t n, int64_t m, int64_t k, DType dtype) {
  LARIX_CHECK(n >= 0 && m >= 0, value, "negative dimensions are not allowed");
  Array out = Array::zeros(DType::float64, {n, m});
  double* p = out.mutable_data<double>();
  // Ones at (i, i + k); no diagonal when k is out of [-n, m) (and -k would overflow for INT64_MIN).
  // n * m fits (zeros checked it), so i + k < n + m does too.
  if (k < m && k > -n)
    for (int64_t i = k < 0 ? -k : 0; i < n && i + k < m; ++i) p[i * m + i + k] = 1.0;
  return kernels::cast(out, dtype);
}

Value identity_kernel(KernelArgs& args) {
  const int64_t n = numpy_args::int_arg(args[0], "n");
  return Value(eye(n, n, 0, dtype_or(args[1], DType::float64)));
}

Value eye_kernel(KernelArgs& args) {
  const int64_t n = numpy_args::int_arg(args[0], "N");
  const int64_t m = args[1].is_nil() ? n : numpy_args::int_arg(args[1], "M");
  return Value(eye(n, m, numpy_args::int_arg(args[2], "k"), dtype_or(args[3], DType::float64)));
}

bool is_float_arg(const Value& v) {
  return v.is_float() || (v.is_array() && is_floating(v.as_array_ref().dtype()));
}

double real_arg(const Value& v, const char* what) {
  LARIX_CHECK(v.is_number() || (v.is_array() && v.as_array_ref().ndim() == 0), type,
              "arange(): ", what, " must be a number, not ", v.type_name());
  return v.as_double(what);
}

// NumPy's arange: length ceil((stop - start) / step); elements start + i * delta where
// delta = (start + step) - start, computed in the result dtype (the way NumPy fills it).
Value arange_kernel(KernelArgs& args) {
  Value start = args[0], stop = args[1];
  if (stop.is_nil()) std::swap(start, stop), start = Value(int64_t{0});
  const Value step = args[2].is_nil() ? Value(int64_t{1}) : args[2];
  const bool floating = is_float_arg(start) || is_float_arg(stop) || is_float_arg(step);
  const DType dtype = dtype_or(args[3], floating ? DType::float64 : DType::int64);
  const double s0 = real_arg(start, "start"), s1 = real_arg(stop, "stop"),
               st = real_arg(step, "step");
  LARIX_CHECK(st != 0, zero_division, "division by zero");
  int64_t n = 0;
  if (!floating && !start.is_array() && !stop.is_array() && !step.is_array()) {
    // Python ints: the exact length (doubles would round bounds near 2**63 together).
    const __int128 d = static_cast<__int128>(stop.as_int()) - start.as_int(), s = step.as_int();
    const __int128 len = (d > 0) == (s > 0) && d != 0 ? (d + s + (s > 0 ? -1 : 1)) / s : 0;
    LARIX_CHECK(len <= INT64_MAX, value, "Maximum allowed size exceeded");
    n = static_cast<int64_t>(len);
  } else {
    const double len = std::ceil((s1 - s0) / st);
    LARIX_CHECK(std::isfinite(len), value, "arange: cannot compute length");
    LARIX_CHECK(len < 9223372036854775808.0, value, "Maximum allowed size exceeded");
    n = std::max<int64_t>(0, static_cast<int64_t>(len));
  }
  Array out = Array::empty(dtype, {n});
  visit_dtype(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* p = out.mutable_data<T>();
    if constexpr (std::is_same_v<T, bool>) {
      LARIX_CHECK(n <= 2, type,
                  "arange() is only supported for booleans when the result has at "
                  "most length 2.");
      for (int64_t i = 0; i < n; ++i) p[i] = i == 0 ? s0 != 0 : (s0 + st) != 0;
    } else if constexpr (std::is_same_v<T, int64_t>) {
      const int64_t a = floating ? static_cast<int64_t>(s0) : start.as_int(),
                    d = floating ? static_cast<int64_t>(s0 + st) - a : step.as_int();
      // Modulo 2**64: every element lies between start and stop, a product i * d need not.
      for (int64_t i = 0; i < n; ++i)
        p[i] = static_cast<int64_t>(static_cast<uint64_t>(a) +
                                    static_cast<uint64_t>(i) * static_cast<uint64_t>(d));
    } else {
      const T a = static_cast<T>(s0), d = static_cast<T>(s0 + st) - a;
      for (int64_t i = 0; i < n; ++i) p[i] = a + static_cast<T>(i) * d;
    }
  });
  return Value(out);
}

// NumPy's linspace arithmetic: i * step + start with step = (stop - start) / div, the last
// element set to stop when endpoint; integer dtypes floor first.
Value linspace_kernel(KernelArgs& args) {
  const double start = args[0].as_double("start"), stop = args[1].as_double("stop");
  const int64_t num = numpy_args::int_arg(args[2], "num");
  LARIX_CHECK(num >= 0, value, "Number of samples, ", num, ", must be non-negative.");
  const bool endpoint = args[3].as_bool("endpoint");
  const int64_t div = endpoint ? num - 1 : num;
  const double delta = stop - start, step = div > 0 ? delta / div : NAN;
  Array y = Array::empty(DType::float64, {num});
  double* p = y.mutable_data<double>();
  for (int64_t i = 0; i < num; ++i) {
    const double t = static_cast<double>(i);
    p[i] = (div > 0 ? (step == 0 ? t / div * delta : t * step) : t * delta) + start;
  }
  if (endpoint && num > 1) p[num - 1] = stop;
  const auto dtype = parse_dtype_arg(args[4]);
  if (dtype && is_integral(*dtype) && *dtype != DType::bool_)
    for (int64_t i = 0; i < num; ++i) p[i] = std::floor(p[i]);
  return Value(kernels::cast(y, dtype.value_or(DType::float64)));
}

// np.array of nested lists that may hold arrays: equal shapes stack.
Array nested_array(const Value& v) {
  if (!v.is_list()) return array_arg(v, "array", "object");
  bool plain = true;
  for (const Value& x : v.as_list())
    plain = plain && !x.is_list() && !(x.is_array() && x.as_array_ref().ndim() > 0);
  if (plain) return v.to_array("array() argument");
  std::vector<Array> items;
  for (const Value& x : v.as_list()) items.push_back(nested_array(x));
  return kernels::stack(items, 0);
}

Value array_kernel(KernelArgs& args) {
  const Array a = nested_array(args[0]);
  const auto dtype = parse_dtype_arg(args[1]);
  const Array out = dtype ? kernels::cast(a, *dtype) : a;
  // Arrays are immutable values: sharing the input is a copy nobody can tell apart, except that
  // the result must not be a read-only view of the caller's memory.
  return Value(out.buffer() == a.buffer() ? out.copy() : out);
}

// ---- shape/dtype rules -------------------------------------------------------------------------

std::optional<DType> known_dtype(const TypeInfo& t) {
  if (!numpy_args::known(t)) return std::nullopt;
  if (t.kind == ValueKind::nil) return DType::float64;
  return parse_dtype(t.value->as_string("dtype"));
}

TypeRule filled_rule(std::size_t dtype_arg) {
  return [dtype_arg](const std::vector<TypeInfo>& t) -> TypeInfo {
    const auto dtype = known_dtype(t[dtype_arg]);
    if (!t[0].value || !dtype) return numpy_args::unknown_type();
    return numpy_args::array_result(*dtype, parse_shape(*t[0].value, "zeros"));
  };
}

TypeRule like_rule(std::size_t a_arg, std::size_t dtype_arg) {
  return [a_arg, dtype_arg](const std::vector<TypeInfo>& t) -> TypeInfo {
    const auto a = numpy_args::array_type(t[a_arg]);
    if (!a || !numpy_args::known(t[dtype_arg])) return numpy_args::unknown_type();
    const DType dtype = t[dtype_arg].kind == ValueKind::nil
                            ? a->dtype
                            : parse_dtype(t[dtype_arg].value->as_string("dtype"));
    return numpy_args::array_result(dtype, a->shape);
  };
}

std::string doc_filled(const std::string& name, const std::string& what) {
  return name + "(shape, dtype=\"float64\")\n\nA new array of the given shape " + what +
         ", as numpy." + name +
         ". shape is an int, a list such as '(2, 3) or a 1-d int array; dtype a NumPy name "
         "(\"float64\", \"float32\", \"int64\", \"bool\", \"float\", \"int\").";
}

std::string doc_like(const std::string& name, const std::string& what) {
  return name + "(a, dtype=nil)\n\nA new array with the shape of `a` " + what + ", as numpy." +
         name +
         "; its dtype is a's unless `dtype` is given (a list or scalar `a` is converted as "
         "by numpy.asarray).";
}

// Phylanx's linearmatrix(nx, ny, x0, dx, dy): m[x, y] = x0 + dx * x + dy * y, float64.
Value linearmatrix_kernel(KernelArgs& a) {
  const std::int64_t nx = numpy_args::int_arg(a[0], "nx"), ny = numpy_args::int_arg(a[1], "ny");
  LARIX_CHECK(nx >= 1 && ny >= 1, value, "linearmatrix(): nx and ny must be at least 1, not ", nx,
              " and ", ny);
  const double x0 = a[2].as_double("x0"), dx = a[3].as_double("dx"), dy = a[4].as_double("dy");
  Array m = Array::empty(DType::float64, {nx, ny});
  double* out = m.mutable_data<double>();
  for (std::int64_t x = 0; x < nx; ++x)
    for (std::int64_t y = 0; y < ny; ++y)
      out[x * ny + y] = x0 + dx * static_cast<double>(x) + dy * static_cast<double>(y);
  return Value(std::move(m));
}

}  // namespace

void register_creation(Registry& r) {
  r.add({.name = "linearmatrix",
         .signature = {{arg("nx"), arg("ny"), arg("x0"), arg("dx"), arg("dy")}},
         .doc = "linearmatrix(nx, ny, x0, dx, dy)\n\nPhylanx's linearmatrix: the nx by ny float64 "
                "matrix with m[x, y] = x0 + dx * x + dy * y. nx or ny below 1 is a ValueError.",
         .kernel = linearmatrix_kernel});
  const Signature shape_dtype{{arg("shape"), arg("dtype", Value("float64"))}};
  const Signature like{{arg("a"), arg("dtype", Value())}};
  r.add({.name = "zeros",
         .signature = shape_dtype,
         .doc = doc_filled("zeros", "filled with zeros"),
         .kernel = filled(0.0, "zeros"),
         .type_rule = filled_rule(1)});
  r.add({.name = "ones",
         .signature = shape_dtype,
         .doc = doc_filled("ones", "filled with ones"),
         .kernel = filled(1.0, "ones"),
         .type_rule = filled_rule(1)});
  r.add({.name = "empty",
         .signature = shape_dtype,
         .doc = doc_filled("empty", "") + " Unlike NumPy, the elements are zero (never garbage).",
         .kernel = filled(0.0, "empty"),
         .type_rule = filled_rule(1)});
  r.add({.name = "full",
         .signature = {{arg("shape"), arg("fill_value"), arg("dtype", Value())}},
         .doc = "full(shape, fill_value, dtype=nil)\n\nA new array of the given shape with every "
                "element fill_value, as numpy.full. The dtype is fill_value's (a Python int gives "
                "int64, a float float64, a bool bool) unless `dtype` is given. Phylanx's "
                "constant(value, shape) is the same with the arguments swapped.",
         .kernel = full_kernel});
  r.add({.name = "zeros_like",
         .signature = like,
         .doc = doc_like("zeros_like", "filled with zeros"),
         .kernel = filled_like(0.0, "zeros_like"),
         .type_rule = like_rule(0, 1)});
  r.add({.name = "ones_like",
         .signature = like,
         .doc = doc_like("ones_like", "filled with ones"),
         .kernel = filled_like(1.0, "ones_like"),
         .type_rule = like_rule(0, 1)});
  r.add({.name = "empty_like",
         .signature = like,
         .doc = doc_like("empty_like", "") + " Unlike NumPy, the elements are zero.",
         .kernel = filled_like(0.0, "empty_like"),
         .type_rule = like_rule(0, 1)});
  r.add({.name = "full_like",
         .signature = {{arg("a"), arg("fill_value"), arg("dtype", Value())}},
         .doc = "full_like(a, fill_value, dtype=nil)\n\nA new array with the shape of `a` and "
                "every element fill_value (cast to the dtype), as numpy.full_like; the dtype is "
                "a's unless `dtype` is given.",
         .kernel = full_like_kernel,
         .type_rule = like_rule(0, 2)});
  r.add({.name = "constant_like",
         .signature = {{arg("value"), arg("a"), arg("dtype", Value())}},
         .doc = "constant_like(value, a, dtype=nil)\n\nPhylanx's constant_like: an array with the "
                "shape of `a` and every element `value`, numpy.full_like(a, value, dtype) with the "
                "first two arguments swapped. The dtype is a's unless `dtype` is given.",
         .kernel = constant_like_kernel,
         .type_rule = like_rule(1, 2)});
  r.add({.name = "identity",
         .signature = {{arg("n"), arg("dtype", Value("float64"))}},
         .doc = "identity(n, dtype=\"float64\")\n\nThe n x n identity matrix, as numpy.identity.",
         .kernel = identity_kernel});
  r.add({.name = "eye",
         .signature = {{arg("N"), arg("M", Value()), arg("k", Value(int64_t{0})),
                        arg("dtype", Value("float64"))}},
         .doc = "eye(N, M=nil, k=0, dtype=\"float64\")\n\nAn N x M matrix (M=nil: N x N) with ones "
                "on diagonal k (0: the main one, positive: above, negative: below) and zeros "
                "elsewhere, as numpy.eye.",
         .kernel = eye_kernel});
  r.add({.name = "arange",
         .signature = {{arg("start"), arg("stop", Value()), arg("step", Value()),
                        arg("dtype", Value())}},
         .doc = "arange(start, stop=nil, step=nil, dtype=nil)\n\nEvenly spaced values in [start, "
                "stop), as numpy.arange; one argument is the stop (start 0). The length is "
                "ceil((stop - start) / step); the dtype is int64 when every argument is an integer "
                "and float64 otherwise, unless `dtype` is given. Elements are start + i * delta "
                "with delta = (start + step) - start, as NumPy fills them. A zero step is a "
                "ZeroDivisionError.",
         .kernel = arange_kernel});
  r.add({.name = "linspace",
         .signature = {{arg("start"), arg("stop"), arg("num", Value(int64_t{50})),
                        arg("endpoint", Value(true)), arg("dtype", Value())}},
         .doc = "linspace(start, stop, num=50, endpoint=true, dtype=nil)\n\n`num` evenly spaced "
                "float64 values from start to stop (included when endpoint), as numpy.linspace, "
                "with NumPy's arithmetic (start + i * step, the last element exactly stop). "
                "start and stop must be scalars (NumPy also takes arrays); retstep and axis are "
                "not supported. An integer dtype floors the values, as NumPy.",
         .kernel = linspace_kernel});
  r.add({.name = "array",
         .aliases = {"asarray"},
         .signature = {{arg("object"), arg("dtype", Value())}},
         .doc = "array(object, dtype=nil)\n\nAn array from a number, an array or nested lists of "
                "numbers and arrays (equal shapes, stacked), as numpy.array; cast to `dtype` when "
                "given. The result's dtype otherwise follows the elements (bool < int64 < "
                "float64). asarray is the same: Larix values are immutable, so a copy and a view "
                "cannot be told apart.",
         .kernel = array_kernel});
}

}  // namespace larix
