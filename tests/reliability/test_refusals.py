"""Refusals unit tests cannot stage: a really full disk, a read-only mount, an edit past a limit.

Corrupt files and newer schemas through the CLI are in tests/unit/cli/test_cli_bad_input.py;
a file size limit during a bulk import in tests/unit/storage/test_db.py.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from newsmark.cli import main
from newsmark.domain.document import DocumentInput
from newsmark.services.workspace import open_workspace
from newsmark.storage import Database, Repository

ARTICLE = 'Olena Petrenko met Jonas Weber in Kyiv. "Talks go on," she said.\n'


def content_digest(db_path: Path) -> str:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    finally:
        con.close()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def newsmark(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsmark", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


@contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A real small file system (root only; skipped where mounting is not allowed)."""
    where.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path, leave: int = 0) -> Path:
    """Fill the file system with one file, then free `leave` bytes of it; the file."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass  # full
    if leave:
        os.truncate(filler, filler.stat().st_size - leave)
    return filler


def test_disk_full_during_import_is_refused_and_nothing_is_half_written(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", "2m") as disk:
        data = disk / "data"
        small = tmp_path / "small.txt"
        small.write_text(ARTICLE, encoding="utf-8")
        assert newsmark(data, "import", str(small)).returncode == 0
        db_path = data / "newsmark.sqlite3"
        before = content_digest(db_path)
        # Leave a few kilobytes free, then import an article far larger than that.
        filler = fill(disk, leave=16384)
        big = tmp_path / "big.txt"
        big.write_text(ARTICLE * 4000, encoding="utf-8")
        done = newsmark(data, "import", str(big))
        assert done.returncode == 1, done.stderr
        assert "could not write to the disk" in done.stderr and "not saved" in done.stderr
        assert "Traceback" not in done.stderr
        assert content_digest(db_path) == before
        # Space again: the same import now goes through, and the file is sound.
        filler.unlink()
        assert newsmark(data, "import", str(big)).returncode == 0
        assert newsmark(data, "db", "check").stdout.strip() == "integrity: ok"


def test_read_only_file_system(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "8m") as disk:
        data = disk / "data"
        article = tmp_path / "a.txt"
        article.write_text(ARTICLE, encoding="utf-8")
        assert newsmark(data, "import", str(article)).returncode == 0
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        db_path = data / "newsmark.sqlite3"
        before = file_hash(db_path)
        other = tmp_path / "b.txt"
        other.write_text("Kenji Sato arrived in Osaka.", encoding="utf-8")
        for argv in (("import", str(other)), ("preannotate", "--all"), ("db", "upgrade")):
            done = newsmark(data, *argv)
            assert done.returncode == 1, (argv, done.stderr)
            assert "not writable" in done.stderr or "read-only" in done.stderr, done.stderr
            assert "Traceback" not in done.stderr
        # Reading still works: stats and the check open the file immutable.
        assert newsmark(data, "stats").returncode == 0
        assert newsmark(data, "db", "check").stdout.strip() == "integrity: ok"
        # The window opens it read-only and says why (instead of failing on the lock file).
        ws = open_workspace(data, take_lock=True)
        try:
            assert ws.readonly and ws.readonly_reason and "not writable" in ws.readonly_reason
        finally:
            ws.close()
        assert file_hash(db_path) == before


FULL_DURING_EDIT = textwrap.dedent(
    """
    import resource, sys
    from pathlib import Path
    from newsmark.domain.errors import StorageError
    from newsmark.domain.spans import Span
    from newsmark.storage import Database, Repository

    repo = Repository(Database.open(Path(sys.argv[1])))
    set_id = int(sys.argv[2])
    # Any write past the first WAL frame now fails as on a full disk (EFBIG; SIGXFSZ is
    # ignored by the parent's preexec so the process survives to report it).
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
    for edit in (
        lambda: repo.add_span(set_id, Span(0, 5, "PERSON"), "ann1"),
        lambda: repo.set_status(set_id, "accepted", "ann1"),
    ):
        try:
            edit()
            print("saved")
        except StorageError as exc:
            print(exc)
    """
)


def test_disk_full_during_an_edit_is_reported_and_changes_nothing(tmp_path: Path) -> None:
    db_path = tmp_path / "newsmark.sqlite3"
    with Database.open(db_path) as db:
        repo = Repository(db)
        [(doc_id, _)] = repo.add_documents([(DocumentInput(text=ARTICLE), [])], "import")
        aset = repo.annotation_set(doc_id, "ann1")
        assert aset is not None and aset.id is not None
        set_id = aset.id
    before = content_digest(db_path)

    def ignore_sigxfsz() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    out = subprocess.run(
        [sys.executable, "-c", FULL_DURING_EDIT, str(db_path), str(set_id)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=ignore_sigxfsz,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 2 and "saved" not in lines, lines
    for line in lines:
        # The message the window shows: what happened, that it was not saved, what to do.
        assert "could not write to the disk" in line and "not saved" in line
        assert "free some space and retry" in line
    with Database.open(db_path) as db:
        assert db.integrity_check() == ["ok"]
    assert content_digest(db_path) == before


def corrupt(db_path: Path) -> None:
    """Overwrite a page in the middle: the header still says SQLite, quick_check does not."""
    with db_path.open("r+b") as fh:
        fh.seek(2 * 4096)
        fh.write(b"\xde\xad\xbe\xef" * 1024)


def newer(db_path: Path) -> None:
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    con.commit()
    con.close()


@pytest.mark.parametrize("damage", [corrupt, newer])
def test_commands_the_cli_tests_do_not_cover_refuse_a_bad_database(
    tmp_path: Path, damage: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """import/stats/export/db upgrade are in tests/unit/cli; these are the other commands."""
    data = tmp_path / "data"
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE * 200, encoding="utf-8")
    assert main(["--data-dir", str(data), "import", str(article)]) == 0
    db_path = data / "newsmark.sqlite3"
    snapshot = tmp_path / "snap.sqlite3"
    assert main(["--data-dir", str(data), "db", "backup", str(snapshot)]) == 0
    damage(db_path)
    before = file_hash(db_path)
    for argv in (
        ["preannotate", "--all"],
        ["db", "backup", str(tmp_path / "copy.sqlite3")],
        ["db", "check"],
        ["db", "info"],
    ):
        capsys.readouterr()
        code = main(["--data-dir", str(data), *argv])
        err = capsys.readouterr().err
        assert code == 1, (argv, err)
        assert err.startswith("newsmark: error:") and str(db_path) in err, (argv, err)
        assert file_hash(db_path) == before, argv
    assert not (tmp_path / "copy.sqlite3").exists()
    # The way out the message names: restoring a backup over the damaged file works.
    assert main(["--data-dir", str(data), "db", "restore", str(snapshot)]) == 0
    assert main(["--data-dir", str(data), "db", "check"]) == 0


def test_zero_bytes_free_gives_one_line_and_leaves_nothing_behind(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", "2m") as disk:
        data = disk / "data"
        small = tmp_path / "small.txt"
        small.write_text(ARTICLE, encoding="utf-8")
        assert newsmark(data, "import", str(small)).returncode == 0
        fill(disk)

        def files() -> list[str]:
            # SQLite's own -wal/-shm and the lock file belong to an open database.
            own = ("newsmark.sqlite3-wal", "newsmark.sqlite3-shm", "newsmark.sqlite3.lock")
            return sorted(p.name for p in disk.rglob("*") if p.name not in own)

        before = files()
        other = tmp_path / "other.txt"
        other.write_text(ARTICLE.replace("Kyiv", "Lviv"), encoding="utf-8")
        for args in (
            ("import", str(other)),
            ("db", "backup"),
            ("db", "backup", str(disk / "copy.sqlite3")),
            ("export", "--status", "any", "-o", str(disk / "out.jsonl")),
        ):
            done = newsmark(data, *args)
            assert done.returncode != 0, (args, done.stdout)
            assert "Traceback" not in done.stderr, (args, done.stderr)
            assert len(done.stderr.strip().splitlines()) == 1, (args, done.stderr)
            assert files() == before, args
