// annotate and annotate_d (Phylanx's): attach annotations to a value. Larix checks that the
// annotations are well formed and returns the value unchanged; values do not carry them (yet): the
// distributed primitives that read them (issue 15) are not there.
#include <string>

#include "larix/primitives/registry.hpp"

namespace larix {
namespace {

// An annotation is a list whose first element is a string (its key), followed by numbers,
// strings, nil and further annotations: list("tile", list("columns", 0, 2), list("rows", 0, 2)).
void check_annotation(const Value& v, const char* fn, int depth) {
  LARIX_CHECK(depth < 64, value, fn, "(): annotations nest too deep");
  LARIX_CHECK(v.is_list(), type, fn,
              "(): an annotation must be a list whose first element is a string (its key), not ",
              v.repr());
  const auto& items = v.as_list();
  LARIX_CHECK(!items.empty() && items.front().is_string(), type, fn,
              "(): an annotation must be a list whose first element is a string (its key), not ",
              v.repr());
  for (std::size_t i = 1; i < items.size(); ++i) {
    const Value& item = items[i];
    if (item.is_list()) {
      check_annotation(item, fn, depth + 1);
    } else {
      LARIX_CHECK(item.is_number() || item.is_string() || item.is_nil(), type, fn,
                  "(): the values of annotation '", items.front().as_string(),
                  "' must be numbers, strings, nil or annotations, not ", item.repr());
    }
  }
}

Value annotate_kernel(KernelArgs& a) {
  for (std::size_t i = 1; i < a.size(); ++i) check_annotation(a[i], "annotate", 0);
  return a[0];
}

Value annotate_d_kernel(KernelArgs& a) {
  LARIX_CHECK(a[1].is_string(), type,
              "annotate_d(): the name must be a string (it names the object across localities), "
              "not ",
              a[1].repr());
  for (std::size_t i = 2; i < a.size(); ++i) check_annotation(a[i], "annotate_d", 0);
  return a[0];
}

TypeInfo same_type(const std::vector<TypeInfo>& t) { return t[0]; }

}  // namespace

void register_annotate(Registry& r) {
  r.add({.name = "annotate",
         .signature = {.params = {arg("target")}, .variadic = true},
         .doc = "annotate(target, *annotations)\n\nPhylanx's annotate: target with the given "
                "annotations, each a list whose first element is a string (its key) followed by "
                "numbers, strings, nil or further annotations, e.g. list(\"tile\", "
                "list(\"columns\", 0, 2), list(\"rows\", 0, 2)). A malformed annotation is a "
                "TypeError. Larix returns target unchanged: values do not keep the annotations "
                "(Phylanx's distributed primitives read them; Larix runs on one locality).",
         .kernel = annotate_kernel,
         .type_rule = same_type});
  r.add({.name = "annotate_d",
         .signature = {.params = {arg("target"), arg("name")}, .variadic = true},
         .doc = "annotate_d(target, name, *annotations)\n\nPhylanx's annotate_d: as annotate, and "
                "target is identified by the string name across localities. Larix checks the name "
                "and the annotations and returns target unchanged (one locality).",
         .kernel = annotate_d_kernel,
         .type_rule = same_type});
}

}  // namespace larix
