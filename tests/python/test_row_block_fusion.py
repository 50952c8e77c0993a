"""Row-block fusion: `r = h(X @ w)` then `X.T @ g(r)` in one pass over X (LRA's inner loop), equal
to NumPy at every thread count and on the reference executor, the same bits at any thread count,
the original computation (and its errors) when the values do not fit, and no fusion where the
program's meaning would change."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from larix.examples.lra import lra

import larix


@pytest.fixture(params=[1, 2, 4])
def threads(request):
    larix.init(request.param)
    yield request.param
    larix.init()


def data(n, m, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((n, m)).astype(dtype) - 0.5
    y = (rng.random(n) > 0.5).astype(dtype)
    return X, y


def tree_of(kernel, **options):
    return larix.compile(kernel.physl, file=kernel._current()[0].file, **options).dump_tree()


def test_lra_is_fused_and_shows_in_the_tree():
    tree = tree_of(lra)
    assert "__row_blocks" in tree
    assert "pred" not in tree  # the statement that defined pred went into the fused product


# X of 1 MiB and more is fused; smaller ones run the products as written.
@pytest.mark.parametrize("shape", [(1, 3), (7, 3), (300, 40), (5003, 40), (64, 9000), (9001, 17)])
def test_lra_fused_equals_numpy(shape, threads):
    X, y = data(*shape)
    want = lra.python(X, y, alpha=1e-2, iterations=4)
    got = lra(X, y, alpha=1e-2, iterations=4)
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-14)


def test_fused_sum_has_the_same_bits_at_every_thread_count():
    X, y = data(4099, 40, seed=3)  # 1.3 MB: fused
    results = []
    for n in (1, 2, 4):
        larix.init(n)
        try:
            results.append(lra(X, y, alpha=1e-2, iterations=3))
            results.append(larix.kernel(lra.python, sync=True)(X, y, alpha=1e-2, iterations=3))
        finally:
            larix.init()
    for r in results[1:]:
        np.testing.assert_array_equal(r, results[0])


def gradient(X, w, y, b):
    z = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    return X.T @ (z - y)


def gradient_with_kept(X, w, y):
    z = np.tanh(X @ w)
    g = X.T @ (z * y)
    return g, z  # z is read again: no fusion


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_scalars_and_row_vectors_are_sliced_with_the_blocks(dtype, threads):
    X, y = data(12000, 12, dtype)  # 1.15 MB in float64: fused
    w = np.linspace(-1, 1, 12).astype(dtype)
    k = larix.kernel(gradient)
    assert "__row_blocks" in tree_of(k)
    tolerance = 1e-10 if dtype == np.float64 else 1e-5
    for b in (0.25, np.float64(0.5), np.array([0.1])):
        np.testing.assert_allclose(k(X, w, y, b), gradient(X, w, y, b), rtol=tolerance)


def test_a_value_read_again_is_not_fused():
    k = larix.kernel(gradient_with_kept)
    assert "__row_blocks" not in tree_of(k)
    X, y = data(50, 4)
    w = np.ones(4)
    for got, want in zip(k(X, w, y), gradient_with_kept(X, w, y)):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_shape_errors_are_those_of_the_unfused_program():
    X, y = data(40, 5)
    translation = lra._current()[0]
    unfused = larix.compile(
        lra.physl, file=translation.file, source_name=lra._source_name, optimize=False
    )
    assert "__row_blocks" not in unfused.dump_tree()
    for args in ((X, y[:-1]), (X, y[:, None])):  # pred - y cannot broadcast; a column of labels
        with pytest.raises(larix.Error) as fused_info:
            lra(*args)
        with pytest.raises(larix.Error) as unfused_info:
            unfused(*args)
        fused = fused_info.value
        plain = lra._relocate(unfused_info.value, translation)
        assert type(fused) is type(plain)
        assert (fused.message, fused.file, fused.line) == (plain.message, plain.file, plain.line)


def test_not_aligned_product_is_the_same_error():
    X, y = data(30, 5)
    k = larix.kernel(gradient)
    with pytest.raises(larix.LarixValueError) as info:
        k(X, np.ones(4), y, 0.0)
    assert "shapes (30,5) and (4,) not aligned" in info.value.message
    assert info.value.line == gradient.__code__.co_firstlineno + 1


@pytest.mark.parametrize("rows, blocks", [(300, 1), (5003, 3)])
def test_large_matrices_are_walked_in_blocks(rows, blocks):
    # X @ w runs once per block of rows (640 KiB: 2,048 rows of 40 float64); an X below 1 MiB is
    # not fused, and its product runs once
    X, y = data(rows, 40)
    with larix.profile() as prof:
        lra(X, y, iterations=1)
    counts = [n["count"] for n in prof.nodes if n["name"] == "dot" and n["line"] == 18]
    assert counts == [blocks]


def gradient_left(X, w, y):
    r = 1.0 / (1.0 + np.exp(-(X @ w)))
    return (r - y) @ X  # the README's form: the vector on the left


@pytest.mark.parametrize("rows", [50, 9001])
def test_the_vector_on_the_left_is_fused_too(rows, threads):
    X, y = data(rows, 17)
    w = np.linspace(-1, 1, 17)
    k = larix.kernel(gradient_left)
    assert "__row_blocks" in tree_of(k)
    np.testing.assert_allclose(k(X, w, y), gradient_left(X, w, y), rtol=1e-10)
    y2 = np.stack([y, y])  # (2, n): not a row vector, so the product runs as written
    np.testing.assert_allclose(k(X, w, y2), gradient_left(X, w, y2), rtol=1e-10)


def one_pass_program(name, left, **options):
    return larix.compile(
        f"define(f, x, w, v, {name}(x, w, lambda(a, b, u, 1.0 / (1.0 + exp(-dot(a, b))) - u), "
        f"{left}, v)) f",
        **options,
    )


@pytest.mark.parametrize("left", ["false", "true"])
@pytest.mark.parametrize("layout", ["c", "columns", "transposed"])
def test_one_pass_blocks_equal_numpy(left, layout, threads):
    # __row_blocks_dot reads each block once (this block's part and the next block's X_b @ w in
    # one pass); rows of a wider matrix take it too, a transposed X (no unit column stride) the
    # two-pass blocks; block counts not a multiple of the chunks, a last block shorter than the
    # others.
    rng = np.random.default_rng(11)
    X = rng.random((1037, 301)) - 0.5
    if layout == "columns":
        X = (rng.random((1037, 310)) - 0.5)[:, 3:304]
    if layout == "transposed":
        X = np.ascontiguousarray((rng.random((1037, 301)) - 0.5).T).T
    w = rng.random(X.shape[1]) - 0.5
    v = rng.random(X.shape[0])
    r = 1.0 / (1.0 + np.exp(-(X @ w))) - v
    want = r @ X if left == "true" else X.T @ r
    one_pass = one_pass_program("__row_blocks_dot", left)(X, w, v)
    two_pass = one_pass_program("__row_blocks", left)(X, w, v)
    np.testing.assert_allclose(one_pass, want, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(one_pass, two_pass, rtol=1e-12, atol=1e-12)


def test_one_pass_blocks_have_the_same_bits_at_every_thread_count():
    rng = np.random.default_rng(12)
    X = rng.random((3001, 97)) - 0.5
    w, v = rng.random(97), rng.random(3001)
    program = one_pass_program("__row_blocks_dot", "false")
    results = []
    for n in (1, 2, 4):
        larix.init(n)
        results.append(program(X, w, v))
    larix.init()
    sync = one_pass_program("__row_blocks_dot", "false", sync=True)(X, w, v)
    for r in results[1:] + [sync]:
        np.testing.assert_array_equal(r, results[0])


SMALL_BLOCKS = """
import numpy as np
import larix

