"""The benchmark loop: for each size and thread count, check that Larix and NumPy agree, then
time them alternately (and the peers after them), several repetitions, and keep the medians."""

from __future__ import annotations

import csv
import dataclasses
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, TextIO

import numpy as np

from . import machine, peers, workloads

#: Larix's result must match NumPy's to this relative difference (max |a - b| / max |b|).
RTOL = 1e-8


@dataclasses.dataclass
class Config:
    benchmarks: list[str]
    mode: str = "full"  # "full" (the paper's sizes) or "quick"
    threads: list[int] = dataclasses.field(default_factory=lambda: [1])
    repeat: int = 5
    out: Path = Path("bench-results")
    scale: float = 1.0
    data_dir: str | None = None
    ratings_csv: str | None = None
    lra_iterations: int | None = None
    data_format: str = "npy"
    peers: list[str] = dataclasses.field(default_factory=list)
    plots: bool = True
    only: list[str] = dataclasses.field(default_factory=list)  # keep cases whose key has one


class Progress:
    """One line per finished run: where the sweep is, what ran, and a rough time left."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total, self.done, self.stream = total, 0, stream or sys.stdout
        self.start = time.perf_counter()

    def step(self, text: str) -> None:
        self.done += 1
        elapsed = time.perf_counter() - self.start
        left = elapsed / self.done * (self.total - self.done)
        width = len(str(self.total))
        print(
            f"  [{self.done:{width}}/{self.total}] {text}  "
            f"(elapsed {elapsed:.0f} s, ~{left:.0f} s left)",
            file=self.stream,
            flush=True,
        )


def relative_difference(a: np.ndarray, b: np.ndarray) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return float("inf")
    scale = float(np.max(np.abs(b))) if b.size else 0.0
    diff = float(np.max(np.abs(a - b))) if b.size else 0.0
    return diff / scale if scale > 0 else diff


def _timed(fn: Callable[..., Any], args: tuple) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def _fmt_values(v: np.ndarray) -> str:
    return ", ".join(f"{x:.9g}" for x in v)


def build_cases(cfg: Config) -> list[workloads.Case]:
    cases: list[workloads.Case] = []
    for name in cfg.benchmarks:
        if name == "lra":
            cases += workloads.lra_cases(
                cfg.mode, cfg.scale, cfg.data_dir, cfg.lra_iterations, cfg.data_format
            )
        elif name == "als":
            cases += workloads.als_cases(cfg.mode, cfg.scale, cfg.data_dir, cfg.ratings_csv)
        elif name == "kmeans":
            cases += workloads.kmeans_cases(cfg.mode, cfg.scale)
        else:
            raise ValueError(f"unknown benchmark {name!r} (lra, als, kmeans, all)")
    if cfg.only:
        cases = [c for c in cases if any(text in c.key for text in cfg.only)]
    return cases


def run(cfg: Config, stream: TextIO | None = None) -> dict[str, Any]:
    """Runs the sweep, prints the table (to stream, default stdout), writes results.csv,
    results.json and the plots into cfg.out; returns what results.json holds."""
    stream = stream or sys.stdout

    def say(*parts: Any) -> None:
        print(*parts, file=stream, flush=True)

    cfg.out.mkdir(parents=True, exist_ok=True)
    info = machine.describe(bandwidth_mb=64 if cfg.mode == "quick" else 256)
    say(
        f"machine: {info['cpu']}, {info['usable_cores']} usable core(s), "
        f"{info['memory_gib']} GiB, copy bandwidth ~{info['copy_bandwidth_gbs_1thread']} GB/s "
        f"(1 thread), load average {info['load_average']}"
    )
    say("BLAS libraries (threadpoolctl.threadpool_info()):")
    say("  " + machine.blas_summary().replace("\n", "\n  "))

    peer_objs, peer_notes = peers.load(cfg.peers)
    for note in peer_notes:
        say(note)
    cases = build_cases(cfg)
    say(
        f"mode: {cfg.mode}{'' if cfg.scale == 1.0 else f', sizes scaled by {cfg.scale}'}; "
        f"threads {cfg.threads}; {cfg.repeat} repetition(s) per point (median)"
    )
    for c in cases:
        say(
            f"  {c.benchmark:7} {c.variant:14} {c.label:22} {c.params}"
            + (f"  [{c.note}]" if c.note else "")
        )
    if cfg.mode == "quick":
        say("  (quick: sizes scaled down from the paper's; the full sweep drops --quick)")

    runs_per_impl = len(cfg.threads) * (1 + cfg.repeat)
    total = sum(
        runs_per_impl * (2 + sum(p.implementation(c.variant) is not None for p in peer_objs))
        for c in cases
    )
    progress = Progress(total, stream)
    rows: list[dict[str, Any]] = []
    checks: list[dict[str, Any]] = []
    for case in cases:
        say(f"\n== {case.benchmark}: {case.variant} {case.label} ==")
        t0 = time.perf_counter()
        args = case.make_args()
        say(f"  data ready in {time.perf_counter() - t0:.1f} s")
        impls: list[tuple[str, Callable[..., Any]]] = [("larix", case.larix), ("numpy", case.numpy)]
        for peer in peer_objs:
            fn = peer.implementation(case.variant)
            if fn is not None:
                impls.append((peer.name, fn))
        for n in cfg.threads:
            notes = machine.set_threads(n)
            for peer in peer_objs:
                note = peer.set_threads(n)
                if note:
                    notes.append(f"{peer.name}: {note}")
            for note in notes:
                say(f"  note: {note}")
            # The check run is also the warm-up (Larix learns node costs on its first runs).
            results, failed = {}, []
            for name, fn in impls:
                try:
                    elapsed, results[name] = _timed(fn, args)
                except Exception as e:
                    if name in ("larix", "numpy"):
                        raise
                    failed.append(name)  # a peer that fails is left out, not the whole sweep
                    say(f"  {name} failed, left out of {case.key}: {type(e).__name__}: {e}")
                    elapsed = float("nan")
                progress.step(
                    f"{case.variant} {case.label} threads={n} {name} check run: {elapsed:.3f} s"
                )
            if failed:
                progress.total -= len(failed) * cfg.repeat
                impls = [(name, fn) for name, fn in impls if name not in failed]
            times: dict[str, list[float]] = {name: [] for name, _ in impls}
            reference = case.flatten(results["numpy"])
            for name, _ in impls:
                if name == "numpy":
                    continue
                value = case.flatten(results[name])
                rel = relative_difference(value, reference)
                ok = rel <= RTOL
                checks.append(
                    {
                        "case": case.key,
                        "threads": n,
                        "impl": name,
                        "relative_difference": rel,
                        "ok": ok,
                        "last7": value[-7:].tolist(),
                    }
                )
                say(
                    f"  check {name} vs numpy: max relative difference {rel:.2e} "
                    f"{'ok' if ok else 'MISMATCH'} (<= {RTOL:g})"
                )
                say(f"    last seven values, {name}: {_fmt_values(value[-7:])}")
            say(f"    last seven values, numpy: {_fmt_values(reference[-7:])}")
            checks.append(
                {
                    "case": case.key,
                    "threads": n,
                    "impl": "numpy",
                    "relative_difference": 0.0,
                    "ok": True,
                    "last7": reference[-7:].tolist(),
                }
            )
            for rep in range(cfg.repeat):
                for name, fn in impls:  # alternating: larix, numpy, peers, larix, numpy, ...
                    elapsed, _ = _timed(fn, args)
                    times[name].append(elapsed)
                    progress.step(
                        f"{case.variant} {case.label} threads={n} {name} "
                        f"rep {rep + 1}/{cfg.repeat}: {elapsed:.3f} s"
                    )
            numpy_median = statistics.median(times["numpy"])
            for name, _ in impls:
                t = times[name]
                med = statistics.median(t)
                rows.append(
                    {
                        "benchmark": case.benchmark,
                        "variant": case.variant,
                        "size": case.label,
                        "threads": n,
                        "impl": name,
                        "median_s": med,
                        "min_s": min(t),
                        "max_s": max(t),
                        "repeats": len(t),
                        "speedup_vs_numpy": numpy_median / med if med > 0 else float("nan"),
                        "times_s": t,
                        "params": case.params,
                    }
                )
        del args

    say("\n" + table(rows))
    result = {
        "config": {
            k: (str(v) if isinstance(v, Path) else v) for k, v in dataclasses.asdict(cfg).items()
        },
        "machine": info,
        "rtol": RTOL,
        "checks": checks,
        "results": rows,
        "peer_notes": peer_notes,
    }
    write_csv(cfg.out / "results.csv", rows)
    (cfg.out / "results.json").write_text(json.dumps(result, indent=1, default=str))
    written = [cfg.out / "results.csv", cfg.out / "results.json"]
    if cfg.plots:
        try:
            from . import plots

            written += plots.plot_all(rows, cfg.out)
        except ImportError as e:
            say(f"plots skipped: {e} (pip install matplotlib, or larix[bench])")
    bad = [c for c in checks if not c["ok"]]
    if bad:
        say(f"\n{len(bad)} CHECK(S) FAILED: results differ by more than {RTOL:g} (see above)")
    say("\nwritten: " + ", ".join(str(p) for p in written))
    result["written"] = [str(p) for p in written]
    return result


def table(rows: list[dict[str, Any]]) -> str:
    """The results as aligned text: one line per size, thread count and implementation."""
    header = (
        "benchmark",
        "variant",
        "size",
        "threads",
        "impl",
        "median s",
        "min s",
        "max s",
        "numpy/impl",
    )
    lines = [header]
    for r in rows:
        lines.append(
            (
                r["benchmark"],
                r["variant"],
                r["size"],
                str(r["threads"]),
                r["impl"],
                f"{r['median_s']:.4f}",
                f"{r['min_s']:.4f}",
                f"{r['max_s']:.4f}",
                f"{r['speedup_vs_numpy']:.2f}x",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for k, line in enumerate(lines):
        out.append(
            "  ".join(
                c.ljust(w) if i < 5 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths))
            )
        )
        if k == 0:
            out.append("-" * len(out[0]))
    return "\n".join(out)


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    fields = [
        "benchmark",
        "variant",
        "size",
        "threads",
        "impl",
        "median_s",
        "min_s",
        "max_s",
        "repeats",
        "speedup_vs_numpy",
        "times_s",
    ]
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({**r, "times_s": " ".join(f"{t:.6f}" for t in r["times_s"])})


def default_threads() -> list[int]:
    return list(range(1, machine.usable_cores() + 1))
