"""Per-node overhead of the Larix runtime, next to the same work in CPython (and dask.delayed).

    python benchmarks/overhead/run.py [--threads 1 2] [--repeat 5] [--quick]

(a) a `while` loop of n scalar additions, (b) fib(25) by recursion, (c) n independent small tasks
through parallel_map. Prints ns per node and per iteration/call/task (medians of --repeat runs).
Then the cost of one call from Python: an empty kernel and empty compiled PhySL functions of 1-3
array arguments (next to a Python function call), and `a + 1` and a 4-operation chain with a sum
at 10, 1,000 and 10^5 float64 elements (next to NumPy). Then primitive calls inside a kernel: a
loop of one small operation (element-wise, a reduction, indexing, a 10 x 10 product or solve),
per operation, next to the same function under NumPy. Writes benchmarks/results/overhead.json.
A benchmark, not a test: no thresholds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np

import larix

WHILE = """
define(loop, n, block(
    define(s, 0),
    define(i, 0),
    while(i < n, block(store(s, s + i), store(i, i + 1))),
    s))
loop
"""
FIB = "define(fib, n, if(n < 2, n, fib(n - 1) + fib(n - 2))) fib"
PMAP = "define(run, xs, parallel_map(lambda(x, x + 1), xs)) run"


def empty_kernel(a, b):
    return a


def add_one(a):
    return a + 1


def chain4(a):
    return np.sum((a * 2.0 + 1.0) * a - 3.0)


# Primitive calls inside a kernel: each loop runs one operation k times on small operands (the
# same function runs under NumPy as the reference, its Python loop included).
def loop_add(a, b, m, k):
    for _ in range(k):
        r = a + 1.0
    return r


def loop_mul(a, b, m, k):
    for _ in range(k):
        r = a * b
    return r


def loop_exp(a, b, m, k):
    for _ in range(k):
        r = np.exp(a)
    return r


def loop_sum(a, b, m, k):
    for _ in range(k):
        r = np.sum(a)
    return r


def loop_element(a, b, m, k):
    for i in range(k):
        r = a[i % 7]
    return r


def loop_column(a, b, m, k):
    for i in range(k):
        r = m[:, i % 7]
    return r


def loop_dot(a, b, m, k):
    s = 0.0
    for i in range(k):
        j = i % 7
        s = s + a[j] * b[j]
    return s


def loop_store(a, b, m, k):
    out = a * 0.0
    for i in range(k):
        j = i % 7
        out[j] = 2.0 * a[j] + b[j]
    return out


def loop_matvec(a, b, m, k):
    for _ in range(k):
        r = m @ a
    return r


def loop_solve(a, b, m, k):
    for _ in range(k):
        r = np.linalg.solve(m, a)
    return r


IN_KERNEL = [
    ("a + 1.0", loop_add, (10, 1000)),
    ("a * b", loop_mul, (10, 1000)),
    ("np.exp(a)", loop_exp, (10, 1000)),
    ("np.sum(a)", loop_sum, (10, 1000)),
    ("a[i]", loop_element, (10,)),
    ("m[:, i] (10 x 10)", loop_column, (10,)),
    ("s + a[j] * b[j]", loop_dot, (10,)),
    ("out[j] = 2.0 * a[j] + b[j]", loop_store, (10,)),
    ("m @ a (10 x 10)", loop_matvec, (10,)),
    ("solve(m, a) (10 x 10)", loop_solve, (10,)),
]


def in_kernel_rows(repeat: int, k: int = 20_000) -> list[tuple[str, int, float, float]]:
    """(operation, elements, Larix s per operation, NumPy s per operation) inside a loop."""
    rows = []
    rng = np.random.default_rng(0)
    m = rng.random((10, 10)) + 10 * np.eye(10)
    for what, fn, sizes in IN_KERNEL:
        kern = larix.kernel(fn)
        for n in sizes:
            a, b = rng.random(n), rng.random(n)
            args = (a, b, m, k)
            np.testing.assert_allclose(kern(*args), fn(*args), rtol=1e-12)
            t_lx, _ = median_time(lambda: kern(*args), repeat)  # noqa: B023
            t_np, _ = median_time(lambda: fn(*args), repeat)  # noqa: B023
            rows.append((what, n, t_lx / k, t_np / k))
    return rows


def per_call(fn, args: tuple, repeat: int, budget_s: float = 0.05) -> float:
    """Median seconds per call of fn(*args), each run a loop long enough to time."""
    fn(*args)
    start = time.perf_counter()
    fn(*args)
    calls = max(1, min(200_000, int(budget_s / max(time.perf_counter() - start, 1e-7))))
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(calls):
            fn(*args)
        times.append((time.perf_counter() - start) / calls)
    return statistics.median(times)


def call_rows(repeat: int) -> list[tuple[str, int, float, float, str]]:
    """(what, elements, Larix s/call, reference s/call, reference name) for calls from Python."""
    rows = []
    small = np.arange(10.0)
    kern = larix.kernel(empty_kernel)
    rows.append(
        (
            "empty kernel f(a, b)",
            10,
            per_call(kern, (small, small), repeat),
            per_call(empty_kernel, (small, small), repeat),
            "Python",
        )
    )
    for k in (1, 2, 3):
        names = ", ".join("abc"[:k])
        prog = larix.compile(f"define(f, {names}, a) f")
        args = (small,) * k
        ref = [None, lambda a: a, lambda a, b: a, lambda a, b, c: a][k]
        rows.append(
            (
                f"compiled f({names})",
                10,
                per_call(prog, args, repeat),
                per_call(ref, args, repeat),
                "Python",
            )
        )
    kern_add, kern_chain = larix.kernel(add_one), larix.kernel(chain4)
    prog_add = larix.compile("define(f, a, a + 1) f")
    for n in (10, 1000, 10**5):
        a = np.random.default_rng(0).random(n)
        np.testing.assert_allclose(kern_add(a), add_one(a))
        np.testing.assert_allclose(kern_chain(a), chain4(a), rtol=1e-12)
        t_np = per_call(add_one, (a,), repeat)
        rows.append(("kernel a + 1", n, per_call(kern_add, (a,), repeat), t_np, "NumPy"))
        rows.append(("compiled a + 1", n, per_call(prog_add, (a,), repeat), t_np, "NumPy"))
        rows.append(
            (
                "kernel 4-op chain + sum",
                n,
                per_call(kern_chain, (a,), repeat),
                per_call(chain4, (a,), repeat),
                "NumPy",
            )
        )
    return rows


def py_while(n: int) -> int:
    s = 0
    i = 0
    while i < n:
        s = s + i
        i = i + 1
    return s


def py_fib(n: int) -> int:
    return n if n < 2 else py_fib(n - 1) + py_fib(n - 2)


def median_time(fn, repeat: int) -> tuple[float, object]:
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def nodes_per(program: larix.Program, marker: str) -> int:
    """Nodes in the subtree of the first node whose dump line starts with `marker`."""
    lines = program.dump_tree().splitlines()
    for k, line in enumerate(lines):
        if line.strip().startswith(marker):
            indent = len(line) - len(line.lstrip())
            count = 1
            for rest in lines[k + 1 :]:
                if len(rest) - len(rest.lstrip()) <= indent:
                    break
                count += 1
            return count
    raise ValueError(f"no node {marker!r} in the tree")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, os.cpu_count() or 1])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="smaller n (for a smoke run)")
    args = parser.parse_args()
    n_loop = 10**5 if args.quick else 10**6
    n_fib = 20 if args.quick else 25
    n_tasks = 10**4 if args.quick else 10**5

    while_prog = larix.compile(WHILE)
    fib_prog = larix.compile(FIB)
    pmap_prog = larix.compile(PMAP)
    # Nodes evaluated per unit of work (counting every node, trivial reads and constants too).
    loop_body_nodes = nodes_per(while_prog, "while") - 1  # the while node itself runs once
    fib_nodes = nodes_per(fib_prog, "if")  # one call: the whole body (if, calls, arithmetic)
    task_nodes = 3  # x + 1: the add and its two operands

    xs = list(range(n_tasks))
    rows = []
    for threads in args.threads:
        larix.init(threads)
        t_py, r_py = median_time(lambda: py_while(n_loop), args.repeat)
        t_lx, r_lx = median_time(lambda: while_prog(n_loop), args.repeat)
        assert r_py == r_lx, (r_py, r_lx)
        rows.append(("while", threads, n_loop, loop_body_nodes, t_lx, t_py))

        t_py, r_py = median_time(lambda: py_fib(n_fib), args.repeat)
        t_lx, r_lx = median_time(lambda: fib_prog(n_fib), args.repeat)
        assert r_py == r_lx
        calls = 2 * py_fib(n_fib + 1) - 1  # the calls fib(n) makes
        rows.append(("fib", threads, calls, fib_nodes, t_lx, t_py))

        t_py, r_py = median_time(lambda: [x + 1 for x in xs], args.repeat)
        t_lx, r_lx = median_time(lambda: pmap_prog(xs), args.repeat)
        assert r_py == r_lx
        rows.append(("parallel_map", threads, n_tasks, task_nodes, t_lx, t_py))

    call_results = []
    kernel_results = []
    for threads in args.threads:
        larix.init(threads)
        call_results += [(threads, *row) for row in call_rows(args.repeat)]
        kernel_results += [
            (threads, *row) for row in in_kernel_rows(args.repeat, 2_000 if args.quick else 20_000)
        ]

    dask_row = None
    try:
        import dask

        delayed_tasks = min(n_tasks, 10**4)

        def run_dask():
            inc = dask.delayed(lambda x: x + 1)
            return dask.compute(*[inc(x) for x in range(delayed_tasks)], scheduler="threads")

        t_dask, _ = median_time(run_dask, max(1, args.repeat // 2))
        dask_row = (delayed_tasks, t_dask)
    except ImportError:
        pass

    print(
        f"Larix overhead benchmark ({platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, medians of {args.repeat})"
    )
    header = (
        f"{'work':<13}{'thr':>4}{'units':>10}{'nodes/unit':>11}{'Larix s':>10}{'ns/unit':>10}"
        f"{'ns/node':>9}{'CPython s':>11}{'ns/unit':>10}{'Larix/Py':>9}"
    )
    print(header)
    print("-" * len(header))
    results = []
    for work, threads, units, nodes, t_lx, t_py in rows:
        ns_unit = t_lx / units * 1e9
        print(
            f"{work:<13}{threads:>4}{units:>10}{nodes:>11}{t_lx:>10.4f}{ns_unit:>10.1f}"
            f"{ns_unit / nodes:>9.1f}{t_py:>11.4f}{t_py / units * 1e9:>10.1f}{t_lx / t_py:>9.2f}"
        )
        results.append(
            dict(
                work=work,
                threads=threads,
                units=units,
                nodes_per_unit=nodes,
                larix_s=t_lx,
                cpython_s=t_py,
                larix_ns_per_unit=ns_unit,
                larix_ns_per_node=ns_unit / nodes,
            )
        )
    print()
    header = (
        f"{'call from Python':<26}{'thr':>4}{'elements':>9}{'Larix µs':>10}{'ref µs':>9}  ratio"
    )
    print(header)
    print("-" * len(header))
    calls = []
    for threads, what, n, t_lx, t_ref, ref in call_results:
        print(
            f"{what:<26}{threads:>4}{n:>9}{t_lx * 1e6:>10.2f}{t_ref * 1e6:>9.2f}"
            f"  {t_lx / t_ref:.1f}x {ref}"
        )
        calls.append(
            dict(
                work=what,
                threads=threads,
                elements=n,
                larix_s=t_lx,
                reference_s=t_ref,
                reference=ref,
            )
        )
    print()
    header = (
        f"{'inside a kernel loop':<26}{'thr':>4}{'elements':>9}{'Larix ns':>10}{'NumPy ns':>9}"
        "  ratio"
    )
    print(header)
    print("-" * len(header))
    in_kernel = []
    for threads, what, n, t_lx, t_np in kernel_results:
        print(
            f"{what:<26}{threads:>4}{n:>9}{t_lx * 1e9:>10.0f}{t_np * 1e9:>9.0f}"
            f"  {t_lx / t_np:.2f}x NumPy"
        )
        in_kernel.append(dict(work=what, threads=threads, elements=n, larix_s=t_lx, numpy_s=t_np))
    print()
    if dask_row:
        tasks, t = dask_row
        print(
            f"dask.delayed (threads scheduler): {tasks} tasks in {t:.3f} s = "
            f"{t / tasks * 1e9:.0f} ns/task"
        )
    else:
        print("dask.delayed: not installed (pip install dask to compare)")
    out = Path(__file__).resolve().parents[1] / "results" / "overhead.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(dict(rows=results, calls=calls, in_kernel=in_kernel, dask=dask_row), indent=2)
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
