"""Lloyd's k-means: ``kmeans(points, centroids, iterations)`` on Larix, ``kmeans.python`` in
NumPy. Phylanx shipped k-means as an example; here it is the third workload."""

from __future__ import annotations

import numpy as np

import larix


@larix.kernel
def kmeans(points, centroids, iterations=10):
    """Centroids after ``iterations`` Lloyd steps from the given ones, and each point's label.

    A cluster that loses all its points keeps its centroid."""
    k = centroids.shape[0]
    labels = np.zeros(points.shape[0], dtype=np.int64)
    for _ in range(iterations):
        diff = points[:, None, :] - centroids[None, :, :]
        distances = np.sum(diff * diff, axis=2)
        labels = np.argmin(distances, axis=1)
        new = centroids.copy()
        for j in range(k):
            members = points[labels == j]
            if members.shape[0] > 0:
                new[j] = members.mean(axis=0)
        centroids = new
    return centroids, labels


def initial_centroids(points: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    """k distinct points chosen with a seeded generator (Forgy initialisation)."""
    rng = np.random.default_rng(seed)
    return points[rng.choice(points.shape[0], size=k, replace=False)].copy()
