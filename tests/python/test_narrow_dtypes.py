"""Narrow dtypes (int8 ... int32, uint8 ... uint64, float16) in kernels: held without a copy,
computed in a compute dtype, results in NumPy's dtype (src/larix/runtime/narrow.hpp). Each
result is checked against NumPy on the same data: the dtype exactly, integers exactly (wrapping
included), floats within the dtype's tolerance."""

from __future__ import annotations

import numpy as np
import pytest

import larix
from larix import _core

NARROW_INTS = (np.int8, np.int16, np.int32, np.uint8, np.uint16, np.uint32, np.uint64)
NARROW = NARROW_INTS + (np.float16,)
EVERY = NARROW + (np.bool_, np.int64, np.float32, np.float64, np.complex64, np.complex128)
ids = [np.dtype(d).name for d in NARROW]


def data(dtype, shape=(3, 4), seed=0, positive=False, small=False):
    """Values of `dtype` with both signs where it has them, some at the ends of its range."""
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    n = int(np.prod(shape))
    if dt.kind == "b":
        return rng.random(shape) < 0.5
    if dt.kind in "iu":
        info = np.iinfo(dt)
        low = 1 if positive else max(info.min, -60)
        high = 8 if small else min(info.max, 120)
        out = rng.integers(low, high + 1, size=n).astype(dt)
        if not positive and not small and n >= 2:  # the ends of the range: wrapping shows
            top = min(int(info.max), 2**63 - 1)  # (uint64 computes in int64: below 2**63)
            out[0], out[1] = top, info.min if info.min < 0 else top - 1
        return out.reshape(shape)
    values = rng.uniform(0.5 if positive else -4.0, 4.0, size=shape)
    if dt.kind == "c":
        values = values + 1j * rng.uniform(-2.0, 2.0, size=shape)
    return values.astype(dt)


def same(got, ref):
    got, ref = np.asarray(got), np.asarray(ref)
    assert got.dtype == ref.dtype, f"dtype {got.dtype}, NumPy {ref.dtype}"
    assert got.shape == ref.shape
    if ref.dtype.kind in "fc":
        part = ref.dtype.itemsize // (2 if ref.dtype.kind == "c" else 1)
        tol = {2: 2e-3, 4: 2e-6, 8: 1e-12}[part]
        np.testing.assert_allclose(got, ref, rtol=tol, atol=tol)
    else:
        np.testing.assert_array_equal(got, ref)


# ---- kernels: ordinary NumPy code ---------------------------------------------------------------


def identity(a):
    return a


def add(a, b):
    return a + b


def sub(a, b):
    return a - b


def mul(a, b):
    return a * b


def floordiv(a, b):
    return a // b


def mod(a, b):
    return a % b


def truediv(a, b):
    return a / b


def maximum(a, b):
    return np.maximum(a, b)


def pick(a, b):
    return np.where(a > b, a, b)


def bit_ops(a, b):
    return (a & b) | (a ^ b), ~a


def unary(a):
    return -a, np.abs(a), a * a, np.square(a)


def power2(a):
    return a**2


def floats(a):
    return np.sqrt(np.abs(a)), np.exp(a / 8), np.sin(a), np.log1p(np.abs(a))


def rounding(a):
    return np.floor(a), np.ceil(a), np.trunc(a), np.rint(a)


def reductions(a):
    return np.sum(a), np.sum(a, axis=0), np.max(a), np.min(a, axis=1), np.cumsum(a), np.prod(a[0])


def statistics(a):
    return np.mean(a), np.var(a, axis=0), np.median(a)


def order(a):
    return np.sort(a, axis=None), np.unique(a), np.argmax(a), np.argsort(a[0])


def movement(a):
    b = np.concatenate([a, a[::-1]])
    return b, a.T, a.reshape(-1), a[1], a[:, 1:3], np.flip(a, 0), np.tile(a, (1, 2)), np.diff(a)


def gather(a, idx):
    return a[idx], np.take(a, idx), a[:, idx[0]]


def stores(a):
    b = a.copy()
    b[0, 0] = 5
    b[1] = a[2]
    b[2, 1:3] = 7
    return b


def with_numbers(a):
    return a + 1, a * 2, a - 3, a + 1.5, a * 0.5


def products(a, b):
    return (
        np.kron(a[0], b[1]),
        np.einsum("ij,kj->ik", a, b),
        np.vdot(a, b),
        np.tensordot(a, b.T, 1),
        np.outer(a[0], b[0]),
        a @ b.T,
    )


def mixed(a, b):
    return np.concatenate([a.ravel(), b.ravel()]), a @ b.T


