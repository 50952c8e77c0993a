"""Profile a Larix kernel and write the interactive execution-tree viewer.

    python examples/profile_demo.py [--out lra_profile.html] [--rows 5000] [--cols 100]

Runs logistic regression (written as plain NumPy under @larix.kernel) with profiling on, prints the
hottest nodes, and writes one self-contained HTML file: the Python and PhySL source beside the
execution tree, coloured by inclusive or exclusive time (see docs/profiling.md).
"""

from __future__ import annotations

import argparse

import numpy as np

import larix


@larix.kernel
def lra(x, y, alpha=1e-5, iterations=50):
    w = np.zeros(x.shape[1])
    for _ in range(iterations):
        pred = 1.0 / (1.0 + np.exp(-(x @ w)))
        w -= alpha * ((pred - y) @ x)
    return w


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="lra_profile.html")
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--cols", type=int, default=100)
    args = parser.parse_args()

    rng = np.random.default_rng(7)
    x = rng.standard_normal((args.rows, args.cols))
    y = (x @ rng.standard_normal(args.cols) > 0).astype(np.float64)
    lra(x, y)  # a first run measures node costs (inline or spawned decisions)
    with larix.profile() as prof:
        w = lra(x, y)
    assert np.allclose(w, lra.python(x, y), rtol=1e-8, atol=1e-12)
    print(prof.table(10))
    prof.save_html(args.out)
    print(f"wrote {args.out}: open it in a browser")


if __name__ == "__main__":
    main()
