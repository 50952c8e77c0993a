"""How Python maps onto PhySL: the one table of what ``np.X``, a builtin, a method, an attribute
or an operator becomes, and the registered primitives (names, aliases, parameters) it draws on.

The rule for NumPy: ``np.X`` (``np.linalg.X``, ``np.random.X``, ``math.X``, a ufunc) calls the
primitive named or aliased ``X`` (:func:`numpy_primitive`). The tables list the exceptions: the
NumPy variant of a primitive that follows Phylanx, NumPy's positional order where Phylanx's
differs, builtins, methods and attributes spelled differently, ufunc methods, and the in-place
methods a kernel cannot call on a value. The translator applies them (``calls.py``), where the
builtins with a translation of their own (``range``, ``print``, ``list``, ``dict``, ``enumerate``,
``zip``, ``map``, ``filter``, ``min``/``max`` of several values), ``np.array`` of a display (an
array literal), the in-place ``np.random.shuffle``, ``np.put``, ``np.put_along_axis`` and
``np.<ufunc>.at``, and ufunc calls with ``out=`` / ``where=`` are."""

from __future__ import annotations

import ast
import builtins
import functools
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

# Names the translator never gives a user variable: PhySL's special forms and keywords.
FORMS = {
    "define",
    "define_global",
    "lambda",
    "store",
    "block",
    "parallel_block",
    "__arg",
    "nil",
    "true",
    "false",
}
BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Mod: "%"}
BINCALLS = {
    ast.FloorDiv: "__floordiv",
    ast.Pow: "power",
    ast.MatMult: "dot",
    ast.BitAnd: "bitwise_and",  # logical on bool masks, bitwise on integers (as NumPy)
    ast.BitOr: "bitwise_or",
    ast.BitXor: "bitwise_xor",
    ast.LShift: "left_shift",
    ast.RShift: "right_shift",
}
CMPOPS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}

# Python builtins that map onto a primitive (the first of the candidates that is registered).
BUILTIN_PRIMITIVES = {
    "len": ["__len"],
    "abs": ["absolute", "abs"],
    "pow": ["power"],
    "sum": ["sum"],
    "str": ["string"],
    "round": ["__round"],
    "float": ["float", "__float"],
    "int": ["int", "__int"],
    "bool": ["bool", "__bool"],
    "complex": ["complex"],
    "any": ["any"],
    "all": ["all"],
    "sorted": ["sort", "sorted"],
    "reversed": ["flip", "reversed"],
    "slice": ["slice"],
}
# NumPy functions (and str.format) whose PhySL primitive of the same name follows Phylanx where
# the two differ: a kernel calls the NumPy (Python) variant (np.nonzero of a 0-d array is an
# error, np.stack([a]) adds an axis, "{0}".format(x) counts fields from 0).
NUMPY_VARIANTS = {"nonzero": "__nonzero", "stack": "__stack", "format": "__format"}
# NumPy functions that are another one when called with one argument (and no keywords):
# np.where(condition) is np.nonzero(condition), the indices where it holds.
NUMPY_ONE_ARGUMENT = {"where": "nonzero"}
# NumPy's positional parameters of reductions whose PhySL positional order is Phylanx's
# (a, axis, keepdims, ...): a kernel passes NumPy's positional arguments after `axis` by keyword.
_MOMENT = ("a", "axis", "dtype", "out", "ddof", "keepdims")
_EXTREME = ("a", "axis", "out", "keepdims", "initial", "where")
NUMPY_POSITIONAL = {
    "var": _MOMENT,
    "std": _MOMENT,
    "mean": ("a", "axis", "dtype", "out", "keepdims"),
    "amax": _EXTREME,
    "amin": _EXTREME,
    "max": _EXTREME,
    "min": _EXTREME,
    "sum": ("a", "axis", "dtype", "out", "keepdims"),
    "prod": ("a", "axis", "dtype", "out", "keepdims"),
}
# Methods of values spelled differently as primitives (else `x.m(...)` is the primitive m(x, ...)).
METHODS = {
    "keys": "dict_keys",
    "values": "dict_values",
    "items": "dict_items",
    "get": "get",
    "format": "format",
}
# a.flat reads the elements in C order (a.flat[i], for x in a.flat): the flattened array. A
# store through it (a.flat[i] = v) is refused by the assignment's translation (no variable).
ATTRIBUTES = {
    "T": "transpose",
    "dtype": "dtype",
    "real": "real",
    "imag": "imag",
    "flat": "ravel",
}
# Methods of NumPy's binary ufuncs: np.add.reduce(a) is ufunc_reduce("add", a). np.add.at(x, i, v)
# changes x in place: a statement on a local variable x, x = ufunc_at("add", x, list(i...), v).
UFUNC_METHODS = {
    "reduce": "ufunc_reduce",
    "reduceat": "ufunc_reduceat",
    "accumulate": "ufunc_accumulate",
    "outer": "ufunc_outer",
    "at": "ufunc_at",
}
# A ufunc called with these keywords is ufunc_call(name, out, where, operands...); with out= (a
# keyword, or a positional argument after the operands) it rebinds the variable (or element) named
# as out, as a statement or as the value of an assignment.
UFUNC_KEYWORDS = ("out", "where")
# NumPy functions that call a function argument: control primitives a kernel may call by name.
CALLING_NUMPY = {"fromfunction"}
# Methods that take their tuple argument spread out too: a.reshape(2, 3) is a.reshape((2, 3)).
SPREAD_METHODS = {"reshape", "transpose"}
# Methods that change a value in place, which Larix values do not: an error, except as a statement
# on a local variable for IN_PLACE_METHODS (and x.append(v), x.extend(v): x = x + [v], x = x + v).
IN_PLACE = {
    "append",
    "extend",
    "insert",
    "pop",
    "remove",
    "sort",
    "reverse",
    "update",
    "clear",
    "fill",
    "setdefault",
    "add",
    "discard",
    "resize",
    "put",
    "itemset",
    "popitem",
}
# x.m(args) as a statement on a local variable is x = primitive(x, args): (primitive, len(args));
# None: any arguments, keywords included.
IN_PLACE_METHODS = {"sort": ("sort", 0), "fill": ("full_like", 1), "put": ("put", None)}
# NumPy functions that change their first argument in place: np.f(x, ...) as a statement on a
# local variable x is x = primitive(x, ...).
IN_PLACE_FUNCTIONS = {"put_along_axis": "put_along_axis", "put": "put"}


