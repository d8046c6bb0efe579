"""Alembic run programmatically from the package's own migrations folder (no alembic.ini)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

if TYPE_CHECKING:  # alembic costs ~0.3 s to import: only upgrades and tests pay for it
    from alembic.config import Config
    from alembic.script import ScriptDirectory

# Inside the package, so a non-editable wheel install carries it along.
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r'^revision: str = "([^"]+)"', re.MULTILINE)
_DOWN = re.compile(r'^down_revision: str \| None = (?:"([^"]+)"|None)', re.MULTILINE)


@cache
def _graph() -> dict[str, str | None]:
    """revision -> down_revision, read from the version files' headers without Alembic.

    Opening a database only needs to know the head and which revisions exist; a test
    checks this agrees with Alembic's own reading of the same files.
    """
    graph: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(source), _DOWN.search(source)
        if rev and down:
            graph[rev.group(1)] = down.group(1)
    return graph


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    graph = _graph()
    heads = set(graph) - {down for down in graph.values() if down}
    if len(heads) != 1:  # only possible if the versions folder lost or forked its files
        raise RuntimeError(f"expected one head revision in {MIGRATIONS_DIR}, found {heads}")
    return heads.pop()


def known_revisions() -> list[str]:
    """Every revision id, oldest first."""
    graph, out = _graph(), []
    rev: str | None = head_revision()
    while rev is not None:
        out.append(rev)
        rev = graph.get(rev)
    return out[::-1]


def is_known(revision: str) -> bool:
    return revision in _graph()


def upgrade(connection: Connection, target: str = "head") -> None:
    """Run migrations on `connection` inside its current transaction."""
    from alembic import command

    command.upgrade(alembic_config(connection), target)


def downgrade(connection: Connection, target: str) -> None:
    """Only for tests and fixture builders: undo migrations down to `target`."""
    from alembic import command

    command.downgrade(alembic_config(connection), target)


def current_revision(connection: Connection) -> str | None:
    """The database's revision (None when it has no schema yet), read with plain SQL."""
    if connection.dialect.name == "sqlite":
        has_table = connection.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
        ).first()
        if has_table is None:
            return None
    elif not inspect(connection).has_table("alembic_version"):  # PostgreSQL
        return None
    row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])
