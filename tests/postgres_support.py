"""A real PostgreSQL server for the tests: a fresh database per test, or a skip.

NEWSMARK_TEST_PG_URL names a database on a running server (`.ci/postgres.sh start DIR`
prints one as NEWSMARK_DB) whose user may CREATE DATABASE; without it the `postgres`
tests skip, unless NEWSMARK_REQUIRE_PG=1 (CI), where a missing server is a failure.
Each test gets its own database, copied from a template migrated once per run.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

URL_ENV = "NEWSMARK_TEST_PG_URL"
REQUIRE_ENV = "NEWSMARK_REQUIRE_PG"
_counter = itertools.count()
_template: str | None = None


def server_url() -> str:
    """The server's URL, or a skip (a failure under NEWSMARK_REQUIRE_PG=1)."""
    url = os.environ.get(URL_ENV, "").strip()
    if url:
        return url
    message = f"no PostgreSQL server: set {URL_ENV} (see .ci/postgres.sh)"
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{message}; {REQUIRE_ENV}=1 requires one")
    pytest.skip(message)


def with_database(url: str, name: str) -> str:
    """`url` naming the database `name` instead."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _admin(sql: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(
        with_database(server_url(), "postgres").replace("postgresql://", "postgresql+psycopg://"),
        isolation_level="AUTOCOMMIT",
    )
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


def _template_name(local_dir: Path) -> str:
    """A database migrated to head, made once per test run (per process)."""
    global _template
    if _template is None:
        from newsmark.storage.server_db import ServerDatabase

        name = f"nm_template_{os.getpid()}"
        _admin(f"DROP DATABASE IF EXISTS {name}")
        _admin(f"CREATE DATABASE {name}")
        ServerDatabase.open(with_database(server_url(), name), local_dir=local_dir).close()
        _template = name
    return _template


@contextmanager
def fresh_database(local_dir: Path, *, migrated: bool = True) -> Iterator[str]:
    """The URL of a new database (at head, or empty), dropped afterwards."""
    url = server_url()
    template = f" TEMPLATE {_template_name(local_dir)}" if migrated else ""
    name = f"nm_test_{os.getpid()}_{next(_counter)}"
    _admin(f"CREATE DATABASE {name}{template}")
    try:
        yield with_database(url, name)
    finally:
        _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def drop_template() -> None:
    global _template
    if _template is not None and os.environ.get(URL_ENV):
        _admin(f"DROP DATABASE IF EXISTS {_template} WITH (FORCE)")
        _template = None
