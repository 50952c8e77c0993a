// The PhySL printer: canonical text that parses back to the same structure (and annotations), for a
// table of programs, hand-built trees the parser never makes, and random trees.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>

#include "larix/physl/parser.hpp"
#include "larix/physl/printer.hpp"
#include "larix/support/error.hpp"

using namespace larix::physl;

namespace {

Ast leaf(AstKind kind) {
  Ast ast;
  ast.kind = kind;
  return ast;
}
Ast integer(std::int64_t value) {
  Ast ast = leaf(AstKind::integer);
  ast.int_value = value;
  return ast;
}
Ast floating(double value) {
  Ast ast = leaf(AstKind::floating);
  ast.float_value = value;
  return ast;
}
Ast name(const std::string& text) {
  Ast ast = leaf(AstKind::identifier);
  ast.text = text;
  return ast;
}
Ast call(Ast callee, std::vector<Ast> args, std::string attribute = "") {
  Ast ast = leaf(AstKind::call);
  ast.callee = std::make_shared<const Ast>(std::move(callee));
  ast.args = std::move(args);
  ast.attribute = std::move(attribute);
  return ast;
}
Ast call(const std::string& callee, std::vector<Ast> args) { return call(name(callee), args); }

// Annotated names must come back at the same line and column.
bool same_annotations(const Ast& a, const Ast& b) {
  if (a.annotated != b.annotated) return false;
  if (a.annotated && (a.loc.line != b.loc.line || a.loc.col != b.loc.col)) return false;
  if ((a.callee == nullptr) != (b.callee == nullptr) || a.args.size() != b.args.size()) {
    return false;
  }
  if (a.callee && !same_annotations(*a.callee, *b.callee)) return false;
  for (std::size_t i = 0; i < a.args.size(); ++i) {
    if (!same_annotations(a.args[i], b.args[i])) return false;
  }
  return true;
}

// print -> parse gives the same tree, and printing is a fixed point.
void check_round_trip(const Ast& ast) {
  std::string text = print(ast);
  CAPTURE(text);
  Ast back;
  REQUIRE_NOTHROW(back = parse_expression(text, "<printed>"));
  CHECK(same_structure(back, ast));
  CHECK(same_annotations(back, ast));
  CHECK(print(back) == text);
}

void check_program_round_trip(const Program& program, int width) {
  std::string text = print_program(program, width);
  CAPTURE(text);
  CAPTURE(width);
  Program back;
  REQUIRE_NOTHROW(back = parse_program(text, "<printed>"));
  REQUIRE(back.expressions.size() == program.expressions.size());
  for (std::size_t i = 0; i < back.expressions.size(); ++i) {
    CHECK(same_structure(back.expressions[i], program.expressions[i]));
    CHECK(same_annotations(back.expressions[i], program.expressions[i]));
  }
  CHECK(print_program(back, width) == text);
}

// Random trees of every shape, including ones the parser never builds (a literal called, `__add`
// with three arguments, an annotated operator primitive).
class RandomAst {
 public:
  explicit RandomAst(unsigned seed) : rng_(seed) {}

