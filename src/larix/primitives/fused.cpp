// __fused(f, x...): f(x...) for a lambda f whose body is a chain of element-wise operations on its
// parameters and number literals (optionally reduced whole: sum(chain), mean(chain)), what the
// compiler's element-wise fusion (compiler/fuse_elementwise.cpp) makes of such a chain. The node
// reads the chain once, when it is built, into a fused program (kernels/fused.hpp).
//
// At each evaluation it evaluates the x, then follows the operations' own type rules over the
// values' kinds, dtypes and shapes. Operations of Python scalars only run at once (their kernels,
// as the chain would run them). When every other operation computes in float64 (operands float64,
// int64 or bool arrays and Python scalars) and gives float64 or bool, the chain runs as one fused
// pass: one result array, no temporaries, the same bits as unfused. Otherwise (another dtype, a
// list, shapes that do not broadcast, a type error...) each operation's kernel runs in order on the
// values, with its own location: the results and errors of the chain as written.
#include "larix/primitives/fused.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <unordered_map>

#include "larix/primitives/control_support.hpp"
#include "larix/runtime/profiler.hpp"

namespace larix {

namespace {

using kernels::BinaryOp;
using kernels::UnaryOp;
using kernels::fused::Step;

const std::unordered_map<std::string, FusableOp>& fusable_table() {
  static const std::unordered_map<std::string, FusableOp> table = [] {
    std::unordered_map<std::string, FusableOp> t;
    const std::pair<const char*, BinaryOp> binary[] = {
        {"__add", BinaryOp::add},
        {"__sub", BinaryOp::subtract},
        {"__mul", BinaryOp::multiply},
        {"__div", BinaryOp::true_divide},
        {"__floordiv", BinaryOp::floor_divide},
        {"__mod", BinaryOp::mod},
        {"power", BinaryOp::power},
        {"__eq", BinaryOp::equal},
        {"__ne", BinaryOp::not_equal},
        {"__lt", BinaryOp::less},
        {"__le", BinaryOp::less_equal},
        {"__gt", BinaryOp::greater},
        {"__ge", BinaryOp::greater_equal},
        {"maximum", BinaryOp::maximum},
        {"minimum", BinaryOp::minimum},
        {"arctan2", BinaryOp::arctan2},
    };
    for (const auto& [name, op] : binary) t[name] = {.kind = Step::Kind::binary, .binary = op};
    t["__minus"] = {.kind = Step::Kind::unary, .unary = UnaryOp::negative, .arity = 1};
    for (int k = 0; k <= static_cast<int>(UnaryOp::sigmoid); ++k) {
      const auto op = static_cast<UnaryOp>(k);
      if (op == UnaryOp::invert || op == UnaryOp::negative) continue;
      t[kernels::unary_op_name(op)] = {.kind = Step::Kind::unary, .unary = op, .arity = 1};
    }
    t["where"] = {.kind = Step::Kind::where, .arity = 3};
    return t;
  }();
  return table;
}

// An operation of the chain as the node keeps it: its primitive (for the type rule and for the
// kernel when the chain does not fuse), where it was written, and its operands' registers.
struct Op {
  const PrimitiveInfo* info = nullptr;
  const PrimitiveNode* node = nullptr;  // its location
  FusableOp fusable;
  std::vector<int> operands;
};

// Registers: the parameters, then the literals, then each operation's result.
struct Chain {
  int params = 0;
  std::vector<Value> literals;
  std::vector<Op> ops;
  // The chain's value is summed whole (sum(chain) or mean(chain) with no other argument).
  bool sum = false;
  bool mean = false;  // and divided by the number of elements
  const PrimitiveNode* sum_node = nullptr;
};

// With a profile, what one evaluation of the chain books to its nodes: per operation (and the
// sum, last) whether it ran, its own time and the part of it not yet booked as exclusive.
struct Booking {
  Booking(std::size_t nodes, std::int64_t now)
      : ran(nodes), own(nodes), exclusive(nodes), end(nodes, now) {}
  std::vector<char> ran;
  std::vector<std::int64_t> own, exclusive;
  std::vector<std::int64_t> end;  // when it finished (the trace's slices end there)
};

// Reads the lambda's body into a chain; false when it is something else (the node then calls f).
class ChainReader {
 public:
  explicit ChainReader(Chain& chain) : chain_(chain) {}

