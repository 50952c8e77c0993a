"""Table rows of ufunc_at, ufunc_call, put, choice, loadtxt and savetxt (issue 11).

Each case's expected value is NumPy's result for the same arguments (computed when the module
loads: np.<ufunc>.at and np.put on a copy, the ufunc with out= and where=, the legacy
RandomState seeded as the program seeds, np.loadtxt of the same lines), or the builtin class of
the exception NumPy raises.
"""

from __future__ import annotations

import io
import itertools
from typing import Any

import numpy as np
from table_rows_file_io import temp_name
from table_rows_more import case, expect, sample
from table_support import ALL_DTYPES, BOOL, F32, F64, I64, Cases, c

AT_UFUNCS = ("add", "subtract", "multiply", "maximum", "minimum", "fmax", "bitwise_xor",
             "logical_or", "true_divide", "floor_divide", "power", "less")  # fmt: skip


def at_ref(uf: str, indices: Any, b: Any):
    def ref(a):
        a = a.copy()
        getattr(np, uf).at(a, indices, b)
        return a

    return ref


def ufunc_at_cases() -> list:
    out = []
    for uf, dtype in itertools.product(AT_UFUNCS, ALL_DTYPES):
        x = sample((6,), dtype, 3)
        if uf in ("floor_divide", "true_divide", "power") and dtype is not BOOL:
            x = np.abs(x) + 1
        for idx, b in (("[0, 0, 3, 5, 3]", 2), ("[1, 1, 1]", "[1.5, 2.5, 3.5]"), ("2", "7")):
            bv = eval(b) if isinstance(b, str) else b
            out.append(case(f'ufunc_at("{uf}", a, {idx}, {b})', at_ref(uf, eval(idx), bv), x))
        m = sample((3, 4), dtype, 4)
        out.append(
            case(f'ufunc_at("{uf}", a, list(1, [0, 0, 3]), 1)', at_ref(uf, (1, [0, 0, 3]), 1), m)
        )
    m = sample((3, 4), F64)
    out += [
        case('ufunc_at("add", a, list(list(0, 2)), 1.0)', at_ref("add", slice(0, 2), 1.0), m),
        case('ufunc_at("add", a, [0, 5], 1)', at_ref("add", [0, 5], 1), m),
        case('ufunc_at("add", a, [0, 1], [1.0, 2.0, 3.0])', at_ref("add", [0, 1], [1, 2, 3]), m),
        case('ufunc_at("add", a, [0.5], 1)', at_ref("add", [0.5], 1), sample((3,), F64)),
        case('ufunc_at("add", a, [0, 0], 1.5)', at_ref("add", [0, 0], 1.5), np.array([-2, 0])),
        case('ufunc_at("sin", a, [0], 1.0)', lambda a: np.sin.at(a, [0], 1.0), m),
        c('ufunc_at("bogus", [1.0], [0], 1.0)', ValueError),
    ]
    return out


def call_ref(uf: str, out: Any, where: Any, *ops: Any):
    kw: dict = {}
    if out is not None:
        kw["out"] = np.array(out, copy=True)
    if where is not True:
        kw["where"] = where
    r = getattr(np, uf)(*ops, **kw)
    if out is None and where is not True:  # NumPy leaves the masked-off elements undefined
        r = np.where(np.broadcast_to(where, r.shape), r, 0).astype(r.dtype)
    return r


