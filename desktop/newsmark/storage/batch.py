"""Bulk writes: importing documents with their annotations, and saving predictions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from newsmark.domain.annotations import AnnotationSet
from newsmark.domain.document import DocumentInput, Token
from newsmark.domain.errors import AnnotationError
from newsmark.domain.labels import LabelSet
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.storage import edits, rows
from newsmark.storage.orm import DocumentRow, QuoteRow, SetRow, SpanRow
from newsmark.storage.records import BatchInputError

# SQLite allows 32766 bound parameters; stay far below for `IN (...)` lists.
CHUNK = 500


def validate_inputs(
    items: Sequence[tuple[DocumentInput, Sequence[Token]]], labels: LabelSet | None
) -> list[Status | None]:
    """Check every item before anything is written; return each item's import status."""
    statuses: list[Status | None] = []
    for index, (item, _tokens) in enumerate(items):
        if not isinstance(item.text, str) or not item.text.strip():
            raise BatchInputError(index, "the document has no text", len(items))
        try:
            status = Status(item.status) if item.status is not None else None
        except ValueError:
            raise BatchInputError(index, f"unknown status {item.status!r}", len(items)) from None
        try:
            AnnotationSet(0, "", spans=list(item.spans), quotes=list(item.quotes)).validate(
                item.text, labels
            )
        except AnnotationError as exc:
            raise BatchInputError(index, exc.reason, len(items)) from None
        statuses.append(status)
    return statuses


