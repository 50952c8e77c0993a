// MT19937 and NumPy's legacy random algorithms. Literals marked "numpy:" were computed by NumPy 2.4
// on this machine (np.random.RandomState(seed), the generator behind the global np.random);
// tests/python/test_random.py compares many more seeds and sizes bit for bit.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <thread>
#include <vector>

#include "larix/kernels/random.hpp"
#include "test_support.hpp"

using namespace larix;
using namespace larix::kernels::random;
using larix::test::error_of;
using larix::test::items;
using std::int64_t;
using std::uint32_t;

namespace {

LegacyState seeded(uint32_t s) {
  LegacyState state;
  state.seed(s);
  return state;
}

Array scalar(double v) { return Array::scalar(v); }
Array scalar_int(int64_t v) { return Array::scalar(v); }

}  // namespace

TEST_CASE("MT19937: init_genrand equals std::mt19937") {
  for (uint32_t s : {0U, 1U, 5489U, 42U, 0x7fffffffU, 0xffffffffU}) {
    Mt19937 mt;
    mt.init_genrand(s);
    std::mt19937 ref(s);
    for (int i = 0; i < 2000; ++i) REQUIRE(mt.genrand_int32() == ref());
  }
  Mt19937 unseeded;  // the reference code's default seed 5489
  for (int i = 0; i < 9999; ++i) unseeded.genrand_int32();
  CHECK(unseeded.genrand_int32() == 4123659995U);  // the C++ standard's check value
}

TEST_CASE("MT19937: init_by_array as in mt19937ar.out") {
  Mt19937 mt;
  const std::vector<uint32_t> key{0x123, 0x234, 0x345, 0x456};
  mt.init_by_array(key);
  const std::vector<uint32_t> want{1067595299U, 955945823U, 477289528U, 4107218783U, 4228976476U};
  for (uint32_t w : want) CHECK(mt.genrand_int32() == w);
}

TEST_CASE("legacy doubles and normals") {
  LegacyState s = seeded(42);
  // numpy: RandomState(42).rand(3)
  CHECK(items<double>(random_sample(s, {3})) ==
        std::vector<double>{0.3745401188473625, 0.9507143064099162, 0.7319939418114051});
  s.seed(0);
  // numpy: RandomState(0).randn(3): the second value comes from the cache
  CHECK(items<double>(standard_normal(s, {3})) ==
        std::vector<double>{1.764052345967664, 0.4001572083672233, 0.9787379841057392});
  s.seed(0);  // seeding drops the cached value
  s.gauss();
  s.seed(0);
  CHECK(s.gauss() == 1.764052345967664);
  CHECK(random_sample(s, {2, 0}).shape() == Shape{2, 0});
}

TEST_CASE("legacy uniform and normal") {
  LegacyState s = seeded(5);
  // numpy: r = RandomState(5); r.uniform(-2, 3, 2); r.normal(1, 2, 3)
  CHECK(items<double>(uniform(s, scalar(-2), scalar(3), {2})) ==
        std::vector<double>{-0.8900341445513025, 2.353661530886882});
  CHECK(items<double>(normal(s, scalar(1), scalar(2), {3})) ==
        std::vector<double>{5.86154237401556, 0.49581574079384616, 1.2192196831563655});
  CHECK(error_of([&] { normal(s, scalar(0), scalar(-1), {2}); }).kind() == ErrorKind::value);
  CHECK(error_of([&] { uniform(s, scalar(0), scalar(INFINITY), {2}); }).kind() ==
        ErrorKind::overflow);
}

