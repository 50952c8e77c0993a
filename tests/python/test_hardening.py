"""Bad input gives a clean error of the right class, never a crash, a hang or a wrong answer
(issue 12): dead code that would raise, results that alias program constants, kernel arity,
checked 64-bit size arithmetic, the rank limit, Ctrl-C, deep recursion and nesting, and errors
of the wrong class."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import larix

BIG = 2**63 - 1
# The `larix` console script installed beside this Python.
LARIX_TOOL = os.path.join(os.path.dirname(sys.executable), "larix")


def both(text: str, *args, sync: bool = False):
    """The program's value optimised and unoptimised (they must agree, errors included)."""
    out = []
    for optimize in (True, False):
        out.append(larix.compile(text, optimize=optimize, sync=sync)(*args))
    return out


# ---- 1. dead code never hides an error ---------------------------------------------------------

RAISING_DEAD_CODE = [
    ("define(a, [1.0, 2.0]) slice(a, 5) 42", larix.LarixIndexError),
    ("define(a, [1.0, 2.0]) define(b, slice(a, 5)) 42", larix.LarixIndexError),
    ('define(a, [1.0, 2.0]) a + "s" 42', larix.LarixTypeError),
    ("define(a, [1.0, 2.0]) define(b, reshape(a, list(3))) 42", larix.LarixValueError),
    ("define(f, x, block(slice(x, 9), 1)) f([1, 2])", larix.LarixIndexError),
    ("if(false, define(x, 1), 0) x 42", larix.LarixRuntimeError),
]


@pytest.mark.parametrize("sync", [False, True])
@pytest.mark.parametrize("optimize", [True, False])
@pytest.mark.parametrize("text,cls", RAISING_DEAD_CODE)
def test_dead_code_that_raises_still_raises(text, cls, optimize, sync):
    with pytest.raises(cls):
        larix.compile(text, optimize=optimize, sync=sync)()


