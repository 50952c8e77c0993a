"""The functions of the `more` family called as NumPy users write them, from @larix.kernel
functions, against the same function run by NumPy (``f.python``), on both executors."""

from __future__ import annotations

import numpy as np
import pytest
from test_frontend_numpy import assert_same

import larix

RNG = np.random.default_rng(3)
X = RNG.standard_normal((4, 5))
Y = X + RNG.standard_normal((4, 5)) * 1e-7
S = np.array([1.0, np.nan, np.inf, -np.inf, 2.5])
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


KERNELS = [
    (closeness, (X, Y)),
    (closeness, (S, S)),
    (nan_aware, (X, Y)),
    (nan_aware, (S, S[::-1].copy())),
    (nan_aware, (F32, F32.T.copy().T)),
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
