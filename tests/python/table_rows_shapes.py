"""Table rows of the shape, creation and math primitives added together: tile, repeat, pad, the
split family, dstack, column_stack; indices, fromfunction, nonzero, argwhere, flatnonzero; erf,
erfc, softmax, logsumexp (against scipy.special) and around.

Each case is computed by NumPy when the module loads: its value, or the builtin exception class
NumPy raises (Larix must raise the same class).
"""

from __future__ import annotations

import itertools
import math
from typing import Any, Callable

import numpy as np
from table_support import ALL_DTYPES, SHAPES, Cases, Elementwise, Row, c, f1, f2

RNG_SEED = 7


def sample(shape: tuple, dtype: Any, seed: int = RNG_SEED) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if dtype is np.bool_:
        return rng.integers(0, 2, shape).astype(bool)
    if dtype is np.int64:
        return rng.integers(-5, 6, shape).astype(np.int64)
    return rng.uniform(-3, 3, shape).astype(dtype)


def expect(ref: Callable[..., Any], *args: Any) -> Any:
    """NumPy's result (lists of arrays stay lists) or the builtin class of NumPy's exception."""
    try:
        out = ref(*args)
    except Exception as error:  # noqa: BLE001 - the class is the expected value
        return next(k for k in type(error).__mro__ if k.__module__ == "builtins")
    if isinstance(out, (list, tuple)):
        return [np.asarray(x) for x in out]
    return np.asarray(out)


def case(body: str, ref: Callable[..., Any], *args: Any) -> tuple:
    """A case f(a[, b]) = body checked against ref(*args)."""
    program = f1(body) if len(args) == 1 else f2(body)
    return c(program, expect(ref, *args), *args)


def over_inputs(body: str, ref: Callable[[np.ndarray], Any], shapes=SHAPES, dtypes=ALL_DTYPES):
    return [case(body, ref, sample(s, d)) for s, d in itertools.product(shapes, dtypes)]


def axes_of(shape: tuple) -> list:
    return list(range(-len(shape), len(shape)))


# ---- tile, repeat, pad ---------------------------------------------------------------------------

TILE = Cases(
    over_inputs("tile(a, 2)", lambda a: np.tile(a, 2))
    + over_inputs("tile(a, '(2, 1))", lambda a: np.tile(a, (2, 1)))
    + over_inputs("tile(a, list(1, 2, 3))", lambda a: np.tile(a, (1, 2, 3)), dtypes=(np.float32,))
    + over_inputs("tile(a, [0, 2])", lambda a: np.tile(a, [0, 2]), dtypes=(np.int64,))
    + over_inputs("tile(a, list())", lambda a: np.tile(a, ()), dtypes=(np.float64,))
    + [
        case(
            "tile(transpose(a), '(2, 2))", lambda a: np.tile(a.T, (2, 2)), sample((3, 4), np.int64)
        ),
        case("tile(a, -1)", lambda a: np.tile(a, -1), sample((3,), np.float64)),
        c(f1("tile(a, 1.5)"), TypeError, sample((3,), np.float64)),
        c("tile(3, 2)", np.tile(3, 2)),
    ]
)


