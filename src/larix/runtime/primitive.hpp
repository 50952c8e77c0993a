// PrimitiveInfo: what the registry knows about a primitive (name, signature, docs, rules, kernel),
// and the generic node that runs a regular primitive: operands are evaluated as futures and the
// kernel runs once they are all ready (dataflow). Control primitives bring their own node type.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "larix/runtime/distributed.hpp"
#include "larix/runtime/function.hpp"
#include "larix/runtime/narrow.hpp"
#include "larix/runtime/node.hpp"

namespace larix {

struct Param {
  std::string name;
  std::optional<Value> default_value;  // none: required
};

struct Signature {
  std::vector<Param> params;
  bool variadic = false;     // extra positional arguments accepted (after params)
  std::string text() const;  // "name(a, b=1, *args)"
};

// A kernel's operands: a view of values the caller owns (a small array on the fast path).
class KernelArgs {
 public:
  KernelArgs(std::span<Value> values, CallContext& ctx, const SourceLoc& loc)
      : values_(values), ctx_(ctx), loc_(loc) {}
  KernelArgs(std::vector<Value>& values, CallContext& ctx, const SourceLoc& loc)
      : KernelArgs(std::span<Value>(values), ctx, loc) {}
  std::size_t size() const { return values_.size(); }
  const Value& operator[](std::size_t i) const { return values_[i]; }
  // Moves an argument out (lets a kernel reuse a uniquely owned buffer: copy-on-write).
  Value take(std::size_t i) { return std::move(values_[i]); }
  std::span<Value> all() { return values_; }
  CallContext& ctx() const { return ctx_; }
  const SourceLoc& loc() const { return loc_; }

 private:
  std::span<Value> values_;
  CallContext& ctx_;
  const SourceLoc& loc_;
};

using Kernel = std::function<Value(KernelArgs&)>;

struct ControlArgs;  // defined by the compiler layer's node builders (see primitives/control.hpp)

enum class PrimitiveKind {
  regular,  // operands evaluated first (as futures), then the kernel runs
  control,  // gets its operands unevaluated and decides what to evaluate when
};

// What a primitive's shape/dtype rule sees and returns: kinds and array types, no data.
struct TypeInfo {
  ValueKind kind = ValueKind::nil;
  DType dtype = DType::float64;
  Shape shape;
  // The value itself when it is known (a literal, or the actual value when a result is checked):
  // rules whose result depends on an argument's value (axis=, keepdims=) need it. A rule that
  // cannot tell returns kind `unbound` ("not known before running").
  std::optional<Value> value;
  std::string str() const;
};
// Given the operands' types, the result's type (or a user error: shape mismatch, bad dtype...).
using TypeRule = std::function<TypeInfo(const std::vector<TypeInfo>&)>;

struct PrimitiveInfo {
  std::string name;                  // the PhySL name (Phylanx's where Phylanx had it)
  std::vector<std::string> aliases;  // further names: NumPy's (amax for max, ...)
  Signature signature;
  std::string doc;
  PrimitiveKind kind = PrimitiveKind::regular;
  bool pure = true;     // no side effect, result depends on operands only (constant-foldable)
  bool effect = false;  // ordered side effect (output, files, random state)
  Kernel kernel;        // regular primitives
  TypeRule type_rule;   // regular primitives: optional shape/dtype rule checked against results
  // Narrow dtypes (runtime/narrow.hpp): how run_kernel widens operands and types the result;
  // set by the registry's table (primitives/registry.cpp). dtype_param: the position of the
  // `dtype` parameter (-1: none), whose narrow name the kernel sees as its compute dtype's.
  NarrowPolicy narrow = NarrowPolicy::widen;
  int dtype_param = -1;
  // Whether int64 arithmetic gives a uint64 operand's bits exactly (+ - * & | ^ ~ <<, sums, data
  // movement: two's complement wraps alike), so values of 2**63 and more may be computed too.
  bool uint64_as_bits = false;
  // How a call with a distributed operand runs (runtime/distributed.hpp); set by the registry's
  // table. none: such an operand is a TypeError.
  DistPolicy dist = DistPolicy::none;
  std::function<NodePtr(struct ControlBuild&)> build;  // control primitives
};

// What a control primitive's builder gets: its compiled operand nodes (keywords already bound to
// parameter positions, defaults filled in) and where it was called.
struct ControlBuild {
  const PrimitiveInfo& info;
  std::vector<NodePtr> args;
  SourceLoc loc;
};

class PrimitiveNode : public Node {
 public:
  PrimitiveNode(const PrimitiveInfo& info, std::vector<NodePtr> args, SourceLoc loc)
      : Node(info.name, std::move(loc)), info_(info), args_(std::move(args)) {}
  std::vector<const Node*> children() const override;
  const PrimitiveInfo& info() const { return info_; }
  const std::vector<NodePtr>& args() const { return args_; }
  // Operands with ordered effects that must run one after another (see eval_all).
  void set_ordered(std::vector<bool> ordered) { ordered_ = std::move(ordered); }

 protected:
  Future eval_impl(Frame& frame) const override;

 private:
  const PrimitiveInfo& info_;
  std::vector<NodePtr> args_;
  std::vector<bool> ordered_;  // empty: every operand may run at once
};

// Runs a regular primitive's kernel on ready values (also used by constant folding).
Value run_kernel(const PrimitiveInfo& info, std::span<Value> values, CallContext& ctx,
                 const SourceLoc& loc);

// info.type_rule as the kernel's types go through run_kernel: narrow operand dtypes widened
// before the rule, its result's dtype narrowed after (runtime/narrow.hpp).
TypeInfo apply_type_rule(const PrimitiveInfo& info, std::vector<TypeInfo> in);

// Binds positional and keyword arguments to a signature: fills defaults, reports unknown keywords,
// missing and surplus arguments (as user errors that name the primitive or function).
std::vector<Value> bind_arguments(const std::string& callee, const Signature& sig, CallArgs args);

// A primitive used as a value (fold_left(__add, 0, l)).
class BuiltinFunction : public Function {
 public:
  explicit BuiltinFunction(const PrimitiveInfo& info) : info_(info) {}
  Future call(CallArgs args, CallContext& ctx, const SourceLoc& call_site) const override;
  std::string name() const override { return info_.name; }
  int required_args() const override;

 private:
  const PrimitiveInfo& info_;
};

}  // namespace larix
