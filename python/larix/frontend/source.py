"""A Python function's source as the translator reads it: its ``def`` parsed with the real line
numbers and columns of its file (a lambda passed as a value becomes the def it stands for)."""

from __future__ import annotations

import ast
import inspect
import linecache
from typing import Callable

from ..errors import compile_error
from .scope import parameters


def parse(fn: Callable, base: int) -> tuple[ast.FunctionDef, list[bytes], int]:
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
        found = lambda_def(fn, base)
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


def lambda_def(fn: Callable, base: int) -> tuple[ast.FunctionDef, list[bytes], int] | None:
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
        and [a.arg for a in parameters(n.args)] == names
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
