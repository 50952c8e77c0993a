"""Table rows of complex numbers and np.fft (primitives/complex.cpp, primitives/fft.cpp, and the
complex loops of arithmetic, absolute, exp/log/sqrt, sum and mean), against NumPy.

Every transform runs over the shapes below, along every axis, at lengths cut and padded, for each
real and complex dtype (bool and int64 input compute in complex128, as NumPy's do), with each norm.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from table_rows_more import case, sample
from table_support import ALL_DTYPES, Cases, c, f1, f2

C64, C128 = np.complex64, np.complex128
EVERY = (*ALL_DTYPES, C64, C128)
SHAPES = ((1,), (8,), (7,), (3, 5), (2, 3, 4))
NORMS = (None, "backward", "ortho", "forward")


def zsample(shape: tuple, dtype: Any, seed: int = 5) -> np.ndarray:
    """A sample of any dtype: complex ones with both parts drawn."""
    if dtype in (C64, C128):
        re = sample(shape, np.float64, seed)
        im = sample(shape, np.float64, seed + 1)
        return (re + 1j * im).astype(dtype)
    return sample(shape, dtype, seed)


def norm_text(norm: str | None) -> str:
    return "nil" if norm is None else f'"{norm}"'


def one_axis_cases(name: str) -> list:
    f = getattr(np.fft, name)
    real_input = name == "rfft"
    out = []
    for shape, dtype in itertools.product(SHAPES, EVERY):
        if real_input and dtype in (C64, C128):
            continue
        x = zsample(shape, dtype)
        for axis in range(-len(shape), len(shape)):
            m = shape[axis]
            lengths = [None, 1, m + 3] if name != "irfft" else [None, 2 * m - 1, 2]
            for k, n in enumerate(lengths):
                norm = NORMS[(axis + k) % len(NORMS)]
                text = f"{name}(a, {'nil' if n is None else n}, {axis}, {norm_text(norm)})"
                out.append(case(text, lambda a, n=n, ax=axis, nm=norm: f(a, n, ax, nm), x))
    x = zsample((6,), C128)
    out += [
        case(f"{name}(a, 0)", lambda a: f(a, 0), x),  # ValueError
        case(f'{name}(a, nil, -1, "sideways")', lambda a: f(a, norm="sideways"), x),
        case(f"{name}(a, nil, 1)", lambda a: f(a, axis=1), x),  # AxisError
        case(f"{name}(a)", f, np.array(2.0)),  # a 0-d array has no axis
    ]
    return out


def many_axes_cases(name: str) -> list:
    f = getattr(np.fft, name)
    out = []
    for shape, dtype in itertools.product(((3, 5), (2, 3, 4)), (np.int64, np.float32, C64, C128)):
        x = zsample(shape, dtype)
        out.append(case(f"{name}(a)", f, x))
        out.append(case(f"{name}(a, nil, -1)", lambda a: f(a, axes=(-1,)), x))
        out.append(case(f"{name}(a, list(4, 2), list(0, -1))", lambda a: f(a, (4, 2), (0, -1)), x))
        out.append(
            case(
                f'{name}(a, nil, list(-2, -1), "ortho")', lambda a: f(a, None, (-2, -1), "ortho"), x
            )
        )
    x = zsample((3, 4), C128)
    out += [
        case(f"{name}(a, list(2), list(0, 1))", lambda a: f(a, (2,), (0, 1)), x),  # ValueError
        case(
            f"{name}(a, list(2, 2, 2, 2), list(0, 1, 1, 2))",
            lambda a: f(a, (2,) * 4, (0, 1, 1, 2)),
            x,
        ),
    ]
    return out


def freq_cases(name: str) -> list:
    f = getattr(np.fft, name)
    out = [c(f"{name}({n}, {d!r})", f(n, d)) for n in (1, 2, 7, 8, 31) for d in (1.0, 0.1, -2.5)]
    out += [c(f"{name}(5)", f(5)), c(f"{name}(2.5)", TypeError)]
    out += [c(f"{name}(0)", ZeroDivisionError), c(f"{name}(3, 0.0)", ZeroDivisionError)]
    return out


def shift_cases(name: str) -> list:
    f = getattr(np.fft, name)
    out = []
    for shape, dtype in itertools.product(((7,), (4,), (3, 4), (2, 3, 5), (0, 3)), EVERY):
        x = zsample(shape, dtype)
        out.append(case(f"{name}(a)", f, x))
        out.append(case(f"{name}(a, 0)", lambda a: f(a, 0), x))
        out.append(case(f"{name}(a, list(-1))", lambda a: f(a, (-1,)), x))
    return out


def parts_cases(name: str) -> list:
    f = getattr(np, name)
    out = [case(f"{name}(a)", f, zsample(shape, dtype)) for shape in SHAPES for dtype in EVERY]
    out.append(case(f"{name}(a)", f, np.array(1.5 - 2j)))
    return out


def angle_cases() -> list:
    out = parts_cases("angle")
    out += [
        case("angle(a, true)", lambda a: np.angle(a, deg=True), zsample((3, 4), dtype))
        for dtype in EVERY
    ]
    specials = np.array([0, -0.0, 1j, -1, -1 - 0j, complex(np.inf, np.nan), np.nan])
    out.append(case("angle(a)", np.angle, specials))
    return out


def complex_math_cases() -> list:
    """The complex loops of the element-wise and reduction primitives the complex dtypes take."""
    out = []
    for dtype in (C64, C128):
        for shape in SHAPES:
            x, y = zsample(shape, dtype, 5), zsample(shape, dtype, 9)
            for op in ("+", "-", "*", "/", "==", "!="):
                fn = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide,
                      "==": np.equal, "!=": np.not_equal}[op]  # fmt: skip
                out.append(case(f"a {op} b", fn, x, y))
            out.append(case("a * 2.5 - 1", lambda a: a * 2.5 - 1, x))
            for fn in ("absolute", "exp", "log", "sqrt", "square", "isnan", "isfinite"):
                out.append(case(f"{fn}(a)", getattr(np, fn), x))
            out.append(case("-a", np.negative, x))
            for axis in [None, *range(len(shape))]:
                ax = "nil" if axis is None else axis
                out.append(case(f"sum(a, {ax})", lambda a, ax=axis: np.sum(a, ax), x))
                out.append(case(f"mean(a, {ax})", lambda a, ax=axis: np.mean(a, ax), x))
    # Mixed: a real dtype with a complex one promotes as NumPy (bool, float32 keep complex64).
    for real, cplx in itertools.product(ALL_DTYPES, (C64, C128)):
        out.append(case("a + b", np.add, zsample((5,), real), zsample((5,), cplx)))
    # Division by zero parts, infinities and NaNs: NumPy's formulas, not C's.
    special = np.array([1 + 1j, 0, 1j, complex(np.inf, 1), complex(np.nan, 0), -2 + 0.5j])
    out.append(case("a / b", np.divide, special, special[::-1].copy()))
    out.append(case("a * b", np.multiply, special, special[::-1].copy()))
    # Products: zgemm / cgemm, every form of dot and matmul, mixed with real operands.
    z = {shape: zsample(shape, C128, 3) for shape in ((4,), (3, 4), (4, 2), (2, 4, 3), (2, 3, 2))}
    for (sa, sb), prog in itertools.product(
        [((4,), (4,)), ((3, 4), (4,)), ((4,), (4, 2)), ((3, 4), (4, 2)), ((2, 4, 3), (3, 4)),
         ((2, 3, 2), (2, 4, 3))],
        ("dot", "matmul"),
    ):  # fmt: skip
        ref = np.dot if prog == "dot" else np.matmul
        if sa == (2, 3, 2) and prog == "dot":
            continue
        out.append(case(f"{prog}(a, b)", ref, z[sa], z[sb]))
    out.append(case("dot(a, b)", np.dot, z[(3, 4)].astype(C64), z[(4, 2)].astype(C64)))
    out.append(case("dot(a, b)", np.dot, sample((3, 4), np.float64), z[(4, 2)].astype(C64)))
    out.append(case("dot(transpose(a), a)", lambda a: a.T @ a, z[(3, 4)]))
    # Powers (whole exponents by repeated products, others by the C library) and trigonometry.
    zp = zsample((9,), C128, 6)
    zp[0] = 0
    for e in ("2", "3", "1", "0", "-1", "-3", "7", "0.5", "2.5", "b", "complex(0.5, 1)"):
        if e == "b":
            out.append(case("power(a, b)", np.power, zp, zsample((9,), C128, 2)))
        else:
            value = eval(e)  # the PhySL text is a Python expression of the exponent too
            out.append(case(f"power(a, {e})", lambda a, v=value: np.power(a, v), zp[1:]))
    for fn in ("sin", "cos", "tan", "sinh", "cosh", "tanh", "log10", "log2", "arcsin", "arccos",
               "arctan", "arcsinh", "arccosh", "arctanh", "exp2", "expm1", "log1p"):  # fmt: skip
        out.append(case(f"{fn}(a)", getattr(np, fn), zp[1:]))
        out.append(case(f"{fn}(a)", getattr(np, fn), zp[1:].astype(C64)))
    # Near 0, where expm1 and log1p are what they are for (exp(z) - 1 would lose the digits).
    tiny = np.array([1e-10 + 2e-10j, -3e-12 + 1e-13j, 5e-9j])
    out.append(case("expm1(a)", np.expm1, tiny))
    out.append(case("log1p(a)", np.log1p, tiny))
    # maximum/minimum: lexicographic order, a NaN in either part wins.
    zm, wm = zsample((9,), C128, 11), zsample((9,), C128, 12)
    wm[0] = zm[0].real + 3j  # equal real parts: the imaginary ones decide
    zm[1], wm[2] = complex(np.nan, 1), complex(0, np.nan)
    for fn in ("maximum", "minimum"):
        out.append(case(f"{fn}(a, b)", getattr(np, fn), zm, wm))
        out.append(case(f"{fn}(a, b)", getattr(np, fn), zm.astype(C64), 0.5))
    out.append(case("clip(a, 0, 1)", lambda a: np.clip(a, 0, 1), zm))  # by maximum and minimum
    # sort/argsort: lexicographic, then the numbers with a NaN part in NumPy's groups.
    nan = np.nan
    zs = np.array([3 + 1j, 1 + 2j, complex(nan, 1), 1 + 1j, complex(2, nan), complex(nan, nan),
                   1 + 1j, complex(nan, 0), complex(1, nan), -1 + 5j, 0j, 1 + 1j])  # fmt: skip
    for dtype in (C64, C128):
        out.append(case("sort(a)", np.sort, zs.astype(dtype)))
        out.append(case("argsort(a)", lambda a: np.argsort(a, kind="stable"), zs.astype(dtype)))
    # solve/inv/det: LU with LAPACK's pivots (|re| + |im|), Larix's own below order 33, zgesv,
    # cgesv, zgetrf and cgetrf above; a singular matrix is a LinAlgError.
    for n, dtype in itertools.product((1, 4, 40), (C64, C128)):
        m = zsample((n, n), dtype, 14) + (n + 2) * np.eye(n, dtype=dtype)  # well conditioned
        rhs = zsample((n,), dtype, 15)
        out.append(case("solve(a, b)", np.linalg.solve, m, rhs))
        out.append(case("solve(a, b)", np.linalg.solve, m, zsample((n, 3), dtype, 16)))
        out.append(case("inverse(a)", np.linalg.inv, m))
        out.append(case("determinant(a)", np.linalg.det, m / (n + 2)))  # no overflow
    stacked = zsample((2, 3, 3), C128, 17) + 2 * np.eye(3)
    out.append(case("inverse(a)", np.linalg.inv, stacked))
    out.append(case("determinant(a)", np.linalg.det, stacked))
    singular = np.array([[1 + 1j, 2 + 2j], [2 + 2j, 4 + 4j]])
    out.append(c(f2("solve(a, b)"), np.linalg.LinAlgError, singular, np.ones(2, complex)))
    out.append(case("determinant(a)", np.linalg.det, singular))
    zg = zsample((4, 5), C128, 13).round(0)  # ties of real parts
    out.append(case("sort(a, 0)", lambda a: np.sort(a, 0), zg))
    out.append(case("sort(a, nil)", lambda a: np.sort(a, None), zg))
    out.append(case("argsort(a, 1)", lambda a: np.argsort(a, 1, kind="stable"), zg))
    # Reductions and whole-array operations written for complex numbers (NumPy's definitions:
    # var/std of the moduli of the deviations, vdot conjugating its first argument, truth of
    # either part), and the norms that depend on the moduli only.
    zc, wc = zsample((3, 4), C128, 5), zsample((3, 4), C128, 9)
    zc[0, 1] = 0
    for prog, ref in [
        ("prod(a)", np.prod), ("prod(a, 1)", lambda a: np.prod(a, 1)),
        ("cumsum(a)", np.cumsum), ("cumsum(a, 0)", lambda a: np.cumsum(a, 0)),
        ("cumprod(a, 1)", lambda a: np.cumprod(a, 1)),
        ("var(a)", np.var), ("std(a, 0)", lambda a: np.std(a, 0)),
        ("var(a, 1, __arg(ddof, 1))", lambda a: np.var(a, 1, ddof=1)),
        ("any(a, 1)", lambda a: np.any(a, 1)), ("all(a, 1)", lambda a: np.all(a, 1)),
        ("count_nonzero(a)", np.count_nonzero), ("nonzero(a)", np.nonzero),
        ("norm(a)", np.linalg.norm), ("norm(a, 1)", lambda a: np.linalg.norm(a, 1)),
        ("norm(a, nil, 1)", lambda a: np.linalg.norm(a, axis=1)),
        ("where(real(a) > 0, a, 0)", lambda a: np.where(a.real > 0, a, 0)),
    ]:  # fmt: skip
        out.append(case(prog, ref, zc))
    for prog, ref in [
        ("vdot(a, b)", np.vdot), ("isclose(a, b)", np.isclose),
        ("allclose(a, a + 1e-12)", lambda a, b: np.allclose(a, a + 1e-12)),
        ("array_equal(a, b)", np.array_equal), ("array_equal(a, a)", lambda a, b: True),
    ]:  # fmt: skip
        out.append(case(prog, ref, zc, wc))
    # NaN-aware functions: a NaN in either part is a NaN.
    zn = zsample((3, 4), C128, 4)
    zn[0, 1], zn[2, 2] = complex(np.nan, 1), complex(2, np.nan)
    zn[1, 3] = complex(np.inf, -np.inf)
    for prog, ref in [
        ("nansum(a)", np.nansum), ("nanmean(a, 1)", lambda a: np.nanmean(a, 1)),
        ("nanvar(a)", np.nanvar), ("nanstd(a, 0)", lambda a: np.nanstd(a, 0)),
        ("nancumsum(a, 1)", lambda a: np.nancumsum(a, 1)), ("nancumprod(a)", np.nancumprod),
        ("nan_to_num(a)", np.nan_to_num), ("isnan(a)", np.isnan), ("isinf(a)", np.isinf),
    ]:  # fmt: skip
        out.append(case(prog, ref, zn))
    # Operations without a complex loop are TypeErrors, never a silently dropped imaginary part.
    refused = (
        "norm(a, 2)",
        "floor_divide(a, 2)",
        "isposinf(a)",
        "nanmax(a)",
        "amax(a)",
    )
    out += [c(f1(p), TypeError, zc) for p in refused]
    out += [c(f1(f"{fn}(a)"), TypeError, zsample((3,), C128)) for fn in ("floor", "unique", "cbrt")]
    return out


def eig_cases(name: str) -> list:
    f = getattr(np.linalg, name)
    rng = np.random.default_rng(8)
    sym = rng.uniform(-1, 1, (4, 4))
    matrices = [
        rng.uniform(-1, 1, (4, 4)),  # complex conjugate pairs
        sym + sym.T,  # real eigenvalues: real results
        np.array([[0.0, -1.0], [1.0, 0.0]]),  # +-1j
        rng.uniform(-1, 1, (2, 3, 3)),  # a stack
        rng.uniform(-1, 1, (3, 3)).astype(np.float32),
        np.eye(3, dtype=np.int64),
        np.zeros((0, 0)),
    ]
    out = [case(f"{name}(a)", f, m) for m in matrices]
    out += [
        case(f"{name}(a)", f, np.ones((2, 3))),  # LinAlgError: not square
        case(f"{name}(a)", f, np.array([[np.inf, 1.0], [0.0, 1.0]])),
        case(f"{name}(a)", f, np.ones(3)),
    ]
    return out


ROWS = {
    **{name: Cases(one_axis_cases(name)) for name in ("fft", "ifft", "rfft", "irfft")},
    **{name: Cases(many_axes_cases(name)) for name in ("fftn", "ifftn", "fft2", "ifft2")},
    **{name: Cases(freq_cases(name)) for name in ("fftfreq", "rfftfreq")},
    **{name: Cases(shift_cases(name)) for name in ("fftshift", "ifftshift")},
    **{name: Cases(parts_cases(name)) for name in ("real", "imag", "conj")},
    "angle": Cases(angle_cases()),
    "eig": Cases(eig_cases("eig")),
    "eigvals": Cases(eig_cases("eigvals")),
    "complex": Cases(
        [
            c("complex(1.5, -2)", np.array(1.5 - 2j)),
            c("complex(3)", np.array(3 + 0j)),
            c("complex()", np.array(0j)),
            c("complex(1, 2) * 2", np.array(2 + 4j)),
            *complex_math_cases(),
        ]
    ),
}
