"""Table rows of the NumPy functions added together in the `more` family: isclose, allclose,
array_equal; hypot, fmax, fmin, nan_to_num; median, percentile, quantile, average, ptp, nansum,
nanmean; moveaxis, roll, rot90, meshgrid, logspace, tri, tril, triu.

Each case is computed by NumPy when the module loads: its value, or the builtin exception class
NumPy raises (Larix must raise the same class).
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any, Callable

import numpy as np
from table_support import (
    ALL_DTYPES,
    FLOATS,
    PAIRS,
    SHAPES,
    Cases,
    Elementwise,
    Reduction,
    Row,
    c,
    f1,
    f2,
)

NAN, INF = np.nan, np.inf


def sample(shape: tuple, dtype: Any, seed: int = 11) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if dtype is np.bool_:
        return rng.integers(0, 2, shape).astype(bool)
    if dtype is np.int64:
        return rng.integers(-5, 6, shape).astype(np.int64)
    return rng.uniform(-3, 3, shape).astype(dtype)


def with_specials(shape: tuple, dtype: Any, seed: int = 11) -> np.ndarray:
    """A float sample with some NaNs and infinities in it."""
    x = sample(shape, dtype, seed).copy()
    flat = x.reshape(-1)
    for i, v in zip(range(0, flat.size, 3), itertools.cycle((NAN, INF, -INF, NAN))):
        flat[i] = v
    return x


def expect(ref: Callable[..., Any], *args: Any) -> Any:
    """NumPy's result (lists stay lists) or the builtin class of NumPy's exception."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            out = ref(*args)
    except Exception as error:  # noqa: BLE001 - the class is the expected value
        return next(k for k in type(error).__mro__ if k.__module__ == "builtins")
    if isinstance(out, (list, tuple)):
        return [np.asarray(x) for x in out]
    if type(out) is bool:
        return out
    return np.asarray(out)


def case(body: str, ref: Callable[..., Any], *args: Any) -> tuple:
    """A case f(a[, b]) = body checked against ref(*args)."""
    program = f1(body) if len(args) == 1 else f2(body)
    return c(program, expect(ref, *args), *args)


def over_inputs(body: str, ref: Callable, shapes=SHAPES, dtypes=ALL_DTYPES, make=sample) -> list:
    return [case(body, ref, make(s, d)) for s, d in itertools.product(shapes, dtypes)]


def axes_of(shape: tuple) -> list:
    return list(range(-len(shape), len(shape)))


# ---- isclose, allclose, array_equal --------------------------------------------------------------


def close_pairs() -> list:
    out = []
    for (sa, sb), d in itertools.product(PAIRS, ALL_DTYPES):
        out.append((sample(sa, d, 1), sample(sb, d, 2)))
    for d in FLOATS:
        a = sample((3, 4), d, 3)
        out.append((a, a * d(1 + 3e-6)))
        out.append((a, a + d(2e-5)))
    s = np.array([1.0, NAN, INF, -INF, 1e10, 1e-9, 0.0])
    t = np.array([1.0 + 1e-9, NAN, INF, INF, 1.00001e10, 0.0, NAN])
    out.append((s, t))
    out.append((s.astype(np.float32), t.astype(np.float32)))
    return out


def isclose_cases(name: str, ref: Callable) -> list:
    cases = []
    for a, b in close_pairs():
        cases.append(case(f"{name}(a, b)", ref, a, b))
        cases.append(
            case(
                f"{name}(a, b, __arg(equal_nan, true), __arg(atol, 0.5))",
                lambda x, y: ref(x, y, equal_nan=True, atol=0.5),
                a,
                b,
            )
        )
    s = np.array([1.0, 2.0, 3.0])
    cases += [
        case(f"{name}(a, b, 0.1)", lambda x, y: ref(x, y, 0.1), s, s * 1.05),
        case(f"{name}(a, b, 0.01, 0.2)", lambda x, y: ref(x, y, 0.01, 0.2), s, s + 0.1),
        case(f"{name}(a, b)", ref, np.ones((2, 3)), np.ones((3, 2))),
        c(f"{name}(1, 1.0000001)", expect(ref, 1, 1.0000001)),
        c(f"{name}(list(1, 2), list(1, 3))", expect(ref, [1, 2], [1, 3])),
        c(f'{name}("a", 1)', TypeError),
    ]
    return cases


