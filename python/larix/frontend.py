"""The Python frontend: a function's ``ast`` translated to PhySL text (what ``@larix.kernel`` runs).

One :class:`ast.NodeVisitor` per Python function (:class:`_Translator`, a ``visit_X`` per
construct, as Triton's code generator): statements become lists of PhySL expressions, expressions
PhySL text. Every identifier carries the user's position as ``name$LINE$COL`` (COL is Python's
0-based ``col_offset``), so the C++ compiler and runtime report errors at the user's line. Infix
operators cannot carry a position: the translator records where each one lands in the PhySL text,
and :meth:`Translation.locate` maps an error there back to the Python line.

Python features without a PhySL counterpart are rewritten: ``break``/``continue``/early
``return`` become flag variables that guard the rest of a body, ``for`` loops become index loops,
comprehensions become ``fmap``/``filter``/``fold_left`` over lambdas, ``and``/``or`` short-circuit
through ``if``. Anything else raises :class:`larix.CompileError` at the user's line.
"""

from __future__ import annotations

import ast
import builtins
import functools
import inspect
import linecache
import math
import re
import types
from dataclasses import dataclass, field
from typing import Any, Callable, Union

import numpy as np

from .errors import CompileError, compile_error

# Names the translator never gives a user variable: PhySL's special forms and keywords.
_FORMS = {
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
# Lines of a helper from another file are shifted by a multiple of this, to tell the files apart
# in the one file that `$LINE$COL` annotations point into (see Translation.locate).
_FILE_LINES = 1_000_000
_MARK = "\x00"  # brackets a position mark `\0LINE:COL\0` in the text until _finish strips it
_PREC = {
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "%": 6,
}
_UNARY_PREC = 7
_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Mod: "%"}
_BINCALLS = {
    ast.FloorDiv: "__floordiv",
    ast.Pow: "power",
    ast.MatMult: "dot",
    ast.BitAnd: "bitwise_and",  # logical on bool masks, bitwise on integers (as NumPy)
    ast.BitOr: "bitwise_or",
    ast.BitXor: "bitwise_xor",
}
_CMPOPS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_SCOPE_NODES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.ClassDef,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)
_COMPREHENSIONS = (ast.ListComp, ast.GeneratorExp, ast.DictComp)
# What an unsupported construct is called in messages.
_CONSTRUCTS = {
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
# Python builtins that map onto a primitive (the first of the candidates that is registered).
_BUILTIN_PRIMITIVES = {
    "len": ["__len"],
    "abs": ["absolute", "abs"],
    "pow": ["power"],
    "sum": ["sum"],
    "str": ["string"],
    "round": ["__round"],
    "float": ["float", "__float"],
    "int": ["int", "__int"],
    "bool": ["bool", "__bool"],
    "any": ["any"],
    "all": ["all"],
    "sorted": ["sort", "sorted"],
    "reversed": ["flip", "reversed"],
    "slice": ["slice"],
}
# NumPy functions (and str.format) whose PhySL primitive of the same name follows Phylanx where
# the two differ: a kernel calls the NumPy (Python) variant (np.nonzero of a 0-d array is an
# error, np.stack([a]) adds an axis, "{0}".format(x) counts fields from 0).
_NUMPY_VARIANTS = {"nonzero": "__nonzero", "stack": "__stack", "format": "__format"}
# NumPy's positional parameters of reductions whose PhySL positional order is Phylanx's
# (a, axis, keepdims, ...): a kernel passes NumPy's positional arguments after `axis` by keyword.
_MOMENT = ("a", "axis", "dtype", "out", "ddof", "keepdims")
_EXTREME = ("a", "axis", "out", "keepdims", "initial", "where")
_NUMPY_POSITIONAL = {
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
_METHODS = {
    "keys": "dict_keys",
    "values": "dict_values",
    "items": "dict_items",
    "get": "get",
    "format": "format",
}
_ATTRIBUTES = {"T": "transpose", "dtype": "dtype"}
# Methods of NumPy's binary ufuncs: np.add.reduce(a) is ufunc_reduce("add", a).
_UFUNC_METHODS = {
    "reduce": "ufunc_reduce",
    "accumulate": "ufunc_accumulate",
    "outer": "ufunc_outer",
}
# NumPy functions that call a function argument: control primitives a kernel may call by name.
_CALLING_NUMPY = {"fromfunction"}
# Methods that take their tuple argument spread out too: a.reshape(2, 3) is a.reshape((2, 3)).
_SPREAD_METHODS = {"reshape", "transpose"}
_IN_PLACE = {
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

Item = Union[str, list]  # an element a loop binds: text, or the parts of a tuple


@dataclass(frozen=True)
class Primitive:
    name: str
    params: tuple[str, ...]
    control: bool


@functools.cache
def _primitives() -> dict[str, Primitive]:
    """Every registered primitive by name and by alias."""
    from . import primitives

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


@dataclass
class Translation:
    """The PhySL program of a kernel and what maps its positions back to the user's files."""

    physl: str
    name: str  # the PhySL name of the kernel's function
    file: str  # the file `$LINE$COL` annotations point into
    functions: list[tuple[Callable, types.CodeType]]  # every Python function translated
    kwnames: dict[str, str]  # renamed parameters of the kernel: Python name -> PhySL name
    returns_tuple: bool  # every `return` gives a tuple display: results come back as tuples
    marks: list[tuple[int, int, int, int]] = field(default_factory=list)  # physl line, col -> py
    files: dict[int, str] = field(default_factory=dict)  # line // _FILE_LINES -> file

    def locate(
        self, file: str | None, line: int, column: int, source_name: str
    ) -> tuple[str | None, int, int]:
        """Where an error at (file, line, column) is in the user's Python files. Positions in the
        PhySL text (infix operators) go to the nearest operator mark before them on their line."""
        if file == source_name and line > 0:
            best = None
            for pl, pc, py_line, py_col in self.marks:
                if pl == line and pc <= column:
                    best = (py_line, py_col + 1)
            if best is None:
                return file, line, column
            file, (line, column) = self.file, best
        if file == self.file and line >= _FILE_LINES:
            return self.files.get(line // _FILE_LINES, file), line % _FILE_LINES, column
        return file, line, column


class _Infix(str):
    """PhySL text of an infix expression, with its operator's precedence."""

    prec: int

    def __new__(cls, text: str, prec: int) -> _Infix:
        obj = super().__new__(cls, text)
        obj.prec = prec
        return obj


def _prec(text: str) -> int:
    return getattr(text, "prec", 99)


def _walk(node: ast.AST, loops: bool = True):
    """The nodes below node in the same Python scope (and, unless loops, outside nested loops'
    bodies: a break there is the nested loop's)."""
    for name, value in ast.iter_fields(node):
        children = value if isinstance(value, list) else [value]
        if not loops and isinstance(node, (ast.For, ast.While)) and name == "body":
            continue
        for child in children:
            if isinstance(child, ast.AST):
                yield child
                if not isinstance(child, _SCOPE_NODES):
                    yield from _walk(child, loops)


def _nodes(stmts: list[ast.stmt], loops: bool = True):
    for s in stmts:
        yield s
        if not isinstance(s, _SCOPE_NODES):
            yield from _walk(s, loops)


def _has_return(stmts: list[ast.stmt]) -> bool:
    return any(isinstance(n, ast.Return) for n in _nodes(stmts))


def _loop_jumps(stmts: list[ast.stmt]) -> set[type]:
    """Break/Continue that leave or restart the loop these statements are the body of."""
    return {type(n) for n in _nodes(stmts, loops=False) if isinstance(n, (ast.Break, ast.Continue))}


def _assigned(stmts: list[ast.stmt]) -> set[str]:
    """Names bound in this scope by these statements (Python's rule: these are locals)."""
    out = set()
    for n in _nodes(stmts):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            out.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(n.name)
    return out


def _params(args: ast.arguments) -> list[ast.arg]:
    return [*args.posonlyargs, *args.args, *args.kwonlyargs]


def _free_names(node: ast.AST) -> set[str]:
    """Names a nested function, lambda or comprehension reads from the scopes around it."""
    if isinstance(node, (ast.FunctionDef, ast.Lambda)):
        bound = {a.arg for a in _params(node.args)}
        body = node.body if isinstance(node, ast.FunctionDef) else [node.body]
        if isinstance(node, ast.FunctionDef):
            bound |= _assigned(body)
    else:
        bound = {
            n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)
        }
        body = [node]
    loads = set()
    for b in body:
        for n in _walk(b) if b is node else [b, *_walk(b)]:
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
                loads.add(n.id)
            elif isinstance(n, _SCOPE_NODES) and not isinstance(n, ast.ClassDef):
                loads |= _free_names(n)
    return loads - bound


def _names_outside(
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
        if isinstance(node, _SCOPE_NODES):
            return name in _free_names(node) if not isinstance(node, ast.ClassDef) else False
        return any(visit(c) for c in ast.iter_child_nodes(node))

    return any(visit(s) for s in func_body)


class _FirstUse(ast.NodeVisitor):
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
        for name in _free_names(node):
            self.read(name)
        self.assigned.add(node.name)

    def visit_Lambda(self, node: ast.AST) -> None:
        for name in _free_names(node):
            self.read(name)

    visit_ListComp = visit_GeneratorExp = visit_DictComp = visit_Lambda


@dataclass
class _Scope:
    locals: set[str]  # Python names local to this scope (parameters included)
    defined: set[str]  # names already given a `define` (a later assignment is a `store`)
    flags: bool = False  # `return` sets __ret/__retval (see _Translator.function_body)


@dataclass
class _Loop:
    brk: str | None  # flag set by break
    cnt: str | None  # flag set by continue


class _Program:
    """The state of one translation: the functions it includes, names, temporaries, marks."""

    def __init__(
        self,
        main: Callable,
        renames: dict[str, str],
        fn_renames: dict[str, str],
        primitive_names: bool = False,
    ):
        self.main = main
        # Phylanx's rule (larix.compat.phylanx): a call of a Python function whose name is a
        # primitive calls the primitive.
        self.primitive_names = primitive_names
        self.renames, self.fn_renames = renames, fn_renames
        self.file = inspect.getsourcefile(main) or main.__code__.co_filename
        self.files: dict[str, int] = {self.file: 0}
        self.names: dict[Callable, str] = {}  # translated functions -> PhySL names
        self.active: list[Callable] = []  # functions being translated (outermost first)
        self.forward: set[Callable] = set()  # referenced before their define (mutual recursion)
        self.parts: list[tuple[Callable, str, str, str]] = []  # fn, define, lambda, `$L$C`
        self.var_names: set[str] = set()  # every PhySL name given to a user variable
        self.used: set[str] = set()  # every primitive or form the text calls
        self.counter = 0
        self.kwnames: dict[str, str] = {}
        self.returns_tuple = False

    def fresh(self, stem: str) -> str:
        self.counter += 1
        return f"__{stem}{self.counter}"

    def line_base(self, file: str) -> int:
        return self.files.setdefault(file, len(self.files)) * _FILE_LINES

    def decode(self, line: int) -> tuple[str, int]:
        index, line = divmod(line, _FILE_LINES)
        return next(f for f, i in self.files.items() if i == index), line

    def function(self, fn: Callable) -> str:
        """The PhySL name of a Python function, translated (once) into a define of the program."""
        if fn in self.names:
            if fn in self.active and fn is not self.active[-1]:
                self.forward.add(fn)
            return self.names[fn]
        name = fn.__name__ if fn.__name__ != "<lambda>" else "lambda_"
        while name in self.names.values():
            name += "_"
        self.names[fn] = name = self.fn_renames.get(name, name)
        self.active.append(fn)
        try:
            self.parts.append((fn, *_Translator(self, fn).translate(name)))
        finally:
            self.active.pop()
        return name

    def text(self) -> str:
        """Helpers first (a function called before its define is declared nil first and
        stored), then the kernel's define; the program's value is the kernel's function."""
        heads = [
            f"define{at}({self.names[fn]}{at}, nil)"
            for fn, _, _, at in self.parts
            if fn in self.forward
        ]
        body = [
            f"store{at}({self.names[fn]}{at}, {lam})" if fn in self.forward else define
            for fn, define, lam, at in self.parts
        ]
        self.used.update(("store", "define"))
        return "\n".join([*heads, *body, f"{self.names[self.main]}{self.parts[-1][3]}"])

    def conflicts(self) -> tuple[dict[str, str], dict[str, str]]:
        """Names that clash: user variables named as a form or a primitive the text calls, or
        starting with `__` (the translator's temporaries); helpers named as anything else."""
        taken = self.var_names | self.used | _FORMS | set(self.names.values())
        bad_vars = {
            n for n in self.var_names if n in self.used or n in _FORMS or n.startswith("__")
        }
        bad_fns = {
            n for n in self.names.values() if n in self.used or n in _FORMS or n in self.var_names
        }

        def fresh(name: str) -> str:
            new = ("u" + name if name.startswith("__") else name) + "_"
            while new in taken:
                new += "_"
            taken.add(new)
            return new

        return ({n: fresh(n) for n in sorted(bad_vars)}, {n: fresh(n) for n in sorted(bad_fns)})


def _parse(fn: Callable, base: int) -> tuple[ast.FunctionDef, list[bytes], int]:
    """The def of fn, with line numbers shifted to the real lines (+ base) and real columns."""
    try:
        lines, first = inspect.getsourcelines(fn)
    except (OSError, TypeError) as e:
        code = getattr(fn, "__code__", None)
        raise compile_error(
            f"cannot read the source of {getattr(fn, '__qualname__', fn)}: {e}",
            code.co_filename if code else "<unknown>",
            code.co_firstlineno if code else 0,
            1,
        ) from None
    text = "".join(lines)
    indented = lines[0][:1] in (" ", "\t")
    try:  # a def indented in a class or function keeps its columns inside `if 1:`
        tree = ast.parse("if 1:\n" + text if indented else text)
        node = tree.body[0].body[0] if indented else tree.body[0]  # type: ignore[attr-defined]
    except SyntaxError:  # the source of a lambda is the statement around it, maybe a part
        node = None
    else:
        ast.increment_lineno(tree, base + first - 1 - indented)
    if not isinstance(node, ast.FunctionDef) and fn.__name__ == "<lambda>":
        found = _lambda_def(fn, base)
        if found is not None:
            return found
    if not isinstance(node, ast.FunctionDef):
        what = "an async function" if isinstance(node, ast.AsyncFunctionDef) else "a lambda"
        raise compile_error(
            f"@larix.kernel needs a function defined with def, not {what}",
            inspect.getsourcefile(fn) or "<unknown>",
            first,
            1,
        )
    return node, [line.encode() for line in lines], first


def _lambda_def(fn: Callable, base: int) -> tuple[ast.FunctionDef, list[bytes], int] | None:
    """A lambda passed as a value (a kernel's argument), as the def it stands for: found in its
    file by line and parameter names (and by column when one line holds several such lambdas)."""
    code = fn.__code__
    file = inspect.getsourcefile(fn) or code.co_filename
    lines = linecache.getlines(file)
    try:
        tree = ast.parse("".join(lines))
    except SyntaxError:
        return None
    names = list(code.co_varnames[: code.co_argcount + code.co_kwonlyargcount])
    found = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Lambda)
        and n.lineno == code.co_firstlineno
        and [a.arg for a in _params(n.args)] == names
    ]
    if len(found) > 1:  # the body's first instruction tells which one
        cols = {c for _, _, c, _ in code.co_positions() if c is not None}
        found = [n for n in found if n.body.col_offset in cols] or found
    if len(found) != 1:
        return None
    lam = found[0]
    node = ast.FunctionDef(
        name="lambda_", args=lam.args, body=[ast.Return(lam.body)], decorator_list=[], returns=None
    )
    ast.copy_location(node.body[0], lam.body)
    ast.copy_location(node, lam)
    ast.increment_lineno(node, base)
    first = lam.lineno
    return node, [line.encode() for line in lines[first - 1 :]], first


class _Translator(ast.NodeVisitor):
    """Translates one Python function (with its nested functions) to PhySL."""

    def __init__(self, program: _Program, fn: Callable) -> None:
        self.p = program
        self.fn = fn
        file = inspect.getsourcefile(fn) or fn.__code__.co_filename
        self.base = program.line_base(file)
        self.node, self.lines, self.first = _parse(fn, self.base)
        self.scopes: list[_Scope] = []
        self.loops: list[_Loop] = []
        self.funcs: list[list[ast.stmt]] = []  # bodies of the functions being translated

    # ---- positions, names and calls ---------------------------------------------------------

    def error(self, node: ast.AST, message: str, deferrable: bool = False) -> CompileError:
        file, line = self.p.decode(node.lineno)
        err = compile_error(message, file, line, node.col_offset + 1)
        err.deferrable = deferrable  # type: ignore[attr-defined]
        return err

    @staticmethod
    def at(node: ast.AST | tuple[int, int]) -> str:
        line, col = node if isinstance(node, tuple) else (node.lineno, node.col_offset)
        return f"${line}${col}"

    def call(self, name: str, node: ast.AST | tuple[int, int], *args: str) -> str:
        self.p.used.add(name)
        return f"{name}{self.at(node)}({', '.join(args)})"

    def ident(self, name: str, node: ast.AST | tuple[int, int]) -> str:
        physl = self.p.renames.get(name, name)
        if not physl.isascii():
            physl = "u_" + "_".join(f"{ord(c):x}" for c in physl)
        self.p.var_names.add(physl)
        return f"{physl}{self.at(node)}"

    def block(self, stmts: list[str], node: ast.AST | tuple[int, int]) -> str:
        if not stmts:
            return "nil"
        if len(stmts) == 1:
            return stmts[0]
        inner = ",\n".join("    " + s.replace("\n", "\n    ") for s in stmts)
        self.p.used.add("block")
        return f"block{self.at(node)}(\n{inner}\n)"

    def inline_block(self, stmts: list[str], node: ast.AST) -> str:
        """block(...) on one line: temporaries inside an expression."""
        return self.call("block", node, *stmts) if len(stmts) > 1 else stmts[0]

    def infix(self, op: str, left: str, right: str, pos: tuple[int, int]) -> _Infix:
        prec = _PREC[op]
        left = left if _prec(left) >= prec else f"({left})"
        right = right if _prec(right) > prec else f"({right})"
        return _Infix(f"{left} {_MARK}{pos[0]}:{pos[1]}{_MARK}{op} {right}", prec)

    def not_(self, text: str, pos: tuple[int, int]) -> _Infix:
        operand = text if _prec(text) >= _UNARY_PREC else f"({text})"
        return _Infix(f"{_MARK}{pos[0]}:{pos[1]}{_MARK}!{operand}", _UNARY_PREC)

    def op_pos(self, left: ast.AST, right: ast.AST) -> tuple[int, int]:
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

    def keywords(self, node: ast.Call, rename: bool) -> list[str]:
        out = []
        for k in node.keywords:
            if k.arg is None:
                raise self.error(k.value, "**kwargs arguments are not supported by Larix")
            name = self.p.renames.get(k.arg, k.arg) if rename else k.arg
            out.append(self.call("__arg", k, f"{name}{self.at(k)}", self.visit(k.value)))
        return out

    def positional(self, node: ast.Call) -> list[str]:
        for a in node.args:
            if isinstance(a, ast.Starred):
                raise self.error(a, "star arguments (*args) are not supported by Larix")
        return [self.visit(a) for a in node.args]

    # ---- Python names ------------------------------------------------------------------------

    @property
    def scope(self) -> _Scope:
        return self.scopes[-1]

    def local(self, name: str) -> _Scope | None:
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

    @staticmethod
    def primitive(*names: str) -> str | None:
        """The first of names that is a registered (regular) primitive."""
        table = _primitives()
        return next((n for n in names if n in table and not table[n].control), None)

    def numpy_name(self, obj: Any, node: ast.AST) -> str | None:
        """The primitive a NumPy (or math) function maps to; None if obj is not one."""
        module = getattr(obj, "__module__", None) or ""
        if isinstance(node, ast.Attribute):
            found, parent = self.static(node.value)
            if found and isinstance(parent, types.ModuleType):
                module = parent.__name__
        if isinstance(obj, np.ufunc) or module.split(".")[0] in ("numpy", "math"):
            what = module if module and "._" not in module else "numpy"
        else:
            return None
        attr = node.attr if isinstance(node, ast.Attribute) else getattr(obj, "__name__", "?")
        for name in dict.fromkeys([attr, getattr(obj, "__name__", attr)]):
            if self.primitive(name) or (name in _CALLING_NUMPY and name in _primitives()):
                return name
        raise self.error(node, f"{what}.{attr} is not supported by Larix (yet)")

    def value_of(self, obj: Any, node: ast.AST, shown: str) -> str:
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
        if any(obj is t for t in (float, int, bool)) or (
            isinstance(obj, type) and issubclass(obj, np.generic)
        ):
            return self.literal(np.dtype(obj).name, node)  # a dtype, as a string
        if _builtin(obj):
            prim = self.primitive(*_BUILTIN_PRIMITIVES.get(_builtin(obj), []))
            if prim:
                self.p.used.add(prim)
                return f"{prim}{self.at(node)}"
            raise self.error(node, f"the builtin {_builtin(obj)}() is not supported by Larix (yet)")
        name = self.numpy_name(obj, node) if callable(obj) else None
        if name:
            self.p.used.add(name)
            return f"{name}{self.at(node)}"
        if isinstance(obj, types.ModuleType):
            raise self.error(node, f"module '{obj.__name__}' cannot be used as a value")
        return self.literal(obj, node, shown)

    def literal(self, v: Any, node: ast.AST, shown: str = "constant") -> str:
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
            return _MARK + f"{node.lineno}:{node.col_offset}" + _MARK + self.array(v, node)
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

    # ---- functions ---------------------------------------------------------------------------

    def translate(self, name: str) -> tuple[str, str, str]:
        """The define of this function, the same function as a lambda, and where it is."""
        node, args = self.node, self.node.args
        params = _params(args)
        npos = len(args.posonlyargs) + len(args.args)
        pos_defaults, kw_defaults = self.fn.__defaults__ or (), self.fn.__kwdefaults__ or {}
        defaults: list[str | None] = []
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
            returns = [n.value for n in _nodes(node.body) if isinstance(n, ast.Return)]
            self.p.returns_tuple = bool(returns) and all(isinstance(r, ast.Tuple) for r in returns)
        at, name_at = self.at(node), self.at((node.lineno, node.col_offset + 4))
        self.p.used.update(("define", "lambda"))
        lam = f"lambda{at}({', '.join([*params_text, body])})"
        if not params_text:  # define(f, body) would define a variable: define(f, lambda(body))
            if node.name in _free_names(node):
                self.p.forward.add(self.fn)  # f's body refers to f: declare f first
            return f"define{at}({name}{name_at}, {lam})", lam, at
        return f"define{at}({name}{name_at}, {', '.join([*params_text, body])})", lam, at

    def function_body(
        self, node: ast.FunctionDef | ast.Lambda, defaults: list[str | None]
    ) -> tuple[list[str], str]:
        """Parameters and body of a def or lambda (defaults already translated)."""
        args = node.args
        if args.vararg or args.kwarg:
            star = args.vararg or args.kwarg
            raise self.error(star, "*args and **kwargs parameters are not supported by Larix")
        params = _params(args)
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
            self.scopes.append(_Scope(set(names), set(names)))
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
        local_names = _assigned(body) | set(names)
        first_use = _FirstUse(local_names - set(names))
        for s in body:
            first_use.visit(s)
        scope = _Scope(local_names, set(names) | first_use.early)
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
                and _Translator.always_returns(s.body)
                and _Translator.always_returns(s.orelse)
            )
            for s in stmts
        )

    def tail_ok(self, stmts: list[ast.stmt]) -> bool:
        """Whether every return is where the value translation handles it: last in the body, or
        in an if whose other branch takes the statements after it."""
        for i, s in enumerate(stmts):
            if isinstance(s, ast.Return):
                return True
            if isinstance(s, ast.If) and _has_return([s]):
                rest = stmts[i + 1 :]
                if rest and not (self.always_returns(s.body) or self.always_returns(s.orelse)):
                    return False
                return self.tail_ok(s.body + rest) and self.tail_ok(s.orelse + rest)
            if _has_return([s]):
                return False
        return True

    def value_stmts(self, stmts: list[ast.stmt]) -> list[str]:
        """Statements whose last one is the value of the function."""
        out: list[str] = []
        for i, s in enumerate(stmts):
            if isinstance(s, ast.Return):
                return [*out, self.visit(s.value) if s.value else "nil"]
            if isinstance(s, ast.If) and _has_return([s]):
                rest = stmts[i + 1 :]
                then = s.body + ([] if self.always_returns(s.body) else rest)
                other = s.orelse + ([] if self.always_returns(s.orelse) else rest)
                test = self.visit(s.test)
                then_text = self.block(self.value_stmts(then), (then or [s])[0])
                other_text = self.block(self.value_stmts(other), (other or [s])[0])
                return [*out, self.call("if", s, test, then_text, other_text)]
            out += self.visit(s)
        return [*out, "nil"]

    def stmts(self, stmts: list[ast.stmt]) -> list[str]:
        """Statements; those after one that may break, continue or return are guarded."""
        out: list[str] = []
        for i, s in enumerate(stmts):
            out += self.visit(s)
            if isinstance(s, (ast.Return, ast.Break, ast.Continue)):
                break  # the rest is unreachable
            flags = self.flags_of(s)
            rest = stmts[i + 1 :]
            if flags and rest:
                guard = self.not_(self.any_of(flags, rest[0]), (rest[0].lineno, rest[0].col_offset))
                out.append(self.call("if", rest[0], guard, self.block(self.stmts(rest), rest[0])))
                break
        return out

    def flags_of(self, s: ast.stmt) -> list[str]:
        flags = []
        if self.scope.flags and _has_return([s]):
            flags.append("__ret")
        if self.loops:
            jumps = _loop_jumps([s])
            loop = self.loops[-1]
            flags += [f for j, f in [(ast.Break, loop.brk), (ast.Continue, loop.cnt)] if j in jumps]
        return flags

    def any_of(self, flags: list[str], node: ast.AST) -> str:
        text = f"{flags[0]}{self.at(node)}"
        for f in flags[1:]:
            text = self.infix("||", text, f"{f}{self.at(node)}", (node.lineno, node.col_offset))
        return text

    def loop_cond(self, flags: list[str], cond: str | None, node: ast.AST, safe: bool) -> str:
        """The condition of a loop that stops when one of flags is set."""
        if not flags:
            return cond or "true"
        stop = self.not_(self.any_of(flags, node), (node.lineno, node.col_offset))
        if cond is None:
            return stop
        if safe:
            return self.infix("&&", stop, cond, (node.lineno, node.col_offset))
        return self.call("if", node, self.any_of(flags, node), "false", cond)

    # ---- statements (each visit returns a list of PhySL expressions) -------------------------

    def generic_visit(self, node: ast.AST) -> Any:
        what = _CONSTRUCTS.get(type(node).__name__, type(node).__name__)
        raise self.error(
            node, f"{what} {'is' if what.startswith('the ') else 'are'} not supported by Larix"
        )

    def visit_Expr(self, node: ast.Expr) -> list[str]:
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
                else self.infix("+", self.visit(target), arg, (v.lineno, v.col_offset))
            )
            return [self.assign_name(target, value)]
        in_place = self.in_place_call(v)
        if in_place:
            return in_place
        return [self.visit(v)]

    def in_place_call(self, v: ast.expr) -> list[str] | None:
        """NumPy calls that change an array in place, as statements on a local variable:
        np.random.shuffle(x) is x = shuffle(x); x.sort() is x = sort(x); x.fill(v) fills;
        np.put_along_axis(x, i, v, axis) is x = put_along_axis(x, i, v, axis)."""
        if isinstance(v, ast.Call) and v.args and isinstance(v.args[0], ast.Name):
            found, obj = self.static(v.func)
            if (
                found
                and obj is getattr(np, "put_along_axis", None)
                and self.local(v.args[0].id)
                and self.primitive("put_along_axis")
            ):
                args = [*self.positional(v), *self.keywords(v, rename=False)]
                call = self.call("put_along_axis", v.func, *args)
                return [self.assign_name(v.args[0], call)]
        if not isinstance(v, ast.Call) or v.keywords:
            return None
        f = v.func
        if (
            isinstance(f, ast.Attribute)
            and f.attr in ("sort", "fill")
            and isinstance(f.value, ast.Name)
            and self.local(f.value.id)
            and len(v.args) == (1 if f.attr == "fill" else 0)
        ):
            target = f.value
            prim = "sort" if f.attr == "sort" else "full_like"
            if not self.primitive(prim):
                return None
            args = [self.visit(target), *(self.visit(a) for a in v.args)]
            return [self.assign_name(target, self.call(prim, f, *args))]
        found, obj = self.static(f)
        if (
            found
            and obj is getattr(np.random, "shuffle", None)
            and len(v.args) == 1
            and isinstance(v.args[0], ast.Name)
            and self.local(v.args[0].id)
            and self.primitive("shuffle")
        ):
            target = v.args[0]
            return [self.assign_name(target, self.call("shuffle", f, self.visit(target)))]
        return None

    def visit_Pass(self, node: ast.Pass) -> list[str]:
        return []

    def visit_Assert(self, node: ast.Assert) -> list[str]:
        args = [self.visit(node.test)] + ([self.visit(node.msg)] if node.msg else [])
        return [self.call("assert", node, *args)]

    def visit_Return(self, node: ast.Return) -> list[str]:
        if not self.scope.flags:  # only value_stmts translates returns of a non-flag body
            raise self.error(node, "internal error: unexpected return")  # pragma: no cover
        value = self.visit(node.value) if node.value else "nil"
        return [
            self.call("store", node, f"__retval{self.at(node)}", value),
            self.call("store", node, f"__ret{self.at(node)}", "true"),
        ]

    def visit_Break(self, node: ast.Break) -> list[str]:
        return [self.call("store", node, f"{self.loops[-1].brk}{self.at(node)}", "true")]

    def visit_Continue(self, node: ast.Continue) -> list[str]:
        return [self.call("store", node, f"{self.loops[-1].cnt}{self.at(node)}", "true")]

    def visit_If(self, node: ast.If) -> list[str]:
        args = [self.visit(node.test), self.block(self.stmts(node.body), node.body[0])]
        if node.orelse:
            args.append(self.block(self.stmts(node.orelse), node.orelse[0]))
        return [self.call("if", node, *args)]

    def visit_While(self, node: ast.While) -> list[str]:
        pre, loop = self.enter_loop(node)
        flags = self.loop_flags(node, loop)
        always = isinstance(node.test, ast.Constant) and node.test.value is True
        cond = None if always else self.visit(node.test)
        cond = self.loop_cond(flags, cond, node.test, _safe(node.test))
        body = self.loop_body(node, loop, [])
        return [*pre, self.call("while", node, cond, body), *self.loop_else(node, loop)]

    def enter_loop(self, node: ast.For | ast.While) -> tuple[list[str], _Loop]:
        jumps = _loop_jumps(node.body)
        brk = self.p.fresh("brk") if ast.Break in jumps or node.orelse else None
        cnt = self.p.fresh("cnt") if ast.Continue in jumps else None
        pre = [self.call("define", node, f"{brk}{self.at(node)}", "false")] if brk else []
        return pre, _Loop(brk, cnt)

    def loop_flags(self, node: ast.For | ast.While, loop: _Loop) -> list[str]:
        return ([loop.brk] if loop.brk else []) + (
            ["__ret"] if self.scope.flags and _has_return(node.body) else []
        )

    def loop_body(self, node: ast.For | ast.While, loop: _Loop, prefix: list[str]) -> str:
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

    def loop_else(self, node: ast.For | ast.While, loop: _Loop) -> list[str]:
        if not node.orelse:
            return []
        other = node.orelse[0]
        guard = self.not_(f"{loop.brk}{self.at(other)}", (other.lineno, other.col_offset))
        return [self.call("if", other, guard, self.block(self.stmts(node.orelse), other))]

    def loop_kind(self, it: ast.expr) -> str | None:
        if isinstance(it, ast.Call) and not it.keywords:
            found, obj = self.static(it.func)
            if found and obj is range:
                return "range"
            if found and getattr(obj, "__larix_form__", None) == "prange":
                return "prange"
        return None

    def visit_For(self, node: ast.For) -> list[str]:
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
        self, call: ast.Call, pre: list[str], body: list[ast.stmt]
    ) -> tuple[str, str, str, int | None]:
        """start, stop, step of range(...) (stop/step evaluated once), and the step's sign."""
        args = self.positional(call)
        if not 1 <= len(args) <= 3:
            raise self.error(call, f"range expected 1 to 3 arguments, got {len(args)}")
        start, stop, step = ["0", *args, "1"] if len(args) == 1 else [*args, "1"][:3]
        step_node = call.args[2] if len(call.args) == 3 else None
        sign = 1
        if step_node is not None:
            value = _constant(step_node)
            sign = None if not isinstance(value, int) else (value > 0) - (value < 0)
            if sign == 0:
                raise self.error(step_node, "range() arg 3 must not be zero")
        stop_node = call.args[0 if len(call.args) == 1 else 1]
        assigned = _assigned(body)
        for i, (text, n) in enumerate([(stop, stop_node), (step, step_node)]):
            if (
                n is None
                or _constant(n) is not None
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
        self, node: ast.For, pre: list[str], flags: list[str], loop: _Loop
    ) -> tuple[list[str], list[str]]:
        start, stop, step, sign = self.range_bounds(node.iter, pre, node.body)
        target = node.target
        direct = (
            isinstance(target, ast.Name)
            and not loop.brk
            and target.id not in _assigned(node.body)
            and not _names_outside(self.funcs[-1], node, target.id)
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
                self.infix(">", step, "0", pos),
                self.infix("<", var, stop, pos),
                self.infix(">", var, stop, pos),
            )
        else:
            cond = self.infix("<" if sign > 0 else ">", var, stop, pos)
        reinit = self.call("store", node.iter, var, self.infix("+", var, step, pos))
        cond = self.loop_cond(flags, cond, node.iter, True)
        prefix = [] if direct else self.assign(target, var)
        return [init, cond, reinit], prefix

    def sequence_header(
        self, node: ast.For, pre: list[str], flags: list[str]
    ) -> tuple[list[str], list[str]]:
        length, element = self.sequence(node.iter, pre, node.body)
        k = f"{self.p.fresh('k')}{self.at(node.target)}"
        pos = (node.iter.lineno, node.iter.col_offset)
        cond = self.loop_cond(flags, self.infix("<", k, length, pos), node.iter, True)
        header = [
            self.call("define", node.target, k, "0"),
            cond,
            self.call("store", node.iter, k, self.infix("+", k, "1", pos)),
        ]
        return header, self.assign(node.target, element(k))

    def sequence(
        self, it: ast.expr, pre: list[str], body: list[ast.stmt]
    ) -> tuple[str, Callable[[str], Item]]:
        """Length and element(k) of what a for loop iterates over; pre gets the temporaries."""
        found, obj = self.static(it.func) if isinstance(it, ast.Call) else (False, None)
        pos = (it.lineno, it.col_offset)
        if found and obj is enumerate and len(it.args) in (1, 2) and not it.keywords:
            length, inner = self.sequence(it.args[0], pre, body)
            start = self.visit(it.args[1]) if len(it.args) == 2 else None
            return length, lambda k: [self.infix("+", k, start, pos) if start else k, inner(k)]
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
                            self.call("if", it, self.infix("<", other, n, pos), other, n),
                        )
                    )
                length = n
            return length, lambda k: [element(k) for _, element in parts]
        if isinstance(it, ast.Name) and self.local(it.id) and it.id not in _assigned(body):
            seq = self.visit(it)
        else:
            seq = f"{self.p.fresh('seq')}{self.at(it)}"
            pre.append(self.call("define", it, seq, self.visit(it)))
        return self.call("__len", it, seq), lambda k: self.call("__iter_at", it, seq, k)

    def prange(self, node: ast.For) -> list[str]:
        """for i in larix.prange(...): parallel_for(define(i, start), i < stop, store(i, i + step),
        body), the for loop of range(...) with the program's promise that its iterations are
        independent. The compiler checks what it can (compiler/parallel_loops)."""
        if not isinstance(node.target, ast.Name):
            raise self.error(node.target, "the target of a larix.prange loop must be a name")
        if node.orelse:
            raise self.error(node.orelse[0], "larix.prange loops have no else clause")
        for n in _nodes(node.body):
            if isinstance(n, (ast.Return, ast.Break)) and not (
                isinstance(n, ast.Break) and _inside_loop(node.body, n)
            ):
                raise self.error(
                    n,
                    f"{type(n).__name__.lower()} is not allowed in a larix.prange "
                    "loop (its iterations run in parallel)",
                )
        call = node.iter
        if len(call.args) == 3 and not isinstance(_constant(call.args[2]), int):
            raise self.error(call.args[2], "the step of a larix.prange loop must be a constant")
        pre, loop = self.enter_loop(node)
        header, prefix = self.range_header(node, pre, [], loop)
        body = self.loop_body(node, loop, prefix)
        return [*pre, self.call("parallel_for", node, *header, body)]

    def visit_With(self, node: ast.With) -> list[str]:
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
        for n in _nodes(node.body):
            if isinstance(n, (ast.Return, ast.Break, ast.Continue)) and not (
                not isinstance(n, ast.Return) and _inside_loop(node.body, n)
            ):
                raise self.error(
                    n,
                    f"{type(n).__name__.lower()} is not allowed in "
                    "`with larix.parallel():` (its statements run at once)",
                )
        self.p.used.add("parallel_block")
        stmts = self.stmts(node.body)
        return [f"parallel_block{self.at(node)}({', '.join(stmts)})"]

    def visit_FunctionDef(self, node: ast.FunctionDef) -> list[str]:
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
            and node.name in _free_names(node)
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

    def defaults(self, args: ast.arguments) -> list[str | None]:
        n = len(args.posonlyargs) + len(args.args)
        out: list[str | None] = [None] * (n - len(args.defaults))
        out += [self.visit(d) for d in args.defaults]
        return out + [self.visit(d) if d else None for d in args.kw_defaults]

    # ---- assignment --------------------------------------------------------------------------

    def assign_name(self, target: ast.Name, value: str) -> str:
        name = target.id
        scope = self.scope
        if name not in scope.locals and self.local(name) is not None:
            raise self.error(target, f"cannot assign to '{name}' of the enclosing function here")
        if name in scope.defined:
            return self.call("store", target, self.ident(name, target), value)
        scope.defined.add(name)
        return self.call("define", target, self.ident(name, target), value)

    def assign(self, target: ast.expr, value: Item) -> list[str]:
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
            if re.fullmatch(r"\w+\$\d+\$\d+", value):
                tmp, out = value, []
            else:
                tmp = f"{self.p.fresh('tup')}{self.at(target)}"
                out = [self.call("define", target, tmp, value)]
            for i, t in enumerate(target.elts):
                out += self.assign(t, self.call("__subscript", t, tmp, str(i)))
            return out
        raise self.error(target, f"assignment to {_describe(target)} is not supported by Larix")

    def render(self, item: Item, node: ast.AST) -> str:
        if isinstance(item, list):
            return self.call("list", node, *(self.render(i, node) for i in item))
        return item

    def store_subscript(
        self, target: ast.Subscript, value: str, index: list[str] | None = None
    ) -> str:
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

    def visit_Assign(self, node: ast.Assign) -> list[str]:
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
                    if _constant(e) is None:
                        tmp = f"{self.p.fresh('t')}{self.at(e)}"
                        pre.append(self.call("define", e, tmp, text))
                        items[i] = tmp
            return pre + self.assign(targets[0], items)
        text = self.visit(value)
        out = self.assign(targets[0], text)
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

    def visit_AnnAssign(self, node: ast.AnnAssign) -> list[str]:
        return self.assign(node.target, self.visit(node.value)) if node.value else []

    def visit_AugAssign(self, node: ast.AugAssign) -> list[str]:
        target, pos = node.target, self.op_pos(node.target, node.value)
        if isinstance(target, ast.Name):
            value = self.binop(node.op, self.visit(target), self.visit(node.value), pos, node)
            return [self.assign_name(target, value)]
        if not isinstance(target, ast.Subscript):
            raise self.error(target, f"assignment to {_describe(target)} is not supported by Larix")
        pre, index = [], self.index(target.slice)
        elts = target.slice.elts if isinstance(target.slice, ast.Tuple) else [target.slice]
        for i, e in enumerate(elts):  # evaluated once, as in Python
            if _constant(e) is None and not isinstance(e, (ast.Name, ast.Slice)):
                tmp = f"{self.p.fresh('i')}{self.at(e)}"
                pre.append(self.call("define", e, tmp, index[i]))
                index[i] = tmp
        current = self.call("__subscript", target, self.visit(target.value), *index)
        value = self.binop(node.op, current, self.visit(node.value), pos, node)
        return [*pre, self.store_subscript(target, value, index)]

    # ---- expressions (each visit returns PhySL text) -----------------------------------------

    def visit_Constant(self, node: ast.Constant) -> str:
        if isinstance(node.value, (complex, bytes)) or node.value is Ellipsis:
            raise self.error(
                node, f"{type(node.value).__name__} constants are not supported by Larix"
            )
        return self.literal(node.value, node)

    def visit_Name(self, node: ast.Name) -> str:
        if self.local(node.id) is not None:
            return self.ident(node.id, node)
        found, obj = self.lookup(node.id)
        if found:
            return self.value_of(obj, node, f"'{node.id}'")
        if node.id in _primitives() and node.id not in _FORMS:
            self.p.used.add(node.id)
            return f"{node.id}{self.at(node)}"
        raise self.error(node, f"name '{node.id}' is not defined", deferrable=True)

    def visit_Attribute(self, node: ast.Attribute) -> str:
        found, obj = self.static(node)
        if found:
            return self.value_of(obj, node, f"'{ast.unparse(node)}'")
        name = _ATTRIBUTES.get(node.attr, node.attr)
        prim = self.primitive(name)
        if prim is None or name.startswith("__"):
            raise self.error(node, f"the attribute .{node.attr} is not supported by Larix (yet)")
        return self.call(prim, node, self.visit(node.value))

    def binop(self, op: ast.operator, a: str, b: str, pos: tuple[int, int], node: ast.AST) -> str:
        if type(op) in _BINOPS:
            return self.infix(_BINOPS[type(op)], a, b, pos)
        if type(op) in _BINCALLS:
            return self.call(_BINCALLS[type(op)], pos, a, b)
        raise self.error(node, f"{_CONSTRUCTS[type(op).__name__]} is not supported by Larix (yet)")

    def visit_BinOp(self, node: ast.BinOp) -> str:
        return self.binop(
            node.op,
            self.visit(node.left),
            self.visit(node.right),
            self.op_pos(node.left, node.right),
            node,
        )

    def visit_UnaryOp(self, node: ast.UnaryOp) -> str:
        pos = (node.lineno, node.col_offset)
        if isinstance(node.op, ast.Not):
            return self.not_(self.visit(node.operand), pos)
        if isinstance(node.op, ast.UAdd):
            return self.visit(node.operand)
        if isinstance(node.op, ast.Invert):
            return self.call("invert", pos, self.visit(node.operand))
        if isinstance(node.op, ast.USub):
            value = _constant(node.operand)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return self.literal(-value, node)
            operand = self.visit(node.operand)
            operand = operand if _prec(operand) >= _UNARY_PREC else f"({operand})"
            return _Infix(f"{_MARK}{pos[0]}:{pos[1]}{_MARK}-{operand}", _UNARY_PREC)
        raise self.error(
            node, f"{_CONSTRUCTS[type(node.op).__name__]} is not supported by Larix (yet)"
        )

    def visit_BoolOp(self, node: ast.BoolOp) -> str:
        """and/or: && and || where both sides are truth values and the right one cannot fail
        (PhySL evaluates both); else if(), which evaluates the right side only when needed."""
        return self.boolop(isinstance(node.op, ast.And), node.values, node)

    def boolop(self, is_and: bool, values: list[ast.expr], node: ast.AST) -> str:
        first = values[0]
        if len(values) == 1:
            return self.visit(first)
        if all(_is_bool(v) for v in values) and all(_safe(v) for v in values[1:]):
            text = self.visit(first)
            for prev, v in zip(values, values[1:]):
                text = self.infix(
                    "&&" if is_and else "||", text, self.visit(v), self.op_pos(prev, v)
                )
            return text
        a = self.visit(first)
        pre = None
        if not _is_bool(first) and _constant(first) is None and not isinstance(first, ast.Name):
            tmp = f"{self.p.fresh('t')}{self.at(first)}"
            pre, a = self.call("define", first, tmp, a), tmp
        rest = self.boolop(is_and, values[1:], values[1])
        short = ("false" if is_and else "true") if _is_bool(first) else a
        text = self.call("if", node, a, *((rest, short) if is_and else (short, rest)))
        return self.inline_block([pre, text], node) if pre else text

    def visit_Compare(self, node: ast.Compare) -> str:
        operands = [node.left, *node.comparators]
        texts = [self.visit(o) for o in operands]
        pre = []
        for i in range(1, len(operands) - 1):  # a middle operand is evaluated once
            if _constant(operands[i]) is None and not isinstance(operands[i], ast.Name):
                tmp = f"{self.p.fresh('t')}{self.at(operands[i])}"
                pre.append(self.call("define", operands[i], tmp, texts[i]))
                texts[i] = tmp
        parts = []
        for i, op in enumerate(node.ops):
            parts.append(self.compare(op, operands[i], operands[i + 1], texts[i], texts[i + 1]))
        if len(parts) == 1:
            return parts[0]
        safe = all(_safe(o) for o in operands[2:])
        text = parts[0]
        for i, part in enumerate(parts[1:], 1):
            pos = self.op_pos(operands[i - 1], operands[i])
            text = (
                self.infix("&&", text, part, pos)
                if safe
                else self.call("if", operands[i], text, part, "false")
            )
        return self.inline_block([*pre, text], node)

    def compare(self, op: ast.cmpop, left: ast.expr, right: ast.expr, a: str, b: str) -> str:
        pos = self.op_pos(left, right)
        if isinstance(op, (ast.In, ast.NotIn)):
            text = self.call("__contains", pos, b, a)
            return self.not_(text, pos) if isinstance(op, ast.NotIn) else text
        if isinstance(op, (ast.Is, ast.IsNot)):
            if not any(
                isinstance(o, ast.Constant) and (o.value is None or isinstance(o.value, bool))
                for o in (left, right)
            ):
                raise self.error(left, "`is` is supported only with None, True or False")
            return self.infix("==" if isinstance(op, ast.Is) else "!=", a, b, pos)
        return self.infix(_CMPOPS[type(op)], a, b, pos)

    def visit_IfExp(self, node: ast.IfExp) -> str:
        return self.call(
            "if", node, self.visit(node.test), self.visit(node.body), self.visit(node.orelse)
        )

    def visit_Tuple(self, node: ast.Tuple | ast.List) -> str:
        if any(isinstance(e, ast.Starred) for e in node.elts):
            raise self.error(node, "star expressions in displays are not supported by Larix")
        return self.call("list", node, *(self.visit(e) for e in node.elts))

    visit_List = visit_Tuple

    def visit_Dict(self, node: ast.Dict) -> str:
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

    def visit_JoinedStr(self, node: ast.JoinedStr) -> str:
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

    def visit_Lambda(self, node: ast.Lambda) -> str:
        params, body = self.function_body(node, self.defaults(node.args))
        return self.call("lambda", node, *params, body)

    def index(self, node: ast.expr) -> list[str]:
        """The indices of a subscript, as __subscript() (NumPy's x[...]) takes them.

        A Python slice is '(start, stop[, step]); None / np.newaxis is "newaxis" and ... is "..."
        (PhySL's nil is the whole axis); a list display (or a captured list) is an array, an
        integer-array index or a mask, since __subscript() reads a PhySL list as a slice; anything
        else is its value (a comparison gives a mask at run time)."""
        out = []
        for e in node.elts if isinstance(node, ast.Tuple) else [node]:
            found, obj = self.static(e) if isinstance(e, (ast.Attribute, ast.Name)) else (False, 0)
            if isinstance(e, ast.Slice):
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
                out.append(f"{_MARK}{e.lineno}:{e.col_offset}{_MARK}" + self.array_display(e))
            elif isinstance(e, ast.ListComp) or (found and isinstance(obj, list)):
                out.append(self.call("array", e, self.visit(e)))
            elif isinstance(e, ast.Starred):
                raise self.error(e, "star expressions in indices are not supported")
            else:
                out.append(self.visit(e))
        return out

    def visit_Subscript(self, node: ast.Subscript) -> str:
        return self.call("__subscript", node, self.visit(node.value), *self.index(node.slice))

    # ---- calls -------------------------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> str:
        f = node.func
        if isinstance(f, ast.Name) and self.local(f.id) is not None:
            return self.call_value(self.ident(f.id, f), node, rename=True)
        if isinstance(f, ast.Attribute) and f.attr in _UFUNC_METHODS:
            found, ufunc = self.static(f.value)
            if found and isinstance(ufunc, np.ufunc):
                return self.ufunc_method(ufunc, f, node)
        found, obj = self.static(f)
        if (
            found
            and self.p.primitive_names
            and isinstance(f, ast.Name)
            and isinstance(obj, types.FunctionType)
            and f.id in _primitives()
            and f.id not in _FORMS
        ):
            found = False  # the primitive, not the Python function of that name
        if found:
            return self.call_object(obj, node)
        if isinstance(f, ast.Name):
            if f.id in _primitives() and f.id not in _FORMS:
                self.p.used.add(f.id)
                return self.call_value(f"{f.id}{self.at(f)}", node, rename=False)
            raise self.error(f, f"name '{f.id}' is not defined", deferrable=True)
        if isinstance(f, ast.Attribute):
            return self.method(f, node)
        text = self.visit(f)
        return self.call_value(f"({text})" if _prec(text) < 99 else text, node, rename=True)

    def call_value(
        self, callee: str, node: ast.Call, rename: bool, given: list[str] | None = None
    ) -> str:
        args = ", ".join(
            given if given is not None else [*self.positional(node), *self.keywords(node, rename)]
        )
        if re.fullmatch(r"\w+\$\d+\$\d+", callee):
            return f"{callee}({args})"  # the call is located at the annotated callee
        return f"{callee}{_MARK}{node.lineno}:{node.col_offset}{_MARK}({args})"

    def call_object(self, obj: Any, node: ast.Call) -> str:
        """A call of what a non-local name or module attribute denotes."""
        f = node.func
        shown = ast.unparse(f)
        if getattr(type(obj), "__larix_kernel__", False) or (
            isinstance(obj, types.FunctionType) and not self.numpy_name(obj, f)
        ):
            return self.call_value(self.value_of(obj, f, shown), node, rename=True)
        if _builtin(obj):
            return self.builtin(_builtin(obj), node)
        if (
            getattr(obj, "__name__", None) in ("array", "asarray")
            and self.primitive(obj.__name__) is None
            and getattr(obj, "__module__", "") == "numpy"
            and len(node.args) == 1
            and not node.keywords
            and isinstance(node.args[0], (ast.List, ast.Tuple))
        ):
            # np.array([...]) of a display: a PhySL array literal
            mark = f"{_MARK}{node.lineno}:{node.col_offset}{_MARK}"
            return mark + self.array_display(node.args[0])
        name = self.numpy_name(obj, f) if callable(obj) else None
        if name == "where" and len(node.args) == 1 and not node.keywords:
            name = "nonzero"  # np.where(condition): the indices where it holds
        if name:
            name = _NUMPY_VARIANTS.get(name, name)
            prim = _primitives()[name]
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

    def numpy_arguments(self, name: str, node: ast.Call, shown: str, leading: int) -> list[str]:
        """The arguments of a call of NumPy's `name` (a method when leading is 1: the object comes
        first). Where PhySL's positional order is Phylanx's, NumPy's positional arguments after
        `axis` go by keyword, under NumPy's names."""
        positional = self.positional(node)
        names = _NUMPY_POSITIONAL.get(name)
        if names:
            params = _primitives()[name].params
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

    def ufunc_method(self, ufunc: np.ufunc, f: ast.Attribute, node: ast.Call) -> str:
        """np.add.reduce(a, axis) as ufunc_reduce("add", a, axis), and so on."""
        shown = ast.unparse(f)
        if ufunc.nin != 2 or ufunc.nout != 1:
            raise self.error(f, f"{shown}() is not supported: {ufunc.__name__} is not binary")
        prim = _primitives()[_UFUNC_METHODS[f.attr]]
        for k in node.keywords:
            if k.arg is not None and k.arg not in prim.params:
                raise self.error(
                    k, f"{shown}(): the keyword '{k.arg}' is not supported by Larix (yet)"
                )
        name = self.literal(ufunc.__name__, f)
        args = [name, *self.positional(node), *self.keywords(node, rename=False)]
        return self.call(prim.name, f, *args)

    def array_display(self, node: ast.expr) -> str:
        if isinstance(node, (ast.List, ast.Tuple)):
            return "[" + ", ".join(self.array_display(e) for e in node.elts) + "]"
        return self.visit(node)

    def builtin(self, name: str, node: ast.Call) -> str:
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
                and _builtin(self.static(arg.func)[1])
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
        candidates = _BUILTIN_PRIMITIVES.get(name, [])
        if name in ("min", "max"):
            candidates = (
                ["minimum" if name == "min" else "maximum"] if len(args) > 1 else [name, "a" + name]
            )
        prim = self.primitive(*candidates)
        if prim is None:
            raise self.error(f, f"the builtin {name}() is not supported by Larix (yet)")
        if name not in ("min", "max"):
            return self.call(prim, f, *args)
        text = self.call(prim, f, *args[:2])
        for a in args[2:]:  # min(a, b, c) = minimum(minimum(a, b), c)
            text = self.call(prim, f, text, a)
        return text

    def method(self, f: ast.Attribute, node: ast.Call) -> str:
        if f.attr in _IN_PLACE:
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
        name = _METHODS.get(f.attr, f.attr)
        prim = self.primitive(name)
        if prim is None or name.startswith("__"):
            raise self.error(f, f"the method .{f.attr}() is not supported by Larix (yet)")
        prim = _NUMPY_VARIANTS.get(prim, prim)
        if prim in _NUMPY_POSITIONAL:
            return self.call(prim, f, obj, *self.numpy_arguments(prim, node, f".{f.attr}", 1))
        positional = self.positional(node)
        if f.attr in _SPREAD_METHODS and len(positional) > 1:
            positional = [self.call("list", f, *positional)]
        args = [obj, *positional, *self.keywords(node, rename=False)]
        return self.call(prim, f, *args)

    # ---- comprehensions ----------------------------------------------------------------------

    def visit_ListComp(self, node: ast.ListComp | ast.GeneratorExp | ast.DictComp) -> str:
        text = self.comprehension(node, node.generators, 0)
        return self.call("dict", node, text) if isinstance(node, ast.DictComp) else text

    visit_GeneratorExp = visit_DictComp = visit_ListComp

    def comprehension(self, node: ast.AST, gens: list[ast.comprehension], i: int) -> str:
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
                lambda: self.infix(
                    "+",
                    acc,
                    self.comprehension(node, gens, i + 1),
                    (g.target.lineno, g.target.col_offset),
                ),
                [acc],
            )
            return self.call("fold_left", node, lam, self.call("list", node), seq)
        if isinstance(node, ast.DictComp):

            def element() -> str:
                return self.call("list", node.key, self.visit(node.key), self.visit(node.value))
        else:

            def element() -> str:
                return self.visit(node.elt)

        return self.call("fmap", node, self.comp_lambda(g.target, element, []), seq)

    def comp_lambda(self, target: ast.expr, body: Callable[[], str], first: list[str]) -> str:
        names = {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
        if isinstance(target, ast.Name):
            param, unpack = self.ident(target.id, target), None
        else:
            param, unpack = f"{self.p.fresh('e')}{self.at(target)}", target
        self.scopes.append(_Scope(names, {target.id} if unpack is None else set()))
        try:
            stmts = self.assign(unpack, param) if unpack is not None else []
            text = self.block([*stmts, body()], target) if stmts else body()
        finally:
            self.scopes.pop()
        return self.call("lambda", target, *first, param, text)

    def iterable(self, it: ast.expr) -> str:
        found, obj = self.static(it.func) if isinstance(it, ast.Call) else (False, None)
        if found and _builtin(obj) in ("enumerate", "zip"):
            return self.builtin(_builtin(obj), it)
        return self.visit(it)


def _constant(node: ast.AST | None) -> Any:
    """The value of a (possibly negated) number or bool constant, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = _constant(node.operand)
        return -value if value is not None else None
    return None


def _is_bool(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Compare)
        or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not))
        or (isinstance(node, ast.BoolOp) and all(_is_bool(v) for v in node.values))
        or (isinstance(node, ast.Constant) and isinstance(node.value, bool))
    )


def _safe(node: ast.AST) -> bool:
    """Whether evaluating node cannot fail or cost much (so it may be evaluated eagerly)."""
    for n in ast.walk(node):
        if (
            isinstance(n, (ast.Call, ast.Subscript, ast.Attribute, ast.Lambda))
            or (isinstance(n, ast.BinOp) and not isinstance(n.op, (ast.Add, ast.Sub, ast.Mult)))
            or isinstance(n, (ast.In, ast.NotIn))
            or isinstance(n, _COMPREHENSIONS)
        ):
            return False
    return True


def _inside_loop(body: list[ast.stmt], target: ast.AST) -> bool:
    """Whether target is inside a loop nested in body."""
    return any(
        target in _nodes(n.body) for n in _nodes(body) if isinstance(n, (ast.For, ast.While))
    )


def _describe(node: ast.AST) -> str:
    return {"Attribute": "an attribute", "Starred": "a starred expression"}.get(
        type(node).__name__, type(node).__name__
    )


_BUILTINS = {
    id(getattr(builtins, n)): n
    for n in [
        *_BUILTIN_PRIMITIVES,
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


def _builtin(obj: Any) -> str | None:
    """The name of a Python builtin function or type, None for anything else."""
    name = _BUILTINS.get(id(obj))
    return name if name and getattr(builtins, name) is obj else None


def _finish(text: str) -> tuple[str, list[tuple[int, int, int, int]]]:
    """Strips the position marks; returns the text and (physl line, col, python line, col)."""
    out, marks = [], []
    line, col = 1, 1
    parts = text.split(_MARK)
    for i, part in enumerate(parts):
        if i % 2:
            py_line, py_col = part.split(":")
            marks.append((line, col, int(py_line), int(py_col)))
            continue
        out.append(part)
        data = part.encode()  # PhySL columns count bytes
        if b"\n" in data:
            line += data.count(b"\n")
            col = len(data) - data.rindex(b"\n")
        else:
            col += len(data)
    return "".join(out), marks


def translate(fn: Callable, primitive_names: bool = False) -> Translation:
    """Translates a Python function (and every function it calls) to a PhySL program whose value
    is the function. Raises CompileError at the user's line for what Larix cannot translate.
    ``primitive_names``: a call of a Python function named like a primitive calls the primitive
    (Phylanx's rule, for ``larix.compat.phylanx``)."""
    renames: dict[str, str] = {}
    fn_renames: dict[str, str] = {}
    for _ in range(8):  # rename what clashes, until nothing does
        program = _Program(fn, renames, fn_renames, primitive_names)
        program.function(fn)
        more_vars, more_fns = program.conflicts()
        if not more_vars and not more_fns:
            break
        renames.update(more_vars)
        fn_renames.update(more_fns)
    text, marks = _finish(program.text())
    return Translation(
        physl=text,
        name=program.names[fn],
        file=program.file,
        functions=[(f, f.__code__) for f in program.names],
        kwnames=program.kwnames,
        returns_tuple=program.returns_tuple,
        marks=marks,
        files={i: f for f, i in program.files.items() if i},
    )