  bool read(const FunctionCode& code) {
    chain_.params = static_cast<int>(code.params.size());
    const Node* body = code.body.get();
    if (auto* p = dynamic_cast<const PrimitiveNode*>(body); p && is_fusable_reduction(p->info())) {
      const auto& args = p->args();
      for (std::size_t i = 1; i < args.size(); ++i) {
        auto* c = dynamic_cast<const ConstantNode*>(args[i].get());
        const Value& d = *p->info().signature.params[i].default_value;
        if (!c || c->value().kind() != d.kind() || (d.is_bool() && c->value().as_bool() != false))
          return false;
      }
      chain_.sum = true;
      chain_.mean = p->info().name == "mean";
      chain_.sum_node = p;
      body = args[0].get();
    }
    // A parameter (< params) or a literal (< 0) alone: nothing to compute.
    if (register_of(*body) < chain_.params) return false;
    // Literals come after the parameters: renumber the operands that named them.
    const int base = chain_.params, nlit = static_cast<int>(literals_.size());
    chain_.literals = literals_;
    for (Op& op : chain_.ops)
      for (int& r : op.operands) r = r < 0 ? base + (-r - 1) : (r >= base ? r + nlit : r);
    return ok_;
  }

 private:
  // The register holding node's value: >= 0 a parameter or an operation (before renumbering:
  // operations count from `params`), < 0 literal -r - 1.
  int register_of(const Node& node) {
    if (auto* v = dynamic_cast<const VariableNode*>(&node)) {
      if (v->slot().depth != 0 || v->slot().index >= chain_.params) ok_ = false;
      return v->slot().index;
    }
    if (auto* c = dynamic_cast<const ConstantNode*>(&node)) {
      if (!c->value().is_number()) ok_ = false;
      literals_.push_back(c->value());
      return -static_cast<int>(literals_.size());
    }
    auto* p = dynamic_cast<const PrimitiveNode*>(&node);
    const FusableOp* f = p ? fusable_op(p->info()) : nullptr;
    if (!f || static_cast<int>(p->args().size()) != f->arity) {
      ok_ = false;
      return 0;
    }
    Op op{.info = &p->info(), .node = p, .fusable = *f};
    for (const NodePtr& a : p->args()) op.operands.push_back(register_of(*a));
    chain_.ops.push_back(std::move(op));
    return chain_.params + static_cast<int>(chain_.ops.size()) - 1;
  }

  Chain& chain_;
  std::vector<Value> literals_;
  bool ok_ = true;
};

TypeInfo type_of(const Value& v) {
  TypeInfo t{.kind = v.kind()};
  if (v.is_array()) {
    t.dtype = v.as_array_ref().dtype();
    t.shape = v.as_array_ref().shape();
  } else if (v.is_number()) {
    t.value = v;
  }
  return t;
}

bool readable(DType d) { return d == DType::float64 || d == DType::int64 || d == DType::bool_; }

// The dtype an operation computes in and gives, when both are float64 (bool results: compared
// or tested in float64). `in` are the operands' types.
bool computes_in_float64(const FusableOp& f, const std::vector<TypeInfo>& in_types,
                         const TypeInfo& out) {
  if (out.kind != ValueKind::array || (out.dtype != DType::float64 && out.dtype != DType::bool_))
    return false;
  std::vector<const TypeInfo*> in;
  for (const TypeInfo& t : in_types) {
    if (t.kind == ValueKind::array ? !readable(t.dtype) : !t.value) return false;
    in.push_back(&t);
  }
  auto dtype = [](const TypeInfo& t) {
    return t.kind == ValueKind::array      ? t.dtype
           : t.kind == ValueKind::floating ? DType::float64
           : t.kind == ValueKind::integer  ? DType::int64
                                           : DType::bool_;
  };
  switch (f.kind) {
    case Step::Kind::binary: {
      const DType promoted = kernels::promote_weak(dtype(*in[0]), in[0]->kind != ValueKind::array,
                                                   dtype(*in[1]), in[1]->kind != ValueKind::array);
      return kernels::binary_compute_dtype(f.binary, promoted) == DType::float64;
    }
    case Step::Kind::unary:
      if (out.dtype == DType::bool_) return dtype(*in[0]) == DType::float64;  // isnan, not, ...
      return out.dtype == DType::float64;
    case Step::Kind::where: return out.dtype == DType::float64;
  }
  return false;
}

class FusedNode : public ControlNode {
 public:
  // In the tree (profiles, dump-tree), a fused chain shows its operations, not the lambda.
  std::vector<const Node*> children() const override {
    std::vector<const Node*> out = ControlNode::children();
    if (fused_) out[0] = static_cast<const LambdaNode&>(arg(0)).code().body.get();
    return out;
  }

