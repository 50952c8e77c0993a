// Bad input gives a clean error, never a crash, a hang or a wrong answer (issue 12): checked
// 64-bit size arithmetic, the rank limit, dead code that raises, interrupts, deep nesting.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <thread>

#include "larix/api/larix.hpp"
#include "larix/kernels/indexing.hpp"

using namespace larix;

namespace {
constexpr std::int64_t kBig = INT64_MAX;

Value run(const std::string& text, bool optimize = true, List args = {}) {
  return Program::compile(text, {.source_name = "hardening.physl", .optimize = optimize})
      .call({std::move(args), {}});
}

ErrorKind kind_of(const std::string& text, bool optimize = true) {
  try {
    run(text, optimize);
  } catch (const Error& e) {
    return e.kind();
  }
  FAIL("no error for: " << text);
  return ErrorKind::internal;
}
}  // namespace

TEST_CASE("checked arithmetic: the helpers") {
  CHECK(add_overflows(kBig, 1) == std::nullopt);
  CHECK(add_overflows(kBig - 1, 1) == kBig);
  CHECK(sub_overflows(INT64_MIN, 1) == std::nullopt);
  CHECK(mul_overflows(std::int64_t{1} << 31, std::int64_t{1} << 31) == std::int64_t{1} << 62);
  CHECK(mul_overflows(std::int64_t{1} << 32, std::int64_t{1} << 32) == std::nullopt);
  CHECK(mul_overflows(-(std::int64_t{1} << 31), std::int64_t{1} << 32) == INT64_MIN);
  CHECK_THROWS_AS(checked_size(std::int64_t{1} << 61, 8), Error);
  CHECK(checked_size(std::int64_t{1} << 59, 8) == std::int64_t{1} << 62);
}

TEST_CASE("shapes: size overflow, negative dimensions and the rank limit") {
  auto kind = [](auto&& f) {
    try {
      f();
    } catch (const Error& e) {
      return e.kind();
    }
    return ErrorKind::internal;
  };
  CHECK(kind([] { Array::empty(DType::float64, {std::int64_t{1} << 61, 8}); }) == ErrorKind::value);
  CHECK(kind([] {
          Array::empty(DType::float64, {0, std::int64_t{1} << 62, 4});
        }) == ErrorKind::value);
  CHECK(kind([] { Array::empty(DType::float64, {-1}); }) == ErrorKind::value);
  CHECK(kind([] { Array::empty(DType::float64, Shape(65, 1)); }) == ErrorKind::value);
  CHECK(Array::empty(DType::float64, Shape(64, 1)).ndim() == 64);
  // Fits int64 but not memory: a MemoryError, not a crash.
  CHECK(kind([] {
          Array::empty(DType::float64, {std::int64_t{1} << 40, 1024});
        }) == ErrorKind::memory);
  CHECK_THROWS_AS(shape_size({std::int64_t{1} << 32, std::int64_t{1} << 32}), Error);
  CHECK(shape_size({0, std::int64_t{1} << 62, 4}) == 0);
}

TEST_CASE("slices with bounds and steps near +-2**63") {
  using kernels::range_index;
  // Python: list(range(5))[::2**63-1] == [0]
  auto r = range_index(std::nullopt, std::nullopt, kBig, 5);
  CHECK(r.start == 0);
  CHECK(r.length == 1);
  r = range_index(std::nullopt, std::nullopt, INT64_MIN, 5);  // [4]
  CHECK(r.start == 4);
  CHECK(r.length == 1);
  r = range_index(kBig, INT64_MIN, INT64_MIN, 5);  // [4]
  CHECK(r.length == 1);
  r = range_index(INT64_MIN, kBig, kBig, 5);  // [0]
  CHECK(r.start == 0);
  CHECK(r.length == 1);
  r = range_index(0, kBig, std::int64_t{1} << 62, 5);
  CHECK(r.length == 1);
  r = range_index(std::nullopt, std::nullopt, -2, 5);  // [4, 2, 0]
  CHECK(r.start == 4);
  CHECK(r.step == -2);
  CHECK(r.length == 3);
}

