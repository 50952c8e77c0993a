"""Distributed arrays over MPI: one program on many processes (SPMD, as Phylanx ran it).

Run a script with ``mpirun -n 4 python script.py``: every rank runs the same code. A distributed
array is cut into one tile per rank (by rows unless said otherwise); each rank holds its own tile,
and ``@larix.kernel`` functions take distributed arrays as they take NumPy arrays::

    import larix, larix.distributed as ld, numpy as np

    @larix.kernel
    def step(X, y, w):
        p = 1 / (1 + np.exp(-(X @ w)))     # X @ w: each rank its rows, no communication
        return w - 0.1 * (X.T @ (p - y))   # X.T @ r: each rank's part, summed over the ranks

    X = ld.from_array(X_whole)             # each rank keeps its rows
    y = ld.from_array(y_whole)
    w = step(X, y, np.zeros(X.shape[1]))   # w: the same NumPy array on every rank

Element-wise operations (with replicated NumPy operands, cut to each tile), the reductions ``sum``,
``prod``, ``min``, ``max``, ``mean``, ``any``, ``all`` (over a cut axis: one exchange of the tiles'
results), ``dot``/``@``, ``transpose``/``.T`` and ``shape`` work on them; anything else asks for the
whole array first (:func:`all_gather`). Larix's runtime calls MPI itself, through the library mpi4py
loaded (``pip install "larix[mpi]"``). Without MPI a process is rank 0 of 1 and all of this works on
one process.

An exception that escapes on one rank ends the whole job (MPI_Abort after the traceback), so that no
rank waits forever for it.
"""

from __future__ import annotations

import atexit
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import _core
from .errors import Error, LarixRuntimeError, LarixValueError, error_at

DistributedArray = _core.DistributedArray

__all__ = [
    "DistributedArray",
    "all_gather",
    "counters",
    "from_array",
    "from_tiles",
    "full",
    "gather",
    "init",
    "load",
    "local",
    "ones",
    "random",
    "rank",
    "read_csv",
    "retile",
    "size",
    "zeros",
]


class _State:
    comm: Any = None  # Larix's duplicate of MPI.COMM_WORLD (None: not set up, or no MPI)
    ready = False


def _caller() -> tuple[str | None, int]:
    """The user's file and line: the first frame outside this module."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename == __file__:
        frame = frame.f_back
    return (frame.f_code.co_filename, frame.f_lineno) if frame is not None else (None, 0)


def _error(cls: type[Error], message: str) -> Error:
    file, line = _caller()
    return error_at(cls, message, file, line)


def _abort_on_exception(kind: type[BaseException], value: BaseException, tb: Any) -> None:
    """sys.excepthook on a rank of a job with more than one: the traceback, then MPI_Abort."""
    sys.stderr.write(f"[larix rank {rank()} of {size()}] ")
    traceback.print_exception(kind, value, tb)
    sys.stderr.flush()
    _State.comm.Abort(1)


def init() -> None:
    """Sets Larix up for the MPI job this process is part of (every creator below calls it). Without
    mpi4py, or outside ``mpirun``, the process is rank 0 of 1."""
    if _State.ready:
        return
    _State.ready = True
    try:
        from mpi4py import MPI  # noqa: PLC0415  (optional dependency)
    except ImportError:
        if _under_launcher():
            raise _error(
                LarixRuntimeError,
                "this process runs under mpirun, but mpi4py is not installed: every rank would run "
                'alone. Install it with: pip install "larix[mpi]"',
            ) from None
        return
    if MPI.Query_thread() != MPI.THREAD_MULTIPLE:
        raise _error(
            LarixRuntimeError,
            "Larix calls MPI from its worker threads and needs MPI_THREAD_MULTIPLE; MPI was "
            f"initialised with thread level {MPI.Query_thread()} (mpi4py.rc.thread_level)",
        )
    world = MPI.COMM_WORLD
    _State.comm = world.Dup()
    tag_ub = world.Get_attr(MPI.TAG_UB) or 32767
    _core._mpi_init(
        MPI.__file__,
        MPI._handleof(_State.comm),
        MPI._handleof(MPI.BYTE),
        _State.comm.Get_rank(),
        _State.comm.Get_size(),
        int(tag_ub),
    )
    atexit.register(_core._mpi_shutdown)  # before mpi4py's MPI_Finalize
    if _State.comm.Get_size() > 1:
        sys.excepthook = _abort_on_exception


_LAUNCHER_VARIABLES = ("PMI_RANK", "OMPI_COMM_WORLD_RANK", "PMIX_RANK")


def _under_launcher() -> bool:
    """Whether mpirun/mpiexec started this process."""
    return any(k in os.environ for k in _LAUNCHER_VARIABLES)


def rank() -> int:
    """This process's rank (0 without MPI)."""
    init()
    return _State.comm.Get_rank() if _State.comm is not None else 0