def array_equal_cases() -> list:
    cases = []
    for s, d in itertools.product(SHAPES, ALL_DTYPES):
        a = sample(s, d)
        cases.append(case("array_equal(a, b)", np.array_equal, a, a.copy()))
        if a.size:
            b = a.copy()
            b.reshape(-1)[-1] = not b.reshape(-1)[-1] if d is np.bool_ else b.reshape(-1)[-1] + 1
            cases.append(case("array_equal(a, b)", np.array_equal, a, b))
    n = np.array([1.0, NAN])
    cases += [
        case("array_equal(a, b)", np.array_equal, np.ones((2, 3)), np.ones((3, 2))),
        case("array_equal(a, b)", np.array_equal, np.ones(3), np.ones((1, 3))),
        case("array_equal(a, b)", np.array_equal, np.arange(3), np.arange(3.0)),
        case("array_equal(a, b)", np.array_equal, n, n),
        case("array_equal(a, b, true)", lambda x, y: np.array_equal(x, y, True), n, n),
        case(
            "array_equal(a, b, __arg(equal_nan, true))",
            lambda x, y: np.array_equal(x, y, True),
            n,
            np.array([1.0, 2.0]),
        ),
        c("array_equal(list(1, 2), list(1, 2))", True),
        c('array_equal("a", 1)', TypeError),
    ]
    return cases


def _bool(ref: Callable) -> Callable:
    return lambda *a, **k: bool(ref(*a, **k))


# ---- hypot, fmax, fmin, nan_to_num ---------------------------------------------------------------


def nan_binary_cases(name: str, ref: Callable) -> list:
    cases = []
    for (sa, sb), d in itertools.product(PAIRS, ALL_DTYPES):
        cases.append(case(f"{name}(a, b)", ref, sample(sa, d, 1), sample(sb, d, 2)))
    x = np.array([1.0, NAN, NAN, -INF, 3.0, 0.0, -0.0])
    y = np.array([NAN, 2.0, NAN, 1.0, INF, -0.0, 0.0])
    return cases + [
        case(f"{name}(a, b)", ref, x, y),
        case(f"{name}(a, b)", ref, x.astype(np.float32), y.astype(np.float32)),
        case(f"{name}(a, 2)", lambda a: ref(a, 2), x.astype(np.float32)),
        case(f"{name}(a, 2.5)", lambda a: ref(a, 2.5), np.arange(4)),
        case(f"{name}(a, b)", ref, np.ones((2, 3)), np.ones((3, 2))),
        c(f"{name}(3, 4)", expect(ref, np.int64(3), np.int64(4))),
        c(f'{name}("a", 1)', TypeError),
    ]


def nan_to_num_cases() -> list:
    cases = over_inputs("nan_to_num(a)", np.nan_to_num, make=sample)
    cases += over_inputs("nan_to_num(a)", np.nan_to_num, dtypes=FLOATS, make=with_specials)
    x = with_specials((3, 4), np.float64)
    cases += [
        case(
            "nan_to_num(a, __arg(nan, -1.5), __arg(posinf, 9), __arg(neginf, -9))",
            lambda a: np.nan_to_num(a, nan=-1.5, posinf=9, neginf=-9),
            x,
        ),
        case(
            "nan_to_num(a, true, 7.0)",
            lambda a: np.nan_to_num(a, True, 7.0),
            x.astype(np.float32),
        ),
        case("nan_to_num(transpose(a))", lambda a: np.nan_to_num(a.T), x),
        c("nan_to_num(2.5)", np.asarray(np.nan_to_num(2.5))),
        c('nan_to_num("a")', TypeError),
    ]
    return cases


# ---- median, percentile, quantile, average, ptp, nansum, nanmean ------------------------------


