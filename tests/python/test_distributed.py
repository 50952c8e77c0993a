"""Distributed arrays (larix.distributed, issue 15): in this process (rank 0 of 1) and under
`mpiexec -n 1, 2, 4` (the programs in tests/python/mpi_programs/), every operation against NumPy
on the whole array; errors on every rank; a failing or killed rank ends the job."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import larix.distributed as ld
import numpy as np
import pytest

import larix

PROGRAMS = Path(__file__).parent / "mpi_programs"
mpi4py = pytest.importorskip("mpi4py", reason="the MPI tests need mpi4py and an MPI library")
MPIEXEC = shutil.which(
    "mpiexec", path=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]
)


def mpiexec(n: int, program: str, *args: str, threads: int = 1, timeout: float = 120):
    """Runs tests/python/mpi_programs/<program> on n ranks; the finished process."""
    assert MPIEXEC, "mpiexec not found (pip install mpich)"
    env = dict(os.environ, LARIX_THREADS=str(threads))
    return subprocess.run(
        [MPIEXEC, "-n", str(n), sys.executable, str(PROGRAMS / program), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


# ---- in this process: rank 0 of 1 ------------------------------------------------------------


def test_one_process_is_rank_0_of_1():
    assert (ld.rank(), ld.size()) == (0, 1)
    assert larix.eval("list(find_here(), num_localities())") == [0, 1]


def test_from_array_keeps_the_tile_and_gathers_back():
    a = np.arange(12.0).reshape(4, 3)
    d = ld.from_array(a)
    assert d.shape == (4, 3) and d.ndim == 2 and d.dtype == np.float64 and d.tiling == "rows"
    assert d.boxes == [((0, 0), (4, 3))]
    np.testing.assert_array_equal(d.local, a)
    np.testing.assert_array_equal(ld.gather(d), a)
    np.testing.assert_array_equal(ld.all_gather(d), a)
    assert "rows over 1 rank" in repr(d)
    assert ld.from_array(a, axis=1).tiling == "columns"


def test_kernels_take_distributed_arrays_on_one_rank():
    rng = np.random.default_rng(1)
    X, y, w = rng.random((20, 4)), rng.random(20), rng.random(4)

    @larix.kernel
    def f(X, y, w):
        r = X @ w - y
        return X.T @ r, np.sum(r * r), np.mean(X, axis=0), X.shape

    g, s, m, shape = f(ld.from_array(X), ld.from_array(y), w)
    np.testing.assert_allclose(g, X.T @ (X @ w - y), rtol=1e-13)
    np.testing.assert_allclose(s, np.sum((X @ w - y) ** 2), rtol=1e-13)
    np.testing.assert_allclose(m, X.mean(axis=0), rtol=1e-13)
    assert list(shape) == [20, 4]
    # X @ w of a row-cut X is row-cut too (on any number of ranks)
    r = larix.kernel(lambda X, w: X @ w)(ld.from_array(X), w)
    assert isinstance(r, ld.DistributedArray) and r.tiling == "rows"
    np.testing.assert_allclose(ld.all_gather(r), X @ w, rtol=1e-13)


def test_an_operation_without_a_distributed_form_asks_to_gather_first():
    d = ld.from_array(np.arange(6.0))

    @larix.kernel
    def f(a):
        return np.sort(a)

    with pytest.raises(
        larix.LarixTypeError, match=r"sort\(\) does not take a distributed array"
    ) as e:
        f(d)
    assert e.value.file == __file__
    assert "all_gather" in str(e.value)


def test_operands_cut_differently_are_a_value_error_at_the_users_line():
    a = np.ones((4, 4))

    @larix.kernel
    def f(x, y):
        return x + y

    with pytest.raises(larix.LarixValueError, match="distributed differently") as e:
        f(ld.from_array(a), ld.from_array(a, axis=1))
    assert e.value.file == __file__


def test_a_replicated_operand_that_does_not_broadcast_is_a_value_error():
    with pytest.raises(larix.LarixValueError, match="could not be broadcast"):
        larix.kernel(lambda x, v: x * v)(ld.from_array(np.ones((4, 3))), np.ones(5))


def test_creators_check_their_arguments():
    with pytest.raises(larix.LarixValueError, match="out of bounds"):
        ld.zeros((3, 2), axis=2)
    with pytest.raises(larix.LarixValueError, match="at least one axis"):
        ld.from_array(np.float64(1.0))


def test_load_and_read_csv_give_the_files_arrays(tmp_path):
    a = np.arange(24.0).reshape(8, 3)
    np.save(tmp_path / "a.npy", a)
    np.savetxt(tmp_path / "a.csv", a, delimiter=",", header="x,y,z", comments="")
    np.testing.assert_array_equal(ld.gather(ld.load(tmp_path / "a.npy")), a)
    np.testing.assert_array_equal(ld.gather(ld.read_csv(tmp_path / "a.csv", skip_header=1)), a)


def test_random_is_the_same_array_whatever_the_tiling():
    r0 = ld.gather(ld.random((5000, 2), seed=4))
    r1 = ld.gather(ld.random((5000, 2), seed=4, axis=1))
    np.testing.assert_array_equal(r0, r1)
    assert r0[4096, 0] == np.random.default_rng([4, 1]).random((904, 2))[0, 0]


def test_physl_annotate_d_makes_a_distributed_array():
    prog = larix.compile(
        'define(A, annotate_d(constant(2.0, list(3, 2)), "A", '
        'list("tile", list("rows", 0, 3), list("columns", 0, 2))))\n'
        "list(all_gather_d(A), sum(A), dot_d(transpose_d(A), A))"
    )
    whole, total, ata = prog()
    np.testing.assert_array_equal(whole, np.full((3, 2), 2.0))
    assert total == 12.0
    np.testing.assert_array_equal(ata, np.full((2, 2), 12.0))


def test_physl_annotate_d_checks_the_tile_against_the_array():
    with pytest.raises(larix.LarixValueError, match="holds 4 indices"):
        larix.eval('annotate_d(constant(1.0, list(3, 2)), "A", list("tile", list("rows", 0, 4)))')


# ---- under mpiexec ---------------------------------------------------------------------------


@pytest.mark.parametrize(("ranks", "threads"), [(1, 1), (2, 1), (2, 2), (4, 1)])
def test_every_operation_matches_numpy_on_n_ranks(ranks, threads):
    done = mpiexec(ranks, "check_ops.py", threads=threads)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"checks passed on {ranks} rank(s)" in done.stdout


def test_an_error_found_on_one_rank_is_raised_on_every_rank_at_the_users_line():
    done = mpiexec(2, "faults.py", "tile-mismatch")
    assert done.returncode == 0, done.stdout + done.stderr
    # (the ranks' lines may come interleaved)
    reports = sorted(
        re.findall(r"rank (\d): (\w+) at (faults\.py:\d+) ([^\n]*?has 3)", done.stdout)
    )
    assert [r[:3] for r in reports] == [
        ("0", "LarixValueError", "faults.py:1"),
        ("1", "LarixValueError", "faults.py:1"),
    ], done.stdout
    for _, _, _, message in reports:
        assert "the span ['rows', 2, 4] holds 2 indices, but the tile's axis 0 has 3" in message


def test_an_exception_on_one_rank_ends_the_whole_job():
    start = time.monotonic()
    done = mpiexec(2, "faults.py", "raise-on-rank-1", timeout=60)
    assert done.returncode != 0
    assert time.monotonic() - start < 30
    assert "[larix rank 1 of 2]" in done.stderr and "ZeroDivisionError" in done.stderr


def test_a_rank_that_fails_before_its_first_distributed_array_ends_the_job():
    start = time.monotonic()
    done = mpiexec(2, "faults.py", "raise-at-start", timeout=60)
    assert done.returncode != 0
    assert time.monotonic() - start < 30, "rank 0 kept waiting for rank 1"
    assert "rank 1 cannot start" in done.stderr


def test_a_killed_rank_ends_the_whole_job_within_seconds():
    start = time.monotonic()
    done = mpiexec(2, "faults.py", "kill-rank-1", timeout=60)
    assert done.returncode != 0
    assert time.monotonic() - start < 30, "the other rank kept waiting"
    assert "rank 0 waits" in done.stdout


def test_the_distributed_lra_example_matches_one_process():
    done = mpiexec(2, "../../../examples/lra_distributed.py", "--rows", "2000", "--cols", "20")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "match" in done.stdout and "mismatch" not in done.stdout


def test_bench_ranks_mode_runs_lra_on_ranks_and_checks_it(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "larix.bench",
            "lra",
            "--ranks",
            "2",
            "--quick",
            "--rounds",
            "1",
            "--repeat",
            "1",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    table = (tmp_path / "lra-ranks2.md").read_text()
    assert "| 2 ranks x 1 thread |" in table and "| 1 rank x 2 threads |" in table
    error = float(re.search(r"largest relative difference from one process: (\S+)", table)[1])
    assert error <= 1e-10
    assert "bytes rank 0 sent per iteration: 16032" in table  # 2,000 doubles and a header


def test_profile_books_messages_to_nodes_and_the_trace_has_a_process_per_rank(tmp_path):
    trace = tmp_path / "trace.json"
    done = mpiexec(2, "profile_trace.py", str(trace))
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    # two calls, each one exchange: 5 doubles and a 32-byte header each way
    assert report["nodes"] == [
        [report["nodes"][0][0], 2 * (40 + 32), 2 * (40 + 32), report["nodes"][0][3]]
    ]
    assert report["nodes"][0][3] > 0  # waited for rank 1's message
    assert "sent 144 B, received 144 B" in report["table"]
    events = json.loads(trace.read_text())["traceEvents"]
    names = {e["args"]["name"] for e in events if e["name"] == "process_name"}
    assert names == {"larix rank 0", "larix rank 1"}
    slices = [e for e in events if e["ph"] == "X"]
    assert {e["pid"] for e in slices} == {1, 2}
