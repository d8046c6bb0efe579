#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages in apt-packages.txt (what a desktop needs to run
# Newsmark); with --test, also apt-packages-test.txt (Xvfb and the tools the tests use).
# Uses sudo unless run as root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lists=("$here/apt-packages.txt")
for arg in "$@"; do
  case "$arg" in
    --test) lists+=("$here/apt-packages-test.txt") ;;
    *) echo "usage: $0 [--test]" >&2; exit 2 ;;
  esac
done
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2046 # one package per word is what apt-get wants
$sudo apt-get install -y -qq --no-install-recommends $(cat "${lists[@]}" | grep -v '^#') >/dev/null
