// A string as a PhySL string literal, the one escaping the printer, the IR dump and the primitives'
// signatures share.
#pragma once

#include <string>

namespace larix {

// `text` quoted, with \n \t \r \0 \\ and \" escaped (what the PhySL lexer decodes).
inline std::string quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '\0': out += "\\0"; break;
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      default: out += c;
    }
  }
  return out + "\"";
}

}  // namespace larix
