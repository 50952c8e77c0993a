#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <sstream>

#include "larix/api/larix.hpp"
#include "larix/kernels/blas_threads.hpp"
#include "larix/physl/parser.hpp"
#include "larix/physl/printer.hpp"

namespace larix {

struct Program::Impl {
  std::string text;
  compiler::CompileOptions options;
  compiler::CompiledProgram compiled;
  // When the program is definitions only (CompiledProgram::definitions_only): the function its
  // first call made, which later calls call without evaluating the top level again. Set once.
  // Its top-level frame keeps the first call's context pointer, never used again: only the
  // top level's own nodes run in that frame, and a closure's call makes a frame of its own call.
  mutable std::mutex function_mutex;
  mutable std::unique_ptr<const Value> function_owned;
  mutable std::atomic<const Value*> function{nullptr};

  void keep_function(const Value& v) const {
    std::lock_guard lock(function_mutex);
    if (function_owned) return;
    function_owned = std::make_unique<const Value>(v);
    function.store(function_owned.get(), std::memory_order_release);
  }

  // CompileOptions::specialize: the program compiled again for each signature of the calls
  // (the arguments' kinds, dtypes and ranks), at most kMaxSpecializations of them.
  // A call reads the table without a lock: an entry is written whole before spec_count counts
  // it (release), and never changes after; specs_mutex orders the writers.
  static constexpr std::size_t kMaxSpecializations = 8;
  struct Spec {
    std::string key;
    std::shared_ptr<const Impl> impl;
  };
  mutable std::mutex specs_mutex;
  mutable std::array<Spec, kMaxSpecializations> specs;
  mutable std::atomic<std::size_t> spec_count{0};

  const Impl* find_spec(const std::string& key, std::size_t count) const {
    for (std::size_t i = 0; i < count; ++i)
      if (specs[i].key == key) return specs[i].impl.get();
    return nullptr;
  }

