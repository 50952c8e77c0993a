"""Property tests of __subscript/__store_subscript (NumPy's x[...]) against NumPy: random shapes
and random index tuples of every kind (ints, slices with any step, newaxis, Ellipsis, integer
arrays of any shape, boolean masks of any rank, 0-d bools), read and written; NumPy's result or
NumPy's error class."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from hypothesis_profiles import examples

import larix

SETTINGS = settings(max_examples=examples(300))


@st.composite
def index_tuples(draw, shape):
    """An index tuple for `shape`: mostly valid, sometimes out of bounds, too long, with two
    ellipses or with a mask of the wrong shape (then NumPy's error is the expected result)."""
    out = []
    axis = 0
    for _ in range(draw(st.integers(0, len(shape) + 2))):
        size = shape[axis] if axis < len(shape) else 1
        kind = draw(
            st.sampled_from(["int", "slice", "slice", "newaxis", "ellipsis", "array", "mask"])
        )
        if kind == "int":
            out.append(draw(st.integers(-size - 1, size)))
            axis += 1
        elif kind == "slice":
            bound = st.none() | st.integers(-size - 2, size + 2)
            step = st.none() | st.integers(-3, 3).filter(bool)
            out.append(slice(draw(bound), draw(bound), draw(step)))
            axis += 1
        elif kind == "newaxis":
            out.append(None)
        elif kind == "ellipsis":
            out.append(Ellipsis)
            axis = len(shape) - (len(shape) - axis) // 2  # a guess: the rest is drawn anyway
        elif kind == "array":
            ishape = draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=3))
            low = -size if draw(st.integers(0, 9)) else -size - 2
            values = st.integers(low, max(size - 1, 0) if low == -size else size + 1)
            out.append(draw(hnp.arrays(np.int64, ishape, elements=values)))
            axis += 1
        else:
            k = draw(st.integers(0, min(2, max(len(shape) - axis, 0))))
            mshape = list(shape[axis : axis + k])
            if mshape and not draw(st.integers(0, 9)):
                mshape[0] += 1  # the wrong shape
            if k == 0 and draw(st.booleans()):
                out.append(draw(st.booleans()))  # a Python bool: a 0-d mask
            else:
                out.append(draw(hnp.arrays(np.bool_, tuple(mshape))))
            axis += k
    return tuple(out)


def physl_index(ix, name: str) -> str:
    if ix is None:
        return '"newaxis"'
    if ix is Ellipsis:
        return '"..."'
    if isinstance(ix, bool):
        return "true" if ix else "false"
    if isinstance(ix, int):
        return str(ix)
    if isinstance(ix, slice):
        parts = [("nil" if v is None else str(v)) for v in (ix.start, ix.stop, ix.step)]
        return f"list({', '.join(parts)})"
    return name  # an array: passed as an argument


def program(index: tuple, body: str) -> tuple[str, list]:
    names = [f"i{k}" for k in range(len(index))]
    texts = [physl_index(ix, n) for ix, n in zip(index, names)]
    arrays = [(n, ix) for ix, n in zip(index, names) if isinstance(ix, np.ndarray)]
    params = ", ".join(["a", "v", *(n for n, _ in arrays)])
    call = f"__subscript(a{''.join(', ' + t for t in texts)})"
    return f"define(f, {params}, {body.replace('SLICE', call)}) f", [ix for _, ix in arrays]


def numpy_or_error(fn):
    try:
        return fn(), None
    except (IndexError, ValueError, TypeError) as e:
        return None, type(e)


def check(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)


shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)
dtypes = st.sampled_from([np.int64, np.float64, np.bool_, np.float32])


@st.composite
def read_cases(draw):
    shape = draw(shapes)
    return shape, draw(dtypes), draw(index_tuples(shape))


@SETTINGS
@given(case=read_cases())
# a[4::-1] on 4 elements: a start clamped to size instead of size - 1 reads past the end
@example(case=((4,), np.int64, (slice(4, None, -1),)))
@example(case=((2, 3), np.float64, (slice(None), slice(5, -5, -2))))
def test_read(case):
    shape, dtype, index = case
    a = np.arange(int(np.prod(shape))).reshape(shape).astype(dtype)
    want, error = numpy_or_error(lambda: a[index])
    text, arrays = program(index, "SLICE")
    f = larix.compile(text)
    event(f"read: {'error' if error else 'advanced' if arrays else 'basic'}")
    if error is not None:
        with pytest.raises(error):
            f(a, 0, *arrays)
        return
    check(f(a, 0, *arrays), want)


def values_for(draw, shape, dtype):
    """A value that NumPy can assign to a region of `shape`: a scalar, the full shape, a suffix
    with length-1 axes, or (sometimes) a shape that does not fit."""
    kind = draw(st.sampled_from(["scalar", "full", "suffix", "bad"]))
    if kind == "scalar":
        return draw(st.integers(-9, 9))
    if kind == "full":
        vshape = tuple(shape)
    elif kind == "suffix":
        cut = draw(st.integers(0, len(shape)))
        vshape = tuple(1 if draw(st.booleans()) else s for s in shape[cut:])
        vshape = (1,) * draw(st.integers(0, 1)) + vshape
    else:
        vshape = tuple(shape[:-1]) + (shape[-1] + 1,) if shape else (2,)
    return np.arange(100, 100 + int(np.prod(vshape))).reshape(vshape).astype(dtype)


@SETTINGS
@given(data=st.data(), shape=shapes, dtype=dtypes)
def test_write(data, shape, dtype):
    a = np.arange(int(np.prod(shape))).reshape(shape).astype(dtype)
    index = data.draw(index_tuples(shape))
    region, error = numpy_or_error(lambda: a[index])
    value = values_for(data.draw, region.shape if region is not None else (), dtype)

    def numpy_write():
        out = a.copy()
        out[index] = value
        return out

    want, error = numpy_or_error(numpy_write)
    text, arrays = program(index, "block(store(SLICE, v), a)")
    f = larix.compile(text)
    event(f"write: {'error' if error else 'advanced' if arrays else 'basic'}")
    if error is not None:
        with pytest.raises(error):
            f(a, value, *arrays)
        return
    check(f(a, value, *arrays), want)
    # the caller's array is never written
    np.testing.assert_array_equal(a, np.arange(a.size).reshape(shape).astype(dtype))
