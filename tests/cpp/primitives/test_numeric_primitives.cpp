// The numeric regular primitives (arithmetic, comparison, logic, exp, sum, dot, constant, shape,
// slice, __store_slice), called as a call binds them, outside any execution tree. Expected values
// are Python's or NumPy's; "numpy:" marks ones computed by NumPy 2.4 on this machine.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "larix/primitives/registry.hpp"
#include "larix/runtime/context.hpp"

using namespace larix;

namespace {

const PrimitiveInfo& prim(std::string_view name) {
  const PrimitiveInfo* p = Registry::instance().find(name);
  REQUIRE_MESSAGE(p != nullptr, "primitive not registered: ", std::string(name));
  return *p;
}

// Arguments are moved all the way to the kernel: an array passed in can stay uniquely owned.
Value run(std::string_view name, std::vector<Value> args) {
  const PrimitiveInfo& p = prim(name);
  std::vector<Value> values = bind_arguments(p.name, p.signature, CallArgs{std::move(args), {}});
  CallContext ctx(true);
  const SourceLoc loc;
  KernelArgs kernel_args(values, ctx, loc);
  return p.kernel(kernel_args);
}
Value run(std::string_view name, std::initializer_list<Value> args) {
  return run(name, std::vector<Value>(args));
}

Value I(std::int64_t v) { return Value(v); }
Value F(double v) { return Value(v); }
Value B(bool v) { return Value(v); }
Value S(const char* s) { return Value(s); }
Value L(std::initializer_list<Value> items) { return Value(List(items)); }
Value A(std::vector<double> v, Shape shape = {}) { return Value(Array::from_vector(v, shape)); }
Value AI(std::vector<std::int64_t> v, Shape shape = {}) {
  return Value(Array::from_vector(v, shape));
}
Value AF(std::vector<float> v) { return Value(Array::from_vector(v)); }

bool same(const Value& a, const Value& b) { return a.kind() == b.kind() && a == b; }
std::string repr(const Value& v) { return v.repr(); }

template <class F>
Error error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  FAIL("no error");
  return Error(ErrorKind::internal, "");
}

TypeInfo scalar_type(ValueKind kind) { return TypeInfo{.kind = kind}; }
TypeInfo array_type(DType dtype, Shape shape) {
  return TypeInfo{.kind = ValueKind::array, .dtype = dtype, .shape = std::move(shape)};
}

}  // namespace

TEST_CASE("arithmetic on Python scalars follows Python") {
  CHECK(same(run("__add", {I(2), I(3)}), I(5)));
  CHECK(same(run("__add", {B(true), B(true)}), I(2)));  // True + True == 2
  CHECK(same(run("__add", {I(1), F(0.5)}), F(1.5)));
  CHECK(same(run("__sub", {I(2), B(true)}), I(1)));
  CHECK(same(run("__mul", {F(1.5), I(2)}), F(3.0)));
  CHECK(same(run("__div", {I(7), I(2)}), F(3.5)));  // true division
  CHECK(same(run("__div", {I(6), I(3)}), F(2.0)));
  CHECK(same(run("__floordiv", {I(-7), I(2)}), I(-4)));
  CHECK(same(run("__floordiv", {F(-7.5), I(2)}), F(-4.0)));
  CHECK(same(run("__mod", {I(-7), I(3)}), I(2)));
  CHECK(same(run("__mod", {F(7.5), I(-2)}), F(-0.5)));
  CHECK(same(run("power", {I(2), I(10)}), I(1024)));
  CHECK(same(run("power", {I(2), I(-1)}), F(0.5)));  // Python: 2 ** -1 == 0.5
  CHECK(same(run("pow", {F(2.0), F(0.5)}), F(std::sqrt(2.0))));
  CHECK(same(run("__add", {I(INT64_MAX), I(1)}), I(INT64_MIN)));  // int64 wraps
  CHECK(same(run("__add", {I(1), I(2), I(3), I(4)}), I(10)));     // Phylanx's n-ary form
  CHECK(same(run("__sub", {I(10), I(1), I(2)}), I(7)));
  CHECK(same(run("__minus", {B(true)}), I(-1)));
  CHECK(same(run("negative", {F(2.5)}), F(-2.5)));
  CHECK(prim("true_divide").name == "__div");
  CHECK(prim("remainder").name == "__mod");
}

