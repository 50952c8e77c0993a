"""Table rows of the decompositions (cholesky, qr, eigh, eigvalsh, svd, lstsq, slogdet, pinv,
matrix_rank) and products (cross, tensordot, vdot, kron, matrix_power) against NumPy.

Matrices: 1x1, 3x3, 5x5, a stack 2x3x3 and empty ones where NumPy takes them, as float64,
float32 and int64. Eigenvectors and singular vectors are unique up to sign only: their rows
compare absolute values (the values distinct, so the vectors are otherwise unique); q and r of
qr compare exactly, LAPACK's Householder signs being NumPy's.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from table_support import F32, F64, I64, Cases, Row, c, f1, f2

LinAlgError = np.linalg.LinAlgError
AxisError = np.exceptions.AxisError
SIZES = ((1, 1), (3, 3), (5, 5), (2, 3, 3))
DTYPES = (F64, F32, I64)


def general(shape: tuple, dtype: Any, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if dtype is I64:
        return rng.integers(-5, 6, shape).astype(np.int64)
    return rng.normal(size=shape).astype(dtype)


def spd(shape: tuple, dtype: Any, seed: int = 2) -> np.ndarray:
    """A symmetric positive-definite matrix (or stack): m m^T + n I, exact in every dtype."""
    m = general(shape, I64, seed)
    n = shape[-1]
    return (m @ np.swapaxes(m, -1, -2) + n * np.eye(n, dtype=np.int64)).astype(dtype)


def arrays(*xs: Any) -> list:
    return [np.asarray(x) for x in xs]


# ---- decompositions ------------------------------------------------------------------------------


def cholesky_cases() -> list:
    out = []
    for shape in SIZES:
        for dtype in DTYPES:
            a = spd(shape, dtype)
            out.append(c(f1("cholesky(a)"), np.linalg.cholesky(a), a))
    a = spd((3, 3), F64)
    out += [
        c(f1("cholesky(a, true)"), np.linalg.cholesky(a, upper=True), a),
        c(f1("cholesky(a)"), np.linalg.cholesky(np.tril(a) + 7 * np.triu(a, 1)), np.tril(a)),
        c(f1("cholesky(a)"), np.linalg.cholesky(np.zeros((0, 0))), np.zeros((0, 0))),
        c(f1("cholesky(a)"), np.linalg.cholesky(np.zeros((2, 0, 0))), np.zeros((2, 0, 0))),
        c(f1("cholesky(a)"), LinAlgError, -np.eye(3)),
        c(f1("cholesky(a)"), LinAlgError, np.ones((2, 3))),
        c(f1("cholesky(a)"), LinAlgError, np.ones(3)),
    ]
    return out


QR_SHAPES = ((1, 1), (3, 3), (5, 5), (2, 3, 3), (5, 3), (3, 5), (2, 4, 3), (0, 0), (3, 0), (0, 3))


def qr_cases() -> list:
    out = []
    for shape in QR_SHAPES:
        for dtype in DTYPES:
            a = general(shape, dtype)
            for mode in ("reduced", "complete"):
                program = f1(f'qr(a, "{mode}")')
                out.append(c(program, list(np.linalg.qr(a, mode=mode)), a))
            out.append(c(f1('qr(a, __arg(mode, "r"))'), np.linalg.qr(a, mode="r"), a))
    a = general((5, 3), F64)
    out += [
        c(f1('qr(a, "raw")'), list(np.linalg.qr(a, mode="raw")), a),
        c(f1('qr(a, "full")'), ValueError, a),
        c(f1("qr(a)"), LinAlgError, np.ones(3)),
    ]
    return out


def eigh_cases() -> list:
    out = []
    for shape in SIZES + ((0, 0),):
        for dtype in DTYPES:
            a = spd(shape, dtype) - 2 * shape[-1]  # some eigenvalues negative
            w, v = np.linalg.eigh(a)
            out.append(c(f1("eigvalsh(a)"), np.linalg.eigvalsh(a), a))
            body = "block(define(r, eigh(a)), list(slice(r, 0), absolute(slice(r, 1))))"
            out.append(c(f1(body), [w, np.abs(v)], a))
    a = spd((3, 3), F64) - 4
    skew = np.tril(a) + 5 * np.triu(a, 1)  # only one triangle is read
    out += [
        c(f1('eigvalsh(a, "U")'), np.linalg.eigvalsh(skew.T, "U"), skew.T),
        c(f1('eigvalsh(a, "l")'), np.linalg.eigvalsh(skew, "l"), skew),
        c(f1("eigvalsh(a)"), np.linalg.eigvalsh(skew), skew),
        c(f1('eigh(a, __arg(UPLO, "X"))'), ValueError, a),
        c(f1("eigh(a)"), LinAlgError, np.ones((2, 3))),
        c(f1("eigvalsh(a)"), LinAlgError, np.ones(3)),
    ]
    return out


SVD_SHAPES = ((1, 1), (3, 3), (5, 5), (2, 3, 3), (4, 3), (3, 4), (0, 0), (3, 0), (2, 0, 3))


def svd_cases() -> list:
    out = []
    body = "block(define(r, svd(a, {})), list(absolute(slice(r, 0)), slice(r, 1), {}))"
    for shape in SVD_SHAPES:
        for dtype in DTYPES:
            a = general(shape, dtype)
            for full in (True, False):
                u, s, vh = np.linalg.svd(a, full_matrices=full)
                flag = "true" if full else "false"
                out.append(
                    c(f1(body.format(flag, "absolute(slice(r, 2))")), [np.abs(u), s, np.abs(vh)], a)
                )
            out.append(
                c(f1("svd(a, __arg(compute_uv, false))"), np.linalg.svd(a, compute_uv=False), a)
            )
    out += [
        c(
            f1("svd(a, true, false, true)"),
            np.linalg.svd(spd((3, 3), F64), compute_uv=False),
            spd((3, 3), F64),
        ),
        c(f1("svd(a)"), LinAlgError, np.ones(3)),
    ]
    return out


def lstsq_cases() -> list:
    out = []
    for dtype in DTYPES:
        for m, n in ((5, 3), (3, 3), (3, 5), (1, 1), (4, 2)):
            a = general((m, n), dtype)
            for b in (general((m,), dtype, 7), general((m, 2), dtype, 8)):
                out.append(c(f2("lstsq(a, b)"), arrays(*np.linalg.lstsq(a, b)), a, b))
    a, b = general((5, 3), F64), general((5,), F64, 3)
    rank2 = np.outer(np.arange(1.0, 6.0), [1.0, 2.0, 3.0]) + np.outer(np.ones(5), [1.0, 0.0, -1.0])
    f32, i64 = general((5, 3), F32), general((5,), I64, 3)
    out += [
        c(f2("lstsq(a, b)"), arrays(*np.linalg.lstsq(rank2, b)), rank2, b),
        c(f2("lstsq(a, b, 0.5)"), arrays(*np.linalg.lstsq(a, b, rcond=0.5)), a, b),
        c(f2("lstsq(a, b, -1)"), arrays(*np.linalg.lstsq(a, b, rcond=-1)), a, b),
        c(f2("lstsq(a, b)"), arrays(*np.linalg.lstsq(f32, i64)), f32, i64),
        c(f2("lstsq(a, b)"), arrays(*np.linalg.lstsq(a, np.ones((5, 0)))), a, np.ones((5, 0))),
        c(
            f2("lstsq(a, b)"),
            arrays(*np.linalg.lstsq(np.ones((0, 3)), np.ones(0))),
            np.ones((0, 3)),
            np.ones(0),
        ),
        c(
            f2("lstsq(a, b)"),
            arrays(*np.linalg.lstsq(np.ones((3, 0)), np.ones(3))),
            np.ones((3, 0)),
            np.ones(3),
        ),
        c(f2("lstsq(a, b)"), LinAlgError, a, np.ones(4)),
        c(f2("lstsq(a, b)"), LinAlgError, np.ones((2, 5, 3)), np.ones((2, 5))),
        c(f2("lstsq(a, b)"), LinAlgError, np.ones(3), np.ones(3)),
        c(f2("lstsq(a, b)"), LinAlgError, a, np.float64(1.0)),
    ]
    return out


def slogdet_cases() -> list:
    out = []
    for shape in SIZES + ((0, 0), (2, 0, 0)):
        for dtype in DTYPES:
            a = general(shape, dtype)
            out.append(c(f1("slogdet(a)"), arrays(*np.linalg.slogdet(a)), a))
    sing = np.array([[1.0, 2.0], [2.0, 4.0]])
    out += [
        c(f1("slogdet(a)"), arrays(*np.linalg.slogdet(np.zeros((2, 2)))), np.zeros((2, 2))),
        c(f1("slogdet(a)"), arrays(*np.linalg.slogdet(sing)), sing),
        c(f1("slogdet(a)"), LinAlgError, np.ones((2, 3))),
    ]
    return out


def pinv_cases() -> list:
    out = []
    for shape in SIZES + ((5, 3), (3, 5), (2, 4, 3)):
        for dtype in DTYPES:
            a = general(shape, dtype)
            out.append(c(f1("pinv(a)"), np.linalg.pinv(a), a))
    rank2 = np.outer(np.arange(1.0, 5.0), [1.0, 2.0, 3.0]) + np.outer(np.ones(4), [1.0, 0.0, -1.0])
    out += [
        c(f1("pinv(a)"), np.linalg.pinv(rank2), rank2),
        c(f1("pinv(a, 0.3)"), np.linalg.pinv(rank2, 0.3), rank2),
        c(f1("pinv(a, __arg(rtol, 0.3))"), np.linalg.pinv(rank2, rtol=0.3), rank2),
        c(
            f1("pinv(a, __arg(hermitian, true))"),
            np.linalg.pinv(spd((3, 3), F64), hermitian=True),
            spd((3, 3), F64),
        ),
        c(f1("pinv(a)"), np.linalg.pinv(np.ones((0, 3), np.int64)), np.ones((0, 3), np.int64)),
        c(f1("pinv(a, 0.1, false, 0.1)"), ValueError, rank2),
        c(f1("pinv(a)"), LinAlgError, np.ones(3)),
    ]
    return out


def matrix_rank_cases() -> list:
    out = []
    rank2 = np.outer(np.arange(1.0, 5.0), [1.0, 2.0, 3.0]) + np.outer(np.ones(4), [1.0, 0.0, -1.0])
    stack = np.stack([rank2, np.ones((4, 3)), np.zeros((4, 3))])
    for a in (
        rank2,
        stack,
        general((5, 5), F64),
        rank2.astype(np.float32),
        np.eye(3, dtype=np.int64),
    ):
        out.append(c(f1("matrix_rank(a)"), np.asarray(np.linalg.matrix_rank(a)), a))
    out += [
        c(f1("matrix_rank(a, 1.5)"), np.asarray(np.linalg.matrix_rank(rank2, 1.5)), rank2),
        c(
            f1("matrix_rank(a, __arg(rtol, 0.1))"),
            np.asarray(np.linalg.matrix_rank(rank2, rtol=0.1)),
            rank2,
        ),
        c(
            f1("matrix_rank(a)"),
            np.asarray(np.linalg.matrix_rank(np.ones((0, 0)))),
            np.ones((0, 0)),
        ),
        c(f1("matrix_rank(a)"), np.linalg.matrix_rank(np.ones(3)), np.ones(3)),
        c(f1("matrix_rank(a)"), np.linalg.matrix_rank(np.zeros(3)), np.zeros(3)),
        c(f1("matrix_rank(a, 1.0, false, 0.1)"), ValueError, rank2),
    ]
    return out


# ---- products ------------------------------------------------------------------------------------


def cross(a: Any, b: Any, **kw: Any) -> np.ndarray:
    with warnings.catch_warnings():  # NumPy 2 deprecates 2-vectors; they still work
        warnings.simplefilter("ignore", DeprecationWarning)
        return np.asarray(np.cross(a, b, **kw))


def cross_cases() -> list:
    out = []
    for dtype in DTYPES:
        for sa, sb in (
            ((3,), (3,)),
            ((2,), (2,)),
            ((2,), (3,)),
            ((3,), (2,)),
            ((4, 3), (3,)),
            ((5, 1, 3), (4, 3)),
            ((2, 2), (2,)),
            ((0, 3), (3,)),
        ):
            a, b = general(sa, dtype, 3), general(sb, dtype, 4)
            out.append(c(f2("cross(a, b)"), cross(a, b), a, b))
    a, b = general((3, 4), F64, 5), general((4, 3), F64, 6)
    a2 = general((2, 4), F64, 7)
    out += [
        c(f2("cross(a, b, 0, -1)"), cross(a, b, axisa=0, axisb=-1), a, b),
        c(f2("cross(a, b, 0, 0, 1)"), cross(a, b.T, axisa=0, axisb=0, axisc=1), a, b.T),
        c(f2("cross(a, b, __arg(axis, 0))"), cross(a, b.T, axis=0), a, b.T),
        c(
            f2("cross(a, b, __arg(axis, 0), __arg(axisc, 5))"),
            cross(a2, a2[::-1], axis=0),
            a2,
            a2[::-1],
        ),
        c(
            f2("cross(a, b)"),
            cross(b.astype(np.int64), b.astype(np.float32)),
            b.astype(np.int64),
            b.astype(np.float32),
        ),
        c(f2("cross(a, b)"), TypeError, np.ones(3, bool), np.ones(3, bool)),
        c(f2("cross(a, b)"), ValueError, np.ones(4), np.ones(3)),
        c(f2("cross(a, b)"), ValueError, np.float64(1), np.ones(3)),
        c(f2("cross(a, b)"), ValueError, np.ones((2, 3)), np.ones((4, 3))),
        c(f2("cross(a, b, 2)"), AxisError, a, b),
        c(f2("cross(a, b, 0, -1, 2)"), AxisError, a, b),
    ]
    return out


def tensordot_cases() -> list:
    out = []
    for dtype in DTYPES + (np.bool_,):
        a, b = general((2, 3, 4), dtype, 1), general((3, 4, 5), dtype, 2)
        if dtype is np.bool_:
            a, b = a > 0, b > 0
        out += [
            c(f2("tensordot(a, b)"), np.tensordot(a, b), a, b),
            c(f2("tensordot(a, b, 0)"), np.tensordot(a, b, 0), a, b),
            c(f2("tensordot(a, b, -1)"), np.tensordot(a, b, -1), a, b),
            c(
                f2("tensordot(a, b, list(list(2, 1), list(1, 0)))"),
                np.tensordot(a, b, ([2, 1], [1, 0])),
                a,
                b,
            ),
            c(f2("tensordot(a, b, '(2, 1))"), np.tensordot(a, b, (2, 1)), a, b),
            c(f2("tensordot(a, b, [[1], [0]])"), np.tensordot(a, b, [[1], [0]]), a, b),
        ]
    a, b = general((2, 3), F64), general((3, 2), F64)
    out += [
        c(f2("tensordot(a, b, 1)"), np.tensordot(a, b, 1), a, b),
        c(f2("tensordot(a, b, list(-1, -2))"), np.tensordot(a, b, (-1, -2)), a, b),
        c(f2("tensordot(a, b, 0)"), np.tensordot(np.float64(2), b, 0), np.float64(2), b),
        c(
            f2("tensordot(a, b, 1)"),
            np.tensordot(np.ones((2, 0)), np.ones((0, 3)), 1),
            np.ones((2, 0)),
            np.ones((0, 3)),
        ),
        c(f2("tensordot(a, b, 1)"), ValueError, a, a),
        c(f2("tensordot(a, b, list(list(0, 1), list(1)))"), ValueError, a, b),
        c(f2("tensordot(a, b, list(list(0, 0), list(1, 1)))"), ValueError, a, np.ones((2, 2))),
        c(f2("tensordot(a, b, list(list(5), list(0)))"), IndexError, a, b),
        c(f2("tensordot(a, b, 3)"), IndexError, a, b),
        c(f2("tensordot(a, b, list(list(0), list(0), list(1)))"), ValueError, a, b),
    ]
    return out


def vdot_cases() -> list:
    out = []
    for dtype in DTYPES + (np.bool_,):
        a, b = general((2, 3), dtype, 1), general((3, 2), dtype, 2)
        if dtype is np.bool_:
            a, b = a > 0, b > 0
        out.append(c(f2("vdot(a, b)"), np.asarray(np.vdot(a, b)), a, b))
    out += [
        c(
            f2("vdot(a, b)"),
            np.asarray(np.vdot(np.ones(2, np.int64), np.ones(2, np.float32))),
            np.ones(2, np.int64),
            np.ones(2, np.float32),
        ),
        c(f2("vdot(a, b)"), np.asarray(np.vdot(np.ones(0), np.ones(0))), np.ones(0), np.ones(0)),
        c("vdot(2, 3)", np.asarray(np.vdot(2, 3))),
        c(f2("vdot(a, b)"), ValueError, np.ones((2, 3)), np.ones(5)),
    ]
    return out


def kron_cases() -> list:
    out = []
    for dtype in DTYPES + (np.bool_,):
        for sa, sb in (
            ((2, 3), (3, 2)),
            ((3,), (2, 2)),
            ((2, 2, 2), (3,)),
            ((2, 0), (3, 1)),
            ((), (3,)),
        ):
            a, b = general(sa, dtype, 1), general(sb, dtype, 2)
            if dtype is np.bool_:
                a, b = a > 0, b > 0
            out.append(c(f2("kron(a, b)"), np.kron(a, b), a, b))
    return out


def matrix_power_cases() -> list:
    out = []
    for shape in SIZES + ((0, 0),):
        for dtype in DTYPES:
            a = general(shape, dtype) / (2 if dtype is not I64 else 1)
            a = a.astype(dtype)
            for n in (0, 1, 2, 3, 5, 6, 13):
                out.append(c(f1(f"matrix_power(a, {n})"), np.linalg.matrix_power(a, n), a))
            if dtype is not F64:  # float32: a well-conditioned matrix, or the inverse's rounding
                a = spd(shape, dtype)  # differs between two correct LAPACK builds beyond rtol
            for n in (-1, -3):
                out.append(c(f1(f"matrix_power(a, {n})"), np.linalg.matrix_power(a, n), a))
    b = general((3, 3), I64) > 0
    out += [
        c(f1("matrix_power(a, 0)"), np.linalg.matrix_power(b, 0), b),
        c(f1("matrix_power(a, 3)"), np.linalg.matrix_power(b, 3), b),
        c(f1("matrix_power(a, 1.0)"), TypeError, np.eye(2)),
        c(f1("matrix_power(a, 2)"), LinAlgError, np.ones(2)),
        c(f1("matrix_power(a, 2)"), LinAlgError, np.ones((2, 3))),
        c(f1("matrix_power(a, -2)"), LinAlgError, np.zeros((2, 2))),
    ]
    return out


def lu_cases() -> list:
    """Phylanx's lu against scipy.linalg.lu of the transpose: m = L @ U @ P."""
    import scipy.linalg

    out = []
    rng = np.random.default_rng(5)
    for shape in ((3, 3), (2, 4), (4, 2)):
        for dtype in (F64, F32, I64):
            m = (rng.standard_normal(shape) * 4).astype(dtype)
            p, lower, upper = scipy.linalg.lu(m.T.astype(F64))
            want = [upper.T, lower.T, p.T]
            out_dtype = F32 if dtype == F32 else F64
            out.append(c(f1("lu(a)"), arrays(*(w.astype(out_dtype) for w in want)), m))
    out += [c(f1("lu(a)"), ValueError, np.arange(3.0)), c('lu("x")', TypeError)]
    return out


ROWS: dict[str, Row] = {
    "cross": Cases(cross_cases()),
    "tensordot": Cases(tensordot_cases()),
    "vdot": Cases(vdot_cases()),
    "kron": Cases(kron_cases()),
    "matrix_power": Cases(matrix_power_cases()),
    "cholesky": Cases(cholesky_cases()),
    "qr": Cases(qr_cases()),
    "eigh": Cases([row for row in eigh_cases() if "eigh(" in row[0]]),
    "eigvalsh": Cases([row for row in eigh_cases() if "eigvalsh(" in row[0]]),
    "svd": Cases(svd_cases()),
    "lstsq": Cases(lstsq_cases()),
    "slogdet": Cases(slogdet_cases()),
    "lu": Cases(lu_cases()),
    "pinv": Cases(pinv_cases()),
    "matrix_rank": Cases(matrix_rank_cases()),
}
