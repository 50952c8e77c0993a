"""What a new user meets first (issue 14): `larix fmt` keeps comments, `larix run FILE` without
the arguments a function needs says what it expects, the outermost call of an error's stack has
no `<unknown>` site, kernel output goes through Python's sys.stdout, np.median selects instead of
sorting (same values as NumPy), and np.linalg.inv has NumPy's bits (no -0.0 for 0.0)."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import larix

ROOT = Path(__file__).resolve().parents[2]
PHYSL_FILES = sorted(p for p in ROOT.glob("**/*.physl") if "build" not in p.parts)

COMMENT = re.compile(r"//[^\n]*|#[^\n]*|/\*.*?\*/", re.S)


def comments_of(text: str) -> list[str]:
    """The comments of PhySL text in order (strings in these files hold no comment markers)."""
    return [m.group(0).rstrip("\r") for m in COMMENT.finditer(text)]


def test_the_repository_has_physl_files_with_comments():
    assert len(PHYSL_FILES) > 20
    assert sum(bool(comments_of(p.read_text())) for p in PHYSL_FILES) >= 3


@pytest.mark.parametrize("path", PHYSL_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_fmt_keeps_every_comment(path):
    text = path.read_text()
    try:
        formatted = larix.format_physl(text)
    except larix.CompileError:
        pytest.skip("a file of syntax errors (its test expects the error)")
    assert comments_of(formatted) == comments_of(text)
    # The same program: with the comments removed, both print the same canonical form.
    assert larix.format_physl(COMMENT.sub(" ", formatted)) == larix.format_physl(
        COMMENT.sub(" ", text)
    )
    assert larix.format_physl(formatted) == formatted  # a fixed point


def test_fmt_layout_of_comments():
    text = "// header\ndefine(f, x, block(  // body\n  x + 1))  # done\nf\n"
    assert larix.format_physl(text) == (
        "// header\ndefine(\n    f,\n    x,\n    block(\n        // body\n        x + 1\n    )\n)"
        " # done\nf\n"
    )


def cli() -> str:
    path = shutil.which("larix")
    if path is None:
        pytest.skip("the larix command is not installed")
    return path


def test_run_without_the_arguments_a_function_needs():
    proc = subprocess.run(
        [cli(), "run", str(ROOT / "examples" / "lra.physl")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "the function lra(x, y, alpha, iterations), which needs 4 arguments" in proc.stderr
    assert "larix run" in proc.stderr


def test_run_of_a_function_without_parameters_calls_it(tmp_path):
    src = tmp_path / "f.physl"
    src.write_text("define(f, 6 * 7) f")
    proc = subprocess.run([cli(), "run", str(src)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "42"


def test_error_stack_has_no_unknown_call_site():
    program = larix.compile(
        "define(inner, a, slice(a, 5))\ndefine(outer, a, inner(a))\nouter",
        source_name="stack.physl",
    )
    with pytest.raises(IndexError) as info:
        program(np.zeros(2))
    text = str(info.value)
    assert "in inner called at stack.physl:2:" in text
    assert re.search(r"\n  in outer$", text), text
    assert "<unknown>" not in text


@larix.kernel
def inner_kernel(a):
    return a[7]


@larix.kernel
def outer_kernel(a):
    return inner_kernel(a) + 1


def test_kernel_error_stack_has_no_unknown_call_site():
    with pytest.raises(IndexError) as info:
        outer_kernel(np.zeros(3))
    assert "<unknown>" not in str(info.value)


@larix.kernel
def chatty(x):
    print("in the kernel", x)
    return x + 1


@pytest.mark.parametrize("sync", [False, True])
def test_kernel_print_goes_through_sys_stdout_in_order(sync):
    kernel = larix.kernel(chatty.python, sync=sync)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        print("before")
        assert kernel(2) == 3
        print("after")
    assert buffer.getvalue() == "before\nin the kernel 2\nafter\n"


def test_kernel_print_from_tasks_keeps_whole_lines():
    program = larix.compile("define(f, n, parallel_map(lambda(i, cout(i, i)), range(n))) f")
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        program(200)
    lines = buffer.getvalue().splitlines()
    assert sorted(lines, key=lambda s: int(s.split()[0])) == [f"{i} {i}" for i in range(200)]


@pytest.mark.parametrize("seed", range(6))
def test_median_and_quantiles_select_numpys_values(seed):
    rng = np.random.default_rng(seed)
    shape = [(1,), (2,), (7,), (200,), (5, 8), (4, 3, 6)][seed]
    a = rng.integers(-5, 5, size=shape).astype(float)  # many ties
    if seed % 2:
        a = rng.standard_normal(shape)
    kernel_median = larix.compile("define(f, a, median(a)) f")
    np.testing.assert_array_equal(kernel_median(a), np.median(a))
    for axis in range(a.ndim):
        got = larix.compile(f"define(f, a, median(a, {axis})) f")(a)
        np.testing.assert_array_equal(got, np.median(a, axis=axis))
    q = [0.0, 0.1, 0.5, 0.5, 0.93, 1.0]
    got = larix.compile("define(f, a, q, quantile(a, q)) f")(a, np.array(q))
    np.testing.assert_array_equal(got, np.quantile(a, q))


def test_inverse_has_numpys_bits():
    for a in [np.eye(2) * 2, np.eye(3), np.diag([4.0, -2.0, 0.5]), np.array([[2.0, 1], [1, 3]])]:
        got = larix.compile("define(f, a, inv(a)) f")(a)
        want = np.linalg.inv(a)
        np.testing.assert_array_equal(got, want)
        assert (np.signbit(got) == np.signbit(want)).all(), (got, want)
    with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
        larix.compile("define(f, a, inv(a)) f")(np.zeros((2, 2)))


def test_type_stubs_name_every_public_name_of_the_extension():
    package = Path(larix.__file__).parent
    assert (package / "py.typed").exists()
    stub = (package / "_core.pyi").read_text()
    defined = set(re.findall(r"^(?:class|def) (\w+)|^(\w+)\s*:", stub, re.M))
    names = {a or b for a, b in defined}
    public = {n for n in dir(larix._core) if not n.startswith("_")}
    assert public <= names, public - names
