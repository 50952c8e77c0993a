#include "larix/runtime/frame.hpp"

#include "larix/runtime/function.hpp"

namespace larix {

std::shared_ptr<Frame> Frame::snapshot(bool enclosing) {
  auto copy = std::make_shared<Frame>(size_, parent_ ? parent_->snapshot(true) : nullptr, *ctx_);
  std::span<Value> from = slots(), to = copy->slots();
  for (std::size_t i = 0; i < from.size(); ++i) {
    const Value& v = from[i];
    if (v.is_array()) {
      to[i] = Value(v.as_array_ref().private_handle());
    } else if (const Function* f = enclosing ? v.function_ptr() : nullptr) {
      std::shared_ptr<const Function> moved = f->with_frame(*this, copy);
      to[i] = moved ? Value(std::move(moved)) : v;
    } else {
      to[i] = v;
    }
  }
  copy->loop_copy_ = loop_copy_;
  if (enclosing) copy->original_ = shared_from_this();
  return copy;
}

}  // namespace larix
