"""Table rows of the NumPy functions of issue 11's breadth: einsum, bincount, histogram, digitize,
interp, convolve, correlate, copysign, diff, partition, argpartition, lexsort, take,
take_along_axis, put_along_axis, ravel_multi_index, unravel_index, union1d, intersect1d,
setdiff1d, isin, nanmax, nanmin, nanargmax, nanargmin, nanvar, nanstd, nancumsum, nancumprod,
the ufunc methods (ufunc_reduce, ufunc_accumulate, ufunc_outer), ascontiguousarray, itemsize,
nbytes.

Each case's expected value is NumPy's result for the same arguments (computed when the module
loads), or the builtin class of the exception NumPy raises. partition and argpartition are
checked on what NumPy promises (the kth values; the partition property is in
test_breadth_props.py): the order inside each side is NumPy's introselect's, not Larix's.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from table_rows_more import case, expect, sample
from table_support import ALL_DTYPES, BOOL, F32, F64, FLOATS, I64, NUMBERS, Cases, Elementwise, c

NAN = np.nan
SHAPES = ((5,), (3, 4), (2, 3, 4), (0,), (2, 0))


def physl(v: Any) -> str:
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, np.generic):
        return repr(v.item())
    if isinstance(v, (tuple, list)):
        return "list(" + ", ".join(physl(x) for x in v) + ")"
    return repr(v)


def with_nans(shape: tuple, dtype: Any, seed: int = 3) -> np.ndarray:
    x = sample(shape, dtype, seed)
    if dtype in FLOATS and x.size:
        x.reshape(-1)[:: max(1, x.size // 4)] = NAN
    return x


def small_ints(shape: tuple, dtype: Any, seed: int = 5) -> np.ndarray:
    """Few distinct values (ties), in any dtype."""
    x = np.random.default_rng(seed).integers(-2, 3, shape)
    return x.astype(bool) if dtype is BOOL else x.astype(dtype)


# ---- einsum ----------------------------------------------------------------------------------


def einsum_cases() -> list:
    out = []
    forms = [
        ("ij,jk->ik", ((3, 4), (4, 2))),
        ("ij,jk", ((3, 4), (4, 2))),
        ("ij,jk->ik", ((0, 4), (4, 2))),
        ("ij,jk->ik", ((3, 0), (0, 2))),
        ("i,i", ((5,), (5,))),
        ("i,i->i", ((5,), (5,))),
        ("i,j", ((3,), (4,))),
        ("ij,ij->i", ((3, 4), (3, 4))),
        ("ij,j->i", ((3, 4), (4,))),
        ("bij,bjk->bik", ((2, 3, 4), (2, 4, 5))),
        ("...ij,...jk", ((2, 3, 4), (4, 5))),
        ("...ij,...jk->...ik", ((2, 1, 3, 4), (3, 4, 2))),
        ("ij,jk,kl->il", ((2, 3), (3, 4), (4, 2))),
        ("Ab,bc", ((2, 3), (3, 2))),
        ("ii", ((4, 4),)),
        ("ii->i", ((4, 4),)),
        ("iij->j", ((3, 3, 2),)),
        ("ij->ji", ((3, 4),)),
        ("ijk->kji", ((2, 3, 4),)),
        ("ij->", ((3, 4),)),
        ("ij->j", ((3, 4),)),
        ("i->", ((0,),)),
        ("...->...", ((2, 3),)),
        ("ji", ((3, 4),)),
        (" i j , j k -> i k ", ((2, 3), (3, 2))),
    ]
    for (sub, shapes), dtype in itertools.product(forms, ALL_DTYPES):
        args = [sample(s, dtype, i + 1) for i, s in enumerate(shapes)]
        names = ", ".join(f"o{i}" for i in range(len(args)))
        program = f'define(f, {names}, einsum("{sub}", {names})) f'
        out.append(c(program, expect(lambda *a, s=sub: np.einsum(s, *a), *args), *args))
    mixed = [sample((3, 4), I64), sample((4, 2), F32)]
    out.append(
        c('define(f, a, b, einsum("ij,jk", a, b)) f', expect(np.einsum, "ij,jk", *mixed), *mixed)
    )
    bad = [
        ("ij,jk", ((3, 4), (5, 2))),  # sizes disagree
        ("ij", ((3,),)),  # too many subscripts
        ("i", ((3, 4),)),  # too few, no ellipsis
        ("i->j", ((3,),)),  # output label never in an input
        ("i->ii", ((3,),)),  # output label twice
        ("ii", ((2, 3),)),  # a diagonal of unequal axes
        ("...ii->...i", ((2, 3, 3),)),
        ("ij...,jk...->ik...", ((2, 3, 4), (3, 5, 4))),
        ("i$", ((3,),)),  # not a letter
        ("i,i", ((3,),)),  # fewer operands than terms
        ("i", ((3,), (3,))),  # more operands than terms
        ("i.", ((3,),)),  # a lone dot
        ("...ij->ij", ((2, 3, 4),)),  # broadcast dimensions without "..." in the output
        ("i,i", ((1,), (3,))),  # a length 1 broadcasts
        ("ij,ij->ij", ((1, 3), (2, 3))),
    ]
    for sub, shapes in bad:
        args = [np.ones(s) for s in shapes]
        names = ", ".join(f"o{i}" for i in range(len(args)))
        program = f'define(f, {names}, einsum("{sub}", {names})) f'
        out.append(c(program, expect(lambda *a, s=sub: np.einsum(s, *a), *args), *args))
    out.append(c("einsum(1, [1.0])", TypeError))
    return out


# ---- bincount, histogram, digitize, interp -------------------------------------------------


def bincount_cases() -> list:
    rng = np.random.default_rng(7)
    x = rng.integers(0, 6, 9)
    out = [
        case("bincount(a)", np.bincount, x),
        case("bincount(a)", np.bincount, x[:0]),
        case("bincount(a)", np.bincount, x.astype(bool)),
        case("bincount(a, __arg(minlength, 10))", lambda a: np.bincount(a, minlength=10), x),
        case("bincount(a, __arg(minlength, 2))", lambda a: np.bincount(a, minlength=2), x),
        case("bincount(a, __arg(minlength, -1))", lambda a: np.bincount(a, minlength=-1), x),
        case("bincount(a)", np.bincount, np.array([1, -1, 2])),
        case("bincount(a)", np.bincount, x.astype(float)),
        case("bincount(a)", np.bincount, x.reshape(3, 3)),
        case("bincount(a)", np.bincount, np.array(3)),
    ]
    for wd in (F64, F32, I64, BOOL):
        w = sample((9,), wd, 2)
        out.append(case("bincount(a, b)", lambda a, b: np.bincount(a, b), x, w))
    out.append(case("bincount(a, b)", lambda a, b: np.bincount(a, b), x, np.ones(4)))
    return out


def histogram_cases() -> list:
    out = []
    for shape, dtype in itertools.product(((7,), (3, 4), (0,)), NUMBERS):
        x = sample(shape, dtype, 4)
        for bins in (10, 3, 1, [-3.0, -1.0, 0.0, 0.5, 3.0], [0, 1, 2]):
            out.append(
                case(f"histogram(a, {physl(bins)})", lambda a, b=bins: np.histogram(a, b), x)
            )
        out.append(case("histogram(a, 4, list(-1, 2))", lambda a: np.histogram(a, 4, (-1, 2)), x))
        w = sample(shape, F64, 9)
        out.append(
            case(
                "histogram(a, 5, __arg(weights, b))",
                lambda a, b: np.histogram(a, 5, weights=b),
                x,
                w,
            )
        )
        out.append(
            case(
                "histogram(a, 5, __arg(density, true))",
                lambda a: np.histogram(a, 5, density=True),
                x,
            )
        )
    same = np.full(4, 2.5)
    out += [
        case("histogram(a)", np.histogram, same),
        case("histogram(a, 3)", lambda a: np.histogram(a, 3), np.array([0.0, 1.0, 1.0, 2.0, 3.0])),
        case("histogram(a)", np.histogram, np.array([1.0, NAN])),
        case("histogram(a, list(2, 1))", lambda a: np.histogram(a, [2, 1]), np.ones(3)),
        case("histogram(a, 0)", lambda a: np.histogram(a, 0), np.ones(3)),
        case("histogram(a, 3, list(2, 1))", lambda a: np.histogram(a, 3, (2, 1)), np.ones(3)),
        case("histogram(a)", np.histogram, np.array([True, False])),
        case(
            "histogram(a, 2, __arg(weights, [1.0]))",
            lambda a: np.histogram(a, 2, weights=[1.0]),
            np.ones(3),
        ),
    ]
    return out


def digitize_cases() -> list:
    out = []
    x = np.array([-1.0, 0.0, 0.5, 1.0, 2.5, 3.0, 4.0, NAN])
    for bins, right in itertools.product(
        ([0.0, 1.0, 2.5, 3.0], [3.0, 2.5, 1.0, 0.0], [1.0], [], [0, 1, 1, 3]), (False, True)
    ):
        b = np.array(bins, dtype=float)
        out.append(
            case(
                f"digitize(a, b, {physl(right)})", lambda a, q, r=right: np.digitize(a, q, r), x, b
            )
        )
    xi = np.arange(-2, 6)
    out += [
        case("digitize(a, b)", np.digitize, xi, np.array([0, 2, 4])),
        case("digitize(a, b)", np.digitize, xi.reshape(2, 4), np.array([0.5, 2.5])),
        case("digitize(a, b)", np.digitize, x, np.array([0.0, 2.0, 1.0])),
        case("digitize(a, b)", np.digitize, x, np.ones((2, 2))),
    ]
    return out


def interp_cases() -> list:
    xp, fp = np.array([0.0, 1.0, 2.5, 4.0]), np.array([1.0, -1.0, 3.0, 3.0])
    x = np.array([-1.0, 0.0, 0.3, 1.0, 2.0, 2.5, 3.9, 4.0, 5.0, NAN])
    return [
        c(
            f"define(f, a, interp(a, {physl(list(xp))}, {physl(list(fp))})) f",
            expect(np.interp, x, xp, fp),
            x,
        ),
        c(
            f"define(f, a, interp(a, {physl(list(xp))}, {physl(list(fp))}, -9.0, 9)) f",
            expect(lambda a: np.interp(a, xp, fp, -9.0, 9), x),
            x,
        ),
        c(
            "define(f, a, interp(a, [0, 2], [0, 10])) f",
            expect(np.interp, np.arange(-1, 4), [0, 2], [0, 10]),
            np.arange(-1, 4),
        ),
        c(
            "define(f, a, interp(a, [0.0, 1.0], [1.0, 2.0])) f",
            expect(np.interp, x.astype(F32).reshape(2, 5), [0.0, 1.0], [1.0, 2.0]),
            x.astype(F32).reshape(2, 5),
        ),
        c("interp(0.5, [0.0, 1.0], [1.0, 2.0])", expect(np.interp, 0.5, [0.0, 1.0], [1.0, 2.0])),
        c("interp(0.5, [0.0, 1.0], [1.0])", ValueError),
        c("interp(0.5, [], [])", ValueError),
        c("interp(0.5, [0.0, 1.0], [1.0, 2.0], __arg(period, 1.0))", TypeError),
    ]


# ---- convolve, correlate, copysign ---------------------------------------------------------


def correlate_cases(name: str) -> list:
    ref = getattr(np, name)
    out = []
    for n, m, dtype in itertools.product((1, 2, 3, 5), (1, 2, 4), ALL_DTYPES):
        a, v = sample((n,), dtype, n), sample((m,), dtype, m + 10)
        for mode in ("full", "same", "valid"):
            out.append(case(f'{name}(a, b, "{mode}")', lambda x, y, md=mode: ref(x, y, md), a, v))
    a, v = sample((4,), I64), sample((3,), F32)
    out += [
        case(f"{name}(a, b)", ref, a, v),
        case(f"{name}(a, b)", ref, a[:0], v),
        case(f"{name}(a, b)", ref, a, v[:0]),
        case(f'{name}(a, b, "middle")', lambda x, y: ref(x, y, "middle"), a, v),
        case(f"{name}(a, b)", ref, np.ones((2, 2)), v),
    ]
    return out


# ---- diff, partition, lexsort --------------------------------------------------------------


def diff_cases() -> list:
    out = []
    for shape, dtype in itertools.product(SHAPES, ALL_DTYPES):
        x = sample(shape, dtype, 6)
        for n, axis in itertools.product((0, 1, 2, 6), range(-len(shape), len(shape))):
            out.append(case(f"diff(a, {n}, {axis})", lambda a, k=n, ax=axis: np.diff(a, k, ax), x))
    x = sample((3, 4), F64)
    out += [
        case("diff(a, 1, 0, __arg(prepend, 0))", lambda a: np.diff(a, 1, 0, prepend=0), x),
        case("diff(a, __arg(append, 1.5))", lambda a: np.diff(a, append=1.5), x.astype(I64)),
        case(
            "diff(a, __arg(prepend, [[1, 2, 3, 4]]), __arg(axis, 0))",
            lambda a: np.diff(a, prepend=[[1, 2, 3, 4]], axis=0),
            x,
        ),
        case(
            "diff(a, 2, __arg(prepend, 0), __arg(append, [[9], [9], [9]]))",
            lambda a: np.diff(a, 2, prepend=0, append=[[9], [9], [9]]),
            x.astype(F32),
        ),
        case("diff(a)", np.diff, np.array(1.0)),
        case("diff(a, -1)", lambda a: np.diff(a, -1), x),
        case("diff(a, 1, 2)", lambda a: np.diff(a, 1, 2), x),
        case("diff(a, __arg(prepend, [1, 2]))", lambda a: np.diff(a, prepend=[1, 2]), x),
    ]
    return out


def kth_values(name: str) -> list:
    """The kth elements of partition / argpartition's result (what NumPy promises)."""
    out = []
    for shape, dtype in itertools.product(((7,), (3, 4), (2, 3, 5)), ALL_DTYPES):
        x = with_nans(shape, dtype, 2) if dtype in FLOATS else small_ints(shape, dtype)
        for axis in range(-len(shape), len(shape)):
            n = shape[axis]
            for k in sorted({0, n // 2, n - 1, -1}):
                if name == "partition":
                    body = f"take(partition(a, {k}, {axis}), {k}, {axis})"
                    ref = lambda a, k=k, ax=axis: np.take(np.partition(a, k, ax), k, ax)  # noqa: E731
                else:
                    order = f"argpartition(a, {k}, {axis})"
                    body = f"take(take_along_axis(a, {order}, {axis}), {k}, {axis})"
                    ref = lambda a, k=k, ax=axis: np.take(  # noqa: E731
                        np.take_along_axis(a, np.argpartition(a, k, ax), ax), k, ax
                    )
                out.append(case(body, ref, x))
    x = small_ints((6,), I64)
    out += [
        case(
            f"take({name}(a, 2, nil), 2)",
            lambda a: np.take(getattr(np, name)(a, 2, None), 2),
            x.reshape(2, 3),
        ),
        case(f"{name}(a, 6)", lambda a: getattr(np, name)(a, 6), x),
        case(f"{name}(a, -7)", lambda a: getattr(np, name)(a, -7), x),
        case(f"{name}(a, 1.5)", lambda a: getattr(np, name)(a, 1.5), x),
        case(f"{name}(a, 1, 1)", lambda a: getattr(np, name)(a, 1, 1), x),
        case(
            f'{name}(a, 1, __arg(kind, "quick"))',
            lambda a: getattr(np, name)(a, 1, kind="quick"),
            x,
        ),
    ]
    if name == "partition":
        out.append(case("partition(a, 0)", lambda a: np.partition(a, 0), np.array(1)))
    return out


def lexsort_cases() -> list:
    out = []
    for n, dtypes in itertools.product((0, 1, 8), itertools.product(ALL_DTYPES, repeat=2)):
        k1, k2 = small_ints((n,), dtypes[0], 1), small_ints((n,), dtypes[1], 2)
        out.append(case("lexsort(list(a, b))", lambda a, b: np.lexsort((a, b)), k1, k2))
    keys = small_ints((3, 9), I64, 4)
    x = with_nans((9,), F64)
    out += [
        case("lexsort(a)", np.lexsort, keys),
        case("lexsort(list(a, b))", lambda a, b: np.lexsort((a, b)), x, small_ints((9,), I64)),
        case("lexsort(list(a))", lambda a: np.lexsort((a,)), small_ints((3, 4), I64)),
        case(
            "lexsort(list(a, a), 0)", lambda a: np.lexsort((a, a), axis=0), small_ints((3, 4), I64)
        ),
        case("lexsort(list(a, b))", lambda a, b: np.lexsort((a, b)), np.ones(3), np.ones(4)),
        case("lexsort(list(a), 2)", lambda a: np.lexsort((a,), axis=2), np.ones(3)),
        c("lexsort(list())", TypeError),
    ]
    return out


# ---- take, take_along_axis, put_along_axis, ravel_multi_index, unravel_index ---------------


def take_cases() -> list:
    out = []
    for shape, dtype in itertools.product(((5,), (3, 4), (2, 3, 4)), ALL_DTYPES):
        x = sample(shape, dtype, 8)
        for axis in [None, *range(-len(shape), len(shape))]:
            n = x.size if axis is None else shape[axis]
            for idx in ([0, n - 1, -1], [[1, 0], [0, -2]], 2, []):
                idx_arr = np.array(idx, dtype=np.int64)
                out.append(
                    case(
                        f"take(a, b, {physl(axis)})",
                        lambda a, i, ax=axis: np.take(a, i, ax),
                        x,
                        idx_arr,
                    )
                )
    x = sample((3, 4), F64)
    big = np.array([-9, 0, 4, 12])
    out += [
        case('take(a, b, 1, nil, "wrap")', lambda a, i: np.take(a, i, 1, mode="wrap"), x, big),
        case('take(a, b, 1, nil, "clip")', lambda a, i: np.take(a, i, 1, mode="clip"), x, big),
        case("take(a, b, 1)", lambda a, i: np.take(a, i, 1), x, big),
        case("take(a, b)", np.take, x, np.array([0.5])),
        case('take(a, b, 1, nil, "bogus")', lambda a, i: np.take(a, i, 1, mode="bogus"), x, big),
        case("take(a, b, 2)", lambda a, i: np.take(a, i, 2), x, big),
        case("take(a, b)", np.take, np.array(3.0), np.array([0, 0])),
    ]
    return out


def along_cases(name: str) -> list:
    out = []
    for shape, dtype in itertools.product(((5,), (3, 4), (2, 3, 4)), ALL_DTYPES):
        x = sample(shape, dtype, 9)
        for axis in range(-len(shape), len(shape)):
            idx = np.argsort(sample(shape, F64, 10), axis=axis)
            if name == "take_along_axis":
                out.append(
                    case(
                        f"take_along_axis(a, b, {axis})",
                        lambda a, i, ax=axis: np.take_along_axis(a, i, ax),
                        x,
                        idx,
                    )
                )
                first = np.take(idx, [0], axis=axis)
                out.append(
                    case(
                        f"take_along_axis(a, b, {axis})",
                        lambda a, i, ax=axis: np.take_along_axis(a, i, ax),
                        x,
                        first,
                    )
                )
            else:
                first = np.take(idx, [0, -1], axis=axis)

                def put(a, i, ax=axis):
                    a = a.copy()
                    np.put_along_axis(a, i, a.dtype.type(1), ax)
                    return a

                out.append(case(f"put_along_axis(a, b, 1, {axis})", put, x, first))
    x = sample((3, 4), F64)
    idx = np.array([[0], [3], [-1]])

    def put_values(a, i):
        a = a.copy()
        np.put_along_axis(a, i, np.array([[10.0], [20.0], [30.0]]), 1)
        return a

    if name == "take_along_axis":
        out += [
            case(
                "take_along_axis(a, b, nil)",
                lambda a, i: np.take_along_axis(a, i, None),
                x,
                np.array([11, 0, -1]),
            ),
            case(
                "take_along_axis(a, b, 1)",
                lambda a, i: np.take_along_axis(a, i, 1),
                x,
                np.array([0, 1]),
            ),
            case(
                "take_along_axis(a, b, 1)",
                lambda a, i: np.take_along_axis(a, i, 1),
                x,
                np.array([[4]]),
            ),
            case(
                "take_along_axis(a, b, 1)",
                lambda a, i: np.take_along_axis(a, i, 1),
                x,
                np.array([[0.0]]),
            ),
            case("take_along_axis(a, b, 2)", lambda a, i: np.take_along_axis(a, i, 2), x, idx),
        ]
    else:
        out += [
            case("put_along_axis(a, b, [[10.0], [20.0], [30.0]], 1)", put_values, x, idx),
            case(
                "put_along_axis(a, b, 1, 1)",
                lambda a, i: np.put_along_axis(a, i, 1, 1),
                x,
                np.array([[5]]),
            ),
            case(
                "put_along_axis(a, b, 1, 1)",
                lambda a, i: np.put_along_axis(a, i, 1, 1),
                x,
                np.array([0]),
            ),
        ]
    return out


def ravel_cases() -> list:
    dims = (3, 4, 2)
    coords = [np.array([0, 2, 1]), np.array([3, 0, 1]), np.array([1, 1, 0])]
    out = []
    for order in ("C", "F"):
        out.append(
            c(
                f"define(f, a, b, c, ravel_multi_index(list(a, b, c), list(3, 4, 2), "
                f'__arg(order, "{order}"))) f',
                expect(lambda *a, o=order: np.ravel_multi_index(a, dims, order=o), *coords),
                *coords,
            )
        )
    out += [
        case(
            "ravel_multi_index(a, list(3, 4))",
            lambda a: np.ravel_multi_index(a, (3, 4)),
            np.array([[0, 2], [3, 1]]),
        ),
        case(
            'ravel_multi_index(a, list(3, 4), "wrap")',
            lambda a: np.ravel_multi_index(a, (3, 4), "wrap"),
            np.array([[5, -1], [3, 9]]),
        ),
        case(
            'ravel_multi_index(a, list(3, 4), "clip")',
            lambda a: np.ravel_multi_index(a, (3, 4), "clip"),
            np.array([[5, -1], [3, 9]]),
        ),
        case(
            "ravel_multi_index(a, list(3, 4))",
            lambda a: np.ravel_multi_index(a, (3, 4)),
            np.array([[5, 0], [3, 1]]),
        ),
        case(
            "ravel_multi_index(a, list(3, 4))",
            lambda a: np.ravel_multi_index(a, (3, 4)),
            np.array([[0, 1]]),
        ),
        case(
            "ravel_multi_index(a, list(3, 4))",
            lambda a: np.ravel_multi_index(a, (3, 4)),
            np.array([[0.0], [1.0]]),
        ),
        c(
            "ravel_multi_index(list(1, 2), list(3, 4))",
            expect(np.ravel_multi_index, (1, 2), (3, 4)),
        ),
    ]
    return out


def unravel_cases() -> list:
    out = []
    for idx in (
        np.array([0, 5, 23, 7]),
        np.array([[1, 2], [3, 4]]),
        np.array(17),
        np.array([], int),
    ):
        for shape in ((4, 6), (2, 3, 4), (24,)):
            for order in ("C", "F"):
                out.append(
                    case(
                        f'unravel_index(a, {physl(shape)}, "{order}")',
                        lambda a, s=shape, o=order: np.unravel_index(a, s, o),
                        idx,
                    )
                )
    out += [
        case("unravel_index(a, list(2, 3))", lambda a: np.unravel_index(a, (2, 3)), np.array([6])),
        case("unravel_index(a, list(2, 3))", lambda a: np.unravel_index(a, (2, 3)), np.array([-1])),
        case(
            "unravel_index(a, list(2, 3))", lambda a: np.unravel_index(a, (2, 3)), np.array([1.0])
        ),
        case(
            'unravel_index(a, list(2, 3), "K")',
            lambda a: np.unravel_index(a, (2, 3), "K"),
            np.array([1]),
        ),
    ]
    return out


# ---- set operations --------------------------------------------------------------------------


def set_cases(name: str) -> list:
    ref = getattr(np, name)
    out = []
    for (sa, sb), (da, db) in itertools.product(
        (((8,), (5,)), ((3, 4), (6,)), ((0,), (4,)), ((4,), (0,))),
        [(d, d) for d in ALL_DTYPES] + [(I64, F64), (BOOL, I64), (F32, F64)],
    ):
        a, b = small_ints(sa, da, 1), small_ints(sb, db, 2)
        out.append(case(f"{name}(a, b)", ref, a, b))
    x, y = np.array([1.0, NAN, 2.0, NAN, 3.0]), np.array([NAN, 2.0, 5.0])
    out.append(case(f"{name}(a, b)", ref, x, y))
    if name != "union1d":
        out.append(
            case(
                f"{name}(a, b, true)",
                lambda p, q: ref(p, q, True),
                np.array([3, 1, 2]),
                np.array([2, 5]),
            )
        )
    if name == "isin":
        out += [
            case(
                "isin(a, b, __arg(invert, true))",
                lambda p, q: np.isin(p, q, invert=True),
                small_ints((3, 4), I64),
                np.array([0, 1]),
            ),
            case(
                'isin(a, b, __arg(kind, "table"))',
                lambda p, q: np.isin(p, q, kind="table"),
                small_ints((3, 4), I64),
                np.array([0, 1]),
            ),
            case(
                'isin(a, b, __arg(kind, "fast"))',
                lambda p, q: np.isin(p, q, kind="fast"),
                small_ints((3, 4), I64),
                np.array([0, 1]),
            ),
            c("isin(2, [1, 2])", expect(np.isin, 2, [1, 2])),
        ]
    return out


# ---- NaN reductions --------------------------------------------------------------------------


def nan_cases(name: str) -> list:
    ref = getattr(np, name)
    one_axis = name in ("nanargmax", "nanargmin", "nancumsum", "nancumprod")
    out = []
    for shape, dtype in itertools.product(((5,), (3, 4), (2, 3, 4), (0,), (2, 0), ()), ALL_DTYPES):
        x = with_nans(shape, dtype)
        for axis in [None, *range(-len(shape), len(shape))]:
            if name in ("nancumsum", "nancumprod"):
                out.append(case(f"{name}(a, {physl(axis)})", lambda a, ax=axis: ref(a, ax), x))
                continue
            for keepdims in (False, True):
                out.append(
                    case(
                        f"{name}(a, {physl(axis)}, __arg(keepdims, {physl(keepdims)}))",
                        lambda a, ax=axis, k=keepdims: ref(a, ax, keepdims=k),
                        x,
                    )
                )
    x = with_nans((3, 4), F64)
    x[:, 1] = NAN
    x32 = x.astype(F32)
    out += [case(f"{name}(a, 0)", lambda a: ref(a, 0), v) for v in (x, x32)]
    out += [case(f"{name}(a, 1)", lambda a: ref(a, 1), v) for v in (x, x32)]
    out.append(case(f"{name}(a, 2)", lambda a: ref(a, 2), x))
    if not one_axis:
        out.append(case(f"{name}(a, list(0, 1))", lambda a: ref(a, (0, 1)), x))
    if name in ("nanvar", "nanstd"):
        out += [
            case(f"{name}(a, __arg(ddof, 1))", lambda a: ref(a, ddof=1), x),
            case(f"{name}(a, 0, __arg(ddof, 2))", lambda a: ref(a, 0, ddof=2), x),
            case(
                f"{name}(a, 1, __arg(ddof, 1))",
                lambda a: ref(a, 1, ddof=1),
                small_ints((3, 4), I64),
            ),
        ]
    out.append(c(f'{name}("a")', TypeError))
    return out


# ---- ufunc methods ---------------------------------------------------------------------------

UFUNCS = (
    "add",
    "subtract",
    "multiply",
    "maximum",
    "minimum",
    "logical_and",
    "logical_or",
    "floor_divide",
    "bitwise_xor",
    "fmax",
    "equal",
)


def ufunc_cases(method: str) -> list:
    out = []
    for uf, dtype in itertools.product(UFUNCS, ALL_DTYPES):
        f = getattr(np, uf)
        for shape in ((5,), (3, 4), (2, 3, 4), (0,), (2, 0)):
            x = (
                small_ints(shape, dtype)
                if uf != "floor_divide"
                else sample(shape, dtype, 1) + (0 if dtype is BOOL else 7)
            )
            if dtype is BOOL and uf == "floor_divide":
                continue
            if method == "outer":
                y = sample(shape[-1:], dtype, 2)
                out.append(case(f'ufunc_outer("{uf}", a, b)', f.outer, x, y))
                continue
            bound = getattr(f, method)
            for axis in range(-len(shape), len(shape)):
                out.append(
                    case(
                        f'ufunc_{method}("{uf}", a, {axis})',
                        lambda a, ax=axis, g=bound: g(a, ax),
                        x,
                    )
                )
            if method == "reduce":
                out.append(
                    case(
                        f'ufunc_reduce("{uf}", a, nil, true)',
                        lambda a, g=f: g.reduce(a, None, keepdims=True),
                        x,
                    )
                )
                out.append(case(f'ufunc_reduce("{uf}", a)', f.reduce, x))
    x = with_nans((7,), F64)
    out += [
        case(
            f'ufunc_{method}("sin", a, a)' if method == "outer" else f'ufunc_{method}("sin", a)',
            (lambda a: np.sin.outer(a, a)) if method == "outer" else getattr(np.sin, method),
            x,
        ),
        c(
            f'ufunc_{method}("bogus", [1.0], [2.0])'
            if method == "outer"
            else f'ufunc_{method}("bogus", [1.0])',
            ValueError,
        ),
    ]
    if method == "accumulate":
        out += [
            case('ufunc_accumulate("maximum", a)', np.maximum.accumulate, x),
            case('ufunc_accumulate("minimum", a)', np.minimum.accumulate, x),
            case('ufunc_accumulate("add", a)', np.add.accumulate, np.array(1.0)),
        ]
    if method == "reduce":
        out += [
            case(
                'ufunc_reduce("maximum", a, list(0, 1))',
                lambda a: np.maximum.reduce(a, (0, 1)),
                sample((3, 4), F64),
            ),
            case(
                'ufunc_reduce("subtract", a, list(0, 1))',
                lambda a: np.subtract.reduce(a, (0, 1)),
                sample((3, 4), F64),
            ),
            case('ufunc_reduce("maximum", a)', np.maximum.reduce, x),
        ]
    if method == "outer":
        out.append(
            case('ufunc_outer("add", a, 2.5)', lambda a: np.add.outer(a, 2.5), sample((3,), F32))
        )
    return out


def reduceat_cases() -> list:
    """np.<ufunc>.reduceat over the ufuncs and dtypes above, increasing, repeated and decreasing
    indices (a decreasing pair gives the element alone), every axis, and its errors."""
    out = []
    index_lists = ([0, 2, 4], [3, 1, 2], [0], [2, 2, 0, 1], [4, 3, 2, 1, 0], [])
    for uf, dtype in itertools.product(UFUNCS, ALL_DTYPES):
        if dtype is BOOL and uf == "floor_divide":
            continue
        bound = getattr(np, uf).reduceat
        for shape in ((5,), (5, 4), (2, 5, 3)):
            x = small_ints(shape, dtype)
            if uf == "floor_divide":
                x = sample(shape, dtype, 1) + 7
            for k, idx in enumerate(index_lists):
                axis = (-1, 0, 1)[k % 3] if len(shape) == 3 else k % len(shape)
                if shape[axis] < 5:
                    continue
                indices = np.array(idx, dtype=np.int64)
                out.append(
                    case(
                        f'ufunc_reduceat("{uf}", a, b, {axis})',
                        lambda a, b, g=bound, ax=axis: g(a, b, ax),
                        x,
                        indices,
                    )
                )
    x = with_nans((6,), F64)
    out += [
        case('ufunc_reduceat("maximum", a, b)', np.maximum.reduceat, x, np.array([0, 3, 1])),
        case('ufunc_reduceat("subtract", a, b)', np.subtract.reduceat, x, np.array([0, 2, 5])),
        case('ufunc_reduceat("add", a, [0, 2])', lambda a: np.add.reduceat(a, [0, 2]), x),
        case('ufunc_reduceat("add", a, 3)', lambda a: np.add.reduceat(a, 3), x),
        # Errors: an index outside [0, n), a 0-d array, indices of two dimensions, a bad ufunc.
        case('ufunc_reduceat("add", a, [0, 6])', lambda a: np.add.reduceat(a, [0, 6]), x),
        case('ufunc_reduceat("add", a, [-1])', lambda a: np.add.reduceat(a, [-1]), x),
        case('ufunc_reduceat("add", a, [0])', lambda a: np.add.reduceat(a, [0]), np.array(2.0)),
        c('ufunc_reduceat("add", [1.0, 2.0], [[0], [1]])', ValueError),
        c('ufunc_reduceat("bogus", [1.0], [0])', ValueError),
        c('ufunc_reduceat("add", [1.0], [0], 1)', np.exceptions.AxisError),
    ]
    return out


def insert_cases() -> list:
    a23 = np.arange(6).reshape(2, 3)
    out = [
        c(f"define(f, a, insert(a, {obj}, 9, {axis})) f", np.insert(a, o, 9, axis=ax), a)
        for a in (np.arange(4.0), a23)
        for obj, o in (("1", 1), ("-1", -1), ("list(0, 2)", [0, 2]), ("list()", []))
        for axis, ax in (("nil", None), ("0", 0), ("-1", -1))
    ]
    out += [
        c("define(f, a, insert(a, 1, [7, 8], 1)) f", np.insert(a23, 1, [7, 8], axis=1), a23),
        c("insert([1, 2], 1, 2.5)", np.insert([1, 2], 1, 2.5)),
        c("insert([1, 2], 3, 0)", IndexError),
        c("insert([1, 2], 1, 0, 1)", np.exceptions.AxisError),
        c("insert([1, 2], 1.0, 0)", TypeError),
    ]
    return out


ROWS = {
    "einsum": Cases(einsum_cases()),
    "bincount": Cases(bincount_cases()),
    "histogram": Cases(histogram_cases()),
    "digitize": Cases(digitize_cases()),
    "interp": Cases(interp_cases()),
    "convolve": Cases(correlate_cases("convolve")),
    "correlate": Cases(correlate_cases("correlate")),
    "copysign": Elementwise(np.copysign, 2),
    "diff": Cases(diff_cases()),
    "insert": Cases(insert_cases()),
    "partition": Cases(kth_values("partition")),
    "argpartition": Cases(kth_values("argpartition")),
    "lexsort": Cases(lexsort_cases()),
    "take": Cases(take_cases()),
    "take_along_axis": Cases(along_cases("take_along_axis")),
    "put_along_axis": Cases(along_cases("put_along_axis")),
    "ravel_multi_index": Cases(ravel_cases()),
    "unravel_index": Cases(unravel_cases()),
    **{name: Cases(set_cases(name)) for name in ("union1d", "intersect1d", "setdiff1d", "isin")},
    **{
        name: Cases(nan_cases(name))
        for name in (
            "nanmax",
            "nanmin",
            "nanargmax",
            "nanargmin",
            "nanvar",
            "nanstd",
            "nancumsum",
            "nancumprod",
        )
    },
    "ufunc_reduce": Cases(ufunc_cases("reduce")),
    "ufunc_reduceat": Cases(reduceat_cases()),
    "ufunc_accumulate": Cases(ufunc_cases("accumulate")),
    "ufunc_outer": Cases(ufunc_cases("outer")),
    "ascontiguousarray": Cases(
        [
            case("ascontiguousarray(a)", np.ascontiguousarray, sample((3, 4), F64).T),
            case("ascontiguousarray(a)", np.ascontiguousarray, np.array(2.5)),
            case(
                'ascontiguousarray(a, "float32")',
                lambda a: np.ascontiguousarray(a, "float32"),
                sample((2, 3), I64),
            ),
            c("ascontiguousarray(list(1, 2))", np.ascontiguousarray([1, 2])),
        ]
    ),
    "itemsize": Cases(
        [case("itemsize(a)", lambda a: a.itemsize, sample((2,), d)) for d in ALL_DTYPES]
    ),
    "nbytes": Cases(
        [case("nbytes(a)", lambda a: a.nbytes, sample(s, d)) for s in SHAPES for d in ALL_DTYPES]
    ),
}
