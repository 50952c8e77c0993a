"""The benchmark workloads (larix.examples), their data (larix.bench.data) and the harness
(python -m larix.bench), on small sizes. Timings are not checked: benchmarks are code, not tests."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from larix.bench import __main__ as bench_main
from larix.bench import data, harness
from larix.examples import als, kmeans, lra

pytest.importorskip("sklearn")


def rel(a, b) -> float:
    return harness.relative_difference(np.asarray(a), np.asarray(b))


@pytest.fixture(scope="module")
def ratings_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("ml") / "ratings.csv"
    return data.generate_movielens(path, num_users=300, num_movies=20_000, seed=3)


# --- the workloads ---------------------------------------------------------------------------


@pytest.mark.parametrize("n,m,iterations", [(50, 7, 1), (300, 40, 25), (64, 200, 10)])
def test_lra_matches_numpy(n, m, iterations):
    X, y = data.make_classification(n, m, seed=n)
    w = lra.lra(X, y, 1e-3, iterations)
    w_numpy = lra.lra.python(X, y, 1e-3, iterations)
    assert w.shape == (m,) and w.dtype == np.float64
    assert rel(w, w_numpy) <= 1e-12


def test_lra_learns_breast_cancer():
    X, y = data.breast_cancer()
    w = lra.lra(X, y, 1e-3, 300)
    assert rel(w, lra.lra.python(X, y, 1e-3, 300)) <= 1e-12
    assert lra.accuracy(X, y, w) > 0.95  # gradient descent does learn the problem
    assert lra.accuracy(X, y, np.zeros(30)) < 0.7


def small_ratings(users=12, movies=30, seed=1):
    rng = np.random.default_rng(seed)
    stars = rng.integers(1, 11, (users, movies)) / 2.0
    return np.where(rng.random((users, movies)) < 0.25, stars, 0.0)


@pytest.mark.parametrize("kernel", [als.als, als.als_efficient], ids=["paper", "efficient"])
@pytest.mark.parametrize("iterations", [1, 3])
def test_als_matches_numpy(kernel, iterations):
    R = small_ratings()
    X0, Y0 = als.initial_factors(*R.shape, 4)
    X, Y = kernel(R, X0, Y0, 0.1, 40.0, iterations)
    X_np, Y_np = kernel.python(R, X0, Y0, 0.1, 40.0, iterations)
    assert X.shape == X0.shape and Y.shape == Y0.shape
    assert rel(X, X_np) <= 1e-10 and rel(Y, Y_np) <= 1e-10
    # The factors were updated, and the arguments were not written.
    assert rel(X, X0) > 1e-3
    np.testing.assert_array_equal(X0, als.initial_factors(*R.shape, 4)[0])


def test_als_formulations_agree():
    R = small_ratings(20, 45, seed=5)
    X0, Y0 = als.initial_factors(*R.shape, 6, seed=2)
    X_paper, Y_paper = als.als(R, X0, Y0, 0.1, 40.0, 2)
    X_fast, Y_fast = als.als_efficient(R, X0, Y0, 0.1, 40.0, 2)
    assert rel(X_paper, X_fast) <= 1e-9 and rel(Y_paper, Y_fast) <= 1e-9


def test_als_user_step_solves_the_normal_equations():
    """Independent of both formulations: after one iteration each user's row x_u solves
    (Y0^T C_u Y0 + Y0^T Y0 + reg I) x_u = Y0^T (C_u + I) p_u with the starting Y0."""
    R = small_ratings(8, 25, seed=9)
    X0, Y0 = als.initial_factors(*R.shape, 3, seed=4)
    X, _ = als.als_efficient(R, X0, Y0, 0.5, 40.0, 1)
    for u in range(R.shape[0]):
        c = 40.0 * R[u]
        p = (R[u] > 0).astype(float)
        A = Y0.T @ np.diag(c) @ Y0 + Y0.T @ Y0 + 0.5 * np.eye(3)
        b = Y0.T @ np.diag(c + 1.0) @ p
        np.testing.assert_allclose(A @ X[u], b, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("n,d,k,iterations", [(60, 2, 3, 1), (500, 5, 6, 8)])
def test_kmeans_matches_numpy(n, d, k, iterations):
    from larix.bench.workloads import blobs

    points = blobs(n, d, k, seed=n)
    start = kmeans.initial_centroids(points, k, seed=1)
    centroids, labels = kmeans.kmeans(points, start, iterations)
    c_np, l_np = kmeans.kmeans.python(points, start, iterations)
    assert labels.dtype == np.int64 and labels.shape == (n,)
    np.testing.assert_array_equal(labels, l_np)
    assert rel(centroids, c_np) <= 1e-12


def test_kmeans_converges_like_scikit_learn():
    from larix.bench.workloads import blobs
    from sklearn.cluster import KMeans

    points = blobs(400, 3, 4, seed=11)
    start = kmeans.initial_centroids(points, 4, seed=2)
    centroids, labels = kmeans.kmeans(points, start, 30)
    ref = KMeans(4, init=start, n_init=1, max_iter=300, tol=0.0, algorithm="lloyd").fit(points)
    np.testing.assert_allclose(centroids, ref.cluster_centers_, rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(labels, ref.labels_)


# --- the data --------------------------------------------------------------------------------


def test_classification_cache_npy_and_csv(tmp_path):
    X, y = data.classification(40, 6, seed=5, data_dir=tmp_path)
    assert X.shape == (40, 6) and y.shape == (40,) and set(np.unique(y)) <= {0.0, 1.0}
    assert (tmp_path / "classification_40x6_s5.npy").exists()
    X2, y2 = data.classification(40, 6, seed=5, data_dir=tmp_path)  # from the cache
    np.testing.assert_array_equal(X, X2)
    Xc, yc = data.classification(40, 6, seed=5, data_dir=tmp_path, fmt="csv")
    assert (tmp_path / "classification_40x6_s5.csv").exists()
    np.testing.assert_array_equal(X, Xc)  # the CSV round-trips exactly
    np.testing.assert_array_equal(y, yc)
    first = (tmp_path / "classification_40x6_s5.csv").read_text().splitlines()[0].split(",")
    assert len(first) == 7 and float(first[-1]) == y[0]
    X3, _ = data.classification(40, 6, seed=6, data_dir=tmp_path)
    assert not np.array_equal(X, X3)


def test_breast_cancer_loader():
    X, y = data.breast_cancer()
    assert X.shape == (569, 30) and y.shape == (569,)
    assert X.dtype == np.float64 and X.flags.c_contiguous
    np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(X.std(axis=0), 1.0, rtol=1e-12)
    assert int(y.sum()) == 357 and set(np.unique(y)) == {0.0, 1.0}  # 357 benign, 212 malignant


def test_movielens_generator_and_loader_round_trip(ratings_csv):
    with open(ratings_csv) as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["userId", "movieId", "rating", "timestamp"]
    lines = [(int(u), int(m), float(r)) for u, m, r, _ in rows[1:]]
    users = sorted({u for u, _, _ in lines})
    assert users == list(range(1, 301))
    # MovieLens-20M's density over all (user, movie) pairs, at least 20 ratings per user.
    density = len(lines) / (300 * 20_000)
    assert 0.8 * data.ML20M_DENSITY < density < 1.25 * data.ML20M_DENSITY
    per_user = np.bincount([u for u, _, _ in lines])[1:]
    assert per_user.min() >= 20 and per_user.max() > 5 * np.median(per_user)  # heavy tail
    per_movie = np.bincount([m for _, m, _ in lines])
    assert per_movie.max() > 20 * max(np.median(per_movie), 1)  # a few very popular movies
    assert {r for _, _, r in lines} == {0.5 * k for k in range(1, 11)}

    full = data.load_movielens(ratings_csv, row_stop=10**9, col_stop=10**9)
    movies = sorted({m for _, m, _ in lines})
    assert full.shape == (300, len(movies))
    assert np.count_nonzero(full) == len(lines)  # one rating per (user, movie)
    index = {m: j for j, m in enumerate(movies)}
    for u, m, r in lines[::97]:
        assert full[u - 1, index[m]] == r
    corner = data.load_movielens(ratings_csv, row_stop=50, col_stop=700)
    np.testing.assert_array_equal(corner, full[:50, :700])
    assert set(np.unique(corner)) <= {0.0} | {0.5 * k for k in range(1, 11)}


def test_movielens_loader_reads_unsorted_files_with_gaps(tmp_path):
    path = tmp_path / "ratings.csv"
    path.write_text(
        "userId,movieId,rating,timestamp\n"
        "7,30,4.5,1\n2,10,3.0,2\n7,10,1.0,3\n2,99,5.0,4\n5,30,0.5,5\n"
    )
    got = data.load_movielens(path, row_stop=2, col_stop=2)  # users 2, 5; movies 10, 30
    np.testing.assert_array_equal(got, [[3.0, 0.0], [0.0, 0.5]])
    with pytest.raises(ValueError, match="header"):
        bad = tmp_path / "bad.csv"
        bad.write_text("1,2,3.0,4\n")
        data.load_movielens(bad)


# --- the harness -----------------------------------------------------------------------------


def test_harness_quick_end_to_end(tmp_path, capsys):
    out = tmp_path / "out"
    code = bench_main.main(
        [
            "all",
            "--quick",
            "--scale",
            "0.05",
            "--threads",
            "1,2",
            "--repeat",
            "1",
            "--out",
            str(out),
            "--data-dir",
            str(tmp_path / "data"),
            "--peers",
            "none",
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert "last seven values, larix" in printed and "MISMATCH" not in printed
    assert "quick" in printed and "BLAS" in printed
    result = json.loads((out / "results.json").read_text())
    assert all(c["ok"] for c in result["checks"])
    variants = {r["variant"] for r in result["results"]}
    assert variants == {"lra", "breast_cancer", "als_efficient", "als_paper", "kmeans"}
    assert {r["threads"] for r in result["results"]} == {1, 2}
    assert {r["impl"] for r in result["results"]} == {"larix", "numpy"}
    with open(out / "results.csv") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(result["results"]) and float(rows[0]["median_s"]) > 0
    for variant in variants:
        for kind in ("time", "speedup"):
            png = out / f"{variant}_{kind}.png"
            assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert any(p.name.startswith("movielens_like") for p in (tmp_path / "data").iterdir())


def test_cli_rejects_bad_arguments():
    with pytest.raises(SystemExit):
        bench_main.main(["lra", "--threads", "0"])
    with pytest.raises(SystemExit):
        bench_main.main(["nothing"])
    with pytest.raises(SystemExit):
        bench_main.main(["lra", "--peers", "fortran"])


def test_openblas_coretype_is_unset_and_said(tmp_path):
    env = {**os.environ, "OPENBLAS_CORETYPE": "Haswell"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "larix.bench",
            "lra",
            "--quick",
            "--scale",
            "0.01",
            "--threads",
            "1",
            "--repeat",
            "1",
            "--out",
            str(tmp_path / "o"),
            "--no-plots",
            "--data-dir",
            str(tmp_path / "d"),
            "--peers",
            "none",
            "--lra-iterations",
            "3",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "unsetting it" in proc.stdout and "running without OPENBLAS_CORETYPE" in proc.stdout
    result = json.loads((tmp_path / "o" / "results.json").read_text())
    assert result["machine"]["openblas_coretype"] is None


def test_parallel_loops_script_measures_the_workload_it_names():
    # Its workers once ran ALS whatever --workload said; each now says what it measured.
    script = Path(__file__).resolve().parents[2] / "benchmarks" / "parallel_loops" / "run.py"
    proc = subprocess.run(
        [
            sys.executable,
            str(script),
            "--workload",
            "lra",
            "--rows",
            "300",
            "--cols",
            "40",
            "--iterations",
            "2",
            "--repeat",
            "1",
            "--threads",
            "1",
            "--contenders",
            "numpy",
            "larix",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "LRA 300 x 40, 2 iterations" in proc.stdout
    errors = [float(m) for m in re.findall(r"error ([0-9.e+-]+);", proc.stdout)]
    assert len(errors) == 2 and max(errors) < 1e-12


def test_numba_fused_lra_gives_numpys_weights():
    pytest.importorskip("numba")
    from larix.bench import data
    from larix.bench.peers import NumbaFusedPeer

    X, y = data.classification(500, 30)
    fused = NumbaFusedPeer().implementation("lra")
    np.testing.assert_allclose(
        fused(X, y, 1e-5, 4), lra.lra.python(X, y, iterations=4), rtol=1e-12, atol=1e-15
    )
