"""@larix.kernel on NumPy code as users write it: a second corpus of kernels (arrays, methods,
attributes, reductions, broadcasting, dtypes, slicing, linear algebra, and the paper's algorithms),
each run by Larix on both executors and compared with the same function run by NumPy
(``f.python``): same types, shapes and dtypes, values within 1e-12 relative (1e-5 for float32)."""

from __future__ import annotations

import numpy as np
import pytest

import larix

RNG = np.random.default_rng(7)
X = RNG.standard_normal((6, 4))
Y = (RNG.random(6) > 0.5).astype(np.float64)
V = RNG.standard_normal(4)
SPD = X.T @ X + np.eye(4)
I3 = np.arange(24).reshape(2, 3, 4)
F32 = RNG.standard_normal((3, 5)).astype(np.float32)
B = np.array([True, False, True, True])
EPS = 1e-6
RATINGS = (RNG.random((5, 7)) > 0.6) * RNG.integers(1, 6, (5, 7)) * 1.0
X0, Y0 = RNG.random((5, 3)), RNG.random((7, 3))


# ---- attributes and methods -----------------------------------------------------------------


def attributes(a):
    return a.shape, a.ndim, a.size, a.T, a.T.shape


def dtype_attribute(a):
    return str(a.dtype), a.dtype == np.float64


def reduction_methods(a):
    return a.sum(), a.sum(axis=0), a.mean(axis=1), a.max(), a.min(axis=0), a.prod(axis=1)


def stat_methods(a):
    return a.var(), a.std(axis=0), a.var(ddof=1), a.argmax(), a.argmin(axis=1)


def cumulative_methods(a):
    return a.cumsum(), a.cumsum(axis=1), a.cumprod(axis=0)


def reshape_methods(a):
    return a.reshape(-1), a.reshape(3, -1), a.reshape((2, 12)), a.ravel(), a.flatten()


def transpose_methods(a):
    return a.transpose(), a.transpose(1, 0, 2), np.transpose(a, (2, 0, 1)), a.swapaxes(0, 2)


def astype_methods(a):
    return a.astype(np.float32), a.astype(int), a.astype(bool), a.astype("float64")


def copy_is_independent(a):
    b = a.copy()
    b[0] = 100.0
    return a, b


def any_all_methods(b):
    return b.any(), b.all(), np.any(b), np.all(~b | b), np.any(b & ~b), (b ^ b).any()


def masks_combined(a):
    m = (a > 0) & (a < 1) | (a < -1)
    return m, ~m, np.sum(m), a * m


def int_bitwise(i):
    return i & 6, i | 1, i ^ 3, ~i, (i > 2) & (i < 5)


def dot_method(a, v):
    return a.dot(v), a.T.dot(a)


def squeeze_expand(a):
    e = np.expand_dims(a, 0)
    return e.shape, np.squeeze(e).shape, np.expand_dims(a, -1).shape


# ---- creation --------------------------------------------------------------------------------


def creation(n):
    return np.zeros(n), np.ones((n, 2)), np.full((2, n), 7.5), np.eye(n), np.identity(2)


def creation_dtypes(n):
    return np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool), np.arange(n, dtype=np.float32)


def creation_like(a):
    return np.zeros_like(a), np.ones_like(a), np.full_like(a, 2.0), np.empty_like(a).shape


def ranges(n):
    return np.arange(n), np.arange(1, n, 2), np.arange(0.0, 1.0, 0.25), np.linspace(0, 1, n)


def stacking(a, b):
    return np.hstack([a, b]), np.vstack([a, b]), np.stack([a, b], axis=1), np.concatenate((a, b))


def concatenate_axis(m):
    return np.concatenate([m, m], axis=1), np.concatenate([m, m], axis=0).shape


def array_from_lists(n):
    return np.array([[1.0, 2.0], [3.0, float(n)]]), np.array([n, n + 1]), np.array([True, False])


