"""Phylanx's positional signatures in PhySL (var/std/mean(a, axis, keepdims), amax/amin(a, axis,
keepdims, initial), flatten(a, order), stack(list) of one array, nonzero of a 0-d value,
where(condition)) with hand-written expected values, on both executors; and NumPy's signatures in
kernels, where the frontend passes NumPy's positional arguments by keyword (checked against
NumPy itself)."""

from __future__ import annotations

import numpy as np
import pytest

import larix

SYNC = pytest.mark.parametrize("sync", [False, True], ids=["tasks", "reference"])
F = np.array([[1.0, 2.0], [3.0, 5.0]])
M = np.array([[1, 2], [3, 5]])

PHYSL = [
    ("var(a, 0, true)", F, np.array([[1.0, 2.25]])),
    ("var(a, 1)", F, np.array([0.25, 1.0])),
    ("std(a, nil, true)", F, np.array([[np.sqrt(2.1875)]])),
    ("std(a, 0, false, nil, 1)", F, np.array([np.sqrt(2.0), np.sqrt(4.5)])),
    ("mean(a, 1, true)", F, np.array([[1.5], [4.0]])),
    ('mean(a, 0, false, "float32")', F, np.array([2.0, 3.5], dtype=np.float32)),
    ("amax(a, 0, true, 4)", M, np.array([[4, 5]])),
    ("amax(a, 1, false, 2.9)", M, np.array([2, 5])),  # initial cast to a's dtype, as NumPy
    ("amin(a, nil, false, 0)", M, np.int64(0)),
    ("amin(a, 0, true)", M, np.array([[1, 2]])),
    ("max(a, 1, true)", F, np.array([[2.0], [5.0]])),
    ("logsumexp(a, 0, true)", F, np.log(np.exp(F).sum(0, keepdims=True))),
    ('flatten(a, "F")', M, np.array([1, 3, 2, 5])),
    ('flatten(a, "C")', M, np.array([1, 2, 3, 5])),
    ("stack(list(a))", M, M),
    ("stack(list(a), 1)", M, M.T),
    ("stack(list(slice(a, 0)))", M, np.array([1, 2])),
    ("stack(list(a, a))", M, np.array([M, M])),
    ("nonzero(slice(a, 0, 0))", M, [np.array([0])]),
    ("nonzero(a - a)", M, [np.array([], dtype=np.int64), np.array([], dtype=np.int64)]),
    ("where(a > 2)", M, [np.array([1, 1]), np.array([0, 1])]),
    ("where(a > 9.0)", np.float64(3.0), [np.array([], dtype=np.int64)]),
    ("where(a > 2, a, 0)", M, np.array([[0, 0], [3, 5]])),
]


def same(got, want) -> None:
    if isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want)
        for g, w in zip(got, want):
            same(g, w)
        return
    got = np.asarray(got)
    assert got.dtype == np.asarray(want).dtype and got.shape == np.shape(want), (got, want)
    np.testing.assert_allclose(got, want, rtol=1e-14)


@SYNC
@pytest.mark.parametrize(("call", "a", "want"), PHYSL)
def test_phylanx_positional_order(call, a, want, sync):
    same(larix.compile(f"define(f, a, {call}) f", sync=sync)(a), want)


ERRORS = [
    ('flatten(a, "Z")', larix.LarixValueError, "order must be one of"),
    ("flatten(a, 1)", larix.LarixTypeError, "order must be a string"),
    ("amax(a, 0, false, [1, 2])", larix.LarixValueError, "initial must be a scalar"),
    ("where(a > 2, a)", larix.LarixTypeError, "where"),
    ("var(a, 0, true, nil, 0, 1)", larix.CompileError, "var"),
]


