"""The Python entry points of the core: eval/compile, zero-copy arrays, threads, errors, leaks."""

from __future__ import annotations

import concurrent.futures
import gc
import importlib.util
import resource
import subprocess
import sys
import threading
import weakref

import numpy as np
import pytest

import larix

FIB = "define(fib, n, if(n < 2, n, fib(n - 1) + fib(n - 2))) fib"


def test_issue_example_prints_dot_product():
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import larix, numpy as np; print(larix.eval('define(f, a, b, dot(a, b)) f', "
            "np.ones(3), np.arange(3.0)))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "3.0"


def test_results_convert_to_python():
    assert larix.eval("42") == 42 and type(larix.eval("42")) is int
    assert larix.eval("2.5") == 2.5
    assert larix.eval('"s"') == "s"
    assert larix.eval("nil") is None
    assert larix.eval("list(1, '(2, 3))") == [1, [2, 3]]
    assert larix.eval('dict(list(list("k", 1)))') == {"k": 1}
    value = larix.eval("sum([1.0, 2.0])")
    assert isinstance(value, np.float64) and value == 3.0  # 0-d -> NumPy scalar
    arr = larix.eval("[[1, 2], [3, 4]]")
    assert isinstance(arr, np.ndarray) and arr.dtype == np.int64
    np.testing.assert_array_equal(arr, [[1, 2], [3, 4]])


def test_inputs_are_not_copied():
    a = np.arange(12.0).reshape(3, 4)
    out = larix.eval("define(f, x, x) f", a)
    assert out.__array_interface__["data"][0] == a.__array_interface__["data"][0]
    assert np.shares_memory(out, a)
    view = a[:, ::2]  # strided view: still no copy
    out = larix.eval("define(f, x, x) f", view)
    assert out.__array_interface__["data"][0] == view.__array_interface__["data"][0]
    assert out.strides == view.strides


def test_inputs_are_never_written():
    a = np.array([1.0, 2.0, 3.0])
    out = larix.eval("define(f, x, block(store(slice(x, 0), 99.0), x)) f", a)
    assert a[0] == 1.0  # the caller's array is unchanged: the store wrote a copy
    assert out[0] == 99.0


def test_results_own_their_buffer_without_copy():
    out = larix.eval("constant(1.5, list(1000))")
    assert out.flags.owndata is False  # a view of Larix's buffer, kept alive by a capsule
    base = out.base
    del base
    gc.collect()
    assert out.sum() == 1500.0


def test_small_results_are_numpys_own_arrays():
    # Up to 1 KiB a result is copied into an array NumPy allocates (cheaper than a capsule):
    # writable, C-contiguous, independent of the next call's result.
    f = larix.compile("define(f, x, __add(x, 1.0)) f")
    a = np.arange(12.0).reshape(3, 4)
    out = f(a)
    assert out.flags.owndata and out.flags.writeable and out.flags.c_contiguous
    np.testing.assert_array_equal(out, a + 1.0)
    out[0, 0] = -5.0
    np.testing.assert_array_equal(f(a), a + 1.0)
    assert f(np.arange(128.0)).flags.owndata  # 1024 bytes: still copied
    assert not f(np.arange(129.0)).flags.owndata  # past it: handed over


def test_closures_come_back_as_callables():
    adder = larix.eval("define(x, b, block(define(l, lambda(a, a + b)), l)) x", 42)
    assert isinstance(adder, larix.Function)
    assert adder(1) == 43
    assert larix.eval("define(apply2, f, x, f(x)) apply2", adder, 2) == 44


def test_sync_and_task_executors_agree():
    fast = larix.compile(FIB)
    ref = larix.compile(FIB, sync=True)
    assert [fast(n) for n in range(15)] == [ref(n) for n in range(15)]


@pytest.mark.parametrize("threads", [1, 2, 4])
def test_threads_setting(threads):
    larix.init(threads)
    try:
        assert larix.threads() == threads
        assert larix.compile(FIB)(15) == 610
    finally:
        larix.init()


def test_init_rejects_bad_thread_counts():
    with pytest.raises(ValueError):
        larix.init(0)


def test_eight_python_threads_call_one_program():
    program = larix.compile(
        "define(f, n, x, block(define(s, 0),"
        " for_each(lambda(i, store(s, s + i * x)), range(n)), s)) f"
    )
    errors, results = [], {}

    def worker(k: int) -> None:
        try:
            results[k] = [program(100 + k, k) for _ in range(20)]
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    for k in range(8):
        assert results[k] == [k * (100 + k) * (99 + k) // 2] * 20


def test_error_classes_and_locations():
    with pytest.raises(larix.CompileError) as info:
        larix.eval("define(x, 1)\nfoo(x)")
    err = info.value
    assert isinstance(err, SyntaxError) and isinstance(err, larix.Error)
    assert (err.line, err.column) == (2, 1)
    assert "foo(x)\n    ^" in str(err)
    with pytest.raises(TypeError) as info:
        larix.eval("define(g, x, fold_left(__add, 0, x))\ndefine(h, y, g(y))\nh", 5)
    assert isinstance(info.value, larix.LarixTypeError)
    assert [frame[0] for frame in info.value.physl_stack] == ["g", "h"]


# g fails inside h, while the other branch of the sum keeps the threads busy: nodes are spawned,
# the failure cancels work that has not started, and the error still carries its whole stack.
STACKED = """
define(g, x, power(x + 2, -1))
define(h, a, b, sum(a * a) + g(b))
define(f, a, b, h(a, b) + sum(exp(a)))
f
"""


def test_an_error_keeps_its_physl_stack_at_every_thread_count():
    a, b = np.ones(200_000), np.arange(3)  # an int64 base to the power -1: an error, as in NumPy
    want = None
    for threads in (1, 2, 4):
        larix.init(threads)
        try:
            for sync in (False, True):
                program = larix.compile(STACKED, sync=sync)
                for _ in range(20):
                    with pytest.raises(larix.LarixValueError) as info:
                        program(a, b)
                    got = str(info.value), [frame[0] for frame in info.value.physl_stack]
                    want = want or got
                    assert got == want
        finally:
            larix.init()
    assert want[1] == ["g", "h", "f"]
    assert "Integers to negative integer powers" in want[0]


def test_no_leak_over_many_failing_calls():
    # A failure cancels the call's pending work: every future of the call must still be fulfilled
    # and freed. Each call makes 8 KiB arrays before it fails.
    program = larix.compile(STACKED)
    a, b = np.ones(1024), np.arange(3)
    larix.init(2)
    try:
        for _ in range(500):
            with pytest.raises(larix.LarixValueError):
                program(a, b)
        gc.collect()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        for _ in range(5000):
            with pytest.raises(larix.LarixValueError):
                program(a, b)
        gc.collect()
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    finally:
        larix.init()
    assert after - before < 16 * 1024, f"max RSS grew by {after - before} KiB over 5,000 calls"
    assert sys.getrefcount(a) < 10


def test_recursion_limit_is_exact_on_the_reference_executor():
    # f(n) makes n + 1 nested calls; the limit is 1000 (docs/design.md). The task executor counts
    # per stack (a spawned task starts afresh), so the exact bound is checked on the sync one.
    f = larix.compile("define(f, n, if(n == 0, 0, 1 + f(n - 1))) f", sync=True)
    assert f(999) == 999
    with pytest.raises(larix.LarixRuntimeError, match=r"maximum recursion depth exceeded \(1000 "):
        f(1000)
    assert f(10) == 10  # the depth count is back to zero after the error


def test_recursion_limit_is_exact_for_calls_that_are_not_scalar_code():
    # The recursion above runs as scalar code (its own call path and depth count); a function
    # whose value is an array is called through the general closure call, with the same limit.
    f = larix.compile("define(f, n, if(n == 0, zeros(2), f(n - 1) + 1.0)) f", sync=True)
    assert f(999).tolist() == [999.0, 999.0]
    with pytest.raises(larix.LarixRuntimeError, match=r"maximum recursion depth exceeded \(1000 "):
        f(1000)
    assert f(3).tolist() == [3.0, 3.0]


def test_bad_arguments_raise_type_errors_naming_them():
    with pytest.raises(larix.LarixTypeError, match="argument 2 has type object"):
        larix.eval("define(f, a, b, a) f", 1, object())
    with pytest.raises(larix.LarixTypeError, match=r"dtype datetime64\[s\]"):
        larix.eval("define(f, a, a) f", np.zeros(2, dtype="datetime64[s]"))
    with pytest.raises(larix.LarixTypeError, match="dtype complex256"):
        larix.eval("define(f, a, a) f", np.ones(2, dtype=np.clongdouble))
    with pytest.raises(larix.LarixTypeError, match="takes 1 argument but 2"):
        larix.eval("define(f, a, a) f", 1, 2)
    with pytest.raises(larix.LarixTypeError, match="unexpected keyword argument 'c'"):
        larix.eval("define(f, a, a) f", 1, c=2)


def test_no_leak_over_many_calls():
    # Each call makes an 8 KiB array: a leaked frame or result would grow RSS by ~80 MiB.
    program = larix.compile("define(f, a, b, block(define(c, a * 2.0), dot(c, b))) f")
    a = np.ones(1024)
    for _ in range(2000):
        program(a, a)
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(10000):
        program(a, a)
    gc.collect()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert after - before < 16 * 1024, f"max RSS grew by {after - before} KiB over 10,000 calls"
    assert sys.getrefcount(a) < 10  # the borrowed input was released every time


def test_argument_paths_in_conversion_errors():
    # The position of a value Larix cannot take is named down to the list item or dict part.
    with pytest.raises(larix.LarixTypeError, match=r"argument 1\[2\] has type object"):
        larix.eval("define(f, a, a) f", [1, 2, object()])
    with pytest.raises(larix.LarixTypeError, match=r"argument 'b' value has type object"):
        larix.eval("define(f, a, b, a) f", 1, b={"k": object()})
    with pytest.raises(larix.LarixTypeError, match=r"argument 2 is an int that does not fit"):
        larix.eval("define(f, a, b, a) f", 1, 2**64)


@pytest.mark.parametrize(
    "make",
    [
        lambda: np.arange(6.0).astype(">f8"),  # byte-swapped
        lambda: np.frombuffer(b"\0" + np.arange(6.0).tobytes(), offset=1, dtype=np.float64),
        lambda: np.arange(6, dtype=np.int32),  # held as int32
        lambda: np.arange(6, dtype=np.uint16),
        lambda: np.arange(6.0, dtype=np.float16),
        lambda: np.arange(12.0).reshape(3, 4)[::2, ::-3],  # strided and reversed, in place
        lambda: np.arange(6, dtype=np.int16).astype(">i2"),  # byte-swapped narrow
    ],
)
def test_arrays_of_every_layout_and_width_arrive_with_their_values(make):
    a = make()
    out = larix.eval("define(f, a, a * 2) f", a)
    np.testing.assert_array_equal(out, a * 2)
    assert out.dtype == (a * 2).dtype.newbyteorder("=")  # NumPy's result dtype, native order
    assert out.flags.writeable


def test_results_own_their_buffers_or_are_read_only_views_of_the_arguments():
    a = np.arange(4.0)
    same = larix.eval("define(f, a, a) f", a)
    np.testing.assert_array_equal(same, a)
    assert not same.flags.writeable  # the caller's memory, borrowed: never written through
    assert np.shares_memory(same, a)
    fresh = larix.eval("define(f, a, a + 0) f", a)
    assert fresh.flags.writeable and fresh.flags.c_contiguous and fresh.flags.aligned
    fresh[0] = 7.0
    assert a[0] == 0.0
    scalar = larix.eval("define(f, a, sum(a)) f", a)
    assert type(scalar) is np.float64 and scalar == 6.0


def test_a_program_of_definitions_is_called_again_and_again_with_fresh_state():
    # `define(f, ...) f` programs reuse their first call's function (Program::call); programs
    # whose functions assign a top-level variable evaluate the top level at every call.
    counter = larix.compile("define(n, 0) define(f, block(store(n, n + 1), n)) f")
    assert [counter() for _ in range(3)] == [1, 1, 1]
    assign_global = larix.compile(
        "define(k, 10) define(g, x, block(store(k, k + x), k)) define(f, x, g(x)) f"
    )
    assert [assign_global(1) for _ in range(3)] == [11, 11, 11]
    fib = larix.compile("define(fib, n, if(n < 2, n, fib(n - 1) + fib(n - 2))) fib")
    assert [fib(k) for k in range(12)] == [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89]
    helpers = larix.compile(
        "define(sq, x, x * x) define(add, a, b, a + b) define(f, a, b, add(sq(a), sq(b))) f"
    )
    for _ in range(3):
        np.testing.assert_array_equal(helpers(np.arange(3.0), 2.0), np.arange(3.0) ** 2 + 4.0)
    # A function the program returns keeps working after the program's own calls.
    adder = larix.compile("define(make, k, lambda(x, x + k)) define(f, k, make(k)) f")
    plus2, plus5 = adder(2), adder(5)
    assert plus2(1) == 3 and plus5(1) == 6 and adder(7)(1) == 8


def test_a_program_of_definitions_called_from_many_threads():
    fib = larix.compile("define(fib, n, if(n < 2, n, fib(n - 1) + fib(n - 2))) fib")
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(fib, [15] * 64))
    assert results == [610] * 64


def test_a_kernel_in_a_reference_cycle_is_collected(tmp_path):
    # A kernel's fast call (_core.FastCall's _fast, a C slot) holds the functions it was
    # translated from, whose globals hold the kernel: the garbage collector must see that slot.
    source = tmp_path / "cycle_module.py"
    source.write_text(
        "import larix\n\ndef g(a):\n    return a * 2.0\n\n"
        "@larix.kernel\ndef k(a):\n    return g(a) + 1.0\n"
    )
    spec = importlib.util.spec_from_file_location("cycle_module", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    k = module.k
    assert k(np.ones(2)).tolist() == [3.0, 3.0]
    assert k._fast is not None
    gone = weakref.ref(k)
    del k, module
    gc.collect()
    assert gone() is None


def test_fast_call_slot_takes_only_its_tuple():
    program = larix.compile("define(f, a, a + 1) f")
    assert program(1) == 2
    with pytest.raises(TypeError, match="_fast is None or"):
        program._fast = (1, 2, 3)
    assert program(1) == 2  # unchanged by the refused value
    fast = program._fast
    program._fast = None  # every call takes _slow_call
    assert program(1) == 2 and program._fast is None
    program._fast = fast
    assert program(2) == 3


def test_kernel_calls_are_vectorcalls_and_a_subclass_keeps_its_own_call():
    have_vectorcall = 1 << 11  # Py_TPFLAGS_HAVE_VECTORCALL

    def scale(a, b=2.0):
        return a * b

    k = larix.kernel(scale)
    a = np.ones(3)
    assert k(a).tolist() == [2.0] * 3  # arguments as a C array (vectorcall)
    assert k(*(a,)).tolist() == [2.0] * 3  # through a tuple (tp_call)
    assert k(a, b=3.0).tolist() == [3.0] * 3  # a keyword: _slow_call
    assert k(b=4.0, a=a).tolist() == [4.0] * 3
    assert type(k).__flags__ & have_vectorcall
    assert larix.compile("define(f, a, a + 1) f")(1) == 2
    assert larix.Program.__flags__ & have_vectorcall

    class Counting(type(k)):
        calls = 0

        def __call__(self, *args, **kwargs):
            Counting.calls += 1
            return super().__call__(*args, **kwargs)

    c = Counting(scale)
    assert c(a).tolist() == [2.0] * 3 and c(a, 5.0).tolist() == [5.0] * 3
    assert Counting.calls == 2  # the subclass's __call__ ran: not bypassed by the vectorcall
    assert not Counting.__flags__ & have_vectorcall


def test_a_profile_turns_the_fast_call_off_and_on():
    @larix.kernel
    def k(a):
        return a + 1.0

    with larix.profile() as prof:
        k(np.ones(3))
    assert prof.nodes  # the call was profiled: it took the slow path
    k(np.ones(3))  # after the block: the fast path again
    # A profile opened later sees the call again: the extension's switch follows every session.
    with larix.profile() as again:
        k(np.ones(3))
    assert again.nodes
