"""Every registered primitive against NumPy (or against a small program's expected value).

ONE table, ``ROWS``, maps each primitive's PhySL name to a row. Numeric rows run the primitive over
shapes (0-d, 1-d, 2-d, 3-d, empty; broadcasting pairs for binary ops) x dtypes (bool, int64,
float32, float64) and compare with NumPy: same dtype, same shape, values within rtol 1e-12 (float64)
or 1e-5 (float32); where NumPy raises, Larix must raise the same builtin class. Other primitives
(lists, dicts, control flow, output, ...) get ``Cases``: PhySL programs and their expected values.
Families may keep their rows in ``table_rows_<family>.py`` modules (see ``table_support.py``);
they are merged into ``ROWS``. ``test_every_primitive_has_a_row`` fails when a registered
primitive has no row.

Where Larix differs from NumPy on purpose (it has no float16 or int8), ``expected_dtype`` maps
NumPy's dtype to Larix's and the reference is computed in that dtype.
"""

from __future__ import annotations

import importlib
import itertools
import math
import warnings
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest
from table_support import (
    BOOL,
    F32,
    F64,
    I64,
    NUMBERS,
    PAIRS,
    SHAPES,
    Cases,
    Elementwise,
    Reduction,
    Row,
    c,
    f1,
    f2,
)

import larix

A23 = np.arange(6.0).reshape(2, 3)
SPD = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
NESTED = [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]


def tree(depth: int, start: int = 0) -> Any:
    """Nested lists deep and wide enough for every c[ad]{1,4}r."""
    if depth == 0:
        return start
    width = 5
    return [tree(depth - 1, start * width + i) for i in range(width)]


TREE = tree(4)


def physl_list(v: Any) -> str:
    return "'(" + ", ".join(map(physl_list, v)) + ")" if isinstance(v, list) else str(v)


def cxr(name: str, value: Any) -> Any:
    for op in reversed(name[1:-1]):
        value = value[0] if op == "a" else value[1:]
    return value


def npfn(name: str) -> Callable:
    return getattr(np, name)


UNARY_DOMAIN = {
    "log": "pos",
    "log2": "pos",
    "log10": "pos",
    "sqrt": "pos",
    "log1p": "pos",
    "arcsin": "unit",
    "arccos": "unit",
    "arctanh": "unit",
    "arccosh": "ge1",
}
FLOAT_UNARY = (
    "expm1 exp2 log log2 log10 log1p sqrt cbrt sin cos tan arcsin arccos arctan sinh cosh tanh "
    "arcsinh arccosh arctanh rint"
).split()


# Phylanx's element-wise functions NumPy does not have, in NumPy terms.
def _exp10(x: np.ndarray) -> np.ndarray:
    return np.power(np.asarray(10, dtype=np.exp2(np.asarray(x)).dtype), x)


def _invsqrt(x: np.ndarray) -> np.ndarray:
    r = np.sqrt(x)
    return np.asarray(1, dtype=r.dtype) / r


def _invcbrt(x: np.ndarray) -> np.ndarray:
    r = np.cbrt(x)
    return np.asarray(1, dtype=r.dtype) / r


