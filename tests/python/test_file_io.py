"""File primitives against NumPy: .npy files written by np.save read by larix and the reverse,
every element type NumPy writes that Larix can hold, format versions, Fortran order, damaged
files; CSV files against np.loadtxt / np.savetxt, with malformed numbers and missing files."""

from __future__ import annotations

import numpy as np
import pytest

import larix

LOAD = larix.compile("define(f, name, load(name)) f")
SAVE = larix.compile("define(f, name, a, save(name, a)) f")
READ_CSV = larix.compile("define(f, name, file_read_csv(name)) f")
WRITE_CSV = larix.compile("define(f, name, a, file_write_csv(name, a)) f")

ARRAYS = [
    np.array(2.5),
    np.array([], dtype=np.float32),
    np.arange(6, dtype=np.int64).reshape(2, 3) - 3,
    np.array([[True, False], [False, True]]),
    np.linspace(-1, 1, 24, dtype=np.float32).reshape(2, 3, 4),
    np.array([np.nan, np.inf, -0.0, 1e-310, 1 / 3]),
    np.zeros((3, 0, 2)),
]


@pytest.mark.parametrize("x", ARRAYS, ids=lambda x: f"{x.dtype}-{x.shape}")
def test_npy_round_trips_both_ways(tmp_path, x):
    ours, theirs = str(tmp_path / "ours.npy"), str(tmp_path / "theirs.npy")
    assert SAVE(ours, x) is None
    back = np.load(ours)
    assert back.dtype == x.dtype and back.shape == x.shape
    np.testing.assert_array_equal(back, x)
    np.save(theirs, x)
    got = np.asarray(LOAD(theirs))
    assert got.dtype == x.dtype and got.shape == x.shape
    np.testing.assert_array_equal(got, x)
    assert open(ours, "rb").read() == open(theirs, "rb").read()  # byte for byte np.save's file


@pytest.mark.parametrize(
    ("dtype", "larix_dtype"),
    [
        ("<i4", np.int32),
        ("<i2", np.int16),
        ("|i1", np.int8),
        ("|u1", np.uint8),
        ("<u2", np.uint16),
        ("<u4", np.uint32),
        ("<u8", np.uint64),
        (">i8", np.int64),
        (">f8", np.float64),
        (">f4", np.float32),
        ("<f2", np.float16),
        (">f2", np.float16),
        ("|b1", np.bool_),
        ("<c8", np.complex64),
        (">c16", np.complex128),
    ],
)
def test_npy_element_types_load_as_numpy_loads_them(tmp_path, dtype, larix_dtype):
    x = (np.arange(12) % 7 + (dtype != "|b1")).reshape(3, 4).astype(dtype)
    if x.dtype.kind == "c":
        x = x + 0.5j * x[::-1]
    np.save(tmp_path / "x.npy", x)
    got = np.asarray(LOAD(str(tmp_path / "x.npy")))
    assert got.dtype == larix_dtype == np.load(tmp_path / "x.npy").dtype.newbyteorder("=")
    np.testing.assert_array_equal(got, x)
    SAVE(str(tmp_path / "back.npy"), x)  # and written back with its dtype
    back = np.load(tmp_path / "back.npy")
    assert back.dtype == larix_dtype
    np.testing.assert_array_equal(back, x)


def test_npy_fortran_order_and_versions(tmp_path):
    x = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    np.save(tmp_path / "f.npy", x)
    assert b"'fortran_order': True" in (tmp_path / "f.npy").read_bytes()
    np.testing.assert_array_equal(LOAD(str(tmp_path / "f.npy")), x)
    for version in ((1, 0), (2, 0), (3, 0)):
        path = tmp_path / f"v{version[0]}.npy"
        with open(path, "wb") as f:
            np.lib.format.write_array(f, x.T, version=version)
        np.testing.assert_array_equal(LOAD(str(path)), x.T)


def test_save_appends_npy_like_numpy(tmp_path):
    x = np.arange(3.0)
    SAVE(str(tmp_path / "data"), x)
    np.testing.assert_array_equal(np.load(tmp_path / "data.npy"), x)
    SAVE(str(tmp_path / "data.npy"), x + 1)
    assert not (tmp_path / "data.npy.npy").exists()
    np.testing.assert_array_equal(np.load(tmp_path / "data.npy"), x + 1)


