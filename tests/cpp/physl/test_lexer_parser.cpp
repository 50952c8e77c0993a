// The PhySL lexer and parser: every literal, operator, call form and position, and the syntax
// errors with their exact line:col. "Must fail" cases sit beside the "must work" ones.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "larix/physl/lexer.hpp"
#include "larix/physl/parser.hpp"
#include "larix/support/error.hpp"

using namespace larix::physl;
using larix::Error;
using larix::ErrorKind;

namespace {

// A compact rendering of the structure: calls as (callee args...), arrays [..], lists '(..).
std::string sexpr(const Ast& ast) {
  auto items = [](const std::vector<Ast>& args) {
    std::string out;
    for (const Ast& arg : args) out += " " + sexpr(arg);
    return out;
  };
  switch (ast.kind) {
    case AstKind::nil: return "nil";
    case AstKind::boolean: return ast.bool_value ? "true" : "false";
    case AstKind::integer: return std::to_string(ast.int_value);
    case AstKind::floating: return "f" + std::to_string(ast.float_value);
    case AstKind::string: return "\"" + ast.text + "\"";
    case AstKind::identifier: return ast.text;
    case AstKind::call: {
      std::string attr = ast.attribute.empty() ? "" : "{" + ast.attribute + "}";
      return "(" + sexpr(*ast.callee) + attr + items(ast.args) + ")";
    }
    case AstKind::array_literal: return "[" + items(ast.args) + " ]";
    case AstKind::list_literal: return "'(" + items(ast.args) + " )";
  }
  return "?";
}

std::string tree(const std::string& text) { return sexpr(parse_expression(text)); }

std::string program_tree(const std::string& text) {
  std::string out;
  for (const Ast& ast : parse_program(text, "t.physl").expressions) out += sexpr(ast) + "; ";
  return out;
}

struct ExpectedError {
  std::string text;
  int line;
  int col;
  std::string fragment;  // must occur in the message
};

void check_error(const ExpectedError& expected) {
  CAPTURE(expected.text);
  bool thrown = false;
  try {
    parse_program(expected.text, "t.physl", "user.py");
  } catch (const Error& error) {
    thrown = true;
    CHECK(error.kind() == ErrorKind::syntax);
    CHECK(error.loc().file_name() == "t.physl");
    CHECK(error.loc().line == expected.line);
    CHECK(error.loc().col == expected.col);
    CHECK_MESSAGE(error.message().find(expected.fragment) != std::string::npos, error.message());
  }
  CHECK(thrown);
}

}  // namespace

TEST_CASE("lexer: token kinds, spellings and whitespace flags") {
  auto tokens = tokenize("f(x, 1) [2.5] '(\"s\") a$3$4 g{attr}(nil) <= ! != || && -");
  std::vector<TokenKind> kinds;
  for (const Token& token : tokens) kinds.push_back(token.kind);
  using K = TokenKind;
  CHECK(kinds == std::vector<K>{K::identifier, K::lparen,     K::identifier, K::comma,
                                K::integer,    K::rparen,     K::lbracket,   K::floating,
                                K::rbracket,   K::list_open,  K::string,     K::rparen,
                                K::identifier, K::identifier, K::lparen,     K::kw_nil,
                                K::rparen,     K::op,         K::op,         K::op,
                                K::op,         K::op,         K::op,         K::end});
  CHECK(tokens[1].space_before == false);
  CHECK(tokens[2].space_before == false);
  CHECK(tokens[4].space_before == true);
  CHECK(tokens[7].float_value == 2.5);
  CHECK(tokens[10].text == "s");
  CHECK(tokens[12].text == "a");
  CHECK(tokens[12].annotation_line == 3);
  CHECK(tokens[12].annotation_col == 4);
  CHECK(tokens[13].text == "g");
  CHECK(tokens[13].has_attribute);
  CHECK(tokens[13].attribute == "attr");
  CHECK(tokens[17].text == "<=");
  CHECK(tokens[18].text == "!");
  CHECK(tokens[19].text == "!=");
  CHECK(tokens[22].text == "-");
  CHECK(describe(tokens[0]) == "identifier 'f'");
  CHECK(describe(tokens[1]) == "'('");
  CHECK(describe(tokens.back()) == "end of input");
}

