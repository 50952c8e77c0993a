"""Faults on one rank of a job (tests/python/test_distributed.py runs it under mpiexec -n 2):

tile-mismatch     rank 1's tile does not fit its annotation: every rank gets the ValueError
raise-on-rank-1   rank 1 raises while rank 0 waits in a collective: the job ends (MPI_Abort)
kill-rank-1       rank 1 is killed while rank 0 waits in a collective: the job ends
"""

import os
import signal
import sys
import time

import larix.distributed as ld
import numpy as np

import larix

case = sys.argv[1]
rank = ld.rank()


@larix.kernel
def total(x):
    return np.sum(x)


if case == "tile-mismatch":
    rows = 2 if rank == 0 else 3
    program = larix.compile(
        'define(f, t, r, annotate_d(t, "A", list("tile", list("rows", r * 2, r * 2 + 2))))\nf',
        source_name="faults.py",
    )
    try:
        program(np.ones(rows), rank)
    except larix.LarixValueError as e:
        print(f"rank {rank}: {type(e).__name__} at {os.path.basename(e.file)}:{e.line} {e.message}")
    sys.stdout.flush()
elif case == "raise-on-rank-1":
    x = ld.from_array(np.ones(10))
    if rank == 1:
        time.sleep(0.5)
        print(1 / 0)
    print(total(x))  # rank 0 waits here for rank 1's part
elif case == "kill-rank-1":
    x = ld.from_array(np.ones(10))
    if rank == 1:
        time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGKILL)
    print("rank 0 waits", flush=True)
    print(total(x))
elif case == "raise-at-start":
    if rank == 1:
        raise RuntimeError("rank 1 cannot start")
    print("rank 0 makes an array", flush=True)
    x = ld.from_array(np.ones(10))  # every rank checks the shape: rank 0 waits for rank 1
else:
    raise SystemExit(f"unknown case {case}")
