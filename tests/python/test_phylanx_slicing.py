"""Phylanx's slicing convention in PhySL's slice/store(slice(...)), and NumPy's in the frontend's
subscripts (__subscript), on both executors. Expected values are written by hand from Phylanx's
documented behaviour (slice(x, rows, columns) with nil, ints, list(start, stop[, step]), one-element
lists, bools, bool lists and index arrays as selectors; a vector takes the selector that is not
nil; a 0-d value gives itself for a selector picking its one element) and checked against NumPy
where the two agree."""

from __future__ import annotations

import numpy as np
import pytest

import larix

V = np.array([42, 43, 44])
M = np.array([[1, 2, 3], [4, 5, 6]])
SYNC = pytest.mark.parametrize("sync", [False, True], ids=["tasks", "reference"])

# (selectors as PhySL text, argument, expected)
READS = [
    ("0, nil", V, np.int64(42)),
    ("nil, 0", V, np.int64(42)),
    ("-1, nil", V, np.int64(44)),
    ("nil, list(0, 2)", V, V[0:2]),
    ("list(1), nil", V, np.int64(43)),
    ("list(-3)", V, np.int64(42)),
    ("true, nil", V, V),
    ("false, nil", V, V[0:0]),
    ("list(true), nil", V, V),
    ("list(false), nil", V, V[0:0]),
    ("list(true, false, true), nil", V, V[[0, 2]]),
    ("[true, false, true], nil", V, V[[0, 2]]),
    ("[0, 0, -1], nil", V, V[[0, 0, -1]]),
    ("list([2, 1]), nil", V, V[[2, 1]]),
    ("[[0, 1], [2, 2]], nil", V, V[np.array([[0, 1], [2, 2]])]),
    ("list(nil, nil, -1)", V, V[::-1]),
    ("list(2, 0, -1), nil", V, V[2:0:-1]),
    ("list(0, 1, 1, 2)", V, V[[0, 1, 1, 2]]),
    ("list()", V, V),
    ("nil, nil", V, V),
    ("0", M, M[0]),
    ("0, nil", M, M[0]),
    ("nil, -1", M, M[:, -1]),
    ("1, 2", M, np.int64(6)),
    ("list(0, 2), list(1, 3)", M, M[0:2, 1:3]),
    ("list(1), list(0)", M, np.int64(4)),
    ("true, 1", M, M[:, 1]),
    ("1, false", M, M[1, 0:0]),
    ("list(false, true), nil", M, M[[False, True]]),
    ("nil, list(true, true, false)", M, M[:, [True, True, False]]),
    ("[1, 0], [2, 2]", M, M[[1, 0], [2, 2]]),
    ("[1, 1], nil", M, M[[1, 1]]),
    ("list(nil, nil, -1), list(nil, nil, -2)", M, M[::-1, ::-2]),
    ("0", np.float64(2.5), np.float64(2.5)),
    ("-1, nil", np.float64(2.5), np.float64(2.5)),
    ("true", np.float64(2.5), np.float64(2.5)),
    ("list(0, 1), list(-1, 1)", np.float64(2.5), np.float64(2.5)),
]


def same(got, want) -> None:
    assert type(got) is type(want), (got, want)
    if isinstance(want, np.ndarray):
        assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)


@SYNC
@pytest.mark.parametrize(("sel", "x", "want"), READS)
def test_slice_reads(sel, x, want, sync):
    f = larix.compile(f"define(f, x, slice(x, {sel})) f", sync=sync)
    same(f(x), want)


@SYNC
@pytest.mark.parametrize(("sel", "x", "want"), READS)
def test_store_writes_what_slice_reads(sel, x, want, sync):
    """store(slice(x, sel), -7) sets exactly the elements slice(x, sel) reads: checked by
    writing an array of element numbers and reading them back."""
    if np.ndim(x) == 0:
        f = larix.compile(f"define(f, x, block(store(slice(x, {sel}), -7.0), x)) f", sync=sync)
        same(f(x), np.float64(-7.0))
        return
    numbers = np.arange(np.size(x)).reshape(np.shape(x))
    picked = larix.compile(f"define(f, x, slice(x, {sel})) f", sync=sync)(numbers)
    f = larix.compile(f"define(f, x, block(store(slice(x, {sel}), -7), x)) f", sync=sync)
    got = f(numbers)
    expected = numbers.copy()
    expected.flat[np.unique(np.asarray(picked)).astype(np.int64)] = -7
    same(got, expected)
    same(numbers, np.arange(np.size(x)).reshape(np.shape(x)))  # the argument is not written


ERRORS = [
    ("3, nil", V, larix.LarixIndexError, "index 3 is out of bounds for axis 0 with size 3"),
    ("nil, -4", V, larix.LarixIndexError, "index -4 is out of bounds"),
    ("0, 0", V, larix.LarixIndexError, "too many indices"),
    ("list(true, false), nil", V, larix.LarixIndexError, "boolean index did not match"),
    ("[0, 5], nil", V, larix.LarixIndexError, "out of bounds"),
    ("2, 0", M, larix.LarixIndexError, "index 2 is out of bounds for axis 0 with size 2"),
    ("nil, list(true)", M, None, None),
    ("1", np.float64(2.5), larix.LarixIndexError, "a 0-d value has one element"),
    ("false", np.float64(2.5), larix.LarixIndexError, "not nothing"),
    ("list(0, 1, 0)", V, larix.LarixValueError, "slice step cannot be zero"),
    ('list("a", 1)', V, larix.LarixTypeError, "slice indices must be integers or nil"),
]


