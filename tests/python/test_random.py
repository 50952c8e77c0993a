"""The random primitives against NumPy's legacy np.random, bit for bit.

Every Larix program seeds first (the state is global to the process); the references are
np.random.RandomState(seed), the generator behind np.random's global functions (one test checks the
global functions themselves). Results must be identical, not close.
"""

from __future__ import annotations

import re
import threading
from typing import Any, Callable

import numpy as np
import pytest

import larix

SEEDS = [0, 1, 2, 42, 123456789, 2**31 - 1, 2**31, 2**32 - 1]
SIZES = [0, 1, 2, 5, 17, 624, 1000]


def physl(v: Any) -> str:
    """A Python value as PhySL text (ints, floats, tuples/lists as lists)."""
    if isinstance(v, (list, tuple)):
        return "'(" + ", ".join(physl(x) for x in v) + ")"
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "true" if v else "false"
    return repr(v)


def run(body: str, *args: Any, sync: bool = False) -> Any:
    """Runs a PhySL body with arguments a, b, c, ..."""
    names = "abcdefgh"[: len(args)]
    params = "".join(f"{n}, " for n in names)
    return larix.compile(f"define(f, {params}{body}) f", sync=sync)(*args)


def same(got: Any, want: Any) -> None:
    """Identical: same type (Python float/int/bool or array dtype and shape) and same bits."""
    if isinstance(want, np.ndarray):
        if want.ndim == 0 and isinstance(got, np.generic):
            got = np.asarray(got)  # Larix hands 0-d results back as NumPy scalars
        assert isinstance(got, np.ndarray), type(got)
        assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, got.shape)
        np.testing.assert_array_equal(got, want, strict=True)
    else:
        assert type(got) is type(want), (type(got), type(want))
        assert got == want or (got != got and want != want)


def reference(seed: Any, draw: Callable[[np.random.RandomState], Any]) -> Any:
    return draw(np.random.RandomState(seed))


# ---- seeding and the uniform doubles -------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES)
def test_rand_matches_numpy(seed: int, n: int) -> None:
    same(run(f"block(seed({seed}), rand({n}))"), reference(seed, lambda r: r.rand(n)))


@pytest.mark.parametrize("seed", [0, 7, 2**32 - 1])
def test_random_sample_shapes_and_aliases(seed: int) -> None:
    for size in [None, (), 3, (2, 3), (2, 0, 4), (3, 1, 2)]:
        want = reference(seed, lambda r, size=size: r.random_sample(size))
        for name in ("random_sample", "random", "ranf", "sample"):
            same(run(f"block(seed({seed}), {name}({physl(size)}))"), want)
    same(run(f"block(seed({seed}), rand(2, 3, 4))"), reference(seed, lambda r: r.rand(2, 3, 4)))
    same(run(f"block(seed({seed}), rand())"), reference(seed, lambda r: r.rand()))


def test_the_global_numpy_functions() -> None:
    saved = np.random.get_state()
    try:
        np.random.seed(2024)
        want = [np.random.rand(4), np.random.randn(3), np.random.randint(0, 10, 5)]
        got = run("block(seed(2024), list(rand(4), randn(3), randint(0, 10, 5)))", sync=True)
        assert len(got) == len(want)
        for g, w in zip(got, want):
            same(g, w)
    finally:
        np.random.set_state(saved)


@pytest.mark.parametrize(
    "seed",
    [[0], [1, 2, 3], [0x123, 0x234, 0x345, 0x456], list(range(700)), [2**32 - 1] * 5],
)
def test_array_seeds_use_init_by_array(seed: list) -> None:
    want = reference(seed, lambda r: r.rand(10))
    same(run(f"block(seed({physl(seed)}), rand(10))"), want)
    if len(seed) > 1:  # NumPy squeezes a one-element array to an int seed
        same(run("block(seed(a), rand(10))", np.array(seed, dtype=np.int64)), want)


def test_one_element_arrays_seed_like_their_element() -> None:
    # NumPy squeezes an array seed: np.array([5]) seeds like 5, the list [5] with init_by_array.
    want = reference(5, lambda r: r.rand(3))
    same(run("block(seed(a), rand(3))", np.array([5])), want)
    same(run("block(seed(a), rand(3))", np.array([[5]])), want)
    same(run("block(seed([5]), rand(3))"), want)
    same(run("block(seed('(5)), rand(3))"), reference([5], lambda r: r.rand(3)))
    same(run("block(seed(true), rand(3))"), reference(True, lambda r: r.rand(3)))