  Ast expression(int depth) {
    if (depth == 0 || pick(4) == 0) return leaf_node();
    switch (pick(7)) {
      case 0:
      case 1: {
        static const char* binary[] = {"__or", "__and", "__eq",  "__ne",  "__lt",  "__le", "__gt",
                                       "__ge", "__add", "__sub", "__mul", "__div", "__mod"};
        return call(binary[pick(13)], {expression(depth - 1), expression(depth - 1)});
      }
      case 2: return call(pick(2) ? "__minus" : "__not", {expression(depth - 1)});
      case 3: {
        Ast callee = pick(5) == 0 ? expression(depth - 1) : identifier();
        std::string attribute;
        if (callee.kind == AstKind::identifier && pick(4) == 0) attribute = text("{}\n", 6, 1);
        return call(std::move(callee), items(depth), std::move(attribute));
      }
      case 4: {
        // Operator primitives the printer must keep in call form.
        std::vector<Ast> args = items(depth);
        Ast callee = name(pick(2) ? "__add" : "__minus");
        if (pick(2)) annotate(callee);
        return call(std::move(callee), std::move(args));
      }
      case 5: {
        Ast array = leaf(AstKind::array_literal);
        array.args = items(depth);
        return array;
      }
      default: {
        Ast list = leaf(AstKind::list_literal);
        list.args = items(depth);
        return list;
      }
    }
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  std::vector<Ast> items(int depth) {
    std::vector<Ast> args;
    for (int i = pick(4); i > 0; --i) args.push_back(expression(depth - 1));
    return args;
  }

  Ast leaf_node() {
    switch (pick(7)) {
      case 0: return leaf(AstKind::nil);
      case 1: {
        Ast boolean = leaf(AstKind::boolean);
        boolean.bool_value = pick(2);
        return boolean;
      }
      case 2: {
        static const std::int64_t special[] = {0,
                                               1,
                                               -1,
                                               42,
                                               std::numeric_limits<std::int64_t>::max(),
                                               std::numeric_limits<std::int64_t>::min()};
        if (pick(2)) return integer(special[pick(6)]);
        return integer(static_cast<std::int64_t>(rng_()) - (1LL << 31));
      }
      case 3: {
        static const double special[] = {0.0,
                                         -0.0,
                                         1.0,
                                         -1.5,
                                         0.1,
                                         1e-5,
                                         1e300,
                                         5e-324,
                                         std::numeric_limits<double>::infinity(),
                                         -std::numeric_limits<double>::infinity(),
                                         std::numeric_limits<double>::max()};
        if (pick(2)) return floating(special[pick(11)]);
        double value;
        do {  // any bit pattern but NaN, which PhySL cannot spell
          std::uint64_t bits = (std::uint64_t{rng_()} << 32) | rng_();
          std::memcpy(&value, &bits, sizeof value);
        } while (std::isnan(value));
        return floating(value);
      }
      case 4: {
        Ast string = leaf(AstKind::string);
        string.text = text("", 8, 0);
        return string;
      }
      default: return identifier();
    }
  }

  Ast identifier() {
    static const char* first = "abcxyzABC_";
    static const char* rest = "abcxyz_019";
    std::string text(1, first[pick(10)]);
    for (int i = pick(6); i > 0; --i) text += rest[pick(10)];
    if (text == "nil" || text == "true" || text == "false") text += "_";
    Ast ast = name(text);
    if (pick(3) == 0) annotate(ast);
    return ast;
  }

  void annotate(Ast& ast) {
    ast.annotated = true;
    ast.loc.file = std::make_shared<const std::string>("user.py");
    ast.loc.line = 1 + pick(100000);
    ast.loc.col = pick(3) == 0 ? 0 : 1 + pick(200);  // 0: $LINE without $COL
  }

  // Random bytes (any value except those in `banned`), up to `max_length` long.
  std::string text(const std::string& banned, int max_length, int min_length) {
    std::string out;
    for (int i = min_length + pick(max_length - min_length + 1); i > 0; --i) {
      char c;
      do {
        c = static_cast<char>(pick(256));
      } while (banned.find(c) != std::string::npos);
      out += c;
    }
    return out;
  }

  std::mt19937 rng_;
};

}  // namespace

TEST_CASE("printer: literals") {
  CHECK(print(leaf(AstKind::nil)) == "nil");
  Ast t = leaf(AstKind::boolean);
  t.bool_value = true;
  CHECK(print(t) == "true");
  CHECK(print(leaf(AstKind::boolean)) == "false");
  CHECK(print(integer(42)) == "42");
  CHECK(print(integer(-7)) == "-7");
  CHECK(print(integer(std::numeric_limits<std::int64_t>::min())) == "-9223372036854775808");
  struct FloatCase {
    double value;
    const char* text;
  };
  for (const FloatCase& c :
       {FloatCase{1.0, "1.0"}, FloatCase{-2.0, "-2.0"}, FloatCase{0.5, "0.5"},
        FloatCase{0.1, "0.1"}, FloatCase{1e-5, "1e-05"}, FloatCase{1e300, "1e+300"},
        FloatCase{1e22, "1e+22"}, FloatCase{123456789.0, "123456789.0"}, FloatCase{-0.0, "-0.0"},
        FloatCase{0.0, "0.0"}, FloatCase{5e-324, "5e-324"},
        FloatCase{std::numeric_limits<double>::infinity(), "1e999"},
        FloatCase{-std::numeric_limits<double>::infinity(), "-1e999"}}) {
    CAPTURE(c.value);
    CHECK(print(floating(c.value)) == c.text);
    check_round_trip(floating(c.value));
  }
  Ast s = leaf(AstKind::string);
  s.text = std::string("a\nb\tc\rd\\e\"f'g\0h", 15);
  CHECK(print(s) == R"("a\nb\tc\rd\\e\"f'g\0h")");
  check_round_trip(s);
}

TEST_CASE("printer: names, annotations, attributes, lists and arrays") {
  CHECK(print(name("x")) == "x");
  Program annotated = parse_program("define$3$4(x$5$0, y$7)", "t.physl", "user.py");
  CHECK(print(annotated.expressions[0]) == "define$3$4(x$5$0, y$7)");
  CHECK(print(parse_expression("store{fast}(x, 1)")) == "store{fast}(x, 1)");
  CHECK(print(parse_expression("[ ]")) == "[]");
  CHECK(print(parse_expression("'( )")) == "'()");
  CHECK(print(parse_expression("'(1,[2 , 3],'(\"s\"))")) == "'(1, [2, 3], '(\"s\"))");
}

TEST_CASE("printer: operators with the fewest correct parentheses") {
  struct Case {
    const char* in;
    const char* out;
  };
  for (const Case& c : {
           Case{"a+b*c", "a + b * c"},
           Case{"(a+b)*c", "(a + b) * c"},
           Case{"(a-b)-c", "a - b - c"},
           Case{"a-(b-c)", "a - (b - c)"},
           Case{"a/(b*c)", "a / (b * c)"},
           Case{"(a||b)&&c", "(a || b) && c"},
           Case{"a||(b&&c)", "a || b && c"},
           Case{"(a<b)==(c>=d)", "a < b == c >= d"},
           Case{"a<(b==c)", "a < (b == c)"},
           Case{"-(a+b)", "-(a + b)"},
           Case{"(-a)*b", "-a * b"},
           Case{"-(a*b)", "-(a * b)"},
           Case{"!(a&&b)", "!(a && b)"},
           Case{"!!a", "!!a"},
           Case{"-(-a)", "- -a"},
           Case{"-(1)", "-(1)"},
           Case{"-(1.5)", "-(1.5)"},
           Case{"-(-1)", "- -1"},
           Case{"--1", "- -1"},
           Case{"-(-0.0)", "- -0.0"},
           Case{"a - -1", "a - -1"},
           Case{"a - (-b)", "a - -b"},
           Case{"a-(-b-c)", "a - (-b - c)"},
           Case{"(-1) * x", "-1 * x"},
           Case{"!-1", "!-1"},
           Case{"f(a+b, -c)", "f(a + b, -c)"},
           Case{"[a+1, -1]", "[a + 1, -1]"},
       }) {
    CAPTURE(c.in);
    Ast ast = parse_expression(c.in);
    CHECK(print(ast) == c.out);
    check_round_trip(ast);
  }
}

TEST_CASE("printer: trees only a program builder makes still round-trip") {
  // Operator primitives with another arity, an attribute or an annotated callee print as calls.
  CHECK(print(call("__add", {name("a"), name("b"), name("c")})) == "__add(a, b, c)");
  CHECK(print(call("__minus", {name("a"), name("b")})) == "__minus(a, b)");
  CHECK(print(call("__not", {})) == "__not()");
  CHECK(print(call(name("__add"), {name("a"), name("b")}, "attr")) == "__add{attr}(a, b)");
  Ast annotated_op = name("__mul");
  annotated_op.annotated = true;
  annotated_op.loc = {std::make_shared<const std::string>("u.py"), 4, 3};
  CHECK(print(call(annotated_op, {name("a"), name("b")})) == "__mul$4$2(a, b)");
  // Callees that are not names are called through parentheses, except calls.
  CHECK(print(call(integer(1), {name("x")})) == "(1)(x)");
  CHECK(print(call(integer(-1), {})) == "(-1)()");
  CHECK(print(call(call("f", {integer(1)}), {integer(2)})) == "f(1)(2)");
  CHECK(print(call(call("__add", {name("a"), name("b")}), {name("c")})) == "(a + b)(c)");
  Ast array = leaf(AstKind::array_literal);
  CHECK(print(call(array, {})) == "([])()");
  // Operands that are operator calls in call form need no parentheses.
  CHECK(print(call("__mul", {call("__add", {name("a")}), name("b")})) == "__add(a) * b");
  for (const Ast& ast :
       {call("__add", {name("a"), name("b"), name("c")}), call("__minus", {name("a"), name("b")}),
        call(name("__add"), {name("a"), name("b")}, "attr"), call(annotated_op, {name("a")}),
        call(integer(1), {name("x")}), call(integer(-1), {}), call(array, {}),
        call(call("__add", {name("a"), name("b")}), {name("c")}),
        call("__minus", {integer(std::numeric_limits<std::int64_t>::min())}),
        call("__minus", {floating(-0.0)}), call("__minus", {floating(0.0)}),
        call("__sub", {integer(-1), integer(-1)}),
        call("__sub", {name("a"), call("__sub", {integer(-1), name("b")})})}) {
    check_round_trip(ast);
  }
}

TEST_CASE("printer: a table of programs round-trips through print and print_program") {
  const char* programs[] = {
      "",
      "nil",
      "true false",
      "42 -7 0",
      "1.0 1. .5 1e-5 2.5E+3 -0.0 1e999",
      R"("text" "esc\n\t\r\\\"\'\0")",
      "x _y z$1$0 w$12",
      "a + b * c - d / e % f",
      "a || b && c == d != e < f <= g > h >= i",
      "-x !y - -1 !-1 -(1) --x",
      "(a + b) * (c - d)",
      "a - (b - c) - (d - e)",
      "f() g(1) h(1, 2, 3)",
      "x(42)(1)",
      "(a + b)(c)",
      "store{fast}(x, 1)",
      "[] '() [[]] '('())",
      "[[1.0, 2.0], [3.0, 4.0]]",
      "'(1, \"two\", [3], '(4))",
      "[-1, 2, -3.5]",
      "block(define(fib, n, if(n < 2, n, fib(n-1) + fib(n-2))), fib)",
      "define(f, a, b, dot(a, b)) f",
      "define(f, a, b, dot(a, b))\nf(1, 2)\n-1",
      "f\n-x",
      "define$1$0(sum_squares, x, fold_left(lambda(a, b, a + b * b), 0.0, x))",
      "for_each(lambda(i, store(x, x + i)), range(10))",
      "while(i < 10, block(store(s, s + i), store(i, i + 1)))",
      "parallel_block(store(a, f(x)), store(b, g(y)))",
      "parallel_map(lambda(v, v * 2), list(1, 2, 3))",
      "fmap(lambda(x, x * x), '(1, 2, 3))",
      "slice(m, list(0, 2), list(1, nil))",
      "cumsum(x, __arg(axis, 0))",
      "dict(list(\"a\", 1), list(\"b\", 2))",
      "if(!(a < b) && c || d, -a, a % 3)",
      "lambda(x, -x * 2.5e-3 + 1.0 / (1.0 + exp(-x)))",
      "define$3$4(f$3$11, x$3$13, block(define$4$4(y$4$4, x$4$8 * 2), y$5$11))",
      "__add(a, b, c) __minus(a, b) __add$1$2(a, b)",
      "a + b + c + d + e + f + g + h + i + j + k + l + m + n + o + p + q + r + s + t + u + v + w",
      "long_function_name(another_long_argument_name, yet_another_argument(with_nested, calls_too),"
      " [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0])",
      "f(// a comment\n 1 /* two */, # three\n 3)",
  };
  for (const char* text : programs) {
    CAPTURE(text);
    Program program = parse_program(text, "table.physl", "user.py");
    for (const Ast& ast : program.expressions) check_round_trip(ast);
    for (int width : {1, 20, 40, 80, 100, 1000}) check_program_round_trip(program, width);
  }
}

