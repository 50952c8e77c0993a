"""PhySL text as the translator builds it: infix operators with their precedence (parentheses only
where needed) and the marks that record where an operator, an array literal or a call without a
located name came from in the user's source; :func:`finish` turns them into positions."""

from __future__ import annotations

MARK = "\x00"  # brackets a position mark `\0LINE:COL\0` in the text until finish strips it
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


class Infix(str):
    """PhySL text of an infix expression, with its operator's precedence."""

    prec: int

    def __new__(cls, text: str, prec: int) -> Infix:
        obj = super().__new__(cls, text)
        obj.prec = prec
        return obj


def prec_of(text: str) -> int:
    return getattr(text, "prec", 99)


def finish(text: str) -> tuple[str, list[tuple[int, int, int, int]]]:
    """Strips the position marks; returns the text and (physl line, col, python line, col)."""
    out, marks = [], []
    line, col = 1, 1
    parts = text.split(MARK)
    for i, part in enumerate(parts):
        if i % 2:
            py_line, py_col = part.split(":")
            marks.append((line, col, int(py_line), int(py_col)))
            continue
        out.append(part)
        data = part.encode()  # PhySL columns count bytes
        if b"\n" in data:
            line += data.count(b"\n")
            col = len(data) - data.rindex(b"\n")
        else:
            col += len(data)
    return "".join(out), marks
