// Parallel loops through the C++ facade: iterations of a parallel_for really run at the same time,
// loops the compiler proves independent become parallel (and the others say why), and results
// equal the sequential loop's at every thread count and on the reference executor.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "../rendezvous.hpp"
#include "larix/api/larix.hpp"
using namespace larix;

namespace {

// A function whose calls meet at a Rendezvous, then sleep a little, so that the loop's measured
// cost keeps it parallel in later rounds.
class MeetFunction : public Function {
 public:
  explicit MeetFunction(std::shared_ptr<Rendezvous> r) : r_(std::move(r)) {}
  Future call(CallArgs, CallContext&, const SourceLoc&) const override {
    const bool met = r_->meet();
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    return Value(met);
  }
  std::string name() const override { return "meet"; }
  int required_args() const override { return 0; }

 private:
  std::shared_ptr<Rendezvous> r_;
};

compiler::CompiledProgram compiled(const std::string& text) {
  return Program::compile(text, {.source_name = "loops.physl"}).compiled();
}

}  // namespace

TEST_CASE("two iterations of a parallel_for run at the same time") {
  if (Runtime::instance().threads() < 2 || Runtime::instance().settings().sync) return;
  Program p = Program::compile(
      "define(f, meet, block(define(out, zeros(2)),\n"
      "  parallel_for(define(i, 0), i < 2, store(i, i + 1), store(slice(out, i), meet())),\n"
      "  out))\nf",
      {.source_name = "meet.physl"});
  for (int round = 0; round < 3; ++round) {  // the first run (cost unknown) and measured runs
    auto r = std::make_shared<Rendezvous>();
    Value meet(std::shared_ptr<const Function>(std::make_shared<MeetFunction>(r)));
    const Value out = p.call({{meet}, {}});
    const Array& a = out.as_array_ref();
    CHECK(a.item<double>(0) == 1.0);  // each iteration met the other one
    CHECK(a.item<double>(1) == 1.0);
  }
}

TEST_CASE("a for loop with independent iterations becomes parallel, with its result unchanged") {
  const std::string text =
      "define(f, n, block(define(out, zeros(list(n, 2))),\n"
      "  for(define(i, 0), i < n, store(i, i + 1),\n"
      "      block(define(t, i * 3), store(slice(out, i, nil), t + 1))),\n"
      "  list(out, t, i)))\nf";
  const auto program = compiled(text);
  REQUIRE(program.loops.size() == 1);
  CHECK(program.loops[0].parallel);
  CHECK(program.loops[0].str() == "2:3: parallel");
  for (int round = 0; round < 3; ++round) {
    const Value v = Program::compile(text).call({{Value(std::int64_t{1000})}, {}});
    const List& l = v.as_list();
    const Array& out = l[0].as_array_ref();
    for (std::int64_t i = 0; i < 1000; ++i) {
      CHECK(out.item<double>(2 * i) == static_cast<double>(i * 3 + 1));
      CHECK(out.item<double>(2 * i + 1) == static_cast<double>(i * 3 + 1));
    }
    CHECK(l[1].as_int() == 999 * 3);  // the last iteration's value, as after the sequential loop
    CHECK(l[2].as_int() == 1000);     // the first value that failed the condition
  }
}

TEST_CASE("loops that must stay sequential say why, and where") {
  auto why = [](const std::string& text) {
    const auto program = compiled(text);
    REQUIRE(program.loops.size() == 1);
    CHECK_FALSE(program.loops[0].parallel);
    return program.loops[0].str();
  };
  CHECK(why("define(s, 0) for(define(i, 0), i < 5, store(i, i + 1), store(s, s + i / 2)) s") ==
        "1:14: sequential: 's' is summed over the iterations; a parallel sum changes the order of "
        "the additions (larix.prange allows that) (at 1:56)");
  CHECK(why("define(s, 0) for(define(i, 0), i < 5, store(i, i + 1), store(s, s * 2 + i)) s") ==
        "1:14: sequential: 's' is carried from one iteration to the next (read before it is "
        "assigned) (at 1:65)");
  CHECK(why("define(x, zeros(5)) for(define(i, 1), i < 5, store(i, i + 1),\n"
            "  store(slice(x, i), slice(x, i - 1)))") ==
        "1:21: sequential: 'x' is read at another iteration's index (at 2:22)");
  CHECK(why("define(x, zeros(5)) for(define(i, 0), i < 5, store(i, i * 2), 1)") ==
        "1:21: sequential: its step is not a constant (at 1:46)");
  CHECK(why("define(x, zeros(5)) for(define(i, 0), i < 5, store(i, i + 1), cout(i))")
            .find("ordered effect") != std::string::npos);
}

TEST_CASE("a count is a reduction: the same value as the sequential loop") {
  const std::string text =
      "define(f, x, block(define(n, 0), define(s, 0),\n"
      "  for(define(i, 0), i < shape(x, 0), store(i, i + 1),\n"
      "      block(if(slice(x, i) > 0.5, store(n, n + 1)), store(s, s + 3 * i))),\n"
      "  list(n, s)))\nf";
  const auto program = compiled(text);
  REQUIRE(program.loops.size() == 1);
  CHECK(program.loops[0].parallel);
  Array x = Array::empty(DType::float64, {1000});
  std::int64_t above = 0;
  for (std::int64_t i = 0; i < 1000; ++i) {
    x.mutable_data<double>()[i] = static_cast<double>((i * 7919) % 1000) / 1000.0;
    above += x.data<double>()[i] > 0.5 ? 1 : 0;
  }
  for (int round = 0; round < 3; ++round) {
    const List out = Program::compile(text).call({{Value(x)}, {}}).as_list();
    CHECK(out[0].as_int() == above);
    CHECK(out[1].as_int() == 3 * 999 * 1000 / 2);
  }
}
