"""Issue 11's NumPy breadth through @larix.kernel: the new functions, ufunc methods
(np.add.reduce, np.maximum.accumulate, np.subtract.outer, ...), np.where(cond), a.itemsize and
a.nbytes, np.errstate inside a kernel, np.put_along_axis as a statement, and integer division by
zero (0 with NumPy's RuntimeWarning, following np.errstate at the call). Every kernel is compared
with the same function run by NumPy (kernel.python); errors must have NumPy's class and point at
the user's line. The partition property of partition/argpartition is checked here (the table
checks their kth values)."""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest

import larix


def same(got, want):
    if isinstance(want, tuple):
        assert len(got) == len(want)
        for g, w in zip(got, want):
            same(g, w)
        return
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype, (got, want)
    if want.dtype.kind == "f":
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, want)


def run_both(fn, *args):
    k = larix.kernel(fn)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        want = fn(*args)
        got = k(*args)
    same(got if not isinstance(want, tuple) else tuple(got), want)


# ---- an ordinary NumPy program -----------------------------------------------------------------


def image_statistics(img, labels, weights):
    counts = np.bincount(labels, minlength=5)
    mass = np.bincount(labels, weights=weights, minlength=5)
    gram = np.einsum("ij,ik->jk", img, img)
    trace = np.einsum("ii", gram)
    rows = np.einsum("ij->i", img)
    edges = np.diff(img, axis=1)
    second = np.diff(img, n=2, axis=0, prepend=0.0)
    hist, bins = np.histogram(img, bins=8, range=(0.0, 1.0))
    where = np.digitize(img[0], bins)
    flat = np.argmax(img)
    r, c = np.unravel_index(flat, img.shape)
    back = np.ravel_multi_index((r, c), img.shape)
    top = np.argpartition(-rows, 2)[:2]
    common = np.intersect1d(labels, np.array([1, 3, 9]))
    both = np.union1d(labels, np.array([7]))
    only = np.setdiff1d(labels, np.array([0, 1]))
    member = np.isin(labels, np.array([2, 4]))
    order = np.lexsort((labels, weights > 0.5))
    smooth = np.convolve(rows, np.ones(3) / 3, mode="same")
    lagged = np.correlate(rows, rows[:3], mode="valid")
    sign = np.copysign(img[0], -1.0)
    taken = np.take(img, [0, 2], axis=1)
    sorted_rows = np.take_along_axis(img, np.argsort(img, axis=1), axis=1)
    level = np.interp(rows, [0.0, 2.0, 4.0], [0.0, 1.0, 0.0])
    return (counts, mass, gram, trace, edges, second, hist, bins, where, r, c, back,
            np.sort(top), common, both, only, member, order, smooth, lagged, sign, taken,
            sorted_rows, level, np.ascontiguousarray(img.T))  # fmt: skip


def test_an_ordinary_numpy_program_runs_unchanged():
    rng = np.random.default_rng(0)
    img = rng.random((6, 5))
    labels = rng.integers(0, 5, 12)
    weights = rng.random(12)
    run_both(image_statistics, img, labels, weights)


def nan_statistics(x):
    return (np.nanmax(x, axis=0), np.nanmin(x), np.nanargmax(x, axis=1), np.nanargmin(x),
            np.nanvar(x, axis=1), np.nanstd(x, ddof=1), np.nancumsum(x, axis=1),
            np.nancumprod(x))  # fmt: skip


def test_nan_reductions():
    x = np.arange(12.0).reshape(3, 4) - 5
    x[0, 1] = x[2, 3] = x[1, 0] = np.nan
    run_both(nan_statistics, x)


# ---- ufunc methods, where(cond), attributes, errstate, put_along_axis --------------------------


def ufunc_methods(a, b):
    return (np.add.reduce(a), np.add.reduce(a, axis=1), np.multiply.reduce(a, axis=0),
            np.add.accumulate(a), np.add.accumulate(a, axis=1), np.maximum.accumulate(b),
            np.minimum.accumulate(a, axis=1), np.multiply.outer(b, b), np.subtract.outer(b, a[0]),
            np.logical_and.reduce(a > 2, axis=1), np.logical_or.reduce(a > 10),
            np.maximum.reduce(a, axis=None), np.subtract.reduce(b),
            np.add.outer(b, 2.5), np.add.reduceat(b, [0, 3, 1]),
            np.maximum.reduceat(a, np.array([0, 2]), axis=1),
            np.multiply.reduceat(a, indices=[1, 2], axis=0))  # fmt: skip


@pytest.mark.parametrize("dtype", [np.int64, np.float64, np.float32])
def test_ufunc_methods(dtype):
    a = np.arange(12, dtype=dtype).reshape(3, 4) % 5
    b = np.array([3, 1, 4, 1, 5], dtype=dtype)
    run_both(ufunc_methods, a, b)


