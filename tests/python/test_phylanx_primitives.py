"""Phylanx's primitives in Larix: the ones added for Phylanx (against hand-computed values) and
the compatibility table (larix.compat.phylanx_primitives, rendered into docs/primitives.md)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from larix.compat import phylanx_primitives as pp

import larix
from larix import frontend

DOCS = Path(__file__).resolve().parents[2] / "docs" / "primitives.md"

# ---- primitives added for Phylanx (hand-computed values) ---------------------------------------


def test_added_elementwise_primitives() -> None:
    got = larix.eval(
        "list(exp10([0, 1, 2]), invsqrt([4.0, 0.25]), invcbrt([27.0, -0.125]),"
        " isposinf([inf, ninf, 1.0]), isneginf([inf, ninf, nan]))"
    )
    np.testing.assert_allclose(got[0], [1.0, 10.0, 100.0], rtol=1e-15)
    np.testing.assert_allclose(got[1], [0.5, 2.0], rtol=1e-15)
    np.testing.assert_allclose(got[2], [1 / 3, -2.0], rtol=1e-15)
    assert got[3].tolist() == [True, False, False]
    assert got[4].tolist() == [False, True, False]


def test_phylanx_linear_algebra_names() -> None:
    a = np.array([[4.0, 1.0], [2.0, 3.0]])  # det 10
    inv = larix.eval("define(f, a, invGJE(a)) f", a)
    np.testing.assert_allclose(inv, [[0.3, -0.1], [-0.2, 0.4]], rtol=1e-14)
    x = larix.eval("define(f, a, linear_solver_lu(a, [6.0, 8.0])) f", a)
    np.testing.assert_allclose(x, [1.0, 2.0], rtol=1e-14)


def test_prod_takes_phylanx_positional_order() -> None:
    assert larix.docs("prod").startswith("prod(a, axis=nil, keepdims=false, dtype=nil)")
    got = larix.eval("prod([[1, 2], [3, 4]], 1, true, nil)")
    assert got.tolist() == [[2], [12]]

    @larix.kernel
    def numpy_order(a):
        return np.prod(a, 0, np.float32, None, True)  # NumPy's: axis, dtype, out, keepdims

    got = numpy_order(np.array([[1, 2], [3, 4]]))
    assert got.dtype == np.float32 and got.tolist() == [[3.0, 8.0]]


def test_annotate_returns_its_target_and_checks_annotations() -> None:
    assert larix.eval('annotate(5, list("tile", list("rows", 0, 2), list("columns", 1, 3)))') == 5
    assert larix.eval('annotate_d(list(1, 2), "name", list("tile"))') == [1, 2]
    with pytest.raises(larix.LarixTypeError, match="first element is a string"):
        larix.eval('annotate(5, list("tile", list(0, 2)))')
    with pytest.raises(TypeError, match="must be numbers, strings, nil or annotations"):
        larix.eval('annotate(5, list("tile", [1, 2]))')
    with pytest.raises(larix.Error, match="the name must be a string"):
        larix.eval('annotate_d(5, 6, list("tile"))')


def test_debug_prints_to_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    larix.eval('debug("x", 1)')
    out, err = capfd.readouterr()
    assert "x 1" in err and "x 1" not in out


def registered() -> dict[str, str]:
    """Every primitive name and alias -> the primitive's name."""
    return {n: p["name"] for p in larix.primitives() for n in [p["name"], *p["aliases"]]}


# ---- the compatibility table -------------------------------------------------------------------


def test_every_entry_has_a_known_status_and_left_out_ones_a_reason() -> None:
    for name, (status, note) in pp.PRIMITIVES.items():
        assert status in pp.STATUSES, name
        if status in (pp.LEFT_OUT, pp.NOT_YET):
            assert note, f"{name} is {status} without a reason"


def test_docs_table_covers_exactly_the_listed_names() -> None:
    text = DOCS.read_text()
    section = text.split("## Phylanx compatibility", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]*) \|", section, re.M)
    names = [name for name, _ in rows]
    assert len(names) == len(set(names))
    assert set(names) == set(pp.PRIMITIVES)
    assert not any("missing" in larix_name for _, larix_name in rows)


def test_present_rows_are_larix_primitives_and_forms_are_forms() -> None:
    table = registered()
    for name, (status, _) in pp.PRIMITIVES.items():
        if status == pp.PRESENT:
            assert name in table, f"{name} is marked present but Larix has no such primitive"
        elif status == pp.FORM:
            assert name in frontend.FORMS and name not in table, name
        else:
            assert name not in table, f"{name} is a Larix primitive but marked {status}"


def test_every_larix_primitive_claiming_a_phylanx_name_is_in_the_table() -> None:
    table = registered()
    for p in larix.primitives():
        for claimed in re.findall(r"Phylanx's ([A-Za-z_][A-Za-z_0-9]*)", p["doc"]):
            if claimed in table:
                assert claimed in pp.PRIMITIVES, f"{p['name']}'s doc names Phylanx's {claimed}"