def quantile_cases(name: str, ref: Callable, qs: tuple) -> list:
    cases = []
    for shape, d in itertools.product(SHAPES, ALL_DTYPES):
        a = sample(shape, d)
        for q in qs:
            cases.append(case(f"{name}(a, {q})", lambda x, q=q: ref(x, q), a))
        cases.append(case(f"{name}(a, list{qs})", lambda x: ref(x, list(qs)), a))
        for axis in axes_of(shape):
            cases.append(
                case(
                    f"{name}(a, {qs[1]}, {axis}, true)",
                    lambda x, k=axis: ref(x, qs[1], axis=k, keepdims=True),
                    a,
                )
            )
            cases.append(
                case(f"{name}(a, list{qs}, {axis})", lambda x, k=axis: ref(x, list(qs), axis=k), a)
            )
    x = with_specials((3, 4), np.float64)
    x[1] = [1.0, 2.0, INF, 4.0]
    cases += [
        case(f"{name}(a, {qs[1]}, 1)", lambda a: ref(a, qs[1], axis=1), x),
        case(f"{name}(a, {qs[1]}, '(0, 1))", lambda a: ref(a, qs[1], axis=(0, 1)), x),
        case(f"{name}(a, b)", ref, sample((3, 5), np.float32), np.array(qs, np.float32)),
        case(f"{name}(a, b)", ref, sample((3, 5), np.float32), np.array(qs)),
        case(
            f"{name}(a, b, 0)",
            lambda a, b: ref(a, b, axis=0),
            sample((3, 5), np.int64),
            np.array(qs[:2], np.int64),
        ),
        case(
            f"{name}(transpose(a), {qs[2]})", lambda a: ref(a.T, qs[2]), sample((4, 3), np.float64)
        ),
        case(
            f"{name}(a, {qs[0]} * 2 + 1000)",
            lambda a: ref(a, qs[0] * 2 + 1000),
            sample((3,), np.float64),
        ),
        case(f"{name}(a, -1)", lambda a: ref(a, -1), sample((3,), np.float64)),
        case(f"{name}(a, {qs[0]}, 2)", lambda a: ref(a, qs[0], axis=2), sample((3,), np.float64)),
        c(f'{name}("a", 1)', TypeError),
    ]
    return cases


def median_cases() -> list:
    x = with_specials((3, 4), np.float64)
    x[1] = [1.0, 2.0, INF, 4.0]
    return [
        case("median(a, 1)", lambda a: np.median(a, axis=1), x),
        case(
            "median(a, -1, true)",
            lambda a: np.median(a, axis=-1, keepdims=True),
            x.astype(np.float32),
        ),
        case("median(a)", np.median, np.array([INF, INF, -INF])),
        case("median(transpose(a), 1)", lambda a: np.median(a.T, axis=1), sample((4, 3), np.int64)),
        case("median(a, 3)", lambda a: np.median(a, axis=3), sample((2, 3), np.float64)),
        case("median(a, '(0, 0))", lambda a: np.median(a, axis=(0, 0)), sample((2, 3), np.float64)),
        c("median(list(1, 2, 3, 4))", np.asarray(np.median([1, 2, 3, 4]))),
        c('median("a")', TypeError),
    ]


def average_cases() -> list:
    cases = []
    for d, wd in itertools.product(ALL_DTYPES, ALL_DTYPES):
        a, w = (
            sample((3, 4), d),
            np.abs(sample((3, 4), wd, 5)) + (wd(1) if wd is not np.bool_ else True),
        )
        cases.append(
            case("average(a, __arg(weights, b))", lambda x, y: np.average(x, weights=y), a, w)
        )
    a = sample((2, 3, 4), np.float64)
    for axis in axes_of(a.shape):
        w = np.arange(1.0, a.shape[axis] + 1)
        cases.append(case(f"average(a, {axis}, b)", lambda x, y, k=axis: np.average(x, k, y), a, w))
        cases.append(
            case(
                f"average(a, {axis}, b, true)",
                lambda x, y, k=axis: np.average(x, k, y, keepdims=True),
                a,
                np.ones_like(a),
            )
        )
    cases += [
        case(
            "average(a, __arg(weights, b))",
            lambda x, y: np.average(x, weights=y),
            a,
            np.arange(4.0),
        ),
        case("average(a, 0, b)", lambda x, y: np.average(x, 0, y), a, np.ones((2, 3))),
        case("average(a, 0, b)", lambda x, y: np.average(x, 0, y), a, np.ones(3)),
        case("average(a, 0, b)", lambda x, y: np.average(x, 0, y), a, np.array([1.0, -1.0])),
        case(
            "average(a, 1, b)",
            lambda x, y: np.average(x, 1, y),
            sample((3, 2), np.int64),
            np.array([2, 3]),
        ),
        c('average("a")', TypeError),
    ]
    return cases


def nan_reduction_cases(name: str, ref: Callable) -> list:
    x = with_specials((3, 4), np.float64)
    x[:, 1] = NAN
    x = np.where(np.isinf(x), 1.5, x)
    return [
        case(f"{name}(a)", ref, x),
        case(f"{name}(a, 0)", lambda a: ref(a, 0), x),
        case(f"{name}(a, -1, __arg(keepdims, true))", lambda a: ref(a, -1, keepdims=True), x),
        case(f"{name}(a, 0)", lambda a: ref(a, 0), x.astype(np.float32)),
        case(f"{name}(a, 2)", lambda a: ref(a, 2), x),
        c(f'{name}("a")', TypeError),
    ]


# ---- moveaxis, roll, rot90, tril, triu, meshgrid, logspace, tri ------------------------------


