"""Scalar code (compiler/scalar_code.hpp, runtime/scalar_node.hpp): every fast path of a ScalarNode
against the generic path of the same program, and against CPython. The generic path is the same
compiled program run with the profiler on (a ScalarNode then runs its generic subtree), and the
program compiled with optimize=False (no scalar code at all): values and types, and errors (class,
message, line, column, PhySL stack) must be the same. At 1, 2 and 4 threads and on the reference
executor."""

from __future__ import annotations

import math
import subprocess

import numpy as np
import pytest

import larix

EXECUTORS = [(1, False), (2, False), (4, False), (2, True)]
# Larix promotes as NumPy 2 does (NEP 50) whatever NumPy is installed; a comparison with NumPy's
# own scalar arithmetic holds only with NumPy 2 (scripts/check_pythons.sh runs NumPy 1.26 too).
NUMPY_1 = np.lib.NumpyVersion(np.__version__) < "2.0.0"
NEP_50 = pytest.mark.skipif(NUMPY_1, reason="NumPy 1's value-based promotion is not NEP 50's")


@pytest.fixture(params=EXECUTORS, ids=["threads1", "threads2", "threads4", "reference"])
def sync(request):
    threads, sync = request.param
    larix.init(threads)
    yield sync
    larix.init()


def outcome(prog: larix.Program, *args, profile: bool = False):
    """What a call gives: ("value", type, repr), ("array", dtype, shape, elements) or ("error",
    class, message, line, column, PhySL stack)."""
    try:
        if profile:
            with larix.profile():
                value = prog(*args)
        else:
            value = prog(*args)
    except larix.Error as e:
        return ("error", type(e), str(e), e.line, e.column, e.physl_stack)
    if isinstance(value, np.ndarray):
        return ("array", value.dtype, value.shape, value.tolist())
    return ("value", type(value), repr(value))


def check_same(text: str, *args, sync: bool, scalar: bool = True):
    """The program's outcome with scalar code equals the generic path's (both references)."""
    prog = larix.compile(text, sync=sync)
    if scalar:
        assert "scalar" in prog.dump_tree(), prog.dump_tree()
    got = outcome(prog, *args)
    assert got == outcome(prog, *args, profile=True)
    assert got == outcome(larix.compile(text, sync=sync, optimize=False), *args)
    return got


# ---- every operator over ints, floats and bools -------------------------------------------------

# PhySL's names of Python's + - * / // % ** == != < <= > >= and or ^ (// starts a comment).
BINARY = ["__add", "__sub", "__mul", "__div", "__floordiv", "__mod", "power", "__eq", "__ne",
          "__lt", "__le", "__gt", "__ge", "__and", "__or", "__xor"]  # fmt: skip
OPERANDS = [0, 1, -1, 3, -7, 2, 2**62, -(2**63), 2**63 - 1, 0.0, -0.0, 1.5, -2.5, 1e308,
            math.inf, -math.inf, math.nan, True, False]  # fmt: skip


@pytest.mark.parametrize("op", BINARY)
def test_binary_operators(op, sync):
    text = f"define(f, a, b, {op}(a, b)) f"
    prog = larix.compile(text, sync=sync)
    generic = larix.compile(text, sync=sync, optimize=False)
    assert "scalar" in prog.dump_tree()
    for a in OPERANDS:
        for b in OPERANDS:
            got = outcome(prog, a, b)
            assert got == outcome(generic, a, b), (a, op, b)
            assert got == outcome(prog, a, b, profile=True), (a, op, b)


@pytest.mark.parametrize("op", ["-", "!"])
def test_unary_operators(op, sync):
    text = f"define(f, a, {op}a) f"
    prog = larix.compile(text, sync=sync)
    generic = larix.compile(text, sync=sync, optimize=False)
    for a in OPERANDS + ["text", [1, 2]]:
        assert outcome(prog, a) == outcome(generic, a), (op, a)


def test_truth_of_numbers_matches_python(sync):
    cond = larix.compile("define(f, a, if(a, 1, 0)) f", sync=sync)
    loop = larix.compile(
        "define(f, a, block(define(k, 0), while(a, block(store(a, 0), store(k, 1))), k)) f",
        sync=sync,
    )
    logic = larix.compile("define(f, a, b, list(a && b, a || b, __xor(a, b), !a)) f", sync=sync)
    for a in OPERANDS:
        assert cond(a) == loop(a) == int(bool(a)), a
        for b in OPERANDS:
            want = [bool(a) and bool(b), bool(a) or bool(b), bool(a) != bool(b), not a]
            assert logic(a, b) == want, (a, b)


def test_values_and_types_match_python(sync):
    cases = [
        ("a + b", 7, 3),
        ("a - b", 7, 3.5),
        ("a * b", True, 3),
        ("a / b", 7, 2),
        ("a // b", -7, 2),
        ("a % b", -7, 2),
        ("a ** b", 2, -1),
        ("a ** b", 3, 4),
        ("a // b", -7.5, 2),
        ("a % b", 7, -3.0),
        ("a < b", 2**53 + 1, 2.0**53),
        ("a == b", 1, 1.0),
    ]
    for expr, a, b in cases:
        physl = expr.replace("a // b", "__floordiv(a, b)").replace("a ** b", "power(a, b)")
        got = larix.compile(f"define(f, a, b, {physl}) f", sync=sync)(a, b)
        want = eval(expr, {"a": a, "b": b})  # noqa: S307 - the test's own expressions
        assert type(got) is type(want) and got == want, (expr, got, want)


