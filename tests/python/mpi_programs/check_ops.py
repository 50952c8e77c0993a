"""Every distributed operation against NumPy on the whole array, on however many ranks this runs
(tests/python/test_distributed.py starts it under mpiexec -n 1, 2 and 4). Prints one line per
check on rank 0; any mismatch raises, which ends the job with a non-zero exit."""

import sys

import larix.distributed as ld
import numpy as np

import larix

rank, size = ld.rank(), ld.size()
rng = np.random.default_rng(7)
Xw = rng.standard_normal((37, 6))
Yw = rng.standard_normal((37, 6))
yw = rng.standard_normal(37)
vw = rng.standard_normal(6)
Iw = rng.integers(-5, 5, (37, 6))
checks = 0


def same(name, got, want, tol=1e-12):
    global checks
    got = ld.all_gather(got)
    want = np.asarray(want)
    assert got.shape == want.shape, f"{name}: shape {got.shape} != {want.shape}"
    assert got.dtype == want.dtype, f"{name}: dtype {got.dtype} != {want.dtype}"
    if want.dtype.kind == "f":
        assert np.allclose(got, want, rtol=tol, atol=tol, equal_nan=True), (
            f"{name}: {got} != {want}"
        )
    else:
        assert np.array_equal(got, want), f"{name}: {got} != {want}"
    checks += 1


X, Y, y, Ints = ld.from_array(Xw), ld.from_array(Yw), ld.from_array(yw), ld.from_array(Iw)
Xc = ld.from_array(Xw, axis=1)
assert X.shape == (37, 6) and X.tiling == "rows" and Xc.tiling == "columns"

# element-wise, with replicated operands cut to the tile
same("add", larix.kernel(lambda a, b: a + b)(X, Y), Xw + Yw)
same("broadcast row", larix.kernel(lambda a, v: a * v - 1.5)(X, vw), Xw * vw - 1.5)
same("broadcast column", larix.kernel(lambda a, c: a / c)(X, yw[:, None]), Xw / yw[:, None])
same("columns tiled", larix.kernel(lambda a, v: np.exp(a) + v)(Xc, vw), np.exp(Xw) + vw)
same("where", larix.kernel(lambda a: np.where(a > 0, a, 0.0))(X), np.where(Xw > 0, Xw, 0.0))
same("int ops", larix.kernel(lambda a: a * 3 + (a % 2))(Ints), Iw * 3 + (Iw % 2))
same("astype", larix.kernel(lambda a: a.astype(np.float32))(Ints), Iw.astype(np.float32))
same(
    "chain",
    larix.kernel(lambda a, b: np.sqrt(a * a + b * b) * 2.0)(X, Y),
    np.sqrt(Xw * Xw + Yw * Yw) * 2.0,
)

# reductions: over the cut axis, combined over the ranks; along the other axis, tile by tile
same("sum", larix.kernel(lambda a: np.sum(a))(X), np.sum(Xw))
same("sum axis 0", larix.kernel(lambda a: np.sum(a, axis=0))(X), np.sum(Xw, axis=0))
same("sum axis 1", larix.kernel(lambda a: np.sum(a, axis=1))(X), np.sum(Xw, axis=1))
same(
    "sum keepdims",
    larix.kernel(lambda a: np.sum(a, axis=0, keepdims=True))(X),
    np.sum(Xw, axis=0, keepdims=True),
)
same("mean", larix.kernel(lambda a: np.mean(a))(X), np.mean(Xw))
same("mean axis 0", larix.kernel(lambda a: np.mean(a, axis=0))(X), np.mean(Xw, axis=0))
same("mean columns", larix.kernel(lambda a: np.mean(a, axis=1))(Xc), np.mean(Xw, axis=1))
same("max", larix.kernel(lambda a: np.max(a))(X), np.max(Xw))
same("min axis 0", larix.kernel(lambda a: np.min(a, axis=0))(X), np.min(Xw, axis=0))
same(
    "prod",
    larix.kernel(lambda a: np.prod(a, axis=0))(ld.from_array(Xw[:, :3] * 0.5 + 1)),
    np.prod(Xw[:, :3] * 0.5 + 1, axis=0),
)
same("int sum", larix.kernel(lambda a: np.sum(a, axis=0))(Ints), np.sum(Iw, axis=0))
same("any", larix.kernel(lambda a: np.any(a > 2.5))(X), np.any(Xw > 2.5))
same("all", larix.kernel(lambda a: np.all(a > -10))(X), np.all(Xw > -10))
same("count_nonzero", larix.kernel(lambda a: np.count_nonzero(a > 0))(X), np.count_nonzero(Xw > 0))
Nw = Xw.copy()
Nw[size * 3 % 37, 2] = np.nan
same(
    "max with NaN", larix.kernel(lambda a: np.max(a, axis=0))(ld.from_array(Nw)), np.max(Nw, axis=0)
)

