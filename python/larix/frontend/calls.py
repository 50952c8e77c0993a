"""Calls: of local functions, kernels and Python functions, NumPy functions, builtins, methods
and ufunc methods (with the tables of numpy_map), ufuncs with out= and where=, and the NumPy calls
that change an array in place, as statements."""

from __future__ import annotations

import ast
import re
import types
from typing import Any

import numpy as np

from . import physl_builder as physl
from .base import TranslatorBase
from .numpy_map import (
    BUILTIN_PRIMITIVES,
    FORMS,
    IN_PLACE,
    IN_PLACE_FUNCTIONS,
    IN_PLACE_METHODS,
    METHODS,
    NUMPY_ONE_ARGUMENT,
    NUMPY_POSITIONAL,
    NUMPY_VARIANTS,
    SPREAD_METHODS,
    UFUNC_KEYWORDS,
    UFUNC_METHODS,
    builtin_name,
    primitive,
    primitive_table,
)
from .physl_builder import ATOM, Text


class Calls(TranslatorBase):
    """Calls, and NumPy's in-place calls as statements."""

    # ---- calls -------------------------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> Text:
        f = node.func
        if isinstance(f, ast.Name) and self.local(f.id) is not None:
            return self.call_value(self.ident(f.id, f), node, rename=True)
        if isinstance(f, ast.Attribute) and f.attr in UFUNC_METHODS:
            found, ufunc = self.static(f.value)
            if found and isinstance(ufunc, np.ufunc):
                return self.ufunc_method(ufunc, f, node)
        found, obj = self.static(f)
        if (
            found
            and self.p.primitive_names
            and isinstance(f, ast.Name)
            and isinstance(obj, types.FunctionType)
            and f.id in primitive_table()
            and f.id not in FORMS
        ):
            found = False  # the primitive, not the Python function of that name
        if found:
            return self.call_object(obj, node)
        if isinstance(f, ast.Name):
            if f.id in primitive_table() and f.id not in FORMS:
                self.p.used.add(f.id)
                return self.call_value(f"{f.id}{self.at(f)}", node, rename=False)
            raise self.error(f, f"name '{f.id}' is not defined", deferrable=True)
        if isinstance(f, ast.Attribute):
            return self.method(f, node)
        text = self.visit(f)
        callee = text if physl.prec_of(text) == ATOM else physl.cat("(", text, ")")
        return self.call_value(callee, node, rename=True)

    def call_value(
        self, callee: Text, node: ast.Call, rename: bool, given: list[Text] | None = None
    ) -> Text:
        args = (
            given if given is not None else [*self.positional(node), *self.keywords(node, rename)]
        )
        if isinstance(callee, str) and re.fullmatch(r"\w+\$\d+\$\d+", callee):
            return physl.call(callee, args)  # the call is located at the annotated callee
        return physl.cat(callee, physl.call(physl.mark((node.lineno, node.col_offset), ""), args))

    def call_object(self, obj: Any, node: ast.Call) -> Text:
        """A call of what a non-local name or module attribute denotes."""
        f = node.func
        shown = ast.unparse(f)
        named = getattr(obj, "__larix_primitive__", None)
        if isinstance(named, str):  # a Python function that stands for a primitive in kernels
            self.p.used.add(named)
            return self.call_value(f"{named}{self.at(f)}", node, rename=False)
        if getattr(type(obj), "__larix_kernel__", False) or (
            isinstance(obj, types.FunctionType) and not self.numpy_name(obj, f)
        ):
            return self.call_value(self.value_of(obj, f, shown), node, rename=True)
        if builtin_name(obj):
            return self.builtin(builtin_name(obj), node)
        if (
            getattr(obj, "__name__", None) in ("array", "asarray")
            and primitive(obj.__name__) is None
            and getattr(obj, "__module__", "") == "numpy"
            and len(node.args) == 1
            and not node.keywords
            and isinstance(node.args[0], (ast.List, ast.Tuple))
        ):
            # np.array([...]) of a display: a PhySL array literal
            return physl.mark((node.lineno, node.col_offset), self.array_display(node.args[0]))
        name = self.numpy_name(obj, f) if callable(obj) else None
        if name in NUMPY_ONE_ARGUMENT and len(node.args) == 1 and not node.keywords:
            name = NUMPY_ONE_ARGUMENT[name]
        keywords = self.ufunc_keywords(obj, node) if name and isinstance(obj, np.ufunc) else None
        if keywords is not None:
            out, where, operands = keywords
            if isinstance(out, (ast.Name, ast.Subscript)):
                raise self.error(
                    out,
                    f"{shown}(..., out=...) rebinds the variable given as out: Larix supports it "
                    "as a statement or as the value of an assignment",
                )
            text = self.visit(out) if out is not None else None  # a new array: nothing to rebind
            return self.ufunc_call(name, node, text, where, operands)
        if name:
            name = NUMPY_VARIANTS.get(name, name)
            prim = primitive_table()[name]
            for k in node.keywords:
                if k.arg is not None and k.arg not in prim.params:
                    raise self.error(
                        k, f"{shown}(): the keyword '{k.arg}' is not supported by Larix (yet)"
                    )
            self.p.used.add(name)
            args = self.numpy_arguments(name, node, shown, leading=0)
            return self.call_value(f"{name}{self.at(f)}", node, rename=False, given=args)
        if getattr(obj, "__larix_form__", None) or not callable(obj):
            return self.value_of(obj, f, shown)
        raise self.error(
            f,
            f"cannot call {shown} (a {type(obj).__name__}) in a kernel: "
            "kernels call NumPy functions, other kernels and Python functions",
        )

    def numpy_arguments(self, name: str, node: ast.Call, shown: str, leading: int) -> list[Text]:
        """The arguments of a call of NumPy's `name` (a method when leading is 1: the object comes
        first). Where PhySL's positional order is Phylanx's, NumPy's positional arguments after
        `axis` go by keyword, under NumPy's names."""
        positional = self.positional(node)
        names = NUMPY_POSITIONAL.get(name)
        if names:
            params = primitive_table()[name].params
            keep = 2 - leading  # a and axis keep their places
            moved = []
            for i, text in enumerate(positional[keep:]):
                a = node.args[keep + i]
                k = keep + i + leading
                if (
                    k < len(names)
                    and names[k] == "out"
                    and isinstance(a, ast.Constant)
                    and a.value is None
                ):
                    continue  # out=None: the result is new anyway
                if k >= len(names) or names[k] not in params:
                    what = names[k] if k < len(names) else f"argument {k + 1}"
                    raise self.error(
                        a, f"{shown}(): the argument '{what}' is not supported by Larix (yet)"
                    )
                moved.append(self.call("__arg", a, f"{names[k]}{self.at(a)}", text))
            positional = positional[:keep] + moved
        return [*positional, *self.keywords(node, rename=False)]

    def ufunc_method(self, ufunc: np.ufunc, f: ast.Attribute, node: ast.Call) -> Text:
        """np.add.reduce(a, axis) as ufunc_reduce("add", a, axis), and so on."""
        shown = ast.unparse(f)
        if ufunc.nin != 2 or ufunc.nout != 1:
            raise self.error(f, f"{shown}() is not supported: {ufunc.__name__} is not binary")
        if f.attr == "at":
            raise self.error(
                f,
                f"{shown}() changes its first argument in place: Larix supports it as a "
                f"statement on a local variable ({shown}(x, indices, values))",
            )
        prim = primitive_table()[UFUNC_METHODS[f.attr]]
        for k in node.keywords:
            if k.arg is not None and k.arg not in prim.params:
                raise self.error(
                    k, f"{shown}(): the keyword '{k.arg}' is not supported by Larix (yet)"
                )
        name = self.literal(ufunc.__name__, f)
        args = [name, *self.positional(node), *self.keywords(node, rename=False)]
        return self.call(prim.name, f, *args)

    def ufunc_keywords(
        self, ufunc: np.ufunc, node: ast.Call
    ) -> tuple[ast.expr | None, ast.expr | None, list[ast.expr]] | None:
        """A ufunc call's out= (a keyword, or the positional argument after the operands; None
        and (None,) count as absent), where= and operands, or None when it has neither."""
        out = node.args[ufunc.nin] if len(node.args) > ufunc.nin else None
        if len(node.args) > ufunc.nin + 1:
            raise self.error(node.args[ufunc.nin + 1], "a ufunc takes one out= array in Larix")
        where = None
        for k in node.keywords:
            if k.arg == "out":
                out = k.value
            elif k.arg == "where":
                where = k.value
        if isinstance(out, ast.Tuple) and len(out.elts) == 1:
            out = out.elts[0]
        if isinstance(out, ast.Constant) and out.value is None:
            out = None
        if out is None and where is None:
            return None
        return out, where, node.args[: ufunc.nin]

    def ufunc_call(
        self, name: str, node: ast.Call, out: Text | None, where: ast.expr | None, operands: list
    ) -> Text:
        """ufunc_call(name, out, where, operands...) with the call's other keywords checked."""
        for k in node.keywords:
            if k.arg not in UFUNC_KEYWORDS:
                raise self.error(
                    k,
                    f"{ast.unparse(node.func)}(): the keyword '{k.arg}' is not supported with "
                    "out= or where= by Larix (yet)",
                )
        self.p.used.add(name)
        return self.call(
            "ufunc_call",
            node.func,
            self.literal(name, node.func),
            out if out is not None else "nil",
            self.visit(where) if where is not None else "true",
            *(self.visit(a) for a in operands),
        )

    def ufunc_out_call(self, v: ast.expr) -> tuple[ast.expr, Text] | None:
        """A ufunc call with out= naming a variable or an element of one (np.add(a, b, out=c)):
        that target and the call's value; None for any other expression (out=np.zeros(n) is a
        new array, which nothing else sees)."""
        if not isinstance(v, ast.Call):
            return None
        found, obj = self.static(v.func)
        if not found or not isinstance(obj, np.ufunc):
            return None
        parts = self.ufunc_keywords(obj, v)
        if parts is None or parts[0] is None:
            return None
        out, where, operands = parts
        if not isinstance(out, (ast.Name, ast.Subscript)):
            return None
        base = out.value if isinstance(out, ast.Subscript) else out
        if not isinstance(base, ast.Name) or not self.local(base.id):
            raise self.error(
                out,
                "out= must name a local variable of the kernel or an element of one "
                "(kernels capture module values by value)",
            )
        name = self.numpy_name(obj, v.func)
        return out, self.ufunc_call(name, v, self.visit(out), where, operands)

    def array_display(self, node: ast.expr) -> Text:
        if isinstance(node, (ast.List, ast.Tuple)):
            return physl.cat("[", physl.join(", ", (self.array_display(e) for e in node.elts)), "]")
        return self.visit(node)

    def builtin(self, name: str, node: ast.Call) -> Text:
        f = node.func
        if node.keywords and name not in ("dict", "enumerate", "print"):
            raise self.error(node.keywords[0], f"{name}() takes no keyword arguments in Larix")
        args = self.positional(node)
        if name == "range":
            return self.call("range", f, *args)
        if name == "print":
            if node.keywords:
                raise self.error(
                    node.keywords[0],
                    "print(): keywords (sep, end, file, ...) are not supported by Larix",
                )
            return self.call("cout", f, *args)
        if name in ("list", "tuple"):
            if len(args) != 1:  # list() or Phylanx's list(a, b, ...)
                return self.call("list", f, *args)
            arg = node.args[0]
            if isinstance(arg, (ast.List, ast.Tuple, ast.ListComp, ast.GeneratorExp)) or (
                isinstance(arg, ast.Call)
                and builtin_name(self.static(arg.func)[1])
                in ("range", "map", "filter", "zip", "enumerate")
            ):
                return args[0]  # already a list
            v = f"{self.p.fresh('v')}{self.at(f)}"
            return self.call("fmap", f, self.call("lambda", f, v, v), args[0])
        if name == "dict":
            if node.args:
                return self.call("dict", f, *args)
            pairs = [
                self.call("list", k, self.literal(k.arg, k), self.visit(k.value))
                for k in node.keywords
            ]
            return self.call("dict", f, *([self.call("list", f, *pairs)] if pairs else []))
        if name in ("enumerate", "zip"):
            if node.keywords or not args:
                raise self.error(f, f"{name}() with these arguments is not supported by Larix")
            seqs = [f"{self.p.fresh('seq')}{self.at(a)}" for a in node.args]
            pre = [self.call("define", a, s, t) for a, s, t in zip(node.args, seqs, args)]
            if name == "enumerate":
                if len(args) > 1:
                    raise self.error(
                        node.args[1], "enumerate(seq, start) is supported in for loops only"
                    )
                seqs.insert(0, self.call("range", f, self.call("__len", f, seqs[0])))
            params = [f"{self.p.fresh('x')}{self.at(f)}" for _ in seqs]
            lam = self.call("lambda", f, *params, self.call("list", f, *params))
            return self.inline_block([*pre, self.call("fmap", f, lam, *seqs)], node)
        if name in ("map", "filter") and len(args) >= 2 and (name == "map" or len(args) == 2):
            return self.call("fmap" if name == "map" else "filter", f, *args)
        candidates = BUILTIN_PRIMITIVES.get(name, [])
        if name in ("min", "max"):
            candidates = (
                ["minimum" if name == "min" else "maximum"] if len(args) > 1 else [name, "a" + name]
            )
        prim = primitive(*candidates)
        if prim is None:
            raise self.error(f, f"the builtin {name}() is not supported by Larix (yet)")
        if name not in ("min", "max"):
            return self.call(prim, f, *args)
        text = self.call(prim, f, *args[:2])
        for a in args[2:]:  # min(a, b, c) = minimum(minimum(a, b), c)
            text = self.call(prim, f, text, a)
        return text

    def method(self, f: ast.Attribute, node: ast.Call) -> Text:
        if f.attr in IN_PLACE:
            raise self.error(
                f,
                f".{f.attr}() changes a value in place, which Larix values do not"
                " support"
                + (
                    " (x.append(v) works as a statement on a variable)"
                    if f.attr in ("append", "extend")
                    else ""
                ),
            )
        obj = self.visit(f.value)
        if f.attr == "copy" and not node.args and not node.keywords:
            return obj  # values are immutable: a copy is the value itself
        name = METHODS.get(f.attr, f.attr)
        prim = primitive(name)
        if prim is None or name.startswith("__"):
            raise self.error(f, f"the method .{f.attr}() is not supported by Larix (yet)")
        prim = NUMPY_VARIANTS.get(prim, prim)
        if prim in NUMPY_POSITIONAL:
            return self.call(prim, f, obj, *self.numpy_arguments(prim, node, f".{f.attr}", 1))
        positional = self.positional(node)
        if f.attr in SPREAD_METHODS and len(positional) > 1:
            positional = [self.call("list", f, *positional)]
        args = [obj, *positional, *self.keywords(node, rename=False)]
        return self.call(prim, f, *args)

    def in_place_call(self, v: ast.expr) -> list[Text] | None:
        """NumPy calls that change an array in place, as statements on a local variable:
        np.random.shuffle(x) is x = shuffle(x); x.sort() is x = sort(x); x.fill(v) fills;
        np.put(x, i, v) and x.put(i, v) are x = put(x, i, v); np.put_along_axis(x, i, v, axis)
        is x = put_along_axis(x, i, v, axis); np.add.at(x, i, v) is x = ufunc_at("add", x,
        list(i), v); np.add(a, b, out=x) is x = ufunc_call("add", x, true, a, b)."""
        if not isinstance(v, ast.Call):
            return None
        with_out = self.ufunc_out_call(v)
        if with_out is not None:
            return [self.rebind(*with_out)]
        f = v.func
        first = v.args[0] if v.args else None
        local_first = isinstance(first, ast.Name) and bool(self.local(first.id))
        if isinstance(f, ast.Attribute) and f.attr == "at" and local_first:
            found, ufunc = self.static(f.value)
            if found and isinstance(ufunc, np.ufunc) and ufunc.nin == 2 and len(v.args) == 3:
                if v.keywords:
                    raise self.error(v.keywords[0], f"{ast.unparse(f)}() takes no keywords")
                indices = self.call("list", v.args[1], *self.index(v.args[1]))
                args = [self.literal(ufunc.__name__, f), self.visit(first), indices]
                call = self.call("ufunc_at", f, *args, self.visit(v.args[2]))
                return [self.assign_name(first, call)]
        found, obj = self.static(f)
        for np_name, prim in IN_PLACE_FUNCTIONS.items():
            if found and obj is getattr(np, np_name, None) and local_first and primitive(prim):
                args = [*self.positional(v), *self.keywords(v, rename=False)]
                return [self.assign_name(first, self.call(prim, f, *args))]
        if (
            isinstance(f, ast.Attribute)
            and f.attr in IN_PLACE_METHODS
            and isinstance(f.value, ast.Name)
            and self.local(f.value.id)
        ):
            prim, count = IN_PLACE_METHODS[f.attr]
            if primitive(prim) and (count is None or (len(v.args) == count and not v.keywords)):
                target = f.value
                args = [self.visit(target), *self.positional(v), *self.keywords(v, rename=False)]
                return [self.assign_name(target, self.call(prim, f, *args))]
        if v.keywords:
            return None
        if (
            found
            and obj is getattr(np.random, "shuffle", None)
            and len(v.args) == 1
            and local_first
            and primitive("shuffle")
        ):
            return [self.assign_name(first, self.call("shuffle", f, self.visit(first)))]
        return None

    def rebind(self, target: ast.expr, value: Text) -> Text:
        """target = value for a local variable or an element of one (out= of a ufunc)."""
        if isinstance(target, ast.Subscript):
            return self.store_subscript(target, value)
        return self.assign_name(target, value)
