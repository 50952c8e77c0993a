#include "larix/compiler/constant_folding.hpp"

#include <new>
#include <stdexcept>

namespace larix::compiler {

namespace {
constexpr std::int64_t kMaxFoldedElements = 4096;  // bigger results would bloat the tree

bool small(const Value& v) {
  if (v.is_array()) return v.as_array_ref().size() <= kMaxFoldedElements;
  if (v.is_list()) return v.as_list().size() <= static_cast<std::size_t>(kMaxFoldedElements);
  return true;
}

void fold(IrPtr& ir, CallContext& ctx) {
  for_each_operand(*ir, [&](IrPtr& child) { fold(child, ctx); });
  if (ir->kind != IrKind::primitive || !ir->prim->pure) return;
  std::vector<Value> values;
  for (const auto& a : ir->args) {
    if (a->kind != IrKind::constant) return;
    values.push_back(a->value);
  }
  try {
    // A result bigger than would be kept is not even made (zeros(10**9) at compile time).
    const CompileTimeBudget budget(kMaxFoldedElements * 8);
    Value result = run_kernel(*ir->prim, values, ctx, ir->loc);
    // A call that warns (integer division by zero) is left for run time, where the warning
    // reaches the caller.
    if (!ctx.warnings().take().empty() || !small(result)) return;
    IrPtr folded = make_ir(IrKind::constant, ir->loc);
    folded->value = std::move(result);
    ir = std::move(folded);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::internal) throw;
  } catch (const std::bad_alloc&) {  // run time gives the MemoryError at the call's line
  } catch (const std::length_error&) {
  }
}
}  // namespace

void fold_constants(ProgramIr& program) {
  CallContext ctx(/*sync=*/true);
  fold(program.body, ctx);
}

}  // namespace larix::compiler
