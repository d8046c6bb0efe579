"""storage.peek: the window's first paint reads the first document without SQLAlchemy."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from storage_helpers import TEXT, item

from newsmark.storage import Database, Repository, migrate
from newsmark.storage.peek import first_document, head_revision


def test_reads_the_first_document_of_a_real_database(db_path: Path) -> None:
    with Database.open(db_path) as db:
        repo = Repository(db)
        [(first_id, _)] = repo.add_documents([item(TEXT, meta={"title": "Call"})], "import")
        repo.add_documents([item("Second article.", meta={"title": "Later"})], "import")
    before = db_path.read_bytes()
    peeked = first_document(db_path)
    assert peeked is not None
    assert (peeked.doc_id, peeked.title, peeked.text) == (first_id, "Call", TEXT)
    assert db_path.read_bytes() == before


def test_the_first_document_is_the_one_the_list_shows_first(db_path: Path) -> None:
    with Database.open(db_path) as db:
        repo = Repository(db)
        repo.add_documents([item(TEXT), item("Another one.")], "import")
        listed = repo.list_documents()
    peeked = first_document(db_path)
    assert peeked is not None and peeked.doc_id == listed[0].id


def test_an_empty_database_gives_none(db_path: Path) -> None:
    Database.open(db_path).close()
    assert first_document(db_path) is None


def test_a_missing_file_gives_none_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "data" / "newsmark.sqlite3"
    assert first_document(path) is None
    assert not path.parent.exists()
    (tmp_path / "data").mkdir()
    assert first_document(path) is None
    assert list((tmp_path / "data").iterdir()) == []


def test_a_garbage_file_gives_none_and_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "newsmark.sqlite3"
    path.write_bytes(b"not a database at all\x00" * 100)
    before = path.read_bytes()
    assert first_document(path) is None
    assert path.read_bytes() == before
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    before = corrupt.read_bytes()
    assert first_document(corrupt) is None
    assert corrupt.read_bytes() == before


def test_a_newer_or_foreign_schema_gives_none_and_is_left_alone(db_path: Path) -> None:
    with Database.open(db_path) as db:
        Repository(db).add_documents([item(TEXT)], "import")
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    before = db_path.read_bytes()
    assert first_document(db_path) is None
    assert db_path.read_bytes() == before
    foreign = db_path.with_name("foreign.sqlite3")
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT, text TEXT)")
        conn.execute("INSERT INTO documents VALUES (1, 't', 'x')")
    conn.close()
    before = foreign.read_bytes()
    assert first_document(foreign) is None
    assert foreign.read_bytes() == before


def test_head_revision_agrees_with_migrate() -> None:
    assert head_revision() == migrate.head_revision()


def test_peek_imports_no_sqlalchemy() -> None:
    code = (
        "import sys, newsmark.storage.peek; "
        "print(any(m.split('.')[0] in ('sqlalchemy', 'alembic') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_database_failing_quick_check_gives_none_and_is_left_alone(db_path: Path) -> None:
    with Database.open(db_path) as db:
        Repository(db).add_documents([item(f"{TEXT} {i}" + " word" * 300) for i in range(30)], "t")
    assert first_document(db_path) is not None
    data = bytearray(db_path.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle : middle + page] = b"\x0d" + b"\xab" * (page - 1)  # a broken b-tree page
    db_path.write_bytes(bytes(data))
    assert first_document(db_path) is None  # the normal path refuses it, as before
    assert db_path.read_bytes() == bytes(data)
