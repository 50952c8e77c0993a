"""Element-wise fusion: chains of element-wise operations (and sum of a chain) run as one pass.
Fused results have the bits of the unfused program (optimize=False) at 1, 2 and 4 threads and on
the reference executor, match NumPy, allocate one array, fall back to the operations as written
for values that do not fit (float32, lists, strings), and raise the errors the program as written
raises, at the same line."""

import warnings

import numpy as np
import pytest

import larix

CHAINS = {
    # name: (PhySL body of f(a, b, m), NumPy reference)
    "affine": ("2 * a + 1", lambda a, b, m: 2 * a + 1),
    "fma": ("a * b + m", lambda a, b, m: a * b + m),
    "deviation": ("power(a - m, 2)", lambda a, b, m: (a - m) ** 2),
    "sqrt_inverse": (
        "power(a * a + 1, 0.5) + power(b + 2, -1)",
        lambda a, b, m: (a * a + 1) ** 0.5 + (b + 2) ** -1,
    ),
    "cube": ("power(a, 3) - b", lambda a, b, m: a**3 - b),
    "where": (
        "where(a > m, exp(a), -b) * 0.5",
        lambda a, b, m: np.where(a > m, np.exp(a), -b) * 0.5,
    ),
    "compare": ("a * 2 < b + m", lambda a, b, m: a * 2 < b + m),
    "minmax": (
        "maximum(minimum(a, b), m) / 3",
        lambda a, b, m: np.maximum(np.minimum(a, b), m) / 3,
    ),
    "sigmoid": ("1 / (1 + exp(-(a * b)))", lambda a, b, m: 1 / (1 + np.exp(-(a * b)))),
    "mod": (
        "__mod(a * 7, b + 2) - __floordiv(a, 0.25)",
        lambda a, b, m: (a * 7) % (b + 2) - a // 0.25,
    ),
    "abs_log": ("log(absolute(a - b) + 1) * m", lambda a, b, m: np.log(np.abs(a - b) + 1) * m),
}
# Operations NumPy computes with correctly rounded IEEE arithmetic: the same bits as NumPy.
EXACT = {"affine", "fma", "deviation", "sqrt_inverse", "compare", "minmax", "mod"}


def programs(body, sync=False):
    text = f"define(f, a, b, m, {body}) f"
    return larix.compile(text, sync=sync), larix.compile(text, sync=sync, optimize=False)


def operands(n, kind, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(n) * 4
    b = rng.standard_normal(n) * 4
    if kind == "int":
        a = np.round(a).astype(np.int64)
    elif kind == "bool":
        b = b > 0
    elif kind == "strided":
        a = rng.standard_normal(3 * n)[::-3]
    elif kind == "matrix":
        a = rng.standard_normal((n, 3))
        b = rng.standard_normal(3)  # broadcast along rows
    elif kind == "column":
        a = rng.standard_normal((n, 3))
        b = rng.standard_normal((n, 1))
    return a, b


@pytest.fixture(params=[1, 2, 4])
def threads(request):
    larix.init(request.param)
    yield request.param
    larix.init()


@pytest.mark.parametrize("name", sorted(CHAINS))
@pytest.mark.parametrize("n", [1, 31, 1000, 100_003])
@pytest.mark.parametrize("kind", ["float", "int", "bool", "strided", "matrix", "column"])
def test_fused_chain_has_the_bits_of_the_unfused_one(name, n, kind, threads):
    if n == 100_003 and kind in ("matrix", "column") and name not in ("affine", "where"):
        pytest.skip("large 2-d cases for two chains only (time)")
    body, reference = CHAINS[name]
    fused, unfused = programs(body)
    assert "__fused" in fused.dump_tree() and "lambda lambda" not in fused.dump_tree()
    a, b = operands(n, kind)
    for m in (0.5, 2, np.float64(-1.0), np.array(0.25)):
        try:
            want = unfused(a, b, m)
        except larix.errors.Error as error:  # e.g. an int64 base to the power -1, as in NumPy
            with pytest.raises(type(error)) as raised:
                fused(a, b, m)
            assert str(raised.value) == str(error)
            with pytest.raises((ValueError, TypeError)), np.errstate(all="ignore"):
                reference(a, b, m)
            continue
        got = fused(a, b, m)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)
        with np.errstate(all="ignore"):
            numpy = reference(a, b, m)
        assert got.dtype == numpy.dtype
        if name in EXACT:
            np.testing.assert_array_equal(got, numpy)
        else:
            np.testing.assert_allclose(got, numpy, rtol=1e-13, atol=1e-300)


