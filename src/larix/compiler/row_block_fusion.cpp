#include "larix/compiler/row_block_fusion.hpp"

#include <set>

#include "larix/compiler/access.hpp"
#include "larix/primitives/registry.hpp"

namespace larix::compiler {

namespace {

bool element_wise(const Ir& ir) {
  static const std::set<std::string> names = {"__add", "__sub", "__mul",   "__div",   "__minus",
                                              "exp",   "log",   "log1p",   "expm1",   "sigmoid",
                                              "tanh",  "sqrt",  "maximum", "minimum", "absolute",
                                              "power", "__gt",  "__lt",    "__ge",    "__le"};
  return ir.kind == IrKind::primitive && names.count(ir.prim->name) > 0;
}

bool same_slot(const Ir& a, const Ir& b) {
  return a.kind == IrKind::variable && b.kind == IrKind::variable && a.slot.depth == b.slot.depth &&
         a.slot.index == b.slot.index;
}

bool is_p(const Ir& ir, int p) {
  return ir.kind == IrKind::variable && ir.slot.depth == 0 && ir.slot.index == p;
}

// What an expression made of element-wise primitives, constants and variables reads.
struct Scan {
  const Ir* dot = nullptr;  // the one dot(X, w) (E1)
  int dots = 0;
  int p_uses = 0;                    // reads of p (E2)
  std::vector<const Ir*> variables;  // other variables, one per slot
  bool ok = true;
};

void scan(const Ir& e, int p, Scan& s) {
  if (!s.ok) return;
  switch (e.kind) {
    case IrKind::constant: return;
    case IrKind::variable:
      if (p >= 0 && is_p(e, p)) {
        ++s.p_uses;
        return;
      }
      for (const Ir* v : s.variables)
        if (same_slot(*v, e)) return;
      s.variables.push_back(&e);
      return;
    case IrKind::primitive:
      if (e.prim->name == "dot" && e.args.size() == 2 && e.args[0]->kind == IrKind::variable &&
          e.args[1]->kind == IrKind::variable) {
        s.dot = &e;
        ++s.dots;
        return;
      }
      if (!element_wise(e)) break;
      for (const auto& a : e.args) scan(*a, p, s);
      return;
    default: break;
  }
  s.ok = false;
}

struct Rename {
  const Ir* dot = nullptr;  // becomes dot(__X, __w)
  int p = -1;               // becomes a copy of E1
  const Ir* e1 = nullptr;
  std::vector<const Ir*> variables;  // become parameters 2, 3, ...
};

IrPtr parameter(const std::string& name, int index, const SourceLoc& loc) {
  IrPtr v = make_ir(IrKind::variable, loc);
  v->name = name;
  v->slot = SlotRef{0, index};
  return v;
}

// A copy of e for the lambda's body: p replaced by E1, dot(X, w) by dot(__X, __w), the other
// variables by the lambda's parameters. Locations are kept: errors point at the user's code.
IrPtr copy(const Ir& e, const Rename& r) {
  if (e.kind == IrKind::variable) {
    if (r.p >= 0 && is_p(e, r.p)) return copy(*r.e1, r);
    for (std::size_t k = 0; k < r.variables.size(); ++k)
      if (same_slot(*r.variables[k], e)) return parameter(e.name, static_cast<int>(k) + 2, e.loc);
  }
  IrPtr out = std::make_shared<Ir>(e);
  if (&e == r.dot) {
    out->args = {parameter(e.args[0]->name, 0, e.args[0]->loc),
                 parameter(e.args[1]->name, 1, e.args[1]->loc)};
    return out;
  }
  for (auto& a : out->args)
    if (a) a = copy(*a, r);
  return out;
}

class Fuser {
 public:
  explicit Fuser(ProgramIr& program) : access_(program) {}

  void visit(Ir& ir, Owners& owners, const Ir& function_body) {
    for (auto& a : ir.args)
      if (a) visit(*a, owners, function_body);
    if (ir.kind == IrKind::lambda) {
      owners.push_back(ir.function.get());
      visit(*ir.function->body, owners, *ir.function->body);
      owners.pop_back();
    }
    if (ir.kind != IrKind::block || ir.parallel) return;
    for (std::size_t j = 1; j < ir.args.size(); ++j) {
      if (!has_product(ir.args[j])) continue;  // (the pairs of a long block are too many)
      for (std::size_t i = j; i-- > 0;)
        if (fuse(ir, i, j, owners, function_body)) {
          --j;  // statement i is gone
          break;
        }
    }
  }

 private:
  // The dot(a, b) in e, and in the element-wise operations e is made of: where the product of
  // the shape may be (`w - alpha * dot(r, X)`, the paper's PhySL LRA, as well as `dot(r, X)`).
  static void products_in(IrPtr& e, std::vector<IrPtr*>& out) {
    if (!e) return;
    if (e->kind == IrKind::primitive && e->prim->name == "dot" && e->args.size() == 2) {
      out.push_back(&e);
      return;
    }
    if (element_wise(*e))
      for (auto& a : e->args) products_in(a, out);
  }

  // The products in a statement that is, or assigns, an expression with one: the second
  // statement of the shape.
  static std::vector<IrPtr*> products_of(IrPtr& statement) {
    std::vector<IrPtr*> out;
    const bool assigned = statement->kind == IrKind::define || statement->kind == IrKind::store;
    products_in(assigned ? statement->args[0] : statement, out);
    return out;
  }
  static bool has_product(IrPtr& statement) { return !products_of(statement).empty(); }

