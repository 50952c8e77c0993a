"""Parallel loops: `for` loops the compiler proves independent, `larix.prange` loops the program
promises to be, what stays sequential and why, and results equal to plain Python at 1, 2 and 4
threads and on the reference executor."""

import inspect
import subprocess

import numpy as np
import pytest
from larix.examples import als as als_examples

import larix

THREADS = [1, 2, 4]


@pytest.fixture(params=THREADS)
def threads(request):
    larix.init(request.param)
    yield request.param
    larix.init()


def loop_at(fn, fragment):
    """The Loop report of the loop whose `for` line contains `fragment`."""
    lines, first = inspect.getsourcelines(fn)
    for i, line in enumerate(lines):
        if "for " in line and fragment in line:
            row = first + i
            break
    else:
        raise AssertionError(f"no for loop with {fragment!r} in {fn.__name__}")
    found = [loop for loop in larix.kernel(fn).loops if loop.line == row]
    assert len(found) == 1, larix.kernel(fn).loops
    return found[0]


def line_of(fn, fragment):
    lines, first = inspect.getsourcelines(fn)
    for i, line in enumerate(lines):
        if fragment in line:
            return first + i
    raise AssertionError(fragment)


# ---- loops that must become parallel ------------------------------------------------------------


def rows_written(a):
    out = np.zeros((a.shape[0], 3))
    for u in range(a.shape[0]):
        v = a[u] * 2.0
        out[u, :] = np.array([v.sum(), v.max(), v.min()])
    return out


def columns_written(a):
    out = np.zeros((4, a.shape[0]))
    for i in range(a.shape[0]):
        out[:, i] = a[i] + i
    return out


def nested(n, m):
    out = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            out[i, j] = i * 10 + j
    return out


def private_values_after(a):
    out = np.zeros(a.shape[0])
    t = -1.0
    for i in range(a.shape[0]):
        t = a[i] * 3.0
        out[i] = t
    return out, t, i


def own_row_read(a):
    x = a.copy()
    for i in range(x.shape[0]):
        x[i] = x[i] * 2.0
        x[i, 0] = x[i, 1] + 1000.0
    return x


def own_row_kept(a):
    x = a.copy()
    for i in range(x.shape[0]):
        r = x[i]
        x[i] = r * 2.0
        x[i, 0] = r[0] + 1000.0  # Larix's values: r is what x[i] was before the write above
    return x


def backwards(a):
    out = np.zeros(a.shape[0])
    for i in range(a.shape[0] - 1, -1, -1):
        out[i] = a[i] * i
    return out


def over_rows(a):
    out = np.zeros(a.shape[0])
    for k, row in enumerate(a):
        out[k] = (row * row).sum()
    return out


def alias_kept(a):
    x = np.ones(a.shape[0])
    y = x
    for i in range(a.shape[0]):
        x[i] = a[i]
    return x, y


def input_untouched(a):
    for i in range(a.shape[0]):
        a[i] = i
    return a


def extremes(a):
    top = -1.0
    low = 0
    for i in range(a.shape[0]):
        top = max(top, a[i] * 2.0)
        low = np.minimum(low, -i)
    return top, low


def counts(a):
    above = 0
    index_sum = 0
    out = np.zeros(a.shape[0])
    for i in range(a.shape[0]):
        if a[i] > 0.5:
            above += 1
        index_sum += 2 * i - 1
        out[i] = a[i]
    return above, index_sum, out


def counts_from_float(a):
    above = 0.0  # a float total: the loop stays sequential at run time, with the same result
    for i in range(a.shape[0]):
        if a[i] > 0.5:
            above += 1
    return above


PARALLEL = [
    (extremes, "i in"),
    (counts, "i in"),
    (counts_from_float, "i in"),
    (rows_written, "u in"),
    (columns_written, "i in"),
    (nested, "i in"),
    (nested, "j in"),
    (private_values_after, "i in"),
    (own_row_read, "i in"),
    (own_row_kept, "i in"),
    (backwards, "i in"),
    (over_rows, "row in"),
    (alias_kept, "i in"),
    (input_untouched, "i in"),
]


