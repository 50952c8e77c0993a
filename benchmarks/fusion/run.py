"""Element-wise fusion: chains of NumPy operations on Larix fused (one pass, one result array),
on Larix unfused (`optimize=False`: one array per operation, as NumPy) and on NumPy, over sizes
and thread counts, each contender in a process of its own.

    python benchmarks/fusion/run.py [--threads 1 2] [--sizes 1000 100000 1000000 10000000]
        [--chains affine sigmoid variance] [--repeat 7]

Chains (a, b float64 arrays, m a Python float):
  affine    2 * a + 1 + b * b - m                 (5 operations)
  sigmoid   1 / (1 + exp(-(a * b)))               (5 operations)
  variance  sum((a - m) ** 2) + sum(a * b)        (two fused sums)

Each worker unsets OPENBLAS_CORETYPE before NumPy loads (no BLAS runs here, but the rule is the
bench's), checks its result against NumPy's once, then prints the median (min-max) of --repeat
timed calls (each call repeated to take at least ~20 ms). Writes benchmarks/results/fusion.json.
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

CONTENDERS = ("numpy", "larix", "unfused")
# name: PhySL body of f(a, b, m)
CHAINS = {
    "affine": "2 * a + 1 + b * b - m",
    "sigmoid": "1 / (1 + exp(-(a * b)))",
    "variance": "sum(power(a - m, 2)) + sum(a * b)",
}


def numpy_chain(name: str):
    """The same chain in NumPy."""
    import numpy as np

    return {
        "affine": lambda a, b, m: 2 * a + 1 + b * b - m,
        "sigmoid": lambda a, b, m: 1 / (1 + np.exp(-(a * b))),
        "variance": lambda a, b, m: np.sum((a - m) ** 2) + np.sum(a * b),
    }[name]


def worker(args: argparse.Namespace) -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    a, b, m = rng.standard_normal(args.size), rng.standard_normal(args.size), 0.25
    reference = numpy_chain(args.chain)
    if args.worker == "numpy":
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.threads)  # NumPy's element-wise loops are single-threaded anyway
        run = reference
    else:
        import larix

        larix.init(args.threads)
        program = larix.compile(
            f"define(f, a, b, m, {CHAINS[args.chain]}) f", optimize=args.worker == "larix"
        )
        run = program
    got, want = run(a, b, m), reference(a, b, m)
    error = float(np.max(np.abs(got - want)) / max(float(np.max(np.abs(want))), 1e-300))
    start = time.perf_counter()
    run(a, b, m)
    once = time.perf_counter() - start
    inner = max(1, int(0.02 / max(once, 1e-9)))
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        for _ in range(inner):
            run(a, b, m)
        times.append((time.perf_counter() - start) / inner)
    times.sort()
    print(
        json.dumps(
            {
                "median": times[len(times) // 2],
                "min": times[0],
                "max": times[-1],
                "relative_error": error,
            }
        )
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000, 1_000_000, 10_000_000])
    p.add_argument("--chains", nargs="+", choices=list(CHAINS), default=list(CHAINS))
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--worker", choices=CONTENDERS, help=argparse.SUPPRESS)
    p.add_argument("--size", type=int, help=argparse.SUPPRESS)
    p.add_argument("--chain", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        args.threads = args.threads[0]
        worker(args)
        return
    env = {
        k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
    }
    if "OPENBLAS_CORETYPE" in os.environ:
        print(
            f"note: workers run without OPENBLAS_CORETYPE (was {os.environ['OPENBLAS_CORETYPE']})"
        )
    print(
        f"median (min-max) time per call of {args.repeat} runs, each contender in its own process"
    )
    rows = []
    for chain in args.chains:
        for size in args.sizes:
            for threads in args.threads:
                row = {"chain": chain, "size": size, "threads": threads}
                for contender in CONTENDERS:
                    cmd = [sys.executable, __file__, "--worker", contender, "--threads",
                           str(threads), "--size", str(size), "--chain", chain,
                           "--repeat", str(args.repeat)]  # fmt: skip
                    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
                    if out.returncode != 0:
                        print(f"{contender} failed:\n{out.stderr.strip()[-2000:]}")
                        continue
                    row[contender] = json.loads(out.stdout.strip().splitlines()[-1])
                rows.append(row)
                cells = "  ".join(
                    f"{c} {row[c]['median'] * 1e3:9.3f} ms" for c in CONTENDERS if c in row
                )
                ratio = (
                    f"  larix/numpy {row['larix']['median'] / row['numpy']['median']:.2f}"
                    if "larix" in row and "numpy" in row
                    else ""
                )
                print(f"{chain:9s} n={size:<9d} {threads} thread(s): {cells}{ratio}", flush=True)
    out_dir = Path(__file__).resolve().parent.parent / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "fusion.json").write_text(json.dumps(rows, indent=1))
    print(f"wrote {out_dir / 'fusion.json'}")


if __name__ == "__main__":
    main()
