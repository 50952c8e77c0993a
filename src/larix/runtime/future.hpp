// Future<Value>: the result of evaluating a node. Either ready at birth (no allocation: the common,
// fast case of scalar and inline work) or backed by a shared state that a task fulfils later.
// Continuations run inline in the thread that makes the state ready (dataflow, never a blocking get
// on a worker). Only the caller's own thread waits, through the call's task group (CallContext).
#pragma once

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "larix/runtime/value.hpp"

namespace larix {

class FutureState {
 public:
  bool ready() const { return ready_.load(std::memory_order_acquire); }
  void set_value(Value v);
  void set_error(std::exception_ptr e);
  // Runs fn now if ready, else when it becomes ready (in the thread that makes it ready).
  void on_ready(std::function<void()> fn);
  const Value& value() const;  // ready only; rethrows the error
  const std::exception_ptr& error() const { return error_; }

 private:
  void finish();

  std::atomic<bool> ready_{false};
  std::mutex mutex_;
  Value value_;
  std::exception_ptr error_;
  std::vector<std::function<void()>> continuations_;
};

class Future {
 public:
  Future() = default;                        // ready, nil
  Future(Value v) : value_(std::move(v)) {}  // NOLINT: ready values convert implicitly
  explicit Future(std::shared_ptr<FutureState> state) : state_(std::move(state)) {}

  bool ready() const { return !state_ || state_->ready(); }
  // Precondition: ready(). Rethrows the stored error.
  const Value& value() const { return state_ ? state_->value() : value_; }
  // Moves the value out of a ready future (copies it when the state is shared); rethrows.
  Value take_value() { return state_ ? state_->value() : std::move(value_); }
  // The stored error of a ready future (null if none).
  std::exception_ptr error() const { return state_ ? state_->error() : nullptr; }
  void on_ready(std::function<void()> fn) const;
  const std::shared_ptr<FutureState>& state() const { return state_; }

 private:
  Value value_;
  std::shared_ptr<FutureState> state_;
};

class Promise {
 public:
  Promise() : state_(std::make_shared<FutureState>()) {}
  Future future() const { return Future(state_); }
  void set_value(Value v) const { state_->set_value(std::move(v)); }
  void set_error(std::exception_ptr e) const { state_->set_error(std::move(e)); }
  // Fulfil this promise with whatever `f` turns out to be (now, or when it is ready).
  void chain(const Future& f) const;

 private:
  std::shared_ptr<FutureState> state_;
};

}  // namespace larix