# ---- int64: wraps where the generic path wraps, errors where it errs ------------------------


@pytest.mark.parametrize(
    "expr, args",
    [
        ("a * b", (2**62, 4)),
        ("a + b", (2**63 - 1, 1)),
        ("a - b", (-(2**63), 1)),
        ("a ** b", (3, 64)),
        ("a // b", (-(2**63), -1)),
        ("a % b", (-(2**63), -1)),
        ("-a", (-(2**63),)),
        ("a // b", (5, 0)),
        ("a % b", (5, 0)),
        ("a / b", (5, 0)),
        ("a / b", (5.0, 0.0)),
        ("a // b", (5.0, 0.0)),
        ("a ** b", (0, -1)),
        ("a ** b", (0.0, -2.0)),
    ],
)
def test_overflow_and_division_by_zero(expr, args, sync):
    names = ", ".join("ab"[: len(args)])
    physl = expr.replace("a // b", "__floordiv(a, b)").replace("a ** b", "power(a, b)")
    check_same(f"define(f, {names}, {physl}) f", *args, sync=sync)


def test_division_by_zero_in_a_loop_reports_its_place(sync):
    text = """define(f, n, block(
    define(s, 0),
    define(i, 0),
    while(i < n, block(
        store(s, s + __floordiv(10, 3 - i)),
        store(i, i + 1))),
    s))
f"""
    assert check_same(text, 2, sync=sync) == ("value", int, "8")
    kind, cls, message, line, column, stack = check_same(text, 5, sync=sync)
    assert kind == "error" and issubclass(cls, ZeroDivisionError)
    assert (line, column) == (5, 22) and "integer division or modulo by zero" in message


# ---- control flow ------------------------------------------------------------------------------

COLLATZ = """define(steps, n, block(
    define(k, 0),
    while(n != 1, block(
        if(n % 2 == 0, store(n, __floordiv(n, 2)), store(n, 3 * n + 1)),
        store(k, k + 1))),
    k))
steps"""

NESTED = """define(f, n, block(
    define(s, 0.0),
    for(define(i, 0), i < n, store(i, i + 1),
        for(define(j, 0), j < i, store(j, j + 1),
            if(i % 3 == 0 && j > 1 || !(j < 5), store(s, s + i * j / 2), store(s, s - 1)))),
    s))
f"""


def collatz(n):
    k = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        k += 1
    return k


def nested(n):
    s = 0.0
    for i in range(n):
        for j in range(i):
            if (i % 3 == 0 and j > 1) or not (j < 5):
                s = s + i * j / 2
            else:
                s = s - 1
    return s


def test_if_while_for_nested(sync):
    for n in [1, 7, 27, 97]:
        assert check_same(COLLATZ, n, sync=sync) == ("value", int, repr(collatz(n)))
    for n in [0, 1, 5, 40]:
        assert check_same(NESTED, n, sync=sync) == ("value", float, repr(nested(n)))


def test_if_values_and_nil():
    prog = larix.compile("define(f, a, if(a > 0, a * 2)) f")
    assert prog(3) == 6 and prog(-3) is None


def test_block_value_and_define_value():
    assert larix.compile("define(f, a, block(define(b, a + 1), b * 2)) f")(1) == 4
    assert larix.compile("define(f, a, define(b, a + 1)) f")(1) == 2
    assert larix.compile("define(f, a, block(store(a, a + 1))) f")(1) is None


def test_used_before_defined(sync):
    text = "define(f, a, block(if(a, define(x, 1)), x + 1)) f"
    assert check_same(text, True, sync=sync) == ("value", int, "2")
    kind, cls, message, line, column, _ = check_same(text, False, sync=sync)
    assert kind == "error" and "variable 'x' is used before it is defined" in message
    assert (line, column) == (1, 41)


def test_truth_of_an_array_condition(sync):
    text = (
        "define(f, a, block(define(k, 0), while(a, block(store(a, a - 1), store(k, k + 1))), k)) f"
    )
    assert check_same(text, 3, sync=sync) == ("value", int, "3")
    assert check_same(text, np.array([2]), sync=sync)[0] == "value"
    kind, _, message, line, column, _ = check_same(text, np.array([1, 2]), sync=sync)
    assert kind == "error" and "ambiguous" in message and (line, column) == (1, 34)


# ---- calls of known functions, recursion --------------------------------------------------------

WHILE = """define(f, n, block(
    define(s, 0),
    define(i, 0),
    while(i < n, block(store(s, s + i), store(i, i + 1))),
    s))
f"""
FIB = "define(fib, n, if(n < 2, n, fib(n - 1) + fib(n - 2))) fib"
SUM_OF_SQUARES = """define(f, n, block(
    define(sq, k, k * k),
    define(sumsq, k, if(k == 0, 0, sq(k) + sumsq(k - 1))),
    sumsq(n)))
f"""
DEEP = "define(down, n, if(n == 0, 0, 1 + down(n - 1))) down"