@pytest.mark.parametrize("fn, fragment", PARALLEL, ids=[f"{f.__name__}:{s}" for f, s in PARALLEL])
def test_loop_becomes_parallel(fn, fragment):
    loop = loop_at(fn, fragment)
    assert loop.parallel, str(loop)
    assert str(loop).endswith("for loop: parallel")


def test_als_loops_are_parallel():
    for kernel in (als_examples.als, als_examples.als_efficient):
        loops = kernel.loops
        inner = [loop for loop in loops if loop.parallel]
        outer = [loop for loop in loops if not loop.parallel]
        assert len(inner) == 2 and len(outer) == 1, loops
        # every iteration of the outer loop rewrites all of X and Y (the user and item loops do)
        assert "'X' is written at an index that does not depend on" in outer[0].why


def same(got, want):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            same(g, w)
        return
    if isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)
        return
    if isinstance(want, np.generic):  # NumPy scalars: np.longlong and np.int64 are one dtype
        assert isinstance(got, np.generic) and got.dtype == want.dtype and got == want
        return
    assert type(got) is type(want) and got == want


ARGS = {
    extremes: lambda rng: (rng.random(999),),
    counts: lambda rng: (rng.random(1001),),
    counts_from_float: lambda rng: (rng.random(1001),),
    rows_written: lambda rng: (rng.random((37, 5)),),
    columns_written: lambda rng: (rng.random((29, 4)),),
    nested: lambda rng: (23, 7),
    private_values_after: lambda rng: (rng.random(41),),
    own_row_read: lambda rng: (rng.random((19, 3)),),
    backwards: lambda rng: (rng.random(33),),
    over_rows: lambda rng: (rng.random((21, 4)),),
    input_untouched: lambda rng: (rng.random(9),),
}