def test_dead_code_without_errors_is_still_dropped(tmp_path):
    text = "define(a, [1.0, 2.0]) define(unused, lambda(x, x)) 3 a define(k, a) 42"
    assert both(text) == [42, 42]
    path = tmp_path / "p.physl"
    path.write_text(text)
    out = subprocess.run(
        [LARIX_TOOL, "dump-tree", str(path), "--dump-after", "dead_code"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    after = out.stdout.split("// after dead_code")[-1]  # the statements that cannot raise are gone
    assert "define(a" in after and "unused" not in after and "define(k" not in after


def test_kernel_dead_index_raises():
    @larix.kernel
    def dead_index(a):
        b = a[10]  # noqa: F841 - unused on purpose: Python raises here
        return 1

    with pytest.raises(IndexError) as python_error:
        dead_index.python(np.zeros(3))
    assert python_error.type is IndexError
    with pytest.raises(larix.LarixIndexError):
        dead_index(np.zeros(3))


# ---- 1. results never alias program constants --------------------------------------------------


def _mutate_and_recall(fn, *args):
    first = fn(*args)
    if isinstance(first, np.ndarray) and first.flags.writeable:
        first[...] = 99
    return first, fn(*args)


def test_kernel_constant_result_is_fresh():
    @larix.kernel
    def kz():
        return np.zeros(3)

    _, second = _mutate_and_recall(kz)
    np.testing.assert_array_equal(second, np.zeros(3))


@pytest.mark.parametrize(
    "text",
    [
        "[1.0, 2.0, 3.0]",
        "define(C, [1.0, 2.0, 3.0]) define(f, C * 1.0) f",
        "define(C, [1.0, 2.0, 3.0]) define(f, C) f",
        "define(f, zeros(3)) f",
        "define_global(g, [1.0, 2.0, 3.0]) define(f, g) f",
        "list([1.0, 2.0, 3.0])",
    ],
)
@pytest.mark.parametrize("optimize", [True, False])
def test_program_constant_results_are_fresh(text, optimize):
    program = larix.compile(text, optimize=optimize)
    first = program()
    expected = [np.array(x, copy=True) for x in (first if isinstance(first, list) else [first])]
    for x in first if isinstance(first, list) else [first]:
        if x.flags.writeable:
            x[...] = 99
    again = program()
    for got, want in zip(again if isinstance(again, list) else [again], expected):
        np.testing.assert_array_equal(got, want)


CAPTURED = np.arange(3.0)


def test_captured_module_array_is_not_written_through():
    @larix.kernel
    def captured():
        return CAPTURED

    r = captured()
    if r.flags.writeable:
        r[0] = 99
    np.testing.assert_array_equal(CAPTURED, np.arange(3.0))
    np.testing.assert_array_equal(captured(), np.arange(3.0))
    c = r.copy()
    c[0] = 5  # a copy is writable, as in NumPy
    assert c[0] == 5


def test_same_array_twice_in_a_result():
    a, b = larix.eval("define(x, zeros(2) + 1) list(x, x)")
    a[0] = 7
    assert b[0] == 1


# ---- 1. kernel arity as Python ----------------------------------------------------------------


@larix.kernel
def arity(a, b=2, *, c=3):
    return a + b + c


def test_kernel_arity_as_python():
    assert arity(1) == 6
    assert arity(1, 5) == 9
    assert arity(1, c=10) == 13
    assert arity(a=1, b=1, c=1) == 3
    with pytest.raises(TypeError):
        arity.python()
    with pytest.raises(larix.LarixTypeError, match="missing"):
        arity()
    with pytest.raises(TypeError):
        arity.python(1, 2, 3)
    with pytest.raises(larix.LarixTypeError):
        arity(1, 2, 3)
    with pytest.raises(larix.LarixTypeError):
        arity(1, d=4)


def test_required_keyword_only():
    @larix.kernel
    def kw(a, *, c):
        return a * c

    assert kw(2, c=3) == 6
    with pytest.raises(larix.LarixTypeError):
        kw(2)
    with pytest.raises(larix.LarixTypeError):
        kw(2, 3)


def test_async_and_sync_executors_agree_on_define_in_list():
    text = "list(define(b, 2), b)"
    results = {
        repr(larix.compile(text, sync=s, optimize=o)())
        for s in (False, True)
        for o in (False, True)
    }
    assert len(results) == 1, results


# ---- 2. checked 64-bit arithmetic and the rank limit ------------------------------------------

TOO_BIG = [
    "zeros(list(2305843009213693952))",
    "zeros(list(4611686018427387904, 4611686018427387904))",
    "zeros(list(0, 4611686018427387904, 4611686018427387904))",
    "identity(4294967296)",
    f"eye({BIG})",
    f"tri({BIG})",
    f"random_sample({BIG})",
    "ones(list(2305843009213693952, 8))",
]


@pytest.mark.parametrize("optimize", [True, False])
@pytest.mark.parametrize("text", TOO_BIG)
def test_too_big_is_a_value_error(text, optimize):
    # NumPy: "array is too big" (a ValueError), at once; also when folded at compile time.
    with pytest.raises(ValueError):
        larix.compile(text, optimize=optimize)()


def test_numpy_agrees_that_these_are_too_big():
    for make in (lambda: np.zeros(2**61 * 8), lambda: np.eye(BIG), lambda: np.identity(2**32)):
        with pytest.raises(ValueError):
            make()


def test_unallocatable_is_a_memory_error():
    with pytest.raises(larix.LarixMemoryError) as e:
        larix.eval("zeros(list(1099511627776, 1024))")  # 8 PiB: fits int64, not memory
    assert isinstance(e.value, MemoryError) and isinstance(e.value, larix.Error)


@pytest.mark.parametrize(
    "text,expected",
    [
        (f"__mul(list(), {BIG})", []),
        (f'__mul("", {BIG})', ""),
        (f"__mul(list(1), -{BIG})", []),
        ("__mul(list(1, 2), 2)", [1, 2, 1, 2]),
    ],
)
def test_repeat_of_empty_or_by_huge_counts_is_immediate(text, expected):
    assert larix.eval(text) == expected


def test_repeat_too_long():
    with pytest.raises(larix.LarixMemoryError):
        larix.eval(f"__mul(list(1), {BIG})")
    with pytest.raises(larix.LarixOverflowError):
        larix.eval(f'__mul("ab", {2**62})')


@pytest.mark.parametrize(
    "expr",
    [
        f"np.arange({BIG - 2}, {BIG})",
        f"np.arange({-BIG - 1}, {-BIG + 2})",
        f"np.arange(0, {BIG}, {2**62})",
        f"np.arange({BIG}, 0, {-(2**62)})",
        f"np.eye(3, k={-BIG - 1})",
        f"np.eye(3, k={BIG})",
        "np.eye(3, 4, k=-2)",
        f"np.triu(np.ones((3, 3)), {BIG})",
        f"np.tril(np.ones((3, 3)), {BIG})",
        "np.tril(np.ones((3, 4)), -1)",
        f"np.ones(5)[{BIG}:{-BIG - 1}:{-BIG - 1}]",
        f"np.ones(5)[{-BIG - 1}:{BIG}:{BIG}]",
        f"np.arange(5.0)[::{BIG}]",
        f"np.arange(5.0)[::{-BIG - 1}]",
        f"np.arange(5.0)[{BIG}:]",
        f"np.arange(5.0)[:{-BIG - 1}:-1]",
    ],
)
def test_huge_bounds_as_numpy(expr, tmp_path):
    kernel = larix.kernel(_function_from_file(tmp_path, f"def f():\n    return {expr}\n"))
    np.testing.assert_array_equal(kernel(), eval(expr, {"np": np}))  # noqa: S307


def _function_from_file(tmp_path, source: str):
    """f from a module file (the frontend reads a kernel's source)."""
    import importlib.util

    path = tmp_path / f"m{abs(hash(source))}.py"
    path.write_text("import numpy as np\n\n" + source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.f


def test_triangles_with_int64_min():
    # NumPy itself overflows computing k - 1 here; the answer is every element.
    np.testing.assert_array_equal(
        larix.eval(f"triu(ones(list(3, 3)), {-BIG - 1})"), np.ones((3, 3))
    )
    np.testing.assert_array_equal(
        larix.eval(f"tril(ones(list(3, 3)), {-BIG - 1})"), np.zeros((3, 3))
    )


def test_matrix_power_by_int64_min_terminates():
    # -2**63: its magnitude does not fit int64; 64 squarings of the inverse, at once.
    r = larix.eval(f"matrix_power(eye(2), {-BIG - 1})")
    np.testing.assert_array_equal(r, np.eye(2))


def test_list_slices_with_huge_bounds():
    for lo, hi, step in [(BIG, -BIG - 1, -BIG - 1), (-BIG - 1, BIG, BIG), (0, BIG, 2**62)]:
        text = f"slice(list(1, 2, 3, 4), list({lo}, {hi}, {step}))"
        assert larix.eval(text) == [1, 2, 3, 4][lo:hi:step]


def test_sum_of_a_too_big_array_is_not_zero():
    with pytest.raises(ValueError):
        larix.eval("sum(ones(list(2305843009213693952, 8)))")


@pytest.mark.parametrize("optimize", [True, False])
def test_rank_limit_in_creation(optimize):
    ones = ", ".join(["1"] * 65)
    with pytest.raises(larix.LarixValueError, match="64"):
        larix.compile(f"zeros(list({ones}))", optimize=optimize)()
    ones = ", ".join(["1"] * 200)
    with pytest.raises(larix.LarixValueError, match="64"):
        larix.compile(f"zeros(list({ones}))", optimize=optimize)()
    ones64 = ", ".join(["1"] * 64)
    assert larix.eval(f"zeros(list({ones64}))").ndim == 64


def test_rank_limit_in_reshape_and_expand():
    with pytest.raises(larix.LarixValueError, match="64"):
        larix.eval("define(f, a, reshape(a, list(" + ", ".join(["1"] * 65) + "))) f", np.ones(1))


def _npy_with_header(path, shape_text: str, payload: bytes = b"") -> None:
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape_text + ", }"
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    path.write_bytes(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode())
    with open(path, "ab") as f:
        f.write(payload)


def test_npy_header_claims_too_much(tmp_path):
    p = tmp_path / "huge.npy"
    _npy_with_header(p, "(4294967296, 4294967296)", b"\0" * 64)
    with pytest.raises(ValueError):
        larix.eval(f'load("{p}")')
    p2 = tmp_path / "big.npy"
    _npy_with_header(p2, "(1000, 1000)", b"\0" * 64)
    with pytest.raises(ValueError, match="read"):
        larix.eval(f'load("{p2}")')


def test_npy_header_with_65_dimensions(tmp_path):
    p = tmp_path / "deep.npy"
    _npy_with_header(p, "(" + "1, " * 65 + ")", b"\0" * 8)
    with pytest.raises(larix.LarixValueError, match="64"):
        larix.eval(f'load("{p}")')


# ---- 3. Ctrl-C ----------------------------------------------------------------------------------

INTERRUPT_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys, threading, time
    import larix

    def ring(delay):
        threading.Timer(delay, os.kill, (os.getpid(), signal.SIGINT)).start()

    @larix.kernel
    def spin(n):
        i = 0
        while True:
            i = i + n
        return i

    forever = larix.compile("define(f, n, block(while(true, 1), n)) f", sync=SYNC)

    def profiled():
        with larix.profile():
            forever(1)

    calls = (("physl", lambda: forever(1)), ("kernel", lambda: spin(1)), ("profiled", profiled))
    for what, call in calls:
        ring(0.3)
        start = time.monotonic()
        try:
            call()
            print(what, "returned")
        except KeyboardInterrupt:
            print(what, "interrupted", round(time.monotonic() - start, 1) < 5)
        # The runtime takes the next call as usual.
        print(what, "next", larix.eval("fold_left(__add, 0, list(1, 2, 3))"))
    """
)


@pytest.mark.parametrize("sync", [False, True])
def test_sigint_interrupts_a_running_call(sync, tmp_path):
    script = tmp_path / "interrupt.py"  # a file: the frontend reads the kernel's source
    script.write_text(INTERRUPT_SCRIPT.replace("SYNC", str(sync)))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:6] == [
        "physl interrupted True",
        "physl next 6",
        "kernel interrupted True",
        "kernel next 6",
        "profiled interrupted True",
        "profiled next 6",
    ], out.stdout + out.stderr


def test_sigint_with_a_custom_handler_and_from_the_cli(tmp_path):
    script = textwrap.dedent(
        """
        import os, signal, threading
        import larix
        seen = []
        signal.signal(signal.SIGINT, lambda *a: seen.append(1))
        threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
        try:
            larix.eval("while(true, 1)")
        except KeyboardInterrupt:
            print("keyboard interrupt")
        print("handler ran", seen == [1])
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.stdout.split("\n")[:2] == ["keyboard interrupt", "handler ran True"], out.stderr


def test_sigint_after_python_replaced_the_handler_between_calls(tmp_path):
    # A call does not ask the system for SIGINT's handler each time (that costs a third of an
    # empty call): a new handler object is seen at once, the same object set again (a save and
    # restore, as Jupyter makes around each cell) after 50 ms.
    script = textwrap.dedent(
        """
        import os, signal, threading, time
        import larix

        def attempt(what):
            threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
            try:
                larix.eval("while(true, 1)")
                print(what, "returned")
            except KeyboardInterrupt:
                print(what, "interrupted")

        def handler(*args):
            raise KeyboardInterrupt

        larix.eval("1")
        signal.signal(signal.SIGINT, handler)
        attempt("new handler")
        larix.eval("1")
        signal.signal(signal.SIGINT, signal.getsignal(signal.SIGINT))
        time.sleep(0.06)
        attempt("same handler again")
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.stdout.split("\n")[:2] == [
        "new handler interrupted",
        "same handler again interrupted",
    ], out.stderr


def test_larix_run_stops_on_sigint(tmp_path):
    path = tmp_path / "forever.physl"
    path.write_text("while(true, 1)\n")
    proc = subprocess.Popen(
        [LARIX_TOOL, "run", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        proc.communicate(timeout=1.0)
    except subprocess.TimeoutExpired:
        pass
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "KeyboardInterrupt" in err


# ---- 3. stack depth and nesting ---------------------------------------------------------------


def _nested_recursion(depth: int) -> str:
    body = "f(n - 1)"
    for _ in range(depth):
        body = f"0 + ({body})"
    return f"define(f, n, if(n == 0, 0, {body})) f"


@pytest.mark.parametrize("optimize", [True, False])
@pytest.mark.parametrize("sync", [False, True])
def test_deep_nesting_within_calls_is_a_recursion_error_or_runs(optimize, sync):
    program = larix.compile(_nested_recursion(15), optimize=optimize, sync=sync)
    assert program(50) == 0
    try:
        assert program(999) == 0
    except RecursionError as e:  # the native stack is nearly full: said so, not a crash
        assert isinstance(e, larix.LarixRecursionError)
    with pytest.raises(larix.LarixRecursionError):
        program(5000)


def test_recursion_through_async_and_parallel_map_is_limited():
    for text in (
        "define(f, n, async(f(n + 1))) f(0)",
        "define(f, n, parallel_map(lambda(x, f(x + 1)), list(n, n))) f(0)",
    ):
        with pytest.raises(larix.LarixRecursionError):
            larix.eval(text)


def _nested_list(depth: int) -> list:
    out: list = []
    for _ in range(depth):
        out = [out]
    return out


def test_deeply_nested_and_self_referential_arguments():
    identity = larix.compile("define(f, x, x) f")
    shallow = _nested_list(50)
    assert identity(shallow) == shallow
    with pytest.raises(larix.LarixRecursionError):
        identity(_nested_list(100_000))
    looped: list = [1]
    looped.append(looped)
    with pytest.raises(larix.LarixValueError, match="itself"):
        identity(looped)
    d: dict = {}
    d["me"] = d
    with pytest.raises(larix.LarixValueError, match="itself"):
        identity(d)
    shared = [1, 2]
    assert identity([shared, shared]) == [[1, 2], [1, 2]]  # shared, not circular


def test_deeply_nested_result():
    text = (
        "define(l, list()) for(define(i, 0), i < 5000, store(i, i + 1), store(l, list(l))) "
        "define(n, 0) n"
    )
    assert larix.eval(text) == 0
    with pytest.raises(larix.LarixRecursionError):
        larix.eval(
            "define(l, list()) for(define(i, 0), i < 2000, store(i, i + 1), store(l, list(l))) l"
        )


# ---- 4. errors of the right class ---------------------------------------------------------------


def test_lone_surrogates_and_odd_text():
    with pytest.raises(larix.LarixValueError):
        larix.compile("define(f, x, x) f")("\udc80")
    r = larix.eval('"\\\\é"')
    assert isinstance(r, str)


def test_linalg_of_nan_is_linalg_error():
    a = np.array([[1.0, np.nan], [3.0, 4.0]])
    for name in ("svd", "pinv", "matrix_rank"):
        with pytest.raises(np.linalg.LinAlgError):
            getattr(np.linalg, name)(a)
        with pytest.raises(larix.LinAlgError):
            larix.eval(f"define(f, a, {name}(a)) f", a)
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.lstsq(a, np.ones(2), rcond=None)
    with pytest.raises(larix.LinAlgError):
        larix.eval("define(f, a, b, lstsq(a, b)) f", a, np.ones(2))


def test_nul_in_paths(tmp_path):
    with pytest.raises(ValueError, match="null"):
        open(str(tmp_path / "a\0b"))  # noqa: SIM115 - Python's own behaviour
    (tmp_path / "a").write_text("1,2\n")  # what a path cut at the NUL would read
    for fn in ("load", "file_read_csv"):
        with pytest.raises(larix.LarixValueError, match="null"):
            larix.compile(f"define(f, p, {fn}(p)) f")(str(tmp_path / "a\0b"))
    with pytest.raises(larix.LarixValueError, match="null"):
        larix.compile("define(f, p, save(p, [1.0])) f")(str(tmp_path / "b\0c.npy"))


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_load_of_dev_zero_is_bounded():
    with pytest.raises(larix.Error):
        larix.eval('load("/dev/zero")')
    with pytest.raises(larix.LarixOSError):
        larix.eval('file_read_csv("/dev/zero")')


def test_out_of_memory_is_a_memory_error_subclass():
    assert issubclass(larix.LarixMemoryError, MemoryError)
    assert issubclass(larix.LarixMemoryError, larix.Error)
    assert issubclass(larix.LarixRecursionError, RecursionError)
    assert issubclass(larix.LarixRecursionError, larix.LarixRuntimeError)


def test_dict_with_list_keys_goes_back_with_tuple_keys():
    identity = larix.compile("define(f, x, x) f")
    assert identity({(1, 2): 3}) == {(1, 2): 3}


def test_format_counts_characters():
    for spec in ("{:.1}", "{:>3}", "{:^5}", "{:<4}|"):
        assert larix.eval(f'__format("{spec}", "é")') == spec.format("é")


def test_round_with_huge_ndigits_as_python():
    assert larix.eval("__round(2.5, 100000)") == round(2.5, 100000)
    assert larix.eval("__round(2.5, -100000)") == round(2.5, -100000)


def test_uint64_beyond_int64_passes_through_but_is_not_computed_in_int64():
    # uint64 arrays are held as they are: values of 2**63 and more move, index and convert
    # unchanged; an operation that computes in int64 refuses them instead of wrapping.
    identity = larix.compile("define(f, x, x) f")
    big = np.array([1, 2**63, 2**64 - 1], dtype=np.uint64)
    out = identity(big)
    assert out.dtype == np.uint64 and out.tolist() == big.tolist()
    moved = larix.compile("define(f, x, reshape(x, list(3, 1))) f")(big)
    assert moved.dtype == np.uint64 and moved.ravel().tolist() == big.tolist()
    as_float = larix.compile('define(f, x, astype(x, "float64")) f')(big)
    np.testing.assert_array_equal(as_float, big.astype(np.float64))
    with pytest.raises(larix.LarixOverflowError, match="2\\*\\*63"):
        larix.compile("define(f, x, __floordiv(x, 3)) f")(big)
    np.testing.assert_array_equal(
        larix.compile("define(f, x, __floordiv(x, 3)) f")(big[:1]), big[:1] // 3
    )


def test_lone_surrogates_in_program_text_and_names():
    with pytest.raises(larix.LarixValueError):
        larix.compile('"\udc80"')
    with pytest.raises(larix.LarixValueError):
        larix.compile("1", source_name="\udc80")
    with pytest.raises(larix.LarixValueError):
        larix.compile("define(f, x, x) f")(**{"\udc80": 1})


# ---- ragged nested lists as array operands (found by the eval fuzzer) --------------------------


@pytest.mark.parametrize("sync", [False, True])
@pytest.mark.parametrize("optimize", [False, True])
@pytest.mark.parametrize(
    "operand", ["list(5, list(1, 2, 3))", "list(list(1, 2), 5)", "list(5, list())"]
)
def test_a_ragged_list_operand_is_a_value_error(operand, optimize, sync):
    # A number before a list on the same level once passed the check, and the array read past
    # the values it had (NumPy: "inhomogeneous shape", a ValueError).
    program = larix.compile(f"__mul({operand}, sum(3))", optimize=optimize, sync=sync)
    with pytest.raises(larix.LarixValueError, match="ragged nested list"):
        program()


def test_a_regular_nested_list_operand_still_converts():
    got = larix.eval("__mul(list(list(1, 2), list(3, 4)), sum(3))")
    np.testing.assert_array_equal(got, np.array([[1, 2], [3, 4]]) * 3)


# ---- empty arrays with huge leading dimensions (found by the eval fuzzer) ---------------------

HUGE_EMPTY = "reshape(zeros(0), list(1099511627776, 0))"


def test_a_huge_empty_array_compiles_and_prints_at_once(capfd):
    # Its nested form has 2**40 bracket pairs: common-subexpression keys and cout printed it
    # (the fuzzer's program ran out of memory inside compile).
    text = f"block(define(a, {HUGE_EMPTY}), define(b, {HUGE_EMPTY}), cout(a), list(a, b, shape(a)))"
    a, b, shape = larix.eval(text)
    assert a.shape == b.shape == (2**40, 0) and list(shape) == [2**40, 0]
    assert capfd.readouterr().out == "[], shape=(1099511627776, 0)\n"


def test_an_empty_array_of_few_rows_keeps_its_nested_form(capfd):
    larix.eval("cout(reshape(zeros(0), list(3, 0)), zeros(0))")
    assert capfd.readouterr().out == "[[], [], []] []\n"


@pytest.mark.parametrize("optimize", [False, True])
def test_empty_constants_of_different_shapes_stay_apart(optimize):
    # Empty arrays of shape (0, 3) and (0,) both print as []; common subexpressions must not
    # merge them (their keys carry the type, with dtype and shape).
    empty_2d = "reshape(zeros(0), list(0, 3))"
    body = f"__add(ndim(__add({empty_2d}, x)), __mul(10, ndim(__add(zeros(0), x))))"
    text = f"define(f, x, {body}) f(0.0)"
    assert larix.compile(text, optimize=optimize)() == 2 + 10 * 1
