// Lists (Phylanx's listops): list/make_list, append, prepend, len, the car/cdr family, range, and
// Python's `in`. Lists are immutable values: every operation returns a new list.
#include <string>

#include "larix/primitives/registry.hpp"

namespace larix {
namespace {

Value list_kernel(KernelArgs& a) { return Value(List(a.all().begin(), a.all().end())); }

Value append_kernel(KernelArgs& a) {
  List out = a[0].as_list("argument 1 of append");
  out.push_back(a.take(1));
  return Value(std::move(out));
}

// Phylanx's order: prepend(value, list).
Value prepend_kernel(KernelArgs& a) {
  const List& items = a[1].as_list("argument 2 of prepend");
  List out;
  out.reserve(items.size() + 1);
  out.push_back(a.take(0));
  out.insert(out.end(), items.begin(), items.end());
  return Value(std::move(out));
}

// Python counts code points, not bytes: skip UTF-8 continuation bytes.
std::int64_t utf8_length(const std::string& s) {
  std::int64_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

Value len_kernel(KernelArgs& a) {
  const Value& x = a[0];
  switch (x.kind()) {
    case ValueKind::list: return Value(static_cast<std::int64_t>(x.as_list().size()));
    case ValueKind::dict: return Value(static_cast<std::int64_t>(x.as_dict().items.size()));
    case ValueKind::string: return Value(utf8_length(x.as_string()));
    case ValueKind::array: {
      const Array& arr = x.as_array_ref();
      LARIX_CHECK(arr.ndim() > 0, type, "len() of unsized object");
      return Value(arr.shape()[0]);
    }
    default: user_error(ErrorKind::type, "object of type '", x.type_name(), "' has no len()");
  }
}

// c[ad]+r: the letters between 'c' and 'r' are applied right to left (cadr = car(cdr(l))).
Kernel car_cdr_kernel(std::string name) {
  return [name](KernelArgs& a) {
    Value v = a.take(0);
    for (std::size_t i = name.size() - 2; i >= 1; --i) {
      const char* op = name[i] == 'a' ? "car" : "cdr";
      if (!v.is_list()) {
        if (i == name.size() - 2)
          user_error(ErrorKind::type, name, "() argument must be a list, not ", v.type_name());
        user_error(ErrorKind::type, name, "(): ", op, " of ", v.type_name(), ", not of a list");
      }
      const List& items = v.as_list();
      LARIX_CHECK(!items.empty(), index, name, "(): ", op, " of an empty list");
      v = name[i] == 'a' ? Value(items.front()) : Value(List(items.begin() + 1, items.end()));
    }
    return v;
  };
}

std::string car_cdr_doc(const std::string& name) {
  std::string nested = "list";
  for (std::size_t i = name.size() - 2; i >= 1; --i)
    nested = std::string(name[i] == 'a' ? "car(" : "cdr(") + nested + ")";
  return name + "(list)\n\n" +
         (name == "car"   ? std::string("The first element of a list, as in Lisp.")
          : name == "cdr" ? std::string("The list without its first element, as in Lisp.")
                          : "The same as " + nested + ".") +
         " An empty list on the way is an IndexError.";
}

std::int64_t range_operand(const Value& v, const char* what) {
  if (v.is_int() || v.is_bool() || (v.is_array() && v.as_array_ref().ndim() == 0))
    return v.as_int(what);
  user_error(ErrorKind::type, "'", v.type_name(), "' object cannot be interpreted as an integer");
}

Value range_kernel(KernelArgs& a) {
  const bool one = a.size() < 2 || a[1].is_nil();
  const std::int64_t start = one ? 0 : range_operand(a[0], "start");
  const std::int64_t stop = range_operand(one ? a[0] : a[1], "stop");
  const std::int64_t step = a.size() < 3 ? 1 : range_operand(a[2], "step");
  LARIX_CHECK(step != 0, value, "range() arg 3 must not be zero");
  // Unsigned 64-bit arithmetic wraps instead of overflowing, and the true span and every element
  // produced fit, so this is exact from INT64_MIN to INT64_MAX.
  const bool up = step > 0;
  const auto u = [](std::int64_t x) { return static_cast<std::uint64_t>(x); };
  const bool empty = up ? start >= stop : start <= stop;
  const std::uint64_t span = up ? u(stop) - u(start) : u(start) - u(stop);
  const std::uint64_t abs_step = up ? u(step) : 0 - u(step);
  const std::uint64_t n = empty ? 0 : (span - 1) / abs_step + 1;
  List out;
  out.reserve(n);
  for (std::uint64_t k = 0; k < n; ++k)
    out.emplace_back(static_cast<std::int64_t>(u(start) + k * u(step)));
  return Value(std::move(out));
}

Value contains_kernel(KernelArgs& a) {
  const Value& container = a[0];
  const Value& item = a[1];
  switch (container.kind()) {
    case ValueKind::list:
      for (const Value& v : container.as_list())
        if (v == item) return Value(true);
      return Value(false);
    case ValueKind::dict: return Value(container.as_dict().find(item) != nullptr);
    case ValueKind::string:
      LARIX_CHECK(item.is_string(), type, "'in <string>' requires string as left operand, not ",
                  item.type_name());
      return Value(container.as_string().find(item.as_string()) != std::string::npos);
    case ValueKind::array: {
      // NumPy: `x in a` is (a == x).any() for a scalar x.
      LARIX_CHECK(item.is_number() || (item.is_array() && item.as_array_ref().ndim() == 0), type,
                  "'in <array>' requires a scalar as left operand, not ", item.type_name());
      const Array& arr = container.as_array_ref();
      const double x = item.as_double();
      for (std::int64_t i = 0; i < arr.size(); ++i)
        if (arr.item_as_double(i) == x) return Value(true);
      return Value(false);
    }
    default:
      user_error(ErrorKind::type, "argument of type '", container.type_name(), "' is not iterable");
  }
}

}  // namespace

void register_lists(Registry& r) {
  r.add({.name = "list",
         .aliases = {"make_list"},
         .signature = {.variadic = true},
         .doc = "list(*args)\n\nA list of its arguments (Phylanx's list/make_list; the literal "
                "'(1, 2) is the same).",
         .kernel = list_kernel});
  r.add({.name = "append",
         .signature = {{arg("list"), arg("value")}},
         .doc =
             "append(list, value)\n\nA new list: `list` with `value` added at the end (`list` is "
             "not modified).",
         .kernel = append_kernel});
  r.add({.name = "prepend",
         .signature = {{arg("value"), arg("list")}},
         .doc = "prepend(value, list)\n\nA new list: `value` followed by the elements of `list` "
                "(Phylanx's argument order; `list` is not modified).",
         .kernel = prepend_kernel});
  r.add({.name = "__len",
         .aliases = {"len"},
         .signature = {{arg("x")}},
         .doc =
             "len(x)\n\nThe number of elements of a list, of entries of a dict, of characters of "
             "a string, or the first dimension of an array (a 0-d array is a TypeError).",
         .kernel = len_kernel});
  // Phylanx's family: car, cdr and every c[ad]{2,4}r.
  for (int letters = 1; letters <= 4; ++letters) {
    for (int bits = 0; bits < (1 << letters); ++bits) {
      std::string name = "c";
      for (int i = letters - 1; i >= 0; --i) name += (bits >> i) & 1 ? 'd' : 'a';
      name += 'r';
      r.add({.name = name,
             .signature = {{arg("list")}},
             .doc = car_cdr_doc(name),
             .kernel = car_cdr_kernel(name)});
    }
  }
  r.add({.name = "range",
         .signature = {{arg("start"), arg("stop", Value()), arg("step", Value(1))}},
         .doc = "range(stop) or range(start, stop, step=1)\n\nA list of ints, as Python's "
                "list(range(...)): negative steps count down; a step of 0 is a ValueError.",
         .kernel = range_kernel});
  r.add({.name = "__contains",
         .signature = {{arg("container"), arg("item")}},
         .doc = "__contains(container, item)\n\nPython's `item in container`: an element of a "
                "list, a key of a dict, a substring of a string, or an element of an array.",
         .kernel = contains_kernel});
}

}  // namespace larix
