#!/usr/bin/env python3
"""Mutation testing of the kernels and the runtime: plants one small bug at a time (an operator, a
bound, a loop limit, a sign), rebuilds, and runs the tests that should notice.

    python scripts/mutate.py                     every mutation; Python tests, then C++ tests
    python scripts/mutate.py --sample 3          three, picked by the commit (scripts/test.sh)
    python scripts/mutate.py --only mod-divisor-sign slice-start-clamp
    python scripts/mutate.py --list              the mutations, and check that each still applies
    options: --no-python, --no-cpp, --no-baseline, --seed N, --timeout SECONDS, --build-dir DIR

For each mutation: the file is rewritten (the original is kept in memory and in
build/mutate-backup/, so a run that was killed is undone by the next one); ninja rebuilds the
wheel's CMake tree (the _core module, the larix CLI, larix_cpp_tests; one object recompiles); the
new _core module and CLI are copied over the installed ones (the larix package that this Python
imports); the mutation's Python tests run with -x (the first failure is enough), then the C++
tests. Whatever happens (a failure, Ctrl-C, SIGTERM) the file is restored, and at the end the
installed module and CLI are put back as they were. A mutation is caught when a test fails, or the
tests crash or hang (timeout). Before the first mutation, the same tests run on the unmutated build
(the baseline): a mutation cannot count as caught by a test that fails anyway. One run at a time
per tree (build/mutate.lock); --list only reads, also beside a run.

The score of the last full run is in docs/testing.md.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import random
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BACKUP = ROOT / "build" / "mutate-backup"
LOCK = ROOT / "build" / "mutate.lock"  # held by the run that may mutate files (one at a time)

KERNEL_TESTS = ("tests/python/test_primitives_table.py", "tests/python/test_properties.py")
INDEXING_TESTS = (
    "tests/python/test_primitives_table.py",
    "tests/python/test_indexing_props.py",
    "tests/python/test_frontend_indexing.py",
)
SORT_TESTS = ("tests/python/test_primitives_table.py", "tests/python/test_sorting_props.py")
SCALAR_TESTS = ("tests/python/test_scalar_code.py",)
RUNTIME_TESTS = (
    "tests/python/test_core.py",
    "tests/python/test_physl_golden.py",
    "tests/python/test_frontend.py",
    "tests/python/test_primitives_table.py",
)


@dataclass
class Mutation:
    id: str
    file: str  # under src/larix/
    old: str  # exact text; it must occur exactly once in the file
    new: str
    what: str
    tests: tuple = KERNEL_TESTS
    known_survivor: str = ""  # why it is expected to survive (then --sample never picks it)
    line: int = field(default=0, init=False)


K, R = "kernels/", "runtime/"
MUTATIONS = [
    # ---- element-wise arithmetic (kernels/elementwise.cpp) ----
    Mutation(
        "mod-divisor-sign",
        K + "elementwise.cpp",
        "return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;",
        "return (r != 0 && (r < 0)) ? r + b : r;",
        "integer % ignores the divisor's sign (7 % -3 gives 1)",
    ),
    Mutation(
        "mod-minus-one",
        K + "elementwise.cpp",
        "if (b == -1) return 0;",
        "if (b == -1) return a;",
        "integer a % -1 gives a",
    ),
    Mutation(
        "floordiv-sign",
        K + "elementwise.cpp",
        "return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;",
        "return (a % b != 0 && (a < 0)) ? q - 1 : q;",
        "integer // rounds toward zero when only the divisor is negative",
    ),
    Mutation(
        "float-divmod-sign",
        K + "elementwise.cpp",
        "if ((b < 0) != (mod < 0)) {",
        "if ((b < 0) == (mod < 0)) {",
        "float % and // correct the remainder's sign the wrong way",
    ),
    Mutation(
        "float-mod-zero-sign",
        K + "elementwise.cpp",
        "mod = std::copysign(T(0), b);",
        "mod = T(0);",
        "a float remainder of zero is +0.0 whatever the divisor's sign",
    ),
    Mutation(
        "int-power-bit",
        K + "elementwise.cpp",
        "if (b & 1) result = wrap_mul(result, a);",
        "if (b & 2) result = wrap_mul(result, a);",
        "integer power tests the wrong exponent bit",
    ),
    Mutation(
        "less-equal",
        K + "elementwise.cpp",
        "LARIX_COMPARISON(LessEqual, a <= b)",
        "LARIX_COMPARISON(LessEqual, a < b)",
        "<= is <",
    ),
    Mutation(
        "maximum-nan",
        K + "elementwise.cpp",
        "const T m = a >= b ? a : b;\n    if constexpr (Float<T>) return a != a ? a : m;",
        "const T m = a >= b ? a : b;\n    if constexpr (Float<T>) return m;",
        "maximum drops a NaN in its first operand",
    ),
    Mutation(
        "abs-minus-one",
        K + "elementwise.cpp",
        "if constexpr (Int<T>) return x < 0 ? wrap_sub(0, x) : x;",
        "if constexpr (Int<T>) return x < -1 ? wrap_sub(0, x) : x;",
        "abs(-1) is -1",
    ),
    Mutation(
        "scalar-run-last",
        K + "elementwise.cpp",
        "for (int64_t i = 0; i < n; ++i) o[i] = op(x[i], yv);",
        "for (int64_t i = 0; i < n - 1; ++i) o[i] = op(x[i], yv);",
        "array-op-scalar loop skips its last element",
    ),
    Mutation(
        "strided-operand-stride",
        K + "elementwise.cpp",
        "op(detail::at<T>(p[1], i * s[1]), detail::at<T>(p[2], i * s[2]));",
        "op(detail::at<T>(p[1], i * s[1]), detail::at<T>(p[2], i * s[1]));",
        "strided binary loop steps the second operand with the first one's stride",
    ),
    # ---- reductions (kernels/reductions.cpp, kernels/reduce.cpp) ----
    Mutation(
        "extreme-last-lane",
        K + "reductions.cpp",
        "for (int64_t j = 0; j < L; ++j) {",
        "for (int64_t j = 0; j < L - 1; ++j) {",
        "max/min/argmax vector loop drops its last lane",
    ),
    Mutation(
        "argmax-block-tie",
        K + "reductions.cpp",
        "if (best_block < 0 || (kMax ? m > best : m < best)) {",
        "if (best_block < 0 || (kMax ? m >= best : m <= best)) {",
        "argmax/argmin pick the last block holding a tied extreme",
    ),
    Mutation(
        "var-ddof-sign",
        K + "reductions.cpp",
        "const Array s = sum(d, axes, keepdims, sd);\n"
        "  const auto div = Array::scalar(std::max(static_cast<double>(n) - ddof, 0.0));",
        "const Array s = sum(d, axes, keepdims, sd);\n"
        "  const auto div = Array::scalar(std::max(static_cast<double>(n) + ddof, 0.0));",
        "var/std along some axes add ddof instead of subtracting it",
    ),
    Mutation(
        "pairwise-tail",
        K + "reduce.cpp",
        "    for (; i < n; ++i) res += v(i);\n    return res;",
        "    for (; i < n - 1; ++i) res += v(i);\n    return res;",
        "pairwise sum of 8..128 elements drops the last one of a ragged tail",
    ),
    Mutation(
        "pairwise-split",
        K + "reduce.cpp",
        "return pairwise<S, Acc, kStride>(p, n2, stride, term) +\n"
        "         pairwise<S, Acc, kStride>(p + n2 * stride, n - n2, stride, term);",
        "return pairwise<S, Acc, kStride>(p, n2, stride, term) +\n"
        "         pairwise<S, Acc, kStride>(p + n2 * stride, n - n2 - 1, stride, term);",
        "pairwise sum of more than 128 elements drops the last one",
    ),
    Mutation(
        "parallel-sum-half",
        K + "reduce.cpp",
        "y = pairwise_parallel<S, Acc>(p + n2 * stride, n - n2, stride, term);",
        "y = pairwise_parallel<S, Acc>(p + n2 * stride, n2, stride, term);",
        "parallel sum (65,536+ elements) takes the second half as long as the first",
    ),
    Mutation(
        "accumulate-first",
        K + "reduce.cpp",
        "for (int64_t i = 0; i < n; ++i) o[i] += static_cast<Acc>(in[i]);",
        "for (int64_t i = 0; i < n; ++i) o[i] = static_cast<Acc>(in[i]);",
        "row-by-row sum keeps only the last row",
    ),
    # ---- strided loops (kernels/strided.hpp) ----
    Mutation(
        "collapse-axes",
        K + "strided.hpp",
        "loop.strides[j].back() == (*strides[j])[axis] * shape[axis];",
        "loop.strides[j].back() == (*strides[j])[axis];",
        "axes merged when the outer stride equals the inner one (not inner x size)",
    ),
    # ---- indexing (kernels/indexing.cpp) ----
    Mutation(
        "slice-start-clamp",
        K + "indexing.cpp",
        "if (x >= size) return s < 0 ? size - 1 : size;",
        "if (x > size) return s < 0 ? size - 1 : size;",
        "slice clamp off by one: a[4::-1] on 4 elements reads past the end",
        INDEXING_TESTS,
    ),
    Mutation(
        "slice-negative-clamp",
        K + "indexing.cpp",
        "if (x < 0) return s < 0 ? int64_t{-1} : int64_t{0};",
        "if (x < 0) return s < 0 ? int64_t{0} : int64_t{0};",
        "a negative step's stop before the start clamps to 0 (drops element 0)",
        INDEXING_TESTS,
    ),
    Mutation(
        "slice-length-neg",
        K + "indexing.cpp",
        "length = static_cast<int64_t>((first - last - s128 - 1) / -s128);",
        "length = static_cast<int64_t>((first - last - s128 - 2) / -s128);",
        "negative-step slice length off by one",
        INDEXING_TESTS,
    ),
    Mutation(
        "slice-length-pos",
        K + "indexing.cpp",
        "length = static_cast<int64_t>((last - first + s128 - 1) / s128);",
        "length = static_cast<int64_t>((last - first) / s128);",
        "positive-step slice length rounds down",
        INDEXING_TESTS,
    ),
    # ---- sorting and statistics ----
    Mutation(
        "nan-last-order",
        K + "sort.cpp",
        "return a < b || (std::isnan(b) && !std::isnan(a));",
        "return a < b;",
        "argsort/searchsorted order ignores NaN",
        SORT_TESTS,
    ),
    Mutation(
        "searchsorted-side",
        K + "sort.cpp",
        "const T* pos = right ? std::upper_bound",
        "const T* pos = !right ? std::upper_bound",
        "searchsorted swaps left and right",
        SORT_TESTS,
    ),
    Mutation(
        "quantile-upper",
        K + "statistics.cpp",
        "const auto hi = std::min<std::int64_t>(lo + 1, n - 1);",
        "const auto hi = std::min<std::int64_t>(lo, n - 1);",
        "quantile interpolates towards the lower neighbour only",
    ),
    # ---- runtime ----
    Mutation(
        "truthy-float",
        R + "value.cpp",
        "case ValueKind::floating: return d_ != 0.0;",
        "case ValueKind::floating: return d_ > 0.0;",
        "a negative float is false",
        RUNTIME_TESTS,
    ),
    Mutation(
        "truthy-array",
        R + "value.cpp",
        "return a.item<double>() != 0.0;",
        "return a.item<double>() > 0.0;",
        "a one-element array holding a negative number is false",
        RUNTIME_TESTS,
    ),
    Mutation(
        "call-depth",
        R + "basic_nodes.cpp",
        "if (guard.depth > ctx.settings().max_call_depth)",
        "if (guard.depth >= ctx.settings().max_call_depth)",
        "recursion limit one call lower",
        RUNTIME_TESTS,
    ),
    Mutation(
        "scalar-call-depth",
        R + "scalar_node.cpp",
        "if (m.call_depth > m.max_call_depth)",
        "if (m.call_depth >= m.max_call_depth)",
        "recursion limit of scalar code one call lower",
        RUNTIME_TESTS,
    ),
    Mutation(
        "strong-promotion",
        R + "scalar_node.cpp",
        "return Value::number(x, strong);",
        "return Value(x);",
        "scalar code forgets that an array element is NumPy's scalar (float32 * a[i] is float32)",
        SCALAR_TESTS,
    ),
    Mutation(
        "strong-box-on-exit",
        R + "scalar_node.cpp",
        "      if (!v.is_strong()) continue;",
        "      continue;",
        "a strong number left in a frame's variable is not boxed when scalar code ends",
        SCALAR_TESTS,
    ),
    Mutation(
        "strong-box-outer",
        R + "scalar_node.cpp",
        "if constexpr (outer) v = boxed(std::move(v));",
        "if constexpr (false) v = boxed(std::move(v));",
        "a strong number stored into the frame around a function is not boxed",
        SCALAR_TESTS,
    ),
    Mutation(
        "strong-element-stride",
        R + "scalar_node.cpp",
        "offset += i * a.strides()[k - first];",
        "offset += i * static_cast<std::int64_t>(a.itemsize());",
        "scalar code reads an element as if its array were contiguous along every axis",
        SCALAR_TESTS,
    ),
    Mutation(
        "scalar-view-stride",
        R + "scalar_node.cpp",
        "        strides.push_back(a.strides()[axis]);",
        "        strides.push_back(static_cast<std::int64_t>(a.itemsize()));",
        "scalar code's view x[:, j] steps along the kept axis as if it were contiguous",
        SCALAR_TESTS,
    ),
    Mutation(
        "vector-element-stride",
        R + "scalar_node.cpp",
        "const char* p = a.bytes() + k * a.strides()[0];",
        "const char* p = a.bytes() + k * static_cast<std::int64_t>(a.itemsize());",
        "scalar code reads a[i] of a vector as if it were contiguous",
        SCALAR_TESTS,
    ),
    Mutation(
        "store-alone",
        R + "scalar_node.cpp",
        "return target.use_count() == 1 && a.uniquely_owned();",
        "return a.uniquely_owned();",
        "scalar code stores into an array in place while another variable holds the same value",
        SCALAR_TESTS,
    ),
    Mutation(
        "counted-loop-skips",
        R + "scalar_node.cpp",
        "    scope.locals[index] = Value(start + k * step);",
        "    scope.locals[index] = Value(start + (k + k % 2) * step);",
        "a parallel loop's scalar body sees the wrong index on every other iteration",
        SCALAR_TESTS,
    ),
    Mutation(
        "block-last-value",
        R + "basic_nodes.cpp",
        "return dataflow(frame, results, [](std::vector<Value>& values) "
        "{ return Future(values.back()); });",
        "return dataflow(frame, results, [](std::vector<Value>& values) "
        "{ return Future(values.front()); });",
        "a block whose statements wait for each other gives its first statement's value",
        RUNTIME_TESTS,
    ),
    # ---- linear algebra (kernels/matrix.cpp) ----
    Mutation(
        "small-solve-swap",
        K + "matrix.cpp",
        "      std::swap_ranges(b + p * k, b + p * k + k, b + j * k);\n",
        "",
        "the small LU solve swaps the matrix's rows but not the right-hand side's",
        ("tests/python/test_linalg_props.py", "tests/python/test_primitives_table.py"),
    ),
    # ---- row-block fusion (primitives/row_blocks.cpp) ----
    Mutation(
        "one-pass-next-block",
        "primitives/row_blocks.cpp",
        "next_rows ? row(r1) : nullptr",
        "next_rows ? row(r0) : nullptr",
        "the one pass over a block computes its own products again instead of the next block's",
        ("tests/python/test_row_block_fusion.py",),
    ),
    # ---- parallel loops (primitives/loops.cpp) ----
    Mutation(
        "retire-copies",
        "primitives/loops.cpp",
        "          for (const FramePtr& f : frames) f->retire_copies();\n",
        "",
        "functions made in a parallel loop keep reading the chunks' copies of the frames after it",
        ("tests/python/test_parallel_loops.py",),
    ),
    # ---- buffers (array/array.cpp) ----
    Mutation(
        "handle-unique",
        "array/array.cpp",
        "return buffer_->writable && !shares_buffer();",
        "return buffer_->writable && buffer_.use_count() == 1;",
        "a parallel loop chunk's private handle counts as the memory's only holder",
        ("tests/python/test_parallel_loops.py",),
    ),
]


# ---- files -----------------------------------------------------------------------------------


def source(m: Mutation) -> Path:
    return ROOT / "src" / "larix" / m.file


def original(m: Mutation) -> Path:
    """Where the unmutated file is: its backup while a run (or a killed one) has it mutated."""
    saved = BACKUP / "src" / "larix" / m.file
    return saved if saved.is_file() else source(m)


def locate(m: Mutation) -> str:
    """The file's unmutated text; checks that the mutation applies exactly once and notes its
    line. Reads only: `--list` beside a run in progress must not undo that run's mutation."""
    text = original(m).read_text()
    count = text.count(m.old)
    if count != 1:
        sys.exit(f"mutate.py: {m.id}: the text to mutate occurs {count} times in {m.file}")
    m.line = text[: text.index(m.old)].count("\n") + 1
    return text


