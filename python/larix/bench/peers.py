"""Optional peers, run beside Larix and NumPy when installed (``pip install larix[peers]``):
Numba (``njit(parallel=True)``), JAX (``jit``) and Dask array, on the same data and, where the
library lets a running process choose, the same thread count. Logistic regression for all, ALS
for Numba (``prange`` over users and items); ``numba_fused`` is logistic regression fused by hand
(one pass over X per iteration, ``prange`` over row chunks), what Larix's row-block fusion does
automatically. A peer that is absent or has no version of a workload is skipped."""

from __future__ import annotations

import importlib.util
from typing import Any, Callable

import numpy as np

#: name -> the module that must be importable
PEERS = {"numba": "numba", "numba_fused": "numba", "jax": "jax", "dask": "dask.array"}


def available() -> list[str]:
    found = []
    for name, module in PEERS.items():
        try:
            if importlib.util.find_spec(module.split(".")[0]) is not None:
                importlib.util.find_spec(module)  # a broken install raises here
                found.append(name)
        except (ImportError, ValueError):
            pass
    return found


class Peer:
    """One peer library: ``implementation(variant)`` is a callable taking the case's arguments,
    or None; ``set_threads(n)`` returns a note when n could not be set."""

    name = ""

    def implementation(self, variant: str) -> Callable[..., Any] | None:
        raise NotImplementedError

    def set_threads(self, n: int) -> str | None:
        return None


class NumbaPeer(Peer):
    name = "numba"

    def __init__(self) -> None:
        import numba

        self._numba = numba

        @numba.njit(parallel=True, cache=False)
        def lra(X, y, alpha, iterations):
            w = np.zeros(X.shape[1])
            Xt = np.ascontiguousarray(X.T)
            for _ in range(iterations):
                pred = 1.0 / (1.0 + np.exp(-(X @ w)))
                w -= alpha * (Xt @ (pred - y))
            return w

        self._lra = lra

        # ALS as a Numba user writes it: the user and item loops as prange, the same products
        # as larix.examples.als_efficient (both ALS forms compute the same factors).
        @numba.njit(parallel=True, cache=False)
        def als(ratings, X, Y, regularization, alpha, iterations):
            num_users, num_items = ratings.shape
            X = X.copy()
            Y = Y.copy()
            conf = alpha * ratings
            I_f = np.identity(X.shape[1])
            for _ in range(iterations):
                YtY = Y.T @ Y
                for u in numba.prange(num_users):
                    c_u = conf[u, :]
                    p_u = np.where(c_u > 0, 1.0, 0.0)
                    A = (Y.T * c_u) @ Y + YtY + regularization * I_f
                    b = Y.T @ ((c_u + 1.0) * p_u)
                    X[u, :] = np.linalg.solve(A, b)
                XtX = X.T @ X
                for i in numba.prange(num_items):
                    c_i = np.ascontiguousarray(conf[:, i])
                    p_i = np.where(c_i > 0, 1.0, 0.0)
                    A = (X.T * c_i) @ X + XtX + regularization * I_f
                    b = X.T @ ((c_i + 1.0) * p_i)
                    Y[i, :] = np.linalg.solve(A, b)
            return X, Y

        self._als = als

    def implementation(self, variant: str) -> Callable[..., Any] | None:
        if variant in ("lra", "breast_cancer"):
            return lambda X, y, alpha, iterations: self._lra(X, y, alpha, int(iterations))
        if variant in ("als_efficient", "als_paper"):
            return lambda R, X, Y, reg, alpha, its: self._als(R, X, Y, reg, alpha, int(its))
        return None

    def set_threads(self, n: int) -> str | None:
        if n > self._numba.config.NUMBA_NUM_THREADS:
            return f"numba has at most {self._numba.config.NUMBA_NUM_THREADS} threads"
        self._numba.set_num_threads(n)
        return None