def python_conversions(a, n):
    return float(n), int(a[0, 0] * 10), int(-2.7), bool(n), float("1.5"), int(np.sum(a > 0))


# ---- element-wise and broadcasting -----------------------------------------------------------


def ufuncs(a):
    return np.sqrt(np.abs(a)), np.exp(a), np.log1p(np.abs(a)), np.tanh(a), np.sign(a)


def trig(a):
    return np.sin(a), np.cos(a), np.arctan2(a, 1.0), np.arctan(a)


def rounding(a):
    return np.floor(a), np.ceil(a), np.trunc(a), np.rint(a)


def broadcast_rows(m, v):
    return m - v, m * v + 1, (m / (np.abs(v) + 1)).sum(axis=1)


def broadcast_columns(m):
    mu = m.mean(axis=1, keepdims=True)
    return m - mu, (m - mu) / (m.std(axis=1, keepdims=True) + EPS)


def outer_broadcast(a, b):
    return np.outer(a, b), np.expand_dims(a, 1) * np.expand_dims(b, 0)


def maximum_minimum(a):
    return np.maximum(a, 0.0), np.minimum(a, 0.5), np.clip(a, -0.5, 0.5)


def where_select(a):
    return np.where(a > 0, a, 0.0), np.where(a > 0, 1, -1)


def comparisons(a, b):
    return a < b, a >= b, a == b, np.logical_and(a > 0, b > 0), np.logical_not(a > 0)


def int_arithmetic(i):
    return i // 3, i % 3, -i // 3, -i % 3, i * 2 + 1, i**2


def int_true_divide(i):
    return i / 2, (i / 2).dtype == np.float64


def float32_stays(f):
    return f * 2, f + f, np.exp(f), f.sum(axis=0), (f * 2.0).dtype == np.float32


def mixed_promotion(i, f):
    return i + f, i * 1.5, (i > 2) + 1, f / 2


def nan_inf(a):
    b = a / 0.0
    return np.isnan(b), np.isinf(b), np.isfinite(a), b > 0


def power_ops(a):
    return a**2, np.power(a, 3), np.square(a), np.abs(a) ** 0.5


def augmented_arrays(a):
    b = a.copy()
    b += 1
    b *= 2
    b -= a
    b /= 4
    return b


def fill_in_place(m):
    out = np.empty_like(m)
    out.fill(0.5)
    out[1] = m[1]
    return out


def in_place_row_updates(m):
    out = np.zeros_like(m)
    for i in range(m.shape[0]):
        out[i] = m[i] * i
        out[i, 0] = -1.0
    return out


# ---- reductions ------------------------------------------------------------------------------


def reductions(a):
    return np.sum(a), np.sum(a, axis=0), np.mean(a, axis=-1), np.max(a), np.amin(a, axis=1)


def reductions_keepdims(a):
    return np.sum(a, axis=1, keepdims=True), np.max(a, axis=0, keepdims=True)


def reductions_tuple_axis(t):
    return np.sum(t, axis=(0, 2)), np.mean(t, axis=(1, 2)), t.max(axis=(0, 1))


def argmax_argmin(a):
    return np.argmax(a), np.argmax(a, axis=0), np.argmin(a, axis=1)


def var_std(a):
    return np.var(a), np.std(a, axis=0), np.var(a, axis=1, ddof=1)


def count_and_cum(a):
    return np.count_nonzero(a > 0), np.cumsum(a), np.cumprod(a[0])


def int_sum_dtype(i):
    return np.sum(i), np.sum(i, dtype=np.float64), np.mean(i)


# ---- slicing ---------------------------------------------------------------------------------


def slices_basic(m):
    return m[0], m[-1], m[1:3], m[:, 1], m[1, 2], m[1:, :2]


def slices_steps(m):
    return m[::2], m[::-1], m[:, ::-1], m[4:0:-2, 1], m[-2:, -3::2]


def slices_3d(t):
    return t[0, 1], t[:, 1, :], t[1, :, 2], t[:, :, ::2], t[-1]