def lock_tree() -> object:
    """The lock of a run that mutates files, held until the process ends (exits if another run
    holds it: it would find this run's mutation and "restore" it, or the other way round)."""
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    handle = open(LOCK, "a+")  # noqa: SIM115 - kept open for the whole run
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit(f"mutate.py: another run holds {LOCK.relative_to(ROOT)}; wait for it to finish")
    return handle


def restore_leftovers() -> None:
    """Puts back files that a killed run left mutated (their originals are in BACKUP). Only with
    the lock held: while a run is alive, its backups are not leftovers."""
    if not BACKUP.is_dir():
        return
    for saved in BACKUP.glob("src/**/*"):
        if saved.is_file():
            target = ROOT / saved.relative_to(BACKUP)
            print(f"mutate.py: restoring {target.relative_to(ROOT)} left by an interrupted run")
            shutil.copyfile(saved, target)
            saved.unlink()


def commit_seed() -> int:
    proc = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return int(proc.stdout.strip()[:8], 16) if proc.returncode == 0 else 0


# ---- build and install -----------------------------------------------------------------------


def wheel_tree() -> Path:
    tag = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    v = f"cp{sys.version_info[0]}{sys.version_info[1]}"
    return ROOT / "build" / f"{v}-{v}-{tag}"


def installed_package(python: str) -> Path:
    out = subprocess.run(
        [python, "-c", "import larix, os; print(os.path.dirname(larix.__file__))"],
        cwd="/",
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip())


