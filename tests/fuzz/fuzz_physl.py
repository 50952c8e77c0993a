"""Fuzzers for Larix (atheris, libFuzzer for Python and its extensions).

    python tests/fuzz/fuzz_physl.py compile [libFuzzer flags] [corpus dirs]
    python tests/fuzz/fuzz_physl.py eval [libFuzzer flags] [corpus dirs]
    python tests/fuzz/fuzz_physl.py kernel [libFuzzer flags] [corpus dirs]

``compile`` feeds arbitrary text to the parser and the compiler (constant folding runs kernels at
compile time); ``eval`` turns the bytes into a small PhySL program (a few definitions and one
expression over edge-case numbers, arrays, strings and lists, without unbounded loops) and runs
it optimised and unoptimised, on the task executor and on the reference executor. A finding is any
exception that is not a ``larix.Error`` (a crash of the process is one too), or configurations
that disagree: one raises and another does not, or their values differ. Which error a program
with several failing operands reports may differ between executors (design.md), so the class of
the error is not compared. The seed corpus of ``compile`` is ``tests/physl``.

``kernel`` runs generated Python functions by Python and as kernels (a different answer is a
finding). ``scripts/test.sh`` runs each for a bounded time; ``tests/python/test_fuzz_harness.py``
runs the same targets on fixed inputs without atheris.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

import numpy as np

import larix

# ---- reading choices from the fuzzer's bytes ----------------------------------------------------


class Bytes:
    """Choices taken from the input, one byte each (0 when the input is used up)."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def byte(self) -> int:
        if self.pos >= len(self.data):
            return 0
        self.pos += 1
        return self.data[self.pos - 1]

    def pick(self, options: list | tuple):
        return options[self.byte() % len(options)]


# Numbers at the edges: zero, signs, the int64 limits, sizes that are too big for memory or for
# int64 (never ones that fit and would take minutes), NaN and infinities.
INTS = [
    "0",
    "1",
    "2",
    "3",
    "-1",
    "-2",
    "5",
    "7",
    "64",
    "65",
    "1099511627776",
    "4611686018427387904",
    "9223372036854775807",
    "(-9223372036854775807 - 1)",
]
FLOATS = ["0.0", "-0.0", "1.5", "-2.5", "1e300", "(0.0 / 0.0)", "(1.0 / 0.0)", "(-1e308 * 10.0)"]
ARRAYS = [
    "[1.0, 2.0, 3.0]",
    "[[1, 2], [3, 4]]",
    "[true, false]",
    "[[1.0, 1e308], [-0.0, -1.0]]",
    "zeros(list(0, 3))",
    "arange(6)",
]
OTHERS = ['"ab"', '"é"', '""', "list()", "list(1, 2, 3)", "nil", "true", "false"]

BINARY = ["+", "-", "*", "/", "//", "%", "**", "<", "==", "!=", "&&", "||"]
UNARY_CALLS = [
    "sum",
    "shape",
    "transpose",
    "exp",
    "sqrt",
    "abs",
    "zeros",
    "ones",
    "arange",
    "eye",
    "identity",
    "tri",
    "len",
    "list",
    "random_sample",
    "__round",
    "dtype",
    "cumsum",
    "argmax",
    "sort",
    "inv",
    "det",
    "svd",
    "pinv",
    "matrix_rank",
    "square",
    "__str",
]
BINARY_CALLS = [
    "slice",
    "__mul",
    "dot",
    "reshape",
    "power",
    "maximum",
    "eye",
    "triu",
    "tril",
    "matrix_power",
    "__round",
    "repeat",
    "tile",
    "concatenate",
    "list",
    "format",
    "arange",
    "full",
    "hstack",
]


def expression(b: Bytes, depth: int, names: list[str]) -> str:
    kind = b.byte() % (8 if depth > 0 else 4)
    if kind == 0:
        return b.pick(INTS)
    if kind == 1:
        return b.pick(FLOATS + OTHERS)
    if kind == 2:
        return b.pick(ARRAYS)
    if kind == 3:
        return b.pick(names) if names else b.pick(INTS)
    sub = lambda: expression(b, depth - 1, names)  # noqa: E731
    if kind == 4:
        return f"({sub()} {b.pick(BINARY)} {sub()})"
    if kind == 5:
        return f"{b.pick(UNARY_CALLS)}({sub()})"
    if kind == 6:
        fn = b.pick(BINARY_CALLS)
        if fn == "slice" and b.byte() % 2:
            return f"slice({sub()}, list({sub()}, {sub()}, {sub()}))"
        if fn == "format":
            return f'format("{b.pick(["{}", "{:>4}", "{:.1}", "{:^3}", "{:d}"])}", {sub()})'
        return f"{fn}({sub()}, {sub()})"
    return f"if({sub()}, {sub()}, {sub()})"