TEST_CASE("creation primitives with huge arguments fail at once, folded or not") {
  for (bool optimize : {true, false}) {
    CHECK(kind_of("zeros(list(2305843009213693952))", optimize) == ErrorKind::value);
    CHECK(kind_of("identity(4294967296)", optimize) == ErrorKind::value);
    CHECK(kind_of("eye(9223372036854775807)", optimize) == ErrorKind::value);
    CHECK(kind_of("tri(9223372036854775807)", optimize) == ErrorKind::value);
    CHECK(kind_of("random_sample(9223372036854775807)", optimize) == ErrorKind::value);
    CHECK(kind_of("__mul(list(1), 9223372036854775807)", optimize) == ErrorKind::memory);
    CHECK(run("__mul(list(), 9223372036854775807)", optimize).as_list().empty());
    CHECK(run("__mul(\"\", 9223372036854775807)", optimize).as_string().empty());
  }
  // eye's diagonal with k = INT64_MIN and INT64_MAX: none.
  const Value e = run("eye(3, nil, -9223372036854775807 - 1)");
  CHECK(e.as_array_ref().item_as_double(0) == 0.0);
  const Value a = run("arange(9223372036854775805, 9223372036854775807)");
  REQUIRE(a.as_array_ref().size() == 2);
  CHECK(a.as_array_ref().item<std::int64_t>(1) == kBig - 1);
}

TEST_CASE("dead code that may raise stays, optimised or not") {
  for (bool optimize : {true, false}) {
    CHECK(kind_of("define(a, [1.0, 2.0]) slice(a, 5) 42", optimize) == ErrorKind::index);
    CHECK(kind_of("define(a, [1.0, 2.0]) define(b, slice(a, 5)) 42", optimize) == ErrorKind::index);
  }
  std::string after;
  Program p = Program::compile("define(a, [1.0, 2.0]) define(u, 7) a 42",
                               {.dump = [&](const std::string& pass, const std::string& text) {
                                 if (pass == "dead_code") after = text;
                               }});
  CHECK(p.call().as_int() == 42);
  CHECK(after.find("define(u") == std::string::npos);  // pure and total: dropped
}

TEST_CASE("an interruptible call stops on note_interrupt, and the runtime stays usable") {
  Program p = Program::compile("define(f, n, block(while(true, 1), n)) f");
  for (bool sync : {false, true}) {
    std::thread ringer([] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      note_interrupt();
    });
    ErrorKind kind = ErrorKind::internal;
    try {
      p.call({{Value(1)}, {}}, {.sync = sync, .interruptible = true});
    } catch (const Error& e) {
      kind = e.kind();
    }
    ringer.join();
    CHECK(kind == ErrorKind::interrupted);
    CHECK(run("1 + 2").as_int() == 3);
  }
  // A call that is not interruptible ignores interrupts.
  note_interrupt();
  CHECK(
      run("define(s, 0) for(define(i, 0), i < 100, store(i, i + 1), store(s, s + i)) s").as_int() ==
      4950);
}

TEST_CASE("deep nesting of expressions within calls: a recursion error, not a crash") {
  std::string body = "f(n - 1)";
  for (int i = 0; i < 15; ++i) body = "0 + (" + body + ")";
  const std::string text = "define(f, n, if(n == 0, 0, " + body + ")) f";
  for (bool optimize : {true, false}) {
    Program p = Program::compile(text, {.optimize = optimize});
    CHECK(p.call({{Value(100)}, {}}).as_int() == 0);
    ErrorKind kind = ErrorKind::internal;
    try {
      p.call({{Value(999)}, {}});
      kind = ErrorKind::runtime;  // within the native stack here: fine too
    } catch (const Error& e) {
      kind = e.kind();
    }
    CHECK((kind == ErrorKind::runtime || kind == ErrorKind::recursion));
    CHECK(kind_of("define(f, n, f(n + 1)) f(0)", optimize) == ErrorKind::recursion);
  }
}

TEST_CASE("recursion through async has the call depth limit") {
  CHECK(kind_of("define(f, n, async(f(n + 1))) f(0)") == ErrorKind::recursion);
}
