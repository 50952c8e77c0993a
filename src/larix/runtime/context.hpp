// The task runtime: one oneTBB arena for the process, and one CallContext per call into Larix.
// A CallContext owns the task group of its call: tasks of the call are spawned into it (work
// stealing across the arena's threads), the first failure cancels what has not started yet, and
// only the caller's own thread waits (inside the arena, so it works while it waits).
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>

#include "larix/runtime/future.hpp"
#include "larix/support/function_ref.hpp"
#include "larix/support/warnings.hpp"

namespace larix {

class Profiler;

struct RuntimeSettings {
  int threads = 0;  // 0: all cores (LARIX_THREADS overrides)
  // A node whose measured cost is above this runs as a task of its own; below it runs inline in the
  // thread that made its inputs ready (LARIX_SPAWN_THRESHOLD_NS).
  std::int64_t spawn_threshold_ns = 20000;
  // Row-block fusion reads X in blocks of rows of about this many bytes (LARIX_ROW_BLOCK_BYTES):
  // the block, w and the partial stay in L2 between the block's two products.
  std::int64_t row_block_bytes = 640 << 10;
  // Continuations nested deeper than this on one thread's stack are spawned instead of run inline.
  int max_inline_depth = 128;
  // A PhySL function call nested deeper than this is an error, not a stack overflow.
  int max_call_depth = 1000;
  bool sync = false;  // the synchronous reference executor for every call (LARIX_SYNC=1)
  // Where cout/print write a line (from any thread, one call per line); null: the C stdout. The
  // Python module sets it to Python's sys.stdout, so notebooks and redirections see the text.
  void (*output)(std::string_view line) = nullptr;
};

class Runtime {
 public:
  static Runtime& instance();
  // (Re)start with `threads` threads (0 = default). Must not be called while a call runs.
  void init(int threads);
  int threads() const;
  RuntimeSettings& settings() { return settings_; }
  const RuntimeSettings& settings() const { return settings_; }
  // Runs fn inside the arena (the calling thread joins it).
  void execute(FunctionRef<void()> fn);
  // Runs fn in a one-thread arena: the reference executor, whose kernels then run serially too.
  void execute_serial(FunctionRef<void()> fn);

 private:
  Runtime();
  struct Impl;
  std::shared_ptr<Impl> impl_;
  RuntimeSettings settings_;
};

// Interrupts (SIGINT, Ctrl-C): the embedding's signal handler counts them with note_interrupt()
// (async-signal-safe: one lock-free atomic increment); an interruptible call that sees the count
// change fails with ErrorKind::interrupted at its next check_cancelled(), which every task,
// continuation, loop iteration and scalar call makes, so the whole call stops promptly.
namespace detail {
extern std::atomic<std::uint64_t> interrupts;
}
inline void note_interrupt() { detail::interrupts.fetch_add(1, std::memory_order_relaxed); }
inline std::uint64_t interrupt_count() {
  return detail::interrupts.load(std::memory_order_relaxed);
}

// The native stack: nested expressions and calls together use it, on whatever thread runs them.
// Past this thread's floor (kStackReserve above the end of its stack) evaluation stops with a
// RecursionError instead of overflowing; checked by every PhySL call and non-trivial node.
inline constexpr std::size_t kStackReserve = std::size_t{512} << 10;
struct StackBounds {
  std::uintptr_t low = 0;    // the stack's end (it grows down towards it)
  std::uintptr_t floor = 0;  // low + kStackReserve (0: unknown, no check)
};
StackBounds stack_bounds();  // this thread's, computed once per thread
[[noreturn]] void stack_exhausted();
inline void check_stack() {
  thread_local const StackBounds bounds = stack_bounds();
  // The frame address, not a local's: under ASan a local may live on a heap "fake stack". A frame
  // below the thread's stack is on another one (a oneTBB coroutine's: a task that waited for MPI
  // and was resumed here), whose bounds are not known: not checked.
  const auto frame = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
  if (frame < bounds.floor && frame >= bounds.low) [[unlikely]]
    stack_exhausted();
}

class CallContext {
 public:
  explicit CallContext(bool sync = Runtime::instance().settings().sync,
                       Profiler* profiler = nullptr, bool interruptible = false);
  ~CallContext();
  CallContext(const CallContext&) = delete;
  CallContext& operator=(const CallContext&) = delete;

  // Evaluates root() in the arena and waits for the whole call to finish; returns its value or
  // rethrows its first failure.
  Value run(FunctionRef<Future()> root);

  // Runs fn as a task of this call (inline in the reference executor). fn must not throw, and
  // it fulfils its promises also after a failure (it calls check_cancelled before its work).
  void spawn(std::function<void()> fn);
  // Runs fn inline unless this thread's stack of inline continuations is already deep.
  void run_continuation(std::function<void()> fn);
  // Records a failure: the first one is what the caller sees. Work that has not started yet does
  // not start (check_cancelled); its futures carry cancelled_error(), so that every future of
  // the call is fulfilled and the first failure reaches the caller through all of its path.
  void fail(std::exception_ptr error);
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }
  // Throws cancelled_error() once the call has failed (an interruptible call also fails, with
  // ErrorKind::interrupted, once an interrupt arrived after it started).
  void check_cancelled() const {
    if (cancelled() || (interruptible_ && interrupt_count() != interrupts_at_start_)) [[unlikely]]
      cancel_now();
  }
  // The error of work skipped after a failure (never what the caller sees: the first one is).
  static const std::exception_ptr& cancelled_error();
  bool sync() const { return sync_; }
  Profiler* profiler() const { return profiler_; }
  const RuntimeSettings& settings() const { return settings_; }
  // The RuntimeWarnings the call's kernels reported (support/warnings.hpp).
  WarningLog& warnings() { return warnings_; }

  // PhySL call depth of this thread (guarded: deep recursion is an error, not a crash).
  static int& call_depth();
  // Whether this thread runs a call's body (the caller's thread, normally): it waits there, and
  // must not be suspended as a oneTBB task is (runtime/mpi.cpp).
  static bool runs_call_body();
  // How many run_continuation calls are open on this thread's stack (for tests).
  static int inline_depth();

 private:
  struct Impl;
  Impl& group();
  std::atomic<Impl*> group_{nullptr};  // made by the first spawn
  bool sync_;
  Profiler* profiler_;
  const RuntimeSettings settings_;
  [[noreturn]] void cancel_now() const;
  const bool interruptible_;
  const std::uint64_t interrupts_at_start_;
  std::atomic<bool> cancelled_{false};
  std::mutex error_mutex_;
  std::exception_ptr first_error_;
  WarningLog warnings_;
};

}  // namespace larix
