"""@larix.kernel: a corpus of small kernels, each run by Larix (both executors) and compared with
the same function run by Python/NumPy (``f.python``); plus the Kernel object's behaviour."""

from __future__ import annotations

import asyncio
import importlib.util
import math
import re
import sys
import textwrap

import numpy as np
import pytest

import larix

SCALE = 3
TABLE = (1, 2, 3)
NAMES = {"a": 1, "b": 2}
W = np.array([[1.0, 2.0], [3.0, 4.0]])
FLAGS = np.array([True, False, True])


# ---- functions the kernels call -------------------------------------------------------------


def helper(x, k=2):
    return x * k + SCALE


def divmod_(a, b):
    return a // b, a % b


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def is_even(n):
    return True if n == 0 else is_odd(n - 1)


def is_odd(n):
    return False if n == 0 else is_even(n - 1)


@larix.kernel
def square(x):
    return x * x


# ---- the corpus ------------------------------------------------------------------------------
# operators


def arith(a, b):
    return a + b * 2 - a / b + a // b + a % b + a**2


def unary(a):
    return -a + (+a) - -3


def floor_mod_neg(a, b):
    return a // b, a % b, -a // b, -a % b


def precedence(a, b, c):
    return a - (b - c), (a - b) - c, a * (b + c), -(a + b), a - b * c / 2


def true_div(a, b):
    return a / b


def power(a):
    return a**2, 2**a, a**0.5


def float_arith(x):
    return x * 1.5e3 - 2.5e-4 / x


def matmul(a, b):
    return a @ b


def string_ops(s):
    return s + "!", s * 2, "x" in s


def list_ops(xs):
    return xs + [9], xs * 2, len(xs)


# comparisons and logic


def compare(a, b):
    return a < b, a <= b, a > b, a >= b, a == b, a != b


def chain(a, b, c):
    return a < b < c


def chain_expr(a, b):
    return 0 <= a + b <= 10


def chain_call(xs):
    return 0 < len(xs) < 5


def bool_ops(a, b):
    return a > 0 and b > 0, a > 0 or b > 0, not a > 0


def bool_values(a, b):
    return a and b, a or b, not a


def and_or_mix(a, b, c):
    return a > 0 and b > 0 or c > 0


def short_circuit(xs, i):
    return i < len(xs) and xs[i] > 0


def short_circuit_or(xs, i):
    return i >= len(xs) or xs[i] > 0


def contains(x, xs):
    return x in xs, x not in xs


def is_none(x):
    return x is None, x is not None


def if_expression(a):
    return "pos" if a > 0 else "neg" if a < 0 else "zero"


# assignment


def assign_chain(a):
    x = y = a * 2
    return x + y


def swap(a, b):
    a, b = b, a
    return a, b


def unpack(t):
    a, b = t
    (c, d), e = t, 5
    return a + b, c * d, e


def unpack_call(a, b):
    q, r = divmod_(a, b)
    return q * b + r


def augmented(a):
    a += 2
    a -= 1
    a *= 3
    a /= 2
    a //= 1
    a **= 2
    a %= 7
    return a


def annotated(n):
    k: int = n + 1
    j: float  # noqa: F842
    return k


def reassign_types(n):
    x = n
    x = str(x)
    x = [x, x]
    return x


def shadow_names(n):
    e = 2
    pi = 3
    inf = 4
    sum = e + pi + inf
    return sum * n


def shadow_and_call(a):
    sum = 1
    return np.sum(a) + sum


def shadow_param(slice, n):
    return slice[n]


# subscripts


def index_1d(a):
    return a[1], a[-1], a[1:3], a[::2], a[:2], a[::-1], a[-2:]


def index_list(xs):
    return xs[0], xs[-1], xs[1:], xs[::2]


def index_2d(m):
    return m[0, 1], m[1], m[:, 0], m[0][1], m[1:, :2], m[-1, -1]


def store_1d(a):
    a[0] = 9.0
    a[1:3] = 0.0
    a[-1] = a[0] + 1
    return a


def store_2d(m):
    m[0, 0] = 9.0
    m[1, :] = 7.0
    m[:, 1] = -1.0
    return m


