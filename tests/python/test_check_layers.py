"""scripts/check_layers.py: must fail on an include from a layer above, must pass on the repo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "check_layers.py"


def run(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(root)], capture_output=True, text=True, check=False
    )


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def fake_tree(root: Path) -> None:
    """A small tree whose includes all point down."""
    write(root, "src/larix/support/error.hpp", "#pragma once\n")
    write(root, "src/larix/array/array.hpp", '#include "larix/support/error.hpp"\n')
    write(root, "src/larix/runtime/value.hpp", '#include "larix/array/array.hpp"\n')
    write(root, "src/larix/physl/ast.hpp", '#include "larix/support/error.hpp"\n')
    write(root, "src/larix/api/larix.hpp", '#include "larix/runtime/value.hpp"\n')
    write(root, "src/larix/cli/main.cpp", '#include <vector>\n#include "larix/api/larix.hpp"\n')
    write(root, "python/src/bindings.cpp", '#include "larix/api/larix.hpp"\n')
    write(root, "tests/cpp/main.cpp", '#include "larix/api/larix.hpp"\n')
    write(root, "tests/cpp/runtime/test_value.cpp", '#include "larix/runtime/value.hpp"\n')


def test_clean_fake_tree_passes(tmp_path: Path) -> None:
    fake_tree(tmp_path)
    result = run(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_include_from_above_fails_with_file_and_line(tmp_path: Path) -> None:
    fake_tree(tmp_path)
    write(
        tmp_path,
        "src/larix/array/shape.hpp",
        '#pragma once\n#include <vector>\n#include "larix/runtime/value.hpp"\n',
    )
    result = run(tmp_path)
    assert result.returncode == 1
    assert "src/larix/array/shape.hpp:3:" in result.stdout
    assert "larix/runtime/value.hpp" in result.stdout


def test_peers_and_strict_layers(tmp_path: Path) -> None:
    fake_tree(tmp_path)
    write(tmp_path, "src/larix/kernels/k.cpp", '#include "larix/physl/ast.hpp"\n')
    write(tmp_path, "src/larix/runtime/r.cpp", "#include <larix/kernels/k.hpp>\n")
    write(tmp_path, "src/larix/cli/extra.cpp", '#include "larix/runtime/value.hpp"\n')
    write(tmp_path, "python/src/more.cpp", '#include "larix/compiler/pipeline.hpp"\n')
    write(tmp_path, "tests/cpp/array/test_a.cpp", '#include "larix/runtime/value.hpp"\n')
    write(tmp_path, "src/larix/physl/p.cpp", '#include "../runtime/value.hpp"\n')
    result = run(tmp_path)
    assert result.returncode == 1
    for offender in [
        "src/larix/kernels/k.cpp:1:",
        "src/larix/runtime/r.cpp:1:",
        "src/larix/cli/extra.cpp:1:",
        "python/src/more.cpp:1:",
        "tests/cpp/array/test_a.cpp:1:",
        "src/larix/physl/p.cpp:1:",
    ]:
        assert offender in result.stdout, result.stdout


def test_real_repository_passes() -> None:
    result = run(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