def ufunc_call_cases() -> list:
    out = []
    mask = np.array([True, False, True, True])
    for uf, dtype in itertools.product(("add", "multiply", "maximum", "true_divide"), ALL_DTYPES):
        x, y = sample((3, 4), dtype, 5), sample((4,), dtype, 6)
        for o in (np.zeros((3, 4), F64), np.full((3, 4), 7, dtype), None):
            if o is None and uf == "true_divide":
                continue
            for where in (True, mask):
                program = f'ufunc_call("{uf}", {"c" if o is not None else "nil"}, w, a, b)'
                body = f"define(f, a, b, c, w, {program}) f"
                expected = expect(lambda *a, u=uf: call_ref(u, *a), o, where, x, y)
                out.append(c(body, expected, x, y, o if o is not None else 0, where))
    x = sample((4,), F64)
    out += [
        case(
            'ufunc_call("sqrt", a, true, [4.0, 9.0, 16.0, 25.0])',
            lambda a: np.sqrt([4.0, 9.0, 16.0, 25.0], out=a.copy()),
            x,
        ),  # fmt: skip
        case(
            'ufunc_call("negative", nil, a > 0, a)',
            lambda a: call_ref("negative", None, a > 0, a),
            x,
        ),
        case(
            'ufunc_call("add", [0, 0, 0, 0], true, a, 1)',
            lambda a: np.add(a, 1, out=np.zeros(4, np.int64)),
            x,
        ),  # fmt: skip
        case(
            'ufunc_call("add", [[0.0, 0.0, 0.0, 0.0]], true, a, 1)',
            lambda a: np.add(a, 1, out=np.zeros((1, 4))),
            x,
        ),  # fmt: skip
        case(
            'ufunc_call("add", [0.0, 0.0], true, a, 1)', lambda a: np.add(a, 1, out=np.zeros(2)), x
        ),  # fmt: skip
        case(
            'ufunc_call("add", a, [1.0, 0.0, 1.0, 1.0], a, 1)',
            lambda a: np.add(a, 1, out=a.copy(), where=np.array([1.0, 0, 1, 1])),
            x,
        ),  # fmt: skip
        case(
            'ufunc_call("floor_divide", a, a != 0, a, a)',
            lambda a: np.floor_divide(a, a, out=a.copy(), where=a != 0),
            np.array([0, 3, 0, 4]),
        ),  # fmt: skip
        c('ufunc_call("bogus", nil, true, 1.0)', ValueError),
        c('ufunc_call("add", 5, true, 1.0, 2.0)', TypeError),
    ]
    return out


def put_ref(ind: Any, v: Any, mode: str = "raise"):
    def ref(a):
        a = a.copy()
        np.put(a, ind, v, mode=mode)
        return a

    return ref


def put_cases() -> list:
    out = []
    for shape, dtype in itertools.product(((5,), (3, 4), (2, 3, 2)), ALL_DTYPES):
        x = sample(shape, dtype, 7)
        for ind, v in (("[0, 2]", "[1, 0]"), ("[0, -1, 0]", "[7]"), ("[1, 1, 3]", "[1.5, 0.5]")):
            out.append(case(f"put(a, {ind}, {v})", put_ref(eval(ind), eval(v)), x))
    x = sample((4,), I64)
    out += [
        case('put(a, [0, 9, -7], [5, 6, 7], "wrap")', put_ref([0, 9, -7], [5, 6, 7], "wrap"), x),
        case('put(a, [0, 9, -7], [5, 6, 7], "clip")', put_ref([0, 9, -7], [5, 6, 7], "clip"), x),
        case("put(a, [0, 9], [5, 6])", put_ref([0, 9], [5, 6]), x),
        case("put(a, [0], [])", lambda a: a, x),
        case('put(a, [0], [1], "bogus")', put_ref([0], [1], "bogus"), x),
        case("put(a, [0], [1])", put_ref([0], [1]), np.zeros(0)),
        case("put(a, [[3], [0]], [[9, 8]])", put_ref([[3], [0]], [[9, 8]]), sample((2, 2), F32)),
    ]
    return out


def choice_ref(seed: int, *args: Any, **kw: Any):
    r = np.random.RandomState(seed).choice(*args, **kw)
    return np.asarray(r) if isinstance(r, np.ndarray) or not isinstance(r, int) else r


P5 = [0.1, 0.2, 0.3, 0.2, 0.2]


