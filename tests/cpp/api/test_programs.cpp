// Whole PhySL programs through the C++ facade: the examples of the core issue, closures,
// recursion, errors with locations and PhySL stacks, and the compiler's dependency analysis.
#include <doctest/doctest.h>

#include <thread>

#include "larix/api/larix.hpp"
#include "larix/runtime/basic_nodes.hpp"

using namespace larix;

namespace {
Value run(const std::string& text, List args = {}) {
  return Program::compile(text, {.source_name = "test.physl"}).call({std::move(args), {}});
}

Error error_of(const std::string& text, List args = {}) {
  try {
    run(text, std::move(args));
  } catch (const Error& e) {
    return e;
  }
  FAIL("no error for: " << text);
  return Error(ErrorKind::internal, "unreachable");
}
}  // namespace

TEST_CASE("the core issue's example programs") {
  CHECK(
      run("block(define(fib, n, if(n < 2, n, fib(n-1) + fib(n-2))), fib)", {Value(10)}).as_int() ==
      55);
  CHECK(run("define(x, b, block(define(l, lambda(a, a + b)), l)) x(42)(1)").as_int() == 43);
  CHECK(run("fold_left(__add, 0, list(1, 2, 3, 4))").as_int() == 10);
}

TEST_CASE("variables, store, loops") {
  CHECK(run("define(s, 0) define(i, 0) while(i < 10, block(store(s, s + i), store(i, i + 1))) s")
            .as_int() == 45);
  CHECK(run("define(s, 0) for(define(i, 0), i < 5, store(i, i + 1), store(s, s + i)) s").as_int() ==
        10);
  CHECK(run("define(s, 0) for_each(lambda(x, store(s, s + x)), list(1, 2, 3)) s").as_int() == 6);
  CHECK(run("define(x, 42) x()").as_int() == 42);  // calling a variable gives its value
  CHECK(run("fmap(lambda(x, x * x), list(1, 2, 3))") == Value(List{Value(1), Value(4), Value(9)}));
  CHECK(run("parallel_map(lambda(x, x + 1), list(1, 2, 3))") ==
        Value(List{Value(2), Value(3), Value(4)}));
  CHECK(run("filter(lambda(x, x > 1), list(1, 2, 3))") == Value(List{Value(2), Value(3)}));
  CHECK(run("fold_right(lambda(x, acc, acc * 10 + x), 0, list(1, 2, 3))").as_int() == 321);
  CHECK(run("apply(lambda(a, b, a - b), list(5, 3))").as_int() == 2);
  CHECK(run("async(1 + 2) * 2").as_int() == 6);
}

TEST_CASE("keyword arguments and defaults") {
  CHECK(run("define(f, a, __arg(b, 10), a + b) f(1)").as_int() == 11);
  CHECK(run("define(f, a, __arg(b, 10), a + b) f(1, __arg(b, 2))").as_int() == 3);
  CHECK(run("define(f, a, __arg(b, 10), a - b) f(__arg(b, 1), __arg(a, 5))").as_int() == 4);
}

TEST_CASE("recursion keeps locals per call") {
  CHECK(run("define(f, n, block(define(k, n), if(n == 0, 0, block(f(n - 1), k)))) f(5)").as_int() ==
        5);
}

TEST_CASE("many calls of one program from several threads") {
  Program p = Program::compile("define(fib, n, if(n < 2, n, fib(n - 1) + fib(n - 2))) fib");
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        const std::int64_t n = 10 + t;
        std::int64_t a = 0, b = 1;
        for (int k = 0; k < n; ++k) b = std::exchange(a, b) + b;
        if (p.call({{Value(n)}, {}}).as_int() != a) ++wrong;
      }
    });
  for (auto& t : threads) t.join();
  CHECK(wrong == 0);
}

TEST_CASE("errors carry the failing node's location and the PhySL stack") {
  Error e = error_of("define(g, x, fold_left(__add, 0, x))\ndefine(h, y, g(y))\nh(5)");
  CHECK(e.kind() == ErrorKind::type);
  CHECK(e.loc().line == 1);
  CHECK(e.loc().col == 14);
  REQUIRE(e.stack().size() == 2);
  CHECK(e.stack()[0].function == "g");
  CHECK(e.stack()[0].call_site.line == 2);
  CHECK(e.stack()[1].function == "h");
  CHECK(e.stack()[1].call_site.line == 3);
  CHECK(e.source_line() == "define(g, x, fold_left(__add, 0, x))");
}

