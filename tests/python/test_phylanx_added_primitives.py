"""Phylanx's insert, normalize, lu, parallel_for_each and sleep, with Phylanx's signatures, on
both executors: against NumPy (numpy.insert, a / numpy.linalg.norm(a)), scipy.linalg.lu and
hand-computed values; their errors (class and the user's line and column); sleep's wait, its
place among the program's effects and Ctrl-C."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
import scipy.linalg

import larix

SYNC = pytest.mark.parametrize("sync", [False, True], ids=["tasks", "reference"])


def run(program: str, *args, sync: bool):
    return larix.compile(program, sync=sync)(*args)


def same(got, want) -> None:
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape, (got, want)
    np.testing.assert_array_equal(got, want)


# ---- insert (numpy.insert's results, Phylanx's insert(arr, obj, values, axis)) ------------------

V = np.array([10, 20, 30])
M = np.arange(6).reshape(2, 3)
F = np.array([[1.5, 2.5], [3.5, 4.5]])

INSERT = [
    (V, 1, 9, None),
    (V, 0, 9, None),
    (V, 3, 9, None),  # at the end
    (V, -1, 9, None),
    (V, -3, 9, None),
    (V, 1, [7, 8], None),  # one index, a block of values
    (V, [1], [7], None),
    (V, [1, 1], [7, 8], None),  # equal indices keep their order
    (V, [0, 3, -1], [5, 6, 7], None),
    (V, [2, 0], 4, None),
    (V, [], 4, None),
    (V, 1, 2.7, None),  # cast to arr's dtype
    (M, 1, 5, None),  # axis nil: flattened
    (M, 1, [7, 8, 9], 0),
    (M, 1, 7, 0),
    (M, 1, [7, 8], 1),
    (M, [1], [[7], [8]], 1),
    (M, [1, 2], [7, 8], 1),
    (M, -1, [1, 2, 3], -2),
    (M, 3, [[7], [8]], 1),
    (M, [0, 2], [[1, 2, 3], [4, 5, 6]], 0),
    (F, 1, 0, 1),
    (F, [0, 2], [9.0, 8.0], 0),
    (np.array([True, False]), 1, 2, None),
    (np.float64(3.5), 0, 1.0, None),  # a 0-d arr is flattened first
    (np.arange(24.0).reshape(2, 3, 4), 2, -1.0, 2),
]


def insert_program(obj, axis) -> str:
    obj_text = "list(" + ", ".join(map(str, obj)) + ")" if isinstance(obj, list) else str(obj)
    axis_text = "nil" if axis is None else str(axis)
    return f"define(f, a, v, insert(a, {obj_text}, v, {axis_text})) f"


@SYNC
@pytest.mark.parametrize(("arr", "obj", "values", "axis"), INSERT)
def test_insert_against_numpy(arr, obj, values, axis, sync):
    want = np.insert(arr, obj, values, axis=axis)
    same(run(insert_program(obj, axis), arr, np.asarray(values), sync=sync), want)


@SYNC
def test_insert_keywords_and_defaults(sync):
    same(run("insert([1, 2, 3], 1, 9)", sync=sync), np.insert([1, 2, 3], 1, 9))
    got = run(
        "define(f, a, insert(a, __arg(obj, 1), __arg(values, 0), __arg(axis, 1))) f", M, sync=sync
    )
    same(got, np.insert(M, 1, 0, axis=1))
    # obj as an int array (what the Python frontend passes for np.array([...]))
    same(
        run("define(f, a, o, insert(a, o, 0)) f", V, np.array([0, 2]), sync=sync),
        np.insert(V, [0, 2], 0),
    )

    @larix.kernel(sync=sync)
    def k(a):
        return np.insert(a, 1, [7, 8], axis=1)

    same(k(M), np.insert(M, 1, [7, 8], axis=1))


INSERT_ERRORS = [
    ("insert([1, 2, 3], 4, 9)", IndexError, "index 4 is out of bounds for axis 0 with size 3"),
    ("insert([1, 2, 3], -4, 9)", IndexError, "index -4 is out of bounds"),
    (
        "insert([1, 2, 3], list(0, 5), 9)",
        IndexError,
        "index 6 is out of bounds for axis 0 with size 5",
    ),
    ("insert([1, 2, 3], 1.0, 9)", TypeError, "obj must be an int or a sequence of ints"),
    ("insert([1, 2, 3], true, 9)", TypeError, "obj must be an int or a sequence of ints"),
    ('insert([1, 2, 3], "1", 9)', TypeError, "obj must be an int or a sequence of ints"),
    ("insert([1, 2, 3], [[1]], 9)", ValueError, "must be one dimensional or scalar"),
    ("insert([1, 2, 3], 1, 9, 1)", np.exceptions.AxisError, "axis 1 is out of bounds"),
    ("insert([[0, 1, 2], [3, 4, 5]], 1, [1, 2], 0)", ValueError, "could not broadcast"),
    ('insert("abc", 1, 9)', TypeError, "insert() arr must be an array"),
]


@SYNC
@pytest.mark.parametrize(("program", "cls", "text"), INSERT_ERRORS)
def test_insert_errors(program, cls, text, sync):
    with pytest.raises(cls, match=_escape(text)) as info:
        larix.compile(program, sync=sync)()
    assert isinstance(info.value, larix.Error)
    assert (info.value.line, info.value.column) == (1, 1)


def _escape(text: str) -> str:
    import re

    return re.escape(text)


# ---- normalize (Phylanx's: v / norm(v), a zero vector stays zero) -------------------------------


@SYNC
@pytest.mark.parametrize(
    "v",
    [
        np.array([3.0, 4.0]),
        np.array([1, 2, 2]),
        np.array([-1.5, 0.0, 2.25, 7.0]),
        np.array([1.0, 2.0, 3.0], dtype=np.float32),
        np.array([True, False, True]),
        np.array([1e200, 1e200]),  # the square overflows; so does NumPy's norm
        np.linspace(-1, 1, 101),
    ],
)
def test_normalize_against_numpy(v, sync):
    with np.errstate(all="ignore"):
        want = np.asarray(v, dtype=np.float32 if v.dtype == np.float32 else np.float64)
        want = want / np.linalg.norm(want)
    got = run("define(f, v, normalize(v)) f", v, sync=sync)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-6 if v.dtype == np.float32 else 1e-15)


@SYNC
def test_normalize_hand_values(sync):
    same(run("normalize([3, 4])", sync=sync), np.array([0.6, 0.8]))
    same(run("normalize([0.0, 0.0, 0.0])", sync=sync), np.zeros(3))  # Blaze's: no nan
    same(run("normalize([0, -5])", sync=sync), np.array([0.0, -1.0]))
    same(run("define(f, v, normalize(v)) f", np.zeros(0), sync=sync), np.zeros(0))
    got = run("normalize([2.0, 0.0]) == [1.0, 0.0]", sync=sync)
    assert got.tolist() == [True, True]


@SYNC
@pytest.mark.parametrize(
    ("program", "cls", "text"),
    [
        ("normalize(5.0)", ValueError, "must be a vector (1-d), not 0-d"),
        ("normalize([[3.0, 4.0]])", ValueError, "must be a vector (1-d), not 2-d"),
        ('normalize("ab")', TypeError, "normalize() v must be an array"),
        ("normalize(list(3, 4), 1)", larix.CompileError, "normalize"),
    ],
)
def test_normalize_errors(program, cls, text, sync):
    with pytest.raises(cls, match=_escape(text)) as info:
        larix.compile(program, sync=sync)()
    assert (info.value.line, info.value.column) == (1, 1)


# ---- lu (Phylanx's: list(L, U, P) with m == L @ U @ P) ----------------------------------------


def check_lu(a, parts, rtol=1e-12) -> None:
    lower, upper, perm = (np.asarray(p) for p in parts)
    r, c = a.shape
    k = min(r, c)
    assert lower.shape == (r, k) and upper.shape == (k, c) and perm.shape == (c, c)
    np.testing.assert_allclose(lower @ upper @ perm, a, rtol=rtol, atol=rtol * max(1, abs(a).max()))
    assert np.array_equal(lower, np.tril(lower))
    assert np.array_equal(upper, np.triu(upper)) and np.all(np.diag(upper) == 1)
    assert np.array_equal(np.sort(perm, axis=0)[-1], np.ones(c)) and perm.sum() == c
    # the same factorisation as scipy's of the transpose (row pivoting), transposed back
    if k:
        p, l_, u = scipy.linalg.lu(a.T)
        np.testing.assert_allclose(lower, u.T, rtol=rtol, atol=1e-12)
        np.testing.assert_allclose(upper, l_.T, rtol=rtol, atol=1e-12)
        np.testing.assert_array_equal(perm, p.T)


@SYNC
def test_lu_hand_values(sync):
    # Phylanx's documented example: no pivoting needed (ties keep the first column)
    lower, upper, perm = run("lu([[10, -10, 0], [-3, 15, 6], [5, 7, 5]])", sync=sync)
    same(lower, np.array([[10.0, 0, 0], [-3, 12, 0], [5, 12, -1]]))
    same(upper, np.array([[1.0, -1, 0], [0, 1, 0.5], [0, 0, 1]]))
    same(perm, np.eye(3))
    # a pivot: the second column of [[1, 2], [3, 4]] is larger in the first row
    lower, upper, perm = run("lu([[1.0, 2.0], [3.0, 4.0]])", sync=sync)
    same(lower, np.array([[2.0, 0.0], [4.0, 1.0]]))
    same(upper, np.array([[1.0, 0.5], [0.0, 1.0]]))
    same(perm, np.array([[0.0, 1.0], [1.0, 0.0]]))
    # Phylanx's usage: the factors by position
    program = """
    define(A, [[2.0, 7.0, 1.0], [8.0, 1.0, 3.0], [4.0, 2.0, 9.0]])
    define(b, lu(A))
    all(dot(dot(slice(b, 0), slice(b, 1)), slice(b, 2)) == A)"""
    assert bool(run(program, sync=sync)) is True


@SYNC
@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (5, 5), (4, 6), (6, 4), (1, 5), (5, 1)])
def test_lu_against_scipy(shape, sync):
    a = np.random.default_rng(sum(shape)).standard_normal(shape)
    check_lu(a, run("define(f, m, lu(m)) f", a, sync=sync))


@SYNC
def test_lu_dtypes_and_special_matrices(sync):
    f = larix.compile("define(f, m, lu(m)) f", sync=sync)
    m32 = np.array([[4.0, 3.0], [6.0, 3.0]], dtype=np.float32)
    parts = f(m32)
    assert all(p.dtype == np.float32 for p in parts)
    check_lu(m32.astype(np.float64), [p.astype(np.float64) for p in parts], rtol=1e-6)
    ints = np.array([[0, 1], [1, 0]])
    parts = f(ints)
    assert all(p.dtype == np.float64 for p in parts)
    check_lu(ints.astype(np.float64), parts)
    singular = np.array([[1.0, 2.0], [2.0, 4.0]])
    parts = f(singular)
    check_lu(singular, parts)
    assert parts[0][1, 1] == 0  # the zero pivot sits on L's diagonal
    zeros = f(np.zeros((2, 2)))
    same(zeros[2], np.eye(2))
    empty = f(np.zeros((0, 3)))
    assert [p.shape for p in empty] == [(0, 0), (0, 3), (3, 3)]
    same(empty[2], np.eye(3))


@SYNC
@pytest.mark.parametrize(
    ("program", "cls", "text"),
    [
        ("lu([1.0, 2.0])", ValueError, "must be a matrix (2-d), not 1-d"),
        ("lu(3)", ValueError, "must be a matrix (2-d), not 0-d"),
        ("lu([[[1.0]]])", ValueError, "not 3-d"),
        ('lu("m")', TypeError, "lu() m must be an array"),
        ("lu()", larix.CompileError, "lu"),
    ],
)
def test_lu_errors(program, cls, text, sync):
    with pytest.raises(cls, match=_escape(text)) as info:
        larix.compile(program, sync=sync)()
    assert (info.value.line, info.value.column) == (1, 1)


# ---- parallel_for_each (for_each's calls, run as parallel tasks; nil) ---------------------------


@SYNC
def test_parallel_for_each_makes_every_call_and_gives_nil(sync, capfd):
    got = run('parallel_for_each(lambda(x, print("item", x)), list(3, 1, 2))', sync=sync)
    assert got is None
    out, _ = capfd.readouterr()
    assert sorted(out.splitlines()) == ["item 1", "item 2", "item 3"]
    # over an array's rows, a dict's keys and a string's characters, as for_each
    run("parallel_for_each(lambda(r, print(sum(r))), [[1, 2], [3, 4]])", sync=sync)
    run('parallel_for_each(lambda(k, print(k)), dict(list(list("a", 1), list("b", 2))))', sync=sync)
    run('parallel_for_each(lambda(c, print(c)), "xy")', sync=sync)
    assert run("parallel_for_each(lambda(x, x), list())", sync=sync) is None
    out, _ = capfd.readouterr()
    assert sorted(out.splitlines()) == ["3", "7", "a", "b", "x", "y"]


@SYNC
def test_parallel_for_each_results_match_for_each(sync, capfd):
    def lines(program: str) -> list[str]:
        run(program, sync=sync)
        return sorted(capfd.readouterr()[0].splitlines())

    body = "lambda(x, print(x, x * x, exp(x)))"
    items = "list(" + ", ".join(map(str, range(40))) + ")"
    assert lines(f"parallel_for_each({body}, {items})") == lines(f"for_each({body}, {items})")


def test_parallel_for_each_runs_its_calls_at_once(capfd):
    # Each call prints its start and end times; run at once, two calls' intervals overlap (one
    # after the other, none would), however slow the machine.
    if larix.threads() < 2:
        pytest.skip("needs two threads")
    body = 'block(print(x, "start", __clock()), sleep(100), print(x, "end", __clock()))'
    larix.eval(f"parallel_for_each(lambda(x, {body}), list(1, 2, 3, 4))")
    times: dict[str, dict[str, float]] = {}
    for line in capfd.readouterr()[0].splitlines():
        item, what, at = line.split()
        times.setdefault(item, {})[what] = float(at)
    spans = sorted((t["start"], t["end"]) for t in times.values())
    assert len(spans) == 4
    assert any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:]))


@SYNC
def test_parallel_for_each_errors(sync):
    program = "parallel_for_each(lambda(x, 1 / x[0]), list([1], [2], 5))"
    with pytest.raises(larix.Error) as info:
        run(program, sync=sync)
    assert info.value.line == 1
    with pytest.raises(TypeError, match="parallel_for_each"):
        run("parallel_for_each(lambda(x, x), 5)", sync=sync)
    with pytest.raises(larix.CompileError):
        run("parallel_for_each(lambda(x, x))", sync=sync)


def test_parallel_for_each_function_is_seen_by_the_dependency_analysis():
    # The call stores into t; the statement after it must wait for it.
    program = """
    define(t, 0)
    define(set_t, x, store(t, x))
    parallel_for_each(set_t, list(7))
    t"""
    for sync in (False, True):
        assert run(program, sync=sync) == 7


# ---- sleep (Phylanx's: milliseconds; nil) -------------------------------------------------------


@SYNC
def test_sleep_waits_and_gives_nil(sync):
    start = time.monotonic()
    assert run("sleep(120)", sync=sync) is None
    assert time.monotonic() - start >= 0.12
    assert run("define(f, ms, sleep(ms)) f", np.int64(0), sync=sync) is None


@SYNC
def test_sleep_is_ordered_with_output(sync, capfd):
    program = 'block(print("a"), sleep(150), print("b"))'
    start = time.monotonic()
    run(program, sync=sync)
    assert time.monotonic() - start >= 0.15
    assert capfd.readouterr()[0].splitlines() == ["a", "b"]


def test_sleep_lets_independent_work_go_on():
    # The statement after the sleep does not wait for it (no variable, no effect in common); the
    # program's value waits for both.
    program = "block(define(t0, __clock()), sleep(300), define(t1, __clock()), t1 - t0)"
    start = time.monotonic()
    assert larix.eval(program) < 0.2
    assert time.monotonic() - start >= 0.3
    assert larix.compile(program, sync=True)() >= 0.3  # the reference executor: one at a time
    # Two sleeps are effects: one after the other.
    start = time.monotonic()
    larix.eval("block(sleep(150), sleep(150))")
    assert time.monotonic() - start >= 0.3


@SYNC
@pytest.mark.parametrize(
    ("program", "cls", "text"),
    [
        ("sleep(1.5)", TypeError, "sleep(): the time must be an int (milliseconds), not float"),
        ('sleep("1")', TypeError, "must be an int (milliseconds)"),
        ("sleep(true)", TypeError, "must be an int (milliseconds)"),
        ("sleep(-1)", ValueError, "sleep(): the time must be non-negative, not -1"),
        ("sleep()", larix.CompileError, "sleep"),
    ],
)
def test_sleep_errors(program, cls, text, sync):
    with pytest.raises(cls, match=_escape(text)) as info:
        larix.compile(program, sync=sync)()
    assert (info.value.line, info.value.column) == (1, 1)


@pytest.mark.parametrize("sync", [False, True])
def test_sigint_stops_a_sleep(sync):
    script = textwrap.dedent(
        f"""
        import os, signal, threading, time
        import larix
        threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
        start = time.monotonic()
        try:
            larix.compile("sleep(60000)", sync={sync})()
            print("returned")
        except KeyboardInterrupt:
            print("interrupted", time.monotonic() - start < 5)
        print("next", larix.eval("sleep(1)"))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.stdout.split("\n")[:2] == ["interrupted True", "next None"], out.stdout + out.stderr


# ---- the five from a Phylanx-style script (larix.compat.phylanx) --------------------------------


def test_phylanx_decorator_calls_the_new_primitives():
    from larix.compat.phylanx import Phylanx

    @Phylanx
    def script(a, v):
        factors = lu(a)  # noqa: F821 - PhySL primitives, as a Phylanx script calls them
        sleep(1)  # noqa: F821
        return [factors[0], normalize(v), insert(v, 1, 0.0)]  # noqa: F821

    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    v = np.array([3.0, 4.0])
    lower, unit, inserted = script(a, v)
    same(lower, np.array([[2.0, 0.0], [4.0, 1.0]]))
    same(unit, np.array([0.6, 0.8]))
    same(inserted, np.array([3.0, 0.0, 4.0]))
