"""The golden PhySL suite (tests/physl/*.physl): through Python on both executors, and through the
`larix run` command line."""

from __future__ import annotations

import ast
import subprocess

import pytest
from physl_golden import all_golden, same

import larix

GOLDEN = all_golden()
IDS = [g.path.stem for g in GOLDEN]


def run_python(g, sync: bool):
    args = [larix.compile(a).__call__() for a in g.args]
    program = larix.compile(g.text, source_name=str(g.path), file=g.origin or None, sync=sync)
    return program(*args)


@pytest.mark.parametrize("sync", [False, True], ids=["tasks", "reference"])
@pytest.mark.parametrize("g", GOLDEN, ids=IDS)
def test_golden_python(g, sync):
    if g.has_expect:
        assert same(run_python(g, sync), g.expect)
        return
    cls = getattr(larix, g.error_class)
    with pytest.raises(cls) as info:
        run_python(g, sync)
    err = info.value
    assert isinstance(err, larix.Error)
    assert (err.line, err.column) == (g.error_line, g.error_col), str(err)
    assert g.error_text in str(err)
    assert err.file == (g.origin or str(g.path))
    if not g.origin:  # the offending line, with a caret under the column
        assert err.source_line in g.text
        assert "\n    " + " " * (g.error_col - 1) + "^" in str(err)


def cli_value(text: str):
    """Reads back what `larix run` printed (Value::repr is Python-literal-like)."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def plain(value):
    """What `larix run` prints, read back: arrays and NumPy scalars (also inside lists) as
    Python lists and numbers."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


@pytest.mark.parametrize("g", GOLDEN, ids=IDS)
def test_golden_cli(g, tmp_path):
    if g.origin:
        pytest.skip("annotations pointing into another file are checked through Python")
    proc = subprocess.run(
        ["larix", "run", str(g.path), *g.args, "--threads", "2"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if g.has_expect:
        assert proc.returncode == 0, proc.stderr
        printed = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else "None"
        expected = g.expect
        actual = cli_value(printed)
        expected = plain(expected)
        if isinstance(expected, str):
            assert printed == expected
        else:
            assert same(actual, expected), printed
    else:
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert f"{g.path}:{g.error_line}:{g.error_col}:" in proc.stderr
        assert g.error_text in proc.stderr
