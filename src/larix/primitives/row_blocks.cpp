// __row_blocks(X, w, f, left, v...): dot(transpose(X), f(X, w, v...)) (left: dot(f(...), X), the
// same for the vector f gives) in one pass over X; __row_blocks_dot, the form the compiler's
// row-block fusion (compiler/row_block_fusion.cpp) makes of logistic regression's
// `r = h(X @ w)` followed by `X.T @ g(r)` or `g(r) @ X`, reads each block once (see
// run_chunk_one_pass). f is element-wise in rows: for a block of rows X_b it
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

// A block of rows of X: about RuntimeSettings::row_block_bytes (640 KiB), so that the block, w and
// the partial stay in a 1 MiB L2 between the two products. On LRA 10,000 x 10,000 (80 KB rows)
// blocks of 8 rows took 0.93 of the time of 16 rows (1.28 MB) and 0.96 of 4 rows, at 1 and 2
// threads (docs/benchmarks.md); with one pass per block, 640 KiB was as fast as 320 KiB, and 1.25
// MiB 17 % slower.
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
  const std::int64_t block_bytes = Runtime::instance().settings().row_block_bytes;
  p.block = std::clamp<std::int64_t>(block_bytes / std::max<std::int64_t>(8 * p.cols, 1), 2, 4096);
  p.blocks = (p.rows + p.block - 1) / p.block;
  p.chunks = std::min(p.blocks, kMaxChunks);
  return p;
}

// f's part for a block as float64 values: one per row of the block (a user error otherwise:
// __row_blocks may be called with any f).
Array block_part(const Value& part, std::int64_t rows) {
  const Array& p = part.as_array_ref("the fused part of the product");
  LARIX_CHECK(p.ndim() == 1 && p.shape()[0] == rows, value,
              "the fused part of the product must have one value per row of the block (", rows,
              "), not shape ", shape_str(p.shape()));
  return p.astype(DType::float64).contiguous();
}

// A block's Future: add(f's part for the block) once the part is ready (at once if it is). An
// error of add is the __row_blocks call's, at its location (whichever thread runs the chunk).
template <class Add>
Future after_part(Future part, Add add, const SourceLoc& loc) {
  auto run = [add, &loc](const Value& r) { with_location(loc, [&] { add(r); }); };
  if (part.ready()) {
    run(part.value());
    return Value();
  }
  Promise stored;
  part.on_ready([part, stored, run] {
    try {
      run(part.value());
      stored.set_value(Value());
    } catch (...) {
      stored.set_error(std::current_exception());
    }
  });
  return stored.future();
}

Array rows_of(const Array& a, std::int64_t begin, std::int64_t end) {
  Shape shape = a.shape();
  shape[0] = end - begin;
  return a.view(begin * a.strides()[0], shape, a.strides());
}

// The values of a call whose X is a distributed matrix cut into rows, as this rank computes its
// part: X's tile, w (replicated), and each v as its rows (a v cut like X's rows: its tile; a
// replicated one value per row: cut to the tile's rows). None when a value does not fit.
std::optional<std::vector<Value>> rows_of_tiles(const std::vector<Value>& v) {
  const Tiled& X = v[0].as_tiled();
  const Tiling& t = *X.tiling;
  if (t.ndim() != 2 || t.split_axes != 1 || !v[1].is_array()) return std::nullopt;
  std::vector<Value> local(v);
  local[0] = Value(X.local);
  for (std::size_t k = 4; k < v.size(); ++k) {
    if (v[k].is_tiled()) {
      const Tiling& u = *v[k].as_tiled().tiling;
      if (u.ndim() != 1 || u.split_axes != 1 || u.global[0] != t.global[0]) return std::nullopt;
      for (int q = 0; q < t.ranks(); ++q)
        if (u.boxes[q].lo[0] != t.boxes[q].lo[0] || u.boxes[q].hi[0] != t.boxes[q].hi[0])
          return std::nullopt;
      local[k] = Value(v[k].as_tiled().local);
    } else if (v[k].is_array() && v[k].as_array_ref().ndim() == 1 &&
               v[k].as_array_ref().shape()[0] == t.global[0] && t.global[0] > 1) {
      local[k] = Value(rows_of(v[k].as_array_ref(), t.mine().lo[0], t.mine().hi[0]));
    }
  }
  return local;
}

