"""What the translator knows about a function before translating it: Python's scopes (the names a
scope assigns, the free names of a nested function, the locals read before their first
assignment), where return/break/continue occur, and facts about expressions (constants, truth
values, expressions safe to evaluate eagerly)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

SCOPE_NODES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.ClassDef,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)
COMPREHENSIONS = (ast.ListComp, ast.GeneratorExp, ast.DictComp)


def walk(node: ast.AST, loops: bool = True):
    """The nodes below node in the same Python scope (and, unless loops, outside nested loops'
    bodies: a break there is the nested loop's)."""
    for name, value in ast.iter_fields(node):
        children = value if isinstance(value, list) else [value]
        if not loops and isinstance(node, (ast.For, ast.While)) and name == "body":
            continue
        for child in children:
            if isinstance(child, ast.AST):
                yield child
                if not isinstance(child, SCOPE_NODES):
                    yield from walk(child, loops)


def nodes(stmts: list[ast.stmt], loops: bool = True):
    for s in stmts:
        yield s
        if not isinstance(s, SCOPE_NODES):
            yield from walk(s, loops)


def has_return(stmts: list[ast.stmt]) -> bool:
    return any(isinstance(n, ast.Return) for n in nodes(stmts))


def loop_jumps(stmts: list[ast.stmt]) -> set[type]:
    """Break/Continue that leave or restart the loop these statements are the body of."""
    return {type(n) for n in nodes(stmts, loops=False) if isinstance(n, (ast.Break, ast.Continue))}


def assigned_names(stmts: list[ast.stmt]) -> set[str]:
    """Names bound in this scope by these statements (Python's rule: these are locals)."""
    out = set()
    for n in nodes(stmts):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            out.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(n.name)
    return out


def parameters(args: ast.arguments) -> list[ast.arg]:
    return [*args.posonlyargs, *args.args, *args.kwonlyargs]


def free_names(node: ast.AST) -> set[str]:
    """Names a nested function, lambda or comprehension reads from the scopes around it."""
    if isinstance(node, (ast.FunctionDef, ast.Lambda)):
        bound = {a.arg for a in parameters(node.args)}
        body = node.body if isinstance(node, ast.FunctionDef) else [node.body]
        if isinstance(node, ast.FunctionDef):
            bound |= assigned_names(body)
    else:
        bound = {
            n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)
        }
        body = [node]
    loads = set()
    for b in body:
        for n in walk(b) if b is node else [b, *walk(b)]:
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
                loads.add(n.id)
            elif isinstance(n, SCOPE_NODES) and not isinstance(n, ast.ClassDef):
                loads |= free_names(n)
    return loads - bound


def names_outside(
    func_body: list[ast.stmt], loop: ast.For, name: str, skip: tuple[ast.AST, ...] = ()
) -> bool:
    """Whether `name` occurs in the function outside `loop` (and outside `skip`; loops that rebind
    it as their own target do not count: they read their own binding)."""

    def visit(node: ast.AST) -> bool:
        if node is loop or node in skip:
            return False
        if (
            isinstance(node, ast.For)
            and node is not loop
            and isinstance(node.target, ast.Name)
            and node.target.id == name
        ):
            return visit(node.iter) or any(visit(s) for s in node.orelse)
        if isinstance(node, ast.Name) and node.id == name:
            return True
        if isinstance(node, SCOPE_NODES):
            return name in free_names(node) if not isinstance(node, ast.ClassDef) else False
        return any(visit(c) for c in ast.iter_child_nodes(node))

    return any(visit(s) for s in func_body)


class FirstUse(ast.NodeVisitor):
    """Walks a body in evaluation order and finds the locals read before their first assignment
    (they are declared `define(x, nil)` at the start of the function)."""

    def __init__(self, names: set[str]) -> None:
        self.names, self.assigned, self.early = names, set(), set()

    def read(self, name: str) -> None:
        if name in self.names and name not in self.assigned:
            self.early.add(name)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.read(node.id)
        else:
            self.assigned.add(node.id)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for t in node.targets:
            self.visit(t)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        if isinstance(node.target, ast.Name):
            self.read(node.target.id)
        self.visit(node.target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value:
            self.visit(node.value)
            self.visit(node.target)

    def visit_For(self, node: ast.For) -> None:
        self.visit(node.iter)
        self.visit(node.target)
        for s in node.body + node.orelse:
            self.visit(s)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        for d in node.args.defaults + [d for d in node.args.kw_defaults if d]:
            self.visit(d)
        for name in free_names(node):
            self.read(name)
        self.assigned.add(node.name)

    def visit_Lambda(self, node: ast.AST) -> None:
        for name in free_names(node):
            self.read(name)

    visit_ListComp = visit_GeneratorExp = visit_DictComp = visit_Lambda


@dataclass
class Scope:
    locals: set[str]  # Python names local to this scope (parameters included)
    defined: set[str]  # names already given a `define` (a later assignment is a `store`)
    flags: bool = False  # `return` sets __ret/__retval (see Statements.function_body)


@dataclass
class Loop:
    brk: str | None  # flag set by break
    cnt: str | None  # flag set by continue


def constant_value(node: ast.AST | None) -> Any:
    """The value of a (possibly negated) number or bool constant, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = constant_value(node.operand)
        return -value if value is not None else None
    return None


def is_bool(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Compare)
        or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not))
        or (isinstance(node, ast.BoolOp) and all(is_bool(v) for v in node.values))
        or (isinstance(node, ast.Constant) and isinstance(node.value, bool))
    )


def is_safe(node: ast.AST) -> bool:
    """Whether evaluating node cannot fail or cost much (so it may be evaluated eagerly)."""
    for n in ast.walk(node):
        if (
            isinstance(n, (ast.Call, ast.Subscript, ast.Attribute, ast.Lambda))
            or (isinstance(n, ast.BinOp) and not isinstance(n.op, (ast.Add, ast.Sub, ast.Mult)))
            or isinstance(n, (ast.In, ast.NotIn))
            or isinstance(n, COMPREHENSIONS)
        ):
            return False
    return True


def inside_loop(body: list[ast.stmt], target: ast.AST) -> bool:
    """Whether target is inside a loop nested in body."""
    return any(target in nodes(n.body) for n in nodes(body) if isinstance(n, (ast.For, ast.While)))