def slice_assign(m):
    m = m.copy()
    m[0] = 0.0
    m[1, :] = 1.0
    m[2:4, 1:3] = -1.0
    m[:, 0] = np.arange(m.shape[0])
    return m


def slice_augmented(m):
    m = m.copy()
    m[0] += 10
    m[:, 1] *= 2
    m[1:3, :] -= 1
    return m


def slice_views_do_not_alias_caller(m):
    row = m[0]
    row = row + 1
    return row, m[0]


# ---- linear algebra --------------------------------------------------------------------------


def matmul_forms(a, v):
    return a @ v, a.T @ a, np.dot(a, v), np.matmul(a.T, a), v @ v


def linalg(s, v):
    return np.linalg.inv(s), np.linalg.solve(s, v), np.linalg.det(s), np.linalg.norm(v)


def linalg_norms(a):
    return np.linalg.norm(a), np.linalg.norm(a, axis=0), np.trace(a[:4]), np.diag(a[:4])


def inner_outer(a, b):
    return np.inner(a, b), np.outer(a, b)


# ---- the paper's algorithms, as NumPy users write them ---------------------------------------


def lra(X, y, alpha, iterations):
    """Binary logistic regression by gradient descent (the paper's LRA)."""
    w = np.zeros(X.shape[1])
    for _ in range(iterations):
        pred = 1.0 / (1.0 + np.exp(-(X @ w)))
        grad = X.T @ (pred - y)
        w -= alpha * grad
    return w


def lra_accuracy(X, y, alpha, iterations):
    w = lra(X, y, alpha, iterations)
    pred = 1.0 / (1.0 + np.exp(-(X @ w))) > 0.5
    return w, np.mean(pred == (y > 0.5))


def als(R, X, Yf, iterations, alpha, lam):
    """Implicit-feedback ALS (Hu, Koren, Volinsky) in the paper's dense-diagonal formulation."""
    users, items = R.shape
    f = X.shape[1]
    C = alpha * R
    P = (R > 0).astype(np.float64)
    I_f = np.eye(f)
    for _ in range(iterations):
        YtY = Yf.T @ Yf
        for u in range(users):
            Cu = np.diag(C[u])
            A = YtY + Yf.T @ Cu @ Yf + lam * I_f
            b = Yf.T @ (Cu + np.eye(items)) @ P[u]
            X[u] = np.linalg.inv(A) @ b
        XtX = X.T @ X
        for i in range(items):
            Ci = np.diag(C[:, i])
            A = XtX + X.T @ Ci @ X + lam * I_f
            b = X.T @ (Ci + np.eye(users)) @ P[:, i]
            Yf[i] = np.linalg.inv(A) @ b
    return X, Yf


def als_efficient(R, X, Yf, iterations, alpha, lam):
    """The same ALS without dense diagonals: (Y.T * c) @ Y."""
    users, items = R.shape
    f = X.shape[1]
    C = alpha * R
    P = (R > 0).astype(np.float64)
    for _ in range(iterations):
        YtY = Yf.T @ Yf
        for u in range(users):
            A = YtY + (Yf.T * C[u]) @ Yf + lam * np.eye(f)
            X[u] = np.linalg.solve(A, (Yf.T * (C[u] + 1.0)) @ P[u])
        XtX = X.T @ X
        for i in range(items):
            A = XtX + (X.T * C[:, i]) @ X + lam * np.eye(f)
            Yf[i] = np.linalg.solve(A, (X.T * (C[:, i] + 1.0)) @ P[:, i])
    return X, Yf


def kmeans(points, centroids, iterations):
    k = centroids.shape[0]
    for _ in range(iterations):
        d = np.zeros((points.shape[0], k))
        for j in range(k):
            diff = points - centroids[j]
            d[:, j] = np.sum(diff * diff, axis=1)
        labels = np.argmin(d, axis=1)
        for j in range(k):
            members = labels == j
            n = np.sum(members)
            if n > 0:
                centroids[j] = np.sum(points * np.expand_dims(members, 1), axis=0) / n
    return centroids, labels