  // Whether statements i and j of `block` have the shape, with any of statement j's products; if
  // so, rewrites them.
  bool fuse(Ir& block, std::size_t i, std::size_t j, Owners& owners, const Ir& function_body) {
    for (IrPtr* product : products_of(block.args[j]))
      if (fuse(block, i, j, *product, owners, function_body)) return true;
    return false;
  }

  bool fuse(Ir& block, std::size_t i, std::size_t j, IrPtr& product_ptr, Owners& owners,
            const Ir& function_body) {
    Ir& first = *block.args[i];
    if (first.kind != IrKind::define || first.slot.depth != 0 || !first.args[0]) return false;
    const Ir& product = *product_ptr;
    if (product.kind != IrKind::primitive || product.prim->name != "dot" ||
        product.args.size() != 2)
      return false;
    // dot(transpose(X), E2), or dot(E2, X) (`left`: the same for the vector E2 is).
    const Ir* matrix = nullptr;
    std::size_t e2_index = 1;
    const Ir& transposed = *product.args[0];
    if (transposed.kind == IrKind::primitive && transposed.prim->name == "transpose" &&
        !transposed.args.empty() && transposed.args[0]->kind == IrKind::variable) {
      matrix = transposed.args[0].get();
      for (std::size_t k = 1; k < transposed.args.size(); ++k)  // transpose(X): no axes given
        if (transposed.args[k]->kind != IrKind::constant || !transposed.args[k]->value.is_nil())
          matrix = nullptr;
    }
    const bool left = !matrix;
    if (left) {
      if (product.args[1]->kind != IrKind::variable) return false;
      matrix = product.args[1].get();
      e2_index = 0;
    }
    const int p = first.slot.index;
    Scan e1, e2;
    scan(*first.args[0], -1, e1);
    scan(*product.args[e2_index], p, e2);
    if (!e1.ok || e1.dots != 1 || !e2.ok || e2.dots != 0 || e2.p_uses == 0) return false;
    const Ir& X = *e1.dot->args[0];
    if (!same_slot(X, *matrix)) return false;
    // p: assigned here only, read only by E2.
    if (count(function_body, 0, p, true) != 1 || count(function_body, 0, p, false) != e2.p_uses)
      return false;
    // E1 moves from statement i to statement j: nothing in between may change what it reads,
    // and nothing in between may have effects (its errors come later now).
    std::set<Slot> inputs{{X.slot.depth, X.slot.index},
                          {e1.dot->args[1]->slot.depth, e1.dot->args[1]->slot.index}};
    for (const Ir* v : e1.variables) inputs.insert({v->slot.depth, v->slot.index});
    for (std::size_t k = i + 1; k < j; ++k) {
      Access acc;
      access_.collect(*block.args[k], 0, owners, acc);
      if (acc.effect || acc.barrier) return false;
      for (const Slot& s : acc.writes)
        if (inputs.count(s)) return false;
    }
    // (Statement j may assign what E1 reads, as `store(w, w - alpha * dot(r, X))` does: its
    // value, E1 within it, is computed before the assignment.)

    // The lambda(__X, __w, v..., E2[p := E1]) and the call.
    Rename r;
    r.dot = e1.dot;
    r.p = p;
    r.e1 = first.args[0].get();
    for (const Ir* v : e1.variables) r.variables.push_back(v);
    for (const Ir* v : e2.variables) {
      bool seen = false;
      for (const Ir* w : r.variables) seen |= same_slot(*w, *v);
      if (!seen) r.variables.push_back(v);
    }
    auto function = std::make_shared<FunctionIr>();
    function->name = "lambda";
    function->params = {"__X", "__w"};
    for (const Ir* v : r.variables) function->params.push_back(v->name);
    function->slots = static_cast<int>(function->params.size());
    function->loc = first.loc;
    function->body = copy(*product.args[e2_index], r);
    IrPtr lambda = make_ir(IrKind::lambda, first.loc);
    lambda->function = function;
    lambda->args.assign(function->params.size(), nullptr);

    IrPtr call = make_ir(IrKind::control, product.loc);
    call->prim = Registry::instance().find("__row_blocks_dot");  // f reads __X, __w only in dot
    IrPtr order = make_ir(IrKind::constant, product.loc);
    order->value = Value(left);
    call->args = {std::make_shared<Ir>(X), std::make_shared<Ir>(*e1.dot->args[1]), lambda, order};
    for (const Ir* v : r.variables) call->args.push_back(std::make_shared<Ir>(*v));
    product_ptr = call;
    block.args.erase(block.args.begin() + static_cast<std::ptrdiff_t>(i));
    return true;
  }

  // Assignments (or reads) of slot `index` of the frame `offset` levels out, in ir.
  static int count(const Ir& ir, int offset, int index, bool assignments) {
    int n = 0;
    const bool here = ir.slot.depth == offset && ir.slot.index == index;
    if (assignments && here &&
        (ir.kind == IrKind::define || ir.kind == IrKind::store || ir.kind == IrKind::store_indexed))
      ++n;
    if (!assignments && here && (ir.kind == IrKind::variable || ir.kind == IrKind::store_indexed))
      ++n;
    for (const auto& a : ir.args)
      if (a) n += count(*a, offset, index, assignments);
    if (ir.kind == IrKind::lambda) n += count(*ir.function->body, offset + 1, index, assignments);
    return n;
  }

  AccessAnalyzer access_;
};

}  // namespace

void fuse_row_blocks(ProgramIr& program) {
  Fuser fuser(program);
  Owners owners{nullptr};
  fuser.visit(*program.body, owners, *program.body);
}

}  // namespace larix::compiler
