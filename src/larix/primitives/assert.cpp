// assert(cond, message): Python's assert statement.
#include <string>

#include "larix/primitives/registry.hpp"

namespace larix {
namespace {

Value assert_kernel(KernelArgs& a) {
  if (a[0].truthy()) return Value();
  const Value message = a.size() > 1 ? a[1] : Value("");
  const bool empty = message.is_nil() || (message.is_string() && message.as_string().empty());
  user_error(ErrorKind::assertion, empty ? std::string("assertion failed") : message.repr());
}

}  // namespace

void register_assert(Registry& r) {
  // Not pure: a failing assert must neither be folded away at compile time nor dropped as dead code
  // (its value, nil, is never used); ordered like output so it fires before later prints.
  r.add({.name = "assert",
         .signature = {{arg("cond"), arg("message", Value(""))}},
         .doc = "assert(cond, message=\"\")\n\nAn AssertionError (\"assertion failed\", or the "
                "message when given) unless `cond` is true in Python's sense. Returns nil.",
         .pure = false,
         .effect = true,
         .kernel = assert_kernel});
}

}  // namespace larix
