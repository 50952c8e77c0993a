"""What every part of the translator uses: the state of one function's translation, positions,
names, PhySL calls and blocks, and the Python objects a kernel refers to (as values or literals).

The translator is one :class:`ast.NodeVisitor` (a ``visit_X`` per construct, as Triton's code
generator), written as :class:`TranslatorBase` and the mixins that group its ``visit_X`` methods
by topic (``statements``, ``loops``, ``expressions``, ``calls``); ``program.Translator`` puts
them together. Statement visits return lists of PhySL expressions, expression visits PhySL text.
A mixin calls the others' methods through ``self``."""

from __future__ import annotations

import ast
import builtins
import inspect
import math
import types
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from ..errors import CompileError, compile_error
from . import physl_builder as physl
from .numpy_map import BUILTIN_PRIMITIVES, builtin_name, numpy_module, numpy_primitive, primitive
from .physl_builder import Pos, Text
from .scope import Loop, Scope
from .source import parse

if TYPE_CHECKING:
    from .program import Program

# What an unsupported construct is called in messages.
CONSTRUCTS = {
    "ClassDef": "class definitions",
    "Try": "try statements",
    "TryStar": "try statements",
    "Raise": "raise statements",
    "Yield": "yield (generators)",
    "YieldFrom": "yield from",
    "Await": "await",
    "AsyncFunctionDef": "async functions",
    "AsyncFor": "async for",
    "AsyncWith": "async with",
    "Delete": "del statements",
    "NamedExpr": "assignment expressions (:=)",
    "Set": "set displays",
    "SetComp": "set comprehensions",
    "Import": "import statements",
    "ImportFrom": "import statements",
    "Global": "global statements (a kernel cannot change module variables)",
    "Nonlocal": "nonlocal statements",
    "Match": "match statements",
    "Starred": "star expressions (*x)",
    "With": "with statements (other than `with larix.parallel():`)",
    "LShift": "the operator <<",
    "RShift": "the operator >>",
    "Slice": "slices outside of a subscript",
}


def describe(node: ast.AST) -> str:
    return {"Attribute": "an attribute", "Starred": "a starred expression"}.get(
        type(node).__name__, type(node).__name__
    )


