#include "larix/primitives/control_support.hpp"

namespace larix {

List iterate(const Value& sequence, const char* what) {
  switch (sequence.kind()) {
    case ValueKind::list: return sequence.as_list();
    case ValueKind::dict: {
      List keys;
      for (const auto& [k, v] : sequence.as_dict().items) keys.push_back(k);
      return keys;
    }
    case ValueKind::string: {
      List chars;
      for (char c : sequence.as_string()) chars.emplace_back(std::string(1, c));
      return chars;
    }
    case ValueKind::array: {
      const Array& a = sequence.as_array_ref();
      LARIX_CHECK(a.ndim() > 0, type, "iteration over a 0-d array (", what, ")");
      List out;
      Shape inner(a.shape().begin() + 1, a.shape().end());
      Strides inner_strides(a.strides().begin() + 1, a.strides().end());
      for (std::int64_t i = 0; i < a.shape()[0]; ++i)
        out.emplace_back(a.view(i * a.strides()[0], inner, inner_strides));
      return out;
    }
    default:
      user_error(ErrorKind::type, what, " must be a list, an array, a dict or a string, not ",
                 sequence.type_name());
  }
}

namespace {
struct LoopState : std::enable_shared_from_this<LoopState> {
  LoopStep step;
  Promise promise;
  FramePtr frame;
  std::size_t next = 0;

  // Continues the loop once `pending` (the step next - 1) is ready.
  void wait(const Future& pending) {
    pending.on_ready([self = shared_from_this(), pending] {
      if (auto e = pending.error()) return self->promise.set_error(e);
      if (is_loop_done(pending.value())) return self->promise.set_value(Value());
      self->frame->ctx().run_continuation([self] { self->resume(); });
    });
  }

  // Runs steps until one is pending (then waits for it) or the loop ends.
  void resume() {
    try {
      while (true) {
        frame->ctx().check_cancelled();
        Future f = step(next++);
        if (!f.ready()) return wait(f);
        if (is_loop_done(f.value())) return promise.set_value(Value());  // value() rethrows
      }
    } catch (...) {
      frame->ctx().fail(std::current_exception());
      promise.set_error(std::current_exception());
    }
  }
};
}  // namespace

Future run_loop(Frame& frame, LoopStep step) {
  // The fast path: while every step is ready at once, no state is allocated.
  for (std::size_t i = 0;; ++i) {
    frame.ctx().check_cancelled();  // an interrupt or another task's failure stops the loop
    Future f = step(i);
    if (f.ready()) {
      if (is_loop_done(f.value())) return Value();
      continue;
    }
    auto state = std::make_shared<LoopState>();
    state->step = std::move(step);
    state->frame = frame.shared_from_this();
    state->next = i + 1;
    state->wait(f);
    return state->promise.future();
  }
}

std::vector<Future> run_chunks(CallContext& ctx, std::int64_t chunks,
                               std::function<Future(std::int64_t)> chunk) {
  std::vector<Future> done(static_cast<std::size_t>(chunks));
  if (ctx.sync()) {
    for (std::int64_t c = 0; c < chunks; ++c) done[static_cast<std::size_t>(c)] = chunk(c);
    return done;
  }
  auto shared = std::make_shared<std::function<Future(std::int64_t)>>(std::move(chunk));
  for (std::int64_t c = 1; c < chunks; ++c) {
    Promise chunk_done;
    done[static_cast<std::size_t>(c)] = chunk_done.future();
    ctx.spawn([shared, c, chunk_done, &ctx] {
      try {
        ctx.check_cancelled();
        chunk_done.chain((*shared)(c));
      } catch (...) {
        ctx.fail(std::current_exception());
        chunk_done.set_error(std::current_exception());
      }
    });
  }
  if (chunks > 0) done[0] = (*shared)(0);
  return done;
}

}  // namespace larix