TEST_CASE("division by zero on Python scalars raises like Python") {
  struct Case {
    const char* op;
    Value a, b;
    const char* message;
  };
  const Case cases[] = {
      {"__div", I(1), I(0), "division by zero"},
      {"__div", F(1), F(0), "float division by zero"},
      {"__floordiv", I(1), I(0), "integer division or modulo by zero"},
      {"__floordiv", F(1), I(0), "float floor division by zero"},
      {"__mod", I(1), B(false), "integer modulo by zero"},
      {"__mod", F(1), F(0), "float modulo"},
      {"power", I(0), I(-1), "0.0 cannot be raised to a negative power"},
  };
  for (const Case& c : cases) {
    const Error e = error_of([&] { run(c.op, {c.a, c.b}); });
    CHECK(e.kind() == ErrorKind::zero_division);
    CHECK(e.message() == c.message);
  }
}

TEST_CASE("strings and lists: + concatenates, * repeats") {
  CHECK(same(run("__add", {S("ab"), S("cd")}), S("abcd")));
  CHECK(same(run("__add", {L({I(1)}), L({I(2), S("x")})}), L({I(1), I(2), S("x")})));
  CHECK(same(run("__mul", {S("ab"), I(3)}), S("ababab")));
  CHECK(same(run("__mul", {I(2), L({I(1), I(2)})}), L({I(1), I(2), I(1), I(2)})));
  CHECK(same(run("__mul", {L({I(1)}), I(-1)}), L({})));
  Error e = error_of([] { run("__add", {S("a"), I(1)}); });
  CHECK(e.kind() == ErrorKind::type);
  CHECK(e.message() == "can only concatenate str (not \"int\") to str");
  e = error_of([] { run("__sub", {S("a"), S("b")}); });
  CHECK(e.kind() == ErrorKind::type);
  CHECK(e.message() == "unsupported operand type(s) for -: 'str' and 'str'");
  CHECK(error_of([] { run("__mul", {S("a"), F(2.0)}); }).kind() == ErrorKind::type);
  CHECK(error_of([] { run("__add", {Value(), I(1)}); }).kind() == ErrorKind::type);
}

TEST_CASE("arithmetic with arrays: NumPy broadcasting and weak Python scalars") {
  // numpy: np.array([1.5], np.float32) * 2.0 -> float32 (the Python float is weak)
  Value r = run("__mul", {AF({1.5f}), F(2.0)});
  CHECK(r.as_array_ref().dtype() == DType::float32);
  CHECK(r.as_array_ref().item<float>() == 3.0f);
  // numpy: int64 array * 2.0 -> float64; bool array + 1 -> int64; int64 array + True -> int64
  CHECK(run("__mul", {AI({1, 2}), F(2.0)}).as_array_ref().dtype() == DType::float64);
  Array bools = Array::empty(DType::bool_, {2});
  bools.mutable_data<bool>()[0] = true;
  bools.mutable_data<bool>()[1] = false;
  r = run("__add", {Value(bools), I(1)});
  CHECK(r.as_array_ref().dtype() == DType::int64);
  CHECK(repr(r) == "[2, 1]");
  CHECK(run("__add", {AI({1}), B(true)}).as_array_ref().dtype() == DType::int64);
  // numpy: float32 array * np.float64(2) -> float64 (a 0-d array is strong)
  CHECK(run("__mul", {AF({1.5f}), Value(Array::scalar(2.0))}).as_array_ref().dtype() ==
        DType::float64);
  // A 0-d array with a Python scalar stays an array (NumPy scalar), 0-d
  r = run("__add", {Value(Array::scalar(std::int64_t{2})), I(3)});
  REQUIRE(r.is_array());
  CHECK(r.as_array_ref().ndim() == 0);
  CHECK(r.as_array_ref().item<std::int64_t>() == 5);
  // broadcasting, and a list meeting an array is np.asarray'd
  r = run("__add", {A({1, 2, 3, 4, 5, 6}, {2, 3}), A({10, 20, 30})});
  CHECK(repr(r) == "[[11.0, 22.0, 33.0], [14.0, 25.0, 36.0]]");
  CHECK(repr(run("__sub", {L({I(1), I(2)}), AI({1, 1})})) == "[0, 1]");
  CHECK(repr(run("__div", {AI({1, -7}), I(2)})) == "[0.5, -3.5]");
  CHECK(repr(run("__floordiv", {AI({-7, 7}), I(2)})) == "[-4, 3]");
  CHECK(repr(run("__minus", {A({1, -2})})) == "[-1.0, 2.0]");
  CHECK(repr(run("power", {AI({2, 3}), I(2)})) == "[4, 9]");
  const Error e = error_of([] { run("__add", {A({1, 2, 3, 4, 5, 6}, {2, 3}), A({1, 2, 3, 4})}); });
  CHECK(e.kind() == ErrorKind::value);
  CHECK(e.message() == "operands could not be broadcast together with shapes (2,3) (4,)");
  // An integer array divided by zero: 0, as NumPy (whose RuntimeWarning the call collects).
  CHECK(repr(run("__floordiv", {AI({1, -3}), I(0)})) == "[0, 0]");
  CHECK(repr(run("__mod", {AI({1, -3}), I(0)})) == "[0, 0]");
  CHECK(error_of([] { run("power", {AI({2}), I(-1)}); }).kind() == ErrorKind::value);
  CHECK(error_of([] { run("__minus", {Value(Array::scalar(true))}); }).kind() == ErrorKind::type);
  CHECK(error_of([] { run("__add", {AI({1}), S("x")}); }).kind() == ErrorKind::type);
}