def choice_cases() -> list:
    out = []
    forms = [
        ("5, 3", (5, 3), {}),
        ("5", (5,), {}),
        ("5, list(2, 3)", (5, (2, 3)), {}),
        ("5, 3, false", (5, 3), {"replace": False}),
        ("5, 5, false", (5, 5), {"replace": False}),
        (f"5, 4, true, {P5}", (5, 4), {"p": P5}),
        (f"5, 3, false, {P5}", (5, 3), {"replace": False, "p": P5}),
        (f"5, list(2, 2), false, {P5}", (5, (2, 2)), {"replace": False, "p": P5}),
        ("[1.5, 2.5, 3.5], 4", (np.array([1.5, 2.5, 3.5]), 4), {}),
        ("[1.5, 2.5, 3.5]", (np.array([1.5, 2.5, 3.5]),), {}),
        ("[4, 5, 6], 2, false", (np.array([4, 5, 6]), 2), {"replace": False}),
        ("3, list()", (3, ()), {}),
        ("0, 0", (0, 0), {}),
        ("1000, 4", (1000, 4), {}),
        ("1099511627776, 3", (2**40, 3), {}),
    ]
    for seed in (0, 1, 12345):
        for text, args, kw in forms:
            out.append(c(f"block(seed({seed}), choice({text}))", choice_ref(seed, *args, **kw)))
    bad = [
        "0",
        "2.5",
        "[[1, 2], [3, 4]]",
        "list(), 1",
        "5, 6, false",
        "5, -1",
        "5, nil, true, [0.5, 0.5]",
        "5, nil, true, 0.2",
        "5, nil, true, [[0.2, 0.2, 0.2, 0.2, 0.2]]",
        "5, nil, true, [0.2, 0.2, 0.2, 0.2, nan]",
        "5, nil, true, [0.2, 0.2, 0.2, 0.6, -0.2]",
        "5, nil, true, [0.2, 0.2, 0.2, 0.2, 0.3]",
        "5, 3, false, [0.5, 0.5, 0.0, 0.0, 0.0]",
        "5, 2.0",
    ]
    for text in bad:
        python = text.replace("list()", "[]").replace("nil", "None").replace("false", "False")
        args = eval(f"({python},)", {"nan": np.nan, "true": True, "False": False})
        names = ("size", "replace", "p")
        kw = dict(zip(names, args[1:]))
        out.append(c(f"choice({text})", expect(lambda a=args[0], k=kw: np.random.choice(a, **k))))
    return out


LINES = ["# a header", "1 2 3", "", "4 5 6  # trailing", "7 8 9"]


def load_ref(lines: list, **kw: Any):
    return expect(lambda: np.loadtxt(lines, **kw))


def physl_lines(lines: list) -> str:
    return "list(" + ", ".join(f'"{x}"' for x in lines) + ")"


def loadtxt_cases() -> list:
    out = []
    variants = [
        ("", {}),
        (', __arg(dtype, "int64")', {"dtype": np.int64}),
        (', __arg(dtype, "float32")', {"dtype": np.float32}),
        (", __arg(skiprows, 2)", {"skiprows": 2}),
        (", __arg(usecols, list(0, -1))", {"usecols": (0, -1)}),
        (", __arg(usecols, 1)", {"usecols": 1}),
        (", __arg(max_rows, 2)", {"max_rows": 2}),
        (", __arg(unpack, true)", {"unpack": True}),
        (", __arg(ndmin, 2), __arg(usecols, 1)", {"ndmin": 2, "usecols": 1}),
        (", __arg(skiprows, -1)", {"skiprows": -1}),
        (", __arg(usecols, 5)", {"usecols": 5}),
        (", __arg(ndmin, 3)", {"ndmin": 3}),
        (', __arg(comments, "")', {"comments": ""}),
        (', __arg(delimiter, ", ")', {"delimiter": ", "}),
    ]
    for text, kw in variants:
        out.append(c(f"loadtxt({physl_lines(LINES)}{text})", load_ref(LINES, **kw)))
    csv = ["x;y", "1.5, 2e3", "-inf , nan", " .5,-0"]
    others = [
        (csv, ', __arg(delimiter, ","), __arg(skiprows, 1)', {"delimiter": ",", "skiprows": 1}),
        (csv, ', __arg(delimiter, ","), __arg(comments, ";")', {"delimiter": ",", "comments": ";"}),
        (["1 2", "3"], "", {}),
        (["1 2", "3 x"], "", {}),
        (["1.0 2"], ', __arg(dtype, "int64")', {"dtype": np.int64}),
        (["5"], "", {}),
        (["5", "6"], "", {}),
        (["5 6"], ", __arg(ndmin, 2)", {"ndmin": 2}),
        (["1 2 ; c", "3 4 // d"], ', __arg(comments, list(";", "//"))', {"comments": [";", "//"]}),
        (["1,2,", "3,4,"], ', __arg(delimiter, ",")', {"delimiter": ","}),
    ]
    for lines, text, kw in others:
        out.append(c(f"loadtxt({physl_lines(lines)}{text})", load_ref(lines, **kw)))
    # a file written by NumPy
    name = temp_name(".txt")
    data = sample((4, 3), F64, 9)
    np.savetxt(name, data, delimiter=",", header="made by numpy")
    out.append(c(f'loadtxt("{name}", __arg(delimiter, ","))', np.loadtxt(name, delimiter=",")))
    out.append(c(f'loadtxt("{temp_name(".missing")}")', FileNotFoundError))
    return out