def softmax_rows(z):
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


def power_iteration(s, iterations):
    v = np.ones(s.shape[0])
    for _ in range(iterations):
        v = s @ v
        v = v / np.linalg.norm(v)
    return v, v @ s @ v


def gram_schmidt(a):
    q = np.zeros_like(a)
    for j in range(a.shape[1]):
        v = a[:, j]
        for i in range(j):
            v = v - (q[:, i] @ a[:, j]) * q[:, i]
        q[:, j] = v / np.linalg.norm(v)
    return q


def pairwise_distances(p):
    n = p.shape[0]
    d = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            d[i, j] = np.sqrt(np.sum((p[i] - p[j]) ** 2))
    return d


def running_stats(xs):
    total = 0.0
    count = 0
    best = -np.inf
    for x in xs:
        total += x
        count += 1
        best = max(best, x)
    return total / count, best


def normalize_columns(m):
    return (m - m.mean(axis=0)) / m.std(axis=0)


def polynomial(x, coeffs):
    acc = np.zeros_like(x)
    for c in coeffs:
        acc = acc * x + c
    return acc


def jacobi(a, b, iterations):
    x = np.zeros_like(b)
    d = np.diag(a)
    r = a - np.diag(d)
    for _ in range(iterations):
        x = (b - r @ x) / d
    return x


def trapezoid(f_values, h):
    return h * (np.sum(f_values) - 0.5 * (f_values[0] + f_values[-1]))


def ridge(a, y, lam):
    return np.linalg.solve(a.T @ a + lam * np.eye(a.shape[1]), a.T @ y)


def histogram_counts(x, bins):
    lo, hi = np.min(x), np.max(x)
    counts = np.zeros(bins, dtype=np.int64)
    for v in x:
        k = int((v - lo) / (hi - lo) * bins)
        if k == bins:
            k = bins - 1
        counts[k] += 1
    return counts


# ---- issue 11's breadth: einsum, counting, sets, NaN reductions, ufunc methods, ... ----------


def einsum_forms(x, y):
    return (np.einsum("ij,kj->ik", x, x), np.einsum("ii", y), np.einsum("ij->j", x),
            np.einsum("i,i->", x[0], x[0]), np.einsum("...j,j", x, x[0]))  # fmt: skip


def label_counts(labels, w):
    counts = np.bincount(labels)
    total = np.bincount(labels, weights=w, minlength=8)
    hist, edges = np.histogram(w, bins=4)
    return counts, total, hist, edges, np.digitize(w, edges[1:-1])


def steps_and_indices(x, i3):
    flat = np.argmin(x)
    row, col = np.unravel_index(flat, x.shape)
    again = np.ravel_multi_index([row, col], x.shape)
    order = np.lexsort((x[:, 1], x[:, 0] > 0))
    return (np.diff(x, axis=0), np.diff(i3, n=2), row, col, again, order, np.take(x, [1, -1]),
            np.take_along_axis(x, np.argsort(x, axis=0), axis=0), np.trace(x[:4]))  # fmt: skip


def set_operations(a, b):
    return (np.union1d(a, b), np.intersect1d(a, b), np.setdiff1d(a, b), np.isin(a, b),
            np.isin(a, b, invert=True))  # fmt: skip


def nan_aware(x):
    y = np.where(x > 1.0, np.nan, x)
    return (np.nanmax(y, axis=0), np.nanmin(y), np.nanargmax(y, axis=1), np.nanstd(y, axis=0),
            np.nanvar(y), np.nancumsum(y, axis=1), np.nancumprod(y[0]))  # fmt: skip


def signals(v):
    kernel = np.array([0.25, 0.5, 0.25])
    return (np.convolve(v, kernel), np.convolve(v, kernel, mode="same"), np.correlate(v, kernel),
            np.interp(v, [-1.0, 0.0, 1.0], [0.0, 1.0, 0.0]), np.copysign(v, -v))  # fmt: skip