def bits(a):
    flat_sum = 0
    for x in a.flat:
        flat_sum += x
    return a.view(np.int64) >> 52, a.flat[3], flat_sum, (a.view(np.uint64) << 1) ^ 5


def shifts(a, b):
    c = a.copy()
    c <<= 2  # the augmented form too
    return a << b, a >> b, a << 3, a >> 1, c


KERNELS = {}


def kernel(fn):
    if fn not in KERNELS:
        KERNELS[fn] = larix.kernel(fn)
    return KERNELS[fn]


def check(fn, *args):
    got = kernel(fn)(*args)
    ref = fn(*args)
    if isinstance(ref, tuple):
        assert isinstance(got, tuple) and len(got) == len(ref)
        for g, r in zip(got, ref):
            same(g, r)
    else:
        same(got, ref)


# ---- tests ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", NARROW, ids=ids)
def test_narrow_arrays_arrive_and_return_without_a_copy(dtype):
    a = data(dtype)
    out = kernel(identity)(a)
    assert out.dtype == a.dtype
    assert np.shares_memory(out, a) and not out.flags.writeable  # the caller's memory, borrowed
    np.testing.assert_array_equal(out, a)


@pytest.mark.parametrize("left", EVERY, ids=[np.dtype(d).name for d in EVERY])
def test_arithmetic_promotes_every_pair_as_numpy(left):
    a = data(left, seed=1)
    for right in EVERY:
        b = data(right, seed=2)
        for fn in (add, mul):
            if np.dtype(left).kind == "b" and np.dtype(right).kind == "b":
                continue  # bool + bool: Larix's int64 (documented), NumPy's bool
            check(fn, a, b)


@pytest.mark.parametrize("dtype", NARROW, ids=ids)
@pytest.mark.parametrize("fn", [add, sub, mul, maximum, pick], ids=lambda f: f.__name__)
def test_binary_operations_keep_the_dtype_and_wrap_as_numpy(dtype, fn):
    with np.errstate(over="ignore"):
        check(fn, data(dtype, seed=3), data(dtype, seed=4))


@pytest.mark.parametrize("dtype", NARROW, ids=ids)
@pytest.mark.parametrize("fn", [floordiv, mod, truediv], ids=lambda f: f.__name__)
def test_division(dtype, fn):
    check(fn, data(dtype, seed=5), data(dtype, seed=6, positive=True))


@pytest.mark.parametrize("dtype", NARROW_INTS, ids=ids[:-1])
def test_bitwise(dtype):
    check(bit_ops, data(dtype, seed=7), data(dtype, seed=8))


@pytest.mark.parametrize("dtype", NARROW, ids=ids)
@pytest.mark.parametrize(
    "fn",
    [unary, power2, floats, rounding, reductions, statistics, order, movement, stores],
    ids=lambda f: f.__name__,
)
def test_numpy_functions(dtype, fn):
    a = data(dtype, seed=9, small=fn in (power2, reductions), positive=fn is floats)
    with np.errstate(over="ignore"):
        check(fn, a)


@pytest.mark.parametrize("dtype", NARROW, ids=ids)
def test_python_numbers_are_weak(dtype):
    check(with_numbers, data(dtype, seed=10, positive=True, small=True))


@pytest.mark.parametrize("index_dtype", [np.int32, np.uint8, np.int16, np.uint64])
@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.float16], ids=["uint8", "int16", "f16"])
def test_narrow_index_arrays_gather_narrow_data(dtype, index_dtype):
    check(gather, data(dtype, shape=(6, 5), seed=11), np.array([4, 0, 2, 2], dtype=index_dtype))


def uint64_right_shift(a):
    return a.view(np.uint64) >> 3


def test_views_flat_and_shifts():
    check(bits, np.array([1.0, -2.5, 1e300, 3.0, np.inf, 0.0]))
    check(uint64_right_shift, np.array([1.0, 2.5]))  # below 2**63: computed in int64
    with pytest.raises(larix.LarixOverflowError, match="2\\*\\*63"):  # not wrapped: refused
        kernel(uint64_right_shift)(np.array([-1.0]))
    counts = np.array([0, 1, 2, 3, 7, 9, 63, 70], dtype=np.int64)
    for dtype in (np.int64,) + NARROW_INTS[:-1]:
        check(shifts, data(dtype, shape=(8,), seed=17, small=True), counts)
    a = data(np.uint64, shape=(8,), seed=17, small=True)
    with pytest.raises(TypeError):  # uint64 with int64 is float64 to NumPy: no shift
        shifts(a, counts)
    with pytest.raises(TypeError):
        kernel(shifts)(a, counts)
    check(shifts, a, counts.astype(np.uint64))


