"""Primitive table rows: & | ^ ~ (bitwise.cpp) and the Python conversions (conversions.cpp)."""

from __future__ import annotations

import numpy as np
from table_support import BOOL, I64, Cases, Elementwise, c, f1

ROWS = {
    "bitwise_and": Elementwise(np.bitwise_and, 2, (BOOL, I64)),
    "bitwise_or": Elementwise(np.bitwise_or, 2, (BOOL, I64)),
    "bitwise_xor": Elementwise(np.bitwise_xor, 2, (BOOL, I64)),
    "invert": Elementwise(np.invert, 1, (BOOL, I64)),
    # Counts of -5..5: a negative count shifts every bit out, as NumPy's.
    "left_shift": Elementwise(np.left_shift, 2, (BOOL, I64)),
    "right_shift": Elementwise(np.right_shift, 2, (BOOL, I64)),
    "view": Cases(
        [
            c(f1('view(a, "int64")'), np.arange(3.0).view(np.int64), np.arange(3.0)),
            c(
                f1('view(a, "uint64")'),
                np.array([-1.5, 0.0]).view(np.uint64),
                np.array([-1.5, 0.0]),
            ),
            c(
                f1('view(a, "int8")'),
                np.array([200, 3], np.uint8).view(np.int8),
                np.array([200, 3], np.uint8),
            ),
            c(
                f1('view(a, "float32")'),
                np.arange(4, dtype=np.int32).view(np.float32),
                np.arange(4, dtype=np.int32),
            ),
            c(
                f1('view(transpose(a), "int64")'),
                np.arange(6.0).reshape(2, 3).T.view(np.int64),
                np.arange(6.0).reshape(2, 3),
            ),
            c(f1('view(a, "float32")'), ValueError, np.arange(3.0)),
            c(f1('view(a, "bool")'), TypeError, np.arange(3, dtype=np.uint8)),
            c(f1('view(a, "int3")'), TypeError, np.arange(3.0)),
        ]
    ),
    "__float": Cases(
        [
            c("__float(3)", 3.0),
            c("__float(true)", 1.0),
            c('__float(" 1.5 ")', 1.5),
            c('__float("-inf")', float("-inf")),
            c('__float("1e3")', 1000.0),
            c(f1("__float(a)"), 2.5, np.array(2.5)),
            c(f1("__float(a)"), 7.0, np.array([7])),
            c('__float("x1")', ValueError),
            c(f1("__float(a)"), TypeError, np.arange(3.0)),
            c("__float(list(1))", TypeError),
        ]
    ),
    "__int": Cases(
        [
            c("__int(2.9)", 2),
            c("__int(-2.9)", -2),
            c("__int(false)", 0),
            c('__int("-42")', -42),
            c(f1("__int(a)"), 3, np.array(3.7)),
            c(f1("__int(a)"), 1, np.array([True])),
            c('__int("4.5")', ValueError),
            c(f1("__int(a)"), ValueError, np.array(np.nan)),
            c(f1("__int(a)"), OverflowError, np.array(np.inf)),
        ]
    ),
    "__bool": Cases(
        [
            c("__bool(0)", False),
            c('__bool("")', False),
            c("__bool(list(0))", True),
            c(f1("__bool(a)"), True, np.array([2.0])),
            c(f1("__bool(a)"), ValueError, np.array([1.0, 2.0])),
        ]
    ),
    "__round": Cases(
        [
            c("__round(2.5)", 2),
            c("__round(3.5)", 4),
            c("__round(-2.5)", -2),
            c("__round(2.675, 2)", np.round(2.675, 2)),
            c("__round(7)", 7),
            c("__round(true)", 1),
            c(f1("__round(a)"), np.round(np.array([0.5, 1.5, 2.4])), np.array([0.5, 1.5, 2.4])),
            c(f1("__round(a, 1)"), np.round(np.array([0.25, 1.37]), 1), np.array([0.25, 1.37])),
            c('__round(__float("nan"))', ValueError),
            c('__round(__float("inf"))', OverflowError),
        ]
    ),
    "dtype": Cases(
        [
            c(f1("dtype(a)"), "float32", np.zeros(2, np.float32)),
            c(f1("dtype(a)"), "int64", np.zeros(2, np.int64)),
            c(f1("dtype(a)"), "bool", np.zeros(2, bool)),
            c("dtype(1.0)", "float64"),
            c("dtype(true)", "bool"),
            c("dtype(list(1, 2))", "int64"),
            c('dtype("s")', TypeError),
        ]
    ),
}
