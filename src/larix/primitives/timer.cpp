// __clock(): a steady clock for programs that time themselves (the timer control primitive reads
// the same clock).
#include <chrono>

#include "larix/primitives/registry.hpp"

namespace larix {
namespace {

Value clock_kernel(KernelArgs&) {
  const auto now = std::chrono::steady_clock::now().time_since_epoch();
  return Value(std::chrono::duration<double>(now).count());
}

}  // namespace

void register_timer(Registry& r) {
  // Not pure (every call reads the clock: never folded or shared by CSE), but no effect to order.
  r.add({.name = "__clock",
         .signature = {},
         .doc = "__clock()\n\nSeconds on a steady (monotonic) clock, as a float: only differences "
                "mean something.",
         .pure = false,
         .kernel = clock_kernel});
}

}  // namespace larix