TEST_CASE("print_program: one expression per line, long calls broken and indented") {
  Program fib = parse_program(
      "block(define(fib, n, if(n < 2, n, fib(n-1) + fib(n-2))), fib) fib(10)", "fib.physl");
  CHECK(print_program(fib) ==
        "block(define(fib, n, if(n < 2, n, fib(n - 1) + fib(n - 2))), fib)\nfib(10)\n");
  CHECK(print_program(fib, 50) ==
        "block(\n"
        "    define(\n"
        "        fib,\n"
        "        n,\n"
        "        if(n < 2, n, fib(n - 1) + fib(n - 2))\n"
        "    ),\n"
        "    fib\n"
        ")\n"
        "fib(10)\n");
  CHECK(print_program(parse_program("[[1, 2], [3, 4]] '(a, b)", "t"), 10) ==
        "[\n    [1, 2],\n    [3, 4]\n]\n'(a, b)\n");
  // After another expression, a leading '-' must not read as a binary minus.
  CHECK(print_program(parse_program("f (-1) (-x)", "t")) == "f\n(-1)\n(-x)\n");
  CHECK(print_program(Program{}).empty());
  // Infix operators stay on one line; their operands break.
  Program sum = parse_program("f(aaaaaaaa, bbbbbbbb) + g(cccccccc, dddddddd)", "t");
  CHECK(print_program(sum, 30) == "f(aaaaaaaa, bbbbbbbb) + g(\n    cccccccc,\n    dddddddd\n)\n");
}