def test_known_mt19937_outputs() -> None:
    # Matsumoto & Nishimura's mt19937ar.out: init_by_array({0x123, 0x234, 0x345, 0x456}).
    state = np.random.RandomState([0x123, 0x234, 0x345, 0x456]).get_state()
    assert state[1][0] == 0x80000000  # init_by_array's last step, as in the reference code
    got = run("block(seed('(291, 564, 837, 1110)), randint(0, 4294967296, 5))")
    assert got.tolist() == [1067595299, 955945823, 477289528, 4107218783, 4228976476]


def test_get_seed() -> None:
    assert run("block(seed(99), get_seed())") == 99
    assert run("block(seed('(4, 5)), get_seed())") == [4, 5]
    got = run("block(seed(), get_seed())")
    assert isinstance(got, int) and 0 <= got < 2**32
    # seed() draws an entropy seed and records it: seeding with it again repeats the stream.
    a, s = run("block(seed(), define(x, rand(4)), list(x, get_seed()))")
    same(run(f"block(seed({s}), rand(4))"), a)


@pytest.mark.parametrize(
    ("program", "error"),
    [
        ("seed(-1)", ValueError),
        ("seed(4294967296)", ValueError),
        ("seed(1.5)", TypeError),
        ("seed(1.0)", TypeError),
        ('seed("a")', TypeError),
        ("seed(list())", ValueError),
        ("seed([[1, 2]])", ValueError),
        ("seed('(1, -2))", ValueError),
        ("seed('(1, 4294967296))", ValueError),
        ("seed([1.0, 2.0])", TypeError),
        ("rand(-1)", ValueError),
        ("rand(2.0)", TypeError),
        ("randn(-1)", ValueError),
        ("random_sample('(2, -1))", ValueError),
        ("random_sample(2.0)", TypeError),
        ("randint(5, 5)", ValueError),
        ("randint(5, 3)", ValueError),
        ("randint(0)", ValueError),
        ("randint(0, -1)", ValueError),
        ("randint([0, 5], [1, 5])", ValueError),
        ('randint(0, 3, nil, "bool")', ValueError),
        ('randint(-1, 1, nil, "bool")', ValueError),
        ('randint(0, 2, nil, "float64")', TypeError),
        ("randint(0, [3, 9], 3)", ValueError),
        ("randint(0, 5, -1)", ValueError),
        ("randint(0, 5, 2.5)", TypeError),
        ("normal(0, -1)", ValueError),
        ("normal(0, [1, -1])", ValueError),
        ("normal([0, 1], 1, 3)", ValueError),
        ("normal([0, 1], 1, '(2, 1))", ValueError),
        ("normal(0, 1, 2.0)", TypeError),
        ("uniform(0, 1e999)", OverflowError),
        ("uniform(-1e308, 1e308)", OverflowError),
        ("uniform(0, 1e999, 0)", OverflowError),
        ("uniform([0, 1], 1, '(3, 1))", ValueError),
        ("permutation(5.0)", IndexError),
        ("permutation(a)", IndexError),
        ("shuffle(5)", TypeError),
        ("shuffle(a)", TypeError),
    ],
)
def test_errors_match_numpy(program: str, error: type) -> None:
    args = [np.array(5.0)] if "(a)" in program else []
    with pytest.raises(error):
        run(program, *args)


def test_errors_draw_nothing() -> None:
    # NumPy checks the arguments before drawing: a failed call leaves the stream where it was.
    for bad in ("normal(0, -1, 3)", "uniform(0, 1e999, 3)", "randint(5, 5, 3)"):
        with pytest.raises(ValueError if "uniform" not in bad else OverflowError):
            run(f"block(seed(11), rand(2), {bad})")
    larix.compile("seed(11)")()
    larix.compile("rand(2)")()
    with pytest.raises(ValueError):
        larix.compile("normal(0, -1, 3)")()
    r = np.random.RandomState(11)
    r.rand(2)
    same(larix.compile("rand(3)")(), r.rand(3))


# ---- normal draws --------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_randn_and_its_cached_value(seed: int) -> None:
    r = np.random.RandomState(seed)
    want = [r.randn(3), r.randn(), r.randn(2, 2), r.rand(), r.randn(), r.standard_normal(5)]
    got = run(
        f"block(seed({seed}), list(randn(3), randn(), randn(2, 2), rand(), randn(),"
        " standard_normal(5)))",
        sync=True,
    )
    assert len(got) == len(want)
    for g, w in zip(got, want):
        same(g, w)


