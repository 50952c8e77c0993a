// Random numbers whose streams equal NumPy's legacy np.random (RandomState over MT19937) for the
// same seed, bit for bit: the Mersenne Twister of Matsumoto & Nishimura (1998) and the legacy
// algorithms RandomState runs on top of it (53-bit doubles from two 32-bit draws, the polar
// Box-Muller method with a cached second value, masked rejection for bounded integers, Fisher-Yates
// shuffles with random_interval).
//
// One LegacyState per process, like np.random's global RandomState, guarded by a mutex: a primitive
// makes all the draws of one call while holding it (with_global_state), so concurrent calls never
// interleave inside one result. Which of two concurrent calls draws first is not deterministic;
// any program whose random calls run one after another is reproducible.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "larix/array/array.hpp"

namespace larix::kernels::random {

// MT19937, the 32-bit Mersenne Twister.
class Mt19937 {
 public:
  static constexpr int kStateSize = 624;

  void init_genrand(std::uint32_t seed);
  void init_by_array(std::span<const std::uint32_t> key);
  std::uint32_t genrand_int32();

 private:
  void regenerate();
  std::array<std::uint32_t, kStateSize> mt_{};
  int index_ = kStateSize + 1;  // not seeded yet
};

// NumPy's legacy RandomState: MT19937 plus the cached second Gaussian of the polar method.
class LegacyState {
 public:
  // Seeded as seed(s) with a 32-bit seed from std::random_device (NumPy seeds the global state
  // from the OS entropy too; the value is kept so that get_seed can report it).
  LegacyState();
  std::uint32_t entropy_seed() const { return entropy_seed_; }

  // np.random.seed(int): init_genrand; np.random.seed(array): init_by_array. Both drop the cached
  // Gaussian.
  void seed(std::uint32_t s);
  void seed_by_array(std::span<const std::uint32_t> key);

  std::uint32_t next_uint32() { return mt_.genrand_int32(); }
  // Two 32-bit draws, the first one the high half.
  std::uint64_t next_uint64();
  // random_sample: ((a >> 5) * 2^26 + (b >> 6)) / 2^53, in [0, 1).
  double next_double();
  // The legacy polar Box-Muller method; every second call returns the cached value.
  double gauss();
  // A uniform integer in [0, max] by masked rejection (32-bit draws while max < 2^32).
  std::uint64_t interval(std::uint64_t max);
  // off + a uniform integer in [0, rng] by masked rejection, the way legacy randint draws (rng == 0
  // draws nothing; rng == 2^32 - 1 and 2^64 - 1 take one draw without rejection).
  std::uint64_t bounded(std::uint64_t off, std::uint64_t rng);

 private:
  Mt19937 mt_;
  std::uint32_t entropy_seed_ = 0;
  bool has_gauss_ = false;
  double gauss_ = 0.0;
};

// The process's state, locked for the duration of f(state).
std::mutex& global_state_mutex();
LegacyState& global_state_unlocked();
template <class F>
decltype(auto) with_global_state(F&& f) {
  std::lock_guard<std::mutex> lock(global_state_mutex());
  return f(global_state_unlocked());
}

// ---- array algorithms (each draws element by element in C order, as NumPy fills its output) ----

// np.random.random_sample(shape).
Array random_sample(LegacyState& s, const Shape& shape);
// np.random.standard_normal(shape) (randn).
Array standard_normal(LegacyState& s, const Shape& shape);

// The shape the parameters broadcast to with `size` (when given): NumPy's ValueErrors when they do
// not broadcast, or when size is not their broadcast shape.
Shape broadcast_params(const std::vector<Shape>& params, const std::optional<Shape>& size);

// np.random.uniform(low, high, size): low + (high - low) * random_sample, broadcast over the
// float64 parameters. OverflowError when a range high - low is not finite (no draw is made then).
Array uniform(LegacyState& s, const Array& low, const Array& high, const Shape& shape);
// np.random.normal(loc, scale, size): loc + scale * gauss. ValueError "scale < 0" first.
Array normal(LegacyState& s, const Array& loc, const Array& scale, const Shape& shape);
// np.random.randint(low, high, size) on int64 bounds [low, high) (both broadcast to shape), as
// dtype int64 or bool. ValueError for an empty range or bounds outside dtype, before any draw.
Array randint(LegacyState& s, const Array& low, const Array& high, const Shape& shape, DType dtype);

// np.random.poisson(lam, size): legacy RandomState's draws, one per element of `shape` (lam
// broadcast to it): 0 for lam 0, the multiplication method below 10, Hoermann's transformed
// rejection with squeeze (PTRS) from 10. int64. ValueErrors before any draw, with NumPy's
// messages (`scalar`: every parameter was a number, which NumPy words differently).
Array poisson(LegacyState& s, const Array& lam, const Shape& shape, bool scalar);
// np.random.binomial(n, p, size): legacy draws, per element: inversion while min(p, 1 - p) * n
// <= 30, else Kachitvichyanukul and Schmeiser's BTPE; p above 0.5 draws n - binomial(n, 1 - p).
// n is cast to int64. ValueErrors (p checked before n) before any draw.
Array binomial(LegacyState& s, const Array& n, const Array& p, const Shape& shape, bool scalar);

// np.random.choice's draws (legacy RandomState.choice, step for step): `n` int64 indices into a
// population of `pop` (n <= pop without replacement; the caller checks the arguments). Without p:
// randint(0, pop) with replacement, the first n of permutation(pop) without. With p (pop
// probabilities, checked by the caller): with replacement, searchsorted(cdf, random_sample,
// "right") of the cumulative sum normalised by its last element; without, rounds that draw
// n - found uniforms, zero the probabilities of the indices found so far, and keep the new
// distinct indices in order of first appearance.
std::vector<std::int64_t> choice(LegacyState& s, std::int64_t pop, std::int64_t n, bool replace,
                                 const std::vector<double>& p);

// Legacy shuffle's draws for n items: j = interval(i) for i = n-1 down to 1, swapping i and j.
// Returns the resulting order of the original positions (item k of the result is item perm[k]).
std::vector<std::int64_t> shuffle_order(LegacyState& s, std::int64_t n);
// x with its items along axis 0 in the order of `perm` (a new C-contiguous array).
Array take_rows(const Array& x, const std::vector<std::int64_t>& perm);

}  // namespace larix::kernels::random
