"""@larix.kernel must-fail tests: what Larix cannot translate raises CompileError when the function
is decorated, and errors at run time point at the user's Python line; each case checks the error
class, the message, the line and the column (the caret's place, named by a piece of the source)."""

from __future__ import annotations

import inspect
import os

import numpy as np
import pytest

import larix


class Point:
    pass


ORIGIN = Point()


def helper(x, k=2):
    return x * k


# ---- not translatable: CompileError at decoration --------------------------------------------


def class_def(x):
    class A:
        pass

    return x


def try_stmt(x):
    try:
        x = 1
    except ValueError:
        pass
    return x


def with_open(x):
    with open(x) as f:
        return f


def generator(x):
    yield x


def global_write(x):
    global ORIGIN
    ORIGIN = x


def nonlocal_write(x):
    def g():
        nonlocal x
        x = 1

    return g()


def star_params(*args):
    return 1


def kwargs_params(**kw):
    return 1


def star_call(x):
    return np.exp(*x)


def kwargs_call(x, d):
    return helper(x, **d)


def unknown_function(x):
    return os.getcwd()


def unsupported_numpy(x):
    return np.fft.hfft(x)


def unsupported_keyword(x):
    return np.sum(x, out=x)


def del_stmt(x):
    del x
    return 1


def walrus(x):
    return (y := x)  # noqa: F841


def set_display(x):
    return {x, 1}


def set_comprehension(n):
    return {i for i in range(n)}


def raise_stmt(x):
    raise ValueError(x)


def import_stmt(x):
    import math

    return math.pi


def nested_subscript_store(a):
    a[0][1] = 3
    return a


def is_object(a, b):
    return a is b


def unknown_method(a):
    return a.foo()


def unknown_attribute(a):
    return a.flags


def in_place_method(xs):
    xs.reverse()
    return xs


def print_keywords(x):
    print(x, sep=",")


def starred_target(t):
    a, *b = t
    return a


def attribute_target(p):
    p.x = 1
    return p


def prange_same_element(n):
    out = [0] * n
    for i in larix.prange(n):
        out[0] = i
    return out


def prange_return(n):
    for i in larix.prange(n):
        return i


def parallel_break(n):
    while True:
        with larix.parallel():
            break


def capture_object(x):
    return ORIGIN


def bytes_constant(x):
    return x * b"ab"


def range_step_zero(n):
    for i in range(0, n, 0):  # noqa: B007
        pass


def chained_subscript_first(a):
    a[0] = b = 1
    return b


def prange_outside_for(n):
    return larix.prange(n)


def module_as_value(x):
    return np


# errors the C++ compiler reports, through the $LINE$COL annotations


def primitive_arity(a):
    return np.fliplr(a, a)


def helper_keyword(x):
    return helper(x, bogus=1)


def helper_arity(x):
    return helper(x, 1, 2)


def decorated_nested(x):
    @staticmethod
    def g(y):
        return y

    return g(x)


def isinstance_call(x):
    return isinstance(x, int)


def unsupported_linalg(a):
    return np.linalg.cond(a)


def unsupported_random(n):
    return np.random.gamma(n, 0.5)


def generator_expression_send(x):
    y = yield x
    return y


def lambda_star(x):
    f = lambda *a: a  # noqa: E731
    return f(x)


COMPILE_ERRORS = [
    (decorated_nested, "staticmethod", "decorators"),
    (isinstance_call, "isinstance", "the builtin isinstance() is not supported"),
    (unsupported_linalg, "np.linalg.cond", "numpy.linalg.cond is not supported by Larix (yet)"),
    (unsupported_random, "np.random.gamma", "numpy.random.gamma is not supported"),
    (generator_expression_send, "yield x", "yield"),
    (lambda_star, "a: a", "*args and **kwargs parameters"),
    (class_def, "class A", "class definitions are not supported"),
    (try_stmt, "try:", "try statements are not supported"),
    (with_open, "with open", "with statements (other than `with larix.parallel():`)"),
    (generator, "yield x", "yield"),
    (global_write, "global ORIGIN", "global statements"),
    (nonlocal_write, "nonlocal x", "nonlocal statements"),
    (star_params, "args", "*args and **kwargs parameters"),
    (kwargs_params, "kw)", "*args and **kwargs parameters"),
    (star_call, "*x", "star arguments"),
    (kwargs_call, "d)", "**kwargs arguments"),
    (unknown_function, "os.getcwd", "cannot call os.getcwd"),
    (unsupported_numpy, "np.fft.hfft", "numpy.fft.hfft is not supported by Larix (yet)"),
    (unsupported_keyword, "out=x", "np.sum(): the keyword 'out' is not supported"),
    (del_stmt, "del x", "del statements"),
    (walrus, "y := x", "assignment expressions (:=)"),
    (set_display, "{x, 1}", "set displays"),
    (set_comprehension, "{i for", "set comprehensions"),
    (raise_stmt, "raise", "raise statements"),
    (import_stmt, "import math", "import statements"),
    (nested_subscript_store, "a[0][1]", "nested subscript"),
    (is_object, "a is b", "`is` is supported only with None, True or False"),
    (unknown_method, "a.foo", "the method .foo() is not supported by Larix (yet)"),
    (unknown_attribute, "a.flags", "the attribute .flags is not supported by Larix (yet)"),
    (in_place_method, "xs.reverse", ".reverse() changes a value in place"),
    (print_keywords, "sep=", "print(): keywords"),
    (starred_target, "a, *b", "starred assignment targets"),
    (attribute_target, "p.x", "assignment to an attribute"),
    (prange_same_element, "out[0] = i", "does not depend on the loop variable 'i'"),
    (prange_return, "return i", "return is not allowed in a larix.prange loop"),
    (parallel_break, "break", "break is not allowed in `with larix.parallel():`"),
    (capture_object, "ORIGIN", "'ORIGIN' (a Point) cannot be used in a kernel"),
    (bytes_constant, 'b"ab"', "bytes constants are not supported"),
    (range_step_zero, "0)", "range() arg 3 must not be zero"),
    (chained_subscript_first, "b = 1", "chained assignment is supported when the first target"),
    (prange_outside_for, "larix.prange", "larix.prange() can only be used as the iterable"),
    (module_as_value, "np", "module 'numpy' cannot be used as a value"),
    (primitive_arity, "np.fliplr", "fliplr() takes 1 argument but 2 were given"),
    (helper_keyword, "bogus=1", "got an unexpected keyword argument 'bogus'"),
    (helper_arity, "helper(", "helper() takes 2 arguments but 3 were given"),
]