program = larix.compile(
    "define(f, x, w, v, __row_blocks_dot(x, w, lambda(a, b, u, 1.0 / (1.0 + exp(-dot(a, b))) - u),"
    " LEFT, v)) f".replace("LEFT", "{left}")
)
rng = np.random.default_rng(13)
X = rng.random((4001, 41)) - 0.5
w, v = rng.random(41) - 0.5, rng.random(4001)
r = 1.0 / (1.0 + np.exp(-(X @ w))) - v
want = r @ X if "{left}" == "true" else X.T @ r
results = []
for n in (1, 2, 4):
    larix.init(n)
    results.append(program(X, w, v))
np.testing.assert_allclose(results[0], want, rtol=1e-12, atol=1e-12)
for got in results[1:]:
    np.testing.assert_array_equal(got, results[0])
print("ok")
"""


@pytest.mark.parametrize("left", ["false", "true"])
def test_many_blocks_per_chunk_in_one_pass_each(left):
    # Blocks of 7 rows (LARIX_ROW_BLOCK_BYTES=2300 over 41 columns): 572 blocks in 64 chunks, so
    # the pass over each block also computes the next block's products, 5-9 blocks per chunk,
    # the last block shorter (4,001 = 571 x 7 + 4). The same bits at 1, 2 and 4 threads.
    env = dict(os.environ, LARIX_ROW_BLOCK_BYTES="2300")
    out = subprocess.run(
        [sys.executable, "-c", SMALL_BLOCKS.format(left=left)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


PAPER_LRA = Path(__file__).resolve().parents[2] / "examples" / "lra.physl"


def test_the_papers_physl_lra_is_fused_where_the_product_is_inside_the_update(threads):
    # examples/lra.physl, the paper's PhySL: store(w, w - alpha * dot(pred - y, x)), the product
    # inside the update of the w it reads: fused (`__row_blocks_dot`), the same weights as the
    # program without passes and as NumPy.
    text = PAPER_LRA.read_text()
    fused = larix.compile(text, file=str(PAPER_LRA))
    plain = larix.compile(text, file=str(PAPER_LRA), optimize=False)
    assert "__row_blocks_dot" in fused.dump_tree()
    assert "__row_blocks" not in plain.dump_tree()
    X, y = data(2000, 80)  # 1.28 MB: walked in blocks
    w = np.zeros(80)
    for _ in range(3):
        w = w - 1e-3 * ((1.0 / (1.0 + np.exp(-(X @ w))) - y) @ X)
    got = fused(X, y, 1e-3, 3)
    np.testing.assert_allclose(got, w, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(got, plain(X, y, 1e-3, 3), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", ["__row_blocks", "__row_blocks_dot"])
def test_a_part_that_is_not_one_value_per_row_is_a_user_error(name, threads):
    # Hand-written PhySL may give __row_blocks any f: a part of the wrong shape is a ValueError at
    # the call, from whichever chunk fails first (it was an internal error).
    p = larix.compile(
        f"define(f, x, w, v, {name}(x, w, lambda(a, b, u, sum(dot(a, b) - u)), false, v)) f"
    )
    X, _ = data(2000, 80)  # 1.28 MB: walked in blocks
    with pytest.raises(larix.LarixValueError) as info:
        p(X, np.ones(80), np.ones(2000))
    assert "one value per row of the block" in info.value.message
    assert (info.value.line, info.value.column) == (1, 20)
