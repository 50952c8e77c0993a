// The products the compiler's algebraic rewrites (compiler/rewrites.cpp) produce. Each is dot(a, b)
// with the same value and the same errors, computed without the dense intermediate when the
// operand `a` (or `b`) is a call whose structure the node sees at build time:
//   __dot_diag_left(diag(c), Y)                             c[:, None] * Y   (row scaling)
//   __dot_diag_right(Y, diag(c))                            Y * c            (column scaling)
//   __dot_diag_identity_left(diag(c) + identity(n), p)      (c + 1)[:, None] * p
//   __dot_diag_identity_right(Y, diag(c) + identity(n))     Y * (c + 1)
//   __dot_inverse(inv(A), b)                                solve(A, b)
//   __dot_scaled_vector(__dot_diag_right(A, diag(c)), p)    A @ (c * p)  (also with c + 1)
//   __dot_syrk_left(transpose(A), A)                        A.T @ A, symmetric (dsyrk)
//   __dot_syrk_right(A, transpose(A))                       A @ A.T, symmetric (dsyrk)
// They are control primitives so that they get the operand calls unevaluated: they evaluate only
// the leaves (c, Y, A, ...). When the values do not fit the fast path (ranks, lengths, dtypes, a
// non-finite operand, k != 0), the original calls run, each at its own source location, so a bad
// program fails exactly as it would without the rewrite.
#include <cmath>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/linalg.hpp"
#include "larix/kernels/matrix.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/primitives/control_support.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using kernels::BinaryOp;

const PrimitiveNode* call_of(const Node& node, std::initializer_list<std::string_view> names) {
  const auto* p = dynamic_cast<const PrimitiveNode*>(&node);
  if (!p) return nullptr;
  for (std::string_view n : names)
    if (p->info().name == n) return p;
  return nullptr;
}

bool is_float_array(const Value& v) {
  return v.is_array() &&
         (v.as_array_ref().dtype() == DType::float32 || v.as_array_ref().dtype() == DType::float64);
}

bool is_zero_int(const Value& v) { return v.is_int() && v.as_int() == 0; }

// 0 * x is 0 only for finite x: a dense diagonal spreads an inf or NaN of the other operand into
// whole rows or columns, which scaling would not. Such operands take the dense path (so does a
// product that overflows, which the dense product gives too).
bool all_finite(const Array& a) { return std::isfinite(kernels::sum(a).item_as_double()); }

// c as a column (n, 1), a view.
Array column(const Array& c) { return c.view(0, {c.shape()[0], 1}, {c.strides()[0], 0}); }

Array multiply(const Array& a, const Array& b) {
  return kernels::binary(BinaryOp::multiply, a, b, kernels::result_type(a.dtype(), b.dtype()));
}

// The dtype of identity(n, dtype) / eye(N, M, k, dtype) when it is an n x n identity of a float
// dtype, from the call's operand values.
std::optional<DType> identity_dtype(const std::string& name, std::span<const Value> v, int64_t n) {
  if (!v[0].is_int() || v[0].as_int() != n) return std::nullopt;
  const Value* dtype = &v[1];
  if (name == "eye") {
    if (!(v[1].is_nil() || (v[1].is_int() && v[1].as_int() == n)) || !is_zero_int(v[2]))
      return std::nullopt;
    dtype = &v[3];
  }
  if (!dtype->is_nil() && !dtype->is_string()) return std::nullopt;
  DType d;
  try {
    d = numpy_args::parse_dtype_arg(*dtype).value_or(DType::float64);
  } catch (const Error&) {
    return std::nullopt;  // the identity call itself then reports the bad dtype
  }
  if (d != DType::float32 && d != DType::float64) return std::nullopt;
  return d;
}

// Which operand is the structured call, and what it is.
struct Rule {
  // scaled_vector: a is __dot_diag_right / __dot_diag_identity_right(A, S), b a vector.
  enum Kind { diag, diag_identity, inverse, scaled_vector, symmetric } kind;
  int side;  // 0: a is the call, 1: b is
};

