"""np.fft in a kernel: larix.examples.spectrum against the same function undecorated, in one
process, median of 7 calls after one warm-up call. A benchmark, not a test: no thresholds.

    LARIX_THREADS=2 env -u OPENBLAS_CORETYPE python benchmarks/fft/spectrum.py 1048576
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np
from larix.examples.spectrum import spectrum

import larix


def median_seconds(f, reps: int = 7) -> float:
    f()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4096
    rng = np.random.default_rng(0)
    signal = np.sin(2 * np.pi * 50 * np.arange(n) * 1e-4) + 0.1 * rng.standard_normal(n)
    ours = median_seconds(lambda: spectrum(signal, 1e-4))
    numpy = median_seconds(lambda: spectrum.python(signal, 1e-4))
    print(
        f"n={n} threads={larix.threads()} larix {ours * 1e3:.2f} ms numpy {numpy * 1e3:.2f} ms "
        f"larix/numpy {ours / numpy:.2f}"
    )


if __name__ == "__main__":
    main()
