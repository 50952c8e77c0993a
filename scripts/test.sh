#!/usr/bin/env bash
# The test command of Larix (CI runs it through .ci/run):
#   bash scripts/test.sh               everything
#   bash scripts/test.sh --quick       without the sanitizer builds (ASan + UBSan, TSan)
#   bash scripts/test.sh --no-install  without installing system and Python packages
# Steps: system packages, Python packages + `pip install .`, hygiene (layers, formatting), C++ unit
# tests (ctest), the same under sanitizers, Python tests (pytest), the oldest and newest Python and
# NumPy 1.26 (scripts/check_pythons.sh), fuzzing (atheris, bounded), a sample of planted kernel bugs
# (scripts/mutate.py). Each step is announced and timed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

quick=0
install=1
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --no-install) install=0 ;;
    -h | --help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "test.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

PYTHON=$(python3 -c 'import sys; print(sys.executable)')
JOBS=2
APT_PACKAGES=(doctest-dev clang-format chromium)  # chromium: the viewer's browser test
PIP_PACKAGES=(scikit-build-core nanobind tbb-devel==2023.2.0 scipy-openblas32 numpy pytest hypothesis
  threadpoolctl scikit-learn matplotlib playwright nbclient nbformat ipykernel atheris numba
  ruff==0.17.6 mpi4py mpich)  # ruff pinned: a new one may format differently; mpich: larix[mpi]

