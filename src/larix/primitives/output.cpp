// Console output (Phylanx's cout and debug): Python's print of its arguments.
#include <cstdio>
#include <string>

#include "larix/primitives/registry.hpp"

namespace larix {
namespace {

std::string printed_line(KernelArgs& a) {
  std::string line;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i) line += ' ';
    line += a[i].repr();
  }
  return line + '\n';
}

Value cout_kernel(KernelArgs& a) {
  const std::string line = printed_line(a);
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

Value debug_kernel(KernelArgs& a) {
  const std::string line = printed_line(a);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
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
  r.add({.name = "debug",
         .signature = {.variadic = true},
         .doc = "debug(*args)\n\nPhylanx's debug: prints the arguments as cout does, to stderr "
                "(the process's, also under Python). Returns nil.",
         .pure = false,
         .effect = true,
         .kernel = debug_kernel});
}

}  // namespace larix
