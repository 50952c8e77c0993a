"""Expressions (each visit returns PhySL text): names, constants, attributes, operators, and/or,
comparisons, displays, f-strings, lambdas, subscripts and comprehensions."""

from __future__ import annotations

import ast
from typing import Callable

from . import physl_builder as physl
from .base import CONSTRUCTS, TranslatorBase
from .numpy_map import (
    ATTRIBUTES,
    BINCALLS,
    BINOPS,
    CMPOPS,
    FORMS,
    builtin_name,
    primitive,
    primitive_table,
)
from .physl_builder import Text
from .scope import Scope, constant_value, is_bool, is_safe


class Expressions(TranslatorBase):
    """Expressions other than calls, and comprehensions."""

    # ---- expressions (each visit returns PhySL text) -----------------------------------------

    def visit_Constant(self, node: ast.Constant) -> Text:
        if isinstance(node.value, bytes) or node.value is Ellipsis:
            raise self.error(
                node, f"{type(node.value).__name__} constants are not supported by Larix"
            )
        return self.literal(node.value, node)

    def visit_Name(self, node: ast.Name) -> Text:
        if self.local(node.id) is not None:
            return self.ident(node.id, node)
        found, obj = self.lookup(node.id)
        if found:
            return self.value_of(obj, node, f"'{node.id}'")
        if node.id in primitive_table() and node.id not in FORMS:
            self.p.used.add(node.id)
            return f"{node.id}{self.at(node)}"
        raise self.error(node, f"name '{node.id}' is not defined", deferrable=True)

    def visit_Attribute(self, node: ast.Attribute) -> Text:
        found, obj = self.static(node)
        if found:
            return self.value_of(obj, node, f"'{ast.unparse(node)}'")
        name = ATTRIBUTES.get(node.attr, node.attr)
        prim = primitive(name)
        if prim is None or name.startswith("__"):
            raise self.error(node, f"the attribute .{node.attr} is not supported by Larix (yet)")
        return self.call(prim, node, self.visit(node.value))

    def binop(
        self, op: ast.operator, a: Text, b: Text, pos: tuple[int, int], node: ast.AST
    ) -> Text:
        if type(op) in BINOPS:
            return physl.infix(BINOPS[type(op)], a, b, pos)
        if type(op) in BINCALLS:
            return self.call(BINCALLS[type(op)], pos, a, b)
        raise self.error(node, f"{CONSTRUCTS[type(op).__name__]} is not supported by Larix (yet)")

    def visit_BinOp(self, node: ast.BinOp) -> Text:
        return self.binop(
            node.op,
            self.visit(node.left),
            self.visit(node.right),
            self.op_pos(node.left, node.right),
            node,
        )

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Text:
        pos = (node.lineno, node.col_offset)
        if isinstance(node.op, ast.Not):
            return physl.not_(self.visit(node.operand), pos)
        if isinstance(node.op, ast.UAdd):
            return self.visit(node.operand)
        if isinstance(node.op, ast.Invert):
            return self.call("invert", pos, self.visit(node.operand))
        if isinstance(node.op, ast.USub):
            value = constant_value(node.operand)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return self.literal(-value, node)
            return physl.prefix("-", self.visit(node.operand), pos)
        raise self.error(
            node, f"{CONSTRUCTS[type(node.op).__name__]} is not supported by Larix (yet)"
        )

    def visit_BoolOp(self, node: ast.BoolOp) -> Text:
        """and/or: && and || where both sides are truth values and the right one cannot fail
        (PhySL evaluates both); else if(), which evaluates the right side only when needed."""
        return self.boolop(isinstance(node.op, ast.And), node.values, node)

    def boolop(self, is_and: bool, values: list[ast.expr], node: ast.AST) -> Text:
        first = values[0]
        if len(values) == 1:
            return self.visit(first)
        if all(is_bool(v) for v in values) and all(is_safe(v) for v in values[1:]):
            text = self.visit(first)
            for prev, v in zip(values, values[1:]):
                text = physl.infix(
                    "&&" if is_and else "||", text, self.visit(v), self.op_pos(prev, v)
                )
            return text
        a = self.visit(first)
        pre = None
        if not is_bool(first) and constant_value(first) is None and not isinstance(first, ast.Name):
            tmp = f"{self.p.fresh('t')}{self.at(first)}"
            pre, a = self.call("define", first, tmp, a), tmp
        rest = self.boolop(is_and, values[1:], values[1])
        short = ("false" if is_and else "true") if is_bool(first) else a
        text = self.call("if", node, a, *((rest, short) if is_and else (short, rest)))
        return self.inline_block([pre, text], node) if pre else text

    def visit_Compare(self, node: ast.Compare) -> Text:
        operands = [node.left, *node.comparators]
        texts = [self.visit(o) for o in operands]
        pre = []
        for i in range(1, len(operands) - 1):  # a middle operand is evaluated once
            if constant_value(operands[i]) is None and not isinstance(operands[i], ast.Name):
                tmp = f"{self.p.fresh('t')}{self.at(operands[i])}"
                pre.append(self.call("define", operands[i], tmp, texts[i]))
                texts[i] = tmp
        parts = []
        for i, op in enumerate(node.ops):
            parts.append(self.compare(op, operands[i], operands[i + 1], texts[i], texts[i + 1]))
        if len(parts) == 1:
            return parts[0]
        safe = all(is_safe(o) for o in operands[2:])
        text = parts[0]
        for i, part in enumerate(parts[1:], 1):
            pos = self.op_pos(operands[i - 1], operands[i])
            text = (
                physl.infix("&&", text, part, pos)
                if safe
                else self.call("if", operands[i], text, part, "false")
            )
        return self.inline_block([*pre, text], node)

    def compare(self, op: ast.cmpop, left: ast.expr, right: ast.expr, a: Text, b: Text) -> Text:
        pos = self.op_pos(left, right)
        if isinstance(op, (ast.In, ast.NotIn)):
            text = self.call("__contains", pos, b, a)
            return physl.not_(text, pos) if isinstance(op, ast.NotIn) else text
        if isinstance(op, (ast.Is, ast.IsNot)):
            if not any(
                isinstance(o, ast.Constant) and (o.value is None or isinstance(o.value, bool))
                for o in (left, right)
            ):
                raise self.error(left, "`is` is supported only with None, True or False")
            return physl.infix("==" if isinstance(op, ast.Is) else "!=", a, b, pos)
        return physl.infix(CMPOPS[type(op)], a, b, pos)

    def visit_IfExp(self, node: ast.IfExp) -> Text:
        return self.call(
            "if", node, self.visit(node.test), self.visit(node.body), self.visit(node.orelse)
        )

    def visit_Tuple(self, node: ast.Tuple | ast.List) -> Text:
        if any(isinstance(e, ast.Starred) for e in node.elts):
            raise self.error(node, "star expressions in displays are not supported by Larix")
        return self.call("list", node, *(self.visit(e) for e in node.elts))

    visit_List = visit_Tuple

    def visit_Dict(self, node: ast.Dict) -> Text:
        if any(k is None for k in node.keys):
            raise self.error(node, "**mappings in dict displays are not supported by Larix")
        pairs = [
            self.call("list", k, self.visit(k), self.visit(v))
            for k, v in zip(node.keys, node.values)
        ]
        return (
            self.call("dict", node, self.call("list", node, *pairs))
            if pairs
            else self.call("dict", node)
        )

    def visit_JoinedStr(self, node: ast.JoinedStr) -> Text:
        fmt, args = "", []
        for v in node.values:
            if isinstance(v, ast.Constant):
                fmt += v.value.replace("{", "{{").replace("}", "}}")
                continue
            spec = ""
            if v.format_spec is not None:
                parts = v.format_spec.values  # type: ignore[attr-defined]
                if not all(isinstance(p, ast.Constant) for p in parts):
                    raise self.error(v, "nested fields in a format spec are not supported")
                spec = ":" + "".join(p.value for p in parts)
            conv = "" if v.conversion == -1 else "!" + chr(v.conversion)
            fmt += "{" + conv + spec + "}"
            args.append(self.visit(v.value))
        return self.call("__format", node, self.literal(fmt, node), *args)

    def visit_Lambda(self, node: ast.Lambda) -> Text:
        params, body = self.function_body(node, self.defaults(node.args))
        return self.call("lambda", node, *params, body)

    def index(self, node: ast.expr) -> list[Text]:
        """The indices of a subscript, as __subscript() (NumPy's x[...]) takes them.

        A Python slice is '(start, stop[, step]), and `:` is nil (PhySL's whole axis, which scalar
        code reads without a list); None / np.newaxis is "newaxis" and ... is "..."; a list
        display (or a captured list) is an array, an integer-array index or a mask, since
        __subscript() reads a PhySL list as a slice; anything else is its value (a comparison
        gives a mask at run time)."""
        out = []
        for e in node.elts if isinstance(node, ast.Tuple) else [node]:
            found, obj = self.static(e) if isinstance(e, (ast.Attribute, ast.Name)) else (False, 0)
            if isinstance(e, ast.Slice) and not (e.lower or e.upper or e.step):
                out.append("nil")  # `:`, the whole axis
            elif isinstance(e, ast.Slice):
                parts = [self.visit(p) if p else "nil" for p in (e.lower, e.upper)]
                out.append(self.call("list", e, *parts, *([self.visit(e.step)] if e.step else [])))
            elif (isinstance(e, ast.Constant) and e.value is None) or (found and obj is None):
                out.append(self.literal("newaxis", e))
            elif (isinstance(e, ast.Constant) and e.value is Ellipsis) or (
                found and obj is Ellipsis
            ):
                out.append(self.literal("...", e))
            elif isinstance(e, ast.List) and not e.elts:
                # [] is an empty integer index (NumPy's intp), not an empty float64 array
                out.append(self.call("array", e, self.call("list", e), '__arg(dtype, "int64")'))
            elif isinstance(e, ast.List):
                out.append(physl.mark((e.lineno, e.col_offset), self.array_display(e)))
            elif isinstance(e, ast.ListComp) or (found and isinstance(obj, list)):
                out.append(self.call("array", e, self.visit(e)))
            elif isinstance(e, ast.Starred):
                raise self.error(e, "star expressions in indices are not supported")
            else:
                out.append(self.visit(e))
        return out

    def visit_Subscript(self, node: ast.Subscript) -> Text:
        return self.call("__subscript", node, self.visit(node.value), *self.index(node.slice))

    # ---- comprehensions ----------------------------------------------------------------------

    def visit_ListComp(self, node: ast.ListComp | ast.GeneratorExp | ast.DictComp) -> Text:
        text = self.comprehension(node, node.generators, 0)
        return self.call("dict", node, text) if isinstance(node, ast.DictComp) else text

    visit_GeneratorExp = visit_DictComp = visit_ListComp

    def comprehension(self, node: ast.AST, gens: list[ast.comprehension], i: int) -> Text:
        """[elt for t in seq if c ...]: fmap(lambda(t, elt), filter(lambda(t, c), seq)); an
        outer generator folds the inner lists together with +."""
        g = gens[i]
        if g.is_async:
            raise self.error(node, "async comprehensions are not supported by Larix")
        seq = self.iterable(g.iter)
        for cond in g.ifs:
            seq = self.call(
                "filter", cond, self.comp_lambda(g.target, lambda c=cond: self.visit(c), []), seq
            )
        if i + 1 < len(gens):
            acc = f"{self.p.fresh('acc')}{self.at(g.target)}"
            lam = self.comp_lambda(
                g.target,
                lambda: physl.infix(
                    "+",
                    acc,
                    self.comprehension(node, gens, i + 1),
                    (g.target.lineno, g.target.col_offset),
                ),
                [acc],
            )
            return self.call("fold_left", node, lam, self.call("list", node), seq)
        if isinstance(node, ast.DictComp):

            def element() -> Text:
                return self.call("list", node.key, self.visit(node.key), self.visit(node.value))
        else:

            def element() -> Text:
                return self.visit(node.elt)

        return self.call("fmap", node, self.comp_lambda(g.target, element, []), seq)

    def comp_lambda(self, target: ast.expr, body: Callable[[], Text], first: list[str]) -> Text:
        names = {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
        if isinstance(target, ast.Name):
            param, unpack = self.ident(target.id, target), None
        else:
            param, unpack = f"{self.p.fresh('e')}{self.at(target)}", target
        self.scopes.append(Scope(names, {target.id} if unpack is None else set()))
        try:
            stmts = self.assign(unpack, param) if unpack is not None else []
            text = self.block([*stmts, body()], target) if stmts else body()
        finally:
            self.scopes.pop()
        return self.call("lambda", target, *first, param, text)

    def iterable(self, it: ast.expr) -> Text:
        found, obj = self.static(it.func) if isinstance(it, ast.Call) else (False, None)
        if found and builtin_name(obj) in ("enumerate", "zip"):
            return self.builtin(builtin_name(obj), it)
        return self.visit(it)
