"""The paper's workloads over thread counts, each contender in a process of its own, one after
the other: ALS's user and item loops (Larix: the loops the compiler found parallel; NumPy: the same
Python function, its BLAS at the same thread count; Numba: the same loops as `prange`), or LRA's
gradient steps (`--workload lra`: Larix's row-block fusion against NumPy and a Numba version
fused by hand).

    python benchmarks/parallel_loops/run.py [--threads 1 2] [--repeat 5] [--users 700]
        [--items 5000] [--factors 10] [--form efficient|paper]
    python benchmarks/parallel_loops/run.py --workload lra [--rows 10000] [--cols 10000]
        [--iterations 5]

The data is the bench's (`python -m larix.bench` uses the same): generated MovieLens-like ratings,
and the seeded classification problem. Each worker process unsets OPENBLAS_CORETYPE (and
OPENBLAS_L2_SIZE) before NumPy loads, so NumPy runs the OpenBLAS kernel it picks for this CPU
(printed). Prints the median (min–max) of `--repeat` timed runs after one checked warm-up run, and
writes benchmarks/results/parallel_loops_<workload>.json.
A benchmark, not a test: no thresholds.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

CONTENDERS = ("numpy", "larix", "numba")


def describe(args: argparse.Namespace) -> str:
    """What a run measures: the workers say it too, so the parent sees they ran the same work."""
    if args.workload == "lra":
        return f"LRA {args.rows} x {args.cols}, {args.iterations} iterations"
    return (
        f"ALS {args.form}, {args.users} users x {args.items} items, f={args.factors}, 1 iteration"
    )


def lra_runner(args: argparse.Namespace):
    """(run, reference, NumPy's BLAS threads) for LRA."""
    from larix.bench import data
    from larix.examples.lra import lra

    X, y = data.classification(args.rows, args.cols)
    reference = lambda: lra.python(X, y, iterations=args.iterations)  # noqa: E731
    if args.worker == "larix":
        import larix

        larix.init(args.threads)
        return (lambda: lra(X, y, iterations=args.iterations)), reference, 1
    if args.worker == "numpy":
        return reference, reference, args.threads
    # Numba: LRA fused by hand (one pass over X per iteration, prange over row chunks).
    from larix.bench.peers import NumbaFusedPeer

    peer = NumbaFusedPeer()
    note = peer.set_threads(args.threads)
    if note:
        raise SystemExit(note)
    f = peer.implementation("lra")
    return (lambda: f(X, y, 1e-5, args.iterations)), reference, 1


def worker(args: argparse.Namespace) -> None:
    from larix.bench import data
    from larix.examples import als

    if args.workload == "lra":
        report(*lra_runner(args), args)
        return
    ratings = data.load_movielens(
        data.movielens_like(None), row_stop=args.users, col_stop=args.items
    )
    X0, Y0 = als.initial_factors(ratings.shape[0], ratings.shape[1], args.factors)
    kernel = als.als_efficient if args.form == "efficient" else als.als
    if args.worker == "larix":
        import larix

        larix.init(args.threads)
        run = lambda: kernel(ratings, X0, Y0)  # noqa: E731
        limit = 1  # NumPy's BLAS plays no part; Larix's own stays at 1 thread per task
    elif args.worker == "numpy":
        run = lambda: kernel.python(ratings, X0, Y0)  # noqa: E731
        limit = args.threads
    else:
        from larix.bench.peers import NumbaPeer

        peer = NumbaPeer()
        note = peer.set_threads(args.threads)
        if note:
            raise SystemExit(note)
        f = peer.implementation("als_" + args.form)
        run = lambda: f(ratings, X0, Y0, 0.1, 40.0, 1)  # noqa: E731
        limit = 1  # Numba's threads do the parallel work; its small BLAS calls stay serial
    report(run, lambda: kernel.python(ratings, X0, Y0), limit, args)


def report(run, ref, limit: int, args: argparse.Namespace) -> None:
    """Times run() (after one checked warm-up run) with NumPy's BLAS at `limit` threads."""
    import numpy as np
    from larix.bench import machine
    from threadpoolctl import threadpool_info, threadpool_limits

    with threadpool_limits(limit):
        reference = ref()
        result = run()
        if not isinstance(result, tuple):
            result, reference = (result,), (reference,)
        error = max(
            float(np.max(np.abs(g - w)) / max(np.max(np.abs(w)), 1e-300))
            for g, w in zip(result, reference)
        )
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        blas = [
            f"{i['internal_api']} {i.get('version')} {i.get('architecture')} "
            f"({i['num_threads']} threads)"
            for i in threadpool_info()
            if i["user_api"] == "blas"
        ]
    times.sort()
    print(
        json.dumps(
            {
                "what": describe(args),
                "median": times[len(times) // 2],
                "min": times[0],
                "max": times[-1],
                "relative_error": error,
                "blas": blas,
                "cores": machine.usable_cores(),
            }
        )
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workload", choices=("als", "lra"), default="als")
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    p.add_argument("--rows", type=int, default=10_000)
    p.add_argument("--cols", type=int, default=10_000)
    p.add_argument("--iterations", type=int, default=5)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--users", type=int, default=700)
    p.add_argument("--items", type=int, default=5000)
    p.add_argument("--factors", type=int, default=10)
    p.add_argument("--form", choices=("efficient", "paper"), default="efficient")
    p.add_argument("--contenders", nargs="+", choices=CONTENDERS, default=list(CONTENDERS))
    p.add_argument("--worker", choices=CONTENDERS, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        args.threads = args.threads[0]  # a worker runs at one thread count
        worker(args)
        return
    env = {
        k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
    }
    if "OPENBLAS_CORETYPE" in os.environ:
        print(
            f"note: workers run without OPENBLAS_CORETYPE (was {os.environ['OPENBLAS_CORETYPE']})"
        )
    what = describe(args)
    print(f"{what}; median (min-max) of {args.repeat} runs, each contender in its own process")
    results: dict[str, dict[int, dict]] = {c: {} for c in args.contenders}
    for threads in args.threads:
        for contender in args.contenders:
            cmd = [
                sys.executable,
                __file__,
                "--worker",
                contender,
                "--threads",
                str(threads),
                "--repeat",
                str(args.repeat),
                "--users",
                str(args.users),
                "--items",
                str(args.items),
                "--factors",
                str(args.factors),
                "--form",
                args.form,
                "--workload",
                args.workload,
                "--rows",
                str(args.rows),
                "--cols",
                str(args.cols),
                "--iterations",
                str(args.iterations),
            ]
            out = subprocess.run(cmd, capture_output=True, text=True, env=env)
            if out.returncode != 0:
                print(f"{contender} at {threads} threads failed:\n{out.stderr.strip()[-2000:]}")
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            if r["what"] != what:
                raise SystemExit(f"{contender}'s worker measured {r['what']!r}, not {what!r}")
            results[contender][threads] = r
            print(
                f"  {contender:6s} {threads} thread(s): {r['median']:.3f} s "
                f"({r['min']:.3f}-{r['max']:.3f}), error {r['relative_error']:.1e}; "
                f"BLAS {'; '.join(r['blas'])}",
                flush=True,
            )
    print()
    print("| threads | " + " | ".join(f"{c} s" for c in args.contenders) + " | Larix T / Larix 1 |")
    print("|---|" + "---|" * (len(args.contenders) + 1))
    base = results.get("larix", {}).get(args.threads[0], {}).get("median")
    for threads in args.threads:
        cells = [
            f"{results[c][threads]['median']:.3f}" if threads in results[c] else "-"
            for c in args.contenders
        ]
        larix = results.get("larix", {}).get(threads, {}).get("median")
        ratio = f"{larix / base:.2f}" if larix and base else "-"
        print(f"| {threads} | " + " | ".join(cells) + f" | {ratio} |")
    out_dir = Path(__file__).resolve().parent.parent / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / f"parallel_loops_{args.workload}.json").write_text(
        json.dumps({"args": vars(args), "results": results}, indent=1)
    )


if __name__ == "__main__":
    main()
