"""Loops: while, for over range(...), over a sequence, enumerate, zip and np.ndindex (as index
loops), larix.prange (parallel_for), with the flags break, continue and return set."""

from __future__ import annotations

import ast
from typing import Callable

import numpy as np

from . import physl_builder as physl
from .base import TranslatorBase
from .physl_builder import Text
from .scope import (
    Loop,
    assigned_names,
    constant_value,
    has_return,
    inside_loop,
    is_safe,
    loop_jumps,
    names_outside,
    nodes,
)
from .statements import Item


class Loops(TranslatorBase):
    """while and for loops."""

    def loop_cond(self, flags: list[str], cond: Text | None, node: ast.AST, safe: bool) -> Text:
        """The condition of a loop that stops when one of flags is set."""
        if not flags:
            return cond or "true"
        stop = physl.not_(self.any_of(flags, node), (node.lineno, node.col_offset))
        if cond is None:
            return stop
        if safe:
            return physl.infix("&&", stop, cond, (node.lineno, node.col_offset))
        return self.call("if", node, self.any_of(flags, node), "false", cond)

    def visit_While(self, node: ast.While) -> list[Text]:
        pre, loop = self.enter_loop(node)
        flags = self.loop_flags(node, loop)
        always = isinstance(node.test, ast.Constant) and node.test.value is True
        cond = None if always else self.visit(node.test)
        cond = self.loop_cond(flags, cond, node.test, is_safe(node.test))
        body = self.loop_body(node, loop, [])
        return [*pre, self.call("while", node, cond, body), *self.loop_else(node, loop)]

    def enter_loop(self, node: ast.For | ast.While) -> tuple[list[Text], Loop]:
        jumps = loop_jumps(node.body)
        brk = self.p.fresh("brk") if ast.Break in jumps or node.orelse else None
        cnt = self.p.fresh("cnt") if ast.Continue in jumps else None
        pre = [self.call("define", node, f"{brk}{self.at(node)}", "false")] if brk else []
        return pre, Loop(brk, cnt)

    def loop_flags(self, node: ast.For | ast.While, loop: Loop) -> list[str]:
        return ([loop.brk] if loop.brk else []) + (
            ["__ret"] if self.scope.flags and has_return(node.body) else []
        )

    def loop_body(self, node: ast.For | ast.While, loop: Loop, prefix: list[Text]) -> Text:
        self.loops.append(loop)
        try:
            body = self.stmts(node.body)
        finally:
            self.loops.pop()
        if loop.cnt:
            prefix = [
                self.call("define", node.body[0], f"{loop.cnt}{self.at(node.body[0])}", "false"),
                *prefix,
            ]
        return self.block(prefix + body, node.body[0])

    def loop_else(self, node: ast.For | ast.While, loop: Loop) -> list[Text]:
        if not node.orelse:
            return []
        other = node.orelse[0]
        guard = physl.not_(f"{loop.brk}{self.at(other)}", (other.lineno, other.col_offset))
        return [self.call("if", other, guard, self.block(self.stmts(node.orelse), other))]

    def loop_kind(self, it: ast.expr) -> str | None:
        if isinstance(it, ast.Call) and not it.keywords:
            found, obj = self.static(it.func)
            if found and obj is range:
                return "range"
            if found and getattr(obj, "__larix_form__", None) == "prange":
                return "prange"
        return None

    def visit_For(self, node: ast.For) -> list[Text]:
        kind = self.loop_kind(node.iter)
        if kind == "prange":
            return self.prange(node)
        pre, loop = self.enter_loop(node)
        flags = self.loop_flags(node, loop)
        if kind == "range":
            header, prefix = self.range_header(node, pre, flags, loop)
        else:
            header, prefix = self.sequence_header(node, pre, flags)
        body = self.loop_body(node, loop, prefix)
        return [*pre, self.call("for", node, *header, body), *self.loop_else(node, loop)]

    def range_bounds(
        self, call: ast.Call, pre: list[Text], body: list[ast.stmt]
    ) -> tuple[str, str, str, int | None]:
        """start, stop, step of range(...) (stop/step evaluated once), and the step's sign."""
        args = self.positional(call)
        if not 1 <= len(args) <= 3:
            raise self.error(call, f"range expected 1 to 3 arguments, got {len(args)}")
        start, stop, step = ["0", *args, "1"] if len(args) == 1 else [*args, "1"][:3]
        step_node = call.args[2] if len(call.args) == 3 else None
        sign = 1
        if step_node is not None:
            value = constant_value(step_node)
            sign = None if not isinstance(value, int) else (value > 0) - (value < 0)
            if sign == 0:
                raise self.error(step_node, "range() arg 3 must not be zero")
        stop_node = call.args[0 if len(call.args) == 1 else 1]
        assigned = assigned_names(body)
        for i, (text, n) in enumerate([(stop, stop_node), (step, step_node)]):
            if (
                n is None
                or constant_value(n) is not None
                or (isinstance(n, ast.Name) and n.id not in assigned)
            ):
                continue
            tmp = self.p.fresh("stop" if i == 0 else "step")
            pre.append(self.call("define", n, f"{tmp}{self.at(n)}", text))
            if i == 0:
                stop = f"{tmp}{self.at(n)}"
            else:
                step = f"{tmp}{self.at(n)}"
        return start, stop, step, sign

    def range_header(
        self, node: ast.For, pre: list[Text], flags: list[str], loop: Loop
    ) -> tuple[list[Text], list[Text]]:
        start, stop, step, sign = self.range_bounds(node.iter, pre, node.body)
        target = node.target
        direct = (
            isinstance(target, ast.Name)
            and not loop.brk
            and target.id not in assigned_names(node.body)
            and not names_outside(self.funcs[-1], node, target.id)
        )
        pos = (node.iter.lineno, node.iter.col_offset)
        if direct:
            var = self.ident(target.id, target)
            init = self.assign_name(target, start)
        else:
            var = f"{self.p.fresh('k')}{self.at(target)}"
            init = self.call("define", target, var, start)
        if sign is None:
            cond = self.call(
                "if",
                node.iter,
                physl.infix(">", step, "0", pos),
                physl.infix("<", var, stop, pos),
                physl.infix(">", var, stop, pos),
            )
        else:
            cond = physl.infix("<" if sign > 0 else ">", var, stop, pos)
        reinit = self.call("store", node.iter, var, physl.infix("+", var, step, pos))
        cond = self.loop_cond(flags, cond, node.iter, True)
        prefix = [] if direct else self.assign(target, var)
        return [init, cond, reinit], prefix

    def sequence_header(
        self, node: ast.For, pre: list[Text], flags: list[str]
    ) -> tuple[list[Text], list[Text]]:
        length, element = self.sequence(node.iter, pre, node.body)
        k = f"{self.p.fresh('k')}{self.at(node.target)}"
        pos = (node.iter.lineno, node.iter.col_offset)
        cond = self.loop_cond(flags, physl.infix("<", k, length, pos), node.iter, True)
        header = [
            self.call("define", node.target, k, "0"),
            cond,
            self.call("store", node.iter, k, physl.infix("+", k, "1", pos)),
        ]
        return header, self.assign(node.target, element(k))

    def sequence(
        self, it: ast.expr, pre: list[Text], body: list[ast.stmt]
    ) -> tuple[Text, Callable[[str], Item]]:
        """Length and element(k) of what a for loop iterates over; pre gets the temporaries."""
        found, obj = self.static(it.func) if isinstance(it, ast.Call) else (False, None)
        pos = (it.lineno, it.col_offset)
        if found and obj is enumerate and len(it.args) in (1, 2) and not it.keywords:
            length, inner = self.sequence(it.args[0], pre, body)
            start = self.visit(it.args[1]) if len(it.args) == 2 else None
            return length, lambda k: [physl.infix("+", k, start, pos) if start else k, inner(k)]
        if found and obj is np.ndindex and it.args and not it.keywords:
            # np.ndindex(2, 3), np.ndindex((2, 3)), np.ndindex(a.shape), np.ndindex(n): the flat
            # position k unravelled in C order; the shape checked once as NumPy does (a negative
            # dimension or a too big shape is its ValueError), without memory (a zero axis).
            if any(isinstance(a, ast.Starred) for a in it.args):
                raise self.error(it, "np.ndindex(*shape) is not supported by Larix (yet)")
            if len(it.args) == 1:
                dims = self.visit(it.args[0])
            else:
                dims = self.call("list", it, *(self.visit(a) for a in it.args))
            shape = f"{self.p.fresh('shape')}{self.at(it)}"
            n = f"{self.p.fresh('n')}{self.at(it)}"
            flat = self.call("list", it, "-1")
            pre.append(
                self.call(
                    "define",
                    it,
                    shape,
                    self.call("reshape", it, self.call("array", it, dims), flat),
                )
            )
            pre.append(
                self.call(
                    "zeros", it, self.call("concatenate", it, self.call("list", it, shape, "[0]"))
                )
            )
            pre.append(self.call("define", it, n, self.call("prod", it, shape)))
            return n, lambda k: self.call("unravel_index", it, k, shape)
        if found and obj is zip and it.args and not it.keywords:
            parts = [self.sequence(a, pre, body) for a in it.args]
            length = parts[0][0]
            if len(parts) > 1:
                n = f"{self.p.fresh('n')}{self.at(it)}"
                pre.append(self.call("define", it, n, length))
                for other, _ in parts[1:]:
                    pre.append(
                        self.call(
                            "store",
                            it,
                            n,
                            self.call("if", it, physl.infix("<", other, n, pos), other, n),
                        )
                    )
                length = n
            return length, lambda k: [element(k) for _, element in parts]
        if isinstance(it, ast.Name) and self.local(it.id) and it.id not in assigned_names(body):
            seq = self.visit(it)
        else:
            seq = f"{self.p.fresh('seq')}{self.at(it)}"
            pre.append(self.call("define", it, seq, self.visit(it)))
        return self.call("__len", it, seq), lambda k: self.call("__iter_at", it, seq, k)

    def prange(self, node: ast.For) -> list[Text]:
        """for i in larix.prange(...): parallel_for(define(i, start), i < stop, store(i, i + step),
        body), the for loop of range(...) with the program's promise that its iterations are
        independent. The compiler checks what it can (compiler/parallel_loops)."""
        if not isinstance(node.target, ast.Name):
            raise self.error(node.target, "the target of a larix.prange loop must be a name")
        if node.orelse:
            raise self.error(node.orelse[0], "larix.prange loops have no else clause")
        for n in nodes(node.body):
            if isinstance(n, (ast.Return, ast.Break)) and not (
                isinstance(n, ast.Break) and inside_loop(node.body, n)
            ):
                raise self.error(
                    n,
                    f"{type(n).__name__.lower()} is not allowed in a larix.prange "
                    "loop (its iterations run in parallel)",
                )
        call = node.iter
        if len(call.args) == 3 and not isinstance(constant_value(call.args[2]), int):
            raise self.error(call.args[2], "the step of a larix.prange loop must be a constant")
        pre, loop = self.enter_loop(node)
        header, prefix = self.range_header(node, pre, [], loop)
        body = self.loop_body(node, loop, prefix)
        return [*pre, self.call("parallel_for", node, *header, body)]
