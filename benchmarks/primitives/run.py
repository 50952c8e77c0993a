"""Larix primitives against NumPy, family by family, at 10^3, 10^6 and 10^8 elements.

    python benchmarks/primitives/run.py [--sizes 1000 1000000 ...] [--quick] [--threads 1 2]
                                        [--repeat 5] [--budget 60] [--only sum matmul ...]
                                        [--out benchmarks/primitives/results]

Families: elementwise unary, elementwise binary with broadcasting, comparisons/where, reductions
(axis None/0/1), cumsum, shape ops, matmul/dot (gemv, gemm), linalg (solve, inv), slicing/store.
Each op is one `larix.compile`d PhySL program called with the same NumPy arrays NumPy gets (they go
in without copies). Every Larix result is checked against NumPy first (a mismatch shows in the
table); then the call alone is timed, Larix and NumPy alternating, after the checking run has warmed
both up. Times are medians of --repeat runs (fewer when one Larix+NumPy pair takes more than
--budget/--repeat seconds; the reps column says how many).

Each thread count runs in a subprocess of this script (a fresh runtime, fresh memory, and the
environment OpenBLAS reads at load time); NumPy's own BLAS gets the same number of threads through
threadpoolctl, Larix's BLAS stays single-threaded inside its tasks. NumPy's elementwise ops and
reductions are single-threaded whatever that number is (column "NumPy thr").

Writes primitives.csv, primitives.json and primitives.md under --out. A benchmark, not a test: no
thresholds; the summary at the end lists the ops that miss the goals of the primitives issue.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

HERE = Path(__file__).resolve().parent
DEFAULT_SIZES = [10**3, 10**6, 10**8]
QUICK_SIZES = [10**3, 10**6]
# Families whose NumPy implementation runs on one thread (the 2-thread goal applies to them).
SINGLE_THREADED_GOAL = ("elementwise unary", "elementwise binary", "comparisons", "reductions")


# --- inputs: one maker per family, sized by the element count n of the main operand ----------


def matrix_shape(n: int) -> tuple[int, int]:
    """(rows, cols) with rows * cols == n, as square as n allows: 10^6 -> 1000 x 1000."""
    rows = math.isqrt(n)
    while rows > 1 and n % rows:
        rows -= 1
    return rows, n // rows


def positive(rng: np.random.Generator, shape: Any) -> np.ndarray:
    """Uniform in [0.1, 1.1): valid for log and sqrt, no ties for argmax."""
    out = rng.random(shape)
    out += 0.1
    return out


def vectors(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {"a": positive(rng, n), "b": positive(rng, n), "c": positive(rng, n)}


def broadcast_inputs(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    rows, cols = matrix_shape(n)
    out = vectors(n, rng)
    out.update(
        m=positive(rng, (rows, cols)), rowv=positive(rng, cols), colv=positive(rng, (rows, 1))
    )
    return out


def matrix_inputs(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    rows, cols = matrix_shape(n)
    return {"a": positive(rng, n), "m": positive(rng, (rows, cols)), "rowv": positive(rng, cols)}


def shape_inputs(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    rows, cols = matrix_shape(n)
    return {"m": positive(rng, (rows, cols)), "m2": positive(rng, (rows, cols))}


def product_inputs(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    rows, cols = matrix_shape(n)
    return {
        "a": positive(rng, n),
        "b": positive(rng, n),
        "m": positive(rng, (rows, cols)),
        "k": positive(rng, (cols, rows)),
        "v": positive(rng, cols),
        "w": positive(rng, rows),
    }


def linalg_inputs(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    side = max(1, math.isqrt(n))
    s = positive(rng, (side, side))
    s[np.diag_indices(side)] += side  # diagonally dominant: well conditioned at every size
    return {"s": s, "rhs": positive(rng, side)}


# --- the ops ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    family: str
    name: str
    params: tuple[str, ...]  # input names, also the PhySL parameter names
    physl: str  # the body: an expression of the params
    numpy: Callable[..., Any]
    blas: bool = False  # NumPy runs it on its BLAS threads

    @property
    def program(self) -> str:
        return f"define(f, {', '.join(self.params)}, {self.physl}) f"

    @property
    def label(self) -> str:
        return f"{self.family}: {self.name}"


def sigmoid(a: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-a))


def store_rows(m: np.ndarray, rowv: np.ndarray) -> np.ndarray:
    y = m.copy()
    y[::2] = rowv
    return y


def reduction_ops() -> list[Op]:
    ops = []
    for name, physl, fn in [
        ("sum", "sum", np.sum),
        ("mean", "mean", np.mean),
        ("max", "amax", np.max),
        ("argmax", "argmax", np.argmax),
        ("var", "var", np.var),
    ]:
        for axis in (None, 0, 1):
            body = f"{physl}(m)" if axis is None else f"{physl}(m, __arg(axis, {axis}))"
            ops.append(
                Op(
                    "reductions",
                    f"{name} axis={axis}",
                    ("m",),
                    body,
                    lambda m, f=fn, x=axis: f(m, axis=x),
                )
            )
    return ops


U, B, C, CU, SH, MM, LA, SL = (
    "elementwise unary",
    "elementwise binary",
    "comparisons",
    "cumsum",
    "shape",
    "matmul/dot",
    "linalg",
    "slicing/store",
)

OPS: list[Op] = [
    Op(U, "exp", ("a",), "exp(a)", np.exp),
    Op(U, "log", ("a",), "log(a)", np.log),
    Op(U, "sqrt", ("a",), "sqrt(a)", np.sqrt),
    Op(U, "sin", ("a",), "sin(a)", np.sin),
    Op(U, "tanh", ("a",), "tanh(a)", np.tanh),
    Op(U, "sigmoid", ("a",), "sigmoid(a)", sigmoid),
    Op(B, "add a+b", ("a", "b"), "a + b", np.add),
    Op(B, "multiply m*row", ("m", "rowv"), "m * rowv", np.multiply),
    Op(B, "subtract m-col", ("m", "colv"), "m - colv", np.subtract),
    Op(B, "maximum", ("a", "b"), "maximum(a, b)", np.maximum),
    Op(B, "a*b+c", ("a", "b", "c"), "a * b + c", lambda a, b, c: a * b + c),
    Op(B, "2*a+1", ("a",), "2.0 * a + 1.0", lambda a: 2.0 * a + 1.0),
    Op(C, "less a<b", ("a", "b"), "a < b", np.less),
    Op(C, "where", ("a", "b"), "where(a > 0.6, a, b)", lambda a, b: np.where(a > 0.6, a, b)),
    Op(
        C,
        "logical_and",
        ("a",),
        "(a > 0.3) && (a < 0.8)",
        lambda a: np.logical_and(a > 0.3, a < 0.8),
    ),
    *reduction_ops(),
    Op(CU, "cumsum axis=None", ("a",), "cumsum(a)", np.cumsum),
    Op(CU, "cumsum axis=0", ("m",), "cumsum(m, __arg(axis, 0))", lambda m: np.cumsum(m, axis=0)),
    Op(CU, "cumsum axis=1", ("m",), "cumsum(m, __arg(axis, 1))", lambda m: np.cumsum(m, axis=1)),
    Op(SH, "transpose+copy", ("m",), "copy(transpose(m))", lambda m: m.T.copy()),
    Op(SH, "reshape (view)", ("m",), "reshape(m, '(-1))", lambda m: m.reshape(-1)),
    Op(
        SH,
        "reshape of .T (copy)",
        ("m",),
        "reshape(transpose(m), '(-1))",
        lambda m: m.T.reshape(-1),
    ),
    Op(
        SH,
        "concatenate axis=0",
        ("m", "m2"),
        "concatenate(list(m, m2), __arg(axis, 0))",
        lambda m, m2: np.concatenate([m, m2], axis=0),
    ),
    Op(
        SH,
        "concatenate axis=1",
        ("m", "m2"),
        "concatenate(list(m, m2), __arg(axis, 1))",
        lambda m, m2: np.concatenate([m, m2], axis=1),
    ),
    Op(MM, "dot a.b (1-d)", ("a", "b"), "dot(a, b)", np.dot, blas=True),
    Op(MM, "gemv m@v", ("m", "v"), "dot(m, v)", np.dot, blas=True),
    Op(MM, "gemv w@m", ("w", "m"), "dot(w, m)", np.dot, blas=True),
    Op(MM, "gemm m@k", ("m", "k"), "matmul(m, k)", np.matmul, blas=True),
    Op(LA, "solve", ("s", "rhs"), "solve(s, rhs)", np.linalg.solve, blas=True),
    Op(LA, "inv", ("s",), "inverse(s)", np.linalg.inv, blas=True),
    Op(
        SL,
        "slice (view)",
        ("m",),
        "slice(m, '(1, -1), '(nil, nil, 2))",
        lambda m: m[1:-1, ::2],
    ),
    Op(
        SL,
        "slice+copy",
        ("m",),
        "copy(slice(m, '(1, -1), '(nil, nil, 2)))",
        lambda m: m[1:-1, ::2].copy(),
    ),
    Op(
        SL,
        "copy+store rows",
        ("m", "rowv"),
        "block(define(y, copy(m)), store(slice(y, '(nil, nil, 2), nil), rowv), y)",
        store_rows,
    ),
]

INPUTS: dict[str, Callable[[int, np.random.Generator], dict[str, np.ndarray]]] = {
    U: vectors,
    B: broadcast_inputs,
    C: vectors,
    "reductions": matrix_inputs,
    CU: matrix_inputs,
    SH: shape_inputs,
    MM: product_inputs,
    LA: linalg_inputs,
    SL: matrix_inputs,
}


# --- measuring (in the worker process) --------------------------------------------------------


@dataclass
class Row:
    family: str
    op: str
    size: int
    shape: str
    threads: int
    numpy_threads: str
    numpy_ms: float | None = None
    larix_ms: float | None = None
    speedup: float | None = None  # NumPy time / Larix time: above 1, Larix is faster
    reps: int = 0
    check: str = ""
    physl: str = field(default="", repr=False)


def check_result(expected: Any, got: Any) -> str:
    """'ok', or what differs from NumPy."""
    expected = np.asarray(expected)
    got = np.asarray(got)
    if got.shape != expected.shape:
        return f"MISMATCH shape {got.shape} (NumPy {expected.shape})"
    if got.dtype != expected.dtype:
        return f"MISMATCH dtype {got.dtype} (NumPy {expected.dtype})"
    flat_e, flat_g = expected.reshape(-1), got.reshape(-1)
    exact = expected.dtype.kind in "biu"
    chunk = 1 << 22  # compare in pieces: no 10^8-element temporaries
    scale = 0.0  # the largest finite |value|: atol for entries far below it (inverses, sums)
    for start in range(0, 0 if exact else flat_e.size, chunk):
        e = np.abs(flat_e[start : start + chunk])
        e = e[np.isfinite(e)]
        scale = max(scale, float(e.max())) if e.size else scale
    atol = 1e-9 * scale
    for start in range(0, flat_e.size, chunk):
        e, g = flat_e[start : start + chunk], flat_g[start : start + chunk]
        ok = (
            np.array_equal(e, g)
            if exact
            else np.allclose(g, e, rtol=1e-6, atol=atol, equal_nan=True)
        )
        if not ok:
            if exact:
                k = start + int(np.argmax(e != g))
            else:
                k = start + int(np.argmax(~np.isclose(g, e, rtol=1e-6, atol=atol, equal_nan=True)))
            return f"MISMATCH at flat index {k}: {flat_g[k]!r} (NumPy {flat_e[k]!r})"
    return "ok"


def timed(fn: Callable[..., Any], args: tuple) -> float:
    start = time.perf_counter()
    result = fn(*args)
    elapsed = time.perf_counter() - start
    del result  # freeing the result is not part of the call
    return elapsed


def shape_text(arrays: list[np.ndarray]) -> str:
    seen: list[str] = []
    for a in arrays:
        text = "x".join(str(d) for d in a.shape)
        if text not in seen:
            seen.append(text)
    return ", ".join(seen)


def measure(op: Op, inputs: dict[str, np.ndarray], size: int, threads: int, args) -> Row:
    import larix

    arrays = [inputs[p] for p in op.params]
    row = Row(
        op.family,
        op.name,
        size,
        shape_text(arrays),
        threads,
        str(threads) if op.blas else "1",
        physl=op.program,
    )
    call_args = tuple(arrays)
    try:
        program = larix.compile(op.program, source_name=op.label)
    except Exception as e:  # noqa: BLE001 - a primitive another branch has not added yet
        row.check = f"missing: {str(e).splitlines()[0]}"
        return row
    # The checking run is the warm-up of both (Larix measures its node costs on its first call).
    try:
        start = time.perf_counter()
        got = program(*call_args)
        t_larix = time.perf_counter() - start
    except Exception as e:  # noqa: BLE001 - reported in the table, not hidden
        row.check = f"error: {type(e).__name__}: {str(e).splitlines()[0]}"
        return row
    start = time.perf_counter()
    expected = op.numpy(*call_args)
    t_numpy = time.perf_counter() - start
    row.check = check_result(expected, got)
    del got, expected

    reps = args.repeat
    if args.budget > 0 and (t_larix + t_numpy) * reps > args.budget:
        reps = max(1, int(args.budget / (t_larix + t_numpy)))
    gc.collect()
    numpy_times, larix_times = [], []
    for i in range(reps):  # alternate, and alternate who goes first
        if i % 2 == 0:
            numpy_times.append(timed(op.numpy, call_args))
            larix_times.append(timed(program, call_args))
        else:
            larix_times.append(timed(program, call_args))
            numpy_times.append(timed(op.numpy, call_args))
    row.reps = reps
    row.numpy_ms = statistics.median(numpy_times) * 1e3
    row.larix_ms = statistics.median(larix_times) * 1e3
    row.speedup = row.numpy_ms / row.larix_ms if row.larix_ms > 0 else None
    return row


def numpy_blas(threads: int) -> tuple[str, list[dict[str, Any]]]:
    """Give NumPy's BLAS `threads` threads (Larix's own stays as it is); describe both."""
    try:
        from threadpoolctl import ThreadpoolController, threadpool_info
    except ImportError:
        return "threadpoolctl not installed: NumPy's BLAS threads left at their default", []
    lines = []
    blas = [lib for lib in ThreadpoolController().lib_controllers if lib.user_api == "blas"]
    for lib in sorted(blas, key=lambda lib: "numpy" not in lib.filepath):
        if "numpy" in lib.filepath:
            lib.set_num_threads(threads)
            who = "NumPy's BLAS"
        elif "scipy_openblas32" in lib.filepath:
            who = "Larix's BLAS (single-threaded inside its tasks)"
        else:
            who = "other BLAS"
        lines.append(
            f"{who}: {lib.internal_api} {lib.version}, kernel {getattr(lib, 'architecture', '?')}, "
            f"{getattr(lib, 'threading_layer', '?')}, {lib.num_threads} thread(s) ({lib.filepath})"
        )
    return "\n".join(lines) or "no BLAS found by threadpoolctl", threadpool_info()


def fmt_size(n: int) -> str:
    exp = round(math.log10(n)) if n > 0 else 0
    return f"10^{exp}" if 10**exp == n else str(n)


def fmt_ms(ms: float | None) -> str:
    if ms is None:
        return "-"
    if ms >= 100:
        return f"{ms:.0f}"
    if ms >= 10:
        return f"{ms:.1f}"
    if ms >= 1:
        return f"{ms:.2f}"
    return f"{ms:.3g}"


def selected_ops(only: list[str] | None) -> list[Op]:
    if not only:
        return OPS
    words = [w.lower() for w in only]
    return [op for op in OPS if any(w in op.label.lower() for w in words)]


def worker(args) -> None:
    """One thread count: measure every selected op at every size, one JSON line per row."""
    import larix

    threads = args.threads[0]
    larix.init(threads)
    blas_text, info = numpy_blas(threads)
    print(f"[{threads} thr] Larix {larix.__version__}, {larix.threads()} thread(s)", flush=True)
    print(
        f"[{threads} thr] NumPy {np.__version__}; {blas_text}".replace("\n", f"\n[{threads} thr] ")
    )
    out = Path(args.worker_json)
    with out.open("w") as f:
        meta = dict(threads=threads, larix_threads=larix.threads(), larix=larix.__version__)
        meta.update(numpy=np.__version__, threadpool_info=info, blas=blas_text)
        f.write(json.dumps({"meta": meta}) + "\n")
        f.flush()
        ops = selected_ops(args.only)
        families = list(dict.fromkeys(op.family for op in ops))
        for family in families:
            for size in args.sizes:
                rng = np.random.default_rng(size)
                inputs = INPUTS[family](size, rng)
                for op in (o for o in ops if o.family == family):
                    row = measure(op, inputs, size, threads, args)
                    print(
                        f"[{threads} thr] {op.label:<38} {fmt_size(size):>6} ({row.shape}): "
                        f"NumPy {fmt_ms(row.numpy_ms):>7} ms  Larix {fmt_ms(row.larix_ms):>7} ms  "
                        f"{(f'{row.speedup:.2f}x') if row.speedup else '-':>7}  {row.check}"
                        f"  ({row.reps} reps)",
                        flush=True,
                    )
                    f.write(json.dumps({"row": asdict(row)}) + "\n")
                    f.flush()
                del inputs
                gc.collect()


# --- driving (in the parent process) ----------------------------------------------------------

COLUMNS = [
    "family",
    "op",
    "size",
    "shape",
    "threads",
    "numpy_threads",
    "numpy_ms",
    "larix_ms",
    "speedup",
    "reps",
    "check",
    "physl",
]


def markdown(rows: list[dict[str, Any]]) -> str:
    head = ["family", "op", "size", "shape", "thr", "NumPy thr", "NumPy ms", "Larix ms"]
    head += ["NumPy/Larix", "check"]
    lines = ["| " + " | ".join(head) + " |", "|---|---|---|---|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        cells = [r["family"], r["op"], fmt_size(r["size"]), r["shape"], r["threads"]]
        cells += [r["numpy_threads"], fmt_ms(r["numpy_ms"]), fmt_ms(r["larix_ms"])]
        cells += [f"{r['speedup']:.2f}x" if r["speedup"] else "-", r["check"]]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


def goal_summary(rows: list[dict[str, Any]]) -> str:
    """The ops that miss the issue's goals: slower than NumPy at 10^6+ on 1 thread; below 1.8x
    NumPy on 2 threads for the families NumPy runs single-threaded."""
    slow = [
        r
        for r in rows
        if r["size"] >= 10**6 and r["threads"] == 1 and r["speedup"] and r["speedup"] < 1.0
    ]
    short = [
        r
        for r in rows
        if r["size"] >= 10**6
        and r["threads"] == 2
        and r["family"] in SINGLE_THREADED_GOAL
        and r["speedup"]
        and r["speedup"] < 1.8
    ]
    bad = [r for r in rows if r["check"] != "ok"]

    def names(rs: list[dict[str, Any]]) -> str:
        return ", ".join(
            f"{r['family']}/{r['op']} {fmt_size(r['size'])} ({r['speedup']:.2f}x)" for r in rs
        )

    out = []
    if any(r["size"] >= 10**6 and r["threads"] == 1 for r in rows):
        out.append(f"slower than NumPy at 10^6+ on 1 thread: {names(slow) or 'none'}")
    if any(r["size"] >= 10**6 and r["threads"] == 2 for r in rows):
        out.append(
            "below 1.8x NumPy at 10^6+ on 2 threads (elementwise, comparisons, reductions): "
            f"{names(short) or 'none'}"
        )
    out.append(
        "not verified: "
        + (
            ", ".join(f"{r['family']}/{r['op']} {fmt_size(r['size'])}: {r['check']}" for r in bad)
            or "none"
        )
    )
    return "\n".join(out)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=None, help="element counts (default 10^3 10^6 10^8)"
    )
    parser.add_argument("--quick", action="store_true", help="sizes 10^3 and 10^6 only")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per op (median)")
    parser.add_argument(
        "--budget",
        type=float,
        default=60.0,
        help="seconds per op and size: fewer repetitions when the pair of calls is slower (0: off)",
    )
    parser.add_argument(
        "--only", nargs="+", default=None, help="ops whose family/op contains one of these"
    )
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker-json", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.sizes is None:
        args.sizes = QUICK_SIZES if args.quick else DEFAULT_SIZES
    if args.repeat < 1 or min(args.threads) < 1 or min(args.sizes) < 1:
        parser.error("--repeat, --threads and --sizes must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        worker(args)
        return 0

    args.out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    coretype = env.pop("OPENBLAS_CORETYPE", None)
    ops = selected_ops(args.only)
    print(
        f"Larix vs NumPy primitives: {len(ops)} ops, "
        f"sizes {' '.join(fmt_size(s) for s in args.sizes)}, "
        f"threads {' '.join(map(str, args.threads))}, medians of {args.repeat} "
        f"({platform.processor() or platform.machine()}, {os.cpu_count()} cores)"
    )
    print(
        "NumPy's elementwise ops and reductions run on one thread; only its BLAS/LAPACK ops "
        "(matmul/dot, linalg) use the thread count (column 'NumPy thr')."
    )
    if coretype is not None:
        print(
            f"OPENBLAS_CORETYPE={coretype} was set: unset for the measured subprocesses "
            "(OpenBLAS picks the kernel for this CPU)."
        )
    sys.stdout.flush()

    rows: list[dict[str, Any]] = []
    metas: list[dict[str, Any]] = []
    failures = []
    for threads in args.threads:
        part = args.out / f"worker_{threads}.jsonl"
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            "--worker-json",
            str(part),
        ]
        command += ["--threads", str(threads), "--sizes", *map(str, args.sizes)]
        command += ["--repeat", str(args.repeat), "--budget", str(args.budget)]
        if args.only:
            command += ["--only", *args.only]
        rc = subprocess.run(command, env=env).returncode
        got = 0
        if part.exists():
            for line in part.read_text().splitlines():
                item = json.loads(line)
                if "meta" in item:
                    metas.append(item["meta"])
                else:
                    rows.append(item["row"])
                    got += 1
            part.unlink()
        if rc != 0:
            failures.append(f"the {threads}-thread run exited with code {rc} after {got} rows")

    order = {(op.family, op.name): k for k, op in enumerate(OPS)}
    rows.sort(
        key=lambda r: (order.get((r["family"], r["op"]), len(order)), r["size"], r["threads"])
    )
    table = markdown(rows)
    summary = goal_summary(rows)
    print()
    print(table)
    print()
    print(summary)
    for failure in failures:
        print(f"FAILED: {failure}")

    with (args.out / "primitives.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    meta = dict(
        machine=platform.machine(),
        processor=platform.processor(),
        cpu_count=os.cpu_count(),
        python=sys.version.split()[0],
        sizes=args.sizes,
        threads=args.threads,
        repeat=args.repeat,
        budget_s=args.budget,
        openblas_coretype_unset=coretype,
        runs=metas,
        failures=failures,
    )
    (args.out / "primitives.json").write_text(json.dumps(dict(meta=meta, rows=rows), indent=1))
    (args.out / "primitives.md").write_text(table + "\n\n" + summary + "\n")
    print(f"wrote {args.out / 'primitives.csv'}, primitives.json, primitives.md")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