class NumbaFusedPeer(NumbaPeer):
    """Logistic regression as a Numba user fuses it by hand: one pass over X per iteration, row
    by row (x_i . w, the sigmoid, then g += x_i * r_i while x_i is in cache), ``prange`` over 64
    chunks of rows with a partial gradient each, added in chunk order (as Larix's row blocks)."""

    name = "numba_fused"

    def __init__(self) -> None:
        import numba

        self._numba = numba

        @numba.njit(parallel=True, cache=False)
        def lra_fused(X, y, alpha, iterations):
            rows, cols = X.shape
            chunks = min(64, rows)
            w = np.zeros(cols)
            for _ in range(iterations):
                partial = np.zeros((chunks, cols))
                for c in numba.prange(chunks):
                    for i in range(rows * c // chunks, rows * (c + 1) // chunks):
                        z = 0.0
                        for j in range(cols):
                            z += X[i, j] * w[j]
                        r = 1.0 / (1.0 + np.exp(-z)) - y[i]
                        for j in range(cols):
                            partial[c, j] += X[i, j] * r
                g = partial[0].copy()
                for c in range(1, chunks):
                    g += partial[c]
                w -= alpha * g
            return w

        self._lra_fused = lra_fused

    def implementation(self, variant: str) -> Callable[..., Any] | None:
        if variant in ("lra", "breast_cancer"):
            return lambda X, y, alpha, iterations: self._lra_fused(X, y, alpha, int(iterations))
        return None


class JaxPeer(Peer):
    name = "jax"

    def __init__(self) -> None:
        import jax

        jax.config.update("jax_enable_x64", True)  # float64, as NumPy and Larix
        import jax.numpy as jnp

        def lra(X, y, alpha, iterations):
            def step(_, w):
                pred = 1.0 / (1.0 + jnp.exp(-(X @ w)))
                return w - alpha * (X.T @ (pred - y))

            return jax.lax.fori_loop(0, iterations, step, jnp.zeros(X.shape[1], X.dtype))

        self._lra = jax.jit(lra, static_argnums=(3,))
        self._jnp = jnp

    def implementation(self, variant: str) -> Callable[..., Any] | None:
        if variant in ("lra", "breast_cancer"):
            return lambda X, y, alpha, iterations: np.asarray(
                self._lra(X, y, alpha, int(iterations)).block_until_ready()
            )
        return None

    def set_threads(self, n: int) -> str | None:
        return "JAX/XLA picks its CPU threads when it starts: ran with its default"


class DaskPeer(Peer):
    name = "dask"

    def __init__(self) -> None:
        import dask
        import dask.array as da

        self._dask, self._da = dask, da
        self._threads = 1

    def implementation(self, variant: str) -> Callable[..., Any] | None:
        if variant not in ("lra", "breast_cancer"):
            return None
        da = self._da

        def lra(X, y, alpha, iterations):
            # Row blocks, one or two per thread; w stays a NumPy array between iterations.
            rows = max(1, -(-X.shape[0] // (2 * self._threads)))
            Xd = da.from_array(X, chunks=(rows, X.shape[1]))
            yd = da.from_array(y, chunks=(rows,))
            w = np.zeros(X.shape[1])
            with self._dask.config.set(scheduler="threads", num_workers=self._threads):
                for _ in range(int(iterations)):
                    pred = 1.0 / (1.0 + da.exp(-(Xd @ w)))
                    w = w - alpha * (Xd.T @ (pred - yd)).compute()
            return w

        return lra

    def set_threads(self, n: int) -> str | None:
        self._threads = n
        return None


def load(names: list[str]) -> tuple[list[Peer], list[str]]:
    """The peers of ``names`` that import, and a note for each one that did not."""
    peers, notes = [], []
    classes = {
        "numba": NumbaPeer,
        "numba_fused": NumbaFusedPeer,
        "jax": JaxPeer,
        "dask": DaskPeer,
    }
    for name in names:
        try:
            peers.append(classes[name]())
        except Exception as e:  # an optional library that fails to import is skipped
            notes.append(f"{name} skipped: {type(e).__name__}: {e}")
    return peers, notes