# products
same("X @ v", larix.kernel(lambda a, v: a @ v)(X, vw), Xw @ vw)
same("X.T @ y", larix.kernel(lambda a, r: a.T @ r)(X, y), Xw.T @ yw)
same("X.T @ Y", larix.kernel(lambda a, b: a.T @ b)(X, Y), Xw.T @ Yw)
same("y @ X", larix.kernel(lambda r, a: r @ a)(y, X), yw @ Xw)
same("X.T @ replicated", larix.kernel(lambda a, r: a.T @ r)(X, yw), Xw.T @ yw)
same("columns @ matrix", larix.kernel(lambda a, m: a @ m)(Xc, Yw.T[:, :5]), Xw @ Yw.T[:, :5])
same("matrix @ columns", larix.kernel(lambda m, a: m @ a)(Yw.T[:4], Xc), Yw.T[:4] @ Xw)
same("dot", larix.kernel(lambda a, b: np.dot(a, b))(y, y), np.dot(yw, yw))
# cuts no rank can multiply alone: the smaller operand is gathered first
Ww, Mw = rng.standard_normal((6, 4)), rng.standard_normal((6, 5))
same("rows @ rows", larix.kernel(lambda a, b: a @ b)(X, ld.from_array(Ww)), Xw @ Ww)
same("rows @ columns", larix.kernel(lambda a, b: a @ b)(X, ld.from_array(Mw, axis=1)), Xw @ Mw)
same("columns @ columns", larix.kernel(lambda a, b: a @ b)(Xc, ld.from_array(Mw, axis=1)), Xw @ Mw)
same("transpose", larix.kernel(lambda a: np.transpose(a) * 2)(X), Xw.T * 2)
same("shape", larix.kernel(lambda a: a.shape[0] * 10 + a.shape[1])(X), 376)
same("len", larix.kernel(lambda a: len(a))(X), 37)


# the paper's logistic regression, every step on the distributed X
@larix.kernel
def lra(X, y, w, alpha, iterations):
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(X @ w)))
        w = w - alpha * (X.T @ (p - y))
    return w


def lra_numpy(X, y, w, alpha, iterations):
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(X @ w)))
        w = w - alpha * (X.T @ (p - y))
    return w


labels = (yw > 0).astype(np.float64)
w = lra(X, ld.from_array(labels), np.zeros(6), 0.01, 20)
want = lra_numpy(Xw, labels, np.zeros(6), 0.01, 20)
assert np.max(np.abs(w - want)) <= 1e-10 * np.max(np.abs(want)), (w, want)
checks += 1
# the same weights on every rank, bit for bit (the sums over ranks are made in rank order)
ws = ld._State.comm.allgather(w) if size > 1 else [w]
assert all(np.array_equal(ws[0], x) for x in ws)
checks += 1

# a tile of at least 1 MiB: row-block fusion reads each rank's rows once per iteration (the ranks'
# partial X.T @ r summed as the unfused product's are), with y cut alike or replicated
Xbig = rng.standard_normal((3000, 100))
ybig = (rng.random(3000) > 0.5).astype(np.float64)
want = lra_numpy(Xbig, ybig, np.zeros(100), 1e-4, 3)
for labels_given in (ld.from_array(ybig), ybig):
    w = lra(ld.from_array(Xbig), labels_given, np.zeros(100), 1e-4, 3)
    assert np.max(np.abs(w - want)) <= 1e-10 * np.max(np.abs(want)), (w, want)
    checks += 1

