"""Phylanx's Python API on Larix: a Phylanx script runs after changing its import line.

``from phylanx import Phylanx, PhylanxSession`` becomes
``from larix.compat.phylanx import Phylanx, PhylanxSession``:

* ``@Phylanx`` or ``@Phylanx(debug=..., target=..., compiler_state=..., performance=...,
  localities=...)`` compiles the function as ``@larix.kernel`` does (one frontend: a
  :class:`larix.kernel.Kernel` with Phylanx's naming rule), with one difference that Phylanx had:
  a call of a Python function whose name is a PhySL primitive calls the primitive.
* ``f(*args)`` runs the kernel; ``f.get_physl_source()`` (and ``f.__src__``) is its PhySL text;
  ``f.lazy(*args)`` is a deferred call (:class:`LazyCall`).
* ``PhylanxSession.init(num_threads)`` and ``PhylanxSession.config(cfg)`` start the runtime
  (``larix.init(threads=...)``).

What the keywords do here: ``debug=True`` prints the PhySL when the function is decorated;
``target`` must be ``"PhySL"`` (Phylanx's other target, OpenSCoP, printed polyhedral code that
could not run); ``performance=True`` keeps each call's :class:`larix.Profile` in
``f.__perfdata__`` (Phylanx kept its performance counters there); ``compiler_state`` is accepted
and unused (Phylanx shared definitions between functions through it; Larix translates the
functions a kernel calls into its own program); ``localities`` must be 1 or None (distributed runs
are issue 15's). Any other keyword is a :class:`larix.LarixTypeError`.
"""

from __future__ import annotations

import sys
from typing import Any, Callable

from .. import init
from ..errors import Error, LarixRuntimeError, LarixTypeError, LarixValueError, error_at
from ..kernel import Kernel

__all__ = ["LazyCall", "Phylanx", "PhylanxFunction", "PhylanxSession"]

# Phylanx's decorator keywords (phylanx.ast.transducer).
DECORATOR_KEYWORDS = ("debug", "target", "compiler_state", "performance", "localities")


def _error(cls: type[Error], message: str, where: Callable | None = None) -> Error:
    """A larix error at the def of ``where`` (else at the caller's line outside this module)."""
    if where is not None and hasattr(where, "__code__"):
        return error_at(cls, message, where.__code__.co_filename, where.__code__.co_firstlineno)
    frame = sys._getframe(1)
    while frame.f_back is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    return error_at(cls, message, frame.f_code.co_filename, frame.f_lineno)


class LazyCall:
    """A deferred call of a Phylanx function (``f.lazy(*args)``): nothing runs until ``eval()``
    (or calling the object). Each evaluation runs the kernel again with the arguments given to
    ``lazy``; a LazyCall passed as an argument to a Phylanx function is evaluated first."""

    def __init__(self, function: PhylanxFunction, args: tuple, kwargs: dict) -> None:
        self.function, self.args, self.kwargs = function, args, kwargs

    def eval(self) -> Any:
        """Runs the call now and returns its value."""
        return self.function(*self.args, **self.kwargs)

    def __call__(self) -> Any:
        return self.eval()

    def __repr__(self) -> str:
        return f"<LazyCall {self.function.python.__qualname__}{self.args!r}>"


def _evaluated(value: Any) -> Any:
    return value.eval() if isinstance(value, LazyCall) else value


class PhylanxFunction(Kernel):
    """A function decorated with ``@Phylanx``: a Larix kernel that calls a PhySL primitive where
    the Python code calls a function of that name (Phylanx's rule)."""

    _translate_options = {"primitive_names": True}

    def __init__(self, fn: Callable, *, performance: bool = False, debug: bool = False) -> None:
        super().__init__(fn, debug=debug, profile=bool(performance))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if any(isinstance(a, LazyCall) for a in (*args, *kwargs.values())):
            args = tuple(map(_evaluated, args))
            kwargs = {k: _evaluated(v) for k, v in kwargs.items()}
        return super().__call__(*args, **kwargs)

    def get_physl_source(self) -> str:
        """The PhySL text the function was translated to."""
        return self.physl

    @property
    def __src__(self) -> str:  # Phylanx's attribute for the same text
        return self.physl

    @property
    def __perfdata__(self) -> Any:
        """The last call's :class:`larix.Profile` (with ``performance=True``), else None."""
        return self.last_profile

    def lazy(self, *args: Any, **kwargs: Any) -> LazyCall:
        """A deferred call: runs when its ``eval()`` is called (see :class:`LazyCall`)."""
        return LazyCall(self, args, kwargs)

    def __repr__(self) -> str:
        return f"<Phylanx {self.python.__qualname__}>"


