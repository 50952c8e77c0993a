#include "larix/runtime/mpi.hpp"

#include <dlfcn.h>
#include <oneapi/tbb/task.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "larix/runtime/context.hpp"
#include "larix/runtime/node.hpp"
#include "larix/runtime/profiler.hpp"

namespace larix::mpi {

namespace {

using Handle = std::intptr_t;
// The MPI functions Larix calls, with each handle as an integer (see mpi.hpp).
using IsendFn = int (*)(const void*, int, Handle, int, int, Handle, void*);
using IrecvFn = int (*)(void*, int, Handle, int, int, Handle, void*);
using TestFn = int (*)(void*, int*, void*);

struct Api {
  IsendFn isend = nullptr;
  IrecvFn irecv = nullptr;
  TestFn test = nullptr;
  Setup setup;
};
std::atomic<const Api*> api{nullptr};

// One request: 8 bytes hold an MPICH int handle or an Open MPI pointer.
struct Request {
  std::uint64_t handle = 0;
  bool done = false;
};

bool test_all(const Api& mpi, std::vector<Request>& requests) {
  bool all = true;
  for (Request& r : requests) {
    if (r.done) continue;
    int flag = 0;
    alignas(16) std::byte status[64];  // larger than either library's MPI_Status
    mpi.test(&r.handle, &flag, status);
    r.done = flag != 0;
    all = all && r.done;
  }
  return all;
}

// Completes the requests of suspended tasks: tests them, resumes a task when all of its requests
// are done. Sleeps when nobody waits; polls with a growing pause (up to 50 us) while they do.
class Progress {
 public:
  explicit Progress(const Api& mpi) : mpi_(mpi), thread_([this] { run(); }) {}
  ~Progress() {
    {
      const std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  void add(std::vector<Request>* requests, tbb::task::suspend_point tag) {
    {
      const std::lock_guard lock(mutex_);
      waiting_.push_back({requests, tag});
    }
    wake_.notify_one();
  }

 private:
  struct Waiter {
    std::vector<Request>* requests;
    tbb::task::suspend_point tag;
  };
  void run() {
    int idle = 0;
    std::vector<Waiter> batch, left;
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || !waiting_.empty(); });
        if (waiting_.empty()) return;  // stopping, and nobody waits
        batch.swap(waiting_);
      }
      bool progressed = false;
      left.clear();
      for (const Waiter& w : batch) {
        if (test_all(mpi_, *w.requests)) {
          tbb::task::resume(w.tag);  // w.requests belongs to the resumed task from here on
          progressed = true;
        } else {
          left.push_back(w);
        }
      }
      batch.clear();
      if (left.empty()) continue;
      {
        const std::lock_guard lock(mutex_);
        waiting_.insert(waiting_.end(), left.begin(), left.end());
      }
      idle = progressed ? 0 : std::min(idle + 1, 50);
      if (idle > 2) std::this_thread::sleep_for(std::chrono::microseconds(idle));
      else std::this_thread::yield();
    }
  }

  const Api& mpi_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Waiter> waiting_;
  bool stop_ = false;
  std::thread thread_;
};

// Made on first need; shutdown() stops it. Not destroyed at exit otherwise (MPI_Abort exits
// from wherever it is called, and joining a thread then is no business of a destructor).
std::mutex progress_mutex;
Progress* progress = nullptr;