@pytest.mark.parametrize("sync", [False, True])
@pytest.mark.parametrize("fn", list(ARGS), ids=[f.__name__ for f in ARGS])
def test_parallel_loop_results_equal_python(fn, sync, threads):
    args = ARGS[fn](np.random.default_rng(7))
    want = fn(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
    for _ in range(3):  # the first run (cost unknown) and measured runs chunk differently
        copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
        got = larix.kernel(fn, sync=sync)(*copies)
        same(got, want)
        for a, c in zip(args, copies):  # inputs are never written
            if isinstance(a, np.ndarray):
                np.testing.assert_array_equal(a, c)


@pytest.mark.parametrize("fn", [rows_written, own_row_kept, alias_kept])
def test_same_results_with_parallel_loops_off(fn, threads):
    rng = np.random.default_rng(3)
    a = rng.random((40, 6)) if fn is not alias_kept else rng.random(40)
    k = larix.kernel(fn)
    assert all(loop.parallel for loop in k.loops)
    off = larix.compile(k.physl, parallel_loops=False, file=k._current()[0].file)
    assert not any(loop.parallel for loop in off.loops)
    for _ in range(3):
        got, want = k(a), off(a)  # a Program returns lists where a kernel returns tuples
        same(
            tuple(got) if isinstance(want, list) else got,
            tuple(want) if isinstance(want, list) else want,
        )
    if fn is own_row_kept:  # a view in NumPy, a value in Larix: r[0] is the old x[i, 0]
        np.testing.assert_array_equal(k(a)[:, 0], a[:, 0] + 1000.0)
    if fn is alias_kept:  # two names never alias one array in Larix: y keeps its ones
        x, y = k(a)
        np.testing.assert_array_equal(x, a)
        np.testing.assert_array_equal(y, np.ones(40))


# ---- loops that must stay sequential, and why ----------------------------------------------------


def carried(a):
    s = 0.0
    for i in range(a.shape[0]):
        s = s + a[i]
    return s


def decays(a):
    s = 0.0
    for i in range(a.shape[0]):
        s = s * 0.5 + a[i]
    return s


def neighbour(a):
    x = a.copy()
    for i in range(1, x.shape[0]):
        x[i] = x[i - 1] + a[i]
    return x


def prints(a):
    out = np.zeros(a.shape[0])
    for i in range(a.shape[0]):
        print(i)
        out[i] = a[i]
    return out


def draws(a):
    out = np.zeros(a.shape[0])
    for i in range(a.shape[0]):
        out[i] = np.random.rand() + a[i]
    return out


def breaks(a):
    out = np.zeros(a.shape[0])
    for i in range(a.shape[0]):
        if a[i] > 0.5:
            break
        out[i] = a[i]
    return out


def same_element(a):
    out = np.zeros(3)
    for i in range(a.shape[0]):
        out[0] = a[i]
    return out


def conditional_then_used(a):
    t = 0.0
    out = np.zeros(a.shape[0])
    for i in range(a.shape[0]):
        if a[i] > 0.5:
            t = a[i]
        out[i] = 1.0
    return out, t


def calls_reader(a):
    out = np.zeros(a.shape[0])
    t = 0.0

    def shifted(x):
        return x + t

    for i in range(a.shape[0]):
        t = a[i]
        out[i] = shifted(1.0)  # shifted reads the t of this iteration
    return out


SEQUENTIAL = [
    (calls_reader, "which reads 't', a variable the loop assigns", "shifted(1.0)"),
    (carried, "'s' is summed over the iterations", "s = s + a[i]"),
    (decays, "'s' is carried from one iteration to the next", "s * 0.5"),
    (neighbour, "'x' is read at another iteration's index", "x[i - 1]"),
    (prints, "ordered effect", "print(i)"),
    (draws, "ordered effect", "np.random.rand()"),
    (breaks, "break", None),
    (same_element, "does not depend on the loop variable", "out[0] = a[i]"),
    (conditional_then_used, "'t' is assigned in some iterations only", "t = a[i]"),
]


@pytest.mark.parametrize("fn, reason, at", SEQUENTIAL, ids=[f[0].__name__ for f in SEQUENTIAL])
def test_loop_stays_sequential_with_reason(fn, reason, at, capsys):
    loop = loop_at(fn, "i in")
    assert not loop.parallel
    assert reason in loop.why
    if at is not None:
        assert loop.where is not None and loop.where[1] == line_of(fn, at)
    larix.explain(larix.kernel(fn))
    printed = capsys.readouterr().out
    assert "sequential: " in printed and reason in printed


@pytest.mark.parametrize(
    "fn", [carried, decays, neighbour, breaks, same_element, conditional_then_used, calls_reader]
)
def test_sequential_loops_still_give_pythons_results(fn, threads):
    a = np.random.default_rng(11).random(25)
    same(larix.kernel(fn)(a.copy()), fn(a.copy()))


# ---- larix.prange: the program's promise ---------------------------------------------------------


def prange_rows(a):
    out = np.zeros((a.shape[0], a.shape[1]))
    for u in larix.prange(a.shape[0]):
        out[u, :] = a[u] * u
    return out


def prange_list(n):
    out = [0] * n
    for i in larix.prange(n):
        out[i] = i * i
    return out


def test_prange_writing_rows_compiles_and_runs(threads):
    a = np.random.default_rng(5).random((50, 4))
    k = larix.kernel(prange_rows)
    assert all(loop.parallel for loop in k.loops)
    same(k(a), prange_rows(a))


def test_prange_on_a_list_runs_sequentially_with_the_same_result(threads):
    assert larix.kernel(prange_list)(30) == [i * i for i in range(30)]


def prange_sums(a):
    s = 0.0
    count = 0
    for i in larix.prange(a.shape[0]):
        s += a[i] * a[i]
        if a[i] > 0.5:
            count += 1
    return s, count


def test_prange_sums_are_the_same_at_every_thread_count():
    a = np.random.default_rng(9).random(1001)
    k = larix.kernel(prange_sums)
    assert k.loops[0].parallel
    results = []
    for n in THREADS:
        larix.init(n)
        try:
            results += [k(a), larix.kernel(prange_sums, sync=True)(a)]
        finally:
            larix.init()
    s, count = results[0]
    assert all(r == results[0] for r in results)  # the same bits
    assert count == int((a > 0.5).sum()) and type(count) is int
    assert s == pytest.approx(float((a * a).sum()), rel=1e-13)


def prange_same_element(n):
    out = np.zeros(3)
    for i in larix.prange(n):
        out[0] = i
    return out


def prange_neighbour(n):
    out = np.zeros(n)
    for i in larix.prange(1, n):
        out[i] = out[i - 1] + 1.0
    return out


def prange_carried(n):
    t = 0
    for i in larix.prange(n):
        t = i - t  # read before assigned: carried
    return t


def prange_variable_step(n, stride):
    out = np.zeros(n)
    for i in larix.prange(0, n, stride + 0):
        out[i] = i
    return out


PRANGE_ERRORS = [
    (prange_variable_step, "stride + 0", "the step of a larix.prange loop must be a constant"),
    (prange_same_element, "out[0] = i", "does not depend on the loop variable 'i'"),
    (prange_neighbour, "out[i - 1]", "'out' is read at another iteration's index"),
    (prange_carried, "t  # read", "'t' is carried from one iteration to the next"),
]


@pytest.mark.parametrize(
    "fn, fragment, message", PRANGE_ERRORS, ids=[f[0].__name__ for f in PRANGE_ERRORS]
)
def test_broken_prange_promise_is_a_compile_error(fn, fragment, message):
    with pytest.raises(larix.CompileError) as info:
        larix.kernel(fn)
    err = info.value
    assert message in err.message
    lines, first = inspect.getsourcelines(fn)
    for i, line in enumerate(lines):
        if fragment in line:
            assert (err.file, err.line) == (__file__, first + i)
            assert err.column == line.index(fragment) + 1
            break
    else:
        raise AssertionError(fragment)
    assert "^" in str(err)


# ---- errors inside a parallel loop ---------------------------------------------------------------


def fails_in_one_iteration(a, bad):
    out = np.zeros(a.shape[0])
    for i in range(a.shape[0]):
        out[i] = a[i] + a[i + bad]
    return out


def test_an_error_in_one_iteration_reaches_the_caller_with_its_line(threads):
    a = np.arange(64.0)
    k = larix.kernel(fails_in_one_iteration)
    assert k.loops[0].parallel
    np.testing.assert_array_equal(k(a, 0), a * 2)
    with pytest.raises(larix.LarixIndexError) as info:
        k(a, 64)
    assert info.value.line == line_of(fails_in_one_iteration, "a[i + bad]")


# ---- PhySL: the same loops, the dump, parallel_for ----------------------------------------------

PHYSL_ROWS = """
define(rows, a, block(
    define(out, zeros(shape(a))),
    for(define(i, 0), i < shape(a, 0), store(i, i + 1),
        store(slice(out, i, nil), slice(a, i, nil) * 2.0)),
    out))
rows
"""


def test_physl_for_loop_is_made_parallel_and_shown_in_the_dump(threads):
    p = larix.compile(PHYSL_ROWS)
    assert [(loop.line, loop.parallel) for loop in p.loops] == [(4, True)]
    a = np.random.default_rng(1).random((30, 3))
    np.testing.assert_array_equal(p(a), a * 2.0)
    assert "parallel_for(" in p.dump_tree() or "parallel" in p.dump_tree()


def test_physl_parallel_for_with_a_bad_index_is_a_compile_error():
    text = (
        "define(f, n, block(define(out, zeros(n)),\n"
        "  parallel_for(define(i, 0), i < n, store(i, i + 1), store(slice(out, 0), i)), out))\nf"
    )
    with pytest.raises(larix.CompileError) as info:
        larix.compile(text)
    assert "does not depend on the loop variable 'i'" in info.value.message
    assert info.value.line == 2


def test_physl_parallel_for_needs_the_counting_form():
    text = (
        "define(f, n, block(define(s, 0),\n"
        "  parallel_for(define(i, 0), i < n, store(i, i * 2), 1)))\nf"
    )
    with pytest.raises(larix.CompileError) as info:
        larix.compile(text)
    assert "parallel_for needs the form" in info.value.message


# ---- ALS, unchanged in source, gives NumPy's factors ---------------------------------------------


@pytest.mark.parametrize("kernel", ["als", "als_efficient"])
def test_als_parallel_equals_numpy(kernel, threads):
    rng = np.random.default_rng(2)
    ratings = np.where(rng.random((23, 31)) < 0.3, rng.integers(1, 6, (23, 31)), 0).astype(float)
    x0, y0 = als_examples.initial_factors(23, 31, 4, seed=1)
    k = getattr(als_examples, kernel)
    got = k(ratings, x0, y0, iterations=2)
    want = k.python(ratings, x0, y0, iterations=2)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)