def augmented_index(a, i):
    a[i] -= 5
    a[i + 1] *= 2
    a[-1] += a[0]
    return a


def store_list(xs):
    xs[0] = 5
    xs[-1] = [1, 2]
    return xs


# control flow


def if_elif_else(x):
    if x < 0:
        r = "neg"
    elif x == 0:
        r = "zero"
    else:
        r = "pos"
    return r


def early_return(x):
    if x < 0:
        return "neg"
    if x == 0:
        return "zero"
    y = x * 2
    return y


def return_in_else(x):
    if x > 10:
        y = 1
    else:
        return -1
    return y + x


def nested_returns(a, b):
    if a > 0:
        if b > 0:
            return 1
        return 2
    elif b > 0:
        return 3
    else:
        return 4


def no_return(x):
    y = x + 1  # noqa: F841


def docstring_and_pass(x):
    """A docstring."""
    if x:
        pass
    return x


def while_sum(n):
    s = i = 0
    while i < n:
        s += i
        i += 1
    return s


def while_true_break(n):
    i = 0
    while True:
        i += 1
        if i * i > n:
            break
    return i


def while_continue(n):
    i = s = 0
    while i < n:
        i += 1
        if i % 3 == 0:
            continue
        s += i
    return s


def while_else(n):
    i = 0
    while i < n:
        if i == 7:
            break
        i += 1
    else:
        i = -i
    return i


def for_range(n):
    s = 0
    for i in range(n):
        s += i * i
    return s


def for_range_start_step(a, b):
    out = []
    for i in range(a, b, 3):
        out.append(i)
    for j in range(b, a, -2):
        out.append(j)
    return out


def for_range_variable_step(n, step):
    out = []
    for i in range(0, n, step):
        out.append(i)
    return out


def loop_variable_after(n):
    for i in range(n):  # noqa: B007
        pass
    return i


def loop_variable_after_break(n):
    for i in range(n):
        if i == 3:
            break
    return i


def loop_body_assigns_variable(n):
    s = 0
    for i in range(n):
        s += i
        i = 100
    return s


def changing_stop(n):
    count = 0
    for _ in range(n):
        n -= 1
        count += 1
    return count, n


def for_list(xs):
    s = 0
    for x in xs:
        s += x
    return s


def for_array_rows(m):
    total = 0.0
    for row in m:
        total += np.sum(row)
    return total


def for_else(xs, t):
    for x in xs:
        if x == t:
            found = True
            break
    else:
        found = False
    return found


def for_enumerate(xs):
    out = []
    for i, x in enumerate(xs):
        out.append(i * x)
    for i, x in enumerate(xs, 10):  # noqa: B007
        out.append(i)
    return out


def for_zip(xs, ys, zs):
    s = 0
    for x, y in zip(xs, ys):
        s += x * y
    for x, y, z in zip(xs, ys, zs):  # noqa: B007
        s += z
    return s


def for_nested_unpack(xs, ys):
    out = []
    for i, (x, y) in enumerate(zip(xs, ys)):
        out.append(i + x * y)
    return out


def for_pairs(pairs):
    s = 0
    for a, b in pairs:
        s += a * b
    return s


def for_dict_items(d):
    s = 0
    for k, v in d.items():  # noqa: B007
        s += v
    for k in d.keys():
        s += len(k)
    return s


def nested_loops_continue(n):
    s = 0
    for i in range(n):
        for j in range(i):
            if j == 2:
                continue
            if j > 4:
                break
            s += i * j
    return s


def return_in_for(xs):
    for i, x in enumerate(xs):
        if x < 0:
            return i
    return -1


def return_in_nested_loops(n):
    for i in range(n):
        for j in range(n):
            if i * j == 6:
                return i, j
    return -1, -1


def return_in_while(n):
    i = 0
    while i < n:
        if i == 5:
            return i * 10
        i += 1
    return i


def read_before_assign(n):
    i = 0
    while i < n:
        if i > 0:
            s = s + i  # noqa: F821
        else:
            s = 0
        i += 1
    return s


