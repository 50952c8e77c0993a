"""The ``larix`` console command: runs the C++ command-line tool installed with the package."""

from __future__ import annotations

import os
import sys

from . import _libs


def main() -> None:
    binary = os.path.join(os.path.dirname(__file__), "bin", "larix")
    if not os.path.exists(binary):
        sys.exit(f"larix: the command-line tool is missing from the installation ({binary})")
    # The tool links libtbb and OpenBLAS from their wheels; tell the loader where they are.
    dirs = sorted({os.path.dirname(p) for p in _libs.library_paths()})
    env = dict(os.environ)
    env["LD_LIBRARY_PATH"] = os.pathsep.join(dirs + [env.get("LD_LIBRARY_PATH", "")]).strip(
        os.pathsep
    )
    env["OPENBLAS_NUM_THREADS"] = "1"  # BLAS runs single-threaded inside Larix's tasks
    os.execve(binary, [binary, *sys.argv[1:]], env)