def size() -> int:
    """The number of ranks (1 without MPI)."""
    init()
    return _State.comm.Get_size() if _State.comm is not None else 1


def counters() -> dict[str, int]:
    """What this rank sent and received (bytes, messages) and how long its tasks waited (ns)."""
    return dict(_core._mpi_counters())


def _agree(what: str, value: Any) -> None:
    """Checks that every rank passed the same `value` (a collective: every rank calls it)."""
    if _State.comm is None:
        return
    values = _State.comm.allgather(value)
    if any(v != values[0] for v in values):
        raise _error(
            LarixValueError,
            f"the ranks disagree on {what}: "
            + ", ".join(f"rank {r}: {v!r}" for r, v in enumerate(values)),
        )


def _tiling(
    shape: tuple[int, ...], axis: int
) -> tuple[list[tuple[tuple[int, ...], tuple[int, ...]]], int]:
    """Every rank's box of `shape` cut along `axis` as evenly as possible (the first ones one
    longer), as Larix's C++ side cuts it."""
    n, ranks = shape[axis], size()
    if n < ranks:
        raise _error(
            LarixValueError,
            f"cannot cut axis {axis} of shape {shape} over {ranks} ranks: each rank's tile needs "
            "at least one index along it",
        )
    boxes, at = [], 0
    for r in range(ranks):
        stop = at + n // ranks + (1 if r < n % ranks else 0)
        lo = tuple(at if d == axis else 0 for d in range(len(shape)))
        hi = tuple(stop if d == axis else shape[d] for d in range(len(shape)))
        boxes.append((lo, hi))
        at = stop
    return boxes, 1 << axis


def _axis(shape: tuple[int, ...], axis: int) -> int:
    if not shape:
        raise _error(
            LarixValueError, "a distributed array needs at least one axis, not a 0-d array"
        )
    if not -len(shape) <= axis < len(shape):
        raise _error(LarixValueError, f"axis {axis} is out of bounds for a {len(shape)}-d array")
    return axis % len(shape)


def _make(shape: tuple[int, ...], axis: int, tile_of: Any) -> DistributedArray:
    init()
    shape = tuple(int(n) for n in shape)
    axis = _axis(shape, axis)
    _agree("the global shape and the cut axis", (shape, axis))
    boxes, split = _tiling(shape, axis)
    lo, hi = boxes[rank()]
    tile = np.ascontiguousarray(tile_of(tuple(slice(a, b) for a, b in zip(lo, hi))))
    return _core._tiled(tile, list(shape), boxes, split)


def from_array(a: Any, axis: int = 0) -> DistributedArray:
    """A distributed array of the whole array `a` (every rank passes the same one), cut along
    `axis` (0: rows); each rank keeps its tile (a copy of it)."""
    a = np.asarray(a)
    return _make(a.shape, axis, lambda index: a[index])


def full(
    shape: Sequence[int], fill_value: Any, dtype: Any = None, axis: int = 0
) -> DistributedArray:
    """A distributed array of the global `shape` filled with `fill_value`."""
    value = np.asarray(fill_value, dtype=dtype)
    return _make(
        tuple(shape), axis, lambda index: np.full([s.stop - s.start for s in index], value)
    )


def zeros(shape: Sequence[int], dtype: Any = np.float64, axis: int = 0) -> DistributedArray:
    """A distributed array of zeros of the global `shape`."""
    return full(shape, 0, dtype, axis)


def ones(shape: Sequence[int], dtype: Any = np.float64, axis: int = 0) -> DistributedArray:
    """A distributed array of ones of the global `shape`."""
    return full(shape, 1, dtype, axis)


_RANDOM_BLOCK = 4096  # rows per independently seeded block of random()


def random(shape: Sequence[int], seed: int = 0, axis: int = 0) -> DistributedArray:
    """A distributed array of uniform [0, 1) floats of the global `shape`. The array is the same
    whatever the number of ranks: rows come in blocks of 4096, block b from
    ``np.random.default_rng([seed, b])``; each rank draws the blocks its tile touches."""
    shape = tuple(int(n) for n in shape)

    def tile(index: tuple[slice, ...]) -> np.ndarray:
        rows = index[0]
        first, last = rows.start // _RANDOM_BLOCK, (rows.stop - 1) // _RANDOM_BLOCK
        parts = []
        for b in range(first, last + 1):
            lo, hi = b * _RANDOM_BLOCK, min((b + 1) * _RANDOM_BLOCK, shape[0])
            block = np.random.default_rng([seed, b]).random((hi - lo, *shape[1:]))
            parts.append(block[max(rows.start, lo) - lo : min(rows.stop, hi) - lo])
        return np.concatenate(parts)[(slice(None), *index[1:])]

    return _make(shape, axis, tile)


