#!/usr/bin/env bash
# Builds newsmark_<version>_<arch>.deb from a one-folder bundle: the bundle under
# /opt/newsmark, a /usr/bin/newsmark wrapper, the desktop entry, hicolor icons rendered
# from packaging/icons/newsmark.svg, the AppStream metainfo (both validated here), and a
# DEBIAN/control whose Depends are the system libraries Qt's xcb platform needs.
# Usage: build-deb.sh BUNDLE_DIR OUT_DIR. Needs dpkg-deb, rsvg-convert (librsvg2-bin),
# desktop-file-validate (desktop-file-utils) and appstreamcli (appstream). Not root.
# NEWSMARK_DEB_COMPRESSION: dpkg-deb's -Z (xz unless set; gzip is quicker to build).
set -euo pipefail
if [ $# -ne 2 ]; then echo "usage: $0 BUNDLE_DIR OUT_DIR" >&2; exit 2; fi
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
die() { echo "build-deb.sh: $*" >&2; exit 1; }
[ -x "$1/newsmark" ] || die "$1: no executable 'newsmark' in it (not a one-folder bundle)"
bundle=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
for tool in dpkg-deb rsvg-convert desktop-file-validate appstreamcli; do
  command -v "$tool" >/dev/null || die "$tool not found (apt-get install librsvg2-bin desktop-file-utils appstream)"
done

version=$(sed -n '/^\[project\]/,/^\[/ s/^version = "\(.*\)"$/\1/p' "$repo/pyproject.toml")
[ -n "$version" ] || die "pyproject.toml: no [project] version"
arch=$(dpkg --print-architecture)
# The bundle must be the project's version: a stale bundle would ship under a wrong name.
bundle_version=$("$bundle/newsmark" --version 2>&1) || die "$bundle/newsmark --version failed: $bundle_version"
case "$bundle_version" in
  *"$version"*) ;;
  *) die "$bundle/newsmark --version says '$bundle_version', pyproject.toml says $version" ;;
esac

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/root
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/metainfo" "$root/usr/share/icons/hicolor/scalable/apps" \
  "$root/usr/share/doc/newsmark"

# The bundle, readable by all and writable by nobody but root (it never writes there).
cp -a "$bundle" "$root/opt/newsmark"
chmod -R u+rwX,go+rX,go-w "$root/opt/newsmark"

# A wrapper rather than a symlink: the bundle's bootloader then always sees its real path,
# whatever it does with argv[0].
printf '#!/bin/sh\nexec /opt/newsmark/newsmark "$@"\n' >"$root/usr/bin/newsmark"
chmod 755 "$root/usr/bin/newsmark"

install -m 644 "$here/newsmark.desktop" "$root/usr/share/applications/newsmark.desktop"
desktop-file-validate "$root/usr/share/applications/newsmark.desktop"
install -m 644 "$here/io.github.newsmark.Newsmark.metainfo.xml" "$root/usr/share/metainfo/"
appstreamcli validate --no-net --pedantic --explain \
  "$root/usr/share/metainfo/io.github.newsmark.Newsmark.metainfo.xml" >"$stage/appstream.log" 2>&1 \
  || { cat "$stage/appstream.log" >&2; die "appstreamcli validate failed"; }

install -m 644 "$here/icons/newsmark.svg" "$root/usr/share/icons/hicolor/scalable/apps/newsmark.svg"
for size in 16 22 24 32 48 64 128 256 512; do
  dir=$root/usr/share/icons/hicolor/${size}x${size}/apps
  mkdir -p "$dir"
  rsvg-convert --width "$size" --height "$size" "$here/icons/newsmark.svg" -o "$dir/newsmark.png"
  chmod 644 "$dir/newsmark.png"
done

cat >"$root/usr/share/doc/newsmark/copyright" <<'EOF'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: newsmark
Comment: /opt/newsmark is a PyInstaller bundle: it carries Python, Qt (PySide6, LGPL-3),
 spaCy and its English model (MIT), each with its own licence files inside.

Files: *
Copyright: Newsmark developers
License: MIT
EOF
chmod 644 "$root/usr/share/doc/newsmark/copyright"

