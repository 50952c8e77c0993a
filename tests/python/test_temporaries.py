"""Arithmetic writes its result into an operand's buffer when that operand is a temporary nobody
else holds (2 * a in 2 * a + 1). These programs check that nothing else is ever overwritten:
arguments, variables, values in lists and closures, constants, and results used twice."""

from __future__ import annotations

import numpy as np
import pytest

import larix

A = np.arange(6.0).reshape(2, 3)


@pytest.mark.parametrize("sync", [False, True])
def test_arguments_variables_and_lists_keep_their_values(sync):
    program = larix.compile(
        """
        define(f, a, block(
            define(t, a * 2),
            define(u, t + 1),
            define(xs, list(a * 3)),
            define(v, slice(xs, 0) + 1),
            define(c, [1.0, 2.0, 3.0]),
            define(w, (c * 1) + 1),
            list(a, t, u, xs, v, c, w, (a + 1) * (a + 1) - 1)))
        f
        """,
        sync=sync,
    )
    a = A.copy()
    a, t, u, xs, v, c, w, sq = program(a)
    np.testing.assert_array_equal(a, A)
    np.testing.assert_array_equal(t, A * 2)
    np.testing.assert_array_equal(u, A * 2 + 1)
    np.testing.assert_array_equal(xs[0], A * 3)
    np.testing.assert_array_equal(v, A * 3 + 1)
    np.testing.assert_array_equal(c, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(w, [2.0, 3.0, 4.0])
    np.testing.assert_array_equal(sq, (A + 1) * (A + 1) - 1)


def chain(a, b):
    t = a * b
    r = (t + 1) * 2 - a / 2 + (b - a) ** 2
    return t, r, 2 * a + 1, (a > 1) + 1, 1 - (a * 0.5)


@pytest.mark.parametrize("sync", [False, True])
def test_kernel_chains_match_numpy(sync):
    a, b = A.copy(), A[::-1].copy() + 1
    got = larix.kernel(chain, sync=sync)(a, b)
    want = chain(A.copy(), A[::-1].copy() + 1)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-15)
        assert np.asarray(g).dtype == np.asarray(w).dtype
    np.testing.assert_array_equal(a, A)  # arguments are never written


def test_a_result_kept_by_the_caller_is_not_reused():
    program = larix.compile("define(f, a, a * 2) f")
    first = program(A)
    second = larix.compile("define(g, x, x + 1) g")(first)
    np.testing.assert_array_equal(first, A * 2)
    np.testing.assert_array_equal(second, A * 2 + 1)


def test_broadcasting_and_promotion_do_not_write_a_smaller_temporary():
    got = larix.compile("define(f, a, b, (a * 1) + b) f")(np.arange(3.0), A)
    np.testing.assert_array_equal(got, np.arange(3.0) + A)
    got = larix.compile("define(f, a, (a * 1) + 0.5) f")(np.arange(3))
    np.testing.assert_array_equal(got, np.arange(3) + 0.5)
    assert got.dtype == np.float64
