"""Row kinds and helpers of the primitive table (test_primitives_table.py).

Each family of primitives may keep its rows in its own module ``table_rows_<family>.py`` that
defines ``ROWS: dict[str, Row]``; the table test merges every such module into one table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Union

import numpy as np

BOOL, I64, F32, F64 = np.bool_, np.int64, np.float32, np.float64
ALL_DTYPES = (BOOL, I64, F32, F64)
NUMBERS = (I64, F32, F64)
FLOATS = (F32, F64)
SHAPES = ((), (5,), (3, 4), (2, 3, 4), (0,), (2, 0))
PAIRS = (
    ((), ()),
    ((4,), ()),
    ((), (4,)),
    ((3, 4), (4,)),
    ((3, 1), (1, 4)),
    ((2, 3, 4), (3, 1)),
    ((0,), (1,)),
    ((2, 0), (2, 1)),
)


# ---- rows ----------------------------------------------------------------------------------------


@dataclass
class Elementwise:
    """An element-wise op of `arity` arrays; `ref` is the NumPy function."""

    ref: Callable[..., Any]
    arity: int = 1
    dtypes: tuple = ALL_DTYPES
    domain: str = "any"  # any, pos (> 0), nonzero (either sign), unit (in [-1, 1]), ge1 (>= 1)
    call: str = ""  # PhySL call template over a, b, c; default name(a, b, ...)


@dataclass
class Reduction:
    """A reduction with axis/keepdims keywords (`axis_kinds`: 'many' axes, 'one' int, 'none')."""

    ref: Callable[..., Any]
    dtypes: tuple = ALL_DTYPES
    axis_kinds: str = "many"
    keepdims: bool = True
    extra: str = ""  # more keyword arguments for both sides, PhySL text
    ref_extra: dict = field(default_factory=dict)
    empty_ok: bool = True


@dataclass
class Cases:
    """Programs (defining f when they take arguments) with arguments and expected values."""

    cases: list  # (program, args, expected) ; expected may be an Exception class


Row = Union[Elementwise, Reduction, Cases]  # (not `|`: the oldest Python tested is 3.9)


def c(program: str, expected: Any, *args: Any) -> tuple:
    return (program, args, expected)


def f1(body: str) -> str:
    return f"define(f, a, {body}) f"


def f2(body: str) -> str:
    return f"define(f, a, b, {body}) f"
