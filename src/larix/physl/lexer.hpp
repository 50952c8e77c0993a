// The PhySL lexer: turns text into tokens on demand, so that the first error in the text is the one
// reported. It knows every position in the PhySL text and formats syntax errors for the parser.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "larix/physl/ast.hpp"
#include "larix/support/source_loc.hpp"

namespace larix::physl {

enum class TokenKind {
  end,
  identifier,  // name, name$LINE, name$LINE$COL, each optionally followed by {attribute}
  integer,     // digits only; the parser converts, because a '-' before it may fold into it
  floating,
  string,
  kw_nil,
  kw_true,
  kw_false,
  lparen,
  rparen,
  lbracket,
  rbracket,
  comma,
  list_open,  // '(
  op,         // || && == != < <= > >= + - * / % !
};

struct Token {
  TokenKind kind = TokenKind::end;
  std::string text;  // identifier name, decoded string, number or operator spelling
  double float_value = 0.0;
  int annotation_line = -1;  // identifier$LINE, -1 when absent
  int annotation_col = -1;   // identifier$LINE$COL (0-based, as written), -1 when absent
  bool has_attribute = false;
  std::string attribute;  // identifier{attribute}
  int line = 1;           // position in the PhySL text, 1-based
  int col = 1;
  bool space_before = false;  // whitespace or a comment before it: `f (x)` is not a call
};

// How a token reads in an error message: "')'", "identifier 'f'", "end of input".
std::string describe(const Token& token);

class Lexer {
 public:
  Lexer(std::string_view text, std::shared_ptr<const std::string> source_name);

  Token next();

  // From now on every comment skipped is also appended to `sink` (for the formatter).
  void keep_comments(std::vector<Comment>* sink) { comments_ = sink; }

  // Throws ErrorKind::syntax at a position of this text, with that line's text for the caret.
  [[noreturn]] void fail(int line, int col, const std::string& message) const;
  SourceLoc loc(int line, int col) const { return SourceLoc{file_, line, col}; }

 private:
  char peek(std::size_t ahead = 0) const;
  int col() const { return static_cast<int>(pos_ - line_start_) + 1; }
  void advance();  // one byte, counting lines
  bool skip_space_and_comments();
  void keep_comment(int line, int col, std::size_t from, std::size_t to);
  void lex_identifier(Token& token);
  void lex_annotation(Token& token);
  void lex_number(Token& token);
  void lex_string(Token& token);
  void lex_symbol(Token& token);

  std::string_view text_;
  std::shared_ptr<const std::string> file_;
  std::size_t pos_ = 0;
  std::size_t line_start_ = 0;
  int line_ = 1;
  int last_token_line_ = 0;  // the line a token last ended on, 0 before the first token
  std::vector<Comment>* comments_ = nullptr;
};

// All tokens up to and including the end token (for tests and tools).
std::vector<Token> tokenize(std::string_view text, const std::string& source_name = "<text>");

}  // namespace larix::physl
