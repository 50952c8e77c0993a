"""``@larix.kernel``: a Python function run as a Larix execution tree.

The function is translated to PhySL (:mod:`larix.frontend`) and compiled once, when it is
decorated; a call runs the tree with the GIL released. ``larix.parallel`` and ``larix.prange``
mark code whose parts may run at once; in plain Python they do nothing special.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import functools
import inspect
import os
import sys
import threading
import types
import weakref
from typing import Any, Callable

from . import _core, frontend
from . import profile as _profiling
from .errors import CompileError, Error, LarixTypeError, error_at


class parallel:  # noqa: N801 - spelled as a function: `with larix.parallel():`
    """``with larix.parallel():`` runs the statements of its body at the same time in a kernel
    (PhySL's ``parallel_block``); they must not depend on each other. No effect in plain Python."""

    __larix_form__ = "parallel"

    def __enter__(self) -> parallel:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def prange(*args: int) -> range:
    """``for i in larix.prange(n):`` runs the iterations at the same time in a kernel (PhySL's
    ``parallel_map``). Variables assigned in the body are private to an iteration. In plain
    Python it is ``range``."""
    return range(*args)


prange.__larix_form__ = "prange"  # type: ignore[attr-defined]

_executor: concurrent.futures.ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _pool() -> concurrent.futures.ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=min(32, (os.cpu_count() or 1) + 4), thread_name_prefix="larix-submit"
            )
        return _executor


# Every kernel, so that the compiled programs they hold can be released at interpreter exit,
# before the extension module goes away (module-level kernels outlive it otherwise).
_live_kernels: weakref.WeakSet = weakref.WeakSet()


@atexit.register
def _release_programs() -> None:
    for k in list(_live_kernels):
        k._translation = k._program = k._function = k._call = k._fast = None
    _translated.clear()


