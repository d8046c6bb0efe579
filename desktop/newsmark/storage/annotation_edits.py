"""Edits of one annotation set's spans, quotes and status, each in the caller's transaction.

The Repository opens the transaction (one per public method) and calls these, as it calls
`queries`, `batch` and `entity_ops`. Each edit checks the set's version (`version`, when
the caller gives one), writes one edit-log row and bumps the version (`edits.touch`), and
returns an `Edited` record: the domain object an undo command needs to invert the edit,
and the set's new version and status (the window shows those, it does not work them
out). `add_*` returns the stored object (with id), `delete_*` what was deleted, `update_*`
the new state; `replace_*` writes a full earlier state back, and `add_*` reuses a given
id, so undo/redo keep referring to the same rows. `reverts` is the log row an edit
inverts, when it is an undo or a redo (ADR 0006); `revert` inverts a logged edit from its
row alone, so undo also works from the log after a restart.

Every edit loads its set (`edits.load_set`: the version check, and on a server the set
row's lock) before it reads the span or quote it changes: a window whose version is stale
gets the version conflict (reload), not "no span with id ..." for an item another window
deleted, and on a server the item is read after the lock, never a copy from before
another writer's commit.
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
from newsmark.storage.orm import EditLogRow, QuoteRow, SpanRow
from newsmark.storage.records import Edited, EditLogEntry

# -- spans ---------------------------------------------------------------------------------


def add_span(
    s: Session,
    labels: LabelSet | None,
    set_id: int,
    span: Span,
    who: str,
    version: int | None = None,
    reverts: int | None = None,
) -> Edited[Span]:
    row = edits.load_set(s, set_id, version)
    # A span with an id is being restored (undo): its label was accepted once.
    edits.check_span_fits(s, row.document_id, set_id, span, labels if span.id is None else None)
    edits.check_entity(s, span.entity_id)
    new = SpanRow(id=edits.free_id(s, SpanRow, span.id), set_id=set_id, **rows.span_values(span))
    s.add(new)
    s.flush()
    result = rows.span(new)
    state = edits.touch(
        s, row, who, "add_span", new.id, None, rows.span_json(result), reverts=reverts
    )
    entity_ops.follow_mentions(s, who, state.logged, reverts, result.entity_id)
    return Edited(result, state)


def update_span(
    s: Session,
    labels: LabelSet | None,
    set_id: int,
    span_id: int,
    who: str,
    label: str | None,
    bounds: tuple[int | None, int | None],
    version: int | None = None,
    reverts: int | None = None,
) -> Edited[Span]:
    """Change label and/or boundaries (None keeps one); the span becomes a human one."""
    edits.load_set(s, set_id, version)  # the version and the lock first (module docstring)
    old = rows.span(edits.get_span_row(s, set_id, span_id))
    start, end = bounds
    changed = replace(
        old,
        label=old.label if label is None else label,
        start=old.start if start is None else start,
        end=old.end if end is None else end,
        origin=Origin.HUMAN,
        model=None,
    )
    done = edits.write_span(s, labels, set_id, old, changed, who, "update_span", version, reverts)
    if changed.label != old.label or reverts is not None:
        # A resize leaves the labels as they are: it must not undo a relabel made in the
        # Entities panel while the mentions still disagree with it.
        entity_ops.follow_mentions(s, who, done.state.logged, reverts, old.entity_id)
    return done


def replace_span(
    s: Session,
    set_id: int,
    span: Span,
    who: str,
    version: int | None = None,
    reverts: int | None = None,
) -> Edited[Span]:
    """Write every field of `span` (by its id) back: how undo restores an earlier state."""
    if span.id is None:
        raise ValueError("replace_span needs a span with an id")
    edits.load_set(s, set_id, version)
    old = rows.span(edits.get_span_row(s, set_id, span.id))
    done = edits.write_span(s, None, set_id, old, span, who, "replace_span", version, reverts)
    entity_ops.follow_mentions(s, who, done.state.logged, reverts, old.entity_id, span.entity_id)
    return done


def link_span(
    s: Session,
    labels: LabelSet | None,
    set_id: int,
    span_id: int,
    entity_id: int | None,
    who: str,
    version: int | None = None,
    reverts: int | None = None,
) -> Edited[Span]:
    """Link the mention to a corpus entity (None unlinks)."""
    edits.load_set(s, set_id, version)
    old = rows.span(edits.get_span_row(s, set_id, span_id))
    changed = replace(old, entity_id=entity_id)
    done = edits.write_span(s, labels, set_id, old, changed, who, "link_span", version, reverts)
    entity_ops.follow_mentions(s, who, done.state.logged, reverts, old.entity_id, entity_id)
    return done


def delete_span(
    s: Session,
    set_id: int,
    span_id: int,
    who: str,
    version: int | None = None,
    reverts: int | None = None,
) -> Edited[Span]:
    """The deleted span comes back with its id, so `add_span` can restore it."""
    row = edits.load_set(s, set_id, version)
    span_row = edits.get_span_row(s, set_id, span_id)
    old = rows.span(span_row)
    s.delete(span_row)
    state = edits.touch(
        s, row, who, "delete_span", span_id, rows.span_json(old), None, reverts=reverts
    )
    entity_ops.follow_mentions(s, who, state.logged, reverts, old.entity_id)
    return Edited(old, state)


# -- quotes --------------------------------------------------------------------------------


def add_quote(
    s: Session,
    labels: LabelSet | None,
    set_id: int,
    quote: Quote,
    who: str,
    version: int | None = None,
    reverts: int | None = None,
) -> Edited[Quote]:
    row = edits.load_set(s, set_id, version)
    checked = labels if quote.id is None else None  # an undo restores what was accepted once
    edits.check_quote_fits(s, row.document_id, set_id, quote, checked)
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
    s: Session,
    labels: LabelSet | None,
    set_id: int,
    quote_id: int,
    who: str,
    changes: dict[str, Any],
    version: int | None = None,
    reverts: int | None = None,
) -> Edited[Quote]:
    """Change any of parts, kind, speaker, speaker_label, cue, entity, entity_id."""
    changes = edits.quote_changes(changes)
    edits.load_set(s, set_id, version)
    row = edits.get_quote_row(s, set_id, quote_id)  # held: write_quote reuses it
    old = rows.quote(row)
    changed = replace(old, origin=Origin.HUMAN, model=None, **changes)
    return edits.write_quote(s, labels, set_id, old, changed, who, "update_quote", version, reverts)


def replace_quote(
    s: Session,
    set_id: int,
    quote: Quote,
    who: str,
    version: int | None = None,
    reverts: int | None = None,
) -> Edited[Quote]:
    """Write every field of `quote` (by its id) back: how undo restores an earlier state."""
    if quote.id is None:
        raise ValueError("replace_quote needs a quote with an id")
    edits.load_set(s, set_id, version)
    row = edits.get_quote_row(s, set_id, quote.id)  # held: write_quote reuses it
    old = rows.quote(row)
    return edits.write_quote(s, None, set_id, old, quote, who, "replace_quote", version, reverts)


def delete_quote(
    s: Session,
    set_id: int,
    quote_id: int,
    who: str,
    version: int | None = None,
    reverts: int | None = None,
) -> Edited[Quote]:
    row = edits.load_set(s, set_id, version)
    quote_row = edits.get_quote_row(s, set_id, quote_id)
    old = rows.quote(quote_row)
    s.delete(quote_row)
    state = edits.touch(
        s, row, who, "delete_quote", quote_id, rows.quote_json(old), None, reverts=reverts
    )
    return Edited(old, state)


# -- status and the log --------------------------------------------------------------------


def set_status(
    s: Session,
    set_id: int,
    status: Status | str,
    who: str,
    version: int | None = None,
    reverts: int | None = None,
) -> Edited[Status]:
    """Set the status; the record's item is the previous one (for undo)."""
    try:
        new = Status(status)
    except ValueError:
        raise UsageError(f"unknown status {status!r}") from None
    row = edits.load_set(s, set_id, version)
    old = Status(row.status)
    row.status = new.value
    before, after = {"status": old.value}, {"status": new.value}
    state = edits.touch(
        s, row, who, "set_status", set_id, before, after, human=False, reverts=reverts
    )
    return Edited(old, state)