// With comments: the same tree, every comment's text once and in the same order, a fixed point.
void check_comments_kept(const std::string& text, int width) {
  CAPTURE(text);
  CAPTURE(width);
  Program program = parse_program_with_comments(text, "in.physl");
  std::string printed = print_program(program, width);
  CAPTURE(printed);
  Program back;
  REQUIRE_NOTHROW(back = parse_program_with_comments(printed, "printed.physl"));
  REQUIRE(back.expressions.size() == program.expressions.size());
  for (std::size_t i = 0; i < back.expressions.size(); ++i) {
    CHECK(same_structure(back.expressions[i], program.expressions[i]));
  }
  REQUIRE(back.comments.size() == program.comments.size());
  for (std::size_t i = 0; i < back.comments.size(); ++i) {
    CHECK(back.comments[i].text == program.comments[i].text);
  }
  CHECK(print_program(back, width) == printed);
}

TEST_CASE("print_program keeps comments where the text had them") {
  const std::string lra =
      "// Logistic regression.\n"
      "// lra(x, y) -> w\n"
      "define(lra, x, y, block(   // the kernel\n"
      "    define(w, 0.0),  # weights\n"
      "    /* the loop */\n"
      "    while(w < 1.0, store(w, w + y)),\n"
      "    // the result\n"
      "    w\n"
      "    // after the result\n"
      "))\n"
      "lra  // entry\n"
      "// the end\n";
  CHECK(print_program(parse_program_with_comments(lra, "lra.physl")) ==
        "// Logistic regression.\n"
        "// lra(x, y) -> w\n"
        "define(\n"
        "    lra,\n"
        "    x,\n"
        "    y,\n"
        "    block(\n"
        "        // the kernel\n"
        "        define(w, 0.0), # weights\n"
        "        /* the loop */\n"
        "        while(w < 1.0, store(w, w + y)),\n"
        "        // the result\n"
        "        w\n"
        "        // after the result\n"
        "    )\n"
        ")\n"
        "lra // entry\n"
        "// the end\n");
  // A comment between two arguments stays between them; one inside an operator expression moves
  // to the next line break, never taking code after it into the comment.
  CHECK(print_program(parse_program_with_comments("f(a, /* b */ b)", "t")) ==
        "f(\n    a, /* b */\n    b\n)\n");
  CHECK(print_program(parse_program_with_comments("g(a + // x\n b, c)", "t")) ==
        "g(\n    a + b,\n    // x\n    c\n)\n");
  CHECK(print_program(parse_program_with_comments("// only a comment", "t")) ==
        "// only a comment\n");
  CHECK(print_program(parse_program_with_comments("f(/* nothing */)", "t")) ==
        "f() /* nothing */\n");
  // Without comments the output is the plain canonical form.
  CHECK(print_program(parse_program_with_comments("f( x )", "t")) == "f(x)\n");
  for (int width : {1, 30, 100}) {
    check_comments_kept(lra, width);
    check_comments_kept("f(a, /* b */ b) # c\n-1 // d", width);
    check_comments_kept("/* a */ [1, // one\n 2] '(x, /* y */ y)", width);
  }
}

