#!/usr/bin/env bash
# Formats the C++ (clang-format, .clang-format) and the Python (ruff, pyproject.toml) of the repo.
#   bash scripts/format.sh           reformat in place
#   bash scripts/format.sh --check   change nothing; exit 1 if anything is not formatted
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: bash scripts/format.sh [--check]" >&2; exit 2 ;;
esac

for tool in clang-format ruff; do
  if ! command -v "$tool" >/dev/null; then
    echo "format.sh: $tool not found (apt-get install clang-format; pip install ruff)" >&2
    exit 1
  fi
done

# C++ files: tracked, plus untracked ones that .gitignore does not ignore (outside git: all).
cpp_dirs=()
for d in src python/src tests/cpp; do [[ -d $d ]] && cpp_dirs+=("$d"); done
cpp_files=()
if ((${#cpp_dirs[@]})); then
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t cpp_files < <(git ls-files --cached --others --exclude-standard -- "${cpp_dirs[@]}" \
      | grep -E '\.(cpp|hpp)$' | while read -r f; do [[ -f $f ]] && echo "$f"; done)
  else
    mapfile -t cpp_files < <(find "${cpp_dirs[@]}" -type f \( -name '*.cpp' -o -name '*.hpp' \) | sort)
  fi
fi

py_dirs=()
for d in python tests scripts benchmarks examples; do [[ -d $d ]] && py_dirs+=("$d"); done

status=0
if ((check)); then
  if ((${#cpp_files[@]})); then
    echo "clang-format --dry-run on ${#cpp_files[@]} files"
    clang-format --dry-run -Werror "${cpp_files[@]}" || status=1
  fi
  if ((${#py_dirs[@]})); then
    echo "ruff check / ruff format --check on ${py_dirs[*]}"
    ruff check "${py_dirs[@]}" || status=1
    ruff format --check "${py_dirs[@]}" || status=1
  fi
  if ((status)); then echo "format.sh: not formatted; run: bash scripts/format.sh" >&2; fi
  exit $status
fi

if ((${#cpp_files[@]})); then clang-format -i "${cpp_files[@]}"; fi
if ((${#py_dirs[@]})); then
  ruff check --fix "${py_dirs[@]}" || status=1  # what --fix cannot mend is left for a person
  ruff format "${py_dirs[@]}"
fi
exit $status
