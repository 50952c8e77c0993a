"""The compiler's type inference (compiler/infer_types.cpp) against what the kernels return.

For every row of the primitive table (test_primitives_table.py), each program is compiled for the
call it is about to get (``signature``: the arguments' kinds, dtypes and ranks, with or without
their lengths), and the type inferred for the call's value is compared with the value the call
returns, wherever the inference is not "unknown": the kind (Python int/float/bool, array, ...), an
array's dtype and rank, and each length it claims to know. A rule that disagrees with its kernel
fails here. When compiling for the call raises (an error the rules proved), the call compiled
without that knowledge must raise the same class with the same message at the same place.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from table_support import PAIRS, SHAPES, Cases, Elementwise, Reduction
from test_primitives_table import ROWS, axis_choices, make_array, operand_domain, physl_value

import larix
from larix import _core

KIND_OF = {bool: "bool", int: "int", float: "float", str: "string", list: "list", dict: "dict"}


def run(program: str, args: tuple) -> tuple[Any, BaseException | None]:
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return larix.compile(program)(*args), None
        except larix.Error as error:
            return None, error


def inferred(program: str, args: tuple, dims: bool) -> tuple | BaseException:
    try:
        return _core.Program(program, signature=args, signature_dims=dims).result_type
    except larix.Error as error:
        return error


def check_type(t: tuple, value: Any, where: str) -> int:
    """1 when t claimed something (and it held), 0 when it is unknown."""
    kind, dtype, rank, dims, text = t
    if kind == "unknown":
        return 0
    if kind == "array":
        # A 0-d result comes back as a NumPy scalar.
        assert isinstance(value, (np.ndarray, np.generic)), (
            f"{where}: inferred {text}, got {value!r}"
        )
        if dtype is not None:
            assert value.dtype == np.dtype(dtype), f"{where}: inferred {text}, got {value.dtype}"
        if rank is not None:
            assert value.ndim == rank, f"{where}: inferred {text}, got shape {value.shape}"
            for axis, n in enumerate(dims):
                assert n is None or value.shape[axis] == n, (
                    f"{where}: inferred {text}, got shape {value.shape}"
                )
        return 1
    if kind == "nil":
        assert value is None, f"{where}: inferred None, got {value!r}"
    elif kind == "function":
        assert callable(value), f"{where}: inferred a function, got {value!r}"
    else:
        assert KIND_OF.get(type(value)) == kind, f"{where}: inferred {text}, got {value!r}"
    return 1


def same_error(compile_time: BaseException, run_time: BaseException | None, where: str) -> None:
    assert run_time is not None, f"{where}: compile-time error {compile_time} but the call works"
    assert type(compile_time) is type(run_time), f"{where}: {compile_time!r} vs {run_time!r}"
    assert compile_time.message == run_time.message, where
    assert (compile_time.line, compile_time.column) == (run_time.line, run_time.column), where


def check_program(program: str, args: tuple) -> int:
    """Compares inference with the call; returns how many inferred types claimed something."""
    value, error = run(program, args)
    claims = 0
    for dims in (True, False):
        where = f"{program} on {[getattr(a, 'shape', a) for a in args]} (lengths known: {dims})"
        t = inferred(program, args if args else None, dims)
        if isinstance(t, BaseException):
            same_error(t, error, where)
            continue
        if error is None:
            claims += check_type(t, value, where)
    return claims


def elementwise_programs(name: str, row: Elementwise) -> list:
    params = "abc"[: row.arity]
    call = row.call or f"{name}({', '.join(params)})"
    program = f"define(f, {', '.join(params)}, {call}) f"
    shapes = [(s,) for s in SHAPES] if row.arity == 1 else PAIRS
    out = []
    for shape, dtype in itertools.product(shapes, row.dtypes):
        shape = shape + (shape[-1],) * (row.arity - len(shape))
        args = tuple(
            make_array(
                s,
                np.bool_ if (name == "where" and i == 0) else dtype,
                operand_domain(row, i),
                seed=i,
            )
            for i, s in enumerate(shape)
        )
        out.append((program, args))
        if row.arity == 2:  # a Python scalar on either side (NumPy 2's weak scalars)
            for scalar in (True, 2, 1.5):
                out.append((program, (args[0], scalar)))
                out.append((program, (scalar, args[1])))
            out.append((program, (3, 2)))
            out.append((program, (2.5, 2)))
    return out


def reduction_programs(name: str, row: Reduction) -> list:
    out = []
    for shape, dtype in itertools.product(SHAPES, row.dtypes):
        x = make_array(shape, dtype, "unit" if name == "cumprod" else "any")
        for axis in axis_choices(len(shape), row.axis_kinds):
            for keepdims in (False, True) if row.keepdims else (None,):
                kwargs = f"__arg(axis, {physl_value(axis)})"
                if keepdims is not None:
                    kwargs += f", __arg(keepdims, {physl_value(keepdims)})"
                out.append((f"define(f, a, {name}(a, {kwargs}{row.extra})) f", (x,)))
    return out


def row_programs(name: str) -> list:
    row = ROWS[name]
    if isinstance(row, Elementwise):
        return elementwise_programs(name, row)
    if isinstance(row, Reduction):
        return reduction_programs(name, row)
    assert isinstance(row, Cases)
    return [(program, tuple(args)) for program, args, _ in row.cases]


CLAIMS: dict[str, int] = {}


@pytest.mark.parametrize("name", sorted(ROWS))
def test_inferred_types_agree_with_the_kernels(name: str) -> None:
    CLAIMS[name] = sum(check_program(program, args) for program, args in row_programs(name))


def extra_programs() -> list:
    """More operands for rules whose table rows are few (diag, outer, solve, ravel, flatten)."""
    out = []
    dtypes = (np.bool_, np.int64, np.float32, np.float64)
    for dtype in dtypes:
        v = make_array((4,), dtype)
        for k in (-2, 0, 1):
            out.append((f"define(f, a, diag(a, {k})) f", (v,)))
        for shape in ((3, 5), (5, 3)):
            m = make_array(shape, dtype)
            for k in (-6, -1, 0, 2, 6):
                out.append((f"define(f, a, diag(a, {k})) f", (m,)))
        for other in dtypes:
            out.append(("define(f, a, b, outer(a, b)) f", (v, make_array((2, 3), other))))
        for x in (v, make_array((2, 3), dtype), 2.5, 3, True):
            out.append(("define(f, a, ravel(a)) f", (x,)))
            out.append(("define(f, a, flatten(a)) f", (x,)))
        spd = np.eye(3, dtype=dtype) * 2 + 1
        for b in (np.ones(3), np.ones((3, 2), np.float32), np.arange(3)):
            out.append(("define(f, a, b, solve(a, b)) f", (spd, b)))
    return out


def test_more_operands_of_the_newer_rules() -> None:
    assert sum(check_program(p, a) for p, a in extra_programs()) > 100


def test_the_rules_are_called() -> None:
    """Inference knows the result of the common primitives' programs (not only 'unknown')."""
    for name in ("__add", "__mul", "__lt", "exp", "sum", "dot", "matmul", "transpose", "mean"):
        assert sum(check_program(p, a) for p, a in row_programs(name)) > 0, name


