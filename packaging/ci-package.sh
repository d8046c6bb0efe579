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
  NEWSMARK_HOME=$tmp/gui-home /usr/bin/newsmark </dev/null >"$tmp/gui.out" 2>"$tmp/gui.err" &
  app_pid=$!
  started=$SECONDS
  window() { xdotool search --onlyvisible --name "$1" 2>/dev/null | head -n 1 || true; }
  gui_failed() { echo "--- its stderr:" >&2; cat "$tmp/gui.err" >&2; fail "$1"; }
  # First run (an empty data dir): the "Welcome to Newsmark" dialog; Return accepts the
  # default annotator name. The main window is "<document title> — Newsmark".
  main="" welcomed=""
  while [ -z "$main" ]; do
    kill -0 "$app_pid" 2>/dev/null || gui_failed "newsmark exited before its window showed"
    [ $((SECONDS - started)) -lt 180 ] || gui_failed "no Newsmark window within 180 s"
    welcome=$(window '^Welcome to Newsmark$')
    if [ -n "$welcome" ] && [ -z "$welcomed" ]; then
      xdotool windowfocus "$welcome" key --clearmodifiers Return
      welcomed=1
    fi
    main=$(window '. — Newsmark$')
    sleep 0.5
  done
  echo "window \"$(xdotool getwindowname "$main")\" after $((SECONDS - started))s"
  xdotool windowfocus "$main" key --clearmodifiers ctrl+q
  for _ in $(seq 120); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.5; done
  status=0
  wait "$app_pid" || status=$?
  app_pid=""
  [ "$status" -eq 0 ] || gui_failed "the window exited $status after Ctrl+Q"
  [ ! -s "$tmp/gui.err" ] || gui_failed "newsmark wrote on stderr"
  echo "closed on Ctrl+Q, exit 0, nothing on stderr"
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
