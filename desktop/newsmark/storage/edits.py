"""Helpers shared by the repository's edit methods: load, validate, log and version a set."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, cast, func, literal, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from newsmark.domain.annotations import (
    AnnotationSet,
    blank_reason,
    check_parts_apart,
    check_range,
    is_blank,
    validate_span,
)
from newsmark.domain.errors import AnnotationError, ConflictError, NotFoundError
from newsmark.domain.labels import LabelSet
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Span
from newsmark.domain.status import Status
from newsmark.storage import rows
from newsmark.storage.orm import DocumentRow, EditLogRow, EntityRow, QuoteRow, SetRow, SpanRow
from newsmark.storage.records import Edited, SetState
from newsmark.storage.server_db import LOCK_ROWS

# A human edit moves a set out of these statuses into in_progress.
UNTOUCHED = tuple(s.value for s in Status if s.untouched)


def load_set(session: Session, set_id: int, expected_version: int | None = None) -> SetRow:
    # A server's write session reads the row FOR UPDATE: a second writer of this set waits
    # for the first to commit, then sees its version (READ COMMITTED), so the check below
    # refuses the second edit instead of both writing version n + 1. SQLite has one writer.
    row = session.get(SetRow, set_id, with_for_update=bool(session.info.get(LOCK_ROWS)))
    if row is None:
        raise NotFoundError("annotation set", set_id)
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(
            f"annotation set {set_id} was changed elsewhere (version {row.version}, this "
            f"window had {expected_version}); reload the document and redo the edit"
        )
    return row


def _same_json(session: Session, column: Any, value: str) -> ColumnElement[bool]:
    """Stored JSON equal to `value`, whatever spacing the stored text has."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(column, JSONB) == literal(json.loads(value), JSONB)
    # json() on both sides: the stored text's spacing depends on who wrote it.
    return func.json(column) == func.json(value)


def document_text(session: Session, document_id: int) -> str:
    text = session.scalar(select(DocumentRow.text).where(DocumentRow.id == document_id))
    if text is None:
        raise NotFoundError("document", document_id)
    return text


def log(
    session: Session,
    set_id: int | None,
    who: str,
    op: str,
    target_id: int | None,
    before: Any,
    after: Any,
    reverts: int | None = None,
) -> int:
    """Append a log row; `reverts` is the row an undo or redo inverts (None: a new edit).
    Returns the row's id (written now, in the caller's transaction)."""
    row = EditLogRow(
        set_id=set_id,
        at=rows.utcnow(),
        who=who,
        op=op,
        target_id=target_id,
        before=before,
        after=after,
        reverts=reverts,
    )
    session.add(row)
    session.flush()
    return row.id


def touch(
    session: Session,
    row: SetRow,
    who: str,
    op: str,
    target_id: int | None,
    before: Any,
    after: Any,
    *,
    human: bool = True,
    reverts: int | None = None,
) -> SetState:
    """Log the edit, bump the version and move an untouched set to in_progress.

    Returns the set's new state, which the edit methods hand back to the window.
    """
    row.version += 1
    row.updated_at = rows.utcnow()
    if human and row.status in UNTOUCHED:
        row.status = Status.IN_PROGRESS.value
    logged = log(session, row.id, who, op, target_id, before, after, reverts)
    return SetState(row.version, Status(row.status), logged)


def span_rows(session: Session, set_id: int) -> list[SpanRow]:
    return list(session.scalars(select(SpanRow).where(SpanRow.set_id == set_id)))


def quote_rows(session: Session, set_id: int) -> list[QuoteRow]:
    return list(session.scalars(select(QuoteRow).where(QuoteRow.set_id == set_id)))


def get_span_row(session: Session, set_id: int, span_id: int) -> SpanRow:
    row = session.get(SpanRow, span_id)
    if row is None or row.set_id != set_id:
        raise NotFoundError("span", span_id, f"annotation set {set_id}")
    return row


def get_quote_row(session: Session, set_id: int, quote_id: int) -> QuoteRow:
    row = session.get(QuoteRow, quote_id)
    if row is None or row.set_id != set_id:
        raise NotFoundError("quote", quote_id, f"annotation set {set_id}")
    return row


def check_entity(session: Session, entity_id: int | None) -> None:
    if entity_id is not None and session.get(EntityRow, entity_id) is None:
        raise NotFoundError("entity", entity_id)


