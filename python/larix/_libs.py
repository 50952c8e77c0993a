"""Loads the shared libraries Larix's extension links against, from the wheels that carry them.

libtbb.so.12 comes from the ``tbb`` wheel (installed into ``<prefix>/lib``) and
libscipy_openblas.so from ``scipy-openblas32``. The extension's RPATH finds both in the usual
layouts; loading them here by absolute path first also covers user installs and other layouts.
"""

from __future__ import annotations

import ctypes
import importlib.metadata as metadata
import os


def _files_named(distribution: str, name: str) -> list[str]:
    try:
        dist = metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        return []
    return [str(dist.locate_file(f)) for f in dist.files or [] if f.name == name]


def library_paths() -> list[str]:
    paths = _files_named("tbb", "libtbb.so.12")
    try:
        import scipy_openblas32

        paths.append(os.path.join(scipy_openblas32.get_lib_dir(), "libscipy_openblas.so"))
    except ImportError:
        pass
    return [p for p in paths if os.path.exists(p)]


def preload() -> None:
    # Our OpenBLAS runs single-threaded inside Larix's tasks (the runtime owns the threads). Its
    # thread count is read when the library loads: set it for that moment only, so that NumPy's
    # own OpenBLAS, loaded separately, keeps its default.
    saved = os.environ.get("OPENBLAS_NUM_THREADS")
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    try:
        for path in library_paths():
            ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
    finally:
        if saved is None:
            del os.environ["OPENBLAS_NUM_THREADS"]
        else:
            os.environ["OPENBLAS_NUM_THREADS"] = saved
