// Dicts (Phylanx's dict, dict_keys, dict_values, and delete, which takes lists too) plus what
// Python code needs: d.get(k), d.items(), d[k], d[k] = v. Insertion-ordered like Python's dict;
// every operation returns a new dict.
#include <algorithm>
#include <string>
#include <vector>

#include "larix/primitives/registry.hpp"

namespace larix {
namespace {

// What Python prints for a key in a KeyError: its repr (strings quoted).
std::string key_repr(const Value& key) {
  return key.is_string() ? "'" + key.as_string() + "'" : key.repr();
}

// Python refuses mutable keys; a 0-d array is a NumPy scalar, which is hashable.
void check_hashable(const Value& key) {
  const bool unhashable =
      key.is_list() || key.is_dict() || (key.is_array() && key.as_array_ref().ndim() > 0);
  LARIX_CHECK(!unhashable, type, "unhashable type: '",
              key.is_array() ? "numpy.ndarray" : key.type_name(), "'");
}

// Sets an entry in place: a new key goes at the end, an existing key keeps its position.
void set_entry(Dict& d, Value key, Value value) {
  check_hashable(key);
  for (auto& [k, v] : d.items) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  d.items.emplace_back(std::move(key), std::move(value));
}

Value dict_kernel(KernelArgs& a) {
  if (a.size() == 0 || a[0].is_nil()) return Value(Dict{});
  if (a[0].is_dict()) return a.take(0);  // dict(d): values are immutable, no copy needed
  Dict out;
  for (const Value& pair : a[0].as_list("the argument of dict")) {
    LARIX_CHECK(pair.is_list(), type, "dict() expects a list of 2-element lists, found an element ",
                "of type ", pair.type_name());
    const List& kv = pair.as_list();
    LARIX_CHECK(kv.size() == 2, value, "dictionary update sequence element has length ", kv.size(),
                "; 2 is required");
    set_entry(out, kv[0], kv[1]);
  }
  return Value(std::move(out));
}

Value dict_get_kernel(KernelArgs& a) {
  const Value* v = a[0].as_dict("argument 1 of get").find(a[1]);
  return v ? *v : a.size() > 2 ? a[2] : Value();
}

Value dict_keys_kernel(KernelArgs& a) {
  List out;
  for (const auto& [k, v] : a[0].as_dict("the argument of dict_keys").items) out.push_back(k);
  return Value(std::move(out));
}

Value dict_values_kernel(KernelArgs& a) {
  List out;
  for (const auto& [k, v] : a[0].as_dict("the argument of dict_values").items) out.push_back(v);
  return Value(std::move(out));
}

Value dict_items_kernel(KernelArgs& a) {
  List out;
  for (const auto& [k, v] : a[0].as_dict("the argument of dict_items").items)
    out.emplace_back(List{k, v});
  return Value(std::move(out));
}

Value dict_set_kernel(KernelArgs& a) {
  Dict out = a[0].as_dict("argument 1 of __dict_set");
  set_entry(out, a.take(1), a.take(2));
  return Value(std::move(out));
}

Value getitem_kernel(KernelArgs& a) {
  const Value& container = a[0];
  const Value& key = a[1];
  if (container.is_dict()) {
    check_hashable(key);
    const Value* v = container.as_dict().find(key);
    LARIX_CHECK(v, index, "KeyError: ", key_repr(key));
    return *v;
  }
  if (container.is_list()) {
    LARIX_CHECK(key.is_int() || key.is_bool(), type,
                "list indices must be integers or slices, not ", key.type_name());
    const List& items = container.as_list();
    const auto n = static_cast<std::int64_t>(items.size());
    std::int64_t i = key.as_int();
    if (i < 0) i += n;
    LARIX_CHECK(i >= 0 && i < n, index, "list index out of range");
    return items[static_cast<std::size_t>(i)];
  }
  user_error(ErrorKind::type, "'", container.type_name(), "' object is not subscriptable");
}

// Phylanx's delete(target, index): a new list without the elements at the given positions, or a
// new dict without the given keys (values are immutable: target itself is unchanged).
Value delete_kernel(KernelArgs& a) {
  const Value& target = a[0];
  // One index or key, or a list of them (a list is never a dict key: lists are unhashable).
  const List which = a[1].is_list() ? a[1].as_list() : List{a[1]};
  if (target.is_dict()) {
    Dict out = target.as_dict();
    for (const Value& key : which) {
      check_hashable(key);
      const auto it = std::find_if(out.items.begin(), out.items.end(),
                                   [&](const auto& entry) { return entry.first == key; });
      LARIX_CHECK(it != out.items.end(), index, "KeyError: ", key_repr(key));
      out.items.erase(it);
    }
    return Value(std::move(out));
  }
  LARIX_CHECK(target.is_list(), type, "delete(): the target must be a list or a dict, not ",
              target.type_name());
  const List& items = target.as_list();
  const auto n = static_cast<std::int64_t>(items.size());
  std::vector<bool> dropped(items.size(), false);
  for (const Value& index : which) {
    LARIX_CHECK(index.is_int() || index.is_bool(), type,
                "delete(): list indices must be integers, not ", index.type_name());
    std::int64_t i = index.as_int();
    if (i < 0) i += n;
    LARIX_CHECK(i >= 0 && i < n, index, "list assignment index out of range");
    dropped[static_cast<std::size_t>(i)] = true;
  }
  List out;
  for (std::size_t i = 0; i < items.size(); ++i)
    if (!dropped[i]) out.push_back(items[i]);
  return Value(std::move(out));
}

}  // namespace

void register_dicts(Registry& r) {
  r.add({.name = "dict",
         .signature = {{arg("pairs", Value())}},
         .doc = "dict(pairs=nil)\n\nA dict from a list of 2-element lists [key, value], as in "
                "dict('('(k1, v1), '(k2, v2))); without an argument an empty dict. A later pair "
                "overrides an earlier one with the same key.",
         .kernel = dict_kernel});
  r.add({.name = "__dict_get",
         .aliases = {"get"},
         .signature = {{arg("dict"), arg("key"), arg("default", Value())}},
         .doc = "get(dict, key, default=nil)\n\nThe value stored under `key`, or `default` when "
                "there is none (Python's d.get(key, default)).",
         .kernel = dict_get_kernel});
  r.add({.name = "dict_keys",
         .signature = {{arg("dict")}},
         .doc = "dict_keys(dict)\n\nThe keys of a dict as a list, in insertion order.",
         .kernel = dict_keys_kernel});
  r.add({.name = "dict_values",
         .signature = {{arg("dict")}},
         .doc = "dict_values(dict)\n\nThe values of a dict as a list, in insertion order.",
         .kernel = dict_values_kernel});
  r.add({.name = "dict_items",
         .signature = {{arg("dict")}},
         .doc = "dict_items(dict)\n\nThe entries of a dict as a list of 2-element lists [key, "
                "value], in insertion order.",
         .kernel = dict_items_kernel});
  r.add({.name = "__dict_set",
         .signature = {{arg("dict"), arg("key"), arg("value")}},
         .doc = "__dict_set(dict, key, value)\n\nA new dict with `key` set to `value` (Python's "
                "d[key] = value; the old dict is not modified). A new key goes at the end.",
         .kernel = dict_set_kernel});
  r.add({.name = "delete",
         .signature = {{arg("target"), arg("index")}},
         .doc = "delete(target, index)\n\nPhylanx's delete: a new list without the element at "
                "index (negative counts from the end), or a new dict without the key index; "
                "index may be a list of positions or keys. target is unchanged (values are "
                "immutable). A position out of range is an IndexError, a missing key a KeyError "
                "(an IndexError here).",
         .kernel = delete_kernel});
  r.add({.name = "__getitem",
         .signature = {{arg("container"), arg("key")}},
         .doc = "__getitem(container, key)\n\nPython's container[key] for a dict (a missing key is "
                "a KeyError, an IndexError here) or a list (negative indices count from the end).",
         .kernel = getitem_kernel});
}

}  // namespace larix
