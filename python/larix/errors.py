"""Larix's exception classes.

Every error Larix raises is a :class:`larix.Error`. Each is also an instance of the Python class a
NumPy user expects (``TypeError``, ``ValueError``, ``IndexError``, ``ZeroDivisionError``, ...), so
existing ``except`` clauses keep working. An error carries where it happened in the user's source:
``file``, ``line``, ``column`` (1-based), the ``source_line`` text, and ``physl_stack``, the PhySL
functions it passed through (innermost first) as ``(function, file, line, column)`` tuples.
"""

from __future__ import annotations

import builtins
import linecache
from typing import Any

import numpy as np

try:  # NumPy >= 1.25
    from numpy.exceptions import AxisError as _NumpyAxisError
except ImportError:  # pragma: no cover
    _NumpyAxisError = np.AxisError  # type: ignore[attr-defined]


class Error(Exception):
    """Base class of every error Larix raises."""

    kind: str = "error"
    message: str = ""
    file: str | None = None
    line: int = 0
    column: int = 0
    source_line: str = ""
    physl_stack: list[tuple[str, str, int, int]]

    @classmethod
    def _from_core(cls, info: dict[str, Any]) -> Error:
        source_line = info["source_line"]
        formatted = info["formatted"]
        if not source_line and info["file"] and info["line"] > 0:
            # A location in a Python file (from @larix.kernel): show that line with a caret.
            text = linecache.getline(info["file"], info["line"]).rstrip("\n")
            if text:
                source_line = text
                head, _, rest = formatted.partition("\n")
                caret = " " * max(info["column"] - 1, 0) + "^"
                formatted = f"{head}\n    {text}\n    {caret}" + (f"\n{rest}" if rest else "")
        if issubclass(cls, SyntaxError):
            err = cls(formatted, (info["file"], info["line"], info["column"], source_line))
        else:
            err = cls(formatted)
        err.kind = info["kind"]
        err.message = info["message"]
        err.file = info["file"]
        err.line = info["line"]
        err.column = info["column"]
        err.source_line = source_line
        err.physl_stack = list(info["physl_stack"])
        err._formatted = formatted
        return err

    def __str__(self) -> str:
        return getattr(self, "_formatted", None) or super().__str__()


class CompileError(Error, builtins.SyntaxError):
    """Bad PhySL text, an unknown name, a wrong argument count or keyword, or Python that the
    frontend cannot translate. Raised when compiling, before anything runs."""


class LarixTypeError(Error, builtins.TypeError):
    """An operand or argument of the wrong type (including unsupported dtypes)."""


class LarixValueError(Error, builtins.ValueError):
    """A bad value: shapes that do not broadcast or align, a bad reshape, ..."""


class LarixIndexError(Error, builtins.IndexError):
    """An index out of range."""


class LarixZeroDivisionError(Error, builtins.ZeroDivisionError):
    """Integer division or modulo by zero."""


class LarixOverflowError(Error, builtins.OverflowError):
    """A result out of range (e.g. np.random.uniform with an infinite range)."""


class LarixMemoryError(Error, builtins.MemoryError):
    """Out of memory: an array or list that cannot be allocated (NumPy's "Unable to allocate")."""


class AxisError(Error, _NumpyAxisError):
    """An axis out of range (also a numpy AxisError, hence a ValueError and an IndexError)."""

    def __init__(self, *args: Any) -> None:
        Exception.__init__(self, *args)


class LinAlgError(Error, np.linalg.LinAlgError):
    """A linear-algebra failure (singular matrix, ...), also a numpy.linalg.LinAlgError."""


class LarixAssertionError(Error, builtins.AssertionError):
    """An assert() in the program failed."""


class LarixOSError(Error, builtins.OSError):
    """A file could not be read or written."""


class LarixFileNotFoundError(LarixOSError, builtins.FileNotFoundError):
    """A file to read does not exist (also an OSError, like Python's FileNotFoundError)."""


class LarixRuntimeError(Error, builtins.RuntimeError):
    """Any other failure of a running program (e.g. too deep recursion)."""


class LarixRecursionError(LarixRuntimeError, builtins.RecursionError):
    """Calls nested deeper than the limit (``max_call_depth``, 1000), or calls and expressions
    nested so deep that the native stack is nearly full; also a LarixRuntimeError."""


class InternalError(Error, builtins.RuntimeError):
    """A bug in Larix itself (please report it)."""


def error_at(
    cls: type[Error], message: str, file: str | None, line: int = 0, column: int = 1
) -> Error:
    """An error of class cls raised from Python at a place in a Python file (``column`` 1-based;
    no file: the message alone), made as the core's errors are: its message shows the source
    line with a caret."""
    kind = next((k for k, c in ERROR_CLASSES.items() if c is cls), "error")
    where = f"{file}:{line}:{column}: " if file is not None else ""
    return cls._from_core(
        {
            "kind": kind,
            "message": message,
            "file": file,
            "line": line if file is not None else 0,
            "column": column if file is not None else 0,
            "source_line": "",
            "physl_stack": [],
            "formatted": where + message,
        }
    )


def compile_error(message: str, file: str, line: int, column: int) -> CompileError:
    """A CompileError at a place in a Python file (the frontend's errors)."""
    err = error_at(CompileError, message, file, line, column)
    assert isinstance(err, CompileError)
    return err


# The C++ error kinds (larix::error_kind_name) and their classes.
ERROR_CLASSES: dict[str, type[Error]] = {
    "syntax error": CompileError,
    "name error": CompileError,
    "type error": LarixTypeError,
    "value error": LarixValueError,
    "index error": LarixIndexError,
    "division by zero": LarixZeroDivisionError,
    "overflow error": LarixOverflowError,
    "memory error": LarixMemoryError,
    "axis error": AxisError,
    "linear algebra error": LinAlgError,
    "assertion failed": LarixAssertionError,
    "I/O error": LarixOSError,
    "file not found": LarixFileNotFoundError,
    "runtime error": LarixRuntimeError,
    "recursion error": LarixRecursionError,
    "internal error": InternalError,
}
