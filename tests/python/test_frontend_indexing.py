"""NumPy's index forms in @larix.kernel functions (None/np.newaxis, ..., masks, integer arrays,
list displays), read and written, each compared with the same function run by Python/NumPy
(``f.python``) on both executors; and the errors they raise."""

from __future__ import annotations

import numpy as np
import pytest
from numpy import newaxis

import larix

IDX = np.array([2, 0])
ROWS = [1, 0, 1]  # a captured list: an integer-array index, as in NumPy


def new_axes(a):
    return a[:, None], a[None], a[np.newaxis, :, newaxis], a[None, ..., None]


def ellipsis(a):
    return a[..., 0], a[1, ...], a[..., ::-1], a[...]


def mask_read(a):
    return a[a > 0], a[(a > 0) == (a < 5)], a[:, a[0] > 0]


def mask_write(a):
    a[a > 0] = 0
    return a


def mask_write_array(a):
    a[a < 0] = a[a < 0] * 10
    return a


def mask_augmented(x):
    x[x > 2] -= 1
    x[x < 0] += 100
    return x


def index_array(a, idx):
    return a[idx], a[:, idx], a[idx, idx], a[-1, idx]


def list_display(a):
    i = 1
    return a[[0, 2]], a[[i, 0], [0, i]], a[[[0], [2]], [1, 0]], a[[True, False, True]], a[[]]


def captured(a):
    return a[IDX], a[ROWS], a[Ellipsis, 0]


def comprehension_index(a):
    return a[[2 - k for k in range(3)]]


def reversed_with_array(a, idx):
    return a[::-1, idx], a[1::-2, idx], a[idx, ::-1]


def separated(a, idx):
    return a[idx, :, idx], a[:, idx, None, idx], a[0, :, idx]


def array_write(a, idx):
    a[idx] = 7.0
    a[0, idx] = -1.0
    return a


def repeated_write(a):
    a[[0, 0, 1, 0]] = np.array([1.0, 2.0, 3.0, 4.0])
    return a


def array_augmented(a, idx):
    a[idx] += 1.0
    return a


def ellipsis_write(a):
    a[..., 0] = 5.0
    a[None, 1] = 2.0
    return a


def zero_d_results(a):
    return a[1, ..., 2], a[np.array(1), 2], a[..., 1, 2][None]


def empty_results(a):
    return a[a > 100], a[:, []], a[2:1, [0]]


def large(a):
    b = a[a > 0.5]
    a[a < 0.25] = 0.0
    return b, a[np.arange(0, 1000000, 3)]


M = np.array([[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0], [7.0, -8.0, 9.0]])
T = np.arange(24.0).reshape(2, 3, 4)

CORPUS = [
    (new_axes, (M,)),
    (ellipsis, (T,)),
    (mask_read, (M,)),
    (mask_write, (M,)),
    (mask_write_array, (M,)),
    (mask_augmented, (np.arange(6).reshape(2, 3) - 1,)),
    (index_array, (M, np.array([2, -1, 0]))),
    (index_array, (M, np.array([[0, 1], [1, 2]]))),
    (list_display, (M,)),
    (captured, (M,)),
    (comprehension_index, (M,)),
    (reversed_with_array, (M, np.array([0, 2]))),
    (separated, (T, np.array([1, 0]))),
    (array_write, (M, np.array([2, 1]))),
    (repeated_write, (np.zeros(3),)),
    (array_augmented, (M, np.array([0, 2]))),
    (ellipsis_write, (M,)),
    (zero_d_results, (M,)),
    (empty_results, (M,)),
    (large, (np.random.default_rng(7).random(1000000),)),
]


def normalize(v):
    if isinstance(v, (tuple, list)):
        return [normalize(x) for x in v]
    if isinstance(v, (np.ndarray, np.generic)):
        return ("array", np.asarray(v).dtype.str, np.shape(v), np.asarray(v).tolist())
    return v


def copied(args):
    return [a.copy() if isinstance(a, np.ndarray) else a for a in args]


@pytest.mark.parametrize("sync", [False, True], ids=["tasks", "sync"])
@pytest.mark.parametrize(
    "fn, args", CORPUS, ids=[f"{f.__name__}-{i}" for i, (f, _) in enumerate(CORPUS)]
)
def test_matches_numpy(fn, args, sync):
    k = larix.kernel(fn, sync=sync)
    want = normalize(k.python(*copied(args)))
    got = normalize(k(*copied(args)))
    assert got == want


def test_index_forms_in_physl():
    def f(a):
        return a[:, None, ..., [0, 2]]

    text = larix.kernel(f).physl
    assert '"newaxis"' in text and '"..."' in text and "[0, 2]" in text


def out_of_bounds(a):
    return a[[0, 5]]


def mask_mismatch(a):
    return a[np.array([True, False])]


def float_index(a):
    return a[np.array([1.5])]


def mismatched_arrays(a):
    return a[[0, 1], [0, 1, 2]]


def bad_value(a):
    a[a > 0] = np.array([1.0, 2.0])
    return a


@pytest.mark.parametrize(
    "fn, cls, message",
    [
        (out_of_bounds, IndexError, "index 5 is out of bounds for axis 0 with size 3"),
        (mask_mismatch, IndexError, "boolean index did not match indexed array along axis 0"),
        (float_index, IndexError, "arrays used as indices must be of integer (or boolean) type"),
        (mismatched_arrays, IndexError, "shape mismatch: indexing arrays could not be broadcast"),
        (bad_value, ValueError, "boolean array indexing assignment cannot assign 2 input values"),
    ],
)
def test_errors_match_numpy(fn, cls, message):
    with pytest.raises(cls) as numpy_error:
        fn(M.copy())
    assert message in str(numpy_error.value)
    with pytest.raises(cls) as larix_error:
        larix.kernel(fn)(M.copy())
    assert isinstance(larix_error.value, larix.Error)
    assert message in larix_error.value.message
    assert larix_error.value.line == fn.__code__.co_firstlineno + 1
