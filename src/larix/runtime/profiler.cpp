#include "larix/runtime/profiler.hpp"

#include <algorithm>

namespace larix {

Profiler::Profiler(int nodes, bool trace)
    : counters_(static_cast<std::size_t>(std::max(nodes, 0))),
      trace_(trace),
      start_(std::chrono::steady_clock::now()) {}

NodeCounters& Profiler::counters(int node_id) {
  if (node_id < 0 || node_id >= nodes()) return overflow_;
  return counters_[static_cast<std::size_t>(node_id)];
}

std::int64_t Profiler::now_ns() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                              start_)
      .count();
}

void Profiler::add_event(int node_id, std::int64_t start_ns, std::int64_t duration_ns) {
  const auto self = std::this_thread::get_id();
  std::lock_guard lock(mutex_);
  auto it = std::find(threads_.begin(), threads_.end(), self);
  const auto thread = static_cast<std::uint32_t>(it - threads_.begin());
  if (it == threads_.end()) threads_.push_back(self);
  events_.push_back({node_id, start_ns, duration_ns, thread});
}

std::vector<TraceEvent> Profiler::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

}  // namespace larix
