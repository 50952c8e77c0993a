"""Table rows of the random primitives (primitives/random.cpp).

The random state is global to the process, so every program seeds first: the rows do not depend on
the order the tests run in. The references are NumPy's legacy RandomState (the generator behind the
global np.random) seeded the same way; test_random.py compares bit for bit.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from table_support import Cases, Row, c, f1


def _ref(seed: Any, draw: Callable[[np.random.RandomState], Any]) -> Any:
    return draw(np.random.RandomState(seed))


def _shuffled(seed: int, x: np.ndarray) -> np.ndarray:
    x = np.array(x)
    np.random.RandomState(seed).shuffle(x)
    return x


ROWS: dict[str, Row] = {
    "set_seed": Cases(
        [
            c("block(set_seed(42), rand(3))", _ref(42, lambda r: r.rand(3))),
            c("block(seed(7), seed(7), rand(2))", _ref(7, lambda r: r.rand(2))),
            c("block(seed('(1, 2, 3)), rand(2))", _ref([1, 2, 3], lambda r: r.rand(2))),
            c("seed(-1)", ValueError),
            c("seed(4294967296)", ValueError),
            c("seed(1.5)", TypeError),
            c("seed(list())", ValueError),
            c("seed([[1, 2], [3, 4]])", ValueError),
        ]
    ),
    "get_seed": Cases(
        [
            c("block(seed(123), get_seed())", 123),
            c("block(seed('(1, 2)), get_seed())", [1, 2]),
        ]
    ),
    "random_sample": Cases(
        [
            c("block(seed(0), random_sample())", _ref(0, lambda r: r.random_sample())),
            c("block(seed(0), random_sample('(2, 3)))", _ref(0, lambda r: r.random_sample((2, 3)))),
            c("block(seed(5), random(4))", _ref(5, lambda r: r.random(4))),
            c("random_sample(-1)", ValueError),
            c("random_sample(2.5)", TypeError),
        ]
    ),
    "rand": Cases(
        [
            c("block(seed(42), rand(3, 2))", _ref(42, lambda r: r.rand(3, 2))),
            c("block(seed(42), rand())", _ref(42, lambda r: r.rand())),
            c("block(seed(1), rand(0))", _ref(1, lambda r: r.rand(0))),
            c("rand(-1)", ValueError),
            c("rand(2.0)", TypeError),
        ]
    ),
    "randn": Cases(
        [
            c("block(seed(0), randn(3, 2))", _ref(0, lambda r: r.randn(3, 2))),
            c("block(seed(0), randn())", _ref(0, lambda r: r.randn())),
            c("randn(2, -3)", ValueError),
        ]
    ),
    "standard_normal": Cases(
        [
            c("block(seed(3), standard_normal(5))", _ref(3, lambda r: r.standard_normal(5))),
            c("standard_normal(-2)", ValueError),
        ]
    ),
    "uniform": Cases(
        [
            c("block(seed(9), uniform(-2, 3, 4))", _ref(9, lambda r: r.uniform(-2, 3, 4))),
            c("block(seed(9), uniform())", _ref(9, lambda r: r.uniform())),
            c(
                "block(seed(9), uniform([0.0, 10.0], 20.0))",
                _ref(9, lambda r: r.uniform([0.0, 10.0], 20.0)),
            ),
            c("uniform(0, 1e999)", OverflowError),
            c("uniform([0, 1], 2, 3)", ValueError),
        ]
    ),
    "normal": Cases(
        [
            c("block(seed(2), normal(5, 2, '(2, 2)))", _ref(2, lambda r: r.normal(5, 2, (2, 2)))),
            c("block(seed(2), normal())", _ref(2, lambda r: r.normal())),
            c(
                "block(seed(2), normal([0.0, 100.0], __arg(size, '(3, 2))))",
                _ref(2, lambda r: r.normal([0.0, 100.0], size=(3, 2))),
            ),
            c("normal(0, -1)", ValueError),
        ]
    ),
    "poisson": Cases(
        [
            c("block(seed(2), poisson(3.5, 6))", _ref(2, lambda r: r.poisson(3.5, 6))),
            c("block(seed(2), poisson(25.0, '(2, 2)))", _ref(2, lambda r: r.poisson(25.0, (2, 2)))),
            c("block(seed(2), poisson())", _ref(2, lambda r: r.poisson())),
            c(
                "block(seed(2), poisson([0.0, 4.0, 80.0]))",
                _ref(2, lambda r: r.poisson([0, 4, 80])),
            ),
            c("poisson(-1.0)", ValueError),
            c("poisson(1e19)", ValueError),
        ]
    ),
    "binomial": Cases(
        [
            c("block(seed(2), binomial(10, 0.3, 6))", _ref(2, lambda r: r.binomial(10, 0.3, 6))),
            c("block(seed(2), binomial(500, 0.6, 4))", _ref(2, lambda r: r.binomial(500, 0.6, 4))),
            c("block(seed(2), binomial(8, 0.5))", _ref(2, lambda r: r.binomial(8, 0.5))),
            c(
                "block(seed(2), binomial([[3], [300]], [0.2, 0.9]))",
                _ref(2, lambda r: r.binomial([[3], [300]], [0.2, 0.9])),
            ),
            c("binomial(3, 1.5)", ValueError),
            c("binomial(-3, 0.5)", ValueError),
        ]
    ),
    "randint": Cases(
        [
            c(
                "block(seed(4), randint(10, __arg(size, 6)))",
                _ref(4, lambda r: r.randint(10, size=6)),
            ),
            c("block(seed(4), randint(-5, 5))", _ref(4, lambda r: r.randint(-5, 5))),
            c(
                "block(seed(4), randint(0, 1099511627776, 3))",
                _ref(4, lambda r: r.randint(0, 2**40, 3)),
            ),
            c(
                'block(seed(4), randint(0, 2, 5, "bool"))',
                _ref(4, lambda r: r.randint(0, 2, 5, dtype=bool)),
            ),
            c("randint(5, 5)", ValueError),
            c("randint(0)", ValueError),
            c('randint(0, 2, 3, "float64")', TypeError),
        ]
    ),
    "shuffle": Cases(
        [
            c(f1("block(seed(6), shuffle(a))"), _shuffled(6, np.arange(10)), np.arange(10)),
            c(
                f1("block(seed(6), shuffle(a))"),
                _shuffled(6, np.arange(12.0).reshape(4, 3)),
                np.arange(12.0).reshape(4, 3),
            ),
            c("shuffle(5)", TypeError),
        ]
    ),
    "permutation": Cases(
        [
            c("block(seed(8), permutation(7))", _ref(8, lambda r: r.permutation(7))),
            c(
                "block(seed(8), permutation([3, 1, 2, 9]))",
                _ref(8, lambda r: r.permutation([3, 1, 2, 9])),
            ),
            c("permutation(5.0)", IndexError),
        ]
    ),
}