def program(data: bytes) -> str:
    b = Bytes(data)
    names: list[str] = []
    statements = ["seed(1)"]  # random draws are ordered effects: every configuration draws alike
    for i in range(b.byte() % 4):
        statements.append(f"define(v{i}, {expression(b, 3, names)})")
        names.append(f"v{i}")
    if b.byte() % 4 == 0:  # a dead statement that may raise: must still raise
        statements.append(expression(b, 2, names))
    statements.append(expression(b, 4, names))
    # One block: statements on lines of their own could read as an index or call of the previous.
    return "block(\n  " + ",\n  ".join(statements) + "\n)"


# ---- comparing outcomes -----------------------------------------------------------------------


def same(a, b) -> bool:
    """Values equal as Larix's results are compared: arrays by dtype, shape and elements (NaN
    equal to NaN), floats likewise, containers element by element."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.dtype == b.dtype
            and a.shape == b.shape
            and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
        )
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, np.generic) or isinstance(b, np.generic):
        return same(np.asarray(a), np.asarray(b))
    return type(a) is type(b) and a == b


def outcome(text: str, optimize: bool, sync: bool):
    """("value", v) or ("error", class name); any exception that is not a larix.Error escapes."""
    try:
        return ("value", larix.compile(text, optimize=optimize, sync=sync)())
    except larix.Error as e:
        return ("error", type(e).__name__)


# ---- the targets -------------------------------------------------------------------------------


# The seed programs, spliced with the fuzzer's bytes by compile_target: only the Python side is
# coverage-instrumented, so libFuzzer alone would keep few inputs; a splice into a real program
# reaches deep into the parser and the passes whatever the corpus holds.
SEED_TEXTS = [
    p.read_text(encoding="utf-8")
    for p in sorted((Path(__file__).resolve().parents[1] / "physl").glob("*.physl"))
]


def compile_target(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    texts = [text]
    if len(data) >= 2 and SEED_TEXTS:
        seed = SEED_TEXTS[data[0] % len(SEED_TEXTS)]
        at = data[1] * len(seed) // 256
        cut = len(text) // 2 if data[1] % 2 else 0  # replace what follows, or insert
        texts.append(seed[:at] + text[2:] + seed[at + cut :])
    for t in texts:
        try:
            larix.compile(t, optimize=bool(data[:1] and data[0] & 128))
        except larix.Error:
            pass


CONFIGURATIONS = [(True, False), (False, False), (True, True)]  # (optimize, sync)


def eval_target(data: bytes) -> None:
    text = program(data)
    results = [outcome(text, optimize, sync) for optimize, sync in CONFIGURATIONS]
    first = results[0]
    for config, other in zip(CONFIGURATIONS[1:], results[1:]):
        agree = first[0] == other[0] and (first[0] == "error" or same(first[1], other[1]))
        if not agree:
            raise AssertionError(
                f"optimize/sync {CONFIGURATIONS[0]} gave {first!r}, {config} gave {other!r} for:\n"
                f"{text}"
            )


# ---- kernels against Python --------------------------------------------------------------------

PY_LEAVES = ["a", "b", "n", "0", "1", "2", "-1", "3", "0.5", "-2.5", "np.pi"]
PY_BINARY = ["+", "-", "*", "/", "//", "%", "<", "==", ">="]
PY_UNARY = [
    "np.sum",
    "np.exp",
    "np.abs",
    "np.sqrt",
    "np.cumsum",
    "np.sort",
    "np.max",
    "np.mean",
    "len",
    "np.square",
    "np.floor",
    "np.zeros",
    "np.ones",
    "np.arange",
]
PY_INDEX = ["[{0}]", "[{0}:]", "[:{0}]", "[::{0}]", "[{0}:{1}]", "[{0}:{1}:{2}]"]


def py_expression(b: Bytes, depth: int) -> str:
    kind = b.byte() % (5 if depth > 0 else 1)
    if kind == 0:
        return b.pick(PY_LEAVES)
    sub = lambda: py_expression(b, depth - 1)  # noqa: E731
    if kind == 1:
        return f"({sub()} {b.pick(PY_BINARY)} {sub()})"
    if kind == 2:
        return f"{b.pick(PY_UNARY)}({sub()})"
    if kind == 3:
        ints = [b.pick(["0", "1", "-1", "2", "n", "-n", "9223372036854775807"]) for _ in range(3)]
        return f"{b.pick(['a', 'b'])}{b.pick(PY_INDEX).format(*ints)}"
    return f"({sub()} if {sub()} else {sub()})"


def kernel_source(data: bytes) -> str:
    b = Bytes(data)
    lines = [f"    t{i} = {py_expression(b, 2)}" for i in range(b.byte() % 3)]
    return "def f(a, b, n):\n" + "\n".join([*lines, f"    return {py_expression(b, 3)}"]) + "\n"


KERNEL_ARGS = (np.array([1.5, -2.0, 0.0, 4.0]), np.arange(3), 2)


def kernel_target(data: bytes, workdir: str | None = None) -> None:
    """The generated function run by Python and as a Larix kernel. A finding is a silent wrong
    answer: Python raises and Larix answers, or both answer with different values (allclose at
    rtol 1e-12). Larix raising a larix.Error where Python answers is a known difference, not a
    finding (integer division of arrays by zero raises ZeroDivisionError; a float array as a
    shape is a TypeError)."""
    import tempfile

    source = kernel_source(data)
    directory = workdir or tempfile.gettempdir()
    path = Path(directory) / f"larix_fuzz_{abs(hash(source))}.py"
    path.write_text("import numpy as np\n\n" + source)
    try:
        compare_kernel(path, source)
    finally:
        path.unlink()


def compare_kernel(path: Path, source: str) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    try:
        kernel = larix.kernel(module.f)
    except larix.CompileError:
        return  # Python the frontend does not translate
    want = python_outcome(module.f)
    if want[0] == "no reference":
        return
    try:
        got = ("value", kernel(*KERNEL_ARGS))
    except larix.Error as e:
        got = ("error", e)
    if got[0] == "error" or agrees(want, got):
        return
    # NumPy computes a float function of a bool in float16 (np.exp(True) is float16 2.719, and
    # so is what it meets after); Larix computes a float function of a bool in float64
    # (docs/python.md).
    # That difference alone is known: the same function with bools made float64 first must agree.
    module.np = BOOLS_AS_FLOAT64
    if agrees(python_outcome(module.f), got):
        return
    raise AssertionError(f"Python gave {want!r}, Larix {got!r} for:\n{source}")


def python_outcome(f):
    import warnings

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return ("value", f(*KERNEL_ARGS))
        except (ArithmeticError, LookupError, TypeError, ValueError) as e:
            return ("error", type(e))
        except MemoryError:  # NumPy cannot hold it (np.arange(1e10)): no reference to compare
            return ("no reference", None)


def agrees(want, got) -> bool:
    if want[0] != "value" or got[0] != "value":
        return False
    w, g = want[1], got[1]
    if isinstance(w, (np.ndarray, np.generic, float, int)) and not isinstance(w, bool):
        w, g = np.asarray(w), np.asarray(g)
        return w.shape == g.shape and np.allclose(g, w, rtol=1e-12, atol=0, equal_nan=True)
    return same(w, g)


class _BoolsAsFloat64:
    """numpy, except that the float functions of PY_UNARY take a bool operand as float64."""

    FLOAT_FUNCTIONS = ("exp", "sqrt", "floor")

    def __getattr__(self, name):
        attr = getattr(np, name)
        if name not in self.FLOAT_FUNCTIONS:
            return attr

        def on_float64(x, *args, **kwargs):
            if np.asarray(x).dtype == np.bool_:
                x = np.asarray(x, dtype=np.float64)
            return attr(x, *args, **kwargs)

        return on_float64


BOOLS_AS_FLOAT64 = _BoolsAsFloat64()


TARGETS = {"compile": compile_target, "eval": eval_target, "kernel": kernel_target}


def main() -> None:
    import atheris

    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(TARGETS)}}} [libFuzzer flags] [corpus]")
    target = TARGETS[sys.argv.pop(1)]
    os.environ.setdefault("LARIX_THREADS", "2")
    atheris.instrument_all()
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
