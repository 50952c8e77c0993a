// The three kinds of error (STYLE.md): user errors carry a SourceLoc and map to a Python class;
// internal errors name the Larix source line that found the broken invariant; failures inside a
// task are user errors that picked up the PhySL call stack on their way to the caller.
#pragma once

#include <exception>
#include <sstream>
#include <string>
#include <vector>

#include "larix/support/source_loc.hpp"

namespace larix {

enum class ErrorKind {
  syntax,         // bad PhySL text or untranslatable Python   -> CompileError (SyntaxError)
  name,           // unknown name, arity, unknown keyword       -> CompileError
  type,           // wrong type of operand/argument             -> TypeError
  value,          // wrong value / shape mismatch               -> ValueError
  index,          // out-of-range index                         -> IndexError
  zero_division,  // integer division by zero                   -> ZeroDivisionError
  overflow,       // a result out of range (np.random.uniform)   -> OverflowError
  memory,         // out of memory                               -> MemoryError
  axis,       // bad axis                                   -> AxisError (ValueError, IndexError)
  linalg,     // singular matrix etc.                       -> LinAlgError
  assertion,  // assert() failed                            -> AssertionError
  io,         // file could not be read/written             -> OSError
  file_not_found,  // a file to read does not exist         -> FileNotFoundError (an OSError)
  runtime,         // anything else a program did wrong          -> RuntimeError
  interrupted,     // SIGINT (Ctrl-C) stopped the call            -> KeyboardInterrupt
  recursion,       // calls or nesting too deep                   -> RecursionError
  internal,        // a bug in Larix
};

const char* error_kind_name(ErrorKind kind);

struct StackEntry {
  std::string function;  // PhySL function name (or "<lambda>")
  SourceLoc call_site;   // where it was called
};

class Error : public std::exception {
 public:
  Error(ErrorKind kind, std::string message, SourceLoc loc = {});

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  const SourceLoc& loc() const { return loc_; }
  const std::vector<StackEntry>& stack() const { return stack_; }
  // The text of the offending source line, when the producer knew it (the parser does).
  const std::string& source_line() const { return source_line_; }

  // The innermost node that sees an error without a location gives it its own.
  void set_loc_if_missing(const SourceLoc& loc);
  void set_source_line(std::string line) {
    source_line_ = std::move(line);
    refresh();
  }
  void push_stack(StackEntry entry);

  // "file:line:col: message", the source line with a caret, then the PhySL stack.
  const char* what() const noexcept override { return formatted_.c_str(); }

 private:
  void refresh();

  ErrorKind kind_;
  std::string message_;
  SourceLoc loc_;
  std::vector<StackEntry> stack_;
  std::string source_line_;
  std::string formatted_;
};

namespace detail {
template <class... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}
[[noreturn]] void internal_failure(const char* file, int line, const std::string& message);
}  // namespace detail

// A user error: the program or its input is wrong.
template <class... Parts>
[[noreturn]] void user_error(ErrorKind kind, const Parts&... parts) {
  throw Error(kind, detail::concat(parts...));
}
template <class... Parts>
[[noreturn]] void user_error_at(ErrorKind kind, const SourceLoc& loc, const Parts&... parts) {
  throw Error(kind, detail::concat(parts...), loc);
}

}  // namespace larix

// LARIX_CHECK(cond, kind, message parts...): a user error when cond is false.
#define LARIX_CHECK(cond, kind, ...)                                         \
  do {                                                                       \
    if (!(cond)) ::larix::user_error(::larix::ErrorKind::kind, __VA_ARGS__); \
  } while (false)

// LARIX_ASSERT(cond, message parts...): an invariant of Larix itself.
#define LARIX_ASSERT(cond, ...)                                                                    \
  do {                                                                                             \
    if (!(cond))                                                                                   \
      ::larix::detail::internal_failure(                                                           \
          __FILE__, __LINE__, ::larix::detail::concat("check failed: " #cond " ", ##__VA_ARGS__)); \
  } while (false)