def newest(s: Session, set_id: int | None) -> EditLogRow | None:
    """The set's newest log row (None: the newest corpus-wide row)."""
    where = EditLogRow.set_id.is_(None) if set_id is None else EditLogRow.set_id == set_id
    return s.scalars(
        select(EditLogRow).where(where).order_by(EditLogRow.id.desc()).limit(1)
    ).first()


def revert(s: Session, entry_id: int, who: str, version: int | None = None) -> EditLogEntry:
    """Apply the inverse of a logged span, quote, status or merge edit, as a new logged
    edit whose `reverts` is `entry_id`; returns the new entry (of the same set).

    `version` is the optimistic check of the set's edits (a merge is corpus-wide: none).

    Reverting the entry that a revert wrote redoes the original, so undo/redo stacks can
    be rebuilt from the log after a restart. Reverting one set's row of a merge undoes
    the whole merge.
    """
    found = s.get(EditLogRow, entry_id)
    if found is None:
        raise NotFoundError("edit log entry", entry_id)
    entry = rows.edit_log_entry(found)
    set_id, target, before = entry.set_id, entry.target_id or 0, entry.before
    if entry.op in history.MERGES:
        entity_ops.revert(s, entry_id, who)
        written = newest(s, set_id)
        if written is None or written.reverts != entry_id:  # the set was not touched
            written = newest(s, None)
        assert written is not None  # the revert logged its corpus-wide row
        return rows.edit_log_entry(written)
    if set_id is None or entry.op not in history.REVERSIBLE:
        raise AnnotationError(f"a {entry.op!r} edit cannot be reverted")
    if entry.op == "add_span":
        delete_span(s, set_id, target, who, version, entry_id)
    elif entry.op == "delete_span":
        add_span(s, None, set_id, rows.span_from_json(before), who, version, entry_id)
    elif entry.op.endswith("_span"):
        replace_span(s, set_id, rows.span_from_json(before), who, version, entry_id)
    elif entry.op == "add_quote":
        delete_quote(s, set_id, target, who, version, entry_id)
    elif entry.op == "delete_quote":
        add_quote(s, None, set_id, rows.quote_from_json(before), who, version, entry_id)
    elif entry.op.endswith("_quote"):
        replace_quote(s, set_id, rows.quote_from_json(before), who, version, entry_id)
    else:
        set_status(s, set_id, Status(before["status"]), who, version, entry_id)
    written = newest(s, set_id)
    assert written is not None  # the row just written
    return rows.edit_log_entry(written)