class Build:
    """The wheel's CMake tree and the installed package it feeds."""

    def __init__(self, tree: Path, python: str, cpp: bool) -> None:
        self.tree = tree
        self.cpp = cpp
        self.package = installed_package(python)
        cores = sorted(self.package.glob("_core*.so"))
        if len(cores) != 1:
            sys.exit(f"mutate.py: expected one _core module in {self.package}, found {cores}")
        self.installed = {cores[0].name: cores[0], "larix": self.package / "bin" / "larix"}
        self.saved = BACKUP / "installed"

    def targets(self) -> list[str]:
        return ["_core", "larix_cli"] + (["larix_cpp_tests"] if self.cpp else [])

    def build(self) -> tuple[bool, str]:
        proc = subprocess.run(
            ["ninja", "-C", str(self.tree), "-j2", *self.targets()],
            capture_output=True,
            text=True,
        )
        return proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    def save_installed(self) -> None:
        self.saved.mkdir(parents=True, exist_ok=True)
        for name, path in self.installed.items():
            if not (self.saved / name).exists():  # a killed run's copy is the good one
                shutil.copy2(path, self.saved / name)

    def install_built(self) -> None:
        for name, path in self.installed.items():
            built = self.tree / name
            tmp = path.with_name(path.name + ".mutate-tmp")
            shutil.copy2(built, tmp)
            os.replace(tmp, path)  # atomic: a running process keeps the old file

    def restore_installed(self) -> None:
        for name, path in self.installed.items():
            if (self.saved / name).exists():
                tmp = path.with_name(path.name + ".mutate-tmp")
                shutil.copy2(self.saved / name, tmp)
                os.replace(tmp, path)
                (self.saved / name).unlink()


