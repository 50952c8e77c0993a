"""Larix's flagship example: logistic regression (the paper's LRA) on Larix and on NumPy.

    python examples/flagship.py [--rows 20000] [--cols 200] [--iterations 100] [--threads N]

Runs the PhySL program examples/lra.physl on a seeded classification problem, the same algorithm
in NumPy on the same data, and prints both results, their agreement and their times.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

import larix

HERE = Path(__file__).resolve().parent


def make_data(rows: int, cols: int, seed: int = 42) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((rows, cols))
    true_w = rng.standard_normal(cols)
    y = (x @ true_w + 0.5 * rng.standard_normal(rows) > 0).astype(np.float64)
    return x, y


def lra_numpy(x: np.ndarray, y: np.ndarray, alpha: float, iterations: int) -> np.ndarray:
    w = np.zeros(x.shape[1])
    for _ in range(iterations):
        pred = 1.0 / (1.0 + np.exp(-(x @ w)))
        w = w - alpha * ((pred - y) @ x)
    return w


def accuracy(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    return float(np.mean((x @ w > 0) == (y > 0.5)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--cols", type=int, default=200)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--alpha", type=float, default=1e-5)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()

    larix.init(args.threads)
    x, y = make_data(args.rows, args.cols)
    blas = "NumPy's BLAS threads: default"
    try:  # compare at the same thread count: NumPy's OpenBLAS gets as many threads as Larix
        from threadpoolctl import ThreadpoolController

        # Only NumPy's own BLAS: Larix's OpenBLAS stays single-threaded inside its tasks.
        for lib in ThreadpoolController().lib_controllers:
            if lib.user_api == "blas" and "numpy" in lib.filepath:
                lib.set_num_threads(larix.threads())
                blas = (
                    f"NumPy's BLAS: {lib.internal_api} {lib.version} "
                    f"({getattr(lib, 'architecture', '?')}), {lib.num_threads} thread(s)"
                )
    except ImportError:
        pass
    lra = larix.compile((HERE / "lra.physl").read_text(), source_name="examples/lra.physl")

    lra(x[:100], y[:100], args.alpha, 1)  # warm up (first runs measure node costs)
    start = time.perf_counter()
    w_larix = lra(x, y, args.alpha, args.iterations)
    t_larix = time.perf_counter() - start
    start = time.perf_counter()
    w_numpy = lra_numpy(x, y, args.alpha, args.iterations)
    t_numpy = time.perf_counter() - start

    rel = np.max(np.abs(w_larix - w_numpy)) / np.max(np.abs(w_numpy))
    print(
        f"logistic regression: {args.rows} x {args.cols}, {args.iterations} iterations, "
        f"{larix.threads()} thread(s)"
    )
    print(f"  accuracy  Larix {accuracy(x, y, w_larix):.4f}   NumPy {accuracy(x, y, w_numpy):.4f}")
    print(f"  weights agree to {rel:.1e} (relative); last three: {w_larix[-3:]}")
    print(f"  {blas}")
    print(
        f"  time      Larix {t_larix:.3f} s   NumPy {t_numpy:.3f} s   "
        f"(NumPy/Larix {t_numpy / t_larix:.2f}x)"
    )


if __name__ == "__main__":
    main()
