"""Larix's flagship example: logistic regression (the paper's LRA) on the breast cancer data.

    python examples/flagship.py [--iterations 2000] [--alpha 1e-3] [--threads N]
                                [--synthetic ROWSxCOLS] [--profile PATH.html]

The model is ``larix.examples.lra.lra``, a plain NumPy function decorated with
``@larix.kernel``: called, it runs as a Larix task tree; ``lra.python`` is the same function run
by NumPy. The example trains both on scikit-learn's breast cancer data (569 x 30, standardized),
checks that they agree, prints the accuracy and both times at the same thread count (NumPy's
BLAS limited to it), and writes an HTML profile of the Larix run: the execution tree beside the
source, coloured by time. ``--synthetic 20000x200`` uses a generated problem instead.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from larix.bench import data, machine
from larix.examples.lra import accuracy, lra

import larix


def best_of(fn, args, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def speed(t_larix: float, t_numpy: float) -> str:
    """'1.40x faster' or '1.40x slower': how Larix's time compares with NumPy's."""
    if t_larix <= t_numpy:
        return f"{t_numpy / t_larix:.2f}x faster than NumPy"
    return f"{t_larix / t_numpy:.2f}x slower than NumPy"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--alpha", type=float, default=1e-3)
    parser.add_argument("--threads", type=int, default=None, help="default: every core")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (median)")
    parser.add_argument("--synthetic", default=None, metavar="ROWSxCOLS")
    parser.add_argument(
        "--profile",
        default=str(Path(tempfile.gettempdir()) / "larix_flagship_profile.html"),
        help="where the HTML profile goes",
    )
    args = parser.parse_args()

    larix.init(args.threads)
    notes = machine.set_threads(larix.threads())  # NumPy's BLAS gets as many threads as Larix
    if args.synthetic:
        rows, cols = (int(v) for v in args.synthetic.lower().split("x"))
        X, y = data.make_classification(rows, cols)
        name = f"synthetic {rows} x {cols}"
    else:
        X, y = data.breast_cancer()
        name = "breast cancer (scikit-learn), 569 x 30, standardized"
    run = (X, y, args.alpha, args.iterations)

    w_larix = lra(*run)  # also the warm-up: Larix learns its nodes' costs on the first runs
    w_numpy = lra.python(*run)
    rel = np.max(np.abs(w_larix - w_numpy)) / np.max(np.abs(w_numpy))
    t_larix = best_of(lra, run, args.repeat)
    t_numpy = best_of(lra.python, run, args.repeat)
    with larix.profile() as prof:
        lra(*run)
    prof.save_html(args.profile)

    print(f"logistic regression: {name}, {args.iterations} gradient steps (alpha {args.alpha:g})")
    print(
        f"  accuracy  Larix {accuracy(X, y, w_larix):.4f}   NumPy {accuracy(X, y, w_numpy):.4f}"
        f"   (weights agree to {rel:.1e} relative)"
    )
    print(
        f"  time      Larix {t_larix:.4f} s   NumPy {t_numpy:.4f} s   "
        f"(Larix {speed(t_larix, t_numpy)}, median of {args.repeat})"
    )
    print(f"  threads   {larix.threads()} for Larix and for NumPy's BLAS")
    for line in machine.blas_summary().splitlines():
        print(f"  BLAS      {line.split(' /')[0]}")
    for note in notes:
        print(f"  note      {note}")
    print(f"  profile   {args.profile}  (open in a browser)")


if __name__ == "__main__":
    main()