def save_ref(x: np.ndarray, **kw: Any) -> Any:
    b = io.StringIO()
    try:
        np.savetxt(b, x, **kw)
    except Exception as error:  # noqa: BLE001 - the class is the expected value
        if type(error) is AttributeError:
            return ValueError  # Larix has no AttributeError: documented
        return next(k for k in type(error).__mro__ if k.__module__ == "builtins")
    return b.getvalue()


# (PhySL arguments after savetxt's file name and array, NumPy's keywords, dtype): the table runs
# each and checks the call; test_ufunc_out_at_choice_text.py compares the files' bytes with NumPy's.
SAVE_FORMS = [
    ("", {}),
    (', "%d", ","', {"fmt": "%d", "delimiter": ","}),
    (', "%.3f"', {"fmt": "%.3f"}),
    (', "%10.3E"', {"fmt": "%10.3E"}),
    (', "%+08.2g"', {"fmt": "%+08.2g"}),
    (', list("%.1f", "%d", "%e")', {"fmt": ["%.1f", "%d", "%e"]}),
    (', "%.1f|%d|%-6.2f"', {"fmt": "%.1f|%d|%-6.2f"}),
    (', "%.2f", " ", ";", "a\\nb", "end", "// "',
     {"fmt": "%.2f", "newline": ";", "header": "a\nb", "footer": "end", "comments": "// "}),
    (', "%.1f and %.2f"', {"fmt": "%.1f and %.2f"}),
    (', list("%.1f")', {"fmt": ["%.1f"]}),
    (', "%s"', {"fmt": "%s"}),
]  # fmt: skip


def save_sample(dtype: Any, fmt: Any) -> np.ndarray:
    x = sample((2, 3), dtype, 10)
    if dtype in (F64, F32) and "%d" not in str(fmt):
        x[0, 1], x[1, 2] = np.inf, np.nan
    return x


def save_expected(x: np.ndarray, **kw: Any) -> Any:
    """None, or the builtin class of NumPy's error (Larix: ValueError for NumPy's
    AttributeError, which it has not, and for the conversions it does not support)."""
    if "%s" in str(kw.get("fmt", "")):
        return ValueError
    b = io.StringIO()
    try:
        np.savetxt(b, x, **kw)
    except AttributeError:
        return ValueError
    except Exception as error:  # noqa: BLE001 - the class is the expected value
        return next(k for k in type(error).__mro__ if k.__module__ == "builtins")
    return None


def savetxt_cases() -> list:
    out = []
    for (text, kw), dtype in itertools.product(SAVE_FORMS, (I64, F64, F32, BOOL)):
        x = save_sample(dtype, kw.get("fmt", ""))
        program = f'define(f, a, savetxt("{temp_name(".txt")}", a{text})) f'
        out.append((program, (x,), save_expected(x, **kw)))
    for fmt, arr in (("%d", np.array([1.7, np.nan])), ("%x", np.array([3, 4]))):
        program = f'define(f, a, savetxt("{temp_name(".txt")}", a, "{fmt}")) f'
        out.append((program, (arr,), ValueError))
    out += [
        c(f'savetxt("{temp_name(".txt")}", 1.5)', ValueError),
        c(f'savetxt("{temp_name(".txt")}", [[[1.5]]])', ValueError),
        c(f'savetxt("{temp_name(".txt")}", [[1.5, 2.5, 3.5]], "%.1f %%")', TypeError),
    ]
    return out


ROWS = {
    "ufunc_at": Cases(ufunc_at_cases()),
    "ufunc_call": Cases(ufunc_call_cases()),
    "put": Cases(put_cases()),
    "choice": Cases(choice_cases()),
    "loadtxt": Cases(loadtxt_cases()),
    "savetxt": Cases(savetxt_cases()),
}