class Kernel(_core.FastCall):
    """A Python function compiled to a Larix execution tree (made by ``@larix.kernel``).

    Calling it runs the tree and returns NumPy/Python values; ``physl`` is the generated PhySL;
    ``python`` is the original function; ``submit(...)`` runs a call in the background and returns
    a :class:`concurrent.futures.Future`.

    A call is _core.FastCall's: it runs in the extension, without Python code, while ``_fast``
    holds and the functions the kernel was translated from are unchanged; otherwise (a profile,
    keywords, a redefined function, a first call still to build) it is ``_slow_call``."""

    __larix_kernel__ = True
    # Options of frontend.translate (larix.compat.phylanx's kernels call primitives by name).
    _translate_options: dict[str, Any] = {}
    # _fast (a slot of _core.FastCall): (program, convert, sync, returns_tuple, guards,
    # min_args, max_args) for its call, or None: every call takes _slow_call (_refresh_fast).

    def __init__(
        self,
        fn: Callable,
        *,
        debug: bool = False,
        sync: bool = False,
        threads: int | None = None,
        profile: bool | str = False,
    ) -> None:
        if not callable(fn) or not hasattr(fn, "__code__"):
            raise TypeError(f"@larix.kernel needs a Python function, not {type(fn).__name__}")
        functools.update_wrapper(self, fn)
        _live_kernels.add(self)
        self.python = fn
        self.debug, self.sync, self.threads = debug, sync, threads
        self._profile = profile
        self.last_profile: Any = None
        self._lock = threading.Lock()
        self._translation: frontend.Translation | None = None
        self._program: Any = None
        self._function: Any = None  # the kernel as a Larix function value (an argument to others)
        self._call: Any = None  # _core.call with its first arguments bound
        try:
            self._build()
        except CompileError as e:
            if not getattr(e, "deferrable", False):
                raise
            # A name not defined yet (a helper below in the module): try again at the first call.
            self._program = None

    @property
    def _source_name(self) -> str:
        return f"<kernel {self.python.__qualname__}>"

    def _build(self) -> None:
        from . import compile, init, threads

        try:
            translation = frontend.translate(self.python, **self._translate_options)
        except CompileError as e:  # the user's line matters, not the translator's frames
            raise e.with_traceback(None) from None
        if self.debug:
            print(translation.physl)
        try:
            program = compile(
                translation.physl,
                source_name=self._source_name,
                file=translation.file,
                sync=self.sync,
                specialize=True,  # compiled again per argument signature, at its first call
            )
        except Error as e:
            raise self._relocate(e, translation) from None
        if self.threads and self.threads != threads():
            init(self.threads)
        # The call of the fast path is bound once: no attribute lookups per call.
        call = functools.partial(_core.call, program._core, _function_argument, program._sync)
        self._translation, self._program, self._function, self._call = (
            translation,
            program,
            None,
            call,
        )
        self._refresh_fast()

    @property
    def profile(self) -> bool | str:
        """True: each call's larix.Profile in last_profile ("trace": traced)."""
        return self._profile

    @profile.setter
    def profile(self, value: bool | str) -> None:
        self._profile = value
        self._refresh_fast()

    def _refresh_fast(self) -> None:
        """Sets _fast from the built program (None while unbuilt or profiled)."""
        translation, program = getattr(self, "_translation", None), getattr(self, "_program", None)
        if translation is None or program is None or self._profile:
            self._fast = None
            return
        guards = tuple(x for f, code in translation.functions for x in (f, code))
        # The numbers of positional arguments a call without keywords may have (others take
        # _slow_call, which binds them as Python does): a required keyword-only parameter
        # makes every such call wrong.
        code, fn = self.python.__code__, self.python
        kwdefaults = fn.__kwdefaults__ or {}
        kwonly = code.co_varnames[code.co_argcount : code.co_argcount + code.co_kwonlyargcount]
        least = code.co_argcount - len(fn.__defaults__ or ())
        if any(name not in kwdefaults for name in kwonly):
            least = sys.maxsize
        self._fast = (
            program._core,
            _function_argument,
            program._sync,
            translation.returns_tuple,
            guards,
            least,
            code.co_argcount,
        )

    def _raise_from(self, error: BaseException, args: tuple) -> Any:
        """Raises an error of a call made by _core.FastCall as _slow_call would."""
        if isinstance(error, Error):
            self._check_dtypes(args, {})
            raise self._relocate(error, self._translation) from None  # type: ignore[arg-type]
        raise error

    def _current(self) -> tuple[frontend.Translation, Any]:
        """The translation and program, rebuilt if a translated function's code changed."""
        t = self._translation
        if t is None or _stale(t):
            with self._lock:
                t = self._translation
                if t is None or _stale(t):
                    self._build()
        return self._translation, self._program  # type: ignore[return-value]

    @property
    def physl(self) -> str:
        """The PhySL text the function was translated to."""
        return self._current()[0].physl

    @property
    def loops(self) -> list[Any]:
        """Every ``for`` loop of the kernel (at the user's lines): parallel, or why not (see
        :func:`larix.explain`)."""
        translation, program = self._current()

        def where(file: str, line: int, column: int) -> tuple[str, int, int]:
            f, ln, c = translation.locate(file, line, column, self._source_name)
            return f or file, ln, c

        out = []
        for loop in program.loops:
            at = where(*loop.where) if loop.where else None
            out.append(
                loop._replace(**dict(zip(("file", "line", "column"), where(*loop[:3]))), where=at)
            )
        return out

    @property
    def function(self) -> Any:
        """The kernel as a Larix function value: what a kernel receives when this kernel (or a
        plain Python function, translated on first use) is passed to it as an argument."""
        translation, _ = self._current()
        if self._function is None:
            from . import compile

            *defs, last = translation.physl.rstrip().splitlines()
            program = compile(
                "\n".join([*defs, f"list({last})"]),
                source_name=self._source_name,
                file=translation.file,
                sync=self.sync,
            )
            self._function = program()[0]
        return self._function

    def _slow_call(self, *args: Any, **kwargs: Any) -> Any:
        # The fast path does no work per argument here: the extension converts them, and asks
        # _function_argument for the ones it cannot take (kernels and Python functions).
        translation, program = self._translation, self._program
        if translation is not None:
            for f, code in translation.functions:  # _stale, inline: this runs on every call
                if f.__code__ is not code:
                    translation = None
                    break
        if translation is None:
            translation, program = self._current()
        self._check_arguments(args, kwargs)
        profiled = self.profile or _profiling._State.on
        if profiled:
            args = tuple(map(_as_argument, args))
            kwargs = {k: _as_argument(v) for k, v in kwargs.items()}
        names = kwargs
        if kwargs and translation.kwnames:
            kwargs = {translation.kwnames.get(k, k): v for k, v in kwargs.items()}
        try:
            if profiled:
                result = _profiling.call_kernel(self, translation, program, args, kwargs)
            else:
                result = self._call(*args, **kwargs)
        except Error as e:
            # An argument of a dtype Larix cannot hold fails its conversion, before anything
            # runs: say so naming the parameter, at the function's line.
            self._check_dtypes(args, names)
            raise self._relocate(e, translation) from None
        if translation.returns_tuple and isinstance(result, list):
            return tuple(result)
        return result

    def _check_arguments(self, args: tuple, kwargs: dict) -> None:
        """A TypeError, as Python's, when the arguments do not fit the function's parameters
        (too many positional ones, a missing one, a keyword-only one given by position)."""
        fn = self.python
        cached = self.__dict__.get("_signature")
        if cached is None or cached[0] is not fn.__code__:
            cached = self.__dict__["_signature"] = (fn.__code__, inspect.signature(fn))
        try:
            cached[1].bind(*args, **kwargs)
        except TypeError as e:
            raise self._error_at_def(LarixTypeError, f"{fn.__qualname__}(): {e}") from None

    def _error_at_def(self, cls: type[Error], message: str) -> Error:
        """An error of class cls at the line of the function's def."""
        code = self.python.__code__
        return error_at(cls, message, code.co_filename, code.co_firstlineno)

    def _check_dtypes(self, args: tuple, kwargs: dict) -> None:
        """A TypeError naming the parameter for NumPy values of a dtype Larix cannot hold (called
        when a call failed: the extension rejects such arguments too, naming their position)."""
        named = list(zip(self._param_names, args)) + list(kwargs.items())
        for name, value in named:
            dtype = getattr(value, "dtype", None)
            kind = getattr(dtype, "kind", None)
            too_wide = dtype is not None and dtype.itemsize > {"f": 8, "c": 16}.get(kind, 16)
            if kind is not None and (kind not in "biufc" or too_wide):
                raise self._error_at_def(
                    LarixTypeError,
                    f"{self.python.__qualname__}(): parameter '{name}' has dtype {value.dtype}, "
                    "which Larix does not support (bool, integers, floats up to float64 and "
                    "complex numbers up to complex128 are)",
                )

    @functools.cached_property
    def _param_names(self) -> list[str]:
        code = self.python.__code__
        return list(code.co_varnames[: code.co_argcount + code.co_kwonlyargcount])

    def submit(self, *args: Any, **kwargs: Any) -> concurrent.futures.Future:
        """Runs the kernel in a background thread; the Future gives its value (or its error).
        ``await asyncio.wrap_future(f.submit(...))`` awaits it in asyncio code."""
        return _pool().submit(self, *args, **kwargs)

    def _relocate(self, err: Error, translation: frontend.Translation) -> Error:
        """err with positions in the PhySL text (operators) or of helpers from other files moved
        to the user's Python lines."""

        def where(file: str | None, line: int, column: int) -> tuple[str | None, int, int]:
            return translation.locate(file, line, column, self._source_name)

        file, line, column = where(err.file, err.line, err.column)
        stack = [(fn, *where(f, ln, c)) for fn, f, ln, c in err.physl_stack]
        if (file, line, column) == (err.file, err.line, err.column) and stack == err.physl_stack:
            return err
        head = f"{file}:{line}:{column}: {err.message}" if file else err.message
        formatted = head + "".join(
            f"\n  in {fn}"
            + (f" called at {f}:{ln}:{c}" if ln > 0 else f" called at {f}" if f else "")
            for fn, f, ln, c in stack
        )
        new = type(err)._from_core(
            {
                "kind": err.kind,
                "message": err.message,
                "file": file,
                "line": line,
                "column": column,
                "source_line": "",
                "physl_stack": stack,
                "formatted": formatted,
            }
        )
        return new.with_traceback(err.__traceback__)

    def __repr__(self) -> str:
        return f"<larix.kernel {self.python.__qualname__}>"


