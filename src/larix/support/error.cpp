#include "larix/support/error.hpp"

namespace larix {

const std::string& SourceLoc::file_name() const {
  static const std::string unknown = "<unknown>";
  return file ? *file : unknown;
}

std::string SourceLoc::str() const {
  if (!known()) return file ? *file : "<unknown>";
  return detail::concat(file_name(), ":", line, ":", col);
}

const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::syntax: return "syntax error";
    case ErrorKind::name: return "name error";
    case ErrorKind::type: return "type error";
    case ErrorKind::value: return "value error";
    case ErrorKind::index: return "index error";
    case ErrorKind::zero_division: return "division by zero";
    case ErrorKind::overflow: return "overflow error";
    case ErrorKind::memory: return "memory error";
    case ErrorKind::axis: return "axis error";
    case ErrorKind::linalg: return "linear algebra error";
    case ErrorKind::assertion: return "assertion failed";
    case ErrorKind::io: return "I/O error";
    case ErrorKind::file_not_found: return "file not found";
    case ErrorKind::runtime: return "runtime error";
    case ErrorKind::interrupted: return "interrupted";
    case ErrorKind::recursion: return "recursion error";
    case ErrorKind::internal: return "internal error";
  }
  return "error";
}

Error::Error(ErrorKind kind, std::string message, SourceLoc loc)
    : kind_(kind), message_(std::move(message)), loc_(std::move(loc)) {
  refresh();
}

void Error::set_loc_if_missing(const SourceLoc& loc) {
  if (loc_.known() || !loc.known()) return;
  loc_ = loc;
  refresh();
}

void Error::push_stack(StackEntry entry) {
  stack_.push_back(std::move(entry));
  refresh();
}

void Error::refresh() {
  std::ostringstream out;
  if (loc_.known()) out << loc_.str() << ": ";
  out << message_;
  if (!source_line_.empty() && loc_.col > 0) {
    out << "\n    " << source_line_ << "\n    " << std::string(loc_.col - 1, ' ') << "^";
  }
  // Deep recursion makes long stacks: show the innermost calls and how many more there are.
  constexpr std::size_t kShown = 12;
  // The outermost call comes from the caller of the program (Python, larix run): no site.
  for (std::size_t i = 0; i < stack_.size() && i < kShown; ++i) {
    const SourceLoc& site = stack_[i].call_site;
    out << "\n  in " << stack_[i].function;
    if (site.known() || site.file) out << " called at " << site.str();
  }
  if (stack_.size() > kShown) out << "\n  ... " << stack_.size() - kShown << " more calls";
  formatted_ = out.str();
}

namespace detail {
void internal_failure(const char* file, int line, const std::string& message) {
  throw Error(ErrorKind::internal, concat("internal error in Larix (", file, ":", line, "): ",
                                          message, " -- this is a bug in Larix, please report it"));
}
}  // namespace detail

}  // namespace larix
