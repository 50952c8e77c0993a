#include "larix/compiler/dependencies.hpp"

#include <algorithm>

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
    ir.deps = block_dependencies(access);
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

  AccessAnalyzer access_;
};

}  // namespace

// deps[j]: the statements before j that statement j must wait for, in order: the transitive
// reduction of "conflicts" (a barrier on either side, effects on both, a slot one writes and
// the other reads or writes). Linear in the statements' accesses, not quadratic in their count:
// the candidates are the last writer of each slot j touches, the readers since that write when j
// writes it, the last statement with effects and the last barrier (a barrier waits for all since
// the one before); every other conflict is implied through them (that writer waited for the
// earlier writers and readers, the barrier for everything before it). A candidate another
// candidate reaches is implied too and dropped.
constexpr int kSearchBudget = 4096;  // statements a search may visit per statement

std::vector<std::vector<int>> block_dependencies(const std::vector<Access>& access) {
  const int n = static_cast<int>(access.size());
  std::vector<std::vector<int>> deps(access.size());
  std::map<Slot, int> last_writer;
  std::map<Slot, std::vector<int>> readers;  // since the slot's last writer
  int last_effect = -1, last_barrier = -1;
  std::vector<int> seen(access.size(), -1), stack;  // the searches' marks and stack
  int mark = 0;
  for (int j = 0; j < n; ++j) {
    const Access& a = access[j];
    std::vector<int> cand;
    auto add = [&](int i) {
      if (i >= last_barrier) cand.push_back(i);
    };
    if (a.barrier)
      for (int i = std::max(last_barrier, 0); i < j; ++i) add(i);
    else if (last_barrier >= 0) cand.push_back(last_barrier);
    if (a.effect && last_effect >= 0) add(last_effect);
    for (const Slot& s : a.reads)
      if (auto w = last_writer.find(s); w != last_writer.end()) add(w->second);
    for (const Slot& s : a.writes) {
      if (auto w = last_writer.find(s); w != last_writer.end()) add(w->second);
      if (auto r = readers.find(s); r != readers.end())
        for (int i : r->second) add(i);
    }
    std::sort(cand.begin(), cand.end());
    cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
    // From the latest candidate down: one another reaches is implied. The search marks what the
    // kept ones reach, down to the earliest candidate, within a budget; past it, a candidate
    // stays (a redundant wait, never a missing one), so the analysis stays linear.
    ++mark;
    int budget = kSearchBudget;
    for (auto c = cand.rbegin(); c != cand.rend(); ++c) {
      if (seen[*c] == mark) continue;
      deps[j].push_back(*c);
      stack.assign(1, *c);
      while (!stack.empty() && budget > 0) {
        const int v = stack.back();
        stack.pop_back();
        for (int d : deps[v])
          if (d >= cand.front() && seen[d] != mark && budget-- > 0) {
            seen[d] = mark;
            stack.push_back(d);
          }
      }
    }
    std::reverse(deps[j].begin(), deps[j].end());
    for (const Slot& s : a.writes) {
      last_writer[s] = j;
      readers.erase(s);
    }
    for (const Slot& s : a.reads)
      if (!a.writes.count(s)) readers[s].push_back(j);
    if (a.effect) last_effect = j;
    if (a.barrier) last_barrier = j;
  }
  return deps;
}

void analyze_dependencies(ProgramIr& program) {
  Analyzer analyzer(program);
  Owners owners{nullptr};
  analyzer.analyze(*program.body, owners);
}

}  // namespace larix::compiler
