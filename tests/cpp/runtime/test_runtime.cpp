// Futures, dataflow and blocks, driven with hand-built nodes (no compiler involved).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "../rendezvous.hpp"
#include "larix/runtime/basic_nodes.hpp"

using namespace larix;

namespace {

class MeetNode : public Node {
 public:
  explicit MeetNode(std::shared_ptr<Rendezvous> r) : Node("meet", {}), r_(std::move(r)) {}

 protected:
  Future eval_impl(Frame&) const override { return Value(r_->meet()); }

 private:
  std::shared_ptr<Rendezvous> r_;
};

class ThrowNode : public Node {
 public:
  ThrowNode() : Node("boom", SourceLoc{std::make_shared<const std::string>("t.physl"), 3, 7}) {}

 protected:
  Future eval_impl(Frame&) const override { user_error(ErrorKind::value, "boom"); }
};

Value run(const NodePtr& root, int slots = 0) {
  CallContext ctx;
  return ctx.run([&] {
    auto frame = std::make_shared<Frame>(slots, nullptr, ctx);
    return root->eval(*frame);
  });
}

}  // namespace

TEST_CASE("a ready future holds its value without shared state") {
  Future f(Value(std::int64_t{7}));
  CHECK(f.ready());
  CHECK(f.state() == nullptr);
  CHECK(f.value().as_int() == 7);
}

TEST_CASE("a promise fulfils its future and runs continuations in order") {
  Promise p;
  Future f = p.future();
  std::vector<int> order;
  f.on_ready([&] { order.push_back(1); });
  f.on_ready([&] { order.push_back(2); });
  CHECK_FALSE(f.ready());
  p.set_value(Value(2.5));
  CHECK(f.ready());
  CHECK(f.value().as_double() == 2.5);
  CHECK(order == std::vector<int>{1, 2});
  bool late = false;
  f.on_ready([&] { late = true; });  // already ready: runs at once
  CHECK(late);
}

TEST_CASE("a failed future rethrows its error") {
  Promise p;
  p.set_error(std::make_exception_ptr(Error(ErrorKind::index, "out of range")));
  CHECK_THROWS_AS(p.future().value(), Error);
}

TEST_CASE("two independent statements of a block run at the same time") {
  if (Runtime::instance().threads() < 2 || Runtime::instance().settings().sync) return;
  for (int round = 0; round < 3; ++round) {  // first runs (unknown cost) and measured runs
    auto r = std::make_shared<Rendezvous>();
    auto block = std::make_shared<BlockNode>(
        "block", std::vector<NodePtr>{std::make_shared<MeetNode>(r), std::make_shared<MeetNode>(r)},
        std::vector<std::vector<int>>{{}, {}}, SourceLoc{});
    auto list_of_both = std::make_shared<BlockNode>("block", std::vector<NodePtr>{block},
                                                    std::vector<std::vector<int>>{{}}, SourceLoc{});
    const auto start = std::chrono::steady_clock::now();
    Value v = run(list_of_both);
    CHECK(v.as_bool());  // the last statement met the first one
    CHECK(r->arrived == 2);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  }
}

TEST_CASE("a dependent statement waits for the one it depends on") {
  // Statement 1 depends on statement 0, which is slower: the log shows 0 finished first.
  struct LogNode : Node {
    std::shared_ptr<std::vector<int>> log;
    std::shared_ptr<std::mutex> m;
    int tag;
    LogNode(std::shared_ptr<std::vector<int>> l, std::shared_ptr<std::mutex> mm, int t)
        : Node("log", {}), log(std::move(l)), m(std::move(mm)), tag(t) {}
    Future eval_impl(Frame&) const override {
      std::this_thread::sleep_for(std::chrono::milliseconds(tag == 0 ? 50 : 0));
      std::lock_guard lock(*m);
      log->push_back(tag);
      return Value(tag);
    }
  };
  auto log = std::make_shared<std::vector<int>>();
  auto m = std::make_shared<std::mutex>();
  auto block =
      std::make_shared<BlockNode>("block",
                                  std::vector<NodePtr>{std::make_shared<LogNode>(log, m, 0),
                                                       std::make_shared<LogNode>(log, m, 1)},
                                  std::vector<std::vector<int>>{{}, {0}}, SourceLoc{});
  for (int round = 0; round < 3; ++round) {
    log->clear();
    CHECK(run(block).as_int() == 1);
    CHECK(*log == std::vector<int>{0, 1});
  }
}

