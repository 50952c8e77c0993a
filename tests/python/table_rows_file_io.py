"""Rows of the primitive table for file input and output: file_read_csv, file_write_csv, load,
save. Each case writes a file in the temporary directory and reads it back in the same program
(the block orders the two effects); the expected value is the array itself, as NumPy reads it
back (float64 for CSV, with Phylanx's shapes), or NumPy's error class.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import tempfile

import numpy as np
from table_support import ALL_DTYPES, BOOL, F32, F64, Cases, Row, c, f1

TMP = tempfile.gettempdir()
_counter = itertools.count()


@atexit.register
def _remove_files() -> None:
    for path in glob.glob(os.path.join(TMP, f"larix_table_{os.getpid()}_*")):
        os.remove(path)


def temp_name(ext: str) -> str:
    """A new file name in the temporary directory (PhySL string literal content)."""
    return os.path.join(TMP, f"larix_table_{os.getpid()}_{next(_counter)}{ext}")


def sample(shape: tuple, dtype) -> np.ndarray:
    rng = np.random.default_rng(len(shape))
    if dtype is BOOL:
        return rng.integers(0, 2, shape).astype(bool)
    if dtype in (F32, F64):
        x = rng.normal(size=shape).astype(dtype) / 3
        if x.size > 2:
            x.flat[1], x.flat[2] = np.nan, -np.inf
        return x
    return rng.integers(-(2**62), 2**62, shape, dtype=np.int64)


def phylanx_shape(m: np.ndarray) -> np.ndarray:
    """file_read_csv's shapes: one value 0-d, one row 1-d, more rows 2-d, nothing (0, 0)."""
    if m.size == 0:
        return m.reshape(0, 0)
    if m.shape[0] == 1:
        return m.reshape(()) if m.shape[1] == 1 else m.reshape(-1)
    return m


SHAPES = ((), (1,), (5,), (1, 1), (1, 4), (3, 1), (3, 4))


def csv_cases() -> list:
    read, write = [], []
    for shape, dtype in itertools.product(SHAPES, ALL_DTYPES):
        x = sample(shape, dtype)
        name = temp_name(".csv")
        as_rows = x.reshape(1, -1) if x.ndim < 2 else x
        # ints beyond 2^53 are written exactly and read back as the nearest float64, as NumPy's
        # loadtxt would; float32s are written in their shortest form ("0.1"), which reads back
        # as the float64 of that text
        text = as_rows.astype(str) if dtype is F32 else as_rows
        want = phylanx_shape(text.astype(F64))
        read.append(c(f1(f'block(file_write_csv("{name}", a), file_read_csv("{name}"))'), want, x))
        write.append(c(f1(f'file_write_csv("{temp_name(".csv")}", a)'), x, x))
    name = temp_name(".csv")
    rows6 = np.arange(24.0).reshape(6, 4)
    read += [
        c(
            f1(f'block(file_write_csv("{name}", a), file_read_csv("{name}", true, 3))'),
            rows6.reshape(2, 3, 4),
            rows6,
        ),
        c(
            f1(f'block(file_write_csv("{name}", a), file_read_csv("{name}", true, 4))'),
            ValueError,
            rows6,
        ),
        c(f'file_read_csv("{temp_name(".csv")}")', FileNotFoundError),
        c(f'file_read_csv("{TMP}")', OSError),
        c("file_read_csv(3)", TypeError),
    ]
    write += [
        c(f1(f'file_write_csv("{temp_name(".csv")}", a)'), ValueError, np.zeros((2, 2, 2))),
        c(f1(f'file_write_csv("{os.path.join(TMP, "no_such_dir", "x.csv")}", a)'), OSError, x),
        c(f1("file_write_csv(1, a)"), TypeError, x),
    ]
    return read, write


def npy_cases() -> tuple:
    load, save = [], []
    for shape, dtype in itertools.product(((), (0,), (5,), (3, 4), (2, 3, 4), (2, 0)), ALL_DTYPES):
        x = sample(shape, dtype)
        name = temp_name(".npy")
        load.append(c(f1(f'block(save("{name}", a), load("{name}"))'), x, x))
    x = sample((3, 4), F64)
    stem = temp_name("")
    save += [
        c(f1(f'block(save("{stem}", a), load("{stem}.npy"))'), x, x),
        c(f1(f'save("{temp_name(".npy")}", a)'), None, x),
        c(f1(f'block(save("{stem}", a), load("{stem}"))'), FileNotFoundError, x),
        c(f1(f'save("{os.path.join(TMP, "no_such_dir", "x")}", a)'), FileNotFoundError, x),
        c("save(1, 2)", TypeError),
    ]
    load += [
        c(f'load("{temp_name(".npy")}")', FileNotFoundError),
        c(f'load("{TMP}")', OSError),
        c(f1(f'block(file_write_csv("{stem}.csv", a), load("{stem}.csv"))'), ValueError, x),
        c(
            f1(f'block(save("{stem}.t", [1.5, 2.5]), load("{stem}.t.npy"))'),
            np.array([1.5, 2.5]),
            x,
        ),
    ]
    return load, save


_read, _write = csv_cases()
_load, _save = npy_cases()

ROWS: dict[str, Row] = {
    "file_read_csv": Cases(_read),
    "file_write_csv": Cases(_write),
    "load": Cases(_load),
    "save": Cases(_save),
}
