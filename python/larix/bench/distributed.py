"""``python -m larix.bench lra|als --ranks N``: the paper's LRA and ALS with their data cut over N
MPI ranks (larix.distributed), against one process with N threads. It launches ``mpiexec``
itself (``pip install ".[mpi]"``).

Contenders, each in processes of its own, alternating over the rounds:

* ``N ranks x 1 thread``: ``mpiexec -n N``, LARIX_THREADS=1 on each rank;
* ``1 rank x N threads``: one process, LARIX_THREADS=N, the whole data;
* ``1 rank x 1 thread``: the compute time the model divides by the ranks;
* ``NumPy, N BLAS threads``: the same function undecorated (threadpoolctl says which BLAS).

LRA: X drawn by ``larix.distributed.random`` (each rank its rows; the same array whatever the
ranks), labels from a hyperplane, ``larix.examples.lra``. ALS: the generated MovieLens-like
ratings (as ``python -m larix.bench als``), ``als_distributed`` (each rank its users and its items,
one all-gather of each factor matrix per iteration) against ``als_efficient``. Each process checks
its result against one process's, then times ``--repeat`` runs; the table has the median over the
rounds of each process's median. The model: time on N ranks = (1-thread time) / N + the time of
the exchanges, measured alone. A benchmark, not a test: no thresholds.
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
from pathlib import Path
from typing import Any

import numpy as np

SIZES = {
    ("lra", "full"): {"rows": 10_000, "cols": 10_000, "iterations": 5},
    ("lra", "quick"): {"rows": 2_000, "cols": 2_000, "iterations": 5},
    ("als", "full"): {"users": 700, "movies": 5_000, "factors": 10, "iterations": 1},
    ("als", "quick"): {"users": 100, "movies": 1_000, "factors": 10, "iterations": 1},
}


def _lra_worker(sizes: dict, repeat: int, numpy_threads: int) -> dict:
    import larix
    import larix.distributed as ld
    from larix.examples.lra import lra

    ranks = ld.size()
    X = ld.random((sizes["rows"], sizes["cols"]), seed=1)
    if ranks == 1:
        X = ld.gather(X)  # one process: the whole array
    w_true = np.random.default_rng(1).standard_normal(sizes["cols"])
    y = larix.kernel(lambda X, w: (X @ w > 0.5 * np.sum(w)).astype(np.float64))(X, w_true)
    alpha, its = 1e-6, sizes["iterations"]
    if numpy_threads:
        return _numpy_times(lra.python, (X, y, alpha, its), repeat, numpy_threads, its)
    out = _larix_times(lra, (X, y, alpha, its), repeat, its)
    Z, q = ld.zeros((ranks, sizes["cols"])), ld.ones((ranks,))
    out["exchange_seconds"] = _median_time(larix.kernel(lambda Z, q: Z.T @ q), (Z, q), 50)
    out["exchange"] = f"one sum of {sizes['cols']} doubles over the ranks"
    Xw, yw = ld.gather(X), ld.gather(y)
    if ld.rank() == 0:
        want = lra.python(Xw, yw, alpha, its)
        out["error"] = float(np.max(np.abs(out.pop("result") - want)) / np.max(np.abs(want)))
    return out


def _als_worker(sizes: dict, repeat: int, numpy_threads: int) -> dict:
    import larix
    import larix.distributed as ld
    from larix.examples import als

    from . import data

    ratings = data.load_movielens(
        data.movielens_like(), row_stop=sizes["users"], col_stop=sizes["movies"]
    )
    X0, Y0 = als.initial_factors(ratings.shape[0], ratings.shape[1], sizes["factors"])
    args = (ratings, X0, Y0, 0.1, 40.0, sizes["iterations"])
    if numpy_threads:
        return _numpy_times(als.als_efficient.python, args, repeat, numpy_threads, 1)
    if ld.size() == 1:
        out = _larix_times(als.als_efficient, args, repeat, 1)
    else:
        cut = (ld.from_array(ratings), ld.from_array(np.ascontiguousarray(ratings.T)))
        out = _larix_times(als.als_distributed, (*cut, *args[1:]), repeat, 1)
        gather = larix.kernel(lambda x: ld.all_gather(ld.from_tiles(x)))
        out["exchange_seconds"] = sum(
            _median_time(gather, (np.zeros((ld.local(c).shape[0], sizes["factors"])),), 20)
            for c in cut
        )
        out["exchange"] = "the all-gathers of the user and of the item factors"
    if ld.rank() == 0:
        want = als.als_efficient(*args)
        got = out.pop("result")
        out["error"] = max(
            float(np.max(np.abs(g - w)) / np.max(np.abs(w))) for g, w in zip(got, want)
        )
    return out


def _median_time(fn: Any, args: tuple, reps: int) -> float:
    fn(*args)
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _larix_times(fn: Any, args: tuple, repeat: int, per: int) -> dict:
    import larix
    import larix.distributed as ld

    result = fn(*args)  # compiles; checked below
    sent = ld.counters()["bytes_sent"]
    seconds = _median_time(fn, args, repeat) / per
    return {
        "ranks": ld.size(),
        "threads": larix.threads(),
        "seconds": seconds,
        "bytes_sent_per_unit": (ld.counters()["bytes_sent"] - sent) / (repeat + 1) / per,
        "result": result,
    }


def _numpy_times(fn: Any, args: tuple, repeat: int, threads: int, per: int) -> dict:
    from threadpoolctl import threadpool_info, threadpool_limits

    with threadpool_limits(threads):
        seconds = _median_time(fn, args, repeat) / per
        blas = [
            f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} "
            f"({os.path.basename(i.get('filepath', ''))})"
            for i in threadpool_info()
            if i.get("user_api") == "blas" and "scipy_openblas." not in i.get("filepath", "")
        ]
    return {"ranks": 1, "threads": threads, "seconds": seconds, "numpy_blas": blas}


def worker(argv: list[str]) -> None:
    """One contender's process: ``python -m larix.bench.distributed BENCH SIZES REPEAT NUMPY``."""
    import larix.distributed as ld

    bench, sizes, repeat, numpy_threads = argv[0], json.loads(argv[1]), int(argv[2]), int(argv[3])
    out = (_lra_worker if bench == "lra" else _als_worker)(sizes, repeat, numpy_threads)
    if ld.rank() == 0:
        print(json.dumps(out), flush=True)


