#!/usr/bin/env python3
"""Write docs/primitives.md from the primitive registry (``larix.primitives()``).

Every primitive with its signature, the names it answers to (aliases: NumPy's names), whether it
is a control primitive, the NumPy function it mirrors (read from its docstring) and the docstring;
then a coverage table of NumPy's commonly used API: which functions a kernel can call (the
frontend maps `np.X`, `np.linalg.X`, `np.random.X` to the primitive named or aliased `X`), and
the compatibility table of Phylanx's primitives (from larix.compat.phylanx_primitives).

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


# NumPy's commonly used API, by family (the coverage table checks each against the registry).
COMMON_NUMPY = {
    "creation": "array zeros ones empty full zeros_like ones_like empty_like full_like identity "
    "eye arange linspace logspace meshgrid fromfunction indices diag tri",
    "shape": "reshape ravel transpose swapaxes moveaxis squeeze expand_dims concatenate stack "
    "hstack vstack dstack column_stack split array_split hsplit vsplit tile repeat pad flip fliplr "
    "flipud roll rot90 shape ndim size copy",
    "element-wise": "add subtract multiply divide true_divide floor_divide mod remainder power "
    "negative absolute abs sign sqrt cbrt square exp exp2 expm1 log log2 log10 log1p sin cos tan "
    "arcsin arccos arctan arctan2 sinh cosh tanh arcsinh arccosh arctanh floor ceil trunc rint "
    "round around clip maximum minimum fmax fmin where isnan isinf isfinite logical_and logical_or "
    "logical_xor logical_not equal not_equal less less_equal greater greater_equal bitwise_and "
    "bitwise_or bitwise_xor invert left_shift right_shift hypot nan_to_num copysign",
    "reductions": "sum prod mean var std min max amin amax argmin argmax any all cumsum cumprod "
    "count_nonzero nonzero median percentile average nansum nanmean ptp nanmax nanmin nanargmax "
    "nanargmin nanstd nanvar nancumsum nancumprod diff",
    "linear algebra": "dot vdot matmul inner outer tensordot kron cross trace einsum linalg.inv "
    "linalg.solve linalg.det linalg.norm linalg.cholesky linalg.qr linalg.eigh linalg.eigvalsh "
    "linalg.eig linalg.svd linalg.lstsq linalg.pinv linalg.matrix_rank linalg.slogdet "
    "linalg.matrix_power",
    "sorting and search": "sort argsort unique searchsorted argwhere flatnonzero lexsort partition "
    "argpartition",
    "indexing": "take take_along_axis put_along_axis unravel_index ravel_multi_index "
    "ascontiguousarray",
    "sets": "union1d intersect1d setdiff1d isin",
    "counting and signals": "bincount histogram digitize interp convolve correlate",
    "random": "random.seed random.rand random.randn random.random random.random_sample "
    "random.uniform random.normal random.randint random.shuffle random.permutation random.choice "
    "random.binomial random.poisson random.default_rng",
    "ufunc methods": "add.reduce add.accumulate add.outer multiply.reduce multiply.outer "
    "maximum.reduce maximum.accumulate minimum.accumulate subtract.outer logical_and.reduce "
    "logical_or.reduce add.at add.reduceat",
    "complex numbers": "real imag conj conjugate angle",
    "fft": "fft.fft fft.ifft fft.rfft fft.irfft fft.fft2 fft.ifft2 fft.fftn fft.ifftn fft.fftfreq "
    "fft.rfftfreq fft.fftshift fft.ifftshift",
    "files": "load save loadtxt savetxt",
    "comparison of arrays": "allclose isclose array_equal",
}


def coverage(primitives: list[dict]) -> list[str]:
    """The coverage table: each common NumPy function and the primitive it reaches, if any."""
    by_name = {}
    for p in primitives:
        for n in [p["name"], *p["aliases"]]:
            by_name[n] = p["name"]
    out = ["## Coverage of NumPy's commonly used API", ""]
    total = found = 0
    lines = ["| family | supported (primitive) | not yet |", "|---|---|---|"]
    for family, names in COMMON_NUMPY.items():
        have, missing = [], []
        for name in names.split():
            total += 1
            key = name.rsplit(".", 1)[-1]
            if family == "ufunc methods":  # np.add.reduce is ufunc_reduce("add", ...)
                key = "ufunc_" + key
            prim = by_name.get(key)
            if prim:
                found += 1
                shown = f"`np.{name}`" + ("" if prim == key else f" ({prim})")
                have.append(shown)
            else:
                missing.append(f"`np.{name}`")
        lines.append(f"| {family} | {', '.join(have)} | {', '.join(missing)} |")
    out += [
        f"{found} of {total} functions commonly used in NumPy code have a primitive; a kernel",
        "calls them by their NumPy names.",
        "",
        *lines,
        "",
    ]
    return out


def phylanx_table(primitives: list[dict]) -> list[str]:
    """The compatibility table: each Phylanx primitive (larix.compat.phylanx_primitives) and the
    Larix primitive that has its name, or why there is none."""
    from larix.compat import phylanx_primitives as pp

    by_name = {}
    for p in primitives:
        for n in [p["name"], *p["aliases"]]:
            by_name[n] = p["name"]
    entries = pp.PRIMITIVES
    counts = {status: sum(s == status for s, _ in entries.values()) for status in pp.STATUSES}
    out = [
        "## Phylanx compatibility",
        "",
        f"Phylanx's PhySL has {len(entries)} primitives. Larix has {counts[pp.PRESENT]} of them "
        f"(by name or alias) and {counts[pp.FORM]} as",
        f"special forms of its compiler; {counts[pp.LEFT_OUT]} are left out on purpose"
        + (f" and {counts[pp.NOT_YET]} are not there yet" if counts[pp.NOT_YET] else "")
        + ". A present",
        "primitive takes Phylanx's positional operands unless the note says otherwise (the",
        "Python frontend passes NumPy's arguments by keyword where the orders differ). The data:",
        "`python/larix/compat/phylanx_primitives.py`; Phylanx's Python API: `larix.compat.phylanx`",
        "(docs/python.md).",
        "",
        "| Phylanx | Larix | note |",
        "|---|---|---|",
    ]
    for name in sorted(entries, key=lambda n: (n.lstrip("_").lower(), n)):
        status, note = entries[name]
        if status == pp.PRESENT:
            prim = by_name.get(name)
            larix_name = f"[`{prim}`](#{anchor(prim)})" if prim else "**missing**"
        else:
            larix_name = {pp.FORM: "special form"}.get(status, status)
        out.append(f"| `{name}` | {larix_name} | {note} |")
    out.append("")
    return out


def render(primitives: list[dict]) -> str:
    rows = sorted(primitives, key=lambda p: p["name"])
    out = [
        "# Primitives",
        "",
        "Generated from the registry by `scripts/gen_primitive_docs.py`; do not edit by hand",
        "(`python3 scripts/gen_primitive_docs.py` rewrites it; `--check` tells whether it is",
        "current).",
        "",
        f"{len(rows)} primitives. Aliases are further names of the same primitive. Arrays hold",
        "bool, int64, float32 or float64; each docstring gives its primitive's dtype rule (every",
        "numeric primitive is checked against NumPy over these four dtypes by",
        "`tests/python/test_primitives_table.py`).",
        "",
        "Besides `nil`, `true` and `false`, PhySL defines the constants `inf`, `ninf` (-inf) and",
        "`nan` (Phylanx's), `pi` and `e` (numpy.pi, numpy.e); a name the program binds",
        "(`define`, a parameter) is the program's. Where Phylanx and NumPy differ, a primitive's",
        "positional signature and results are Phylanx's, and the Python frontend calls a NumPy",
        "variant (`__subscript`, `__nonzero`, `__stack`, `__format`) or passes keywords.",
        "",
        "| name | aliases | NumPy |",
        "|---|---|---|",
    ]
    for p in rows:
        aliases = ", ".join(f"`{a}`" for a in p["aliases"])
        numpy = ", ".join(f"`{n}`" for n in numpy_names(p["doc"]))
        out.append(f"| [`{p['name']}`](#{anchor(p['name'])}) | {aliases} | {numpy} |")
    out.append("")
    out += coverage(primitives)
    out += phylanx_table(primitives)
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
