"""Rows of __subscript and __store_subscript (NumPy's x[...], which the frontend emits: newaxis,
Ellipsis, integer arrays, boolean masks, reading and writing, with NumPy's results and error
classes), and of slice and __store_slice (Phylanx's convention: hand-written expected values
from Phylanx's documented behaviour; more in test_phylanx_slicing.py and tests/physl/)."""

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
    "__subscript": Cases(
        [
            # an int, '(start, stop[, step]) (Python's slice), nil for the whole axis
            c(f1("__subscript(a, 1)"), A23[1], A23),
            c(f1("__subscript(a, list(0, 2), 1)"), A23[0:2, 1], A23),
            c(f1("__subscript(a, nil, list(nil, nil, -1))"), A23[:, ::-1], A23),
            c(f1("__subscript(a, -1, -1)"), A23[-1, -1], A23),
            # newaxis and Ellipsis
            c(f1('__subscript(a, nil, "newaxis")'), A23[:, None], A23),
            c(f1('__subscript(a, "newaxis", "...", "newaxis")'), A23[None, ..., None], A23),
            c(f1('__subscript(a, "...", 0)'), A23[..., 0], A23),
            c(f1('__subscript(a, 1, "...", 2)'), A23[1, ..., 2], A23),
            c(f1('__subscript(a, "...")'), A23[...], A23),
            c(f1('__subscript(a, "newaxis")'), np.float64(3.0)[None], np.float64(3.0)),
            # integer arrays (any shape, negative values wrap, broadcast together)
            c(f2("__subscript(a, b)"), A23[np.array([1, -2, 1])], A23, np.array([1, -2, 1])),
            c(f2("__subscript(a, nil, b)"), A23[:, I02], A23, I02),
            c(f2("__subscript(a, b, b)"), A345[I02, I02], A345, I02),
            c(f2("__subscript(a, 1, nil, b)"), A345[1, :, I02], A345, I02),
            c(f2('__subscript(a, nil, b, "newaxis", b)'), A345[:, I02, None, I02], A345, I02),
            c(f2('__subscript(a, b, "...", b)'), A345[I02, ..., I02], A345, I02),
            c(f2("__subscript(a, list(nil, nil, -1), b)"), A345[::-1, I02], A345, I02),
            c(f2("__subscript(a, nil, b)"), A345[:, I02.reshape(2, 1)], A345, I02.reshape(2, 1)),
            c(f1("__subscript(a, [1, 0], [2, 0])"), A23[[1, 0], [2, 0]], A23),
            c(
                f2("__subscript(a, b)"),
                A23[np.array([], dtype=np.int64)],
                A23,
                np.array([], np.int64),
            ),
            # boolean masks
            c(f1("__subscript(a, a > 2.0)"), A23[MASK], A23),
            c(f1("__subscript(a, nil, [true, false, true])"), A23[:, [True, False, True]], A23),
            c(f2("__subscript(a, b)"), A23[_empty_bool((2, 3))], A23, _empty_bool((2, 3))),
            c(f1("__subscript(a, true)"), A23[True], A23),
            c(f1("__subscript(a, 1, false)"), A23[1, False], A23),
            c(
                f2("__subscript(a, b, list(1, 3))"),
                A23[[False, True], 1:3],
                A23,
                np.array([False, True]),
            ),
            # errors: out of bounds, too many indices, bad masks, bad dtypes, mismatched arrays
            c(f2("__subscript(a, b)"), IndexError, A23, np.array([0, 5])),
            c(f1("__subscript(a, 0, 0, 0)"), IndexError, A23),
            c(f1("__subscript(a, [true, false, true])"), IndexError, A23),
            c(f1("__subscript(a, [0.0])"), IndexError, A23),
            c(f1("__subscript(a, [0, 1], [0, 1, 2])"), IndexError, A23),
            c(f1('__subscript(a, "...", "...")'), IndexError, A23),
            c(f1('__subscript(a, "x")'), IndexError, A23),
        ]
    ),
    "__store_subscript": Cases(
        [
            c(f1("block(store(__subscript(a, 0), 9.0), a)"), np.array([9.0, 1.0]), np.arange(2.0)),
            c(f1("block(store(__subscript(a, a > 2.0), 0), a)"), _set(A23, MASK, 0), A23),
            c(
                f1("block(store(__subscript(a, a > 2.0), [7, 8, 9]), a)"),
                _set(A23, MASK, [7, 8, 9]),
                A23,
            ),
            c(
                f2("block(store(__subscript(a, b), -1.0), a)"),
                _set(A23, (I02[:1],), -1.0),
                A23,
                I02[:1],
            ),
            c(
                f2("block(store(__subscript(a, nil, b), [[1], [2]]), a)"),
                _set(A23, (slice(None), I02), [[1], [2]]),
                A23,
                I02,
            ),
            c(
                f2("block(store(__subscript(a, b), [1, 2, 3]), a)"),
                _set(np.zeros(3), ([0, 0, 0],), [1, 2, 3]),
                np.zeros(3),
                np.array([0, 0, 0]),
            ),
            c(f1('block(store(__subscript(a, "...", 0), 5), a)'), _set(A23, (..., 0), 5), A23),
            c(
                f1('block(store(__subscript(a, nil, "newaxis"), [4, 5, 6]), a)'),
                _set(A23, (slice(None), None), [4, 5, 6]),
                A23,
            ),
            c(
                f2("block(store(__subscript(a, list(nil, nil, -1), b), [[1, 2]]), a)"),
                _set(A23, (slice(None, None, -1), I02), [[1, 2]]),
                A23,
                I02,
            ),
            c(f2("block(store(__subscript(a, b), 1), a)"), IndexError, A23, np.array([2])),
            c(f1("block(store(__subscript(a, a > 2.0), [1, 2]), a)"), ValueError, A23),
            c(f2("block(store(__subscript(a, b), [1, 2]), a)"), ValueError, A23, I02[:1]),
        ]
    ),
    "slice": Cases(
        [
            # nil, ints, '(start, stop[, step]) as NumPy reads a[rows, columns]
            c(f1("slice(a, 1)"), A23[1], A23),
            c(f1("slice(a, list(0, 2), 1)"), A23[0:2, 1], A23),
            c(f1("slice(a, nil, list(nil, nil, -1))"), A23[:, ::-1], A23),
            c(f1("slice(a, -1, -1)"), A23[-1, -1], A23),
            # a vector: the selector that is not nil selects, rows or columns
            c(f1("slice(a, 1, nil)"), np.float64(1.0), np.arange(2.0)),
            c(f1("slice(a, nil, list(1, 3))"), np.arange(4.0)[1:3], np.arange(4.0)),
            # a bool takes the whole axis or nothing; '(s) is s; a list of bools is a mask
            c(f1("slice(a, true, nil)"), A23, A23),
            c(f1("slice(a, 1, false)"), A23[1, 0:0], A23),
            c(f1("slice(a, list(1), list(true))"), A23[1], A23),
            c(f1("slice(a, list(false, true), nil)"), A23[[False, True]], A23),
            c(f1("slice(a, nil, list(0, 2, 0, 1))"), A23[:, [0, 2, 0, 1]], A23),
            # a 0-d value: a selector picking its one element gives it
            c(f1("slice(a, -1)"), np.float64(3.0), np.float64(3.0)),
            c(f1("slice(a, 1)"), IndexError, np.float64(3.0)),
            c(f1("slice(a, 2, nil)"), IndexError, np.arange(2.0)),
            c(f1("slice(a, list(true, false), nil)"), IndexError, A23[0]),
        ]
    ),
    # Phylanx's one-axis slices
    "slice_row": Cases(
        [
            c(f1("slice_row(a, 1)"), A23[1], A23),
            c(f1("slice_row(a, list(0, 2, 1))"), A23[0:2], A23),
            c(f1("slice_row(a, 5)"), IndexError, A23),
        ]
    ),
    "slice_column": Cases(
        [
            c(f1("slice_column(a, 2)"), A23[:, 2], A23),
            c(f1("slice_column(a, list(false, true, true))"), A23[:, 1:], A23),
            c(f1("slice_column(a, list(1, 3))"), np.arange(4.0)[1:3], np.arange(4.0)),
        ]
    ),
    "slice_page": Cases(
        [
            c(
                f1("slice_page(a, -1)"),
                np.arange(12.0).reshape(2, 2, 3)[-1],
                np.arange(12.0).reshape(2, 2, 3),
            ),
            c(f1("slice_page(a, 0)"), IndexError, A23),
        ]
    ),
    "__store_slice": Cases(
        [
            c(f1("block(store(slice(a, 0), 9.0), a)"), np.array([9.0, 1.0]), np.arange(2.0)),
            c(f1("block(store(slice(a, nil, 1), 9.0), a)"), np.array([0.0, 9.0]), np.arange(2.0)),
            c(f1("block(store(slice(a, true, nil), 7), a)"), np.full(2, 7.0), np.arange(2.0)),
            c(f1("block(store(slice(a, false, nil), 7), a)"), np.arange(2.0), np.arange(2.0)),
            c(
                f1("block(store(slice(a, list(true, false), list(0, 2)), 5), a)"),
                _set(A23, (0, slice(0, 2)), 5),
                A23,
            ),
            c(f1("block(store(slice(a, 0, nil), 4.0), a)"), np.float64(4.0), np.float64(3.0)),
            c(f1("block(store(slice(a, 3, nil), 1), a)"), IndexError, np.arange(2.0)),
        ]
    ),
    "__iter_at": Cases(
        [
            c(f1("__iter_at(a, 1)"), A23[1], A23),
            c(f1("__iter_at(a, true)"), A23[True], A23),
            c("__iter_at(dict(list(list(3, 30), list(1, 10))), 1)", 1),
            c("__iter_at(list(7, 8), -1)", 8),
            c("__iter_at(dict(list(list(3, 30))), 1)", IndexError),
        ]
    ),
}
