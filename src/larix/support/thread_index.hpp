// A small number for the calling thread, given at its first call in order (0, 1, 2, ...): the
// index of its shard of a per-thread counter or of its replica of a shared value. A thread that
// comes later (a new runtime's workers) takes the next number; users take it modulo their size.
#pragma once

#include <atomic>
#include <cstddef>

namespace larix {

inline std::atomic<std::size_t> next_thread_index{0};

inline std::size_t thread_index() {
  thread_local const std::size_t index = next_thread_index.fetch_add(1, std::memory_order_relaxed);
  return index;
}

}  // namespace larix