TEST_CASE("lexer: positions are 1-based line and column of the PhySL text") {
  auto tokens = tokenize("a\n  bc /* x\ny */ d\n\t e");
  REQUIRE(tokens.size() == 5);
  CHECK((tokens[0].line == 1 && tokens[0].col == 1));
  CHECK((tokens[1].line == 2 && tokens[1].col == 3));
  CHECK((tokens[2].line == 3 && tokens[2].col == 6));
  CHECK((tokens[3].line == 4 && tokens[3].col == 3));
  CHECK((tokens[4].line == 4 && tokens[4].col == 4));
}

TEST_CASE("literals: nil, booleans, integers") {
  CHECK(parse_expression("nil").kind == AstKind::nil);
  Ast t = parse_expression("true");
  CHECK((t.kind == AstKind::boolean && t.bool_value));
  Ast f = parse_expression("false");
  CHECK((f.kind == AstKind::boolean && !f.bool_value));
  Ast i = parse_expression("42");
  CHECK(i.kind == AstKind::integer);
  CHECK(i.int_value == 42);
  CHECK(parse_expression("0").int_value == 0);
  CHECK(parse_expression("007").int_value == 7);
  CHECK(parse_expression("9223372036854775807").int_value ==
        std::numeric_limits<std::int64_t>::max());
  Ast min = parse_expression("-9223372036854775808");
  CHECK(min.kind == AstKind::integer);
  CHECK(min.int_value == std::numeric_limits<std::int64_t>::min());
  // Names that merely start like a keyword are names.
  CHECK(parse_expression("nil_").kind == AstKind::identifier);
  CHECK(parse_expression("true2").kind == AstKind::identifier);
}

TEST_CASE("literals: floats in every spelling") {
  struct Case {
    const char* text;
    double value;
  };
  for (const Case& c :
       {Case{"1.0", 1.0}, Case{"1.", 1.0}, Case{".5", 0.5}, Case{"1e-5", 1e-5},
        Case{"2.5E+3", 2500.0}, Case{"1e5", 1e5}, Case{"1E5", 1e5}, Case{"0.1", 0.1},
        Case{"1.e2", 100.0}, Case{".5e1", 5.0}, Case{"-1.5", -1.5},
        Case{"1e999", std::numeric_limits<double>::infinity()}, Case{"1e-999", 0.0},
        Case{"4.9406564584124654e-324", 4.9406564584124654e-324},
        Case{"1.7976931348623157e308", 1.7976931348623157e308}}) {
    CAPTURE(c.text);
    Ast ast = parse_expression(c.text);
    CHECK(ast.kind == AstKind::floating);
    CHECK(ast.float_value == c.value);
  }
  Ast negative_zero = parse_expression("-0.0");
  CHECK(negative_zero.float_value == 0.0);
  CHECK(std::signbit(negative_zero.float_value));
}

TEST_CASE("literals: strings and their escapes") {
  CHECK(parse_expression(R"("hello")").text == "hello");
  CHECK(parse_expression(R"("")").text.empty());
  Ast escaped = parse_expression(R"("a\nb\tc\rd\\e\"f\'g\0h")");
  CHECK(escaped.kind == AstKind::string);
  CHECK(escaped.text == std::string("a\nb\tc\rd\\e\"f'g\0h", 15));
  CHECK(parse_expression("\"two\nlines\"").text == "two\nlines");
  CHECK(parse_expression("\"# not a comment // */\"").text == "# not a comment // */");
}

TEST_CASE("identifiers") {
  for (const char* name : {"x", "_", "_x1", "Abc_9", "__add", "define"}) {
    Ast ast = parse_expression(name);
    CHECK(ast.kind == AstKind::identifier);
    CHECK(ast.text == name);
    CHECK_FALSE(ast.annotated);
  }
}