def collatz(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


# data structures


def list_methods(n):
    xs = [1, 2, 3]
    xs.append(n)
    xs.extend([5, 6])
    return xs, len(xs), xs[-1]


def dicts(k):
    d = {"a": 1, "b": 2}
    d["c"] = k
    d["a"] += 10
    return d["a"] + d["c"], d.get("z", 0), d.get("b"), list(d.keys()), list(d.values()), d


def dict_builtin():
    return dict(a=1, b=2), dict(), {}


def list_builtins(n):
    return list(range(n)), list(), tuple([1, 2]), list(map(lambda x: x + 1, range(n)))


def comprehension(n):
    return [i * i for i in range(n) if i % 2 == 0]


def comprehension_nested(n):
    return [i * j for i in range(n) for j in range(i) if j > 0]


def comprehension_unpack(pairs):
    return [a + b for a, b in pairs]


def comprehension_enumerate(xs):
    return [i * x for i, x in enumerate(xs)]


def comprehension_zip(xs, ys):
    return [x - y for x, y in zip(xs, ys)]


def comprehension_array(a):
    return [x * 2 for x in a]


def dict_comprehension(n):
    return {i: i * i for i in range(n) if i != 2}


def generator_sum(n):
    return sum(i for i in range(n))


def filter_map(xs):
    return list(filter(lambda x: x > 1, xs)), list(map(lambda x, y: x * y, xs, xs))


# functions


def lambdas(n):
    f = lambda x, y=2: x * y  # noqa: E731
    return f(n), f(n, 3), f(y=4, x=n)


def nested_def(n):
    def g(x, scale=1):
        return (x + n) * scale

    return g(1) + g(2, scale=10)


def closure_late_binding(n):
    def g():
        return k * 2

    k = n + 1
    first = g()
    k = 100
    return first, g()


def nested_recursion(n):
    def fact(k):
        return 1 if k <= 1 else k * fact(k - 1)

    return fact(n)


def nested_redefinition(n):
    def f(x):
        return x + 1

    a = f(n)

    def f(x):  # noqa: F811
        return x * 10

    return a, f(n)


def higher_order(xs):
    def apply(f, v):
        return f(v)

    return apply(lambda v: v * 3, xs[0]), fmap(lambda v: v + 1, xs)  # noqa: F821


def call_helper(x):
    return helper(x) + helper(x, k=5)


def call_recursive_helper(n):
    return fib(n)


def call_mutual_recursion(n):
    return is_even(n), is_odd(n)


def call_kernel(n):
    return sum([square(i) for i in range(n)])


def defaults(a, b=2, *, c=3):
    return a * b + c


# globals, NumPy and builtins


def module_constants(x):
    return x * SCALE + TABLE[1] + NAMES["b"]


def module_array(x):
    return np.dot(W, x), W[1, 0], FLAGS[1]


def numpy_constants():
    return np.pi * 2, np.e, np.inf > 1e300, math.pi


def nan_constant():
    return np.nan != np.nan


def numpy_functions(x):
    return np.exp(x), np.sum(x), np.sum(W, axis=0), np.dot(x, x)


VECTOR_MATH = {numpy_functions}  # exp of an array: Larix's vector exp, within 2 ulp


def numpy_keywords(m):
    return np.sum(m, axis=1, keepdims=True), np.add(m, 1), np.multiply(m, m)


def math_functions(x):
    return math.exp(x)


def array_methods(a):
    return a.sum(), a.shape, a.sum(axis=0), a.shape[0], len(a), a.copy()


def array_literal():
    return np.array([[1, 2], [3, 4]]), np.array([1.5, 2.5])


def dtype_keyword(n):
    return np.sum(np.array([1, 2, 3]), dtype=np.float64) + n


def builtins_len_str(xs):
    return len(xs), str(len(xs)), len("abc")


def fstrings(x, y):
    return f"x={x}, y={y:.2f}, r={x!r} {{braces}}"


def str_format(x):
    return "v={} w={:>4}".format(x, x + 1)  # noqa: UP032


def matvec(m, v):
    out = v * 0.0
    for i in range(len(v)):
        out[i] = np.dot(m[i], v)
    return out


def asserts(x):
    assert x > 0, "x must be positive"
    assert x < 100
    return x


def prints(x):
    print("x =", x)
    return x


# parallel


def parallel_block(a):
    with larix.parallel():
        x = a + 1
        y = a * 2
    return x + y


def prange_private(n):
    for i in larix.prange(n):
        t = i * 2
        assert t == i + i
    return n


def prange_last_value(n):
    out = [0] * n
    t = -1
    for i in larix.prange(n):
        t = i * 3
        out[i] = t
    return out, t, i


def prange_continue(n):
    for i in larix.prange(n):
        if i % 2:
            continue
        assert i % 2 == 0
    return n


def logistic_regression(x, y, alpha, iterations):
    w = x[0] * 0.0
    for _ in range(iterations):
        pred = 1.0 / (1.0 + np.exp(-(x @ w)))
        w = w - alpha * ((pred - y) @ x)
    return w


A = np.arange(6.0)
M = np.arange(6.0).reshape(2, 3)
CORPUS = [
    (arith, (7, 2)),
    (arith, (7.5, 2.0)),
    (unary, (4,)),
    (floor_mod_neg, (7, 2)),
    (floor_mod_neg, (7.5, -2.0)),
    (precedence, (10, 4, 3)),
    (true_div, (7, 2)),
    (power, (3,)),
    (power, (A,)),
    (float_arith, (2.0,)),
    (matmul, (W, np.array([1.0, 2.0]))),
    (matmul, (W, W)),
    (string_ops, ("ab",)),
    (list_ops, ([1, 2],)),
    (compare, (1, 2)),
    (compare, (2.0, 2)),
    (compare, (A, 2.0)),
    (chain, (1, 2, 3)),
    (chain, (1, 3, 2)),
    (chain_expr, (3, 4)),
    (chain_expr, (8, 4)),
    (chain_call, ([1, 2],)),
    (bool_ops, (1, -1)),
    (bool_values, (0, 5)),
    (bool_values, (3, 5)),
    (bool_values, ([], "x")),
    (and_or_mix, (-1, 2, 3)),
    (short_circuit, ([1, 2], 5)),
    (short_circuit, ([1, 2], 1)),
    (short_circuit_or, ([1, 2], 7)),
    (contains, (2, [1, 2, 3])),
    (contains, ("k", {"k": 1})),
    (is_none, (None,)),
    (is_none, (3,)),
    (if_expression, (3,)),
    (if_expression, (0,)),
    (assign_chain, (3,)),
    (swap, (1, 2)),
    (unpack, ((3, 4),)),
    (unpack_call, (17, 5)),
    (augmented, (5,)),
    (annotated, (4,)),
    (reassign_types, (7,)),
    (shadow_names, (2,)),
    (shadow_and_call, (np.ones(3),)),
    (shadow_param, ([4, 5, 6], 1)),
    (index_1d, (A,)),
    (index_list, ([1, 2, 3, 4],)),
    (index_2d, (M,)),
    (store_1d, (A,)),
    (store_2d, (M,)),
    (augmented_index, (A, 1)),
    (store_list, ([1, 2, 3],)),
    (if_elif_else, (-1,)),
    (if_elif_else, (0,)),
    (if_elif_else, (4,)),
    (early_return, (-3,)),
    (early_return, (0,)),
    (early_return, (5,)),
    (return_in_else, (3,)),
    (return_in_else, (30,)),
    (nested_returns, (1, 1)),
    (nested_returns, (1, -1)),
    (nested_returns, (-1, 1)),
    (nested_returns, (-1, -1)),
    (no_return, (1,)),
    (docstring_and_pass, (3,)),
    (while_sum, (10,)),
    (while_true_break, (50,)),
    (while_continue, (10,)),
    (while_else, (5,)),
    (while_else, (10,)),
    (for_range, (10,)),
    (for_range_start_step, (2, 12)),
    (for_range_variable_step, (10, 3)),
    (for_range_variable_step, (-10, -4)),
    (loop_variable_after, (5,)),
    (loop_variable_after_break, (10,)),
    (loop_body_assigns_variable, (5,)),
    (changing_stop, (5,)),
    (for_list, ([1, 2, 3],)),
    (for_list, (A,)),
    (for_array_rows, (M,)),
    (for_else, ([1, 2, 3], 2)),
    (for_else, ([1, 2], 5)),
    (for_enumerate, ([3, 4, 5],)),
    (for_zip, ([1, 2, 3], [4, 5], [7, 8, 9])),
    (for_nested_unpack, ([1, 2], [3, 4])),
    (for_pairs, ([[1, 2], [3, 4]],)),
    (for_dict_items, ({"ab": 1, "c": 5},)),
    (nested_loops_continue, (8,)),
    (return_in_for, ([1, 2, -3, 4],)),
    (return_in_for, ([1, 2],)),
    (return_in_nested_loops, (5,)),
    (return_in_nested_loops, (2,)),
    (return_in_while, (10,)),
    (return_in_while, (3,)),
    (read_before_assign, (5,)),
    (collatz, (27,)),
    (list_methods, (4,)),
    (dicts, (5,)),
    (dict_builtin, ()),
    (list_builtins, (4,)),
    (comprehension, (7,)),
    (comprehension_nested, (5,)),
    (comprehension_unpack, ([[1, 2], [3, 4]],)),
    (comprehension_enumerate, ([5, 6, 7],)),
    (comprehension_zip, ([5, 6, 7], [1, 2])),
    (comprehension_array, (A,)),
    (dict_comprehension, (5,)),
    (generator_sum, (6,)),
    (filter_map, ([1, 2, 3],)),
    (lambdas, (4,)),
    (nested_def, (10,)),
    (closure_late_binding, (3,)),
    (nested_recursion, (6,)),
    (nested_redefinition, (5,)),
    (call_helper, (2,)),
    (call_recursive_helper, (12,)),
    (call_mutual_recursion, (7,)),
    (call_kernel, (5,)),
    (defaults, (1,)),
    (defaults, (1, 5)),
    (module_constants, (2,)),
    (module_array, (np.array([1.0, 1.0]),)),
    (numpy_constants, ()),
    (nan_constant, ()),
    (numpy_functions, (np.array([0.0, 1.0]),)),
    (numpy_keywords, (M,)),
    (math_functions, (1.0,)),
    (array_methods, (M,)),
    (array_literal, ()),
    (dtype_keyword, (1,)),
    (builtins_len_str, ([1, 2],)),
    (fstrings, (3, 2.5)),
    (str_format, (4,)),
    (matvec, (W, np.array([1.0, 2.0]))),
    (asserts, (2,)),
    (logistic_regression, (np.arange(12.0).reshape(4, 3) / 10, np.array([0.0, 1, 1, 0]), 0.1, 5)),
    (parallel_block, (5,)),
    (prange_private, (6,)),
    (prange_continue, (5,)),
    (prange_last_value, (7,)),
]


def assert_same_result(got, want, path="result", ulps=0):
    """Larix's result as Python's: the same structure (at the top, a tuple stays a tuple; inside,
    a PhySL list stands for both), arrays and NumPy scalars of the same dtype, shape and values,
    Python numbers of the same kind and value (7 and 7.0 differ). `ulps`: float arrays may differ
    by that many units in the last place (Larix's vector exp/log/tanh... are within 2 ulp; one
    value alone is computed by the C library, as by CPython and NumPy)."""
    if isinstance(want, (tuple, list)):
        assert isinstance(got, (tuple, list)), f"{path}: {type(got).__name__} is not a sequence"
        if path == "result":
            assert type(got) is type(want), f"{path}: {type(got).__name__}"
        assert len(got) == len(want), f"{path}: length {len(got)} != {len(want)}"
        for i, (g, w) in enumerate(zip(got, want)):
            assert_same_result(g, w, f"{path}[{i}]", ulps)
        return
    if isinstance(want, dict):
        assert isinstance(got, dict), f"{path}: {type(got).__name__} is not a dict"
        assert set(got) == set(want), f"{path}: keys {set(got)} != {set(want)}"
        for k in want:
            assert_same_result(got[k], want[k], f"{path}[{k!r}]", ulps)
        return
    if isinstance(want, (np.ndarray, np.generic)):
        assert isinstance(got, (np.ndarray, np.generic)), f"{path}: {got!r} is not NumPy's"
        g, w = np.asarray(got), np.asarray(want)
        assert g.dtype == w.dtype, f"{path}: dtype {g.dtype} != {w.dtype}"
        assert g.shape == w.shape, f"{path}: shape {g.shape} != {w.shape}"
        if ulps and g.dtype.kind == "f" and g.size > 1:
            np.testing.assert_array_max_ulp(g, w, maxulp=ulps)
        else:
            np.testing.assert_array_equal(g, w, err_msg=path)
        return
    # A Python number may come back as a NumPy scalar of its kind (Larix's 0-d results are NumPy's):
    # the same kind and the same value; a float is a float64.
    kinds = {bool: (bool, np.bool_), int: (int, np.integer), float: (float, np.float64)}
    if type(want) in kinds:
        assert isinstance(got, kinds[type(want)]), f"{path}: {got!r} is not a {type(want).__name__}"
        assert type(want) is bool or not isinstance(got, (bool, np.bool_)), f"{path}: {got!r}"
        assert got == want, f"{path}: {got!r} != {want!r}"
        return
    assert type(got) is type(want), f"{path}: {got!r} is not a {type(want).__name__}"
    assert got == want, f"{path}: {got!r} != {want!r}"


def copied(args):
    return [a.copy() if isinstance(a, (np.ndarray, list, dict)) else a for a in args]


@pytest.mark.parametrize("sync", [False, True], ids=["tasks", "sync"])
@pytest.mark.parametrize(
    "fn, args", CORPUS, ids=[f"{f.__name__}-{i}" for i, (f, _) in enumerate(CORPUS)]
)
def test_kernel_matches_python(fn, args, sync):
    want = fn(*copied(args))
    got = larix.kernel(fn, sync=sync)(*copied(args))
    assert_same_result(got, want, ulps=2 if fn in VECTOR_MATH else 0)


def test_corpus_is_large():
    assert len({fn for fn, _ in CORPUS}) >= 80


# ---- Phylanx compatibility: bare PhySL primitive names ----------------------------------------


def phylanx_constant(n):
    return constant(0.5, n)  # noqa: F821


def phylanx_fmap(xs):
    return fmap(lambda x: x * 2, xs), fold_left(lambda a, x: a + x, 0, xs)  # noqa: F821


def phylanx_slice(a):
    return slice(a, 0, list(1, 3)), shape(a)  # noqa: F821


@pytest.mark.parametrize("sync", [False, True])
def test_bare_primitive_names(sync):
    np.testing.assert_array_equal(larix.kernel(phylanx_constant, sync=sync)(3), [0.5] * 3)
    row, shape = larix.kernel(phylanx_slice, sync=sync)(M)
    assert row.tolist() == [1.0, 2.0] and shape == [2, 3]
    assert larix.kernel(phylanx_fmap, sync=sync)([1, 2, 3]) == ([2, 4, 6], 6)


def test_print_goes_to_stdout(capfd):
    assert larix.kernel(prints)(3) == 3
    assert capfd.readouterr().out == "x = 3\n"


# ---- the Kernel object -----------------------------------------------------------------------


def test_physl_annotations_point_at_the_source():
    k = larix.kernel(for_zip)
    lines, first = __import__("inspect").getsourcelines(for_zip)
    source = {first + i: line for i, line in enumerate(lines)}
    names = re.findall(r"(\w+)\$(\d+)\$(\d+)", k.physl)
    assert len(names) > 20
    variables = {"xs", "ys", "zs", "x", "y", "z", "s"}
    user = [(n, int(ln), int(c)) for n, ln, c in names if n in variables]
    assert user
    for name, line, col in user:
        assert source[line][col:].startswith(name), (name, line, col)
    assert k.physl.startswith(f"define${first}$0(for_zip${first}$4, xs${first}$12")


def test_decorator_forms(capsys):
    @larix.kernel
    def plain(x):
        return x + 1

    @larix.kernel(debug=True, sync=True)
    def configured(x):
        return x + 2

    out = capsys.readouterr().out
    assert "define$" in out and "configured$" in out
    assert plain(1) == 2 and configured(1) == 3
    assert plain.python(1) == 2 and plain.__name__ == "plain"
    assert "plain" in repr(plain)


def test_keyword_arguments_from_python():
    k = larix.kernel(defaults)
    assert k(1, b=3, c=4) == 7 and k(2, c=0) == 4
    assert larix.kernel(shadow_param)(slice=[4, 5, 6], n=2) == 6  # a renamed parameter


def test_tuple_results_come_back_as_tuples():
    assert larix.kernel(swap)(1, 2) == (2, 1)
    assert larix.kernel(list_ops)([1]) == ([1, 9], [1, 1], 1)


def test_python_runs_the_original_function():
    def f(a):
        a[0] = 5.0
        return a

    k = larix.kernel(f)
    a = np.zeros(2)
    assert k.python is f
    assert k(a)[0] == 5.0 and a[0] == 0.0  # the kernel writes a new version of a
    assert k.python(a) is a and a[0] == 5.0  # Python writes the caller's array


def test_submit_returns_a_future():
    k = larix.kernel(while_sum)
    futures = [k.submit(n) for n in range(20)]
    assert [f.result() for f in futures] == [while_sum(n) for n in range(20)]

    async def main():
        return await asyncio.gather(*(asyncio.wrap_future(k.submit(n)) for n in (5, 10)))

    assert asyncio.run(main()) == [10, 45]


def test_submit_reports_errors():
    fut = larix.kernel(asserts).submit(-1)
    with pytest.raises(larix.LarixAssertionError):
        fut.result()


def test_kernel_calls_kernel_and_recursion():
    @larix.kernel
    def kfib(n):
        return n if n < 2 else kfib(n - 1) + kfib(n - 2)

    @larix.kernel
    def uses(n):
        return kfib(n) + square(n)

    assert kfib(15) == 610 and uses(10) == 155
    assert "define$" in uses.physl and uses.physl.count("define$") >= 3


def test_closure_over_enclosing_python_function():
    def make(k):
        @larix.kernel
        def scaled(x):
            return x * k

        return scaled

    assert make(3)(5) == 15 and make(4)(5) == 20


def test_helper_defined_after_the_kernel():
    @larix.kernel
    def early(x):
        return later_helper(x) + 1

    assert early(2) == 21


def later_helper(x):
    return x * 10


def test_rebuild_when_the_code_changes():
    def f(x):
        return x + 1

    def g(x):
        return x * 100

    k = larix.kernel(f)
    assert k(2) == 3
    f.__code__ = g.__code__
    assert k(2) == 200 and "100" in k.physl


def test_threads_option():
    before = larix.threads()
    try:
        k = larix.kernel(while_sum, threads=2)
        assert larix.threads() == 2 and k(10) == 45
    finally:
        larix.init(before)


def test_runtime_error_points_at_the_operator():
    def mismatch(a, b):
        c = a * 2
        return c + b

    with pytest.raises(larix.LarixValueError) as info:
        larix.kernel(mismatch)(np.ones(3), np.ones(4))
    err = info.value
    line = mismatch.__code__.co_firstlineno + 2
    assert (err.file, err.line, err.column) == (__file__, line, 18)
    assert "return c + b" in str(err) and "\n                     ^" in str(err)


def test_helper_in_another_file(tmp_path):
    path = tmp_path / "other_module.py"
    path.write_text(
        textwrap.dedent("""\
        import numpy as np


        def grow(x, k):
            y = x * k
            return y + np.array([1.0, 1.0, 1.0, 1.0])
        """)
    )
    spec = importlib.util.spec_from_file_location("other_module", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["other_module"] = module
    spec.loader.exec_module(module)

    def uses_grow(x):
        return module.grow(x, 2.0)

    k = larix.kernel(uses_grow)
    np.testing.assert_array_equal(k(np.ones(4)), [3.0] * 4)
    with pytest.raises(larix.LarixValueError) as info:
        k(np.ones(3))
    err = info.value
    assert (err.file, err.line, err.column) == (str(path), 6, 14)
    assert "return y + np.array" in str(err)
    assert err.physl_stack[0][:3] == ("grow", __file__, uses_grow.__code__.co_firstlineno + 1)


def test_values_are_not_written_back():
    a = np.zeros(3)
    out = larix.kernel(store_1d)(a)
    assert a.tolist() == [0.0, 0.0, 0.0] and out[0] == 9.0


# ---- a kernel written for Phylanx: bare primitive names, prange, with parallel ------------------


def phylanx_style_lra(x, y, alpha, iterations, enable_output):
    """Logistic regression the way Phylanx kernels were written (the decorator was @Phylanx)."""
    weights = constant(0.0, shape(x, 1))  # noqa: F821
    transx = transpose(x)  # noqa: F821
    step = 0
    while step < iterations:
        if enable_output:
            print("step:", step)
        pred = 1.0 / (1.0 + exp(-dot(x, weights)))  # noqa: F821
        gradient = dot(transx, pred - y)  # noqa: F821
        weights = weights - alpha * gradient
        step += 1
    with larix.parallel():
        norms = fmap(lambda row: sqrt(sum(row * row)), x)  # noqa: F821
        total = fold_left(lambda acc, v: acc + v, 0.0, list(1.0, 2.0, 3.0))  # noqa: F821
    for i in larix.prange(shape(x, 0)):  # noqa: F821
        row = slice(x, i, None)  # noqa: F821
        assert sum(row * row) >= 0.0, "a row's squared norm is never negative"
    scaled = fmap(lambda v: v * 2.0, list(0.0, 1.0))  # noqa: F821
    rows = [slice(x, i, None) * 2.0 for i in range(shape(x, 0))]  # noqa: F821
    return weights, norms, total, rows, scaled


@pytest.mark.parametrize("sync", [False, True])
def test_phylanx_kernel_runs(sync):
    x = np.arange(12.0).reshape(4, 3) / 10
    y = np.array([0.0, 1.0, 1.0, 0.0])
    weights, norms, total, rows, scaled = larix.kernel(phylanx_style_lra, sync=sync)(
        x, y, 0.1, 5, False
    )
    w = np.zeros(3)
    for _ in range(5):
        w = w - 0.1 * (x.T @ (1.0 / (1.0 + np.exp(-(x @ w))) - y))
    np.testing.assert_allclose(weights, w, rtol=1e-12)
    np.testing.assert_allclose(norms, np.sqrt((x * x).sum(axis=1)), rtol=1e-12)
    assert total == 6.0 and scaled == [0.0, 2.0]
    assert len(rows) == len(x)
    for got, want in zip(rows, x * 2.0):
        np.testing.assert_allclose(got, want)


# ---- functions, kernels and lambdas as arguments; arguments Larix cannot take ------------------


def apply_twice(g, x):
    return g(g(x))


def add_one(v):
    return v + 1


@pytest.mark.parametrize("sync", [False, True])
def test_functions_kernels_and_lambdas_are_arguments(sync):
    k = larix.kernel(apply_twice, sync=sync)
    assert k(add_one, 1) == 3
    assert k(square, 3) == 81
    np.testing.assert_array_equal(k(lambda v: v * 2.0, np.arange(3.0)), [0.0, 4.0, 8.0])
    assert k(g=add_one, x=5) == 7


@pytest.mark.parametrize(
    "bad",
    [
        np.array([1, "a"], dtype=object),
        np.array([1j], dtype=np.clongdouble),
        np.array(["x"]),
        np.datetime64(1, "D"),
    ],
)
def test_unsupported_dtype_names_the_parameter(bad):
    with pytest.raises(TypeError) as info:
        larix.kernel(apply_twice)(add_one, bad)
    assert isinstance(info.value, larix.Error)
    assert "parameter 'x'" in str(info.value) and "test_frontend.py" in str(info.value)