TEST_CASE("compile errors: unknown names, arity, keywords, syntax") {
  auto compile_error = [](const std::string& text) {
    try {
      Program::compile(text, {.source_name = "bad.physl"});
    } catch (const Error& e) {
      return e;
    }
    FAIL("no compile error for: " << text);
    return Error(ErrorKind::internal, "unreachable");
  };
  Error unknown = compile_error("define(x, 1)\nfoo(x)");
  CHECK(unknown.kind() == ErrorKind::name);
  CHECK(unknown.loc().line == 2);
  CHECK(unknown.loc().col == 1);
  CHECK(std::string(unknown.what()).find("unknown function 'foo'") != std::string::npos);
  CHECK(std::string(unknown.what()).find("foo(x)\n    ^") != std::string::npos);
  CHECK(compile_error("if(1, 2, 3, 4)").kind() == ErrorKind::name);
  CHECK(compile_error("while(true, 1, __arg(bogus, 2))").kind() == ErrorKind::name);
  CHECK(compile_error("define(f, a, a) f(1, 2)").kind() == ErrorKind::name);
  CHECK(compile_error("block(1, 2").kind() == ErrorKind::syntax);
  CHECK(compile_error("store(y, 1)").kind() == ErrorKind::name);
  CHECK(compile_error("define(1, 2)").kind() == ErrorKind::syntax);
}

TEST_CASE("deep recursion is an error, not a crash") {
  Error e = error_of("define(f, n, f(n + 1)) f(0)");
  CHECK(e.kind() == ErrorKind::recursion);
  CHECK(std::string(e.what()).find("maximum recursion depth") != std::string::npos);
}

TEST_CASE("recursion exactly at the call depth limit works; one call deeper is an error") {
  // f(n) makes n + 1 nested calls. On the reference executor every call nests on one stack (on
  // the task executor a continuation may run on another thread's count, so only there is the
  // depth exact).
  const int limit = Runtime::instance().settings().max_call_depth;
  REQUIRE(limit == 1000);
  const Program p =
      Program::compile("define(f, n, if(n == 0, 0, 1 + f(n - 1))) f", {.source_name = "t.physl"});
  const RunOptions sync{.sync = true};
  CHECK(p.call({{Value(limit - 1)}, {}}, sync).as_int() == limit - 1);
  CHECK(p.call({{Value(3)}, {}}, sync).as_int() == 3);
  try {
    p.call({{Value(limit)}, {}}, sync);
    FAIL("no error at depth " << limit + 1);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::recursion);
    CHECK(e.message() == "maximum recursion depth exceeded (1000 nested calls) calling 'f'");
  }
}

TEST_CASE("the general closure call's recursion limit is exact too") {
  // The recursion above is scalar code, counted on its own path; one whose value is an array goes
  // through the general closure call. Its frames are bigger (a sanitizer build fills the native
  // stack before 1,000 of them), so the limit is lowered for this test.
  int& limit = Runtime::instance().settings().max_call_depth;
  struct Restore {
    int& limit;
    int saved;
    ~Restore() { limit = saved; }
  } restore{limit, limit};
  limit = 100;
  const Program p = Program::compile("define(g, n, if(n == 0, zeros(2), g(n - 1) + 1.0)) g",
                                     {.source_name = "t.physl"});
  const RunOptions sync{.sync = true};
  CHECK(p.call({{Value(99)}, {}}, sync).as_array_ref().item<double>(1) == 99.0);
  try {
    p.call({{Value(100)}, {}}, sync);
    FAIL("no error at depth 101");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::recursion);
    CHECK(e.message() == "maximum recursion depth exceeded (100 nested calls) calling 'g'");
  }
}

TEST_CASE("the compiler finds which statements of a block are independent") {
  // a and b independent; c reads both; d writes a (after c read it); cout statements are ordered.
  Program p = Program::compile(
      "define(a, 1)\ndefine(b, 2)\ndefine(c, a + b)\nstore(a, 5)\ncout(a)\ncout(b)\nc");
  const auto* root = dynamic_cast<const BlockNode*>(p.compiled().root.get());
  REQUIRE(root);
  const auto& deps = root->deps();
  REQUIRE(deps.size() == 7);
  CHECK(deps[0].empty());
  CHECK(deps[1].empty());
  CHECK(deps[2] == std::vector<int>{0, 1});
  CHECK(deps[3] == std::vector<int>{2});  // write after read (and after the define)
  CHECK(deps[4] == std::vector<int>{3});  // reads a
  CHECK(deps[5] == std::vector<int>{4});  // effect order (b was ready since statement 1... via 4)
  CHECK(deps[6] == std::vector<int>{2});
  CHECK(p.call().as_int() == 3);
}

TEST_CASE("optimisation passes keep results and simplify the program") {
  std::vector<std::pair<std::string, std::string>> dumps;
  Program p = Program::compile("define(f, x, (x * 2 + 1) * (x * 2 + 1) + (3 * 4)) f",
                               {.dump = [&](const std::string& pass, const std::string& text) {
                                 dumps.emplace_back(pass, text);
                               }});
  // By name, not position: the pipeline gains passes.
  auto after = [&](const std::string& pass) {
    for (const auto& [name, text] : dumps)
      if (name == pass) return text;
    return std::string("no dump after " + pass);
  };
  REQUIRE(dumps.front().first == "resolve");
  CHECK(dumps.back().first == "scalar_code");
  CHECK(after("constant_folding").find("12") != std::string::npos);  // 3 * 4 folded
  // The chain of operations around the common operand, one fused pass.
  CHECK(after("fuse_elementwise").find("__fused(lambda(") != std::string::npos);
  CHECK(after("cse").find("__cse") != std::string::npos);  // the square's operand, once
  CHECK(p.call({{Value(3)}, {}}).as_int() == 61);
  Program unoptimized = Program::compile(p.physl(), {.optimize = false});
  for (int x = -3; x <= 3; ++x)
    CHECK(p.call({{Value(x)}, {}}) == unoptimized.call({{Value(x)}, {}}));
  Program dead = Program::compile("define(unused, 1 + 2) define(k, 5) if(true, k, cout(\"never\"))",
                                  {.dump = [&](const std::string& pass, const std::string& text) {
                                    if (pass == "dead_code")
                                      CHECK(text.find("unused") == std::string::npos);
                                  }});
  CHECK(dead.call().as_int() == 5);
}