TEST_CASE("operators: each one is a call of its primitive at the operator's position") {
  struct Case {
    const char* text;
    const char* primitive;
  };
  for (const Case& c : {Case{"a || b", "__or"}, Case{"a && b", "__and"}, Case{"a == b", "__eq"},
                        Case{"a != b", "__ne"}, Case{"a < b", "__lt"}, Case{"a <= b", "__le"},
                        Case{"a > b", "__gt"}, Case{"a >= b", "__ge"}, Case{"a + b", "__add"},
                        Case{"a - b", "__sub"}, Case{"a * b", "__mul"}, Case{"a / b", "__div"},
                        Case{"a % b", "__mod"}}) {
    CAPTURE(c.text);
    Ast ast = parse_expression(c.text);
    REQUIRE(ast.kind == AstKind::call);
    CHECK(ast.callee_name() == c.primitive);
    CHECK(ast.attribute.empty());
    REQUIRE(ast.args.size() == 2);
    CHECK(ast.args[0].text == "a");
    CHECK(ast.args[1].text == "b");
    CHECK(ast.loc.line == 1);
    CHECK(ast.loc.col == 3);
    CHECK(ast.callee->loc == ast.loc);
  }
  Ast minus = parse_expression("  -x");
  CHECK(minus.callee_name() == "__minus");
  CHECK(minus.loc.col == 3);
  REQUIRE(minus.args.size() == 1);
  CHECK(minus.args[0].text == "x");
  Ast negation = parse_expression("!x");
  CHECK(negation.callee_name() == "__not");
  REQUIRE(negation.args.size() == 1);
  // Compact spellings need no spaces.
  CHECK(tree("a<=b") == "(__le a b)");
  CHECK(tree("a>=-1") == "(__ge a -1)");
  CHECK(tree("a!=!b") == "(__ne a (__not b))");
}

TEST_CASE("operators: precedence and associativity") {
  struct Case {
    const char* text;
    const char* tree;
  };
  for (const Case& c : {
           Case{"a + b * c", "(__add a (__mul b c))"},
           Case{"a * b + c", "(__add (__mul a b) c)"},
           Case{"a - b - c", "(__sub (__sub a b) c)"},
           Case{"a / b / c", "(__div (__div a b) c)"},
           Case{"a - (b - c)", "(__sub a (__sub b c))"},
           Case{"a % b * c", "(__mul (__mod a b) c)"},
           Case{"a + b < c * d", "(__lt (__add a b) (__mul c d))"},
           Case{"a < b == c > d", "(__eq (__lt a b) (__gt c d))"},
           Case{"a == b != c", "(__ne (__eq a b) c)"},
           Case{"a || b && c", "(__or a (__and b c))"},
           Case{"a && b || c && d", "(__or (__and a b) (__and c d))"},
           Case{"a || b || c", "(__or (__or a b) c)"},
           Case{"a == b && c != d", "(__and (__eq a b) (__ne c d))"},
           Case{"-a * b", "(__mul (__minus a) b)"},
           Case{"!a && b", "(__and (__not a) b)"},
           Case{"!(a && b)", "(__not (__and a b))"},
           Case{"- -a", "(__minus (__minus a))"},
           Case{"!!a", "(__not (__not a))"},
           Case{"-f(x)", "(__minus (f x))"},
           Case{"a - -b", "(__sub a (__minus b))"},
           Case{"(a + b) * c", "(__mul (__add a b) c)"},
           Case{"a <= b + 1 && c", "(__and (__le a (__add b 1)) c)"},
       }) {
    CAPTURE(c.text);
    CHECK(tree(c.text) == c.tree);
  }
}

TEST_CASE("unary minus folds into a number literal directly after it") {
  CHECK(tree("-1") == "-1");
  CHECK(tree("- 1") == "-1");
  CHECK(tree("-1.5") == "f-1.500000");
  CHECK(tree("[-1, 2]") == "[ -1 2 ]");
  CHECK(tree("-(1)") == "(__minus 1)");
  CHECK(tree("--1") == "(__minus -1)");
  CHECK(tree("!-1") == "(__not -1)");
  CHECK(tree("-2 * 3") == "(__mul -2 3)");
  CHECK(tree("a-1") == "(__sub a 1)");
  CHECK(tree("a - -1") == "(__sub a -1)");
  CHECK(tree("f(-1, -x)") == "(f -1 (__minus x))");
  Ast folded = parse_expression("  -7");
  CHECK(folded.loc.col == 3);  // the literal is where its '-' is
}

