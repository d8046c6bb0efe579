"""Fixtures for storage tests: a fresh database (a SQLite file in tmp_path, or a database
on the PostgreSQL test server for `postgres`) and a repository on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from storage_helpers import TEXT, item

import postgres_support
from newsmark.storage import Database, Repository, ServerDatabase

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "newsmark.sqlite3"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db(backend: str, db_path: Path, tmp_path: Path) -> Iterator[Database | ServerDatabase]:
    if backend == "sqlite":
        database: Database | ServerDatabase = Database.open(db_path)
        yield database
        database.close()
        return
    with postgres_support.fresh_database(tmp_path) as url:
        database = ServerDatabase.open(url, local_dir=tmp_path / "data")
        yield database
        database.close()


@pytest.fixture
def sqlite_only(backend: str) -> None:
    """For a test of SQLite's file (its bytes, sqlite3, its pragmas): skipped on a server."""
    if backend != "sqlite":
        pytest.skip("SQLite file specific")


@pytest.fixture
def repo(db: Database | ServerDatabase) -> Repository:
    return Repository(db)


@pytest.fixture
def doc_id(repo: Repository) -> int:
    [(new_id, created)] = repo.add_documents([item(TEXT, meta={"title": "Call"})], "import")
    assert created
    return new_id
