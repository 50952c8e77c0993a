"""Binary logistic regression by gradient descent: the paper's LRA benchmark.

``lra(X, y)`` runs on Larix; ``lra.python(X, y)`` is the same function run by NumPy."""

from __future__ import annotations

import numpy as np

import larix


@larix.kernel
def lra(X, y, alpha=1e-5, iterations=10):
    """Weights w (one per column of X) fitted to labels y in {0, 1} by ``iterations`` steps of
    gradient descent with step ``alpha``, starting from zero."""
    w = np.zeros(X.shape[1])
    for _ in range(iterations):
        pred = 1.0 / (1.0 + np.exp(-(X @ w)))
        grad = X.T @ (pred - y)
        w -= alpha * grad
    return w


def accuracy(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Share of rows whose predicted class (``X @ w > 0``) is the label."""
    return float(np.mean((X @ w > 0) == (y > 0.5)))
