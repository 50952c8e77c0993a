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
    for path in library_paths():
        ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