TEST_CASE("property: fuzzed programs with comments keep them through print_program") {
  std::mt19937 rng(4242);
  const char* pieces[] = {"f", "g",   "x",     "(",      ")",       "(",     ")",     ",",
                          "[", "]",   "'(",    " ",      "\n",      "-",     "+",     "*",
                          "1", "nil", "y$3$4", "// c\n", "/* c */", "# h\n", "/*\n*/"};
  int kept = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    for (int i = rng() % 20; i > 0; --i) text += pieces[rng() % std::size(pieces)];
    try {
      parse_program(text, "fuzz.physl");
    } catch (const larix::Error&) {
      continue;
    }
    check_comments_kept(text, 100);
    check_comments_kept(text, 6);
    ++kept;
  }
  CHECK(kept > 100);
}

TEST_CASE("same_structure ignores positions but nothing else") {
  CHECK(same_structure(parse_expression("f(x, 1)"), parse_expression("  f( x ,1 )")));
  CHECK(same_structure(parse_expression("x$1$2"), parse_expression("x")));
  CHECK_FALSE(same_structure(parse_expression("1"), parse_expression("1.0")));
  CHECK_FALSE(same_structure(parse_expression("0.0"), parse_expression("-0.0")));
  CHECK_FALSE(same_structure(parse_expression("f{a}(x)"), parse_expression("f(x)")));
  CHECK_FALSE(same_structure(parse_expression("f(x)"), parse_expression("g(x)")));
  CHECK_FALSE(same_structure(parse_expression("f(x)"), parse_expression("f(x, y)")));
  CHECK_FALSE(same_structure(parse_expression("[1]"), parse_expression("'(1)")));
  CHECK_FALSE(same_structure(parse_expression("\"x\""), parse_expression("x")));
  CHECK(same_structure(floating(std::nan("")), floating(std::nan(""))));
  CHECK(parse_expression("f(x)").callee_name() == "f");
  CHECK(parse_expression("f(x)(y)").callee_name().empty());
  CHECK(parse_expression("x").callee_name().empty());
}

