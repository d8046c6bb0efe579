"""packaging/build-deb.sh on a stand-in bundle: the .deb's control fields, files, icons."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
BUILD_DEB = PACKAGING / "build-deb.sh"
TOOLS = ("dpkg-deb", "rsvg-convert", "desktop-file-validate", "appstreamcli")
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def require_tools() -> None:
    """Skip when the packaging tools are missing (a failure under CI=true)."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    packages = "librsvg2-bin desktop-file-utils appstream"
    reason = f"{', '.join(missing)} not installed (apt-get install {packages})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true needs them", pytrace=False)
    pytest.skip(reason)


def stand_in_bundle(folder: Path, version: str = VERSION) -> Path:
    """A folder shaped like the one-folder bundle: an executable `newsmark`, a data file."""
    folder.mkdir()
    exe = folder / "newsmark"
    exe.write_text(
        f'#!/bin/sh\n[ "$1" = --version ] && echo "newsmark {version}"\nexit 0\n',
        encoding="utf-8",
    )
    exe.chmod(0o755)
    (folder / "_internal").mkdir()
    (folder / "_internal" / "data.txt").write_text("bundled\n", encoding="utf-8")
    return folder


def build(bundle: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BUILD_DEB), str(bundle), str(out)], capture_output=True, text=True, check=False
    )


def arch() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_tools()
    tmp = tmp_path_factory.mktemp("deb")
    result = build(stand_in_bundle(tmp / "bundle"), tmp / "out")
    assert result.returncode == 0, result.stderr
    path = tmp / "out" / f"newsmark_{VERSION}_{arch()}.deb"
    assert path.is_file(), list((tmp / "out").iterdir())
    return path


@pytest.fixture(scope="module")
def unpacked(deb: Path) -> Path:
    root = deb.parent / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


def field(deb: Path, name: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True
    ).stdout.strip()


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk (read here, not by the renderer)."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", f"{path}: not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def listed_packages(name: str) -> list[str]:
    lines = (PACKAGING / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_control_names_version_arch_and_the_qt_runtime_libraries(deb: Path) -> None:
    assert field(deb, "Package") == "newsmark"
    assert field(deb, "Version") == VERSION
    assert field(deb, "Architecture") == arch()
    assert re.fullmatch(r".+ <[^@\s]+@[^@\s]+>", field(deb, "Maintainer"))
    assert field(deb, "Description").startswith("annotate entities and quotes")
    assert int(field(deb, "Installed-Size")) > 0
    depends = [d.strip().split(" ")[0] for d in field(deb, "Depends").split(",")]
    wanted = [p for p in listed_packages("apt-packages.txt") if p != "python3-venv"]
    assert [p for p in wanted if p not in depends] == []
    assert [p for p in depends if p.startswith("python")] == [], "the bundle carries Python"
    assert "libc6" in depends


def test_files_go_under_opt_and_usr_owned_by_root(deb: Path) -> None:
    listing = subprocess.run(
        ["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    entries = {line.split()[-1]: line.split()[:2] for line in listing}
    expected = {
        "./opt/newsmark/newsmark",
        "./opt/newsmark/_internal/data.txt",
        "./usr/bin/newsmark",
        "./usr/share/applications/newsmark.desktop",
        "./usr/share/metainfo/io.github.newsmark.Newsmark.metainfo.xml",
        "./usr/share/icons/hicolor/scalable/apps/newsmark.svg",
        *(f"./usr/share/icons/hicolor/{s}x{s}/apps/newsmark.png" for s in ICON_SIZES),
    }
    assert expected - entries.keys() == set()
    assert {owner for _, owner in entries.values()} == {"root/root"}
    files = [path for path, (mode, _) in entries.items() if not mode.startswith("d")]
    outside = [p for p in files if not p.startswith(("./opt/newsmark/", "./usr/"))]
    assert outside == [], "the package touches nothing but /opt/newsmark and /usr"
    assert entries["./opt/newsmark/newsmark"][0] == "-rwxr-xr-x"
    assert entries["./usr/bin/newsmark"][0] == "-rwxr-xr-x"
    writable = [p for p, (mode, _) in entries.items() if mode[5] == "w" or mode[8] == "w"]
    assert writable == [], "nothing in the package is writable by group or others"


def test_usr_bin_newsmark_runs_the_bundle(unpacked: Path) -> None:
    wrapper = (unpacked / "usr/bin/newsmark").read_text(encoding="utf-8")
    assert wrapper.startswith("#!/bin/sh\n")
    assert 'exec /opt/newsmark/newsmark "$@"' in wrapper


def test_icons_are_pngs_of_each_size_and_the_svg(unpacked: Path) -> None:
    hicolor = unpacked / "usr/share/icons/hicolor"
    sizes = {s: png_size(hicolor / f"{s}x{s}/apps/newsmark.png") for s in ICON_SIZES}
    assert sizes == {s: (s, s) for s in ICON_SIZES}
    svg = hicolor / "scalable/apps/newsmark.svg"
    assert svg.read_bytes() == (PACKAGING / "icons" / "newsmark.svg").read_bytes()


def test_desktop_entry_and_metainfo_validate(unpacked: Path) -> None:
    desktop = unpacked / "usr/share/applications/newsmark.desktop"
    result = subprocess.run(
        ["desktop-file-validate", str(desktop)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout == "", result.stdout
    entry = desktop.read_text(encoding="utf-8")
    assert "\nIcon=newsmark\n" in entry and "\nExec=newsmark " in entry
    metainfo = unpacked / "usr/share/metainfo/io.github.newsmark.Newsmark.metainfo.xml"
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(metainfo)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = metainfo.read_text(encoding="utf-8")
    assert '<launchable type="desktop-id">newsmark.desktop</launchable>' in text
    newest = re.search(r'<release version="([^"]+)"', text)
    assert newest and newest.group(1) == VERSION, "metainfo's newest release is the version"


def test_libraries_the_bundle_carries_leave_depends_but_not_their_data(tmp_path: Path) -> None:
    require_tools()
    owned = subprocess.run(
        ["dpkg", "-L", "libxkbcommon0"], capture_output=True, text=True, check=False
    )
    sonames = {Path(p).name for p in owned.stdout.split() if re.search(r"/lib[^/]*\.so\.\d+$", p)}
    if owned.returncode != 0 or not sonames:
        pytest.skip("libxkbcommon0 not installed: cannot tell which files it owns")
    bundle = stand_in_bundle(tmp_path / "bundle")
    for name in sonames:
        (bundle / "_internal" / name).write_bytes(b"")
    result = build(bundle, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    [deb] = (tmp_path / "out").glob("*.deb")
    depends = [d.strip().split(" ")[0] for d in field(deb, "Depends").split(",")]
    assert "libxkbcommon0" not in depends and "libxkbcommon-x11-0" in depends
    # The bundled libxkbcommon still reads the keymaps from /usr/share/X11/xkb.
    assert "xkb-data" in depends
    assert len(depends) == len(set(depends)), depends


@pytest.mark.parametrize("kind", ["no-executable", "other-version"])
def test_a_wrong_bundle_is_refused_in_one_line(tmp_path: Path, kind: str) -> None:
    require_tools()
    if kind == "no-executable":
        bundle = tmp_path / "bundle"
        bundle.mkdir()
        expected = "no executable 'newsmark'"
    else:
        bundle = stand_in_bundle(tmp_path / "bundle", version="9.9.9")
        expected = f"pyproject.toml says {VERSION}"
    result = build(bundle, tmp_path / "out")
    assert result.returncode != 0
    assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert list((tmp_path / "out").glob("*.deb")) == []
