"""The rewrite_algebra pass (compiler/rewrites.cpp) and the power fast path.

Per rule: the program after the pass (golden text from ``larix dump-tree --dump-after``), values
equal to NumPy's on random inputs at 1, 2 and 4 threads, on the reference executor and with the
passes off, and the same error (class, message, line) with and without the rewrite when the shapes
do not fit. The paper's two ALS forms give the same factors.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from larix.examples import als as als_example

import larix

MODES = ["1", "2", "4", "sync", "unoptimized"]


def run(text: str, args: tuple, mode: str):
    if mode == "sync":
        return larix.compile(text, sync=True)(*args)
    if mode == "unoptimized":
        return larix.compile(text, optimize=False)(*args)
    larix.init(int(mode))
    try:
        return larix.compile(text)(*args)
    finally:
        larix.init()


def dump_after(text: str, tmp_path: Path, name: str = "rewrite_algebra") -> str:
    path = tmp_path / "program.physl"
    path.write_text(text)
    out = subprocess.run(
        [sys.executable, "-c", "from larix._cli import main; main()", "dump-tree", str(path)]
        + ["--dump-after", name],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # The program as PhySL after the pass, then the execution tree (from "block  #0").
    return out.split("\n", 1)[1].split("block  #0")[0]


RNG = np.random.default_rng(7)
N, F = 6, 3
C = RNG.random(N) + 0.1
Y = RNG.random((N, F))
P = RNG.random(N)
A = RNG.random((F, F)) + F * np.eye(F)
B = RNG.random(F)


# (name, PhySL function of (c, y, p, a, b), NumPy reference, golden text of the call after the pass)
RULES = [
    (
        "diag_dot_to_row_scaling",
        "dot(diag(c), y)",
        lambda c, y, p, a, b: np.diag(c) @ y,
        "__dot_diag_left(diag(c, 0), y)",
    ),
    (
        "dot_diag_to_column_scaling",
        "dot(transpose(y), diag(c))",
        lambda c, y, p, a, b: y.T @ np.diag(c),
        "__dot_diag_right(transpose(y, nil), diag(c, 0))",
    ),
    (
        # The paper's Y.T @ C_u @ Y: the inner product is scaled; the outer one is offered to
        # reassociate_scaled_vector, which finds a matrix, not a vector, and multiplies.
        "dot_dot_diag",
        "dot(dot(transpose(y), diag(c)), y)",
        lambda c, y, p, a, b: y.T @ np.diag(c) @ y,
        "__dot_scaled_vector(__dot_diag_right(transpose(y, nil), diag(c, 0)), y)",
    ),
    (
        # The paper's Y.T @ (C_u + I) @ p_u: Y.T @ ((c + 1) * p_u).
        "reassociate_scaled_vector",
        "dot(dot(transpose(y), diag(c) + identity(shape(c, 0))), p)",
        lambda c, y, p, a, b: y.T @ (np.diag(c) + np.identity(len(c))) @ p,
        "__dot_scaled_vector(__dot_diag_identity_right(transpose(y, nil), "
        '__add(diag(c, 0), identity(shape(c, 0), "float64"))), p)',
    ),
    (
        "diag_identity_dot",
        "dot(diag(c) + identity(shape(c, 0)), p)",
        lambda c, y, p, a, b: (np.diag(c) + np.identity(len(c))) @ p,
        '__dot_diag_identity_left(__add(diag(c, 0), identity(shape(c, 0), "float64")), p)',
    ),
    (
        "dot_diag_identity",
        "dot(transpose(y), diag(c) + eye(shape(c, 0)))",
        lambda c, y, p, a, b: y.T @ (np.diag(c) + np.eye(len(c))),
        "__dot_diag_identity_right(transpose(y, nil), "
        '__add(diag(c, 0), eye(shape(c, 0), nil, 0, "float64")))',
    ),
    (
        "inv_dot_to_solve",
        "dot(inverse(a), b)",
        lambda c, y, p, a, b: np.linalg.inv(a) @ b,
        "__dot_inverse(inverse(a), b)",
    ),
    (
        "symmetric_product",
        "dot(transpose(y), y)",
        lambda c, y, p, a, b: y.T @ y,
        "__dot_syrk_left(transpose(y, nil), y)",
    ),
    (
        "symmetric_product_right",
        "dot(y, transpose(y))",
        lambda c, y, p, a, b: y @ y.T,
        "__dot_syrk_right(y, transpose(y, nil))",
    ),
]

# Rules whose products round differently from the dense one (checked within 1e-10 relative).
ROUNDING = (
    "inv_dot_to_solve",
    "reassociate_scaled_vector",
    "symmetric_product",
    "symmetric_product_right",
)


def program(body: str) -> str:
    return f"define(f, c, y, p, a, b, {body})\nf\n"


@pytest.mark.parametrize(("name", "body", "ref", "golden"), RULES, ids=[r[0] for r in RULES])
def test_rule_ir(name, body, ref, golden, tmp_path):
    text = dump_after(program(body), tmp_path)
    assert golden in text, text
    before = dump_after(program(body), tmp_path, "constant_folding")
    assert "__dot" not in before


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("name", "body", "ref", "golden"), RULES, ids=[r[0] for r in RULES])
def test_rule_values(name, body, ref, golden, mode):
    for seed in range(3):
        rng = np.random.default_rng(seed)
        args = (rng.random(N) + 0.1, rng.random((N, F)), rng.random(N), A + rng.random((F, F)), B)
        got = run(program(body), args, mode)
        want = ref(*args)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=0)
        if name.startswith("symmetric_product"):
            np.testing.assert_array_equal(got, got.T)  # exactly symmetric
        if name not in ROUNDING:
            # Scaling gives NumPy's bits (up to the sign of zero).
            np.testing.assert_array_equal(got, want)


# Operands the fast path does not take: the rewritten call computes the dense product.
FALLBACKS = [
    ("dot(diag(c, 1), y)", (RNG.random(N - 1), Y), lambda c, y: np.diag(c, 1) @ y),
    ("dot(diag(c), y)", (RNG.random((N, N)), Y), lambda c, y: np.diag(c) @ y),
    ("dot(diag(c), y)", (C.astype(np.int64), Y.astype(np.int64)), lambda c, y: np.diag(c) @ y),
    ("dot(diag(c), y)", (C, np.where(Y > 0.5, np.inf, Y)), lambda c, y: np.diag(c) @ y),
    ("dot(y, diag(c))", (C, np.where(Y.T > 0.5, np.nan, Y.T)), lambda c, y: y @ np.diag(c)),
    ("dot(diag(c), y)", (C.astype(np.float32), Y), lambda c, y: np.diag(c) @ y),
    ("dot(inverse(c), y)", (A.astype(np.float32), B), lambda c, y: np.linalg.inv(c) @ y),
    ("dot(inverse(c), y)", (np.stack([A, A]), B), lambda c, y: np.linalg.inv(c) @ y),
    ("dot(dot(y, diag(c)), c)", (B, np.where(Y > 0.5, np.inf, Y)), lambda c, y: y @ np.diag(c) @ c),
    ("dot(dot(y, diag(c)), c)", (np.where(B > 0.5, np.nan, B), Y), lambda c, y: y @ np.diag(c) @ c),
    ("dot(dot(y, diag(c)), c)", (B, Y[:, :2]), None),
    ("dot(transpose(y), y)", (C, Y.astype(np.float32)), lambda c, y: y.T @ y),
    ("dot(transpose(y), y)", (C, (10 * Y).astype(np.int64)), lambda c, y: y.T @ y),
    ("dot(y, transpose(y))", (C, C), lambda c, y: y @ y.T),
    ("dot(transpose(y), y)", (C, RNG.random((2, 3, 4))), None),
    ("dot(transpose(y), y)", (C, np.asfortranarray(RNG.random((40, 70)))), lambda c, y: y.T @ y),
    ("dot(y, transpose(y))", (C, RNG.random((70, 40))[:, ::3]), lambda c, y: y @ y.T),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("body", "args", "ref"), FALLBACKS)
def test_fallbacks_equal_numpy(body, args, ref, mode):
    if ref is None:  # a mismatch: the error of the unoptimised program
        want = error_of(f"define(f, c, y, {body})\nf\n", args, optimize=False)
        assert error_of(f"define(f, c, y, {body})\nf\n", args, sync=mode == "sync") == want
        return
    with np.errstate(all="ignore"):
        want = ref(*args)
    got = run(f"define(f, c, y, {body})\nf\n", args, mode)
    assert got.dtype == want.dtype and got.shape == want.shape
    single = any(a.dtype == np.float32 for a in args)  # float32 LAPACK/BLAS differ in rounding
    np.testing.assert_allclose(got, want, rtol=1e-5 if single else 1e-12)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))


# Shapes that do not fit: the same class and message at the same line as without the rewrite.
MUST_FAIL = [
    ("dot(diag(c), y)", (C, Y.T)),
    ("dot(diag(c), y)", (np.ones((2, 2, 2)), Y)),
    ("dot(y, diag(c))", (C, Y)),
    ("dot(diag(c) + identity(4), y)", (C, P)),
    ("dot(diag(c) + identity(shape(c, 0)), y)", (C, Y.T)),
    ("dot(y, diag(c) + identity(shape(c, 0)))", (C, Y)),
    ("dot(inverse(c), y)", (A, P)),
    ("dot(inverse(c), y)", (Y, B)),
    ("dot(inverse(c), y)", (np.ones((3, 3)), B)),
    ("dot(dot(y, diag(c)), slice(y, list(nil, nil), 0))", (B, Y)),
    ("dot(dot(transpose(y), diag(c) + identity(shape(c, 0))), slice(y, 0))", (C, Y)),
    ("dot(transpose(y), c)", (C, Y.T)),
    ("dot(transpose(y, list(0, 0)), y)", (C, Y)),
]


def error_of(text: str, args: tuple, **kwargs) -> tuple:
    with pytest.raises(larix.Error) as info:
        larix.compile(text, **kwargs)(*args)
    e = info.value
    # Class, message with location, source line, caret and PhySL stack, and line.
    return type(e), str(e), e.line


@pytest.mark.parametrize(("body", "args"), MUST_FAIL)
def test_errors_unchanged(body, args):
    # The failing call on a line of its own, after a statement: the line must be the call's.
    text = f"define(f, c, y,\n  block(define(z, 1),\n    {body}))\nf\n"
    want = error_of(text, args, optimize=False)
    assert want[2] == 3
    assert error_of(text, args) == want
    assert error_of(text, args, sync=True) == want


def test_error_of_a_substituted_diag_keeps_its_line():
    # C = diag(c) is inlined into the product two lines later; its error stays on its own line.
    text = "define(f, c, y,\n  block(define(C, diag(c)),\n    define(z, 1),\n    dot(C, y)))\nf\n"
    args = (np.ones((2, 2, 2)), Y)
    want = error_of(text, args, optimize=False)
    assert want[2] == 2
    assert error_of(text, args) == want


SUBSTITUTED = """define(f, c, y, p,
  block(define(n, shape(c, 0)),
    define(I, identity(n)),
    define(C, diag(c)),
    define(A, dot(dot(transpose(y), C), y)),
    define(b, dot(dot(transpose(y), C + I), p)),
    list(A, b)))
