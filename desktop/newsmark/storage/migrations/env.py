"""Alembic environment: runs on the connection `storage.migrate` passes in (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from newsmark.storage.fulltext import include_name
from newsmark.storage.orm import Base

connection = context.config.attributes.get("connection")
if connection is None:
    # Offline SQL generation is not supported: migrations always run on an open database.
    raise RuntimeError("newsmark migrations run through newsmark.storage.migrate only")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things; batch mode copies the table instead.
    render_as_batch=True,
    compare_type=True,
    include_name=include_name,  # the FTS5 index and its shadow tables are not ORM tables
)
with context.begin_transaction():
    context.run_migrations()
