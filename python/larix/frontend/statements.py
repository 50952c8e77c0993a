"""Statements (each visit returns a list of PhySL expressions): function bodies, return (as the
value of a body where possible, else through flags), break/continue guards, if, with, nested
defs and assignment."""

from __future__ import annotations

import ast
import re
from typing import Union

import numpy as np

from . import physl_builder as physl
from .base import TranslatorBase, describe
from .physl_builder import Text
from .scope import (
    FirstUse,
    Scope,
    assigned_names,
    constant_value,
    free_names,
    has_return,
    inside_loop,
    loop_jumps,
    nodes,
    parameters,
)

Item = Union[Text, list]  # an element a loop binds: text, or the parts of a tuple


class Statements(TranslatorBase):
    """Statements, function bodies and assignment."""

    # ---- functions ---------------------------------------------------------------------------

    def translate(self, name: str) -> tuple[Text, Text, str]:
        """The define of this function, the same function as a lambda, and where it is."""
        node, args = self.node, self.node.args
        params = parameters(args)
        npos = len(args.posonlyargs) + len(args.args)
        pos_defaults, kw_defaults = self.fn.__defaults__ or (), self.fn.__kwdefaults__ or {}
        defaults: list[Text | None] = []
        for i, a in enumerate(params):  # the values Python computed, as literals
            j = i - (npos - len(pos_defaults))
            has, value = (
                (j >= 0, pos_defaults[j] if j >= 0 else None)
                if i < npos
                else (a.arg in kw_defaults, kw_defaults.get(a.arg))
            )
            defaults.append(self.literal(value, a, f"the default of {a.arg}") if has else None)
        params_text, body = self.function_body(node, defaults)
        if self.fn is self.p.main:
            self.p.kwnames = {
                a.arg: self.p.renames[a.arg] for a in params if a.arg in self.p.renames
            }
            returns = [n.value for n in nodes(node.body) if isinstance(n, ast.Return)]
            self.p.returns_tuple = bool(returns) and all(isinstance(r, ast.Tuple) for r in returns)
        at, name_at = self.at(node), self.at((node.lineno, node.col_offset + 4))
        self.p.used.update(("define", "lambda"))
        lam = physl.call("lambda" + at, [*params_text, body])
        if not params_text:  # define(f, body) would define a variable: define(f, lambda(body))
            if node.name in free_names(node):
                self.p.forward.add(self.fn)  # f's body refers to f: declare f first
            return physl.call("define" + at, [name + name_at, lam]), lam, at
        return physl.call("define" + at, [name + name_at, *params_text, body]), lam, at

    def function_body(
        self, node: ast.FunctionDef | ast.Lambda, defaults: list[Text | None]
    ) -> tuple[list[Text], Text]:
        """Parameters and body of a def or lambda (defaults already translated)."""
        args = node.args
        if args.vararg or args.kwarg:
            star = args.vararg or args.kwarg
            raise self.error(star, "*args and **kwargs parameters are not supported by Larix")
        params = parameters(args)
        names = [a.arg for a in params]
        texts = [
            self.ident(a.arg, a) if d is None else self.call("__arg", a, self.ident(a.arg, a), d)
            for a, d in zip(params, defaults)
        ]
        for a, d, prev in zip(params[1:], defaults[1:], defaults):
            if d is None and prev is not None:
                raise self.error(
                    a,
                    f"the parameter '{a.arg}' needs a default value (it follows "
                    "one with a default)",
                )
        if isinstance(node, ast.Lambda):
            self.scopes.append(Scope(set(names), set(names)))
            try:
                return texts, self.visit(node.body)
            finally:
                self.scopes.pop()
        body = node.body
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            body = body[1:]  # the docstring
        local_names = assigned_names(body) | set(names)
        first_use = FirstUse(local_names - set(names))
        for s in body:
            first_use.visit(s)
        scope = Scope(local_names, set(names) | first_use.early)
        self.scopes.append(scope)
        self.funcs.append(body)
        try:
            pos = (body or [node])[0]
            out = [
                self.call("define", pos, self.ident(n, pos), "nil") for n in sorted(first_use.early)
            ]
            if self.tail_ok(body):
                out += self.value_stmts(body)
            else:
                scope.flags = True
                out += [
                    self.call("define", pos, f"__ret{self.at(pos)}", "false"),
                    self.call("define", pos, f"__retval{self.at(pos)}", "nil"),
                    *self.stmts(body),
                    f"__retval{self.at(pos)}",
                ]
            return texts, self.block(out, pos)
        finally:
            self.scopes.pop()
            self.funcs.pop()

    # ---- return: as the value of the body where possible, else through flags ------------------

    @staticmethod
    def always_returns(stmts: list[ast.stmt]) -> bool:
        return any(
            isinstance(s, ast.Return)
            or (
                isinstance(s, ast.If)
                and Statements.always_returns(s.body)
                and Statements.always_returns(s.orelse)
            )
            for s in stmts
        )

    def tail_ok(self, stmts: list[ast.stmt]) -> bool:
        """Whether every return is where the value translation handles it: last in the body, or
        in an if whose other branch takes the statements after it."""
        for i, s in enumerate(stmts):
            if isinstance(s, ast.Return):
                return True
            if isinstance(s, ast.If) and has_return([s]):
                rest = stmts[i + 1 :]
                if rest and not (self.always_returns(s.body) or self.always_returns(s.orelse)):
                    return False
                return self.tail_ok(s.body + rest) and self.tail_ok(s.orelse + rest)
            if has_return([s]):
                return False
        return True

    def value_stmts(self, stmts: list[ast.stmt]) -> list[Text]:
        """Statements whose last one is the value of the function."""
        out: list[Text] = []
        for i, s in enumerate(stmts):
            if isinstance(s, ast.Return):
                return [*out, self.visit(s.value) if s.value else "nil"]
            if isinstance(s, ast.If) and has_return([s]):
                rest = stmts[i + 1 :]
                then = s.body + ([] if self.always_returns(s.body) else rest)
                other = s.orelse + ([] if self.always_returns(s.orelse) else rest)
                test = self.visit(s.test)
                then_text = self.block(self.value_stmts(then), (then or [s])[0])
                other_text = self.block(self.value_stmts(other), (other or [s])[0])
                return [*out, self.call("if", s, test, then_text, other_text)]
            out += self.visit(s)
        return [*out, "nil"]

    def stmts(self, stmts: list[ast.stmt]) -> list[Text]:
        """Statements; those after one that may break, continue or return are guarded."""
        out: list[Text] = []
        for i, s in enumerate(stmts):
            out += self.visit(s)
            if isinstance(s, (ast.Return, ast.Break, ast.Continue)):
                break  # the rest is unreachable
            flags = self.flags_of(s)
            rest = stmts[i + 1 :]
            if flags and rest:
                guard = physl.not_(
                    self.any_of(flags, rest[0]), (rest[0].lineno, rest[0].col_offset)
                )
                out.append(self.call("if", rest[0], guard, self.block(self.stmts(rest), rest[0])))
                break
        return out

    def flags_of(self, s: ast.stmt) -> list[str]:
        flags = []
        if self.scope.flags and has_return([s]):
            flags.append("__ret")
        if self.loops:
            jumps = loop_jumps([s])
            loop = self.loops[-1]
            flags += [f for j, f in [(ast.Break, loop.brk), (ast.Continue, loop.cnt)] if j in jumps]
        return flags

    def any_of(self, flags: list[str], node: ast.AST) -> Text:
        text = f"{flags[0]}{self.at(node)}"
        for f in flags[1:]:
            text = physl.infix("||", text, f"{f}{self.at(node)}", (node.lineno, node.col_offset))
        return text

    # ---- statements (each visit returns a list of PhySL expressions) -------------------------

    def visit_Expr(self, node: ast.Expr) -> list[Text]:
        v = node.value
        if isinstance(v, ast.Constant):
            return []
        if (
            isinstance(v, ast.Call)
            and isinstance(v.func, ast.Attribute)
            and v.func.attr in ("append", "extend")
            and isinstance(v.func.value, ast.Name)
            and self.local(v.func.value.id)
            and len(v.args) == 1
            and not v.keywords
        ):
            target, arg = v.func.value, self.visit(v.args[0])
            value = (
                self.call("append", v, self.visit(target), arg)
                if v.func.attr == "append"
                else physl.infix("+", self.visit(target), arg, (v.lineno, v.col_offset))
            )
            return [self.assign_name(target, value)]
        in_place = self.in_place_call(v)
        if in_place:
            return in_place
        return [self.visit(v)]

    def visit_Pass(self, node: ast.Pass) -> list[Text]:
        return []

    def visit_Assert(self, node: ast.Assert) -> list[Text]:
        args = [self.visit(node.test)] + ([self.visit(node.msg)] if node.msg else [])
        return [self.call("assert", node, *args)]

    def visit_Return(self, node: ast.Return) -> list[Text]:
        if not self.scope.flags:  # only value_stmts translates returns of a non-flag body
            raise self.error(node, "internal error: unexpected return")  # pragma: no cover
        value = self.visit(node.value) if node.value else "nil"
        return [
            self.call("store", node, f"__retval{self.at(node)}", value),
            self.call("store", node, f"__ret{self.at(node)}", "true"),
        ]

    def visit_Break(self, node: ast.Break) -> list[Text]:
        return [self.call("store", node, f"{self.loops[-1].brk}{self.at(node)}", "true")]

    def visit_Continue(self, node: ast.Continue) -> list[Text]:
        return [self.call("store", node, f"{self.loops[-1].cnt}{self.at(node)}", "true")]

    def visit_If(self, node: ast.If) -> list[Text]:
        args = [self.visit(node.test), self.block(self.stmts(node.body), node.body[0])]
        if node.orelse:
            args.append(self.block(self.stmts(node.orelse), node.orelse[0]))
        return [self.call("if", node, *args)]

    def visit_With(self, node: ast.With) -> list[Text]:
        item = node.items[0]
        found, obj = (
            self.static(item.context_expr.func)
            if isinstance(item.context_expr, ast.Call)
            else (False, None)
        )
        if len(node.items) == 1 and not item.optional_vars and found and obj is np.errstate:
            return self.stmts(node.body)  # floating-point error modes: Larix never raises there
        if (
            len(node.items) != 1
            or item.optional_vars
            or not found
            or getattr(obj, "__larix_form__", None) != "parallel"
        ):
            return self.generic_visit(node)
        for n in nodes(node.body):
            if isinstance(n, (ast.Return, ast.Break, ast.Continue)) and not (
                not isinstance(n, ast.Return) and inside_loop(node.body, n)
            ):
                raise self.error(
                    n,
                    f"{type(n).__name__.lower()} is not allowed in "
                    "`with larix.parallel():` (its statements run at once)",
                )
        self.p.used.add("parallel_block")
        stmts = self.stmts(node.body)
        return [physl.call("parallel_block" + self.at(node), stmts)]

    def visit_FunctionDef(self, node: ast.FunctionDef) -> list[Text]:
        if node.decorator_list:
            raise self.error(
                node.decorator_list[0], "decorators on nested functions are not supported by Larix"
            )
        name = ast.copy_location(ast.Name(node.name, ast.Store()), node)
        name.col_offset += 4  # the name after `def `
        if (
            not node.args.args
            and not node.args.posonlyargs
            and not node.args.kwonlyargs
            and node.name in free_names(node)
            and node.name not in self.scope.defined
        ):
            # a recursive function without parameters: declared first, so its body sees it
            self.scope.defined.add(node.name)
            out = [self.call("define", name, self.ident(node.name, name), "nil")]
            return out + self.visit_FunctionDef(node)
        params, body = self.function_body(node, self.defaults(node.args))
        if node.name in self.scope.defined or not params:
            return [self.assign_name(name, self.call("lambda", node, *params, body))]
        self.scope.defined.add(node.name)
        return [self.call("define", node, self.ident(node.name, name), *params, body)]

    def defaults(self, args: ast.arguments) -> list[Text | None]:
        n = len(args.posonlyargs) + len(args.args)
        out: list[Text | None] = [None] * (n - len(args.defaults))
        out += [self.visit(d) for d in args.defaults]
        return out + [self.visit(d) if d else None for d in args.kw_defaults]

    # ---- assignment --------------------------------------------------------------------------

    def assign_name(self, target: ast.Name, value: Text) -> Text:
        name = target.id
        scope = self.scope
        if name not in scope.locals and self.local(name) is not None:
            raise self.error(target, f"cannot assign to '{name}' of the enclosing function here")
        if name in scope.defined:
            return self.call("store", target, self.ident(name, target), value)
        scope.defined.add(name)
        return self.call("define", target, self.ident(name, target), value)

    def assign(self, target: ast.expr, value: Item) -> list[Text]:
        """Statements that bind target (a name, subscript or tuple of them) to value."""
        if isinstance(target, ast.Name):
            return [self.assign_name(target, self.render(value, target))]
        if isinstance(target, ast.Subscript):
            return [self.store_subscript(target, self.render(value, target))]
        if isinstance(target, (ast.Tuple, ast.List)):
            if any(isinstance(e, ast.Starred) for e in target.elts):
                raise self.error(
                    target, "starred assignment targets (a, *b = ...) are not supported by Larix"
                )
            if isinstance(value, list):
                if len(value) != len(target.elts):
                    raise self.error(
                        target, f"cannot unpack {len(value)} values into {len(target.elts)} targets"
                    )
                return [s for t, v in zip(target.elts, value) for s in self.assign(t, v)]
            if isinstance(value, str) and re.fullmatch(r"\w+\$\d+\$\d+", value):
                tmp, out = value, []
            else:
                tmp = f"{self.p.fresh('tup')}{self.at(target)}"
                out = [self.call("define", target, tmp, value)]
            for i, t in enumerate(target.elts):
                out += self.assign(t, self.call("__subscript", t, tmp, str(i)))
            return out
        raise self.error(target, f"assignment to {describe(target)} is not supported by Larix")

    def render(self, item: Item, node: ast.AST) -> Text:
        if isinstance(item, list):
            return self.call("list", node, *(self.render(i, node) for i in item))
        return item

    def store_subscript(
        self, target: ast.Subscript, value: Text, index: list[Text] | None = None
    ) -> Text:
        base = target.value
        if not isinstance(base, ast.Name):
            raise self.error(
                target,
                "assignment to a nested subscript (a[i][j] = v) is not "
                "supported yet: write a[i, j] = v for an array",
            )
        scope = self.local(base.id)
        if scope is None:
            raise self.error(
                base,
                f"cannot assign to an element of the global '{base.id}': "
                "kernels capture module values by value",
            )
        index = index if index is not None else self.index(target.slice)
        return self.call(
            "store", target, self.call("__subscript", target, self.visit(base), *index), value
        )

    def visit_Assign(self, node: ast.Assign) -> list[Text]:
        targets, value = node.targets, node.value
        if (
            len(targets) == 1
            and isinstance(targets[0], (ast.Tuple, ast.List))
            and isinstance(value, (ast.Tuple, ast.List))
            and len(value.elts) == len(targets[0].elts)
            and not any(isinstance(e, ast.Starred) for e in value.elts)
        ):
            names = {n.id for t in targets[0].elts for n in ast.walk(t) if isinstance(n, ast.Name)}
            reads = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
            items: list[Item] = [self.visit(e) for e in value.elts]
            pre = []
            if names & reads:  # a, b = b, a: evaluate everything before assigning
                for i, (e, text) in enumerate(zip(value.elts, items)):
                    if constant_value(e) is None:
                        tmp = f"{self.p.fresh('t')}{self.at(e)}"
                        pre.append(self.call("define", e, tmp, text))
                        items[i] = tmp
            return pre + self.assign(targets[0], items)
        with_out = self.ufunc_out_call(value)
        if with_out is not None:  # c = np.add(a, b, out=b): b and c are the result
            target, text = with_out
            tmp = f"{self.p.fresh('out')}{self.at(value)}"
            out = [self.call("define", value, tmp, text), self.rebind(target, tmp)]
            out += self.assign(targets[0], tmp)
        else:
            out = self.assign(targets[0], self.visit(value))
        for t in targets[1:]:
            first = targets[0]
            if isinstance(first, ast.Name):
                out += self.assign(
                    t, self.visit(ast.copy_location(ast.Name(first.id, ast.Load()), first))
                )
            else:
                raise self.error(
                    t, "chained assignment is supported when the first target is a name"
                )
        return out

    def visit_AnnAssign(self, node: ast.AnnAssign) -> list[Text]:
        return self.assign(node.target, self.visit(node.value)) if node.value else []

    def visit_AugAssign(self, node: ast.AugAssign) -> list[Text]:
        target, pos = node.target, self.op_pos(node.target, node.value)
        if isinstance(target, ast.Name):
            value = self.binop(node.op, self.visit(target), self.visit(node.value), pos, node)
            return [self.assign_name(target, value)]
        if not isinstance(target, ast.Subscript):
            raise self.error(target, f"assignment to {describe(target)} is not supported by Larix")
        pre, index = [], self.index(target.slice)
        elts = target.slice.elts if isinstance(target.slice, ast.Tuple) else [target.slice]
        for i, e in enumerate(elts):  # evaluated once, as in Python
            if constant_value(e) is None and not isinstance(e, (ast.Name, ast.Slice)):
                tmp = f"{self.p.fresh('i')}{self.at(e)}"
                pre.append(self.call("define", e, tmp, index[i]))
                index[i] = tmp
        current = self.call("__subscript", target, self.visit(target.value), *index)
        value = self.binop(node.op, current, self.visit(node.value), pos, node)
        return [*pre, self.store_subscript(target, value, index)]