def repeat_cases() -> list:
    out = []
    for s, d in itertools.product(SHAPES, ALL_DTYPES):
        a = sample(s, d)
        out.append(case("repeat(a, 2)", lambda a: np.repeat(a, 2), a))
        for axis in axes_of(s):
            out.append(case(f"repeat(a, 3, {axis})", lambda a, k=axis: np.repeat(a, 3, k), a))
            counts = [i % 3 for i in range(s[axis])]
            text = "list(" + ", ".join(map(str, counts)) + ")"
            out.append(
                case(
                    f"repeat(a, {text}, {axis})",
                    lambda a, k=axis, r=counts: np.repeat(a, r, k),
                    a,
                )
            )
    a = sample((2, 3), np.float64)
    out += [
        case("repeat(a, '(1, 2, 3), 0)", lambda a: np.repeat(a, (1, 2, 3), 0), a),
        case("repeat(a, '(1, -1), 0)", lambda a: np.repeat(a, (1, -1), 0), a),
        case("repeat(a, -1)", lambda a: np.repeat(a, -1), a),
        case("repeat(a, 2, 2)", lambda a: np.repeat(a, 2, 2), a),
        case("repeat(a, 2, -3)", lambda a: np.repeat(a, 2, -3), a),
        case("repeat(a, [1], 1)", lambda a: np.repeat(a, [1], 1), a),
        case("repeat(a, 2, __arg(axis, 1))", lambda a: np.repeat(a, 2, axis=1), a),
        c(f1("repeat(a, 1.5)"), TypeError, a),
        c("repeat(3, 2)", np.repeat(3, 2)),
        case("repeat(a, 2, 0)", lambda a: np.repeat(a, 2, 0), sample((), np.int64)),
    ]
    return out


PAD_MODES = ("constant", "edge", "reflect", "symmetric", "wrap")


def pad_cases() -> list:
    out = []
    for s, d in itertools.product(SHAPES, ALL_DTYPES):
        a = sample(s, d)
        for mode in PAD_MODES:
            out.append(case(f'pad(a, 2, "{mode}")', lambda a, m=mode: np.pad(a, 2, mode=m), a))
        out.append(case("pad(a, '(1, 3))", lambda a: np.pad(a, (1, 3)), a))
    widths = [((0, 1), (2, 0)), ((4, 7), (1, 5)), ((3,), (0,))]
    for (s, d), w, mode in itertools.product(
        [((2, 3), np.float64), ((3, 1), np.int64), ((1, 4), np.bool_)], widths, PAD_MODES
    ):
        text = "list(" + ", ".join(f"'({', '.join(map(str, p))})" for p in w) + ")"
        out.append(
            case(f'pad(a, {text}, "{mode}")', lambda a, w=w, m=mode: np.pad(a, w, m), sample(s, d))
        )
    a = sample((2, 3), np.float32)
    b = sample((3,), np.int64)
    out += [
        case(
            "pad(a, 2, __arg(constant_values, '(7, 8)))",
            lambda a: np.pad(a, 2, constant_values=(7, 8)),
            a,
        ),
        case(
            "pad(a, 1, __arg(constant_values, list('(1, 2), '(3, 4))))",
            lambda a: np.pad(a, 1, constant_values=((1, 2), (3, 4))),
            a,
        ),
        case(
            "pad(a, 2, __arg(constant_values, 1.7))", lambda a: np.pad(a, 2, constant_values=1.7), b
        ),
        case(
            "pad(a, 2, __arg(constant_values, 5))",
            lambda a: np.pad(a, 2, constant_values=5),
            sample((2,), np.bool_),
        ),
        case(
            "pad(a, 1, __arg(constant_values, 9007199254740993))",
            lambda a: np.pad(a, 1, constant_values=2**53 + 1),
            b,
        ),
        case('pad(a, \'(9, 2), "reflect")', lambda a: np.pad(a, (9, 2), "reflect"), b),
        case('pad(a, \'(2, 9), "symmetric")', lambda a: np.pad(a, (2, 9), "symmetric"), b),
        case('pad(a, \'(10, 4), "wrap")', lambda a: np.pad(a, (10, 4), "wrap"), b),
        case('pad(a, 3, "reflect")', lambda a: np.pad(a, 3, "reflect"), sample((1,), np.float64)),
        case("pad(a, -1)", lambda a: np.pad(a, -1), b),
        case("pad(a, '(1, -1))", lambda a: np.pad(a, (1, -1)), b),
        case("pad(a, list('(1, 2), '(1, 1)))", lambda a: np.pad(a, ((1, 2), (1, 1))), b),
        case("pad(a, list('(1, 2), '(1, 1), '(1, 1)))", lambda a: np.pad(a, ((1, 2),) * 3), a),
        case('pad(a, 1, "bogus")', lambda a: np.pad(a, 1, "bogus"), b),
        case('pad(a, 1, "edge")', lambda a: np.pad(a, 1, "edge"), sample((0, 3), np.float64)),
        case(
            "pad(a, list('(0, 0), '(1, 1)), \"wrap\")",
            lambda a: np.pad(a, ((0, 0), (1, 1)), "wrap"),
            sample((0, 3), np.float64),
        ),
        case(
            'pad(a, __arg(pad_width, 1), __arg(mode, "edge"))',
            lambda a: np.pad(a, pad_width=1, mode="edge"),
            a,
        ),
        c(f1("pad(a, 1.5)"), TypeError, b),
    ]
    return out