f
"""


def test_single_definitions_are_read_through(tmp_path):
    text = dump_after(SUBSTITUTED, tmp_path)
    assert "__dot_scaled_vector(__dot_diag_right(transpose(y, nil), diag(c, 0)), y)" in text
    assert (
        '__dot_diag_identity_right(transpose(y, nil), __add(diag(c, 0), identity(n, "float64")))'
        in text
    )
    # dead_code then drops the dense C and I nobody reads any more.
    after = dump_after(SUBSTITUTED, tmp_path, "dead_code")
    assert "define(C," not in after and "define(I," not in after
    for mode in MODES:
        got_a, got_b = run(SUBSTITUTED, (C, Y, P), mode)
        np.testing.assert_array_equal(got_a, Y.T @ np.diag(C) @ Y)
        np.testing.assert_allclose(got_b, Y.T @ (np.diag(C) + np.identity(N)) @ P, rtol=1e-14)


NOT_SUBSTITUTED = [
    # c changes between the definition of C and its use.
    "block(define(C, diag(c)), store(c, c + 1), dot(C, y))",
    # C is defined in an if: it may be unbound at the use.
    "block(if(true, define(C, diag(c))), dot(C, y))",
    # C is assigned twice.
    "block(define(C, diag(c)), store(C, diag(c + 1)), dot(C, y))",
    # The operand of diag changes in a loop between the definition and the use.
    "block(define(d, c), define(C, diag(d)),"
    " for(define(i, 0), i < 2, store(i, i + 1), store(d, d + 1)), dot(C, y))",
    # C is read in a function, which may run at any time: not read through.
    "block(define(C, diag(c)), define(g, lambda(dot(C, y))), g())",
]


@pytest.mark.parametrize("body", NOT_SUBSTITUTED)
def test_variables_that_may_change_are_not_read_through(body, tmp_path):
    text = f"define(f, c, y, {body})\nf\n"
    assert "__dot" not in dump_after(text, tmp_path)


def test_als_is_rewritten(tmp_path):
    text = dump_after(als_example.als.physl, tmp_path)
    for y, c, n in (("Y", "c_u", "num_items"), ("X", "c_i", "num_users")):
        # Y.T @ C_u @ Y and Y.T @ (C_u + I_i) @ p_u, with C_u = diag(c_u), I_i = identity(n).
        assert (
            f"__dot_scaled_vector(__dot_diag_right(transpose({y}, nil), diag({c}, 0)), {y})" in text
        )
        assert (
            f"__dot_scaled_vector(__dot_diag_identity_right(transpose({y}, nil), "
            f'__add(diag({c}, 0), identity({n}, "float64"))), p_'
        ) in text
    assert text.count("__dot_inverse(inverse(A), b)") == 2
    # No dense diagonal or items x items identity is built any more.
    after = dump_after(als_example.als.physl, tmp_path, "dead_code")
    for name in ("C_u", "C_i", "I_i", "I_u"):
        assert f"define({name}," not in after


@pytest.mark.parametrize("threads", [1, 2, 4])
def test_als_paper_form_equals_efficient_form(threads):
    ratings = np.random.default_rng(3).integers(0, 6, (30, 50)).astype(float)
    ratings[ratings < 3] = 0
    x0, y0 = als_example.initial_factors(30, 50, 4, seed=1)
    larix.init(threads)
    try:
        x1, y1 = als_example.als(ratings, x0, y0, iterations=2)
        x2, y2 = als_example.als_efficient(ratings, x0, y0, iterations=2)
    finally:
        larix.init()
    np.testing.assert_allclose(x1, x2, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(y1, y2, rtol=1e-8, atol=1e-12)
    # And against NumPy running the paper's form.
    x3, y3 = als_example.als.__wrapped__(ratings, x0, y0, iterations=2)
    np.testing.assert_allclose(x1, x3, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(y1, y3, rtol=1e-8, atol=1e-12)


# ---- x ** e with one exponent: NumPy's bits -----------------------------------------------------

POWER_INPUTS = np.array([-0.0, 0.0, -np.inf, np.inf, np.nan, -4.0, 1e-320, 3.0, 1e200, -1e-200])


def _power_inputs(dtype):
    x = np.concatenate([POWER_INPUTS, np.random.default_rng(1).normal(size=1000) * 1e3])
    with np.errstate(over="ignore"):
        return x.astype(dtype)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("exponent", ["2", "2.0", "0.5", "-1", "-1.0", "1", "0"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_power_by_a_scalar_has_numpys_bits(exponent, dtype, mode):
    # The exponents NumPy's power loop special-cases (x * x, sqrt, 1 / x, x, 1): the same bits on
    # every machine.
    x = _power_inputs(dtype)
    got = run(f"define(f, x, power(x, {exponent}))\nf\n", (x,), mode)
    with np.errstate(all="ignore"):
        want = x ** eval(exponent)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got.view(np.uint8), want.view(np.uint8))


def _libm_power(x, exponent):
    """The C library's pow (powf for float32), element by element: what std::pow calls."""
    libm = ctypes.CDLL(ctypes.util.find_library("m"))
    single = x.dtype == np.float32
    pow_ = libm.powf if single else libm.pow
    ctype = ctypes.c_float if single else ctypes.c_double
    pow_.restype = ctype
    pow_.argtypes = [ctype, ctype]
    return np.array([pow_(float(v), exponent) for v in x], dtype=x.dtype)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("exponent", ["3", "2.5", "-2.5"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_power_by_other_scalars_is_the_c_librarys_pow(exponent, dtype, mode):
    # Any other exponent goes to pow, as NumPy's scalar loop does. NumPy's AVX-512 loop (SVML)
    # may differ from the C library in the last bit, so against NumPy the bound is one unit in
    # the last place; against pow itself, every bit.
    x = _power_inputs(dtype)
    got = run(f"define(f, x, power(x, {exponent}))\nf\n", (x,), mode)
    want = _libm_power(x, float(exponent))
    assert got.dtype == x.dtype
    nan = np.isnan(want)
    np.testing.assert_array_equal(np.isnan(got), nan)
    np.testing.assert_array_equal(got[~nan].view(np.uint8), want[~nan].view(np.uint8))
    with np.errstate(all="ignore"):
        numpy_result = x ** eval(exponent)
    finite = np.isfinite(numpy_result)
    np.testing.assert_array_equal(got[~finite], numpy_result[~finite])
    np.testing.assert_array_max_ulp(got[finite], numpy_result[finite], maxulp=1)


@pytest.mark.parametrize("exponent", ["2", "2.0", "0.5", "-1.0"])
def test_power_of_integers_by_a_scalar(exponent):
    x = np.array([-3, 0, 5, 3037000500, -(2**62)], dtype=np.int64)
    got = larix.compile(f"define(f, x, power(x, {exponent}))\nf\n")(x)
    with np.errstate(all="ignore"):
        want = x ** eval(exponent)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got.view(np.uint8), want.view(np.uint8))


def test_integer_to_minus_one_is_still_an_error():
    with pytest.raises(ValueError, match="Integers to negative integer powers"):
        larix.compile("define(f, x, power(x, -1))\nf\n")(np.arange(3))


def test_power_keeps_broadcasting_of_the_exponent():
    x = np.arange(3.0)
    got = larix.compile("define(f, x, e, power(x, e))\nf\n")(x, np.array([[2.0]]))
    np.testing.assert_array_equal(got, x ** np.array([[2.0]]))
    got = larix.compile("define(f, x, e, power(x, e))\nf\n")(x, np.array([2.0, 0.5, -1.0]))
    np.testing.assert_array_equal(got, x ** np.array([2.0, 0.5, -1.0]))


def test_transpose_of_a_vector_goes(tmp_path):
    """transpose_vector_dot: x.T @ y where infer_types proved x a vector is dot(x, y)."""
    text = "define(x, arange(6.0))\ndefine(y, ones(6))\ndefine(z, dot(transpose(x), y))\nz\n"
    assert "define(z, dot(x, y))" in dump_after(text, tmp_path), dump_after(text, tmp_path)
    assert "transpose(x, nil)" in dump_after(text, tmp_path, "infer_types")
    assert larix.compile(text)() == larix.compile(text, optimize=False)() == 15.0
    # A matrix keeps its transpose (and so the symmetric product) and a parameter of unknown
    # rank too: its transpose is evaluated at run time.
    text = "define(x, ones(list(3, 2)))\ndefine(z, dot(transpose(x), x))\nz\n"
    assert "__dot_syrk_left(transpose(x, nil), x)" in dump_after(text, tmp_path)
    text = 'define(x, ones(list(3, 2), "float32"))\ndefine(z, dot(transpose(x), x))\nz\n'
    assert "define(z, dot(transpose(x, nil), x))" in dump_after(text, tmp_path)
    assert "__dot_syrk" not in dump_after(program("dot(transpose(y), p)"), tmp_path)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shape", [(300, 200), (200, 300), (1, 5), (5, 1), (130, 129)])
def test_symmetric_product_at_any_thread_count(shape, mode):
    """Blocks that depend on the shape only: the same bits at 1, 2, 4 threads and on the
    reference executor; within 1e-10 of NumPy; exactly symmetric."""
    a = np.random.default_rng(sum(shape)).normal(size=shape)
    for body, want in (("dot(transpose(y), y)", a.T @ a), ("dot(y, transpose(y))", a @ a.T)):
        got = run(f"define(f, y, {body})\nf\n", (a,), mode)
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
        if mode != "unoptimized":  # the dense product is not exactly symmetric
            np.testing.assert_array_equal(got, got.T)
            np.testing.assert_array_equal(got, run(f"define(f, y, {body})\nf\n", (a,), "sync"))
