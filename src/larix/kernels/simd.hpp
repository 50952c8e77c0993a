// Two builds of the hot inner loops. The wheel targets plain x86-64 (SSE2); a loop body written as
// an always-inline template is instantiated once as it is and once inside a LARIX_TARGET_AVX2
// function, and the caller picks by cpu_has_avx2(). A memory-bound loop then moves 32 bytes per
// instruction where the CPU can. Plain AVX2 without FMA: a + b * c stays two roundings, as in
// NumPy. (Not target_clones: with GCC 12 an exception thrown in a cloned loop, such as integer
// division by zero, ended in std::terminate.)
#pragma once

#include <cstdlib>
#include <string_view>

// Code written with GCC vector extensions takes the width as a template parameter: 32 bytes in the
// AVX2 build, 16 in the SSE2 one.
// LARIX_SIMD=sse2 in the environment forces the SSE2 versions (to test them on an AVX2 machine).
namespace larix::kernels::detail {
inline bool cpu_has_avx2() {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool has = [] {
    const char* force = std::getenv("LARIX_SIMD");
    return __builtin_cpu_supports("avx2") && !(force && std::string_view(force) == "sse2");
  }();
  return has;
#else
  return false;
#endif
}
}  // namespace larix::kernels::detail

#if defined(__x86_64__) && defined(__GNUC__)
#define LARIX_TARGET_AVX2 __attribute__((target("avx2")))
#else
#define LARIX_TARGET_AVX2
#endif

// AVX2 with fused multiply-adds: for code whose accuracy bound holds with or without them (vmath).
#if defined(__x86_64__) && defined(__GNUC__)
#define LARIX_TARGET_AVX2_FMA __attribute__((target("avx2,fma")))
#else
#define LARIX_TARGET_AVX2_FMA
#endif
