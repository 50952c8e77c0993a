#include "larix/runtime/context.hpp"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>
#include <pthread.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <limits>
#include <string>

#include "larix/support/tsan.hpp"

namespace larix {

namespace {
// A non-negative integer from the environment; `fallback` when unset, malformed or beyond T (a
// threshold of 10**12 ns once wrapped to a negative int, and every node became a task).
template <class T>
T env_number(const char* name, T fallback) {
  const char* text = std::getenv(name);
  if (!text || !*text) return fallback;
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(text, &end, 10);
  const bool ok = end && *end == '\0' && errno == 0 && v >= 0 &&
                  static_cast<unsigned long long>(v) <=
                      static_cast<unsigned long long>(std::numeric_limits<T>::max());
  return ok ? static_cast<T>(v) : fallback;
}

thread_local int continuation_depth = 0;  // open run_continuation calls on this stack

// Sets a thread-local counter for a scope; puts the old value back however the scope is left.
class ScopedCounter {
 public:
  ScopedCounter(int& counter, int value) : counter_(counter), saved_(counter) { counter_ = value; }
  ~ScopedCounter() { counter_ = saved_; }
  ScopedCounter(const ScopedCounter&) = delete;
  ScopedCounter& operator=(const ScopedCounter&) = delete;

 private:
  int& counter_;
  int saved_;
};
}  // namespace

struct Runtime::Impl {
  int threads;
  // Deep PhySL recursion runs on worker stacks: give them room (the limit is max_call_depth).
  tbb::global_control stack_size{tbb::global_control::thread_stack_size, 64 << 20};
  tbb::global_control parallelism;
  tbb::task_arena arena;
  tbb::task_arena serial;
  explicit Impl(int n)
      : threads(n),
        parallelism(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(n)),
        arena(n, 1),
        serial(1, 1) {}
};

Runtime::Runtime() {
  settings_.spawn_threshold_ns =
      env_number<std::int64_t>("LARIX_SPAWN_THRESHOLD_NS", settings_.spawn_threshold_ns);
  settings_.sync = env_number<int>("LARIX_SYNC", 0) != 0;
  settings_.row_block_bytes = std::max<std::int64_t>(
      1, env_number<std::int64_t>("LARIX_ROW_BLOCK_BYTES", settings_.row_block_bytes));
  init(0);
}

Runtime& Runtime::instance() {
  static Runtime runtime;
  return runtime;
}

void Runtime::init(int threads) {
  if (threads <= 0) threads = env_number<int>("LARIX_THREADS", 0);
  if (threads <= 0) threads = tbb::info::default_concurrency();
  settings_.threads = threads;
  impl_.reset();  // the old arena must go before the new global_control limits are set
  impl_ = std::make_shared<Impl>(threads);
}

int Runtime::threads() const { return impl_->threads; }

namespace {
// fn in `arena`: on the calling thread, or on a worker while the caller waits when the arena has
// no free slot; the hand-off both ways is annotated for TSan (support/tsan.hpp).
void execute_in(tbb::task_arena& arena, FunctionRef<void()> fn) {
  static const char token = 0;
  tsan_release(&token);
  arena.execute([&] {
    tsan_acquire(&token);
    fn();
    tsan_release(&fn);
  });
  tsan_acquire(&fn);
}
}  // namespace

void Runtime::execute_serial(FunctionRef<void()> fn) {
  auto impl = impl_;
  execute_in(impl->serial, fn);
}

void Runtime::execute(FunctionRef<void()> fn) {
  auto impl = impl_;  // keep the arena alive for this call even if init() runs meanwhile
  execute_in(impl->arena, fn);
}

struct CallContext::Impl {
  tbb::task_group group;
};

namespace detail {
std::atomic<std::uint64_t> interrupts{0};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);  // async-signal-safe
}  // namespace detail

StackBounds stack_bounds() {
  pthread_attr_t attr;
  void* low = nullptr;
  std::size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return {};
  const bool ok = pthread_attr_getstack(&attr, &low, &size) == 0;
  pthread_attr_destroy(&attr);
  if (!ok || size <= 2 * kStackReserve) return {};  // unknown or tiny: no check
  const auto at = reinterpret_cast<std::uintptr_t>(low);
  return {.low = at, .floor = at + kStackReserve};
}