TEST_CASE("a call hands its kernels' RuntimeWarnings to the caller, once each, also when folded") {
  std::vector<std::string> warnings;
  // At run time: the divisor is an argument.
  const Program p = Program::compile("define(f, a, b, __floordiv(a, b) + __mod(a, b)) f");
  Array a = Array::from_vector<std::int64_t>({7, 8});
  Array b = Array::from_vector<std::int64_t>({0, 3});
  const Value v = p.call({{Value(a), Value(b)}, {}}, {.warnings = &warnings});
  CHECK(v.repr() == "[0, 4]");
  CHECK(warnings == std::vector<std::string>{"divide by zero encountered in floor_divide",
                                             "divide by zero encountered in remainder"});
  // Constant operands are not folded when the call would warn: the warning comes at run time.
  warnings.clear();
  const Program q = Program::compile("__floordiv([1, 2], 0)");
  CHECK(q.call({}, {.warnings = &warnings}).repr() == "[0, 0]");
  CHECK(warnings == std::vector<std::string>{"divide by zero encountered in floor_divide"});
  // No zero divisor, no warning; two Python ints still raise, as Python does.
  warnings.clear();
  CHECK(p.call({{Value(a), Value(std::int64_t{2})}, {}}, {.warnings = &warnings}).repr() ==
        "[4, 4]");
  CHECK(warnings.empty());
  CHECK_THROWS_AS(p.call({{Value(std::int64_t{1}), Value(std::int64_t{0})}, {}}), Error);
}

TEST_CASE("row blocks in one pass each: every block's part, many blocks per chunk") {
  // 3,601 x 37 float64 (1.02 MiB, fused) in blocks of 3 rows (row_block_bytes lowered): 1,201
  // blocks in 64 chunks, the last one a single row. Against a long-double reference of
  // X.T @ (X @ w - v).
  struct BlockBytes {
    std::int64_t saved = Runtime::instance().settings().row_block_bytes;
    BlockBytes() { Runtime::instance().settings().row_block_bytes = 3 * 37 * 8; }
    ~BlockBytes() { Runtime::instance().settings().row_block_bytes = saved; }
  } small_blocks;
  const std::int64_t rows = 3601, cols = 37;
  std::vector<double> x(rows * cols), w(cols), v(rows);
  for (std::int64_t i = 0; i < rows * cols; ++i) x[i] = double((i * 37) % 101) / 50.0 - 1.0;
  for (std::int64_t j = 0; j < cols; ++j) w[j] = double((j * 13) % 7) / 7.0 - 0.4;
  for (std::int64_t i = 0; i < rows; ++i) v[i] = double(i % 11) / 11.0;
  const Value got =
      run("define(f, x, w, v, __row_blocks_dot(x, w, lambda(a, b, u, dot(a, b) - u), false, v)) f",
          {Value(Array::from_vector<double>(x, {rows, cols})), Value(Array::from_vector<double>(w)),
           Value(Array::from_vector<double>(v))});
  const Array& g = got.as_array_ref();
  REQUIRE(g.shape() == Shape{cols});
  for (std::int64_t j = 0; j < cols; ++j) {
    long double want = 0;
    for (std::int64_t i = 0; i < rows; ++i) {
      long double z = 0;
      for (std::int64_t k = 0; k < cols; ++k) z += static_cast<long double>(x[i * cols + k]) * w[k];
      want += (z - v[i]) * x[i * cols + j];
    }
    CHECK(g.item<double>(j) == doctest::Approx(static_cast<double>(want)).epsilon(1e-12));
  }
}

TEST_CASE("functions made in a parallel loop see the variables as they are after it") {
  // h = make(49) reads the program's g; the lambda reads the function's i (50 after the loop)
  // and g: as a sequential loop leaves them, at any thread count.
  const Value got =
      run("define(g, 1.0) define(make, x, lambda(y, x + y + g))"
          "define(f, n, block(define(h, 0), define(k, 0), define(out, zeros(n)),"
          "  for(define(i, 0), i < n, store(i, i + 1),"
          "      block(store(h, make(i)), store(k, lambda(y, y + g + i)),"
          "            store(__subscript(out, i), i * 2.0))),"
          "  store(g, 100.0), list(h(0.0), k(0.0)))) f",
          {Value(std::int64_t{50})});
  CHECK(got.as_list()[0].as_double() == 149.0);
  CHECK(got.as_list()[1].as_double() == 150.0);
}
