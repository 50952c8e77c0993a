"""Table rows of the products the rewrite_algebra pass produces (primitives/rewritten_dot.cpp).

Each is dot(a, b) for any operands: the rows call them on the structured operand they are made for
(fast path), on operands the fast path does not take (k != 0, int dtypes, a NaN, a 2-d c, plain
arrays), and on mismatched shapes, where they must raise what dot would.
"""

from __future__ import annotations

import numpy as np
from table_support import Cases, c

LinAlgError = np.linalg.LinAlgError
RNG = np.random.default_rng(5)
C4 = RNG.random(4) + 0.5
Y43 = RNG.random((4, 3))
Y34 = RNG.random((3, 4))
V4 = RNG.random(4)
NAN43 = Y43.copy()
NAN43[1, 2] = np.nan
A4 = RNG.random((4, 4)) + 4 * np.eye(4)
M22 = np.array([[1.0, 2.0], [3.0, 4.0]])


def f2(body: str) -> str:
    return f"define(f, a, b, {body}) f"


ROWS = {
    "__dot_diag_left": Cases(
        [
            c(f2("__dot_diag_left(diag(a), b)"), np.diag(C4) @ Y43, C4, Y43),
            c(f2("__dot_diag_left(diag(a), b)"), np.diag(C4) @ V4, C4, V4),
            c(f2("__dot_diag_left(diag(a), b)"), np.diag(C4) @ NAN43, C4, NAN43),
            c(f2("__dot_diag_left(diag(a, 1), b)"), np.diag(C4[:3], 1) @ Y43, C4[:3], Y43),
            c(f2("__dot_diag_left(diag(a), b)"), np.diag(M22) @ M22, M22, M22),
            c(f2("__dot_diag_left(diag(a), b)"), np.diag([1, 2]) @ np.ones(2, int), [1, 2], [1, 1]),
            c(f2("__dot_diag_left(a, b)"), M22 @ M22, M22, M22),
            c(f2("__dot_diag_left(diag(a), b)"), ValueError, C4, Y34),
            c(f2("__dot_diag_left(diag(a), b)"), ValueError, np.ones((2, 2, 2)), Y43),
        ]
    ),
    "__dot_diag_right": Cases(
        [
            c(f2("__dot_diag_right(b, diag(a))"), Y34 @ np.diag(C4), C4, Y34),
            c(f2("__dot_diag_right(b, diag(a))"), V4 @ np.diag(C4), C4, V4),
            c(f2("__dot_diag_right(b, diag(a))"), NAN43.T @ np.diag(C4), C4, NAN43.T),
            c(f2("__dot_diag_right(b, diag(a, -1))"), Y34 @ np.diag(C4[:3], -1), C4[:3], Y34),
            c(f2("__dot_diag_right(a, b)"), M22 @ M22, M22, M22),
            c(f2("__dot_diag_right(b, diag(a))"), ValueError, C4, Y43),
        ]
    ),
    "__dot_diag_identity_left": Cases(
        [
            c(
                f2("__dot_diag_identity_left(diag(a) + identity(4), b)"),
                (np.diag(C4) + np.identity(4)) @ V4,
                C4,
                V4,
            ),
            c(
                f2("__dot_diag_identity_left(diag(a) + eye(4), b)"),
                (np.diag(C4) + np.eye(4)) @ Y43,
                C4,
                Y43,
            ),
            c(
                f2("__dot_diag_identity_left(diag(a) + eye(4, 4, 1), b)"),
                (np.diag(C4) + np.eye(4, 4, 1)) @ Y43,
                C4,
                Y43,
            ),
            c(
                f2('__dot_diag_identity_left(diag(a) + identity(4, "int64"), b)'),
                (np.diag(C4) + np.identity(4, np.int64)) @ V4,
                C4,
                V4,
            ),
            c(f2("__dot_diag_identity_left(diag(a) + identity(5), b)"), ValueError, C4, V4),
            c(f2("__dot_diag_identity_left(diag(a) + identity(4), b)"), ValueError, C4, Y34),
        ]
    ),
    "__dot_diag_identity_right": Cases(
        [
            c(
                f2("__dot_diag_identity_right(b, diag(a) + identity(4))"),
                Y34 @ (np.diag(C4) + np.identity(4)),
                C4,
                Y34,
            ),
            c(
                f2("__dot_diag_identity_right(b, diag(a) + identity(4))"),
                V4 @ (np.diag(C4) + np.identity(4)),
                C4,
                V4,
            ),
            c(f2("__dot_diag_identity_right(b, diag(a) + identity(4))"), ValueError, C4, Y43),
        ]
    ),
    "__dot_scaled_vector": Cases(
        [
            c(
                f2("__dot_scaled_vector(__dot_diag_right(b, diag(a)), a)"),
                Y34 @ np.diag(C4) @ C4,
                C4,
                Y34,
            ),
            c(
                f2("__dot_scaled_vector(__dot_diag_identity_right(b, diag(a) + identity(4)), a)"),
                Y34 @ (np.diag(C4) + np.identity(4)) @ C4,
                C4,
                Y34,
            ),
            c(f2("__dot_scaled_vector(__dot_diag_right(b, diag(a)), b)"), ValueError, C4, Y34),
            c(
                f2("__dot_scaled_vector(__dot_diag_right(b, diag(a)), transpose(b))"),
                Y34 @ np.diag(C4) @ Y34.T,
                C4,
                Y34,
            ),
            c(f2("__dot_scaled_vector(b, a)"), Y34 @ C4, C4, Y34),
            c(f2("__dot_scaled_vector(__dot_diag_right(b, diag(a)), a)"), ValueError, C4, Y43),
        ]
    ),
    "__dot_inverse": Cases(
        [
            c(f2("__dot_inverse(inv(a), b)"), np.linalg.solve(A4, V4), A4, V4),
            c(f2("__dot_inverse(inv(a), b)"), np.linalg.solve(A4, Y43), A4, Y43),
            c(
                f2("__dot_inverse(inv(a), b)"),
                np.linalg.inv(A4) @ V4.astype(np.float32),
                A4,
                V4.astype(np.float32),
            ),
            c(f2("__dot_inverse(inv(a), b)"), LinAlgError, np.ones((2, 2)), np.ones(2)),
            c(f2("__dot_inverse(inv(a), b)"), LinAlgError, Y43, V4),
            c(f2("__dot_inverse(inv(a), b)"), ValueError, A4, Y34),
            c(f2("__dot_inverse(a, b)"), M22 @ M22, M22, M22),
        ]
    ),
    "__dot_syrk_left": Cases(
        [
            c(f2("__dot_syrk_left(transpose(a), a)"), Y43.T @ Y43, Y43, None),
            c(f2("__dot_syrk_left(transpose(a), a)"), Y34.T @ Y34, Y34, None),
            c(f2("__dot_syrk_left(transpose(a), a)"), Y43.T @ Y43, np.asfortranarray(Y43), None),
            c(f2("__dot_syrk_left(transpose(a), a)"), np.zeros((3, 3)), np.zeros((0, 3)), None),
            c(f2("__dot_syrk_left(transpose(a), a)"), np.zeros((0, 0)), np.zeros((4, 0)), None),
            # not the fast path: float32, int64, a vector, another b, axes given
            c(
                f2("__dot_syrk_left(transpose(a), a)"),
                Y43.astype(np.float32).T @ Y43.astype(np.float32),
                Y43.astype(np.float32),
                None,
            ),
            c(f2("__dot_syrk_left(transpose(a), a)"), M22.astype(np.int64).T @ M22, M22, None),
            c(f2("__dot_syrk_left(transpose(a), a)"), V4 @ V4, V4, None),
            c(f2("__dot_syrk_left(transpose(a), b)"), Y43.T @ (2 * Y43), Y43, 2 * Y43),
            c(f2("__dot_syrk_left(transpose(a, list(1, 0)), a)"), Y43.T @ Y43, Y43, None),
            c(f2("__dot_syrk_left(a, b)"), M22 @ M22, M22, M22),
            # errors of the product as written
            c(f2("__dot_syrk_left(transpose(a), b)"), ValueError, Y43, Y34),
            c(f2("__dot_syrk_left(transpose(a, list(0, 0)), a)"), ValueError, Y43, None),
        ]
    ),
    "__dot_syrk_right": Cases(
        [
            c(f2("__dot_syrk_right(a, transpose(a))"), Y43 @ Y43.T, Y43, None),
            c(f2("__dot_syrk_right(a, transpose(a))"), Y34 @ Y34.T, np.asfortranarray(Y34), None),
            c(
                f2("__dot_syrk_right(a, transpose(a))"),
                Y34[:, ::2] @ Y34[:, ::2].T,
                Y34[:, ::2],
                None,
            ),
            c(f2("__dot_syrk_right(a, transpose(a))"), V4 @ V4, V4, None),
            c(f2("__dot_syrk_right(b, transpose(a))"), (2 * Y43) @ Y43.T, Y43, 2 * Y43),
            c(f2("__dot_syrk_right(a, transpose(b))"), ValueError, Y43, Y34),
        ]
    ),
}
