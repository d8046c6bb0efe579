#!/usr/bin/env bash
# Builds the one-folder Newsmark bundle with PyInstaller from a clean venv.
# Usage: packaging/build.sh [BUILD_DIR]   (default /tmp/newsmark-build)
# Result: BUILD_DIR/dist/newsmark/newsmark. Prints the bundle size before and after trimming.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
build="${1:-/tmp/newsmark-build}"
python="${PYTHON:-python3.11}"
command -v "$python" >/dev/null || python=python3

mkdir -p "$build"
build="$(cd "$build" && pwd)"
start=$(date +%s)

# A clean venv each time: the bundle holds exactly what `pip install .` brings.
rm -rf "$build/venv"
"$python" -m venv "$build/venv"
venv_py="$build/venv/bin/python"
"$venv_py" -m pip install --quiet --upgrade pip
"$venv_py" -m pip install --quiet "$repo" "pyinstaller>=6.10"
echo "build.sh: venv ready in $(( $(date +%s) - start )) s"

# Untrimmed size first (NEWSMARK_NO_TRIM=1), for the record, then the real build.
cd "$build"
if [[ "${NEWSMARK_MEASURE_UNTRIMMED:-1}" == 1 ]]; then
  NEWSMARK_NO_TRIM=1 "$venv_py" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$build/dist-untrimmed" --workpath "$build/work-untrimmed" \
    "$here/newsmark.spec"
  echo "build.sh: size before trimming: $(du -sh "$build/dist-untrimmed/newsmark" | cut -f1)"
  rm -rf "$build/dist-untrimmed" "$build/work-untrimmed"
fi
# Built beside dist/ and swapped in at the end: a packaging step reading dist/newsmark
# never sees half a bundle.
rm -rf "$build/dist.new"
"$venv_py" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$build/dist.new" --workpath "$build/work" "$here/newsmark.spec"
echo "build.sh: size after trimming: $(du -sh "$build/dist.new/newsmark" | cut -f1)"
# The bundle checks itself before it replaces the previous one (no display needed).
"$build/dist.new/newsmark/newsmark" --self-test
mkdir -p "$build/dist"
rm -rf "$build/dist/newsmark.old"
if [[ -e "$build/dist/newsmark" ]]; then mv "$build/dist/newsmark" "$build/dist/newsmark.old"; fi
mv "$build/dist.new/newsmark" "$build/dist/newsmark"
rm -rf "$build/dist/newsmark.old" "$build/dist.new"
echo "build.sh: built $build/dist/newsmark/newsmark in $(( $(date +%s) - start )) s"
