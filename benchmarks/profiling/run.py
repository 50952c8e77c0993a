"""What profiling costs: the same programs with profiling off and on, side by side.

    python benchmarks/profiling/run.py [--repeat 5] [--threads N]

Workloads: the overhead benchmark's (a) while loop, (b) fib(22), (c) parallel_map of small tasks
(nodes of well under a microsecond: the worst case), and logistic regression on 5000 x 200 (nodes of
tens of microseconds and more). Prints medians and the ratio on/off. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import larix

PROGRAMS = {
    "while 1e5": (
        "define(loop, n, block(define(s, 0), define(i, 0),"
        " while(i < n, block(store(s, s + i), store(i, i + 1))), s)) loop",
        (10**5,),
    ),
    "fib(22)": ("define(fib, n, if(n < 2, n, fib(n - 1) + fib(n - 2))) fib", (22,)),
    "parallel_map 1e4": (
        "define(run, xs, parallel_map(lambda(x, x + 1), xs)) run",
        (list(range(10**4)),),
    ),
}

LRA = """
define(lra, x, y, alpha, iterations, block(
    define(w, constant(0.0, shape(x, 1))),
    define(step, 0),
    while(step < iterations, block(
        define(pred, 1.0 / (1.0 + exp(-dot(x, w)))),
        store(w, w - alpha * dot(pred - y, x)),
        store(step, step + 1))),
    w))
lra
"""


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    larix.init(args.threads)

    rng = np.random.default_rng(1)
    x = rng.standard_normal((5000, 200))
    y = (x @ rng.standard_normal(200) > 0).astype(np.float64)
    work = {name: (larix.compile(text), a) for name, (text, a) in PROGRAMS.items()}
    work["lra 5000x200 x20"] = (larix.compile(LRA), (x, y, 1e-5, 20))

    print(f"profiling off vs on, {larix.threads()} thread(s), medians of {args.repeat}")
    print(f"{'workload':<20}{'off s':>10}{'on s':>10}{'on/off':>8}")
    for name, (program, call_args) in work.items():
        program(*call_args)  # warm up: node costs measured

        def profiled(program=program, call_args=call_args):
            with larix.profile():
                program(*call_args)

        off = median_time(
            lambda program=program, call_args=call_args: program(*call_args), args.repeat
        )
        on = median_time(profiled, args.repeat)
        print(f"{name:<20}{off:>10.4f}{on:>10.4f}{on / off:>8.2f}")


if __name__ == "__main__":
    main()