@SYNC
@pytest.mark.parametrize(("call", "cls", "text"), ERRORS)
def test_signature_errors(call, cls, text, sync):
    f = larix.compile if cls is larix.CompileError else None
    source = f"define(f, a,\n  {call})\nf"
    with pytest.raises(cls) as info:
        program = larix.compile(source, source_name="sig.physl", sync=sync)
        program(M)
    assert text in str(info.value)
    assert (info.value.file, info.value.line) == ("sig.physl", 2)
    assert f is None or info.value.column >= 3


def numpy_positional(a):
    return (
        np.var(a, 0, None, None, 1, True),
        np.std(a, 1),
        a.var(0, None, None, 0, True),
        np.mean(a, 1, None, None, True),
        a.mean(0, np.float32),
        np.amax(a, 0, None, True, 10.0),
        a.max(1, None, False),
        np.min(a, axis=0, initial=-1.0),
        a.min(None, None, True),
        np.sum(a, 0, np.float32),
        a.sum(1, None, None, True),
        np.prod(a, 0, None, None, True),
    )


def numpy_variants(a, s):
    return (
        np.nonzero(a > 2),
        np.where(a > 2),
        (a > 2).nonzero(),
        np.stack([a[0]]),
        np.stack([a[0], a[1]], 1),
        np.stack(a, 1),
        a.flatten(),
        a.flatten("F"),
        np.where(a > 2, a, 0.5),
    )


def zero_d_nonzero(s):
    return np.nonzero(s)


def out_given(a, o):
    return np.var(a, 0, None, o)


@SYNC
def test_numpy_signatures_in_kernels(sync):
    a = np.array([[1.0, 2.0, 7.0], [3.0, 5.0, 4.0]])
    for got, want in zip(larix.kernel(numpy_positional, sync=sync)(a), numpy_positional(a)):
        same(got, want)
    got = larix.kernel(numpy_variants, sync=sync)(a, np.array(3.0))
    for g, w in zip(got, numpy_variants(a, np.array(3.0))):
        same(g, list(w) if isinstance(w, tuple) else w)
    with pytest.raises(ValueError, match="0d arrays"):
        larix.kernel(zero_d_nonzero, sync=sync)(np.array(3.0))
    with pytest.raises(ValueError, match="0d arrays"):
        zero_d_nonzero(np.array(3.0))
    with pytest.raises(larix.CompileError, match="'out' is not supported"):
        larix.kernel(out_given, sync=sync)(a, a)


def test_docs_state_phylanx_signatures():
    assert larix.docs("var").startswith("var(a, axis=nil, keepdims=false, dtype=nil, ddof=0)")
    assert larix.docs("amax").startswith("amax(a, axis=nil, keepdims=false, initial=nil)")
    assert larix.docs("flatten").startswith('flatten(a, order="C")')
    assert "where(condition) (x and y nil)" in larix.docs("where")


def python_formats(x, n):
    # str.format on purpose: the frontend must keep Python's numbering from 0
    return f"x={x:.2f}", "{1}-{0}".format(x, n), "{:>4}".format(n)  # noqa: UP030, UP032


@SYNC
def test_python_formatting_stays_python_and_physl_format_is_phylanx(sync):
    assert larix.kernel(python_formats, sync=sync)(2.5, 7) == python_formats(2.5, 7)
    assert "__format" in larix.kernel(python_formats).physl
    # PhySL's format is Phylanx's (a kernel's format(...) is Python's builtin, not supported)
    f = larix.compile('define(f, x, n, format("{2:d}|{1:6.3lf}", x, n)) f', sync=sync)
    assert f(2.5, 7.9) == "7| 2.500"


@SYNC
def test_constants(sync):
    got = larix.compile("list(inf, ninf, pi, e, isnan(nan))", sync=sync)()
    assert got[:4] == [np.inf, -np.inf, np.pi, np.e] and bool(got[4])
    assert larix.compile("define(f, pi, pi + 1) f", sync=sync)(1) == 2
    with pytest.raises(larix.CompileError, match="unknown name 'tau'"):
        larix.compile("tau")
