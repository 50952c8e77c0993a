// The non-numeric regular primitives: lists, dicts, output, assert, strings, timer. Kernels are
// called the way a call binds them (bind_arguments fills defaults), outside any execution tree.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "larix/primitives/registry.hpp"
#include "larix/runtime/context.hpp"

namespace doctest {
template <>
struct StringMaker<larix::Value> {
  static String convert(const larix::Value& v) { return v.repr().c_str(); }
};
}  // namespace doctest

using namespace larix;

namespace {

const PrimitiveInfo& info(std::string_view name) {
  const PrimitiveInfo* p = Registry::instance().find(name);
  REQUIRE_MESSAGE(p != nullptr, "primitive not registered: ", std::string(name));
  return *p;
}

Value call(std::string_view name, std::vector<Value> args = {}) {
  const PrimitiveInfo& p = info(name);
  std::vector<Value> values = bind_arguments(p.name, p.signature, CallArgs{std::move(args), {}});
  CallContext ctx(true);
  const SourceLoc loc;
  KernelArgs kernel_args(values, ctx, loc);
  return p.kernel(kernel_args);
}

Value L(std::initializer_list<Value> items) { return Value(List(items)); }
Value D(std::initializer_list<std::pair<Value, Value>> items) { return Value(Dict{items}); }
Value I(std::int64_t v) { return Value(v); }
Value S(const char* s) { return Value(s); }

// Everything written to fd 1 (C stdio and all) while fn runs.
std::string capture_stdout(const std::function<void()>& fn) {
  std::fflush(stdout);
  FILE* tmp = std::tmpfile();
  const int saved = dup(1);
  dup2(fileno(tmp), 1);
  fn();
  std::fflush(stdout);
  dup2(saved, 1);
  close(saved);
  std::rewind(tmp);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, tmp)) > 0;) out.append(buf, n);
  std::fclose(tmp);
  return out;
}

}  // namespace

