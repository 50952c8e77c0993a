#include "larix/compiler/dependencies.hpp"

#include "larix/compiler/access.hpp"

namespace larix::compiler {

namespace {

class Analyzer {
 public:
  explicit Analyzer(const ProgramIr& program) : access_(program) {}

  // Walks the tree: fills every block's deps.
  void analyze(Ir& ir, Owners& owners) {
    for (auto& a : ir.args)
      if (a) analyze(*a, owners);
    if (ir.kind == IrKind::lambda) {
      owners.push_back(ir.function.get());
      analyze(*ir.function->body, owners);
      owners.pop_back();
    }
    if (ir.kind == IrKind::primitive || ir.kind == IrKind::call) order_effects(ir, owners);
    if (ir.kind != IrKind::block) return;
    const std::size_t n = ir.args.size();
    ir.deps.assign(n, {});
    if (ir.parallel) return;
    std::vector<Access> access(n);
    for (std::size_t i = 0; i < n; ++i) access_.collect(*ir.args[i], 0, owners, access[i]);
    for (std::size_t j = 0; j < n; ++j) {
      for (std::size_t i = 0; i < j; ++i) {
        if (conflict(access[i], access[j])) ir.deps[j].push_back(static_cast<int>(i));
      }
    }
    reduce(ir.deps);
  }

 private:
  // Operands of one call run at the same time; two that draw random numbers, print or touch files
  // would do so in any order, and one that assigns a variable (list(define(b, 2), b)) would race
  // with another that reads or assigns it. Those operands are flagged to run one after another,
  // left to right, as the reference executor runs them.
  void order_effects(Ir& ir, Owners& owners) {
    const std::size_t first = ir.kind == IrKind::call ? 1 : 0;
    std::vector<Access> access;
    for (std::size_t i = first; i < ir.args.size(); ++i) {
      Access acc;
      if (ir.args[i]) access_.collect(*ir.args[i], 0, owners, acc);
      access.push_back(std::move(acc));
    }
    auto writes = [](const Access& a) { return !a.writes.empty(); };
    std::vector<bool> flags(access.size(), false);
    int count = 0;
    for (std::size_t i = 0; i < access.size(); ++i) {
      for (std::size_t j = 0; j < access.size() && !flags[i]; ++j) {
        if (i == j) continue;
        const Access &a = access[i], &b = access[j];
        flags[i] = (a.effect && b.effect) || intersects(a.writes, b.reads) ||
                   intersects(a.writes, b.writes) || intersects(a.reads, b.writes) ||
                   (a.barrier && writes(b)) || (b.barrier && writes(a));
      }
      count += flags[i] ? 1 : 0;
    }
    if (count >= 2) ir.ordered = std::move(flags);
  }

  static bool intersects(const std::set<Slot>& a, const std::set<Slot>& b) {
    for (const Slot& s : a)
      if (b.count(s)) return true;
    return false;
  }
  static bool conflict(const Access& a, const Access& b) {
    return a.barrier || b.barrier || (a.effect && b.effect) || intersects(a.writes, b.reads) ||
           intersects(a.writes, b.writes) || intersects(a.reads, b.writes);
  }
  // Drops dependencies implied by others (j waits for i, and i for k: j need not name k).
  static void reduce(std::vector<std::vector<int>>& deps) {
    const std::size_t n = deps.size();
    std::vector<std::vector<bool>> reach(n, std::vector<bool>(n, false));
    for (std::size_t j = 0; j < n; ++j)
      for (int i : deps[j]) {
        reach[j][i] = true;
        for (std::size_t k = 0; k < n; ++k)
          if (reach[i][k]) reach[j][k] = true;
      }
    for (std::size_t j = 0; j < n; ++j) {
      std::vector<int> direct;
      for (int i : deps[j]) {
        bool implied = false;
        for (int k : deps[j])
          if (k != i && reach[k][i]) implied = true;
        if (!implied) direct.push_back(i);
      }
      deps[j] = std::move(direct);
    }
  }

  AccessAnalyzer access_;
};

}  // namespace

void analyze_dependencies(ProgramIr& program) {
  Analyzer analyzer(program);
  Owners owners{nullptr};
  analyzer.analyze(*program.body, owners);
}

}  // namespace larix::compiler