def test_seed_drops_the_cached_normal() -> None:
    # randn(1) leaves a cached second value; seeding again must forget it.
    got = run("block(seed(3), randn(1), seed(3), randn(2))")
    same(got, reference(3, lambda r: r.randn(2)))


@pytest.mark.parametrize("seed", [0, 5, 2**32 - 1])
def test_normal_matches_numpy(seed: int) -> None:
    cases: list[tuple[str, Callable]] = [
        ("normal()", lambda r: r.normal()),
        ("normal(3.5, 0.25)", lambda r: r.normal(3.5, 0.25)),
        ("normal(-1, 2, 7)", lambda r: r.normal(-1, 2, 7)),
        ("normal(0, 0, 3)", lambda r: r.normal(0, 0, 3)),
        (
            "normal(__arg(scale, 3.0), __arg(size, '(2, 3)))",
            lambda r: r.normal(scale=3.0, size=(2, 3)),
        ),
        (
            "normal([0.0, 10.0, 20.0], [[1.0], [2.0]])",
            lambda r: r.normal([0, 10, 20], [[1.0], [2.0]]),
        ),
        ("normal([0.0, 10.0], 1.0, '(3, 2))", lambda r: r.normal([0.0, 10.0], 1.0, (3, 2))),
    ]
    for program, draw in cases:
        same(run(f"block(seed({seed}), {program})"), reference(seed, draw))


# ---- poisson and binomial ------------------------------------------------------------------------

# Every path of the samplers: poisson's multiplication (lam < 10) and PTRS (lam >= 10, including
# its log-gamma below 7 and beyond), binomial's inversion (min(p, 1 - p) * n <= 30) and BTPE (its
# triangle, parallelograms, both tails, the explicit ratio near the mode and Stirling's bound far
# from it), p above 0.5 through 1 - p, and the zero cases.
LAMS = [0.0, 1e-3, 0.5, 3.0, 9.999, 10.0, 13.7, 60.0, 1234.5, 1e7, 1e15]
BINOMIALS = [(0, 0.4), (9, 0.0), (9, 1.0), (10, 0.5), (61, 0.49), (62, 0.49), (100, 0.9),
             (1000, 0.03), (1000, 0.5), (12345, 0.77), (10**6, 0.25), (10**9, 0.001),
             (2**40, 0.3)]  # fmt: skip


@pytest.mark.parametrize("seed", [0, 7, 2**32 - 1])
def test_poisson_matches_numpy(seed: int) -> None:
    for lam in LAMS:
        same(run(f"block(seed({seed}), poisson({lam!r}, 400))"),
             reference(seed, lambda r, lam=lam: r.poisson(lam, 400)))  # fmt: skip
    lams = np.array([[0.5], [25.0]])
    same(run(f"block(seed({seed}), poisson(a, '(2, 3)))", lams),
         reference(seed, lambda r: r.poisson(lams, (2, 3))))  # fmt: skip
    same(run(f"block(seed({seed}), list(poisson(), poisson(40)))"),
         reference(seed, lambda r: [r.poisson(), r.poisson(40)]))  # fmt: skip


@pytest.mark.parametrize("seed", [0, 7, 2**32 - 1])
def test_binomial_matches_numpy(seed: int) -> None:
    for n, p in BINOMIALS:
        same(run(f"block(seed({seed}), binomial({n}, {p!r}, 300))"),
             reference(seed, lambda r, n=n, p=p: r.binomial(n, p, 300)))  # fmt: skip
    ns, ps = np.array([[5], [500]]), np.array([0.1, 0.5, 0.97])
    same(run(f"block(seed({seed}), binomial(a, b))", ns, ps),
         reference(seed, lambda r: r.binomial(ns, ps)))  # fmt: skip
    got = run(f"block(seed({seed}), list(binomial(7, 0.3), binomial(7.9, 0.3, 4)))")
    want = reference(seed, lambda r: [r.binomial(7, 0.3), r.binomial(7.9, 0.3, 4)])
    assert len(got) == len(want) == 2
    for g, w in zip(got, want):
        same(g, w)