TEST_CASE("comparisons") {
  CHECK(same(run("__lt", {I(1), F(2.5)}), B(true)));
  CHECK(same(run("__ge", {B(true), I(1)}), B(true)));
  CHECK(same(run("__eq", {I(1), F(1.0)}), B(true)));
  CHECK(same(run("__ne", {F(NAN), F(NAN)}), B(true)));
  CHECK(same(run("__eq", {F(NAN), F(NAN)}), B(false)));
  // Python compares int and float exactly: 2**53 + 1 > 2.0**53
  CHECK(same(run("__gt", {I((std::int64_t{1} << 53) + 1), F(9007199254740992.0)}), B(true)));
  CHECK(same(run("__lt", {S("abc"), S("abd")}), B(true)));
  CHECK(same(run("__le", {L({I(1), I(2)}), L({I(1), I(3)})}), B(true)));
  CHECK(same(run("__gt", {L({I(1), I(2)}), L({I(1)})}), B(true)));
  // == and != on non-numbers are structural and give a Python bool
  CHECK(same(run("__eq", {Value(), Value()}), B(true)));
  CHECK(same(run("__eq", {S("a"), I(1)}), B(false)));
  CHECK(same(run("__ne", {S("a"), I(1)}), B(true)));
  CHECK(same(run("__eq", {L({I(1), S("x")}), L({I(1), S("x")})}), B(true)));
  const Error e = error_of([] { run("__lt", {S("a"), I(1)}); });
  CHECK(e.kind() == ErrorKind::type);
  CHECK(e.message() == "'<' not supported between instances of 'str' and 'int'");
  // arrays: element-wise, with lists converted; numpy: np.array([1,2,3]) == [1,2,4]
  CHECK(repr(run("__eq", {AI({1, 2, 3}), L({I(1), I(2), I(4)})})) == "[True, True, False]");
  CHECK(repr(run("less", {A({1, 5}), I(3)})) == "[True, False]");
  // numpy: np.array([0.1, 0.2], np.float32) == 0.1 -> [True, False] (NEP 50: in float32)
  CHECK(repr(run("__eq", {AF({0.1f, 0.2f}), F(0.1)})) == "[True, False]");
  CHECK(repr(run("__eq", {AF({0.1f, 0.2f}), Value(Array::scalar(0.1))})) == "[False, False]");
  CHECK(run("__gt", {A({1, 2, 3, 4}, {2, 2}), A({0, 3})}).as_array_ref().shape() == Shape{2, 2});
}

