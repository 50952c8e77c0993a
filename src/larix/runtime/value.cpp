#include "larix/runtime/value.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <sstream>

#include "larix/runtime/function.hpp"
#include "larix/runtime/tiled.hpp"

namespace larix {

Value::Value(Dict v) : kind_(ValueKind::dict), obj_(std::make_shared<const Dict>(std::move(v))) {}
Value::Value(Tiled v)
    : kind_(ValueKind::tiled), obj_(std::make_shared<const Tiled>(std::move(v))) {}

Value Value::replica() const {
  switch (kind_) {
    case ValueKind::string: return Value(std::string(object<std::string>()));
    case ValueKind::array: return Value(object<Array>().private_handle());
    case ValueKind::list: {
      List items;
      items.reserve(object<List>().size());
      for (const Value& v : object<List>()) items.push_back(v.replica());
      return Value(std::move(items));
    }
    case ValueKind::dict: {
      Dict d;
      d.items.reserve(object<Dict>().items.size());
      for (const auto& [k, v] : object<Dict>().items)
        d.items.emplace_back(k.replica(), v.replica());
      return Value(std::move(d));
    }
    default: return *this;
  }
}

const Value* Dict::find(const Value& key) const {
  for (const auto& [k, v] : items)
    if (k == key) return &v;
  return nullptr;
}

namespace {
[[noreturn]] void wrong_kind(const Value& v, const char* what, const char* expected) {
  user_error(ErrorKind::type, what, " must be ", expected, ", not ", v.type_name());
}
}  // namespace

bool Value::as_bool(const char* what) const {
  if (is_bool()) return b_;
  if (is_int() || is_float() || is_array()) return truthy();
  wrong_kind(*this, what, "a bool");
}

std::int64_t Value::as_int(const char* what) const {
  switch (kind()) {
    case ValueKind::boolean: return b_ ? 1 : 0;
    case ValueKind::integer: return i_;
    case ValueKind::array: {
      const Array& a = object<Array>();
      if (a.size() == 1 && is_integral(a.dtype())) return a.item<std::int64_t>();
      break;
    }
    default: break;
  }
  wrong_kind(*this, what, "an integer");
}

double Value::as_double(const char* what) const {
  switch (kind()) {
    case ValueKind::boolean: return b_ ? 1.0 : 0.0;
    case ValueKind::integer: return static_cast<double>(i_);
    case ValueKind::floating: return d_;
    case ValueKind::array: {
      const Array& a = object<Array>();
      if (a.size() == 1) return a.item<double>();
      break;
    }
    default: break;
  }
  wrong_kind(*this, what, "a real number");
}

const std::string& Value::as_string(const char* what) const {
  if (!is_string()) wrong_kind(*this, what, "a string");
  return object<std::string>();
}

const Array& Value::as_array_ref(const char* what) const {
  if (!is_array()) wrong_kind(*this, what, "an array");
  return object<Array>();
}

namespace {
// Nested lists of numbers -> (shape, flat values, dtype), like np.asarray.
void flatten_list(const Value& v, int depth, Shape& shape, std::vector<Value>& flat, DType& dtype,
                  bool& any, const char* what) {
  if (v.is_list()) {
    const List& items = v.as_list();
    // A new axis once a number was seen: that number sat on a shallower level (list(5, list(1)))
    if (static_cast<int>(shape.size()) == depth) {
      LARIX_CHECK(!any, value, "setting an array element with a sequence: ", what,
                  " is a ragged nested list");
      shape.push_back(static_cast<std::int64_t>(items.size()));
    } else
      LARIX_CHECK(shape[depth] == static_cast<std::int64_t>(items.size()), value,
                  "setting an array element with a sequence: ", what, " is a ragged nested list");
    for (const Value& item : items) flatten_list(item, depth + 1, shape, flat, dtype, any, what);
    return;
  }
  LARIX_CHECK(static_cast<int>(shape.size()) == depth, value,
              "setting an array element with a sequence: ", what, " is a ragged nested list");
  DType d;
  if (v.is_bool()) d = DType::bool_;
  else if (v.is_int()) d = DType::int64;
  else if (v.is_float()) d = DType::float64;
  else if (v.is_array() && v.as_array_ref().ndim() == 0) d = v.as_array_ref().dtype();
  else wrong_kind(v, what, "a number or a (nested) list of numbers");
  dtype = any ? promote(dtype, d) : d;
  any = true;
  flat.push_back(v);
}
}  // namespace

Array Value::to_array(const char* what) const {
  switch (kind()) {
    case ValueKind::array: return object<Array>();
    case ValueKind::boolean: return Array::scalar(b_);
    case ValueKind::integer: return Array::scalar(i_);
    case ValueKind::floating: return Array::scalar(d_);
    case ValueKind::list: {
      Shape shape;
      std::vector<Value> flat;
      DType dtype = DType::float64;
      bool any = false;
      flatten_list(*this, 0, shape, flat, dtype, any, what);
      Array out = Array::empty(dtype, shape);
      visit_storage_dtype(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        T* dst = out.mutable_data<T>();
        for (std::size_t i = 0; i < flat.size(); ++i) {
          if constexpr (std::is_same_v<T, bool>) dst[i] = flat[i].as_bool(what);
          else if constexpr (std::is_integral_v<T>) dst[i] = flat[i].as_int(what);
          else dst[i] = static_cast<T>(flat[i].as_double(what));
        }
      });
      return out;
    }
    default: wrong_kind(*this, what, "an array, a number or a list of numbers");
  }
}

