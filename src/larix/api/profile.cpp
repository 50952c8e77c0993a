#include "larix/api/profile.hpp"

#include <chrono>
#include <cstdio>
#include <sstream>
#include <unordered_map>

#include "larix/api/larix.hpp"

namespace larix {

namespace {

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::uint64_t position_key(int line, int col0) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(line)) << 32) |
         static_cast<std::uint32_t>(col0);
}

// Where each `name$LINE$COL` annotation sits in the PhySL text: (LINE, COL) -> (line, column) of
// the annotated name. A node annotated so carries the user's position, not the text's; this is
// how the viewer finds it in the PhySL tab as well.
std::unordered_map<std::uint64_t, std::pair<int, int>> annotation_positions(
    const std::string& text) {
  std::unordered_map<std::uint64_t, std::pair<int, int>> out;
  auto is_name_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  int line = 1;
  std::size_t line_start = 0;
  std::size_t name_start = std::string::npos;  // start of the name being read, if any
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = i + 1;
      name_start = std::string::npos;
      continue;
    }
    if (c != '$') {
      if (!is_name_char(c)) name_start = std::string::npos;
      else if (name_start == std::string::npos) name_start = i;
      continue;
    }
    if (name_start == std::string::npos) continue;
    // $LINE$COL
    std::size_t j = i + 1;
    long l = 0, col = 0;
    const std::size_t l_start = j;
    while (j < text.size() && is_digit(text[j]) && j - l_start < 9) l = l * 10 + (text[j++] - '0');
    if (j == l_start || j >= text.size() || text[j] != '$') continue;
    const std::size_t c_start = ++j;
    while (j < text.size() && is_digit(text[j]) && j - c_start < 9)
      col = col * 10 + (text[j++] - '0');
    if (j == c_start) continue;
    out.try_emplace(position_key(static_cast<int>(l), static_cast<int>(col)), line,
                    static_cast<int>(name_start - line_start) + 1);
    name_start = std::string::npos;
    i = j - 1;
  }
  return out;
}

void write_string(std::ostream& out, const std::string& s) {
  out << '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out << "\\\""; break;
      case '\\': out << "\\\\"; break;
      case '\n': out << "\\n"; break;
      case '\r': out << "\\r"; break;
      case '\t': out << "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out << buf;
        } else {
          out << ch;
        }
    }
  }
  out << '"';
}

}  // namespace

ProgramProfile collect_profile(const Program& program, Profiler& profiler) {
  const compiler::CompiledProgram& compiled = program.compiled();
  ProgramProfile p;
  p.source_name = program.source_name();
  p.physl = program.physl();
  p.threads = threads();
  const auto annotations = annotation_positions(p.physl);
  p.nodes.reserve(compiled.nodes.size());
  for (std::size_t i = 0; i < compiled.nodes.size(); ++i) {
    const Node* node = compiled.nodes[i];
    NodeProfile n;
    n.id = static_cast<int>(i);
    n.parent = compiled.parents[i];
    n.name = node->name();
    n.detail = node->detail();
    n.trivial = node->trivial();
    const SourceLoc& loc = node->loc();
    if (loc.known()) {
      n.file = loc.file_name();
      n.line = loc.line;
      n.column = loc.col;
      if (n.file == p.source_name) {
        n.physl_line = loc.line;
        n.physl_column = loc.col;
      } else if (auto it = annotations.find(position_key(loc.line, loc.col - 1));
                 it != annotations.end()) {
        n.physl_line = it->second.first;
        n.physl_column = it->second.second;
      }
    }
    if (n.id < profiler.nodes()) {
      const NodeCounters& c = profiler.counters(n.id);
      n.count = c.count.load(std::memory_order_relaxed);
      n.inclusive_ns = c.inclusive_ns.load(std::memory_order_relaxed);
      n.exclusive_ns = c.exclusive_ns.load(std::memory_order_relaxed);
      n.inline_runs = c.inline_runs.load(std::memory_order_relaxed);
      n.spawned_runs = c.spawned_runs.load(std::memory_order_relaxed);
      n.bytes_sent = c.bytes_sent.load(std::memory_order_relaxed);
      n.bytes_received = c.bytes_received.load(std::memory_order_relaxed);
      n.wait_ns = c.wait_ns.load(std::memory_order_relaxed);
    }
    p.nodes.push_back(std::move(n));
  }
  if (profiler.tracing()) p.events = profiler.events();
  return p;
}

Value call_profiled(const Program& program, CallArgs args, ProgramProfile& profile, bool trace,
                    RunOptions options) {
  const std::int64_t epoch = steady_ns();
  Profiler profiler(static_cast<int>(program.compiled().nodes.size()), trace);
  Value result;
  try {
    options.profiler = &profiler;
    result = program.call(std::move(args), options);
  } catch (...) {
    profile = collect_profile(program, profiler);
    profile.epoch_ns = epoch;
    profile.wall_ns = steady_ns() - epoch;
    throw;
  }
  profile = collect_profile(program, profiler);
  profile.epoch_ns = epoch;
  profile.wall_ns = steady_ns() - epoch;
  return result;
}

std::string profile_json(const ProgramProfile& p) {
  std::ostringstream out;
  out << "{\"larix_profile\": 1, \"threads\": " << p.threads << ", \"programs\": [{\"name\": ";
  write_string(out, p.source_name);
  out << ", \"kind\": \"physl\", \"calls\": 1, \"wall_ns\": " << p.wall_ns
      << ", \"sources\": [{\"title\": \"PhySL\", \"kind\": \"physl\", \"file\": ";
  write_string(out, p.source_name);
  out << ", \"first_line\": 1, \"text\": ";
  write_string(out, p.physl);
  out << "}],\n\"nodes\": [";
  for (std::size_t i = 0; i < p.nodes.size(); ++i) {
    const NodeProfile& n = p.nodes[i];
    out << (i ? ",\n" : "\n") << "{\"id\": " << n.id << ", \"parent\": " << n.parent
        << ", \"name\": ";
    write_string(out, n.name);
    out << ", \"detail\": ";
    write_string(out, n.detail);
    out << ", \"file\": ";
    write_string(out, n.file);
    out << ", \"line\": " << n.line << ", \"column\": " << n.column
        << ", \"physl_line\": " << n.physl_line << ", \"physl_column\": " << n.physl_column
        << ", \"trivial\": " << (n.trivial ? "true" : "false") << ", \"count\": " << n.count
        << ", \"inclusive_ns\": " << n.inclusive_ns << ", \"exclusive_ns\": " << n.exclusive_ns
        << ", \"inline\": " << n.inline_runs << ", \"spawned\": " << n.spawned_runs
        << ", \"bytes_sent\": " << n.bytes_sent << ", \"bytes_received\": " << n.bytes_received
        << ", \"wait_ns\": " << n.wait_ns << "}";
  }
  out << "]}],\n\"trace\": [";
  for (std::size_t i = 0; i < p.events.size(); ++i) {
    const TraceEvent& e = p.events[i];
    out << (i ? ",\n" : "\n") << "{\"program\": 0, \"node\": " << e.node_id
        << ", \"start_ns\": " << e.start_ns << ", \"duration_ns\": " << e.duration_ns
        << ", \"thread\": " << e.thread << "}";
  }
  out << "]}\n";
  return out.str();
}

}  // namespace larix
