"""A PostgreSQL server database (team mode): refusals that change nothing, and writers
side by side on a real server (tests/postgres_support.py), never a lost update."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError
from storage_helpers import TEXT, item

from newsmark.domain.errors import ConflictError, NotFoundError, StorageError, UsageError
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Origin, Span
from newsmark.services.workspace import open_workspace
from newsmark.storage import Repository, ServerDatabase, annotation_edits, migrate
from newsmark.storage.server_db import LOCK_ROWS

pytestmark = pytest.mark.postgres

NETANYAHU = Span(0, 18, "PERSON")
PUTIN = Span(30, 44, "PERSON")


def sql(url: str, statement: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement))
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


@pytest.fixture
def server(pg_url: str, tmp_path: Path) -> Iterator[ServerDatabase]:
    db = ServerDatabase.open(pg_url, local_dir=tmp_path)
    yield db
    db.close()


# -- refusals ------------------------------------------------------------------------------


def test_an_empty_database_is_migrated_to_head(pg_empty_url: str, tmp_path: Path) -> None:
    with ServerDatabase.open(pg_empty_url, local_dir=tmp_path) as db:
        assert db.revision() == migrate.head_revision()
    assert not tmp_path.joinpath("server-database").exists()  # nothing local is made


def test_a_newer_schema_is_refused_and_nothing_changes(pg_url: str, tmp_path: Path) -> None:
    sql(pg_url, "UPDATE alembic_version SET version_num = '9999'")
    sql(pg_url, "DROP TABLE trained_models")  # what a newer upgrade would make again
    with pytest.raises(StorageError, match=r"schema revision 9999, newer than this Newsmark"):
        ServerDatabase.open(pg_url, local_dir=tmp_path)
    assert sql(pg_url, "SELECT version_num FROM alembic_version") == [("9999",)]
    assert "trained_models" not in inspect(create_engine(pg_url)).get_table_names()


def test_a_database_of_another_program_is_refused(pg_empty_url: str, tmp_path: Path) -> None:
    sql(pg_empty_url, "CREATE TABLE invoices (id integer)")
    with pytest.raises(StorageError, match=r"not a Newsmark one \(tables: invoices\)"):
        ServerDatabase.open(pg_empty_url, local_dir=tmp_path)
    assert sql(pg_empty_url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [(1,)]


def test_an_unreachable_server_is_one_line_and_nothing_is_made_locally(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("psycopg")  # no server needed, but its driver
    data = tmp_path / "data"
    # Port 1 on the loopback: nothing listens there, the refusal is immediate.
    url = "postgresql+psycopg://newsmark@127.0.0.1:1/newsmark"
    with pytest.raises(StorageError) as caught:
        open_workspace(data, db=url)
    message = str(caught.value)
    assert message.startswith(f"cannot reach the database server {url} (")
    assert "nothing was changed" in message and "\n" not in message
    assert not data.exists()


def test_a_missing_database_and_a_refused_login_say_what_to_do(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = pg_url.rsplit("/", 1)[0] + "/nm_no_such_database"
    with pytest.raises(
        StorageError, match=r'database "nm_no_such_database" does not exist.*createdb'
    ):
        ServerDatabase.open(missing, local_dir=tmp_path)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.pgpass either
    with pytest.raises(StorageError, match=r"refused the login .*~/\.pgpass"):
        ServerDatabase.open(pg_url, local_dir=tmp_path)


def test_a_url_with_a_password_is_refused_without_showing_it(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"newsmark:\*\*\*@127\.0\.0\.1.*~/\.pgpass") as caught:
        ServerDatabase.open(
            "postgresql+psycopg://newsmark:hunter2@127.0.0.1:1/newsmark", local_dir=tmp_path
        )
    assert "hunter2" not in str(caught.value)


def test_read_only_refuses_writes_on_the_server_too(server: ServerDatabase, tmp_path: Path) -> None:
    Repository(server).add_documents([item(TEXT)], "import")
    with ServerDatabase.open(server.url, local_dir=tmp_path, readonly=True) as ro:
        repo = Repository(ro)
        assert repo.count_documents(cap=10) == 1
        with pytest.raises(StorageError, match="read-only"):
            repo.add_documents([item("Another text.")], "import")
        with pytest.raises(DBAPIError, match="read-only"), ro.engine.begin() as conn:
            conn.execute(text("DELETE FROM documents"))  # the server refuses it as well


# -- writers side by side ------------------------------------------------------------------


def blocked_on_a_lock(url: str, count: int, timeout: float = 10.0) -> None:
    """Wait until `count` Newsmark connections wait for a row lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        [(waiting,)] = sql(
            url,
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'newsmark' "
            "AND wait_event_type = 'Lock'",
        )
        if waiting == count:
            return
        time.sleep(0.02)
    raise AssertionError(f"{count} connection(s) never waited for a lock")


