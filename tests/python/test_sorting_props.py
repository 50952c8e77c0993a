"""Property tests of sort, argsort, unique and searchsorted against NumPy (hypothesis), and the
parallel paths (long lines, many lines) on both executors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from hypothesis_profiles import examples

import larix

DTYPES = st.sampled_from([np.bool_, np.int64, np.float32, np.float64])
SETTINGS = settings(max_examples=examples(60))


def arrays(dtype, shape):
    if dtype is np.bool_:
        elements = st.booleans()
    elif dtype is np.int64:
        elements = st.integers(-5, 5)  # few values: many ties
    else:
        width = 32 if dtype is np.float32 else 64
        elements = st.one_of(
            st.sampled_from([0.0, -0.0, 1.5, -2.0, np.nan, np.inf, -np.inf]),
            st.floats(width=width, allow_nan=True, allow_infinity=True),
        )
    return hnp.arrays(dtype, shape, elements=elements)


def same(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)  # exact; NaNs in the same places


def shape_and_axis():
    return hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=6).flatmap(
        lambda s: st.tuples(st.just(s), st.sampled_from([None, *range(-len(s), len(s))]))
    )


SORT = larix.compile("define(f, a, axis, sort(a, axis)) f")
ARGSORT = larix.compile("define(f, a, axis, argsort(a, axis)) f")


@SETTINGS
@given(dtype=DTYPES, sa=shape_and_axis(), data=st.data())
def test_sort_matches_numpy(dtype, sa, data):
    shape, axis = sa
    x = data.draw(arrays(dtype, shape))
    same(SORT(x, axis), np.sort(x, axis=axis))


@SETTINGS
@given(dtype=DTYPES, sa=shape_and_axis(), data=st.data())
def test_argsort_matches_numpy_stable(dtype, sa, data):
    shape, axis = sa
    x = data.draw(arrays(dtype, shape))
    same(ARGSORT(x, axis), np.argsort(x, axis=axis, kind="stable"))


@SETTINGS
@given(
    dtype=DTYPES,
    shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=6),
    flags=st.tuples(st.booleans(), st.booleans(), st.booleans()),
    data=st.data(),
)
def test_unique_matches_numpy(dtype, shape, flags, data):
    x = data.draw(arrays(dtype, shape))
    args = ", ".join("true" if f else "false" for f in flags)
    got = larix.compile(f"define(f, a, unique(a, {args})) f")(x)
    want = np.unique(x, *flags)
    if not any(flags):
        same(got, want)
        return
    assert len(got) == len(want)
    for g, w in zip(got, want):
        same(g, w)


@SETTINGS
@given(
    dtype=DTYPES,
    n=st.integers(0, 20),
    v_shape=hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=5),
    side=st.sampled_from(["left", "right"]),
    data=st.data(),
)
def test_searchsorted_matches_numpy(dtype, n, v_shape, side, data):
    a = np.sort(data.draw(arrays(dtype, (n,))))
    v = data.draw(arrays(dtype, v_shape))
    got = larix.compile(f'define(f, a, v, searchsorted(a, v, "{side}")) f')(a, v)
    same(got, np.searchsorted(a, v, side))


@pytest.mark.parametrize("sync", [False, True])
def test_parallel_paths_match_numpy(sync):
    rng = np.random.default_rng(5)
    long = rng.normal(size=150_000)
    long[rng.integers(0, long.size, 2000)] = np.nan
    ties = rng.integers(0, 50, 150_000)
    rows = rng.integers(0, 9, (3000, 40)).astype(np.float32)
    sort = larix.compile("define(f, a, axis, sort(a, axis)) f", sync=sync)
    argsort = larix.compile("define(f, a, axis, argsort(a, axis)) f", sync=sync)
    same(sort(long, -1), np.sort(long))
    same(argsort(long, -1), np.argsort(long, kind="stable"))
    same(argsort(ties, 0), np.argsort(ties, kind="stable"))
    for axis in (0, 1, None):
        same(sort(rows, axis), np.sort(rows, axis=axis))
        same(argsort(rows, axis), np.argsort(rows, axis=axis, kind="stable"))
    unique = larix.compile("define(f, a, unique(a, true, true, true)) f", sync=sync)
    got, want = unique(ties), np.unique(ties, True, True, True)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        same(g, w)