@pytest.mark.parametrize("dtype", NARROW, ids=ids)
def test_products_keep_the_dtype(dtype):
    with np.errstate(over="ignore"):
        check(products, data(dtype, seed=18, small=True), data(dtype, seed=19, small=True))


def test_mixed_widths_in_one_kernel():
    check(mixed, data(np.int8, seed=12), data(np.uint16, seed=13))
    check(mixed, data(np.float16, seed=12), data(np.int8, seed=13))


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.uint16])
def test_a_python_int_outside_the_range_is_numpys_overflow_error(dtype):
    a = data(dtype, positive=True, small=True)
    big = int(np.iinfo(dtype).max) + 1
    with pytest.raises(OverflowError) as numpy_error:
        a + big
    with pytest.raises(larix.LarixOverflowError, match=f"Python integer {big} out of bounds"):
        larix.compile("define(f, a, b, a + b) f")(a, big)
    assert str(numpy_error.value).startswith(f"Python integer {big} out of bounds")

    def store_big(a, v):
        b = a.copy()
        b[0] = v
        return b

    with pytest.raises(OverflowError):
        a.copy()[0] = big
    with pytest.raises(larix.LarixOverflowError, match="out of bounds"):
        kernel(store_big)(a, big)
    same(kernel(store_big)(a, 3), store_big(a, 3))


def test_float16_conversions_round_as_numpy():
    # Every float16 bit pattern to float32 and back; doubles near every float16 rounded to it.
    bits = np.arange(2**16, dtype=np.uint32).astype(np.uint16)
    halves = bits.view(np.float16)
    to32 = larix.compile('define(f, a, astype(a, "float32")) f')
    to16 = larix.compile('define(f, a, astype(a, "float16")) f')
    np.testing.assert_array_equal(to32(halves), halves.astype(np.float32))  # NaNs compare equal
    finite = halves[np.isfinite(halves)].astype(np.float64)
    rng = np.random.default_rng(14)
    nearby = np.concatenate(
        [
            finite,
            finite * (1 + rng.uniform(-1e-3, 1e-3, finite.size)),
            np.nextafter(finite, np.inf),
            (finite[:-1] + finite[1:]) / 2,  # ties: to even
            [65504.0, 65519.99, 65520.0, 1e6, -1e6, 2.0**-25, 2.0**-26, 3 * 2.0**-26, np.inf],
        ]
    )
    with np.errstate(over="ignore"):  # NumPy warns for values that round to infinity
        reference = nearby.astype(np.float16)
    np.testing.assert_array_equal(to16(nearby).view(np.uint16), reference.view(np.uint16))
    assert np.isnan(to16(np.array([np.nan]))[0])


@pytest.mark.parametrize("name", ["int8", "uint8", "int32", "uint16", "uint64", "float16"])
def test_creation_with_a_narrow_dtype_name(name):
    program = larix.compile(
        f'define(make, n, list(zeros(n, "{name}"), astype(arange(n), "{name}"), '
        f'ones(list(2, n), "{name}"))) make'
    )
    expected = (np.zeros(5, dtype=name), np.arange(5).astype(name), np.ones((2, 5), dtype=name))
    for got, ref in zip(program(5), expected):
        same(got, ref)


def make_arrays(n):
    return np.zeros(n, dtype=np.uint8), np.arange(n).astype(np.int32), np.ones((2, n), "float16")


def test_creation_with_numpy_types_in_a_kernel():
    check(make_arrays, 4)


TYPED_PROGRAMS = [
    "define(f, a, b, a + b) f",
    "define(f, a, b, a * 2) f",
    "define(f, a, b, a + 2.5) f",
    "define(f, a, b, __div(a, b)) f",
    "define(f, a, b, __floordiv(a, b)) f",
    "define(f, a, b, where(a > b, a, b)) f",
    "define(f, a, b, sqrt(a)) f",
    "define(f, a, b, sum(a)) f",
    "define(f, a, b, sum(a, 0)) f",
    "define(f, a, b, mean(a)) f",
    "define(f, a, b, amax(a, 1)) f",
    "define(f, a, b, argmax(a)) f",
    "define(f, a, b, sort(a)) f",
    "define(f, a, b, cumsum(a)) f",
    "define(f, a, b, __subscript(a, 1)) f",
    "define(f, a, b, transpose(a)) f",
    "define(f, a, b, concatenate(list(a, b))) f",
    "define(f, a, b, dot(a, transpose(b))) f",
    "define(f, a, b, floor(a)) f",
    "define(f, a, b, a == b) f",
]


