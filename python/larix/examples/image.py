"""Image processing with NumPy's everyday dtypes: ``enhance(image, rows, cutoff)`` on Larix,
``enhance.python`` in NumPy. A uint8 image, int32 row indices, a complex FFT low-pass filter,
a histogram by ``np.bincount`` and a Gram matrix by ``np.einsum``: an ordinary NumPy program that
runs unchanged under ``@larix.kernel`` and gives NumPy's dtypes."""

from __future__ import annotations

import numpy as np

import larix


@larix.kernel
def enhance(image, rows, cutoff=0.15):
    """For a uint8 gray image: the image low-pass filtered in the frequency domain (frequencies
    above ``cutoff`` cycles per pixel removed) and stretched to the full 0..255 range (uint8), its
    histogram (256 counts), the inverted image (uint8 arithmetic, wrapping as NumPy's), and the
    Gram matrix of the filtered image's rows picked by the int32 array ``rows``."""
    height, width = image.shape
    spectrum = np.fft.fft2(image)
    fy = np.fft.fftfreq(height)
    fx = np.fft.fftfreq(width)
    keep = (np.abs(fy)[:, None] <= cutoff) & (np.abs(fx)[None, :] <= cutoff)
    smooth = np.fft.ifft2(spectrum * keep).real
    low, high = smooth.min(), smooth.max()
    stretched = ((smooth - low) * (255.0 / (high - low))).astype(np.uint8)
    histogram = np.bincount(stretched.ravel(), minlength=256)
    inverted = 255 - image
    picked = stretched[rows].astype(np.float64)
    gram = np.einsum("ik,jk->ij", picked, picked)
    return stretched, histogram, inverted, gram


def sample_image(height: int = 64, width: int = 48, seed: int = 0) -> np.ndarray:
    """A uint8 test image: two smooth blobs and noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    blobs = 140 * np.exp(-((y - height / 3) ** 2 + (x - width / 3) ** 2) / 60.0)
    blobs += 90 * np.exp(-((y - 2 * height / 3) ** 2 + (x - 2 * width / 3) ** 2) / 120.0)
    return np.clip(blobs + rng.normal(0, 12, (height, width)) + 20, 0, 255).astype(np.uint8)


if __name__ == "__main__":
    image = sample_image()
    rows = np.array([3, 10, 30, 50], dtype=np.int32)
    for name, got, want in zip(
        ("stretched", "histogram", "inverted", "gram"),
        enhance(image, rows),
        enhance.python(image, rows),
    ):
        match = got.dtype == want.dtype and np.allclose(got, want)
        print(f"{name}: {got.dtype}{got.shape} {'matches' if match else 'differs from'} NumPy")
