"""Migrations: models match the migrations, empty -> head, and every revision's fixture
upgrades to head with its data intact and a backup taken first."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text
from storage_helpers import TEXT, item

from newsmark.domain.errors import StorageError
from newsmark.storage import Database, Repository, fulltext, migrate
from newsmark.storage.orm import Base

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "migrations"


def test_models_match_migrations(db: Database) -> None:
    with db.engine.connect() as conn:
        # The full-text index is an FTS5 table outside the ORM (as in migrations/env.py).
        context = MigrationContext.configure(conn, opts={"include_name": fulltext.include_name})
        diff = compare_metadata(context, Base.metadata)
        if not isinstance(db, Database):  # a server: no FTS5 table to hide
            assert diff == []
            return
        tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
    assert diff == []
    assert fulltext.TABLE in tables  # so the filter above hides something real


def test_new_database_is_created_at_head(tmp_path: Path) -> None:
    path = tmp_path / "newsmark.sqlite3"
    with Database.open(path) as db:
        assert db.revision() == migrate.head_revision() == db.head_revision()
        assert db.upgrade() == (db.head_revision(), db.head_revision())
    assert not (tmp_path / "backups").exists()  # nothing to back up in a new database


def test_empty_file_is_refused_not_taken_for_a_new_database(tmp_path: Path) -> None:
    # SQLite would treat zero bytes as an empty database; for Newsmark, which creates its
    # databases complete, they are a truncated one (tests/reliability/test_corruption.py).
    path = tmp_path / "newsmark.sqlite3"
    path.touch()
    with pytest.raises(StorageError, match=r"is empty \(0 bytes\)"):
        Database.open(path)
    assert path.stat().st_size == 0


def test_migrations_live_in_the_package() -> None:
    # A wheel ships the package folder, so migrations must not depend on the checkout.
    assert migrate.MIGRATIONS_DIR.parent == Path(migrate.__file__).resolve().parent
    assert (migrate.MIGRATIONS_DIR / "env.py").is_file()
    assert not list(migrate.MIGRATIONS_DIR.glob("alembic.ini"))


def test_every_revision_has_a_fixture() -> None:
    missing = [
        rev
        for rev in migrate.known_revisions()
        if not (FIXTURES / f"{rev}.sqlite3").is_file() or not (FIXTURES / f"{rev}.json").is_file()
    ]
    assert not missing, (
        f"no fixture database for revision(s) {missing}: add a builder to "
        "tests/data/migrations/make_fixture.py and run it"
    )


def span_row(span: Any) -> list[Any]:
    return [span.start, span.end, span.label, span.origin.value, span.model, span.entity_id]


def quote_row(q: Any) -> list[Any]:
    return [
        q.kind.value,
        [list(p) for p in q.parts],
        list(q.speaker) if q.speaker else None,
        q.speaker_label,
        list(q.cue) if q.cue else None,
        q.entity,
        q.entity_id,
        q.origin.value,
    ]


@pytest.mark.parametrize("revision", migrate.known_revisions())
def test_fixture_upgrades_to_head_with_data_intact(revision: str, tmp_path: Path) -> None:
    path = tmp_path / "newsmark.sqlite3"
    shutil.copyfile(FIXTURES / f"{revision}.sqlite3", path)
    expected = json.loads((FIXTURES / f"{revision}.json").read_text(encoding="utf-8"))
    head = migrate.head_revision()

    with Database.open(path) as db:
        assert db.revision() == head
        assert db.integrity_check() == ["ok"]
        backups = db.backups()
        if revision != head:
            [backup] = backups
            assert f"before-{head}" in backup.name
            with sqlite3.connect(backup) as conn:
                assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
                    (revision,)
                ]
        repo = Repository(db)
        for doc in expected["documents"]:
            stored = repo.get_document(doc["id"])
            assert (stored.text, stored.meta) == (doc["text"], doc["meta"])
            assert stored.tokens and all(
                stored.text[t.start : t.end].strip() for t in stored.tokens
            )
        for want in expected["sets"]:
            aset = repo.get_set(want["id"])
            assert (aset.document_id, aset.annotator, aset.status.value, aset.version) == (
                want["document_id"],
                want["annotator"],
                want["status"],
                want["version"],
            )
            assert sorted(span_row(s) for s in aset.spans) == sorted(want["spans"])
            assert [quote_row(q) for q in aset.quotes] == want["quotes"]
            log = repo.edit_log(want["id"])
            assert [e.op for e in log] == want["log_ops"]
            # Rows written before 0004 have no `reverts`; 0004's fixture has an undo.
            assert [e.reverts for e in log] == want.get("log_reverts", [None] * len(log))
        for doc in expected["documents"]:
            # The full-text index covers what was stored before it existed (0003 builds it).
            word = max(re.findall(r"[^\W\d_]+", doc["text"]), key=len)
            assert doc["id"] in [d.id for d in repo.list_documents(search=word.upper())]
        got = [[e.id, e.name, e.label, e.kb_id] for e in repo.entities()]
        assert sorted(got) == sorted(expected["entities"])
        # Team mode (0006): assignments and users as stored; none before 0006.
        want_assigned: dict[int, list[str]] = {}
        for doc_id, name, _by in expected.get("assignments", []):
            want_assigned.setdefault(doc_id, []).append(name)
        assert {d: list(a) for d, a in repo.assignments().items()} == want_assigned
        assert repo.users() == dict(expected.get("users", []))
        # Still a working database: edits land and are logged.
        first = expected["sets"][0]["id"]
        repo.set_status(first, "in_progress", "test")
        assert repo.edit_log(first)[-1].op == "set_status"
    with sqlite3.connect(path) as conn:
        # The log stays append-only through every migration (0004 adds a column).
        for change in ("UPDATE edit_log SET who = 'mallory'", "DELETE FROM edit_log"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(change)
        reviewed = conn.execute(
            "SELECT id, reviewed_by, reviewed_at FROM annotation_sets WHERE reviewed_by IS NOT NULL"
        ).fetchall()
        assert [list(r) for r in reviewed] == expected.get("reviewed", [])
        markers = conn.execute(
            "SELECT set_id, op, after FROM edit_log WHERE op = 'schema_upgrade'"
        ).fetchall()
    # Upgrading a log written without `reverts` marks where recorded reverts begin.
    upgraded = migrate.known_revisions().index(revision) < migrate.known_revisions().index("0004")
    assert markers == ([(None, "schema_upgrade", '{"revision": "0004"}')] if upgraded else [])


def test_downgrading_0004_keeps_the_log_append_only(db_path: Path) -> None:
    """0004's downgrade copies edit_log (batch mode), which drops its triggers: they are
    created again, and upgrading once more adds the column back."""
    with Database.open(db_path) as db:
        repo = Repository(db)
        [(doc_id, _)] = repo.add_documents([item(TEXT)], "import")
        aset = repo.annotation_set(doc_id, "ann")
        assert aset is not None and aset.id is not None
        repo.set_status(aset.id, "accepted", "ann")
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        migrate.downgrade(conn, "0003")
    engine.dispose()
    with sqlite3.connect(db_path) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(edit_log)")]
        assert "reverts" not in columns and "op" in columns
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM edit_log")
        indexes = {r[1] for r in conn.execute("PRAGMA index_list(edit_log)")}
        assert "ix_edit_log_set_id" in indexes
    with Database.open(db_path) as db:
        [entry] = Repository(db).edit_log(aset.id)
        assert (entry.op, entry.reverts) == ("set_status", None)


def test_older_schema_is_backed_up_then_upgraded(db_path: Path) -> None:
    """The mechanism every future revision relies on, exercised from the base revision.

    Downgrading to base leaves an empty alembic_version table: an older Newsmark database.
    """
    with Database.open(db_path) as db:
        Repository(db).add_documents([item(TEXT)], "import")
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        migrate.downgrade(conn, "base")
    engine.dispose()

    with Database.open(db_path, upgrade=False) as db:
        assert db.revision() is None
        with pytest.raises(StorageError, match="run `newsmark db upgrade`"):
            Repository(db)
        assert db.backups() == []

    with Database.open(db_path, keep_backups=2) as db:
        assert db.revision() == db.head_revision()
        [backup] = db.backups()
        assert backup.name.startswith("newsmark-") and "before-" in backup.name
        with sqlite3.connect(backup) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "alembic_version" in tables and "documents" not in tables


def test_explicit_upgrade_reports_from_and_to(db_path: Path) -> None:
    Database.open(db_path).close()
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        migrate.downgrade(conn, "base")
    engine.dispose()
    with Database.open(db_path, upgrade=False) as db:
        assert db.upgrade() == (None, db.head_revision())
        assert len(db.backups()) == 1


def test_failed_upgrade_changes_nothing(db_path: Path) -> None:
    """A locked database during the upgrade: refused with a message, revision unchanged."""
    Database.open(db_path).close()
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        migrate.downgrade(conn, "base")
    engine.dispose()
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageError, match="database is locked"):
            Database.open(db_path, busy_timeout_ms=100)
    finally:
        other.execute("ROLLBACK")
        other.close()
    with Database.open(db_path, upgrade=False) as db:
        assert db.revision() is None


def test_revision_graph_read_without_alembic_agrees_with_alembic() -> None:
    from alembic.script import ScriptDirectory

    from newsmark.storage import migrate

    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.head_revision() == script.get_current_head()
    assert migrate.known_revisions() == [
        r.revision for r in reversed(list(script.walk_revisions()))
    ]
    assert not migrate.is_known("ffffffffffff")


TABLES_0005 = (
    "documents", "annotation_sets", "spans", "quotes", "entities", "edit_log",
    "trained_models",
)  # fmt: skip


def _rows(path: Path, tables: tuple[str, ...]) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}


def test_0006_upgrades_every_row_and_downgrades_back(tmp_path: Path) -> None:
    """0005's fixture up to 0006 keeps every row of every table (sets gain two NULL
    columns); assignments written there go with the downgrade, which keeps the rest,
    spans (whose foreign key cascades from the copied annotation_sets) included."""
    path = tmp_path / "newsmark.sqlite3"
    shutil.copyfile(FIXTURES / "0005.sqlite3", path)
    before = _rows(path, TABLES_0005)
    assert before["spans"] and before["quotes"] and before["edit_log"]
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrate.upgrade(conn, "0006")
    after = _rows(path, TABLES_0005)
    assert after["annotation_sets"] == [(*r, None, None) for r in before["annotation_sets"]]
    assert {t: after[t] for t in TABLES_0005 if t != "annotation_sets"} == {
        t: before[t] for t in TABLES_0005 if t != "annotation_sets"
    }
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO assignments (document_id, annotator, assigned_at, assigned_by)"
            " VALUES (1, 'ann1', 'now', 'coord')"
        )
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            conn.execute(
                "INSERT INTO assignments (document_id, annotator, assigned_at, assigned_by)"
                " VALUES (1, 'ann1', 'now', 'coord')"
            )
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            conn.execute("INSERT INTO users (name, role, created_at) VALUES ('x', 'boss', 'now')")
    with engine.begin() as conn:
        migrate.downgrade(conn, "0005")
    engine.dispose()
    assert _rows(path, TABLES_0005) == before
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        columns = [r[1] for r in conn.execute("PRAGMA table_info(annotation_sets)")]
        [(version,)] = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        indexes = {r[1] for r in conn.execute("PRAGMA index_list(annotation_sets)")}
    assert not {"assignments", "users"} & tables
    assert "reviewed_by" not in columns and "uncertainty" in columns
    assert version == "0005"
    assert "ix_annotation_sets_annotator_status" in indexes
    with Database.open(path) as db:  # and up again, through the app's own path
        assert db.revision() == migrate.head_revision()
        assert Repository(db).assignments() == {}


def test_deleting_a_document_deletes_its_assignments(repo: Repository) -> None:
    [(doc_id, _), (other, _)] = repo.add_documents([item(TEXT), item(TEXT + " Again.")], "import")
    repo.assign({doc_id: ("a", "b"), other: ("a",)}, "coord", replace=False)
    with repo.db.session() as s:
        s.execute(text("DELETE FROM documents WHERE id = :id"), {"id": doc_id})
    assert repo.assignments() == {other: ("a",)}
