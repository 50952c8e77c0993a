// Higher-order primitives: fmap, parallel_map, filter, fold_left, fold_right, apply.
// fmap/filter/folds call f in order, one call after the other (f may have effects);
// parallel_map runs the calls as tasks, in chunks so that tiny calls do not drown in overhead.
#include <algorithm>

#include "larix/primitives/control_support.hpp"

namespace larix {

namespace {
// Collects results[i] = f(args_of(i)) for i in [0, n) one after another, then finish(results).
Future sequential_calls(Frame& frame, std::size_t n, std::function<CallArgs(std::size_t)> args_of,
                        Value fn, const SourceLoc& loc,
                        std::function<Value(std::vector<Value>&)> finish) {
  auto results = std::make_shared<std::vector<Value>>(n);
  CallContext& ctx = frame.ctx();
  Future loop = run_loop(frame, [=, &ctx](std::size_t i) -> Future {
    if (i >= n) return loop_done();
    Future r = call_function(fn, args_of(i), ctx, loc);
    if (r.ready()) {
      (*results)[i] = r.value();
      return Value();
    }
    Promise stored;
    r.on_ready([r, stored, results, i] {
      if (auto e = r.error()) return stored.set_error(e);
      (*results)[i] = r.value();
      stored.set_value(Value());
    });
    return stored.future();
  });
  return dataflow(frame, {loop},
                  [results, finish](std::vector<Value>&) { return Future(finish(*results)); });
}

class FmapNode : public HigherOrderNode {
 public:
  using HigherOrderNode::HigherOrderNode;

 protected:
  Future apply_to(std::vector<Value>& v, Frame& frame) const override {
    // fmap(f, l1, l2, ...): f(l1[i], l2[i], ...) for the length of the shortest list (like zip).
    auto lists = std::make_shared<std::vector<List>>();
    std::size_t n = SIZE_MAX;
    for (std::size_t k = 1; k < v.size(); ++k) {
      lists->push_back(iterate(v[k], "the sequence of fmap"));
      n = std::min(n, lists->back().size());
    }
    if (lists->empty()) n = 0;
    return sequential_calls(
        frame, n,
        [lists](std::size_t i) {
          CallArgs a;
          for (const List& l : *lists) a.positional.push_back(l[i]);
          return a;
        },
        v[0], loc(), [](std::vector<Value>& r) { return Value(List(std::move(r))); });
  }
};

class FilterNode : public HigherOrderNode {
 public:
  using HigherOrderNode::HigherOrderNode;

 protected:
  Future apply_to(std::vector<Value>& v, Frame& frame) const override {
    auto items = std::make_shared<List>(iterate(v[1], "the sequence of filter"));
    return sequential_calls(
        frame, items->size(),
        [items](std::size_t i) {
          return CallArgs{{(*items)[i]}, {}};
        },
        v[0], loc(),
        [items](std::vector<Value>& keep) {
          List out;
          for (std::size_t i = 0; i < keep.size(); ++i)
            if (keep[i].truthy()) out.push_back((*items)[i]);
          return Value(std::move(out));
        });
  }
};

// fold_left(f, init, l) = f(...f(f(init, l0), l1)..., ln); fold_right(f, init, l) = f(l0, f(l1, ...
// f(ln, init)))
class FoldNode : public HigherOrderNode {
 public:
  FoldNode(ControlBuild& b, bool left) : HigherOrderNode(b), left_(left) {}

 protected:
  Future apply_to(std::vector<Value>& v, Frame& frame) const override {
    auto items = std::make_shared<List>(iterate(v[2], "the sequence of a fold"));
    auto acc = std::make_shared<Value>(v[1]);
    Value fn = v[0];
    CallContext& ctx = frame.ctx();
    const bool left = left_;
    Future loop = run_loop(frame, [=, &frame, &ctx, this](std::size_t i) -> Future {
      const std::size_t n = items->size();
      if (i >= n) return loop_done();
      const Value& x = (*items)[left ? i : n - 1 - i];
      CallArgs a{left ? List{*acc, x} : List{x, *acc}, {}};
      Future r = call_function(fn, std::move(a), ctx, loc());
      if (r.ready()) {
        *acc = r.value();
        return Value();
      }
      return dataflow(frame, {r}, [acc](std::vector<Value>& out) {
        *acc = out[0];
        return Future(Value());
      });
    });
    return dataflow(frame, {loop}, [acc](std::vector<Value>&) { return Future(*acc); });
  }

 private:
  bool left_;
};

class ApplyNode : public HigherOrderNode {
 public:
  using HigherOrderNode::HigherOrderNode;

 protected:
  Future apply_to(std::vector<Value>& v, Frame& frame) const override {
    return call_function(v[0], {iterate(v[1], "the arguments of apply"), {}}, frame.ctx(), loc());
  }
};

// parallel_map(f, l): all calls may run at once. The elements are split into chunks (a few per
// thread); each chunk is one task that makes its calls one after the other. parallel_for_each
// makes the same calls for their effects: its value is nil once all of them have finished.
class ParallelMapNode : public HigherOrderNode {
 public:
  ParallelMapNode(ControlBuild& b, bool keep_results)
      : HigherOrderNode(b), keep_results_(keep_results) {}