TEST_CASE("calls: arguments, chained calls, attributes and the no-space rule") {
  CHECK(tree("f()") == "(f)");
  CHECK(tree("f(1, \"s\", [2], g(x))") == "(f 1 \"s\" [ 2 ] (g x))");
  CHECK(tree("f(\n  1,\n  2\n)") == "(f 1 2)");
  Ast chained = parse_expression("x(42)(1)");
  CHECK(sexpr(chained) == "((x 42) 1)");
  REQUIRE(chained.callee);
  CHECK(chained.callee->kind == AstKind::call);
  CHECK(chained.callee_name().empty());
  CHECK(chained.loc.col == 6);  // a call of a non-name is located at its '('
  CHECK(tree("f(1)(2)(3)") == "(((f 1) 2) 3)");
  CHECK(tree("(f)(x)") == "(f x)");
  CHECK(tree("(a + b)(c)") == "((__add a b) c)");

  Ast attributed = parse_expression("store{fast}(x, 1)");
  CHECK(attributed.callee_name() == "store");
  CHECK(attributed.attribute == "fast");
  CHECK(attributed.args.size() == 2);
  CHECK(parse_expression("f{a b, c=1}()").attribute == "a b, c=1");
  CHECK(parse_expression("f{x}(1)(2)").callee->attribute == "x");

  // Whitespace (or a comment) between a name and '(' separates two expressions.
  CHECK(program_tree("f (x)") == "f; x; ");
  CHECK(program_tree("f/**/(x)") == "f; x; ");
  CHECK(program_tree("f(x) (y)") == "(f x); y; ");
  CHECK(program_tree("f(x)\n(y)") == "(f x); y; ");
  // Literals are never called.
  CHECK(program_tree("1(2)") == "1; 2; ");
}

TEST_CASE("$LINE$COL annotations locate names in the user's file") {
  Program program = parse_program("define$3$4(x$5$0, y$7 + z)", "t.physl", "user.py");
  REQUIRE(program.expressions.size() == 1);
  const Ast& define = program.expressions[0];
  CHECK(define.callee_name() == "define");
  CHECK(define.callee->annotated);
  CHECK(define.callee->loc.file_name() == "user.py");
  CHECK(define.callee->loc.line == 3);
  CHECK(define.callee->loc.col == 5);  // Python's 0-based col_offset 4 is column 5
  CHECK(define.loc == define.callee->loc);
  const Ast& x = define.args[0];
  CHECK(x.text == "x");
  CHECK(x.annotated);
  CHECK((x.loc.line == 5 && x.loc.col == 1));
  const Ast& sum = define.args[1];
  CHECK(sum.loc.file_name() == "t.physl");  // operators are located in the PhySL text
  CHECK((sum.loc.line == 1 && sum.loc.col == 23));
  const Ast& y = sum.args[0];
  CHECK(y.text == "y");
  CHECK((y.loc.file_name() == "user.py" && y.loc.line == 7 && y.loc.col == 0));
  const Ast& z = sum.args[1];
  CHECK_FALSE(z.annotated);
  CHECK((z.loc.file_name() == "t.physl" && z.loc.line == 1 && z.loc.col == 25));

  // Without an origin file, annotations refer to the PhySL text's own name.
  Ast same = parse_expression("a$1$2", "k.physl");
  CHECK(same.loc.file_name() == "k.physl");
  CHECK(same.loc.str() == "k.physl:1:3");
  // An attribute may follow the annotation.
  Ast both = parse_expression("f$2$3{attr}(1)");
  CHECK(both.attribute == "attr");
  CHECK(both.loc.line == 2);
}