@pytest.mark.parametrize("n", [0, 1, 7, 129, 1000, 65_537, 262_147])
@pytest.mark.parametrize("kind", ["float", "int", "strided", "matrix"])
def test_fused_sum_has_the_bits_of_the_unfused_one(n, kind, threads):
    fused, unfused = programs("sum(power(a - m, 2)) + sum(a * b)")
    assert fused.dump_tree().count("__fused") == 2
    a, b = operands(n, kind, seed=n)
    got, want = fused(a, b, 0.25), unfused(a, b, 0.25)
    assert got.dtype == want.dtype and got.shape == want.shape == ()
    assert got.tobytes() == want.tobytes()
    np.testing.assert_allclose(got, np.sum((a - 0.25) ** 2) + np.sum(a * b), rtol=1e-12)


@pytest.mark.parametrize("n", [0, 1, 7, 1000, 65_537])
@pytest.mark.parametrize("kind", ["float", "int", "strided", "matrix"])
def test_fused_mean_has_the_bits_of_the_unfused_one(n, kind, threads):
    fused, unfused = programs("mean(power(a - m, 2))")
    assert "__fused" in fused.dump_tree()
    a, _ = operands(n, kind, seed=n)
    with warnings.catch_warnings():  # NumPy warns of the mean of an empty array
        warnings.simplefilter("ignore", RuntimeWarning)
        got, want, numpy = fused(a, None, 0.25), unfused(a, None, 0.25), np.mean((a - 0.25) ** 2)
    assert got.dtype == want.dtype == np.float64 and got.shape == want.shape == ()
    assert got.tobytes() == want.tobytes()
    np.testing.assert_allclose(got, numpy, rtol=1e-12)  # NaN for an empty array, as NumPy


def test_the_same_bits_at_every_thread_count_and_on_the_reference_executor():
    a, b = operands(300_007, "float", seed=5)
    results = []
    for n in (1, 2, 4):
        larix.init(n)
        try:
            for sync in (False, True):
                fused, _ = programs("sum(a * b - m) + sum(exp(a / 8) * 2)", sync=sync)
                results.append(fused(a, b, 0.5))
        finally:
            larix.init()
    assert len({r.tobytes() for r in results}) == 1


def test_chains_are_fused_in_the_tree():
    tree = larix.compile("define(f, x, m, sum(power(x - m, 2)) + 2 * x + 1) f").dump_tree()
    assert tree.count("__fused") == 2
    assert "lambda lambda" not in tree  # the tree shows the chain's operations, not a lambda


def test_a_single_operation_and_effects_are_not_fused():
    assert "__fused" not in larix.compile("define(f, x, x + 1) f").dump_tree()
    # Two random draws: their order is the program's, so their sum is not fused.
    tree = larix.compile("define(f, x, random(3) * x + random(3)) f").dump_tree()
    assert "__fused" not in tree


def test_a_fused_chain_allocates_one_array():
    fused, unfused = programs("a * b + m * a")
    a, b = operands(100_000, "float")
    counts = []
    for program in (fused, unfused):
        program(a, b, 0.5)  # warm
        before = larix._core._array_allocations()
        program(a, b, 0.5)
        counts.append(larix._core._array_allocations() - before)
    # Unfused: a * b and m * a, and the sum unless it can reuse one of them (when it runs inline).
    assert counts[0] == 1 and counts[1] >= 2


