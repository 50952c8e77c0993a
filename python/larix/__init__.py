"""Larix: Python/NumPy code run as a tree of asynchronous tasks on a C++ runtime.

Quick use::

    import larix, numpy as np
    larix.eval("define(f, a, b, dot(a, b)) f", np.ones(3), np.arange(3.0))   # 3.0
    prog = larix.compile("define(fib, n, if(n < 2, n, fib(n - 1) + fib(n - 2))) fib")
    prog(20)                                                                   # 6765

See docs/ for the PhySL language, the runtime, and the error classes.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NamedTuple

from . import _libs

_libs.preload()

from . import _core  # noqa: E402
from .errors import (  # noqa: E402
    ERROR_CLASSES,
    AxisError,
    CompileError,
    Error,
    InternalError,
    LarixAssertionError,
    LarixFileNotFoundError,
    LarixIndexError,
    LarixMemoryError,
    LarixOSError,
    LarixOverflowError,
    LarixRecursionError,
    LarixRuntimeError,
    LarixTypeError,
    LarixValueError,
    LarixZeroDivisionError,
    LinAlgError,
)
from .errors import error_at as _error_at  # noqa: E402

_core._set_error_classes(ERROR_CLASSES)

from . import profile as _profiling  # noqa: E402  (the module; `profile` below is the function)
from .kernel import kernel, parallel, prange  # noqa: E402
from .profile import Profile, profile  # noqa: E402

__version__ = "0.1.0"

Function = _core.Function


class Program(_core.FastCall):
    """A compiled PhySL program. Calling it evaluates the program; when the program's value is a
    function, the call's arguments are passed to that function.

    NumPy arrays are passed in without a copy (and never written); array results come back as NumPy
    arrays that own Larix's buffer (no copy either). A call without keywords while no profile is
    collecting runs in the extension (_core.FastCall, with ``_fast``); others take _slow_call."""

    def __init__(self, core: _core.Program, sync: bool = False) -> None:
        self._core = core
        self._sync = sync
        self._fast = (core, None, sync, False, (), 0, sys.maxsize)

    def _slow_call(self, *args: Any, **kwargs: Any) -> Any:
        if _profiling._State.on:  # larix.profile() or LARIX_PROFILE
            return _profiling.call_program(self, args, kwargs)
        return _core.call(self._core, None, self._sync, *args, **kwargs)

    def _raise_from(self, error: BaseException, args: tuple) -> Any:
        raise error

    @property
    def physl(self) -> str:
        """The PhySL text this program was compiled from."""
        return self._core.physl

    @property
    def node_count(self) -> int:
        """Number of nodes in the execution tree."""
        return self._core.node_count

    def dump_tree(self) -> str:
        """The execution tree as indented text (one node per line, with its source location)."""
        return self._core.dump_tree()

    @property
    def loops(self) -> list[Loop]:
        """Every ``for`` loop of the program, in source order: whether its iterations run in
        parallel, and if not, why (see :func:`explain`)."""
        return [
            Loop(file, line, column, parallel, why, (wfile, wline, wcol) if wline > 0 else None)
            for file, line, column, parallel, why, wfile, wline, wcol in self._core.loops
        ]

    def __repr__(self) -> str:
        return f"<larix.Program {self._core.source_name} ({self.node_count} nodes)>"


def compile(  # noqa: A001 - the natural name, as re.compile
    text: str,
    *,
    source_name: str = "<string>",
    file: str | None = None,
    optimize: bool = True,
    parallel_loops: bool = True,
    sync: bool = False,
    specialize: bool = False,
) -> Program:
    """Compile PhySL text. ``source_name`` names the text in errors; ``file`` is the file that
    ``name$LINE$COL`` annotations point into; ``optimize=False`` skips the optimisation passes,
    ``parallel_loops=False`` keeps every ``for`` loop sequential (``parallel_for`` loops stay
    parallel); ``sync=True`` runs calls on the synchronous reference executor;
    ``specialize=True`` compiles the program again for each signature of its calls (the
    arguments' kinds, dtypes and ranks, which the compiler then knows), as kernels do. Raises
    :class:`CompileError` with file, line and column on bad programs."""
    for what, value in (("the program text", text), ("source_name", source_name), ("file", file)):
        if isinstance(value, str) and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as e:  # a lone surrogate: as Python's, a ValueError
                raise _error_at(
                    LarixValueError, f"{what} cannot be encoded as UTF-8: {e.reason}", None
                ) from None
    core = _core.Program(
        text, source_name, file or "", optimize, parallel_loops, specialize=specialize
    )
    return Program(core, sync=sync)


class Loop(NamedTuple):
    """A ``for`` loop and what the compiler made of it (:attr:`Program.loops`)."""

    file: str
    line: int
    column: int
    parallel: bool
    why: str  # when sequential: the reason
    where: tuple[str, int, int] | None  # when sequential: what stands in the way (file, line, col)

    def __str__(self) -> str:
        head = f"{self.file}:{self.line}:{self.column}: for loop: "
        if self.parallel:
            return head + "parallel"
        at = f" (at {self.where[1]}:{self.where[2]})" if self.where else ""
        return f"{head}sequential: {self.why}{at}"


def explain(fn: Any) -> None:
    """Prints each ``for`` loop of a kernel or compiled program, one line each:
    ``file:line:col: for loop: parallel`` or ``... sequential: <reason> (at line:col)``, so that a
    user can see which loops run their iterations in parallel and what to change in the others."""
    loops = fn.loops if hasattr(fn, "loops") else None
    if loops is None:
        raise TypeError(f"larix.explain needs a @larix.kernel or a larix.Program, not {fn!r}")
    if not loops:
        print("no for loops")
    for loop in loops:
        print(loop)


def eval(text: str, *args: Any, **kwargs: Any) -> Any:  # noqa: A001 - mirrors builtins.eval
    """Compile and run PhySL text. If the program's value is a function, it is called with the
    arguments."""
    return compile(text)(*args, **kwargs)


def init(threads: int | None = None) -> None:
    """(Re)start the runtime with ``threads`` worker threads (default: the ``LARIX_THREADS``
    environment variable, else every core). Not while a call is running."""
    if threads is not None and threads < 1:
        raise ValueError(f"threads must be at least 1, not {threads}")
    _core.init(threads or 0)


def threads() -> int:
    """The number of threads the runtime uses."""
    return _core.threads()


def docs(name: str) -> str:
    """The documentation of a primitive (as ``larix docs NAME`` prints it)."""
    return _core.primitive_doc(name)


def primitives() -> list[dict[str, Any]]:
    """Every registered primitive: name, aliases, signature, doc, and whether it is a control
    primitive (one that decides when its operands are evaluated)."""
    return _core.primitives()


def format_physl(text: str) -> str:
    """PhySL text in canonical form, its comments kept (what ``larix fmt`` prints)."""
    return _core.format_physl(text)


if os.environ.get("LARIX_THREADS"):
    init(int(os.environ["LARIX_THREADS"]))

__all__ = [
    "AxisError",
    "CompileError",
    "Error",
    "Function",
    "InternalError",
    "LarixAssertionError",
    "LarixFileNotFoundError",
    "LarixIndexError",
    "LarixOSError",
    "LarixMemoryError",
    "LarixOverflowError",
    "LarixRecursionError",
    "LarixRuntimeError",
    "LarixTypeError",
    "LarixValueError",
    "LarixZeroDivisionError",
    "LinAlgError",
    "Loop",
    "Profile",
    "Program",
    "compile",
    "docs",
    "eval",
    "explain",
    "format_physl",
    "init",
    "kernel",
    "parallel",
    "prange",
    "primitives",
    "profile",
    "threads",
]
