"""The functions of the `more` family called as NumPy users write them, from @larix.kernel
functions, against the same function run by NumPy (``f.python``), on both executors."""

from __future__ import annotations

import numpy as np
import pytest
from table_rows_more import EXTRA_CASES
from test_frontend_numpy import assert_same
from test_primitives_table import assert_same as table_assert_same

import larix

RNG = np.random.default_rng(3)
X = RNG.standard_normal((4, 5))
Y = X + RNG.standard_normal((4, 5)) * 1e-7
S = np.array([1.0, np.nan, np.inf, -np.inf, 2.5])
I3 = np.arange(24).reshape(2, 3, 4)
F32 = RNG.standard_normal((3, 4)).astype(np.float32)


def closeness(a, b):
    return (
        np.allclose(a, b),
        np.isclose(a, b, atol=1e-9),
        np.array_equal(a, a),
        np.array_equal(a, b),
    )


def nan_aware(a, b):
    return np.hypot(a, b), np.fmax(a, np.nan), np.fmin(b, a), np.nan_to_num(a, nan=-1.0)


def statistics(a, w):
    return (
        np.median(a),
        np.median(a, axis=1),
        np.percentile(a, 30.0),
        np.percentile(a, [10, 90], axis=0),
        np.quantile(a, 0.5, axis=-1, keepdims=True),
        np.average(a, axis=0, weights=w),
        np.average(a),
        np.ptp(a, axis=1),
        np.nansum(a),
        np.nanmean(a, axis=0),
    )


def rearranged(a):
    xx, yy = np.meshgrid(np.arange(3), np.linspace(0, 1, 4))
    ii, jj = np.meshgrid(np.arange(3), np.arange(2), indexing="ij")
    return (
        np.moveaxis(a, 0, -1),
        np.moveaxis(a, [0, 1], [1, 0]),
        np.roll(a, 2),
        np.roll(a, -1, axis=1),
        np.rot90(a),
        np.rot90(a, 3, axes=(1, 0)),
        xx,
        yy,
        ii + jj,
        np.logspace(0, 3, 4),
        np.logspace(0, 1, 3, base=2.0, endpoint=False),
        np.tri(3, 4, k=1),
        np.tril(a, -1),
        np.triu(a),
    )


KERNELS = [
    (closeness, (X, Y)),
    (closeness, (S, S)),
    (nan_aware, (X, Y)),
    (nan_aware, (S, S[::-1].copy())),
    (nan_aware, (F32, F32.T.copy().T)),
    (statistics, (X, np.arange(1.0, 5.0))),
    (statistics, (np.where(X > 1, np.nan, X), np.ones(4))),
    (statistics, (F32, np.ones(3, np.float32))),
    (rearranged, (X,)),
    (rearranged, (I3,)),
]


@pytest.mark.parametrize("sync", [False, True], ids=["tasks", "sync"])
@pytest.mark.parametrize(
    ("fn", "args"), KERNELS, ids=[f"{f.__name__}-{i}" for i, (f, _) in enumerate(KERNELS)]
)
def test_kernel_matches_numpy(fn, args, sync):
    f = larix.kernel(fn, sync=sync)
    with np.errstate(all="ignore"):
        want = f.python(*args)
    assert_same(f(*args), want)


# ---- the cases of table_rows_more.py for primitives whose table row is a Reduction -------------


def extra_params() -> list:
    return [
        pytest.param(name, i, id=f"{name}-{i}")
        for name, cases in EXTRA_CASES.items()
        for i in range(len(cases))
    ]


@pytest.mark.parametrize(("name", "index"), extra_params())
def test_extra_case(name: str, index: int) -> None:
    program, args, want = EXTRA_CASES[name][index]
    if isinstance(want, type) and issubclass(want, BaseException):
        with pytest.raises(want):
            larix.compile(program)(*args)
        return
    table_assert_same(np.asarray(larix.compile(program)(*args)), want)