def test_two_writers_of_one_set_give_a_conflict_never_a_lost_update(
    server: ServerDatabase, tmp_path: Path
) -> None:
    # A reviewer's window and another window, both at version v of one set, edit at once:
    # the first commits, the second must be refused (it saw v), not write v + 1 again.
    repo = Repository(server)
    [(doc_id, _)] = repo.add_documents([item(TEXT)], "import")
    aset = repo.annotation_set(doc_id, "ann1")
    assert aset is not None and aset.id is not None
    seen = aset.version
    other = ServerDatabase.open(server.url, local_dir=tmp_path)
    outcome: list[object] = []

    def second_window() -> None:
        try:
            outcome.append(Repository(other).add_span(aset.id, PUTIN, "rev", expected_version=seen))
        except ConflictError as exc:
            outcome.append(exc)

    with server.session() as s:  # the first window's edit, its transaction still open
        annotation_edits.add_span(s, repo.labels, aset.id, NETANYAHU, "ann1", seen)
        racer = threading.Thread(target=second_window)
        racer.start()
        blocked_on_a_lock(server.url, 1)  # the second edit waits for the set's row
    racer.join(10)
    other.close()
    [result] = outcome
    assert isinstance(result, ConflictError), result
    assert f"version {seen + 1}, this window had {seen}" in str(result)
    after = repo.annotation_set(doc_id, "ann1", create=False)
    assert after is not None and after.version == seen + 1
    assert [sp.key for sp in after.spans] == [NETANYAHU.key]  # the first edit, alone
    assert [e.who for e in repo.edit_log(aset.id)] == ["ann1"]


@pytest.mark.parametrize("what", ["span", "quote"])
def test_an_edit_of_an_item_deleted_meanwhile_is_refused_not_crashed(
    server: ServerDatabase, tmp_path: Path, what: str
) -> None:
    # A writer without a version (undo from the log) changes a quote while another writer
    # deletes it: the edit must read the quote after the set's lock and be refused with
    # "no quote", not read it before, wait, then UPDATE a row that is gone (SQLAlchemy's
    # StaleDataError, no message for the window).
    repo = Repository(server)
    [(doc_id, _)] = repo.add_documents([item(TEXT)], "import")
    aset = repo.annotation_set(doc_id, "ann1")
    assert aset is not None and aset.id is not None
    set_id = aset.id
    if what == "span":
        item_id = repo.add_span(set_id, NETANYAHU, "ann1").item.id or 0
    else:
        quote = Quote(parts=((46, 60),), speaker=(61, 63), kind=QuoteKind.DIRECT)
        item_id = repo.add_quote(set_id, quote, "ann1").item.id or 0
    other = ServerDatabase.open(server.url, local_dir=tmp_path)
    outcome: list[object] = []

    def second_window() -> None:
        mine = Repository(other)
        try:
            if what == "span":
                outcome.append(mine.update_span(set_id, item_id, "rev", label="ORG"))
            else:
                outcome.append(mine.update_quote(set_id, item_id, "rev", kind=QuoteKind.MIXED))
        except Exception as exc:  # the test is about which exception
            outcome.append(exc)

    with server.session() as s:  # the delete, its transaction still open
        if what == "span":
            annotation_edits.delete_span(s, set_id, item_id, "ann1")
        else:
            annotation_edits.delete_quote(s, set_id, item_id, "ann1")
        racer = threading.Thread(target=second_window)
        racer.start()
        blocked_on_a_lock(server.url, 1)
    racer.join(10)
    other.close()
    [result] = outcome
    assert isinstance(result, NotFoundError), repr(result)
    assert f"no {what} with id {item_id}" in str(result)
    assert [e.op for e in repo.edit_log(set_id)] == [f"add_{what}", f"delete_{what}"]


def test_undo_finds_the_entity_relabel_another_writers_row_came_between(
    server: ServerDatabase, tmp_path: Path
) -> None:
    # ann1 relabels the one mention of "Benjamin Netanyahu" PERSON -> ORG, which relabels
    # the entity (a follow row). Its transaction waits for the entity's row while ann2's
    # edit commits: ann2's log row lands between ann1's edit and its follow row. Undo of
    # ann1's edit must still find that follow row and put the entity back to PERSON.
    repo = Repository(server)
    [(doc_id, _)] = repo.add_documents([item(TEXT)], "import")
    mine, theirs = (repo.annotation_set(doc_id, name) for name in ("ann1", "ann2"))
    assert mine is not None and mine.id is not None and theirs is not None
    entity = repo.find_or_create_entity("Benjamin Netanyahu", "PERSON")
    span = repo.add_span(mine.id, Span(0, 18, "PERSON", entity_id=entity.id), "ann1").item
    other = ServerDatabase.open(server.url, local_dir=tmp_path)
    outcome: list[object] = []

    def relabel() -> None:
        try:
            edit = Repository(other).update_span(mine.id or 0, span.id or 0, "ann1", label="ORG")
            outcome.append(edit)
        except Exception as exc:
            outcome.append(exc)

    with server.session() as s:  # ann2's transaction holds the entity's row for a moment
        s.execute(text("SELECT id FROM entities WHERE id = :e FOR UPDATE"), {"e": entity.id})
        racer = threading.Thread(target=relabel)
        racer.start()
        blocked_on_a_lock(server.url, 1)  # ann1's edit is logged, its follow row is not
        annotation_edits.add_span(s, repo.labels, theirs.id or 0, PUTIN, "ann2")
    racer.join(10)
    other.close()
    [done] = outcome
    assert not isinstance(done, Exception), repr(done)
    assert repo.get_entity(entity.id or 0).label == "ORG"
    logged = [(e.id, e.set_id, e.op) for e in repo.edit_log(mine.id)]
    edit_row = logged[-1][0]
    assert logged[-1][2] == "update_span"
    repo.revert(edit_row, "ann1")
    assert repo.get_span(mine.id, span.id or 0).label == "PERSON"
    assert repo.get_entity(entity.id or 0).label == "PERSON"