def test_npy_errors(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        LOAD(str(tmp_path / "missing.npy"))
    assert isinstance(info.value, larix.LarixFileNotFoundError)
    assert "No such file or directory" in str(info.value)
    with pytest.raises(OSError):
        LOAD(str(tmp_path))  # a directory
    good = tmp_path / "good.npy"
    np.save(good, np.arange(10.0))
    data = good.read_bytes()
    damaged = {
        "text.npy": b"hello, not an array\n",
        "truncated.npy": data[:-8],
        "short_header.npy": data[:40],
        "bad_header.npy": data.replace(b"'shape'", b"'shope'"),
        "bad_version.npy": data[:6] + b"\x09" + data[7:],
    }
    for name, content in damaged.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(ValueError):
            np.load(tmp_path / name)  # NumPy refuses them too
        with pytest.raises(ValueError):
            LOAD(str(tmp_path / name))
    np.savez(tmp_path / "z.npz", a=np.arange(2))
    with pytest.raises(ValueError, match="npz"):
        LOAD(str(tmp_path / "z.npz"))
    np.save(tmp_path / "q.npy", np.array([1.5], dtype=np.longdouble))
    with pytest.raises(TypeError):
        LOAD(str(tmp_path / "q.npy"))
    np.save(tmp_path / "s.npy", np.array(["text"]))
    with pytest.raises(TypeError):
        LOAD(str(tmp_path / "s.npy"))


def phylanx_shape(m: np.ndarray) -> np.ndarray:
    if m.size == 0:
        return m.reshape(0, 0)
    if m.shape[0] == 1:
        return m.reshape(()) if m.shape[1] == 1 else m.reshape(-1)
    return m


@pytest.mark.parametrize(
    "x",
    [
        np.array(1 / 3),
        np.array([0.1, -2e-300, np.nan, np.inf, -np.inf, 5.0]),
        np.random.default_rng(1).normal(size=(5, 3)),
        np.random.default_rng(2).normal(size=(4, 1)),
        np.arange(-4, 4).reshape(2, 4),
        np.array([[True, False, True]]),
    ],
    ids=lambda x: f"{x.dtype}-{x.shape}",
)
def test_csv_round_trip_against_loadtxt(tmp_path, x):
    path = str(tmp_path / "x.csv")
    out = WRITE_CSV(path, x)
    np.testing.assert_array_equal(out, x)  # returns the array written, as Phylanx
    want = np.loadtxt(path, delimiter=",", ndmin=2)
    np.testing.assert_array_equal(want.reshape(x.shape), x.astype(np.float64))  # exact
    got = np.asarray(READ_CSV(path))
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, phylanx_shape(want))


def test_csv_reads_numpy_savetxt_files(tmp_path):
    x = np.random.default_rng(3).normal(size=(6, 4))
    np.savetxt(tmp_path / "a.csv", x, delimiter=",")  # %.18e
    np.testing.assert_array_equal(READ_CSV(str(tmp_path / "a.csv")), x)
    np.savetxt(tmp_path / "b.csv", x, delimiter=", ", fmt="%.17g")
    np.testing.assert_array_equal(READ_CSV(str(tmp_path / "b.csv")), x)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("1,2\n3,abc\n", "line 2, column 2"),
        ("1,2\n\n4,5,\n", "line 3, column 3"),
        ("x,y\n1,2\n", "line 1, column 1"),
        ("1;2\n", "line 1, column 1"),
        ("1,2\n3\n", "line 2"),
    ],
)
def test_csv_malformed_is_a_value_error_naming_line_and_column(tmp_path, text, where):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ValueError):
        np.loadtxt(path, delimiter=",")
    with pytest.raises(ValueError, match=where) as info:
        READ_CSV(str(path))
    assert isinstance(info.value, larix.Error)


def test_csv_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        READ_CSV(str(tmp_path / "missing.csv"))
    with pytest.raises(OSError):
        WRITE_CSV(str(tmp_path / "no" / "x.csv"), np.ones(2))
    with pytest.raises(ValueError):
        WRITE_CSV(str(tmp_path / "x.csv"), np.ones((2, 2, 2)))
    with pytest.raises(TypeError):
        READ_CSV(3)


def test_write_then_read_in_one_kernel_is_ordered(tmp_path):
    path = str(tmp_path / "k.npy")

    @larix.kernel
    def roundtrip(x, name):
        np.save(name, x * 2)
        y = np.load(name)
        return np.sort(y)[::-1]

    x = np.array([3.0, 1.0, 2.0])
    np.testing.assert_array_equal(roundtrip(x, path), np.sort(x * 2)[::-1])
