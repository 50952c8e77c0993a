#include "larix/physl/parser.hpp"

#include <algorithm>
#include <charconv>
#include <memory>
#include <utility>
#include <vector>

#include "larix/physl/lexer.hpp"
#include "larix/support/error.hpp"

namespace larix::physl {

namespace {

// An expression and the height of its tree. The height is capped as well as the recursion depth:
// `1+1+...+1` recurses little but builds a tree as deep as it is long.
struct Parsed {
  Ast ast;
  int height = 1;
};

// Where a token was, for nodes and messages; recursive frames keep this rather than a whole Token.
struct Pos {
  int line;
  int col;
};

// What a bracket opened, to say what it failed to close.
enum class Opened { call, array, list };

class Parser {
 public:
  Parser(std::string_view text, const std::string& source_name, const std::string& origin_file,
         std::vector<Comment>* comments = nullptr)
      : file_(std::make_shared<const std::string>(source_name)),
        origin_(origin_file.empty() ? file_ : std::make_shared<const std::string>(origin_file)),
        lexer_(text, file_) {
    lexer_.keep_comments(comments);
    advance();
  }

  // program := expression* END
  Program program() {
    Program program;
    while (tok_.kind != TokenKind::end) {
      if (tok_.kind == TokenKind::rparen || tok_.kind == TokenKind::rbracket) {
        fail(here(), "unmatched " + describe(tok_) + ": no '(' or '[' is open");
      }
      program.expressions.push_back(std::move(expression().ast));
    }
    return program;
  }

  // single := expression END
  Ast single() {
    Parsed parsed = expression();
    if (tok_.kind != TokenKind::end) {
      fail(here(), "expected the end of input after the expression, found " + describe(tok_));
    }
    return std::move(parsed.ast);
  }

 private:
  // The recursive functions below keep their frames small (a Pos, not a Token; messages built in
  // out-of-line helpers), since their depth times their frame size is the stack a parse needs.

  // expression := binary(1)
  Parsed expression() { return binary(1); }

  // binary(p) := unary (OP binary(precedence(OP) + 1))*     for binary OP with precedence >= p
  //   precedence, lowest first: || , && , == != , < <= > >= , + - , * / %  (all left-associative)
  // Precedence climbing needs one function instead of one per level, which keeps the stack shallow.
  Parsed binary(int min_precedence) {
    Parsed lhs = unary();
    while (const Operator* op = binary_operator(min_precedence)) {
      Pos pos = here();
      advance();
      std::vector<Parsed> args;
      args.push_back(std::move(lhs));
      args.push_back(binary(op->precedence + 1));
      lhs = operator_call(*op, pos, std::move(args));
    }
    return lhs;
  }

  const Operator* binary_operator(int min_precedence) const {
    if (tok_.kind != TokenKind::op) return nullptr;
    const Operator* op = operator_by_symbol(tok_.text, 2);
    return op && op->precedence >= min_precedence ? op : nullptr;
  }

  // unary := '-' (INTEGER | FLOAT)        -- folds into a negative literal, so [-1, 2] holds -1
  //        | ('-' | '!') unary
  //        | postfix
  Parsed unary() {
    // Every nesting (parentheses, arguments, elements, prefix operators) passes through here.
    if (++depth_ > kMaxNesting) fail_too_deep(here());
    struct Leave {
      int& depth;
      ~Leave() { --depth; }
    } leave{depth_};
    if (tok_.kind != TokenKind::op || (tok_.text != "-" && tok_.text != "!")) return postfix();
    const Operator* op = operator_by_symbol(tok_.text, 1);
    Pos pos = here();
    advance();
    if (op->symbol == "-" &&
        (tok_.kind == TokenKind::integer || tok_.kind == TokenKind::floating)) {
      return number(&pos);
    }
    std::vector<Parsed> args;
    args.push_back(unary());
    return operator_call(*op, pos, std::move(args));
  }

  // postfix := primary call-suffix*
  //   A call-suffix must touch what it calls (`f (x)` is two expressions) and may follow only an
  //   identifier, a parenthesized expression or another call: `x(42)(1)` calls what x(42) gives.
  [[gnu::noinline]] Parsed postfix() {
    bool callable = tok_.kind == TokenKind::identifier || tok_.kind == TokenKind::lparen;
    bool attributed = tok_.kind == TokenKind::identifier && tok_.has_attribute;
    std::string attribute = attributed ? tok_.attribute : std::string();
    Parsed result = primary();
    if (attributed && !touching_lparen()) fail_attribute(attribute);
    while (callable && touching_lparen()) {
      call_suffix(result, std::move(attribute));
      attribute.clear();
    }
    return result;
  }

  bool touching_lparen() const { return tok_.kind == TokenKind::lparen && !tok_.space_before; }