# --- step bookkeeping: announce, time, and name the step that failed ------------------------------
current_step=""
step_start=0
timings=()
begin() {
  current_step=$1
  step_start=$SECONDS
  echo
  echo "==> $1"
}
end() {
  local took=$((SECONDS - step_start))
  echo "==> $current_step: done in ${took}s"
  timings+=("$(printf '%5ss  %s' "$took" "$current_step")")
  current_step=""
}
on_exit() {
  local rc=$?
  if ((${#timings[@]})); then
    echo
    echo "==> time per step"
    printf '%s\n' "${timings[@]}"
  fi
  if [[ -n $current_step ]]; then
    echo
    echo "==> FAILED: step '$current_step' (exit code $rc, after $((SECONDS - step_start))s)" >&2
  fi
}
trap on_exit EXIT

# --- (a) system packages ----------------------------------------------------------------------------
missing_apt_packages() {
  local p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

if ((install)); then
  begin "system packages (${APT_PACKAGES[*]})"
  mapfile -t missing < <(missing_apt_packages)
  if ((${#missing[@]} == 0)); then
    echo "already installed"
  elif [[ $(id -u) == 0 ]]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  else
    echo "missing Debian packages: ${missing[*]}" >&2
    echo "install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  end

  # --- (b) Python packages and the project itself -------------------------------------------------
  begin "Python packages and pip install ."
  "$PYTHON" -m pip install -q "${PIP_PACKAGES[@]}"
  mkdir -p build
  # The CMake output goes to a log (shown if the build fails); the build tree stays in build/.
  # The build dependencies were installed just above: without build isolation their paths stay
  # the same, so the CMake tree in build/ is reused by the next run (an incremental build).
  # The C++ unit tests are built in the same CMake tree as the wheel (one build instead of two).
  if ! "$PYTHON" -m pip install -v --no-build-isolation -C cmake.define.LARIX_BUILD_TESTS=ON . \
    >build/pip-install.log 2>&1; then
    tail -n 150 build/pip-install.log
    echo "pip install . failed; full log: build/pip-install.log" >&2
    exit 1
  fi
  grep -E '^Successfully installed' build/pip-install.log || true
  end
fi

# --- (c) hygiene -------------------------------------------------------------------------------------
begin "layers (scripts/check_layers.py)"
"$PYTHON" scripts/check_layers.py
end

begin "formatting (scripts/format.sh --check)"
bash scripts/format.sh --check
end

# --- (d), (e) C++ unit tests -------------------------------------------------------------------------
cpp_tests() {  # build dir, target to build, then extra CMake arguments
  local dir=$1 target=$2
  shift 2
  cmake -S . -B "$dir" -G Ninja -DLARIX_BUILD_TESTS=ON -DLARIX_BUILD_PYTHON=OFF \
    -DPython_EXECUTABLE="$PYTHON" "$@" >"$dir.configure.log" 2>&1 || {
    cat "$dir.configure.log"
    return 1
  }
  cmake --build "$dir" --target "$target" -- -j"$JOBS"
  ctest --test-dir "$dir" --output-on-failure
}

mkdir -p build
# The wheel's CMake tree (pyproject.toml: build/{wheel_tag}) holds the Release test binary.
wheel_tree=build/$("$PYTHON" -c 'import sysconfig, sys
tag = sysconfig.get_platform().replace("-", "_").replace(".", "_")
print(f"cp{sys.version_info[0]}{sys.version_info[1]}-cp{sys.version_info[0]}{sys.version_info[1]}-{tag}")')
if ((install)) && [[ -f $wheel_tree/CTestTestfile.cmake ]]; then
  begin "C++ unit tests ($wheel_tree, Release, built by pip install)"
  ctest --test-dir "$wheel_tree" --output-on-failure
else
  begin "C++ unit tests (build/cpp-tests, Release)"
  cpp_tests build/cpp-tests all -DCMAKE_BUILD_TYPE=Release
fi
end

if ((quick == 0)); then
  begin "C++ unit tests under ASan + UBSan (build/cpp-asan, -O1)"
  # LeakSanitizer is on and needs no suppressions: oneTBB's worker threads report no leaks.
  # allocator_may_return_null: the tests ask for arrays too big for memory (a MemoryError, not an
  # abort of the sanitizer's allocator).
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    cpp_tests build/cpp-asan larix_cpp_tests -DLARIX_SANITIZE=ON -DCMAKE_BUILD_TYPE=None \
    "-DCMAKE_CXX_FLAGS=-O1 -g1"  # -O1: the sanitizer build is the longest step of CI
  end

  begin "C++ unit tests under ThreadSanitizer (build/cpp-tsan, -O1, 4 threads)"
  # The layers of the scheduler and the runtime, and the array layer's per-thread counters.
  # oneTBB is prebuilt and not instrumented: Larix's hand-offs through it are annotated
  # (src/larix/support/tsan.hpp) and its internals suppressed (tests/cpp/tsan.supp); the kernels'
  # layer is left out, its chunks going through oneTBB's parallel_sort/parallel_invoke, whose
  # internal hand-offs TSan cannot see.
  cmake -S . -B build/cpp-tsan -G Ninja -DLARIX_BUILD_TESTS=ON -DLARIX_BUILD_PYTHON=OFF \
    -DPython_EXECUTABLE="$PYTHON" -DLARIX_TSAN=ON -DCMAKE_BUILD_TYPE=None \
    "-DCMAKE_CXX_FLAGS=-O1 -g1" >build/cpp-tsan.configure.log 2>&1 || {
    cat build/cpp-tsan.configure.log
    exit 1
  }
  cmake --build build/cpp-tsan --target larix_cpp_tests -- -j"$JOBS"
  for layer in array runtime primitives compiler api physl; do
    LARIX_TEST_THREADS=4 \
      TSAN_OPTIONS="halt_on_error=1:allocator_may_return_null=1:suppressions=$PWD/tests/cpp/tsan.supp" \
      build/cpp-tsan/tests/cpp/larix_cpp_tests --source-file="*/tests/cpp/$layer/*"
  done
  end
fi

# --- (f) Python tests --------------------------------------------------------------------------------
begin "Python tests (pytest)"
rc=0
"$PYTHON" -m pytest -q || rc=$?
if ((rc == 5)); then
  echo "pytest collected no tests" >&2
  exit 1
fi
((rc == 0)) || exit "$rc"
end

# --- (f1) the supported range -----------------------------------------------------------------------
# Built and a quick suite run on the oldest and newest CPython 3.9-3.13 on the machine, the oldest
# also on NumPy 1.26 (each in a venv under build/; needs pip, as the install step).
if ((install)); then
  begin "oldest and newest Python, NumPy 1.26 (scripts/check_pythons.sh)"
  bash scripts/check_pythons.sh
  end
fi

# --- (f2) fuzzing -------------------------------------------------------------------------------------
# Each atheris target of tests/fuzz/fuzz_physl.py for a bounded time (LARIX_FUZZ_SECONDS, 60 s):
# the parser and compiler on arbitrary text (seeded with tests/physl), generated programs run
# optimised, unoptimised and on the reference executor (a disagreement or a non-Larix error fails),
# and generated Python functions run by Python and as kernels (a different answer fails).
begin "fuzzing (atheris, ${LARIX_FUZZ_SECONDS:-60} s per target)"
fuzz_dir=$(mktemp -d)
mkdir -p "$fuzz_dir/seeds"
cp tests/physl/*.physl "$fuzz_dir/seeds/"
for target in compile eval kernel; do
  mkdir -p "$fuzz_dir/$target"
  (cd "$fuzz_dir" && "$PYTHON" "$OLDPWD/tests/fuzz/fuzz_physl.py" "$target" \
    -max_total_time="${LARIX_FUZZ_SECONDS:-60}" -rss_limit_mb=4096 -print_final_stats=1 \
    "$fuzz_dir/$target" $([[ $target == compile ]] && echo "$fuzz_dir/seeds"))
done
rm -rf "$fuzz_dir"
end

# --- (g) mutation sample -----------------------------------------------------------------------------
# Two kernel/runtime mutations (picked by the commit) from those whose catch docs/testing.md records,
# each planted, rebuilt in the wheel's tree and run against its Python tests (each test run at most
# 10 minutes; the C++ suite's catches are measured by the full run). A mutation joins MEASURED once
# the full run has shown the Python suite catches it.
MEASURED=(mod-divisor-sign mod-minus-one floordiv-sign float-divmod-sign float-mod-zero-sign
  int-power-bit less-equal maximum-nan abs-minus-one scalar-run-last strided-operand-stride
  extreme-last-lane argmax-block-tie var-ddof-sign pairwise-tail pairwise-split parallel-sum-half
  accumulate-first collapse-axes slice-start-clamp slice-negative-clamp slice-length-neg
  slice-length-pos nan-last-order searchsorted-side quantile-upper truthy-float truthy-array
  call-depth scalar-call-depth block-last-value strong-promotion strong-box-on-exit strong-box-outer
  strong-element-stride scalar-view-stride vector-element-stride store-alone counted-loop-skips)
if ((install)) && [[ -f $wheel_tree/build.ninja ]]; then
  begin "mutation sample (scripts/mutate.py --sample 2 --no-cpp)"
  "$PYTHON" scripts/mutate.py --only "${MEASURED[@]}" --sample 2 --no-baseline --no-cpp \
    --timeout 600
  end
fi

echo
echo "==> all steps passed"
