"""Database.open: pragmas, refusals that leave files untouched, backups, locking."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from storage_helpers import TEXT, item, sha256_file

from newsmark.domain.errors import StorageError
from newsmark.storage import Database, Repository, preflight


@pytest.mark.usefixtures("sqlite_only")
def test_pragmas_on_every_connection(db: Database) -> None:
    assert db.pragmas() == {
        "journal_mode": "wal",
        "synchronous": "FULL",
        "foreign_keys": True,
        "busy_timeout": 5000,
    }
    # A second pooled connection gets the same settings (the listener, not a one-off).
    with db.engine.connect() as a, db.engine.connect() as b:
        for conn in (a, b):
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == 2
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1


def test_creates_missing_file_and_folder_at_head(db_path: Path) -> None:
    assert not db_path.parent.exists()
    with Database.open(db_path) as db:
        assert db.revision() == db.head_revision()
        assert db.integrity_check() == ["ok"]
    assert db_path.exists()


def test_reopen_keeps_data(db_path: Path) -> None:
    with Database.open(db_path) as db:
        Repository(db).add_documents([item(TEXT)], "import")
    with Database.open(db_path) as db:
        assert len(Repository(db).document_ids()) == 1


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        b"just some text, not a database\n" * 10,
        b"SQLite",  # shorter than the header
    ],
)
def test_non_sqlite_file_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "newsmark.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StorageError, match="not a SQLite database"):
        Database.open(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newsmark.sqlite3"]


def test_truncated_database_refused(db_path: Path) -> None:
    with Database.open(db_path) as db:
        Repository(db).add_documents([item(TEXT + " " + str(i)) for i in range(200)], "import")
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 2])
    before = sha256_file(db_path)
    with pytest.raises(StorageError, match=r"corrupt|malformed"):
        Database.open(db_path)
    assert sha256_file(db_path) == before


def test_corrupt_pages_refused(db_path: Path) -> None:
    with Database.open(db_path) as db:
        Repository(db).add_documents([item(TEXT + " " + str(i)) for i in range(200)], "import")
    data = bytearray(db_path.read_bytes())
    # Scribble over the second page onwards (page 1 holds the header and schema).
    page = int.from_bytes(data[16:18], "big")
    data[page : page * 3] = b"\xff" * (page * 2)
    db_path.write_bytes(bytes(data))
    before = sha256_file(db_path)
    with pytest.raises(StorageError, match=r"corrupt|malformed"):
        Database.open(db_path)
    assert sha256_file(db_path) == before


def test_newer_schema_refused_and_file_unchanged(db_path: Path) -> None:
    with Database.open(db_path) as db:
        Repository(db).add_documents([item(TEXT)], "import")
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    before = sha256_file(db_path)
    with pytest.raises(StorageError, match="newer than this Newsmark knows"):
        Database.open(db_path)
    with pytest.raises(StorageError, match="newer"):
        Database.open(db_path, readonly=True)
    assert sha256_file(db_path) == before
    assert not (db_path.parent / "backups").exists()


def test_foreign_sqlite_database_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    conn.close()
    before = sha256_file(path)
    with pytest.raises(StorageError, match="not a Newsmark one"):
        Database.open(path)
    assert sha256_file(path) == before


def test_readonly_open_refuses_writes(db_path: Path) -> None:
    with Database.open(db_path) as db:
        Repository(db).add_documents([item(TEXT)], "import")
    before = sha256_file(db_path)
    with Database.open(db_path, readonly=True) as ro:
        repo = Repository(ro)
        assert len(repo.document_ids()) == 1
        with pytest.raises(StorageError, match="read-only"):
            repo.add_documents([item("another text")], "import")
        # Even a session that bypasses the check cannot write: query_only is on.
        with pytest.raises(OperationalError, match="readonly"), ro.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM documents")
    assert sha256_file(db_path) == before


def test_readonly_missing_file_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="does not exist"):
        Database.open(tmp_path / "nothing.sqlite3", readonly=True)
    assert not (tmp_path / "nothing.sqlite3").exists()


def test_readonly_file_and_folder_messages(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root, which ignores permission bits, so the permission answer is forced.

    This exercises Newsmark's own check and message; the real EACCES path is covered by
    test_chmod_readonly_when_not_root where the tests do not run as root.
    """
    Database.open(db_path).close()
    real_access = preflight.os.access

    def no_write_to(target: Path) -> object:
        return lambda p, mode: False if Path(p) == target else real_access(p, mode)

    monkeypatch.setattr(preflight.os, "access", no_write_to(db_path))
    with pytest.raises(
        StorageError, match=r"newsmark.sqlite3 is read-only; .*open the database read-only"
    ):
        Database.open(db_path)
    Database.open(db_path, readonly=True).close()
    monkeypatch.setattr(preflight.os, "access", no_write_to(db_path.parent))
    with pytest.raises(StorageError, match="is not writable"):
        Database.open(db_path)