class RewrittenDotNode : public ControlNode {
 public:
  RewrittenDotNode(ControlBuild& b, Rule rule) : ControlNode(b), rule_(rule) {
    const Node& s = arg(rule_.side);
    switch (rule_.kind) {
      case Rule::diag:
        if ((diag_ = call_of(s, {"diag"})))
          leaves_ = {diag_->args()[0].get(), diag_->args()[1].get()};
        break;
      case Rule::diag_identity:
        if ((add_ = call_of(s, {"__add"})) && add_->args().size() == 2) {
          diag_ = call_of(*add_->args()[0], {"diag"});
          identity_ = call_of(*add_->args()[1], {"identity", "eye"});
          if (diag_ && identity_) {
            leaves_ = {diag_->args()[0].get(), diag_->args()[1].get()};
            for (const NodePtr& n : identity_->args()) leaves_.push_back(n.get());
          }
        }
        break;
      case Rule::inverse:
        if ((inverse_ = call_of(s, {"inverse"}))) leaves_ = {inverse_->args()[0].get()};
        break;
      case Rule::symmetric:
        if ((transpose_ = call_of(s, {"transpose"})) && transpose_->args().size() == 2)
          leaves_ = {transpose_->args()[0].get(), transpose_->args()[1].get()};
        break;
      case Rule::scaled_vector:
        inner_ = dynamic_cast<const RewrittenDotNode*>(&s);
        if (inner_ && inner_->rule_.side == 1 &&
            (inner_->rule_.kind == Rule::diag || inner_->rule_.kind == Rule::diag_identity) &&
            !inner_->leaves_.empty()) {
          leaves_ = {&inner_->arg(0)};  // A, then the diagonal's operands
          leaves_.insert(leaves_.end(), inner_->leaves_.begin(), inner_->leaves_.end());
        }
        break;
    }
    if (leaves_.empty())
      diag_ = add_ = identity_ = inverse_ = transpose_ = nullptr, inner_ = nullptr;
  }

 protected:
  Future eval_impl(Frame& frame) const override {
    // a's values before b's, as dot evaluates a before b.
    std::vector<Future> inputs;
    if (leaves_.empty()) {
      inputs = {arg(0).eval(frame), arg(1).eval(frame)};
    } else {
      if (rule_.side == 1) inputs.push_back(arg(0).eval(frame));
      for (const Node* n : leaves_) inputs.push_back(n->eval(frame));
      if (rule_.side == 0) inputs.push_back(arg(1).eval(frame));
    }
    CallContext& ctx = frame.ctx();
    return dataflow(
        frame, std::move(inputs),
        [this, &ctx](std::vector<Value>& v) {
          return Future(run_as_own_work(*this, ctx, [&] { return compute(v, ctx); }));
        },
        &loc());
  }

 private:
  Value run(const PrimitiveNode& call, std::vector<Value> values, CallContext& ctx) const {
    return run_kernel(call.info(), values, ctx, call.loc());
  }
  Value dot(Value a, Value b, CallContext& ctx) const {
    static const PrimitiveInfo& info = *Registry::instance().find("dot");
    Value v[2] = {std::move(a), std::move(b)};
    return run_kernel(info, std::span<Value>(v, 2), ctx, loc());
  }

  Value compute(std::vector<Value>& v, CallContext& ctx) const {
    if (leaves_.empty()) return dot(v[0], v[1], ctx);
    if (rule_.kind == Rule::scaled_vector) {  // v: A, the diagonal's operands, p
      const Value p = v.back();
      if (auto fast = scaled_vector(v, p)) return *fast;
      v.pop_back();
      return dot(inner_->compute(v, ctx), p, ctx);
    }
    // v: the structured call's leaves and the other operand, in operand order.
    const std::size_t first = rule_.side == 0 ? 0 : 1;
    const std::span<const Value> leaf(v.data() + first, leaves_.size());
    const Value& other = v[rule_.side == 0 ? leaves_.size() : 0];
    if (auto fast = fast_path(leaf, other)) return *fast;
    // The original calls, each at its own location: the same value and the same errors.
    Value call;
    switch (rule_.kind) {
      case Rule::diag: call = run(*diag_, {leaf[0], leaf[1]}, ctx); break;
      case Rule::diag_identity: {
        Value d = run(*diag_, {leaf[0], leaf[1]}, ctx);
        Value i = run(*identity_, std::vector<Value>(leaf.begin() + 2, leaf.end()), ctx);
        call = run(*add_, {std::move(d), std::move(i)}, ctx);
        break;
      }
      case Rule::inverse: call = run(*inverse_, {leaf[0]}, ctx); break;
      case Rule::symmetric: call = run(*transpose_, {leaf[0], leaf[1]}, ctx); break;
      case Rule::scaled_vector: break;  // handled above
    }
    return rule_.side == 0 ? dot(std::move(call), other, ctx) : dot(other, std::move(call), ctx);
  }