def _mpiexec() -> str:
    found = shutil.which(
        "mpiexec", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    )
    if found is None:
        sys.exit('python -m larix.bench --ranks: mpiexec not found; pip install ".[mpi]"')
    return found


def _run(command: list[str], threads: int) -> dict:
    env = dict(os.environ, LARIX_THREADS=str(threads))
    env.pop("OPENBLAS_CORETYPE", None)
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(benchmarks: list[str], ranks: int, quick: bool, rounds: int, repeat: int, out: Path) -> int:
    """Runs each benchmark's contenders `rounds` times; prints and writes (out/*.json, *.md) the
    table. Returns 1 if a distributed result differed from one process's by more than 1e-10."""
    mpiexec = _mpiexec()
    me = [sys.executable, "-m", "larix.bench.distributed"]
    if "als" in benchmarks:
        from . import data

        data.movielens_like()  # generated here once, not by every rank at the same time
    out.mkdir(parents=True, exist_ok=True)
    ok = True
    for bench in benchmarks:
        sizes = SIZES[(bench, "quick" if quick else "full")]
        spec = [json.dumps(sizes), str(repeat)]
        contenders = {
            f"{ranks} ranks x 1 thread": ([mpiexec, "-n", str(ranks), *me, bench, *spec, "0"], 1),
            f"1 rank x {ranks} threads": ([*me, bench, *spec, "0"], ranks),
            "1 rank x 1 thread": ([*me, bench, *spec, "0"], 1),
            f"NumPy, {ranks} BLAS threads": ([*me, bench, *spec, str(ranks)], 1),
        }
        results: dict[str, list[dict]] = {name: [] for name in contenders}
        for r in range(rounds):
            for name, (command, threads) in contenders.items():
                results[name].append(_run(command, threads))
                took = 1e3 * results[name][-1]["seconds"]
                print(f"{bench} round {r + 1}/{rounds}: {name}: {took:.2f} ms", flush=True)
        median = {n: statistics.median(x["seconds"] for x in rs) for n, rs in results.items()}
        dist = results[f"{ranks} ranks x 1 thread"]
        exchange = statistics.median(x["exchange_seconds"] for x in dist)
        error = max(x["error"] for rs in results.values() for x in rs if "error" in x)
        ok = ok and error <= 1e-10
        per = "iteration" if bench == "lra" else "run"
        lines = [
            f"{bench} {sizes}, {ranks} ranks; median of {rounds} rounds, each the median of "
            f"{repeat} runs; OPENBLAS_CORETYPE unset",
            "",
            f"| contender | ms per {per} | speed vs 1 rank x {ranks} threads |",
            "|---|---|---|",
        ]
        base = median[f"1 rank x {ranks} threads"]
        for name, t in median.items():
            lines.append(f"| {name} | {1e3 * t:.2f} | {base / t:.2f}x |")
        sent = statistics.median(x["bytes_sent_per_unit"] for x in dist)
        model = median["1 rank x 1 thread"] / ranks + exchange
        lines += [
            "",
            f"largest relative difference from one process: {error:.1e}",
            f"bytes rank 0 sent per {per}: {sent:.0f}",
            f"exchange ({dist[0]['exchange']}): {1e3 * exchange:.3f} ms",
            f"model: 1-thread time / {ranks} + exchange = {1e3 * model:.2f} ms; measured "
            f"{1e3 * median[f'{ranks} ranks x 1 thread']:.2f} ms",
            f"NumPy's BLAS: {results[f'NumPy, {ranks} BLAS threads'][0]['numpy_blas']}",
        ]
        print("\n".join(lines), flush=True)
        (out / f"{bench}-ranks{ranks}.md").write_text("\n".join(lines) + "\n")
        (out / f"{bench}-ranks{ranks}.json").write_text(json.dumps(results, indent=1))
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m larix.bench.distributed")
    p.add_argument("args", nargs="*")
    args = p.parse_args(argv)
    worker(args.args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
