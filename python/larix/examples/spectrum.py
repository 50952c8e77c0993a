"""Spectral analysis with np.fft, complex numbers and all: ``spectrum(signal, dt)`` on Larix,
``spectrum.python`` in NumPy. An ordinary NumPy program that runs unchanged under
``@larix.kernel``."""

from __future__ import annotations

import numpy as np

import larix


@larix.kernel
def spectrum(signal, dt, cutoff=0.25):
    """The strongest frequency of a real signal sampled every dt, its one-sided power spectrum,
    the signal low-pass filtered (frequencies above ``cutoff`` times the Nyquist frequency
    removed) and delayed by one sample through the frequency domain."""
    n = signal.shape[0]
    freqs = np.fft.rfftfreq(n, dt)
    coefficients = np.fft.rfft(signal)
    power = np.abs(coefficients) ** 2 / n
    peak = freqs[np.argmax(power[1:]) + 1]  # the strongest frequency other than the mean
    keep = freqs <= cutoff * freqs[-1]
    smooth = np.fft.irfft(coefficients * keep, n)
    all_freqs = np.fft.fftfreq(n, dt)
    delayed = np.fft.ifft(np.fft.fft(signal) * np.exp(-2j * np.pi * all_freqs * dt)).real
    return peak, power, smooth, delayed