  explicit FusedNode(ControlBuild& b) : ControlNode(b) {
    auto* f = dynamic_cast<const LambdaNode*>(&arg(0));
    if (f && f->code().params.size() + 1 == nargs()) {
      ChainReader reader(chain_);
      fused_ = reader.read(f->code());
    }
    if (fused_) {
      uses_.assign(chain_.params + chain_.literals.size() + chain_.ops.size(), 0);
      for (const Op& op : chain_.ops)
        for (int r : op.operands) ++uses_[r];
    }
  }

 protected:
  Future eval_impl(Frame& frame) const override {
    std::vector<Future> inputs;
    for (std::size_t i = fused_ ? 1 : 0; i < nargs(); ++i) inputs.push_back(arg(i).eval(frame));
    return dataflow(
        frame, std::move(inputs),
        [this, &frame](std::vector<Value>& v) -> Future {
          CallContext& ctx = frame.ctx();
          if (!fused_) return call_lambda(v, ctx);
          return run_as_own_work(*this, ctx, [&] { return run(v, ctx); });
        },
        &loc());
  }

 private:
  Future call_lambda(std::vector<Value>& v, CallContext& ctx) const {
    CallArgs args;
    args.positional.assign(v.begin() + 1, v.end());
    return call_function(v[0], std::move(args), ctx, loc());
  }

  Value run(std::vector<Value>& params, CallContext& ctx) const {
    const std::size_t nin = chain_.params + chain_.literals.size();
    std::vector<Value> regs(nin + chain_.ops.size());
    std::move(params.begin(), params.end(), regs.begin());
    std::copy(chain_.literals.begin(), chain_.literals.end(), regs.begin() + chain_.params);
    std::optional<Booking> booking;
    if (ctx.profiler()) booking.emplace(chain_.ops.size() + 1, ctx.profiler()->now_ns());
    std::optional<Value> out = try_fused(regs, ctx, booking);
    if (!out) out = run_each(regs, ctx, booking);
    if (booking) book(ctx, *booking);
    return std::move(*out);
  }

  // Books each node's evaluation: inline, its inclusive time its own plus its operands'.
  void book(CallContext& ctx, const Booking& b) const {
    const std::size_t nin = chain_.params + chain_.literals.size();
    std::vector<std::int64_t> inclusive(b.own);
    for (std::size_t k = 0; k < chain_.ops.size(); ++k)
      for (int o : chain_.ops[k].operands)
        if (o >= static_cast<int>(nin)) inclusive[k] += inclusive[o - nin];
    if (chain_.sum) inclusive.back() += inclusive[chain_.ops.size() - 1];
    for (std::size_t k = 0; k < b.ran.size(); ++k) {
      if (!b.ran[k]) continue;
      const Node& node = k < chain_.ops.size() ? *chain_.ops[k].node : *chain_.sum_node;
      NodeCounters& c = ctx.profiler()->counters(node.id());
      c.count.fetch_add(1, std::memory_order_relaxed);
      c.inline_runs.fetch_add(1, std::memory_order_relaxed);
      c.inclusive_ns.fetch_add(inclusive[k], std::memory_order_relaxed);
      c.exclusive_ns.fetch_add(b.exclusive[k], std::memory_order_relaxed);
      if (ctx.profiler()->tracing())
        ctx.profiler()->add_event(node.id(), b.end[k] - inclusive[k], inclusive[k]);
    }
  }

