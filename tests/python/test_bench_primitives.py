"""Smoke test of benchmarks/primitives/run.py: it runs, writes a row per op, and every Larix result
agrees with NumPy. Correctness only: no timing thresholds."""

from __future__ import annotations

import csv
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "primitives" / "run.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_primitives", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def test_smoke_run_has_a_verified_row_per_op(tmp_path):
    bench = load_bench()
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--sizes", "1000", "--repeat", "1", "--threads", "1"]
        + ["--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    with (tmp_path / "primitives.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert [(r["family"], r["op"]) for r in rows] == [(op.family, op.name) for op in bench.OPS]
    unverified = [(r["family"], r["op"], r["check"]) for r in rows if r["check"] != "ok"]
    assert not unverified, unverified
    for r in rows:
        assert r["size"] == "1000" and r["threads"] == "1" and int(r["reps"]) == 1
        assert float(r["numpy_ms"]) > 0 and float(r["larix_ms"]) > 0
    data = json.loads((tmp_path / "primitives.json").read_text())
    assert len(data["rows"]) == len(bench.OPS)
    assert data["meta"]["runs"][0]["larix_threads"] == 1
    assert "| family | op |" in out.stdout and "not verified: none" in out.stdout
    assert (tmp_path / "primitives.md").exists()
    assert not list(tmp_path.glob("worker_*"))


def test_check_reports_what_differs():
    bench = load_bench()
    a = np.linspace(0.0, 1.0, 10)
    assert bench.check_result(a, a.copy()) == "ok"
    assert bench.check_result(a, a * (1 + 1e-9)) == "ok"
    off = a.copy()
    off[7] += 1e-3
    assert bench.check_result(a, off).startswith("MISMATCH at flat index 7")
    assert bench.check_result(a, a[:9]).startswith("MISMATCH shape")
    assert bench.check_result(a, a.astype(np.float32)).startswith("MISMATCH dtype")
    ints = np.arange(5)
    wrong = ints.copy()
    wrong[2] = 9
    assert bench.check_result(ints, wrong).startswith("MISMATCH at flat index 2")
    assert bench.check_result(np.float64(np.nan), np.array(np.nan)) == "ok"


def test_matrix_shape_is_as_square_as_n_allows():
    bench = load_bench()
    assert bench.matrix_shape(10**6) == (1000, 1000)
    assert bench.matrix_shape(1000) == (25, 40)
    assert bench.matrix_shape(7) == (1, 7)


def test_missing_failing_and_wrong_ops_show_in_the_row():
    import argparse

    bench = load_bench()
    settings = argparse.Namespace(repeat=1, budget=0.0)
    inputs = {"a": np.linspace(1.0, 2.0, 8)}

    def row_of(physl, numpy_fn):
        op = bench.Op("test", physl, ("a",), physl, numpy_fn)
        return bench.measure(op, inputs, 8, 1, settings)

    missing = row_of("no_such_primitive(a)", np.exp)
    assert missing.check.startswith("missing:") and missing.larix_ms is None
    failing = row_of("reshape(a, '(3, 3))", lambda a: a)
    assert failing.check.startswith("error: ") and failing.larix_ms is None
    wrong = row_of("exp(a)", np.log)  # still timed: the mismatch is reported, not hidden
    assert wrong.check.startswith("MISMATCH") and wrong.larix_ms > 0 and wrong.reps == 1
    right = row_of("exp(a)", np.exp)
    assert right.check == "ok" and right.speedup > 0
