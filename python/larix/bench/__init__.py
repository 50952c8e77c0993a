"""The paper's experiments, reproducible with one command::

    python -m larix.bench lra|als|kmeans|all [--quick] [--threads 1,2] [--repeat N]
                                            [--out DIR] [--scale S] [--data-dir DIR] ...

Each benchmark first checks that Larix's result matches the NumPy baseline (the same function,
undecorated), then times both alternately at each thread count and writes a table, CSV, JSON
and PNG plots. See docs/benchmarks.md."""

from .harness import Config, run

__all__ = ["Config", "run"]
