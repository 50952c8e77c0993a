// The larix command: run / check / fmt / dump-tree PhySL files, and show primitive docs.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "larix/api/larix.hpp"

namespace {

const char* const kUsage = R"(usage: larix COMMAND [options]

commands:
  run FILE [ARG...]      run a PhySL program; if its value is a function, call it with the ARGs
                         (each ARG is a PhySL expression: 10, 2.5, "text", [1, 2], '(1, 2))
  check FILE             parse and compile only; report errors
  fmt FILE               print the program in canonical form
  dump-tree FILE         print the execution tree
  docs NAME              print the documentation of a primitive
  primitives             list every primitive

options:
  --threads N            worker threads (default: LARIX_THREADS or all cores)
  --sync                 use the synchronous reference executor
  --time                 print the run time to standard error
  --no-optimize          skip the optimisation passes
  --profile FILE.json    (run) write the per-node profile as JSON; FILE.html writes the
                         viewer (the larix command converts with python -m larix.profile)
  --trace                (run, with --profile) also record one trace event per node evaluation
  --dump-after PASS      (dump-tree, check) print the program after PASS (resolve,
                         constant_folding, infer_types (with each assignment's,
                         function's and statement's type), rewrite_algebra,
                         cse, dead_code,
                         row_block_fusion, parallel_loops (with one line
                         per for loop: parallel, or why not),
                         fuse_elementwise, scalar_code (with one line per
                         subtree of scalar code), or all)
FILE may be - for standard input.)";

struct Options {
  std::string command;
  std::string file;
  std::vector<std::string> args;
  int threads = 0;
  bool sync = larix::Runtime::instance().settings().sync;
  bool time = false;
  bool optimize = true;
  std::string dump_after;
  std::string profile;  // JSON output of --profile
  bool trace = false;
};

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "larix: " << message << "\n\n" << kUsage << "\n";
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* name) -> std::string {
      if (i + 1 >= argc) usage_error(std::string(name) + " needs a value");
      return argv[++i];
    };
    if (a == "--threads") {
      const std::string v = value("--threads");
      char* end = nullptr;
      o.threads = static_cast<int>(std::strtol(v.c_str(), &end, 10));
      if (*end || o.threads <= 0) usage_error("--threads needs a positive number, not '" + v + "'");
    } else if (a == "--sync") {
      o.sync = true;
    } else if (a == "--time") {
      o.time = true;
    } else if (a == "--no-optimize") {
      o.optimize = false;
    } else if (a == "--profile") {
      o.profile = value("--profile");
      if (o.profile.size() >= 5 && o.profile.compare(o.profile.size() - 5, 5, ".html") == 0)
        usage_error("--profile writes JSON; make the HTML viewer with python -m larix.profile " +
                    o.profile.substr(0, o.profile.size() - 5) + ".json " + o.profile);
    } else if (a == "--trace") {
      o.trace = true;
    } else if (a == "--dump-after") {
      o.dump_after = value("--dump-after");
    } else if (a == "--docs") {
      o.command = "docs";
    } else if (a == "-h" || a == "--help") {
      std::cout << kUsage << "\n";
      std::exit(0);
    } else if (a.size() > 1 && a[0] == '-' && a[1] == '-') {
      usage_error("unknown option " + a);
    } else if (o.command.empty()) {
      o.command = a;
    } else if (o.file.empty()) {
      o.file = a;
    } else {
      o.args.push_back(a);
    }
  }
  if (o.command.empty()) usage_error("no command given");
  return o;
}

std::string read_file(const std::string& path) {
  std::ostringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw larix::Error(larix::ErrorKind::io, "cannot open '" + path + "': " + std::strerror(errno));
  text << in.rdbuf();
  return text.str();
}