void stack_exhausted() {
  user_error(ErrorKind::recursion,
             "maximum recursion depth exceeded (the nesting of calls and expressions fills the "
             "native stack)");
}

CallContext::CallContext(bool sync, Profiler* profiler, bool interruptible)
    : sync_(sync),
      profiler_(profiler),
      settings_(Runtime::instance().settings()),
      interruptible_(interruptible),
      interrupts_at_start_(interrupt_count()) {}

CallContext::~CallContext() { delete group_.load(std::memory_order_relaxed); }

// The task group, made by the call's first spawn (most calls of small kernels never spawn, and
// a task group is not free to make); a race of first spawns keeps one.
CallContext::Impl& CallContext::group() {
  Impl* impl = group_.load(std::memory_order_acquire);
  if (impl) return *impl;
  auto made = std::make_unique<Impl>();
  if (group_.compare_exchange_strong(impl, made.get(), std::memory_order_acq_rel))
    return *made.release();
  return *impl;  // another thread's
}

int& CallContext::call_depth() {
  thread_local int depth = 0;
  return depth;
}

namespace {
thread_local bool in_call_body = false;
}  // namespace

bool CallContext::runs_call_body() { return in_call_body; }

Value CallContext::run(FunctionRef<Future()> root) {
  Future result;
  auto body = [&] {
    const bool was_in_body = in_call_body;
    in_call_body = true;
    struct Restore {
      bool was;
      ~Restore() { in_call_body = was; }
    } restore{was_in_body};
    try {
      result = root();
    } catch (...) {
      fail(std::current_exception());
    }
    // No group: nothing was spawned, all of the call ran here.
    if (Impl* impl = group_.load(std::memory_order_acquire)) {
      impl->group.wait();
      tsan_acquire(&impl->group);
    }
  };
  if (sync_) Runtime::instance().execute_serial(body);
  else Runtime::instance().execute(body);
  if (cancelled()) {  // set by fail() with first_error_, and every task has finished
    std::lock_guard lock(error_mutex_);
    if (first_error_) std::rethrow_exception(first_error_);
  }
  LARIX_ASSERT(result.ready(), "the call finished but its result is not ready");
  return result.value();
}

namespace {
const char spawn_token = 0;  // TSan: spawning happens before the spawned task runs
}  // namespace

void CallContext::spawn(std::function<void()> fn) {
  if (sync_) {
    fn();
    return;
  }
  // The task is made first, then announced to TSan as published, then run (support/tsan.hpp):
  // the spawner's writes, the task's captures included, happen before the task runs.
  Impl& impl = group();
  tbb::task_handle task = impl.group.defer([this, fn = std::move(fn), calls_below = call_depth()] {
    tsan_acquire(&spawn_token);
    // A task starts a fresh stack (no inline continuations on it), but it runs inside the PhySL
    // calls that spawned it: their depth carries over, so that recursion through tasks (async,
    // parallel_map) meets max_call_depth as it does on one thread.
    const ScopedCounter depth(continuation_depth, 0);
    const ScopedCounter calls(call_depth(), calls_below);
    fn();
    tsan_release(&group_.load(std::memory_order_relaxed)->group);  // before the call's wait
  });
  tsan_release(&spawn_token);
  impl.group.run(std::move(task));
}

void CallContext::run_continuation(std::function<void()> fn) {
  if (!sync_ && continuation_depth >= settings_.max_inline_depth) {
    spawn(std::move(fn));
    return;
  }
  const ScopedCounter depth(continuation_depth, continuation_depth + 1);
  fn();
}

int CallContext::inline_depth() { return continuation_depth; }

void CallContext::cancel_now() const {
  if (!cancelled())  // an interrupt: the call's failure (unless another one came first)
    const_cast<CallContext*>(this)->fail(
        std::make_exception_ptr(Error(ErrorKind::interrupted, "interrupted (SIGINT)")));
  std::rethrow_exception(cancelled_error());
}

const std::exception_ptr& CallContext::cancelled_error() {
  struct Cancelled : std::exception {
    const char* what() const noexcept override { return "cancelled after an earlier error"; }
  };
  static const std::exception_ptr error = std::make_exception_ptr(Cancelled{});
  return error;
}

void CallContext::fail(std::exception_ptr error) {
  std::lock_guard lock(error_mutex_);
  if (!first_error_) first_error_ = std::move(error);
  cancelled_.store(true, std::memory_order_relaxed);
}

}  // namespace larix
