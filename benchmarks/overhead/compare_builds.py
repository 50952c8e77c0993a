"""The cost of a call from Python, for two installs of Larix side by side: each in a process of its
own, alternating, every Larix time next to NumPy's in the same process.

    git worktree add /tmp/before REV && (cd /tmp/before && \\
        pip install --no-build-isolation --no-deps --target /tmp/before-install .)
    python benchmarks/overhead/compare_builds.py --before /tmp/before-install [--rounds 3]

"after" is the Larix this Python imports; "before" the one installed under --before (put first on
PYTHONPATH). Calls: an empty kernel f(a, b), `a + 1` and a 4-operation chain with a sum, at 10
and 1,000 float64 elements, on one thread (LARIX_THREADS=1, OPENBLAS_NUM_THREADS=1,
OPENBLAS_CORETYPE unset). Each time is the median of 5 best-of-3 loops of 4,000 calls; the table
gives the median over the rounds. A benchmark, not a test: no thresholds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import timeit

import numpy as np

SIZES = (10, 1000)


def empty(a, b):
    return a


def add_one(a):
    return a + 1


def chain4_sum(a):
    return np.sum((a * 2.0 + 1.0) * a - 3.0)


def worker() -> None:
    import larix

    kernels = {
        "empty": larix.kernel(empty),
        "a + 1": larix.kernel(add_one),
        "chain + sum": larix.kernel(chain4_sum),
    }
    numpy_fns = {"a + 1": add_one, "chain + sum": chain4_sum}

    def per_call(fn, args) -> float:
        # A call as a user writes it, `fn(a)`: Python passes its arguments as a C array
        # (vectorcall); `fn(*args)` would build a tuple for every call.
        if len(args) == 1:
            (x,) = args
            call = lambda: fn(x)  # noqa: E731
        else:
            x, y = args
            call = lambda: fn(x, y)  # noqa: E731
        call()
        runs = [min(timeit.repeat(call, number=4000, repeat=3)) / 4000 for _ in range(5)]
        return statistics.median(runs) * 1e6

    out = {"larix": os.path.dirname(larix.__file__)}
    for n in SIZES:
        a = np.random.default_rng(0).random(n)
        out[f"empty {n}"] = per_call(kernels["empty"], (a, a.copy()))
        for what, fn in numpy_fns.items():
            out[f"larix {what} {n}"] = per_call(kernels[what], (a,))
            out[f"numpy {what} {n}"] = per_call(fn, (a,))
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="a pip --target install of the other Larix")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker()
        return
    runs: dict[str, list[dict]] = {"before": [], "after": []}
    for r in range(args.rounds):
        for name in ("before", "after"):
            env = dict(os.environ, LARIX_THREADS="1", OPENBLAS_NUM_THREADS="1")
            env.pop("OPENBLAS_CORETYPE", None)
            env.pop("PYTHONPATH", None)
            if name == "before":
                env["PYTHONPATH"] = args.before
            done = subprocess.run(
                [sys.executable, os.path.abspath(__file__), "--before", args.before, "--worker"],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode:
                sys.exit(f"{name} failed:\n{done.stderr}")
            runs[name].append(json.loads(done.stdout))
            print(f"round {r + 1}/{args.rounds}: {name} done", file=sys.stderr)
    for name in runs:
        print(f"{name}: {runs[name][0]['larix']}")

    def med(name: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[name])

    print("\n| call (float64) | before µs | after µs | NumPy µs | after / NumPy | before / NumPy |")
    print("|---|---|---|---|---|---|")
    for n in SIZES:
        print(f"| empty kernel, {n} | {med('before', f'empty {n}'):.2f} | "
              f"{med('after', f'empty {n}'):.2f} | – | – | – |")  # fmt: skip
        for what in ("a + 1", "chain + sum"):
            ratio = {
                name: statistics.median(
                    run[f"larix {what} {n}"] / run[f"numpy {what} {n}"] for run in runs[name]
                )
                for name in runs
            }
            before, after = med("before", f"larix {what} {n}"), med("after", f"larix {what} {n}")
            reference = med("after", f"numpy {what} {n}")
            print(
                f"| {what}, {n} | {before:.2f} | {after:.2f} | {reference:.2f} "
                f"| {ratio['after']:.2f} | {ratio['before']:.2f} |"
            )


if __name__ == "__main__":
    main()
