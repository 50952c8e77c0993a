"""Print where the PyPI wheels we build against put their CMake packages.

The wheels tbb-devel and scipy-openblas32 install CMake config files as data files, which may land
outside sys.prefix (pip's isolated build environments put them in an overlay prefix). We ask the
installed distributions themselves, so the answer is right in every environment.
Output: one `NAME=path` line per package, read by CMakeLists.txt.
"""

import importlib.metadata as metadata
import sys


def config_dir(distribution: str, config_file: str) -> str:
    dist = metadata.distribution(distribution)
    for entry in dist.files or []:
        if entry.name == config_file:
            return str(dist.locate_file(entry).resolve().parent)
    raise SystemExit(f"{distribution} is installed but has no {config_file}")


def main() -> None:
    wanted = {
        "TBB_DIR": ("tbb-devel", "TBBConfig.cmake"),
        "OpenBLAS_DIR": ("scipy-openblas32", "OpenBLASConfig.cmake"),
    }
    for variable, (distribution, config_file) in wanted.items():
        try:
            print(f"{variable}={config_dir(distribution, config_file)}")
        except metadata.PackageNotFoundError:
            print(f"{variable}=NOTFOUND-{distribution}", file=sys.stdout)


if __name__ == "__main__":
    main()