def check_span_fits(
    session: Session,
    document_id: int,
    set_id: int,
    new: Span,
    labels: LabelSet | None,
    exclude_id: int | None = None,
) -> None:
    """The checks of `check_spans` for one span, asked of SQLite instead of in Python.

    An edit in a document with 20,000 spans must not load them all (nor its megabyte of
    text): the range and whitespace checks read the length and the substring in SQL
    (SQLite counts characters, as Python does), and the overlap check asks for the
    neighbours only.
    """
    if not (isinstance(new.start, int) and isinstance(new.end, int)) or new.start >= new.end:
        check_range(new.end, new.start, new.end)  # raises the reversed/empty message
    piece = session.scalar(
        select(func.substr(DocumentRow.text, max(new.start, 0) + 1, new.end - new.start)).where(
            DocumentRow.id == document_id
        )
    )
    if piece is None:
        raise NotFoundError("document", document_id)
    if new.start < 0 or len(piece) != new.end - new.start:
        # Past the end: only now pay for counting the whole text's characters.
        length = session.scalar(
            select(func.length(DocumentRow.text)).where(DocumentRow.id == document_id)
        )
        check_range(int(length or 0), new.start, new.end)
    if is_blank(str(piece)):
        raise AnnotationError(blank_reason(new.start, new.end, str(piece)))
    if labels is not None and new.label not in labels:
        raise AnnotationError(f"unknown label {new.label!r}")
    # Stored spans never overlap, so only the one starting last before `new.end` can
    # overlap `new`: an index seek on (set_id, start), not a scan of the set.
    before = select(SpanRow.start, SpanRow.end, SpanRow.label).where(
        SpanRow.set_id == set_id, SpanRow.start < new.end
    )
    if exclude_id is not None:
        before = before.where(SpanRow.id != exclude_id)
    other = session.execute(before.order_by(SpanRow.start.desc()).limit(1)).first()
    if other is None or other[1] <= new.start:
        return
    o_start, o_end, o_label = other
    if (o_start, o_end, o_label) == new.key:
        raise AnnotationError(f"duplicate span {new.start}..{new.end} {new.label}")
    first, second = sorted([(o_start, o_end, o_label), new.key])
    raise AnnotationError(
        f"spans {first[0]}..{first[1]} {first[2]} and {second[0]}..{second[1]} {second[2]} overlap",
    )


def check_spans(text: str, others: Sequence[Span], new: Span, labels: LabelSet | None) -> None:
    """`new` must be valid (with a known label) and fit beside `others` (no duplicate/overlap).

    Only the new span's label is checked against `labels`: older spans may carry labels
    added at import, and an unrelated edit must not fail because of them.
    """
    validate_span(text, new, labels)
    AnnotationSet(0, "", spans=[*others, new]).validate(text, None)


def check_quote_fits(
    session: Session,
    document_id: int,
    set_id: int,
    new: Quote,
    labels: LabelSet | None,
    exclude_id: int | None = None,
) -> None:
    """A new or changed quote must be valid (known speaker label, in-range parts, speaker
    and cue) and not duplicate another of the set: asked of SQLite, as `check_span_fits`.

    A quote edit in a document with 1,000 quotes must not load them all (nor the text):
    the ranges are checked against one character read at the furthest end, and the
    duplicate check is one query for a stored quote with the same key.
    """
    if labels is not None and new.speaker_label is not None and new.speaker_label not in labels:
        raise AnnotationError(f"unknown speaker label {new.speaker_label!r}")
    if not new.parts:
        raise AnnotationError("quote has no content")
    ranges = [(s, e, "quote") for s, e in new.parts]
    ranges += [(*r, what) for r, what in ((new.speaker, "speaker"), (new.cue, "cue")) if r]
    reach = max((e for _, e, _ in ranges if isinstance(e, int)), default=0)
    # SQLite counts characters as Python does; substr walks to `reach`, no further.
    last = session.scalar(
        select(func.substr(DocumentRow.text, max(reach, 1), 1)).where(DocumentRow.id == document_id)
    )
    if last is None:
        raise NotFoundError("document", document_id)
    fits = bool(last)  # the text has at least `reach` characters
    if fits:
        try:
            for start, end, what in ranges:
                check_range(reach, start, end, what)
        except AnnotationError:
            fits = False
    if not fits:
        # The message names the text's real length: only now pay for counting all of it.
        length = session.scalar(
            select(func.length(DocumentRow.text)).where(DocumentRow.id == document_id)
        )
        for start, end, what in ranges:
            check_range(int(length or 0), start, end, what)
    check_parts_apart(new.parts)
    speaker, cue = new.speaker or (None, None), new.cue or (None, None)
    same = select(QuoteRow.id).where(
        QuoteRow.set_id == set_id,
        QuoteRow.kind == QuoteKind(new.kind).value,
        QuoteRow.speaker_start.is_not_distinct_from(speaker[0]),
        QuoteRow.speaker_end.is_not_distinct_from(speaker[1]),
        QuoteRow.cue_start.is_not_distinct_from(cue[0]),
        QuoteRow.cue_end.is_not_distinct_from(cue[1]),
        _same_json(session, QuoteRow.parts, json.dumps([[s, e] for s, e in new.parts])),
    )
    if exclude_id is not None:
        same = same.where(QuoteRow.id != exclude_id)
    if session.scalar(same.limit(1)) is not None:
        raise AnnotationError(f"duplicate quote at {new.start}..{new.end}")


