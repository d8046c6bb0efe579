#!/usr/bin/env bash
# Checks a built or installed Newsmark (CI calls it after build.sh, or on /usr/bin/newsmark
# after the .deb is installed): the self-test (offscreen, no display), then a real start
# under Xvfb on Qt's xcb platform, waited for until the window is interactive (the list
# filled, the first document open), with a screenshot when ImageMagick's `import` exists.
# Usage: packaging/check-bundle.sh EXECUTABLE [SCREENSHOT.png]
set -euo pipefail

exe="${1:?usage: packaging/check-bundle.sh EXECUTABLE [SCREENSHOT.png]}"
shot="${2:-}"
"$exe" --version
"$exe" --self-test

tmp="$(mktemp -d)"
data="$tmp/data"
mkdir -p "$data"
# An annotator already set: no first-run name dialog to answer.
printf '[newsmark]\nannotator = check\n' > "$data/newsmark.ini"
display=":$(( 100 + $$ % 400 ))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
xvfb=$!
gui=""
cleanup() {
  [[ -n "$gui" ]] && kill "$gui" 2>/dev/null
  kill "$xvfb" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
sleep 1

start_us=${EPOCHREALTIME/./}
DISPLAY="$display" QT_QPA_PLATFORM=xcb NEWSMARK_BENCH_MARKER=1 \
  "$exe" --data-dir "$data" gui >"$tmp/gui.out" 2>"$tmp/gui.err" &
gui=$!
for _ in $(seq 1 600); do  # up to 60 s
  if grep -q NEWSMARK_INTERACTIVE "$tmp/gui.out"; then
    ready_ms=$(( (${EPOCHREALTIME/./} - start_us) / 1000 ))
    if [[ -n "$shot" ]] && command -v import >/dev/null; then
      sleep 3  # the model loads and pre-annotates the seeds after the first paint
      DISPLAY="$display" import -window root "$shot"
    fi
    echo "check-bundle.sh: window interactive under Xvfb (xcb) after ${ready_ms} ms"
    exit 0
  fi
  if ! kill -0 "$gui" 2>/dev/null; then
    echo "check-bundle.sh: the window exited before it was interactive:" >&2
    cat "$tmp/gui.err" >&2
    exit 1
  fi
  sleep 0.1
done
echo "check-bundle.sh: no interactive window after 60 s" >&2
cat "$tmp/gui.err" >&2
exit 1