# ---- split family, dstack, column_stack ----------------------------------------------------------


def split_cases(name: str) -> list:
    fn = getattr(np, name)
    out = []
    for s, d in itertools.product(SHAPES, ALL_DTYPES):
        a = sample(s, d)
        for axis in [0, *axes_of(s)][: 1 + len(s)] if s else [0]:
            for sections in (1, 2, 3):
                out.append(
                    case(
                        f"{name}(a, {sections}, {axis})",
                        lambda a, n=sections, k=axis: fn(a, n, k),
                        a,
                    )
                )
            out.append(
                case(f"{name}(a, '(1, -1, 9), {axis})", lambda a, k=axis: fn(a, [1, -1, 9], k), a)
            )
            out.append(case(f"{name}(a, [2, 1], {axis})", lambda a, k=axis: fn(a, [2, 1], k), a))
    a = sample((4, 6), np.float64)
    out += [
        case(f"{name}(a, 0)", lambda a: fn(a, 0), a),
        case(f"{name}(a, -2)", lambda a: fn(a, -2), a),
        case(f"{name}(a, 2, 2)", lambda a: fn(a, 2, 2), a),
        case(f"{name}(a, 4, -1)", lambda a: fn(a, 4, -1), a),
        case(f"{name}(a, 3, __arg(axis, 1))", lambda a: fn(a, 3, axis=1), a),
        case(f"{name}(a, 2.0)", lambda a: fn(a, 2.0), a),
        case(f"{name}(a, list())", lambda a: fn(a, []), a),
        case(f"{name}(a, 2)", lambda a: fn(a, 2), sample((), np.float64)),
        case(f"{name}(transpose(a), 3)", lambda a: fn(a.T, 3), a),
    ]
    return out


def fixed_split_cases(name: str) -> list:
    fn = getattr(np, name)
    out = []
    for s, d in itertools.product(SHAPES, ALL_DTYPES):
        for sections in (1, 2, "'(1, 3)"):
            ref_sections = [1, 3] if isinstance(sections, str) else sections
            out.append(
                case(f"{name}(a, {sections})", lambda a, n=ref_sections: fn(a, n), sample(s, d))
            )
    return out


def stack_cases(name: str) -> list:
    fn = getattr(np, name)
    out = []
    for s, d in itertools.product(SHAPES, ALL_DTYPES):
        a, b = sample(s, d), sample(s, np.float32, seed=3)
        out.append(case(f"{name}(list(a, b))", lambda a, b: fn([a, b]), a, b))
        out.append(case(f"{name}(list(a, a, a))", lambda a: fn([a, a, a]), a))
    out += [
        case(
            f"{name}(list(a, b))",
            lambda a, b: fn([a, b]),
            sample((2, 3), np.int64),
            sample((3,), np.int64),
        ),
        case(
            f"{name}(list(a, b))",
            lambda a, b: fn([a, b]),
            sample((3,), np.int64),
            sample((3, 2), np.int64),
        ),
        case(
            f"{name}(list(a, b))",
            lambda a, b: fn([a, b]),
            sample((3, 1), np.int64),
            sample((3, 2), np.int64),
        ),
        c(f"{name}(list())", ValueError),
        case(f"{name}(a)", lambda a: fn(a), sample((2, 3), np.float64)),
    ]
    return out