class RowBlocksNode : public HigherOrderNode {
 public:
  // dot_first: f reads its first two parameters only as dot(x, w) (__row_blocks_dot).
  RowBlocksNode(ControlBuild& b, bool dot_first) : HigherOrderNode(b), dot_first_(dot_first) {}

 protected:
  Future apply_to(std::vector<Value>& v, Frame& frame) const override {
    std::optional<std::vector<Value>> tiles;
    if (v[0].is_tiled() && !(tiles = rows_of_tiles(v))) return unfused(v, frame);
    std::optional<Plan> plan = plan_of(tiles ? *tiles : v);
    if (!plan) return unfused(v, frame);
    const bool across_ranks = tiles.has_value();
    auto values = std::make_shared<std::vector<Value>>(std::move(tiles ? *tiles : v));
    auto partials = std::make_shared<std::vector<Array>>(plan->chunks);
    CallContext& ctx = frame.ctx();
    const Array& X = (*values)[0].as_array_ref();
    // One pass per block needs rows of unit column stride that do not overlap.
    const bool one_pass = dot_first_ && X.strides()[1] == 8 &&
                          X.strides()[0] >= 8 * std::max<std::int64_t>(plan->cols, 1);
    std::vector<Future> done = run_chunks(
        ctx, plan->chunks, [this, plan = *plan, values, partials, one_pass, &ctx](std::int64_t c) {
          return one_pass ? run_chunk_one_pass(plan, c, values, partials, ctx)
                          : run_chunk(plan, c, values, partials, ctx);
        });
    return dataflow(
        frame, std::move(done),
        [this, partials, across_ranks](std::vector<Value>&) -> Future {
          Array sum = (*partials)[0].copy();
          double* out = sum.mutable_data<double>();
          const std::int64_t n = sum.size();  // not in the loop's test: the loop vectorises
          for (std::size_t c = 1; c < partials->size(); ++c) {
            const double* part = (*partials)[c].data<double>();
            for (std::int64_t j = 0; j < n; ++j) out[j] += part[j];
          }
          if (across_ranks) sum = sum_over_ranks(sum, collective_key("__row_blocks", loc()));
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
          Future part = call_part(plan, *values, Value(Xb), (*values)[1], r0, r1, ctx);
          auto add = [Xb, partials, c, rows = r1 - r0](const Value& r) {
            kernels::add_transposed_product(Xb, block_part(r, rows),
                                            (*partials)[static_cast<std::size_t>(c)]);
          };
          return after_part(std::move(part), std::move(add), loc());
        });
  }

  // The blocks of chunk c with one pass over each (__row_blocks_dot): f gets z_b = X_b @ w and
  // 1.0 (its dot(z_b, 1.0) is z_b * 1.0, which is z_b), and the pass that adds X_b.T @ f(...)
  // to the partial also computes the next block's z, so that the next block streams in from
  // memory while this one is read out of cache.
  Future run_chunk_one_pass(const Plan& plan, std::int64_t c,
                            const std::shared_ptr<std::vector<Value>>& values,
                            const std::shared_ptr<std::vector<Array>>& partials,
                            CallContext& ctx) const {
    const std::int64_t first = plan.blocks * c / plan.chunks;
    const std::int64_t end = plan.blocks * (c + 1) / plan.chunks;
    Array& partial = (*partials)[static_cast<std::size_t>(c)];
    partial = Array::zeros(DType::float64, {plan.cols});
    const Array& X = (*values)[0].as_array_ref();
    const std::int64_t lda = X.strides()[0] / 8;
    const auto row = [&X, lda](std::int64_t r) {
      return reinterpret_cast<const double*>(X.bytes()) + r * lda;
    };
    const auto rows_in = [rows = plan.rows, block = plan.block](std::int64_t b) {
      return std::min(rows, (b + 1) * block) - b * block;
    };
    struct State {
      Array w;  // contiguous
      Array z;  // this block's X_b @ w
    };
    auto state = std::make_shared<State>();
    state->w = (*values)[1].as_array_ref().contiguous();
    state->z = Array::empty(DType::float64, {rows_in(first)});
    kernels::add_transposed_product_and_dot(nullptr, 0, nullptr, nullptr, row(first * plan.block),
                                            rows_in(first), state->w.data<double>(),
                                            state->z.mutable_data<double>(), lda, plan.cols);
    auto frame = std::make_shared<Frame>(0, nullptr, ctx);  // run_loop's anchor only
    return run_loop(
        *frame,
        [this, plan, c, first, end, values, partials, state, row, rows_in, lda,
         &ctx](std::size_t k) -> Future {
          const std::int64_t b = first + static_cast<std::int64_t>(k);
          if (b >= end) return loop_done();
          const std::int64_t r0 = b * plan.block, r1 = r0 + rows_in(b);
          Future part =
              call_part(plan, *values, Value(std::move(state->z)), Value(1.0), r0, r1, ctx);
          auto add = [plan, b, end, r0, r1, partials, c, state, row, rows_in, lda](const Value& r) {
            const Array rb = block_part(r, r1 - r0);
            const std::int64_t next_rows = b + 1 < end ? rows_in(b + 1) : 0;
            Array z = Array::empty(DType::float64, {next_rows});
            kernels::add_transposed_product_and_dot(
                row(r0), r1 - r0, rb.data<double>(),
                (*partials)[static_cast<std::size_t>(c)].mutable_data<double>(),
                next_rows ? row(r1) : nullptr, next_rows, state->w.data<double>(),
                z.mutable_data<double>(), lda, plan.cols);
            state->z = std::move(z);
          };
          return after_part(std::move(part), std::move(add), loc());
        });
  }