def test_recursion(sync):
    for n in [0, 1, 2, 10, 20]:
        want = n if n < 2 else None
        got = check_same(FIB, n, sync=sync)
        if want is not None:
            assert got == ("value", int, repr(want))
    assert larix.compile(FIB, sync=sync)(20) == 6765
    assert check_same(SUM_OF_SQUARES, 300, sync=sync) == (
        "value",
        int,
        repr(sum(k * k for k in range(301))),
    )
    assert check_same(FIB, 5.5, sync=sync)[0] == "value"  # floats too


def test_recursion_depth_limit():
    # The generic path resets the depth in a spawned task, so the references run on one thread.
    prog = larix.compile(DEEP)
    for sync, threads in [(True, 2), (False, 1)]:
        larix.init(threads)
        try:
            prog = larix.compile(DEEP, sync=sync)
            assert check_same(DEEP, 900, sync=sync) == ("value", int, "900")
            kind, cls, message, line, column, stack = outcome(prog, 5000)
            assert kind == "error" and issubclass(cls, RuntimeError)
            assert "maximum recursion depth exceeded (1000 nested calls) calling 'down'" in message
            assert (line, column) == (1, 35) and len(stack) == 1000
            assert stack[0][0] == "down" and stack[0][2:] == (1, 35)
            assert (kind, cls, message, line, column, stack) == outcome(prog, 5000, profile=True)
        finally:
            larix.init()


def test_error_in_a_callee_has_the_physl_stack(sync):
    text = """define(f, n, block(
    define(g, k, __floordiv(10, k)),
    define(h, k, g(k - 1) + 1),
    h(n)))
f"""
    assert check_same(text, 3, sync=sync) == ("value", int, "6")
    kind, cls, _, line, column, stack = check_same(text, 1, sync=sync)
    assert kind == "error" and issubclass(cls, ZeroDivisionError) and (line, column) == (2, 18)
    assert [(name, ln, col) for name, _, ln, col in stack] == [
        ("g", 3, 18),
        ("h", 4, 5),
        ("f", 0, 0),
    ]


def test_functions_as_values_stay_generic_in_meaning(sync):
    # A function read from a variable inside scalar code is the full closure, stored and compared
    # as the generic path does it.
    text = "define(f, a, block(define(g, x, x + a), define(h, g), h)) f"
    prog = larix.compile(text, sync=sync)
    assert prog(1)(2) == 3
    text = "define(f, a, block(define(g, x, x + a), define(h, 0), store(h, g), h == h)) f"
    assert check_same(text, 1, sync=sync, scalar=False)[0] == "value"


def test_known_function_in_a_parallel_loop():
    text = """define(run, n, block(
    define(sq, x, x * x + 1),
    define(out, zeros(n)),
    for(define(i, 0), i < n, store(i, i + 1), store(slice(out, i), sq(i))),
    out))
run"""
    for threads in [1, 2, 4]:
        larix.init(threads)
        try:
            got = larix.compile(text)(1000)
            np.testing.assert_array_equal(got, np.arange(1000.0) ** 2 + 1)
        finally:
            larix.init()


# ---- values that are not Python scalars flow through the generic kernels ------------------------


def test_arrays_flowing_into_scalar_code(sync):
    text = "define(f, a, b, a * 2 + b - 1) f"
    x = np.arange(6.0).reshape(2, 3)
    got = check_same(text, x, 1.5, sync=sync)
    assert got[0] == "array" and got[3] == (x * 2 + 1.5 - 1).tolist()
    assert check_same(text, 3, 1.5, sync=sync) == ("value", float, "6.5")
    kind, cls, message, *_ = check_same(text, x, np.ones(2), sync=sync)
    assert kind == "error" and issubclass(cls, ValueError)


def test_a_loop_whose_value_becomes_an_array(sync):
    text = """define(f, x, n, block(
    define(s, 0),
    define(i, 0),
    while(i < n, block(store(s, s + x * i), store(i, i + 1))),
    s))
f"""
    x = np.array([1.0, 2.0, 3.0])
    got = check_same(text, x, 5, sync=sync)
    assert got == ("array", np.dtype("float64"), (3,), (x * 10).tolist())
    prog = larix.compile(text, sync=sync)
    np.testing.assert_array_equal(prog(x, 5), x * 10)
    assert prog(2, 5) == 20  # after arrays, scalars still give the same values


def test_strings_lists_and_nil(sync):
    assert check_same("define(f, a, b, a + b) f", "ab", "cd", sync=sync) == ("value", str, "'abcd'")
    assert check_same("define(f, a, b, a * b) f", [1], 3, sync=sync)[2] == "[1, 1, 1]"
    assert check_same("define(f, a, b, a < b) f", "a", "b", sync=sync) == ("value", bool, "True")
    kind, cls, *_ = check_same("define(f, a, b, a - b) f", "a", 1, sync=sync)
    assert kind == "error" and issubclass(cls, TypeError)
    assert check_same("define(f, a, if(a, 1, 2)) f", None, sync=sync) == ("value", int, "2")


