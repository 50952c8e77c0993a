"""NumPy's basic indexing (ints, slices, the whole axis) of arrays, exhaustively over small
shapes, against NumPy: what loops index with (x[i], x[i, j], x[a:b], x[:, j]), which the
subscript kernel answers with a view at once; out-of-range ints still raise NumPy's IndexError.
Each case runs on both executors, on contiguous arrays and on strided views."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import larix

BOUNDS = [None, -6, -3, -1, 0, 1, 2, 4, 6]
STEPS = [None, 1, 2, -1, -3]
INTS = [-6, -5, -1, 0, 1, 3, 4, 5]


def part(v):
    return "nil" if v is None else str(v)


def physl(ix) -> str:
    if ix is None:
        return "nil"
    if isinstance(ix, int):
        return str(ix)
    return f"list({part(ix.start)}, {part(ix.stop)}, {part(ix.step)})"


def nil_as_slice(ix):
    return slice(None) if ix is None else ix


def programs(index: tuple):
    text = f"define(f, a, __subscript(a{''.join(', ' + physl(i) for i in index)})) f"
    return [larix.compile(text), larix.compile(text, sync=True)]


def check(a: np.ndarray, index: tuple) -> None:
    key = tuple(nil_as_slice(i) for i in index)
    try:
        want = a[key]
    except IndexError:
        for f in programs(index):
            with pytest.raises(IndexError, match="out of bounds"):
                f(a)
        return
    for f in programs(index):
        got = np.asarray(f(a))
        assert got.dtype == want.dtype and got.shape == np.shape(want), (index, got, want)
        np.testing.assert_array_equal(got, want)


def one_axis():
    yield from INTS
    yield None
    for start, stop, step in itertools.product(BOUNDS, BOUNDS, STEPS):
        yield slice(start, stop, step)


@pytest.mark.parametrize("layout", ["contiguous", "transposed", "strided"])
def test_one_index_of_a_vector_and_a_matrix(layout):
    base = np.arange(20.0).reshape(4, 5)
    matrix = {"contiguous": base, "transposed": base.T.copy().T, "strided": base[:, ::-1]}[layout]
    vector = {
        "contiguous": np.arange(5),
        "transposed": np.arange(5),
        "strided": np.arange(10)[::2],
    }[layout]
    for ix in one_axis():
        check(vector, (ix,))
        check(matrix, (ix,))


@pytest.mark.parametrize("first", [-5, -1, 0, 3, 4, None, slice(1, None), slice(None, None, -2)])
def test_two_indices_of_a_matrix(first):
    m = np.arange(20, dtype=np.int64).reshape(4, 5)[:, ::-1]
    for second in [*INTS, None, slice(-2, None), slice(4, 0, -1), slice(6, 7), slice(None, 1)]:
        check(m, (first, second))
        check(m.astype(np.float32), (first, second))


def test_too_many_indices_and_0d_arrays():
    check(np.array(3.5), ())
    with pytest.raises(IndexError):
        programs((0,))[0](np.array(3.5))
    with pytest.raises(IndexError):
        programs((0, 0))[0](np.arange(3))


def test_kernel_loops_over_elements_rows_and_columns():
    def f(m):
        s = 0.0
        for i in range(m.shape[0]):
            for j in range(m.shape[1]):
                s = s + m[i, j] * m[i][j] - m[i, :][j] + m[:, j][i] + m[i, j - 1 :][0]
        return s

    m = np.arange(12.0).reshape(3, 4) ** 1.5
    assert larix.kernel(f)(m) == pytest.approx(f(m), rel=1e-14)
    assert larix.kernel(f, sync=True)(m.T) == pytest.approx(f(m.T), rel=1e-14)