  // f(x, w, v_b...) for the block of rows [r0, r1): each v with one value per row sliced to the
  // block, its nodes inline (the chunks keep the threads busy).
  Future call_part(const Plan& plan, const std::vector<Value>& values, Value x, Value w,
                   std::int64_t r0, std::int64_t r1, CallContext& ctx) const {
    CallArgs args;
    args.positional = {std::move(x), std::move(w)};
    for (std::size_t i = 4; i < values.size(); ++i)
      args.positional.push_back(
          plan.per_row[i - 4] ? Value(rows_of(values[i].as_array_ref(), r0, r1)) : values[i]);
    InlineScope inline_only;
    return call_function(values[2], std::move(args), ctx, loc());
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

  bool dot_first_;
};

}  // namespace

void register_row_blocks(Registry& r) {
  r.add({.name = "__row_blocks",
         .signature = {{arg("x"), arg("w"), arg("f"), arg("left")}, true},
         .doc = "__row_blocks(x, w, f, left, v...)\n\ndot(transpose(x), f(x, w, v...)) (or, "
                "with left true, dot(f(x, w, v...), x), the same for the vector f gives) in one "
                "pass over x, in blocks of rows, for f element-wise in the rows of x (the "
                "compiler's row-block fusion makes of `r = h(x @ w)` followed by `x.T @ g(r)` or "
                "`g(r) @ x` its one-pass form, __row_blocks_dot). Each v with "
                "one value per row of x is sliced with the block. Partial results of fixed chunks "
                "are added in order (the same bits at any thread count). Other values than a "
                "float64 matrix x, a float64 vector w of its width, and scalars or row-vectors v "
                "compute dot(transpose(x), f(x, w, v...)) as written.",
         .kind = PrimitiveKind::control,
         .build = [](ControlBuild& b) -> NodePtr {
           return std::make_shared<RowBlocksNode>(b, false);
         }});
  r.add({.name = "__row_blocks_dot",
         .signature = {{arg("x"), arg("w"), arg("f"), arg("left")}, true},
         .doc = "__row_blocks_dot(x, w, f, left, v...)\n\n__row_blocks(x, w, f, left, v...) for "
                "an f that reads its first two parameters only as dot(x, w) (the compiler's "
                "row-block fusion makes such an f): each block is read in one pass, which adds "
                "the block's part and computes the next block's x_b @ w, and f gets that "
                "product and 1.0 for x_b and w (dot(z, 1.0) is z). The same result as "
                "__row_blocks up to the order of the additions in x_b @ w.",
         .kind = PrimitiveKind::control,
         .build = [](ControlBuild& b) -> NodePtr {
           return std::make_shared<RowBlocksNode>(b, true);
         }});
}

}  // namespace larix
