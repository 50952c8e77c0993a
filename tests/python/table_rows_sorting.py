"""Rows of the primitive table for sorting and searching: sort, argsort, unique, searchsorted.

Every case's expected value is NumPy's result (or the builtin class of NumPy's error) for the same
arguments, over shapes 0-d .. 3-d and empty, dtypes bool/int64/float32/float64 (floats with NaNs
and repeated values), and each form of axis. argsort is compared with NumPy's ``kind='stable'``:
Larix's argsort is always stable, NumPy's default quicksort is not.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable

import numpy as np
from table_support import ALL_DTYPES, BOOL, F32, F64, Cases, Row, c, f1, f2

SHAPES = ((), (7,), (3, 4), (2, 3, 4), (0,), (2, 0))


def sample(shape: tuple, dtype: Any, seed: int = 0) -> np.ndarray:
    """Few distinct values (ties), and NaNs in float arrays."""
    rng = np.random.default_rng(seed)
    if dtype is BOOL:
        return rng.integers(0, 2, shape).astype(bool)
    x = rng.integers(-3, 4, shape).astype(dtype)
    if dtype in (F32, F64) and x.size:
        x.flat[rng.integers(0, x.size, max(1, x.size // 5))] = np.nan
        x.flat[0] = -0.5
    return x


def expect(ref: Callable[[], Any]) -> Any:
    """NumPy's result, or the builtin class (AxisError stays NumPy's) of the error it raises."""
    try:
        out = ref()
    except np.exceptions.AxisError:
        return np.exceptions.AxisError
    except Exception as error:  # noqa: BLE001 - the class is what we want
        return next(k for k in type(error).__mro__ if k.__module__ == "builtins")
    if isinstance(out, tuple):
        return list(out)
    return np.asarray(out) if isinstance(out, np.generic) else out


def physl(v: Any) -> str:
    return "nil" if v is None else str(v)


def sort_cases(name: str) -> list:
    cases = []
    for shape, dtype in itertools.product(SHAPES, ALL_DTYPES):
        x = sample(shape, dtype)
        for axis in [None, -1] + list(range(-len(shape), len(shape) + 1)):
            body = f"{name}(a, __arg(axis, {physl(axis)}))"
            ref = (
                (lambda x=x, axis=axis: np.sort(x, axis=axis))
                if name == "sort"
                else (lambda x=x, axis=axis: np.argsort(x, axis=axis, kind="stable"))
            )
            cases.append(c(f1(body), expect(ref), x))
    x = sample((3, 4), F64)
    ref = np.sort if name == "sort" else (lambda a: np.argsort(a, kind="stable"))
    for kind in ("quicksort", "stable", "mergesort", "heapsort", "Q"):
        cases.append(c(f1(f'{name}(a, -1, "{kind}")'), ref(x), x))
    cases += [
        c(f1(f"{name}(a, __arg(stable, true))"), ref(x), x),
        c(f1(f'{name}(a, __arg(kind, "bogo"))'), ValueError, x),
        c(f1(f"{name}(a, __arg(kind, 1))"), TypeError, x),
        c(f1(f'{name}(a, __arg(order, "f"))'), ValueError, x),
        c(f1(f'{name}(a, __arg(kind, "stable"), __arg(stable, true))'), ValueError, x),
        c(f1(f"{name}(a, __arg(axis, 2))"), np.exceptions.AxisError, x),
        c(f1(f"{name}(a, __arg(axis, 1.5))"), TypeError, x),
        c(f1(f"{name}(a)"), expect(lambda: ref(np.asarray([3, 1, 2]))), [3, 1, 2]),
    ]
    return cases


def unique_cases() -> list:
    cases = []
    for shape, dtype in itertools.product(SHAPES, ALL_DTYPES):
        x = sample(shape, dtype, seed=1)
        for flags in itertools.product((False, True), repeat=3):
            args = ", ".join("true" if f else "false" for f in flags)
            cases.append(
                c(
                    f1(f"unique(a, {args})"),
                    expect(lambda x=x, flags=flags: np.unique(x, *flags)),
                    x,
                )
            )
    # Along an axis: the distinct subarrays (rows with repeats and ties in their first column).
    rows = np.array([[1, 2, 0], [0, 5, 1], [1, 2, 0], [1, 1, 9], [0, 5, 1]])
    for dtype, axis in itertools.product(ALL_DTYPES, (0, 1, -1)):
        x = rows.astype(dtype)
        for flags in ((False, False, False), (True, True, True), (False, True, False)):
            args = ", ".join("true" if f else "false" for f in flags)
            cases.append(
                c(
                    f1(f"unique(a, {args}, {axis})"),
                    expect(lambda x=x, flags=flags, axis=axis: np.unique(x, *flags, axis=axis)),
                    x,
                )
            )
    cube = sample((3, 2, 2), np.float64, seed=4).round(0)
    cube[2] = cube[0]
    cube[1, 0, 0] = np.nan  # a subarray with a NaN is distinct from every other
    cases += [
        c(
            f1("unique(a, false, false, true, 0)"),
            list(np.unique(cube, return_counts=True, axis=0)),
            cube,
        ),
        c(f1("unique(a, false, false, false, 2)"), np.unique(cube, axis=2), cube),
        c(f1("unique(a, false, false, false, 3)"), ValueError, cube),
        c(f1("unique(a, false, false, false, 0)"), ValueError, np.array(2.0)),
    ]
    x = np.array([2.0, np.nan, 1.0, np.nan, 2.0])
    cases += [
        c(f1("unique(a, __arg(return_counts, true))"), list(np.unique(x, return_counts=True)), x),
        c(f1("unique(a)"), np.unique(np.array(2.5)), 2.5),
    ]
    return cases


def searchsorted_cases() -> list:
    cases = []
    for dtype in ALL_DTYPES:
        a = np.sort(sample((9,), dtype, seed=2))
        for v_shape in ((), (5,), (2, 3), (0,)):
            v = sample(v_shape, dtype, seed=3)
            for side in ("left", "right"):
                cases.append(
                    c(
                        f2(f'searchsorted(a, b, "{side}")'),
                        expect(lambda a=a, v=v, side=side: np.searchsorted(a, v, side)),
                        a,
                        v,
                    )
                )
    a = np.array([1, 2, 2, 3])
    u = np.array([30.0, 10.0, 20.0])
    cases += [
        c(f1("searchsorted(a, 2.5)"), expect(lambda: np.searchsorted(a, 2.5)), a),
        c(f1("searchsorted(a, 2)"), expect(lambda: np.searchsorted(a, 2)), a),
        c(f1("searchsorted(a, true)"), expect(lambda: np.searchsorted(a, True)), a),
        c(
            f1('searchsorted(a, [15.0, 31.0], "right", [1, 2, 0])'),
            np.searchsorted(u, [15.0, 31.0], "right", [1, 2, 0]),
            u,
        ),
        c(f1("searchsorted(a, 1.0, __arg(sorter, [1, 2, 5]))"), ValueError, u),
        c(f1("searchsorted(a, 1.0, __arg(sorter, [1, 2]))"), ValueError, u),
        c(f1('searchsorted(a, 1, "middle")'), ValueError, a),
        c(f1("searchsorted(a, 1)"), ValueError, np.ones((2, 2))),
        c(f1("searchsorted(a, 1)"), ValueError, np.array(1.0)),
        c(f2("searchsorted(a, b)"), np.searchsorted(a, np.float32(2.5)), a, np.float32(2.5)),
        c(f2("searchsorted(a, b)"), np.searchsorted(a.astype(F32), 2.5), a.astype(F32), 2.5),
    ]
    return cases


ROWS: dict[str, Row] = {
    "sort": Cases(sort_cases("sort")),
    "argsort": Cases(sort_cases("argsort")),
    "unique": Cases(unique_cases()),
    "searchsorted": Cases(searchsorted_cases()),
}
