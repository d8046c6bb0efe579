"""Archive-sized corpora: a full-text index of titles and texts, and an index for the list.

`documents_fts` (FTS5, external content: only the index is stored, the text stays in
`documents`) is built from the stored documents and kept in step by triggers, so every
writer updates it, whichever program it is. (annotator, status, document_id) on
annotation_sets answers the document list's status filter, its keyset pages and the
count per status from the index alone. On PostgreSQL (team mode) only the index is made:
FTS5 is SQLite's, and a search there scans titles and texts instead (with the unaccent
extension, created here, to fold diacritics as FTS5 does).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than imported, so this revision stays what it was when it ran.
# No prefix index: it tripled the index (and what `integrity_check` reads on SQLite 3.44+,
# which checks FTS5 tables too); a search treats a last word under 4 characters as a
# whole word instead (storage/fulltext.py).
CREATE_FTS = (
    "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
)
TRIGGERS = {
    "documents_fts_insert": (
        "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
        "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); "
        "END"
    ),
    "documents_fts_delete": (
        "CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN "
        "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); END"
    ),
    "documents_fts_update": (
        "CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN "
        "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); "
        "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); "
        "END"
    ),
}


def upgrade() -> None:
    op.create_index(
        "ix_annotation_sets_annotator_status",
        "annotation_sets",
        ["annotator", "status", "document_id"],
    )
    if op.get_bind().dialect.name != "sqlite":
        # FTS5 is SQLite's: on PostgreSQL a search scans, folding diacritics with unaccent
        # (a trusted extension: the database's owner may create it).
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        return
    op.execute(CREATE_FTS)
    for create in TRIGGERS.values():
        op.execute(create)
    # Index what is already stored (one pass over the texts).
    op.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    op.drop_index("ix_annotation_sets_annotator_status", table_name="annotation_sets")
