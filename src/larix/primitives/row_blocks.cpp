// __row_blocks(X, w, f, left, v...): dot(transpose(X), f(X, w, v...)) (left: dot(f(...), X), the
// same for the vector f gives) in one pass over X, what the compiler's row-block fusion
// (compiler/row_block_fusion.cpp) makes of logistic regression's `r = h(X @ w)` followed by
// `X.T @ g(r)` or `g(r) @ X`. f is element-wise in rows: for a block of rows X_b it
// gives the block's part of the vector, f(X_b, w, v_b...) (each v that has one value per row of X
// is sliced too), and X_b.T times that part is added to a partial result while X_b is still in
// cache. The blocks are grouped into at most 64 chunks that depend on X's shape only, each a task
// with a partial of its own, and the partials are added in chunk order: the same bits at any
// thread count and on the reference executor (they differ from the unfused product's by the order
// of the additions). When the values do not fit (X not a float64 matrix of at least 1 MiB, w not a
// float64 vector of X's width, a v that is neither a scalar nor one value per row), it computes
// dot(transpose(X), f(X, w, v...)) as the original program did, with the original nodes.
#include <algorithm>

#include "larix/kernels/linalg.hpp"
#include "larix/primitives/control_support.hpp"

namespace larix {
namespace {

// A block of rows of X: about 640 KiB, so that the block, w and the partial stay in a 1 MiB L2
// between the two products. On LRA 10,000 x 10,000 (80 KB rows) blocks of 8 rows took 0.93 of
// the time of 16 rows (1.28 MB) and 0.96 of 4 rows, at 1 and 2 threads (docs/benchmarks.md).
constexpr std::int64_t kBlockBytes = 640 << 10;
constexpr std::int64_t kMaxChunks = 64;
// A smaller X stays in cache between the two products: one pass saves nothing there, and the
// unfused products cost less than the blocks' calls (breast cancer's 569 x 30: 38 vs 42 µs a step).
constexpr std::int64_t kFuseMinBytes = 1 << 20;

struct Plan {
  std::int64_t rows = 0, cols = 0, block = 0, blocks = 0, chunks = 0;
  std::vector<bool> per_row;  // which v are sliced with the block
};

std::optional<Plan> plan_of(std::span<const Value> v) {
  if (!v[0].is_array() || !v[1].is_array()) return std::nullopt;
  const Array& X = v[0].as_array_ref();
  const Array& w = v[1].as_array_ref();
  if (X.ndim() != 2 || X.dtype() != DType::float64 || w.ndim() != 1 ||
      w.dtype() != DType::float64 || w.shape()[0] != X.shape()[1] || X.shape()[0] < 2 ||
      X.size() * 8 < kFuseMinBytes)
    return std::nullopt;
  Plan p;
  p.rows = X.shape()[0];
  p.cols = X.shape()[1];
  if (!v[3].is_bool()) return std::nullopt;
  for (std::size_t k = 4; k < v.size(); ++k) {
    if (v[k].is_number()) {
      p.per_row.push_back(false);
      continue;
    }
    if (!v[k].is_array()) return std::nullopt;
    const Array& a = v[k].as_array_ref();
    if (a.ndim() == 0 || (a.ndim() == 1 && a.shape()[0] == 1)) p.per_row.push_back(false);
    else if (a.ndim() == 1 && a.shape()[0] == p.rows) p.per_row.push_back(true);
    else return std::nullopt;
  }
  p.block = std::clamp<std::int64_t>(kBlockBytes / std::max<std::int64_t>(8 * p.cols, 1), 2, 4096);
  p.blocks = (p.rows + p.block - 1) / p.block;
  p.chunks = std::min(p.blocks, kMaxChunks);
  return p;
}

Array rows_of(const Array& a, std::int64_t begin, std::int64_t end) {
  Shape shape = a.shape();
  shape[0] = end - begin;
  return a.view(begin * a.strides()[0], shape, a.strides());
}

class RowBlocksNode : public HigherOrderNode {
 public:
  using HigherOrderNode::HigherOrderNode;

 protected:
  Future apply_to(std::vector<Value>& v, Frame& frame) const override {
    std::optional<Plan> plan = plan_of(v);
    if (!plan) return unfused(v, frame);
    auto values = std::make_shared<std::vector<Value>>(std::move(v));
    auto partials = std::make_shared<std::vector<Array>>(plan->chunks);
    CallContext& ctx = frame.ctx();
    std::vector<Future> done =
        run_chunks(ctx, plan->chunks, [this, plan = *plan, values, partials, &ctx](std::int64_t c) {
          return run_chunk(plan, c, values, partials, ctx);
        });
    return dataflow(
        frame, std::move(done),
        [partials](std::vector<Value>&) -> Future {
          Array sum = (*partials)[0].copy();
          double* out = sum.mutable_data<double>();
          const std::int64_t n = sum.size();  // not in the loop's test: the loop vectorises
          for (std::size_t c = 1; c < partials->size(); ++c) {
            const double* part = (*partials)[c].data<double>();
            for (std::int64_t j = 0; j < n; ++j) out[j] += part[j];
          }
          return Value(std::move(sum));
        },
        &loc());
  }

