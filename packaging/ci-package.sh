#!/usr/bin/env bash
# The .deb end to end, as root (CI): build it from BUNDLE_DIR, install it with apt, run
# `/usr/bin/newsmark --self-test`, start the window if $DISPLAY is set (an Xvfb display),
# remove it with apt, and check /opt/newsmark is gone while the user's data dir (the
# platform data dir under $HOME) is untouched. Usage: ci-package.sh BUNDLE_DIR [OUT_DIR].
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then echo "usage: $0 BUNDLE_DIR [OUT_DIR]" >&2; exit 2; fi
[ "$(id -u)" -eq 0 ] || { echo "ci-package.sh: installs with apt: run it as root" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
app_pid=""
cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then kill "$app_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "ci-package.sh: FAIL: $*" >&2; exit 1; }
out=${2:-$tmp/out}
export DEBIAN_FRONTEND=noninteractive

echo "== build the .deb"
"$here/build-deb.sh" "$1" "$out"
debs=("$out"/newsmark_*_"$(dpkg --print-architecture)".deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one newsmark_*.deb in $out, found: ${debs[*]}"
deb=${debs[0]}

# The user's data dir, with a file of our own in it; its checksums are compared after the
# package is removed. An existing database there is only read, never changed.
data=${XDG_DATA_HOME:-$HOME/.local/share}/newsmark
mkdir -p "$data"
marker=$data/ci-package-marker.txt
echo "written by packaging/ci-package.sh at $(date -u +%FT%TZ)" >"$marker"
sums() { (cd "$data" && find . -type f -print0 | sort -z | xargs -0r sha256sum); }

echo "== apt-get install ${deb##*/}"
apt-get install -y -qq --reinstall "$deb" >"$tmp/install.log" 2>&1 \
  || { cat "$tmp/install.log" >&2; fail "apt-get install"; }
[ -x /opt/newsmark/newsmark ] || fail "/opt/newsmark/newsmark missing after install"
[ "$(dpkg-query -W -f='${Status}' newsmark)" = "install ok installed" ] || fail "dpkg does not list newsmark as installed"

echo "== /usr/bin/newsmark --self-test"
started=$SECONDS
/usr/bin/newsmark --self-test || fail "/usr/bin/newsmark --self-test exited $?"
echo "self-test took $((SECONDS - started))s"

if [ -n "${DISPLAY:-}" ]; then
  # The window, from the installed wrapper, in a data dir of its own (so the real one
  # stays as it was); closed with Ctrl+Q, it must exit 0.
  echo "== /usr/bin/newsmark on display $DISPLAY"
  command -v xdotool >/dev/null || fail "xdotool is needed for the window check (packaging/apt-packages-test.txt)"
  NEWSMARK_HOME=$tmp/gui-home /usr/bin/newsmark >"$tmp/gui.out" 2>"$tmp/gui.err" &
  app_pid=$!
  started=$SECONDS
  window=""
  while [ $((SECONDS - started)) -lt 120 ] && kill -0 "$app_pid" 2>/dev/null; do
    window=$(xdotool search --onlyvisible --pid "$app_pid" --name Newsmark 2>/dev/null | head -1 || true)
    [ -n "$window" ] && break
    sleep 1
  done
  [ -n "$window" ] || { cat "$tmp/gui.err" >&2; fail "no Newsmark window within $((SECONDS - started))s"; }
  echo "window shown after $((SECONDS - started))s"
  xdotool windowactivate --sync "$window" key --clearmodifiers ctrl+q 2>/dev/null \
    || xdotool key --window "$window" ctrl+q
  status=0
  for _ in $(seq 30); do kill -0 "$app_pid" 2>/dev/null || break; sleep 1; done
  wait "$app_pid" || status=$?
  app_pid=""
  [ "$status" -eq 0 ] || { cat "$tmp/gui.err" >&2; fail "the window exited $status after Ctrl+Q"; }
else
  echo "== no DISPLAY: window start skipped"
fi

before=$(sums)
echo "== apt-get remove newsmark"
apt-get remove -y -qq newsmark >"$tmp/remove.log" 2>&1 || { cat "$tmp/remove.log" >&2; fail "apt-get remove"; }
[ ! -e /opt/newsmark ] || fail "/opt/newsmark still there after apt-get remove: $(find /opt/newsmark | head -5)"
[ ! -e /usr/bin/newsmark ] || fail "/usr/bin/newsmark still there after apt-get remove"
[ -f "$marker" ] || fail "$marker is gone after apt-get remove"
[ "$(sums)" = "$before" ] || fail "$data changed during apt-get remove"
rm -f "$marker"
rmdir "$data" 2>/dev/null || true # only if the test made it
echo "ci-package.sh: OK: ${deb##*/} ($(du -h "$deb" | cut -f1)) installs, self-tests, removes; $data untouched"