ROWS: dict[str, Row] = {
    "tile": TILE,
    "repeat": Cases(repeat_cases()),
    "pad": Cases(pad_cases()),
    "split": Cases(split_cases("split")),
    "array_split": Cases(split_cases("array_split")),
    "hsplit": Cases(fixed_split_cases("hsplit")),
    "vsplit": Cases(fixed_split_cases("vsplit")),
    "dsplit": Cases(fixed_split_cases("dsplit")),
    "dstack": Cases(stack_cases("dstack")),
    "column_stack": Cases(stack_cases("column_stack")),
}


# ---- index generation: indices, fromfunction, nonzero, argwhere, flatnonzero --------------------


def nonzero_input(shape: tuple, dtype: Any) -> np.ndarray:
    """Mostly zeros, with NaN and -0.0 among the floats."""
    a = sample(shape, dtype)
    a = np.where(sample(shape, np.int64, seed=11) > 1, a, np.zeros((), dtype))
    if a.dtype.kind == "f" and a.size >= 3:
        a.flat[0], a.flat[1] = np.nan, -0.0
    return a


def nonzero_cases(name: str, ref: Callable[[np.ndarray], Any]) -> list:
    out = []
    for s, d in itertools.product(SHAPES, ALL_DTYPES):
        a = nonzero_input(s, d)
        out.append(case(f"{name}(a)", ref, a))
        if a.ndim >= 2:
            out.append(case(f"{name}(transpose(a))", lambda a: ref(a.T), a))
    out += [
        case(f"{name}(a)", ref, np.array(0.0)),
        case(f"{name}(a)", ref, np.array(np.nan)),
        c(f"{name}(list(0, 2, 3))", expect(ref, np.array([0, 2, 3]))),
    ]
    return out


INDEX_SHAPES = [("'(2, 3)", (2, 3)), ("list(4)", (4,)), ("list()", ()), ("'(0, 2)", (0, 2))]
INDEX_SHAPES += [("[2, 1, 3]", (2, 1, 3))]


def indices_cases() -> list:
    out = []
    for text, dims in INDEX_SHAPES:
        out.append(c(f"indices({text})", expect(np.indices, dims)))
        for dt in ("bool", "float32", "float64"):
            out.append(c(f'indices({text}, "{dt}")', expect(np.indices, dims, dt)))
        out.append(c(f"indices({text}, __arg(sparse, true))", expect(np.indices, dims, int, True)))
    out += [c("indices(3)", TypeError), c("indices('(2, -1))", ValueError)]
    return out


FROMFUNCTION = Cases(
    [
        c(
            "fromfunction(lambda(i, j, i * 10 + j), '(2, 3))",
            np.fromfunction(lambda i, j: i * 10 + j, (2, 3)),
        ),
        c(
            'fromfunction(lambda(i, j, i == j), \'(3, 3), "int64")',
            np.fromfunction(lambda i, j: i == j, (3, 3), dtype=np.int64),
        ),
        c(
            'define(g, i, j, k, i + j * k) fromfunction(g, list(2, 3, 4), __arg(dtype, "float32"))',
            np.fromfunction(lambda i, j, k: i + j * k, (2, 3, 4), dtype=np.float32),
        ),
        c("fromfunction(lambda(i, exp(-i)), list(5))", np.fromfunction(lambda i: np.exp(-i), (5,))),
        c("fromfunction(lambda(i, i), list(0))", np.fromfunction(lambda i: i, (0,))),
        c("fromfunction(lambda(3.5), list())", np.fromfunction(lambda: 3.5, ())),
        c(
            f2("fromfunction(lambda(i, j, a * i + b), '(2, 2))"),
            np.array([[1.0, 1], [3, 3]]),
            2.0,
            1.0,
        ),
        c("fromfunction(lambda(i, i), '(2, 2))", TypeError),
        c("fromfunction(3, '(2, 2))", TypeError),
        c("fromfunction(lambda(i, i), 2)", TypeError),
    ]
)


