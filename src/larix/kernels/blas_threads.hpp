// Larix's OpenBLAS (scipy_openblas32, private to Larix) runs one thread per call: the runtime owns
// the threads, and OpenBLAS threads started from inside oneTBB's workers oversubscribe the machine
// (and concurrent callers queue on OpenBLAS's one thread server).
//
// OpenBLAS keeps one thread count for the whole library, and others change it: threadpoolctl's
// threadpool_limits(T) sets every OpenBLAS in the process to T threads, ours included, and
// OPENBLAS_NUM_THREADS is read when a library loads. OpenBLAS's per-thread setting
// (openblas_set_num_threads_local) is not exported by scipy_openblas32, and its thread callback
// (openblas_set_threads_callback_function) must run a parallel section's jobs concurrently (level 3
// jobs wait for each other), so neither gives a per-task count. Instead every BLAS or LAPACK call
// is preceded by one_blas_thread(): one load and compare when the count is 1, a reset when it is
// not. The library stays visible to (and settable by) threadpoolctl; our calls undo its setting.
#pragma once

namespace larix::kernels {

// Puts Larix's OpenBLAS back to one thread if something changed it. Call before each BLAS/LAPACK
// call (a thread that sets it again between the check and the call wins for that one call).
void one_blas_thread();

// The thread count OpenBLAS reported right before the last BLAS/LAPACK call Larix made (0 before
// the first): what that call ran with. For tests (larix._core._blas_threads_at_last_call).
int blas_threads_at_last_call();

}  // namespace larix::kernels