@pytest.mark.parametrize("dtype", NARROW, ids=ids)
def test_inferred_types_agree_with_the_narrow_results(dtype):
    # The compiler's type inference narrows a rule's result as run_kernel narrows the kernel's.
    claimed = 0
    for other in (dtype, np.int64, np.float32):
        a, b = data(dtype, seed=15, positive=True), data(other, seed=16, positive=True)
        for program in TYPED_PROGRAMS:
            with np.errstate(all="ignore"):
                value = larix.compile(program)(a, b)
            kind, inferred_dtype, *_ = _core.Program(
                program, signature=(a, b), signature_dims=True
            ).result_type
            if kind == "array" and inferred_dtype is not None:
                claimed += 1
                assert np.asarray(value).dtype == np.dtype(inferred_dtype), (program, other)
    assert claimed >= 30  # the inference knows most of them


# ---- every element-wise and reduction row of the primitive table, at every narrow dtype ---------


def table_array(shape, dtype, domain, seed):
    """The primitive table's operands (make_array) at a narrow dtype: small integers (unsigned
    ones not negative), float16 values."""
    from test_primitives_table import make_array

    dt = np.dtype(dtype)
    if dt.kind == "f":
        return make_array(shape, np.float64, domain, seed).astype(dt)
    x = make_array(shape, np.int64, domain, seed)
    if dt.kind == "u":
        x = np.abs(x)
        if domain in ("pos", "nonzero", "ge1"):
            x = x + (x == 0)
    return x.astype(dt)


def table_rows(kind):
    from table_support import Elementwise, Reduction
    from test_primitives_table import ROWS

    cls = {"elementwise": Elementwise, "reduction": Reduction}[kind]
    return sorted(name for name, row in ROWS.items() if isinstance(row, cls))


def run_row(program, args, ref, **kwargs):
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                want = np.asarray(ref(*args, **kwargs))
            except Exception as error:  # NumPy refuses: so must Larix, with the same class
                builtin = next(k for k in type(error).__mro__ if k.__module__ == "builtins")
                with pytest.raises(builtin):
                    larix.compile(program)(*args)
                return f"both refuse ({type(error).__name__})"
            got = np.asarray(larix.compile(program)(*args))
    same(got, want)
    return "same"


@pytest.mark.parametrize("dtype", NARROW, ids=ids)
@pytest.mark.parametrize("name", table_rows("elementwise"))
def test_every_elementwise_row_at_narrow_dtypes(name, dtype):
    from test_primitives_table import ROWS, operand_domain

    row = ROWS[name]
    if name in ("erf", "erfc"):
        pytest.skip("SciPy's dtypes (float64 for float16); Larix computes float16 in float32")
    if np.dtype(dtype).kind in "iu" and not any(np.dtype(d).kind in "iub" for d in row.dtypes):
        pytest.skip("a float-only operation (its table has no integer dtype)")
    if np.dtype(dtype).kind == "f" and not any(np.dtype(d).kind == "f" for d in row.dtypes):
        pytest.skip("an integer-only operation")
    params = "abc"[: row.arity]
    args = [
        np.array([True, False, True, True])
        if name == "where" and i == 0
        else table_array((4,), dtype, operand_domain(row, i), seed=i)
        for i in range(row.arity)
    ]
    call = row.call or f"{name}({', '.join(params)})"
    ref = (
        row.ref
        if not row.call
        else (lambda a, b, c_: row.ref(a, np.minimum(b, c_), np.maximum(b, c_)))
    )
    run_row(f"define(f, {', '.join(params)}, {call}) f", args, ref)


@pytest.mark.parametrize("dtype", NARROW, ids=ids)
@pytest.mark.parametrize("name", table_rows("reduction"))
def test_every_reduction_row_at_narrow_dtypes(name, dtype):
    from test_primitives_table import ROWS

    row = ROWS[name]
    x = table_array((3, 4), dtype, "unit" if name == "cumprod" else "any", seed=5)
    for axis in (None, 0):
        ref_kwargs = dict(row.ref_extra, axis=axis)
        program = (
            f"define(f, a, {name}(a, __arg(axis, {'nil' if axis is None else axis}){row.extra})) f"
        )
        run_row(program, [x], row.ref, **ref_kwargs)


@pytest.mark.parametrize("shape", [(64, 48), (31, 17)])
def test_image_example_matches_numpy(shape):
    from larix.examples.image import enhance, sample_image

    image = sample_image(*shape, seed=sum(shape))
    rows = np.array([3, 10, 0, shape[0] - 1], dtype=np.int32)
    got = enhance(image, rows)
    want = enhance.python(image, rows)
    for g, w in zip(got, want):
        same(g, w)
    assert got[0].dtype == np.uint8 and got[2].dtype == np.uint8