# ---- fmap of a function without effects runs its calls at once ---------------------------------


def test_fmap_of_a_pure_function_becomes_parallel_map(threads):
    text = "define(f, n, fmap(lambda(k, sum(exp(linspace(0, k, 50)))), range(n))) f"
    p = larix.compile(text)
    assert "parallel_map" in p.dump_tree() and "fmap" not in p.dump_tree()
    want = [float(np.exp(np.linspace(0, k, 50)).sum()) for k in range(300)]
    got, reference = p(300), larix.compile(text, sync=True)(300)
    assert len(got) == len(reference) == 300
    np.testing.assert_allclose(got, want, rtol=1e-13)  # vmath's exp: within 2 ulp of NumPy's
    np.testing.assert_array_equal(got, reference)


@pytest.mark.parametrize(
    "text",
    [
        "fmap(lambda(x, block(cout(x), x * 2)), list(1, 2, 3))",  # prints: in order
        "block(define(n, 0), fmap(lambda(x, block(store(n, x), x)), list(1)), n)",  # assigns n
        "define(g, h, fmap(h, list(1, 2))) g",  # h may be any function
    ],
)
def test_fmap_with_effects_stays_in_order(text):
    assert "fmap" in larix.compile(text).dump_tree()


def test_dump_after_parallel_loops_shows_each_loop(tmp_path):
    path = tmp_path / "loops.physl"
    path.write_text(
        PHYSL_ROWS
        + "define(s, 0)\nfor(define(i, 0), i < 5, store(i, i + 1), store(s, s * 2 + i))\n"
    )
    out = subprocess.run(
        ["larix", "dump-tree", str(path), "--dump-after", "parallel_loops"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert "// after parallel_loops" in out
    assert "parallel_for(define(i, 0), __lt(i, shape(a, 0))" in out
    assert "// loop at 4:5: parallel" in out
    assert (
        "// loop at 9:1: sequential: 's' is carried from one iteration to the next "
        "(read before it is assigned) (at 9:52)" in out
    )


def _fill_and_remember(x, n, s):
    t = 0
    for i in range(1, n, s):
        x[i] = i * 2.0
        t = i
    return x, i, t


def _rebind_each_iteration(n):
    r = np.zeros(3)
    for _ in range(n):
        r = r + 1.0
    return r


@pytest.mark.parametrize("options", [{}, {"sync": True}, {"threads": 1}, {"threads": 2}])
def test_a_parallel_loop_run_one_iteration_after_another_leaves_python_values(options):
    # One thread, the reference executor or a loop too short to split: the parallel loop runs its
    # iterations in order, counting in C++; the values after it are Python's.
    fill = larix.kernel(_fill_and_remember, **options)
    rebind = larix.kernel(_rebind_each_iteration, **options)
    for n, s in ((2, 1), (6, 1), (9, 3), (30, 2), (200, 7)):
        got, want = fill(np.zeros(200), n, s), _fill_and_remember(np.zeros(200), n, s)
        np.testing.assert_array_equal(got[0], want[0])
        assert got[1:] == want[1:]
        np.testing.assert_array_equal(rebind(n), _rebind_each_iteration(n))


# ---- the loop's arrays in each chunk: private handles of the same memory ------------------------


def _last_alias_then_written(n):
    x = np.zeros(n)
    y = np.ones(n)
    for _ in range(n):
        r = x
        s = y
    r += 1.0  # r holds x's memory: the write must copy (names never alias, docs/python.md)
    s[0] = 5.0
    return x, r, y, s


def _owned_rows_and_shared_reads(a):
    out = np.zeros((a.shape[0], 2))
    for u in range(a.shape[0]):
        out[u, :] = np.array([a[u].sum(), (a @ a[u]).sum()])
    return out


def test_arrays_read_in_parallel_chunks_stay_values(threads):
    # Each chunk reads the loop's arrays through a handle of its own (no reference count shared
    # between threads); a value that leaves the loop through such a handle is still copied on
    # write, and the owned array written through the chunks' handles is the array itself.
    alias = larix.kernel(_last_alias_then_written)
    assert alias.loops[0].parallel
    for n in (1, 7, 64, 1000):
        x, r, y, s = alias(n)
        np.testing.assert_array_equal(x, np.zeros(n))
        np.testing.assert_array_equal(r, np.ones(n))
        np.testing.assert_array_equal(y, np.ones(n))
        np.testing.assert_array_equal(s, np.r_[5.0, np.ones(n - 1)])
        r[0] = 7.0  # results are the caller's own arrays
        np.testing.assert_array_equal(x, np.zeros(n))
    rows = larix.kernel(_owned_rows_and_shared_reads)
    assert rows.loops[0].parallel
    a = np.random.default_rng(3).random((300, 5))
    np.testing.assert_allclose(rows(a), _owned_rows_and_shared_reads(a), rtol=1e-13)


GLOBAL_READS = """
define(table, linspace(0, 1, 8))
define(weights, list(linspace(1, 2, 8), 3.0))
define(f, a, n, block(
    define(out, zeros(list(n, 8))),
    for(define(i, 0), i < n, store(i, i + 1),
        store(__subscript(out, i), __subscript(a, i) * table + __subscript(weights, 0))),
    list(out, table)))
f
"""


def test_chunks_read_the_enclosing_frames_arrays(threads):
    # The program's variables (an enclosing frame of f's) are read through the chunks' own
    # handles too; the values are the program's, and stay its own after the loop.
    p = larix.compile(GLOBAL_READS)
    assert [loop.parallel for loop in p.loops] == [True]
    a = np.random.default_rng(5).random(500)
    table, weights = np.linspace(0, 1, 8), np.linspace(1, 2, 8)
    for _ in range(2):
        out, back = p(a, 500)
        np.testing.assert_array_equal(out, a[:, None] * table + weights)
        np.testing.assert_array_equal(back, table)
        back[0] = 9.0  # the caller's copy, not the program's variable


CALLS_IN_CHUNKS = """
define(offsets, linspace(0, 1, 6))
define(shift, v, v + offsets)
define(twice, v, shift(v) * 2.0)
define(f, a, n, block(
    define(out, zeros(list(n, 6))),
    for(define(i, 0), i < n, store(i, i + 1),
        store(__subscript(out, i), twice(__subscript(a, i)))),
    list(out, twice(0.0))))
f
"""


def test_functions_called_in_chunks_see_the_programs_values(threads):
    # twice and shift are defined in the program's frame; each chunk calls them below its own copy
    # of that frame (their references counted there), and they read the program's values; after
    # the loop they are the program's functions again.
    p = larix.compile(CALLS_IN_CHUNKS)
    assert [loop.parallel for loop in p.loops] == [True]
    a = np.random.default_rng(7).random(700)
    offsets = np.linspace(0, 1, 6)
    for _ in range(2):
        out, after = p(a, 700)
        np.testing.assert_array_equal(out, (a[:, None] + offsets) * 2.0)
        np.testing.assert_array_equal(after, offsets * 2.0)


ESCAPING_FUNCTIONS = """
define(g, 1.0)
define(make, x, lambda(y, x + y + g))
define(f, n, block(
    define(out, zeros(n)),
    define(h, 0),
    define(k, 0),
    for(define(i, 0), i < n, store(i, i + 1),
        block(store(h, make(i)), store(k, lambda(y, y + g + i)),
              store(__subscript(out, i), i * 2.0))),
    store(g, 100.0),
    list(out, h(0.0), k(0.0))))
f
"""


@pytest.mark.parametrize("sync", [False, True])
def test_functions_made_in_a_parallel_loop_see_the_variables_after_it(sync, threads):
    # The last iteration's functions leave the loop: make(49) reads the program's g, and the
    # lambda the function's i (50 after the loop, as in Python) and g, as they are when called,
    # not as the chunk that made them saw them (which gave 50.0 and 149.0; a lambda made in a
    # chunk was an internal error).
    p = larix.compile(ESCAPING_FUNCTIONS, sync=sync)
    assert [loop.parallel for loop in p.loops] == [True]
    out, h, k = p(50)
    np.testing.assert_array_equal(out, np.arange(50) * 2.0)
    assert (h, k) == (49 + 0.0 + 100.0, 0.0 + 100.0 + 50)
