"""Edits of spans, quotes and status: one transaction and one edit-log row each.

Edits return an `Edited` record: the domain object an undo command needs to invert the
edit, and the set's new version and status (the window shows those, it does not work
them out). `add_*` returns the stored object (with id), `delete_*` what was deleted,
`update_*` the new state (read the old one with `get_span`/`get_quote` first);
`replace_*` writes a full earlier state back, and `add_*` reuses a given id, so undo/redo
keep referring to the same rows. Every edit takes `reverts`: the log row it inverts, when
it is an undo or a redo (ADR 0006). `revert` inverts a logged edit from its row alone, so
undo also works from the log after a restart.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsmark.domain.errors import AnnotationError, NotFoundError, UsageError
from newsmark.domain.labels import LabelSet
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.storage import edits, entity_ops, history, rows
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
        self,
        set_id: int,
        span: Span,
        who: str,
        *,
        expected_version: int | None = None,
        reverts: int | None = None,
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
            state = edits.touch(
                s, row, who, "add_span", new.id, None, rows.span_json(result), reverts=reverts
            )
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
        reverts: int | None = None,
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
                s, self.labels, set_id, old, changed, who, "update_span", expected_version, reverts
            )

    def replace_span(
        self,
        set_id: int,
        span: Span,
        who: str,
        *,
        expected_version: int | None = None,
        reverts: int | None = None,
    ) -> Edited[Span]:
        """Write every field of `span` (by its id) back: how undo restores an earlier state."""
        if span.id is None:
            raise ValueError("replace_span needs a span with an id")
        with self.db.session() as s:
            old = rows.span(edits.get_span_row(s, set_id, span.id))
            return edits.write_span(
                s, None, set_id, old, span, who, "replace_span", expected_version, reverts
            )

    def link_span(
        self,
        set_id: int,
        span_id: int,
        entity_id: int | None,
        who: str,
        *,
        expected_version: int | None = None,
        reverts: int | None = None,
    ) -> Edited[Span]:
        """Link the mention to a corpus entity (None unlinks)."""
        with self.db.session() as s:
            old = rows.span(edits.get_span_row(s, set_id, span_id))
            changed = replace(old, entity_id=entity_id)
            return edits.write_span(
                s, self.labels, set_id, old, changed, who, "link_span", expected_version, reverts
            )

    def delete_span(
        self,
        set_id: int,
        span_id: int,
        who: str,
        *,
        expected_version: int | None = None,
        reverts: int | None = None,
    ) -> Edited[Span]:
        """Returns the deleted span (with its id, so `add_span` can restore it)."""
        with self.db.session() as s:
            row = edits.load_set(s, set_id, expected_version)
            span_row = edits.get_span_row(s, set_id, span_id)
            old = rows.span(span_row)
            s.delete(span_row)
            state = edits.touch(
                s, row, who, "delete_span", span_id, rows.span_json(old), None, reverts=reverts
            )
            return Edited(old, state)

    # -- quote edits ------------------------------------------------------------------------

    def get_quote(self, set_id: int, quote_id: int) -> Quote:
        with self.db.session(write=False) as s:
            return rows.quote(edits.get_quote_row(s, set_id, quote_id))

    def add_quote(
        self,
        set_id: int,
        quote: Quote,
        who: str,
        *,
        expected_version: int | None = None,
        reverts: int | None = None,
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
            state = edits.touch(
                s, row, who, "add_quote", new.id, None, rows.quote_json(result), reverts=reverts
            )
            return Edited(result, state)

    def update_quote(
        self,
        set_id: int,
        quote_id: int,
        who: str,
        *,
        expected_version: int | None = None,
        reverts: int | None = None,
        **changes: Any,
    ) -> Edited[Quote]:
        """Change any of parts, kind, speaker, speaker_label, cue, entity, entity_id."""
        changes = edits.quote_changes(changes)
        with self.db.session() as s:
            row = edits.get_quote_row(s, set_id, quote_id)  # held: write_quote reuses it
            old = rows.quote(row)
            changed = replace(old, origin=Origin.HUMAN, model=None, **changes)
            return edits.write_quote(
                s, self.labels, set_id, old, changed, who, "update_quote", expected_version, reverts
            )

    def replace_quote(
        self,
        set_id: int,
        quote: Quote,
        who: str,
        *,
        expected_version: int | None = None,
        reverts: int | None = None,
    ) -> Edited[Quote]:
        """Write every field of `quote` (by its id) back: how undo restores an earlier state."""
        if quote.id is None:
            raise ValueError("replace_quote needs a quote with an id")
        with self.db.session() as s:
            row = edits.get_quote_row(s, set_id, quote.id)  # held: write_quote reuses it
            old = rows.quote(row)
            return edits.write_quote(
                s, None, set_id, old, quote, who, "replace_quote", expected_version, reverts
            )

    def delete_quote(
        self,
        set_id: int,
        quote_id: int,
        who: str,
        *,
        expected_version: int | None = None,
        reverts: int | None = None,
    ) -> Edited[Quote]:
        with self.db.session() as s:
            row = edits.load_set(s, set_id, expected_version)
            quote_row = edits.get_quote_row(s, set_id, quote_id)
            old = rows.quote(quote_row)
            s.delete(quote_row)
            state = edits.touch(
                s,
                row,
                who,
                "delete_quote",
                quote_id,
                rows.quote_json(old),
                None,
                reverts=reverts,
            )
            return Edited(old, state)

    # -- status and log ---------------------------------------------------------------------

    def set_status(
        self,
        set_id: int,
        status: Status | str,
        who: str,
        *,
        expected_version: int | None = None,
        reverts: int | None = None,
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
                reverts=reverts,
            )
            return Edited(old, state)

    # -- undo from the log --------------------------------------------------------------------

    def last_edit_id(self, set_id: int | None) -> int | None:
        """The newest log row of the set (None: of the corpus-wide rows): the row an edit
        just wrote, which its undo names as `reverts`. One writer holds the database's
        WriterLock, so no other process writes in between."""
        with self.db.session(write=False) as s:
            newest = _newest(s, set_id)
            return None if newest is None else newest.id

    def undo_history(self, set_id: int, limit: int = 500) -> history.History:
        """The steps the set's undo stack held when its log was last written (ADR 0006)."""
        with self.db.session(write=False) as s:
            first_exact = history.exact_from(s)
            found = s.scalars(
                select(EditLogRow).where(EditLogRow.set_id == set_id).order_by(EditLogRow.id)
            )
            entries = [rows.edit_log_entry(r) for r in found]
        return history.replay(entries, first_exact, limit)

    def revert(self, entry_id: int, who: str) -> EditLogEntry:
        """Apply the inverse of a logged span, quote, status or merge edit, as a new logged
        edit whose `reverts` is `entry_id`.

        Reverting the entry that a revert wrote redoes the original, so undo/redo stacks
        can be rebuilt from the log after a restart. Reverting one set's row of a merge
        undoes the whole merge. Returns the new entry (of the same set).
        """
        with self.db.session(write=False) as s:
            found = s.get(EditLogRow, entry_id)
            if found is None:
                raise NotFoundError("edit log entry", entry_id)
            entry = rows.edit_log_entry(found)
        set_id, target, before = entry.set_id, entry.target_id or 0, entry.before
        if entry.op in history.MERGES:
            with self.db.session() as s:
                entity_ops.revert(s, entry_id, who)
                newest = _newest(s, set_id)
                if newest is None or newest.reverts != entry_id:  # the set was not touched
                    newest = _newest(s, None)
                assert newest is not None  # the revert logged its corpus-wide row
                return rows.edit_log_entry(newest)
        if set_id is None or entry.op not in history.REVERSIBLE:
            raise AnnotationError(f"a {entry.op!r} edit cannot be reverted")
        if entry.op == "add_span":
            self.delete_span(set_id, target, who, reverts=entry_id)
        elif entry.op == "delete_span":
            self.add_span(set_id, rows.span_from_json(before), who, reverts=entry_id)
        elif entry.op.endswith("_span"):
            self.replace_span(set_id, rows.span_from_json(before), who, reverts=entry_id)
        elif entry.op == "add_quote":
            self.delete_quote(set_id, target, who, reverts=entry_id)
        elif entry.op == "delete_quote":
            self.add_quote(set_id, rows.quote_from_json(before), who, reverts=entry_id)
        elif entry.op.endswith("_quote"):
            self.replace_quote(set_id, rows.quote_from_json(before), who, reverts=entry_id)
        else:
            self.set_status(set_id, Status(before["status"]), who, reverts=entry_id)
        with self.db.session(write=False) as s:
            newest = _newest(s, set_id)
            assert newest is not None  # the row just written
            return rows.edit_log_entry(newest)


def _newest(s: Session, set_id: int | None) -> EditLogRow | None:
    where = EditLogRow.set_id.is_(None) if set_id is None else EditLogRow.set_id == set_id
    return s.scalars(
        select(EditLogRow).where(where).order_by(EditLogRow.id.desc()).limit(1)
    ).first()
