// Chunked parallel loops for kernels. They run in whatever oneTBB arena the caller is in: the
// runtime owns the threads (Runtime's arena), so a kernel never creates threads or arenas itself,
// and a kernel called from a task becomes nested parallelism in the same arena.
#pragma once

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_invoke.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "larix/support/tsan.hpp"

namespace larix::kernels {

// Below this many elements a loop runs serially: a task costs ~1 µs, a simple element ~1 ns.
inline constexpr std::int64_t kDefaultGrain = 32768;

// Calls body(begin, end) over [0, n) in chunks of about `grain` elements (TBB halves a range while
// it is longer than `grain`); one serial call when n <= grain.
template <class F>
void parallel_for_chunks(std::int64_t n, std::int64_t grain, F&& body) {
  if (n <= 0) return;
  grain = std::max<std::int64_t>(grain, 1);
  if (n <= grain) {
    body(std::int64_t{0}, n);
    return;
  }
  int start = 0, done = 0;  // TSan tokens (support/tsan.hpp): before the chunks, after them
  tsan_release(&start);
  tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, grain),
                    [&](const tbb::blocked_range<std::int64_t>& r) {
                      tsan_acquire(&start);
                      body(r.begin(), r.end());
                      tsan_release(&done);
                    });
  tsan_acquire(&done);
}

template <class F>
void parallel_for_chunks(std::int64_t n, F&& body) {
  parallel_for_chunks(n, kDefaultGrain, std::forward<F>(body));
}

}  // namespace larix::kernels
