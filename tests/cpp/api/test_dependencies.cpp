// The dependency analysis of blocks (compiler/dependencies.hpp): block_dependencies against its
// definition, computed the slow way (every pair of statements, then the transitive reduction).
#include <doctest/doctest.h>

#include <random>

#include "larix/api/larix.hpp"
#include "larix/compiler/dependencies.hpp"

using namespace larix;
using larix::compiler::Access;
using larix::compiler::block_dependencies;

namespace {

bool intersects(const std::set<compiler::Slot>& a, const std::set<compiler::Slot>& b) {
  for (const auto& s : a)
    if (b.count(s)) return true;
  return false;
}

// j waits for i < j when they conflict; then every wait another implies is dropped.
std::vector<std::vector<int>> by_definition(const std::vector<Access>& access) {
  const std::size_t n = access.size();
  std::vector<std::vector<bool>> reach(n, std::vector<bool>(n, false));
  std::vector<std::vector<int>> deps(n);
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t i = 0; i < j; ++i) {
      const Access &a = access[i], &b = access[j];
      if (a.barrier || b.barrier || (a.effect && b.effect) || intersects(a.writes, b.reads) ||
          intersects(a.writes, b.writes) || intersects(a.reads, b.writes)) {
        deps[j].push_back(static_cast<int>(i));
        reach[j][i] = true;
        for (std::size_t k = 0; k < n; ++k)
          if (reach[i][k]) reach[j][k] = true;
      }
    }
  for (std::size_t j = 0; j < n; ++j) {
    std::vector<int> direct;
    for (int i : deps[j]) {
      bool implied = false;
      for (int k : deps[j])
        if (k != i && reach[k][i]) implied = true;
      if (!implied) direct.push_back(i);
    }
    deps[j] = direct;
  }
  return deps;
}

std::vector<Access> random_block(std::mt19937& rng, int n, int slots, int barrier_in,
                                 int effect_in) {
  std::vector<Access> block(n);
  for (Access& a : block) {
    const int reads = int(rng() % 3), writes = int(rng() % 2);
    for (int r = 0; r < reads; ++r) a.reads.insert({int(rng() % 2), int(rng() % slots)});
    for (int w = 0; w < writes; ++w) a.writes.insert({0, int(rng() % slots)});
    a.barrier = rng() % barrier_in == 0;
    a.effect = rng() % effect_in == 0;
  }
  return block;
}

}  // namespace

TEST_CASE("block_dependencies: the transitive reduction of the conflicts, on random blocks") {
  std::mt19937 rng(7);
  for (int round = 0; round < 3000; ++round) {
    const int n = 1 + int(rng() % 40);
    const int slots = 1 + int(rng() % 8);
    const auto block = random_block(rng, n, slots, 2 + int(rng() % 30), 2 + int(rng() % 6));
    INFO("round " << round);
    CHECK(block_dependencies(block) == by_definition(block));
  }
}

TEST_CASE("block_dependencies: chains, fans and barriers") {
  std::vector<Access> chain(5);  // x_i = x_(i-1) + 1: each waits for the one before
  for (int i = 0; i < 5; ++i) {
    chain[i].writes.insert({0, i});
    if (i > 0) chain[i].reads.insert({0, i - 1});
  }
  CHECK(block_dependencies(chain) == std::vector<std::vector<int>>{{}, {0}, {1}, {2}, {3}});
  std::vector<Access> fan(4);  // three readers of x, then a write of x: waits for all three
  fan[0].writes.insert({0, 0});
  fan[1].reads.insert({0, 0});
  fan[2].reads.insert({0, 0});
  fan[3].writes.insert({0, 0});
  CHECK(block_dependencies(fan) == std::vector<std::vector<int>>{{}, {0}, {0}, {1, 2}});
  std::vector<Access> barrier(4);  // two independent statements, a barrier, one more
  barrier[0].writes.insert({0, 0});
  barrier[1].writes.insert({0, 1});
  barrier[2].barrier = true;
  barrier[3].reads.insert({0, 5});
  CHECK(block_dependencies(barrier) == std::vector<std::vector<int>>{{}, {}, {0, 1}, {2}});
}

TEST_CASE("a block of 20,000 statements compiles and runs (the analysis is not quadratic)") {
  std::string text;
  for (int i = 0; i < 20000; ++i)
    text +=
        "define(x" + std::to_string(i) + ", " + (i ? "x" + std::to_string(i - 1) : "0") + " + 1)\n";
  text += "x19999\n";
  for (bool optimize : {false, true}) {
    compiler::CompileOptions options;
    options.optimize = optimize;
    Program p = Program::compile(text, options);
    CHECK(p.call({}).as_int() == 20000);
  }
}
