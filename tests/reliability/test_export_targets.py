"""Exports never destroy what is not theirs: the database, other SQLite files, folders
Newsmark did not write, links; they leave no parts behind and respect the umask."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLE = '"We will talk," Olena Petrenko told reporters in Kyiv on Monday.\n'


def newsmark(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsmark", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def digest(path: Path) -> str:
    if path.is_dir():
        return ",".join(f"{p.name}:{digest(p)}" for p in sorted(path.iterdir()))
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    data = tmp_path / "data"
    assert newsmark(data, "import", str(article)).returncode == 0
    return data


def refused(data: Path, *args: str) -> str:
    done = newsmark(data, "export", "--status", "any", "--force", *args)
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr
    return done.stderr


def test_the_database_and_its_files_are_never_export_targets(data: Path) -> None:
    db = data / "newsmark.sqlite3"
    before = digest(db)
    for target in (db, data / "newsmark.sqlite3-wal", data / "export.jsonl"):
        assert "inside Newsmark's data directory" in refused(data, "-o", str(target))
    assert digest(db) == before
    # Nothing new in the data dir but SQLite's own -wal/-shm of a reader.
    assert {p.name for p in data.iterdir()} <= {
        "newsmark.sqlite3", "newsmark.sqlite3-wal", "newsmark.sqlite3-shm",
        "newsmark.sqlite3.lock", "backups", "newsmark.ini",
    }  # fmt: skip


def test_an_existing_sqlite_database_is_never_replaced(data: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite3"
    assert newsmark(data, "db", "backup", str(copy)).returncode == 0
    before = digest(copy)
    assert "is a SQLite database" in refused(data, "-o", str(copy))
    assert digest(copy) == before


@pytest.mark.parametrize("fmt", [("--format", "brat"), ("--format", "spacy", "--split", "0.5")])
def test_force_replaces_only_folders_newsmark_wrote(
    data: Path, tmp_path: Path, fmt: tuple[str, ...]
) -> None:
    mine = tmp_path / "thesis"
    mine.mkdir()
    (mine / "chapter1.tex").write_text("years of work", encoding="utf-8")
    before = digest(mine)
    assert "did not write" in refused(data, "-o", str(mine), *fmt)
    assert digest(mine) == before
    # An earlier export of Newsmark's is replaced.
    out = tmp_path / "out"
    assert newsmark(data, "export", "--status", "any", "-o", str(out), *fmt).returncode == 0
    again = newsmark(data, "export", "--status", "any", "--force", "-o", str(out), *fmt)
    assert again.returncode == 0, again.stderr


def test_links_are_never_followed_or_replaced(data: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.jsonl"
    target.write_text("keep me\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    assert "symbolic link" in refused(data, "-o", str(link))
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "keep me\n"


def test_exports_get_the_permissions_the_umask_gives(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    done = subprocess.run(
        [sys.executable, "-c", "import os, sys; os.umask(0o027); from newsmark.cli import main;"
         f" sys.exit(main(['--data-dir', {str(data)!r}, 'export', '--status', 'any', '-o',"
         f" {str(out)!r}]))"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert out.stat().st_mode & 0o777 == 0o640


def test_parts_of_killed_exports_are_cleaned_at_the_next_one(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    dead = 2**22 + 12345  # above Linux's default pid_max: no such process
    stale = tmp_path / f".out.jsonl.{dead}.k2j4.part"
    stale.write_bytes(b"x" * 1000)
    running = tmp_path / f".out.jsonl.{os.getpid()}.a1b2.part"  # an export still running
    running.write_bytes(b"y")
    old_brat = tmp_path / ".brat.old"
    old_brat.mkdir()
    (old_brat / "x.ann").write_text("", encoding="utf-8")
    assert newsmark(data, "export", "--status", "any", "-o", str(out)).returncode == 0
    assert not stale.exists() and running.exists()
    done = newsmark(
        data, "export", "--status", "any", "--format", "brat", "-o", str(tmp_path / "brat")
    )
    assert done.returncode == 0, done.stderr
    assert not old_brat.exists()