TEST_CASE("a block whose first statement is pending gives its last statement's value") {
  // Statement 0 waits on a promise; 1 depends on it, 2 does not: the block becomes a dataflow of
  // the three, and its value is statement 2's once all are done (on every executor).
  struct PendingNode : Node {
    Promise promise;
    PendingNode() : Node("pending", {}) {}
    bool trivial() const override { return true; }  // evaluated here, never spawned
    Future eval_impl(Frame&) const override { return promise.future(); }
  };
  for (int round = 0; round < 3; ++round) {
    auto pending = std::make_shared<PendingNode>();
    auto block = std::make_shared<BlockNode>(
        "block",
        std::vector<NodePtr>{pending, std::make_shared<ConstantNode>(Value(2), SourceLoc{}),
                             std::make_shared<ConstantNode>(Value(3), SourceLoc{})},
        std::vector<std::vector<int>>{{}, {0}, {}}, SourceLoc{});
    CallContext ctx;
    Value v = ctx.run([&] {
      auto frame = std::make_shared<Frame>(0, nullptr, ctx);
      Future f = block->eval(*frame);
      CHECK_FALSE(f.ready());
      pending->promise.set_value(Value(1));
      return f;
    });
    CHECK(v.as_int() == 3);
  }
}

TEST_CASE("an error in a task reaches the caller with the node's location") {
  auto block = std::make_shared<BlockNode>(
      "block",
      std::vector<NodePtr>{std::make_shared<ThrowNode>(),
                           std::make_shared<ConstantNode>(Value(1), SourceLoc{})},
      std::vector<std::vector<int>>{{}, {}}, SourceLoc{});
  for (int round = 0; round < 3; ++round) {
    try {
      run(block);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::value);
      CHECK(e.loc().line == 3);
      CHECK(e.loc().col == 7);
      CHECK(std::string(e.what()).find("t.physl:3:7: boom") == 0);
    }
  }
}

TEST_CASE("dataflow runs its function once every input is ready") {
  CallContext ctx;
  Value v = ctx.run([&] {
    auto frame = std::make_shared<Frame>(0, nullptr, ctx);
    Promise a, b;
    Future result =
        dataflow(*frame, {a.future(), Future(Value(10)), b.future()}, [](std::vector<Value>& v) {
          return Future(Value(v[0].as_int() + v[1].as_int() + v[2].as_int()));
        });
    CHECK_FALSE(result.ready());
    a.set_value(Value(1));
    CHECK_FALSE(result.ready());
    b.set_value(Value(100));
    CHECK(result.ready());
    return result;
  });
  CHECK(v.as_int() == 111);
}

TEST_CASE("a deep chain of continuations does not overflow the stack") {
  // (The reference executor never has pending futures; this chain is built by hand.)
  if (Runtime::instance().settings().sync) return;
  CallContext ctx;
  Value v = ctx.run([&] {
    auto frame = std::make_shared<Frame>(0, nullptr, ctx);
    Promise first;
    Future f = first.future();
    for (int i = 0; i < 100000; ++i)
      f = dataflow(*frame, {f},
                   [](std::vector<Value>& v) { return Future(Value(v[0].as_int() + 1)); });
    first.set_value(Value(0));
    return f;
  });
  CHECK(v.as_int() == 100000);
}

TEST_CASE("a continuation that throws leaves the inline depth as it found it") {
  CallContext ctx;
  const int limit = ctx.settings().max_inline_depth;
  ctx.run([&] {
    const int before = CallContext::inline_depth();
    for (int i = 0; i < 2 * limit; ++i) {
      CHECK_THROWS_AS(ctx.run_continuation([] { user_error(ErrorKind::value, "boom"); }), Error);
      CHECK(CallContext::inline_depth() == before);
    }
    // Had the depth leaked, this one would be sent off as a task instead of running here, now.
    bool ran_here = false;
    const auto caller = std::this_thread::get_id();
    ctx.run_continuation([&] { ran_here = std::this_thread::get_id() == caller; });
    CHECK(ran_here);
    return Future(Value());
  });
}