const List& Value::as_list(const char* what) const {
  if (!is_list()) wrong_kind(*this, what, "a list");
  return object<List>();
}

const Dict& Value::as_dict(const char* what) const {
  if (!is_dict()) wrong_kind(*this, what, "a dict");
  return object<Dict>();
}

std::shared_ptr<const Function> Value::as_function(const char* what) const {
  if (!is_function()) wrong_kind(*this, what, "a function");
  return std::static_pointer_cast<const Function>(obj_);
}

const Tiled& Value::as_tiled(const char* what) const {
  if (!is_tiled()) wrong_kind(*this, what, "a distributed array");
  return object<Tiled>();
}

bool Value::truthy() const {
  switch (kind()) {
    case ValueKind::nil: return false;
    case ValueKind::boolean: return b_;
    case ValueKind::integer: return i_ != 0;
    case ValueKind::floating: return d_ != 0.0;
    case ValueKind::string: return !as_string().empty();
    case ValueKind::array: {
      const Array& a = object<Array>();
      LARIX_CHECK(a.size() == 1, value, "the truth value of an array with ",
                  a.size() == 0 ? "no elements" : "more than one element",
                  " is ambiguous. Use a.any() or a.all()");
      if (is_complex(a.dtype())) return a.item<std::complex<double>>() != 0.0;
      return a.item<double>() != 0.0;
    }
    case ValueKind::list: return !as_list().empty();
    case ValueKind::dict: return !as_dict().items.empty();
    case ValueKind::function: return true;
    case ValueKind::tiled:
      user_error(ErrorKind::value, "the truth value of a distributed array is ambiguous (each ",
                 "rank holds part of it). Use a.any() or a.all()");
    case ValueKind::unbound: break;
  }
  LARIX_ASSERT(false, "truth value of an unbound slot");
}