def reduceat_out_of_range(a):
    return np.add.reduceat(a, [0, 9])


def test_reduceat_index_error_names_the_line():
    with pytest.raises(IndexError, match="out-of-bounds in add.reduceat"):
        reduceat_out_of_range(np.arange(4.0))
    with pytest.raises(
        larix.LarixIndexError, match=r"index 9 out-of-bounds in add.reduceat \[0, 4\)"
    ) as info:
        larix.kernel(reduceat_out_of_range)(np.arange(4.0))
    assert (info.value.file, info.value.line) == (
        __file__,
        inspect.getsourcelines(reduceat_out_of_range)[1] + 1,
    )


def where_and_attributes(a):
    i, j = np.where(a > 2)
    (k,) = np.where(a[0] > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = a / (a - a)
    return i, j, k, r, a.itemsize, a.nbytes


def test_where_one_argument_attributes_and_errstate():
    run_both(where_and_attributes, np.arange(6.0).reshape(2, 3))


def put_along(a):
    idx = np.argmax(a, axis=1)[:, None]
    np.put_along_axis(a, idx, -1.0, axis=1)
    b = a.copy()
    np.put_along_axis(b, np.array([[0], [0]]), np.array([[7.0], [8.0]]), 1)
    return a, b


def test_put_along_axis_statement_rebinds_the_variable():
    x = np.array([[1.0, 5.0, 2.0], [9.0, 0.0, 3.0]])
    before = x.copy()
    got = larix.kernel(put_along)(x)
    np.testing.assert_array_equal(x, before)  # the argument is not written
    same(tuple(got), put_along(x.copy()))


# ---- integer division by zero --------------------------------------------------------------------


def int_division(a, b):
    return a // b, a % b


def python_int_division(a):
    return a // 0


def test_integer_division_by_zero_is_zero_with_numpys_warning():
    k = larix.kernel(int_division)
    a, b = np.array([7, -7, 5]), np.array([2, 0, 0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        q, r = k(a, b)
        line = inspect.currentframe().f_lineno - 1
    with np.errstate(divide="ignore"):
        same((q, r), int_division(a, b))
    messages = sorted(str(w.message) for w in caught)
    assert messages == [
        "divide by zero encountered in floor_divide",
        "divide by zero encountered in remainder",
    ]
    assert all(w.category is RuntimeWarning for w in caught)
    assert {(w.filename, w.lineno) for w in caught} == {(__file__, line)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        same(tuple(k(a, np.array([2, 3, 1]))), int_division(a, np.array([2, 3, 1])))  # no warning
        with np.errstate(divide="ignore"):
            k(a, b)  # silenced as NumPy's own warning would be
    with np.errstate(divide="raise"), pytest.raises(FloatingPointError):
        k(a, b)
    # np.int64 scalars are arrays: 0; two Python ints raise as Python does.
    with np.errstate(divide="ignore"):
        assert k(np.int64(3), np.int64(0))[0] == 0
    with pytest.raises(ZeroDivisionError):
        larix.kernel(python_int_division)(3)
    # profiled calls and functions returned to Python warn too
    with warnings.catch_warnings(record=True) as caught, larix.profile():
        warnings.simplefilter("always")
        k(a, b)
    assert len(caught) == 2


# ---- bad arguments: NumPy's exception class at the user's line ----------------------------------


def bad_bincount(x):
    return np.bincount(x)


def bad_einsum(a):
    return np.einsum("ij,jk->ik", a, a)


def bad_take(a):
    return np.take(a, 10)


def bad_histogram(a):
    return np.histogram(a, bins=[3.0, 1.0])


def bad_diff(a):
    return np.diff(a, n=-1)


def bad_partition(a):
    return np.partition(a, 9)


def bad_nanargmax(a):
    return np.nanargmax(a)


def bad_unravel(a):
    return np.unravel_index(a, (2, 2))


BAD = [
    (bad_bincount, np.array([1, -1]), ValueError),
    (bad_bincount, np.array([1.5]), TypeError),
    (bad_einsum, np.ones((2, 3)), ValueError),
    (bad_take, np.ones(3), IndexError),
    (bad_histogram, np.ones(3), ValueError),
    (bad_diff, np.ones(3), ValueError),
    (bad_partition, np.ones(3), ValueError),
    (bad_nanargmax, np.array([np.nan, np.nan]), ValueError),
    (bad_unravel, np.array([4]), ValueError),
]


@pytest.mark.parametrize("fn, arg, cls", BAD, ids=[f"{b[0].__name__}-{b[2].__name__}" for b in BAD])
def test_bad_arguments_raise_numpys_class_at_the_users_line(fn, arg, cls):
    with warnings.catch_warnings(), pytest.raises(cls):
        warnings.simplefilter("ignore")
        fn(arg)  # NumPy's class
    with pytest.raises(cls) as info:
        larix.kernel(fn)(arg)
    lines, first = inspect.getsourcelines(fn)
    assert isinstance(info.value, larix.Error)
    assert (info.value.file, info.value.line) == (__file__, first + 1)  # the `return` line


def reduce_with_dtype(a):
    return np.add.reduce(a, dtype=np.float32)


def sin_reduce(a):
    return np.sin.reduce(a)


@pytest.mark.parametrize("fn", [reduce_with_dtype, sin_reduce])
def test_unsupported_ufunc_method_forms_are_compile_errors(fn):
    with pytest.raises(larix.CompileError) as info:
        larix.kernel(fn)
    assert info.value.line == inspect.getsourcelines(fn)[1] + 1


# ---- partition's promise -------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.bool_, np.int64, np.float32, np.float64])
@pytest.mark.parametrize("shape, axis", [((9,), -1), ((4, 7), 1), ((5, 3), 0), ((2, 3, 6), 2)])
def test_partition_property(dtype, shape, axis):
    rng = np.random.default_rng(3)
    x = rng.integers(-3, 4, shape).astype(dtype)
    if dtype in (np.float32, np.float64):
        x.reshape(-1)[::4] = np.nan
    n = shape[axis]
    part = larix.compile("define(f, a, k, ax, partition(a, k, ax)) f")
    arg = larix.compile("define(f, a, k, ax, argpartition(a, k, ax)) f")
    for k in range(-n, n):
        p, i = part(x, k, axis), arg(x, k, axis)
        want = np.partition(x, k, axis)
        kth = np.take(want, [k], axis)
        np.testing.assert_array_equal(np.take(p, [k], axis), kth)  # NumPy's kth values
        np.testing.assert_array_equal(np.take_along_axis(x, i, axis), p)
        np.testing.assert_array_equal(np.sort(p, axis), np.sort(x, axis))  # a permutation
        m = k % n
        low, high = np.split(p, [m, m + 1], axis)[0], np.split(p, [m + 1], axis)[1]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # NaN sorts last: the elements before k are <= kth, those after >= kth
            assert np.all((low <= kth) | np.isnan(kth))
            assert np.all((high >= kth) | np.isnan(high))


# ---- np.iinfo / np.finfo -------------------------------------------------------------------------


def type_limits(a, i):
    big = np.iinfo(np.int64).max
    small = np.iinfo("int32").min
    eps = np.finfo(np.float64).eps
    return (a * eps, i + small, big - i, np.finfo(np.float32).max + a, a + np.finfo(float).tiny,
            np.iinfo(np.uint8).max * i, np.finfo(np.float32).bits + i)  # fmt: skip


def test_iinfo_and_finfo_of_a_known_dtype_are_constants():
    run_both(type_limits, np.array([1.0, -2.5, 3.0]), np.array([0, 7, -3]))


def bad_limits(a):
    return np.iinfo(np.float64).max + a


def test_iinfo_of_a_float_is_numpys_error_at_the_line():
    with pytest.raises(larix.CompileError, match="Invalid integer data type") as e:
        larix.kernel(bad_limits)(np.ones(2))
    assert e.value.line == inspect.getsourcelines(bad_limits)[1] + 1


# ---- loops over np.ndindex -----------------------------------------------------------------------


def ndindex_loops(a, n):
    s = 0.0
    for i, j in np.ndindex(a.shape):
        s += a[i, j] * (i + 1) - j
    t = 0
    for i, j, k in np.ndindex(2, n, 3):  # C order: the last index fastest
        t = t * 7 + i * 100 + j * 10 + k
    u = 0
    for (m,) in np.ndindex(n):
        u += m
    last = (0, 0)
    for idx in np.ndindex((2, 3)):
        last = idx
    count = 0
    for i, j in np.ndindex(n, 0):  # noqa: B007 - no iterations: i and j keep their values
        count += 1
    for i, j in np.ndindex(3, 3):
        if i == j == 1:
            break
    return s, t, u, last, count, i, j


def test_loops_over_ndindex_follow_numpys_order():
    run_both(ndindex_loops, np.arange(6.0).reshape(2, 3), 4)
    run_both(ndindex_loops, np.ones((0, 3)), 1)


def ndindex_negative(n):
    c = 0
    for _ in np.ndindex(2, n):
        c += 1
    return c


def test_ndindex_of_a_negative_dimension_is_numpys_error_at_the_line():
    run_both(ndindex_negative, 3)
    with pytest.raises(larix.LarixValueError, match="negative dimensions") as e:
        larix.kernel(ndindex_negative)(-1)
    assert e.value.line == inspect.getsourcelines(ndindex_negative)[1] + 2