  // The chain as one pass, when its values fit (see the file's comment); nullopt otherwise.
  // Operations of Python scalars only are computed into `regs` on the way.
  std::optional<Value> try_fused(std::vector<Value>& regs, CallContext& ctx,
                                 std::optional<Booking>& booking) const {
    const std::size_t nin = chain_.params + chain_.literals.size();
    const std::size_t one = regs.size();  // an operand that is 1.0 (x ** -1 is 1 / x)
    std::vector<TypeInfo> types;
    types.reserve(regs.size());
    for (std::size_t r = 0; r < nin; ++r) types.push_back(type_of(regs[r]));
    struct Pending {
      Step step;
      std::array<std::size_t, 3> operands{};  // chain registers, or `one`
      std::size_t count = 0;
    };
    std::vector<Pending> steps;
    steps.reserve(chain_.ops.size());
    std::vector<int> step_of(regs.size() + 1, -1);  // chain register (or `one`) -> its step
    std::vector<const Op*> step_op;                 // the operation each step comes from
    step_op.reserve(chain_.ops.size());
    std::vector<TypeInfo> in;  // an operation's operands' types
    for (std::size_t k = 0; k < chain_.ops.size(); ++k) {
      const Op& op = chain_.ops[k];
      const std::size_t r = nin + k;
      bool scalars = true;
      in.clear();
      for (int o : op.operands) {
        in.push_back(types[o]);
        scalars = scalars && types[o].kind != ValueKind::array && types[o].value.has_value();
      }
      if (scalars) {  // Python scalars: the operation's kernel, as the chain runs it
        std::vector<Value> operands;
        for (int o : op.operands) operands.push_back(regs[o]);
        try {
          regs[r] = run_kernel(*op.info, operands, ctx, op.node->loc());
        } catch (const std::exception&) {
          return std::nullopt;  // reported by run_each, in the chain's order
        }
        if (!regs[r].is_number()) return std::nullopt;  // a 0-d array
        if (booking) booking->ran[k] = 1;
        types.push_back(type_of(regs[r]));
        continue;
      }
      TypeInfo out;
      try {
        out = op.info->type_rule(in);
      } catch (const std::exception&) {
        return std::nullopt;  // the operation's kernel reports it, at its line
      }
      if (!computes_in_float64(op.fusable, in, out)) return std::nullopt;
      types.push_back(std::move(out));
      Pending p{.step = {.kind = op.fusable.kind,
                         .binary = op.fusable.binary,
                         .unary = op.fusable.unary}};
      for (int o : op.operands) p.operands[p.count++] = static_cast<std::size_t>(o);
      // NumPy's power with one exponent for a base of the result's shape (kernels::binary).
      const std::size_t base = p.operands[0], exponent = p.operands[p.count - 1];
      if (op.fusable.kind == Step::Kind::binary && op.fusable.binary == BinaryOp::power &&
          shape_size(types[exponent].shape) == 1 && types[base].shape == types[r].shape) {
        if (step_of[exponent] >= 0) return std::nullopt;  // its value is known only in the pass
        const double e = regs[exponent].is_array() ? regs[exponent].as_array_ref().item_as_double()
                                                   : regs[exponent].as_double();
        if (e == 2) {
          p.step.binary = BinaryOp::multiply;
          p.operands = {base, base};
        } else if (e == 0.5) {
          p.step = {.kind = Step::Kind::unary, .unary = UnaryOp::sqrt};
          p.operands = {base};
          p.count = 1;
        } else if (e == -1) {
          p.step.binary = BinaryOp::true_divide;
          p.operands = {one, base};
        }
      }
      step_of[r] = static_cast<int>(steps.size());
      steps.push_back(std::move(p));
      step_op.push_back(&op);
    }
    if (steps.empty() || step_of[one - 1] < 0) return std::nullopt;  // the last one
    const TypeInfo& result = types.back();
    if (chain_.sum && result.dtype != DType::float64) return std::nullopt;

    // The program: its inputs in the order of first use, then the steps.
    kernels::fused::Program program;
    std::vector<kernels::fused::Input> inputs;
    std::vector<int> input_of(regs.size() + 1, -1);
    inputs.reserve(nin + 1);
    for (const Pending& p : steps)
      for (std::size_t i = 0; i < p.count; ++i) {
        const std::size_t o = p.operands[i];
        if (step_of[o] >= 0 || input_of[o] >= 0) continue;
        input_of[o] = static_cast<int>(inputs.size());
        if (o == one) inputs.push_back({.value = 1.0});
        else if (regs[o].is_array()) inputs.push_back({.array = &regs[o].as_array_ref()});
        else inputs.push_back({.value = regs[o].as_double()});
      }
    program.inputs = static_cast<int>(inputs.size());
    program.steps.reserve(steps.size());
    for (const Pending& p : steps) {
      Step s = p.step;
      int* fields[3] = {&s.a, &s.b, &s.c};
      for (std::size_t i = 0; i < p.count; ++i) {
        const std::size_t o = p.operands[i];
        *fields[i] = step_of[o] >= 0 ? program.inputs + step_of[o] : input_of[o];
      }
      program.steps.push_back(s);
    }
    // With a profile, each step's time is its operation's (the node's own is what remains).
    std::vector<std::atomic<std::int64_t>> times(booking ? steps.size() : 0);
    Value out;
    if (chain_.sum) {
      double total = kernels::fused::sum(program, inputs, result.shape, times);
      // mean(): the sum divided by the count, as kernels::mean (and NumPy) divide it.
      if (chain_.mean) total /= static_cast<double>(shape_size(result.shape));
      out = Value(Array::scalar(total));
    } else {
      out = Value(kernels::fused::evaluate(program, inputs, result.shape, result.dtype, times));
    }
    std::int64_t booked = 0;
    for (std::size_t s = 0; s < times.size(); ++s) {
      const auto k = static_cast<std::size_t>(step_op[s] - chain_.ops.data());
      booking->ran[k] = 1;
      booking->own[k] = booking->exclusive[k] = times[s].load();
      booked += times[s].load();
    }
    if (booking && chain_.sum) booking->ran.back() = 1;
    if (booking) {  // the steps ran side by side, block by block: their slices end together
      const std::int64_t now = ctx.profiler()->now_ns();
      std::fill(booking->end.begin(), booking->end.end(), now);
    }
    book_nested_work_ns(booked);
    return out;
  }

