"""SQLAlchemy 2 tables: documents, annotation sets, spans, quotes, entities, edit log,
trained models, assignments and users.

The full-text index over documents (an FTS5 virtual table) lives outside the ORM: see
`storage.fulltext`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Explicit constraint names so Alembic batch migrations on SQLite can find them later.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Copies of meta["title"] / meta["source"] so the document list can sort and search.
    title: Mapped[str | None] = mapped_column(String(500))
    source: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[str] = mapped_column(String(32))
    # A flat JSON array [start, end, ws, start, end, ws, ...]: a third of the size of
    # objects, and decoded in one json.loads call.
    tokens: Mapped[str] = mapped_column(Text, default="[]")

    sets: Mapped[list[SetRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )


class SetRow(Base):
    __tablename__ = "annotation_sets"
    __table_args__ = (
        UniqueConstraint("document_id", "annotator"),
        Index("ix_annotation_sets_status", "status"),
        # The document list: status filter, keyset pages and counts per status (0003).
        Index("ix_annotation_sets_annotator_status", "annotator", "status", "document_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    # Bumped by every change; an edit may pass the version it saw (optimistic concurrency).
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
    # How unsure the model was of this set's predictions (higher: less sure), written when
    # predictions are saved; NULL when no model touched it (migration 0005).
    uncertainty: Mapped[float | None] = mapped_column(Float)
    # Who reviewed this set into gold, and when; NULL until reviewed (migration 0006).
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[str | None] = mapped_column(String(32))

    document: Mapped[DocumentRow] = relationship(back_populates="sets")
    spans: Mapped[list[SpanRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="SpanRow.start"
    )
    quotes: Mapped[list[QuoteRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="QuoteRow.id"
    )


class EntityRow(Base):
    __tablename__ = "entities"
    __table_args__ = (UniqueConstraint("name", "label"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    label: Mapped[str] = mapped_column(String(100))
    kb_id: Mapped[str | None] = mapped_column(String(200))


class SpanRow(Base):
    __tablename__ = "spans"
    __table_args__ = (
        Index("ix_spans_set_id", "set_id"),
        Index("ix_spans_entity_id", "entity_id"),
        # Edits look up the span just before a position (migration 0002).
        Index("ix_spans_set_start", "set_id", "start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("annotation_sets.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(100))
    origin: Mapped[str] = mapped_column(String(16))
    model: Mapped[str | None] = mapped_column(String(200))
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="SET NULL"))


class QuoteRow(Base):
    __tablename__ = "quotes"
    __table_args__ = (
        Index("ix_quotes_set_id", "set_id"),
        Index("ix_quotes_entity_id", "entity_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("annotation_sets.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    parts: Mapped[list[Any]] = mapped_column(JSON)  # [[start, end], ...]
    speaker_start: Mapped[int | None] = mapped_column(Integer)
    speaker_end: Mapped[int | None] = mapped_column(Integer)
    speaker_label: Mapped[str | None] = mapped_column(String(100))
    cue_start: Mapped[int | None] = mapped_column(Integer)
    cue_end: Mapped[int | None] = mapped_column(Integer)
    entity: Mapped[str | None] = mapped_column(String(500))
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="SET NULL"))
    origin: Mapped[str] = mapped_column(String(16))
    model: Mapped[str | None] = mapped_column(String(200))


class EditLogRow(Base):
    """Append-only (triggers in the migration refuse UPDATE and DELETE)."""

    __tablename__ = "edit_log"
    __table_args__ = (Index("ix_edit_log_set_id", "set_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # No foreign key: the log is the audit trail and must outlive what it describes.
    # NULL for corpus-wide operations (entity merges).
    set_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[str] = mapped_column(String(32))
    who: Mapped[str] = mapped_column(String(200))
    op: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None] = mapped_column(Integer)
    # none_as_null: "no before" (an add) is SQL NULL rather than the JSON text 'null'.
    before: Mapped[Any | None] = mapped_column(JSON(none_as_null=True))
    after: Mapped[Any | None] = mapped_column(JSON(none_as_null=True))
    # The row this one inverts (an undo, or a redo: the revert of an undo); NULL for a
    # new edit. Rows written before migration 0004 have NULL throughout (ADR 0006).
    reverts: Mapped[int | None] = mapped_column(Integer)


class TrainedModelRow(Base):
    """A pipeline `newsmark train` wrote under the data dir (migration 0005)."""

    __tablename__ = "trained_models"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    path: Mapped[str] = mapped_column(String(1000))
    base_model: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[str] = mapped_column(String(32))
    # The training's record: data hash, documents, scores per label and kind, seconds.
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AssignmentRow(Base):
    """A document a coordinator assigned to an annotator (migration 0006)."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("document_id", "annotator"),
        # An annotator's queue, in document order (the window's "My queue" list).
        Index("ix_assignments_annotator_document", "annotator", "document_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator: Mapped[str] = mapped_column(String(200))
    assigned_at: Mapped[str] = mapped_column(String(32))
    assigned_by: Mapped[str] = mapped_column(String(200))


class UserRow(Base):
    """A person and their role, for team mode's roles (migration 0006; empty: single-user)."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('annotator', 'reviewer', 'admin')", name="ck_users_role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[str] = mapped_column(String(32))