# ---- the pass in the IR dump ---------------------------------------------------------------------


def dump_after(text: str, tmp_path: Path, name: str = "infer_types") -> str:
    path = tmp_path / "program.physl"
    path.write_text(text)
    out = subprocess.run(
        [sys.executable, "-c", "from larix._cli import main; main()", "dump-tree", str(path)]
        + ["--dump-after", name],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.split("\n", 1)[1].split("block  #0")[0]


FLOW = """\
define(a, zeros(list(2, 3)))
define(b, a + 1)
define(n, 0)
while(n < 10, store(n, n + 1))
define(f, x, y, dot(x, y) * 2.0)
define(c, f(a, ones(3)))
define(d, sum(b, 0))
define(e, if(n > 3, transpose(b), b))
define(g, k, if(k < 2, k, g(k - 1) + g(k - 2)))
define(h, g(20))
"""

FLOW_TYPES = """\
// a = float64[2, 3] at 1:1
// statement at 1:1: float64[2, 3]
// b = float64[2, 3] at 2:1
// statement at 2:1: float64[2, 3]
// n = int 0 at 3:1
// statement at 3:1: int 0
// n = int at 4:15
// statement at 4:1: None
// f(x, y) returns float64[2]
// statement at 5:1: function
// c = float64[2] at 6:1
// statement at 6:1: float64[2]
// d = float64[3] at 7:1
// statement at 7:1: float64[3]
// e = float64[?, ?] at 8:1
// statement at 8:1: float64[?, ?]
// g(k) returns int
// statement at 9:1: function
// h = int at 10:1
// statement at 10:1: int
"""


def test_dump_after_infer_types(tmp_path):
    """Constants, variables through define/store (a loop's fixed point), a function's parameters
    from its calls, a recursive function's result, if's join of its branches."""
    text = dump_after(FLOW, tmp_path)
    assert text.endswith(FLOW_TYPES), text
    assert "infer_types" in larix._core.pass_names()


def test_parameters_are_unknown_when_the_function_escapes(tmp_path):
    text = dump_after("define(f, x, x + 1)\nfmap(f, list(1, 2))\nf(zeros(3))\n", tmp_path)
    assert "// f(x) returns ?" in text, text


def test_the_signature_gives_the_parameters_types():
    def result(program, *args, dims=False):
        return _core.Program(program, signature=args, signature_dims=dims).result_type[4]

    assert result("define(f, a, b, a + b) f", np.ones((3, 4)), np.ones(4, np.float32)) == (
        "float64[?, ?]"
    )
    assert result("define(f, a, b, dot(a, b)) f", np.ones((3, 4)), np.ones(4), dims=True) == (
        "float64[3]"
    )
    assert result("define(f, n, if(n < 2, n, f(n - 1) + f(n - 2))) f", 7.0) == "float"
    # Without a signature a parameter is unknown.
    assert _core.Program("define(f, a, b, a + b) f").result_type[4] == "function"


# ---- errors proved at compile time ---------------------------------------------------------------


def compile_time_error(text: str) -> larix.Error:
    with pytest.raises(larix.Error) as info:
        larix.compile(text)
    return info.value


def run_time_error(text: str, *args: Any, optimize: bool = False) -> larix.Error:
    program = larix.compile(text, optimize=optimize)
    with pytest.raises(larix.Error) as info:
        program(*args)
    return info.value


def assert_same_error(a: larix.Error, b: larix.Error) -> None:
    assert type(a) is type(b), (a, b)
    assert (a.message, a.line, a.column, a.source_line) == (
        b.message,
        b.line,
        b.column,
        b.source_line,
    )


PROVED = [
    # operands that cannot broadcast
    "define(a, zeros(list(2, 3)))\ndefine(c, a - ones(list(3, 2)))\nc\n",
    "define(a, zeros(list(2, 3)))\ndefine(b, a * 2.0 + 1)\nblock(define(c, b + ones(4)), c)\n",
    "define(x, ones(5))\nsum(x * zeros(list(2, 3)))\n",
    # wrong inner dimension or rank for dot / matmul
    "define(a, ones(list(2, 3)))\ndefine(b, ones(4))\ndot(a, b)\n",
    "define(a, ones(list(2, 3)))\nmatmul(a, ones(list(2, 3)))\n",
    "define(a, ones(list(2, 3)))\nmatmul(a, 2.0)\n",
    "define(a, identity(3))\ndefine(b, dot(a, transpose(ones(list(4, 2)))))\nb\n",
    # through a variable stored again, whose type stays the same
    "define(a, zeros(3))\nstore(a, a + 1.0)\ndot(a, ones(4))\n",
]


@pytest.mark.parametrize("text", PROVED, ids=range(len(PROVED)))
def test_proved_errors_are_reported_at_compile_time(text):
    """The class, message, line, column and source line of the run-time error (the program
    compiled without the passes), raised by compile()."""
    assert_same_error(compile_time_error(text), run_time_error(text))


LEFT_TO_RUN_TIME = [
    # in a branch that may not run
    "define(a, ones(list(2, 3)))\ndefine(n, 3)\nif(n > 5, dot(a, ones(4)), 0)\n",
    # in a loop body that may not run
    "define(a, ones(3))\ndefine(i, 0)\nwhile(i < 0, block(store(a, a + ones(4)), store(i, i + 1)))"
    "\ndot(a, ones(4))\n",
    # after a loop (it may not end, or fail)
    "define(a, zeros(3))\ndefine(i, 0)\nwhile(i < 3, block(store(a, a + 1.0), store(i, i + 1)))\n"
    "dot(a, ones(4))\n",
    # after an expression with an effect (its output would be lost)
    'define(a, ones(3))\ncout("before")\ndot(a, ones(4))\n',
    # after an expression that may fail first
    "define(a, ones(3))\ndefine(k, __floordiv(1, 0))\ndot(a + k, ones(4))\n",
    "define(a, ones(3))\ndefine(b, slice(a, 7))\ndot(a + b, ones(4))\n",
    # in a function the program does not call
    "define(f, x, dot(ones(3), ones(4)))\nf\n",
    # in a function the program calls (a call may fail before it: left to run time)
    "define(f, x, dot(x, ones(4)))\nf(ones(3))\n",
]


@pytest.mark.parametrize("text", LEFT_TO_RUN_TIME, ids=range(len(LEFT_TO_RUN_TIME)))
def test_errors_that_may_not_run_first_are_left_to_run_time(text):
    program = larix.compile(text)  # no error here
    if text.endswith("\nf\n"):
        return
    try:
        value = program()
    except larix.Error as error:
        assert_same_error(error, run_time_error(text))
    else:
        assert value == larix.compile(text, optimize=False)()


def test_proved_errors_in_a_kernel_point_at_the_python_line():
    import textwrap

    source = textwrap.dedent(
        """
        import numpy as np
        import larix

        @larix.kernel
        def bad():
            a = np.zeros((2, 3))
            b = np.ones(4)
            return a @ b
        """
    )
    namespace: dict = {}
    path = Path(__file__).parent / "_types_kernel_tmp.py"
    path.write_text(source)
    try:
        exec(compile(source, str(path), "exec"), namespace)
        with pytest.raises(ValueError) as info:
            namespace["bad"]()
        error = info.value
        assert "not aligned" in error.message or "mismatch" in error.message, error
        assert error.line == 9 and error.source_line.strip() == "return a @ b", error
    finally:
        path.unlink()


# ---- consumers: scalar code and element-wise fusion ---------------------------------------------

CONSUMERS = """\
define(a, zeros(list(2, 3)))
define(b, a * 2.0 + 1)
define(h, ones(4, "float32"))
define(k, h * 2.0 + 1)
define(n, 3)
define(m, n * 2 + 1)
define(i, 0)
while(i < m, store(i, i + 1))
list(b, k, m, i)
"""


def test_types_keep_arrays_out_of_scalar_code_and_chains_out_of_fusion(tmp_path):
    fused = dump_after(CONSUMERS, tmp_path, "fuse_elementwise")
    # A float64 chain is fused; a float32 one (no one-pass path) and one of Python ints are not.
    assert "define(b, __fused(" in fused, fused
    assert "define(k, __add(__mul(h, 2.0), 1))" in fused, fused
    assert "define(m, __add(__mul(n, 2), 1))" in fused, fused
    scalar = dump_after(CONSUMERS, tmp_path, "scalar_code")
    # Scalar code: the int arithmetic and the loop, not the defines of arrays.
    assert "// scalar code at 6:1: define m" in scalar and "// scalar code at 8:1: while" in scalar
    assert "at 1:1" not in scalar and "at 3:1" not in scalar, scalar
    tree = larix.compile(CONSUMERS).dump_tree()
    assert "scalar define  #" in tree and "scalar while" in tree
    for mode in ({}, {"optimize": False}, {"sync": True}):
        got = larix.compile(CONSUMERS, **mode)()
        np.testing.assert_array_equal(got[0], np.full((2, 3), 1.0))
        assert got[1].dtype == np.float32 and (got[1] == 3).all()
        assert got[2:] == [7, 7]


# ---- kernels specialised per argument signature ------------------------------------------------

SPEC_SOURCE = """
import numpy as np
import larix


@larix.kernel
def gram(a, x, y, n):
    return a.T @ a, x.T @ y, n * 2


@larix.kernel
def bad(a):
    b = np.ones(4)
    return a + np.zeros((2, 3)) @ b
"""


def load_kernels(tmp_path: Path) -> dict:
    path = tmp_path / "spec_kernels.py"
    path.write_text(SPEC_SOURCE)
    namespace: dict = {}
    exec(compile(SPEC_SOURCE, str(path), "exec"), namespace)
    return namespace


def test_kernels_compile_once_per_signature(tmp_path):
    gram = load_kernels(tmp_path)["gram"]
    rng = np.random.default_rng(3)
    a, x, y = rng.random((5, 3)), rng.random(5), rng.random(5)
    for args in [(a, x, y, 3), (a, x, y, 4), (a.astype(np.float32), x, y, 3), (a, x, y, 2.5)]:
        g, d, m = gram(*args)
        np.testing.assert_allclose(g, args[0].T @ args[0], rtol=1e-6)
        assert g.dtype == args[0].dtype and np.allclose(d, x @ y) and m == args[3] * 2
    specs = gram._program._core.specializations
    # (a, x, y, 3) and (a, x, y, 4) share one: values are not part of the signature.
    assert [s for s, _ in specs] == [
        "float64[?, ?], float64[?], float64[?], int",
        "float32[?, ?], float64[?], float64[?], int",
        "float64[?, ?], float64[?], float64[?], float",
    ], specs
    with larix.profile():  # a profiled call runs the program as compiled without a signature
        np.testing.assert_allclose(gram(a, x, y, 1)[0], a.T @ a)
    assert len(gram._program._core.specializations) == 3


def test_a_specialised_program_knows_its_arguments():
    text = "define(f, a, x, y, list(dot(transpose(a), a), dot(transpose(x), y)))\nf\n"
    p = larix.compile("define(f, a, b, dot(transpose(a), b))\nf\n", specialize=True)
    a = np.ones((4, 3))
    p(a, a)
    p(np.ones(4), np.ones(4))
    assert [(s, t[4]) for s, t in p._core.specializations] == [
        ("float64[?, ?], float64[?, ?]", "float64[?, ?]"),
        ("float64[?], float64[?]", "float64[]"),
    ]
    q = larix.compile(text, specialize=True)
    got = q(a, np.arange(4.0), np.ones(4))
    np.testing.assert_array_equal(got[0], a.T @ a)
    assert got[1] == 6.0


def test_at_most_eight_signatures():
    p = larix.compile("define(f, a, sum(a))\nf\n", specialize=True)
    for rank in range(10):
        assert p(np.ones((2,) * rank)) == 2**rank
    assert len(p._core.specializations) == 8


def test_errors_proved_for_a_signature_are_the_call_errors(tmp_path):
    bad = load_kernels(tmp_path)["bad"]
    with pytest.raises(ValueError) as info:
        bad(np.ones(2))
    error = info.value
    assert error.line == 14 and error.source_line.strip() == "return a + np.zeros((2, 3)) @ b"
    plain = larix.compile(bad.physl, file=str(tmp_path / "spec_kernels.py"))
    with pytest.raises(ValueError) as info:
        plain(np.ones(2))
    assert (error.message, error.column) == (info.value.message, info.value.column)
