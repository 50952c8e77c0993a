#include "larix/runtime/basic_nodes.hpp"

#include "larix/support/thread_index.hpp"

namespace larix {

ConstantNode::ConstantNode(Value value, SourceLoc loc)
    : Node("constant", std::move(loc)), value_(std::move(value)) {
  if (value_.is_string() || value_.is_list() || value_.is_dict() || value_.is_array())
    replicas_ = std::make_unique<std::atomic<const Value*>[]>(kReplicas);
}

ConstantNode::~ConstantNode() {
  if (replicas_)
    for (std::size_t i = 0; i < kReplicas; ++i) delete replicas_[i].load(std::memory_order_relaxed);
}

const Value& ConstantNode::replica() const {
  std::atomic<const Value*>& cell = replicas_[thread_index() % kReplicas];
  const Value* mine = cell.load(std::memory_order_acquire);
  if (mine) [[likely]]
    return *mine;
  auto made = std::make_unique<const Value>(value_.replica());
  // Two threads share a cell only beyond kReplicas threads: the first one's replica stays.
  if (cell.compare_exchange_strong(mine, made.get(), std::memory_order_acq_rel))
    return *made.release();
  return *mine;
}

std::string ConstantNode::detail() const {
  std::string text = value_.is_string() ? "\"" + value_.repr() + "\"" : value_.repr();
  return text.size() > 40 ? text.substr(0, 37) + "..." : text;
}

const Value& VariableNode::read(Frame& frame) const {
  const Value& v = frame.slot(slot_.depth, slot_.index);
  LARIX_CHECK(!v.is_unbound(), runtime, "variable '", var_, "' is used before it is defined");
  return v;
}

Value VariableNode::readable(const Value& stored) {
  if (stored.is_function())
    if (const auto* self = dynamic_cast<const SelfClosure*>(stored.function_ptr()))
      return self->strong();
  return stored;
}

Future VariableNode::eval_impl(Frame& frame) const { return readable(read(frame)); }

Value AssignNode::storable(const Value& v, const Frame* target) {
  const auto* closure = v.is_function() ? dynamic_cast<const Closure*>(v.function_ptr()) : nullptr;
  return closure && closure->captured_frame() == target ? closure->as_self_reference() : v;
}

Future AssignNode::eval_impl(Frame& frame) const {
  Future value = value_->eval(frame);
  auto write = [this, &frame](const Value& v) -> Future {
    Frame& target = frame.outer(slot_.depth);
    target.slot(0, slot_.index) = storable(v, &target);
    return is_define_ ? v : Value();
  };
  if (value.ready()) return write(value.value());
  return dataflow(frame, {value}, [write](std::vector<Value>& v) { return write(v[0]); });
}

std::vector<const Node*> StoreIndexedNode::children() const {
  std::vector<const Node*> out{value_.get()};
  for (const auto& i : indices_) out.push_back(i.get());
  return out;
}

Future StoreIndexedNode::eval_impl(Frame& frame) const {
  std::vector<Future> inputs{value_->eval(frame)};
  for (const auto& i : indices_) inputs.push_back(i->eval(frame));
  return dataflow(frame, std::move(inputs), [this, &frame](std::vector<Value>& values) {
    Value& slot = frame.slot(slot_.depth, slot_.index);
    LARIX_CHECK(!slot.is_unbound(), runtime, "variable '", var_, "' is used before it is defined");
    // (target, value, indices...): the target moves out of the slot so its buffer may be unique.
    std::vector<Value> operands;
    operands.reserve(values.size() + 1);
    operands.push_back(std::move(slot));
    slot = Value::unbound();
    for (auto& v : values) operands.push_back(std::move(v));
    try {
      slot = run_kernel(writer_, operands, frame.ctx(), loc());
    } catch (...) {
      if (!operands[0].is_unbound() && slot.is_unbound()) slot = std::move(operands[0]);
      throw;
    }
    return Future(Value());
  });
}

std::vector<const Node*> BlockNode::children() const {
  std::vector<const Node*> out;
  for (const auto& s : statements_) out.push_back(s.get());
  return out;
}

Future BlockNode::eval_impl(Frame& frame) const {
  const std::size_t n = statements_.size();
  if (n == 0) return Value();
  // The fast path: while every statement finishes at once, all dependencies are met; only the
  // last value is kept.
  std::size_t i = 0;
  Future last;
  for (; i < n; ++i) {
    last = statements_[i]->eval(frame);
    if (!last.ready()) break;
    if (auto e = last.error()) std::rethrow_exception(e);
  }
  if (i == n) return last;
  // Statement i is pending: from here on, statements start when their dependencies are done.
  std::vector<Future> results(n);
  results[i] = std::move(last);
  for (++i; i < n; ++i) {
    const NodePtr& statement = statements_[i];
    bool deps_ready = true;
    for (int d : deps_[i]) deps_ready = deps_ready && results[d].ready();
    if (deps_ready) {
      for (int d : deps_[i])
        if (auto e = results[d].error()) std::rethrow_exception(e);
      results[i] = statement->eval(frame);
    } else {
      std::vector<Future> inputs;
      for (int d : deps_[i]) inputs.push_back(results[d]);
      results[i] = dataflow(frame, std::move(inputs), [statement, &frame](std::vector<Value>&) {
        return statement->eval(frame);
      });
    }
  }
  // The block's value is the last statement's, once every statement is done.
  return dataflow(frame, results, [](std::vector<Value>& values) { return Future(values.back()); });
}

int Closure::required_args() const {
  int n = 0;
  for (const auto& p : signature_.params) n += p.default_value ? 0 : 1;
  return n;
}

void add_stack_entry(Error& e, const std::string& function, const SourceLoc& call_site) {
  if (e.kind() != ErrorKind::internal) e.push_stack({function, call_site});
}

void recursion_too_deep(const FunctionCode& code, CallContext& ctx, const SourceLoc& call_site) {
  user_error_at(ErrorKind::recursion, call_site, "maximum recursion depth exceeded (",
                ctx.settings().max_call_depth, " nested calls) calling '", code.name, "'");
}

namespace {
void add_stack_entry(const std::exception_ptr& error, const std::string& function,
                     const SourceLoc& call_site) {
  try {
    std::rethrow_exception(error);
  } catch (Error& e) {
    add_stack_entry(e, function, call_site);
  } catch (...) {
  }
}

struct DepthGuard {
  int& depth;
  explicit DepthGuard(int& d) : depth(d) { ++depth; }
  ~DepthGuard() { --depth; }
};
}  // namespace

Future Closure::call(CallArgs args, CallContext& ctx, const SourceLoc& call_site) const {
  return invoke_closure(*code_, captured_, signature_, std::move(args), ctx, call_site);
}

Future invoke_closure(const FunctionCode& code, const FramePtr& captured,
                      const Signature& signature, CallArgs args, CallContext& ctx,
                      const SourceLoc& call_site) {
  DepthGuard guard(CallContext::call_depth());
  if (guard.depth > ctx.settings().max_call_depth) recursion_too_deep(code, ctx, call_site);
  ctx.check_cancelled();  // a long recursion stops on an interrupt too
  with_location(call_site, check_stack);
  auto frame = std::make_shared<Frame>(code.slots, captured, ctx);
  if (args.keywords.empty() && args.positional.size() == signature.params.size()) {
    // The common call: every parameter given by position.
    for (std::size_t i = 0; i < args.positional.size(); ++i)
      frame->slots()[i] = std::move(args.positional[i]);
  } else {
    std::vector<Value> bound = with_location(
        call_site, [&] { return bind_arguments(code.name, signature, std::move(args)); });
    for (std::size_t i = 0; i < bound.size(); ++i) frame->slots()[i] = std::move(bound[i]);
  }
  Future result;
  try {
    result = code.body->eval(*frame);
  } catch (...) {
    add_stack_entry(std::current_exception(), code.name, call_site);
    throw;
  }
  if (!result.ready()) {
    // Errors that arrive later get the same stack entry; this runs before any other continuation.
    result.on_ready([result, name = code.name, call_site] {
      if (auto e = result.error()) add_stack_entry(e, name, call_site);
    });
  } else if (auto e = result.error()) {
    add_stack_entry(e, code.name, call_site);
  }
  return result;
}

Value Closure::as_self_reference() const {
  return Value(
      std::shared_ptr<const Function>(std::make_shared<SelfClosure>(code_, captured_, signature_)));
}

Value SelfClosure::strong() const {
  FramePtr frame = frame_.lock();
  LARIX_ASSERT(frame, "a function's frame is gone while its slot is read");
  return Value(
      std::shared_ptr<const Function>(std::make_shared<Closure>(code_, frame, signature_)));
}

Future SelfClosure::call(CallArgs args, CallContext& ctx, const SourceLoc& call_site) const {
  FramePtr frame = frame_.lock();
  LARIX_ASSERT(frame, "a function's frame is gone while it is called");
  return invoke_closure(*code_, frame, signature_, std::move(args), ctx, call_site);
}

std::shared_ptr<const Function> SelfClosure::with_frame(const Frame& from,
                                                        const std::shared_ptr<Frame>& to) const {
  if (raw_frame_ != &from || frame_.expired()) return nullptr;
  return std::make_shared<SelfClosure>(code_, to, signature_);
}

std::shared_ptr<const Function> Closure::with_frame(const Frame& from,
                                                    const std::shared_ptr<Frame>& to) const {
  if (captured_.get() != &from) return nullptr;
  return std::make_shared<Closure>(code_, to, signature_);
}

int SelfClosure::required_args() const {
  int n = 0;
  for (const auto& p : signature_.params) n += p.default_value ? 0 : 1;
  return n;
}

std::vector<const Node*> LambdaNode::children() const {
  std::vector<const Node*> out{code_->body.get()};
  for (const auto& d : defaults_)
    if (d) out.push_back(d.get());
  return out;
}

Future LambdaNode::eval_impl(Frame& frame) const {
  std::vector<Future> defaults;
  for (const auto& d : defaults_) defaults.push_back(d ? d->eval(frame) : Future(Value::unbound()));
  auto make = [this, &frame](std::vector<Value>& values) -> Future {
    Signature sig;
    for (std::size_t i = 0; i < code_->params.size(); ++i) {
      Param p{code_->params[i], std::nullopt};
      if (i < values.size() && !values[i].is_unbound()) p.default_value = values[i];
      sig.params.push_back(std::move(p));
    }
    return Value(std::shared_ptr<const Function>(
        std::make_shared<Closure>(code_, frame.shared_from_this(), std::move(sig))));
  };
  return dataflow(frame, std::move(defaults), make);
}

std::vector<const Node*> CallNode::children() const {
  std::vector<const Node*> out{callee_.get()};
  for (const auto& a : args_) out.push_back(a.get());
  return out;
}

Future call_function(const Value& fn, CallArgs args, CallContext& ctx, const SourceLoc& loc) {
  return fn.as_function("the called value")->call(std::move(args), ctx, loc);
}

Future CallNode::eval_impl(Frame& frame) const {
  std::vector<Future> inputs;
  inputs.reserve(args_.size() + 1);
  inputs.push_back(callee_->eval(frame));
  bool ready = inputs.back().ready();
  if (ordered_.empty()) {
    for (const auto& a : args_) {
      inputs.push_back(a->eval(frame));
      ready = ready && inputs.back().ready();
    }
  } else {
    for (Future& f : eval_all(args_, frame, ordered_)) {
      ready = ready && f.ready();
      inputs.push_back(std::move(f));
    }
  }
  if (ready && keywords_.empty()) {
    // The common call: callee and positional arguments ready, passed on without copies. A callee
    // read from a variable is called as stored (no strong Closure is made just to call it).
    Value callee = callee_variable_ ? callee_variable_->read(frame) : inputs[0].take_value();
    if (callee.is_function() && !args_.empty()) {
      CallArgs call;
      call.positional.reserve(args_.size());
      for (std::size_t i = 1; i < inputs.size(); ++i)
        call.positional.push_back(inputs[i].take_value());
      return callee.function_ptr()->call(std::move(call), frame.ctx(), loc());
    }
    inputs[0] = callee_variable_ ? callee_->eval(frame) : Future(std::move(callee));
  }
  return dataflow(
      frame, std::move(inputs),
      [this, &frame](std::vector<Value>& values) -> Future {
        const Value& callee = values[0];
        const std::size_t npositional = args_.size() - keywords_.size();
        if (!callee.is_function()) {
          LARIX_CHECK(args_.empty(), type, "'", callee_name_, "' is not callable (it holds ",
                      callee.type_name(), ")");
          return callee;
        }
        const auto& fn = callee.as_function();
        if (args_.empty() && fn->required_args() > 0) return callee;
        CallArgs call;
        for (std::size_t i = 0; i < npositional; ++i)
          call.positional.push_back(std::move(values[i + 1]));
        for (std::size_t k = 0; k < keywords_.size(); ++k)
          call.keywords.emplace_back(keywords_[k], std::move(values[1 + npositional + k]));
        return fn->call(std::move(call), frame.ctx(), loc());
      },
      &loc());
}

}  // namespace larix