// The error `expr` throws must be of kind `kind_` with exactly `msg` as its message.
#define CHECK_ERROR(expr, kind_, msg)                                                            \
  do {                                                                                           \
    std::optional<Error> caught_;                                                                \
    try {                                                                                        \
      (void)(expr);                                                                              \
    } catch (const Error& e) {                                                                   \
      caught_ = e;                                                                               \
    }                                                                                            \
    CHECK_MESSAGE(caught_.has_value(), "no error from " #expr);                                  \
    if (caught_) {                                                                               \
      CHECK(std::string(error_kind_name(caught_->kind())) == error_kind_name(ErrorKind::kind_)); \
      CHECK(caught_->message() == std::string(msg));                                             \
    }                                                                                            \
  } while (false)

TEST_SUITE("list primitives") {
  TEST_CASE("list and make_list build a list of their arguments") {
    CHECK(call("list") == L({}));
    CHECK(call("list", {I(1), Value(2.5), S("a"), L({I(3)})}) ==
          L({I(1), Value(2.5), S("a"), L({I(3)})}));
    CHECK(&info("make_list") == &info("list"));
    CHECK(call("make_list", {I(1), I(2)}) == L({I(1), I(2)}));
    CHECK(info("list").pure);
  }

  TEST_CASE("append and prepend return new lists") {
    const Value l = L({I(1), I(2)});
    CHECK(call("append", {l, I(3)}) == L({I(1), I(2), I(3)}));
    CHECK(call("append", {L({}), L({})}) == L({L({})}));
    CHECK(call("prepend", {I(0), l}) == L({I(0), I(1), I(2)}));
    CHECK(call("prepend", {I(0), L({})}) == L({I(0)}));
    CHECK(l == L({I(1), I(2)}));  // unchanged
    CHECK_ERROR(call("append", {I(1), I(2)}), type, "argument 1 of append must be a list, not int");
    CHECK_ERROR(call("prepend", {l, I(2)}), type, "argument 2 of prepend must be a list, not int");
  }

  TEST_CASE("len of lists, dicts, strings and arrays") {
    CHECK(&info("len") == &info("__len"));
    CHECK(call("len", {L({I(1), I(2), I(3)})}) == I(3));
    CHECK(call("len", {L({})}) == I(0));
    CHECK(call("len", {D({{S("a"), I(1)}, {S("b"), I(2)}})}) == I(2));
    CHECK(call("len", {S("hello")}) == I(5));
    CHECK(call("len", {S("h\xc3\xa9llo")}) == I(5));  // code points, as Python
    CHECK(call("len", {Value(Array::from_vector<double>({1, 2, 3, 4, 5, 6}, {2, 3}))}) == I(2));
    CHECK(call("len", {Value(Array::from_vector<std::int64_t>({1, 2, 3}))}) == I(3));
    CHECK(call("len", {Value(Array::zeros(DType::float64, {0, 4}))}) == I(0));
    CHECK_ERROR(call("len", {Value(Array::scalar(1.0))}), type, "len() of unsized object");
    CHECK_ERROR(call("len", {I(3)}), type, "object of type 'int' has no len()");
    CHECK_ERROR(call("len", {Value()}), type, "object of type 'None' has no len()");
  }

  TEST_CASE("car and cdr") {
    const Value l = L({I(1), I(2), I(3)});
    CHECK(call("car", {l}) == I(1));
    CHECK(call("cdr", {l}) == L({I(2), I(3)}));
    CHECK(call("cdr", {L({I(1)})}) == L({}));
    CHECK(call("cadr", {l}) == I(2));
    CHECK(call("caddr", {l}) == I(3));
    CHECK(call("cddr", {l}) == L({I(3)}));
    CHECK(call("cdddr", {l}) == L({}));
    const Value nested = L({L({I(10), I(11)}), I(2)});
    CHECK(call("caar", {nested}) == I(10));
    CHECK(call("cdar", {nested}) == L({I(11)}));
    CHECK(call("cadar", {nested}) == I(11));
    CHECK_ERROR(call("car", {L({})}), index, "car(): car of an empty list");
    CHECK_ERROR(call("cdr", {L({})}), index, "cdr(): cdr of an empty list");
    CHECK_ERROR(call("cadr", {L({I(1)})}), index, "cadr(): car of an empty list");
    CHECK_ERROR(call("cddddr", {l}), index, "cddddr(): cdr of an empty list");
    CHECK_ERROR(call("car", {I(5)}), type, "car() argument must be a list, not int");
    CHECK_ERROR(call("cdr", {S("ab")}), type, "cdr() argument must be a list, not str");
    CHECK_ERROR(call("caar", {l}), type, "caar(): car of int, not of a list");
  }

  TEST_CASE("the whole c[ad]{1,4}r family agrees with nested car/cdr") {
    // A deep enough tree: every path of at most 4 steps stays inside lists.
    std::function<Value(int, std::int64_t)> tree = [&](int depth, std::int64_t tag) {
      if (depth == 0) return I(tag);
      List items;
      for (std::int64_t i = 0; i < 5; ++i) items.push_back(tree(depth - 1, tag * 10 + i));
      return Value(std::move(items));
    };
    const Value t = tree(4, 1);
    int count = 0;
    for (const auto& p : Registry::instance().all()) {
      const std::string& name = p->name;
      if (name.size() < 3 || name.front() != 'c' || name.back() != 'r' ||
          name.find_first_not_of("ad", 1) != name.size() - 1)
        continue;
      ++count;
      Value expected = t;
      for (std::size_t i = name.size() - 2; i >= 1; --i)
        expected = call(name[i] == 'a' ? "car" : "cdr", {expected});
      CHECK_MESSAGE(call(name, {t}) == expected, name);
      CHECK(p->signature.params.size() == 1);
      CHECK(p->doc.rfind(name + "(list)", 0) == 0);
    }
    CHECK(count == 2 + 4 + 8 + 16);
    for (const char* name : {"cddddr", "caaaar", "cadadr", "cdaddr"})
      CHECK(Registry::instance().find(name));
    CHECK(Registry::instance().find("caaaaar") == nullptr);
  }

  TEST_CASE("range follows Python") {
    CHECK(call("range", {I(4)}) == L({I(0), I(1), I(2), I(3)}));
    CHECK(call("range", {I(0)}) == L({}));
    CHECK(call("range", {I(-3)}) == L({}));
    CHECK(call("range", {I(2), I(5)}) == L({I(2), I(3), I(4)}));
    CHECK(call("range", {I(5), I(2)}) == L({}));
    CHECK(call("range", {I(1), I(10), I(3)}) == L({I(1), I(4), I(7)}));
    CHECK(call("range", {I(1), I(11), I(3)}) == L({I(1), I(4), I(7), I(10)}));
    CHECK(call("range", {I(5), I(0), I(-2)}) == L({I(5), I(3), I(1)}));
    CHECK(call("range", {I(5), I(-1), I(-1)}) == L({I(5), I(4), I(3), I(2), I(1), I(0)}));
    CHECK(call("range", {I(0), I(5), I(-1)}) == L({}));
    CHECK(call("range", {Value(true)}) == L({I(0)}));
    CHECK(call("range", {Value(Array::scalar<std::int64_t>(2))}) == L({I(0), I(1)}));
    CHECK(call("range", {I(0)}).as_list().empty());
    CHECK(call("range", {I(3)}).as_list()[0].is_int());
    for (std::int64_t start = -6; start <= 6; ++start)
      for (std::int64_t stop = -6; stop <= 6; ++stop)
        for (std::int64_t step = -4; step <= 4; ++step) {
          if (step == 0) continue;
          List expected;
          for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step)
            expected.push_back(I(i));
          CHECK(call("range", {I(start), I(stop), I(step)}) == Value(expected));
        }
    // No overflow near the ends of int64.
    constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t min = std::numeric_limits<std::int64_t>::min();
    CHECK(call("range", {I(max - 2), I(max)}) == L({I(max - 2), I(max - 1)}));
    CHECK(call("range", {I(0), I(max), I(std::int64_t{1} << 62)}) ==
          L({I(0), I(std::int64_t{1} << 62)}));
    CHECK(call("range", {I(min + 1), I(min), I(-1)}) == L({I(min + 1)}));
    CHECK(call("range", {I(max), I(min), I(min)}) == L({I(max), I(-1)}));
    CHECK_ERROR(call("range", {I(0), I(5), I(0)}), value, "range() arg 3 must not be zero");
    CHECK_ERROR(call("range", {Value(2.5)}), type,
                "'float' object cannot be interpreted as an integer");
    CHECK_ERROR(call("range", {I(0), S("a")}), type,
                "'str' object cannot be interpreted as an integer");
    CHECK_ERROR(call("range", {I(0), I(3), Value(1.0)}), type,
                "'float' object cannot be interpreted as an integer");
  }

  TEST_CASE("__contains is Python's in") {
    const Value l = L({I(1), S("a"), L({I(2)})});
    CHECK(call("__contains", {l, I(1)}) == Value(true));
    CHECK(call("__contains", {l, Value(1.0)}) == Value(true));  // 1.0 == 1
    CHECK(call("__contains", {l, S("a")}) == Value(true));
    CHECK(call("__contains", {l, L({I(2)})}) == Value(true));
    CHECK(call("__contains", {l, I(2)}) == Value(false));
    CHECK(call("__contains", {L({}), I(2)}) == Value(false));
    const Value d = D({{S("k"), I(1)}, {I(2), I(3)}});
    CHECK(call("__contains", {d, S("k")}) == Value(true));
    CHECK(call("__contains", {d, I(2)}) == Value(true));
    CHECK(call("__contains", {d, I(1)}) == Value(false));  // keys, not values
    CHECK(call("__contains", {S("hello"), S("ell")}) == Value(true));
    CHECK(call("__contains", {S("hello"), S("")}) == Value(true));
    CHECK(call("__contains", {S("hello"), S("le")}) == Value(false));
    const Value a = Value(Array::from_vector<double>({1.5, 2.0, 3.0}));
    CHECK(call("__contains", {a, I(2)}) == Value(true));
    CHECK(call("__contains", {a, Value(2.5)}) == Value(false));
    CHECK_ERROR(call("__contains", {S("hello"), I(1)}), type,
                "'in <string>' requires string as left operand, not int");
    CHECK_ERROR(call("__contains", {a, L({I(1)})}), type,
                "'in <array>' requires a scalar as left operand, not list");
    CHECK_ERROR(call("__contains", {I(5), I(1)}), type, "argument of type 'int' is not iterable");
  }
}

