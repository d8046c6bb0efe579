"""The edit log records which entry an undo or redo reverts (`edit_log.reverts`).

A nullable integer: the id of the row this one inverts; NULL for a new edit. ADD COLUMN
keeps the table (and its append-only triggers) as it is. A database whose log already
holds rows gets one corpus-wide `schema_upgrade` row: the rows before it were written
without `reverts`, and only those are read with the old guess (ADR 0006).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than imported (as in 0001), so the downgrade stays what it was.
TRIGGERS = {
    "edit_log_no_update": (
        "CREATE TRIGGER edit_log_no_update BEFORE UPDATE ON edit_log "
        "BEGIN SELECT RAISE(ABORT, 'edit_log is append-only'); END"
    ),
    "edit_log_no_delete": (
        "CREATE TRIGGER edit_log_no_delete BEFORE DELETE ON edit_log "
        "BEGIN SELECT RAISE(ABORT, 'edit_log is append-only'); END"
    ),
}


def upgrade() -> None:
    op.add_column("edit_log", sa.Column("reverts", sa.Integer(), nullable=True))
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM edit_log LIMIT 1")).first() is not None:
        bind.execute(
            sa.text(
                "INSERT INTO edit_log (set_id, at, who, op, target_id, before, after) "
                "VALUES (NULL, :at, 'newsmark', 'schema_upgrade', NULL, :before, :after)"
            ),
            {
                "at": datetime.now(UTC).isoformat(timespec="microseconds"),
                "before": '{"revision": "0003"}',
                "after": '{"revision": "0004"}',
            },
        )


def downgrade() -> None:
    # Batch mode copies the table, and SQLite drops a table's triggers with it: put the
    # append-only guard back. (The schema_upgrade row stays: the log is append-only.)
    with op.batch_alter_table("edit_log") as batch:
        batch.drop_column("reverts")
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL drops the column in place: its triggers stay
    for name, create in TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(create)