def test_temporaries_are_reused_as_in_the_generic_path():
    # 2 * a is a temporary: its buffer takes the sum (no new array for the second operation).
    prog = larix.compile("define(f, a, 2 * a + 1) f")
    a = np.ones(1 << 16)
    np.testing.assert_array_equal(prog(a), 2 * a + 1)
    np.testing.assert_array_equal(a, np.ones(1 << 16))  # the argument is never written


# ---- Python kernels ------------------------------------------------------------------------------


def py_loop(n):
    s = 0
    i = 0
    while i < n:
        if i % 3 == 0 and i > 2:
            s += i * i
        else:
            s -= 1
        i += 1
    return s


def py_gcd(a, b):
    while b != 0:
        a, b = b, a % b
    return a


def py_mean_of_squares(n):
    total = 0.0
    for k in range(1, n + 1):
        total = total + 1.0 / (k * k)
    return total


def py_fib(n):
    if n < 2:
        return n
    return py_fib(n - 1) + py_fib(n - 2)


@pytest.mark.parametrize("fn", [py_loop, py_gcd, py_mean_of_squares])
def test_kernels_match_python(fn, sync):
    kernel = larix.kernel(fn, sync=sync)
    args_list = {py_loop: [(0,), (10,), (1000,)], py_gcd: [(12, 18), (17, 5), (0, 3)]}
    for args in args_list.get(fn, [(1,), (100,)]):
        got, want = kernel(*args), fn(*args)
        assert type(got) is type(want) and got == want, (fn.__name__, args)


def test_kernel_error_points_at_the_python_line(sync):
    def divide_down(n):
        s = 0
        while n > -3:
            s = s + 100 // n
            n = n - 1
        return s

    kernel = larix.kernel(divide_down, sync=sync)
    with pytest.raises(ZeroDivisionError) as info:
        kernel(4)
    err = info.value
    assert err.file == __file__
    assert err.line == divide_down.__code__.co_firstlineno + 3
    assert "100 // n" in err.source_line
    profiled = larix.kernel(divide_down, sync=sync, profile=True)
    with pytest.raises(ZeroDivisionError) as generic:
        profiled(4)
    assert (str(generic.value), generic.value.line, generic.value.column) == (
        str(err),
        err.line,
        err.column,
    )


# ---- what the compiler shows ---------------------------------------------------------------------


