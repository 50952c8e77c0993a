"""Through @larix.kernel: ufunc out= and where= (rebinding the variable or element named as out),
np.<ufunc>.at and np.put / a.put as statements, np.random.choice after np.random.seed (bit for
bit), np.loadtxt / np.savetxt (the files' bytes equal NumPy's). Each kernel is compared with the
same function run by NumPy; bad arguments raise NumPy's class at the user's line."""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest
from table_rows_ufunc_methods import SAVE_FORMS, save_expected, save_sample
from table_support import BOOL, F32, F64, I64

import larix


def same(got, want):
    if isinstance(want, tuple):
        assert isinstance(got, (tuple, list)) and len(got) == len(want)
        for g, w in zip(got, want):
            same(g, w)
        return
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype, (got, want)
    np.testing.assert_array_equal(got, want)


def run_both(fn, *args):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        want = fn(*[np.copy(a) for a in args])
        got = larix.kernel(fn)(*[np.copy(a) for a in args])
    same(got, want)


def out_statement(a, b):
    np.add(a, b, out=b)
    np.multiply(b, 2, b)
    return b


def out_assignment(a, b):
    c = np.subtract(a, b, out=b)
    return b, c


def out_of_new_array_with_where(a, b):
    return np.divide(a, b, out=np.zeros_like(a), where=b != 0)


def out_variable_with_where(a, b):
    r = np.full_like(a, -1.0)
    np.divide(a, b, out=r, where=b != 0)
    return r


def out_element(m):
    np.add(m[1], 10, out=m[1])
    np.sqrt(m, out=m)
    return m


def out_unary_in_loop(a):
    for _ in range(3):
        np.negative(a, out=a)
    return a


def at_and_put(a, labels):
    counts = np.zeros(4, dtype=np.int64)
    np.add.at(counts, labels, 1)
    np.maximum.at(a, labels, 0.5)
    np.put(a, [0, -1], [7.0, 8.0])
    a.put([1], 3.5, mode="clip")
    return counts, a


def at_two_axes(m):
    np.add.at(m, (0, [0, 0, 2]), [1, 2, 3])
    np.multiply.at(m, (slice(None), 1), 2)
    return m


@pytest.mark.parametrize(
    "fn", [out_statement, out_assignment, out_of_new_array_with_where, out_variable_with_where]
)
@pytest.mark.parametrize("dtype", [F64, F32])
def test_ufunc_out_and_where(fn, dtype):
    run_both(fn, np.arange(5.0, dtype=dtype), np.array([0, 1, 2, 0, 4], dtype=dtype))


def test_out_element_loop_at_and_put():
    run_both(out_element, np.arange(6.0).reshape(2, 3))
    run_both(out_unary_in_loop, np.arange(4.0))
    run_both(at_and_put, np.linspace(0, 1, 5), np.array([0, 3, 3, 1, 0, 0]))
    run_both(at_two_axes, np.arange(12).reshape(3, 4))


def draws(seed):
    np.random.seed(seed)
    a = np.random.choice(10, 4)
    b = np.random.choice(np.array([1.5, 2.5, 3.5]), size=(2, 2), p=[0.2, 0.5, 0.3])
    c = np.random.choice(6, 4, replace=False)
    d = np.random.choice(5, 3, replace=False, p=[0.1, 0.2, 0.3, 0.2, 0.2])
    e = np.random.choice(7)
    return a, b, c, d, e


@pytest.mark.parametrize("seed", [0, 7, 2024])
def test_choice_is_numpys_stream(seed):
    want = draws(seed)
    got = larix.kernel(draws)(seed)
    same(got, want)
    assert isinstance(got[4], int)


def text_round_trip(name, x):
    np.savetxt(name, x, fmt=["%.6f", "%d", "%.3e"], delimiter=",", header="x y z")
    back = np.loadtxt(name, delimiter=",")
    cols = np.loadtxt(name, delimiter=",", usecols=(0, 2), skiprows=2)
    ints = np.loadtxt(name, delimiter=",", dtype=int, usecols=1, comments=["#", "3"])
    return back, cols, ints


def test_loadtxt_and_savetxt_in_a_kernel(tmp_path):
    x = np.array([[1.0, 2.0, 3.25], [4.5, 5.0, -6.0], [7.0, 8.0, 9.0]])
    want = text_round_trip(str(tmp_path / "numpy.txt"), x)
    got = larix.kernel(text_round_trip)(str(tmp_path / "larix.txt"), x)
    same(got, want)
    assert (tmp_path / "numpy.txt").read_bytes() == (tmp_path / "larix.txt").read_bytes()


@pytest.mark.parametrize("form", range(len(SAVE_FORMS)))
@pytest.mark.parametrize("dtype", [I64, F64, F32, BOOL])
def test_savetxt_writes_numpys_bytes(form, dtype, tmp_path):
    text, kw = SAVE_FORMS[form]
    x = save_sample(dtype, kw.get("fmt", ""))
    if save_expected(x, **kw) is not None:
        pytest.skip("an error: the table checks its class")
    np.savetxt(tmp_path / "numpy.txt", x, **kw)
    larix.compile(f'define(f, a, savetxt("{tmp_path / "larix.txt"}", a{text})) f')(x)
    assert (tmp_path / "larix.txt").read_bytes() == (tmp_path / "numpy.txt").read_bytes()


def at_bad_index(a):
    np.add.at(a, [0, 9], 1)
    return a


def put_bad_index(a):
    np.put(a, [5], 1.0)
    return a


def out_float_into_int(a, b):
    np.add(a, 0.5, out=b)
    return b


def out_wrong_shape(a, b):
    np.add(b[:2], b[:2], out=b)
    return b


def choice_bad_p(a, b):
    return np.random.choice(3, p=[0.5, 0.6, 0.1])


def loadtxt_bad_field(a, b):
    return np.loadtxt(["1 2", "3 x"])


@pytest.mark.parametrize(
    "fn, cls",
    [
        (at_bad_index, IndexError),
        (put_bad_index, IndexError),
        (out_float_into_int, TypeError),
        (out_wrong_shape, ValueError),
        (choice_bad_p, ValueError),
        (loadtxt_bad_field, ValueError),
    ],
)
def test_bad_arguments_raise_numpys_class_at_the_users_line(fn, cls):
    a, b = np.arange(4.0), np.zeros(4, dtype=np.int64)
    with pytest.raises(cls):
        fn(a.copy(), b.copy()) if fn.__code__.co_argcount == 2 else fn(a.copy())
    args = (a, b) if fn.__code__.co_argcount == 2 else (a,)
    with pytest.raises(cls) as info:
        larix.kernel(fn)(*args)
    assert isinstance(info.value, larix.Error)
    line = inspect.getsourcelines(fn)[1] + 1
    assert f":{line}:" in str(info.value), str(info.value)


def at_as_expression(a):
    return np.add.at(a, [0], 1)


def out_global(a):
    np.add(a, 1, out=GLOBAL_OUT)
    return a


def out_name_in_expression(a, b):
    return np.sum(np.add(a, 1, out=b))


GLOBAL_OUT = np.zeros(3)


@pytest.mark.parametrize("fn", [at_as_expression, out_global, out_name_in_expression])
def test_unsupported_forms_are_compile_errors_at_the_line(fn):
    with pytest.raises(larix.CompileError) as info:
        larix.kernel(fn)(
            np.zeros(3), np.zeros(3)
        ) if fn.__code__.co_argcount == 2 else larix.kernel(fn)(np.zeros(3))
    line = inspect.getsourcelines(fn)[1] + 1
    assert f":{line}:" in str(info.value)
