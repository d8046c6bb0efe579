"""Trained models are registered (`trained_models`), and a pre-annotated set keeps how
unsure the model was of it (`annotation_sets.uncertainty`).

`trained_models`: one row per pipeline `newsmark train` wrote under the data dir (its
name, directory, base model, version, and the training's meta as JSON: data hash, number
of documents, scores, seconds). `uncertainty`: nullable REAL, written when predictions
are saved (NULL for sets no model touched, and for every set stored before 0005); the
document list sorts by it so annotators fix first what teaches the model most.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trained_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("base_model", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=50), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trained_models")),
        sa.UniqueConstraint("name", name=op.f("uq_trained_models_name")),
    )
    op.add_column("annotation_sets", sa.Column("uncertainty", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("annotation_sets") as batch:
        batch.drop_column("uncertainty")
    op.drop_table("trained_models")