Progress& the_progress(const Api& mpi) {
  const std::lock_guard lock(progress_mutex);
  if (!progress) progress = new Progress(mpi);
  return *progress;
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Waits until every request is done; the task gives its thread back meanwhile when it runs in
// Larix's arena (a thread outside it polls). Returns the time it waited.
std::int64_t wait(const Api& mpi, std::vector<Request>& requests) {
  const std::int64_t start = now_ns();
  for (int i = 0; i < 32; ++i)
    if (test_all(mpi, requests)) return now_ns() - start;
  // A task of the arena's workers gives its thread back until the progress thread resumes it
  // (so that no set of waits can hold every thread while another rank waits for a step not yet
  // started here). The thread running the call's body polls: it is the caller's, which oneTBB
  // would hand on to another thread when resumed.
  if (tbb::this_task_arena::current_thread_index() != tbb::task_arena::not_initialized &&
      !CallContext::runs_call_body()) {
    Progress& p = the_progress(mpi);
    tbb::task::suspend([&](tbb::task::suspend_point tag) { p.add(&requests, tag); });
  } else {
    while (!test_all(mpi, requests)) std::this_thread::yield();
  }
  const std::int64_t waited = now_ns() - start;
  counters().wait_ns.fetch_add(waited, std::memory_order_relaxed);
  return waited;
}

// Each key's steps are numbered, and the number travels with the step: a message of another step
// (an operation that ran at once with itself, in a parallel loop) is found, not used.
std::mutex steps_mutex;
std::unordered_map<std::uint64_t, std::uint64_t> steps;

struct Header {
  std::uint64_t key;
  std::uint64_t step;
  std::int32_t failed;
  std::int32_t kind;
  std::uint64_t bytes;
};

constexpr std::size_t kChunk = std::size_t{1} << 30;  // bytes per message (counts are ints)

void post_send(const Api& mpi, const void* data, std::size_t bytes, int to, int tag,
               std::vector<Request>& requests) {
  const auto* p = static_cast<const std::byte*>(data);
  do {
    const std::size_t n = std::min(bytes, kChunk);
    requests.emplace_back();
    mpi.isend(p, static_cast<int>(n), mpi.setup.byte_type, to, tag, mpi.setup.comm,
              &requests.back().handle);
    p += n;
    bytes -= n;
  } while (bytes > 0);
}

void post_receive(const Api& mpi, void* data, std::size_t bytes, int from, int tag,
                  std::vector<Request>& requests) {
  auto* p = static_cast<std::byte*>(data);
  do {
    const std::size_t n = std::min(bytes, kChunk);
    requests.emplace_back();
    mpi.irecv(p, static_cast<int>(n), mpi.setup.byte_type, from, tag, mpi.setup.comm,
              &requests.back().handle);
    p += n;
    bytes -= n;
  } while (bytes > 0);
}

}  // namespace

Counters& counters() {
  static Counters c;
  return c;
}

void init(const Setup& setup) {
  LARIX_CHECK(setup.size >= 1 && setup.rank >= 0 && setup.rank < setup.size, value, "MPI rank ",
              setup.rank, " of ", setup.size, " is not a rank");
  LARIX_CHECK(!api.load(), runtime, "Larix's MPI link is set up already");
  void* lib = dlopen(setup.library.c_str(), RTLD_NOW | RTLD_NOLOAD);
  LARIX_CHECK(lib, runtime, "the MPI module of mpi4py is not loaded in this process (",
              setup.library, "): import mpi4py.MPI first");
  auto mpi = std::make_unique<Api>();
  mpi->setup = setup;
  auto find = [&](const char* name) {
    void* f = dlsym(lib, name);
    LARIX_CHECK(f, runtime, "the MPI library mpi4py loaded (", setup.library, ") has no ", name);
    return f;
  };
  mpi->isend = reinterpret_cast<IsendFn>(find("MPI_Isend"));
  mpi->irecv = reinterpret_cast<IrecvFn>(find("MPI_Irecv"));
  mpi->test = reinterpret_cast<TestFn>(find("MPI_Test"));
  api.store(mpi.release());  // lives as long as the process: tasks may hold it
}

void shutdown() {
  const std::lock_guard lock(progress_mutex);
  delete progress;
  progress = nullptr;
}

bool active() { return api.load() != nullptr; }
int rank() {
  const Api* mpi = api.load();
  return mpi ? mpi->setup.rank : 0;
}
int size() {
  const Api* mpi = api.load();
  return mpi ? mpi->setup.size : 1;
}

