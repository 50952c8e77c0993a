"""Property tests of the decompositions and products against NumPy: random SPD, symmetric and
general matrices (and stacks of them) of random sizes; the defining identities (a = L L^T,
a = Q R, A v = v w, a = U S Vh) besides NumPy's values."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_profiles import examples

import larix

SETTINGS = settings(max_examples=examples(30))
FLOATS = st.sampled_from([np.float64, np.float32])
BATCH = st.sampled_from([(), (2,), (2, 1)])


def program(body: str, params: str = "a"):
    return larix.compile(f"define(f, {params}, {body}) f")


CHOLESKY = program("cholesky(a)")
QR = program("qr(a, m)", "a, m")
EIGH = program("eigh(a)")
SVD = program("svd(a, false)")
LSTSQ = program("lstsq(a, b)", "a, b")
PINV = program("pinv(a)")
SLOGDET = program("slogdet(a)")
TENSORDOT = program("tensordot(a, b, axes)", "a, b, axes")
CROSS = program("cross(a, b)", "a, b")
SOLVE = program("solve(a, b)", "a, b")
INV = program("inv(a)")
DET = program("det(a)")


def rtol(dtype) -> float:
    return 2e-4 if dtype == np.float32 else 1e-10


def close(got, want, dtype, scale=1.0) -> None:
    got = np.asarray(got)
    assert got.dtype == np.dtype(dtype), (got.dtype, dtype)
    assert got.shape == np.shape(want)
    np.testing.assert_allclose(got, want, rtol=rtol(dtype), atol=rtol(dtype) * scale)


def general(seed: int, shape: tuple, dtype) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=shape).astype(dtype)


def spd(seed: int, shape: tuple, dtype) -> np.ndarray:
    m = np.random.default_rng(seed).normal(size=shape)
    return (m @ np.swapaxes(m, -1, -2) + shape[-1] * np.eye(shape[-1])).astype(dtype)


def eye_like(x: np.ndarray) -> np.ndarray:
    return np.broadcast_to(np.eye(x.shape[-1]), x.shape)


def mT(x: np.ndarray) -> np.ndarray:
    return np.swapaxes(x, -1, -2)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 8), batch=BATCH, dtype=FLOATS)
def test_cholesky(seed, n, batch, dtype):
    a = spd(seed, batch + (n, n), dtype)
    got = CHOLESKY(a)
    close(got, np.linalg.cholesky(a), dtype, scale=np.abs(a).max())
    close(got @ mT(got), a, dtype, scale=np.abs(a).max())


@SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    m=st.integers(1, 7),
    n=st.integers(1, 7),
    batch=BATCH,
    dtype=FLOATS,
    mode=st.sampled_from(["reduced", "complete"]),
)
def test_qr(seed, m, n, batch, dtype, mode):
    a = general(seed, batch + (m, n), dtype)
    q, r = QR(a, mode)
    want_q, want_r = np.linalg.qr(a, mode=mode)
    close(q, want_q, dtype)
    close(r, want_r, dtype, scale=np.abs(a).max())
    close(q @ r, a, dtype, scale=np.abs(a).max())
    close(mT(q) @ q, eye_like(mT(q) @ q), dtype)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 8), batch=BATCH, dtype=FLOATS)
def test_eigh(seed, n, batch, dtype):
    s = general(seed, batch + (n, n), np.float64)
    a = (s + mT(s)).astype(dtype)
    w, v = EIGH(a)
    scale = max(1.0, np.abs(a).max())
    close(w, np.linalg.eigvalsh(a), dtype, scale=scale)
    a64, v64 = a.astype(np.float64), np.asarray(v, np.float64)
    close((a64 @ v64).astype(dtype), (v64 * np.asarray(w, np.float64)[..., None, :]), dtype, scale)
    close(mT(v) @ v, eye_like(v), dtype)


@SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    m=st.integers(1, 7),
    n=st.integers(1, 7),
    batch=BATCH,
    dtype=FLOATS,
)
def test_svd_and_pinv(seed, m, n, batch, dtype):
    a = general(seed, batch + (m, n), dtype)
    u, s, vh = SVD(a)
    scale = max(1.0, np.abs(a).max())
    close(s, np.linalg.svd(a, compute_uv=False), dtype, scale=scale)
    close((u * s[..., None, :]) @ vh, a, dtype, scale=scale)
    close(mT(u) @ u, eye_like(mT(u) @ u), dtype)
    want = np.linalg.pinv(a)
    close(PINV(a), want, dtype, scale=max(1.0, np.abs(want).max()))


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 8), batch=BATCH, dtype=FLOATS)
def test_slogdet(seed, n, batch, dtype):
    a = general(seed, batch + (n, n), dtype)
    sign, logdet = SLOGDET(a)
    want_sign, want_logdet = np.linalg.slogdet(a)
    close(sign, want_sign, dtype)
    close(logdet, want_logdet, dtype, scale=10.0)


@SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    m=st.integers(1, 8),
    n=st.integers(1, 8),
    k=st.sampled_from([None, 1, 3]),
    dtype=FLOATS,
)
def test_lstsq(seed, m, n, k, dtype):
    a = general(seed, (m, n), dtype)
    b = general(seed + 1, (m,) if k is None else (m, k), dtype)
    x, res, rank, s = LSTSQ(a, b)
    want = np.linalg.lstsq(a, b)
    assert rank == want[2]
    close(x, want[0], dtype, scale=max(1.0, np.abs(want[0]).max()))
    close(res, want[1], dtype, scale=max(1.0, np.abs(b).max() ** 2))
    close(s, want[3], dtype, scale=max(1.0, np.abs(a).max()))


@SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=4),
    data=st.data(),
)
def test_tensordot(seed, shape, data):
    a_shape = tuple(shape)
    summed = data.draw(
        st.lists(st.sampled_from(range(len(a_shape))), unique=True, max_size=len(a_shape))
    )
    perm = data.draw(st.permutations(summed))
    extra = data.draw(st.lists(st.integers(1, 3), max_size=2))
    b_shape = tuple(a_shape[ax] for ax in perm) + tuple(extra)
    a = general(seed, a_shape, np.float64)
    b = general(seed + 1, b_shape, np.float64)
    axes = [list(perm), list(range(len(perm)))]
    close(TENSORDOT(a, b, axes), np.tensordot(a, b, axes), np.float64, scale=10.0)


@SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    la=st.sampled_from([2, 3]),
    lb=st.sampled_from([2, 3]),
    batches=st.sampled_from([((), ()), ((4,), ()), ((2, 1), (3,)), ((1,), (5, 1))]),
)
def test_cross(seed, la, lb, batches):
    a = general(seed, batches[0] + (la,), np.float64)
    b = general(seed + 1, batches[1] + (lb,), np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        want = np.cross(a, b)
    close(CROSS(a, b), want, np.float64)


def well_conditioned(seed: int, shape: tuple, dtype) -> np.ndarray:
    """A general matrix plus n I with its rows shuffled: well conditioned, and LU must pivot."""
    rng = np.random.default_rng(seed)
    n = shape[-1]
    a = rng.normal(size=shape) + n * np.eye(n)
    return a[..., rng.permutation(n), :].astype(dtype)


# Orders up to 32 are solved by Larix's own LU (OpenBLAS's call costs more there), larger ones by
# LAPACK's gesv: sizes on both sides of the switch.
ORDERS = st.sampled_from([1, 2, 3, 5, 10, 16, 31, 32, 33, 40])


@SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    n=ORDERS,
    k=st.sampled_from([None, 1, 3]),
    batch=BATCH,
    dtype=FLOATS,
)
def test_solve_and_inv(seed, n, k, batch, dtype):
    a = well_conditioned(seed, batch + (n, n), dtype)
    b = general(seed + 1, batch + ((n,) if k is None else (n, k)), dtype)
    if k is None and batch:
        b = b[(0,) * len(batch)]  # a vector b is one right-hand side for every matrix
    want = np.linalg.solve(a, b)
    got = SOLVE(a, b)
    close(got, want, dtype, scale=np.abs(want).max())
    close(
        a @ (got if k is not None else got[..., None]),
        b if k is not None else np.broadcast_to(b[..., None], batch + (n, 1)),
        dtype,
        scale=n * np.abs(a).max(),
    )
    inverse = np.linalg.inv(a)
    close(INV(a), inverse, dtype, scale=np.abs(inverse).max())


@pytest.mark.parametrize("n", [2, 3, 32, 33, 40])
def test_solve_singular_and_special_values(n):
    rng = np.random.default_rng(n)
    a = well_conditioned(n, (n, n), np.float64)
    singular = a.copy()
    singular[n // 2] = 0.0  # a row of zeros stays zeros: a zero pivot, exactly
    for fn in (np.linalg.solve, SOLVE):
        with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
            fn(singular, np.ones(n))
    with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
        INV(np.zeros((n, n)))
    # A NaN in b: NaNs in the result, not an error (NumPy's LAPACK makes no NaN check).
    b = rng.normal(size=n)
    b[1] = np.nan
    np.testing.assert_array_equal(np.isnan(SOLVE(a, b)), np.isnan(np.linalg.solve(a, b)))
    # A NaN in a: a NaN determinant, as NumPy's.
    nan = a.copy()
    nan[1, 0] = np.nan
    with np.errstate(invalid="ignore"):
        assert np.isnan(DET(nan)) and np.isnan(np.linalg.det(nan))
    # An infinite entry: the same finite answer where the LU meets it only in a product.
    c = np.array([[1.0, np.inf], [2.0, 4.0]])
    np.testing.assert_array_equal(SOLVE(c, np.ones(2)), np.linalg.solve(c, np.ones(2)))
    # A pivot below the smallest normal number is divided by, not inverted.
    tiny = np.array([[1e-310, 1.0], [1.0, 1.0]])
    np.testing.assert_array_equal(SOLVE(tiny, np.ones(2)), np.linalg.solve(tiny, np.ones(2)))