def existing_ids(session: Session, shas: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    unique = sorted(set(shas))
    for i in range(0, len(unique), CHUNK):
        chunk = unique[i : i + CHUNK]
        stmt = select(DocumentRow.sha256, DocumentRow.id).where(DocumentRow.sha256.in_(chunk))
        found.update({sha: doc_id for sha, doc_id in session.execute(stmt)})
    return found


def packed_tokens(session: Session, doc_ids: Sequence[int]) -> dict[int, str]:
    """The stored (packed) tokens of these documents, to compare with a file's own."""
    found: dict[int, str] = {}
    for i in range(0, len(doc_ids), CHUNK):
        chunk = doc_ids[i : i + CHUNK]
        stmt = select(DocumentRow.id, DocumentRow.tokens).where(DocumentRow.id.in_(chunk))
        found.update({doc_id: tokens for doc_id, tokens in session.execute(stmt)})
    return found


def insert_documents(
    session: Session, items: Sequence[tuple[DocumentInput, Sequence[Token]]]
) -> list[int]:
    """Insert in one executemany; ids come back in input order."""
    if not items:
        return []
    now = rows.utcnow()
    params = []
    for item, tokens in items:
        meta = dict(item.meta)
        title, source = meta.get("title"), meta.get("source")
        params.append(
            {
                "sha256": item.sha256,
                "text": item.text,
                "meta": meta,
                "title": str(title)[:500] if title else None,
                "source": str(source)[:1000] if source else None,
                "created_at": now,
                "tokens": rows.pack_tokens(tokens),
            }
        )
    stmt = insert(DocumentRow).returning(DocumentRow.id, sort_by_parameter_order=True)
    return list(session.scalars(stmt, params))


def _keys(spans: Sequence[Span], quotes: Sequence[Quote]) -> tuple[frozenset[object], ...]:
    return frozenset(s.key for s in spans), frozenset(q.key for q in quotes)


def import_set(
    session: Session, doc_id: int, item: DocumentInput, annotator: str, status: Status | None
) -> int | None:
    """Store the item's annotations as a new set; None if an identical set already exists.

    A second import of the same file is thus a no-op, and a different annotation of the
    same text from the same source lands beside it as `<annotator>#2`.
    """
    # Imported entity ids belong to another database; only the quote's entity name is kept.
    spans = [replace(s, origin=Origin.IMPORT, entity_id=None, id=None) for s in item.spans]
    quotes = [replace(q, origin=Origin.IMPORT, entity_id=None, id=None) for q in item.quotes]
    wanted = _keys(spans, quotes)
    taken: set[str] = set()
    for set_row in session.scalars(select(SetRow).where(SetRow.document_id == doc_id)):
        taken.add(set_row.annotator)
        if set_row.annotator != annotator and not set_row.annotator.startswith(annotator + "#"):
            continue
        have = _keys(
            [rows.span(r) for r in edits.span_rows(session, set_row.id)],
            [rows.quote(r) for r in edits.quote_rows(session, set_row.id)],
        )
        if have == wanted:
            return None
    name, n = annotator, 1
    while name in taken:
        n += 1
        name = f"{annotator}#{n}"
    now = rows.utcnow()
    final = status or Status.PREANNOTATED
    set_row = SetRow(
        document_id=doc_id,
        annotator=name,
        status=final.value,
        version=1,
        created_at=now,
        updated_at=now,
    )
    session.add(set_row)
    session.flush()
    insert_annotations(session, set_row.id, spans, quotes)
    summary = {"annotator": name, "status": final.value, "spans": len(spans), "quotes": len(quotes)}
    edits.log(session, set_row.id, annotator, "import", doc_id, None, summary)
    return set_row.id


def insert_annotations(
    session: Session, set_id: int, spans: Sequence[Span], quotes: Sequence[Quote]
) -> None:
    # Core bulk inserts: one executemany each instead of an ORM object per span.
    if spans:
        session.execute(insert(SpanRow), [{"set_id": set_id, **rows.span_values(s)} for s in spans])
    if quotes:
        session.execute(
            insert(QuoteRow), [{"set_id": set_id, **rows.quote_values(q)} for q in quotes]
        )


def save_predictions(
    session: Session,
    set_row: SetRow,
    spans: Sequence[Span],
    quotes: Sequence[Quote],
    force: bool,
) -> bool:
    """Replace the set's model spans and quotes; keep human, rule and import ones."""
    if not force and set_row.status not in edits.UNTOUCHED:
        return False
    text = edits.document_text(session, set_row.document_id)
    model = Origin.MODEL.value
    old_spans = edits.span_rows(session, set_row.id)
    old_quotes = edits.quote_rows(session, set_row.id)
    kept_spans = [rows.span(r) for r in old_spans if r.origin != model]
    kept_quotes = [rows.quote(r) for r in old_quotes if r.origin != model]
    # A prediction never overrides what a person (or an import) decided on that text.
    new_spans = [
        replace(s, id=None, origin=Origin.MODEL)
        for s in spans
        if not any(k.overlaps(s) for k in kept_spans)
    ]
    kept_quote_keys = {q.key for q in kept_quotes}
    new_quotes = [
        replace(q, id=None, origin=Origin.MODEL) for q in quotes if q.key not in kept_quote_keys
    ]
    try:
        AnnotationSet(0, "", spans=new_spans, quotes=new_quotes).validate(text, None)
    except AnnotationError as exc:
        raise AnnotationError(f"prediction refused: {exc.reason}") from None
    session.execute(delete(SpanRow).where(SpanRow.set_id == set_row.id, SpanRow.origin == model))
    session.execute(delete(QuoteRow).where(QuoteRow.set_id == set_row.id, QuoteRow.origin == model))
    insert_annotations(session, set_row.id, new_spans, new_quotes)
    before = {
        "status": set_row.status,
        "model_spans": len(old_spans) - len(kept_spans),
        "model_quotes": len(old_quotes) - len(kept_quotes),
    }
    if set_row.status == Status.NEW.value:
        set_row.status = Status.PREANNOTATED.value
    after = {
        "status": set_row.status,
        "model_spans": len(new_spans),
        "model_quotes": len(new_quotes),
        "model": next((s.model for s in new_spans if s.model), None),
        "force": force,
    }
    edits.touch(
        session, set_row, set_row.annotator, "save_predictions", None, before, after, human=False
    )
    return True