def load(path: str | os.PathLike[str], axis: int = 0) -> DistributedArray:
    """A distributed array of a ``.npy`` file: each rank reads only its tile (memory-mapped)."""
    data = np.load(path, mmap_mode="r")
    return _make(data.shape, axis, lambda index: np.array(data[index]))


def read_csv(
    path: str | os.PathLike[str], delimiter: str = ",", skip_header: int = 0
) -> DistributedArray:
    """A distributed array of a CSV file of numbers, cut into rows: each rank parses only its rows
    (every rank counts the lines)."""
    with open(path, "rb") as f:
        lines = sum(1 for line in f if line.strip()) - skip_header
    with open(path) as f:
        first = np.loadtxt(f, delimiter=delimiter, skiprows=skip_header, max_rows=1, ndmin=1)
    shape = (lines, *first.shape)

    def tile(index: tuple[slice, ...]) -> np.ndarray:
        rows = index[0]
        with open(path) as f:
            block = np.loadtxt(
                f,
                delimiter=delimiter,
                skiprows=skip_header + rows.start,
                max_rows=rows.stop - rows.start,
                ndmin=len(shape),
            )
        return block[(slice(None), *index[1:])]

    return _make(shape, 0, tile)


def all_gather(a: Any) -> np.ndarray:
    """The whole distributed array on every rank (a NumPy array); any other value as NumPy's.
    In a kernel: PhySL's all_gather_d."""
    if isinstance(a, DistributedArray):
        return a._all_gather("larix.distributed.all_gather")
    return np.asarray(a)


def local(a: Any) -> np.ndarray:
    """This rank's tile of a distributed array (any other value as it is). In a kernel: local_d,
    an ordinary array a kernel can index, loop over and write (the rank's own rows)."""
    return a.local if isinstance(a, DistributedArray) else a


_from_tiles_program: Any = None


def from_tiles(tile: Any, axis: int = 0) -> DistributedArray:
    """The distributed array whose tiles are every rank's `tile`, one after another along `axis`
    in rank order (each rank passes its own; they may differ in length along `axis` only). In a
    kernel: from_tiles_d. With :func:`local` it writes SPMD code: compute on your rows, put them
    together."""
    global _from_tiles_program
    init()
    if _from_tiles_program is None:
        from . import compile as _compile  # noqa: PLC0415  (larix imports this module lazily)

        _from_tiles_program = _compile("define(f, tile, axis, from_tiles_d(tile, axis)) f")
    return _from_tiles_program(np.asarray(tile), axis)


_retile_program: Any = None


def retile(a: DistributedArray, axis: Any = 0) -> DistributedArray:
    """`a` cut anew along `axis` (rows: 0, columns of a matrix: 1), its elements moved between
    the ranks in one all-to-all step; `axis` may also be this rank's tile as Phylanx's annotation
    ``["tile", ["rows", r0, r1], ["columns", c0, c1]]``. In a kernel: retile_d."""
    global _retile_program
    init()
    if _retile_program is None:
        from . import compile as _compile  # noqa: PLC0415

        _retile_program = _compile("define(f, a, tiling, retile_d(a, tiling)) f")
    return _retile_program(a, axis)


# In a kernel these stand for primitives (the frontend reads __larix_primitive__).
all_gather.__larix_primitive__ = "all_gather_d"  # type: ignore[attr-defined]
local.__larix_primitive__ = "local_d"  # type: ignore[attr-defined]
from_tiles.__larix_primitive__ = "from_tiles_d"  # type: ignore[attr-defined]
retile.__larix_primitive__ = "retile_d"  # type: ignore[attr-defined]
rank.__larix_primitive__ = "find_here"  # type: ignore[attr-defined]
size.__larix_primitive__ = "num_localities"  # type: ignore[attr-defined]


def gather(a: Any, root: int = 0) -> np.ndarray | None:
    """The whole distributed array on rank `root` (None on the others)."""
    if not isinstance(a, DistributedArray):
        return np.asarray(a) if rank() == root else None
    if _State.comm is None or size() == 1:
        return a._all_gather("larix.distributed.gather")
    tiles = _State.comm.gather(np.ascontiguousarray(a.local), root=root)
    if tiles is None:
        return None
    out = np.empty(a.shape, dtype=a.local.dtype)
    for (lo, hi), tile in zip(a.boxes, tiles):
        out[tuple(slice(x, y) for x, y in zip(lo, hi))] = tile
    return out


# Under mpirun, importing this module joins the job at once: from here on an exception that
# escapes on one rank ends the job (instead of leaving the others waiting for a rank that left).
if _under_launcher():
    init()
