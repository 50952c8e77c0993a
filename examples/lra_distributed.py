"""The paper's logistic regression with X cut into rows over MPI ranks.

    pip install ".[mpi]"
    mpirun -n 2 python examples/lra_distributed.py

Every rank runs this same script. Each one draws only its own rows of X (larix.distributed.random)
and labels them; the kernel is larix.examples.lra's, unchanged: X @ w stays on each rank (its rows),
X.T @ (p - y) adds up each rank's part over the ranks (one exchange of `cols` doubles per
iteration). Rank 0 then gathers X and y, runs the same kernel on the whole arrays in one process,
and prints whether the weights match ("match": within 1e-10 relative) or not ("mismatch").
"""

from __future__ import annotations

import argparse
import time

import larix.distributed as ld
import numpy as np
from larix.examples.lra import lra

import larix


@larix.kernel
def labels(X, w_true):
    """1.0 where a row is on the positive side of the hyperplane w_true, else 0.0."""
    return (X @ w_true > 0.5 * np.sum(w_true)).astype(np.float64)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--cols", type=int, default=100)
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rank, ranks = ld.rank(), ld.size()

    X = ld.random((args.rows, args.cols), seed=args.seed)  # each rank draws its rows only
    w_true = np.random.default_rng(args.seed).standard_normal(args.cols)
    y = labels(X, w_true)
    alpha = 1e-5
    lra(X, y, alpha, 1)  # compiles the kernel; the run below is timed alone
    start = time.perf_counter()
    w = lra(X, y, alpha, args.iterations)
    took = time.perf_counter() - start
    sent = ld.counters()["bytes_sent"]

    X_whole, y_whole = ld.gather(X), ld.gather(y)  # on rank 0
    if rank == 0:
        print(
            f"{ranks} rank(s) x {larix.threads()} thread(s): X {args.rows} x {args.cols}, "
            f"{args.iterations} iterations in {took:.3f} s ({1e3 * took / args.iterations:.2f} "
            f"ms per iteration); rank 0 sent {sent} bytes in all"
        )
        one = lra(X_whole, y_whole, alpha, args.iterations)  # the single-process run
        error = np.max(np.abs(w - one)) / max(np.max(np.abs(one)), 1e-300)
        print(f"weights vs one process: largest relative difference {error:.2e}")
        print("match" if error <= 1e-10 else "mismatch")


if __name__ == "__main__":
    main()