_translated: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _stale(t: frontend.Translation) -> bool:
    """Whether a function the translation was made from has new code since (redefined)."""
    for f, code in t.functions:
        if f.__code__ is not code:
            return True
    return False


def _function_argument(value: Any) -> Any:
    """The Larix function for a kernel or plain Python function passed to a kernel, else None."""
    if isinstance(value, Kernel):
        return value.function
    if isinstance(value, types.FunctionType):
        k = _translated.get(value)
        if k is None:
            k = _translated[value] = Kernel(value)
        return k.function
    return None


def _as_argument(value: Any) -> Any:
    """Kernels and plain Python functions passed to a kernel become Larix functions."""
    fn = _function_argument(value)
    return value if fn is None else fn


def kernel(
    fn: Callable | None = None,
    *,
    debug: bool = False,
    sync: bool = False,
    threads: int | None = None,
    profile: bool | str = False,
) -> Any:
    """Compiles a Python function to a Larix execution tree: ``@larix.kernel`` or
    ``@larix.kernel(debug=True, sync=False, threads=None)``.

    ``debug`` prints the generated PhySL; ``sync`` runs calls on the synchronous reference
    executor; ``threads`` (re)starts the runtime with that many threads (for every kernel);
    ``profile=True`` keeps each call's :class:`larix.Profile` in ``f.last_profile``
    (``profile="trace"`` with trace events).
    Constructs Larix cannot translate raise :class:`larix.CompileError` here, at the user's line.
    """
    if fn is None:
        return lambda f: Kernel(f, debug=debug, sync=sync, threads=threads, profile=profile)
    return Kernel(fn, debug=debug, sync=sync, threads=threads, profile=profile)
