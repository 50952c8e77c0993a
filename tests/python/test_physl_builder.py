"""The frontend's PhySL builder: marks (Python positions of places in the text) carried beside the
text through cat, join, indent and parentheses, and found at the right PhySL line and column."""

from __future__ import annotations

import pytest
from larix.frontend import physl_builder as physl


def test_plain_text_stays_a_string() -> None:
    text = physl.call("f$1$0", ["a$1$2", physl.cat("b", "$1$5")])
    assert text == "f$1$0(a$1$2, b$1$5)"
    assert physl.finish(text) == ("f$1$0(a$1$2, b$1$5)", [])


def test_marks_follow_joins_parentheses_and_indents() -> None:
    a_plus_b = physl.infix("+", "a", "b", (3, 6))
    product = physl.infix("*", a_plus_b, "c", (3, 9))  # (a + b) * c
    assert physl.prec_of(product) == physl.PREC["*"]
    inner = physl.join(",\n", [physl.indent("x", "    "), physl.indent(product, "    ")])
    block = physl.indent(physl.cat("block(\n", inner, "\n)"), "  ")
    text, marks = physl.finish(block)
    assert text == "  block(\n      x,\n      (a + b) * c\n  )"
    # PhySL lines and columns count from 1: `+` is at line 3, column 10; `*` at column 15
    assert marks == [(3, 10, 3, 6), (3, 15, 3, 9)]
    line = text.split("\n")[2]
    assert line[10 - 1] == "+" and line[15 - 1] == "*"


def test_columns_count_bytes() -> None:
    text, marks = physl.finish(physl.cat('"é" == ', physl.mark((1, 0), "[1]")))
    assert text == '"é" == [1]' and marks == [(1, 9, 1, 0)]  # é is two bytes in UTF-8


def test_unary_operators_bind_tighter() -> None:
    negated = physl.prefix("-", physl.infix("+", "a", "b", (1, 3)), (1, 0))
    assert physl.finish(physl.not_(negated, (1, 0)))[0] == "!-(a + b)"


def test_a_code_in_an_f_string_is_an_internal_error() -> None:
    code = physl.infix("<", "a", "b", (1, 2))
    with pytest.raises(TypeError, match="internal error"):
        f"{code}"  # noqa: B018