TEST_CASE("every node knows its position in the PhySL text") {
  Program program = parse_program("block(\n  [1, '(2.0, \"s\")],\n  nil\n)", "t.physl");
  const Ast& block = program.expressions[0];
  CHECK((block.loc.line == 1 && block.loc.col == 1));
  const Ast& array = block.args[0];
  CHECK((array.loc.line == 2 && array.loc.col == 3));
  CHECK((array.args[0].loc.line == 2 && array.args[0].loc.col == 4));
  const Ast& list = array.args[1];
  CHECK((list.loc.line == 2 && list.loc.col == 7));
  CHECK((list.args[0].loc.col == 9 && list.args[1].loc.col == 14));
  CHECK((block.args[1].loc.line == 3 && block.args[1].loc.col == 3));
  CHECK(block.args[1].loc.file_name() == "t.physl");
}

TEST_CASE("comments: //, /* */ and #") {
  CHECK(program_tree("// only a comment") == "");
  CHECK(program_tree("# only a comment\n") == "");
  CHECK(program_tree("/* only */") == "");
  CHECK(program_tree("f(1, // one\n 2 # two\n, /* three */ 3) // end") == "(f 1 2 3); ");
  CHECK(program_tree("/* multi\n line */ x") == "x; ");
  CHECK(program_tree("a /* * / */ + b") == "(__add a b); ");
  CHECK(program_tree("a / b // c") == "(__div a b); ");
}

TEST_CASE("array and list literals, nested and empty") {
  CHECK(tree("[]") == "[ ]");
  CHECK(tree("'()") == "'( )");
  CHECK(tree("[1, 2, 3]") == "[ 1 2 3 ]");
  CHECK(tree("[[1.0, 2.0], [3.0, 4.0]]") == "[ [ f1.000000 f2.000000 ] [ f3.000000 f4.000000 ] ]");
  CHECK(tree("'(1, '(), [], \"s\")") == "'( 1 '( ) [ ] \"s\" )");
  CHECK(tree("[a + 1, f(x), -2]") == "[ (__add a 1) (f x) -2 ]");
  CHECK(tree("[[[]]]") == "[ [ [ ] ] ]");
  Ast array = parse_expression("[1, 2]");
  CHECK(array.kind == AstKind::array_literal);
  Ast list = parse_expression("'(1)");
  CHECK(list.kind == AstKind::list_literal);
}

