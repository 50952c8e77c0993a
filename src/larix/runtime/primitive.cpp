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

namespace {
// Whether the call names its result's dtype (a `dtype` argument that is not None).
bool explicit_dtype(const PrimitiveInfo& info, std::span<const Value> values) {
  return info.dtype_param >= 0 && static_cast<std::size_t>(info.dtype_param) < values.size() &&
         values[info.dtype_param].is_string();
}

// A kernel call with narrow operands (runtime/narrow.hpp): the target dtype from the operands as
// they came, the kernel on widened ones, its result narrowed.
Value run_narrow(const PrimitiveInfo& info, std::span<Value> values, KernelArgs& args) {
  std::vector<OperandType> types;
  types.reserve(values.size());
  for (const Value& v : values) types.push_back(operand_type(v));
  std::optional<DType> target = narrow_target(info.narrow, {types.data(), types.size()});
  if (explicit_dtype(info, values)) target.reset();  // the kernel's, unless a narrow one
  if (std::optional<DType> requested =
          widen_operands(info.narrow, values, info.dtype_param, target, info.uint64_as_bits))
    target = requested;
  Value result = info.kernel(args);
  return target ? narrow_result(std::move(result), *target,
                                info.narrow == NarrowPolicy::like_first_head)
                : result;
}
}  // namespace

Value run_kernel(const PrimitiveInfo& info, std::span<Value> values, CallContext& ctx,
                 const SourceLoc& loc) {
  const WarningScope warnings(&ctx.warnings());
  return with_location(loc, [&] {
    auto local = [&](std::span<Value> operands) {
      KernelArgs args(operands, ctx, loc);
      if (info.narrow != NarrowPolicy::keep && has_narrow(operands, info.dtype_param)) [[unlikely]]
        return run_narrow(info, operands, args);
      return info.kernel(args);
    };
    if (has_tiled(values)) [[unlikely]]
      return run_distributed(info, values, loc, local);
    return local(values);
  });
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

TypeInfo apply_type_rule(const PrimitiveInfo& info, std::vector<TypeInfo> in) {
  bool narrow = false;
  for (const TypeInfo& t : in)
    narrow = narrow || (t.kind == ValueKind::array && is_narrow(t.dtype));
  const std::size_t dp = static_cast<std::size_t>(info.dtype_param);
  std::optional<DType> requested;
  const bool has_dtype =
      info.dtype_param >= 0 && dp < in.size() && in[dp].value && in[dp].value->is_string();
  const bool keep_first = keeps_first_operand(info.narrow);
  if (has_dtype && !keep_first) requested = narrow_dtype_named(in[dp].value->as_string());
  if ((!narrow && !requested) || info.narrow == NarrowPolicy::keep) return info.type_rule(in);
  // As run_kernel: the rule sees the widened operands, its result is narrowed.
  std::vector<OperandType> types;
  for (const TypeInfo& t : in) {
    OperandType o;
    o.kind = t.kind;
    o.dtype = t.dtype;
    o.has_array = t.kind == ValueKind::array;
    if (t.kind == ValueKind::integer && t.value && t.value->is_int())
      o.int_value = t.value->as_int();
    types.push_back(o);
  }
  std::optional<DType> target = narrow_target(info.narrow, {types.data(), types.size()});
  if (has_dtype) target.reset();
  if (requested) {
    target = requested;
    in[dp].value = Value(std::string(dtype_name(compute_dtype(*requested))));
  }
  for (std::size_t i = keep_first ? 1 : 0; i < in.size(); ++i)
    if (in[i].kind == ValueKind::array) in[i].dtype = compute_dtype(in[i].dtype);
  TypeInfo out = info.type_rule(in);
  if (target && out.kind == ValueKind::array) out.dtype = narrowed_dtype(out.dtype, *target);
  return out;
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
