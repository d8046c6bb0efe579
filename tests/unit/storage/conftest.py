"""Fixtures for storage tests: a fresh database file in tmp_path and a repository on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from storage_helpers import TEXT, item

from newsmark.storage import Database, Repository


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "newsmark.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = Database.open(db_path)
    yield database
    database.close()


@pytest.fixture
def repo(db: Database) -> Repository:
    return Repository(db)


@pytest.fixture
def doc_id(repo: Repository) -> int:
    [(new_id, created)] = repo.add_documents([item(TEXT, meta={"title": "Call"})], "import")
    assert created
    return new_id
