#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages in apt-packages.txt: Qt's X11 (xcb) libraries that a
# real window needs, plus Xvfb for the end-to-end test. Uses sudo unless run as root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2046 # one package per word is what apt-get wants
$sudo apt-get install -y -qq --no-install-recommends $(grep -v '^#' "$here/apt-packages.txt") >/dev/null
