// ThreadSanitizer annotations. oneTBB comes as a prebuilt library that TSan does not instrument, so
// TSan cannot see that spawning a task happens before the task runs, or that a task finishes
// before the wait for it returns: each such hand-off through oneTBB is annotated here as a
// release on one side and an acquire on the other. Nothing at all in other builds.
#pragma once

#if defined(__SANITIZE_THREAD__)
#define LARIX_TSAN_ENABLED 1
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace larix {

inline void tsan_release([[maybe_unused]] const void* token) {
#ifdef LARIX_TSAN_ENABLED
  __tsan_release(const_cast<void*>(token));
#endif
}
inline void tsan_acquire([[maybe_unused]] const void* token) {
#ifdef LARIX_TSAN_ENABLED
  __tsan_acquire(const_cast<void*>(token));
#endif
}

}  // namespace larix