TEST_CASE("property: random trees round-trip through print and print_program") {
  RandomAst random(12345);
  for (int round = 0; round < 3000; ++round) {
    Ast ast = random.expression(round % 6 + 1);
    check_round_trip(ast);
    if (round % 10 == 0) {
      Program program;
      program.expressions = {ast, random.expression(3), random.expression(3)};
      for (int width : {1, 30, 100}) check_program_round_trip(program, width);
    }
  }
}

TEST_CASE("property: fuzzed programs that parse also round-trip") {
  std::mt19937 rng(777);
  const char* pieces[] = {"f",     "g",     "x",    "(",      ")",      "(", ")",   ",",
                          "[",     "]",     "'(",   " ",      "\n",     "-", "!",   "+",
                          "*",     "<=",    "==",   "&&",     "||",     "1", "2.5", "nil",
                          "\"s\"", "y$3$4", "h{a}", "// c\n", "/* c */"};
  int round_trips = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    for (int i = rng() % 16; i > 0; --i) text += pieces[rng() % std::size(pieces)];
    Program program;
    try {
      program = parse_program(text, "fuzz.physl");
    } catch (const larix::Error&) {
      continue;
    }
    CAPTURE(text);
    check_program_round_trip(program, 100);
    check_program_round_trip(program, 8);
    ++round_trips;
  }
  CHECK(round_trips > 100);
}
