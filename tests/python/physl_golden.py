"""Reads the golden PhySL programs of tests/physl/: each file starts with comment directives.

// args: 10, [1.0, 2.0]            arguments (PhySL expressions), when the value is a function
// expect: <Python expression>     the expected value (np is numpy)
// error: <Class> LINE:COL <text>  the expected error class (in larix), location and message part
// origin: user.py                 the file that name$LINE$COL annotations point into
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "physl"


@dataclass
class Golden:
    path: Path
    text: str
    args: list[str] = field(default_factory=list)
    expect: object = None
    has_expect: bool = False
    error_class: str = ""
    error_line: int = 0
    error_col: int = 0
    error_text: str = ""
    origin: str = ""


def split_args(text: str) -> list[str]:
    """Splits a comma-separated argument list at top level (not inside brackets or strings)."""
    out, depth, current, quote = [], 0, "", False
    for ch in text:
        if ch == '"':
            quote = not quote
        if not quote and ch in "([":
            depth += 1
        elif not quote and ch in ")]":
            depth -= 1
        if ch == "," and depth == 0 and not quote:
            out.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        out.append(current.strip())
    return out


def load(path: Path) -> Golden:
    text = path.read_text()
    g = Golden(path=path, text=text)
    for line in text.splitlines():
        m = re.match(r"//\s*(args|expect|error|origin):\s*(.*)$", line)
        if not m:
            continue
        key, value = m.groups()
        if key == "args":
            g.args = split_args(value)
        elif key == "expect":
            g.expect = eval(value, {"np": np})  # noqa: S307 - our own test data
            g.has_expect = True
        elif key == "origin":
            g.origin = value.strip()
        else:
            em = re.match(r"(\w+)\s+(\d+):(\d+)\s+(.*)$", value)
            assert em, f"{path.name}: bad error directive {value!r}"
            g.error_class, line_no, col, g.error_text = em.groups()
            g.error_line, g.error_col = int(line_no), int(col)
    assert g.has_expect != bool(g.error_class), f"{path.name}: needs exactly one of expect/error"
    return g


def all_golden() -> list[Golden]:
    return [load(p) for p in sorted(GOLDEN_DIR.glob("*.physl"))]


def same(actual: object, expected: object) -> bool:
    """Equality with the type: 7 and 7.0 differ, True and 1 differ, and arrays (also nested in
    lists) must have the same dtype and shape as well as the same values."""
    if isinstance(expected, np.ndarray) or isinstance(actual, np.ndarray):
        if not (isinstance(expected, np.ndarray) and isinstance(actual, np.ndarray)):
            return False
        return (
            actual.shape == expected.shape
            and actual.dtype == expected.dtype
            and np.array_equal(actual, expected)
        )
    if isinstance(expected, (list, tuple)):
        return (
            type(actual) is type(expected)
            and len(actual) == len(expected)
            and all(same(a, e) for a, e in zip(actual, expected))
        )
    return type(actual) is type(expected) and actual == expected