std::vector<std::vector<std::byte>> exchange(std::uint64_t key,
                                             const std::vector<std::span<const std::byte>>& to,
                                             const Failure* failure) {
  const Api* mpi = api.load();
  const int n = size(), me = rank();
  LARIX_ASSERT(static_cast<int>(to.size()) == n, "one payload per rank");
  std::vector<std::vector<std::byte>> out(n);
  if (!mpi || n == 1) {
    if (failure) user_error(failure->kind, failure->message);
    out[me].assign(to[me].begin(), to[me].end());
    return out;
  }
  // The node to book the step to (taken here: a suspended task may be resumed on another thread).
  const OwnWork booked = current_own_work();
  std::uint64_t step;
  {
    const std::lock_guard lock(steps_mutex);
    step = steps[key]++;
  }
  const int tag = static_cast<int>(key % static_cast<std::uint64_t>(mpi->setup.tag_ub + 1));
  const std::span<const std::byte> message(
      failure ? reinterpret_cast<const std::byte*>(failure->message.data()) : nullptr,
      failure ? failure->message.size() : 0);
  std::vector<Header> sent(n), got(n);
  std::vector<Request> sends, header_receives;
  for (int q = 0; q < n; ++q) {
    if (q == me) continue;
    const std::span<const std::byte> payload = failure ? message : to[q];
    sent[q] = {key, step, failure ? 1 : 0, failure ? static_cast<std::int32_t>(failure->kind) : 0,
               payload.size()};
    post_send(*mpi, &sent[q], sizeof(Header), q, tag, sends);
    if (!payload.empty()) post_send(*mpi, payload.data(), payload.size(), q, tag, sends);
    post_receive(*mpi, &got[q], sizeof(Header), q, tag, header_receives);
  }
  std::int64_t waited = wait(*mpi, header_receives);
  std::vector<Request> receives;
  std::int64_t received = 0;
  int stray = -1;  // a rank whose message belongs to another step
  for (int q = 0; q < n; ++q) {
    if (q == me) continue;
    if (got[q].key != key || got[q].step != step) stray = q;
    out[q].resize(got[q].bytes);
    received += static_cast<std::int64_t>(got[q].bytes);
    if (got[q].bytes) post_receive(*mpi, out[q].data(), got[q].bytes, q, tag, receives);
  }
  receives.insert(receives.end(), sends.begin(), sends.end());
  waited += wait(*mpi, receives);
  LARIX_ASSERT(stray < 0, "rank ", stray, " sent step ", got[stray].step, " of operation ",
               got[stray].key, " where this rank ", me, " is at step ", step, " of ", key,
               " (a distributed operation ran at once with itself?)");
  Counters& c = counters();
  std::int64_t sent_bytes = 0;
  for (int q = 0; q < n; ++q)
    if (q != me) sent_bytes += static_cast<std::int64_t>(sent[q].bytes + sizeof(Header));
  c.bytes_sent.fetch_add(sent_bytes, std::memory_order_relaxed);
  c.bytes_received.fetch_add(received + (n - 1) * std::int64_t{sizeof(Header)},
                             std::memory_order_relaxed);
  c.messages.fetch_add(2 * (n - 1), std::memory_order_relaxed);
  if (booked.profiler) {
    NodeCounters& node = booked.profiler->counters(booked.node);
    node.bytes_sent.fetch_add(sent_bytes, std::memory_order_relaxed);
    node.bytes_received.fetch_add(received + (n - 1) * std::int64_t{sizeof(Header)},
                                  std::memory_order_relaxed);
    node.wait_ns.fetch_add(waited, std::memory_order_relaxed);
  }
  for (int q = 0; q < n; ++q) {
    if (q == me) {
      if (failure) user_error(failure->kind, failure->message);
      continue;
    }
    if (got[q].failed) {
      const std::string text(reinterpret_cast<const char*>(out[q].data()), out[q].size());
      user_error(static_cast<ErrorKind>(got[q].kind), "on rank ", q, ": ", text);
    }
  }
  out[me].assign(to[me].begin(), to[me].end());
  return out;
}

std::vector<std::vector<std::byte>> exchange_all(std::uint64_t key,
                                                 std::span<const std::byte> payload,
                                                 const Failure* failure) {
  return exchange(key, std::vector<std::span<const std::byte>>(size(), payload), failure);
}

std::vector<std::vector<std::int64_t>> exchange_ints(std::uint64_t key,
                                                     const std::vector<std::int64_t>& mine,
                                                     const Failure* failure) {
  const auto parts = exchange_all(
      key, {reinterpret_cast<const std::byte*>(mine.data()), mine.size() * sizeof(std::int64_t)},
      failure);
  std::vector<std::vector<std::int64_t>> out;
  for (const auto& part : parts) {
    std::vector<std::int64_t> v(part.size() / sizeof(std::int64_t));
    std::memcpy(v.data(), part.data(), v.size() * sizeof(std::int64_t));
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace larix::mpi
