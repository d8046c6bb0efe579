"""Edits of spans, quotes and status: one transaction and one edit-log row each.

Edits return an `Edited` record: the domain object an undo command needs to invert the
edit, and the set's new version and status (the window shows those, it does not work
them out). `add_*` returns the stored object (with id), `delete_*` what was deleted,
`update_*` the new state (read the old one with `get_span`/`get_quote` first);
`replace_*` writes a full earlier state back, and `add_*` reuses a given id, so undo/redo
keep referring to the same rows. `revert` inverts any logged edit, so undo also works
from the log after a restart.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select

from newsmark.domain.errors import AnnotationError, NotFoundError, UsageError
from newsmark.domain.labels import LabelSet
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.storage import edits, rows
from newsmark.storage.db import Database
from newsmark.storage.orm import EditLogRow, QuoteRow, SpanRow
from newsmark.storage.records import Edited, EditLogEntry


class AnnotationEdits:
    """The edit half of `Repository` (a base class only to keep modules small)."""

    db: Database
    labels: LabelSet | None

    # -- span edits -------------------------------------------------------------------------

    def get_span(self, set_id: int, span_id: int) -> Span:
        with self.db.session(write=False) as s:
            return rows.span(edits.get_span_row(s, set_id, span_id))

    def add_span(
        self, set_id: int, span: Span, who: str, *, expected_version: int | None = None
    ) -> Edited[Span]:
        with self.db.session() as s:
            row = edits.load_set(s, set_id, expected_version)
            # A span with an id is being restored (undo): its label was accepted once.
            labels = self.labels if span.id is None else None
            edits.check_span_fits(s, row.document_id, set_id, span, labels)
            edits.check_entity(s, span.entity_id)
            new = SpanRow(
                id=edits.free_id(s, SpanRow, span.id), set_id=set_id, **rows.span_values(span)
            )
            s.add(new)
            s.flush()
            result = rows.span(new)
            state = edits.touch(s, row, who, "add_span", new.id, None, rows.span_json(result))
            return Edited(result, state)

    def update_span(
        self,
        set_id: int,
        span_id: int,
        who: str,
        *,
        label: str | None = None,
        start: int | None = None,
        end: int | None = None,
        expected_version: int | None = None,
    ) -> Edited[Span]:
        """Change label and/or boundaries; the span becomes a human one."""
        with self.db.session() as s:
            old = rows.span(edits.get_span_row(s, set_id, span_id))
            changed = replace(
                old,
                label=old.label if label is None else label,
                start=old.start if start is None else start,
                end=old.end if end is None else end,
                origin=Origin.HUMAN,
                model=None,
            )
            return edits.write_span(
                s, self.labels, set_id, old, changed, who, "update_span", expected_version
            )

    def replace_span(
        self, set_id: int, span: Span, who: str, *, expected_version: int | None = None
    ) -> Edited[Span]:
        """Write every field of `span` (by its id) back: how undo restores an earlier state."""
        if span.id is None:
            raise ValueError("replace_span needs a span with an id")
        with self.db.session() as s:
            old = rows.span(edits.get_span_row(s, set_id, span.id))
            return edits.write_span(
                s, None, set_id, old, span, who, "replace_span", expected_version
            )

    def link_span(
        self,
        set_id: int,
        span_id: int,
        entity_id: int | None,
        who: str,
        *,
        expected_version: int | None = None,
    ) -> Edited[Span]:
        """Link the mention to a corpus entity (None unlinks)."""
        with self.db.session() as s:
            old = rows.span(edits.get_span_row(s, set_id, span_id))
            changed = replace(old, entity_id=entity_id)
            return edits.write_span(
                s, self.labels, set_id, old, changed, who, "link_span", expected_version
            )

    def delete_span(
        self, set_id: int, span_id: int, who: str, *, expected_version: int | None = None
    ) -> Edited[Span]:
        """Returns the deleted span (with its id, so `add_span` can restore it)."""
        with self.db.session() as s:
            row = edits.load_set(s, set_id, expected_version)
            span_row = edits.get_span_row(s, set_id, span_id)
            old = rows.span(span_row)
            s.delete(span_row)
            state = edits.touch(s, row, who, "delete_span", span_id, rows.span_json(old), None)
            return Edited(old, state)

    # -- quote edits ------------------------------------------------------------------------

    def get_quote(self, set_id: int, quote_id: int) -> Quote:
        with self.db.session(write=False) as s:
            return rows.quote(edits.get_quote_row(s, set_id, quote_id))

    def add_quote(
        self, set_id: int, quote: Quote, who: str, *, expected_version: int | None = None
    ) -> Edited[Quote]:
        with self.db.session() as s:
            row = edits.load_set(s, set_id, expected_version)
            labels = self.labels if quote.id is None else None
            edits.check_quote_fits(s, row.document_id, set_id, quote, labels)
            edits.check_entity(s, quote.entity_id)
            new = QuoteRow(
                id=edits.free_id(s, QuoteRow, quote.id), set_id=set_id, **rows.quote_values(quote)
            )
            s.add(new)
            s.flush()
            result = rows.quote(new)
            state = edits.touch(s, row, who, "add_quote", new.id, None, rows.quote_json(result))
            return Edited(result, state)

    def update_quote(
        self,
        set_id: int,
        quote_id: int,
        who: str,
        *,
        expected_version: int | None = None,
        **changes: Any,
    ) -> Edited[Quote]:
        """Change any of parts, kind, speaker, speaker_label, cue, entity, entity_id."""
        changes = edits.quote_changes(changes)
        with self.db.session() as s:
            row = edits.get_quote_row(s, set_id, quote_id)  # held: write_quote reuses it
            old = rows.quote(row)
            changed = replace(old, origin=Origin.HUMAN, model=None, **changes)
            return edits.write_quote(
                s, self.labels, set_id, old, changed, who, "update_quote", expected_version
            )

    def replace_quote(
        self, set_id: int, quote: Quote, who: str, *, expected_version: int | None = None
    ) -> Edited[Quote]:
        """Write every field of `quote` (by its id) back: how undo restores an earlier state."""
        if quote.id is None:
            raise ValueError("replace_quote needs a quote with an id")
        with self.db.session() as s:
            row = edits.get_quote_row(s, set_id, quote.id)  # held: write_quote reuses it
            old = rows.quote(row)
            return edits.write_quote(
                s, None, set_id, old, quote, who, "replace_quote", expected_version
            )

    def delete_quote(
        self, set_id: int, quote_id: int, who: str, *, expected_version: int | None = None
    ) -> Edited[Quote]:
        with self.db.session() as s:
            row = edits.load_set(s, set_id, expected_version)
            quote_row = edits.get_quote_row(s, set_id, quote_id)
            old = rows.quote(quote_row)
            s.delete(quote_row)
            state = edits.touch(s, row, who, "delete_quote", quote_id, rows.quote_json(old), None)
            return Edited(old, state)

    # -- status and log ---------------------------------------------------------------------

    def set_status(
        self, set_id: int, status: Status | str, who: str, *, expected_version: int | None = None
    ) -> Edited[Status]:
        """Set the status; the record's item is the previous one (for undo)."""
        try:
            new = Status(status)
        except ValueError:
            raise UsageError(f"unknown status {status!r}") from None
        with self.db.session() as s:
            row = edits.load_set(s, set_id, expected_version)
            old = Status(row.status)
            row.status = new.value
            state = edits.touch(
                s,
                row,
                who,
                "set_status",
                set_id,
                {"status": old.value},
                {"status": new.value},
                human=False,
            )
            return Edited(old, state)

    # -- undo from the log --------------------------------------------------------------------

    @staticmethod
    def can_revert(op: str) -> bool:
        """Whether `revert` can invert an edit-log row of this op (what undo may replay)."""
        return op in REVERSIBLE

    def revert(self, entry_id: int, who: str) -> EditLogEntry:
        """Apply the inverse of a logged span, quote or status edit, as a new logged edit.

        Reverting the entry that a revert wrote redoes the original, so undo/redo stacks
        can be rebuilt from the log after a restart. Returns the new entry.
        """
        with self.db.session(write=False) as s:
            found = s.get(EditLogRow, entry_id)
            if found is None:
                raise NotFoundError("edit log entry", entry_id)
            entry = rows.edit_log_entry(found)
        set_id, target, before = entry.set_id, entry.target_id or 0, entry.before
        if set_id is None or not self.can_revert(entry.op):
            raise AnnotationError(f"a {entry.op!r} edit cannot be reverted")
        if entry.op == "add_span":
            self.delete_span(set_id, target, who)
        elif entry.op == "delete_span":
            self.add_span(set_id, rows.span_from_json(before), who)
        elif entry.op.endswith("_span"):
            self.replace_span(set_id, rows.span_from_json(before), who)
        elif entry.op == "add_quote":
            self.delete_quote(set_id, target, who)
        elif entry.op == "delete_quote":
            self.add_quote(set_id, rows.quote_from_json(before), who)
        elif entry.op.endswith("_quote"):
            self.replace_quote(set_id, rows.quote_from_json(before), who)
        else:
            self.set_status(set_id, Status(before["status"]), who)
        with self.db.session(write=False) as s:
            # The newest entry of the set is the one just written: a writer holds the
            # database's WriterLock, so no other process edits in between.
            newest = s.scalars(
                select(EditLogRow)
                .where(EditLogRow.set_id == set_id)
                .order_by(EditLogRow.id.desc())
                .limit(1)
            ).one()
            return rows.edit_log_entry(newest)


REVERSIBLE = frozenset(
    {
        "add_span",
        "update_span",
        "replace_span",
        "link_span",
        "delete_span",
        "add_quote",
        "update_quote",
        "replace_quote",
        "delete_quote",
        "set_status",
    }
)