def moveaxis_cases() -> list:
    cases = []
    for shape, d in itertools.product(SHAPES, ALL_DTYPES):
        a = sample(shape, d)
        for src in axes_of(shape):
            for dst in (0, -1):
                cases.append(
                    case(
                        f"moveaxis(a, {src}, {dst})",
                        lambda x, s=src, t=dst: np.moveaxis(x, s, t),
                        a,
                    )
                )
    a = sample((2, 3, 4, 5), np.float64)
    for src, dst in (((0, 1), (2, 3)), ((0, -1), (-1, 0)), ((3, 0, 1), (0, 2, 1)), ((), ())):
        cases.append(
            case(
                f"moveaxis(a, '{src}, '{dst})".replace("'()", "list()").replace("'(", "'("),
                lambda x, s=src, t=dst: np.moveaxis(x, s, t),
                a,
            )
        )
    cases += [
        case("moveaxis(a, 3, 0)", lambda x: np.moveaxis(x, 3, 0), sample((2, 3), np.float64)),
        case("moveaxis(a, '(0, 0), '(1, 2))", lambda x: np.moveaxis(x, (0, 0), (1, 2)), a),
        case("moveaxis(a, '(0, 1), 2)", lambda x: np.moveaxis(x, (0, 1), 2), a),
        c('moveaxis("a", 0, 0)', TypeError),
    ]
    return cases


def roll_cases() -> list:
    cases = []
    for shape, d in itertools.product(SHAPES, ALL_DTYPES):
        a = sample(shape, d)
        cases.append(case("roll(a, 2)", lambda x: np.roll(x, 2), a))
        cases.append(case("roll(a, -7)", lambda x: np.roll(x, -7), a))
        for axis in axes_of(shape):
            cases.append(case(f"roll(a, 3, {axis})", lambda x, k=axis: np.roll(x, 3, k), a))
    a = sample((2, 3, 4), np.int64)
    cases += [
        case("roll(a, '(1, -2), '(0, 2))", lambda x: np.roll(x, (1, -2), (0, 2)), a),
        case("roll(a, 1, '(0, 1, 0))", lambda x: np.roll(x, 1, (0, 1, 0)), a),
        case("roll(a, '(1, 2))", lambda x: np.roll(x, (1, 2)), a),
        case("roll(transpose(a), 5, 1)", lambda x: np.roll(x.T, 5, 1), a),
        case("roll(a, '(1, 2, 3), '(0, 1))", lambda x: np.roll(x, (1, 2, 3), (0, 1)), a),
        case("roll(a, 1, 3)", lambda x: np.roll(x, 1, 3), a),
    ]
    return cases


def rot90_cases() -> list:
    cases = []
    for shape, d in itertools.product(((3, 4), (2, 3, 4), (0, 2), (4, 0, 1)), ALL_DTYPES):
        a = sample(shape, d)
        for k in (-1, 0, 1, 2, 3, 5):
            cases.append(case(f"rot90(a, {k})", lambda x, k=k: np.rot90(x, k), a))
    a = sample((2, 3, 4), np.float64)
    for axes in ((1, 2), (2, 0), (-1, -2), (0, -1)):
        for k in (1, 2, 3):
            cases.append(
                case(f"rot90(a, {k}, '{axes})", lambda x, k=k, ax=axes: np.rot90(x, k, ax), a)
            )
    cases += [
        case("rot90(a)", np.rot90, sample((4,), np.float64)),
        case("rot90(a, 1, '(0, 0))", lambda x: np.rot90(x, 1, (0, 0)), a),
        case("rot90(a, 1, '(0, 3))", lambda x: np.rot90(x, 1, (0, 3)), a),
        case("rot90(a, 1, '(0, 1, 2))", lambda x: np.rot90(x, 1, (0, 1, 2)), a),
        case("rot90(a, 1, '(0, -3))", lambda x: np.rot90(x, 1, (0, -3)), a),
        case("rot90(a, __arg(axes, '(1, 0)))", lambda x: np.rot90(x, axes=(1, 0)), a),
    ]
    return cases


def triangle_cases(name: str, ref: Callable) -> list:
    cases = []
    for shape, d in itertools.product(
        ((5,), (3, 4), (4, 3), (2, 3, 4), (0, 3), (2, 0)), ALL_DTYPES
    ):
        a = sample(shape, d)
        for k in (-2, -1, 0, 1, 3):
            cases.append(case(f"{name}(a, {k})", lambda x, k=k: ref(x, k), a))
    cases += [
        case(f"{name}(a)", ref, sample((3, 3), np.float32)),
        case(f"{name}(a, __arg(k, 1))", lambda x: ref(x, k=1), sample((3, 3), np.float64)),
        c(f"{name}(2.5)", TypeError),
    ]
    return cases


