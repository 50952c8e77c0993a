#!/usr/bin/env python3
"""Check that no C++ file includes from a layer above its own (docs: ARCHITECTURE, "Layers").

Scanned: src/larix/<layer>/**, python/src/** (the nanobind extension) and tests/cpp/<layer>/**.
Every `#include "larix/<layer>/..."` (or <...>, or a relative path that lands in another layer) must
name a layer the including file may use. Prints offenders as `file:line: message` and exits 1.

Usage: python3 scripts/check_layers.py [REPO_ROOT]   (default: the repository holding this script)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# Which layers each layer may include, besides itself. Dependencies point down only:
# support < array < {kernels, physl} < runtime < primitives < compiler < api < {cli, python}.
# kernels and physl are peers; physl needs support only (its CMake target links nothing else).
ALLOWED: dict[str, frozenset[str]] = {
    "support": frozenset(),
    "array": frozenset({"support"}),
    "kernels": frozenset({"array", "support"}),
    "physl": frozenset({"support"}),
    "runtime": frozenset({"array", "support"}),
    "primitives": frozenset({"runtime", "kernels", "array", "support"}),
    "compiler": frozenset({"physl", "primitives", "runtime", "kernels", "array", "support"}),
    "api": frozenset({"compiler", "primitives", "runtime", "physl", "kernels", "array", "support"}),
    # The command line sees the facade only (plus the error types of support).
    "cli": frozenset({"api", "support"}),
    # The extension converts values: the facade and the types it converts, no internals.
    "python": frozenset({"api", "runtime", "array", "support"}),
    "viz": frozenset(),
}

SOURCE_SUFFIXES = {".cpp", ".cc", ".cxx", ".hpp", ".h", ".hh", ".inc", ".ipp"}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
LARIX_PATH = re.compile(r"^larix/([^/]+)/")


def layer_of_path(path: Path, root: Path) -> str | None:
    """The layer a file under src/larix/<layer>/ belongs to, else None."""
    try:
        parts = path.resolve().relative_to((root / "src" / "larix").resolve()).parts
    except ValueError:
        return None
    return parts[0] if len(parts) > 1 else None


def included_layer(target: str, quote: str, including: Path, root: Path) -> str | None:
    """The layer an include names: `larix/<layer>/...`, or a relative path into src/larix/."""
    match = LARIX_PATH.match(target)
    if match:
        return match.group(1)
    if quote == '"' and not target.startswith("/"):
        candidate = including.parent / target
        if candidate.exists():
            return layer_of_path(candidate, root)
    return None


def files_to_check(root: Path) -> list[tuple[Path, str]]:
    """(file, the layer whose rules apply to it) for every C++ file we check."""
    found: list[tuple[Path, str]] = []

    def sources(folder: Path) -> list[Path]:
        return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in SOURCE_SUFFIXES)

    src = root / "src" / "larix"
    if src.is_dir():
        for path in sources(src):
            parts = path.relative_to(src).parts
            found.append((path, parts[0] if len(parts) > 1 else "<top>"))
    bindings = root / "python" / "src"
    if bindings.is_dir():
        found.extend((path, "python") for path in sources(bindings))
    tests = root / "tests" / "cpp"
    if tests.is_dir():
        for path in sources(tests):
            parts = path.relative_to(tests).parts
            if len(parts) > 1:  # files directly in tests/cpp/ (main.cpp) are the harness
                found.append((path, parts[0]))
    return found


def check(root: Path) -> list[str]:
    offenders: list[str] = []
    for path, layer in files_to_check(root):
        shown = path.relative_to(root).as_posix()
        if layer not in ALLOWED:
            offenders.append(
                f"{shown}:1: '{layer}' is not a layer (known: {', '.join(sorted(ALLOWED))}); "
                "add it to scripts/check_layers.py with the layers it may use"
            )
            continue
        allowed = ALLOWED[layer] | {layer}
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            match = INCLUDE.match(line)
            if not match:
                continue
            quote, target = match.groups()
            other = included_layer(target, quote, path, root)
            if other is None or other in allowed:
                continue
            if other not in ALLOWED:
                why = f"'{other}' is not a layer"
            else:
                may = ", ".join(sorted(ALLOWED[layer])) or "nothing"
                why = f"layer '{layer}' may include {layer}/ and: {may}"
            offenders.append(f"{shown}:{number}: includes {target} ({why})")
    return offenders


def main(argv: list[str]) -> int:
    if len(argv) > 2 or (len(argv) == 2 and argv[1].startswith("-")):
        print(__doc__, file=sys.stderr)
        return 2
    root = Path(argv[1]) if len(argv) == 2 else Path(__file__).resolve().parent.parent
    offenders = check(root)
    if offenders:
        print("\n".join(offenders))
        print(
            f"check_layers: {len(offenders)} include(s) from a layer above their own",
            file=sys.stderr,
        )
        return 1
    print(f"check_layers: OK ({len(files_to_check(root))} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