 protected:
  Future apply_to(std::vector<Value>& v, Frame& frame) const override {
    auto items =
        std::make_shared<List>(iterate(v[1], keep_results_ ? "the sequence of parallel_map"
                                                           : "the sequence of parallel_for_each"));
    const std::size_t n = items->size();
    CallContext& ctx = frame.ctx();
    const std::size_t chunks = std::min<std::size_t>(
        n, ctx.sync() ? 1 : 8 * static_cast<std::size_t>(Runtime::instance().threads()));
    if (n == 0) return keep_results_ ? Value(List{}) : Value();
    auto results = std::make_shared<std::vector<Future>>(n);
    std::vector<Future> done;
    Value fn = v[0];
    for (std::size_t c = 0; c < chunks; ++c) {
      const std::size_t begin = n * c / chunks, end = n * (c + 1) / chunks;
      Promise chunk_done;
      done.push_back(chunk_done.future());
      ctx.spawn([=, &ctx, this] {
        try {
          ctx.check_cancelled();
          for (std::size_t i = begin; i < end; ++i)
            (*results)[i] = call_function(fn, {{(*items)[i]}, {}}, ctx, loc());
          chunk_done.set_value(Value());
        } catch (...) {
          ctx.fail(std::current_exception());
          chunk_done.set_error(std::current_exception());
        }
      });
    }
    const bool keep = keep_results_;
    return dataflow(frame, std::move(done), [results, &frame, keep](std::vector<Value>&) {
      return dataflow(frame, *results, [keep](std::vector<Value>& r) {
        return Future(keep ? Value(List(std::move(r))) : Value());
      });
    });
  }

 private:
  bool keep_results_;
};

const char* const kCallsInOrder =
    " The calls are made in order, each after the previous one has finished.";
}  // namespace

void register_functional(Registry& r) {
  r.add({.name = "apply",
         .signature = {{arg("f"), arg("args")}},
         .doc = "apply(f, args)\n\nCalls f with the elements of the list args as its arguments.",
         .kind = PrimitiveKind::control,
         .build = build_node<ApplyNode>()});
  r.add({.name = "filter",
         .signature = {{arg("f"), arg("sequence")}},
         .doc = std::string("filter(f, sequence)\n\nThe list of the elements x of sequence for "
                            "which f(x) is true.") +
                kCallsInOrder,
         .kind = PrimitiveKind::control,
         .build = build_node<FilterNode>()});
  r.add({.name = "fmap",
         .signature = {{arg("f"), arg("sequence")}, true},
         .doc = std::string("fmap(f, sequence, ...)\n\nThe list [f(a0, b0, ...), f(a1, b1, ...), "
                            "...] over one or more sequences (as long as the shortest).") +
                kCallsInOrder,
         .kind = PrimitiveKind::control,
         .build = build_node<FmapNode>()});
  r.add({.name = "fold_left",
         .signature = {{arg("f"), arg("init"), arg("sequence")}},
         .doc = "fold_left(f, init, sequence)\n\nf(...f(f(init, x0), x1)..., xn).",
         .kind = PrimitiveKind::control,
         .build = [](ControlBuild& b) -> NodePtr { return std::make_shared<FoldNode>(b, true); }});
  r.add({.name = "fold_right",
         .signature = {{arg("f"), arg("init"), arg("sequence")}},
         .doc = "fold_right(f, init, sequence)\n\nf(x0, f(x1, ... f(xn, init)...)).",
         .kind = PrimitiveKind::control,
         .build = [](ControlBuild& b) -> NodePtr { return std::make_shared<FoldNode>(b, false); }});
  r.add({.name = "parallel_map",
         .signature = {{arg("f"), arg("sequence")}},
         .doc = "parallel_map(f, sequence)\n\nThe list [f(x0), f(x1), ...]; the calls run as "
                "parallel tasks (in chunks of consecutive elements), so f should not depend on "
                "the order of the calls.",
         .kind = PrimitiveKind::control,
         .build = [](ControlBuild& b) -> NodePtr {
           return std::make_shared<ParallelMapNode>(b, true);
         }});
  r.add({.name = "parallel_for_each",
         .signature = {{arg("f"), arg("sequence")}},
         .doc = "parallel_for_each(f, sequence)\n\nPhylanx's parallel_for_each: calls f(x) for "
                "each element x of sequence (as for_each: a list, the rows of an array, the keys "
                "of a dict, the characters of a string), the calls running as parallel tasks (in "
                "chunks of consecutive elements, one after the other on the reference executor). "
                "Returns nil once every call has finished; the first call that fails is the "
                "error. The calls must not depend on each other's order nor store to the "
                "variables of the code around them (as Phylanx's, they run unsynchronised); "
                "lines they print may come in any order.",
         .kind = PrimitiveKind::control,
         .build = [](ControlBuild& b) -> NodePtr {
           return std::make_shared<ParallelMapNode>(b, false);
         }});
}

}  // namespace larix
