"""Larix's OpenBLAS runs one thread per call inside its tasks, whatever threadpoolctl or
OPENBLAS_NUM_THREADS ask for (kernels/blas_threads.hpp), and stays visible to threadpoolctl."""

import os
import subprocess
import sys

import numpy as np
import pytest

import larix
from larix import _core

threadpoolctl = pytest.importorskip("threadpoolctl")

PRODUCTS = """
define(f, a, b, list(dot(a, b), solve(a, b), inv(a), cholesky(dot(a, transpose(a)) + 64 * eye(64))))
f
"""


def larix_blas(info: list[dict]) -> list[dict]:
    """threadpoolctl's records of Larix's own OpenBLAS (scipy_openblas32, not NumPy's)."""
    import scipy_openblas32

    ours = os.path.realpath(scipy_openblas32.get_lib_dir())
    return [lib for lib in info if os.path.realpath(lib["filepath"]).startswith(ours)]


def operands() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    return rng.standard_normal((64, 64)) + 8 * np.eye(64), rng.standard_normal((64, 64))


def check_results(results: list, a: np.ndarray, b: np.ndarray) -> None:
    np.testing.assert_allclose(results[0], a @ b, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(results[1], np.linalg.solve(a, b), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(results[2], np.linalg.inv(a), rtol=1e-10, atol=1e-12)
    spd = a @ a.T + 64 * np.eye(64)
    np.testing.assert_allclose(results[3], np.linalg.cholesky(spd), rtol=1e-10, atol=1e-12)


def test_larix_blas_is_visible_to_threadpoolctl():
    larix.compile(PRODUCTS)(*operands())  # the library is loaded and used
    assert larix_blas(threadpoolctl.threadpool_info())


@pytest.mark.parametrize("sync", [False, True])
@pytest.mark.parametrize("threads", [1, 2, 4])
def test_threadpool_limits_does_not_thread_larix_blas(threads, sync):
    a, b = operands()
    larix.init(threads)
    try:
        program = larix.compile(PRODUCTS, sync=sync)
        with threadpoolctl.threadpool_limits(4):
            # threadpoolctl did reach Larix's library (else this test would prove nothing) ...
            ours = larix_blas(threadpoolctl.threadpool_info())
            assert [lib["num_threads"] for lib in ours] == [4]
            results = program(a, b)
            # ... and Larix's calls ran with one thread all the same.
            assert _core._blas_threads_at_last_call() == 1
        check_results(results, a, b)
    finally:
        larix.init()


def test_openblas_num_threads_before_import_does_not_thread_larix_blas():
    # A fresh process: the variable is read when the library loads.
    code = (
        "import numpy as np, larix\n"
        "from larix import _core\n"
        "a = np.eye(40) * 2.0\n"
        "larix.compile('define(f, a, list(dot(a, a), inv(a))) f')(a)\n"
        "print(_core._blas_threads_at_last_call())\n"
    )
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "3"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["1"]
