"""PhySL text as the translator builds it, with source positions carried as data.

Every name the translator emits carries the user's position as ``name$LINE$COL``. What has no name
to carry one (an infix operator, an array literal ``[...]``, the call of a value) gets a mark: the
Python position of a place in the text. A :class:`Code` keeps the pieces it is made of (text,
marks, other Codes) unjoined, so putting pieces together (:func:`cat`, :func:`join`,
:func:`indent`) copies no text and moves no marks; :func:`finish` joins them once and gives each
mark's PhySL line and column, which ``Translation.locate`` maps back to the Python line. Text
without marks stays a plain ``str``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Union

Pos = tuple[int, int]  # a place in the user's source: (line, col_offset)
ATOM = 99  # the precedence of text that needs no parentheses around it
PREC = {
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "%": 6,
}
UNARY_PREC = 7


class Code:
    """PhySL text with marks, as the pieces it was put together from: text, marks (a Pos, at
    the place between the pieces around it) and other Codes, joined once, by :func:`finish`."""

    __slots__ = ("parts", "prec", "margin")

    def __init__(self, parts: tuple[Text | Pos, ...], prec: int = ATOM, margin: str = "") -> None:
        self.parts = parts
        self.prec = prec  # the precedence of its outermost operator
        self.margin = margin  # before each of its lines (see indent)

    def __format__(self, spec: str) -> str:
        # An f-string would drop the marks: pieces go through cat() and join().
        raise TypeError("internal error: PhySL Code formatted as a string (use cat or join)")

    def __str__(self) -> str:
        return self.__format__("")


Text = Union[str, Code]  # PhySL text, with marks or without


def prec_of(text: Text) -> int:
    return text.prec if isinstance(text, Code) else ATOM


def _plain(parts: Iterable[Text]) -> bool:
    for part in parts:  # a loop, not any(): this runs for every call the translator emits
        if isinstance(part, Code):
            return False
    return True


def join(sep: str, parts: Iterable[Text]) -> Text:
    """The parts with sep between them."""
    parts = list(parts)
    if _plain(parts):
        return sep.join(parts)  # type: ignore[arg-type]
    joined: list[Text] = []
    for i, part in enumerate(parts):
        if i:
            joined.append(sep)
        joined.append(part)
    return Code(tuple(joined))


def cat(*parts: Text) -> Text:
    return "".join(parts) if _plain(parts) else Code(parts)  # type: ignore[arg-type]


def mark(pos: Pos, text: Text) -> Code:
    """text marked at its start as coming from pos."""
    return Code((pos, text))


def call(callee: Text, args: Iterable[Text]) -> Text:
    """callee(arg, ...)"""
    args = list(args)
    if isinstance(callee, str) and _plain(args):
        return f"{callee}({', '.join(args)})"  # type: ignore[arg-type]
    return cat(callee, "(", join(", ", args), ")")


def infix(op: str, left: Text, right: Text, pos: Pos) -> Code:
    """left op right, each side in parentheses where its operator binds less; the operator marked
    at pos."""
    prec = PREC[op]
    left = left if prec_of(left) >= prec else cat("(", left, ")")
    right = right if prec_of(right) > prec else cat("(", right, ")")
    return Code((left, " ", pos, op, " ", right), prec)


def prefix(op: str, operand: Text, pos: Pos) -> Code:
    """op operand (! or unary -), the operator marked at pos."""
    operand = operand if prec_of(operand) >= UNARY_PREC else cat("(", operand, ")")
    return Code((pos, op, operand), UNARY_PREC)


def not_(operand: Text, pos: Pos) -> Code:
    return prefix("!", operand, pos)


def indent(text: Text, margin: str) -> Text:
    """text with margin before each of its lines."""
    if isinstance(text, str):
        return margin + text.replace("\n", "\n" + margin)
    return Code((text,), margin=margin)


def finish(text: Text) -> tuple[str, list[tuple[int, int, int, int]]]:
    """The program's text and its marks as (PhySL line, PhySL col, Python line, Python col)."""
    if isinstance(text, str):
        return text, []
    out: list[str] = []
    marks: list[tuple[int, int, int, int]] = []
    line, col, last = 1, 1, 0  # the PhySL position of out[last:]'s start

    def emit(code: Code, margin: str) -> None:
        nonlocal line, col, last
        if code.margin:
            out.append(code.margin)
            margin += code.margin
        for part in code.parts:
            if isinstance(part, str):
                out.append(part.replace("\n", "\n" + margin) if margin else part)
            elif isinstance(part, Code):
                emit(part, margin)
            else:
                data = "".join(out[last:]).encode()  # PhySL columns count bytes
                if b"\n" in data:
                    line += data.count(b"\n")
                    col = len(data) - data.rindex(b"\n")
                else:
                    col += len(data)
                last = len(out)
                marks.append((line, col, *part))

    emit(text, "")
    return "".join(out), marks
