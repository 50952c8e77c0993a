"""Complex numbers and np.fft in kernels, against NumPy: the spectrum example, complex arguments
without copies, the frontend's 1j, complex(), .real/.imag/.conj(), dtype=complex, and the errors
of what has no complex loop yet. (Every primitive's rows are in table_rows_complex.py.)"""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from larix.examples.spectrum import spectrum

import larix

SYNC = pytest.mark.parametrize("sync", [False, True], ids=["tasks", "sync"])


def close(got, want, rtol=1e-12):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, want.dtype)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol)


@pytest.mark.parametrize("n", [64, 255, 1000])
def test_spectrum_example_matches_numpy(n):
    rng = np.random.default_rng(n)
    t = np.arange(n) * 0.01
    signal = np.sin(2 * np.pi * 5 * t) + 0.3 * np.sin(2 * np.pi * 31 * t) + 0.1 * rng.normal(size=n)
    got, want = spectrum(signal, 0.01), spectrum.python(signal, 0.01)
    assert got[0] == pytest.approx(want[0], rel=1e-12)
    for g, w in zip(got[1:], want[1:]):
        close(g, w)
    # The delay through the frequency domain is a roll by one sample.
    np.testing.assert_allclose(got[3], np.roll(signal, 1), atol=1e-12)


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_complex_arguments_pass_without_a_copy(dtype):
    z = (np.arange(6.0) + 1j * np.arange(6.0)[::-1]).astype(dtype)
    same = larix.compile("define(f, a, a) f")(z)
    assert same.dtype == dtype and np.shares_memory(same, z)
    view = larix.compile("define(f, a, slice(a, list(1, 5))) f")(z)
    assert np.shares_memory(view, z) and np.array_equal(view, z[1:5])
    # A byte-swapped complex array is read through a native copy.
    swapped = z.astype(z.dtype.newbyteorder())
    close(larix.compile("define(f, a, a * 2.0) f")(swapped), z * 2, rtol=1e-6)


def complex_kernel(x, theta):
    z = x * np.exp(1j * theta)  # 1j: a complex128 constant
    w = complex(2, -1) * z.conj()
    out = np.zeros(x.shape[0], dtype=complex)
    out[0] = z[0]
    spectrum2 = np.fft.fft2(np.outer(z, w))
    return z.real, z.imag, np.abs(w), np.angle(z), out, spectrum2, np.fft.fftshift(np.fft.ifft(z))


@SYNC
def test_frontend_complex_constructs(sync):
    x, theta = np.linspace(1, 2, 8), np.linspace(0, np.pi, 8)
    got = larix.kernel(complex_kernel, sync=sync)(x, theta)
    want = complex_kernel(x, theta)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        close(g, w)


def complex_in_a_parallel_loop(z, k):
    out = np.zeros(z.shape[0], dtype=np.complex128)
    for i in larix.prange(z.shape[0]):
        out[i] = z[i] * k + 1.0
    return out


def test_complex_in_a_parallel_loop():
    z = np.arange(100.0) + 1j
    close(larix.kernel(complex_in_a_parallel_loop)(z, 2.5), z * 2.5 + 1.0)


def unique_complex(z):
    return np.unique(z)


def rfft_of_complex(z):
    return np.fft.rfft(z)


@pytest.mark.parametrize(("fn", "message"), [
    (unique_complex, "does not support complex numbers"),
    (rfft_of_complex, "rfft takes real input"),
])  # fmt: skip
def test_operations_without_a_complex_loop_are_type_errors_at_the_line(fn, message):
    with pytest.raises(larix.LarixTypeError, match=message) as info:
        larix.kernel(fn)(np.array([1 + 2j, 3 - 1j]))
    assert info.value.line == inspect.getsourcelines(fn)[1] + 1


def test_fft_errors_are_numpys():
    x = np.arange(4.0)
    for program, error in [
        ("fft(a, 0)", ValueError),
        ('fft(a, nil, -1, "sideways")', ValueError),
        ("fft(a, nil, 3)", np.exceptions.AxisError),
        ("fftn(a, list(2, 2), list(0))", ValueError),
    ]:
        with pytest.raises(error):
            larix.compile(f"define(f, a, {program}) f")(x)


def test_complex_values_print_as_python_does(capfd):
    larix.compile("define(f, a, print(a)) f")(np.array([1 + 2j, -0.5 - 1j]))
    assert capfd.readouterr()[0].strip() == "[(1.0+2.0j), (-0.5-1.0j)]"
