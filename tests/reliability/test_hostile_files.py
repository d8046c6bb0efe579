"""Hostile files: YAML bombs, FIFOs, device links, links out of the imported tree, and
file names that would drive a terminal. Each is refused in one line; nothing hangs."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLE = "Olena Petrenko arrived in Kyiv on Monday, officials said.\n"

BILLION_LAUGHS = """---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---
Body text of the article.
"""


def newsmark(data: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsmark", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=timeout,  # a hang is a failure, not a stuck CI run
    )


def documents(data: Path) -> int:
    db = data / "newsmark.sqlite3"
    if not db.exists():
        return 0
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM documents").fetchone()[0])
    finally:
        con.close()


@pytest.mark.parametrize(
    ("front", "why"),
    [
        (BILLION_LAUGHS, "aliases"),
        ("---\na: &a [*a]\n---\nBody.\n", "aliases"),
        ("---\n" + "a:\n" * 1 + "  " * 0 + "[" * 5000 + "]" * 5000 + "\n---\nBody.\n", "deep"),
    ],
)
def test_hostile_yaml_front_matter_is_refused_in_one_line(
    tmp_path: Path, front: str, why: str
) -> None:
    page = tmp_path / "bomb.md"
    page.write_text(front, encoding="utf-8")
    done = newsmark(tmp_path / "data", "import", str(page), timeout=60)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "front matter" in line and str(page) in line
    assert documents(tmp_path / "data") == 0


def test_a_fifo_in_a_folder_is_skipped_not_waited_for(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(folder / "x.txt")
    done = newsmark(tmp_path / "data", "import", str(folder), timeout=60)
    assert done.returncode == 2, done.stderr
    assert "x.txt: not a regular file (a FIFO); skipped" in done.stderr
    assert documents(tmp_path / "data") == 1


def test_a_link_to_a_device_is_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "zero.txt").symlink_to("/dev/zero")
    done = newsmark(tmp_path / "data", "import", str(folder / "zero.txt"), timeout=60)
    assert done.returncode == 2
    assert "not a regular file (a character device); skipped" in done.stderr
    assert "Traceback" not in done.stderr


def test_links_leaving_the_imported_folder_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "private"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text("root:x:0:0:SECRET-CONTENT:/root:/bin/bash\n", encoding="utf-8")
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "passwd.txt").symlink_to(secret)
    (folder / "sub" / "inside.txt").symlink_to(folder / "good.txt")  # stays inside: fine
    done = newsmark(tmp_path / "data", "import", str(folder), timeout=60)
    assert "passwd.txt: a link to a file outside" in done.stderr
    assert "SECRET-CONTENT" not in done.stderr + done.stdout
    assert done.returncode == 2
    assert documents(tmp_path / "data") == 1  # good.txt (and its in-tree link: same text)


def test_file_names_with_control_characters_are_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    nasty = folder / "clear\x1b[2Jscreen\nnext.txt"
    nasty.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    done = newsmark(tmp_path / "data", "import", str(folder), timeout=60)
    assert done.returncode == 2
    assert "\x1b" not in done.stderr
    assert "clear\\x1b[2Jscreen\\nnext.txt" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
