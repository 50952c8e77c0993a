// Function: a callable value. PhySL closures and builtin primitives (used as values, as in
// fold_left(__add, 0, l)) both implement it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "larix/runtime/future.hpp"
#include "larix/support/source_loc.hpp"

namespace larix {

class CallContext;
class Frame;
struct FunctionCode;

struct CallArgs {
  std::vector<Value> positional;
  std::vector<std::pair<std::string, Value>> keywords;
};

class Function {
 public:
  virtual ~Function() = default;
  // Calls the function; `call_site` is where the call happened (errors and the PhySL stack).
  virtual Future call(CallArgs args, CallContext& ctx, const SourceLoc& call_site) const = 0;
  virtual std::string name() const = 0;
  // Smallest number of positional arguments a call needs (a call of a variable with no arguments
  // calls its value only when that value needs none: Phylanx's rule).
  virtual int required_args() const = 0;
  // Its parameters as a call would name them: "(x, y, alpha=...)" ("(...)" when unknown).
  virtual std::string parameters_text() const { return "(...)"; }
  // A PhySL closure's code and the frame it captured (both null for anything else): scalar code
  // calls a known function's body directly through them.
  struct ClosureParts {
    const FunctionCode* code = nullptr;
    Frame* frame = nullptr;
  };
  virtual ClosureParts closure_parts() const { return {}; }
  // The same function defined in frame `to` instead of `from`, two frames that hold the same
  // variables (a parallel loop's frame and its copies, Frame::clone); null when it was not
  // defined in `from` (it stays as it is).
  virtual std::shared_ptr<const Function> with_frame(const Frame& from,
                                                     const std::shared_ptr<Frame>& to) const {
    return nullptr;
  }
};

}  // namespace larix
