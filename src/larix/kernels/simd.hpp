// Two builds of the hot inner loops. The wheel targets plain x86-64 (SSE2); a loop body written as
// an always-inline template is instantiated once as it is and once inside a LARIX_TARGET_AVX2
// function, and the caller picks by cpu_has_avx2(). A memory-bound loop then moves 32 bytes per
// instruction where the CPU can. Plain AVX2 without FMA: a + b * c stays two roundings, as in
// NumPy. (Not target_clones: with GCC 12 an exception thrown in a cloned loop, such as integer
// division by zero, ended in std::terminate.)
#pragma once

#include <cstdlib>
#include <string_view>

// Code written with GCC vector extensions takes the width as a template parameter: 64 bytes in the
// AVX-512 build (vmath only), 32 in the AVX2 one, 16 in the SSE2 one.
// LARIX_SIMD=sse2 or =avx2 in the environment caps the level (to test every build on one machine).
namespace larix::kernels::detail {
inline int simd_level() {  // 0 SSE2, 1 AVX2, 2 AVX-512 (F and DQ)
#if defined(__x86_64__) && defined(__GNUC__)
  static const int level = [] {
    int cap = 2;
    if (const char* force = std::getenv("LARIX_SIMD")) {
      if (std::string_view(force) == "sse2") cap = 0;
      if (std::string_view(force) == "avx2") cap = 1;
    }
    int has = 0;
    if (__builtin_cpu_supports("avx2")) has = 1;
    if (has && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) has = 2;
    return has < cap ? has : cap;
  }();
  return level;
#else
  return 0;
#endif
}
inline bool cpu_has_avx2() { return simd_level() >= 1; }
inline bool cpu_has_avx512() { return simd_level() >= 2; }
}  // namespace larix::kernels::detail

#if defined(__x86_64__) && defined(__GNUC__)
#define LARIX_TARGET_AVX2 __attribute__((target("avx2")))
#else
#define LARIX_TARGET_AVX2
#endif

// AVX2 with fused multiply-adds: for code whose accuracy bound holds with or without them (vmath).
#if defined(__x86_64__) && defined(__GNUC__)
#define LARIX_TARGET_AVX2_FMA __attribute__((target("avx2,fma")))
#define LARIX_TARGET_AVX512 __attribute__((target("avx512f,avx512dq")))
#else
#define LARIX_TARGET_AVX2_FMA
#define LARIX_TARGET_AVX512
#endif
