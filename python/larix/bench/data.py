"""Data for the benchmarks: generated, cached on disk (never in the repository), and loaded.

- :func:`classification`: the paper's "custom" data set, a seeded binary classification problem
  of n observations x m features (float64), cached as ``.npy`` (and as CSV on request: one row
  per observation, the features then the 0/1 label).
- :func:`breast_cancer`: scikit-learn's bundled copy of the Wisconsin breast cancer data (569 x 30),
  standardized per feature.
- :func:`load_movielens`: MovieLens ``ratings.csv`` (``userId,movieId,rating,timestamp``) as the
  dense users x movies matrix of the first ``row_stop`` users and ``col_stop`` movies.
- :func:`generate_movielens`: a seeded MovieLens-like ``ratings.csv`` (power-law movie popularity
  and user activity, 0.5-5 stars in half steps, MovieLens-20M's density) for the loader.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import numpy as np

#: MovieLens-20M: 20,000,263 ratings by 138,493 users of 27,278 movies.
ML20M_DENSITY = 20_000_263 / (138_493 * 27_278)  # 0.53 %
#: Share of each half-star rating in MovieLens-20M (0.5, 1.0, ..., 5.0), approximately.
ML20M_STAR_SHARES = (0.011, 0.033, 0.012, 0.072, 0.044, 0.213, 0.105, 0.278, 0.077, 0.145)
#: Every MovieLens user rated at least 20 movies.
ML_MIN_RATINGS_PER_USER = 20


def cache_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """Where generated data lives: ``data_dir``, else ``$LARIX_BENCH_DATA``, else
    ``$XDG_CACHE_HOME/larix/bench`` (``~/.cache/larix/bench``)."""
    if data_dir is None:
        data_dir = os.environ.get("LARIX_BENCH_DATA")
    if data_dir is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        data_dir = os.path.join(base, "larix", "bench")
    path = Path(data_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _save_npy(path: Path, array: np.ndarray) -> None:
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, array)
    os.replace(tmp, path)  # a run stopped half-way leaves no truncated cache file


# --- the paper's custom classification data set ----------------------------------------------


def make_classification(n: int, m: int, seed: int = 42) -> tuple[np.ndarray, np.ndarray]:
    """n x m standard normal features and labels y = [X w + noise > 0] for a seeded random w."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, m))
    true_w = rng.standard_normal(m) / np.sqrt(m)
    y = (X @ true_w + 0.5 * rng.standard_normal(n) > 0).astype(np.float64)
    return X, y


def classification(
    n: int,
    m: int,
    seed: int = 42,
    data_dir: str | os.PathLike | None = None,
    fmt: str = "npy",
) -> tuple[np.ndarray, np.ndarray]:
    """The seeded n x m classification problem, generated once and then read from the cache.

    ``fmt="npy"`` reads ``classification_{n}x{m}_s{seed}.npy``; ``fmt="csv"`` writes (once) and
    reads the CSV form, the paper's format (features, then the label, per line)."""
    if fmt not in ("npy", "csv"):
        raise ValueError(f"fmt must be 'npy' or 'csv', not {fmt!r}")
    base = cache_dir(data_dir) / f"classification_{n}x{m}_s{seed}"
    npy = base.with_suffix(".npy")
    if npy.exists():
        data = np.load(npy)
    else:
        X, y = make_classification(n, m, seed)
        data = np.column_stack([X, y])
        _save_npy(npy, data)
    if fmt == "csv":
        csv = base.with_suffix(".csv")
        if not csv.exists():
            write_classification_csv(csv, data[:, :-1], data[:, -1])
        data = np.loadtxt(csv, delimiter=",", ndmin=2)
    return np.ascontiguousarray(data[:, :-1]), np.ascontiguousarray(data[:, -1])


def write_classification_csv(path: str | os.PathLike, X: np.ndarray, y: np.ndarray) -> None:
    """One line per observation: the features, then the label (values round-trip exactly)."""
    tmp = Path(f"{path}.{os.getpid()}.tmp")  # processes that generate at once do not mix
    np.savetxt(tmp, np.column_stack([X, y]), delimiter=",", fmt="%.17g")
    os.replace(tmp, path)


# --- breast cancer -------------------------------------------------------------------------