@dataclass(frozen=True)
class Primitive:
    name: str
    params: tuple[str, ...]
    control: bool


@functools.cache
def primitive_table() -> dict[str, Primitive]:
    """Every registered primitive by name and by alias."""
    from .. import primitives

    table: dict[str, Primitive] = {}
    for p in primitives():
        params: list[str] = []
        for group in re.findall(r"\(([^()]*)\)", p["signature"]):
            for part in group.split(","):
                name = part.split("=")[0].strip()
                if name.isidentifier() and name not in params:
                    params.append(name)
        prim = Primitive(p["name"], tuple(params), bool(p["control"]))
        for name in [p["name"], *p["aliases"]]:
            table[name] = prim
    return table


def primitive(*names: str) -> str | None:
    """The first of names that is a registered (regular) primitive."""
    table = primitive_table()
    return next((n for n in names if n in table and not table[n].control), None)


def numpy_module(obj: Any, module: str) -> str | None:
    """What messages call the module of a NumPy or math function (module: the one the kernel
    names, else obj's own); None if obj is not one."""
    if isinstance(obj, np.ufunc) or module.split(".")[0] in ("numpy", "math"):
        return module if module and "._" not in module else "numpy"
    return None


def numpy_primitive(obj: Any, attr: str) -> str | None:
    """The primitive np.<attr> (the function obj) calls: the one named or aliased attr, or obj's
    own name; None if there is none."""
    for name in dict.fromkeys([attr, getattr(obj, "__name__", attr)]):
        if primitive(name) or (name in CALLING_NUMPY and name in primitive_table()):
            return name
    return None


_BUILTINS = {
    id(getattr(builtins, n)): n
    for n in [
        *BUILTIN_PRIMITIVES,
        "min",
        "max",
        "print",
        "range",
        "list",
        "tuple",
        "dict",
        "enumerate",
        "zip",
        "isinstance",
        "type",
        "open",
        "input",
        "iter",
        "next",
        "map",
        "filter",
        "hash",
        "id",
        "set",
        "frozenset",
        "sorted",
        "reversed",
        "divmod",
        "chr",
        "ord",
        "repr",
        "format",
    ]
}


def builtin_name(obj: Any) -> str | None:
    """The name of a Python builtin function or type, None for anything else."""
    name = _BUILTINS.get(id(obj))
    return name if name and getattr(builtins, name) is obj else None
