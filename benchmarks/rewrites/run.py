"""The algebraic rewrites and the power fast path, timed against the forms they replace.

    python benchmarks/rewrites/run.py [--threads 1] [--repeat 5] [--users 300] [--items 1000]

(a) ALS (`larix.examples.als`): the paper's form (np.diag, inv), which rewrite_algebra turns into
scalings and solves, against the efficient form written by hand, and the paper's form compiled
without passes (optimize=False) and in NumPy; (b) `np.sum((x - m) ** 2)` at 10^6 and 10^7 in Larix
and NumPy. Contenders alternate within one process; medians of --repeat runs. Writes
benchmarks/results/rewrites.json. A benchmark, not a test: no thresholds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np
from larix.examples import als as als_example

import larix


def median_seconds(fn, repeat: int) -> float:
    fn()  # warm-up (and first-call compilation)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--users", type=int, default=300)
    ap.add_argument("--items", type=int, default=1000)
    ap.add_argument("--factors", type=int, default=10)
    ap.add_argument("--skip-slow", action="store_true", help="no unoptimised or NumPy paper form")
    args = ap.parse_args()
    larix.init(args.threads)
    results = []

    rng = np.random.default_rng(0)
    ratings = rng.integers(0, 6, (args.users, args.items)).astype(float)
    ratings[rng.random(ratings.shape) < 0.9] = 0
    x0, y0 = als_example.initial_factors(args.users, args.items, args.factors)
    paper_unoptimized = larix.compile(als_example.als.physl, optimize=False)
    contenders = {
        "als paper form (rewritten)": lambda: als_example.als(ratings, x0, y0),
        "als efficient form": lambda: als_example.als_efficient(ratings, x0, y0),
    }
    if not args.skip_slow:
        contenders["als paper form, optimize=False"] = lambda: paper_unoptimized(ratings, x0, y0)
        contenders["als paper form, NumPy"] = lambda: als_example.als.__wrapped__(ratings, x0, y0)
    for name, fn in contenders.items():
        repeat = args.repeat if "paper form," not in name else 1
        results.append(
            {
                "case": name,
                "size": f"{args.users}x{args.items}",
                "seconds": median_seconds(fn, repeat),
            }
        )

    sum_sq = larix.compile("define(f, x, m, sum(power(x - m, 2)))\nf\n")
    for n in (10**6, 10**7):
        x = np.random.default_rng(1).random(n)
        for name, fn in (
            ("sum((x - m) ** 2) larix", lambda x=x: sum_sq(x, 0.5)),
            ("sum((x - m) ** 2) numpy", lambda x=x: np.sum((x - 0.5) ** 2)),
        ):
            results.append(
                {"case": name, "size": str(n), "seconds": median_seconds(fn, args.repeat)}
            )

    print(f"threads={args.threads}, medians of {args.repeat}")
    for r in results:
        print(f"{r['case']:<34} {r['size']:>10} {r['seconds'] * 1e3:10.2f} ms")
    out = Path(__file__).resolve().parents[1] / "results" / "rewrites.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"threads": args.threads, "results": results}, indent=2))


if __name__ == "__main__":
    main()