TEST_CASE("logic") {
  CHECK(same(run("__and", {I(1), S("")}), B(false)));
  CHECK(same(run("__and", {I(1), F(2.0)}), B(true)));
  CHECK(same(run("__or", {Value(), L({I(1)})}), B(true)));
  CHECK(same(run("__or", {I(0), I(0), I(3)}), B(true)));
  CHECK(same(run("__xor", {B(true), I(1)}), B(false)));
  CHECK(same(run("__not", {I(0)}), B(true)));
  CHECK(same(run("logical_not", {S("x")}), B(false)));
  CHECK(repr(run("__and", {A({1, 0, 2}), B(true)})) == "[True, False, True]");
  CHECK(repr(run("__or", {AI({0, 0}), L({I(0), I(5)})})) == "[False, True]");
  CHECK(repr(run("logical_xor", {AI({1, 0}), AI({1, 1})})) == "[False, True]");
  CHECK(repr(run("__not", {A({0, 0.5})})) == "[True, False]");
}

TEST_CASE("exp") {
  Value r = run("exp", {I(0)});  // numpy: np.exp(0) -> np.float64(1.0), a NumPy scalar
  REQUIRE(r.is_array());
  CHECK(r.as_array_ref().ndim() == 0);
  CHECK(r.as_array_ref().item<double>() == 1.0);
  CHECK(run("exp", {AI({0, 1})}).as_array_ref().dtype() == DType::float64);
  CHECK(run("exp", {AF({0.5f})}).as_array_ref().item<float>() == 1.6487212181091309f);
  CHECK(repr(run("exp", {L({I(0), I(0)})})) == "[1.0, 1.0]");
  CHECK(error_of([] { run("exp", {S("x")}); }).kind() == ErrorKind::type);
  CHECK(prim("exp").doc.rfind("exp(x)\n\n", 0) == 0);
}

TEST_CASE("sum") {
  const Value m = AI({1, 2, 3, 4, 5, 6}, {2, 3});
  Value r = run("sum", {m});
  REQUIRE(r.is_array());
  CHECK(r.as_array_ref().ndim() == 0);
  CHECK(r.as_array_ref().item<std::int64_t>() == 21);
  CHECK(repr(run("sum", {m, I(0)})) == "[5, 7, 9]");
  CHECK(repr(run("sum", {m, I(-1), B(true)})) == "[[6], [15]]");
  CHECK(repr(run("sum", {m, L({I(0), I(1)})})) == "21");
  CHECK(repr(run("sum", {m, AI({1})})) == "[6, 15]");
  CHECK(run("sum", {m, Value(), B(false), S("float32")}).as_array_ref().dtype() == DType::float32);
  // numpy: np.sum([1, 2, 3]) -> np.int64(6); np.sum([True, True]) -> 2
  r = run("sum", {L({I(1), I(2), I(3)})});
  CHECK(r.as_array_ref().dtype() == DType::int64);
  CHECK(r.as_array_ref().item<std::int64_t>() == 6);
  CHECK(repr(run("sum", {L({B(true), B(true)})})) == "2");
  CHECK(repr(run("sum", {F(2.5)})) == "2.5");
  Error e = error_of([&] { run("sum", {m, I(2)}); });
  CHECK(e.kind() == ErrorKind::axis);
  CHECK(e.message() == "axis 2 is out of bounds for array of dimension 2");
  e = error_of([&] { run("sum", {m, L({I(1), I(-1)})}); });
  CHECK(e.kind() == ErrorKind::value);
  CHECK(error_of([&] {
          run("sum", {m, Value(), B(false), S("datetime64")});
        }).kind() == ErrorKind::type);
  CHECK(error_of([&] { run("sum", {S("abc")}); }).kind() == ErrorKind::type);
}

TEST_CASE("dot") {
  CHECK(repr(run("dot", {L({I(1), I(2)}), L({I(3), I(4)})})) == "11");
  CHECK(repr(run("dot", {A({1, 2, 3, 4}, {2, 2}), A({1, 1})})) == "[3.0, 7.0]");
  CHECK(repr(run("dot", {A({1, 2, 3, 4}, {2, 2}), A({1, 0, 0, 1}, {2, 2})})) ==
        "[[1.0, 2.0], [3.0, 4.0]]");
  CHECK(repr(run("dot", {I(2), I(3)})) == "6");
  // np.dot makes arrays of its arguments first: a Python float is strong here (float64)
  CHECK(run("dot", {AF({1, 2}), F(2.0)}).as_array_ref().dtype() == DType::float64);
  const Error e = error_of([] { run("dot", {A({1, 2, 3, 4, 5, 6}, {2, 3}), A({1, 2, 3, 4})}); });
  CHECK(e.kind() == ErrorKind::value);
  CHECK(e.message() == "shapes (2,3) and (4,) not aligned: 3 (dim 1) != 4 (dim 0)");
}