@pytest.mark.skipif(
    hasattr(__import__("os"), "geteuid") and __import__("os").geteuid() == 0,
    reason="root ignores file permissions",
)
def test_chmod_readonly_when_not_root(db_path: Path) -> None:
    Database.open(db_path).close()
    db_path.chmod(0o444)
    with pytest.raises(StorageError, match="read-only"):
        Database.open(db_path)
    Database.open(db_path, readonly=True).close()


def test_locked_database_refused_within_busy_timeout(db_path: Path) -> None:
    Database.open(db_path).close()
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO entities (name, label) VALUES ('x', 'PERSON')")
    try:
        with Database.open(db_path, busy_timeout_ms=300) as db:
            repo = Repository(db)
            assert repo.document_ids() == []  # WAL: readers are not blocked
            started = time.monotonic()
            with pytest.raises(StorageError, match="database is locked"):
                repo.add_documents([item(TEXT)], "import")
            # It waited for the busy timeout, then gave up rather than hanging.
            assert 0.25 <= time.monotonic() - started < 3
    finally:
        other.execute("ROLLBACK")
        other.close()
    with Database.open(db_path) as db:
        assert Repository(db).document_ids() == []


@pytest.mark.usefixtures("sqlite_only")
def test_backup_is_a_consistent_standalone_copy(db: Database, tmp_path: Path) -> None:
    Repository(db).add_documents([item(TEXT)], "import")
    dest = db.backup(tmp_path / "copy.sqlite3")
    assert not Path(str(dest) + "-wal").exists()
    with Database.open(dest, readonly=True) as copy:
        assert Repository(copy).document_ids() == [1]
        assert copy.integrity_check() == ["ok"]
    with pytest.raises(StorageError, match="already exists"):
        db.backup(dest)
    Repository(db).add_documents([item("A second document.")], "import")
    db.backup(dest, overwrite=True)
    with Database.open(dest, readonly=True) as copy:
        assert Repository(copy).document_ids() == [1, 2]
    into_folder = db.backup(tmp_path)
    assert into_folder.parent == tmp_path and into_folder.suffix == ".sqlite3"


def test_auto_backups_rotate(db_path: Path) -> None:
    with Database.open(db_path, keep_backups=3) as db:
        made = [db.auto_backup("test") for _ in range(5)]
        assert db.backups() == made[-3:]
        assert db.daily_backup() is None  # one was taken just now


@pytest.mark.usefixtures("sqlite_only")
def test_daily_backup_when_none_recent(db: Database) -> None:
    first = db.daily_backup()
    assert first is not None and first.exists()
    assert db.daily_backup() is None


def test_restore_replaces_content_after_a_backup(db_path: Path, tmp_path: Path) -> None:
    with Database.open(db_path) as db:
        repo = Repository(db)
        repo.add_documents([item("first text")], "import")
        snapshot = db.backup(tmp_path / "snap.sqlite3")
        repo.add_documents([item("second text")], "import")
    saved, damaged = Database.restore(db_path, snapshot)
    assert damaged is None
    assert saved is not None and saved.exists()
    with Database.open(db_path) as db:
        assert len(Repository(db).document_ids()) == 1
        assert db.integrity_check() == ["ok"]
    with Database.open(saved, readonly=True) as old:
        assert len(Repository(old).document_ids()) == 2