def meshgrid_cases() -> list:
    x, y, z = np.arange(3), np.linspace(0, 1, 4), np.array([[True, False]])
    cases = [
        c(f1("meshgrid(a)"), expect(np.meshgrid, x), x),
        c(f2("meshgrid(a, b)"), expect(np.meshgrid, x, y), x, y),
        c(
            f2('meshgrid(a, b, __arg(indexing, "ij"))'),
            expect(lambda a, b: np.meshgrid(a, b, indexing="ij"), x, y),
            x,
            y,
        ),
        c(f2("meshgrid(a, b, a)"), expect(np.meshgrid, x, y, x), x, y),
        c(
            f2('meshgrid(a, b, a, __arg(indexing, "ij"))'),
            expect(lambda a, b: np.meshgrid(a, b, a, indexing="ij"), x, y),
            x,
            y,
        ),
        c(f2("meshgrid(b, a, b, a)"), expect(np.meshgrid, y, x, y, x), x, y),
        c(f1("meshgrid(a, 2.5)"), expect(np.meshgrid, z, 2.5), z),
        c(f2("meshgrid(a, b)"), expect(np.meshgrid, np.zeros(0), y), np.zeros(0), y),
        c(f2('meshgrid(a, b, __arg(indexing, "xz"))'), ValueError, x, y),
        c("meshgrid()", []),
    ]
    return cases


def logspace_cases() -> list:
    cases = []
    for args in (
        "0, 2",
        "0, 2, 5",
        "-1, 3, 7, false",
        "1, 0, 4",
        "2, 3, 4, true, 2.0",
        "0, 1, 1",
        "0, 1, 0",
        "0.5, 0.5, 3",
        "0, 3, 4, __arg(base, 3)",
    ):
        py = (
            args.replace("__arg(base, 3)", "base=3")
            .replace("false", "False")
            .replace("true", "True")
        )
        cases.append(c(f"logspace({args})", expect(eval, f"np.logspace({py})")))
    cases += [
        c('logspace(0, 2, 3, __arg(dtype, "float32"))', np.logspace(0, 2, 3, dtype=np.float32)),
        c("logspace(0, 2, -1)", ValueError),
    ]
    return cases


def tri_cases() -> list:
    cases = []
    for n, m, k in itertools.product((0, 1, 3, 4), (None, 0, 2, 5), (-2, 0, 1)):
        mm = "nil" if m is None else m
        cases.append(c(f"tri({n}, {mm}, {k})", np.tri(n, m, k)))
    cases += [
        c("tri(3)", np.tri(3)),
        c('tri(3, __arg(dtype, "int64"))', np.tri(3, dtype=np.int64)),
        c('tri(2, 3, 0, "bool")', np.tri(2, 3, 0, dtype=bool)),
        c("tri(-1)", ValueError),
        c("tri(2.5)", TypeError),
    ]
    return cases


ROWS: dict[str, Row] = {
    "isclose": Cases(isclose_cases("isclose", np.isclose)),
    "allclose": Cases(isclose_cases("allclose", _bool(np.allclose))),
    "array_equal": Cases(array_equal_cases()),
    "hypot": Elementwise(np.hypot, 2),
    "fmax": Cases(nan_binary_cases("fmax", np.fmax)),
    "fmin": Cases(nan_binary_cases("fmin", np.fmin)),
    "nan_to_num": Cases(nan_to_num_cases()),
    "median": Reduction(np.median),
    "percentile": Cases(quantile_cases("percentile", np.percentile, (0, 37.5, 50, 100))),
    "quantile": Cases(quantile_cases("quantile", np.quantile, (0, 0.25, 0.5, 1))),
    "average": Reduction(np.average),
    "ptp": Reduction(np.ptp),
    "nansum": Reduction(np.nansum),
    "nanmean": Reduction(np.nanmean),
    "moveaxis": Cases(moveaxis_cases()),
    "roll": Cases(roll_cases()),
    "rot90": Cases(rot90_cases()),
    "tril": Cases(triangle_cases("tril", np.tril)),
    "triu": Cases(triangle_cases("triu", np.triu)),
    "meshgrid": Cases(meshgrid_cases()),
    "logspace": Cases(logspace_cases()),
    "tri": Cases(tri_cases()),
}
EXTRA_CASES = {
    "median": median_cases(),
    "average": average_cases(),
    "nansum": nan_reduction_cases("nansum", np.nansum),
    "nanmean": nan_reduction_cases("nanmean", np.nanmean),
}
