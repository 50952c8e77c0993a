#include "larix/primitives/registry.hpp"

#include "larix/primitives/fused.hpp"

namespace larix {

#define LARIX_REGISTER(file) void register_##file(Registry&);
#include "larix/primitives/registrations.inc"
#undef LARIX_REGISTER

namespace {
// How each primitive treats narrow dtypes (int8 ... uint64, float16; runtime/narrow.hpp); every
// other one widens them (NarrowPolicy::widen: its result is in a compute dtype). One table, so
// that "which operations keep uint8" has one answer (docs/python.md, "dtypes").
struct NarrowEntry {
  const char* name;
  NarrowPolicy policy;
};
constexpr NarrowPolicy kKeepFirst = NarrowPolicy::keep_first;
constexpr NarrowPolicy kSameKind = NarrowPolicy::same_kind;
constexpr NarrowPolicy kToFloat = NarrowPolicy::to_float;
constexpr NarrowPolicy kLikeFirst = NarrowPolicy::like_first;
constexpr NarrowPolicy kFloatLikeFirst = NarrowPolicy::float_like_first;
constexpr NarrowPolicy kSumLike = NarrowPolicy::sum_like;
constexpr NarrowPolicy kKeep = NarrowPolicy::keep;
const NarrowEntry kNarrowPolicies[] = {
    // Values that pass through: containers, printing and saving, functions called with them.
    {"list", kKeep},
    {"dict", kKeep},
    {"__dict_get", kKeep},
    {"dict_keys", kKeep},
    {"dict_values", kKeep},
    {"dict_items", kKeep},
    {"__dict_set", kKeep},
    {"__getitem", kKeep},
    {"append", kKeep},
    {"prepend", kKeep},
    {"__len", kKeep},
    {"car", kKeep},
    {"cdr", kKeep},
    {"__contains", kKeep},
    {"cout", kKeep},
    {"debug", kKeep},
    {"annotate", kKeep},
    {"annotate_d", kKeep},
    {"async", kKeep},
    {"apply", kKeep},
    {"fmap", kKeep},
    {"filter", kKeep},
    {"fold_left", kKeep},
    {"fold_right", kKeep},
    {"parallel_map", kKeep},
    {"parallel_for_each", kKeep},
    {"format", kKeep},
    {"__format", kKeep},
    {"string", kKeep},
    {"save", kKeep},
    {"__iter_at", kKeepFirst},
    // Elements moved by their size: views, indexing, stores, conversions, metadata.
    {"__subscript", kKeepFirst},
    {"slice", kKeepFirst},
    {"slice_row", kKeepFirst},
    {"slice_column", kKeepFirst},
    {"slice_page", kKeepFirst},
    {"__store_subscript", NarrowPolicy::store},
    {"__store_slice", NarrowPolicy::store},
    {"reshape", kKeepFirst},
    {"transpose", kKeepFirst},
    {"ravel", kKeepFirst},
    {"flatten", kKeepFirst},
    {"squeeze", kKeepFirst},
    {"expand_dims", kKeepFirst},
    {"swapaxes", kKeepFirst},
    {"moveaxis", kKeepFirst},
    {"astype", kKeepFirst},
    {"view", kKeepFirst},
    {"copy", kKeepFirst},
    {"shape", kKeepFirst},
    {"ndim", kKeepFirst},
    {"size", kKeepFirst},
    {"itemsize", kKeepFirst},
    {"nbytes", kKeepFirst},
    {"dtype", kKeepFirst},
    // Arithmetic: NumPy's result type (NEP 50).
    {"__add", kSameKind},
    {"__sub", kSameKind},
    {"__mul", kSameKind},
    {"__floordiv", kSameKind},
    {"__mod", kSameKind},
    {"power", kSameKind},
    {"__minus", kSameKind},
    {"maximum", kSameKind},
    {"minimum", kSameKind},
    {"fmax", kSameKind},
    {"fmin", kSameKind},
    {"clip", kSameKind},
    {"bitwise_and", kSameKind},
    {"bitwise_or", kSameKind},
    {"bitwise_xor", kSameKind},
    {"left_shift", kSameKind},
    {"right_shift", kSameKind},
    {"invert", kSameKind},
    {"absolute", kSameKind},
    {"square", kSameKind},
    {"sign", kSameKind},
    {"dot", kSameKind},
    {"matmul", kSameKind},
    {"inner", kSameKind},
    {"outer", kSameKind},
    {"kron", kSameKind},
    {"einsum", kSameKind},
    {"vdot", kSameKind},
    {"tensordot", kSameKind},
    {"where", NarrowPolicy::same_kind_but_first},
    {"__div", NarrowPolicy::true_divide},
    // Float functions: the smallest float that holds the operand.
    {"exp", kToFloat},
    {"exp2", kToFloat},
    {"expm1", kToFloat},
    {"log", kToFloat},
    {"log2", kToFloat},
    {"log10", kToFloat},
    {"log1p", kToFloat},
    {"sqrt", kToFloat},
    {"cbrt", kToFloat},
    {"sin", kToFloat},
    {"cos", kToFloat},
    {"tan", kToFloat},
    {"arcsin", kToFloat},
    {"arccos", kToFloat},
    {"arctan", kToFloat},
    {"sinh", kToFloat},
    {"cosh", kToFloat},
    {"tanh", kToFloat},
    {"arcsinh", kToFloat},
    {"arccosh", kToFloat},
    {"arctanh", kToFloat},
    {"arctan2", kToFloat},
    {"hypot", kToFloat},
    {"rint", kToFloat},
    {"copysign", kToFloat},
    {"sigmoid", NarrowPolicy::true_divide},  // 1 / (1 + exp(-x)): integers give float64
    {"exp10", kToFloat},
    {"invsqrt", kToFloat},
    {"invcbrt", kToFloat},
    {"relu", kSameKind},
    {"floor", kSameKind},
    {"ceil", kSameKind},
    {"trunc", kSameKind},  // integers stay integers
    // The first operand's dtype: data movement and order statistics.
    {"sort", kLikeFirst},
    {"unique", NarrowPolicy::like_first_head},
    {"partition", kLikeFirst},
    {"take", kLikeFirst},
    {"take_along_axis", kLikeFirst},
    {"concatenate", kLikeFirst},
    {"stack", kLikeFirst},
    {"__stack", kLikeFirst},
    {"hstack", kLikeFirst},
    {"vstack", kLikeFirst},
    {"dstack", kLikeFirst},
    {"column_stack", kLikeFirst},
    {"tile", kLikeFirst},
    {"repeat", kLikeFirst},
    {"pad", kLikeFirst},
    {"roll", kLikeFirst},
    {"rot90", kLikeFirst},
    {"flip", kLikeFirst},
    {"fliplr", kLikeFirst},
    {"flipud", kLikeFirst},
    {"diag", kLikeFirst},
    {"tril", kLikeFirst},
    {"triu", kLikeFirst},
    {"split", kLikeFirst},
    {"array_split", kLikeFirst},
    {"hsplit", kLikeFirst},
    {"vsplit", kLikeFirst},
    {"dsplit", kLikeFirst},
    {"insert", kLikeFirst},
    {"delete", kLikeFirst},
    {"ascontiguousarray", kLikeFirst},
    {"put", kLikeFirst},
    {"put_along_axis", kLikeFirst},
    {"diff", kLikeFirst},
    {"amax", kLikeFirst},
    {"amin", kLikeFirst},
    {"ptp", kLikeFirst},
    {"nanmax", kLikeFirst},
    {"nanmin", kLikeFirst},
    {"zeros_like", kLikeFirst},
    {"ones_like", kLikeFirst},
    {"empty_like", kLikeFirst},
    {"full_like", kLikeFirst},
    // Statistics: float16 stays float16.
    {"mean", kFloatLikeFirst},
    {"var", kFloatLikeFirst},
    {"std", kFloatLikeFirst},
    {"average", kFloatLikeFirst},
    {"median", kFloatLikeFirst},
    {"nanmean", kFloatLikeFirst},
    {"nanvar", kFloatLikeFirst},
    {"nanstd", kFloatLikeFirst},
    {"percentile", kFloatLikeFirst},
    {"quantile", kFloatLikeFirst},
    // Sums and products: unsigned to uint64.
    {"sum", kSumLike},
    {"prod", kSumLike},
    {"cumsum", kSumLike},
    {"cumprod", kSumLike},
    {"nansum", kSumLike},
    {"nancumsum", kSumLike},
    {"nancumprod", kSumLike},
    {"trace", kSumLike},
};
// Operations whose int64 result has the bits of the uint64 one (two's complement wraps alike:
// + - * & | ^ ~ <<, sums and products, moving elements): uint64 values of 2**63 and more compute
// there too. The others (comparisons, division, >>, order, conversion to float) refuse them.
const char* const kUint64AsBits[] = {"__add",
                                     "__sub",
                                     "__mul",
                                     "__minus",
                                     "power",
                                     "square",
                                     "bitwise_and",
                                     "bitwise_or",
                                     "bitwise_xor",
                                     "invert",
                                     "left_shift",
                                     "sum",
                                     "prod",
                                     "cumsum",
                                     "cumprod",
                                     "nansum",
                                     "nancumsum",
                                     "nancumprod",
                                     "trace",
                                     "take",
                                     "take_along_axis",
                                     "concatenate",
                                     "stack",
                                     "__stack",
                                     "hstack",
                                     "vstack",
                                     "dstack",
                                     "column_stack",
                                     "tile",
                                     "repeat",
                                     "pad",
                                     "roll",
                                     "rot90",
                                     "flip",
                                     "fliplr",
                                     "flipud",
                                     "diag",
                                     "tril",
                                     "triu",
                                     "split",
                                     "array_split",
                                     "hsplit",
                                     "vsplit",
                                     "dsplit",
                                     "insert",
                                     "delete",
                                     "ascontiguousarray",
                                     "put",
                                     "put_along_axis",
                                     "diff",
                                     "zeros_like",
                                     "ones_like",
                                     "empty_like",
                                     "full_like",
                                     "floor",
                                     "ceil",
                                     "trunc"};
// How each primitive takes a distributed array (runtime/distributed.hpp); every other one refuses
// it (DistPolicy::none: a TypeError that says to gather it first). The element-wise operations
// element-wise fusion knows (fusable_op) are element-wise here too, without a row.
struct DistEntry {
  const char* name;
  DistPolicy policy;
};
constexpr DistPolicy kElementwise = DistPolicy::elementwise;
constexpr DistPolicy kPass = DistPolicy::pass;
const DistEntry kDistPolicies[] = {
    // Element-wise beyond the fusable ones.
    {"fmax", kElementwise},
    {"fmin", kElementwise},
    {"clip", kElementwise},
    {"bitwise_and", kElementwise},
    {"bitwise_or", kElementwise},
    {"bitwise_xor", kElementwise},
    {"left_shift", kElementwise},
    {"right_shift", kElementwise},
    {"invert", kElementwise},
    {"logical_and", kElementwise},
    {"logical_or", kElementwise},
    {"logical_xor", kElementwise},
    {"logical_not", kElementwise},
    {"isnan", kElementwise},
    {"isinf", kElementwise},
    {"isfinite", kElementwise},
    {"nan_to_num", kElementwise},
    {"hypot", kElementwise},
    {"copysign", kElementwise},
    {"astype", kElementwise},
    {"copy", kElementwise},
    {"zeros_like", kElementwise},
    {"ones_like", kElementwise},
    {"full_like", kElementwise},
    // Reductions: over a cut axis, the tiles' results combined over the ranks.
    {"sum", DistPolicy::reduce_sum},
    {"nansum", DistPolicy::reduce_sum},
    {"count_nonzero", DistPolicy::reduce_sum},
    {"prod", DistPolicy::reduce_prod},
    {"amax", DistPolicy::reduce_max},
    {"amin", DistPolicy::reduce_min},
    {"any", DistPolicy::reduce_any},
    {"all", DistPolicy::reduce_all},
    {"mean", DistPolicy::reduce_mean},
    {"dot", DistPolicy::dot},
    {"matmul", DistPolicy::dot},
    {"transpose", DistPolicy::transpose},
    {"shape", DistPolicy::shape},
    {"ndim", DistPolicy::shape},
    {"size", DistPolicy::shape},
    {"__len", DistPolicy::shape},
    {"__subscript", DistPolicy::subscript},
    // Values passed on: containers, output, functions applied to them.
    {"list", kPass},
    {"dict", kPass},
    {"__dict_get", kPass},
    {"dict_values", kPass},
    {"dict_items", kPass},
    {"__dict_set", kPass},
    {"__getitem", kPass},
    {"append", kPass},
    {"prepend", kPass},
    {"car", kPass},
    {"cdr", kPass},
    {"cout", kPass},
    {"debug", kPass},
    {"annotate", kPass},
    {"apply", kPass},
    {"fmap", kPass},
    {"fold_left", kPass},
    {"fold_right", kPass},
    {"format", kPass},
    {"__format", kPass},
    {"string", kPass},
};
}  // namespace

const Registry& Registry::instance() {
  static const Registry registry = [] {
    Registry r;
#define LARIX_REGISTER(file) register_##file(r);
#include "larix/primitives/registrations.inc"
#undef LARIX_REGISTER
    for (const NarrowEntry& e : kNarrowPolicies) {
      auto it = r.by_name_.find(e.name);
      LARIX_ASSERT(it != r.by_name_.end(), "narrow dtype table: no primitive ", e.name);
      const_cast<PrimitiveInfo*>(it->second)->narrow = e.policy;
    }
    for (const auto& [name, info] : r.by_name_)
      if (info->kind == PrimitiveKind::regular && fusable_op(*info))
        const_cast<PrimitiveInfo*>(info)->dist = DistPolicy::elementwise;
    for (const DistEntry& e : kDistPolicies) {
      auto it = r.by_name_.find(e.name);
      LARIX_ASSERT(it != r.by_name_.end(), "distributed policy table: no primitive ", e.name);
      const_cast<PrimitiveInfo*>(it->second)->dist = e.policy;
    }
    for (const char* name : kUint64AsBits) {
      auto it = r.by_name_.find(name);
      LARIX_ASSERT(it != r.by_name_.end(), "uint64 table: no primitive ", name);
      const_cast<PrimitiveInfo*>(it->second)->uint64_as_bits = true;
    }
    return r;
  }();
  return registry;
}

const PrimitiveInfo* Registry::find(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? nullptr : it->second;
}

PrimitiveInfo& Registry::add(PrimitiveInfo info) {
  auto owned = std::make_unique<PrimitiveInfo>(std::move(info));
  PrimitiveInfo* p = owned.get();
  for (std::size_t i = 0; i < p->signature.params.size(); ++i)
    if (p->signature.params[i].name == "dtype") p->dtype_param = static_cast<int>(i);
  LARIX_ASSERT(p->kind == PrimitiveKind::control ? bool(p->build) : bool(p->kernel), "primitive ",
               p->name, " has no implementation");
  LARIX_ASSERT(by_name_.emplace(p->name, p).second, "primitive registered twice: ", p->name);
  for (const auto& alias : p->aliases)
    LARIX_ASSERT(by_name_.emplace(alias, p).second, "primitive alias registered twice: ", alias);
  primitives_.push_back(std::move(owned));
  return *p;
}

}  // namespace larix