# Depends: packaging/apt-packages.txt (what a desktop needs to run Newsmark from source)
# minus python3-venv (the bundle carries Python) and minus the library packages whose
# shared objects all ship inside the bundle (but with those packages' own dependencies
# that hold no shared object: data and configuration); plus the C/C++ runtime, libc6 at least the
# build machine's glibc (the bundle's binaries were linked against it).
depends=()
while read -r pkg; do
  [ "$pkg" = python3-venv ] && continue
  if [[ $pkg == lib* ]] && dpkg-query -W "$pkg" >/dev/null 2>&1; then
    sonames=$(dpkg -L "$pkg" | grep -E '/lib[^/]*\.so\.[0-9]+$' | xargs -rn1 basename | sort -u)
    carried=yes
    for so in $sonames; do
      [ -n "$(find "$bundle" -name "$so" -print -quit)" ] || { carried=no; break; }
    done
    if [ -n "$sonames" ] && [ "$carried" = yes ]; then
      # The bundled copy still reads the system's data and configuration (xkb-data's
      # keymaps, fontconfig-config's fonts.conf): those dependencies stay.
      data_deps=()
      for dep in $(apt-cache depends --important "$pkg" 2>/dev/null | awk '/Depends:/ && $2 !~ /^</ {print $2}'); do
        files=$(dpkg -L "$dep" 2>/dev/null || true) # not piped into grep -q: pipefail
        grep -qE '\.so(\.[0-9]+)*$' <<<"$files" || data_deps+=("$dep")
      done
      echo "build-deb.sh: $pkg left out of Depends: the bundle carries $(echo $sonames)${data_deps[*]:+; its data: ${data_deps[*]}}"
      for dep in "${data_deps[@]}"; do
        [[ " ${depends[*]} " == *" $dep "* ]] || depends+=("$dep")
      done
      continue
    fi
  fi
  depends+=("$pkg")
done < <(grep -v '^#' "$here/apt-packages.txt" | grep -v '^[[:space:]]*$')
glibc=$(ldd --version | sed -n '1s/.* \([0-9][0-9]*\.[0-9][0-9]*\)$/\1/p')
depends=("libc6 (>= $glibc)" libstdc++6 libgcc-s1 "${depends[@]}")
depends_line=$(printf '%s, ' "${depends[@]}")
depends_line=${depends_line%, }

# Every system library the Qt platform plugin and the Qt libraries load must come from a
# package Depends pulls in (directly or through its own dependencies).
qxcb=$(find "$bundle" -path '*/platforms/libqxcb.so' -print -quit)
if [ -n "$qxcb" ]; then
  libdirs=$(find "$bundle" -name '*.so*' -type f -printf '%h\n' | sort -u | paste -sd:)
  mapfile -t elves < <(find "$bundle" \( -path '*/platforms/libqxcb.so' -o -name 'libQt6*.so*' \) -type f)
  missing=$(LD_LIBRARY_PATH=$libdirs ldd "${elves[@]}" 2>/dev/null | awk '/not found/ {print $1}' | sort -u)
  [ -z "$missing" ] || die "the bundle's Qt libraries need libraries this machine lacks: $missing"
  system_libs=$(LD_LIBRARY_PATH=$libdirs ldd "${elves[@]}" 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | grep -v "^$bundle/" | sort -u)
  closure=$(apt-cache depends --recurse --important --no-pre-depends \
    "${depends[@]%% *}" 2>/dev/null | grep -v '^ ' | sort -u)
  uncovered=()
  for lib in $system_libs; do
    pkg=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null \
      || dpkg -S "/usr$lib" 2>/dev/null || true)
    pkg=${pkg%%:*}
    if [ -z "$pkg" ]; then uncovered+=("$lib (no package owns it)"); continue; fi
    grep -qx "$pkg" <<<"$closure" || uncovered+=("$lib ($pkg)")
  done
  [ ${#uncovered[@]} -eq 0 ] || die "Depends does not pull in: ${uncovered[*]}"
  echo "build-deb.sh: $(wc -w <<<"$system_libs") system libraries the Qt libraries load, all from Depends"
else
  echo "build-deb.sh: no Qt xcb plugin in the bundle (a stand-in?): library check skipped"
fi

installed_size=$(du -sk --apparent-size --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<EOF
Package: newsmark
Version: $version
Architecture: $arch
Maintainer: Newsmark developers <newsmark@users.noreply.github.com>
Installed-Size: $installed_size
Depends: $depends_line
Section: text
Priority: optional
Homepage: https://github.com/newsmark/newsmark
Description: annotate entities and quotes in news articles
 Newsmark is a native desktop annotation tool for news articles. spaCy
 pre-annotates named entities and quotes with their speakers and cues;
 annotators correct them with the keyboard and mouse, every edit is saved as
 it is made, and the gold data is exported as JSONL for spaCy and Prodigy.
 .
 This package carries its own Python, Qt and spaCy under /opt/newsmark; the
 user's data lives in ~/.local/share/newsmark and is never touched by the
 package.
EOF

deb=$out/newsmark_${version}_${arch}.deb
# xz (dpkg's default) for the download; NEWSMARK_DEB_COMPRESSION=gzip builds faster (CI).
nice -n 10 dpkg-deb --build --root-owner-group -Z"${NEWSMARK_DEB_COMPRESSION:-xz}" "$root" "$deb" >/dev/null
echo "$deb ($(du -h "$deb" | cut -f1), installed $((installed_size / 1024)) MiB)"
