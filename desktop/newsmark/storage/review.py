"""Review writes to a gold set (through annotation_edits, one transaction) and the list
of documents to review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Span
from newsmark.domain.status import Status
from newsmark.storage import annotation_edits, edits, rows
from newsmark.storage.orm import DocumentRow, SetRow
from newsmark.storage.records import SetState


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """A document with its annotators' sets and its gold set's state, for `review --list`."""

    doc_id: int
    title: str
    annotators: tuple[tuple[str, str], ...]  # (annotator, status)
    gold_status: str | None  # None: no gold set yet
    reviewed_by: str | None
    reviewed_at: str | None


def replace_items(
    s: Session,
    set_id: int,
    drop_spans: Sequence[int],
    drop_quotes: Sequence[int],
    spans: Sequence[Span],
    quotes: Sequence[Quote],
    who: str,
    version: int | None,
    reviewed: bool,
) -> SetState:
    """Delete the set's spans and quotes `drop_*` (ids), add copies of `spans`, `quotes`
    (another set's: new ids, no label check, they were accepted once), and with
    `reviewed` accept the set as reviewed by `who`: each step an edit-log row."""
    edits.load_set(s, set_id, version)  # the optimistic check, once, before any change
    logged: int | None = None
    for span_id in drop_spans:
        logged = annotation_edits.delete_span(s, set_id, span_id, who).state.logged
    for quote_id in drop_quotes:
        logged = annotation_edits.delete_quote(s, set_id, quote_id, who).state.logged
    for span in spans:
        new = replace(span, id=None)
        logged = annotation_edits.add_span(s, None, set_id, new, who).state.logged
    for quote in quotes:
        q = replace(quote, id=None)
        logged = annotation_edits.add_quote(s, None, set_id, q, who).state.logged
    if reviewed:
        logged = mark_reviewed(s, set_id, who).logged
    row = edits.load_set(s, set_id)
    return SetState(row.version, Status(row.status), logged)


def mark_reviewed(s: Session, set_id: int, who: str, version: int | None = None) -> SetState:
    """Accept the set (a logged status edit) and record `who` reviewed it, now."""
    state = annotation_edits.set_status(s, set_id, Status.ACCEPTED, who, version).state
    row = edits.load_set(s, set_id)
    row.reviewed_by = who
    row.reviewed_at = rows.utcnow()
    return state


def reviewed(s: Session, set_id: int) -> tuple[str | None, str | None]:
    """(reviewed_by, reviewed_at) of a set."""
    row = edits.load_set(s, set_id)
    return row.reviewed_by, row.reviewed_at


def overview(s: Session, gold: str, skipped: Sequence[str] = ()) -> list[ReviewRow]:
    """Documents with sets of two or more annotators (other than `gold`, and not in a
    `skipped` status), in id order."""
    found = s.execute(
        select(
            SetRow.document_id,
            DocumentRow.title,
            SetRow.annotator,
            SetRow.status,
            SetRow.reviewed_by,
            SetRow.reviewed_at,
        )
        .join(DocumentRow, DocumentRow.id == SetRow.document_id)
        .order_by(SetRow.document_id, SetRow.annotator)
    ).all()
    by_doc: dict[int, list[tuple[str, str, str, str | None, str | None]]] = {}
    for doc_id, title, annotator, status, by, at in found:
        by_doc.setdefault(doc_id, []).append((title or "", annotator, status, by, at))
    out: list[ReviewRow] = []
    for doc_id, sets in by_doc.items():
        others = tuple((a, st) for _, a, st, _, _ in sets if a != gold and st not in skipped)
        if len(others) < 2:
            continue
        mine = [(st, by, at) for _, a, st, by, at in sets if a == gold]
        gold_status, by, at = mine[0] if mine else (None, None, None)
        out.append(ReviewRow(doc_id, sets[0][0], others, gold_status, by, at))
    return out
