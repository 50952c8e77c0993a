// SmallVector against std::vector: the same operations give the same elements, in place and
// past the inline capacity, including the moves and copies between the two storages.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "larix/support/small_vector.hpp"

namespace larix {
namespace {

using Small = SmallVector<std::int64_t, 4>;

void check_same(const Small& s, const std::vector<std::int64_t>& v) {
  REQUIRE(s.size() == v.size());
  CHECK(s.empty() == v.empty());
  CHECK(s.capacity() >= s.size());
  for (std::size_t i = 0; i < v.size(); ++i) CHECK(s[i] == v[i]);
  CHECK(std::vector<std::int64_t>(s) == v);
}

TEST_CASE("SmallVector: constructors as std::vector's") {
  check_same(Small(), {});
  check_same(Small(3), {0, 0, 0});
  check_same(Small(6, 7), {7, 7, 7, 7, 7, 7});
  check_same(Small{1, 2}, {1, 2});
  check_same(Small{1, 2, 3, 4, 5}, {1, 2, 3, 4, 5});
  const std::vector<std::int64_t> v{9, 8, 7, 6, 5, 4};
  check_same(Small(v.begin() + 1, v.end()), {8, 7, 6, 5, 4});
  check_same(Small(v), v);
  CHECK(Small{1, 2} == Small{1, 2});
  CHECK(Small{1, 2} != Small{1, 2, 3});
  CHECK(Small{1, 2} < Small{1, 3});
  CHECK_THROWS_AS(Small{1}.at(1), std::out_of_range);
}

TEST_CASE("SmallVector: copies and moves between inline and heap storage") {
  for (int n : {0, 1, 4, 5, 9}) {
    CAPTURE(n);
    std::vector<std::int64_t> v;
    for (int i = 0; i < n; ++i) v.push_back(i * 10 + 1);
    Small a(v);
    Small copy(a);
    check_same(copy, v);
    Small moved(std::move(a));
    check_same(moved, v);
    check_same(a, {});  // NOLINT(bugprone-use-after-move): moved-from is empty and usable
    a.push_back(5);
    check_same(a, {5});
    Small assigned{1, 2, 3, 4, 5, 6, 7};
    assigned = moved;
    check_same(assigned, v);
    Small move_assigned{1};
    move_assigned = std::move(moved);
    check_same(move_assigned, v);
    move_assigned = move_assigned;  // self-assignment keeps the elements
    check_same(move_assigned, v);
    Small swapped{42};
    swapped.swap(move_assigned);
    check_same(swapped, v);
    check_same(move_assigned, {42});
  }
}

TEST_CASE("SmallVector: random edits agree with std::vector") {
  std::mt19937_64 rng(20261206);
  for (int round = 0; round < 300; ++round) {
    Small s;
    std::vector<std::int64_t> v;
    for (int step = 0; step < 40; ++step) {
      const auto value = static_cast<std::int64_t>(rng() % 1000);
      const std::size_t at = v.empty() ? 0 : rng() % (v.size() + 1);
      switch (rng() % 9) {
        case 0:
          s.push_back(value);
          v.push_back(value);
          break;
        case 1:
          if (!v.empty()) {
            s.pop_back();
            v.pop_back();
          }
          break;
        case 2:
          s.insert(s.begin() + at, value);
          v.insert(v.begin() + static_cast<std::ptrdiff_t>(at), value);
          break;
        case 3:
          if (at < v.size()) {
            s.erase(s.begin() + at);
            v.erase(v.begin() + static_cast<std::ptrdiff_t>(at));
          }
          break;
        case 4: {
          const std::size_t n = rng() % 7;
          s.resize(n, value);
          v.resize(n, value);
          break;
        }
        case 5: {  // insert a range of the vector's own elements
          const Small part(s.begin(), s.begin() + (at < s.size() ? at : s.size()));
          s.insert(s.begin() + at, s.begin(), s.begin() + (at < s.size() ? at : s.size()));
          v.insert(v.begin() + static_cast<std::ptrdiff_t>(at), part.begin(), part.end());
          break;
        }
        case 6:
          s.push_back(s.empty() ? value : s.front());  // an element of its own
          v.push_back(v.empty() ? value : v.front());
          break;
        case 7: {
          const std::size_t n = rng() % 3;
          s.insert(s.begin() + at, n, value);
          v.insert(v.begin() + static_cast<std::ptrdiff_t>(at), n, value);
          break;
        }
        default:
          if (at < v.size()) {
            const std::size_t to = at + rng() % (v.size() - at + 1);
            s.erase(s.begin() + at, s.begin() + to);
            v.erase(v.begin() + static_cast<std::ptrdiff_t>(at),
                    v.begin() + static_cast<std::ptrdiff_t>(to));
          }
      }
      check_same(s, v);
    }
  }
}

}  // namespace
}  // namespace larix