larix::Program compile_file(const Options& o) {
  if (o.file.empty()) usage_error(o.command + " needs a FILE");
  larix::compiler::CompileOptions options;
  options.source_name = o.file == "-" ? "<stdin>" : o.file;
  options.optimize = o.optimize;
  if (!o.dump_after.empty()) {
    const auto& names = larix::compiler::pass_names();
    if (o.dump_after != "all" && std::find(names.begin(), names.end(), o.dump_after) == names.end())
      usage_error("no pass named '" + o.dump_after + "'");
    options.dump = [&o](const std::string& pass, const std::string& text) {
      if (o.dump_after == "all" || o.dump_after == pass)
        std::cout << "// after " << pass << "\n" << text;
    };
  }
  return larix::Program::compile(read_file(o.file), options);
}

int run(const Options& o) {
  larix::Program program = compile_file(o);
  larix::CallArgs args;
  for (const std::string& text : o.args) {
    larix::Program arg = larix::Program::compile(text, {.source_name = "<argument>"});
    args.positional.push_back(arg.call({}, {.sync = true}));
  }
  const auto start = std::chrono::steady_clock::now();
  larix::Value result;
  larix::ProgramProfile profile;
  if (o.profile.empty()) {
    // Ctrl-C stops the call (its tasks are cancelled) and exits with 130, as a shell expects.
    std::signal(SIGINT, [](int) { larix::note_interrupt(); });
    result = program.call(std::move(args), {.sync = o.sync, .interruptible = true});
  } else {
    result = larix::call_profiled(program, std::move(args), profile, o.trace,
                                  {.sync = o.sync, .interruptible = true});
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!o.profile.empty()) {
    std::ofstream out(o.profile, std::ios::binary);
    if (!(out << larix::profile_json(profile)))
      throw larix::Error(larix::ErrorKind::io,
                         "cannot write '" + o.profile + "': " + std::strerror(errno));
  }
  if (o.args.empty() && result.is_function() && result.as_function()->required_args() > 0) {
    // The program defines a function and nothing to call it with: say what it expects.
    const auto& fn = *result.as_function();
    const int n = fn.required_args();
    std::cerr << "larix: " << program.source_name() << " is the function " << fn.name()
              << fn.parameters_text() << ", which needs " << n << " argument" << (n == 1 ? "" : "s")
              << ": larix run " << o.file << " ARG" << (n == 1 ? "" : "...")
              << " (each ARG a PhySL expression: 10, 2.5, [1.0, 2.0], '(1, 2))\n";
    return 2;
  }
  if (!result.is_nil()) std::cout << result.repr() << "\n";
  if (o.time)
    std::fprintf(stderr, "time: %.6f s (%d thread%s%s)\n", seconds, larix::threads(),
                 larix::threads() == 1 ? "" : "s", o.sync ? ", reference executor" : "");
  return 0;
}

int dispatch(const Options& o) {
  if (o.command == "docs") {
    const std::string name = o.file.empty() && !o.args.empty() ? o.args[0] : o.file;
    if (name.empty()) usage_error("docs needs a primitive NAME");
    std::cout << larix::primitive_doc(name);
    return 0;
  }
  if (o.command == "primitives") {
    for (const auto& p : larix::Registry::instance().all())
      std::cout << p->name << p->signature.text() << "\n";
    return 0;
  }
  if (o.command == "run") return run(o);
  if (o.command == "check") {
    compile_file(o);
    std::cout << o.file << ": ok\n";
    return 0;
  }
  if (o.command == "fmt") {
    const std::string text = read_file(o.file);
    std::cout << larix::format_physl(text, o.file);
    return 0;
  }
  if (o.command == "dump-tree") {
    larix::Program program = compile_file(o);
    std::cout << program.dump_tree();
    return 0;
  }
  usage_error("unknown command '" + o.command + "'");
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  try {
    if (options.threads > 0) larix::init(options.threads);
    return dispatch(options);
  } catch (const larix::Error& e) {
    if (e.kind() == larix::ErrorKind::interrupted) {
      std::cerr << "KeyboardInterrupt\n";
      return 128 + SIGINT;
    }
    std::cerr << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "larix: internal error: " << e.what() << "\n";
    return 3;
  }
}
