"""What the benchmarks ran on: CPU, memory, BLAS libraries and their thread counts."""

from __future__ import annotations

import os
import platform
import sys
import time
from typing import Any

import numpy as np

import larix


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return None


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _larix_blas_paths() -> set[str]:
    from larix import _libs

    return {os.path.realpath(p) for p in _libs.library_paths()}


def blas_controllers() -> tuple[list[Any], list[Any]]:
    """threadpoolctl's BLAS controllers: (the others', Larix's own). Larix's OpenBLAS stays
    single-threaded inside its tasks; the others (NumPy's, SciPy's) get the benchmark's thread
    count. Empty lists without threadpoolctl."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return [], []
    ours = _larix_blas_paths()
    others, larix_libs = [], []
    for lib in ThreadpoolController().lib_controllers:
        if lib.user_api != "blas":
            continue
        (larix_libs if os.path.realpath(lib.filepath) in ours else others).append(lib)
    return others, larix_libs


def set_threads(n: int) -> list[str]:
    """Larix with n threads, NumPy's (and every other non-Larix) BLAS with n threads. Returns
    notes on what could not be set."""
    larix.init(threads=n)
    notes = []
    others, _ = blas_controllers()
    if not others:
        notes.append("threadpoolctl missing: NumPy's BLAS threads not set")
    for lib in others:
        lib.set_num_threads(n)
    return notes


def blas_info() -> list[dict[str, Any]]:
    """threadpoolctl.threadpool_info(), each entry marked with who uses it."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    ours = _larix_blas_paths()
    info = []
    for entry in threadpool_info():
        entry = dict(entry)
        path = entry.get("filepath", "")
        if entry.get("user_api") != "blas":
            entry["used_by"] = entry.get("user_api", "?")  # e.g. OpenMP, loaded by scikit-learn
        elif os.path.realpath(path) in ours:
            entry["used_by"] = "larix"
        elif "numpy" in path:
            entry["used_by"] = "numpy"
        elif "scipy" in path:
            entry["used_by"] = "scipy"
        else:
            entry["used_by"] = "other"
        info.append(entry)
    return info


def blas_summary() -> str:
    """One line per BLAS library in the process (thread pools that are not BLAS, such as the
    OpenMP runtime scikit-learn loads, are left out)."""
    lines = []
    for e in blas_info():
        if e.get("user_api") != "blas":
            continue
        lines.append(
            f"{e['used_by']}: {e.get('internal_api')} {e.get('version')} "
            f"(kernel {e.get('architecture', '?')}, {e.get('threading_layer', '?')}, "
            f"{e.get('num_threads')} thread(s)) {e.get('filepath')}"
        )
    return "\n".join(lines) or "threadpoolctl not installed: BLAS unknown"


def memory_bandwidth_gbs(megabytes: int = 256, repeats: int = 5) -> float:
    """A rough copy bandwidth (read + write) of one thread, in GB/s: the best of a few copies."""
    a = np.ones(megabytes * 2**20 // 8)
    b = np.empty_like(a)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        np.copyto(b, a)
        best = min(best, time.perf_counter() - start)
    return 2 * a.nbytes / best / 1e9


def describe(bandwidth_mb: int = 256) -> dict[str, Any]:
    mem = _memory_gib()
    return {
        "cpu": _cpu_model(),
        "machine": platform.machine(),
        "logical_cpus": os.cpu_count(),
        "usable_cores": usable_cores(),
        "memory_gib": round(mem, 1) if mem else None,
        "copy_bandwidth_gbs_1thread": round(memory_bandwidth_gbs(bandwidth_mb), 1),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "larix": larix.__version__,
        "blas": blas_info(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE"),
    }