TEST_SUITE("dict primitives") {
  TEST_CASE("dict from a list of pairs") {
    CHECK(call("dict") == D({}));
    CHECK(call("dict", {Value()}) == D({}));
    CHECK(call("dict", {L({})}) == D({}));
    const Value d = call("dict", {L({L({S("a"), I(1)}), L({I(2), S("b")})})});
    CHECK(d == D({{S("a"), I(1)}, {I(2), S("b")}}));
    CHECK(d.repr() == "{'a': 1, 2: 'b'}");
    // A later pair overrides the value and keeps the first position, as Python.
    const Value e = call("dict", {L({L({S("x"), I(1)}), L({S("y"), I(2)}), L({S("x"), I(3)})})});
    CHECK(e.repr() == "{'x': 3, 'y': 2}");
    CHECK(call("dict", {d}) == d);
    CHECK_ERROR(call("dict", {I(3)}), type, "the argument of dict must be a list, not int");
    CHECK_ERROR(call("dict", {L({I(3)})}), type,
                "dict() expects a list of 2-element lists, found an element of type int");
    CHECK_ERROR(call("dict", {L({L({I(1), I(2), I(3)})})}), value,
                "dictionary update sequence element has length 3; 2 is required");
    CHECK_ERROR(call("dict", {L({L({L({I(1)}), I(2)})})}), type, "unhashable type: 'list'");
    CHECK_ERROR(call("dict", {L({L({D({}), I(2)})})}), type, "unhashable type: 'dict'");
    CHECK_ERROR(call("dict", {L({L({Value(Array::from_vector<double>({1, 2})), I(2)})})}), type,
                "unhashable type: 'numpy.ndarray'");
    // A NumPy scalar is hashable.
    CHECK(call("dict", {L({L({Value(Array::scalar<std::int64_t>(1)), I(2)})})})
              .as_dict()
              .items.size() == 1);
  }

  TEST_CASE("get returns the value or a default") {
    const Value d = D({{S("a"), I(1)}, {I(2), S("b")}});
    CHECK(&info("get") == &info("__dict_get"));
    CHECK(call("get", {d, S("a")}) == I(1));
    CHECK(call("get", {d, Value(2.0)}) == S("b"));  // 2.0 and 2 are the same key
    CHECK(call("get", {d, S("z")}).is_nil());
    CHECK(call("__dict_get", {d, S("z"), I(7)}) == I(7));
    CHECK_ERROR(call("get", {L({}), S("a")}), type, "argument 1 of get must be a dict, not list");
  }

  TEST_CASE("dict_keys, dict_values and dict_items keep insertion order") {
    const Value d = D({{S("b"), I(1)}, {S("a"), I(2)}});
    CHECK(call("dict_keys", {d}) == L({S("b"), S("a")}));
    CHECK(call("dict_values", {d}) == L({I(1), I(2)}));
    CHECK(call("dict_items", {d}) == L({L({S("b"), I(1)}), L({S("a"), I(2)})}));
    CHECK(call("dict_keys", {D({})}) == L({}));
    CHECK(call("dict_values", {D({})}) == L({}));
    CHECK(call("dict_items", {D({})}) == L({}));
    CHECK_ERROR(call("dict_keys", {I(1)}), type,
                "the argument of dict_keys must be a dict, not int");
    CHECK_ERROR(call("dict_values", {L({})}), type,
                "the argument of dict_values must be a dict, not list");
    CHECK_ERROR(call("dict_items", {S("x")}), type,
                "the argument of dict_items must be a dict, not str");
  }

  TEST_CASE("__dict_set returns a new dict") {
    const Value d = D({{S("a"), I(1)}, {S("b"), I(2)}});
    CHECK(call("__dict_set", {d, S("c"), I(3)}).repr() == "{'a': 1, 'b': 2, 'c': 3}");
    CHECK(call("__dict_set", {d, S("a"), I(9)}).repr() == "{'a': 9, 'b': 2}");
    CHECK(call("__dict_set", {D({}), I(1), L({})}).repr() == "{1: []}");
    CHECK(d.repr() == "{'a': 1, 'b': 2}");  // unchanged
    CHECK_ERROR(call("__dict_set", {d, L({}), I(1)}), type, "unhashable type: 'list'");
    CHECK_ERROR(call("__dict_set", {I(1), S("a"), I(1)}), type,
                "argument 1 of __dict_set must be a dict, not int");
  }

  TEST_CASE("__getitem on dicts and lists") {
    const Value d = D({{S("a"), I(1)}, {I(3), S("c")}});
    CHECK(call("__getitem", {d, S("a")}) == I(1));
    CHECK(call("__getitem", {d, Value(3.0)}) == S("c"));
    CHECK_ERROR(call("__getitem", {d, S("x")}), index, "KeyError: 'x'");
    CHECK_ERROR(call("__getitem", {d, I(4)}), index, "KeyError: 4");
    CHECK_ERROR(call("__getitem", {d, L({})}), type, "unhashable type: 'list'");
    const Value l = L({I(10), I(11), I(12)});
    CHECK(call("__getitem", {l, I(0)}) == I(10));
    CHECK(call("__getitem", {l, I(2)}) == I(12));
    CHECK(call("__getitem", {l, I(-1)}) == I(12));
    CHECK(call("__getitem", {l, I(-3)}) == I(10));
    CHECK(call("__getitem", {l, Value(true)}) == I(11));
    CHECK_ERROR(call("__getitem", {l, I(3)}), index, "list index out of range");
    CHECK_ERROR(call("__getitem", {l, I(-4)}), index, "list index out of range");
    CHECK_ERROR(call("__getitem", {L({}), I(0)}), index, "list index out of range");
    CHECK_ERROR(call("__getitem", {l, Value(1.0)}), type,
                "list indices must be integers or slices, not float");
    CHECK_ERROR(call("__getitem", {I(5), I(0)}), type, "'int' object is not subscriptable");
  }
}