def breast_cancer() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's breast cancer data (569 x 30), each feature standardized to mean 0 and
    standard deviation 1; labels 1.0 (benign) and 0.0 (malignant)."""
    try:
        from sklearn.datasets import load_breast_cancer
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "the breast cancer data comes with scikit-learn: pip install scikit-learn "
            "(or pip install larix[bench])"
        ) from e
    data = load_breast_cancer()
    X = np.asarray(data.data, dtype=np.float64)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return np.ascontiguousarray(X), np.asarray(data.target, dtype=np.float64)


# --- MovieLens -----------------------------------------------------------------------------


def generate_movielens(
    path: str | os.PathLike,
    num_users: int = 2_000,
    num_movies: int = 27_278,
    density: float = ML20M_DENSITY,
    seed: int = 0,
    popularity_exponent: float = 1.0,
    activity_exponent: float = 1.5,
) -> Path:
    """Writes a MovieLens-like ``ratings.csv`` and returns its path.

    Movie popularity follows a Zipf law (weight ~ rank^-popularity_exponent, ranks shuffled over
    the movie ids); the number of movies a user rated follows a Pareto law of tail index
    ``activity_exponent`` (at least 20, at most every movie), scaled so that the share of rated
    (user, movie) pairs is ``density``. A user's movies are drawn without replacement by
    popularity; stars are 0.5..5 in half steps with MovieLens-20M's shares. Lines are sorted by
    userId, then movieId, as in the real file; ids start at 1."""
    rng = np.random.default_rng(seed)
    ranks = rng.permutation(num_movies) + 1
    log_weight = -popularity_exponent * np.log(ranks.astype(np.float64))

    raw = rng.pareto(activity_exponent, num_users) + 1.0
    target = density * num_users * num_movies
    extra = max(target - ML_MIN_RATINGS_PER_USER * num_users, 0.0)
    counts = ML_MIN_RATINGS_PER_USER + extra * raw / raw.sum()
    # No user rates more than a third of the movies (MovieLens-20M's most active: 34 %): what a
    # user above that loses goes to the others, in proportion to their share above the minimum.
    cap = max(num_movies / 3, ML_MIN_RATINGS_PER_USER)
    for _ in range(20):
        over = counts > cap
        if not over.any():
            break
        spill = np.sum(counts[over] - cap)
        counts[over] = cap
        room = np.where(over, 0.0, counts - ML_MIN_RATINGS_PER_USER)
        if room.sum() <= 0:
            break
        counts += spill * room / room.sum()
    counts = np.clip(np.rint(counts).astype(np.int64), 1, num_movies)

    stars = np.arange(1, 11) / 2.0
    shares = np.asarray(ML20M_STAR_SHARES) / np.sum(ML20M_STAR_SHARES)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(f"{path}.{os.getpid()}.tmp")  # processes that generate at once do not mix
    with open(tmp, "w") as out:
        out.write("userId,movieId,rating,timestamp\n")
        for user, count in enumerate(counts, start=1):
            # Weighted sampling without replacement: the largest log-weight + Gumbel noise.
            keys = log_weight + rng.gumbel(size=num_movies)
            movies = np.sort(np.argpartition(keys, -count)[-count:]) + 1
            rating = rng.choice(stars, size=count, p=shares)
            stamp = rng.integers(789_652_009, 1_427_784_002, size=count)
            out.write(
                "".join(f"{user},{m},{r:.1f},{t}\n" for m, r, t in zip(movies, rating, stamp))
            )
    os.replace(tmp, path)
    return path


def movielens_like(
    data_dir: str | os.PathLike | None = None,
    num_users: int = 2_000,
    num_movies: int = 27_278,
    seed: int = 0,
) -> Path:
    """The cached generated ``ratings.csv`` (generated on first use)."""
    path = cache_dir(data_dir) / f"movielens_like_{num_users}x{num_movies}_s{seed}" / "ratings.csv"
    if not path.exists():
        generate_movielens(path, num_users, num_movies, seed=seed)
    return path


def load_movielens(
    path: str | os.PathLike, row_stop: int = 700, col_stop: int = 20_000, chunk: int = 500_000
) -> np.ndarray:
    """The dense float64 matrix of the ratings of the first ``row_stop`` users (by userId) for the
    first ``col_stop`` movies (by movieId, among all movies rated in the file), 0 where a user
    did not rate a movie: the top-left corner of the users x movies matrix, as the paper used.
    Reads ``userId,movieId,rating,timestamp`` lines after a header."""
    users: list[np.ndarray] = []
    movies: list[np.ndarray] = []
    ratings: list[np.ndarray] = []
    with open(path) as f:
        header = f.readline()
        if not header.lower().replace(" ", "").startswith("userid,movieid,rating"):
            raise ValueError(f"{path}: expected a 'userId,movieId,rating,timestamp' header")
        while True:
            lines = list(itertools.islice(f, chunk))
            if not lines:
                break
            block = np.loadtxt(lines, delimiter=",", usecols=(0, 1, 2), ndmin=2)
            users.append(block[:, 0].astype(np.int64))
            movies.append(block[:, 1].astype(np.int64))
            ratings.append(block[:, 2])
    if not users:
        return np.zeros((0, 0))
    u, m, r = np.concatenate(users), np.concatenate(movies), np.concatenate(ratings)
    user_ids = np.unique(u)[:row_stop]
    movie_ids = np.unique(m)[:col_stop]
    keep = np.isin(u, user_ids) & np.isin(m, movie_ids)
    dense = np.zeros((len(user_ids), len(movie_ids)))
    dense[np.searchsorted(user_ids, u[keep]), np.searchsorted(movie_ids, m[keep])] = r[keep]
    return dense
