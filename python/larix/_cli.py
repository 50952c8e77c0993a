"""The ``larix`` console command: runs the C++ command-line tool installed with the package."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

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
    args = sys.argv[1:]
    html = _html_profile_target(args)
    if html is None:
        os.execve(binary, [binary, *args], env)
    # `--profile out.html`: the tool writes the profile as JSON, and the viewer is made from it.
    with tempfile.TemporaryDirectory() as tmp:
        json_path = os.path.join(tmp, "profile.json")
        args[args.index("--profile") + 1] = json_path
        rc = subprocess.run([binary, *args], env=env).returncode
        if os.path.exists(json_path):
            from .profile import load

            load(json_path).save_html(html)
            print(f"larix: wrote the profile viewer to {html}", file=sys.stderr)
    sys.exit(rc)


def _html_profile_target(args: list[str]) -> str | None:
    """The path after --profile when it names an HTML file, else None."""
    if "--profile" not in args:
        return None
    i = args.index("--profile")
    if i + 1 < len(args) and args[i + 1].lower().endswith((".html", ".htm")):
        return args[i + 1]
    return None
