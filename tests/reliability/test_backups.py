"""Backups under load: consistent copies while another process writes, rotation, guarded restore."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from newsmark.domain.document import DocumentInput
from newsmark.storage import Database, Repository

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from newsmark.domain.spans import Span
    from newsmark.storage import Database, Repository

    repo = Repository(Database.open(Path(sys.argv[1])))
    set_id = int(sys.argv[2])
    for i in range(100_000):
        repo.add_span(set_id, Span(i * 6, i * 6 + 5, "ORG"), "ann1")
        print(i, flush=True)
    """
)


def newsmark(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsmark", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def make_data(data: Path, words: int = 3000) -> tuple[Path, int]:
    db_path = data / "newsmark.sqlite3"
    with Database.open(db_path) as db:
        repo = Repository(db)
        text = " ".join(f"w{i:04d}" for i in range(words))
        [(doc_id, _)] = repo.add_documents([(DocumentInput(text=text), [])], "import")
        aset = repo.annotation_set(doc_id, "ann1")
        assert aset is not None and aset.id is not None
        return db_path, aset.id


def snapshot_facts(path: Path, set_id: int) -> tuple[int, int, int]:
    """(version, log rows, spans) of the set in a backup file, after checking the file."""
    assert not Path(f"{path}-wal").exists(), "a backup must be one standalone file"
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert [r[0] for r in con.execute("PRAGMA integrity_check")] == ["ok"]
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        con.close()
    return set_facts(path, set_id)


def set_facts(path: Path, set_id: int) -> tuple[int, int, int]:
    """(version, log rows, spans) of the set in a database file."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (version,) = con.execute("SELECT version FROM annotation_sets WHERE id = ?", (set_id,))
        (logged,) = con.execute("SELECT count(*) FROM edit_log WHERE set_id = ?", (set_id,))
        (spans,) = con.execute("SELECT count(*) FROM spans WHERE set_id = ?", (set_id,))
        return version[0], logged[0], spans[0]
    finally:
        con.close()


def test_cli_backup_is_consistent_while_another_process_writes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    db_path, set_id = make_data(data)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path), str(set_id)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    try:
        writer.stdout.readline()  # it is writing
        copies = []
        for n in range(3):
            dest = tmp_path / f"copy{n}.sqlite3"
            done = newsmark(data, "db", "backup", str(dest))
            assert done.returncode == 0, done.stderr
            copies.append(dest)
            time.sleep(0.2)
        assert writer.poll() is None, "the writer stopped: the copies were not taken under load"
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    facts = [snapshot_facts(c, set_id) for c in copies]
    for version, logged, spans in facts:
        # A transaction is in a copy whole or not at all: each span with its log row.
        assert version == logged == spans
    assert facts[0][2] > 0 and facts[-1][2] > facts[0][2], f"copies did not move on: {facts}"
    with Database.open(db_path) as db:
        assert db.integrity_check() == ["ok"]


def test_rotation_keeps_n_and_never_deletes_a_manual_backup(tmp_path: Path) -> None:
    data = tmp_path / "data"
    db_path, _ = make_data(data, words=10)
    done = newsmark(data, "db", "backup")  # into backups/, named by the CLI
    assert done.returncode == 0, done.stderr
    [manual] = list((data / "backups").iterdir())
    with Database.open(db_path, keep_backups=2) as db:
        made = [db.auto_backup("test") for _ in range(4)]
    left = sorted((data / "backups").iterdir())
    assert manual in left, "rotation deleted the user's own `db backup`"
    assert [p for p in left if p != manual] == made[-2:]


def test_restore_refused_while_a_cli_import_holds_the_lock(tmp_path: Path) -> None:
    data = tmp_path / "data"
    db_path, _ = make_data(data, words=10)
    snapshot = tmp_path / "snapshot.sqlite3"
    assert newsmark(data, "db", "backup", str(snapshot)).returncode == 0
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # Enough files that the import outlasts the restore command's own start-up (~1-2 s on
    # a loaded machine); with 400 the import sometimes finished first and the test flaked.
    for n in range(4000):
        (corpus / f"a{n:04d}.txt").write_text(f"Article {n} about Kyiv and Berlin.", "utf-8")
    importer = subprocess.Popen(
        [sys.executable, "-m", "newsmark", "--data-dir", str(data), "import", str(corpus)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while Repository(Database.open(db_path, readonly=True)).stats()["documents"] < 3:
            assert importer.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        done = newsmark(data, "db", "restore", str(snapshot))
        assert done.returncode == 1 and "in use" in done.stderr, done.stderr
        assert importer.poll() is None, "the import finished before the restore was tried"
    finally:
        importer.send_signal(signal.SIGKILL)
        importer.wait(timeout=30)
    # The killed importer's lock died with it: the restore goes through now.
    done = newsmark(data, "db", "restore", str(snapshot))
    assert done.returncode == 0, done.stderr
    with Database.open(db_path) as db:
        assert db.integrity_check() == ["ok"]
        assert Repository(db).document_ids() == [1]


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _break_schema(path: Path) -> None:
    # Garble the schema's first CREATE statement in place: the header stays valid, so
    # only reading the schema shows the damage.
    data = bytearray(path.read_bytes())
    at = data.index(b"CREATE TABLE")
    data[at : at + 40] = b"\xa5" * 40
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_truncate, _break_schema])
def test_restore_repairs_a_corrupt_database_and_keeps_the_damaged_file(
    tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    data = tmp_path / "data"
    db_path, set_id = make_data(data)
    good = tmp_path / "good.sqlite3"
    assert newsmark(data, "db", "backup", str(good)).returncode == 0
    con = sqlite3.connect(db_path)  # everything into the main file, then damage that
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    damage(db_path)
    damaged = db_path.read_bytes()
    broken = newsmark(data, "stats")
    assert broken.returncode != 0 and "db restore" in broken.stderr

    done = newsmark(data, "db", "restore", str(good))
    assert done.returncode == 0, done.stderr
    moved = [
        p
        for p in data.iterdir()
        if p.name.startswith("newsmark.sqlite3.damaged-") and not p.name.endswith(("-wal", "-shm"))
    ]
    assert len(moved) == 1, sorted(p.name for p in data.iterdir())
    # Its -wal went with it: never replayed into the restored file.
    assert not Path(f"{db_path}-wal").exists() or Path(f"{moved[0]}-wal").exists()
    assert moved[0].read_bytes() == damaged  # kept as it was, never deleted
    assert str(moved[0]) in done.stdout and str(good) in done.stdout
    assert newsmark(data, "db", "check").stdout.strip() == "integrity: ok"
    assert snapshot_facts(good, set_id) == set_facts(db_path, set_id)
