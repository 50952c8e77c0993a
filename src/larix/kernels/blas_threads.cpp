#include "larix/kernels/blas_threads.hpp"

#include <cblas.h>

#include <atomic>

namespace larix::kernels {

namespace {
std::atomic<int> last_call_threads{0};
}  // namespace

void one_blas_thread() {
  int threads = scipy_openblas_get_num_threads();
  if (threads != 1) {
    scipy_openblas_set_num_threads(1);
    threads = scipy_openblas_get_num_threads();
  }
  // Written only when it changes: every thread's BLAS calls read this line, none writes it.
  if (last_call_threads.load(std::memory_order_relaxed) != threads)
    last_call_threads.store(threads, std::memory_order_relaxed);
}

int blas_threads_at_last_call() { return last_call_threads.load(std::memory_order_relaxed); }

}  // namespace larix::kernels