def _sigmoid(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    if x.dtype.kind in "biu":
        x = x.astype(np.float64)
    return (1 / (1 + np.exp(-x))).astype(x.dtype)


def _relu(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    return x if x.dtype == bool else np.maximum(x, x.dtype.type(0))


def _clip(a, lo, hi):
    return np.clip(a, lo, hi)


CORE_ROWS: dict[str, Row] = {
    # ---- arithmetic, comparison, logic (element-wise) ----
    "__add": Elementwise(np.add, 2),
    "__sub": Elementwise(np.subtract, 2),
    "__mul": Elementwise(np.multiply, 2),
    "__div": Elementwise(np.true_divide, 2, NUMBERS, "nonzero"),
    "__floordiv": Elementwise(np.floor_divide, 2, NUMBERS, "nonzero"),
    "__mod": Elementwise(np.remainder, 2, NUMBERS, "nonzero"),
    "power": Elementwise(np.power, 2, domain="pos"),  # integers: exponents >= 0, else ValueError
    "__minus": Elementwise(np.negative, 1, NUMBERS),
    "__eq": Elementwise(np.equal, 2),
    "__ne": Elementwise(np.not_equal, 2),
    "__lt": Elementwise(np.less, 2),
    "__le": Elementwise(np.less_equal, 2),
    "__gt": Elementwise(np.greater, 2),
    "__ge": Elementwise(np.greater_equal, 2),
    "__and": Elementwise(np.logical_and, 2),
    "__or": Elementwise(np.logical_or, 2),
    "__xor": Elementwise(np.logical_xor, 2),
    "__not": Elementwise(np.logical_not, 1),
    "exp": Elementwise(np.exp),
    # ---- unary_math ----
    **{name: Elementwise(npfn(name), domain=UNARY_DOMAIN.get(name, "any")) for name in FLOAT_UNARY},
    "absolute": Elementwise(np.absolute),
    "square": Elementwise(np.square),
    "sign": Elementwise(np.sign),
    "floor": Elementwise(np.floor),
    "ceil": Elementwise(np.ceil),
    "trunc": Elementwise(np.trunc),
    "relu": Elementwise(_relu),
    "sigmoid": Elementwise(_sigmoid),
    "isnan": Elementwise(np.isnan),
    "isposinf": Elementwise(np.isposinf),
    "isneginf": Elementwise(np.isneginf),
    "exp10": Elementwise(_exp10),
    "invsqrt": Elementwise(_invsqrt, domain="pos"),
    "invcbrt": Elementwise(_invcbrt, domain="nonzero"),
    "isinf": Elementwise(np.isinf),
    "isfinite": Elementwise(np.isfinite),
    # ---- binary_math ----
    "maximum": Elementwise(np.maximum, 2),
    "minimum": Elementwise(np.minimum, 2),
    "arctan2": Elementwise(np.arctan2, 2),
    "where": Elementwise(np.where, 3),
    "clip": Elementwise(_clip, 3, NUMBERS, call="clip(a, minimum(b, c), maximum(b, c))"),
    # ---- reductions ----
    "sum": Reduction(np.sum, extra="", ref_extra={}),
    "prod": Reduction(np.prod),
    "amax": Reduction(np.max, empty_ok=False),
    "amin": Reduction(np.min, empty_ok=False),
    "any": Reduction(np.any),
    "all": Reduction(np.all),
    "count_nonzero": Reduction(np.count_nonzero),
    "argmax": Reduction(np.argmax, axis_kinds="one", empty_ok=False),
    "argmin": Reduction(np.argmin, axis_kinds="one", empty_ok=False),
    "mean": Reduction(np.mean),
    "var": Reduction(np.var, extra=", __arg(ddof, 1)", ref_extra={"ddof": 1}),
    "std": Reduction(np.std),
    "cumsum": Reduction(np.cumsum, axis_kinds="one", keepdims=False),
    "cumprod": Reduction(np.cumprod, axis_kinds="one", keepdims=False),
    # ---- creation ----
    "constant": Cases(
        [
            c("constant(1.5, '(2, 3))", np.full((2, 3), 1.5)),
            c("constant(2, 3)", np.full(3, 2)),
            c('constant(1, list(2), "float32")', np.ones(2, np.float32)),
        ]
    ),
    "zeros": Cases(
        [
            c("zeros('(2, 3))", np.zeros((2, 3))),
            c('zeros(4, "int64")', np.zeros(4, np.int64)),
            c("zeros('())", np.zeros(())),
            c(f1("zeros(a)"), np.zeros((3, 0)), np.array([3, 0])),
            c("zeros(-1)", ValueError),
        ]
    ),
    "ones": Cases(
        [c("ones('(2, 3))", np.ones((2, 3))), c('ones(3, __arg(dtype, "bool"))', np.ones(3, bool))]
    ),
    "empty": Cases(
        [c("empty('(2, 2))", np.zeros((2, 2))), c('empty(0, "float32")', np.empty(0, np.float32))]
    ),
    "full": Cases(
        [
            c("full('(2, 2), 7)", np.full((2, 2), 7)),
            c("full(3, 2.5)", np.full(3, 2.5)),
            c("full(2, true)", np.full(2, True)),
            c('full(2, 1, "float32")', np.full(2, 1, np.float32)),
        ]
    ),
    "zeros_like": Cases(
        [
            c(f1("zeros_like(a)"), np.zeros((2, 3)), A23),
            c(f1('zeros_like(a, "int64")'), np.zeros(3, np.int64), np.ones(3)),
        ]
    ),
    "ones_like": Cases(
        [
            c(f1("ones_like(a)"), np.ones((2, 3)), A23),
            c(f1("ones_like(a)"), np.ones(3, np.float32), np.zeros(3, np.float32)),
        ]
    ),
    "empty_like": Cases([c(f1("empty_like(a)"), np.zeros((2, 3)), A23)]),
    "full_like": Cases(
        [
            c(f1("full_like(a, 2.5)"), np.full((2, 3), 2.5), A23),
            c(f1("full_like(a, 2.5)"), np.full(3, 2), np.arange(3)),
        ]
    ),
    "constant_like": Cases([c(f1("constant_like(4, a)"), np.full((2, 3), 4.0), A23)]),
    "identity": Cases(
        [c("identity(3)", np.identity(3)), c('identity(2, "int64")', np.identity(2, np.int64))]
    ),
    "eye": Cases(
        [
            c("eye(3)", np.eye(3)),
            c("eye(3, 4, 1)", np.eye(3, 4, k=1)),
            c("eye(4, 3, -2)", np.eye(4, 3, k=-2)),
            c('eye(2, __arg(dtype, "bool"))', np.eye(2, dtype=bool)),
            c("eye(2, 3, 5)", np.eye(2, 3, k=5)),
        ]
    ),
    "arange": Cases(
        [
            c("arange(5)", np.arange(5)),
            c("arange(2, 11, 3)", np.arange(2, 11, 3)),
            c("arange(5, 0, -2)", np.arange(5, 0, -2)),
            c("arange(0.0, 1.0, 0.1)", np.arange(0.0, 1.0, 0.1)),
            c("arange(1, 2, 0.3)", np.arange(1, 2, 0.3)),
            c("arange(-3.5)", np.arange(-3.5)),
            c('arange(4, __arg(dtype, "float32"))', np.arange(4, dtype=np.float32)),
            c("arange(0, 5, 0)", ZeroDivisionError),
        ]
    ),
    "linspace": Cases(
        [
            c("linspace(0, 1, 5)", np.linspace(0, 1, 5)),
            c("linspace(2.0, 3.0)", np.linspace(2.0, 3.0)),
            c("linspace(0, 1, 4, false)", np.linspace(0, 1, 4, endpoint=False)),
            c("linspace(1, 1, 3)", np.linspace(1, 1, 3)),
            c("linspace(0, 10, 1)", np.linspace(0, 10, 1)),
            c("linspace(0, 10, 0)", np.linspace(0, 10, 0)),
            c('linspace(0, 1, 5, __arg(dtype, "int64"))', np.linspace(0, 1, 5, dtype=np.int64)),
        ]
    ),
    "array": Cases(
        [
            c("array('(1, 2, 3))", np.array([1, 2, 3])),
            c("array('('(1.0, 2), '(3, 4)))", np.array([[1.0, 2], [3, 4]])),
            c('array(\'(1, 2), "float32")', np.array([1, 2], np.float32)),
            c(
                f2("array(list(a, b))"),
                np.array([[0.0, 1, 2], [1, 1, 1]]),
                np.arange(3.0),
                np.ones(3),
            ),
            c(f1("array(a)"), A23, A23),
            c("array(true)", np.array(True)),
        ]
    ),
    # ---- shape ops ----
    "shape": Cases(
        [c(f1("shape(a)"), [2, 3], A23), c(f1("shape(a, -1)"), 3, A23), c("shape(1)", [])]
    ),
    "transpose": Cases(
        [
            c(f1("transpose(a)"), A23.T, A23),
            c(f1("transpose(a, '(1, 0, 2))"), np.zeros((3, 2, 4)), np.zeros((2, 3, 4))),
            c(f1("transpose(a)"), np.float64(1), np.float64(1)),
        ]
    ),
    "reshape": Cases(
        [
            c(f1("reshape(a, '(3, 2))"), A23.reshape(3, 2), A23),
            c(f1("reshape(a, -1)"), A23.ravel(), A23),
            c(f1("reshape(a, '(-1, 1))"), A23.T.reshape(-1, 1), A23.T),
            c(f1("reshape(a, 4)"), ValueError, A23),
        ]
    ),
    "ravel": Cases(
        [c(f1("ravel(a)"), A23.T.ravel(), A23.T), c(f1("ravel(a)"), np.array([2.0]), np.float64(2))]
    ),
    "flatten": Cases(
        [
            c(f1("flatten(a)"), A23.flatten(), A23),
            c(f1('flatten(a, "F")'), A23.flatten("F"), A23),
            c(f1('flatten(transpose(a), "F")'), A23.T.flatten("F"), A23),
            c(f1('flatten(a, "K")'), A23.flatten("K"), A23),
            c(f1('flatten(a, "X")'), ValueError, A23),
        ]
    ),
    "squeeze": Cases(
        [
            c(f1("squeeze(a)"), np.zeros(3), np.zeros((1, 3, 1))),
            c(f1("squeeze(a, -1)"), np.zeros((1, 3)), np.zeros((1, 3, 1))),
            c(f1("squeeze(a, 1)"), ValueError, np.zeros((1, 3, 1))),
        ]
    ),
    "expand_dims": Cases(
        [
            c(f1("expand_dims(a, 0)"), A23[None], A23),
            c(f1("expand_dims(a, '(0, -1))"), A23[None, :, :, None], A23),
            c(f1("expand_dims(a, 4)"), np.exceptions.AxisError, A23),
        ]
    ),
    "swapaxes": Cases(
        [
            c(
                f1("swapaxes(a, 0, -1)"),
                np.swapaxes(np.arange(24).reshape(2, 3, 4), 0, -1),
                np.arange(24).reshape(2, 3, 4),
            )
        ]
    ),
    "flip": Cases(
        [
            c(f1("flip(a)"), np.flip(A23), A23),
            c(f1("flip(a, 1)"), np.flip(A23, 1), A23),
            c(f1("flip(a, 0) + 1"), np.flip(A23, 0) + 1, A23),
        ]
    ),
    "fliplr": Cases(
        [c(f1("fliplr(a)"), np.fliplr(A23), A23), c(f1("fliplr(a)"), ValueError, np.ones(3))]
    ),
    "flipud": Cases([c(f1("flipud(a)"), np.flipud(A23), A23)]),
    "astype": Cases(
        [
            c(f1('astype(a, "int64")'), np.array([1, -1, 2]), np.array([1.7, -1.2, 2.0])),
            c(f1('astype(a, "bool")'), np.array([True, False]), np.array([0.5, 0.0])),
            c(f1('astype(a, "float32")'), A23.astype(np.float32), A23),
        ]
    ),
    "copy": Cases([c(f1("copy(a)"), A23.T.copy(), A23.T)]),
    "ndim": Cases([c(f1("ndim(a)"), 2, A23), c("ndim(1)", 0)]),
    "size": Cases([c(f1("size(a)"), 6, A23), c("size('(1, 2))", 2)]),
    "concatenate": Cases(
        [
            c(f2("concatenate(list(a, b))"), np.concatenate([A23, A23 * 2]), A23, A23 * 2),
            c(
                f2("concatenate(list(a, b), 1)"),
                np.concatenate([A23, np.ones((2, 1), int)], 1),
                A23,
                np.ones((2, 1), int),
            ),
            c(
                f2("concatenate(list(a, b), nil)"),
                np.concatenate([A23, np.ones(2)], None),
                A23,
                np.ones(2),
            ),
            c(f2("concatenate(list(a, b))"), ValueError, A23, np.ones(2)),
        ]
    ),
    "stack": Cases(
        [
            c(
                f2("stack(list(a, b))"),
                np.stack([np.ones(3), np.zeros(3)]),
                np.ones(3),
                np.zeros(3),
            ),
            c(f2("stack(list(a, b), -1)"), np.stack([A23, A23], -1), A23, A23),
            # Phylanx: a list of one array stacks that array's first axis (numpy.stack(a))
            c(f1("stack(list(a))"), np.stack(np.arange(3.0)), np.arange(3.0)),
            c(f1("stack(list(a), 1)"), np.stack(A23, 1), A23),
            c(f1("stack(list(a, a), 1)"), np.stack([A23, A23], 1), A23),
            c("stack(list(1.0, 2.0))", np.array([1.0, 2.0])),
        ]
    ),
    "__stack": Cases(
        [
            c(f1("__stack(list(a))"), np.stack([np.arange(3.0)]), np.arange(3.0)),
            c(f1("__stack(list(a), 1)"), np.stack([A23], 1), A23),
            c(f1("__stack(a, 1)"), np.stack(A23, 1), A23),
            c(f2("__stack(list(a, b))"), ValueError, A23, np.ones(2)),
        ]
    ),
    "hstack": Cases(
        [
            c(
                f2("hstack(list(a, b))"),
                np.hstack([np.ones(2), np.arange(3)]),
                np.ones(2),
                np.arange(3),
            ),
            c(f2("hstack(list(a, b))"), np.hstack([A23, A23]), A23, A23),
        ]
    ),
    "vstack": Cases(
        [
            c(
                f2("vstack(list(a, b))"),
                np.vstack([np.ones(3), np.arange(3)]),
                np.ones(3),
                np.arange(3),
            ),
            c(f2("vstack(list(a, b))"), np.vstack([A23, np.ones(3)]), A23, np.ones(3)),
        ]
    ),
    # ---- linear algebra ----
    "dot": Cases(
        [
            c(f2("dot(a, b)"), np.dot(A23, A23.T), A23, A23.T),
            c(f2("dot(a, b)"), np.dot(np.arange(3), np.arange(3.0)), np.arange(3), np.arange(3.0)),
            c(f2("dot(a, b)"), ValueError, A23, A23),
        ]
    ),
    "matmul": Cases(
        [
            c(f2("matmul(a, b)"), A23 @ A23.T, A23, A23.T),
            c(f2("matmul(a, b)"), np.arange(3.0) @ A23.T, np.arange(3.0), A23.T),
            c(f2("matmul(a, b)"), A23 @ np.arange(3.0), A23, np.arange(3.0)),
            c(
                f2("matmul(a, b)"),
                np.arange(24).reshape(2, 3, 4) @ np.arange(8).reshape(4, 2),
                np.arange(24).reshape(2, 3, 4),
                np.arange(8).reshape(4, 2),
            ),
            c(
                f2("matmul(a, b)"),
                np.ones((2, 1, 3, 4)) @ np.ones((5, 4, 2)),
                np.ones((2, 1, 3, 4)),
                np.ones((5, 4, 2)),
            ),
            c(f2("matmul(a, b)"), ValueError, A23, A23),
            c(f2("matmul(a, b)"), ValueError, np.float64(2), A23),
        ]
    ),
    "outer": Cases([c(f2("outer(a, b)"), np.outer(np.arange(3), A23), np.arange(3), A23)]),
    "inner": Cases(
        [
            c(f2("inner(a, b)"), np.inner(np.arange(3.0), np.ones(3)), np.arange(3.0), np.ones(3)),
            c(f2("inner(a, b)"), np.inner(A23, np.ones((4, 3))), A23, np.ones((4, 3))),
            c(f2("inner(a, b)"), np.inner(np.ones((2, 2, 3)), A23), np.ones((2, 2, 3)), A23),
        ]
    ),
    "trace": Cases(
        [
            c(f1("trace(a)"), np.trace(A23), A23),
            c(f1("trace(a, 1)"), np.trace(A23, 1), A23),
            c(
                f1("trace(a, -1)"),
                np.trace(np.arange(9).reshape(3, 3), -1),
                np.arange(9).reshape(3, 3),
            ),
            c(
                f1("trace(a, 0, 1, 2)"),
                np.trace(np.arange(24).reshape(2, 3, 4), 0, 1, 2),
                np.arange(24).reshape(2, 3, 4),
            ),
        ]
    ),
    "diag": Cases(
        [
            c(f1("diag(a)"), np.diag(np.arange(3)), np.arange(3)),
            c(f1("diag(a, 1)"), np.diag(np.arange(3.0), 1), np.arange(3.0)),
            c(f1("diag(a, -2)"), np.diag(np.arange(3.0), -2), np.arange(3.0)),
            c(f1("diag(a)"), np.diag(A23), A23),
            c(f1("diag(a, 1)"), np.diag(A23, 1), A23),
            c(f1("diag(a, -1)"), np.diag(A23, -1), A23),
        ]
    ),
    "inverse": Cases(
        [
            c(f1("inverse(a)"), np.linalg.inv(SPD), SPD),
            c(f1("inv(a)"), np.linalg.inv(np.array([[1, 2], [3, 4]])), np.array([[1, 2], [3, 4]])),
            c(f1("inv(a)"), np.linalg.inv(SPD.astype(np.float32)), SPD.astype(np.float32)),
            c(f1("inv(a)"), np.linalg.inv(np.stack([SPD, 2 * SPD])), np.stack([SPD, 2 * SPD])),
            c(f1("inv(a)"), np.linalg.LinAlgError, np.ones((2, 2))),
        ]
    ),
    "solve": Cases(
        [
            c(f2("solve(a, b)"), np.linalg.solve(SPD, np.arange(3.0)), SPD, np.arange(3.0)),
            c(f2("solve(a, b)"), np.linalg.solve(SPD, A23.T), SPD, A23.T),
            c(f2("solve(a, b)"), np.linalg.LinAlgError, np.ones((3, 3)), np.arange(3.0)),
        ]
    ),
    "determinant": Cases(
        [
            c(f1("det(a)"), np.linalg.det(SPD), SPD),
            c(
                f1("determinant(a)"),
                np.linalg.det(np.array([[1, 2], [3, 4]])),
                np.array([[1, 2], [3, 4]]),
            ),
            c(f1("det(a)"), np.linalg.det(np.ones((3, 3))), np.ones((3, 3))),
            c(f1("det(a)"), np.linalg.det(np.stack([SPD, -SPD])), np.stack([SPD, -SPD])),
            c(f1("det(a)"), np.linalg.LinAlgError, A23),
        ]
    ),
    "normalize": Cases(
        [
            c(
                f1("normalize(a)"),
                np.arange(-3.0, 4.0) / np.linalg.norm(np.arange(-3.0, 4.0)),
                np.arange(-3.0, 4.0),
            ),
            c(
                f1("normalize(a)"),
                np.array([0.6, 0.8], dtype=np.float32),
                np.array([3, 4], dtype=np.float32),
            ),
            c(f1("normalize(a)"), np.zeros(2), np.zeros(2, dtype=np.int64)),
            c(f1("normalize(a)"), ValueError, A23),
        ]
    ),
    "norm": Cases(
        [
            c(f1("norm(a)"), np.linalg.norm(A23), A23),
            c(f1("norm(a)"), np.linalg.norm(np.arange(-3, 4)), np.arange(-3, 4)),
            *[
                c(
                    f2("norm(a, b)"),
                    np.linalg.norm(np.arange(-3.0, 4.0), o),
                    np.arange(-3.0, 4.0),
                    o,
                )
                for o in (1, 3, 0, 0.5, np.inf, -np.inf)
            ],
            *[
                c(f2("norm(a, b)"), np.linalg.norm(A23 - 2, o), A23 - 2, o)
                for o in ("fro", 1, -1, np.inf, -np.inf)
            ],
            c(f2("norm(a, b)"), ValueError, A23, 2),
            c(
                f2("norm(a, b, '(0, 1))"),
                np.linalg.norm(np.ones((2, 3, 2)), "fro", (0, 1)),
                np.ones((2, 3, 2)),
                "fro",
            ),
            c(f1("norm(a, nil, 1)"), np.linalg.norm(A23, axis=1), A23),
            c(f1("norm(a, 1, 0, true)"), np.linalg.norm(A23, 1, 0, True), A23),
            c(f1("norm(a, nil, nil, true)"), np.linalg.norm(A23, keepdims=True), A23),
        ]
    ),
    # ---- lists, dicts, strings ----
    "list": Cases([c('list(1, 2.5, "s")', [1, 2.5, "s"]), c("list()", [])]),
    "append": Cases([c("append('(1, 2), 3)", [1, 2, 3])]),
    "prepend": Cases([c("prepend(0, '(1, 2))", [0, 1, 2])]),
    "__len": Cases([c("len('(1, 2, 3))", 3), c('len("abcd")', 4), c(f1("len(a)"), 2, A23)]),
    **{
        name: Cases([c(f"{name}({physl_list(TREE)})", cxr(name, TREE))])
        for name in [
            "c" + "".join(p) + "r" for n in (1, 2, 3, 4) for p in itertools.product("ad", repeat=n)
        ]
    },
    "range": Cases([c("range(3)", [0, 1, 2]), c("range(1, 7, 2)", [1, 3, 5])]),
    "__contains": Cases([c("__contains('(1, 2), 2)", True), c('__contains("abc", "d")', False)]),
    "__make_array": Cases(
        [c("[[1, 2], [3, 4]]", np.array([[1, 2], [3, 4]])), c("[1.5, 2]", np.array([1.5, 2]))]
    ),
    "__getitem": Cases(
        [c("__getitem('(1, 2, 3), -1)", 3), c('__getitem(dict(list(list("k", 5))), "k")', 5)]
    ),
    "dict": Cases([c('dict(list(list("a", 1), list("b", 2)))', {"a": 1, "b": 2}), c("dict()", {})]),
    "__dict_get": Cases([c('get(dict(list(list("a", 1))), "a")', 1), c('get(dict(), "x", 7)', 7)]),
    "dict_keys": Cases([c('dict_keys(dict(list(list("a", 1))))', ["a"])]),
    "linearmatrix": Cases(
        [
            c(
                "linearmatrix(2, 3, 1.0, 10.0, 0.5)",
                np.array([[1.0, 1.5, 2.0], [11.0, 11.5, 12.0]]),
            ),
            c("linearmatrix(1, 1, 3, 1, 1)", np.array([[3.0]])),
            c("linearmatrix(0, 3, 1.0, 1.0, 1.0)", ValueError),
        ]
    ),
    "gradient": Cases(
        [
            c(
                f1("gradient(a)"),
                np.gradient(np.array([1.0, 4.0, 9.0, 16.0])),
                np.array([1.0, 4.0, 9.0, 16.0]),
            ),
            c(f1("gradient(a)"), np.gradient(np.array([3, 5])), np.array([3, 5])),
            c(f1("gradient(a, 0)"), np.gradient(A23**2, axis=0), A23**2),
            c(f1("gradient(a, -1)"), np.gradient(A23**2, axis=-1), A23**2),
            c(f1("gradient(a)"), list(np.gradient(A23**2)), A23**2),
            c(
                f1("gradient(a, 1)"),
                np.gradient(A23.astype(np.float32) ** 2, axis=1),
                A23.astype(np.float32) ** 2,
            ),
            c(f1("gradient(a)"), ValueError, np.array([1.0])),
            c(f1("gradient(a, 2)"), np.exceptions.AxisError, A23),
            c(f1("gradient(a)"), TypeError, np.array([True, False])),
        ]
    ),
    "delete": Cases(
        [
            c("delete(list(1, 2, 3), 1)", [1, 3]),
            c("delete(list(1, 2, 3), list(-1, 0))", [2]),
            c('dict_keys(delete(dict(list(list("a", 1), list("b", 2))), "a"))', ["b"]),
            c("delete(list(1, 2, 3), 3)", IndexError),
            c('delete(dict(list(list("a", 1))), "z")', IndexError),
            c("delete(5, 0)", TypeError),
        ]
    ),
    "dict_values": Cases([c('dict_values(dict(list(list("a", 1))))', [1])]),
    "dict_items": Cases([c('dict_items(dict(list(list("a", 1))))', [["a", 1]])]),
    "__dict_set": Cases([c('__dict_set(dict(), "k", 2)', {"k": 2})]),
    # Phylanx's format: fields count from 1, printf conversions
    "format": Cases(
        [
            c('format("{}-{}", 1, "x")', "1-x"),
            c('format("{2:d}, {1:6.3lf}", 42.0, 43.9)', "43, 42.000"),
            c('format("{:-5s}|{:05d}|{:#x}", "ab", 42, 255)', "ab   |00042|0xff"),
            c('format("{:s} {:.1e} {:c}", 42, 1234.5, 66)', "42 1.2e+03 B"),
            c('format("{0}", 1)', IndexError),
            c('format("{:d}", "a")', TypeError),
            c('format("{:n}", 1)', ValueError),
        ]
    ),
    "__format": Cases(
        [
            c('__format("{}-{}", 1, "x")', "1-x"),
            c('__format("{1}, {0:>6.3f}", 42.0, 43.9)', "43.9, 42.000"),
            c('__format("{:-5s}", "ab")', ValueError),
        ]
    ),
    "string": Cases([c("string(12)", "12"), c("str(1.5)", "1.5")]),
    # slice and __store_slice: table_rows_indexing.py
    # ---- control, effects, time ----
    "if": Cases(
        [
            c("if(1 < 2, 10, 20)", 10),
            c("if(false, 1)", None),
            # Python's truth of each kind of value (bool(x) of the argument)
            *(
                c(f1("if(a, 1, 2)"), 1 if bool(x) else 2, x)
                for x in (-1.5, 0.0, -0.0, math.nan, -2, 0, 3, "", "a", np.array([-2.0]))
            ),
            c(f1("if(a, 1, 2)"), 2, np.array([0.0], np.float32)),
            c(f1("if(a, 1, 2)"), 1, np.array([[-1]])),
        ]
    ),
    "while": Cases([c("block(define(i, 0), while(i < 5, store(i, i + 1)), i)", 5)]),
    "for": Cases(
        [c("block(define(s, 0), for(define(i, 0), i < 4, store(i, i + 1), store(s, s + i)), s)", 6)]
    ),
    "__row_blocks": Cases(
        [
            # dot(transpose(x), f(x, w, v)) with f(x, w, v) = dot(x, w) - v, and dot(f(...), x)
            # (left): run as written for these small or int matrices, with NumPy's answer
            c(
                "define(f, x, w, v, "
                "__row_blocks(x, w, lambda(a, b, u, dot(a, b) - u), false, v)) f",
                np.arange(12.0).reshape(4, 3).T @ (np.arange(12.0).reshape(4, 3) @ np.ones(3) - 1),
                np.arange(12.0).reshape(4, 3),
                np.ones(3),
                np.ones(4),
            ),
            c(
                "define(f, x, w, v, __row_blocks(x, w, lambda(a, b, u, dot(a, b) - u), true, v)) f",
                (np.arange(12).reshape(4, 3) @ np.ones(3) - 1) @ np.arange(12).reshape(4, 3),
                np.arange(12).reshape(4, 3),
                np.ones(3),
                np.ones(4),
            ),
        ]
    ),
    "__row_blocks_dot": Cases(
        [
            # as __row_blocks, for an f that reads x and w only as dot(x, w)
            c(
                "define(f, x, w, v, "
                "__row_blocks_dot(x, w, lambda(a, b, u, dot(a, b) - u), false, v)) f",
                np.arange(12.0).reshape(4, 3).T @ (np.arange(12.0).reshape(4, 3) @ np.ones(3) - 1),
                np.arange(12.0).reshape(4, 3),
                np.ones(3),
                np.ones(4),
            ),
            c(
                "define(f, x, w, v, "
                "__row_blocks_dot(x, w, lambda(a, b, u, exp(-dot(a, b)) * u), true, v)) f",
                (np.exp(-(np.arange(12.0).reshape(4, 3) @ np.ones(3) / 10)) * np.arange(4.0))
                @ np.arange(12.0).reshape(4, 3),
                np.arange(12.0).reshape(4, 3),
                np.ones(3) / 10,
                np.arange(4.0),
            ),
        ]
    ),
    "__fused": Cases(
        [
            # float64 (and an int64 array promoted to it): one pass; a float32 array, a list and
            # a mismatch of shapes: each operation as written
            c(
                "define(f, x, m,"
                " __fused(lambda(a, b, sum(power(a - b, 2), nil, false, nil)), x, m)) f",
                np.array(0.5 * 0.5 + 0.5 * 0.5 + 1.5 * 1.5),
                np.array([0.0, 1.0, 2.0]),
                0.5,
            ),
            c(
                "define(f, x, y, __fused(lambda(a, b, where(a > 1, exp(a), -b) * 2), x, y)) f",
                np.where(np.arange(4) > 1, np.exp(np.arange(4.0)), -np.ones(4)) * 2,
                np.arange(4),
                np.ones(4),
            ),
            c(
                "define(f, x, __fused(lambda(a, 2 * a + 1), x)) f",
                np.array([1, 3, 5], np.float32),
                np.arange(3, dtype=np.float32),
            ),
            c("__fused(lambda(a, a - 1 - 1), '(1, 2))", np.array([-1, 0])),
            c(
                "define(f, x, y, __fused(lambda(a, b, a * 2 + b), x, y)) f",
                ValueError,
                np.ones(3),
                np.ones(4),
            ),
        ]
    ),
    "parallel_for": Cases(
        [
            c(
                "block(define(x, zeros(6)), parallel_for(define(i, 0), i < 6, store(i, i + 1), "
                "store(slice(x, i), i * i)), x)",
                np.array([0.0, 1.0, 4.0, 9.0, 16.0, 25.0]),
            ),
            c(
                "block(define(s, 0), parallel_for(define(i, 0), i < 100, store(i, i + 1), "
                "store(s, s + i)), s)",
                4950,
            ),
        ]
    ),
    "for_each": Cases(
        [c("block(define(s, 0), for_each(lambda(x, store(s, s + x)), '(1, 2, 3)), s)", 6)]
    ),
    "fmap": Cases(
        [
            c("fmap(lambda(x, x * 2), '(1, 2))", [2, 4]),
            c("fmap(lambda(x, y, x + y), '(1, 2), '(3, 4))", [4, 6]),
        ]
    ),
    "parallel_map": Cases([c("parallel_map(lambda(x, x * x), '(1, 2, 3))", [1, 4, 9])]),
    "parallel_for_each": Cases(
        [
            c("parallel_for_each(lambda(x, x * x), '(1, 2, 3))", None),
            c("parallel_for_each(lambda(x, 1 / x), '(1, 0))", ZeroDivisionError),
        ]
    ),
    "filter": Cases([c("filter(lambda(x, x > 1), '(1, 2, 3))", [2, 3])]),
    "fold_left": Cases([c("fold_left(__sub, 10, '(1, 2))", 7)]),
    "fold_right": Cases([c("fold_right(__sub, 10, '(1, 2))", 9)]),
    "apply": Cases([c("apply(__add, '(1, 2))", 3)]),
    "async": Cases([c("async(1 + 2)", 3)]),
    "timer": Cases([c('timer(1 + 2, "t")', 3)]),
    "assert": Cases([c("assert(1 < 2)", None), c('assert(false, "no")', AssertionError)]),
    "cout": Cases([c("cout(1, 2)", None)]),
    "debug": Cases([c("debug(1, 2)", None)]),
    "annotate": Cases(
        [
            c('annotate(3, list("tile", list("rows", 0, 2)))', 3),
            c("annotate(3, 4)", TypeError),
        ]
    ),
    "annotate_d": Cases(
        [
            c('annotate_d(list(1), "x", list("tile"))', [1]),
            c('annotate_d(1, 2, list("tile"))', TypeError),
        ]
    ),
    "__clock": Cases([c("__clock() >= 0", True)]),
    "sleep": Cases([c("sleep(1)", None), c("sleep(0.5)", TypeError), c("sleep(-2)", ValueError)]),
}


def _merged_rows() -> dict[str, Row]:
    rows = dict(CORE_ROWS)
    for path in sorted(Path(__file__).parent.glob("table_rows_*.py")):
        module = importlib.import_module(path.stem)
        clash = sorted(set(rows) & set(module.ROWS))
        assert not clash, f"{path.name}: rows defined twice: {clash}"
        rows.update(module.ROWS)
    return rows


ROWS = _merged_rows()


# ---- running -------------------------------------------------------------------------------------

RNG = np.random.default_rng(20240601)


def sign_pattern(shape: tuple) -> np.ndarray:
    """-1, 1, -1, 1, ... in C order."""
    return np.where(np.arange(math.prod(shape)).reshape(shape) % 2 == 0, -1, 1)


def make_array(shape: tuple, dtype: Any, domain: str = "any", seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if dtype is BOOL:
        x = rng.integers(0, 2, shape).astype(bool)
        return np.ones(shape, bool) if domain in ("pos", "nonzero", "ge1") else x
    if dtype is I64:
        x = rng.integers(-5, 6, shape)
        if domain == "pos":
            x = np.abs(x) + 1
        elif domain == "nonzero":  # both signs, alternating (the first one negative): a
            x = (np.abs(x) + 1) * sign_pattern(shape)  # divisor's sign matters to // and %
        elif domain == "unit":
            x = np.clip(x, -1, 1)
        elif domain == "ge1":
            x = np.abs(x) + 1
        return x.astype(np.int64)
    x = rng.uniform(-3, 3, shape)
    if domain == "pos":
        x = np.abs(x) + 0.25
    elif domain == "nonzero":
        x = (np.abs(x) + 0.25) * sign_pattern(shape)
    elif domain == "unit":
        x = rng.uniform(-0.95, 0.95, shape)
    elif domain == "ge1":
        x = np.abs(x) + 1
    return x.astype(dtype)


# NumPy gives float16, int8, int16 or int32 for some operations on bools, where Larix computes and
# answers in float64 and int64 (docs/python.md): those results come back wider.
WIDER = {np.float16: np.float64, np.int8: np.int64, np.int16: np.int64, np.int32: np.int64}


def expected_dtype(np_dtype: np.dtype) -> np.dtype:
    return np.dtype(WIDER.get(np_dtype.type, np_dtype.type))


def reference(ref: Callable, args: list, **kwargs: Any) -> np.ndarray:
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = np.asarray(ref(*args, **kwargs))
        if out.dtype.type in WIDER:  # recompute in Larix's wider dtype
            wide = WIDER[out.dtype.type]
            args = [
                a.astype(wide) if isinstance(a, np.ndarray) and a.dtype == bool else a for a in args
            ]
            out = np.asarray(ref(*args, **kwargs)).astype(wide)
    return out


def tolerance(dtype: np.dtype) -> dict:
    if dtype in (np.float32, np.complex64):
        return {"rtol": 1e-5, "atol": 1e-6}
    return {"rtol": 1e-12, "atol": 1e-14}


def assert_same(got: Any, want: Any) -> None:
    if isinstance(want, (np.ndarray, np.generic)):
        got = np.asarray(got)
        # NumPy's own dtype (narrow arguments), or Larix's wider one for NumPy's int8/float16
        # results of bool arguments.
        assert got.dtype in (want.dtype, expected_dtype(want.dtype)), (
            f"dtype {got.dtype} != {want.dtype}"
        )
        assert got.shape == want.shape, f"shape {got.shape} != {want.shape}"
        if want.dtype.kind in "fc":
            np.testing.assert_allclose(got, want, equal_nan=True, **tolerance(want.dtype))
        else:
            np.testing.assert_array_equal(got, want)
    elif isinstance(want, float):
        assert type(got) is float, f"{got!r} is not a float"
        assert got == pytest.approx(want, rel=1e-12) or (math.isnan(want) and math.isnan(got))
    else:
        assert got == want and type(got) is type(want), f"{got!r} != {want!r}"


def run_against(
    program: str,
    args: list,
    ref: Callable,
    compare: Callable[[Any, Any], None] = assert_same,
    **ref_kwargs: Any,
) -> None:
    try:
        want = reference(ref, args, **ref_kwargs)
    except Exception as error:  # NumPy refuses: Larix must refuse with the same builtin class
        builtin = next(k for k in type(error).__mro__ if k.__module__ == "builtins")
        with pytest.raises(builtin):
            larix.compile(program)(*args)
        return
    with np.errstate(all="ignore"):
        got = larix.compile(program)(*args)
    compare(got, want)


def elementwise_params() -> list:
    out = []
    for name, row in ROWS.items():
        if not isinstance(row, Elementwise):
            continue
        shapes = [(s,) for s in SHAPES] if row.arity == 1 else PAIRS
        for shape, dtype in itertools.product(shapes, row.dtypes):
            out.append(
                pytest.param(
                    name,
                    shape,
                    dtype,
                    id=f"{name}-{'x'.join(map(str, shape))}-{np.dtype(dtype).name}",
                )
            )
    return out


def operand_domain(row: Elementwise, i: int) -> str:
    """A divisor-like domain (pos, nonzero) holds for the second operand only."""
    if row.arity == 1 or i == 1 or row.domain not in ("pos", "nonzero"):
        return row.domain
    return "any"


@pytest.mark.parametrize(("name", "shapes", "dtype"), elementwise_params())
def test_elementwise(name: str, shapes: tuple, dtype: Any) -> None:
    row = ROWS[name]
    assert isinstance(row, Elementwise)
    shapes = shapes + (shapes[-1],) * (row.arity - len(shapes))
    params = "abc"[: row.arity]
    args = []
    for i, shape in enumerate(shapes):
        arg_dtype = BOOL if (name == "where" and i == 0) else dtype
        domain = operand_domain(row, i)
        args.append(make_array(shape, arg_dtype, domain, seed=i))
    call = row.call or f"{name}({', '.join(params)})"
    program = f"define(f, {', '.join(params)}, {call}) f"
    ref = (
        row.ref
        if not row.call
        else (lambda a, b, c_: row.ref(a, np.minimum(b, c_), np.maximum(b, c_)))
    )
    run_against(program, args, ref)


def axis_choices(ndim: int, kind: str) -> list:
    if kind == "one":
        return [None] + list(range(-ndim, ndim))
    choices: list = [None] + list(range(-ndim, ndim))
    if ndim >= 2:
        choices += [(0, -1), tuple(range(ndim))]
    return choices


def reduction_params() -> list:
    out = []
    for name, row in ROWS.items():
        if not isinstance(row, Reduction):
            continue
        for shape, dtype in itertools.product(SHAPES, row.dtypes):
            for axis in axis_choices(len(shape), row.axis_kinds):
                for keepdims in (False, True) if row.keepdims else (None,):
                    dims = "x".join(map(str, shape))
                    ident = f"{name}-{dims}-{np.dtype(dtype).name}-{axis}-{keepdims}"
                    out.append(pytest.param(name, shape, dtype, axis, keepdims, id=ident))
    return out


def physl_value(v: Any) -> str:
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, tuple):
        return "'(" + ", ".join(map(str, v)) + ")"
    return str(v)


@pytest.mark.parametrize(("name", "shape", "dtype", "axis", "keepdims"), reduction_params())
def test_reduction(name: str, shape: tuple, dtype: Any, axis: Any, keepdims: Any) -> None:
    row = ROWS[name]
    assert isinstance(row, Reduction)
    x = make_array(shape, dtype, "unit" if name == "cumprod" else "any")
    kwargs = f"__arg(axis, {physl_value(axis)})"
    ref_kwargs = dict(row.ref_extra, axis=axis)
    if keepdims is not None:
        kwargs += f", __arg(keepdims, {physl_value(keepdims)})"
        ref_kwargs["keepdims"] = keepdims
    program = f"define(f, a, {name}(a, {kwargs}{row.extra})) f"
    run_against(program, [x], row.ref, **ref_kwargs)


def case_params() -> list:
    out = []
    for name, row in ROWS.items():
        if isinstance(row, Cases):
            out += [pytest.param(name, i, id=f"{name}-{i}") for i in range(len(row.cases))]
    return out


@pytest.mark.parametrize(("name", "index"), case_params())
def test_case(name: str, index: int) -> None:
    row = ROWS[name]
    assert isinstance(row, Cases)
    program, args, want = row.cases[index]
    if isinstance(want, type) and issubclass(want, BaseException):
        with pytest.raises(want):
            larix.compile(program)(*args)
        return
    got = larix.compile(program)(*args)
    if isinstance(want, list) and any(isinstance(v, np.ndarray) for v in want):
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert_same(g, w)
        return
    if isinstance(want, (np.ndarray, np.generic)) and not isinstance(got, (np.ndarray, np.generic)):
        got = np.asarray(got)
    assert_same(got, want)


def test_every_primitive_has_a_row() -> None:
    missing = sorted(p["name"] for p in larix.primitives() if p["name"] not in ROWS)
    assert not missing, f"registered primitives without a row in ROWS: {missing}"


def test_no_row_without_a_primitive() -> None:
    names = {p["name"] for p in larix.primitives()}
    assert not sorted(set(ROWS) - names), "rows for primitives that are not registered"


def test_aliases_call_the_same_primitive() -> None:
    for p in larix.primitives():
        for alias in p["aliases"]:
            assert larix.docs(alias) == larix.docs(p["name"]), alias


# ---- kernel cases: sizes, views, dtype pairs, scalars, special values ---------------------------
#
# The shapes above hold at most 24 elements, fresh and contiguous, one dtype per call: they never
# reach the main body of the vector loops (kernels/simd.hpp: 2-8 lanes, four vectors per step;
# AVX-512 needs 32 elements) nor the parallel chunks (kernels/parallel.hpp: 32,768 elements,
# reductions split at 65,536). The cases below do, and are compared with the same bits as NumPy
# where NumPy's result is exact (or correctly rounded).

SIZES = (1, 31, 33, 1000)
BIG = 100_003  # more than 2 x 32,768 and not a multiple of any lane count: a ragged last chunk
# Results that are exact or correctly rounded in NumPy, so Larix must give the same bits (signed
# zeros included); the others (transcendentals: vmath is within ~2 ulp) keep the tolerance.
EXACT = set(
    (
        "__add __sub __mul __div __floordiv __mod __minus __eq __ne __lt __le __gt __ge __and "
        "__or __xor __not absolute square sign floor ceil trunc rint relu isnan isinf isfinite "
        "maximum minimum where clip sqrt bitwise_and bitwise_or bitwise_xor invert "
        "left_shift right_shift "
        "amax amin argmax argmin any all count_nonzero ptp"
    ).split()
)
# A tie of -0.0 and 0.0 may give either (NumPy's own loops differ: SIMD max picks one operand).
ZERO_SIGN_FREE = {"maximum", "minimum", "relu", "clip", "amax", "amin", "ptp"}
EXTREMES = ("amax", "amin", "argmax", "argmin", "ptp")


def assert_exact(got: Any, want: Any, zero_sign: bool = True) -> None:
    """The same dtype, shape and values as NumPy; NaN where NumPy has NaN; -0.0 where -0.0 (unless
    `zero_sign` is false)."""
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == expected_dtype(want.dtype), f"dtype {got.dtype} != {want.dtype}"
    assert got.shape == want.shape, f"shape {got.shape} != {want.shape}"
    np.testing.assert_array_equal(got, want)
    if want.dtype.kind == "f" and zero_sign:
        numbers = ~np.isnan(want)
        np.testing.assert_array_equal(np.signbit(got[numbers]), np.signbit(want[numbers]))


def run_kernel(name: str, program: str, args: list, ref: Callable, **ref_kwargs: Any) -> None:
    """run_against, with the exact comparison for the ops in EXACT."""

    def compare(got: Any, want: Any) -> None:
        if name in EXACT and want.dtype.kind in "biuf":
            assert_exact(got, want, zero_sign=name not in ZERO_SIGN_FREE)
        else:
            assert_same(got, want)

    run_against(program, args, ref, compare, **ref_kwargs)


def with_layout(make: Callable[[tuple], np.ndarray], shape: tuple, layout: str) -> np.ndarray:
    """An array of `shape` laid out as asked: a fresh contiguous one, or a view of a larger one
    with a step of 2 or 3 (either sign) along each axis, or the transpose of a contiguous one."""
    if layout == "contiguous":
        return make(shape)
    if layout == "transposed":
        return make(shape[::-1]).T
    step = {"step2": 2, "reversed": -1, "step-3": -3}[layout]
    base = make(tuple(abs(step) * n for n in shape))
    view = base[(slice(None, None, step),) * len(shape)]
    assert view.shape == shape and (view.ndim == 0 or not view.flags.c_contiguous or len(view) < 2)
    return view


def row_operands(row: Elementwise, name: str, dtypes: tuple, shapes: tuple, layouts: tuple):
    args = []
    for i in range(row.arity):
        dtype = BOOL if (name == "where" and i == 0) else dtypes[i % len(dtypes)]
        domain = operand_domain(row, i)

        def make(shape, dtype=dtype, domain=domain, i=i):
            return make_array(shape, dtype, domain, seed=10 + i)

        args.append(with_layout(make, shapes[i % len(shapes)], layouts[i % len(layouts)]))
    return args


def row_program(name: str, row: Elementwise) -> tuple[str, Callable]:
    params = "abc"[: row.arity]
    call = row.call or f"{name}({', '.join(params)})"
    ref = (
        row.ref
        if not row.call
        else (lambda a, b, c_: row.ref(a, np.minimum(b, c_), np.maximum(b, c_)))
    )
    return f"define(f, {', '.join(params)}, {call}) f", ref


def dtype_name(dtype: Any) -> str:
    return np.dtype(dtype).name


def sampled(k: int, choices: tuple) -> Any:
    """One choice per row, rotating over the rows, so that every choice is used by some row."""
    return choices[k % len(choices)]


def elementwise_kernel_params() -> list:
    out = []
    rows = [(n, r) for n, r in ROWS.items() if isinstance(r, Elementwise)]
    for k, (name, row) in enumerate(rows):
        for dtype in row.dtypes:
            for size in SIZES:
                out.append((name, dtype, (size,), ("contiguous",)))
            for layouts in (("step2",), ("reversed",), ("reversed", "contiguous", "step-3")):
                out.append((name, dtype, (1000,), layouts))
        out.append((name, sampled(k, row.dtypes), (BIG,), ("contiguous",)))
        out.append((name, sampled(k + 1, row.dtypes), (BIG,), ("step-3", "contiguous")))
        for layouts in (("transposed",), ("step-3", "transposed", "contiguous")):
            out.append((name, sampled(k + 2, row.dtypes), (31, 33), layouts))
    return [
        pytest.param(
            name,
            dtype,
            shape,
            layouts,
            id=f"{name}-{'x'.join(map(str, shape))}-{dtype_name(dtype)}-{'+'.join(layouts)}",
        )
        for name, dtype, shape, layouts in out
    ]


@pytest.mark.parametrize(("name", "dtype", "shape", "layouts"), elementwise_kernel_params())
def test_elementwise_kernel(name: str, dtype: Any, shape: tuple, layouts: tuple) -> None:
    row = ROWS[name]
    assert isinstance(row, Elementwise)
    program, ref = row_program(name, row)
    run_kernel(name, program, row_operands(row, name, (dtype,), (shape,), layouts), ref)


def mixed_params() -> list:
    out = []
    for name, row in ROWS.items():
        if not isinstance(row, Elementwise) or row.arity == 1:
            continue
        for a, b in itertools.permutations(row.dtypes, 2):
            for shapes in (((33,), (33,)), ((3, 33), (33,)), ((33, 1), (1, 5))):
                ident = f"{name}-{dtype_name(a)}-{dtype_name(b)}-{'-'.join(map(str, shapes))}"
                out.append(pytest.param(name, (a, b), shapes, id=ident))
    return out


@pytest.mark.parametrize(("name", "dtypes", "shapes"), mixed_params())
def test_elementwise_mixed_dtypes(name: str, dtypes: tuple, shapes: tuple) -> None:
    row = ROWS[name]
    assert isinstance(row, Elementwise)
    program, ref = row_program(name, row)
    run_kernel(name, program, row_operands(row, name, dtypes, shapes, ("contiguous",)), ref)


# Python scalars are weak (NumPy 2): 3 + float32 array is float32, 2.5 + int64 array is float64.
SCALARS = {"any": (True, 3, -2, 2.5, -0.5), "nonzero": (True, 3, -2, 2.5, -0.5)}
SCALARS["pos"] = (True, 3, 2.5)


def scalar_params() -> list:
    out = []
    for name, row in ROWS.items():
        if not isinstance(row, Elementwise) or row.arity == 1:
            continue
        for dtype, position in itertools.product(row.dtypes, range(row.arity)):
            if name == "clip" and position == 0:
                continue  # np.clip makes a scalar `a` a strong array (asarray), its ufunc does not
            for value in SCALARS.get(operand_domain(row, position), ()):
                ident = f"{name}-{dtype_name(dtype)}-{position}-{value!r}"
                out.append(pytest.param(name, dtype, position, value, id=ident))
    return out


@pytest.mark.parametrize(("name", "dtype", "position", "value"), scalar_params())
def test_elementwise_scalar(name: str, dtype: Any, position: int, value: Any) -> None:
    row = ROWS[name]
    assert isinstance(row, Elementwise)
    program, ref = row_program(name, row)
    args = row_operands(row, name, (dtype,), ((33,),), ("contiguous",))
    args[position] = value
    run_kernel(name, program, args, ref)


def special_values(dtype: Any) -> np.ndarray:
    if dtype is I64:
        big = np.iinfo(np.int64)
        return np.array([0, 1, -1, 2, -2, 3, -3, 7, -7, 2**40 + 1, big.max, big.min], np.int64)
    info = np.finfo(dtype)
    values = [np.nan, np.inf, -np.inf, -0.0, 0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 7.0, -7.0]
    return np.array(values + [info.tiny, -info.smallest_subnormal, info.max, info.min], dtype)


def special_params() -> list:
    out = []
    for name, row in ROWS.items():
        if not isinstance(row, Elementwise):
            continue
        for dtype in (d for d in row.dtypes if d is not BOOL):
            out.append(pytest.param(name, dtype, id=f"{name}-{dtype_name(dtype)}"))
    return out


@pytest.mark.parametrize(("name", "dtype"), special_params())
def test_elementwise_special_values(name: str, dtype: Any) -> None:
    """NaN, inf, -0.0, the extremes of the dtype, every pair of them (integer divisors
    include 0: // and % give 0 as NumPy's do, with its warning)."""
    row = ROWS[name]
    assert isinstance(row, Elementwise)
    program, ref = row_program(name, row)
    v = special_values(dtype)
    if row.arity == 1:
        args = [np.concatenate([v, v[::-1], v])]  # past one vector width
    else:
        a, b = (x.ravel() for x in np.meshgrid(v, v, indexing="ij"))  # every pair
        if dtype is I64 and row.domain not in ("any", "nonzero"):
            a, b = a[b != 0], b[b != 0]
        if dtype is I64 and name == "power":  # a negative exponent fails the whole call
            a, b = a[b >= 0], b[b >= 0]
        args = [a, b]
        if row.arity == 3:
            args = [np.arange(a.size) % 3 == 0, a, b] if name == "where" else [a, b, a[::-1]]
    run_kernel(name, program, args, ref)


def reduction_input(shape: tuple, dtype: Any, domain: str, seed: int) -> np.ndarray:
    """Floats are multiples of 1/4 (or 1/8 in [-1, 1] for cumprod): their sums are exact in
    float32 too at these sizes, so the order of summation cannot matter. Few values: ties."""
    rng = np.random.default_rng(seed)
    if dtype is BOOL:
        return rng.integers(0, 2, shape).astype(bool)
    if domain == "unit":
        if dtype is I64:
            return rng.integers(-1, 2, shape).astype(np.int64)
        return (rng.integers(-8, 9, shape) / 8).astype(dtype)
    if dtype is I64:
        return rng.integers(-5, 6, shape).astype(np.int64)
    return (rng.integers(-12, 13, shape) / 4).astype(dtype)


def reduction_kernel_params() -> list:
    out = []
    rows = [(n, r) for n, r in ROWS.items() if isinstance(r, Reduction)]
    for k, (name, row) in enumerate(rows):
        one = row.axis_kinds == "one"
        for dtype in row.dtypes:
            for size in SIZES:
                out.append((name, dtype, (size,), "contiguous", None))
            for layout in ("step2", "reversed"):
                out.append((name, dtype, (1000,), layout, None))
            for layout, axis in itertools.product(("contiguous", "transposed"), (0, 1, None)):
                out.append((name, dtype, (31, 33), layout, axis))
        dtype = sampled(k, row.dtypes)
        out.append((name, dtype, (BIG,), "contiguous", None))
        out.append((name, sampled(k + 1, row.dtypes), (BIG,), "step-3", None))
        for shape, axis in (((2, 70_001), 1), ((2, 70_001), 0), ((70_001, 2), 0)):
            out.append((name, dtype, shape, "contiguous", axis))
        if not one:
            out.append((name, dtype, (33, 31, 5), "step-3", (0, 2)))
    return [
        pytest.param(
            *case,
            id=f"{case[0]}-{'x'.join(map(str, case[2]))}-{dtype_name(case[1])}-{case[3]}-{case[4]}",
        )
        for case in out
    ]


@pytest.mark.parametrize(("name", "dtype", "shape", "layout", "axis"), reduction_kernel_params())
def test_reduction_kernel(name: str, dtype: Any, shape: tuple, layout: str, axis: Any) -> None:
    row = ROWS[name]
    assert isinstance(row, Reduction)
    domain = "unit" if name == "cumprod" else "any"
    x = with_layout(lambda s: reduction_input(s, dtype, domain, seed=3), shape, layout)
    program = f"define(f, a, {name}(a, __arg(axis, {physl_value(axis)}){row.extra})) f"
    run_kernel(name, program, [x], row.ref, **dict(row.ref_extra, axis=axis))


# Views whose axes overlap in memory (shape, strides in elements): NumPy's sliding windows and
# as_strided arrays reach the kernels without a copy. Two axes with the same stride must not be
# merged into one run (kernels/strided.hpp merges only an outer stride of inner stride x size).
OVERLAPPING = (((5, 3), (1, 1)), ((3, 4, 2), (2, 2, 1)), ((2, 3, 3), (0, 1, 1)))


def overlapping_view(base: np.ndarray, shape: tuple, steps: tuple) -> np.ndarray:
    strides = tuple(k * base.itemsize for k in steps)
    return np.lib.stride_tricks.as_strided(base, shape, strides, writeable=False)


def overlapping_params() -> list:
    out = []
    for name, row in ROWS.items():
        if not isinstance(row, Reduction):
            continue
        for (shape, steps), dtype in itertools.product(OVERLAPPING, row.dtypes):
            axes: list = [None] if row.axis_kinds == "none" else [None, 0, -1]
            if row.axis_kinds == "many":
                axes += [(0, 1), (1, -1)]
            for axis in axes:
                ident = f"{name}-{'x'.join(map(str, shape))}-{dtype_name(dtype)}-{axis}"
                out.append(pytest.param(name, dtype, shape, steps, axis, id=ident))
    return out


@pytest.mark.parametrize(("name", "dtype", "shape", "steps", "axis"), overlapping_params())
def test_reduction_overlapping_views(
    name: str, dtype: Any, shape: tuple, steps: tuple, axis: Any
) -> None:
    row = ROWS[name]
    assert isinstance(row, Reduction)
    domain = "unit" if name == "cumprod" else "any"
    x = overlapping_view(reduction_input((24,), dtype, domain, seed=6), shape, steps)
    program = f"define(f, a, {name}(a, __arg(axis, {physl_value(axis)}){row.extra})) f"
    run_kernel(name, program, [x], row.ref, **dict(row.ref_extra, axis=axis))


@pytest.mark.parametrize("name", [n for n, r in ROWS.items() if isinstance(r, Elementwise)])
def test_elementwise_overlapping_views(name: str) -> None:
    row = ROWS[name]
    assert isinstance(row, Elementwise)
    program, ref = row_program(name, row)
    for k, (shape, steps) in enumerate(OVERLAPPING):
        dtype = sampled(k, row.dtypes)
        args = []
        for i in range(row.arity):
            arg_dtype = BOOL if (name == "where" and i == 0) else dtype
            base = make_array((24,), arg_dtype, operand_domain(row, i), seed=20 + i)
            args.append(overlapping_view(base, shape, steps))
        run_kernel(name, program, args, ref)


def extreme_rows(n: int, dtype: Any, kind: str) -> np.ndarray:
    """Rows of n elements, each with its extreme at one position (every position mod 64, and
    about the 256- and 4,096-element blocks of argmax's search); `kind` says which extreme: the
    largest, the smallest, a tie of two, or a NaN."""
    rng = np.random.default_rng(n)
    positions = sorted(
        {p for p in range(64)}
        | {p for p in range(n - 64, n)}
        | {q + d for q in (256, 4096) for d in range(-3, 4)}
    )
    positions = [p for p in positions if 0 <= p < n]
    base = rng.integers(-50, 50, n).astype(dtype)
    x = np.tile(base, (len(positions), 1))
    for r, p in enumerate(positions):
        if kind == "high":
            x[r, p] = 100
        elif kind == "low":
            x[r, p] = -100
        elif kind == "tie":
            x[r, p] = x[r, (p + n // 2) % n] = 100
            x[r, (p + 7) % n] = -100
        else:
            x[r, p] = np.nan
    return x


@pytest.mark.parametrize("name", EXTREMES)
@pytest.mark.parametrize("dtype", (I64, F32, F64))
@pytest.mark.parametrize("n", (64, 100, 4099))
@pytest.mark.parametrize("kind", ("high", "low", "tie", "nan"))
def test_extreme_at_every_position(name: str, dtype: Any, n: int, kind: str) -> None:
    """max/min/argmax/argmin find an extreme in any vector lane and any block: one array per
    position, and all of them at once along axis 1 (and axis 0 of the transpose)."""
    if kind == "nan" and dtype is I64:
        pytest.skip("integers have no NaN")
    x = extreme_rows(n, dtype, kind)
    ref = ROWS[name].ref
    f = larix.compile(f"define(f, a, {name}(a)) f")
    for r in range(len(x)):
        assert_exact(f(x[r]), ref(x[r]), zero_sign=False)
    run_kernel(name, f"define(f, a, {name}(a, __arg(axis, 1))) f", [x], ref, axis=1)
    run_kernel(name, f"define(f, a, {name}(a, __arg(axis, 0))) f", [x.T], ref, axis=0)


@pytest.mark.parametrize("name", ("var", "std"))
@pytest.mark.parametrize("ddof", (0, 1, 2, 5, 1.5))
@pytest.mark.parametrize(
    ("shape", "axis"),
    (((1,), None), ((5,), None), ((33,), None), ((1000,), 0), ((3, 4), 0), ((3, 4), 1)),
)
@pytest.mark.parametrize("dtype", (BOOL, I64, F32, F64))
def test_ddof(name: str, ddof: Any, shape: tuple, axis: Any, dtype: Any) -> None:
    """var and std with every ddof: also ddof >= n (NumPy: inf or nan, and a warning)."""
    x = make_array(shape, dtype, seed=4)
    program = f"define(f, a, {name}(a, __arg(axis, {physl_value(axis)}), __arg(ddof, {ddof}))) f"
    run_kernel(name, program, [x], getattr(np, name), axis=axis, ddof=ddof)


SLICE_BOUNDS = (None, *range(-7, 8))


@pytest.mark.parametrize("size", (0, 1, 4, 5))
@pytest.mark.parametrize("step", (None, 1, -1, 2, -2, 3, -3))
def test_slice_bounds(size: int, step: Any) -> None:
    """Every start and stop from -7 to 7 (and nil) on short axes, read and written, as NumPy:
    the clamps of range_index (kernels/indexing.cpp) at both ends, for both signs of the step."""
    a = np.arange(10.0, 10.0 + 3 * size).reshape(3, size)
    index_text = "slice(a, nil, list(s, e, t))"
    read = larix.compile(f"define(f, a, s, e, t, {index_text}) f")
    write = larix.compile(f"define(f, a, s, e, t, block(store({index_text}, -1.0), a)) f")
    for start, stop in itertools.product(SLICE_BOUNDS, SLICE_BOUNDS):
        index = (slice(None), slice(start, stop, step))
        assert_exact(read(a, start, stop, step), a[index])
        want = a.copy()
        want[index] = -1.0
        assert_exact(write(a, start, stop, step), want)
        row = a[1]  # one axis, a view with an offset
        assert_exact(read(row[None], start, stop, step), row[None][index])


@pytest.mark.parametrize("name", ("sort", "argsort"))
@pytest.mark.parametrize("dtype", (BOOL, I64, F32, F64))
@pytest.mark.parametrize("size", (33, 1000, BIG))
def test_sort_ties(name: str, dtype: Any, size: int) -> None:
    """Many equal keys (and NaNs, -0.0 beside 0.0) in long lines: argsort is stable as NumPy's
    kind='stable'."""
    rng = np.random.default_rng(size)
    x = rng.integers(-2, 3, size).astype(dtype)
    if dtype in (F32, F64):
        x[rng.integers(0, size, size // 7 + 1)] = np.nan
        x[rng.integers(0, size, size // 7 + 1)] = -0.0
    want = np.sort(x) if name == "sort" else np.argsort(x, kind="stable")
    got = larix.compile(f"define(f, a, {name}(a)) f")(x)
    np.testing.assert_array_equal(got, want)
    assert np.asarray(got).dtype == want.dtype
    got_rev = larix.compile(f"define(f, a, {name}(a)) f")(x[::-1])
    want_rev = np.sort(x[::-1]) if name == "sort" else np.argsort(x[::-1], kind="stable")
    np.testing.assert_array_equal(got_rev, want_rev)
