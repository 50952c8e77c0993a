// Frame: the variables of one activation of a PhySL function (or of the program's top level).
// Slots are resolved at compile time to (depth, index): depth 0 is this frame, depth d the frame d
// lexical levels out. A closure keeps the frame it was made in alive.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "larix/runtime/context.hpp"
#include "larix/runtime/value.hpp"

namespace larix {

class Frame : public std::enable_shared_from_this<Frame> {
 public:
  Frame(int slots, std::shared_ptr<Frame> parent, CallContext& ctx)
      : parent_(std::move(parent)), ctx_(&ctx), size_(slots) {
    // Small frames (most function calls) keep their slots inline: one allocation per call.
    if (slots > kInline) heap_.assign(static_cast<std::size_t>(slots), Value::unbound());
    else
      for (int i = 0; i < slots; ++i) inline_[i] = Value::unbound();
  }
  Frame(const Frame&) = delete;
  Frame& operator=(const Frame&) = delete;

  CallContext& ctx() const { return *ctx_; }
  Frame* parent() const { return parent_.get(); }  // the frame one lexical level out (or null)
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
    LARIX_ASSERT(index >= 0 && index < f.size_, "bad slot ", index);
    return f.slots()[index];
  }
  int size() const { return size_; }
  // A new frame with the same call and slot values: a task of a parallel loop runs its iterations
  // in one, so the variables its iterations assign are its own. Its arrays, and those of the
  // enclosing frames (copied too: the loop's body, and the functions it calls, assign none of
  // their variables), are private handles of the same memory (Array::private_handle): reading one
  // in every iteration then counts references where no other thread does. The functions defined
  // in an enclosing frame refer to its copy (a call takes a reference to the frame it runs
  // below, which would otherwise be the one frame every chunk calls below).
  std::shared_ptr<Frame> clone() {
    auto copy = snapshot(false);
    copy->loop_copy_ = true;
    copy->original_ = shared_from_this();
    return copy;
  }
  // When the loop is done (its variables copied back): this copy and the copies of the enclosing
  // frames hand every later read and write to the frames they copy. A closure made in the loop,
  // or returned by a function called there, keeps a copy, and must see the function's and the
  // program's variables as they are from then on, as after a sequential loop.
  void retire_copies() {
    for (Frame* f = this; f && f->original_; f = f->parent_.get())
      f->retired_.store(true, std::memory_order_relaxed);
  }
  bool is_loop_copy() const { return loop_copy_; }
  std::span<Value> slots() {
    if (retired_.load(std::memory_order_relaxed)) [[unlikely]]
      return original_->slots();
    return {size_ > kInline ? heap_.data() : inline_.data(), static_cast<std::size_t>(size_)};
  }

 private:
  // This frame's copy, and its enclosing frames' (`enclosing`: this is one of those, whose
  // functions are remade for the copy).
  std::shared_ptr<Frame> snapshot(bool enclosing);

  std::shared_ptr<Frame> parent_;
  CallContext* ctx_;  // the call this activation belongs to (not the one that made a closure)
  static constexpr int kInline = 6;
  int size_;
  bool loop_copy_ = false;            // made by clone()
  std::shared_ptr<Frame> original_;   // the frame this is a copy of (clone, snapshot), or null
  std::atomic<bool> retired_{false};  // retire_copies() ran: slots() are original_'s
  std::array<Value, kInline> inline_;
  std::vector<Value> heap_;
};

using FramePtr = std::shared_ptr<Frame>;

}  // namespace larix
