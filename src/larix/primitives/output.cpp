// Console output (Phylanx's cout): Python's print of its arguments.
#include <cstdio>
#include <string>

#include "larix/primitives/registry.hpp"

namespace larix {
namespace {

Value cout_kernel(KernelArgs& a) {
  std::string line;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i) line += ' ';
    line += a[i].repr();
  }
  line += '\n';
  if (auto output = a.ctx().settings().output) {
    output(line);
    return Value();
  }
  // One fwrite per call: stdio locks the stream for it, so lines printed by concurrent tasks never
  // interleave mid-line.
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
  return Value();
}

}  // namespace

void register_output(Registry& r) {
  r.add({.name = "cout",
         .aliases = {"print"},
         .signature = {.variadic = true},
         .doc =
             "cout(*args)\n\nPrints the arguments to stdout, separated by spaces and followed by "
             "a newline, as Python's print (strings without quotes); from Python, to sys.stdout. "
             "Returns nil.",
         .pure = false,
         .effect = true,
         .kernel = cout_kernel});
}

}  // namespace larix
