"""Index spans by (set_id, start): an edit finds its neighbours without scanning the set.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 13:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_spans_set_start", "spans", ["set_id", "start"])


def downgrade() -> None:
    op.drop_index("ix_spans_set_start", table_name="spans")
