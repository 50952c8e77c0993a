"""PNG plots in the paper's style: execution time against threads, one panel per size (its
Figures 5 and 6), and the speedup of Larix over NumPy against threads, one line per size (its
Figure 4)."""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, no display needed
import matplotlib.pyplot as plt  # noqa: E402

STYLE = {
    "larix": {"color": "tab:red", "marker": "o"},
    "numpy": {"color": "tab:blue", "marker": "s"},
    "numba": {"color": "tab:green", "marker": "^"},
    "numba_fused": {"color": "tab:olive", "marker": "<"},
    "jax": {"color": "tab:purple", "marker": "D"},
    "dask": {"color": "tab:orange", "marker": "v"},
}
LABEL = {"larix": "Larix", "numpy": "NumPy"}


def _series(rows: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, list]]]:
    """variant -> size -> impl -> [(threads, median, min, max)] sorted by threads."""
    out: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for r in rows:
        out[r["variant"]][r["size"]][r["impl"]].append(
            (r["threads"], r["median_s"], r["min_s"], r["max_s"])
        )
    for sizes in out.values():
        for impls in sizes.values():
            for points in impls.values():
                points.sort()
    return out


def plot_times(variant: str, sizes: dict[str, dict[str, list]], path: Path) -> Path:
    n = len(sizes)
    cols = min(3, n)
    nrows = math.ceil(n / cols)
    fig, axes = plt.subplots(nrows, cols, figsize=(4.2 * cols, 3.4 * nrows), squeeze=False)
    for ax, (size, impls) in zip(axes.flat, sizes.items()):
        for impl, points in impls.items():
            threads = [p[0] for p in points]
            med = [p[1] for p in points]
            err = [[p[1] - p[2] for p in points], [p[3] - p[1] for p in points]]
            ax.errorbar(
                threads,
                med,
                yerr=err,
                capsize=3,
                label=LABEL.get(impl, impl),
                **STYLE.get(impl, {}),
            )
        ax.set_title(size, fontsize=10)
        ax.set_xlabel("threads")
        ax.set_ylabel("execution time (s)")
        ax.set_xticks(sorted({p[0] for pts in impls.values() for p in pts}))
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.suptitle(f"{variant}: execution time (median, bars: min-max)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_speedup(variant: str, sizes: dict[str, dict[str, list]], path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(5.5, 4))
    all_threads: set[int] = set()
    for size, impls in sizes.items():
        if "larix" not in impls or "numpy" not in impls:
            continue
        numpy_t = {p[0]: p[1] for p in impls["numpy"]}
        points = [(p[0], numpy_t[p[0]] / p[1]) for p in impls["larix"] if p[0] in numpy_t]
        all_threads.update(t for t, _ in points)
        ax.plot([t for t, _ in points], [s for _, s in points], marker="o", label=size)
    ax.axhline(1.0, color="grey", linestyle="--", linewidth=1)
    ax.set_xlabel("threads")
    ax.set_ylabel("speedup of Larix over NumPy")
    ax.set_xticks(sorted(all_threads))
    ax.set_title(f"{variant}: NumPy time / Larix time")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_all(rows: list[dict[str, Any]], out: Path) -> list[Path]:
    """``{variant}_time.png`` and ``{variant}_speedup.png`` for every variant in rows."""
    written = []
    for variant, sizes in _series(rows).items():
        written.append(plot_times(variant, sizes, out / f"{variant}_time.png"))
        written.append(plot_speedup(variant, sizes, out / f"{variant}_speedup.png"))
    return written
