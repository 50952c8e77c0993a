"""``python -m larix.bench``: see :mod:`larix.bench` and docs/benchmarks.md."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

BENCHMARKS = ("lra", "als", "kmeans")


def _threads(text: str) -> list[int]:
    try:
        values = [int(t) for t in text.split(",") if t.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected thread counts like 1,2,4, not {text!r}"
        ) from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("thread counts must be at least 1")
    return values


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m larix.bench",
        description="The paper's experiments: Larix against NumPy (and peers) over thread counts.",
    )
    p.add_argument("benchmark", choices=(*BENCHMARKS, "all"))
    p.add_argument(
        "--quick",
        action="store_true",
        help="small sizes (say which in the output): all of them in a few minutes",
    )
    p.add_argument(
        "--threads",
        type=_threads,
        default=None,
        help="comma-separated thread counts (default: 1..usable cores)",
    )
    p.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="timed repetitions per point, median kept (default 5, quick 3)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output directory (default bench-results/<benchmark>-<date-time>)",
    )
    p.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiply the problem dimensions (rows, features, users, movies, points)",
    )
    p.add_argument(
        "--data-dir",
        default=None,
        help="where generated data is cached (default ~/.cache/larix/bench)",
    )
    p.add_argument(
        "--ratings",
        default=None,
        metavar="RATINGS_CSV",
        help="a real MovieLens ratings.csv (default: a generated MovieLens-like one)",
    )
    p.add_argument(
        "--lra-iterations",
        type=int,
        default=None,
        help="gradient steps of LRA (default 100; the paper's Python baseline: 10000)",
    )
    p.add_argument(
        "--data-format",
        choices=("npy", "csv"),
        default="npy",
        help="read the LRA data from its .npy cache or its CSV form",
    )
    p.add_argument(
        "--peers",
        default="auto",
        help="comma-separated peers (numba,jax,dask), 'auto' (those installed), 'none'",
    )
    p.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="run only the cases whose name contains TEXT (as printed: 'als_efficient f=10 "
        "700x5000'); may be repeated",
    )
    p.add_argument(
        "--ranks",
        type=int,
        default=None,
        metavar="N",
        help="lra and als with the data cut over N MPI ranks (1 thread each) against one "
        "process with N threads; launches mpiexec itself (pip install '.[mpi]')",
    )
    p.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="with --ranks: how many times each contender's process runs, alternating (default 3)",
    )
    p.add_argument("--no-plots", action="store_true", help="no PNG plots")
    p.add_argument(
        "--keep-coretype",
        action="store_true",
        help="keep OPENBLAS_CORETYPE if set (by default measured runs go without it)",
    )
    return p


def _without_coretype(argv: list[str]) -> None:
    """OpenBLAS reads OPENBLAS_CORETYPE when it loads: a forced (often generic) kernel is not
    what a user's NumPy runs, so the measured runs happen in a fresh process without it."""
    value = os.environ.get("OPENBLAS_CORETYPE")
    if value is None:
        return
    print(
        f"note: OPENBLAS_CORETYPE={value} is set; unsetting it for the measured runs "
        "(re-running without it; --keep-coretype keeps it)",
        flush=True,
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    env["LARIX_BENCH_UNSET_CORETYPE"] = value
    os.execve(sys.executable, [sys.executable, "-m", "larix.bench", *argv], env)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parser().parse_args(argv)
    if not args.keep_coretype:
        _without_coretype(argv)
    if os.environ.get("LARIX_BENCH_UNSET_CORETYPE"):
        print(
            f"note: running without OPENBLAS_CORETYPE (was "
            f"{os.environ['LARIX_BENCH_UNSET_CORETYPE']})",
            flush=True,
        )

    names = list(BENCHMARKS) if args.benchmark == "all" else [args.benchmark]
    if args.ranks is not None:
        from . import distributed

        if args.ranks < 1:
            parser().error("--ranks must be at least 1")
        if "kmeans" in names and args.benchmark != "all":
            parser().error("--ranks runs lra and als (k-means has no distributed form yet)")
        out = (
            args.out
            or Path("bench-results") / f"ranks{args.ranks}-{time.strftime('%Y%m%d-%H%M%S')}"
        )
        return distributed.run(
            [n for n in names if n != "kmeans"],
            args.ranks,
            args.quick,
            args.rounds,
            args.repeat or (3 if args.quick else 5),
            out,
        )

    from . import harness, peers

    mode = "quick" if args.quick else "full"
    if args.peers == "auto":
        peer_names = peers.available()
    elif args.peers == "none":
        peer_names = []
    else:
        peer_names = [p for p in args.peers.split(",") if p]
        unknown = set(peer_names) - set(peers.PEERS)
        if unknown:
            parser().error(f"unknown peers {sorted(unknown)} (known: {sorted(peers.PEERS)})")
    missing = sorted(set(peers.PEERS) - set(peers.available()))
    if missing:
        print(f"peers not installed (skipped): {', '.join(missing)}", flush=True)
    out = args.out or Path("bench-results") / f"{args.benchmark}-{time.strftime('%Y%m%d-%H%M%S')}"
    cfg = harness.Config(
        benchmarks=names,
        mode=mode,
        threads=args.threads or harness.default_threads(),
        repeat=args.repeat or (3 if args.quick else 5),
        out=out,
        scale=args.scale,
        data_dir=args.data_dir,
        ratings_csv=args.ratings,
        lra_iterations=args.lra_iterations,
        data_format=args.data_format,
        peers=peer_names,
        plots=not args.no_plots,
        only=args.only,
    )
    start = time.perf_counter()
    if args.only and not harness.build_cases(cfg):
        parser().error(f"no case matches --only {args.only}")
    result = harness.run(cfg)
    print(f"total {time.perf_counter() - start:.1f} s", flush=True)
    return 0 if all(c["ok"] for c in result["checks"]) else 1


if __name__ == "__main__":
    sys.exit(main())