def test_tree_and_pass_dump(tmp_path):
    prog = larix.compile(FIB)
    assert "scalar if" in prog.dump_tree()
    path = tmp_path / "fib.physl"
    path.write_text(COLLATZ + "\n")
    out = subprocess.run(
        ["larix", "dump-tree", str(path), "--dump-after", "scalar_code"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert "// after scalar_code" in out and "// scalar code at 1:18: block" in out


def test_profile_runs_the_generic_nodes():
    prog = larix.compile(WHILE)
    with larix.profile() as prof:
        assert prog(10) == 45
    nodes = {n["name"]: n for n in prof.nodes}
    assert nodes["__lt"]["count"] == 11 and nodes["while"]["count"] == 1
    assert nodes["scalar"]["count"] == 1


def test_fused_chains_inside_scalar_code(sync):
    # fuse_elementwise makes s + i * 2 a __fused chain; scalar code runs it on Python numbers, and
    # its generic subtree keeps the fused node for arrays.
    text = """define(f, x, n, block(
    define(s, 0),
    define(i, 0),
    while(i < n, block(store(s, s + x * i * 2 - 1), store(i, i + 1))),
    s))
f"""
    tree = larix.compile(text).dump_tree()
    assert "scalar block" in tree and "__fused" in tree
    assert check_same(text, 3, 10, sync=sync) == (
        "value",
        int,
        repr(sum(3 * i * 2 - 1 for i in range(10))),
    )
    x = np.linspace(0.0, 1.0, 5)
    got = check_same(text, x, 10, sync=sync)
    np.testing.assert_allclose(got[3], sum(x * i * 2 - 1 for i in range(10)))
    kind, cls, *_ = check_same(text, "a", 2, sync=sync)
    assert kind == "error" and issubclass(cls, TypeError)


# ---- NumPy's float64 and int64 scalars: array elements read unboxed -----------------------------

# The elements scalar code reads: float64 and int64 ones are read unboxed (strong numbers), the
# other dtypes are the kernel's 0-d views.
ELEMENT_ARRAYS = [
    np.array([0.0, -0.0, 1.5, -2.5, 1e308, math.inf, math.nan, 3.0]),
    np.array([0, 1, -1, 3, -7, 2**62, -(2**63), 2**63 - 1]),
    np.array([1.5, -2.0], dtype=np.float32),
    np.array([-7, 3], dtype=np.int32),
    np.array([True, False]),
]
ELEMENTS = [(x, i) for x in ELEMENT_ARRAYS for i in range(len(x))]
PYTHON_OPERANDS = [0, 3, -7, 2**62, 0.0, 1.5, -2.5, math.nan, True]


@pytest.fixture(params=[(1, False), (2, True)], ids=["threads1", "reference"])
def sync_two(request):
    threads, sync = request.param
    larix.init(threads)
    yield sync
    larix.init()


def nan_safe(value):
    """An outcome with NaNs made comparable (a list's NaNs are different objects)."""
    if isinstance(value, (list, tuple)):
        return type(value)(nan_safe(v) for v in value)
    return "nan" if isinstance(value, float) and math.isnan(value) else value


def scalar_and_generic(text: str, sync: bool):
    """The program compiled with scalar code (checked to have some) and without optimisation."""
    prog = larix.compile(text, sync=sync)
    assert "scalar" in prog.dump_tree(), prog.dump_tree()
    return prog, larix.compile(text, sync=sync, optimize=False)


def same_three_ways(prog, generic, *args):
    got = nan_safe(outcome(prog, *args))
    assert got == nan_safe(outcome(generic, *args)), args
    assert got == nan_safe(outcome(prog, *args, profile=True)), args
    return got


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")
@pytest.mark.parametrize("op", BINARY)
def test_operators_on_elements(op, sync_two):
    """x[i] op y[j] and x[i] op b, b op x[i] for every dtype of element and Python operand: the
    same values, types (NumPy's scalars, 0-d arrays) and errors as the generic path."""
    both = f"define(f, x, i, y, j, {op}(__subscript(x, i), __subscript(y, j))) f"
    left = f"define(f, x, i, b, {op}(__subscript(x, i), b)) f"
    right = f"define(f, x, i, b, {op}(b, __subscript(x, i))) f"
    for text in (both, left, right):
        prog, generic = scalar_and_generic(text, sync_two)
        for x, i in ELEMENTS:
            if text is both:
                for y, j in ELEMENTS:
                    same_three_ways(prog, generic, x, i, y, j)
            else:
                for b in PYTHON_OPERANDS:
                    same_three_ways(prog, generic, x, i, b)


ARITHMETIC = {"__add": "+", "__sub": "-", "__mul": "*", "__div": "/", "__lt": "<", "__eq": "=="}


@NEP_50
@pytest.mark.parametrize("op", list(ARITHMETIC))
def test_element_arithmetic_matches_numpy(op, sync_two):
    """The value and type NumPy gives for its scalars (NumPy 2's promotion: float32 with a float64
    element is float64, an int64 element with a Python float is float64)."""
    prog = larix.compile(
        f"define(f, x, i, y, j, {op}(__subscript(x, i), __subscript(y, j))) f", sync=sync_two
    )
    python = larix.compile(f"define(f, x, i, b, {op}(__subscript(x, i), b)) f", sync=sync_two)
    numeric = [(x, i) for x, i in ELEMENTS if x.dtype != np.bool_]
    with np.errstate(all="ignore"):
        for x, i in numeric:
            for y, j in numeric:
                want = eval(f"x[i] {ARITHMETIC[op]} y[j]")  # noqa: S307 - the operator's text
                if op == "__div" and y[j] == 0:
                    continue  # Larix raises ZeroDivisionError where NumPy gives inf
                got = prog(x, i, y, j)
                assert type(got) is type(want), (x[i], op, y[j])
                np.testing.assert_equal(got, want)
            for b in (3, -7, 1.5, -2.5):
                want = eval(f"x[i] {ARITHMETIC[op]} b")  # noqa: S307
                got = python(x, i, b)
                assert type(got) is type(want), (x[i], op, b)
                np.testing.assert_equal(got, want)


def test_unary_on_elements(sync_two):
    for text in (
        "define(f, x, i, -__subscript(x, i)) f",
        "define(f, x, i, !__subscript(x, i)) f",
        "define(f, x, i, if(__subscript(x, i), 1, 2)) f",
    ):
        prog = larix.compile(text, sync=sync_two)
        generic = larix.compile(text, sync=sync_two, optimize=False)
        for x, i in ELEMENTS:
            same_three_ways(prog, generic, x, i)


def test_element_indices(sync_two):
    """In-range ints (negative ones count from the end) on every axis of 1-d, 2-d, 3-d,
    transposed and strided arrays; out of range, floats, bools and too many indices are the
    kernel's errors; an int64 element as an index."""
    vector = np.arange(7.0) * 1.5
    matrix = np.arange(12, dtype=np.int64).reshape(3, 4)
    cube = np.arange(24.0).reshape(2, 3, 4)
    arrays = [
        vector,
        vector[::-2],
        matrix,
        matrix.T,
        matrix[:, 1::2],
        cube,
        cube.transpose(2, 0, 1),
    ]
    one = larix.compile("define(f, x, i, 1 * __subscript(x, i)) f", sync=sync_two)
    two = larix.compile("define(f, x, i, j, 1 * __subscript(x, i, j)) f", sync=sync_two)
    three = larix.compile("define(f, x, i, j, k, 1 * __subscript(x, i, j, k)) f", sync=sync_two)
    generic = {
        prog: larix.compile(text, sync=sync_two, optimize=False)
        for prog, text in [
            (one, "define(f, x, i, 1 * __subscript(x, i)) f"),
            (two, "define(f, x, i, j, 1 * __subscript(x, i, j)) f"),
            (three, "define(f, x, i, j, k, 1 * __subscript(x, i, j, k)) f"),
        ]
    }
    for x in arrays:
        for i in range(-x.shape[0] - 1, x.shape[0] + 1):
            got = same_three_ways(one, generic[one], x, i)
            if x.ndim == 1 and -x.shape[0] <= i < x.shape[0]:
                assert got == ("value", np.float64, repr(x[i])), (x, i)
        if x.ndim >= 2:
            for i in range(-x.shape[0], x.shape[0] + 1):
                for j in range(-x.shape[1] - 1, x.shape[1] + 1):
                    got = same_three_ways(two, generic[two], x, i, j)
                    if (
                        x.ndim == 2
                        and -x.shape[0] <= i < x.shape[0]
                        and -x.shape[1] <= j < x.shape[1]
                    ):
                        assert got == ("value", type(x[i, j]), repr(x[i, j]))
        if x.ndim == 3:
            for i, j, k in [(1, 2, 3), (-1, -1, -1), (0, 3, 0), (2, 0, 0), (0, 0, -5)]:
                same_three_ways(three, generic[three], x, i, j, k)
    for i in (1.0, True, np.int64(2), np.float64(1.0)):
        same_three_ways(one, generic[one], vector, i)
    same_three_ways(two, generic[two], vector, 1, 1)  # too many indices
    prog = larix.compile(
        "define(f, x, idx, k, 2 * __subscript(x, __subscript(idx, k))) f", sync=sync_two
    )
    for k in range(4):
        assert prog(vector, np.array([3, -1, 0, 6]), k) == 2 * vector[[3, -1, 0, 6][k]]


# Kernels whose loops read elements, against the same function under NumPy (value and type).
def py_dot(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        s = s + a[i] * b[i]
    return s


def py_int_squares(a):  # int64 elements: int64 arithmetic, wrapping as NumPy's
    s = 0
    for i in range(a.shape[0]):
        s = s + a[i] * a[i]
    return s


def py_float32_times_float64(a32, a):  # NumPy's float32 element with a float64 one: float64
    s = a32[0] * 1.0
    for i in range(a.shape[0]):
        s = s + a32[i] * a[i]
    return s


def py_count_positive(a):
    n = 0
    for i in range(a.shape[0]):
        if a[i] > 0:
            n = n + 1
    return n


def py_leaves_a_float64(a, x32):  # the last element read stays NumPy's float64 after the loop
    s = 0.0
    for i in range(a.shape[0]):
        s = a[i] * 2
    return x32 * s


def py_sum_of_last(a, x32):  # a sum of elements (sequential loop) used by array code after it
    s = a[0] - a[0]
    for i in range(a.shape[0]):
        s = s + a[i]
    return x32 * s


def py_weighted_matrix(m):
    t = 0.0
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            t = t + m[i, j] * (i - j)
    return t


def py_gather(idx, a):  # int64 elements as indices
    s = 0.0
    for k in range(idx.shape[0]):
        s = s + a[idx[k]]
    return s


def py_max_gap(a):
    best = a[1] - a[0]
    for i in range(1, a.shape[0] - 1):
        d = a[i + 1] - a[i]
        if d > best:
            best = d
    return best


ELEMENT_KERNELS = [
    (py_dot, lambda r: (r.random(50), r.random(50))),
    (py_int_squares, lambda r: (r.integers(-(2**40), 2**40, 20),)),
    (py_float32_times_float64, lambda r: (r.random(9).astype(np.float32), r.random(9))),
    (py_count_positive, lambda r: (r.standard_normal(40),)),
    pytest.param(
        py_leaves_a_float64, lambda r: (r.random(5), r.random(3).astype(np.float32)), marks=NEP_50
    ),
    pytest.param(
        py_sum_of_last, lambda r: (r.random(6), r.random(3).astype(np.float32)), marks=NEP_50
    ),
    (py_weighted_matrix, lambda r: (r.random((4, 6)).T,)),
    (py_gather, lambda r: (r.integers(-10, 10, 30), r.random(10))),
    (py_max_gap, lambda r: (np.cumsum(r.random(30)),)),
]


@pytest.mark.parametrize(
    "fn, make",
    ELEMENT_KERNELS,
    ids=[(k.values[0] if hasattr(k, "values") else k[0]).__name__ for k in ELEMENT_KERNELS],
)
def test_element_loops_match_numpy(fn, make, sync):
    args = make(np.random.default_rng(7))
    kernel = larix.kernel(fn, sync=sync)
    with np.errstate(over="ignore"):
        want = fn(*args)
    got = kernel(*args)
    assert type(got) is type(want)
    if isinstance(want, np.ndarray):
        assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_element_written_to_an_outer_variable_is_boxed(sync):
    """A function's scalar code stores an element into its caller's variable (a frame around it):
    array code reading the variable later sees NumPy's float64 (float32 * it is float64)."""
    text = """define(f, a, x, block(
    define(s, 0.0),
    define(g, i, store(s, __subscript(a, i) * 2)),
    g(1),
    list(s, x * s)))
f"""
    got = check_same(text, np.array([1.0, 2.5]), np.ones(3, dtype=np.float32), sync=sync)
    s, product = larix.compile(text, sync=sync)(np.array([1.0, 2.5]), np.ones(3, np.float32))
    assert type(s) is np.float64 and s == 5.0 and product.dtype == np.float64, got


def test_element_left_in_a_loop_variable_is_boxed(sync):
    text = """define(f, a, x, block(
    define(s, 0.0),
    for(define(i, 0), i < 3, store(i, i + 1), store(s, s + __subscript(a, i))),
    list(s, x * s)))
f"""
    got = check_same(text, np.array([1.0, 2.0, 4.0]), np.ones(2, dtype=np.float32), sync=sync)
    s, product = larix.compile(text, sync=sync)(np.array([1.0, 2.0, 4.0]), np.ones(2, np.float32))
    assert type(s) is np.float64 and s == 7.0 and product.dtype == np.float64, got


def same_error_as_generic(fn, args, cls, line, sync):
    """fn as a kernel raises cls at fn's first line + `line`, with the message and place of the
    generic path (the same kernel profiled)."""
    with pytest.raises(cls) as info:
        larix.kernel(fn, sync=sync)(*args)
    assert info.value.line == fn.__code__.co_firstlineno + line
    with pytest.raises(cls) as generic:
        larix.kernel(fn, sync=sync, profile=True)(*args)
    assert (str(generic.value), generic.value.line, generic.value.column) == (
        str(info.value),
        info.value.line,
        info.value.column,
    )
    return info.value


def test_index_error_in_an_element_loop_reports_its_place(sync):
    def read_past_the_end(a):
        s = 0.0
        for i in range(a.shape[0] + 1):
            s = s + a[i]
        return s

    error = same_error_as_generic(read_past_the_end, (np.ones(4),), IndexError, 3, sync)
    assert "out of bounds" in str(error)


def test_parallel_loop_with_a_scalar_body(sync):
    """A loop the compiler makes parallel whose body is scalar code runs its iterations in one
    call of it (at one thread, and in each chunk): the values after it as Python's."""

    def last_element_times(a, k):
        r = a[0]
        for i in range(k):
            r = a[i % 7] * 3
        return r

    def last_view(a, k):
        for i in range(k):
            r = a[i % 7]
        return r

    a = np.arange(10.0) + 0.5
    for fn in (last_element_times, last_view):
        kernel = larix.kernel(fn, sync=sync)
        assert "parallel" in str(kernel.loops)
        for k in (1, 7, 1000, 20001):
            got, want = kernel(a, k), fn(a, k)
            assert type(got) is type(want) and got == want, (fn.__name__, k)


def test_views_by_ints_and_whole_axes(sync_two):
    """x[:, i], x[i], x[i, :], x[:, :] and x[:, i, :] (ints and nils, numpy's `:`) inside a loop of
    scalar code: the view the kernel makes (values, dtype, shape) for every layout and dtype, the
    narrow ones included, and the kernel's errors out of range."""
    arrays = [
        np.arange(12.0).reshape(3, 4),
        np.arange(12, dtype=np.int32).reshape(3, 4).T,
        np.arange(24.0).reshape(2, 3, 4)[:, ::-1, 1:],
        np.array([[True, False], [False, False]]),
        np.arange(6, dtype=np.float16).reshape(2, 3),
        np.arange(6, dtype=np.int64).reshape(3, 2)[::2],
    ]
    forms = {
        "__subscript(x, nil, i)": lambda x, i: x[:, i],
        "__subscript(x, i)": lambda x, i: x[i],
        "__subscript(x, i, nil)": lambda x, i: x[i, :],
        "__subscript(x, nil, nil)": lambda x, i: x[:, :],
        "__subscript(x, nil, i, nil)": lambda x, i: x[:, i, :],
    }
    for form, numpy_form in forms.items():
        text = f"""define(f, x, i, block(
    define(r, 0),
    for(define(k, 0), k < 2, store(k, k + 1), store(r, {form})),
    r))
f"""
        prog, generic = scalar_and_generic(text, sync_two)
        for x in arrays:
            for i in range(-4, 5):
                got = same_three_ways(prog, generic, x, i)
                try:
                    want = numpy_form(x, i)
                except IndexError:
                    assert got[0] == "error" and issubclass(got[1], IndexError), (form, x, i)
                    continue
                assert got == ("array", want.dtype, want.shape, want.tolist()), (form, x, i)


# ---- element stores: x[i, ...] = v ---------------------------------------------------------------

STORE_TARGETS = [
    np.zeros(3),
    np.zeros(3, dtype=np.int64),
    np.zeros(3, dtype=np.float32),
    np.zeros(3, dtype=np.int32),
    np.zeros(3, dtype=bool),
]
STORE_VALUES = [0, 7, -(2**63), 2**62, 1.5, -2.5, math.nan, math.inf, True, np.float64(2.5),
                np.int64(-4), "text"]  # fmt: skip


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_element_stores_as_the_generic_path(sync_two):
    """x[i] = v in a loop of scalar code, for every target dtype and kind of value, in and out of
    range: the array (values, dtype) and errors of the generic path and of the unoptimised
    program; the argument itself is never written."""
    text = """define(f, x, v, i, block(
    for(define(k, 0), k < 2, store(k, k + 1), store(__subscript(x, i), v)),
    x))
f"""
    prog, generic = scalar_and_generic(text, sync_two)
    for x in STORE_TARGETS:
        for v in STORE_VALUES:
            for i in (0, 2, -1, -3, 3, -4, 1.0):
                before = x.copy()
                same_three_ways(prog, generic, x, v, i)
                np.testing.assert_array_equal(x, before)  # the argument is never written


def test_stores_never_change_another_value(sync_two):
    """A store into an array another variable, a view or a list also holds copies it first, in
    scalar code as in the generic path (values never change under their holders)."""
    loop = "define(k, 0), while(k < 3, block({body}, store(k, k + 1)))"
    programs = [
        # an alias: c keeps the old values (while loops: sequential, the writer that checks)
        "define(f, a, block(define(b, a * 1), define(c, b), "
        + loop.format(body="store(__subscript(b, k), k + 10)")
        + ", list(b, c))) f",
        # the same in a parallel loop (which makes b its own before it starts)
        "define(f, a, block(define(b, a * 1), define(c, b), for(define(k, 0), k < 3, "
        "store(k, k + 1), store(__subscript(b, k), k + 10)), list(b, c))) f",
        # a view taken before the store keeps the old values
        "define(f, a, block(define(m, a * 1), define(r, __subscript(m, 0)), "
        + loop.format(body="store(__subscript(m, k), -1.0)")
        + ", list(m, r))) f",
        # an element read in the loop is a copy: the later store does not change it
        "define(f, a, block(define(m, a * 1), define(s, 0.0), "
        + loop.format(body="block(store(s, __subscript(m, 0)), store(__subscript(m, 0), k))")
        + ", list(m, s))) f",
    ]
    for text in programs:
        prog, generic = scalar_and_generic(text, sync_two)
        got = same_three_ways(prog, generic, np.arange(3.0) + 0.5)
        assert got[0] == "value", got


def py_axpy(a, b, out):
    for i in range(a.shape[0]):
        out[i] = 2.0 * a[i] + b[i]
    return out


def py_prefix_sums(a, out):
    out[0] = a[0]
    for i in range(1, a.shape[0]):
        out[i] = out[i - 1] + a[i]
    return out


def py_fill_matrix(m):
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            m[i, j] = i * 10 + j
    return m


def py_int_update(c, a):
    for i in range(c.shape[0]):
        c[i] = c[i] * 3 + a[i]
    return c


def py_truncating_store(c, a):  # a float into an int64 array truncates (the kernel's cast)
    for i in range(c.shape[0]):
        c[i] = a[i] * 2.5
    return c


def py_float32_store(c, a):
    for i in range(c.shape[0]):
        c[i] = a[i] / 3.0
    return c


def py_reverse(a, out):
    n = a.shape[0]
    for i in range(n):
        out[n - 1 - i] = a[i]
    return out


STORE_KERNELS = [
    (py_axpy, lambda r: (r.random(37), r.random(37), np.zeros(37))),
    (py_prefix_sums, lambda r: (r.random(29), np.zeros(29))),
    (py_fill_matrix, lambda r: (np.zeros((4, 7)).T,)),
    (py_int_update, lambda r: (r.integers(-(2**40), 2**40, 15), r.integers(-9, 9, 15))),
    (py_truncating_store, lambda r: (np.zeros(9, dtype=np.int64), r.standard_normal(9) * 10)),
    (py_float32_store, lambda r: (np.zeros(9, dtype=np.float32), r.random(9))),
    (py_reverse, lambda r: (r.random(11), np.zeros(11))),
]


@pytest.mark.parametrize("fn, make", STORE_KERNELS, ids=[f.__name__ for f, _ in STORE_KERNELS])
def test_element_store_loops_match_numpy(fn, make, sync):
    args = make(np.random.default_rng(11))
    kernel = larix.kernel(fn, sync=sync)
    before = [a.copy() for a in args]
    got = kernel(*args)
    for a, b in zip(args, before):
        np.testing.assert_array_equal(a, b)  # Larix never writes its arguments
    want = fn(*[a.copy() for a in args])
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)


def test_element_store_out_of_range_reports_its_place(sync):
    def write_past_the_end(a):
        out = a * 1.0
        for i in range(a.shape[0] + 1):
            out[i] = a[i - 1] * 2
        return out

    same_error_as_generic(write_past_the_end, (np.ones(4),), IndexError, 3, sync)


def test_store_into_an_undefined_variable(sync):
    text = "define(f, a, block(if(a, define(x, 1)), store(__subscript(x, 0), 2.0), x)) f"
    kind, cls, message, line, column, stack = check_same(text, 0, sync=sync)
    assert kind == "error" and "'x' is used before it is defined" in message