namespace {
std::string format_double(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  // Python's repr: the shortest digits that read back as the same double, in positional form
  // unless the exponent is below -4 or at least 16.
  char buf[40];
  int precision = 1;
  for (; precision < 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  std::snprintf(buf, sizeof buf, "%.*e", precision - 1, d);
  const int exponent = std::atoi(std::strchr(buf, 'e') + 1);
  if (exponent < -4 || exponent >= 16) {
    std::string s = buf;  // 1.5e+20 -> 1.5e+20, 1e-05 -> 1e-05 (Python's form)
    return s;
  }
  std::snprintf(buf, sizeof buf, "%.*f", std::max(precision - 1 - exponent, 1), d);
  return buf;
}

constexpr std::int64_t kEmptyGroups = 1000;

std::string array_repr(const Array& a) {
  std::ostringstream out;
  auto element = [&](std::int64_t i) {
    return visit_storage_dtype(a.dtype(), [&](auto tag) -> std::string {
      using T = typename decltype(tag)::type;
      const T v = a.item<T>(i);
      if constexpr (std::is_same_v<T, bool>) return v ? "True" : "False";
      else if constexpr (std::is_integral_v<T>) return std::to_string(v);
      else if constexpr (is_complex_v<T>) {  // Python's form: (1.0+2.0j), (1.0-0.5j)
        const std::string im = format_double(static_cast<double>(v.imag()));
        return "(" + format_double(static_cast<double>(v.real())) + (im[0] == '-' ? "" : "+") + im +
               "j)";
      } else return format_double(static_cast<double>(v));
    });
  };
  if (a.ndim() == 0) return element(0);
  if (a.size() == 0) {
    // An empty array's nested form has a bracket pair per leading index: bounded, as NumPy's
    // repr, where that count is large (zeros((2**40, 0)) would print 2**40 pairs).
    std::int64_t groups = 1;
    for (int axis = 0; axis + 1 < a.ndim() && a.shape()[axis] != 0 && groups <= kEmptyGroups;
         ++axis)
      groups *= a.shape()[axis];
    if (groups > kEmptyGroups) {
      out << "[], shape=(";
      for (int axis = 0; axis < a.ndim(); ++axis) out << (axis ? ", " : "") << a.shape()[axis];
      out << (a.ndim() == 1 ? ",)" : ")");
      return out.str();
    }
  }
  // Nested brackets, NumPy style: [[1.0, 2.0], [3.0, 4.0]] (commas: it is also PhySL's literal
  // form).
  std::int64_t flat = 0;
  std::function<void(int)> rec = [&](int axis) {
    out << "[";
    for (std::int64_t i = 0; i < a.shape()[axis]; ++i) {
      if (i) out << ", ";
      if (axis + 1 == a.ndim()) out << element(flat++);
      else rec(axis + 1);
    }
    out << "]";
  };
  rec(0);
  return out.str();
}
}  // namespace

std::string Value::repr() const {
  switch (kind()) {
    case ValueKind::nil: return "None";
    case ValueKind::boolean: return b_ ? "True" : "False";
    case ValueKind::integer: return std::to_string(i_);
    case ValueKind::floating: return format_double(d_);
    case ValueKind::string: return as_string();
    case ValueKind::array: return array_repr(object<Array>());
    case ValueKind::list: {
      std::string out = "[";
      const List& items = as_list();
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ", ";
        out += items[i].is_string() ? "'" + items[i].repr() + "'" : items[i].repr();
      }
      return out + "]";
    }
    case ValueKind::dict: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, v] : as_dict().items) {
        if (!first) out += ", ";
        first = false;
        out += (k.is_string() ? "'" + k.repr() + "'" : k.repr()) + ": " +
               (v.is_string() ? "'" + v.repr() + "'" : v.repr());
      }
      return out + "}";
    }
    case ValueKind::function: return "<function " + as_function()->name() + ">";
    case ValueKind::tiled: {
      const Tiled& t = object<Tiled>();
      return "distributed array(" + std::string(dtype_name(t.dtype())) + ", " +
             t.tiling->describe() + ", this rank's tile " + array_repr(t.local) + ")";
    }
    case ValueKind::unbound: return "<unbound>";
  }
  return "?";
}

std::string Value::type_name() const {
  switch (kind()) {
    case ValueKind::nil: return "None";
    case ValueKind::boolean: return "bool";
    case ValueKind::integer: return "int";
    case ValueKind::floating: return "float";
    case ValueKind::string: return "str";
    case ValueKind::array: {
      const Array& a = object<Array>();
      return std::string("array(") + dtype_name(a.dtype()) + ", " + shape_str(a.shape()) + ")";
    }
    case ValueKind::list: return "list";
    case ValueKind::dict: return "dict";
    case ValueKind::function: return "function";
    case ValueKind::tiled: {
      const Tiled& t = object<Tiled>();
      return "distributed array(" + std::string(dtype_name(t.dtype())) + ", " +
             shape_str(t.tiling->global) + ", " + t.tiling->kind() + ")";
    }
    case ValueKind::unbound: return "unbound";
  }
  return "?";
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) {
    // 1 == 1.0 == True, as in Python
    if (a.is_number() && b.is_number()) return a.as_double() == b.as_double();
    return false;
  }
  switch (a.kind()) {
    case ValueKind::nil:
    case ValueKind::unbound: return true;
    case ValueKind::boolean: return a.as_bool() == b.as_bool();
    case ValueKind::integer: return a.as_int() == b.as_int();
    case ValueKind::floating: return a.as_double() == b.as_double();
    case ValueKind::string: return a.as_string() == b.as_string();
    case ValueKind::array: {
      const Array& x = a.as_array_ref();
      const Array& y = b.as_array_ref();
      if (x.shape() != y.shape() || x.dtype() != y.dtype()) return false;
      for (std::int64_t i = 0; i < x.size(); ++i)
        if (is_complex(x.dtype())
                ? x.item<std::complex<double>>(i) != y.item<std::complex<double>>(i)
                : x.item<double>(i) != y.item<double>(i))
          return false;
      return true;
    }
    case ValueKind::list: return a.as_list() == b.as_list();
    case ValueKind::dict: {
      const Dict& x = a.as_dict();
      const Dict& y = b.as_dict();
      if (x.items.size() != y.items.size()) return false;
      for (const auto& [k, v] : x.items) {
        const Value* other = y.find(k);
        if (!other || !(*other == v)) return false;
      }
      return true;
    }
    case ValueKind::function: return a.as_function() == b.as_function();
    case ValueKind::tiled:
      return *a.as_tiled().tiling == *b.as_tiled().tiling &&
             Value(a.as_tiled().local) == Value(b.as_tiled().local);
  }
  return false;
}

}  // namespace larix