def free_id(
    session: Session, table: type[SpanRow] | type[QuoteRow], wanted: int | None
) -> int | None:
    """Reuse `wanted` (an undo re-adding what it deleted keeps the id later redos refer to)."""
    if wanted is None:
        return None
    if session.get(table, wanted) is not None:
        raise ConflictError(f"{table.__tablename__[:-1]} id {wanted} is already in use")
    return wanted


QUOTE_FIELDS = ("parts", "kind", "speaker", "speaker_label", "cue", "entity", "entity_id")


def quote_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """Check and coerce `update_quote` keyword arguments (lists from JSON become tuples)."""
    unknown = set(changes) - set(QUOTE_FIELDS)
    if unknown:
        raise ValueError(f"unknown quote fields: {', '.join(sorted(unknown))}")
    if "parts" in changes:
        changes["parts"] = tuple((int(a), int(b)) for a, b in changes["parts"])
    if "kind" in changes:
        try:
            changes["kind"] = QuoteKind(changes["kind"])
        except ValueError:
            raise AnnotationError(f"unknown quote kind {changes['kind']!r}") from None
    for key in ("speaker", "cue"):
        if changes.get(key) is not None:
            changes[key] = (int(changes[key][0]), int(changes[key][1]))
    return changes


def write_span(
    s: Session,
    labels: LabelSet | None,
    set_id: int,
    old: Span,
    new: Span,
    who: str,
    op: str,
    version: int | None,
    reverts: int | None = None,
) -> Edited[Span]:
    row = load_set(s, set_id, version)
    checked = labels if new.label != old.label else None
    check_span_fits(s, row.document_id, set_id, new, checked, exclude_id=old.id)
    check_entity(s, new.entity_id)
    span_row = get_span_row(s, set_id, old.id or 0)
    for key, value in rows.span_values(new).items():
        setattr(span_row, key, value)
    s.flush()
    result = rows.span(span_row)
    state = touch(
        s, row, who, op, old.id, rows.span_json(old), rows.span_json(result), reverts=reverts
    )
    return Edited(result, state)


def write_quote(
    s: Session,
    labels: LabelSet | None,
    set_id: int,
    old: Quote,
    new: Quote,
    who: str,
    op: str,
    version: int | None,
    reverts: int | None = None,
) -> Edited[Quote]:
    row = load_set(s, set_id, version)
    check_quote_fits(s, row.document_id, set_id, new, labels, exclude_id=old.id)
    check_entity(s, new.entity_id)
    quote_row = get_quote_row(s, set_id, old.id or 0)
    for key, value in rows.quote_values(new).items():
        setattr(quote_row, key, value)
    s.flush()
    result = rows.quote(quote_row)
    state = touch(
        s, row, who, op, old.id, rows.quote_json(old), rows.quote_json(result), reverts=reverts
    )
    return Edited(result, state)


def new_set(s: Session, doc_id: int, annotator: str) -> SetRow:
    now = rows.utcnow()
    row = SetRow(
        document_id=doc_id,
        annotator=annotator,
        status=Status.NEW.value,
        version=0,
        created_at=now,
        updated_at=now,
    )
    s.add(row)
    s.flush()
    return row


def load_annotation_set(s: Session, row: SetRow) -> AnnotationSet:
    spans = [rows.span(r) for r in span_rows(s, row.id)]
    quotes = [rows.quote(r) for r in quote_rows(s, row.id)]
    return rows.annotation_set(row, spans, quotes)