def ufunc_methods_and_where(x):
    top = np.argpartition(x[:, 0], 2)[:2]
    cols = np.where(x[0] > 0)[0]
    with np.errstate(invalid="ignore"):
        s = np.sqrt(x)
    return (np.add.reduce(x, axis=0), np.multiply.accumulate(x[0]), np.maximum.accumulate(x[:, 1]),
            np.subtract.outer(x[0], x[1]), np.logical_and.reduce(x > -3, axis=1),
            np.sort(top), cols, s, x.itemsize, x.nbytes, np.ascontiguousarray(x.T))  # fmt: skip


CORPUS = [
    (attributes, (X,)),
    (dtype_attribute, (X,)),
    (reduction_methods, (X,)),
    (stat_methods, (X,)),
    (cumulative_methods, (X[:3],)),
    (reshape_methods, (I3,)),
    (transpose_methods, (I3,)),
    (astype_methods, (X,)),
    (copy_is_independent, (V,)),
    (any_all_methods, (B,)),
    (masks_combined, (X,)),
    (int_bitwise, (np.arange(-3, 8),)),
    (dot_method, (X, V)),
    (squeeze_expand, (V,)),
    (creation, (3,)),
    (creation_dtypes, (4,)),
    (creation_like, (X,)),
    (ranges, (5,)),
    (stacking, (V, V * 2)),
    (concatenate_axis, (X,)),
    (array_from_lists, (4,)),
    (python_conversions, (X, 3)),
    (ufuncs, (X,)),
    (trig, (V,)),
    (rounding, (X * 3,)),
    (broadcast_rows, (X, V)),
    (broadcast_columns, (X,)),
    (outer_broadcast, (V, V[:3])),
    (maximum_minimum, (X,)),
    (where_select, (X,)),
    (comparisons, (X, X * 0.5)),
    (int_arithmetic, (np.arange(-5, 6),)),
    (int_true_divide, (np.arange(5),)),
    (float32_stays, (F32,)),
    (mixed_promotion, (np.arange(4), np.linspace(0, 1, 4))),
    (nan_inf, (np.array([-1.0, 0.0, 2.0]),)),
    (power_ops, (X,)),
    (augmented_arrays, (X,)),
    (in_place_row_updates, (X,)),
    (fill_in_place, (X,)),
    (reductions, (X,)),
    (reductions_keepdims, (X,)),
    (reductions_tuple_axis, (I3,)),
    (argmax_argmin, (X,)),
    (var_std, (X,)),
    (count_and_cum, (X,)),
    (int_sum_dtype, (I3,)),
    (slices_basic, (X,)),
    (slices_steps, (X,)),
    (slices_3d, (I3,)),
    (slice_assign, (X,)),
    (slice_augmented, (X,)),
    (slice_views_do_not_alias_caller, (X,)),
    (matmul_forms, (X, V)),
    (linalg, (SPD, V)),
    (linalg_norms, (X,)),
    (inner_outer, (V, V)),
    (lra, (X, Y, 0.1, 20)),
    (lra_accuracy, (X, Y, 0.1, 20)),
    (als, (RATINGS, X0, Y0, 2, 40.0, 0.1)),
    (als_efficient, (RATINGS, X0, Y0, 2, 40.0, 0.1)),
    (kmeans, (X, X[:2].copy(), 3)),
    (softmax_rows, (X,)),
    (power_iteration, (SPD, 10)),
    (gram_schmidt, (X[:4],)),
    (pairwise_distances, (X[:4],)),
    (running_stats, (V,)),
    (normalize_columns, (X,)),
    (polynomial, (V, [1.0, -2.0, 0.5])),
    (jacobi, (SPD + 10 * np.eye(4), V, 10)),
    (trapezoid, (np.sin(np.linspace(0, 1, 11)), 0.1)),
    (ridge, (X, Y, 0.5)),
    (histogram_counts, (V, 3)),
    (einsum_forms, (X, SPD)),
    (label_counts, (np.array([0, 3, 3, 1, 5, 0]), np.abs(X[:, 0]))),
    (steps_and_indices, (X, I3)),
    (set_operations, (np.array([5, 1, 3, 3, 9]), np.array([3, 4, 5]))),
    (nan_aware, (X,)),
    (signals, (V,)),
    (ufunc_methods_and_where, (X,)),
]


