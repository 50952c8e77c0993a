// Profiler: per-node counters of one or more calls (on only when asked; see docs/profiling.md).
//   count        evaluations of the node
//   inclusive_ns from eval() until the node's result is ready (includes waiting for inputs)
//   exclusive_ns the node's own work: time spent in its eval_impl on this thread, minus the time
//                spent there evaluating child nodes inline
//   inline/spawned how many evaluations ran in the caller's thread vs as a task of their own
//   bytes_sent/bytes_received/wait_ns  what the node's collective steps over MPI sent, received
//                and waited for (distributed arrays; runtime/mpi.hpp)
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace larix {

struct NodeCounters {
  std::atomic<std::uint64_t> count{0};
  std::atomic<std::int64_t> inclusive_ns{0};
  std::atomic<std::int64_t> exclusive_ns{0};
  std::atomic<std::uint64_t> inline_runs{0};
  std::atomic<std::uint64_t> spawned_runs{0};
  std::atomic<std::int64_t> bytes_sent{0};
  std::atomic<std::int64_t> bytes_received{0};
  std::atomic<std::int64_t> wait_ns{0};
};

struct TraceEvent {
  int node_id;
  std::int64_t start_ns;  // since the profiler started
  std::int64_t duration_ns;
  std::uint32_t thread;  // small index, one per OS thread seen
};

class Profiler {
 public:
  explicit Profiler(int nodes, bool trace = false);
  NodeCounters& counters(int node_id);
  int nodes() const { return static_cast<int>(counters_.size()); }
  bool tracing() const { return trace_; }
  void add_event(int node_id, std::int64_t start_ns, std::int64_t duration_ns);
  std::vector<TraceEvent> events() const;
  std::int64_t now_ns() const;

 private:
  std::vector<NodeCounters> counters_;
  NodeCounters overflow_;  // nodes of another program (a closure it returned) land here
  bool trace_;
  std::chrono::steady_clock::time_point start_;
  mutable std::mutex mutex_;
  std::vector<TraceEvent> events_;
  std::vector<std::thread::id> threads_;
};

}  // namespace larix
