// Scalar code (compiler/scalar_code.hpp, runtime/scalar_node.hpp) through the C++ facade: each
// program's value or error with ScalarNodes equals the generic path's, which is the same compiled
// program run with a profiler (its ScalarNodes then run their generic subtrees) and the program
// compiled without optimisation (no scalar code at all).
#include <doctest/doctest.h>

#include <string>

#include "larix/api/larix.hpp"

using namespace larix;

namespace {

// What a call gives: the value's type and text, or the error's kind, text (message, place,
// source line, PhySL stack) and location.
std::string outcome(const Program& program, const List& args, bool profiled = false) {
  try {
    Profiler profiler(static_cast<int>(program.compiled().nodes.size()));
    RunOptions options;
    if (profiled) options.profiler = &profiler;
    const Value v = program.call({args, {}}, options);
    return v.type_name() + " " + v.repr();
  } catch (const Error& e) {
    return std::string("error ") + error_kind_name(e.kind()) + " " + e.what();
  }
}

Program compile(const std::string& text, bool optimize = true) {
  return Program::compile(text, {.source_name = "scalar.physl", .optimize = optimize});
}

// The outcome with scalar code, checked against both generic references.
std::string same(const std::string& text, const List& args) {
  const Program program = compile(text);
  CHECK(program.dump_tree().find("scalar") != std::string::npos);
  const std::string got = outcome(program, args);
  CHECK(got == outcome(program, args, /*profiled=*/true));
  CHECK(got == outcome(compile(text, /*optimize=*/false), args));
  return got;
}

}  // namespace

TEST_CASE("scalar code: arithmetic and comparisons over ints, floats and bools") {
  const char* ops[] = {"__add", "__sub", "__mul", "__div", "__floordiv", "__mod", "power", "__eq",
                       "__ne",  "__lt",  "__le",  "__gt",  "__ge",       "__and", "__or",  "__xor"};
  const Value operands[] = {Value(0),         Value(3),         Value(-7),   Value(-1),
                            Value(INT64_MIN), Value(INT64_MAX), Value(2.5),  Value(-0.0),
                            Value(1e308),     Value(true),      Value(false)};
  for (const char* op : ops) {
    const std::string text = std::string("define(f, a, b, ") + op + "(a, b)) f";
    const Program program = compile(text);
    const Program generic = compile(text, false);
    for (const Value& a : operands)
      for (const Value& b : operands) {
        INFO(op << "(" << a.repr() << ", " << b.repr() << ")");
        const std::string got = outcome(program, {a, b});
        CHECK(got == outcome(generic, {a, b}));
        CHECK(got == outcome(program, {a, b}, true));
      }
  }
}

TEST_CASE("scalar code: int64 wraps where the generic path wraps, errors where it errs") {
  CHECK(same("define(f, a, b, a * b) f", {Value(std::int64_t{1} << 62), Value(4)}) == "int 0");
  CHECK(same("define(f, a, b, __floordiv(a, b)) f", {Value(INT64_MIN), Value(-1)}) ==
        "int " + std::to_string(INT64_MIN));
  const std::string zero = same("define(f, a, b, __mod(a, b)) f", {Value(5), Value(0)});
  CHECK(zero.find("error division by zero") == 0);
  CHECK(zero.find("scalar.physl:1:17: integer modulo by zero") != std::string::npos);
}

TEST_CASE("scalar code: loops, branches and blocks") {
  const std::string collatz =
      "define(steps, n, block(define(k, 0), while(n != 1, block("
      "if(n % 2 == 0, store(n, __floordiv(n, 2)), store(n, 3 * n + 1)), store(k, k + 1))), k)) "
      "steps";
  CHECK(same(collatz, {Value(27)}) == "int 111");
  const std::string sums =
      "define(f, n, block(define(s, 0.0), for(define(i, 0), i < n, store(i, i + 1), "
      "if(i > 2 && !(i == 5), store(s, s + i / 2), store(s, s - 1))), s)) f";
  CHECK(same(sums, {Value(10)}) == "float 14.5");
  // A variable defined in a branch not taken: the generic path's error, at the read.
  const std::string unbound = same("define(f, a, block(if(a, define(x, 1)), x + 1)) f", {Value(0)});
  CHECK(unbound.find("scalar.physl:1:41: variable 'x' is used before it is defined") !=
        std::string::npos);
}

TEST_CASE("scalar code: recursion, the depth limit and PhySL stacks") {
  const std::string fib = "define(fib, n, if(n < 2, n, fib(n - 1) + fib(n - 2))) fib";
  CHECK(same(fib, {Value(20)}) == "int 6765");
  // The generic reference spawns nothing here only on one thread or the reference executor (a
  // task starts a fresh call depth).
  const std::string down = "define(down, n, if(n == 0, 0, 1 + down(n - 1))) down";
  CHECK(same(down, {Value(500)}) == "int 500");
  if (threads() == 1 || Runtime::instance().settings().sync) {
    // The body of the existing deep-recursion test: the generic reference's 1000 nested calls fit
    // the main thread's stack under the sanitizers too.
    const std::string deep = same("define(up, n, up(n + 1)) up", {Value(0)});
    CHECK(deep.find("maximum recursion depth exceeded (1000 nested calls) calling 'up'") !=
          std::string::npos);
  }
  const std::string nested =
      "define(f, n, block(define(g, k, __floordiv(10, k)), define(h, k, g(k - 1) + 1), h(n))) f";
  CHECK(same(nested, {Value(3)}) == "int 6");
  const std::string error = same(nested, {Value(1)});
  CHECK(error.find("in g called at scalar.physl:1:66") != std::string::npos);
}