TEST_CASE("Phylanx programs") {
  Program fib =
      parse_program("block(define(fib, n, if(n < 2, n, fib(n-1) + fib(n-2))), fib)", "fib.physl");
  REQUIRE(fib.expressions.size() == 1);
  CHECK(sexpr(fib.expressions[0]) ==
        "(block (define fib n (if (__lt n 2) n (__add (fib (__sub n 1)) (fib (__sub n 2))))) fib)");

  Program two = parse_program("define(f, a, b, dot(a, b)) f", "f.physl");
  REQUIRE(two.expressions.size() == 2);
  CHECK(sexpr(two.expressions[0]) == "(define f a b (dot a b))");
  CHECK(sexpr(two.expressions[1]) == "f");
  CHECK((two.expressions[1].loc.line == 1 && two.expressions[1].loc.col == 28));

  CHECK(program_tree(R"(
    // logistic regression step, as the frontend writes it
    define$1$0(lr, X, y, alpha,
      block(
        define(w, constant(0.0, shape(X, 1))),
        for_each(lambda(i, store(w, w - alpha * dot(transpose(X), sigmoid(dot(X, w)) - y))),
                 range(10)),
        w))
    lr(x, y, 1e-3)
  )") == "(define lr X y alpha (block (define w (constant f0.000000 (shape X 1))) (for_each "
         "(lambda i (store w (__sub w (__mul alpha (dot (transpose X) (__sub (sigmoid (dot X w)) "
         "y)))))) (range 10)) w)); (lr x y f0.001000); ");
  CHECK(program_tree("cumsum(x, __arg(axis, 0))") == "(cumsum x (__arg axis 0)); ");
  CHECK(program_tree("slice(a, list(0, 2), nil)") == "(slice a (list 0 2) nil); ");
}

TEST_CASE("empty programs are fine; a single expression must be there") {
  CHECK(parse_program("", "t.physl").expressions.empty());
  CHECK(parse_program(" \n\t\r\n", "t.physl").expressions.empty());
  CHECK(parse_program("1 2 3", "t.physl").expressions.size() == 3);
  CHECK_THROWS_AS(parse_expression(""), Error);
  CHECK_THROWS_AS(parse_expression("1 2"), Error);
}

TEST_CASE("syntax errors name the expected and found tokens at the exact line:col") {
  for (const ExpectedError& e : {
           ExpectedError{"\"abc", 1, 1, "unterminated string literal"},
           ExpectedError{"f(1,\n  \"abc\\\"", 2, 3, "unterminated string literal"},
           ExpectedError{"x /* never closed", 1, 3, "unterminated comment"},
           ExpectedError{"define(f,\n  x", 2, 4,
                         "expected ')' to close the call of 'define' opened at 1:7, found end of "
                         "input"},
           ExpectedError{"define(", 1, 8,
                         "expected ')' to close the call of 'define' opened at 1:7, found end of "
                         "input"},
           ExpectedError{"f(1 2)", 1, 5,
                         "expected ',' or ')' to close the call of 'f' opened at 1:2, found "
                         "integer 2"},
           ExpectedError{"f(x)(1", 1, 7, "to close the call opened at 1:5"},
           ExpectedError{"(1 + 2", 1, 7, "expected ')' to close '(' opened at 1:1"},
           ExpectedError{"[1, 2", 1, 6, "expected ']' to close the array literal opened at 1:1"},
           ExpectedError{"'(1 2)", 1, 5, "expected ',' or ')' to close the list literal"},
           ExpectedError{"f(x))", 1, 5, "unmatched ')'"},
           ExpectedError{"\n  ]", 2, 3, "unmatched ']'"},
           ExpectedError{"f(1, 2,)", 1, 7, "trailing ',' before ')' in the call of 'f'"},
           ExpectedError{"[1,]", 1, 3, "trailing ',' before ']' in the array literal"},
           ExpectedError{"f(,)", 1, 3, "expected an expression, found ','"},
           ExpectedError{"()", 1, 2, "expected an expression, found ')'"},
           ExpectedError{"a +", 1, 4, "expected an expression, found end of input"},
           ExpectedError{"a + * b", 1, 5, "expected an expression, found '*'"},
           ExpectedError{"\"a\\qb\"", 1, 3, "unknown escape sequence '\\q'"},
           ExpectedError{"99999999999999999999", 1, 1, "does not fit in 64 bits"},
           ExpectedError{"f(9223372036854775808)", 1, 3, "does not fit in 64 bits"},
           ExpectedError{"-9223372036854775809", 1, 1, "does not fit in 64 bits"},
           ExpectedError{"1e", 1, 2, "expected digits in the exponent"},
           ExpectedError{"2.5e+", 1, 4, "expected digits in the exponent"},
           ExpectedError{"12abc", 1, 3, "unexpected 'a' after the number 12"},
           ExpectedError{"1.2.3", 1, 4, "unexpected '.' after the number 1.2"},
           ExpectedError{"a = b", 1, 3, "did you mean '=='"},
           ExpectedError{"a | b", 1, 3, "did you mean '||'"},
           ExpectedError{"a & b", 1, 3, "did you mean '&&'"},
           ExpectedError{"'x", 1, 1, "expected '(' after \"'\""},
           ExpectedError{"a @ b", 1, 3, "unexpected '@'"},
           ExpectedError{"a\x01", 1, 2, "unexpected byte 0x01"},
           ExpectedError{"x$", 1, 2, "expected a number after '$'"},
           ExpectedError{"x$1$", 1, 4, "expected a number after '$'"},
           ExpectedError{"x$1$2$3", 1, 6, "unexpected '$' after the annotation"},
           ExpectedError{"x$99999999999", 1, 3, "too large"},
           ExpectedError{"f{attr", 1, 2, "unterminated attribute"},
           ExpectedError{"f{attr} (x)", 1, 9, "expected '(' right after the attribute {attr}"},
           ExpectedError{"f{attr}", 1, 8, "found end of input"},
           ExpectedError{"nil{x}(1)", 1, 4, "unexpected '{'"},
       }) {
    check_error(e);
  }
}

TEST_CASE("a syntax error shows the PhySL line with a caret under the offending token") {
  try {
    parse_program("block(\n  f(1,, 2)\n)", "t.physl");
    FAIL("expected a syntax error");
  } catch (const Error& error) {
    CHECK(error.source_line() == "  f(1,, 2)");
    CHECK(std::string(error.what()) ==
          "t.physl:2:7: expected an expression, found ','\n      f(1,, 2)\n          ^");
  }
  try {
    parse_program("a\r\nb + )\r\n", "crlf.physl");
    FAIL("expected a syntax error");
  } catch (const Error& error) {
    CHECK(error.source_line() == "b + )");
    CHECK(error.loc().line == 2);
    CHECK(error.loc().col == 5);
  }
}

TEST_CASE("nesting too deep is an error, not a stack overflow") {
  auto nested = [](const std::string& open, const std::string& middle, const std::string& close,
                   int n) {
    std::string text;
    for (int i = 0; i < n; ++i) text += open;
    text += middle;
    for (int i = 0; i < n; ++i) text += close;
    return text;
  };
  auto too_deep = [](const std::string& text) {
    try {
      parse_program(text, "deep.physl");
    } catch (const Error& error) {
      return error.kind() == ErrorKind::syntax &&
             error.message().find("nesting too deep") != std::string::npos;
    }
    return false;
  };
  CHECK(too_deep(nested("(", "1", ")", 10000)));
  CHECK(too_deep(nested("[", "", "]", 10000)));
  CHECK(too_deep(nested("'(", "", ")", 10000)));
  CHECK(too_deep(nested("f(", "x", ")", 10000)));
  CHECK(too_deep(nested("-", "x", "", 10000)));
  CHECK(too_deep(nested("!", "x", "", 10000)));
  CHECK(too_deep(nested("(", "", "", 100000)));  // unclosed: still no overflow
  // Deep trees without deep recursion: long operator chains and chained calls.
  std::string chain = "x";
  for (int i = 0; i < 5000; ++i) chain += " + 1";
  CHECK(too_deep(chain));
  std::string calls = "f";
  for (int i = 0; i < 5000; ++i) calls += "()";
  CHECK(too_deep(calls));
  // The limit itself is usable.
  CHECK_NOTHROW(parse_program(nested("(", "1", ")", 900), "ok.physl"));
  CHECK_NOTHROW(parse_program(nested("f(", "1", ")", 900), "ok.physl"));
  std::string long_chain = "x";
  for (int i = 0; i < 900; ++i) long_chain += " * 2";
  CHECK_NOTHROW(parse_program(long_chain, "ok.physl"));
  // Wide is not deep.
  std::string wide = "block(";
  for (int i = 0; i < 20000; ++i) wide += "x, ";
  wide += "x)";
  CHECK(parse_program(wide, "wide.physl").expressions[0].args.size() == 20001);
}

TEST_CASE("fuzz: random bytes either parse or raise larix::Error") {
  std::mt19937 rng(20240601);
  const std::string alphabet = "()[]{},'\"\\$#/*-+!<>=&|%.eE_ \n\tfxn0123456789";
  int parsed = 0, rejected = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    int length = std::uniform_int_distribution<int>(0, 48)(rng);
    for (int i = 0; i < length; ++i) {
      // Mostly PhySL's own characters, so that the parser gets past the first token; some raw
      // bytes.
      if (rng() % 8 == 0) {
        text += static_cast<char>(rng() % 256);
      } else {
        text += alphabet[rng() % alphabet.size()];
      }
    }
    CAPTURE(text);
    try {
      parse_program(text, "fuzz.physl");
      ++parsed;
    } catch (const Error& error) {
      CHECK(error.kind() == ErrorKind::syntax);
      CHECK(error.loc().known());
      ++rejected;
    } catch (...) {
      FAIL("an exception other than larix::Error");
    }
  }
  CHECK(parsed + rejected == 2000);
  CHECK(parsed > 0);  // the alphabet does produce valid programs, so both paths are exercised
}