  // call-suffix := '(' sequence(')')         -- turns `callee` into the call of it
  [[gnu::noinline]] void call_suffix(Parsed& callee, std::string attribute) {
    Pos open = here();
    advance();
    bool named = callee.ast.kind == AstKind::identifier;
    std::vector<Parsed> args =
        sequence(open, TokenKind::rparen, Opened::call, named ? &callee.ast.text : nullptr);
    Parsed call =
        node(AstKind::call, named ? callee.ast.loc : text_loc(open), std::move(args), open);
    set_close(call.ast);
    call.height = std::max(call.height, callee.height + 1);
    check_height(call, open);
    call.ast.callee = std::make_shared<const Ast>(std::move(callee.ast));
    call.ast.attribute = std::move(attribute);
    callee = std::move(call);
  }

  // primary := literal | IDENTIFIER | '(' expression ')' | '[' sequence(']') | "'(" sequence(')')
  [[gnu::noinline]] Parsed primary() {
    Pos open = here();
    switch (tok_.kind) {
      case TokenKind::lparen: {
        advance();
        Parsed inner = expression();
        if (tok_.kind != TokenKind::rparen) fail_unclosed_paren(open);
        advance();
        return inner;
      }
      case TokenKind::lbracket:
      case TokenKind::list_open: {
        bool array = tok_.kind == TokenKind::lbracket;
        advance();
        std::vector<Parsed> items = sequence(open, array ? TokenKind::rbracket : TokenKind::rparen,
                                             array ? Opened::array : Opened::list, nullptr);
        Parsed literal = node(array ? AstKind::array_literal : AstKind::list_literal,
                              text_loc(open), std::move(items), open);
        set_close(literal.ast);
        return literal;
      }
      default: return leaf();
    }
  }

  // sequence(CLOSE) := [expression (',' expression)*] CLOSE     -- a trailing ',' is an error
  std::vector<Parsed> sequence(Pos open, TokenKind close, Opened opened, const std::string* name) {
    std::vector<Parsed> items;
    if (tok_.kind == close) {
      last_close_ = here();
      advance();
      return items;
    }
    while (true) {
      if (tok_.kind == TokenKind::end) fail_unclosed(open, close, opened, name);
      items.push_back(expression());
      if (tok_.kind == close) break;
      if (tok_.kind != TokenKind::comma) fail_unclosed(open, close, opened, name);
      Pos comma = here();
      advance();
      if (tok_.kind == close) fail_trailing_comma(comma, open, close, opened, name);
    }
    last_close_ = here();
    advance();
    return items;
  }

  // literal := 'nil' | 'true' | 'false' | INTEGER | FLOAT | STRING;  also IDENTIFIER
  [[gnu::noinline]] Parsed leaf() {
    Parsed leaf;
    leaf.ast.text_line = tok_.line;
    leaf.ast.text_col = tok_.col;
    switch (tok_.kind) {
      case TokenKind::kw_nil:
      case TokenKind::kw_true:
      case TokenKind::kw_false:
        leaf.ast.kind = tok_.kind == TokenKind::kw_nil ? AstKind::nil : AstKind::boolean;
        leaf.ast.bool_value = tok_.kind == TokenKind::kw_true;
        leaf.ast.loc = name_loc(tok_);
        break;
      case TokenKind::integer:
      case TokenKind::floating: return number(nullptr);
      case TokenKind::string:
      case TokenKind::identifier:
        leaf.ast.kind = tok_.kind == TokenKind::string ? AstKind::string : AstKind::identifier;
        leaf.ast.annotated = tok_.kind == TokenKind::identifier && tok_.annotation_line >= 0;
        leaf.ast.loc = name_loc(tok_);
        leaf.ast.text = std::move(tok_.text);
        break;
      default: fail(here(), "expected an expression, found " + describe(tok_));
    }
    advance();
    return leaf;
  }

  // The number literal in tok_, negated when `minus` is the position of a '-' folded into it.
  [[gnu::noinline]] Parsed number(const Pos* minus) {
    Parsed literal;
    Pos pos = minus ? *minus : here();
    literal.ast.loc = text_loc(pos);
    literal.ast.text_line = pos.line;
    literal.ast.text_col = pos.col;
    if (tok_.kind == TokenKind::floating) {
      literal.ast.kind = AstKind::floating;
      literal.ast.float_value = minus ? -tok_.float_value : tok_.float_value;
    } else {
      literal.ast.kind = AstKind::integer;
      std::string digits = (minus ? "-" : "") + tok_.text;
      auto [end, ec] =
          std::from_chars(digits.data(), digits.data() + digits.size(), literal.ast.int_value);
      if (ec != std::errc() || end != digits.data() + digits.size()) {
        fail(pos, "integer literal " + digits + " does not fit in 64 bits (write " + digits +
                      ".0 for a float)");
      }
    }
    advance();
    return literal;
  }

