"""Binary element-wise operations on every operand form the kernels tell apart, against NumPy.

The kernels run small contiguous operands as one flat loop (operands of the compute dtype in the
result's shape, or one value converted to it) and everything else through the general strided
loop; both must give NumPy's values and dtypes. Each case runs on both executors.
"""

from __future__ import annotations

import operator
import warnings

import numpy as np
import pytest

import larix


def add(a, b):
    return a + b


def subtract(a, b):
    return a - b


def multiply(a, b):
    return a * b


def true_divide(a, b):
    return a / b


def floor_divide(a, b):
    return a // b


def mod(a, b):
    return a % b


def power(a, b):
    return a**b


def less(a, b):
    return a < b


def equal(a, b):
    return a == b


def maximum(a, b):
    return np.maximum(a, b)


def arctan2(a, b):
    return np.arctan2(a, b)


def temporary_left(a, b):
    return (a * 2) + b  # a * 2 is a temporary: the sum may be written into it


def temporary_right(a, b):
    return b - (a * 2)


OPS = [
    add,
    subtract,
    multiply,
    true_divide,
    floor_divide,
    mod,
    power,
    less,
    equal,
    maximum,
    arctan2,
    temporary_left,
    temporary_right,
]
# Results that go through libm (pow, atan2, fmod) may differ from NumPy's in the last bit.
INEXACT = {power, arctan2, mod, floor_divide}

KERNELS = {(f, sync): larix.kernel(f, sync=sync) for f in OPS for sync in (False, True)}


def values(dtype, shape, seed):
    """Nonzero values (no division by zero) of dtype in shape, small enough for int powers."""
    rng = np.random.default_rng(seed)
    if dtype == np.bool_:
        return np.ones(shape, dtype=bool) if seed % 2 else rng.integers(0, 2, shape).astype(bool)
    v = rng.integers(1, 4, shape) * rng.choice([-1, 1], shape)
    if dtype == np.int64:
        return np.abs(v).astype(np.int64)  # non-negative: integer powers need exponents >= 0
    return (v + rng.random(shape)).astype(dtype)


# Operand forms: (name, make(dtype, seed)); the other operand is a contiguous (3, 4) array.
FORMS = [
    ("same shape", lambda dt, s: values(dt, (3, 4), s)),
    ("0-d array", lambda dt, s: np.asarray(values(dt, (), s))),
    ("NumPy scalar", lambda dt, s: np.asarray(values(dt, (), s))[()]),  # strong, as a 0-d array
    ("one-element (1,)", lambda dt, s: values(dt, (1,), s)),
    ("one-element (1, 1)", lambda dt, s: values(dt, (1, 1), s)),
    ("row (4,)", lambda dt, s: values(dt, (4,), s)),
    ("column (3, 1)", lambda dt, s: values(dt, (3, 1), s)),
    ("transposed", lambda dt, s: values(dt, (4, 3), s).T),
    ("strided", lambda dt, s: values(dt, (3, 8), s)[:, ::2]),
    ("Python scalar", lambda dt, s: values(dt, (), s).item()),
]
DTYPES = [np.bool_, np.int64, np.float32, np.float64]
# What NumPy gives for some operations on bools, and what Larix gives instead.
KNOWN_WIDER = {np.dtype(np.int8): np.dtype(np.int64), np.dtype(np.float16): np.dtype(np.float64)}


def check(fn, a, b, sync):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            want = fn(a, b)
        except (TypeError, ValueError, ZeroDivisionError) as e:  # e.g. bool - bool
            with pytest.raises(type(e)):
                KERNELS[fn, sync](a, b)
            return
        got = KERNELS[fn, sync](a, b)
    want = np.asarray(want)
    got = np.asarray(got)
    if want.dtype in KNOWN_WIDER:  # Larix has no int8 or float16 yet (issue 11)
        assert got.dtype == KNOWN_WIDER[want.dtype] and got.shape == want.shape, (got, want)
        np.testing.assert_allclose(got, want.astype(got.dtype), rtol=1e-3)
        return
    assert got.dtype == want.dtype and got.shape == want.shape, (got, want)
    if fn in INEXACT and want.dtype.kind == "f":
        np.testing.assert_allclose(got, want, rtol=4 * np.finfo(want.dtype).eps, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("sync", [False, True], ids=["tasks", "reference"])
@pytest.mark.parametrize("form", [f[0] for f in FORMS])
@pytest.mark.parametrize("fn", OPS, ids=operator.attrgetter("__name__"))
def test_every_operand_form_and_dtype(fn, form, sync):
    make = dict(FORMS)[form]
    for i, (da, db) in enumerate((x, y) for x in DTYPES for y in DTYPES):
        base = values(da, (3, 4), 2 * i)
        other = make(db, 2 * i + 1)
        check(fn, base, other, sync)  # the form on the right
        check(fn, make(da, 2 * i + 1), values(db, (3, 4), 2 * i), sync)  # and on the left


@pytest.mark.parametrize("fn", [add, true_divide, less, temporary_left], ids=lambda f: f.__name__)
def test_one_element_results_and_empty_arrays(fn):
    cases = [
        (np.float64(2.5), np.ones((1, 1))),  # () with (1, 1): a one-element result of rank 2
        (np.ones((1,), np.int64), 3.0),
        (np.array(True), np.array([[False]])),
        (np.zeros((0,)), 1.5),
        (np.zeros((0, 3)), np.ones((1, 3))),
        (np.zeros((2, 0), np.float32), np.ones((2, 0), np.float32)),
        (7, np.zeros((0,), np.int64)),
    ]
    for a, b in cases:
        for sync in (False, True):
            check(fn, a, b, sync)


def test_results_do_not_alias_their_operands():
    a = np.arange(6.0)
    got = KERNELS[add, False](a, 0.0)
    got[0] = 99.0
    assert a[0] == 0.0