ROWS.update(
    {
        "indices": Cases(indices_cases()),
        "fromfunction": FROMFUNCTION,
        # Phylanx's nonzero counts a 0-d value as one element (NumPy before 1.17)
        "nonzero": Cases(nonzero_cases("nonzero", lambda a: np.nonzero(np.atleast_1d(a)))),
        "__nonzero": Cases(nonzero_cases("__nonzero", np.nonzero)),
        "argwhere": Cases(nonzero_cases("argwhere", np.argwhere)),
        "flatnonzero": Cases(nonzero_cases("flatnonzero", np.flatnonzero)),
    }
)


# ---- special functions: erf, erfc, softmax, logsumexp, around ------------------------------------


try:  # the reference of erf, erfc, softmax and logsumexp where it is installed
    import scipy.special as _special
except ImportError:  # scipy is no test dependency: then the formulas its documentation gives
    _special = None


def _erf_ref(fn: str) -> Callable[[np.ndarray], np.ndarray]:
    def ref(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        if _special is not None:
            return getattr(_special, fn)(x)
        out = np.vectorize(getattr(math, fn), otypes=[np.float64])(x.astype(np.float64))
        return out.astype(np.float32 if x.dtype == np.float32 else np.float64)

    return ref


def _as_float(a: np.ndarray) -> np.ndarray:
    """The dtype Larix computes in: float32 stays, bools and ints become float64."""
    a = np.asarray(a)
    return a if a.dtype == np.float32 else a.astype(np.float64)


def _softmax(a: np.ndarray, axis: Any = -1) -> np.ndarray:
    a = _as_float(a)
    with np.errstate(invalid="ignore"):
        if _special is not None:
            return _special.softmax(a, axis=axis)
        axis = None if a.ndim == 0 else axis
        e = np.exp(a - np.max(a, axis=axis, keepdims=True))
        return e / np.sum(e, axis=axis, keepdims=True)


def _logsumexp(a: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
    a = _as_float(a)
    with np.errstate(invalid="ignore", divide="ignore"):
        if a.size == 0:  # scipy raises IndexError for some empty inputs; log(0) = -inf is meant
            return np.log(np.sum(np.exp(a), axis=axis, keepdims=keepdims))
        if _special is not None:
            out = _special.logsumexp(a, axis=axis, keepdims=keepdims)
        else:
            axis = None if a.ndim == 0 else axis
            m = np.max(a, axis=axis, keepdims=True)
            m = np.where(np.isfinite(m), m, 0)
            s = np.sum(np.exp(a - m), axis=axis, keepdims=True)
            out = np.log(s) + m
            out = out if keepdims else np.squeeze(out, axis=axis)
    # scipy gives a 0-d input with keepdims shape (1,); NumPy's keepdims keeps it 0-d.
    return out.reshape(()) if a.ndim == 0 else out


def axis_text(axis: Any) -> str:
    if axis is None:
        return "nil"
    if isinstance(axis, tuple):
        return "'(" + ", ".join(map(str, axis)) + ")"
    return str(axis)


def axis_choices(shape: tuple) -> list:
    out: list = [None, *axes_of(shape)]
    if len(shape) >= 2:
        out.append((0, -1))
    return out


SPECIAL_VALUES = np.array(
    [[-np.inf, 1.0, 2.0], [np.inf, 0.0, -1.0], [np.nan, 3.0, 4.0], [-np.inf] * 3]
)


def softmax_cases() -> list:
    out = [
        case("softmax(a)", _softmax, sample(s, d)) for s, d in itertools.product(SHAPES, ALL_DTYPES)
    ]
    for s, d in itertools.product(SHAPES, (np.float32, np.float64, np.int64)):
        for axis in axis_choices(s):
            out.append(
                case(
                    f"softmax(a, {axis_text(axis)})", lambda a, k=axis: _softmax(a, k), sample(s, d)
                )
            )
    out += [
        case("softmax(a, 0)", lambda a: _softmax(a, 0), SPECIAL_VALUES),
        case("softmax(a)", _softmax, SPECIAL_VALUES),
        case("softmax(a * 1000.0)", lambda a: _softmax(a * 1000.0), sample((4, 5), np.float64)),
        case("softmax(a, 2)", lambda a: _softmax(a, 2), sample((2, 3), np.float64)),
        case("softmax(a, __arg(axis, 0))", lambda a: _softmax(a, 0), sample((2, 3), np.float32)),
        case("softmax(a, 0)", lambda a: _softmax(a, 0), sample((), np.float64)),
        case("softmax(transpose(a), 0)", lambda a: _softmax(a.T, 0), sample((3, 4), np.float64)),
    ]
    return out


def logsumexp_cases() -> list:
    out = []
    for s, d in itertools.product(SHAPES, ALL_DTYPES):
        for axis in axis_choices(s):
            for keepdims in (False, True):
                out.append(
                    case(
                        f"logsumexp(a, {axis_text(axis)}, {str(keepdims).lower()})",
                        lambda a, k=axis, kd=keepdims: _logsumexp(a, k, kd),
                        sample(s, d),
                    )
                )
    out += [
        case("logsumexp(a, 1)", lambda a: _logsumexp(a, 1), SPECIAL_VALUES),
        case("logsumexp(a, 0)", lambda a: _logsumexp(a, 0), SPECIAL_VALUES),
        case("logsumexp(a)", _logsumexp, np.array([np.inf, -np.inf])),
        case("logsumexp(a * 1000.0)", lambda a: _logsumexp(a * 1000.0), sample((50,), np.float64)),
        case("logsumexp(a, 0)", lambda a: _logsumexp(a, 0), sample((), np.float64)),
        case("logsumexp(a, 2)", lambda a: _logsumexp(a, 2), sample((2, 3), np.float64)),
        case(
            "logsumexp(a, __arg(keepdims, true))",
            lambda a: _logsumexp(a, keepdims=True),
            sample((2, 3), np.float32),
        ),
        c("logsumexp(list(1, 2, 3))", _logsumexp(np.array([1, 2, 3]))),
    ]
    return out


def around_cases() -> list:
    out = []
    halves = np.array(
        [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.675, 1234.5678, 125.0, 15.0, np.nan, np.inf]
    )
    for s, d in itertools.product(SHAPES, ALL_DTYPES):
        a = sample(s, d) * (1 if d is np.bool_ else 7)
        for decimals in (0, 1, 2, -1, -2):
            out.append(case(f"around(a, {decimals})", lambda a, n=decimals: np.round(a, n), a))
    for d in (np.float32, np.float64):
        for decimals in (0, 1, 2, 3, -1, -2):
            out.append(
                case(
                    f"around(a, {decimals})", lambda a, n=decimals: np.round(a, n), halves.astype(d)
                )
            )
    # NumPy rounds integers through float64 (inexact past 2**53); Larix is exact: test below that.
    ints = np.array([15, 25, -15, -25, 14, 35, 149, 150, 250, -250, 10**15 + 50, -(10**15) - 150])
    for decimals in (-1, -2, -3, -19, -25, 3):
        out.append(case(f"around(a, {decimals})", lambda a, n=decimals: np.round(a, n), ints))
    out += [
        case("around(a)", np.round, halves),
        case("around(a, __arg(decimals, 1))", lambda a: np.round(a, decimals=1), halves),
        case("around(a, 1.5)", lambda a: np.round(a, 1.5), halves),
    ]
    return out


ROWS.update(
    {
        "erf": Elementwise(_erf_ref("erf")),
        "erfc": Elementwise(_erf_ref("erfc")),
        "softmax": Cases(softmax_cases()),
        "logsumexp": Cases(logsumexp_cases()),
        "around": Cases(around_cases()),
    }
)