  [[gnu::noinline]] Parsed operator_call(const Operator& op, Pos pos, std::vector<Parsed> args) {
    Ast callee;
    callee.kind = AstKind::identifier;
    callee.text = std::string(op.primitive);
    callee.loc = text_loc(pos);
    callee.text_line = pos.line;
    callee.text_col = pos.col;
    Parsed call = node(AstKind::call, text_loc(pos), std::move(args), pos);
    call.ast.callee = std::make_shared<const Ast>(std::move(callee));
    return call;
  }

  [[gnu::noinline]] Parsed node(AstKind kind, SourceLoc loc, std::vector<Parsed> items, Pos at) {
    Parsed parsed;
    parsed.ast.kind = kind;
    parsed.ast.loc = std::move(loc);
    parsed.ast.text_line = at.line;
    parsed.ast.text_col = at.col;
    parsed.ast.args.reserve(items.size());
    for (Parsed& item : items) {
      parsed.height = std::max(parsed.height, item.height + 1);
      parsed.ast.args.push_back(std::move(item.ast));
    }
    check_height(parsed, at);
    return parsed;
  }

  void check_height(const Parsed& parsed, Pos at) const {
    if (parsed.height > kMaxNesting) fail_too_deep(at);
  }

  void set_close(Ast& ast) const {
    ast.close_line = last_close_.line;
    ast.close_col = last_close_.col;
  }

  SourceLoc text_loc(Pos pos) const { return lexer_.loc(pos.line, pos.col); }

  // An identifier's position is its $LINE$COL annotation (in the user's file) when it has one.
  SourceLoc name_loc(const Token& token) const {
    if (token.annotation_line < 0) return text_loc({token.line, token.col});
    return SourceLoc{origin_, token.annotation_line,
                     token.annotation_col >= 0 ? token.annotation_col + 1 : 0};
  }

  Pos here() const { return {tok_.line, tok_.col}; }
  void advance() { tok_ = lexer_.next(); }

  // --- errors: out of line, so that their strings do not take room in the recursive frames ---

  [[noreturn]] void fail(Pos pos, const std::string& message) const {
    lexer_.fail(pos.line, pos.col, message);
  }

  static std::string where(Pos pos) {
    return std::to_string(pos.line) + ":" + std::to_string(pos.col);
  }

  static std::string what(Opened opened, const std::string* name) {
    switch (opened) {
      case Opened::call: return name ? "the call of '" + *name + "'" : "the call";
      case Opened::array: return "the array literal";
      case Opened::list: return "the list literal";
    }
    return "";
  }

  [[noreturn, gnu::noinline]] void fail_unclosed(Pos open, TokenKind close, Opened opened,
                                                 const std::string* name) const {
    std::string close_text = close == TokenKind::rparen ? "')'" : "']'";
    std::string expected = tok_.kind == TokenKind::end ? close_text : "',' or " + close_text;
    fail(here(), "expected " + expected + " to close " + what(opened, name) + " opened at " +
                     where(open) + ", found " + describe(tok_));
  }

  [[noreturn, gnu::noinline]] void fail_trailing_comma(Pos comma, Pos open, TokenKind close,
                                                       Opened opened,
                                                       const std::string* name) const {
    fail(comma, std::string("trailing ',' before ") + (close == TokenKind::rparen ? "')'" : "']'") +
                    " in " + what(opened, name) + " opened at " + where(open));
  }

  [[noreturn, gnu::noinline]] void fail_unclosed_paren(Pos open) const {
    fail(here(),
         "expected ')' to close '(' opened at " + where(open) + ", found " + describe(tok_));
  }

  [[noreturn, gnu::noinline]] void fail_attribute(const std::string& attribute) const {
    fail(here(),
         "expected '(' right after the attribute {" + attribute + "}, found " + describe(tok_));
  }

  [[noreturn, gnu::noinline]] void fail_too_deep(Pos pos) const {
    fail(pos, "nesting too deep: expressions may nest at most " + std::to_string(kMaxNesting) +
                  " levels");
  }

  std::shared_ptr<const std::string> file_;
  std::shared_ptr<const std::string> origin_;
  Lexer lexer_;
  Token tok_;  // the lookahead
  int depth_ = 0;
  Pos last_close_{0, 0};  // the closing bracket sequence() consumed last
};

}  // namespace

Program parse_program(std::string_view text, const std::string& source_name,
                      const std::string& origin_file) {
  return Parser(text, source_name, origin_file).program();
}

Program parse_program_with_comments(std::string_view text, const std::string& source_name) {
  std::vector<Comment> comments;
  Program program = Parser(text, source_name, "", &comments).program();
  program.comments = std::move(comments);
  return program;
}

Ast parse_expression(std::string_view text, const std::string& source_name) {
  return Parser(text, source_name, "").single();
}

}  // namespace larix::physl