def copied(args):
    return [a.copy() if isinstance(a, (np.ndarray, list, dict)) else a for a in args]


def assert_same(got, want, path="result", rtol=1e-10):
    """Same structure, shapes and dtypes of arrays; values within tolerance.

    Inside a result, tuples and lists are alike (a PhySL list stands for both; only a returned tuple
    display comes back as a tuple); NumPy scalars and Python numbers compare by value and kind."""
    if isinstance(want, (tuple, list)):
        assert isinstance(got, (tuple, list)), f"{path}: {type(got).__name__} is not a sequence"
        if path == "result":
            assert type(got) is type(want), f"{path}: {type(got).__name__}"
        assert len(got) == len(want), path
        for i, (g, w) in enumerate(zip(got, want)):
            assert_same(g, w, f"{path}[{i}]", rtol)
        return
    if isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray), f"{path}: {type(got).__name__} is not an array"
        assert got.shape == want.shape, f"{path}: shape {got.shape} != {want.shape}"
        assert got.dtype == want.dtype, f"{path}: dtype {got.dtype} != {want.dtype}"
        tol = 1e-5 if want.dtype == np.float32 else rtol
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol, err_msg=path)
        return
    if isinstance(want, (bool, np.bool_)):
        assert isinstance(got, (bool, np.bool_)) and bool(got) == bool(want), f"{path}: {got!r}"
        return
    if isinstance(want, (int, np.integer)):
        assert isinstance(got, (int, np.integer)) and not isinstance(got, (bool, np.bool_)), path
        assert got == want, f"{path}: {got!r} != {want!r}"
        return
    if isinstance(want, (float, np.floating)):
        assert isinstance(got, (float, np.floating)), f"{path}: {got!r} is not a float"
        assert got == pytest.approx(want, rel=rtol, abs=rtol, nan_ok=True), path
        return
    assert got == want and type(got) is type(want), f"{path}: {got!r} != {want!r}"


@pytest.mark.parametrize("sync", [False, True], ids=["tasks", "sync"])
@pytest.mark.parametrize(
    "fn, args", CORPUS, ids=[f"{f.__name__}-{i}" for i, (f, _) in enumerate(CORPUS)]
)
def test_numpy_kernel_matches_numpy(fn, args, sync):
    want = fn(*copied(args))
    got = larix.kernel(fn, sync=sync)(*copied(args))
    assert_same(got, want)


def test_corpus_size():
    assert len({fn for fn, _ in CORPUS}) >= 60


def test_als_formulations_agree():
    """The paper's dense-diagonal ALS and the (Y.T * c) @ Y one give the same factors."""
    x1, y1 = larix.kernel(als)(RATINGS, X0, Y0, 3, 40.0, 0.1)
    x2, y2 = larix.kernel(als_efficient)(RATINGS, X0, Y0, 3, 40.0, 0.1)
    np.testing.assert_allclose(x1, x2, rtol=1e-8)
    np.testing.assert_allclose(y1, y2, rtol=1e-8)


def float_and(a):
    return a & (a > 0)


def float_invert(a):
    return ~a


@pytest.mark.parametrize("fn", [float_and, float_invert])
def test_bitwise_on_floats_is_a_type_error(fn):
    with pytest.raises(TypeError):
        fn(X)
    with pytest.raises(TypeError) as info:
        larix.kernel(fn)(X)
    assert isinstance(info.value, larix.Error)
    assert "test_frontend_numpy.py" in str(info.value)
