// Frame: the variables of one activation of a PhySL function (or of the program's top level).
// Slots are resolved at compile time to (depth, index): depth 0 is this frame, depth d the frame d
// lexical levels out. A closure keeps the frame it was made in alive.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "larix/runtime/context.hpp"
#include "larix/runtime/value.hpp"

namespace larix {

class Frame : public std::enable_shared_from_this<Frame> {
 public:
  Frame(int slots, std::shared_ptr<Frame> parent, CallContext& ctx)
      : parent_(std::move(parent)), ctx_(&ctx), slots_(slots, Value::unbound()) {}
  Frame(const Frame&) = delete;
  Frame& operator=(const Frame&) = delete;

  CallContext& ctx() const { return *ctx_; }
  Frame& outer(int depth) {
    Frame* f = this;
    for (; depth > 0; --depth) {
      LARIX_ASSERT(f->parent_, "frame chain shorter than a resolved variable's depth");
      f = f->parent_.get();
    }
    return *f;
  }
  Value& slot(int depth, int index) {
    Frame& f = outer(depth);
    LARIX_ASSERT(index >= 0 && index < static_cast<int>(f.slots_.size()), "bad slot ", index);
    return f.slots_[index];
  }
  int size() const { return static_cast<int>(slots_.size()); }
  std::vector<Value>& slots() { return slots_; }

  // A closure of this frame was made: slots may now hold closures that point back at the frame.
  void mark_captured() { captured_.store(true, std::memory_order_relaxed); }
  bool captured() const { return captured_.load(std::memory_order_relaxed); }

 private:
  std::shared_ptr<Frame> parent_;
  CallContext* ctx_;  // the call this activation belongs to (not the one that made a closure)
  std::vector<Value> slots_;
  std::atomic<bool> captured_{false};
};

using FramePtr = std::shared_ptr<Frame>;

}  // namespace larix
