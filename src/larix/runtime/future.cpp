#include "larix/runtime/future.hpp"

namespace larix {

void FutureState::set_value(Value v) {
  {
    std::lock_guard lock(mutex_);
    LARIX_ASSERT(!ready_.load(std::memory_order_relaxed), "future fulfilled twice");
    value_ = std::move(v);
  }
  finish();
}

void FutureState::set_error(std::exception_ptr e) {
  {
    std::lock_guard lock(mutex_);
    LARIX_ASSERT(!ready_.load(std::memory_order_relaxed), "future fulfilled twice");
    error_ = std::move(e);
  }
  finish();
}

void FutureState::finish() {
  std::vector<std::function<void()>> continuations;
  {
    std::lock_guard lock(mutex_);
    ready_.store(true, std::memory_order_release);
    continuations.swap(continuations_);
  }
  for (auto& fn : continuations) fn();
}

void FutureState::on_ready(std::function<void()> fn) {
  if (!ready()) {
    std::unique_lock lock(mutex_);
    if (!ready_.load(std::memory_order_relaxed)) {
      continuations_.push_back(std::move(fn));
      return;
    }
  }
  fn();
}

const Value& FutureState::value() const {
  LARIX_ASSERT(ready(), "value() of a future that is not ready");
  if (error_) std::rethrow_exception(error_);
  return value_;
}

void Future::on_ready(std::function<void()> fn) const {
  if (state_) state_->on_ready(std::move(fn));
  else fn();
}

void Promise::chain(const Future& f) const {
  if (f.ready()) {
    if (auto e = f.error()) set_error(e);
    else set_value(f.value());
    return;
  }
  auto state = state_;
  f.on_ready([state, f] {
    if (auto e = f.error()) state->set_error(e);
    else state->set_value(f.value());
  });
}

}  // namespace larix