  // Each operation's kernel in order, on the values, with its own location.
  Value run_each(std::vector<Value>& regs, CallContext& ctx,
                 std::optional<Booking>& booking) const {
    std::vector<int> left = uses_;
    const std::size_t nin = chain_.params + chain_.literals.size();
    for (std::size_t k = 0; k < chain_.ops.size(); ++k) {
      const Op& op = chain_.ops[k];
      if (regs[nin + k].is_number()) continue;  // computed by try_fused
      std::vector<Value> operands;
      for (int o : op.operands) operands.push_back(--left[o] == 0 ? std::move(regs[o]) : regs[o]);
      regs[nin + k] = run_timed(*op.node, *op.info, operands, ctx, booking, k);
    }
    if (!chain_.sum) return std::move(regs.back());
    // The reduction's other arguments are its defaults (the chain reader checked).
    std::vector<Value> operands{std::move(regs.back())};
    const auto& params = chain_.sum_node->info().signature.params;
    for (std::size_t i = 1; i < params.size(); ++i) operands.push_back(*params[i].default_value);
    return run_timed(*chain_.sum_node, chain_.sum_node->info(), operands, ctx, booking,
                     chain_.ops.size());
  }

  // The kernel of node k as that node's own work (its exclusive time is booked by the scope).
  static Value run_timed(const PrimitiveNode& node, const PrimitiveInfo& info,
                         std::vector<Value>& operands, CallContext& ctx,
                         std::optional<Booking>& booking, std::size_t k) {
    auto kernel = [&] { return run_kernel(info, operands, ctx, node.loc()); };
    if (!booking) return kernel();
    const std::int64_t t0 = ctx.profiler()->now_ns();
    Value v = run_as_own_work(node, ctx, kernel);
    booking->ran[k] = 1;
    booking->end[k] = ctx.profiler()->now_ns();
    booking->own[k] = booking->end[k] - t0;
    return v;
  }

  Chain chain_;
  bool fused_ = false;
  std::vector<int> uses_;  // how many operations read each register
};

}  // namespace

const FusableOp* fusable_op(const PrimitiveInfo& info) {
  const auto& t = fusable_table();
  auto it = t.find(info.name);
  return it == t.end() ? nullptr : &it->second;
}

bool is_fusable_reduction(const PrimitiveInfo& info) {
  return info.name == "sum" || info.name == "mean";
}

void register_fused(Registry& r) {
  r.add({.name = "__fused",
         .signature = {{arg("f")}, true},
         .doc = "__fused(f, x...)\n\nf(x...), for a lambda f whose body is a chain of element-wise "
                "operations (+ - * / // % **, comparisons, maximum, minimum, where, unary math) "
                "of its parameters and number literals, possibly reduced whole (sum(chain) or "
                "mean(chain)): what "
                "the compiler's element-wise fusion makes of such a chain. When every operation "
                "computes in float64 (float64, int64 and bool arrays, Python scalars), the chain "
                "runs as one pass over the elements, without temporary arrays, with the bits of "
                "the chain as written; other values run each operation as written.",
         .kind = PrimitiveKind::control,
         .build = build_node<FusedNode>()});
}

}  // namespace larix
