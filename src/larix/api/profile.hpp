// Profiles of program runs: the runtime's per-node counters (runtime/profiler.hpp) joined with
// each node's place in the tree and in the source, the trace events of a call, and the JSON that
// the viewer (python/larix/viewer.html) and larix.Profile read. See docs/profiling.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "larix/runtime/context.hpp"
#include "larix/runtime/function.hpp"
#include "larix/runtime/profiler.hpp"

namespace larix {

// How Program::call runs a call.
struct RunOptions {
  bool sync = Runtime::instance().settings().sync;  // the reference executor
  Profiler* profiler = nullptr;                     // counters of this call, when set
  bool interruptible = false;  // stops with ErrorKind::interrupted on note_interrupt()
  // When set, receives the RuntimeWarnings the call's kernels reported (NumPy's "divide by zero
  // encountered in floor_divide"), also when the call fails.
  std::vector<std::string>* warnings = nullptr;
};

class Program;

struct NodeProfile {
  int id = 0;
  int parent = -1;     // -1 for the root
  std::string name;    // the primitive (or PhySL form: block, define, call, ...)
  std::string detail;  // Node::detail(): a constant's value, a variable's name, a callee ...
  std::string file;    // the node's source location (the user's file when annotated)
  int line = 0;        // 0: unknown
  int column = 0;
  int physl_line = 0;  // where the node is in the PhySL text (0: unknown)
  int physl_column = 0;
  bool trivial = false;  // a constant or variable read: never timed, so its counters stay 0
  std::uint64_t count = 0;
  std::int64_t inclusive_ns = 0;
  std::int64_t exclusive_ns = 0;
  std::uint64_t inline_runs = 0;
  std::uint64_t spawned_runs = 0;
  std::int64_t bytes_sent = 0;  // by the node's collective steps over MPI (distributed arrays)
  std::int64_t bytes_received = 0;
  std::int64_t wait_ns = 0;
};

struct ProgramProfile {
  std::string source_name;
  std::string physl;
  int threads = 0;                 // of the runtime during the call
  std::int64_t wall_ns = 0;        // the whole call, as its caller saw it
  std::int64_t epoch_ns = 0;       // steady clock at the profiler's start; events count from there
  std::vector<NodeProfile> nodes;  // by id (pre-order: a parent comes before its children)
  std::vector<TraceEvent> events;  // one per timed node evaluation, when tracing
};

// Calls `program` with a profiler of its own and fills `profile` (also when the call fails; the
// error is then rethrown). Without tracing only the counters are kept. `options` as for
// Program::call (the reference executor, an interruptible call, warnings); its profiler is this
// call's.
Value call_profiled(const Program& program, CallArgs args, ProgramProfile& profile,
                    bool trace = false, RunOptions options = {});

// The profile of the calls `profiler` measured (it must have been made for `program`'s nodes).
ProgramProfile collect_profile(const Program& program, Profiler& profiler);

// The profile as the JSON document larix.Profile and the viewer read ({"larix_profile": 1, ...}).
std::string profile_json(const ProgramProfile& profile);

}  // namespace larix