@pytest.mark.parametrize(
    ("program", "message"),
    [
        ("poisson(-1.0)", "lam < 0 or lam is NaN"),
        ("poisson(nan, 3)", "lam < 0 or lam is NaN"),
        ("poisson(1e19)", "lam value too large"),
        ("poisson([1.0, -1.0])", "lam < 0 or lam contains NaNs"),
        ("poisson([-1.0, nan])", "lam value too large"),  # NumPy's order for arrays
        ("binomial(-1, 2.0)", "p < 0, p > 1 or p is NaN"),  # p is checked first
        ("binomial(3, [0.5, nan])", "p < 0, p > 1 or p contains NaNs"),
        ("binomial([-1, 3], 0.5)", "n < 0"),
        ("binomial(-1.5, 0.5)", "n < 0"),
        ("binomial(nan, 0.5)", "cannot convert float NaN to integer"),
    ],
)
def test_poisson_and_binomial_errors_are_numpys(program: str, message: str) -> None:
    numpy_call = program.replace("nan", "np.nan")
    with pytest.raises(ValueError, match=re.escape(message)):
        eval("np.random." + numpy_call)
    with pytest.raises(larix.LarixValueError, match=re.escape(message)):
        run(program)
    with pytest.raises(OverflowError):
        run("binomial(1e19, 0.5)")
    with pytest.raises(ValueError, match="shape mismatch"):
        run("binomial([3, 4], [0.1, 0.2, 0.3])")


def test_poisson_and_binomial_errors_draw_nothing() -> None:
    with pytest.raises(ValueError):
        run("block(seed(4), rand(1), binomial([3, -1], 0.5, '(5, 2)))")
    same(larix.compile("rand(2)")(), reference(4, lambda r: (r.rand(1), r.rand(2))[1]))


# ---- uniform -------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 5, 2**32 - 1])
def test_uniform_matches_numpy(seed: int) -> None:
    cases: list[tuple[str, Callable]] = [
        ("uniform()", lambda r: r.uniform()),
        ("uniform(-3, 7)", lambda r: r.uniform(-3, 7)),
        ("uniform(-3, 7, 9)", lambda r: r.uniform(-3, 7, 9)),
        ("uniform(1, 0, 4)", lambda r: r.uniform(1, 0, 4)),
        (
            "uniform(__arg(high, 1e300), __arg(size, '(2, 2)))",
            lambda r: r.uniform(high=1e300, size=(2, 2)),
        ),
        ("uniform([0, 1, 2], [[10], [20]])", lambda r: r.uniform([0, 1, 2], [[10], [20]])),
        ("uniform(0.5, [1.0, 2.0], '(3, 2))", lambda r: r.uniform(0.5, [1.0, 2.0], (3, 2))),
    ]
    for program, draw in cases:
        same(run(f"block(seed({seed}), {program})"), reference(seed, draw))


# ---- randint -------------------------------------------------------------------------------------

RANGES = [
    (0, 1),
    (0, 2),
    (0, 3),
    (-5, 5),
    (0, 100),
    (7, 2**31),
    (0, 2**32 - 1),
    (0, 2**32),  # rng = 2^32 - 1: one 32-bit draw, no rejection
    (-(2**31), 2**31 + 1),  # rng = 2^32: 64-bit draws
    (0, 2**40),
    (-(2**62), 2**62 + 12345),
    (-(2**63), 2**63 - 1),
    (2**63 - 5, 2**63 - 1),
]


@pytest.mark.parametrize(("low", "high"), RANGES)
@pytest.mark.parametrize("seed", [0, 1, 99])
def test_randint_matches_numpy(low: int, high: int, seed: int) -> None:
    want = reference(seed, lambda r: [r.randint(low, high, 50), r.randint(low, high)])
    got = run(
        f"block(seed({seed}), list(randint({low}, {high}, 50), randint({low}, {high})))", sync=True
    )
    same(got[0], want[0])
    same(got[1], want[1])


