"""Implicit-feedback alternating least squares (Hu, Koren, Volinsky 2008), the paper's ALS.

``ratings`` is a dense users x items matrix (0 where a user did not rate an item). The confidence
of an observation is ``alpha * r``, its preference ``p = 1`` where ``r > 0``. Each iteration
solves, for every user u with item factors Y fixed,

    x_u = inv(Y.T C_u Y + Y.T Y + reg I) Y.T (C_u + I) p_u,    C_u = diag(alpha * r_u),

then, with the new user factors X fixed, the same for every item. ``als`` builds C_u as a dense
diagonal matrix as the paper's code does; ``als_efficient`` computes the same products by scaling
rows (``(Y.T * c_u) @ Y``) and solves instead of inverting. Both start from the factors passed in
(see :func:`initial_factors`) and give the same result up to rounding.
"""

from __future__ import annotations

import numpy as np

import larix
import larix.distributed as ld


@larix.kernel
def als(ratings, X, Y, regularization=0.1, alpha=40.0, iterations=1):
    """User factors X and item factors Y after ``iterations`` alternations (paper's form)."""
    num_users = ratings.shape[0]
    num_items = ratings.shape[1]
    num_factors = X.shape[1]
    X = X.copy()
    Y = Y.copy()
    conf = alpha * ratings
    I_f = np.identity(num_factors)
    I_i = np.identity(num_items)
    I_u = np.identity(num_users)
    for _ in range(iterations):
        YtY = Y.T @ Y
        for u in range(num_users):
            c_u = conf[u, :]
            C_u = np.diag(c_u)
            p_u = np.where(c_u > 0, 1.0, 0.0)
            A = Y.T @ C_u @ Y + YtY + regularization * I_f
            b = Y.T @ (C_u + I_i) @ p_u
            X[u, :] = np.linalg.inv(A) @ b
        XtX = X.T @ X
        for i in range(num_items):
            c_i = conf[:, i]
            C_i = np.diag(c_i)
            p_i = np.where(c_i > 0, 1.0, 0.0)
            A = X.T @ C_i @ X + XtX + regularization * I_f
            b = X.T @ (C_i + I_u) @ p_i
            Y[i, :] = np.linalg.inv(A) @ b
    return X, Y


@larix.kernel
def als_efficient(ratings, X, Y, regularization=0.1, alpha=40.0, iterations=1):
    """The same factors as :func:`als`, without dense diagonal matrices or inverses."""
    num_users = ratings.shape[0]
    num_items = ratings.shape[1]
    X = X.copy()
    Y = Y.copy()
    conf = alpha * ratings
    I_f = np.identity(X.shape[1])
    for _ in range(iterations):
        YtY = Y.T @ Y
        for u in range(num_users):
            c_u = conf[u, :]
            p_u = np.where(c_u > 0, 1.0, 0.0)
            A = (Y.T * c_u) @ Y + YtY + regularization * I_f
            b = Y.T @ ((c_u + 1.0) * p_u)
            X[u, :] = np.linalg.solve(A, b)
        XtX = X.T @ X
        for i in range(num_items):
            c_i = conf[:, i]
            p_i = np.where(c_i > 0, 1.0, 0.0)
            A = (X.T * c_i) @ X + XtX + regularization * I_f
            b = X.T @ ((c_i + 1.0) * p_i)
            Y[i, :] = np.linalg.solve(A, b)
    return X, Y


def initial_factors(
    num_users: int, num_items: int, num_factors: int, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Seeded uniform [0, 1) starting factors X (users x f) and Y (items x f)."""
    rng = np.random.default_rng(seed)
    return rng.random((num_users, num_factors)), rng.random((num_items, num_factors))


@larix.kernel
def als_distributed(ratings, ratings_t, X, Y, regularization=0.1, alpha=40.0, iterations=1):
    """:func:`als_efficient` with users and items split over MPI ranks (larix.distributed):
    ``ratings`` cut into rows (each rank its users), ``ratings_t`` its transpose cut into rows
    (each rank its items), X and Y whole on every rank. Each rank solves for its own users, the
    ranks put their rows of X together (one all-gather), then the same for the items: the factors
    of one process, on every rank."""
    conf_u = alpha * ld.local(ratings)  # this rank's users
    conf_i = alpha * ld.local(ratings_t)  # this rank's items
    I_f = np.identity(X.shape[1])
    X_mine = np.zeros((conf_u.shape[0], X.shape[1]))
    Y_mine = np.zeros((conf_i.shape[0], Y.shape[1]))
    for _ in range(iterations):
        YtY = Y.T @ Y
        for u in range(conf_u.shape[0]):
            c_u = conf_u[u, :]
            p_u = np.where(c_u > 0, 1.0, 0.0)
            A = (Y.T * c_u) @ Y + YtY + regularization * I_f
            b = Y.T @ ((c_u + 1.0) * p_u)
            X_mine[u, :] = np.linalg.solve(A, b)
        X = ld.all_gather(ld.from_tiles(X_mine))
        XtX = X.T @ X
        for i in range(conf_i.shape[0]):
            c_i = conf_i[i, :]
            p_i = np.where(c_i > 0, 1.0, 0.0)
            A = (X.T * c_i) @ X + XtX + regularization * I_f
            b = X.T @ ((c_i + 1.0) * p_i)
            Y_mine[i, :] = np.linalg.solve(A, b)
        Y = ld.all_gather(ld.from_tiles(Y_mine))
    return X, Y