TEST_CASE("constant") {
  Value r = run("constant", {F(0.0), AI({3})});  // constant(0.0, [3])
  CHECK(r.as_array_ref().shape() == Shape{3});
  CHECK(r.as_array_ref().dtype() == DType::float64);
  r = run("constant", {I(1), L({I(2), I(3)})});  // constant(1, '(2, 3))
  CHECK(r.as_array_ref().shape() == Shape{2, 3});
  CHECK(r.as_array_ref().dtype() == DType::int64);
  CHECK(repr(r) == "[[1, 1, 1], [1, 1, 1]]");
  r = run("constant", {F(2.5)});
  CHECK(r.as_array_ref().ndim() == 0);
  CHECK(repr(r) == "2.5");
  CHECK(repr(run("constant", {I(1), I(2), S("float32")})) == "[1.0, 1.0]");
  CHECK(run("constant", {I(1), I(2), S("float32")}).as_array_ref().dtype() == DType::float32);
  CHECK(run("constant", {B(true), AI({2, 2})}).as_array_ref().dtype() == DType::bool_);
  CHECK(repr(run("constant", {F(1.9), I(2), S("int")})) == "[1, 1]");
  CHECK(run("constant", {I(0), I(0)}).as_array_ref().shape() == Shape{0});
  CHECK(error_of([] { run("constant", {I(1), I(-1)}); }).kind() == ErrorKind::value);
  CHECK(error_of([] { run("constant", {S("x"), I(2)}); }).kind() == ErrorKind::type);
  CHECK(error_of([] { run("constant", {I(1), I(2), S("object")}); }).kind() == ErrorKind::type);
}

TEST_CASE("shape") {
  const Value m = A({1, 2, 3, 4, 5, 6}, {2, 3});
  CHECK(same(run("shape", {m}), L({I(2), I(3)})));
  CHECK(same(run("shape", {m, I(-1)}), I(3)));
  CHECK(same(run("shape", {m, I(0)}), I(2)));
  CHECK(same(run("shape", {F(1.0)}), L({})));
  CHECK(same(run("shape", {L({L({I(1), I(2)}), L({I(3), I(4)}), L({I(5), I(6)})})}),
             L({I(3), I(2)})));
  const Error e = error_of([&] { run("shape", {m, I(2)}); });
  CHECK(e.kind() == ErrorKind::axis);
  CHECK(e.message() == "axis 2 is out of bounds for array of dimension 2");
}