  std::optional<Value> fast_path(std::span<const Value> leaf, const Value& other) const {
    if (!is_float_array(other)) return std::nullopt;
    const Array& o = other.as_array_ref();
    if (rule_.kind == Rule::symmetric) {
      // transpose(A) with its default axes, and the other operand the same 2-d float64 array.
      if (!leaf[1].is_nil() || !leaf[0].is_array()) return std::nullopt;
      const Array& a = leaf[0].as_array_ref();
      if (a.ndim() != 2 || a.dtype() != DType::float64 || o.dtype() != DType::float64 ||
          a.bytes() != o.bytes() || a.shape() != o.shape() || a.strides() != o.strides())
        return std::nullopt;
      return Value(kernels::symmetric_product(a, rule_.side == 0));
    }
    if (rule_.kind == Rule::inverse) {
      if (rule_.side != 0 || !is_float_array(leaf[0])) return std::nullopt;
      const Array& a = leaf[0].as_array_ref();
      if (a.dtype() != o.dtype() || a.ndim() != 2 || a.shape()[0] != a.shape()[1] ||
          a.shape()[0] == 0 || o.ndim() < 1 || o.ndim() > 2 || o.shape()[0] != a.shape()[0])
        return std::nullopt;
      // A singular A fails in solve's LU as in inv's (the same getrf): report it at inv(A).
      return with_location(inverse_->loc(), [&] { return Value(kernels::solve(a, o)); });
    }
    if (o.ndim() < 1 || o.ndim() > 2) return std::nullopt;
    const auto diagonal = this->diagonal(leaf, rule_.side == 0 ? o.shape()[0] : o.shape().back());
    if (!diagonal) return std::nullopt;
    const Array& d = *diagonal;
    // Columns of o, or its rows.
    const Array out = rule_.side == 1 ? multiply(o, d) : multiply(o.ndim() == 2 ? column(d) : d, o);
    // An inf or NaN in o gives one in `out` (c * inf is inf or NaN): checking the fresh,
    // contiguous result is cheaper than checking o, which is often a transposed view.
    if (!all_finite(out)) return std::nullopt;
    return Value(out);
  }

  // The diagonal of the structured operand (c, or c + 1 for diag(c) + identity) when it is an
  // n x n diagonal matrix with k = 0 and float entries.
  std::optional<Array> diagonal(std::span<const Value> leaf, int64_t n) const {
    if (!is_float_array(leaf[0]) || !is_zero_int(leaf[1])) return std::nullopt;
    const Array& c = leaf[0].as_array_ref();
    if (c.ndim() != 1 || c.shape()[0] != n) return std::nullopt;
    if (rule_.kind != Rule::diag_identity) return c;
    const auto idtype = identity_dtype(identity_->info().name, leaf.subspan(2), n);
    if (!idtype) return std::nullopt;
    // (diag(c) + I)[i, i] is c[i] + 1 computed in the sum's dtype; every other entry is 0.
    return kernels::binary(BinaryOp::add, c, Array::scalar(1.0),
                           kernels::result_type(c.dtype(), *idtype));
  }

