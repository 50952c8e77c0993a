"""Rows of the primitive table (test_primitives_table.py) for the distributed primitives, run in one
process (rank 0 of 1); tests/python/test_distributed.py runs them on several ranks."""

from __future__ import annotations

import numpy as np
from table_support import Cases, c

ROWS = {
    "find_here": Cases([c("find_here()", 0), c("locality()", 0)]),
    "num_localities": Cases([c("num_localities()", 1)]),
    "all_gather_d": Cases(
        [
            c("all_gather_d(3)", 3),
            c("all_gather_d(constant_d(2.0, list(3, 2)))", np.full((3, 2), 2.0)),
            c(
                'all_gather_d(annotate_d(list(1.0, 2.0), "x",'
                ' list("tile", list("columns", 0, 2))))',
                np.array([1.0, 2.0]),
            ),
        ]
    ),
    "local_d": Cases(
        [
            c("local_d(constant_d(2.0, list(3)))", np.full(3, 2.0)),
            c("local_d(list(1, 2))", [1, 2]),
        ]
    ),
    "from_tiles_d": Cases(
        [
            c("all_gather_d(from_tiles_d([[1.0, 2.0]], 1))", np.array([[1.0, 2.0]])),
            c("shape(from_tiles_d([1, 2, 3]))", [3]),
            c("from_tiles_d(5)", ValueError),
            c("from_tiles_d([1, 2], 1)", np.exceptions.AxisError),
        ]
    ),
    "random_d": Cases(
        [
            c("shape(random_d(list(5, 3)))", [5, 3]),
            # std 0: every draw is the mean
            c('all_gather_d(random_d(list(2, 2), 0, 1, "r", "row", 1.0, 0.0))', np.ones((2, 2))),
            c("random_d(list(0, 3))", ValueError),
            c("random_d(4, 1)", ValueError),
        ]
    ),
    "retile_d": Cases(
        [
            c("all_gather_d(retile_d(constant_d(3.0, list(2, 4)), 1))", np.full((2, 4), 3.0)),
            c('all_gather_d(retile_d([[1, 2], [3, 4]], "column"))', np.array([[1, 2], [3, 4]])),
            c(
                'all_gather_d(retile_d([1.0, 2.0], list("tile", list("columns", 0, 2))))',
                np.array([1.0, 2.0]),
            ),
            c('retile_d([1.0, 2.0], list("tile", list("columns", 0, 1)))', ValueError),
            c("retile_d([1.0, 2.0], 3)", np.exceptions.AxisError),
        ]
    ),
    "constant_d": Cases(
        [
            c(
                'all_gather_d(constant_d(7, list(4), 0, 1, "v", "row", nil, "int64"))',
                np.full(4, 7),
            ),
            c('constant_d(1.0, list(2, 2), 0, 1, "", "diagonal")', ValueError),
            c("constant_d(1.0, list(2, 2), 1)", ValueError),
            c("constant_d(1.0, list(2, 2), 0, 3)", ValueError),
        ]
    ),
}