TEST_CASE("scalar code: arrays, strings and lists take the kernels") {
  const Value x(Array::from_vector<double>({1.0, 2.0, 3.0}));
  CHECK(same("define(f, a, b, a * 2 + b) f", {x, Value(1)}).find("array(float64") == 0);
  CHECK(same("define(f, a, b, a + b) f", {Value("ab"), Value("cd")}) == "str abcd");
  CHECK(same("define(f, a, b, a - b) f", {Value("ab"), Value(1)}).find("error type") == 0);
  const std::string loop =
      "define(f, x, n, block(define(s, 0), define(i, 0), while(i < n, block(store(s, s + x), "
      "store(i, i + 1))), s)) f";
  const Program program = compile(loop);
  CHECK(outcome(program, {x, Value(3)}) == outcome(compile(loop, false), {x, Value(3)}));
  CHECK(outcome(program, {Value(2), Value(3)}) == "int 6");  // after an array: still right
}

TEST_CASE("scalar code: array elements are NumPy's scalars, boxed wherever they leave") {
  const Value f64(Array::from_vector<double>({1.0, 2.5, -4.0}));
  const Value f32(Array::from_vector<float>({0.5F, 1.5F, 3.0F}));
  const Value i64(Array::from_vector<std::int64_t>({INT64_MAX, 2, -3}));
  // A float64 element with a float32 one is float64; an int64 element wraps as int64.
  CHECK(same("define(f, x, y, i, __subscript(x, i) * __subscript(y, i)) f", {f32, f64, Value(1)}) ==
        "array(float64, ()) 3.75");
  CHECK(same("define(f, x, i, __subscript(x, i) + 1) f", {i64, Value(0)}) ==
        "array(int64, ()) " + std::to_string(INT64_MIN));
  // Left in the function's variable by a loop, and stored into it by a function it calls: array
  // code reading it afterwards sees float64 (float32 * it is float64).
  const std::string loop =
      "define(f, a, block(define(s, 0.0), define(n, shape(a, 0)), for(define(i, 0), i < n, "
      "store(i, i + 1), store(s, s + __subscript(a, i))), s)) f";
  CHECK(same(loop, {f64}) == "array(float64, ()) -0.5");
  const std::string outer =
      "define(f, a, block(define(s, 0.0), define(g, i, store(s, __subscript(a, i) * 2)), g(1), s)) "
      "f";
  CHECK(same(outer, {f64}) == "array(float64, ()) 5.0");
  CHECK(same("define(f, a, x, x * __subscript(a, 1)) f", {f64, f32}) ==
        "array(float64, (3,)) [1.25, 3.75, 7.5]");
  // A strided vector's elements (every other one of six).
  const Value every_other(
      Array::from_vector<double>({1, 100, 2, 100, 3, 100}).view(0, {3}, {2 * sizeof(double)}));
  const std::string weighted_sum =
      "define(f, x, block(define(s, 0.0), define(n, shape(x, 0)), for(define(i, 0), i < n, "
      "store(i, i + 1), store(s, s + __subscript(x, i) * (i + 1))), s)) f";
  CHECK(same(weighted_sum, {every_other}) == "array(float64, ()) 14.0");
  // Elements and row views of a transposed matrix (strides that are not C order's).
  const Value m(Array::from_vector<double>({0, 1, 2, 3, 4, 5}, {2, 3}).transpose());
  const std::string weighted =
      "define(f, m, block(define(t, 0.0), for(define(i, 0), i < 3, store(i, i + 1), "
      "for(define(j, 0), j < 2, store(j, j + 1), store(t, t + __subscript(m, i, j) * (i + 3 * "
      "j)))),"
      " t)) f";
  CHECK(same(weighted, {m}) == "array(float64, ()) 55.0");  // NumPy: sum of m[i, j] * (i + 3j)
  const std::string rows =
      "define(f, m, block(define(r, 0), for(define(i, 0), i < 3, store(i, i + 1), "
      "store(r, __subscript(m, i, nil))), r)) f";
  CHECK(same(rows, {m}) == "array(float64, (2,)) [2.0, 5.0]");
}

TEST_CASE("scalar code: element stores write in place only what no one else holds") {
  const Value a(Array::from_vector<double>({0.5, 1.5, 2.5}));
  // c holds the same value as b: the stores into b copy it first, c keeps the old elements.
  const std::string alias =
      "define(f, a, block(define(b, a * 1), define(c, b), define(k, 0), while(k < 3, block("
      "store(__subscript(b, k), k + 10), store(k, k + 1))), list(b, c))) f";
  CHECK(same(alias, {a}) == "list [[10.0, 11.0, 12.0], [0.5, 1.5, 2.5]]");
  // The argument is never written; a loop's int stores into float64 and int64 arrays.
  const std::string fill =
      "define(f, x, y, block(for(define(k, 0), k < 3, store(k, k + 1), block("
      "store(__subscript(x, k), k * k), store(__subscript(y, k), __subscript(y, k) * 3 + k))), "
      "list(x, y))) f";
  const Value y(Array::from_vector<std::int64_t>({INT64_MAX, 1, -2}));
  CHECK(same(fill, {a, y}) == "list [[0.0, 1.0, 4.0], [9223372036854775805, 4, -4]]");
  CHECK(a.as_array_ref().data<double>()[0] == 0.5);
}
