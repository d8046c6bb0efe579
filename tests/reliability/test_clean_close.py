"""Archive-sized databases skip the open-time quick_check only when a clean close vouches
for the file (storage/clean_close.py); after a kill or any outside change they are checked.

The size threshold is lowered so that a small real file counts as archive-sized.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newsmark.domain.document import DocumentInput
from newsmark.domain.errors import StorageError
from newsmark.storage import Database, Repository, clean_close, preflight

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preflight, "FULL_CHECK_BYTES", 0)


def make_database(path: Path) -> None:
    db = Database.open(path)
    texts = [f"Article {n}: officials in Kyiv said talks would resume." for n in range(200)]
    Repository(db).add_documents([(DocumentInput(text=t), []) for t in texts], "ann")
    db.close()


def break_a_page(path: Path, *, keep_identity: bool) -> None:
    """The documents table's root page gets an invalid page type (quick_check finds it);
    with `keep_identity` the file keeps its size, inode and modification time."""
    before = path.stat()
    con = sqlite3.connect(path)
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'documents'").fetchone()
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    with path.open("r+b") as fh:  # in place: the same inode
        fh.seek((root[0] - 1) * page_size)
        fh.write(b"\x07")
    if keep_identity:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_a_clean_close_lets_the_next_open_skip_the_check(large: None, tmp_path: Path) -> None:
    path = tmp_path / "newsmark.sqlite3"
    make_database(path)
    assert clean_close.unchanged_since_clean_close(path)
    # Damage that leaves the file's identity as the stamp recorded it is not read at open:
    # the skipped check is what makes an archive open fast (the day's backup finds it).
    break_a_page(path, keep_identity=True)
    Database.open(path, readonly=True).close()


def test_a_file_changed_since_its_clean_close_is_checked(large: None, tmp_path: Path) -> None:
    path = tmp_path / "newsmark.sqlite3"
    make_database(path)
    break_a_page(path, keep_identity=False)
    assert not clean_close.unchanged_since_clean_close(path)
    with pytest.raises(StorageError, match="is corrupt"):
        Database.open(path)


KILLED_WRITER = """
import os, sys
from pathlib import Path
from newsmark.domain.document import DocumentInput
from newsmark.storage import Database, Repository, preflight
preflight.FULL_CHECK_BYTES = 0
db = Database.open(Path(sys.argv[1]))
Repository(db).add_documents([(DocumentInput(text="One more article, from Lviv."), [])], "x")
db.engine.dispose()  # everything checkpointed into the file, as a kill after a quiet moment
os._exit(0)  # no Database.close: no stamp
"""


def test_a_writer_killed_before_its_close_leaves_the_file_checked(
    large: None, tmp_path: Path
) -> None:
    path = tmp_path / "newsmark.sqlite3"
    make_database(path)
    assert clean_close.stamp_path(path).exists()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "desktop")}
    subprocess.run([sys.executable, "-c", KILLED_WRITER, str(path)], check=True, env=env)
    assert not clean_close.stamp_path(path).exists()  # dropped before the first write
    break_a_page(path, keep_identity=True)
    with pytest.raises(StorageError, match="is corrupt"):
        Database.open(path, readonly=True)


def test_readers_keep_the_stamp_and_writers_renew_it(large: None, tmp_path: Path) -> None:
    path = tmp_path / "newsmark.sqlite3"
    make_database(path)
    stamp = clean_close.stamp_path(path).read_text(encoding="utf-8")
    Database.open(path, readonly=True).close()
    assert clean_close.stamp_path(path).read_text(encoding="utf-8") == stamp
    db = Database.open(path)
    assert not clean_close.stamp_path(path).exists()  # open for writing: unchecked until closed
    Repository(db).add_documents([(DocumentInput(text="Another article, from Odesa."), [])], "x")
    db.close()
    assert clean_close.unchanged_since_clean_close(path)


def test_databases_below_the_threshold_leave_no_stamp(tmp_path: Path) -> None:
    path = tmp_path / "newsmark.sqlite3"
    make_database(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newsmark.sqlite3"]
