// The doctest runner of larix_cpp_tests. LARIX_TEST_THREADS=N starts the runtime with N threads
// before any test runs (CTest sets it to 1, 2 and 4 for the runtime-facing layers); LARIX_SYNC=1
// is read by the runtime itself and selects the reference executor.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "larix/api/larix.hpp"

namespace {

// The thread count asked for by LARIX_TEST_THREADS, 0 when unset; -1 when it is not a number > 0.
int requested_threads() {
  const char* text = std::getenv("LARIX_TEST_THREADS");
  if (!text || !*text) return 0;
  char* end = nullptr;
  const long n = std::strtol(text, &end, 10);
  return (*end == '\0' && n > 0 && n <= 1024) ? static_cast<int>(n) : -1;
}

}  // namespace

int main(int argc, char** argv) {
  doctest::Context context;
  context.applyCommandLine(argc, argv);

  const int threads = requested_threads();
  if (threads < 0) {
    std::fprintf(stderr, "larix_cpp_tests: LARIX_TEST_THREADS must be a positive integer\n");
    return 2;
  }
  if (threads > 0) larix::init(threads);
  const char* sync = std::getenv("LARIX_SYNC");
  const bool reference = sync && *sync && std::string(sync) != "0";
  // On stderr, so that --list-test-cases and friends print only what doctest prints.
  std::fprintf(stderr, "[larix] runtime threads: %d%s\n", larix::threads(),
               reference ? ", reference executor (LARIX_SYNC=1)" : "");

  return context.run();
}
