"""Rows of slice and __store_slice: Phylanx's indices and NumPy's (newaxis, Ellipsis, integer
arrays, boolean masks), reading and writing, with NumPy's results and error classes."""

from __future__ import annotations

import numpy as np
from table_support import Cases, Row, c, f1, f2

A23 = np.arange(6.0).reshape(2, 3)
A345 = np.arange(60).reshape(3, 4, 5)
I02 = np.array([0, 2])
MASK = A23 > 2.0


def _set(a: np.ndarray, index: tuple, value: object) -> np.ndarray:
    """NumPy's a[index] = value, on a copy."""
    out = a.copy()
    out[index] = value
    return out


def _empty_bool(shape: tuple) -> np.ndarray:
    return np.zeros(shape, dtype=bool)


ROWS: dict[str, Row] = {
    "slice": Cases(
        [
            # Phylanx's forms: an int, '(start, stop[, step]), nil for the whole axis
            c(f1("slice(a, 1)"), A23[1], A23),
            c(f1("slice(a, list(0, 2), 1)"), A23[0:2, 1], A23),
            c(f1("slice(a, nil, list(nil, nil, -1))"), A23[:, ::-1], A23),
            c(f1("slice(a, -1, -1)"), A23[-1, -1], A23),
            # newaxis and Ellipsis
            c(f1('slice(a, nil, "newaxis")'), A23[:, None], A23),
            c(f1('slice(a, "newaxis", "...", "newaxis")'), A23[None, ..., None], A23),
            c(f1('slice(a, "...", 0)'), A23[..., 0], A23),
            c(f1('slice(a, 1, "...", 2)'), A23[1, ..., 2], A23),
            c(f1('slice(a, "...")'), A23[...], A23),
            c(f1('slice(a, "newaxis")'), np.float64(3.0)[None], np.float64(3.0)),
            # integer arrays (any shape, negative values wrap, broadcast together)
            c(f2("slice(a, b)"), A23[np.array([1, -2, 1])], A23, np.array([1, -2, 1])),
            c(f2("slice(a, nil, b)"), A23[:, I02], A23, I02),
            c(f2("slice(a, b, b)"), A345[I02, I02], A345, I02),
            c(f2("slice(a, 1, nil, b)"), A345[1, :, I02], A345, I02),
            c(f2('slice(a, nil, b, "newaxis", b)'), A345[:, I02, None, I02], A345, I02),
            c(f2('slice(a, b, "...", b)'), A345[I02, ..., I02], A345, I02),
            c(f2("slice(a, list(nil, nil, -1), b)"), A345[::-1, I02], A345, I02),
            c(f2("slice(a, nil, b)"), A345[:, I02.reshape(2, 1)], A345, I02.reshape(2, 1)),
            c(f1("slice(a, [1, 0], [2, 0])"), A23[[1, 0], [2, 0]], A23),
            c(f2("slice(a, b)"), A23[np.array([], dtype=np.int64)], A23, np.array([], np.int64)),
            # boolean masks
            c(f1("slice(a, a > 2.0)"), A23[MASK], A23),
            c(f1("slice(a, nil, [true, false, true])"), A23[:, [True, False, True]], A23),
            c(f2("slice(a, b)"), A23[_empty_bool((2, 3))], A23, _empty_bool((2, 3))),
            c(f1("slice(a, true)"), A23[True], A23),
            c(f1("slice(a, 1, false)"), A23[1, False], A23),
            c(f2("slice(a, b, list(1, 3))"), A23[[False, True], 1:3], A23, np.array([False, True])),
            # errors: out of bounds, too many indices, bad masks, bad dtypes, mismatched arrays
            c(f2("slice(a, b)"), IndexError, A23, np.array([0, 5])),
            c(f1("slice(a, 0, 0, 0)"), IndexError, A23),
            c(f1("slice(a, [true, false, true])"), IndexError, A23),
            c(f1("slice(a, [0.0])"), IndexError, A23),
            c(f1("slice(a, [0, 1], [0, 1, 2])"), IndexError, A23),
            c(f1('slice(a, "...", "...")'), IndexError, A23),
            c(f1('slice(a, "x")'), IndexError, A23),
        ]
    ),
    "__store_slice": Cases(
        [
            c(f1("block(store(slice(a, 0), 9.0), a)"), np.array([9.0, 1.0]), np.arange(2.0)),
            c(f1("block(store(slice(a, a > 2.0), 0), a)"), _set(A23, MASK, 0), A23),
            c(f1("block(store(slice(a, a > 2.0), [7, 8, 9]), a)"), _set(A23, MASK, [7, 8, 9]), A23),
            c(f2("block(store(slice(a, b), -1.0), a)"), _set(A23, (I02[:1],), -1.0), A23, I02[:1]),
            c(
                f2("block(store(slice(a, nil, b), [[1], [2]]), a)"),
                _set(A23, (slice(None), I02), [[1], [2]]),
                A23,
                I02,
            ),
            c(
                f2("block(store(slice(a, b), [1, 2, 3]), a)"),
                _set(np.zeros(3), ([0, 0, 0],), [1, 2, 3]),
                np.zeros(3),
                np.array([0, 0, 0]),
            ),
            c(f1('block(store(slice(a, "...", 0), 5), a)'), _set(A23, (..., 0), 5), A23),
            c(
                f1('block(store(slice(a, nil, "newaxis"), [4, 5, 6]), a)'),
                _set(A23, (slice(None), None), [4, 5, 6]),
                A23,
            ),
            c(
                f2("block(store(slice(a, list(nil, nil, -1), b), [[1, 2]]), a)"),
                _set(A23, (slice(None, None, -1), I02), [[1, 2]]),
                A23,
                I02,
            ),
            c(f2("block(store(slice(a, b), 1), a)"), IndexError, A23, np.array([2])),
            c(f1("block(store(slice(a, a > 2.0), [1, 2]), a)"), ValueError, A23),
            c(f2("block(store(slice(a, b), [1, 2]), a)"), ValueError, A23, I02[:1]),
        ]
    ),
}
