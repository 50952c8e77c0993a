#!/usr/bin/env python3
"""Write docs/primitives.md from the primitive registry (``larix.primitives()``).

Every primitive with its signature, the names it answers to (aliases: NumPy's names), whether it
is a control primitive, the NumPy function it mirrors (read from its docstring) and the docstring.

Usage: python3 scripts/gen_primitive_docs.py [--check] [--output PATH]
  --check   compare instead of writing; exit 1 (and say so) when the file is out of date.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO / "docs" / "primitives.md"


def numpy_names(doc: str) -> list[str]:
    """The NumPy functions a docstring says it mirrors ("as numpy.sum", "numpy.linalg.inv")."""
    seen: list[str] = []
    for name in re.findall(r"\b(?:numpy|ndarray)\.[A-Za-z_][A-Za-z_0-9.]*[A-Za-z_0-9]", doc):
        if name not in seen:
            seen.append(name)
    return seen


def render(primitives: list[dict]) -> str:
    rows = sorted(primitives, key=lambda p: p["name"])
    out = [
        "# Primitives",
        "",
        "Generated from the registry by `scripts/gen_primitive_docs.py`; do not edit by hand",
        "(`python3 scripts/gen_primitive_docs.py` rewrites it; `--check` tells whether it is",
        "current).",
        "",
        f"{len(rows)} primitives. Aliases are further names of the same primitive.",
        "",
        "| name | aliases | NumPy |",
        "|---|---|---|",
    ]
    for p in rows:
        aliases = ", ".join(f"`{a}`" for a in p["aliases"])
        numpy = ", ".join(f"`{n}`" for n in numpy_names(p["doc"]))
        out.append(f"| [`{p['name']}`](#{anchor(p['name'])}) | {aliases} | {numpy} |")
    out.append("")
    for p in rows:
        out += [f"## {p['name']}", "", "```", p["signature"], "```", ""]
        facts = []
        if p["aliases"]:
            facts.append("aliases: " + ", ".join(f"`{a}`" for a in p["aliases"]))
        if p["control"]:
            facts.append("control primitive (operands evaluated on demand)")
        if facts:
            out += ["; ".join(facts), ""]
        doc = p["doc"]
        first, _, rest = doc.partition("\n")
        body = rest.strip() if first.strip() == p["signature"] or "(" in first else doc.strip()
        if body:
            out += [body, ""]
    return "\n".join(out)


def anchor(name: str) -> str:
    return re.sub(r"[^a-z0-9_-]", "", name.lower())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the file is out of date")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    import larix

    text = render(larix.primitives())
    if args.check:
        current = args.output.read_text() if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run python3 scripts/gen_primitive_docs.py")
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