@pytest.mark.parametrize("seed", [0, 1, 99])
def test_randint_forms(seed: int) -> None:
    cases: list[tuple[str, Callable]] = [
        ("randint(10)", lambda r: r.randint(10)),
        ("randint(10, __arg(size, '(3, 4)))", lambda r: r.randint(10, size=(3, 4))),
        ("randint(1.5, 5.9, 6)", lambda r: r.randint(1.5, 5.9, 6)),
        ("randint([1, 2, 3], [[10], [1000]])", lambda r: r.randint([1, 2, 3], [[10], [1000]])),
        ("randint(0, [3, 4294967296], '(3, 2))", lambda r: r.randint(0, [3, 2**32], (3, 2))),
        ("randint([0, 4], 5, 2)", lambda r: r.randint([0, 4], 5, 2)),  # rng 0 draws nothing
        ('randint(0, 2, 100, "bool")', lambda r: r.randint(0, 2, 100, dtype=bool)),
        ('randint(0, 2, __arg(dtype, "bool"))', lambda r: r.randint(0, 2, dtype=bool)),
        (
            'randint([0, 1, 0], [2, 2, 1], __arg(dtype, "bool"))',
            lambda r: r.randint([0, 1, 0], [2, 2, 1], dtype=bool),
        ),
        ('randint(0, 7, 3, "int")', lambda r: r.randint(0, 7, 3, dtype=int)),
    ]
    for program, draw in cases:
        r = np.random.RandomState(seed)
        want = [draw(r), r.rand(3)]  # and the stream after it
        got = run(f"block(seed({seed}), list({program}, rand(3)))", sync=True)
        want0 = want[0] if isinstance(want[0], np.ndarray) else want[0]
        if isinstance(want0, np.bool_):
            want0 = bool(want0)
        same(got[0], want0)
        same(got[1], want[1])


# ---- shuffle and permutation ---------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 2, 3, 10, 257, 1000])
@pytest.mark.parametrize("seed", [0, 31, 2**32 - 1])
def test_shuffle_matches_numpy(n: int, seed: int) -> None:
    for x in (np.arange(n), np.arange(n * 3.0).reshape(n, 3), np.arange(n * 2) % 2 == 0):
        want = x.copy()
        r = np.random.RandomState(seed)
        r.shuffle(want)
        after = r.rand(2)
        got = run(f"block(seed({seed}), list(shuffle(a), rand(2)))", x, sync=True)
        same(got[0], want)
        same(got[1], after)
        assert x.tolist() == np.array(x).tolist()  # the argument is unchanged


def test_shuffle_lists_and_empty_rows() -> None:
    r = np.random.RandomState(4)
    items = [1, 2.5, "s", [3], 4, 5, 6]
    want = list(items)
    r.shuffle(want)
    assert run('block(seed(4), shuffle(list(1, 2.5, "s", \'(3), 4, 5, 6)))') == want
    # NumPy's shuffle draws nothing for an array without elements; permutation shuffles its row
    # indices and does draw.
    x = np.zeros((5, 0))
    r = np.random.RandomState(4)
    r.shuffle(x)
    same(run("block(seed(4), list(shuffle(a), rand()))", x, sync=True)[1], r.rand())
    r = np.random.RandomState(4)
    r.permutation(x)
    same(run("block(seed(4), list(permutation(a), rand()))", x, sync=True)[1], r.rand())
    r = np.random.RandomState(4)
    lists: list = [[], [], [], []]
    r.shuffle(lists)
    same(
        run(
            "block(seed(4), list(shuffle(list(list(), list(), list(), list())), rand()))", sync=True
        )[1],
        r.rand(),
    )


@pytest.mark.parametrize("seed", [0, 8, 2**32 - 1])
def test_permutation_matches_numpy(seed: int) -> None:
    cases: list[tuple[str, list, Callable]] = [
        ("permutation(10)", [], lambda r: r.permutation(10)),
        ("permutation(0)", [], lambda r: r.permutation(0)),
        ("permutation(-3)", [], lambda r: r.permutation(-3)),
        ("permutation('(3, 1, 2, 7))", [], lambda r: r.permutation([3, 1, 2, 7])),
        (
            "permutation(a)",
            [np.arange(20.0).reshape(5, 4)],
            lambda r: r.permutation(np.arange(20.0).reshape(5, 4)),
        ),
        ("permutation(a)", [np.int64(6)], lambda r: r.permutation(np.int64(6))),
    ]
    for program, args, draw in cases:
        same(run(f"block(seed({seed}), {program})", *args), reference(seed, draw))


# ---- sequences, executors, threads ---------------------------------------------------------------


