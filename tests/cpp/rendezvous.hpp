// Two parties that must be inside the code under test at the same time: each meet() waits (up to
// 5 s) for the other. A schedule that runs them one after the other makes both report false.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

struct Rendezvous {
  std::mutex mutex;
  std::condition_variable cv;
  int arrived = 0;
  bool meet() {
    std::unique_lock lock(mutex);
    ++arrived;
    cv.notify_all();
    return cv.wait_for(lock, std::chrono::seconds(5), [&] { return arrived >= 2; });
  }
};
