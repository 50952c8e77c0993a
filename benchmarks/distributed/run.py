"""The paper's LRA with X split by rows over MPI ranks, against one process with as many threads.

    python benchmarks/distributed/run.py [--rows 10000 --cols 10000 --iterations 5 --rounds 3]

Contenders, each in processes of its own, alternating over the rounds (OPENBLAS_CORETYPE unset):

* ``2 ranks x 1 thread``: ``mpiexec -n 2`` with LARIX_THREADS=1 (larix.distributed, X row-cut);
* ``1 rank x 2 threads``: one process, LARIX_THREADS=2, the whole X;
* ``1 rank x 1 thread``: the compute time the model divides by the ranks;
* ``NumPy, 2 BLAS threads``: the same function undecorated (threadpoolctl says which kernel).

Each process draws X (``larix.distributed.random``: the same array whatever the ranks) and labels,
compiles with one iteration, then times ``lra(X, y, alpha, iterations)`` ``--reps`` times; its time
is the median over the reps divided by the iterations. It also reports the bytes this rank sent per
iteration and, for the model, the time of one exchange of ``cols`` doubles (a product summed over
the ranks whose compute is negligible). The model: time per iteration on R ranks = (1-thread time)
/ R + exchange time. A benchmark, not a test: no thresholds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

import numpy as np


def worker(args: argparse.Namespace) -> None:
    import larix
    import larix.distributed as ld
    from larix.examples.lra import lra

    rank, ranks = ld.rank(), ld.size()
    X = ld.random((args.rows, args.cols), seed=1) if ranks > 1 else None
    if X is None:  # one process: the whole array (the same numbers as the tiles)
        X = ld.gather(ld.random((args.rows, args.cols), seed=1))
    w_true = np.random.default_rng(1).standard_normal(args.cols)
    labels = larix.kernel(lambda X, w: (X @ w > 0.5 * np.sum(w)).astype(np.float64))
    y = labels(X, w_true)
    alpha = 1e-6
    out: dict = {"ranks": ranks, "threads": larix.threads()}
    if args.numpy:
        from threadpoolctl import threadpool_info, threadpool_limits

        fn = lra.python if hasattr(lra, "python") else None
        assert fn is not None, "larix.examples.lra.lra has no .python"
        with threadpool_limits(args.numpy):
            fn(X, y, alpha, 1)
            times = []
            for _ in range(args.reps):
                start = time.perf_counter()
                fn(X, y, alpha, args.iterations)
                times.append((time.perf_counter() - start) / args.iterations)
            info = [
                f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} "
                f"{i.get('num_threads')} threads ({os.path.basename(i.get('filepath', ''))})"
                for i in threadpool_info()
                if i.get("user_api") == "blas"
            ]
        out.update(numpy_blas=info, seconds=statistics.median(times))
        print(json.dumps(out))
        return
    lra(X, y, alpha, 1)
    sent = ld.counters()["bytes_sent"]
    times = []
    for _ in range(args.reps):
        start = time.perf_counter()
        lra(X, y, alpha, args.iterations)
        times.append((time.perf_counter() - start) / args.iterations)
    out["bytes_sent_per_iteration"] = (ld.counters()["bytes_sent"] - sent) / (
        args.reps * args.iterations
    )
    out["seconds"] = statistics.median(times)
    # One exchange of `cols` doubles: Z.T @ q with one row of Z per rank (the product is nothing).
    Z, q = ld.zeros((ranks, args.cols)), ld.ones((ranks,))
    reduce = larix.kernel(lambda Z, q: Z.T @ q)
    reduce(Z, q)
    exchange = []
    for _ in range(50):
        start = time.perf_counter()
        reduce(Z, q)
        exchange.append(time.perf_counter() - start)
    out["exchange_seconds"] = statistics.median(exchange)
    if rank == 0:
        print(json.dumps(out))


def run(command: list[str], threads: int) -> dict:
    env = dict(os.environ, LARIX_THREADS=str(threads))
    env.pop("OPENBLAS_CORETYPE", None)
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--cols", type=int, default=10_000)
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ranks", type=int, default=2)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--numpy", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    mpiexec = shutil.which("mpiexec", path=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    if mpiexec is None:
        sys.exit('mpiexec not found: pip install ".[mpi]"')
    me = [sys.executable, os.path.abspath(__file__), "--worker"]
    sizes = ["--rows", str(args.rows), "--cols", str(args.cols), "--iterations", str(args.iterations),
             "--reps", str(args.reps)]
    R = args.ranks
    contenders = {
        f"{R} ranks x 1 thread": ([mpiexec, "-n", str(R), *me, *sizes], 1),
        f"1 rank x {R} threads": ([*me, *sizes], R),
        "1 rank x 1 thread": ([*me, *sizes], 1),
        f"NumPy, {R} BLAS threads": ([*me, *sizes, "--numpy", str(R)], 1),
    }
    results: dict[str, list[dict]] = {name: [] for name in contenders}
    for r in range(args.rounds):
        for name, (command, threads) in contenders.items():
            results[name].append(run(command, threads))
            print(f"round {r + 1}/{args.rounds}: {name}: {1e3 * results[name][-1]['seconds']:.2f} ms per iteration",
                  file=sys.stderr, flush=True)
    median = {name: statistics.median(x["seconds"] for x in rs) for name, rs in results.items()}
    dist = results[f"{R} ranks x 1 thread"]
    exchange = statistics.median(x["exchange_seconds"] for x in dist)
    sent = statistics.median(x["bytes_sent_per_iteration"] for x in dist)
    model = median["1 rank x 1 thread"] / R + exchange
    print(f"LRA {args.rows} x {args.cols}, {args.iterations} iterations, median of {args.rounds} rounds "
          f"(each the median of {args.reps} runs); OPENBLAS_CORETYPE unset")
    print()
    print("| contender | ms per iteration | speed vs 1 rank x %d threads |" % R)
    print("|---|---|---|")
    base = median[f"1 rank x {R} threads"]
    for name, t in median.items():
        print(f"| {name} | {1e3 * t:.2f} | {base / t:.2f}x |")
    print()
    print(f"bytes each rank sent per iteration: {sent:.0f} (one exchange of {args.cols} doubles with "
          f"{R - 1} other rank(s), plus headers)")
    print(f"one exchange of {args.cols} doubles: {1e6 * exchange:.0f} us")
    print(f"model: 1-thread time / {R} + exchange = {1e3 * model:.2f} ms per iteration; measured "
          f"{1e3 * median[f'{R} ranks x 1 thread']:.2f} ms")
    blas = results[f"NumPy, {R} BLAS threads"][0].get("numpy_blas")
    print(f"NumPy's BLAS: {blas}")


if __name__ == "__main__":
    main()