def where(fn, fragment):
    """The line and 1-based column of the first occurrence of fragment in the body (else in the
    def line)."""
    lines, first = inspect.getsourcelines(fn)
    for i, line in [*enumerate(lines[1:], 1), (0, lines[0])]:
        col = line.find(fragment)
        if col >= 0:
            return first + i, col + 1
    raise AssertionError(f"{fragment!r} is not in {fn.__name__}")


def check(err, fn, fragment, message):
    line, column = where(fn, fragment)
    assert message in err.message
    assert (err.file, err.line, err.column) == (__file__, line, column)
    text = str(err).splitlines()
    source = inspect.getsourcelines(fn)[0][line - fn.__code__.co_firstlineno].rstrip()
    # the message shows the user's line with a caret under the column
    assert text[1].strip() == source.strip()
    assert text[2].index("^") - text[1].index(source.strip()) == column - 1 - (
        len(source) - len(source.lstrip())
    )


@pytest.mark.parametrize(
    "fn, fragment, message", COMPILE_ERRORS, ids=[f[0].__name__ for f in COMPILE_ERRORS]
)
def test_compile_error_at_decoration(fn, fragment, message):
    with pytest.raises(larix.CompileError) as info:
        larix.kernel(fn)
    assert isinstance(info.value, SyntaxError) and isinstance(info.value, larix.Error)
    check(info.value, fn, fragment, message)


def test_there_are_enough_must_fail_tests():
    assert len(COMPILE_ERRORS) + len(RUNTIME_ERRORS) >= 25


async def coroutine(x):
    return x


def test_not_a_def():
    with pytest.raises(larix.CompileError, match="needs a function defined with def"):
        larix.kernel(coroutine)
    with pytest.raises(TypeError):
        larix.kernel(42)
    assert larix.kernel(lambda x: x * 2)(3) == 6  # a lambda is translated as the def it stands for


def test_undefined_name_is_reported_at_the_first_call():
    def uses_undefined(x):
        return not_defined_anywhere(x)  # noqa: F821

    k = larix.kernel(uses_undefined)  # may be defined later in the module: no error yet
    with pytest.raises(larix.CompileError) as info:
        k(1)
    check(
        info.value,
        uses_undefined,
        "not_defined_anywhere",
        "name 'not_defined_anywhere' is not defined",
    )


# ---- errors at run time point at the user's line ---------------------------------------------


def shape_mismatch(a, b):
    c = a * 2
    return c + b


def index_out_of_range(a):
    return a[10]


def division_by_zero(a):
    return a // 0


def failed_assert(x):
    assert x > 0, "x must be positive"
    return x


def error_in_nested_function(xs):
    def g(v):
        return v + "s"

    return g(xs[0])


def error_in_loop(xs):
    s = 0
    for x in xs:
        s = s + x
    return s


def key_error(d):
    return d["missing"]


RUNTIME_ERRORS = [
    (
        shape_mismatch,
        (np.ones(3), np.ones(4)),
        larix.LarixValueError,
        "+ b",
        "could not be broadcast",
    ),
    (index_out_of_range, (np.ones(3),), larix.LarixIndexError, "a[10]", "out of bounds"),
    (division_by_zero, (3,), larix.LarixZeroDivisionError, "// 0", "by zero"),
    (failed_assert, (-1,), larix.LarixAssertionError, "assert", "x must be positive"),
    (error_in_nested_function, ([1],), larix.LarixTypeError, '+ "s"', "unsupported operand"),
    (error_in_loop, ([1, "a"],), larix.LarixTypeError, "+ x", "unsupported operand"),
    (key_error, ({"a": 1},), larix.LarixIndexError, "d[", "KeyError"),
]


@pytest.mark.parametrize("sync", [False, True], ids=["tasks", "sync"])
@pytest.mark.parametrize(
    "fn, args, cls, fragment, message", RUNTIME_ERRORS, ids=[f[0].__name__ for f in RUNTIME_ERRORS]
)
def test_runtime_error_at_the_users_line(fn, args, cls, fragment, message, sync):
    k = larix.kernel(fn, sync=sync)
    with pytest.raises(cls) as info:
        k(*args)
    check(info.value, fn, fragment, message)