class TranslatorBase(ast.NodeVisitor):
    """The translation of one Python function (with its nested functions) to PhySL."""

    def __init__(self, program: Program, fn: Callable) -> None:
        self.p = program
        self.fn = fn
        file = inspect.getsourcefile(fn) or fn.__code__.co_filename
        self.base = program.line_base(file)
        self.node, self.lines, self.first = parse(fn, self.base)
        self.scopes: list[Scope] = []
        self.loops: list[Loop] = []
        self.funcs: list[list[ast.stmt]] = []  # bodies of the functions being translated

    # ---- positions, names and calls ---------------------------------------------------------

    def error(self, node: ast.AST, message: str, deferrable: bool = False) -> CompileError:
        file, line = self.p.decode(node.lineno)
        err = compile_error(message, file, line, node.col_offset + 1)
        err.deferrable = deferrable  # type: ignore[attr-defined]
        return err

    @staticmethod
    def at(node: ast.AST | Pos) -> str:
        line, col = node if isinstance(node, tuple) else (node.lineno, node.col_offset)
        return f"${line}${col}"

    def call(self, name: str, node: ast.AST | Pos, *args: Text) -> Text:
        self.p.used.add(name)
        return physl.call(name + self.at(node), args)

    def ident(self, name: str, node: ast.AST | Pos) -> str:
        spelled = self.p.renames.get(name, name)
        if not spelled.isascii():
            spelled = "u_" + "_".join(f"{ord(c):x}" for c in spelled)
        self.p.var_names.add(spelled)
        return f"{spelled}{self.at(node)}"

    def block(self, stmts: list[Text], node: ast.AST | Pos) -> Text:
        if not stmts:
            return "nil"
        if len(stmts) == 1:
            return stmts[0]
        inner = physl.join(",\n", (physl.indent(s, "    ") for s in stmts))
        self.p.used.add("block")
        return physl.cat("block", self.at(node), "(\n", inner, "\n)")

    def inline_block(self, stmts: list[Text], node: ast.AST) -> Text:
        """block(...) on one line: temporaries inside an expression."""
        return self.call("block", node, *stmts) if len(stmts) > 1 else stmts[0]

    def op_pos(self, left: ast.AST, right: ast.AST) -> Pos:
        """Where the operator between two operands is in the source (skipping `)`, spaces,
        line continuations and comments)."""
        line, col = left.end_lineno, left.end_col_offset
        while line <= right.lineno:
            text = self.lines[line - self.base - self.first]
            while col < len(text) and text[col : col + 1] in b" \t)\\\r\n":
                col += 1
            if col < len(text) and text[col : col + 1] != b"#":
                return line, col
            line, col = line + 1, 0
        return left.lineno, left.col_offset

    def keywords(self, node: ast.Call, rename: bool) -> list[Text]:
        out = []
        for k in node.keywords:
            if k.arg is None:
                raise self.error(k.value, "**kwargs arguments are not supported by Larix")
            name = self.p.renames.get(k.arg, k.arg) if rename else k.arg
            out.append(self.call("__arg", k, f"{name}{self.at(k)}", self.visit(k.value)))
        return out

    def positional(self, node: ast.Call) -> list[Text]:
        for a in node.args:
            if isinstance(a, ast.Starred):
                raise self.error(a, "star arguments (*args) are not supported by Larix")
        return [self.visit(a) for a in node.args]

    # ---- Python names ------------------------------------------------------------------------

    @property
    def scope(self) -> Scope:
        return self.scopes[-1]

    def local(self, name: str) -> Scope | None:
        for scope in reversed(self.scopes):
            if name in scope.locals:
                return scope
        return None

    def lookup(self, name: str) -> tuple[bool, Any]:
        """A non-local name in the function's real namespace: closure cells, globals, builtins."""
        code = self.fn.__code__
        if name in code.co_freevars and self.fn.__closure__:
            try:
                return True, self.fn.__closure__[code.co_freevars.index(name)].cell_contents
            except ValueError:
                return False, None
        if name in self.fn.__globals__:
            return True, self.fn.__globals__[name]
        b = self.fn.__globals__.get("__builtins__", builtins)
        b = b if isinstance(b, dict) else vars(b)
        return (True, b[name]) if name in b else (False, None)

    def static(self, node: ast.AST) -> tuple[bool, Any]:
        """The Python object a non-local name or a module attribute chain denotes."""
        if isinstance(node, ast.Name) and self.local(node.id) is None:
            return self.lookup(node.id)
        if isinstance(node, ast.Attribute):
            found, obj = self.static(node.value)
            if found and isinstance(obj, types.ModuleType):
                if not hasattr(obj, node.attr):
                    raise self.error(
                        node, f"module '{obj.__name__}' has no attribute '{node.attr}'"
                    )
                return True, getattr(obj, node.attr)
            if found and isinstance(obj, (np.iinfo, np.finfo)):
                if not hasattr(obj, node.attr):
                    raise self.error(
                        node, f"'{type(obj).__name__}' object has no attribute '{node.attr}'"
                    )
                return True, getattr(obj, node.attr)
        if isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords:
            # np.iinfo(np.int32) and np.finfo("float32") of a dtype known here: their limits are
            # constants of the program (np.finfo(np.float64).eps).
            found, fn = self.static(node.func)
            if found and fn in (np.iinfo, np.finfo):
                arg = node.args[0]
                known, dtype = (
                    (True, arg.value) if isinstance(arg, ast.Constant) else self.static(arg)
                )
                if known:
                    try:
                        return True, fn(dtype)
                    except (TypeError, ValueError) as e:
                        raise self.error(node, f"{ast.unparse(node)}: {e}") from None
        return False, None

    def numpy_name(self, obj: Any, node: ast.AST) -> str | None:
        """The primitive a NumPy (or math) function maps to; None if obj is not one."""
        module = getattr(obj, "__module__", None) or ""
        if isinstance(node, ast.Attribute):
            found, parent = self.static(node.value)
            if found and isinstance(parent, types.ModuleType):
                module = parent.__name__
        what = numpy_module(obj, module)
        if what is None:
            return None
        attr = node.attr if isinstance(node, ast.Attribute) else getattr(obj, "__name__", "?")
        name = numpy_primitive(obj, attr)
        if name is None:
            raise self.error(node, f"{what}.{attr} is not supported by Larix (yet)")
        return name

    def value_of(self, obj: Any, node: ast.AST, shown: str) -> Text:
        """A Python object a kernel refers to, as PhySL: functions by name, constants by value."""
        if getattr(obj, "__larix_form__", None):
            raise self.error(
                node,
                f"larix.{obj.__larix_form__}() can only be used as "
                + (
                    "the iterable of a for loop"
                    if obj.__larix_form__ == "prange"
                    else "`with larix.parallel():`"
                ),
            )
        if getattr(type(obj), "__larix_kernel__", False):
            return f"{self.p.function(obj.python)}{self.at(node)}"
        if isinstance(obj, types.FunctionType) and not self.numpy_name(obj, node):
            return f"{self.p.function(obj)}{self.at(node)}"
        if any(obj is t for t in (float, int, bool, complex)) or (
            isinstance(obj, type) and issubclass(obj, np.generic)
        ):
            return self.literal(np.dtype(obj).name, node)  # a dtype, as a string
        if builtin_name(obj):
            prim = primitive(*BUILTIN_PRIMITIVES.get(builtin_name(obj), []))
            if prim:
                self.p.used.add(prim)
                return f"{prim}{self.at(node)}"
            raise self.error(
                node, f"the builtin {builtin_name(obj)}() is not supported by Larix (yet)"
            )
        name = self.numpy_name(obj, node) if callable(obj) else None
        if name:
            self.p.used.add(name)
            return f"{name}{self.at(node)}"
        if isinstance(obj, types.ModuleType):
            raise self.error(node, f"module '{obj.__name__}' cannot be used as a value")
        return self.literal(obj, node, shown)

    def literal(self, v: Any, node: ast.AST, shown: str = "constant") -> Text:
        if v is None or isinstance(v, (bool, np.bool_)):
            return {None: "nil", True: "true", False: "false"}[None if v is None else bool(v)]
        if isinstance(v, (int, np.integer)):
            if not -(2**63) <= int(v) < 2**63:
                raise self.error(node, f"integer {v} does not fit in 64 bits")
            return str(int(v))
        if isinstance(v, (float, np.floating)):
            v = float(v)
            if math.isnan(v):
                return "(1e999 - 1e999)"
            return repr(v) if math.isfinite(v) else ("1e999" if v > 0 else "-1e999")
        if isinstance(v, (complex, np.complexfloating)):  # 1j: a 0-d complex128 array
            v = complex(v)
            return self.call(
                "complex",
                node,
                self.literal(v.real, node, shown),
                self.literal(v.imag, node, shown),
            )
        if isinstance(v, str):
            escaped = (
                v.replace("\\", "\\\\")
                .replace('"', '\\"')
                .replace("\n", "\\n")
                .replace("\t", "\\t")
                .replace("\r", "\\r")
                .replace("\0", "\\0")
            )
            return f'"{escaped}"'
        if isinstance(v, (tuple, list)):
            return self.call("list", node, *(self.literal(x, node, shown) for x in v))
        if isinstance(v, dict):
            pairs = [
                self.call("list", node, self.literal(k, node, shown), self.literal(x, node, shown))
                for k, x in v.items()
            ]
            return self.call("dict", node, self.call("list", node, *pairs))
        if isinstance(v, np.ndarray) and v.dtype.kind in "biuf" and v.size:
            if v.ndim == 0:
                return self.literal(v.item(), node, shown)
            return physl.mark((node.lineno, node.col_offset), self.array(v, node))
        raise self.error(
            node,
            f"{shown} (a {type(v).__name__}) cannot be used in a kernel: "
            "kernels capture numbers, strings, tuples, lists, dicts and NumPy "
            "arrays by value, and call NumPy functions, kernels and Python functions",
        )

    def array(self, v: np.ndarray, node: ast.AST) -> str:
        if v.ndim == 1:
            return "[" + ", ".join(self.literal(x, node) for x in v.tolist()) + "]"
        return "[" + ", ".join(self.array(row, node) for row in v) + "]"

    def generic_visit(self, node: ast.AST) -> Any:
        what = CONSTRUCTS.get(type(node).__name__, type(node).__name__)
        raise self.error(
            node, f"{what} {'is' if what.startswith('the ') else 'are'} not supported by Larix"
        )