  // (A * d) @ p computed as A @ (d * p): d * p is n multiplications, not A's size. Each term of
  // the sum is rounded once more or less, so the last bits may differ from the dense product's.
  std::optional<Value> scaled_vector(std::span<const Value> v, const Value& p) const {
    if (!is_float_array(v[0]) || !is_float_array(p)) return std::nullopt;
    const Array& a = v[0].as_array_ref();
    const Array& pv = p.as_array_ref();
    if (a.ndim() != 2 || pv.ndim() != 1 || pv.shape()[0] != a.shape()[1]) return std::nullopt;
    const auto d = inner_->diagonal(v.subspan(1, v.size() - 2), a.shape()[1]);
    if (!d) return std::nullopt;
    const Array out = kernels::dot(a, multiply(*d, pv));
    // A non-finite A, d or p: the dense products spread NaN differently; take their path.
    if (!all_finite(out)) return std::nullopt;
    return Value(out);
  }

  Rule rule_;
  const RewrittenDotNode* inner_ = nullptr;  // scaled_vector: the product A * d
  const PrimitiveNode* diag_ = nullptr;
  const PrimitiveNode* add_ = nullptr;
  const PrimitiveNode* identity_ = nullptr;
  const PrimitiveNode* inverse_ = nullptr;
  const PrimitiveNode* transpose_ = nullptr;
  // The structured call's operands (empty: no match, plain dot); children of this node.
  std::vector<const Node*> leaves_;
};

std::function<NodePtr(ControlBuild&)> build(Rule rule) {
  return [rule](ControlBuild& b) -> NodePtr { return std::make_shared<RewrittenDotNode>(b, rule); };
}

const std::string kSame =
    "\n\nThe same value and errors as dot(a, b) for any operands; produced by the compiler's "
    "rewrite_algebra pass (docs/design.md). ";

}  // namespace

void register_rewritten_dot(Registry& r) {
  const Signature two{{arg("a"), arg("b")}};
  auto add = [&](std::string name, Rule rule, std::string when) {
    r.add({.name = name,
           .signature = two,
           .doc = name + "(a, b)" + kSame + when,
           .kind = PrimitiveKind::control,
           .build = build(rule)});
  };
  add("__dot_diag_identity_left", {Rule::diag_identity, 0},
      "When a is the call `diag(c) + identity(n)` (or eye(n)) with 1-d float c of length n and b "
      "a finite float vector or matrix, computes (c + 1)[:, None] * b without the n x n "
      "matrices.");
  add("__dot_diag_identity_right", {Rule::diag_identity, 1},
      "When b is the call `diag(c) + identity(n)` (or eye(n)) with 1-d float c of length n and a "
      "a finite float vector or matrix, computes a * (c + 1) without the n x n matrices.");
  add("__dot_diag_left", {Rule::diag, 0},
      "When a is the call diag(c) with 1-d float c and b a finite float vector or matrix, "
      "scales b's rows: c[:, None] * b.");
  add("__dot_diag_right", {Rule::diag, 1},
      "When b is the call diag(c) with 1-d float c and a a finite float vector or matrix, "
      "scales a's columns: a * c.");
  add("__dot_scaled_vector", {Rule::scaled_vector, 0},
      "When a is the call __dot_diag_right(A, S) or __dot_diag_identity_right(A, S) (A * d for "
      "the diagonal d of S) and b a vector, computes A @ (d * b): n multiplications instead of "
      "A's size (the last bits may differ from the dense product's).");
  add("__dot_syrk_left", {Rule::symmetric, 0},
      "When a is the call transpose(A) (default axes) and b the same 2-d float64 array A, "
      "computes A.T @ A as a symmetric product (BLAS dsyrk on the diagonal blocks, the lower "
      "triangle copied from the upper one): about half the multiplications; within rounding of "
      "the dense product.");
  add("__dot_syrk_right", {Rule::symmetric, 1},
      "When b is the call transpose(A) (default axes) and a the same 2-d float64 array A, "
      "computes A @ A.T as a symmetric product (BLAS dsyrk on the diagonal blocks, the lower "
      "triangle copied from the upper one): about half the multiplications; within rounding of "
      "the dense product.");
  add("__dot_inverse", {Rule::inverse, 0},
      "When a is the call inv(A) with A a square float matrix and b a vector or matrix of A's "
      "dtype with matching length, computes solve(A, b) (LU with partial pivoting, no inverse: "
      "the last bits differ from inv(A) @ b).");
}

}  // namespace larix
