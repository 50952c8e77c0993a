#!/usr/bin/env bash
# The supported range, checked: Larix is built and a quick suite run on the oldest and the newest
# CPython of 3.9-3.13 found on the machine (pyenv's versions, then python3.X on PATH), each in a
# venv of its own (build/venv-3.X) with its own CMake tree (build/cp3X-...); the oldest also runs
# the suite again on NumPy 1.26 (the extension is built against NumPy 2, whose headers target
# NumPy 1.x too, as a wheel's are).
#   bash scripts/check_pythons.sh      (scripts/test.sh runs it after the full suite)
# The quick suite is the files below: they compare with NumPy only where NumPy 1.26 and 2.x agree
# (with NumPy 1.x Larix keeps NumPy 2's promotion rules, NEP 50: docs/python.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

QUICK_SUITE=(tests/python/test_core.py tests/python/test_frontend.py tests/python/test_first_hour.py
  tests/python/test_frontend_errors.py tests/python/test_frontend_numpy.py
  tests/python/test_scalar_code.py tests/python/test_parallel_loops.py tests/python/test_profile.py
  tests/python/test_row_block_fusion.py)
BUILD_PACKAGES=(scikit-build-core nanobind tbb-devel==2023.2.0 scipy-openblas32 pytest hypothesis)

# Every CPython 3.9-3.13 interpreter found, as "minor path" lines.
candidates() {
  local p
  {
    if command -v pyenv >/dev/null 2>&1; then
      for p in "$(pyenv root)"/versions/3.*/bin/python3; do [[ -x $p ]] && echo "$p"; done
    fi
    for p in python3.9 python3.10 python3.11 python3.12 python3.13; do command -v "$p" || true; done
  } | while read -r p; do
    "$p" -c 'import sys, platform
v = sys.version_info
if platform.python_implementation() == "CPython" and (3, 9) <= v[:2] <= (3, 13):
    print(v[1], sys.executable)' 2>/dev/null || true
  done | sort -n -k1,1 -u
}

mapfile -t found < <(candidates)
if ((${#found[@]} < 2)); then
  echo "check_pythons: fewer than two CPython versions of 3.9-3.13 on this machine (${#found[@]});" \
    "the full run covers $(python3 --version)"
  exit 0
fi
oldest=${found[0]}
newest=${found[${#found[@]} - 1]}

# check MINOR PYTHON NUMPY_SPEC [NUMPY_1_SPEC]
check() {
  local minor=$1 python=$2 numpy_spec=$3 numpy1_spec=${4:-}
  local venv=build/venv-3.$minor log=build/venv-3.$minor.log
  echo "--- Python 3.$minor ($python)"
  [[ -x $venv/bin/python ]] || "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "${BUILD_PACKAGES[@]}" \
    "$numpy_spec" 2>&1 | grep -v '^WARNING: Location' || true
  echo "building Larix for Python 3.$minor (log: $log)"
  if ! "$venv/bin/python" -m pip install -v --no-build-isolation --disable-pip-version-check . \
    >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "check_pythons: building for Python 3.$minor failed (log: $log)" >&2
    return 1
  fi
  run_suite "$venv" "3.$minor"
  if [[ -n $numpy1_spec ]]; then
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "$numpy1_spec" 2>&1 |
      grep -v '^WARNING: Location' || true
    run_suite "$venv" "3.$minor"
  fi
}

run_suite() {
  local venv=$1 version=$2 numpy
  numpy=$("$venv/bin/python" -c 'import numpy; print(numpy.__version__)')
  echo "quick suite on Python $version, NumPy $numpy"
  "$venv/bin/python" -m pytest -q -p no:cacheprovider "${QUICK_SUITE[@]}"
}

# NumPy 1.26 runs on Python 3.9-3.12; NumPy 2.0 is the newest for 3.9.
read -r old_minor old_python <<<"$oldest"
read -r new_minor new_python <<<"$newest"
numpy1=""
((old_minor <= 12)) && numpy1="numpy==1.26.*"
check "$old_minor" "$old_python" "numpy>=2" "$numpy1"
check "$new_minor" "$new_python" "numpy>=2"
echo "check_pythons: Python 3.$old_minor and 3.$new_minor passed"