# retiling: rows to columns and back (one all-to-all step each), Phylanx's tile annotations
same("retile to columns", ld.retile(X, 1), Xw)
assert ld.retile(X, 1).tiling == "columns"
same("retile in a kernel", larix.kernel(lambda a, v: ld.retile(a, 1) @ v)(X, vw), Xw @ vw)
same("retile back", ld.retile(ld.retile(X, 1), 0), Xw)
same("retile a replicated array", ld.retile(Xw, 1), Xw)
# each rank names its own tile: rank r takes columns [6r/size, 6(r+1)/size) of all rows
tile = ["tile", ["rows", 0, 37], ["columns", rank * 6 // size, (rank + 1) * 6 // size]]
annotated = ld.retile(X, tile)
assert annotated.boxes[rank] == ((0, rank * 6 // size), (37, (rank + 1) * 6 // size))
same("retile to annotated tiles", annotated, Xw)

# subscripts by global indices: each rank its part; where some rank has none, the whole result
for name, index, fn in [
    ("5:30", np.s_[5:30], lambda a: a[5:30]),
    ("5:30:3, 1", np.s_[5:30:3, 1], lambda a: a[5:30:3, 1]),
    (":, 2", np.s_[:, 2], lambda a: a[:, 2]),
    ("7", np.s_[7], lambda a: a[7]),
    ("7, 2", np.s_[7, 2], lambda a: a[7, 2]),
    ("-3:", np.s_[-3:], lambda a: a[-3:]),
    ("0:2", np.s_[0:2], lambda a: a[0:2]),
    ("30:10", np.s_[30:10], lambda a: a[30:10]),
]:
    same(f"X[{name}]", larix.kernel(fn)(X), Xw[index])
    same(f"Xc[{name}]", larix.kernel(fn)(Xc), Xw[index])
same(
    "slice in a loop",
    larix.kernel(lambda a: a[1:20].sum(axis=0) + a[3])(X),
    Xw[1:20].sum(axis=0) + Xw[3],
)

# the paper's ALS with users and items split over the ranks: the factors of one process
from larix.examples.als import als_distributed, als_efficient, initial_factors  # noqa: E402

R = np.round(np.where(rng.random((23, 17)) < 0.3, rng.random((23, 17)) * 5, 0.0))
X0, Y0 = initial_factors(23, 17, 3)
Xd, Yd = als_distributed(ld.from_array(R), ld.from_array(R.T.copy()), X0, Y0, 0.1, 40.0, 2)
Xo, Yo = als_efficient(R, X0, Y0, 0.1, 40.0, 2)
for got, want in ((Xd, Xo), (Yd, Yo)):
    assert np.max(np.abs(got - want)) <= 1e-10 * np.max(np.abs(want)), (got, want)
checks += 1

# creators: the same global array whatever the number of ranks
same("zeros", ld.zeros((9, 2)), np.zeros((9, 2)))
same("full int", ld.full((5,), 7, dtype=np.int64), np.full(5, 7))
same(
    "random",
    ld.random((5000, 3), seed=3),
    np.concatenate(
        [
            np.random.default_rng([3, 0]).random((4096, 3)),
            np.random.default_rng([3, 1]).random((904, 3)),
        ]
    ),
)
g = ld.gather(X, root=size - 1)
assert (g is None) == (rank != size - 1) and (g is None or np.array_equal(g, Xw))
checks += 1

# PhySL: Phylanx's distributed primitives
program = larix.compile(
    """
    block(
      define(here, find_here()),
      define(n, num_localities()),
      define(rows, 3),
      define(tile, constant(here + 1.0, list(rows, 2))),
      define(A, annotate_d(tile, "A", list("tile", list("rows", here * rows, (here + 1) * rows),
                                            list("columns", 0, 2)))),
      define(v, constant_d(1.0, list(2 * n), find_here(), num_localities(), "v", "row")),
      define(R, random_d(list(2 * n, 3), find_here(), num_localities(), "r", "row", 1.5, 0.0)),
      list(all_gather_d(A), dot_d(transpose_d(A), A), sum(A), all_gather_d(v), n, all_gather_d(R))
    )
    """
)
whole, ata, total, v, n, R = program()
expect = np.repeat(np.arange(1.0, size + 1), 3)[:, None] * np.ones((1, 2))
same("annotate_d", whole, expect)
same("dot_d", ata, expect.T @ expect)
same("sum of annotate_d", total, expect.sum())
same("constant_d", v, np.ones(2 * size))
same("random_d (std 0: the mean)", R, np.full((2 * size, 3), 1.5))
assert n == size
checks += 1

if rank == 0:
    print(f"{checks} checks passed on {size} rank(s)")
sys.stdout.flush()
