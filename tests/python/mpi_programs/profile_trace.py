"""A profiled, traced distributed kernel (tests/python/test_distributed.py runs it under mpiexec
-n 2 with the trace path as argument): rank 0 prints what the profile booked to the node that
sums over the ranks, and every rank calls save_trace (rank 0 writes one trace for both)."""

import json
import sys

import larix.distributed as ld
import numpy as np

import larix


@larix.kernel
def gradient(X, r):
    return X.T @ r


X = ld.from_array(np.ones((8, 5)))
r = ld.from_array(np.ones(8))
with larix.profile(trace=True) as prof:
    g = gradient(X, r)
    g = gradient(X, r)
assert np.array_equal(g, np.full(5, 8.0))
prof.save_trace(sys.argv[1])
if ld.rank() == 0:
    booked = [n for n in prof.nodes if n.get("bytes_sent")]
    print(
        json.dumps(
            {
                "nodes": [
                    (n["name"], n["bytes_sent"], n["bytes_received"], n["wait_ns"]) for n in booked
                ],
                "table": prof.table(),
            }
        )
    )