TEST_CASE("legacy randint: 32-bit, 64-bit and bool draws") {
  LegacyState s = seeded(1);
  // numpy: RandomState(1).randint(0, 2**32, 4): rng = 2^32 - 1 takes each draw as it is
  CHECK(
      items<int64_t>(randint(s, scalar_int(0), scalar_int(int64_t{1} << 32), {4}, DType::int64)) ==
      std::vector<int64_t>{1791095845, 4282876139, 3093770124, 4005303368});
  s.seed(1);
  // numpy: RandomState(1).randint(0, 10, 8): masked rejection on 32-bit draws
  CHECK(items<int64_t>(randint(s, scalar_int(0), scalar_int(10), {8}, DType::int64)) ==
        std::vector<int64_t>{5, 8, 9, 5, 0, 0, 1, 7});
  s.seed(1);
  // numpy: RandomState(1).randint(-2**63, 2**63 - 1, 3): 64-bit draws, high half first
  CHECK(
      items<int64_t>(randint(s, scalar_int(INT64_MIN), scalar_int(INT64_MAX), {3}, DType::int64)) ==
      std::vector<int64_t>{-1530673954295414549, 4064269471072392264, -9221262077785750647});
  s.seed(3);
  // numpy: RandomState(3).randint(0, 2, 40, dtype=bool).astype(int): 32 bools per draw
  const std::vector<int> bits{0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0,
                              0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1};
  const auto got = items<bool>(randint(s, scalar_int(0), scalar_int(2), {40}, DType::bool_));
  for (std::size_t i = 0; i < bits.size(); ++i) CHECK(got[i] == (bits[i] != 0));
  CHECK(error_of([&] { randint(s, scalar_int(5), scalar_int(5), {1}, DType::int64); }).message() ==
        "low >= high");
  CHECK(error_of([&] { randint(s, scalar_int(0), scalar_int(0), {1}, DType::int64); }).message() ==
        "high <= 0");
  CHECK(error_of([&] { randint(s, scalar_int(0), scalar_int(3), {1}, DType::bool_); }).kind() ==
        ErrorKind::value);
}

TEST_CASE("legacy shuffle order and permutation") {
  LegacyState s = seeded(3);
  // numpy: RandomState(3).permutation(8)
  CHECK(shuffle_order(s, 8) == std::vector<int64_t>{5, 7, 4, 6, 3, 1, 0, 2});
  CHECK(shuffle_order(s, 0).empty());
  const Array x = Array::from_vector<double>({0, 1, 2, 3, 4, 5}, {3, 2});
  const Array y = take_rows(x, {2, 0, 1});
  CHECK(items<double>(y) == std::vector<double>{4, 5, 0, 1, 2, 3});
}

TEST_CASE("broadcasting parameters against size") {
  CHECK(broadcast_params({{2}, {3, 1}}, std::nullopt) == Shape{3, 2});
  CHECK(broadcast_params({{2}, {}}, Shape{4, 2}) == Shape{4, 2});
  CHECK(error_of([] { broadcast_params({{2}, {}}, Shape{3}); }).kind() == ErrorKind::value);
  CHECK(error_of([] {
          broadcast_params({{2}, {}}, Shape{2, 1});
        }).message() ==
        "Output size (2, 1) is not compatible with broadcast dimensions of inputs (2, 2).");
}

TEST_CASE("the global state: one call's draws stay together under concurrency") {
  with_global_state([](LegacyState& s) { s.seed(13); });
  constexpr int kThreads = 4, kCalls = 50, kPerCall = 100;
  std::vector<std::vector<Array>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int c = 0; c < kCalls; ++c)
        got[t].push_back(
            with_global_state([](LegacyState& s) { return random_sample(s, {kPerCall}); }));
    });
  for (auto& th : threads) th.join();
  LegacyState ref = seeded(13);
  std::vector<std::vector<double>> blocks;
  for (int i = 0; i < kThreads * kCalls; ++i)
    blocks.push_back(items<double>(random_sample(ref, {kPerCall})));
  int found = 0;
  for (const auto& per_thread : got)
    for (const Array& a : per_thread)
      for (const auto& b : blocks)
        if (items<double>(a) == b) {
          ++found;
          break;
        }
  CHECK(found == kThreads * kCalls);
}
