#include "larix/physl/lexer.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "larix/support/error.hpp"

namespace larix::physl {

namespace {

// ASCII only: <cctype> would follow the process locale, and PhySL names must not.
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }

std::string describe_char(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return c == '\'' ? "\"'\"" : std::string("'") + c + "'";
  static const char* hex = "0123456789abcdef";
  return std::string("byte 0x") + hex[u >> 4] + hex[u & 15];
}

// from_chars is locale independent (strtod is not), but leaves the value alone when it is out of
// range; then the decimal magnitude of the literal tells overflow (inf, which the printer writes as
// 1e999) from underflow (0).
double to_double(std::string_view s) {
  double value = 0.0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec == std::errc() && end == s.data() + s.size()) return value;
  long exponent = 0;
  std::size_t e = s.find_first_of("eE");
  std::string_view mantissa = s.substr(0, e);
  if (e != std::string_view::npos) {
    std::size_t i = e + 1;
    bool negative = s[i] == '-';
    if (s[i] == '-' || s[i] == '+') ++i;
    for (; i < s.size(); ++i) exponent = std::min(exponent * 10 + (s[i] - '0'), 100000000L);
    if (negative) exponent = -exponent;
  }
  std::size_t dot = std::min(mantissa.find('.'), mantissa.size());
  std::size_t first = mantissa.find_first_not_of("0.");
  if (first == std::string_view::npos) return 0.0;
  long lead = first < dot ? static_cast<long>(dot - first) - 1 : -static_cast<long>(first - dot);
  return lead + exponent > 0 ? std::numeric_limits<double>::infinity() : 0.0;
}

}  // namespace

std::string describe(const Token& token) {
  switch (token.kind) {
    case TokenKind::end: return "end of input";
    case TokenKind::identifier: return "identifier '" + token.text + "'";
    case TokenKind::integer: return "integer " + token.text;
    case TokenKind::floating: return "number " + token.text;
    case TokenKind::string: return "a string literal";
    case TokenKind::list_open: return "\"'(\"";
    default: return "'" + token.text + "'";
  }
}

Lexer::Lexer(std::string_view text, std::shared_ptr<const std::string> source_name)
    : text_(text), file_(std::move(source_name)) {}

void Lexer::fail(int line, int col, const std::string& message) const {
  // Find the line again rather than keep a table: errors are rare, and this keeps lexing lean.
  std::size_t start = 0;
  for (int l = 1; l < line && start < text_.size(); ++l) {
    std::size_t nl = text_.find('\n', start);
    start = nl == std::string_view::npos ? text_.size() : nl + 1;
  }
  std::size_t stop = std::min(text_.find('\n', start), text_.size());
  std::string source_line(text_.substr(start, stop - start));
  if (!source_line.empty() && source_line.back() == '\r') source_line.pop_back();
  Error error(ErrorKind::syntax, message, loc(line, col));
  error.set_source_line(std::move(source_line));
  throw error;
}

char Lexer::peek(std::size_t ahead) const {
  return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
}

void Lexer::advance() {
  if (text_[pos_++] == '\n') {
    ++line_;
    line_start_ = pos_;
  }
}

void Lexer::keep_comment(int line, int col, std::size_t from, std::size_t to) {
  if (!comments_) return;
  comments_->push_back(
      Comment{line, col, std::string(text_.substr(from, to - from)), line == last_token_line_});
}

bool Lexer::skip_space_and_comments() {
  std::size_t begin = pos_;
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      advance();
    } else if (c == '#' || (c == '/' && peek(1) == '/')) {
      std::size_t from = pos_;
      int line = line_, column = col();
      while (pos_ < text_.size() && text_[pos_] != '\n') advance();
      std::size_t to = pos_;
      if (to > from && text_[to - 1] == '\r') --to;
      keep_comment(line, column, from, to);
    } else if (c == '/' && peek(1) == '*') {
      std::size_t from = pos_;
      int line = line_, column = col();
      pos_ += 2;
      while (pos_ < text_.size() && !(text_[pos_] == '*' && peek(1) == '/')) advance();
      if (pos_ >= text_.size()) fail(line, column, "unterminated comment: '/*' without '*/'");
      pos_ += 2;
      keep_comment(line, column, from, pos_);
    } else {
      break;
    }
  }
  return pos_ != begin;
}

Token Lexer::next() {
  Token token;
  const int after_previous_line = line_, after_previous_col = col();
  token.space_before = skip_space_and_comments();
  token.line = line_;
  token.col = col();
  if (pos_ >= text_.size()) {
    // "End of input" is reported right after the last token, on a line the user can see.
    token.line = after_previous_line;
    token.col = after_previous_col;
    return token;
  }
  char c = text_[pos_];
  if (is_ident_start(c)) {
    lex_identifier(token);
  } else if (is_digit(c) || (c == '.' && is_digit(peek(1)))) {
    lex_number(token);
  } else if (c == '"') {
    lex_string(token);
  } else {
    lex_symbol(token);
  }
  last_token_line_ = line_;
  return token;
}

