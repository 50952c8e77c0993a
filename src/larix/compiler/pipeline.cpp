#include "larix/compiler/pipeline.hpp"

#include "larix/compiler/constant_folding.hpp"
#include "larix/compiler/cse.hpp"
#include "larix/compiler/dead_code.hpp"
#include "larix/compiler/dependencies.hpp"
#include "larix/compiler/fuse_elementwise.hpp"
#include "larix/compiler/infer_types.hpp"
#include "larix/compiler/lower.hpp"
#include "larix/compiler/parallel_loops.hpp"
#include "larix/compiler/resolve.hpp"
#include "larix/compiler/rewrites.hpp"
#include "larix/compiler/row_block_fusion.hpp"
#include "larix/compiler/scalar_code.hpp"
#include "larix/physl/parser.hpp"

namespace larix::compiler {

namespace {
struct Pass {
  std::string name;
  void (*run)(ProgramIr&);
};

const std::vector<Pass>& passes() {
  static const std::vector<Pass> list = {
      {"constant_folding", fold_constants}, {"infer_types", infer_types},
      {"rewrite_algebra", rewrite_algebra}, {"cse", eliminate_common_subexpressions},
      {"dead_code", eliminate_dead_code},   {"row_block_fusion", fuse_row_blocks},
  };
  return list;
}

void number(const Node* node, int parent, CompiledProgram& out) {
  const int id = static_cast<int>(out.nodes.size());
  node->set_id(id);
  out.nodes.push_back(node);
  out.parents.push_back(parent);
  for (const Node* child : node->children())
    if (child) number(child, id, out);
}
}  // namespace

const std::vector<std::string>& pass_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n{"resolve"};
    for (const auto& p : passes()) n.push_back(p.name);
    n.push_back("parallel_loops");
    n.push_back("fuse_elementwise");
    n.push_back("scalar_code");
    return n;
  }();
  return names;
}

namespace {
// Whether anything at or below `ir` assigns a variable of the top-level frame; `level` is how
// many functions `ir` is nested in (a slot of depth `level` is the top frame's).
bool assigns_top_level(const Ir& ir, int level) {
  const bool writes =
      ir.kind == IrKind::define || ir.kind == IrKind::store || ir.kind == IrKind::store_indexed;
  if (writes && ir.slot.depth == level) return true;
  for (const IrPtr& a : ir.args)
    if (a && assigns_top_level(*a, level)) return true;
  return ir.function && ir.function->body && assigns_top_level(*ir.function->body, level + 1);
}

// CompiledProgram::definitions_only for a resolved program.
bool definitions_only(const ProgramIr& ir) {
  const Ir& body = *ir.body;
  if (body.kind != IrKind::block || body.args.size() < 2) return false;
  const Ir& last = *body.args.back();
  if (last.kind != IrKind::variable || last.slot.depth != 0) return false;
  bool last_is_defined = false;
  for (std::size_t i = 0; i + 1 < body.args.size(); ++i) {
    const Ir& s = *body.args[i];
    if (s.kind != IrKind::define || s.slot.depth != 0 || s.args.size() != 1) return false;
    const Ir& fn = *s.args[0];
    if (fn.kind != IrKind::lambda || !fn.function || !fn.function->body) return false;
    for (const IrPtr& d : fn.args)
      if (d && d->kind != IrKind::constant) return false;
    if (assigns_top_level(*fn.function->body, 1)) return false;
    last_is_defined |= s.slot.index == last.slot.index;
  }
  return last_is_defined;
}
}  // namespace

CompiledProgram compile(std::string_view text, const CompileOptions& options) {
  physl::Program ast = physl::parse_program(text, options.source_name, options.origin_file);
  ProgramIr ir = resolve(ast, options.source_name);
  ir.signature = options.signature;
  if (options.dump) options.dump("resolve", ir_to_physl(ir));
  if (options.optimize) {
    for (const Pass& pass : passes()) {
      pass.run(ir);
      if (options.dump)
        options.dump(pass.name, ir_to_physl(ir) + (pass.run == infer_types ? type_report(ir) : ""));
    }
  }
  // Always run: a parallel_for is checked (and made parallel) even without optimisation.
  find_parallel_loops(ir, options.optimize && options.parallel_loops);
  if (options.dump) {
    std::string text = ir_to_physl(ir);
    for (const LoopReport& loop : ir.loops) text += "// loop at " + loop.str() + "\n";
    options.dump("parallel_loops", text);
  }
  // After the loops' analysis: it sees the operations as written.
  if (options.optimize) {
    fuse_elementwise(ir);
    if (options.dump) options.dump("fuse_elementwise", ir_to_physl(ir));
    // Last: it sees the loops made parallel and the fused chains (scalar code runs a chain of
    // Python numbers itself, and its generic subtree keeps the fused node for arrays).
    mark_scalar_code(ir);
    if (options.dump) options.dump("scalar_code", ir_to_physl(ir));
  }
  analyze_dependencies(ir);
  CompiledProgram out;
  out.loops = ir.loops;
  out.result = ir.result;
  out.definitions_only = definitions_only(ir);
  out.root = lower(*ir.body);
  out.slots = ir.slots;
  number(out.root.get(), -1, out);
  return out;
}

}  // namespace larix::compiler
