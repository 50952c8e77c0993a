"""Smoke test of benchmarks/element_loops/run.py: it runs its workloads as Larix kernels (each
result checked against the same Python function's by the worker itself) and prints a row per
workload and thread count."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_element_loops_benchmark_runs_and_checks_its_results():
    script = ROOT / "benchmarks" / "element_loops" / "run.py"
    cmd = [sys.executable, str(script), "--threads", "1", "2", "--n", "3000", "--repeat", "1"]
    proc = subprocess.run(
        [*cmd, "--contenders", "python", "larix"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    rows = [line for line in proc.stdout.splitlines() if line.startswith("| ")]
    for workload in ("axpy", "dot", "prefix", "rowsum"):
        for threads in (1, 2):
            assert any(line.startswith(f"| {workload} | {threads} |") for line in rows), rows