  const Impl& for_call(const CallArgs& args, const RunOptions& run) const;
};

void attach_source_line(Error& e, const std::string& source_name, const std::string& text);

namespace {
// A call's signature as a key: per argument its kind, and an array's dtype and rank (a byte
// each: ranks are at most kMaxRank). Short enough to need no allocation for a few arguments.
std::string signature_key(const CallArgs& args) {
  static_assert(kMaxRank < 256);
  std::string key;
  for (const Value& v : args.positional) {
    key += static_cast<char>('a' + static_cast<int>(v.kind()));
    if (v.is_array()) {
      key += static_cast<char>('0' + static_cast<int>(v.as_array_ref().dtype()));
      key += static_cast<char>(v.as_array_ref().ndim());
    }
  }
  return key;
}
}  // namespace

// The program to run a call with: the one compiled for its signature (compiled at its first call),
// or this one (not specialised, keywords, a profiled call: a profile maps this program's nodes).
const Program::Impl& Program::Impl::for_call(const CallArgs& args, const RunOptions& run) const {
  if (!options.specialize || run.profiler || !args.keywords.empty() || args.positional.empty())
    return *this;
  std::string key = signature_key(args);
  if (const Impl* known = find_spec(key, spec_count.load(std::memory_order_acquire))) return *known;
  std::lock_guard lock(specs_mutex);
  const std::size_t count = spec_count.load(std::memory_order_relaxed);
  if (const Impl* known = find_spec(key, count)) return *known;  // another call compiled it
  if (count >= kMaxSpecializations) return *this;
  auto impl = std::make_shared<Impl>();
  impl->text = text;
  impl->options = options;
  impl->options.specialize = false;
  std::vector<compiler::Type> signature;
  for (const Value& v : args.positional) signature.push_back(compiler::Type::of(v, false, false));
  impl->options.signature = std::move(signature);
  impl->compiled = compiler::compile(impl->text, impl->options);  // may prove an error: raised
  specs[count] = Spec{std::move(key), impl};
  spec_count.store(count + 1, std::memory_order_release);
  return *impl;
}

void attach_source_line(Error& e, const std::string& source_name, const std::string& text) {
  if (!e.source_line().empty() || !e.loc().known() || e.loc().file_name() != source_name) return;
  std::istringstream in(text);
  std::string line;
  for (int i = 0; i < e.loc().line && std::getline(in, line); ++i) {
  }
  if (in || !line.empty()) e.set_source_line(line);
}

Program Program::compile(std::string text, compiler::CompileOptions options) {
  auto impl = std::make_shared<Impl>();
  impl->text = std::move(text);
  impl->options = std::move(options);
  try {
    impl->compiled = compiler::compile(impl->text, impl->options);
  } catch (Error& e) {
    attach_source_line(e, impl->options.source_name, impl->text);
    throw;
  }
  Program p;
  p.impl_ = std::move(impl);
  return p;
}

const std::string& Program::physl() const { return impl_->text; }
const std::string& Program::source_name() const { return impl_->options.source_name; }
const compiler::CompiledProgram& Program::compiled() const { return impl_->compiled; }

namespace {
// Hands the call's warnings to RunOptions::warnings however the call ends.
struct WarningsOut {
  CallContext& ctx;
  std::vector<std::string>* out;
  ~WarningsOut() {
    if (out) *out = ctx.warnings().take();
  }
};
}  // namespace

Value Program::call(CallArgs args, const RunOptions& options) const {
  const Impl* impl;
  try {
    impl = &impl_->for_call(args, options);
  } catch (Error& e) {
    attach_source_line(e, impl_->options.source_name, impl_->text);
    throw;
  }
  CallContext ctx(options.sync, options.profiler, options.interruptible);
  const WarningsOut warnings{ctx, options.warnings};
  const auto& compiled = impl->compiled;
  // The reference executor and profiled runs evaluate the top level every time (a profile
  // shows its nodes).
  const bool reuse = compiled.definitions_only && !options.sync && !options.profiler;
  const Value* function = reuse ? impl->function.load(std::memory_order_acquire) : nullptr;
  try {
    return ctx.run([&]() -> Future {
      const bool has_args = !args.positional.empty() || !args.keywords.empty();
      auto apply = [&args, &ctx, has_args](const Value& v) -> Future {
        if (v.is_function() && (has_args || v.as_function()->required_args() == 0))
          return v.as_function()->call(std::move(args), ctx, SourceLoc{});
        LARIX_CHECK(!has_args, type, "the program's value is ", v.type_name(),
                    ", not a function: it cannot be called with arguments");
        return v;
      };
      if (function) return apply(*function);
      auto top = std::make_shared<Frame>(compiled.slots, nullptr, ctx);
      Future value = compiled.root->eval(*top);
      if (value.ready()) {  // the usual case (`define(f, ...) f`): no dataflow state
        Value v = value.take_value();
        if (reuse && v.is_function()) impl->keep_function(v);
        return apply(v);
      }
      return dataflow(*top, {value}, [apply](std::vector<Value>& v) { return apply(v[0]); });
    });
  } catch (Error& e) {
    attach_source_line(e, impl_->options.source_name, impl_->text);
    throw;
  }
}

std::vector<std::pair<std::string, compiler::Type>> Program::specializations() const {
  std::vector<std::pair<std::string, compiler::Type>> out;
  const std::size_t count = impl_->spec_count.load(std::memory_order_acquire);
  for (std::size_t i = 0; i < count; ++i) {
    const Impl* impl = impl_->specs[i].impl.get();
    std::string text;
    for (const compiler::Type& t : *impl->options.signature)
      text += (text.empty() ? "" : ", ") + t.str();
    out.emplace_back(text, impl->compiled.result);
  }
  return out;
}

std::string Program::dump_tree() const {
  const auto& c = impl_->compiled;
  std::vector<int> depth(c.nodes.size(), 0);
  std::ostringstream out;
  for (std::size_t i = 0; i < c.nodes.size(); ++i) {
    if (c.parents[i] >= 0) depth[i] = depth[c.parents[i]] + 1;
    const Node* n = c.nodes[i];
    out << std::string(2 * depth[i], ' ') << n->name();
    if (!n->detail().empty()) out << " " << n->detail();
    out << "  #" << i;
    if (n->loc().known()) out << "  " << n->loc().str();
    out << "\n";
  }
  return out.str();
}

Value call_function(const Value& fn, CallArgs args, const RunOptions& options) {
  CallContext ctx(options.sync, options.profiler, options.interruptible);
  const WarningsOut warnings{ctx, options.warnings};
  return ctx.run([&]() -> Future {
    return fn.as_function("the called value")->call(std::move(args), ctx, SourceLoc{});
  });
}

std::string format_physl(const std::string& text, const std::string& source_name) {
  try {
    return physl::print_program(physl::parse_program_with_comments(text, source_name));
  } catch (Error& e) {
    attach_source_line(e, source_name, text);
    throw;
  }
}

void init(int threads) { Runtime::instance().init(threads); }
int threads() { return Runtime::instance().threads(); }
int blas_threads_at_last_call() { return kernels::blas_threads_at_last_call(); }
std::uint64_t array_allocations() { return buffers_allocated(); }

std::string primitive_doc(const std::string& name) {
  const PrimitiveInfo* p = Registry::instance().find(name);
  LARIX_CHECK(p, name, "no primitive named '", name, "'");
  std::string out = p->doc;
  if (!p->aliases.empty()) {
    out += "\n\nAlso called:";
    for (const auto& a : p->aliases) out += " " + a;
  }
  return out + "\n";
}

}  // namespace larix