# ---- tests -----------------------------------------------------------------------------------


def run(cmd: list[str], timeout: float, env: dict | None = None) -> tuple[str, float, str]:
    """'pass', 'fail' or 'timeout', the seconds taken, and the output."""
    start = time.monotonic()
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: a timeout kills all of it
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
        status = "pass" if proc.returncode == 0 else "fail"
        if proc.returncode in (2, 3, 4, 5) and cmd[1:3] == ["-m", "pytest"]:
            status = "error"  # interrupted, internal error, usage error, no tests collected
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        status = "timeout"
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    return status, time.monotonic() - start, out or ""


def first_python_failure(out: str) -> str:
    """The node id of pytest's first FAILED (or ERROR) line."""
    for line in out.splitlines():
        if line.startswith(("FAILED ", "ERROR ")):
            return line.split(" ", 1)[1].split(" - ", 1)[0]
    return ""


def first_cpp_failure(out: str) -> str:
    """doctest's first failing test case and check: 'name (file.cpp:line)'."""
    case, where = "", ""
    for line in out.splitlines():
        if line.startswith("TEST CASE:") and not case:
            case = line.split(":", 1)[1].strip()
        elif "ERROR:" in line and not where:
            where = line.split(" ERROR:", 1)[0].split(" FATAL", 1)[0].rstrip(":")
            where = where.split("tests/cpp/", 1)[-1]
            if "CRASHED" in line:
                where += ", crashed"
    return f"{case} ({where})" if case else ""