@SYNC
@pytest.mark.parametrize(("sel", "x", "cls", "text"), ERRORS)
def test_slice_errors(sel, x, cls, text, sync):
    source = f"define(f, x,\n  slice(x, {sel}))\nf"
    f = larix.compile(source, source_name="sel.physl", sync=sync)
    if cls is None:  # list(true) keeps the axis: not an error
        same(f(x), M)
        return
    with pytest.raises(cls) as info:
        f(x)
    err = info.value
    assert isinstance(err, IndexError if cls is larix.LarixIndexError else Exception)
    assert text in str(err)
    assert (err.file, err.line, err.column) == ("sel.physl", 2, 3)
    g = larix.compile(
        f"define(g, x,\n  block(store(slice(x, {sel}), 1),\n  x))\ng",
        source_name="st.physl",
        sync=sync,
    )
    with pytest.raises(cls) as info:
        g(x)
    assert (info.value.file, info.value.line) == ("st.physl", 2)


def phylanx_style(v, m):
    a = slice(v, 0, None)  # noqa: F821 - PhySL's slice, called as Phylanx kernels do
    b = slice(m, list(True, False), None)  # noqa: F821
    return a, b


def numpy_style(v, m, s):
    return v[True], m[0][True, 1:], m[[True, False]], v[-1]


def zero_d_subscript(s):
    return s[0]


def vector_two_indices(v):
    return v[0, :]


@SYNC
def test_python_kernels_keep_numpy_semantics_and_reach_phylanx_slice(sync):
    a, b = larix.kernel(phylanx_style, sync=sync)(V, M)
    same(a, np.int64(42))
    same(b, M[0:1])
    got = larix.kernel(numpy_style, sync=sync)(V, M, np.array(3.0))
    want = numpy_style(V, M, np.array(3.0))
    for g, w in zip(got, want):
        same(g, w)
    assert "__subscript" in larix.kernel(numpy_style).physl
    with pytest.raises(IndexError, match="0-dimensional"):
        larix.kernel(zero_d_subscript, sync=sync)(np.array(3.0))
    with pytest.raises(IndexError, match="too many indices"):
        larix.kernel(vector_two_indices, sync=sync)(V)
    with pytest.raises(IndexError):
        zero_d_subscript(np.array(3.0))
    with pytest.raises(IndexError):
        vector_two_indices(V)


def set_numpy(v):
    v[True] = 5
    v[-1] = 1
    return v


@SYNC
def test_python_item_assignment_keeps_numpy_semantics(sync):
    got = larix.kernel(set_numpy, sync=sync)(V.copy())
    same(got, set_numpy(V.copy()))


def test_docs_state_phylanx_signature():
    assert larix.docs("slice").startswith("slice(x, rows, columns)")
    assert larix.docs("__subscript").startswith("__subscript(x, index0, index1, ...)")


# ---- for k in d: iterates the keys (issue 13's dict-iteration bug) --------------------------


def keys_of(d):
    out = []
    for k in d:
        out.append(k)
    return out


def weighted(d):
    s = 0.0
    for k in d:
        s += k * d[k]
    return s


def keys_enumerated(d):
    out = []
    for i, k in enumerate(d):
        out.append((i, k))
    return out


def keys_zipped(d, xs):
    out = []
    for k, x in zip(d, xs):
        out.append(k + x)
    return out


def keys_of_local():
    d = {"b": 1, "a": 2}
    out = []
    for k in d:
        if k == "a":
            break
        out.append(k)
    return out


@SYNC
def test_for_over_a_dict_iterates_its_keys(sync):
    d = {3: 0.5, 1: 2.0, 10: -1.0}  # int keys: a lookup by position would find the wrong ones
    assert larix.kernel(keys_of, sync=sync)(d) == keys_of(d) == [3, 1, 10]
    assert larix.kernel(weighted, sync=sync)(d) == weighted(d)
    assert larix.kernel(keys_of, sync=sync)({"x": 1, "y": 2}) == ["x", "y"]
    assert larix.kernel(keys_of, sync=sync)({}) == []
    assert larix.kernel(keys_enumerated, sync=sync)(d) == [list(p) for p in keys_enumerated(d)]
    assert larix.kernel(keys_zipped, sync=sync)(d, [1, 2]) == keys_zipped(d, [1, 2])
    assert larix.kernel(keys_of_local, sync=sync)() == keys_of_local() == ["b"]
    # lists, arrays and strings still iterate their elements
    assert larix.kernel(keys_of, sync=sync)([4, 5]) == [4, 5]
    np.testing.assert_array_equal(larix.kernel(keys_of, sync=sync)(M), list(M))
