"""The benchmark workloads: their sizes (the paper's, and scaled down for ``--quick``), their
data, and how a result is compared.

A :class:`Case` is one size of one workload: it makes its arguments once, then each
implementation (Larix, NumPy, peers) is called on the same arguments."""

from __future__ import annotations

import dataclasses
import os
from typing import Any, Callable

import numpy as np

from . import data

#: The paper ran ALS once (``--iterations=1``) on the first 700 MovieLens users.
ALS_USERS = 700


@dataclasses.dataclass
class Case:
    """One size of one benchmark."""

    benchmark: str  # "lra", "als", "kmeans"
    variant: str  # "lra", "breast_cancer", "als_paper", "als_efficient", "kmeans"
    label: str  # the size as shown in tables and plots
    params: dict[str, Any]
    make_args: Callable[[], tuple]  # the arguments (made once per case)
    larix: Callable[..., Any]  # the @larix.kernel
    numpy: Callable[..., Any]  # the same function run by NumPy (kernel.python)
    flatten: Callable[[Any], np.ndarray]  # a result as one vector, for the check
    note: str = ""

    @property
    def key(self) -> str:
        return f"{self.variant} {self.label}"


def _scaled(value: int, scale: float, least: int = 1) -> int:
    return max(least, int(round(value * scale)))


# --- sizes -----------------------------------------------------------------------------------

#: (n observations, m features, iterations). The paper: 10,000 x 10,000; its Python baseline ran
#: 10,000 iterations, which is ~30 min per run here: we run 100 (--lra-iterations changes it).
LRA_FULL = [(10_000, 10_000, 100)]
LRA_QUICK = [(2_000, 2_000, 20)]
#: Breast cancer: a small real problem (569 x 30), gradient descent steps.
BREAST_CANCER_ITERATIONS = {"full": 1_000, "quick": 200}
#: ALS (users, movies, factors), efficient formulation: the paper's sizes.
ALS_EFFICIENT_FULL = [
    (ALS_USERS, movies, f) for f in (10, 20, 40) for movies in (5_000, 10_000, 20_000)
]
ALS_EFFICIENT_QUICK = [(100, movies, f) for f in (10, 20) for movies in (500, 1_000)]
#: The paper's formulation builds diag(c_u), movies x movies per user: at 20,000 movies that is
#: 3.2 GB and 700 x 1.6e10 flops per iteration (hours here). Its movies are scaled to 1/10.
ALS_PAPER_FULL = [(ALS_USERS, movies, f) for f in (10, 20, 40) for movies in (500, 1_000, 2_000)]
ALS_PAPER_QUICK = [(100, movies, 10) for movies in (200, 400)]
#: k-means (points, dimensions, clusters, iterations).
KMEANS_FULL = [(100_000, 16, 16, 20), (200_000, 16, 16, 20)]
KMEANS_QUICK = [(10_000, 8, 8, 10)]


# --- the cases -------------------------------------------------------------------------------


def lra_cases(
    mode: str,
    scale: float = 1.0,
    data_dir: str | os.PathLike | None = None,
    iterations: int | None = None,
    data_format: str = "npy",
) -> list[Case]:
    from ..examples import lra

    cases = []
    for n, m, its in LRA_FULL if mode == "full" else LRA_QUICK:
        n, m = _scaled(n, scale, 10), _scaled(m, scale, 2)
        its = iterations or its

        def make(n: int = n, m: int = m, its: int = its) -> tuple:
            X, y = data.classification(n, m, data_dir=data_dir, fmt=data_format)
            return X, y, 1e-5, its

        cases.append(
            Case(
                "lra",
                "lra",
                f"{n}x{m}",
                {"n": n, "m": m, "iterations": its, "alpha": 1e-5},
                make,
                lra.lra,
                lra.lra.python,
                np.asarray,
            )
        )

    its = iterations or BREAST_CANCER_ITERATIONS[mode]

    def make_bc(its: int = its) -> tuple:
        X, y = data.breast_cancer()
        return X, y, 1e-5, its

    cases.append(
        Case(
            "lra",
            "breast_cancer",
            "569x30",
            {"n": 569, "m": 30, "iterations": its, "alpha": 1e-5},
            make_bc,
            lra.lra,
            lra.lra.python,
            np.asarray,
        )
    )
    return cases


def als_cases(
    mode: str,
    scale: float = 1.0,
    data_dir: str | os.PathLike | None = None,
    ratings_csv: str | os.PathLike | None = None,
    forms: tuple[str, ...] = ("efficient", "paper"),
) -> list[Case]:
    from ..examples import als

    def flatten(result: Any) -> np.ndarray:
        # Item factors, then user factors: the last seven values printed are the last user's
        # (a movie nobody in the slice rated has zero factors; every MovieLens user rated some).
        X, Y = result
        return np.concatenate([np.ravel(Y), np.ravel(X)])

    def csv_path() -> str | os.PathLike:
        return ratings_csv or data.movielens_like(data_dir)

    source = "MovieLens ratings.csv" if ratings_csv else "generated MovieLens-like ratings.csv"
    cases = []
    for form in forms:
        if form == "efficient":
            sizes = ALS_EFFICIENT_FULL if mode == "full" else ALS_EFFICIENT_QUICK
            kernel = als.als_efficient
        else:
            sizes = ALS_PAPER_FULL if mode == "full" else ALS_PAPER_QUICK
            kernel = als.als
        for users, movies, f in sizes:
            users, movies = _scaled(users, scale, 2), _scaled(movies, scale, 2)

            def make(users: int = users, movies: int = movies, f: int = f) -> tuple:
                ratings = data.load_movielens(csv_path(), row_stop=users, col_stop=movies)
                X0, Y0 = als.initial_factors(ratings.shape[0], ratings.shape[1], f)
                return ratings, X0, Y0, 0.1, 40.0, 1

            cases.append(
                Case(
                    "als",
                    f"als_{form}",
                    f"f={f} {users}x{movies}",
                    {
                        "users": users,
                        "movies": movies,
                        "factors": f,
                        "iterations": 1,
                        "regularization": 0.1,
                        "alpha": 40.0,
                        "form": form,
                    },
                    make,
                    kernel,
                    kernel.python,
                    flatten,
                    note=source,
                )
            )
    return cases


def kmeans_cases(mode: str, scale: float = 1.0) -> list[Case]:
    from ..examples import kmeans

    def flatten(result: Any) -> np.ndarray:
        centroids, labels = result
        return np.concatenate([np.ravel(centroids), np.ravel(labels).astype(np.float64)])

    cases = []
    for n, d, k, its in KMEANS_FULL if mode == "full" else KMEANS_QUICK:
        n = _scaled(n, scale, 4 * k)

        def make(n: int = n, d: int = d, k: int = k, its: int = its) -> tuple:
            points = blobs(n, d, k)
            return points, kmeans.initial_centroids(points, k), its

        cases.append(
            Case(
                "kmeans",
                "kmeans",
                f"{n}x{d} k={k}",
                {"points": n, "dims": d, "k": k, "iterations": its},
                make,
                kmeans.kmeans,
                kmeans.kmeans.python,
                flatten,
            )
        )
    return cases


def blobs(n: int, d: int, k: int, seed: int = 7) -> np.ndarray:
    """n points in d dimensions around k seeded centres drawn in [-8, 8]^d, unit spread."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-8.0, 8.0, (k, d))
    return centres[rng.integers(0, k, n)] + rng.standard_normal((n, d))