TEST_SUITE("output, assert, strings, timer") {
  TEST_CASE("cout prints its arguments like Python's print") {
    CHECK(&info("print") == &info("cout"));
    CHECK_FALSE(info("cout").pure);
    CHECK(info("cout").effect);
    Value result = I(1);
    const std::string out = capture_stdout([&] {
      result = call("cout", {I(1), Value(2.5), S("text"), L({I(1), S("a")}), Value(), Value(true)});
    });
    CHECK(out == "1 2.5 text [1, 'a'] None True\n");
    CHECK(result.is_nil());
    CHECK(capture_stdout([] { call("print"); }) == "\n");
    CHECK(capture_stdout([] {
            call("print", {Value(Array::from_vector<double>({1, 2}))});
          }) == "[1.0, 2.0]\n");
  }

  TEST_CASE("concurrent cout lines do not interleave") {
    constexpr int threads = 8, lines = 200;
    const std::string out = capture_stdout([] {
      std::vector<std::thread> pool;
      for (int t = 0; t < threads; ++t) {
        pool.emplace_back([t] {
          const std::string word(50, static_cast<char>('a' + t));
          for (int i = 0; i < lines; ++i) call("cout", {Value(word), I(t), Value(word)});
        });
      }
      for (auto& th : pool) th.join();
    });
    int count = 0;
    std::size_t start = 0;
    for (std::size_t nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1) {
      const std::string line = out.substr(start, nl - start);
      const char c = line.empty() ? '?' : line[0];
      const std::string word(50, c);
      CHECK(line == word + " " + std::to_string(c - 'a') + " " + word);
      ++count;
    }
    CHECK(count == threads * lines);
    CHECK(start == out.size());
  }

  TEST_CASE("assert") {
    CHECK_FALSE(info("assert").pure);
    CHECK(info("assert").effect);
    CHECK(call("assert", {Value(true)}).is_nil());
    CHECK(call("assert", {I(1), S("never")}).is_nil());
    CHECK(call("assert", {L({I(0)})}).is_nil());
    CHECK(call("assert", {Value(Array::scalar(2.0))}).is_nil());
    CHECK_ERROR(call("assert", {Value(false)}), assertion, "assertion failed");
    CHECK_ERROR(call("assert", {I(0)}), assertion, "assertion failed");
    CHECK_ERROR(call("assert", {L({})}), assertion, "assertion failed");
    CHECK_ERROR(call("assert", {Value()}), assertion, "assertion failed");
    CHECK_ERROR(call("assert", {Value(false), S("x must be positive")}), assertion,
                "x must be positive");
    CHECK_ERROR(call("assert", {Value(false), I(42)}), assertion, "42");
    CHECK_ERROR(call("assert", {Value(Array::from_vector<double>({1, 2}))}), value,
                "the truth value of an array with more than one element is ambiguous. Use "
                "a.any() or a.all()");
  }

  TEST_CASE("format: Phylanx's fields (from 1) and printf conversions") {
    CHECK(call("format", {S("{2} {1}"), S("a"), S("b")}) == S("b a"));
    CHECK(call("format", {S("{:s}|{:d}|{:6.3lf}"), I(42), Value(42.9), Value(42.0)}) ==
          S("42|42|42.000"));
    CHECK(call("format", {S("{:-4s}|{:04x}"), S("ab"), I(255)}) == S("ab  |00ff"));
    CHECK_ERROR(call("format", {S("{0}"), I(1)}), index,
                "format(): fields count from 1 ({1} is the first argument)");
    CHECK_ERROR(call("format", {S("{:n}"), I(1)}), value,
                "format(): unknown conversion 'n' in '{:n}'");
    CHECK_ERROR(call("format", {S("{:d}"), S("x")}), type,
                "format(): '{:d}' takes a number, not a str");
  }

  TEST_CASE("__format (Python's str.format): placeholders") {
    CHECK(info("__format").signature.variadic);
    CHECK(call("__format", {S("no fields")}) == S("no fields"));
    CHECK(call("__format", {S("{} + {} = {}"), I(1), Value(2.5), Value(3.5)}) ==
          S("1 + 2.5 = 3.5"));
    CHECK(call("__format", {S("{1}{0}{1}"), S("a"), S("b")}) == S("bab"));
    CHECK(call("__format", {S("{{}} {{{}}}"), I(7)}) == S("{} {7}"));
    CHECK(call("__format", {S("{} {} {}"), L({I(1), S("x")}), Value(), Value(true)}) ==
          S("[1, 'x'] None True"));
    CHECK(call("__format", {S("{!r} {!s}"), S("a"), S("b")}) == S("'a' b"));
    CHECK(call("__format", {S("{1!r}{0!r}"), I(1), S("b")}) == S("'b'1"));
    CHECK(call("__format", {S("{}"), Value(Array::from_vector<std::int64_t>({1, 2}))}) ==
          S("[1, 2]"));
    CHECK(call("__format", {S("{}"), I(1), I(2)}) == S("1"));  // surplus arguments are ignored
    CHECK_ERROR(call("__format", {S("{")}), value, "Single '{' encountered in format string");
    CHECK_ERROR(call("__format", {S("a}b")}), value, "Single '}' encountered in format string");
    CHECK_ERROR(call("__format", {S("{}{}"), I(1)}), index,
                "Replacement index 1 out of range for positional args tuple");
    CHECK_ERROR(call("__format", {S("{3}"), I(1)}), index,
                "Replacement index 3 out of range for positional args tuple");
    CHECK_ERROR(call("__format", {S("{0}{}"), I(1)}), value,
                "cannot switch from manual field specification to automatic field numbering");
    CHECK_ERROR(call("__format", {S("{}{0}"), I(1)}), value,
                "cannot switch from automatic field numbering to manual field specification");
    CHECK_ERROR(call("__format", {S("{name}"), I(1)}), index, "KeyError: 'name'");
    CHECK_ERROR(call("__format", {S("{!x}"), I(1)}), value, "Unknown conversion specifier x");
    CHECK_ERROR(call("__format", {S("{:{}}"), I(1), I(2)}), value,
                "nested replacement fields in a format spec are not supported");
    CHECK_ERROR(call("__format", {I(5)}), type,
                "the format string (argument 1 of __format) must be a string, not int");
  }

  TEST_CASE("format: Python's format specs") {
    auto f = [](const char* fmt, Value v) {
      return call("__format", {S(fmt), std::move(v)}).as_string();
    };
    CHECK(f("{:.3f}", Value(3.14159)) == "3.142");
    CHECK(f("{:.3f}", I(2)) == "2.000");
    CHECK(f("{:10.2f}|", Value(3.14159)) == "      3.14|");
    CHECK(f("{:010.2f}", Value(-3.14159)) == "-000003.14");
    CHECK(f("{:=+10.2f}", Value(3.14159)) == "+     3.14");
    CHECK(f("{:.2e}", Value(12345.678)) == "1.23e+04");
    CHECK(f("{:E}", I(5)) == "5.000000E+00");
    CHECK(f("{:g}", Value(0.00001)) == "1e-05");
    CHECK(f("{:.1%}", Value(0.25)) == "25.0%");
    CHECK(f("{:,.2f}", Value(1234567.891)) == "1,234,567.89");
    CHECK(f("{:.3}", Value(100.0)) == "1e+02");
    CHECK(f("{:.3}", Value(12.0)) == "12.0");
    CHECK(f("{:.3}", Value(0.0001)) == "0.0001");
    CHECK(f("{:.1}", Value(1.0)) == "1e+00");
    CHECK(f("{:.6}", Value(12345.678)) == "12345.7");
    CHECK(f("{:8}|", Value(1.5)) == "     1.5|");
    CHECK(f("{:F}", Value(std::numeric_limits<double>::quiet_NaN())) == "NAN");
    CHECK(f("{:+.2f}", Value(-std::numeric_limits<double>::infinity())) == "-inf");
    CHECK(f("{:.0f}", Value(2.5)) == "2");
    CHECK(f("{:d}", I(42)) == "42");
    CHECK(f("{:+d}", I(42)) == "+42");
    CHECK(f("{: d}", I(42)) == " 42");
    CHECK(f("{:05d}", I(-5)) == "-0005");
    CHECK(f("{:<05}", I(5)) == "50000");
    CHECK(f("{:x}", I(255)) == "ff");
    CHECK(f("{:#X}", I(255)) == "0XFF");
    CHECK(f("{:#010x}", I(255)) == "0x000000ff");
    CHECK(f("{:x}", I(-255)) == "-ff");
    CHECK(f("{:b}", I(5)) == "101");
    CHECK(f("{:o}", I(8)) == "10");
    CHECK(f("{:,}", I(1234567)) == "1,234,567");
    CHECK(f("{:_x}", I(0x12345)) == "1_2345");
    CHECK(f("{:d}", I(std::numeric_limits<std::int64_t>::min())) == "-9223372036854775808");
    CHECK(f("{:d}", Value(true)) == "1");
    CHECK(f("{:>5}", Value(true)) == "    1");
    CHECK(f("{:>6}", S("ab")) == "    ab");
    CHECK(f("{:<6}|", S("ab")) == "ab    |");
    CHECK(f("{:^6}", S("ab")) == "  ab  ");
    CHECK(f("{:*^7}", S("ab")) == "**ab***");
    CHECK(f("{:=^9}", I(1)) == "====1====");
    CHECK(f("{:.2s}", S("abc")) == "ab");
    CHECK(f("{:05}", S("ab")) == "ab000");
    CHECK_ERROR(f("{:>6!r}", S("a")), value,  // after ':' all is spec, as in Python
                "Invalid format specifier '>6!r' for object of type 'str'");
    CHECK(f("{!r:>5}", S("a")) == "  'a'");
    CHECK(f("{:#.2g}", Value(99.99)) == "1.0e+02");
    CHECK(f("{:g}", Value(1e-5)) == "1e-05");
    CHECK(f("{:G}", Value(1e20)) == "1E+20");
    CHECK(f("{:#}", Value(1e22)) == "1.e+22");
    CHECK(f("{:06,}", I(0)) == "00,000");
    CHECK(f("{:=013,.7}", Value(0.5)) == "000,000,000.5");
    CHECK(f("{:c}", I(65)) == "A");
    CHECK(f("{:c}", I(0x20AC)) == "\xe2\x82\xac");
    CHECK(f("{:.2f}", Value(Array::scalar(1.005f))) == "1.00");
    CHECK(f("{:03d}", Value(Array::scalar<std::int64_t>(7))) == "007");
    CHECK_ERROR(f("{:d}", S("x")), value, "Unknown format code 'd' for object of type 'str'");
    CHECK_ERROR(f("{:d}", Value(1.5)), value, "Unknown format code 'd' for object of type 'float'");
    CHECK_ERROR(f("{:q}", I(1)), value, "Unknown format code 'q' for object of type 'int'");
    CHECK_ERROR(f("{:.2d}", I(1)), value, "Precision not allowed in integer format specifier");
    CHECK_ERROR(f("{:+s}", S("x")), value, "Sign not allowed in string format specifier");
    CHECK_ERROR(f("{: }", S("x")), value, "Space not allowed in string format specifier");
    CHECK_ERROR(f("{:#}", S("x")), value,
                "Alternate form (#) not allowed in string format specifier");
    CHECK_ERROR(f("{:,}", S("x")), value, "Cannot specify ',' with 's'.");
    CHECK_ERROR(f("{:,x}", I(1)), value, "Cannot specify ',' with 'x'.");
    CHECK_ERROR(f("{:c}", I(-1)), value, "%c arg not in range(0x110000)");
    CHECK_ERROR(f("{:+c}", I(65)), value, "Sign not allowed with integer format specifier 'c'");
    CHECK_ERROR(f("{:=5}", S("x")), value, "'=' alignment not allowed in string format specifier");
    CHECK_ERROR(f("{:.f}", Value(1.0)), value, "Format specifier missing precision");
    CHECK_ERROR(f("{:abc}", I(1)), value,
                "Invalid format specifier 'abc' for object of type 'int'");
    CHECK_ERROR(f("{:5}", L({})), type, "unsupported format string passed to list.__format__");
    CHECK_ERROR(f("{:5}", Value()), type,
                "unsupported format string passed to NoneType.__format__");
    CHECK_ERROR(f("{:5}", Value(Array::from_vector<double>({1, 2}))), type,
                "unsupported format string passed to numpy.ndarray.__format__");
  }

  TEST_CASE("string and str") {
    CHECK(&info("str") == &info("string"));
    CHECK(call("string", {I(42)}) == S("42"));
    CHECK(call("str", {Value(0.1)}) == S("0.1"));
    CHECK(call("str", {Value(1.0)}) == S("1.0"));
    CHECK(call("str", {S("raw")}) == S("raw"));
    CHECK(call("str", {Value(false)}) == S("False"));
    CHECK(call("str", {Value()}) == S("None"));
    CHECK(call("str", {L({I(1), S("a")})}) == S("[1, 'a']"));
    CHECK(call("str", {D({{S("k"), S("v")}})}) == S("{'k': 'v'}"));
    CHECK(call("str", {Value(Array::from_vector<double>({1, 2, 3, 4}, {2, 2}))}) ==
          S("[[1.0, 2.0], [3.0, 4.0]]"));
  }

  TEST_CASE("__clock is a steady clock in seconds") {
    const PrimitiveInfo& clock = info("__clock");
    CHECK_FALSE(clock.pure);
    CHECK_FALSE(clock.effect);
    CHECK(clock.signature.params.empty());
    CHECK_FALSE(clock.signature.variadic);
    const Value t0 = call("__clock");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const Value t1 = call("__clock");
    REQUIRE(t0.is_float());
    CHECK(t1.as_double() - t0.as_double() >= 0.019);
    CHECK(t1.as_double() - t0.as_double() < 5.0);
  }

  TEST_CASE("every primitive of these files has a docstring that starts with its call") {
    for (const char* name :
         {"list", "append", "prepend", "__len", "car", "range", "__contains", "dict", "__dict_get",
          "dict_keys", "dict_values", "dict_items", "__dict_set", "__getitem", "cout", "assert",
          "format", "string", "__clock"}) {
      const PrimitiveInfo& p = info(name);
      CHECK_MESSAGE(p.kind == PrimitiveKind::regular, name);
      CHECK_MESSAGE(bool(p.kernel), name);
      CHECK_MESSAGE(p.doc.find("(") != std::string::npos, name);
      CHECK_MESSAGE(p.doc.find("\n\n") != std::string::npos, name);
    }
  }
}
