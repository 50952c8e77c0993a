"""larix.compat.phylanx: Phylanx's decorator and session on Larix (a Phylanx-style script against
NumPy, the decorator's keywords, lazy calls, the session)."""

from __future__ import annotations

import numpy as np
import pytest
from larix.compat.phylanx import LazyCall, Phylanx, PhylanxSession

import larix

# ---- the decorator -----------------------------------------------------------------------------


def sigmoid(x):  # deliberately not the logistic function
    return x * 0.0


def scaled(x, factor):  # a plain helper (no primitive has this name)
    return x * factor


@Phylanx
def logistic_steps(x, y, alpha, steps):
    # A Phylanx-style kernel: primitives called by their PhySL names (shape, constant, sigmoid,
    # dot, transpose), NumPy calls and a plain Python helper mixed.
    w = constant(0.0, shape(x, 1))  # noqa: F821 - a PhySL primitive
    for _ in range(steps):
        p = sigmoid(dot(x, w))  # noqa: F821 - sigmoid is the primitive here, as in Phylanx
        w = w - scaled(dot(transpose(x), p - y), alpha)  # noqa: F821
    return w


def numpy_logistic_steps(x, y, alpha, steps):
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        w = w - alpha * (x.T @ (p - y))
    return w


def test_phylanx_script_gives_numpys_answer() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(40, 3))
    y = (x[:, 0] - x[:, 2] > 0).astype(np.float64)
    got = logistic_steps(x, y, 0.05, 25)
    np.testing.assert_allclose(got, numpy_logistic_steps(x, y, 0.05, 25), rtol=1e-12)


def test_a_python_function_named_like_a_primitive_calls_the_primitive() -> None:
    def body(x):
        return sigmoid(x)

    x = np.array([0.0, np.log(3.0)])
    np.testing.assert_allclose(Phylanx(body)(x), [0.5, 0.75], rtol=1e-15)
    # larix.kernel translates the Python function instead (Larix's own rule).
    np.testing.assert_array_equal(larix.kernel(body)(x), [0.0, 0.0])
    assert "define(sigmoid" not in Phylanx(body).get_physl_source()


def test_get_physl_source_and_src() -> None:
    @Phylanx
    def add_one(a):
        return a + 1

    src = add_one.get_physl_source()
    assert isinstance(src, str) and src.startswith("define") and "add_one" in src
    assert add_one.__src__ == src
    assert add_one(41) == 42


def test_decorator_keywords(capsys: pytest.CaptureFixture[str]) -> None:
    def f(a):
        return a * 2

    g = Phylanx(debug=True)(f)
    assert "define" in capsys.readouterr().out
    assert g(3) == 6
    assert Phylanx(target="PhySL", compiler_state=object(), localities=1)(f)(4) == 8
    h = Phylanx(performance=True)(f)
    assert h.__perfdata__ is None
    h(np.ones(3))
    assert isinstance(h.__perfdata__, larix.Profile)


def test_decorator_refuses_what_larix_cannot_do() -> None:
    def f(a):
        return a

    with pytest.raises(larix.LarixTypeError, match="unknown keyword 'optimize'"):
        Phylanx(optimize=True)
    with pytest.raises(larix.LarixValueError, match="target 'OpenSCoP'"):
        Phylanx(target="OpenSCoP")(f)
    with pytest.raises(larix.LarixValueError, match="one locality"):
        Phylanx(localities=4)
    with pytest.raises(larix.LarixTypeError, match="keywords only"):
        Phylanx(3)


def test_lazy_defers_the_call(capfd: pytest.CaptureFixture[str]) -> None:
    @Phylanx
    def loud(a):
        print("ran")
        return a * 10

    @Phylanx
    def plus_one(a):
        return a + 1

    pending = loud.lazy(4)
    assert isinstance(pending, LazyCall)
    assert "ran" not in capfd.readouterr().out
    assert pending.eval() == 40
    assert "ran" in capfd.readouterr().out
    assert pending() == 40
    assert plus_one(loud.lazy(2)) == 21


# ---- the session -------------------------------------------------------------------------------


def test_session_init_and_config_start_the_runtime() -> None:
    before = larix.threads()
    saved = (PhylanxSession.cfg, PhylanxSession.is_initialized)
    try:
        PhylanxSession.is_initialized = False
        PhylanxSession.init(2)
        assert larix.threads() == 2 and PhylanxSession.is_initialized
        with pytest.raises(larix.LarixRuntimeError, match="already initialized"):
            PhylanxSession.init(1)
        PhylanxSession.is_initialized = False
        PhylanxSession.config(["hpx.run_hpx_main!=1", "hpx.os_threads!=1"])
        assert larix.threads() == 1
        PhylanxSession.is_initialized = False
        with pytest.raises(larix.LarixValueError, match="not a number"):
            PhylanxSession.config(["hpx.os_threads!=many"])
    finally:
        PhylanxSession.cfg, PhylanxSession.is_initialized = saved
        larix.init(before)