def test_a_long_sequence_on_both_executors() -> None:
    calls = [
        "rand(5)",
        "randn(3)",
        "randint(0, 1000, 4)",
        "uniform(-1, 1, 3)",
        "normal(10, 2, 5)",
        "permutation(9)",
        "randn()",
        "random_sample('(2, 2))",
        "randint(0, 4294967296, 2)",
        "rand()",
    ]
    names = [f"x{i}" for i in range(len(calls))]
    # One statement per call: statements with random calls run in program order on either
    # executor. (The operands of one call, as in list(rand(2), rand(2)), may run concurrently
    # and then draw in any order, except on the reference executor.)
    defines = ", ".join(f"define({n}, {call})" for n, call in zip(names, calls))
    body = f"block(seed(77), {defines}, list({', '.join(names)}))"
    r = np.random.RandomState(77)
    want = [
        r.rand(5),
        r.randn(3),
        r.randint(0, 1000, 4),
        r.uniform(-1, 1, 3),
        r.normal(10, 2, 5),
        r.permutation(9),
        r.randn(),
        r.random_sample((2, 2)),
        r.randint(0, 2**32, 2),
        r.rand(),
    ]
    for sync in (True, False):
        for _ in range(3):
            got = run(body, sync=sync)
            assert len(got) == len(want)
            for g, w in zip(got, want):
                same(g, w)
    got = run(f"block(seed(77), list({', '.join(calls)}))", sync=True)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        same(g, w)


def test_statements_of_a_block_draw_in_program_order() -> None:
    # Independent statements run in parallel, but random calls are ordered effects.
    program = (
        "block(seed(5), define(a, rand(100)), define(b, randn(100)), define(c, rand(100)), "
        "define(d, randint(0, 9, 100)), list(a, b, c, d))"
    )
    r = np.random.RandomState(5)
    want = [r.rand(100), r.randn(100), r.rand(100), r.randint(0, 9, 100)]
    for _ in range(20):
        got = run(program)
        assert len(got) == len(want)
        for g, w in zip(got, want):
            same(g, w)


def test_concurrent_calls_draw_whole_blocks() -> None:
    # Calls from many threads interleave in some order, but each call's draws are one unbroken
    # block of the stream, and no draw is lost or repeated.
    n, per_thread, calls = 4, 5, 200
    larix.compile("seed(13)")()
    program = larix.compile(f"rand({calls})")
    results: list[np.ndarray] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(per_thread):
            x = program()
            with lock:
                results.append(x)

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stream = np.random.RandomState(13).rand(n * per_thread * calls + 3)
    blocks = {stream[i * calls : (i + 1) * calls].tobytes() for i in range(n * per_thread)}
    assert {x.tobytes() for x in results} == blocks
    same(larix.compile("rand(3)")(), stream[-3:])


# ---- the Python frontend -------------------------------------------------------------------------


@larix.kernel
def drawn(n: int) -> Any:
    np.random.seed(1)
    a = np.random.rand(4)
    b = np.random.randn(3)
    c = np.random.randint(0, 10, size=n)
    d = np.random.uniform(-1.0, 1.0, (2, 2))
    e = np.random.normal(5.0, 0.5)
    p = np.random.permutation(n)
    s = np.random.random_sample()
    k = np.random.poisson(3.0, n) + np.random.binomial(n, 0.25)
    return a, b, c, d, e, p, s, k


def test_kernel_matches_undecorated_numpy() -> None:
    saved = np.random.get_state()
    try:
        want = drawn.python(6)
    finally:
        np.random.set_state(saved)
    got = drawn(6)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        same(g, w)


def test_equal_calls_are_not_merged() -> None:
    # rand(2) is not pure: the optimizer must neither fold nor share two equal calls.
    r = np.random.RandomState(21)
    want = r.rand(2) + r.rand(2)
    for optimize in (True, False):
        got = larix.compile("block(seed(21), rand(2) + rand(2))", optimize=optimize, sync=True)()
        same(got, want)
    got = larix.compile("block(seed(21), define(x, rand(2)), define(y, rand(2)), list(x, y))")()
    assert not np.array_equal(got[0], got[1])


# ---- operands of one call that draw run in program order -----------------------------------------


def draws_in_one_expression(n):
    np.random.seed(11)
    return np.random.rand(n) + 2 * np.random.randn(n) - np.random.uniform(0, 1, n), [
        np.random.randint(0, 100, 3),
        np.random.rand(2),
    ]


@pytest.mark.parametrize("sync", [False, True])
def test_operands_that_draw_run_left_to_right(sync):
    np.random.seed(11)
    want_a = np.random.rand(1000) + 2 * np.random.randn(1000) - np.random.uniform(0, 1, 1000)
    want_b = [np.random.randint(0, 100, 3), np.random.rand(2)]
    k = larix.kernel(draws_in_one_expression, sync=sync)
    for _ in range(20):  # the task executor would show a race in some runs
        a, b = k(1000)
        np.testing.assert_array_equal(a, want_a)
        np.testing.assert_array_equal(b[0], want_b[0])
        np.testing.assert_array_equal(b[1], want_b[1])