def python_tests(python: str, tests: tuple, timeout: float, deselect=()) -> tuple[str, float, str]:
    env = dict(os.environ, LARIX_HYPOTHESIS="ci")
    cmd = [python, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    cmd += [f"--deselect={t}" for t in deselect]
    return run(cmd, timeout, env)


def cpp_tests(tree: Path, timeout: float) -> tuple[str, float, str]:
    return run([str(tree / "tests" / "cpp" / "larix_cpp_tests"), "--abort-after=1"], timeout)


# ---- the run ---------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    parser.add_argument("--only", nargs="+", metavar="ID", help="these mutations only")
    parser.add_argument("--sample", type=int, metavar="N", help="N mutations picked by --seed")
    parser.add_argument("--seed", type=int, help="of --sample (default: from the git commit)")
    parser.add_argument("--no-python", action="store_true", help="skip the Python tests")
    parser.add_argument("--no-cpp", action="store_true", help="skip the C++ tests")
    parser.add_argument("--no-baseline", action="store_true", help="skip the unmutated run")
    parser.add_argument("--timeout", type=float, default=1200, help="seconds per test run")
    parser.add_argument("--build-dir", type=Path, default=None, help="the wheel's CMake tree")
    parser.add_argument("--python", default=sys.executable, help="the Python larix is installed in")
    parser.add_argument(
        "--deselect", action="append", default=[], metavar="NODEID", help="a test not to run"
    )
    args = parser.parse_args()

    for m in MUTATIONS:
        locate(m)
    if args.list:
        for m in MUTATIONS:
            note = f"  [expected to survive: {m.known_survivor}]" if m.known_survivor else ""
            print(f"{m.id:24} {m.file}:{m.line}  {m.what}{note}")
        return 0
    lock = lock_tree()  # noqa: F841 - released when the process exits
    restore_leftovers()

    chosen = MUTATIONS
    if args.only:
        unknown = set(args.only) - {m.id for m in MUTATIONS}
        if unknown:
            sys.exit(f"mutate.py: unknown mutations: {sorted(unknown)} (see --list)")
        by_id = {m.id: m for m in MUTATIONS}
        chosen = [by_id[i] for i in dict.fromkeys(args.only)]  # in the order given
    if args.sample is not None:
        # The same commit samples the same mutations (a rerun reproduces a failure); successive
        # commits cover different ones.
        seed = args.seed if args.seed is not None else commit_seed()
        pool = [m for m in chosen if not m.known_survivor]
        chosen = random.Random(seed).sample(pool, min(args.sample, len(pool)))
        print(f"sample of {len(chosen)} (--seed {seed}): {' '.join(m.id for m in chosen)}")

    tree = args.build_dir or wheel_tree()
    if not (tree / "build.ninja").exists():
        sys.exit(
            f"mutate.py: no CMake tree at {tree}: run pip install . first (see docs/testing.md)"
        )
    build = Build(tree, args.python, cpp=not args.no_cpp)

    # SIGTERM unwinds like Ctrl-C, through the finally blocks that restore the files.
    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    results = []
    start = time.monotonic()
    build.save_installed()
    try:
        ok, log = build.build()
        if not ok:
            print(log)
            sys.exit("mutate.py: the unmutated tree does not build")
        build.install_built()
        if not args.no_baseline:
            groups = sorted({m.tests for m in chosen}) if not args.no_python else []
            for tests in groups:
                status, took, out = python_tests(args.python, tests, args.timeout, args.deselect)
                print(f"baseline: {' '.join(Path(t).name for t in tests)}: {status} ({took:.0f}s)")
                if status != "pass":
                    print(out[-3000:])
                    sys.exit("mutate.py: the tests fail without a mutation")
            if not args.no_cpp:
                status, took, out = cpp_tests(tree, args.timeout)
                print(f"baseline: C++ tests: {status} ({took:.0f}s)")
                if status != "pass":
                    print(out[-3000:])
                    sys.exit("mutate.py: the C++ tests fail without a mutation")
        for k, m in enumerate(chosen, 1):
            print(f"[{k}/{len(chosen)}] {m.id} ({m.file}:{m.line}): {m.what}", flush=True)
            results.append(apply_and_test(m, build, args))
            r = results[-1]
            print(f"    python: {r['python']}  C++: {r['cpp']}  ({r['seconds']:.0f}s)", flush=True)
            for suite in ("python", "cpp"):
                if r.get(f"{suite}_first"):
                    print(f"    first failing {suite}: {r[f'{suite}_first'][:160]}", flush=True)
    finally:
        build.restore_installed()
        rebuilt, _ = build.build()  # the tree matches the sources again (ccache: a quick link)
        if not rebuilt:
            print("mutate.py: rebuilding the unmutated tree failed; run ninja by hand")
        if BACKUP.is_dir():
            shutil.rmtree(BACKUP, ignore_errors=True)
    report(results, time.monotonic() - start)
    survivors = [r for r in results if r["python"] == "survived"]
    errors = [r for r in results if "error" in (r["python"], r["cpp"])]
    return 1 if (args.sample is not None and survivors) or errors else 0


def apply_and_test(m: Mutation, build: Build, args) -> dict:
    original = locate(m)
    saved = BACKUP / "src" / "larix" / m.file
    saved.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source(m), saved)
    start = time.monotonic()
    result = {"mutation": m, "python": "-", "cpp": "-"}
    try:
        source(m).write_text(original.replace(m.old, m.new))
        ok, log = build.build()
        if not ok:  # a mutation that does not compile is a broken mutation, not a catch
            print(log)
            result["python"] = result["cpp"] = "error"
            return result
        build.install_built()
        if not args.no_python:
            status, _, out = python_tests(args.python, m.tests, args.timeout, args.deselect)
            result["python"] = describe(status)
            result["python_first"] = first_python_failure(out) if status == "fail" else ""
        if not args.no_cpp:
            status, _, out = cpp_tests(build.tree, args.timeout)
            result["cpp"] = describe(status)
            result["cpp_first"] = first_cpp_failure(out) if status == "fail" else ""
    finally:
        source(m).write_text(original)
        saved.unlink()
        result["seconds"] = time.monotonic() - start
    return result


def describe(status: str) -> str:
    return {"fail": "caught", "timeout": "caught (timeout)", "pass": "survived"}.get(status, status)


def report(results: list, seconds: float) -> None:
    if not results:
        return
    print()
    print(f"{'mutation':24} {'where':28} {'python':18} {'C++':18}")
    for r in results:
        m = r["mutation"]
        print(f"{m.id:24} {m.file + ':' + str(m.line):28} {r['python']:18} {r['cpp']:18}")
    print()
    print("first failing tests:")
    for r in results:
        for suite in ("python", "cpp"):
            if r.get(f"{suite}_first"):
                print(f"  {r['mutation'].id:24} {suite:6} {r[f'{suite}_first']}")
    print()
    for column, label in (("python", "Python suite"), ("cpp", "C++ suite")):
        ran = [r for r in results if r[column] != "-"]
        if ran:
            hit = sum(r[column].startswith("caught") for r in ran)
            print(f"{label}: {hit} of {len(ran)} mutations caught ({100 * hit / len(ran):.0f}%)")
    print(f"{len(results)} mutations in {seconds / 60:.1f} min")


if __name__ == "__main__":
    sys.exit(main())
