// Value: what a PhySL expression evaluates to. Immutable; cheap to copy (scalars inline, the rest
// shared). Python ints/floats are int64/float64 scalars ("weak" in NumPy 2's promotion rules);
// NumPy scalars and 0-d results are 0-d Arrays ("strong").
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "larix/array/array.hpp"

namespace larix {

class Value;
class Function;
using List = std::vector<Value>;
struct Dict;
struct Tiled;

struct Nil {};
struct Unbound {};  // a frame slot before its define ran (never visible as a value)

enum class ValueKind {
  nil,
  boolean,
  integer,
  floating,
  string,
  array,
  list,
  dict,
  function,
  tiled,  // a distributed array: this rank's tile of it (runtime/tiled.hpp)
  unbound
};

class Value {
 public:
  Value() = default;
  Value(Nil) {}
  explicit Value(bool v) : kind_(ValueKind::boolean) { b_ = v; }
  explicit Value(std::int64_t v) : kind_(ValueKind::integer) { i_ = v; }
  explicit Value(int v) : Value(static_cast<std::int64_t>(v)) {}
  explicit Value(double v) : kind_(ValueKind::floating) { d_ = v; }
  explicit Value(std::string v)
      : kind_(ValueKind::string), obj_(std::make_shared<const std::string>(std::move(v))) {}
  explicit Value(const char* v) : Value(std::string(v)) {}
  explicit Value(Array v)
      : kind_(ValueKind::array), obj_(std::make_shared<const Array>(std::move(v))) {}
  explicit Value(List v)
      : kind_(ValueKind::list), obj_(std::make_shared<const List>(std::move(v))) {}
  explicit Value(Dict v);
  explicit Value(Tiled v);
  explicit Value(std::shared_ptr<const Function> v)
      : kind_(ValueKind::function), obj_(std::move(v)) {}
  static Value unbound() {
    Value v;
    v.kind_ = ValueKind::unbound;
    return v;
  }
  // NumPy's float64 or int64 scalar held unboxed: a "strong" number (an array's element, a[i];
  // float32 * it is float64, as NumPy 2 promotes). Only scalar code (runtime/scalar_node.cpp)
  // makes or reads one, and it boxes each into a 0-d array wherever it leaves scalar code: no
  // other code ever sees one, so everywhere else a float or an int is a Python number.
  static Value strong(double v) { return number(v, true); }
  static Value strong(std::int64_t v) { return number(v, true); }
  // A float or an int, strong or a Python number as `strong` says (no branch).
  template <class T>
  static Value number(T v, bool strong) {
    Value r(v);
    r.strong_ = strong;
    return r;
  }

  ValueKind kind() const { return kind_; }
  bool is_nil() const { return kind_ == ValueKind::nil; }
  bool is_bool() const { return kind_ == ValueKind::boolean; }
  bool is_int() const { return kind_ == ValueKind::integer; }
  bool is_float() const { return kind_ == ValueKind::floating; }
  bool is_number() const { return is_bool() || is_int() || is_float(); }  // Python scalar
  bool is_string() const { return kind_ == ValueKind::string; }
  bool is_array() const { return kind_ == ValueKind::array; }
  bool is_list() const { return kind_ == ValueKind::list; }
  bool is_dict() const { return kind_ == ValueKind::dict; }
  bool is_function() const { return kind_ == ValueKind::function; }
  bool is_tiled() const { return kind_ == ValueKind::tiled; }
  bool is_unbound() const { return kind_ == ValueKind::unbound; }
  bool is_strong() const { return strong_; }  // a strong float or int (see strong())

  // Typed access; a TypeError naming `what` (e.g. "argument 2 of slice") when the kind is wrong.
  bool as_bool(const char* what = "value") const;
  std::int64_t as_int(const char* what = "value") const;  // bool, int, integral 0-d array
  double as_double(const char* what = "value") const;     // any real scalar or size-1 array
  const std::string& as_string(const char* what = "value") const;
  const Array& as_array_ref(const char* what = "value") const;  // must hold an Array
  Array to_array(
      const char* what = "value") const;  // scalars and lists become arrays (NumPy's asarray)
  const List& as_list(const char* what = "value") const;
  const Dict& as_dict(const char* what = "value") const;
  std::shared_ptr<const Function> as_function(const char* what = "value") const;
  const Tiled& as_tiled(const char* what = "value") const;
  // The scalar itself, unchecked: for code that has just tested the kind (scalar code's fast path).
  bool bool_value() const { return b_; }
  std::int64_t int_value() const { return i_; }
  double float_value() const { return d_; }
  const Array& array_value() const { return object<Array>(); }  // is_array() was tested
  // The function without taking a reference (valid while this Value lives); null if none.
  const Function* function_ptr() const {
    return is_function() ? static_cast<const Function*>(obj_.get()) : nullptr;
  }
  // How many Values (and closures) share this value's object (1: only this one); 0 for scalars.
  long use_count() const { return obj_.use_count(); }
  // An equal Value whose objects are counted apart from this one's: copies of it and of what it
  // holds never touch this one's reference counts. Strings, lists and dicts are copied (their
  // elements replicated in turn), arrays become private handles of the same memory
  // (Array::private_handle); functions stay shared. For values every thread reads (constants).
  Value replica() const;

  // Python truthiness: if/while conditions. An array must have exactly one element.
  bool truthy() const;
  // NumPy/Python-like text: what cout prints and what error messages show.
  std::string repr() const;
  // "int", "float", "array(float64, (2, 3))", "list", ... for error messages.
  std::string type_name() const;

  // Structural equality (lists, dicts element-wise; arrays by shape, dtype and contents).
  friend bool operator==(const Value& a, const Value& b);

 private:
  // A tagged union: scalars inline (copying one is a few plain moves), everything else behind one
  // shared, immutable object. Far cheaper to copy and destroy than a std::variant with an Array.
  template <class T>
  const T& object() const {
    return *static_cast<const T*>(obj_.get());
  }

  ValueKind kind_ = ValueKind::nil;
  bool strong_ = false;  // in the padding before the union: a Value stays 32 bytes
  union {
    bool b_;
    std::int64_t i_ = 0;
    double d_;
  };
  std::shared_ptr<const void> obj_;
};

// Insertion-ordered, like a Python dict. Small in practice: linear search.
struct Dict {
  std::vector<std::pair<Value, Value>> items;
  const Value* find(const Value& key) const;
};

}  // namespace larix
