"""Team mode: documents are assigned to annotators (`assignments`), people have roles
(`users`), and a reviewed set says who reviewed it (`annotation_sets.reviewed_by/_at`).

`assignments`: one row per (document, annotator) a coordinator's `newsmark assign`
planned; deleting a document deletes its assignments. `users`: a name and its role
(annotator, reviewer, admin) for the roles of a later step; empty means single-user, as
before. `reviewed_by` / `reviewed_at`: nullable, NULL for every set stored before 0006.
Plain DDL only (no SQLite-only SQL): the same revision runs on PostgreSQL.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = ("annotator", "reviewer", "admin")


def upgrade() -> None:
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("annotator", sa.String(length=200), nullable=False),
        sa.Column("assigned_at", sa.String(length=32), nullable=False),
        sa.Column("assigned_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_assignments_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint(
            "document_id", "annotator", name=op.f("uq_assignments_document_id_annotator")
        ),
    )
    # An annotator's queue, in document order (the window's "My queue" list).
    op.create_index(
        "ix_assignments_annotator_document", "assignments", ["annotator", "document_id"]
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.CheckConstraint(
            "role IN ('annotator', 'reviewer', 'admin')", name=op.f("ck_users_role")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    op.add_column("annotation_sets", sa.Column("reviewed_by", sa.String(length=200), nullable=True))
    op.add_column("annotation_sets", sa.Column("reviewed_at", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("annotation_sets") as batch:
        batch.drop_column("reviewed_at")
        batch.drop_column("reviewed_by")
    op.drop_table("users")
    op.drop_index("ix_assignments_annotator_document", table_name="assignments")
    op.drop_table("assignments")