@pytest.mark.parametrize(
    "a, b, m",
    [
        (np.arange(5, dtype=np.float32), np.ones(5, np.float32), 0.5),  # float32: as written
        ([1.0, 2.0], [3.0, 4.0], 1),  # lists
        (3, 4, 5),  # Python scalars
        (2.5, np.arange(3), True),
        (np.arange(4), np.arange(4), 3),  # int64 arithmetic stays int64
    ],
)
def test_values_that_do_not_fit_run_as_written(a, b, m):
    fused, unfused = programs("a * b + m * a - 1")
    got, want = fused(a, b, m), unfused(a, b, m)
    assert type(got) is type(want)
    if isinstance(want, np.ndarray):
        assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


@larix.kernel
def chain(x, y, z):
    t = x * 2.0
    return t + y * z - 1.0


def test_shape_errors_are_the_unfused_ones_at_the_users_line():
    translation = chain._current()[0]
    plain = larix.compile(
        translation.physl, source_name=chain._source_name, file=translation.file, optimize=False
    )
    x = np.ones(3)
    with pytest.raises(larix.LarixValueError) as fused_error:
        chain(x, np.ones(4), np.ones(4))
    with pytest.raises(larix.LarixValueError) as plain_error:
        plain(x, np.ones(4), np.ones(4))
    assert (
        str(fused_error.value)
        .splitlines()[0]
        .endswith("operands could not be broadcast together with shapes (3,) (4,)")
    )
    assert fused_error.value.line == chain.python.__code__.co_firstlineno + 3
    at_users_line = chain._relocate(plain_error.value, translation)  # as the kernel reports it
    assert (fused_error.value.line, fused_error.value.column) == (
        at_users_line.line,
        at_users_line.column,
    )


def test_type_errors_are_the_unfused_ones():
    fused, unfused = programs("a * b - m")
    for args in ((np.ones(2, bool), np.ones(2, bool), True), ("s", 2, 1), (np.ones(2), "x", 1)):
        with pytest.raises(larix.Error) as e1:
            fused(*args)
        with pytest.raises(larix.Error) as e2:
            unfused(*args)
        assert type(e1.value) is type(e2.value)
        assert str(e1.value) == str(e2.value)


def test_the_profile_counts_a_fused_chains_operations():
    program = larix.compile(
        "define(f, a, n, block(define(i, 0), define(s, 0.0),"
        " while(i < n, block(store(s, s + sum(exp(a) * 2.0)), store(i, i + 1))),"
        " s)) f"
    )
    with larix.profile() as prof:
        program(np.linspace(0.0, 1.0, 50_000), 4)
    counts = {
        r["name"]: r["count"] for r in prof.nodes if r["name"] in ("exp", "__mul", "sum", "__fused")
    }
    assert counts == {"exp": 4, "__mul": 4, "sum": 4, "__fused": 4}
    exp = next(r for r in prof.nodes if r["name"] == "exp")
    assert exp["inclusive_ns"] >= exp["exclusive_ns"] > 0


@pytest.mark.parametrize("fn", ["exp", "log", "tanh", "sigmoid", "expm1", "log1p", "sinh"])
def test_vector_math_does_not_depend_on_layout(fn):
    # What fusion relies on: each value's result is the same in a contiguous run, at any place in
    # it, in a strided view and in a broadcast one (one value alone is the C library's, as NumPy's
    # scalar loops and CPython's math give it).
    f = larix.compile(f"define(f, x, {fn}(x)) f", optimize=False)
    x = np.abs(np.random.default_rng(1).standard_normal(3 * 37)) + 0.5
    whole = f(x)
    for start in range(1, 9):  # each value at another place in its vector
        np.testing.assert_array_equal(f(x[start:]), whole[start:])
    np.testing.assert_array_equal(f(x[::-3]), whole[::-3])
    np.testing.assert_array_equal(f(x.reshape(37, 3).T), whole.reshape(37, 3).T)
    column = np.broadcast_to(x[:5, None], (5, 4))
    np.testing.assert_array_equal(f(column), np.broadcast_to(whole[:5, None], (5, 4)))
    if hasattr(np, fn):
        assert f(np.float64(x[3])) == getattr(np, fn)(x[3])  # the C library's, as NumPy's