TEST_CASE("slice: reading arrays and lists") {
  const Value v = AI({10, 11, 12});
  Value r = run("slice", {v, I(-1)});
  CHECK(r.as_array_ref().ndim() == 0);
  CHECK(repr(r) == "12");
  Error e = error_of([&] { run("slice", {v, I(5)}); });
  CHECK(e.kind() == ErrorKind::index);
  CHECK(e.message() == "index 5 is out of bounds for axis 0 with size 3");
  CHECK(repr(run("slice", {v, L({I(1), Value()})})) == "[11, 12]");
  CHECK(repr(run("slice", {v, L({Value(), Value(), I(-1)})})) == "[12, 11, 10]");
  CHECK(repr(run("slice", {v, L({I(-2), I(100)})})) == "[11, 12]");  // clamps, as Python
  CHECK(repr(run("slice", {v, L({I(2), I(1)})})) == "[]");
  CHECK(error_of([&] { run("slice", {v, L({I(0), I(3), I(0)})}); }).kind() == ErrorKind::value);
  // a range of an array is a view: same buffer, no copy
  r = run("slice", {v, L({I(1), I(3)})});
  CHECK(r.as_array_ref().buffer() == v.as_array_ref().buffer());
  // 2-d: rows, then columns
  const Value m = AI({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, {3, 4});
  CHECK(repr(run("slice", {m, I(1)})) == "[4, 5, 6, 7]");
  CHECK(repr(run("slice", {m, Value(), I(1)})) == "[1, 5, 9]");
  CHECK(repr(run("slice", {m, L({I(0), I(2)}), L({I(1), I(4), I(2)})})) == "[[1, 3], [5, 7]]");
  CHECK(repr(run("slice", {m, I(-1), I(-1)})) == "11");
  CHECK(repr(run("slice", {m, L({I(1)})})) == "[4, 5, 6, 7]");  // Phylanx: '(i) is i
  e = error_of([&] { run("slice", {v, I(0), I(0)}); });
  CHECK(e.kind() == ErrorKind::index);
  CHECK(e.message() == "too many indices for array: array is 1-dimensional, but 2 were indexed");
  CHECK(error_of([&] { run("slice", {v, S("a")}); }).kind() == ErrorKind::index);  // as numpy
  CHECK(same(run("slice", {v}), v));
  // lists
  const Value l = L({I(1), S("two"), L({I(3), I(4)})});
  CHECK(same(run("slice", {l, I(1)}), S("two")));
  CHECK(same(run("slice", {l, I(-1), I(0)}), I(3)));
  CHECK(same(run("slice", {l, L({I(0), I(2)})}), L({I(1), S("two")})));
  CHECK(
      same(run("slice", {L({L({I(1), I(2)}), L({I(3), I(4)})}), Value(), I(1)}), L({I(2), I(4)})));
  CHECK(error_of([&] { run("slice", {l, I(3)}); }).kind() == ErrorKind::index);
  CHECK(error_of([] { run("slice", {S("abc"), I(0)}); }).kind() == ErrorKind::type);
}

TEST_CASE("__store_slice: copy-on-write") {
  SUBCASE("a uniquely owned array is written in place") {
    Array a = Array::from_vector<double>({0, 1, 2, 3});
    const void* data = a.buffer()->data;
    std::vector<Value> args;
    args.push_back(Value(std::move(a)));
    args.push_back(I(7));
    args.push_back(I(1));
    const Value r = run("__store_slice", std::move(args));
    CHECK(repr(r) == "[0.0, 7.0, 2.0, 3.0]");
    CHECK(r.as_array_ref().buffer()->data == data);
  }
  SUBCASE("a shared array is copied first; the other holder sees no change") {
    const Value original = A({0, 1, 2, 3});
    const Value r = run("__store_slice", {original, A({8, 9}), L({I(2), Value()})});
    CHECK(repr(r) == "[0.0, 1.0, 8.0, 9.0]");
    CHECK(repr(original) == "[0.0, 1.0, 2.0, 3.0]");
    CHECK(r.as_array_ref().buffer() != original.as_array_ref().buffer());
  }
  SUBCASE("a borrowed (read-only) array is copied") {
    std::vector<double> memory{1, 2, 3};
    const Value borrowed(Array::borrow(memory.data(), DType::float64, {3}, {8}, nullptr));
    const Value r = run("__store_slice", {borrowed, F(0.5), I(0)});
    CHECK(repr(r) == "[0.5, 2.0, 3.0]");
    CHECK(memory[0] == 1.0);
  }
  SUBCASE("2-d: broadcast to the region, cast to the array's dtype") {
    const Value m = AI({0, 0, 0, 0, 0, 0}, {2, 3});
    CHECK(repr(run("__store_slice", {m, F(2.9), Value(), I(1)})) == "[[0, 2, 0], [0, 2, 0]]");
    CHECK(repr(run("__store_slice", {m, AI({1, 2, 3}), I(1)})) == "[[0, 0, 0], [1, 2, 3]]");
    CHECK(repr(run("__store_slice", {m, AI({1, 2, 3}, {1, 1, 3})})) == "[[1, 2, 3], [1, 2, 3]]");
    CHECK(repr(run("__store_slice", {m, L({I(5), I(6)}), L({Value(), Value(), I(-1)}), I(0)})) ==
          "[[6, 0, 0], [5, 0, 0]]");
    const Error e = error_of([&] { run("__store_slice", {m, AI({1, 2}), I(0)}); });
    CHECK(e.kind() == ErrorKind::value);
    CHECK(e.message() == "could not broadcast input array from shape (2,) into shape (3,)");
  }
  SUBCASE("the value may be a view of the target itself") {
    Array a = Array::from_vector<double>({0, 1, 2, 3});
    const Value view(a.view(8, {3}, {8}));  // [1, 2, 3]
    std::vector<Value> args;
    args.push_back(Value(std::move(a)));
    args.push_back(view);
    args.push_back(L({I(0), I(3)}));
    CHECK(repr(run("__store_slice", std::move(args))) == "[1.0, 2.0, 3.0, 3.0]");
  }
  SUBCASE("an error leaves the target where it was") {
    Array a = Array::from_vector<double>({0, 1});
    std::vector<Value> values;
    values.push_back(Value(std::move(a)));
    values.push_back(I(1));
    values.push_back(I(5));
    CallContext ctx(true);
    const SourceLoc loc;
    KernelArgs args(values, ctx, loc);
    CHECK(error_of([&] { prim("__store_slice").kernel(args); }).kind() == ErrorKind::index);
    CHECK(repr(values[0]) == "[0.0, 1.0]");
  }
  SUBCASE("lists and dicts") {
    const Value l = L({I(1), I(2), I(3)});
    CHECK(same(run("__store_slice", {l, S("x"), I(-1)}), L({I(1), I(2), S("x")})));
    CHECK(same(l, L({I(1), I(2), I(3)})));
    CHECK(
        same(run("__store_slice", {L({L({I(1), I(2)})}), I(9), I(0), I(1)}), L({L({I(1), I(9)})})));
    CHECK(same(run("__store_slice", {l, L({I(7)}), L({I(0), I(2)})}), L({I(7), I(3)})));
    CHECK(same(run("__store_slice", {l, L({I(7), I(8)}), L({Value(), Value(), I(2)})}),
               L({I(7), I(2), I(8)})));
    CHECK(error_of([&] {
            run("__store_slice", {l, L({I(7)}), L({Value(), Value(), I(2)})});
          }).kind() == ErrorKind::value);
    CHECK(error_of([&] { run("__store_slice", {l, I(0), I(3)}); }).kind() == ErrorKind::index);
    const Value d(Dict{{{S("a"), I(1)}}});
    CHECK(same(run("__store_slice", {d, I(2), S("a")}), Value(Dict{{{S("a"), I(2)}}})));
    CHECK(same(run("slice", {d, S("a")}), I(1)));
    CHECK(error_of([] {
            run("__store_subscript", {I(1), I(2), I(0)});
          }).kind() == ErrorKind::type);  // numpy: an int takes no item assignment
    // Phylanx: a number is a 0-d value, whose one element a store may set
    CHECK(repr(run("__store_slice", {I(1), I(2), I(0)})) == "2");
    CHECK(error_of([] { run("__store_slice", {I(1), I(2), I(1)}); }).kind() == ErrorKind::index);
  }
}

TEST_CASE("slice: Phylanx's selectors; __subscript: numpy's") {
  const Value v = AI({42, 43, 44});
  CHECK(repr(run("slice", {v, I(0), Value()})) == "42");  // a vector: the selector not nil
  CHECK(repr(run("slice", {v, Value(), I(-1)})) == "44");
  CHECK(error_of([&] { run("__subscript", {v, I(0), Value()}); }).kind() == ErrorKind::index);
  CHECK(repr(run("slice", {v, B(true), Value()})) == "[42, 43, 44]");  // all or nothing
  CHECK(repr(run("slice", {v, B(false), Value()})) == "[]");
  CHECK(run("__subscript", {v, B(true)}).as_array_ref().shape() == Shape{1, 3});  // numpy mask
  CHECK(repr(run("slice", {v, L({B(true), B(false), B(true)})})) == "[42, 44]");
  CHECK(repr(run("slice", {v, L({B(true)})})) == "[42, 43, 44]");
  CHECK(repr(run("slice", {v, L({})})) == "[42, 43, 44]");
  CHECK(repr(run("slice", {v, L({I(2), I(2), I(0), I(1)})})) == "[44, 44, 42, 43]");
  const Value s = F(2.5);
  CHECK(repr(run("slice", {s, I(-1)})) == "2.5");  // a 0-d value: its one element
  const Error e = error_of([&] { run("slice", {s, I(1)}); });
  CHECK(e.kind() == ErrorKind::index);
  CHECK(e.message().find("a 0-d value has one element") == 0);
  CHECK(error_of([&] { run("__subscript", {s, I(0)}); }).kind() == ErrorKind::index);
  // the writers read selectors as their readers do
  CHECK(repr(run("__store_slice", {v, I(7), B(false), Value()})) == "[42, 43, 44]");
  CHECK(repr(run("__store_slice", {v, I(7), Value(), I(1)})) == "[42, 7, 44]");
  CHECK(error_of([&] {
          run("__store_subscript", {v, I(7), Value(), I(1)});
        }).kind() == ErrorKind::index);
}

TEST_CASE("type rules agree with the kernels") {
  const auto& add = prim("__add").type_rule;
  TypeInfo t = add({array_type(DType::float32, {2, 3}), scalar_type(ValueKind::floating)});
  CHECK(t.kind == ValueKind::array);
  CHECK(t.dtype == DType::float32);
  CHECK(t.shape == Shape{2, 3});
  t = add({array_type(DType::bool_, {3}), scalar_type(ValueKind::integer)});
  CHECK(t.dtype == DType::int64);
  t = add({scalar_type(ValueKind::boolean), scalar_type(ValueKind::boolean)});
  CHECK(t.kind == ValueKind::integer);
  CHECK(prim("__div")
            .type_rule({scalar_type(ValueKind::integer), scalar_type(ValueKind::integer)})
            .kind == ValueKind::floating);
  t = prim("__div").type_rule({array_type(DType::int64, {2, 1}), array_type(DType::int64, {3})});
  CHECK(t.dtype == DType::float64);
  CHECK(t.shape == Shape{2, 3});
  CHECK(error_of([&] {
          add({array_type(DType::float64, {2}), array_type(DType::float64, {3})});
        }).kind() == ErrorKind::value);
  CHECK(add({scalar_type(ValueKind::list), array_type(DType::float64, {2})}).kind ==
        ValueKind::unbound);
  CHECK(error_of([&] {
          prim("__sub").type_rule({array_type(DType::bool_, {2}), array_type(DType::bool_, {2})});
        }).kind() == ErrorKind::type);
  t = prim("__lt").type_rule({array_type(DType::float32, {4}), scalar_type(ValueKind::floating)});
  CHECK(t.dtype == DType::bool_);
  CHECK(
      prim("__eq").type_rule({scalar_type(ValueKind::string), scalar_type(ValueKind::nil)}).kind ==
      ValueKind::boolean);
  t = prim("exp").type_rule({array_type(DType::int64, {5})});
  CHECK(t.dtype == DType::float64);
  t = prim("dot").type_rule({array_type(DType::float32, {2, 3}), array_type(DType::float32, {3})});
  CHECK(t.dtype == DType::float32);
  CHECK(t.shape == Shape{2});
  // sum: exact when the axis is known
  TypeInfo axis = scalar_type(ValueKind::integer);
  axis.value = I(0);
  TypeInfo keep = scalar_type(ValueKind::boolean);
  keep.value = B(true);
  t = prim("sum").type_rule(
      {array_type(DType::bool_, {2, 3}), axis, keep, scalar_type(ValueKind::nil)});
  CHECK(t.dtype == DType::int64);
  CHECK(t.shape == Shape{1, 3});
  t = prim("sum").type_rule({array_type(DType::float32, {2, 3}), scalar_type(ValueKind::nil), keep,
                             scalar_type(ValueKind::nil)});
  CHECK(t.shape == Shape{1, 1});
  CHECK(prim("sum")
            .type_rule({array_type(DType::float32, {2, 3}), scalar_type(ValueKind::integer), keep,
                        scalar_type(ValueKind::nil)})
            .kind == ValueKind::unbound);
  // the rule's answer is what the kernel returns
  const Value x = AI({1, 2, 3, 4, 5, 6}, {2, 3});
  const Value r = run("sum", {x, I(0), B(true)});
  CHECK(r.as_array_ref().shape() == Shape{1, 3});
}

TEST_CASE("every numeric primitive has a docstring that starts with its signature") {
  for (const char* name :
       {"__add",    "__sub", "__mul", "__div",        "__floordiv", "__mod", "__minus",
        "power",    "__eq",  "__ne",  "__lt",         "__le",       "__gt",  "__ge",
        "__and",    "__or",  "__xor", "__not",        "exp",        "sum",   "dot",
        "constant", "shape", "slice", "__store_slice"}) {
    const PrimitiveInfo& p = prim(name);
    CHECK_MESSAGE(p.doc.rfind(p.name + "(", 0) == 0, name);
    CHECK_MESSAGE(p.doc.find("\n\n") != std::string::npos, name);
  }
}
