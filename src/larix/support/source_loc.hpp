// SourceLoc: where a piece of a program came from (user file, 1-based line and column).
#pragma once

#include <memory>
#include <string>

namespace larix {

struct SourceLoc {
  // Shared so that every node of a tree can point at the same file name cheaply.
  std::shared_ptr<const std::string> file;
  int line = 0;  // 1-based; 0 means "unknown"
  int col = 0;   // 1-based

  bool known() const { return line > 0; }
  const std::string& file_name() const;
  // "file:line:col" (or "<unknown>")
  std::string str() const;
};

inline bool operator==(const SourceLoc& a, const SourceLoc& b) {
  return a.line == b.line && a.col == b.col && a.file_name() == b.file_name();
}

}  // namespace larix
