#include "larix/runtime/primitive.hpp"

#include "larix/support/quote.hpp"

namespace larix {

std::string Signature::text() const {
  std::string out = "(";
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i) out += ", ";
    out += params[i].name;
    if (params[i].default_value) {
      const Value& d = *params[i].default_value;
      // A string as a PhySL literal (savetxt's newline="\n").
      out += "=" + (d.is_string() ? quote(d.as_string()) : d.is_nil() ? "nil" : d.repr());
    }
  }
  if (variadic) out += std::string(params.empty() ? "" : ", ") + "...";
  return out + ")";
}

std::string TypeInfo::str() const {
  if (kind == ValueKind::array) return std::string(dtype_name(dtype)) + shape_str(shape);
  Value probe;
  switch (kind) {
    case ValueKind::boolean: return "bool";
    case ValueKind::integer: return "int";
    case ValueKind::floating: return "float";
    case ValueKind::string: return "str";
    case ValueKind::list: return "list";
    case ValueKind::dict: return "dict";
    case ValueKind::function: return "function";
    default: return "None";
  }
}

std::vector<const Node*> PrimitiveNode::children() const {
  std::vector<const Node*> out;
  for (const auto& a : args_) out.push_back(a.get());
  return out;
}

Value run_kernel(const PrimitiveInfo& info, std::span<Value> values, CallContext& ctx,
                 const SourceLoc& loc) {
  KernelArgs args(values, ctx, loc);
  const WarningScope warnings(&ctx.warnings());
  return with_location(loc, [&] { return info.kernel(args); });
}

Future PrimitiveNode::eval_impl(Frame& frame) const {
  CallContext& ctx = frame.ctx();
  auto kernel = [this, &ctx](std::vector<Value>& values) {
    return Future(
        run_as_own_work(*this, ctx, [&] { return run_kernel(info_, values, ctx, loc()); }));
  };
  if (!ordered_.empty()) return dataflow(frame, eval_all(args_, frame, ordered_), kernel);
  // The fast paths: one or two operands, the kernel at once when they are ready.
  if (args_.size() == 1) {
    Future a = args_[0]->eval(frame);
    if (a.ready()) {
      Value v = a.take_value();
      return run_kernel(info_, std::span<Value>(&v, 1), ctx, loc());
    }
    return dataflow(frame, {std::move(a)}, kernel);
  }
  if (args_.size() == 2) {
    Future a = args_[0]->eval(frame);
    Future b = args_[1]->eval(frame);
    if (a.ready() && b.ready()) {
      Value v[2] = {a.take_value(), b.take_value()};
      return run_kernel(info_, std::span<Value>(v, 2), ctx, loc());
    }
    return dataflow(frame, {std::move(a), std::move(b)}, kernel);
  }
  return dataflow(frame, eval_all(args_, frame), kernel);
}

std::vector<Value> bind_arguments(const std::string& callee, const Signature& sig, CallArgs args) {
  const std::size_t nparams = sig.params.size();
  std::vector<Value> bound;
  std::vector<bool> given(nparams, false);
  bound.resize(std::max(nparams, args.positional.size()));
  if (args.positional.size() > nparams && !sig.variadic) {
    user_error(ErrorKind::type, callee, "() takes ", nparams == 0 ? "no" : std::to_string(nparams),
               " argument", nparams == 1 ? "" : "s", " but ", args.positional.size(),
               " were given");
  }
  for (std::size_t i = 0; i < args.positional.size(); ++i) {
    bound[i] = std::move(args.positional[i]);
    if (i < nparams) given[i] = true;
  }
  for (auto& [name, value] : args.keywords) {
    std::size_t i = 0;
    while (i < nparams && sig.params[i].name != name) ++i;
    if (i == nparams)
      user_error(ErrorKind::type, callee, "() got an unexpected keyword argument '", name, "'");
    if (given[i])
      user_error(ErrorKind::type, callee, "() got multiple values for argument '", name, "'");
    bound[i] = std::move(value);
    given[i] = true;
  }
  for (std::size_t i = 0; i < nparams; ++i) {
    if (given[i]) continue;
    if (!sig.params[i].default_value)
      user_error(ErrorKind::type, callee, "() missing required argument '", sig.params[i].name,
                 "'");
    bound[i] = *sig.params[i].default_value;
  }
  return bound;
}

Future BuiltinFunction::call(CallArgs args, CallContext& ctx, const SourceLoc& call_site) const {
  LARIX_CHECK(info_.kind == PrimitiveKind::regular, type, "'", info_.name,
              "' controls how its operands are evaluated and cannot be called as a value");
  std::vector<Value> values = with_location(
      call_site, [&] { return bind_arguments(info_.name, info_.signature, std::move(args)); });
  return run_kernel(info_, values, ctx, call_site);
}

int BuiltinFunction::required_args() const {
  int n = 0;
  for (const auto& p : info_.signature.params) n += p.default_value ? 0 : 1;
  return n;
}

}  // namespace larix