def Phylanx(  # noqa: N802 - Phylanx's name
    __phylanx_arg: Callable | None = None, **kwargs: Any
) -> Any:
    """``@Phylanx`` or ``@Phylanx(debug=False, target="PhySL", compiler_state=None,
    performance=False, localities=None)``: the function as a :class:`PhylanxFunction`."""
    for key in kwargs:
        if key not in DECORATOR_KEYWORDS:
            raise _error(
                LarixTypeError,
                f"Phylanx(): unknown keyword '{key}' (Phylanx's are "
                + ", ".join(DECORATOR_KEYWORDS)
                + ")",
            )
    target = kwargs.get("target")
    if target not in (None, "PhySL"):
        raise _error(
            LarixValueError,
            f"Phylanx(): target {target!r} is not supported by Larix (only 'PhySL')",
        )
    localities = kwargs.get("localities")
    if localities not in (None, 1):
        raise _error(
            LarixValueError,
            f"Phylanx(): localities={localities!r}: Larix runs on one locality "
            "(distributed runs are not supported yet)",
        )

    def decorate(fn: Callable) -> PhylanxFunction:
        if not callable(fn) or not hasattr(fn, "__code__"):
            raise _error(
                LarixTypeError, f"@Phylanx needs a Python function, not {type(fn).__name__}"
            )
        return PhylanxFunction(
            fn, debug=bool(kwargs.get("debug")), performance=bool(kwargs.get("performance"))
        )

    if __phylanx_arg is None:
        return decorate
    if callable(__phylanx_arg):
        return decorate(__phylanx_arg)
    raise _error(
        LarixTypeError,
        f"Phylanx(): the decorator takes keywords only, not {type(__phylanx_arg).__name__}",
    )


def _threads_of(cfg: list[str]) -> int | None:
    """The thread count an HPX configuration asks for (``hpx.os_threads!=N``; "all": None)."""
    threads: int | None = None
    for entry in cfg:
        key, sep, value = entry.partition("!=") if "!=" in entry else entry.partition("=")
        if sep and key.strip() == "hpx.os_threads":
            value = value.strip()
            if value in ("all", "cores"):
                threads = None
            else:
                try:
                    threads = int(value)
                except ValueError:
                    raise _error(
                        LarixValueError, f"PhylanxSession: hpx.os_threads={value!r} is not a number"
                    ) from None
    return threads


class PhylanxSession:
    """Phylanx's runtime session: ``init(num_threads)`` or ``config(cfg)`` once, before the first
    call (a second one is a :class:`larix.LarixRuntimeError`, as Phylanx's
    RuntimeAlreadyInitializedError). Of an HPX configuration list only ``hpx.os_threads`` means
    something to Larix; the other entries are ignored."""

    cfg: list[str] = ["hpx.os_threads!=1"]
    is_initialized = False

    @staticmethod
    def init(num_threads: int = 1) -> None:
        """Starts the runtime with num_threads threads (``larix.init(threads=num_threads)``)."""
        PhylanxSession._start([f"hpx.os_threads!={num_threads}"])

    @staticmethod
    def config(cfg: list[str]) -> None:
        """Starts the runtime from Phylanx's HPX settings (``hpx.os_threads!=N`` or ``all``)."""
        if isinstance(cfg, str) or not all(isinstance(e, str) for e in cfg):
            raise _error(LarixTypeError, "PhylanxSession.config() takes a list of strings")
        PhylanxSession._start(list(cfg))

    @staticmethod
    def _start(cfg: list[str]) -> None:
        if PhylanxSession.is_initialized:
            raise _error(
                LarixRuntimeError, f"Phylanx is already initialized with {PhylanxSession.cfg}"
            )
        init(threads=_threads_of(cfg))
        PhylanxSession.cfg = cfg
        PhylanxSession.is_initialized = True