TEST_CASE("a constant holding an object gives each thread an equal replica counted apart") {
  const Array memory = Array::from_vector<double>({1.5, 2.5});
  const Value list(List{Value(), Value(std::int64_t{3}), Value("axis"), Value(memory)});
  const auto node = std::make_shared<ConstantNode>(list, SourceLoc{});
  // Evaluated on the calling thread itself (a constant is never scheduled).
  auto read = [&node] {
    CallContext ctx;
    auto frame = std::make_shared<Frame>(0, nullptr, ctx);
    return node->eval(*frame).value();
  };
  const Value here = read(), again = read();
  CHECK(here == list);
  CHECK(&here.as_list() == &again.as_list());  // one replica per thread, made once
  CHECK(&here.as_list() != &list.as_list());
  const Array& element = here.as_list()[3].as_array_ref();
  CHECK(element.bytes() == memory.bytes());  // the same elements, a handle of their own
  CHECK(element.buffer() != memory.buffer());
  CHECK_FALSE(element.uniquely_owned());

  Value there;
  std::thread other([&] { there = read(); });
  other.join();
  CHECK(there == list);
  CHECK(&there.as_list() != &here.as_list());

  const auto number = std::make_shared<ConstantNode>(Value(2.5), SourceLoc{});
  CHECK(run(number).as_double() == 2.5);
}

TEST_CASE(
    "a parallel loop's frame copy: arrays as handles, the enclosing frames' functions moved") {
  CallContext ctx;
  auto code = std::make_shared<FunctionCode>();
  code->name = "g";
  auto program = std::make_shared<Frame>(2, nullptr, ctx);  // g and a global array
  program->slots()[0] = Value(
      std::shared_ptr<const Function>(std::make_shared<SelfClosure>(code, program, Signature{})));
  program->slots()[1] = Value(Array::from_vector<double>({1, 2}));
  auto loop = std::make_shared<Frame>(2, program, ctx);  // a local function and array
  loop->slots()[0] = Value(
      std::shared_ptr<const Function>(std::make_shared<SelfClosure>(code, loop, Signature{})));
  loop->slots()[1] = Value(Array::from_vector<double>({3, 4}));

  const FramePtr chunk = loop->clone();
  CHECK(chunk->is_loop_copy());
  Frame* copy = chunk->parent();
  REQUIRE(copy != nullptr);
  CHECK(copy != program.get());
  CHECK_FALSE(copy->is_loop_copy());
  // The program's function now runs below the copy; the loop frame's own stays as it was.
  CHECK(copy->slots()[0].function_ptr()->closure_parts().frame == copy);
  CHECK(chunk->slots()[0].function_ptr()->closure_parts().frame == loop.get());
  // Arrays: the same elements through handles of their own, at both levels.
  for (Frame* f : {copy, chunk.get()}) {
    const Array& a = f->slots()[1].as_array_ref();
    CHECK(a.shares_buffer());
    CHECK_FALSE(a.uniquely_owned());
  }
  CHECK(copy->slots()[1].as_array_ref().bytes() == program->slots()[1].as_array_ref().bytes());
  CHECK(chunk->slots()[1].as_array_ref().bytes() == loop->slots()[1].as_array_ref().bytes());

  // After the loop the copies hand their slots to the frames they copy: what a closure kept in
  // them reads (and writes) is the function's and the program's from then on.
  chunk->slots()[1] = Value(std::int64_t{7});
  chunk->retire_copies();
  CHECK(chunk->slots().data() == loop->slots().data());
  CHECK(copy->slots().data() == program->slots().data());
  program->slots()[1] = Value(2.5);
  CHECK(chunk->slot(1, 1).as_double() == 2.5);
  CHECK(loop->slots()[1].is_array());  // the chunk's own value stayed the chunk's
}