void Lexer::lex_identifier(Token& token) {
  std::size_t start = pos_;
  while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
  token.kind = TokenKind::identifier;
  token.text = std::string(text_.substr(start, pos_ - start));
  if (peek() == '$') lex_annotation(token);
  if (token.text == "nil") token.kind = TokenKind::kw_nil;
  if (token.text == "true") token.kind = TokenKind::kw_true;
  if (token.text == "false") token.kind = TokenKind::kw_false;
  if (token.kind != TokenKind::identifier || peek() != '{') return;
  int column = col();
  std::size_t close = text_.find_first_of("}\n", pos_);
  if (close == std::string_view::npos || text_[close] != '}') {
    fail(line_, column, "unterminated attribute: '{' without '}' on the same line");
  }
  token.has_attribute = true;
  token.attribute = std::string(text_.substr(pos_ + 1, close - pos_ - 1));
  pos_ = close + 1;
}

// annotation := ('$' DIGITS){1,2}  -- the Python frontend's line and 0-based column
void Lexer::lex_annotation(Token& token) {
  for (int* field : {&token.annotation_line, &token.annotation_col}) {
    if (peek() != '$') break;
    if (!is_digit(peek(1)))
      fail(line_, col(), "expected a number after '$' in '" + token.text + "$'");
    ++pos_;
    long value = 0;
    int column = col();
    while (is_digit(peek())) {
      value = value * 10 + (text_[pos_++] - '0');
      if (value > 100000000) fail(line_, column, "line or column number too large after '$'");
    }
    *field = static_cast<int>(value);
  }
  if (peek() == '$' || is_ident_char(peek())) {
    fail(line_, col(),
         "unexpected " + describe_char(peek()) + " after the annotation of '" + token.text + "'");
  }
}

// number := DIGITS ['.' DIGITS?] [EXP] | '.' DIGITS [EXP];  EXP := ('e'|'E') ['+'|'-'] DIGITS
void Lexer::lex_number(Token& token) {
  std::size_t start = pos_;
  token.kind = TokenKind::integer;
  while (is_digit(peek())) ++pos_;
  if (peek() == '.') {
    token.kind = TokenKind::floating;
    ++pos_;
    while (is_digit(peek())) ++pos_;
  }
  if (peek() == 'e' || peek() == 'E') {
    token.kind = TokenKind::floating;
    std::size_t sign = (peek(1) == '+' || peek(1) == '-') ? 1 : 0;
    if (!is_digit(peek(1 + sign))) {
      fail(line_, col(),
           "expected digits in the exponent of '" +
               std::string(text_.substr(start, pos_ - start + 1 + sign)) + "'");
    }
    pos_ += 1 + sign;
    while (is_digit(peek())) ++pos_;
  }
  token.text = std::string(text_.substr(start, pos_ - start));
  if (is_ident_char(peek()) || peek() == '.') {
    fail(line_, col(), "unexpected " + describe_char(peek()) + " after the number " + token.text);
  }
  if (token.kind == TokenKind::floating) token.float_value = to_double(token.text);
}

// string := '"' (CHAR | '\' [ntr\\"'0])* '"'   (a raw newline is allowed inside)
void Lexer::lex_string(Token& token) {
  int line = line_, column = col();
  token.kind = TokenKind::string;
  ++pos_;
  while (true) {
    if (pos_ >= text_.size()) fail(line, column, "unterminated string literal");
    char c = text_[pos_];
    if (c == '"') break;
    if (c != '\\') {
      token.text += c;
      advance();
      continue;
    }
    char e = peek(1);
    switch (e) {
      case 'n': token.text += '\n'; break;
      case 't': token.text += '\t'; break;
      case 'r': token.text += '\r'; break;
      case '0': token.text += '\0'; break;
      case '\\':
      case '"':
      case '\'': token.text += e; break;
      default:
        if (pos_ + 1 >= text_.size()) fail(line, column, "unterminated string literal");
        fail(line_, col(),
             "unknown escape sequence '\\" + std::string(1, e) +
                 "' in a string literal (known: \\n \\t \\r \\\\ \\\" \\' \\0)");
    }
    pos_ += 2;
  }
  ++pos_;
}

void Lexer::lex_symbol(Token& token) {
  char c = text_[pos_];
  char c1 = peek(1);
  auto take = [&](TokenKind kind, std::size_t length) {
    token.kind = kind;
    token.text = std::string(text_.substr(pos_, length));
    pos_ += length;
  };
  switch (c) {
    case '(': return take(TokenKind::lparen, 1);
    case ')': return take(TokenKind::rparen, 1);
    case '[': return take(TokenKind::lbracket, 1);
    case ']': return take(TokenKind::rbracket, 1);
    case ',': return take(TokenKind::comma, 1);
    case '+':
    case '-':
    case '*':
    case '/':
    case '%': return take(TokenKind::op, 1);
    case '<':
    case '>':
    case '!': return take(TokenKind::op, c1 == '=' ? 2 : 1);
    case '\'':
      if (c1 == '(') return take(TokenKind::list_open, 2);
      fail(line_, col(), "expected '(' after \"'\" to start a list literal '(...)");
    case '|':
    case '&':
    case '=':
      if (c1 == c) return take(TokenKind::op, 2);
      fail(line_, col(), "unexpected " + describe_char(c) + " (did you mean '" + c + c + "'?)");
    default: fail(line_, col(), "unexpected " + describe_char(c));
  }
}

std::vector<Token> tokenize(std::string_view text, const std::string& source_name) {
  Lexer lexer(text, std::make_shared<const std::string>(source_name));
  std::vector<Token> tokens;
  do {
    tokens.push_back(lexer.next());
  } while (tokens.back().kind != TokenKind::end);
  return tokens;
}

}  // namespace larix::physl
