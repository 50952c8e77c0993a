"""Loops over array elements, the code NumPy users write when a loop has no vectorised form:
the same Python function run by Python (its NumPy arrays indexed one element at a time), as a
`@larix.kernel`, and compiled by Numba (`njit`; `parallel=True` with `prange` where the loop's
iterations are independent). Each contender in a process of its own, one after the other, at each
thread count.

    python benchmarks/element_loops/run.py [--threads 1 2] [--repeat 5] [--n 1000000]
        [--contenders python larix numba]

Workloads (n elements; ns per element is the time divided by n):
- axpy: out[i] = 2.0 * a[i] + b[i], independent iterations (Larix finds the loop parallel);
- dot: s = s + a[i] * b[i], a sum (sequential in Larix: a parallel sum would change its rounding);
- prefix: out[i] = out[i - 1] + a[i], each iteration needs the one before;
- rowsum: out[i] = sum of m[i, j] over j, rows independent (n / 100 rows of 100).

Every result is checked against the Python run's. Prints medians (min-max) of `--repeat` runs
after one warm-up run (Numba's compilation happens there) and writes
benchmarks/results/element_loops.json. A benchmark, not a test: no thresholds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

CONTENDERS = ("python", "larix", "numba")
WORKLOADS = ("axpy", "dot", "prefix", "rowsum")


def axpy(a, b, out):
    for i in range(a.shape[0]):
        out[i] = 2.0 * a[i] + b[i]
    return out


def dot(a, b, out):
    s = 0.0
    for i in range(a.shape[0]):
        s = s + a[i] * b[i]
    return s


def prefix(a, b, out):
    out[0] = a[0]
    for i in range(1, a.shape[0]):
        out[i] = out[i - 1] + a[i]
    return out


def rowsum(m, b, out):
    for i in range(m.shape[0]):
        s = 0.0
        for j in range(m.shape[1]):
            s = s + m[i, j]
        out[i] = s
    return out


def numba_functions():
    """The workloads compiled by Numba: prange where the iterations are independent."""
    import numba

    @numba.njit(parallel=True)
    def axpy_nb(a, b, out):
        for i in numba.prange(a.shape[0]):
            out[i] = 2.0 * a[i] + b[i]
        return out

    @numba.njit(parallel=True)
    def rowsum_nb(m, b, out):
        for i in numba.prange(m.shape[0]):
            s = 0.0
            for j in range(m.shape[1]):
                s = s + m[i, j]
            out[i] = s
        return out

    return {
        "axpy": axpy_nb,
        "dot": numba.njit(dot),
        "prefix": numba.njit(prefix),
        "rowsum": rowsum_nb,
    }


def make_data(workload: str, n: int):
    import numpy as np

    rng = np.random.default_rng(0)
    if workload == "rowsum":
        return rng.random((n // 100, 100)), None, np.zeros(n // 100)
    return rng.random(n), rng.random(n), np.zeros(n)


def worker(args: argparse.Namespace) -> None:
    """One contender at one thread count: prints a JSON line of seconds per workload."""
    import numpy as np

    threads = args.threads[0]
    fns = {"axpy": axpy, "dot": dot, "prefix": prefix, "rowsum": rowsum}
    if args.worker == "larix":
        import larix

        larix.init(threads)
        run = {w: larix.kernel(f) for w, f in fns.items()}
    elif args.worker == "numba":
        import numba

        numba.set_num_threads(threads)
        run = numba_functions()
    else:
        run = fns
    out = {}
    for w in args.workloads:
        x, y, z = make_data(w, args.n)
        want = fns[w](x, y, z.copy()) if args.worker != "python" else None
        got = run[w](x, y, z.copy())  # warm-up: compiles (Numba), translates (Larix)
        if want is not None:
            np.testing.assert_allclose(got, want, rtol=1e-9)
        times = []
        for _ in range(args.repeat):
            fresh = z.copy()
            start = time.perf_counter()
            run[w](x, y, fresh)
            times.append(time.perf_counter() - start)
        out[w] = times
    print(json.dumps(out))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, nargs="+", default=[1, os.cpu_count() or 1])
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--n", type=int, default=1_000_000)
    p.add_argument("--contenders", nargs="+", choices=CONTENDERS, default=list(CONTENDERS))
    p.add_argument("--workloads", nargs="+", choices=WORKLOADS, default=list(WORKLOADS))
    p.add_argument("--worker", choices=CONTENDERS, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        worker(args)
        return

    results: dict[str, dict[int, dict]] = {c: {} for c in args.contenders}
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)  # as the other benchmarks: NumPy's own kernel choice
    for threads in args.threads:
        for c in args.contenders:
            if c == "python" and threads != args.threads[0]:
                results[c][threads] = results[c][args.threads[0]]  # one thread whatever is asked
                continue
            cmd = [sys.executable, __file__, "--worker", c, "--threads", str(threads)]
            cmd += ["--n", str(args.n), "--repeat", str(args.repeat)]
            cmd += ["--workloads", *args.workloads]
            print(f"  {c}, {threads} thread(s) ...", file=sys.stderr, flush=True)
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                sys.exit(f"{c} at {threads} threads failed:\n{proc.stderr}")
            results[c][threads] = json.loads(proc.stdout.strip().splitlines()[-1])

    print(f"element loops, n = {args.n:,} (rowsum: {args.n // 100:,} rows of 100); ns per element,")
    print(f"median of {args.repeat} (min-max)")
    print()
    print("| workload | threads | " + " | ".join(args.contenders) + " | Python / Larix |")
    print("|---|---|" + "---|" * (len(args.contenders) + 1))
    for w in args.workloads:
        for threads in args.threads:
            cells = []
            med = {}
            for c in args.contenders:
                t = results[c][threads][w]
                med[c] = statistics.median(t) / args.n * 1e9
                cells.append(
                    f"{med[c]:.1f} ({min(t) / args.n * 1e9:.1f}-{max(t) / args.n * 1e9:.1f})"
                )
            ratio = (
                f"{med['python'] / med['larix']:.1f}x"
                if "python" in med and "larix" in med
                else "-"
            )
            print(f"| {w} | {threads} | " + " | ".join(cells) + f" | {ratio} |")
    out = Path(__file__).resolve().parents[1] / "results" / "element_loops.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"n": args.n, "results": results}, indent=1))
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
