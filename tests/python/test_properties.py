"""Property tests against NumPy: broadcasting of binary ops, reductions over random axes."""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from hypothesis_profiles import examples

import larix

DTYPES = st.sampled_from([np.bool_, np.int64, np.float32, np.float64])
SETTINGS = settings(max_examples=examples(50))


def arrays(dtype, shape):
    if dtype is np.bool_:
        elements = st.booleans()
    elif dtype is np.int64:
        elements = st.integers(-100, 100)
    else:
        elements = st.floats(-1e3, 1e3, width=32 if dtype is np.float32 else 64)
    return hnp.arrays(dtype, shape, elements=elements)


def check(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    if want.dtype.kind == "f":
        rtol = 1e-5 if want.dtype == np.float32 else 1e-12
        np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, want)


BINARY = {"maximum": np.maximum, "minimum": np.minimum, "__add": np.add, "__mul": np.multiply}


@SETTINGS
@given(
    name=st.sampled_from(sorted(BINARY)),
    dtypes=st.tuples(DTYPES, DTYPES),
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=4, max_side=4),
    data=st.data(),
)
def test_binary_broadcasting(name, dtypes, shapes, data):
    a = data.draw(arrays(dtypes[0], shapes.input_shapes[0]))
    b = data.draw(arrays(dtypes[1], shapes.input_shapes[1]))
    program = larix.compile(f"define(f, a, b, {name}(a, b)) f")
    check(program(a, b), BINARY[name](a, b))


@SETTINGS
@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=3),
    dtypes=st.tuples(DTYPES, DTYPES),
    data=st.data(),
)
def test_where_broadcasting(shapes, dtypes, data):
    c = data.draw(arrays(np.bool_, shapes.input_shapes[0]))
    x = data.draw(arrays(dtypes[0], shapes.input_shapes[1]))
    y = data.draw(arrays(dtypes[1], shapes.input_shapes[2]))
    check(larix.compile("define(f, c, x, y, where(c, x, y)) f")(c, x, y), np.where(c, x, y))


REDUCTIONS = {
    "sum": np.sum,
    "prod": np.prod,
    "amax": np.max,
    "amin": np.min,
    "any": np.any,
    "all": np.all,
    "mean": np.mean,
    "count_nonzero": np.count_nonzero,
}


@st.composite
def array_and_axes(draw):
    dtype = draw(DTYPES)
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=4))
    a = draw(arrays(dtype, shape))
    nd = len(shape)
    if nd == 0:
        return a, draw(st.sampled_from([None, ()]))
    unique_axes = st.lists(st.integers(-nd, nd - 1), unique_by=lambda k: k % nd, max_size=nd)
    return a, draw(st.none() | unique_axes.map(tuple))


def physl(axes):
    return "nil" if axes is None else "'(" + ", ".join(map(str, axes)) + ")"


# 33 elements with the extreme at 31: the last lane of the vector loop (AVX2 and AVX-512)
LAST_LANE = np.where(np.arange(33) == 31, 7.0, np.arange(33) % 5)


@SETTINGS
@given(name=st.sampled_from(sorted(REDUCTIONS)), case=array_and_axes(), keepdims=st.booleans())
@example(name="amax", case=(LAST_LANE, None), keepdims=False)
@example(name="amin", case=(-LAST_LANE.astype(np.float32), None), keepdims=False)
@example(name="amax", case=(LAST_LANE.astype(np.int64), (0,)), keepdims=True)
def test_reductions_over_random_axes(name, case, keepdims):
    a, axes = case
    if name == "prod" and a.dtype.kind == "f":
        a = np.clip(a, -2, 2)  # keep products finite
    keywords = f"__arg(axis, {physl(axes)}), __arg(keepdims, {str(keepdims).lower()})"
    program = larix.compile(f"define(f, a, {name}(a, {keywords})) f")
    with np.errstate(all="ignore"):
        want = REDUCTIONS[name](a, axis=axes, keepdims=keepdims)
    check(program(a), want)


@SETTINGS
@given(case=array_and_axes(), ddof=st.integers(0, 1))
def test_var_over_random_axes(case, ddof):
    a, axes = case
    a = (
        a.astype(np.float64) if a.dtype == np.float32 else a
    )  # float32 var: order-dependent rounding
    program = larix.compile(
        f"define(f, a, var(a, __arg(axis, {physl(axes)}), __arg(ddof, {ddof}))) f"
    )
    with np.errstate(all="ignore"):
        want = np.var(a, axis=axes, ddof=ddof)
    check(program(a), want)


@SETTINGS
@given(
    dtype=DTYPES,
    shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4),
    data=st.data(),
    maximum=st.booleans(),
)
def test_arg_reductions(dtype, shape, data, maximum):
    a = data.draw(arrays(dtype, shape))
    axis = data.draw(st.none() | st.integers(-len(shape), len(shape) - 1))
    name = "argmax" if maximum else "argmin"
    program = larix.compile(f"define(f, a, {name}(a, {'nil' if axis is None else axis})) f")
    check(program(a), getattr(np, name)(a, axis=axis))