def test_annotators_write_side_by_side_without_collisions(
    server: ServerDatabase, tmp_path: Path
) -> None:
    # Concurrent writers are normal on a server: each annotator edits their own set while
    # the model saves predictions, all at once; every acknowledged edit is there.
    repo = Repository(server)
    texts = [f"{TEXT} Copy {n}." for n in range(4)]
    doc_ids = [d for d, _ in repo.add_documents([item(t) for t in texts], "import")]
    errors: list[BaseException] = []
    done: dict[str, int] = {}

    def annotator(name: str, doc_id: int) -> None:
        db = ServerDatabase.open(server.url, local_dir=tmp_path)
        try:
            mine = Repository(db)
            aset = mine.annotation_set(doc_id, name)
            assert aset is not None and aset.id is not None
            version = aset.version
            for span in (NETANYAHU, PUTIN):
                version = mine.add_span(aset.id, span, name, expected_version=version).state.version
            mine.save_predictions(doc_id, f"model-{name}", [Span(0, 8, "PERSON", Origin.MODEL)], [])
            done[name] = version
        except BaseException as exc:
            errors.append(exc)
        finally:
            db.close()

    threads = [
        threading.Thread(target=annotator, args=(f"ann{n}", doc_id))
        for n, doc_id in enumerate(doc_ids)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert done == {f"ann{n}": 2 for n in range(4)}
    for n, doc_id in enumerate(doc_ids):
        aset = repo.annotation_set(doc_id, f"ann{n}", create=False)
        assert aset is not None and [s.key for s in aset.spans] == [NETANYAHU.key, PUTIN.key]
        model = repo.annotation_set(doc_id, f"model-ann{n}", create=False)
        assert model is not None and len(model.spans) == 1
    # New rows after all that still get free ids from the sequences.
    aset = repo.annotation_set(doc_ids[0], "late")
    assert aset is not None and aset.id is not None
    repo.add_span(aset.id, NETANYAHU, "late")
    with server.session(write=False) as s:
        assert s.info[LOCK_ROWS] is False


def test_annotators_opening_one_new_set_at_once_get_the_same_set(
    server: ServerDatabase, tmp_path: Path
) -> None:
    # Two windows of one annotator open a document nobody annotated: both create the set;
    # the unique (document, annotator) lets one in, the other reads it.
    repo = Repository(server)
    doc_ids = [d for d, _ in repo.add_documents([item(f"{TEXT} {n}") for n in range(8)], "import")]
    found: list[list[int]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def opener() -> None:
        db = ServerDatabase.open(server.url, local_dir=tmp_path)
        try:
            mine = Repository(db)
            start.wait()
            found.append([mine.annotation_set(d, "ann1").id for d in doc_ids])  # type: ignore[union-attr]
        except BaseException as exc:
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=opener) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == [] and len(found) == 3
    assert found[0] == found[1] == found[2]


def test_every_migration_runs_up_and_down_on_the_server(pg_empty_url: str) -> None:
    # 0001-0005 step by step, with an edit log row before 0004 (which then logs its
    # schema_upgrade row), down to nothing and up again: every dialect branch runs.
    engine = create_engine(pg_empty_url)
    try:
        for revision in migrate.known_revisions():
            with engine.begin() as conn:
                migrate.upgrade(conn, revision)
                assert migrate.current_revision(conn) == revision
                if revision == "0003":
                    conn.execute(
                        text(
                            "INSERT INTO edit_log (set_id, at, who, op) "
                            "VALUES (NULL, 'now', 'ann1', 'merge_entities')"
                        )
                    )
        with engine.connect() as conn:
            [(after,)] = conn.execute(
                text("SELECT after FROM edit_log WHERE op = 'schema_upgrade'")
            ).all()
            assert after == {"revision": "0004"}
            with pytest.raises(DBAPIError, match="append-only"):
                conn.execute(text("TRUNCATE edit_log"))
        with engine.begin() as conn:
            migrate.downgrade(conn, "base")
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == ["alembic_version"]
            # The downgrade of 0001 took its trigger function along.
            assert (
                conn.execute(
                    text("SELECT count(*) FROM pg_proc WHERE proname = 'edit_log_append_only'")
                ).scalar_one()
                == 0
            )
        with engine.begin() as conn:
            migrate.upgrade(conn)
            assert migrate.current_revision(conn) == migrate.head_revision()
    finally:
        engine.dispose()