 private:
  // The blocks of chunk c, one after another: partial_c = sum of X_b.T @ f(X_b, w, v_b...).
  Future run_chunk(const Plan& plan, std::int64_t c,
                   const std::shared_ptr<std::vector<Value>>& values,
                   const std::shared_ptr<std::vector<Array>>& partials, CallContext& ctx) const {
    const std::int64_t first = plan.blocks * c / plan.chunks;
    const std::int64_t end = plan.blocks * (c + 1) / plan.chunks;
    (*partials)[static_cast<std::size_t>(c)] = Array::zeros(DType::float64, {plan.cols});
    auto frame = std::make_shared<Frame>(0, nullptr, ctx);  // run_loop's anchor only
    return run_loop(
        *frame, [this, plan, c, first, end, values, partials, &ctx](std::size_t k) -> Future {
          const std::int64_t b = first + static_cast<std::int64_t>(k);
          if (b >= end) return loop_done();
          const std::int64_t r0 = b * plan.block, r1 = std::min(plan.rows, r0 + plan.block);
          const Array Xb = rows_of((*values)[0].as_array_ref(), r0, r1);
          CallArgs args;
          args.positional = {Value(Xb), (*values)[1]};
          for (std::size_t i = 4; i < values->size(); ++i)
            args.positional.push_back(plan.per_row[i - 4]
                                          ? Value(rows_of((*values)[i].as_array_ref(), r0, r1))
                                          : (*values)[i]);
          Future part;
          {
            InlineScope inline_only;  // the chunks keep the threads busy
            part = call_function((*values)[2], std::move(args), ctx, loc());
          }
          auto add = [Xb, partials, c](const Value& r) {
            const Array& rb = r.as_array_ref("the fused part of the product");
            kernels::add_transposed_product(Xb, rb.astype(DType::float64),
                                            (*partials)[static_cast<std::size_t>(c)]);
          };
          if (part.ready()) {
            add(part.value());
            return Value();
          }
          Promise stored;
          part.on_ready([part, stored, add] {
            try {
              add(part.value());
              stored.set_value(Value());
            } catch (...) {
              stored.set_error(std::current_exception());
            }
          });
          return stored.future();
        });
  }

  // dot(transpose(X), f(X, w, v...)), or dot(f(X, w, v...), X) (`left`), as the program was
  // written.
  Future unfused(std::vector<Value>& v, Frame& frame) const {
    CallArgs args;
    args.positional = {v[0], v[1]};
    for (std::size_t i = 4; i < v.size(); ++i) args.positional.push_back(v[i]);
    Value X = v[0];
    const bool left = v[3].truthy();
    Future r = call_function(v[2], std::move(args), frame.ctx(), loc());
    return dataflow(
        frame, {r},
        [this, X, left, &frame](std::vector<Value>& out) -> Future {
          static const PrimitiveInfo& transpose = *Registry::instance().find("transpose");
          static const PrimitiveInfo& dot = *Registry::instance().find("dot");
          if (left) {
            std::vector<Value> operands{out[0], X};
            return run_kernel(dot, operands, frame.ctx(), loc());
          }
          std::vector<Value> t{X, Value()};
          std::vector<Value> operands{run_kernel(transpose, t, frame.ctx(), loc()), out[0]};
          return run_kernel(dot, operands, frame.ctx(), loc());
        },
        &loc());
  }
};

}  // namespace

void register_row_blocks(Registry& r) {
  r.add({.name = "__row_blocks",
         .signature = {{arg("x"), arg("w"), arg("f"), arg("left")}, true},
         .doc = "__row_blocks(x, w, f, left, v...)\n\ndot(transpose(x), f(x, w, v...)) (or, "
                "with left true, dot(f(x, w, v...), x), the same for the vector f gives) in one "
                "pass over x, in blocks of rows, for f element-wise in the rows of x (what the "
                "compiler's row-block fusion makes of `r = h(x @ w)` followed by `x.T @ g(r)` or "
                "`g(r) @ x`). Each v with "
                "one value per row of x is sliced with the block. Partial results of fixed chunks "
                "are added in order (the same bits at any thread count). Other values than a "
                "float64 matrix x, a float64 vector w of its width, and scalars or row-vectors v "
                "compute dot(transpose(x), f(x, w, v...)) as written.",
         .kind = PrimitiveKind::control,
         .build = build_node<RowBlocksNode>()});
}

}  // namespace larix