def test_restore_refused_while_a_writer_holds_the_lock(db_path: Path, tmp_path: Path) -> None:
    from newsmark.storage import WriterLock

    with Database.open(db_path) as db:
        snapshot = db.backup(tmp_path / "snap.sqlite3")
    before = sha256_file(db_path)
    with WriterLock(db_path), pytest.raises(StorageError, match="in use by another"):
        Database.restore(db_path, snapshot)
    assert sha256_file(db_path) == before


def test_restore_refuses_garbage(db_path: Path, tmp_path: Path) -> None:
    Database.open(db_path).close()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"nope" * 100)
    with pytest.raises(StorageError, match="not a SQLite database"):
        Database.restore(db_path, junk)


def test_readonly_uri_in_a_readonly_folder_is_immutable(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root cannot make a folder read-only for itself, so the answer is forced (see above)."""
    with Database.open(db_path) as db:
        Repository(db).add_documents([item(TEXT)], "import")
    assert "immutable" not in preflight.readonly_uri(db_path)
    real_access = preflight.os.access
    monkeypatch.setattr(
        preflight.os,
        "access",
        lambda p, mode: False if Path(p) == db_path.parent else real_access(p, mode),
    )
    assert preflight.readonly_uri(db_path).endswith("?mode=ro&immutable=1")
    for leftover in db_path.parent.glob("*.sqlite3-*"):
        leftover.unlink()
    with Database.open(db_path, readonly=True) as ro:
        assert Repository(ro).document_ids() == [1]


DISK_FULL_CHILD = """
import resource, signal, sys
from pathlib import Path
from newsmark.domain.document import DocumentInput
from newsmark.domain.errors import StorageError
from newsmark.storage import Database, Repository

repo = Repository(Database.open(Path(sys.argv[1])))
repo.add_documents([(DocumentInput(text="A small document."), [])], "import")
# A file size limit makes the next write fail as a full disk would (EFBIG, not a signal).
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))
try:
    repo.add_documents([(DocumentInput(text="big " * 100_000), [])], "import")
except StorageError as exc:
    print(exc)
"""


def test_disk_full_during_a_write_is_refused_and_nothing_half_written(db_path: Path) -> None:
    import subprocess
    import sys

    Database.open(db_path).close()
    out = subprocess.run(
        [sys.executable, "-c", DISK_FULL_CHILD, str(db_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "could not write to the disk" in out and "not saved" in out
    with Database.open(db_path) as db:
        assert db.integrity_check() == ["ok"]
        repo = Repository(db)
        [doc_id] = repo.document_ids()
        assert repo.get_document(doc_id).text == "A small document."


def test_uncreatable_folder_is_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("a file where a folder should be")
    with pytest.raises(StorageError, match="cannot create the folder"):
        Database.open(tmp_path / "file" / "data" / "newsmark.sqlite3")


def test_directory_instead_of_a_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="is not a file"):
        Database.open(tmp_path)


def test_a_large_file_quick_checked_by_the_preview_is_not_checked_twice(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsmark.storage import preflight

    with Database.open(db_path) as db:
        Repository(db).add_documents([item(TEXT)], "import")
    # Break a page that opening never reads (the edit log's), so only a check sees it.
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (root,) = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'edit_log'").fetchone()
    (size,) = con.execute("PRAGMA page_size").fetchone()
    con.close()
    data = bytearray(db_path.read_bytes())
    data[(root - 1) * size] = 0xFF  # not a b-tree page type
    db_path.write_bytes(bytes(data))
    monkeypatch.setattr(preflight, "FULL_CHECK_BYTES", 0)  # every file is "large"
    with pytest.raises(StorageError, match="corrupt"):
        Database.open(db_path)  # its own quick_check finds it
    Database.open(db_path, quick_checked=True).close()  # the caller's check is trusted
    monkeypatch.setattr(preflight, "FULL_CHECK_BYTES", 1 << 40)  # small: the full check
    with pytest.raises(StorageError, match="corrupt"):
        Database.open(db_path, quick_checked=True)
