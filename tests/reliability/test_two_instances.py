"""Two processes on one database: the writer lock lets one in, versions refuse stale edits."""

from __future__ import annotations

import hashlib
import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

import postgres_support
from newsmark.domain.document import DocumentInput
from newsmark.domain.errors import ConflictError, StorageError
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Span
from newsmark.services.workspace import open_workspace
from newsmark.storage import Database, Repository, ServerDatabase

TEXT = "Olena Petrenko met Jonas Weber in Kyiv. " * 20

WINDOW = textwrap.dedent(
    """
    import sys
    from newsmark.services.workspace import open_workspace
    ws = open_workspace(sys.argv[1], take_lock=True)
    print("readonly" if ws.readonly else "writer", flush=True)
    sys.stdin.read()  # hold the database until the parent closes stdin
    ws.close()
    """
)


def content_digest(db_path: Path) -> str:
    con = sqlite3.connect(db_path)
    try:
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    finally:
        con.close()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data dir with one document and one annotation set (ann1)."""
    directory = tmp_path / "data"
    ws = open_workspace(directory)
    try:
        [(doc_id, _)] = ws.repo.add_documents([(DocumentInput(text=TEXT), [])], "import")
        ws.repo.annotation_set(doc_id, "ann1")
    finally:
        ws.close()
    return directory


@pytest.fixture
def window(data: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process with the database open as the window opens it (holding the lock)."""
    child = subprocess.Popen(
        [sys.executable, "-c", WINDOW, str(data)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "writer"
    yield child
    if child.poll() is None:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=30)


def test_second_window_in_another_process_opens_read_only(
    data: Path, window: subprocess.Popen[str]
) -> None:
    second = open_workspace(data, take_lock=True)
    try:
        assert second.readonly
        assert second.readonly_reason and str(window.pid) in second.readonly_reason
        set_id = second.repo.sets_for_document(1)[0].id
        assert set_id is not None
        with pytest.raises(StorageError, match="read-only"):
            second.repo.add_span(set_id, Span(0, 5, "PERSON"), "ann2")
    finally:
        second.close()
    # SIGKILL: the kernel drops the flock, and the next window may write.
    window.send_signal(signal.SIGKILL)
    window.wait(timeout=30)
    third = open_workspace(data, take_lock=True)
    try:
        assert not third.readonly
    finally:
        third.close()


def newsmark(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsmark", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_writers_refuse_while_a_window_holds_the_lock(
    data: Path, window: subprocess.Popen[str], tmp_path: Path
) -> None:
    article = tmp_path / "new.txt"
    article.write_text("Kenji Sato arrived in Osaka on Monday.", encoding="utf-8")
    snapshot = tmp_path / "snapshot.sqlite3"
    assert newsmark(data, "db", "backup", str(snapshot)).returncode == 0  # reads are fine
    db_path = data / "newsmark.sqlite3"
    before = content_digest(db_path)
    for argv in (
        ("import", str(article)),
        ("preannotate", "--all"),
        ("db", "upgrade"),
        ("db", "restore", str(snapshot)),
    ):
        done = newsmark(data, *argv)
        assert done.returncode == 1, (argv, done.stderr)
        assert str(window.pid) in done.stderr or "in use" in done.stderr, done.stderr
        assert done.stderr.startswith("newsmark: error:") and "Traceback" not in done.stderr
    assert content_digest(db_path) == before
    # Reading commands do not need the lock.
    assert newsmark(data, "stats").returncode == 0
    assert newsmark(data, "export", "--status", "any", "-o", "-").returncode == 0


CONTENDER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from newsmark.domain.errors import ConflictError
    from newsmark.domain.spans import Span
    from newsmark.storage import Database, Repository, ServerDatabase

    target = sys.argv[1]  # a SQLite file, or a PostgreSQL URL (team mode)
    if "://" in target:
        repo = Repository(ServerDatabase.open(target, local_dir=Path(sys.argv[5])))
    else:
        repo = Repository(Database.open(Path(target)))
    set_id, first, n = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    done = conflicts = 0
    slot = first
    while done < n:
        seen = repo.get_set(set_id).version
        try:
            repo.add_span(set_id, Span(slot * 6, slot * 6 + 5, "ORG"), "x", expected_version=seen)
        except ConflictError:
            conflicts += 1
            continue
        done += 1
        slot += 2  # the two contenders take interleaved, never overlapping, word slots
    print(json.dumps({"done": done, "conflicts": conflicts}))
    """
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database file, or (team mode, where concurrent writers are normal) a server's."""
    if request.param == "sqlite":
        yield str(tmp_path / "newsmark.sqlite3")
        return
    with postgres_support.fresh_database(tmp_path) as url:
        yield url


def open_db(target: str, tmp_path: Path) -> Database | ServerDatabase:
    if "://" in target:
        return ServerDatabase.open(target, local_dir=tmp_path)
    return Database.open(Path(target))


def digest(target: str, tmp_path: Path) -> str:
    """The whole content of the database, as a hash."""
    if "://" not in target:
        return content_digest(Path(target))
    with open_db(target, tmp_path) as db, db.engine.connect() as conn:
        tables = sorted(inspect(conn).get_table_names())
        dump = [repr(conn.execute(text(f"SELECT * FROM {t} ORDER BY 1")).all()) for t in tables]
    return hashlib.sha256("\n".join(dump).encode()).hexdigest()


def test_concurrent_writers_with_versions_lose_nothing(target: str, tmp_path: Path) -> None:
    """Two processes (bypassing the lock, as two old windows would; on a server, as two
    windows do) edit one set at once."""
    text = " ".join(f"w{i:04d}" for i in range(400))
    with open_db(target, tmp_path) as db:
        repo = Repository(db)
        [(doc_id, _)] = repo.add_documents([(DocumentInput(text=text), [])], "import")
        aset = repo.annotation_set(doc_id, "ann1")
        assert aset is not None and aset.id is not None
        set_id = aset.id
    n = 60
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                CONTENDER,
                target,
                str(set_id),
                str(first),
                str(n),
                str(tmp_path),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for first in (0, 1)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    with open_db(target, tmp_path) as db:
        assert not isinstance(db, Database) or db.integrity_check() == ["ok"]
        repo = Repository(db)
        final = repo.get_set(set_id)
        assert len(final.spans) == 2 * n
        assert final.version == 2 * n == len(repo.edit_log(set_id))
    # Contention is timing-dependent; when it happened it was refused, never lost.
    print(f"\nconflicts refused: {[r['conflicts'] for r in results]}")


def test_stale_version_is_refused_and_writes_nothing(target: str, tmp_path: Path) -> None:
    """Two repositories (two windows' worth of state) on one database; every edit kind."""
    with open_db(target, tmp_path) as first_db, open_db(target, tmp_path) as second_db:
        one, two = Repository(first_db), Repository(second_db)
        [(doc_id, _)] = one.add_documents([(DocumentInput(text=TEXT), [])], "import")
        aset = one.annotation_set(doc_id, "ann1")
        assert aset is not None and aset.id is not None
        set_id = aset.id
        span = one.add_span(set_id, Span(0, 5, "PERSON"), "ann1").item
        quote = one.add_quote(set_id, Quote(parts=((6, 14),)), "ann1").item
        stale_edits = {
            "add_span": lambda v: two.add_span(
                set_id, Span(19, 24, "PERSON"), "b", expected_version=v
            ),
            "update_span": lambda v: two.update_span(
                set_id, span.id or 0, "b", label="ORG", expected_version=v
            ),
            "delete_span": lambda v: two.delete_span(set_id, span.id or 0, "b", expected_version=v),
            "add_quote": lambda v: two.add_quote(
                set_id, Quote(parts=((25, 30),)), "b", expected_version=v
            ),
            "update_quote": lambda v: two.update_quote(
                set_id, quote.id or 0, "b", kind="indirect", expected_version=v
            ),
            "delete_quote": lambda v: two.delete_quote(
                set_id, quote.id or 0, "b", expected_version=v
            ),
            "set_status": lambda v: two.set_status(set_id, "accepted", "b", expected_version=v),
        }
        for name, stale_edit in stale_edits.items():
            seen = two.get_set(set_id).version  # both windows show version `seen`
            one.update_span(set_id, span.id or 0, "ann1", label="GPE" if seen % 2 else "NORP")
            before = digest(target, tmp_path)
            with pytest.raises(ConflictError, match="changed elsewhere"):
                stale_edit(seen)
            assert digest(target, tmp_path) == before, f"a refused {name} wrote something"
        assert not isinstance(first_db, Database) or first_db.integrity_check() == ["ok"]
