"""Damage that a quick look at open does not see: writers refuse it, `db check` finds it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLES = [
    "Olena Petrenko arrived in Kyiv on Monday, officials said.",
    "Jonas Weber met Amira Haddad in Berlin to discuss trade.",
    "Kenji Sato told reporters in Osaka that talks would resume.",
]


def newsmark(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsmark", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def data(tmp_path: Path) -> Path:
    # Annotated records, so sets, spans and edit-log rows (and their indexes) have rows.
    records = tmp_path / "articles.jsonl"
    lines = []
    for text in ARTICLES:
        name = " ".join(text.split()[:2])
        span = {"start": 0, "end": len(name), "label": "PERSON"}
        lines.append(json.dumps({"text": text, "spans": [span], "answer": "accept"}))
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = tmp_path / "data"
    done = newsmark(data, "import", str(records))
    assert done.returncode == 0, done.stderr
    con = sqlite3.connect(data / "newsmark.sqlite3")  # everything into the main file
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return data


def db_file(data: Path) -> Path:
    return data / "newsmark.sqlite3"


def damage_an_index(path: Path) -> None:
    """The index's entries stay as built, but its definition now names another column:
    every entry is wrong, yet each page is well formed (quick_check passes)."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA writable_schema = ON")
    con.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX ix_edit_log_set_id ON edit_log (at)' "
        "WHERE name = 'ix_edit_log_set_id'"
    )
    con.commit()
    con.close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    con.close()


def flip_a_text_byte(path: Path) -> None:
    """One byte of an article's text becomes 0xFF: no page check notices it."""
    data = bytearray(path.read_bytes())
    at = data.index(ARTICLES[1].encode())
    data[at + 6] = 0xFF  # inside "Weber"
    path.write_bytes(bytes(data))
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_writers_refuse_a_database_with_a_damaged_index(data: Path, tmp_path: Path) -> None:
    damage_an_index(db_file(data))
    before = db_file(data).read_bytes()
    more = tmp_path / "more.txt"
    more.write_text("Maria Silva flew to Lisbon.", encoding="utf-8")
    done = newsmark(data, "import", str(more))
    assert done.returncode == 1
    assert "corrupt" in done.stderr and "db restore" in done.stderr
    assert "Traceback" not in done.stderr
    assert db_file(data).read_bytes() == before
    check = newsmark(data, "db", "check")
    assert check.returncode == 1
    assert "ix_edit_log_set_id" in check.stdout


def test_db_check_finds_text_that_is_not_utf8(data: Path, tmp_path: Path) -> None:
    flip_a_text_byte(db_file(data))
    check = newsmark(data, "db", "check")
    assert check.returncode == 1, check.stdout
    assert "documents" in check.stdout and "not valid UTF-8" in check.stdout
    out = tmp_path / "out.jsonl"
    export = newsmark(data, "export", "--status", "any", "-o", str(out))
    assert export.returncode == 1
    assert "Traceback" not in export.stderr
    assert "not valid UTF-8" in export.stderr and "db check" in export.stderr
    assert not out.exists()


def test_an_empty_database_file_is_refused_not_reused(data: Path, tmp_path: Path) -> None:
    db_file(data).write_bytes(b"")
    for args in (("db", "check"), ("stats",), ("import", str(tmp_path / "x.txt"))):
        (tmp_path / "x.txt").write_text("Maria Silva flew to Lisbon.", encoding="utf-8")
        done = newsmark(data, *args)
        assert done.returncode == 1, (args, done.stdout)
        assert "0 bytes" in done.stderr and "db restore" in done.stderr, done.stderr
        assert db_file(data).stat().st_size == 0


def test_a_new_database_is_never_left_empty(tmp_path: Path) -> None:
    # Newsmark creates a database under a temporary name and renames it when it is
    # complete, so an empty file at the database path never comes from Newsmark.
    from newsmark.storage import Database

    path = tmp_path / "fresh" / "newsmark.sqlite3"
    with Database.open(path) as db:
        assert db.revision() == db.head_revision()
    assert path.stat().st_size > 0
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(".")) == []


def test_backups_of_a_damaged_database_never_rotate_good_ones_away(data: Path) -> None:
    from newsmark.storage import Database
    from newsmark.storage.backup import DamagedDatabase, list_backups

    path = db_file(data)
    backups = data / "backups"
    with Database.open(path, backup_dir=backups, keep_backups=2) as db:
        good = [db.auto_backup("daily"), db.auto_backup("daily")]
    damage_an_index(path)
    with pytest.raises(DamagedDatabase, match="no older backup was removed"):
        Database(path, readonly=False, backup_dir=backups, keep_backups=2,
                 busy_timeout_ms=5000).auto_backup("daily")  # fmt: skip
    assert list_backups(path, backups) == good  # both good copies are still there
    assert len(list(backups.glob("*.sqlite3.damaged"))) == 1


def test_restore_moves_aside_a_database_whose_index_is_damaged(data: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.sqlite3"
    assert newsmark(data, "db", "backup", str(good)).returncode == 0
    damage_an_index(db_file(data))
    done = newsmark(data, "db", "restore", str(good))
    assert done.returncode == 0, done.stderr
    assert "the damaged database was moved to" in done.stdout
    assert newsmark(data, "db", "check").stdout.strip() == "integrity: ok"


KILLED_WRITER = """
import os, sys
from pathlib import Path
from newsmark.domain.document import DocumentInput
from newsmark.storage import Database, Repository
db = Database.open(Path(sys.argv[1]))
repo = Repository(db)
repo.add_documents([(DocumentInput(text=f"Committed article {n}."), []) for n in range(50)], "x")
os._exit(0)  # as a kill: no close, no checkpoint; the commits live in the -wal
"""


def test_a_deleted_wal_with_committed_edits_is_noticed(data: Path) -> None:
    path = db_file(data)
    subprocess.run([sys.executable, "-c", KILLED_WRITER, str(path)], check=True)
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    assert wal.stat().st_size > 0 and shm.exists()
    wal.unlink()  # what a user "cleaning up" does
    shm_before, db_before = shm.read_bytes(), path.read_bytes()
    for args in (("stats",), ("db", "check"), ("import", str(path.parent))):
        done = newsmark(data, *args)
        assert done.returncode == 1, (args, done.stdout)
        assert "newsmark.sqlite3-wal is missing" in done.stderr, done.stderr
        assert "committed" in done.stderr
    assert shm.read_bytes() == shm_before and path.read_bytes() == db_before
