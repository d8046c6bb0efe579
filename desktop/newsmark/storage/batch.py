"""Bulk writes: documents with their annotations, predictions stored and replayed (undo)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from newsmark.domain.annotations import AnnotationSet
from newsmark.domain.document import DocumentInput, Token
from newsmark.domain.errors import AnnotationError, ConflictError
from newsmark.domain.labels import LabelSet
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.storage import edits, rows
from newsmark.storage.orm import DocumentRow, QuoteRow, SetRow, SpanRow
from newsmark.storage.records import BatchInputError, ImportedItem, ModelRun

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


def import_documents(
    s: Session,
    items: Sequence[tuple[DocumentInput, Sequence[Token]]],
    annotator: str,
    statuses: Sequence[Status | None],
) -> list[ImportedItem]:
    """Store checked items (`validate_inputs`): new documents, and a set for each item
    that makes one; what was stored, per item (see `Repository.import_documents`)."""
    known = existing_ids(s, [item.sha256 for item, _ in items])
    # Only a file that brings tokens of its own can disagree with the stored ones.
    own = {known[i.sha256] for i, _ in items if i.tokens is not None and i.sha256 in known}
    old_tokens = packed_tokens(s, sorted(own))
    fresh: dict[str, tuple[DocumentInput, Sequence[Token]]] = {}
    for item, tokens in items:
        if item.sha256 not in known:
            fresh.setdefault(item.sha256, (item, tokens))  # first copy in the batch
    new_ids = insert_documents(s, list(fresh.values()))
    known.update(zip(fresh, new_ids, strict=True))
    created = set(new_ids)
    out: list[ImportedItem] = []
    for (item, tokens), status in zip(items, statuses, strict=True):
        doc_id = known[item.sha256]
        set_id = None
        if item.makes_set:
            set_id = import_set(s, doc_id, item, item.annotator or annotator, status)
        other = (
            item.tokens is not None
            and doc_id in old_tokens
            and old_tokens[doc_id] != rows.pack_tokens(tokens)
        )
        spans, quotes = (len(item.spans), len(item.quotes)) if set_id else (0, 0)
        out.append(ImportedItem(doc_id, doc_id in created, set_id, spans, quotes, other))
        created.discard(doc_id)  # a second copy in the same batch is a duplicate
    return out


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
    *,
    add_only: bool = False,
    labels: LabelSet | None = None,
    uncertainty: float | None = None,
) -> ModelRun | None:
    """Store a prediction in the set; None, writing nothing, when a person edited it.

    `uncertainty` (how unsure the model was of the document) goes to the set's row in
    the same UPDATE as its status and version; None leaves the stored value.

    By default the set's model spans and quotes make way for the prediction's (a set a
    person edited only with `force`, never a decided one: accepted, rejected, skipped);
    human, rule and import ones stay, and a prediction never overrides them. `add_only`
    keeps everything stored and adds the predicted spans that overlap none (of a label
    in `labels`), no quotes: a re-run over human edits.
    """
    before = Status(set_row.status)
    if not (force or add_only) and before.value not in edits.UNTOUCHED:
        return None
    if force and not add_only and before.is_decided:
        # A decided set's status says a person saw every annotation in it; a forced
        # prediction would be trained on as gold unseen. Set it back to in_progress first.
        return None
    text = edits.document_text(session, set_row.document_id)
    old_spans = [rows.span(r) for r in edits.span_rows(session, set_row.id)]
    old_quotes = [rows.quote(r) for r in edits.quote_rows(session, set_row.id)]
    if add_only:
        gone_spans: list[Span] = []
        gone_quotes: list[Quote] = []
        spans = [s for s in spans if labels is None or s.label in labels]
        quotes = []
    else:
        gone_spans = [s for s in old_spans if s.origin is Origin.MODEL]
        gone_quotes = [q for q in old_quotes if q.origin is Origin.MODEL]
    gone = {s.id for s in gone_spans}, {q.id for q in gone_quotes}
    kept_spans = [s for s in old_spans if s.id not in gone[0]]
    kept_quote_keys = {q.key for q in old_quotes if q.id not in gone[1]}
    # A prediction never overrides what a person (or an import) decided on that text.
    # New rows get ids above every stored one, given here: no read-back of 20,000 rows.
    added_spans = clear_of(kept_spans, spans)
    added_quotes = [q for q in quotes if q.key not in kept_quote_keys]
    span_ids = _new_ids(session, SpanRow, len(added_spans))
    quote_ids = _new_ids(session, QuoteRow, len(added_quotes))
    new_spans = [
        replace(s, id=i, origin=Origin.MODEL) for i, s in zip(span_ids, added_spans, strict=True)
    ]
    new_quotes = [
        replace(q, id=i, origin=Origin.MODEL) for i, q in zip(quote_ids, added_quotes, strict=True)
    ]
    try:
        AnnotationSet(0, "", spans=new_spans, quotes=new_quotes).validate(text, None)
    except AnnotationError as exc:
        raise AnnotationError(f"prediction refused: {exc.reason}") from None
    model = Origin.MODEL.value
    if gone_spans:
        session.execute(
            delete(SpanRow).where(SpanRow.set_id == set_row.id, SpanRow.origin == model)
        )
    if gone_quotes:
        session.execute(
            delete(QuoteRow).where(QuoteRow.set_id == set_row.id, QuoteRow.origin == model)
        )
    store_annotations(session, set_row.id, new_spans, new_quotes)
    if before is Status.NEW:
        set_row.status = Status.PREANNOTATED.value
    elif before.is_decided and (new_spans or new_quotes):
        # The decision covered what the person saw: model output added since (a re-run
        # that adds spans) is not part of it, nor trained on as gold, until they decide
        # again. Undoing the run gives the decision back (replay restores `before`).
        set_row.status = Status.IN_PROGRESS.value
    uncertainty_before = set_row.uncertainty
    if uncertainty is not None:
        set_row.uncertainty = uncertainty
    summary_before = {
        "status": before.value,
        "model_spans": len(gone_spans),
        "model_quotes": len(gone_quotes),
    }
    after = {
        "status": set_row.status,
        "model_spans": len(new_spans),
        "model_quotes": len(new_quotes),
        "model": next((s.model for s in new_spans if s.model), None),
        "force": force,
    }
    if add_only:
        after["add_only"] = True
    state = edits.touch(
        session,
        set_row,
        set_row.annotator,
        "save_predictions",
        None,
        summary_before,
        after,
        human=False,
    )
    return ModelRun(
        set_row.id,
        tuple(gone_spans),
        tuple(new_spans),
        tuple(gone_quotes),
        tuple(new_quotes),
        before,
        state,
        uncertainty_before,
        set_row.uncertainty,
    )


def replay_predictions(
    session: Session, run: ModelRun, who: str, *, undo: bool, version: int | None = None
) -> ModelRun:
    """Write a stored model run again (redo) or its inverse (undo), ids and status included.

    What it takes out must be stored as the run left it and what it puts back must fit,
    and the set must still be at `version` when one is given; otherwise it refuses
    (NotFoundError, ConflictError, AnnotationError) and writes nothing.
    """
    set_row = edits.load_set(session, run.set_id, version)
    if undo:
        out_spans, out_quotes = run.added_spans, run.added_quotes
        in_spans, in_quotes, status = run.removed_spans, run.removed_quotes, run.before
    else:
        out_spans, out_quotes = run.removed_spans, run.removed_quotes
        in_spans, in_quotes, status = run.added_spans, run.added_quotes, run.state.status
    removed_spans = [rows.span(r) for r in _stored(session, SpanRow, run.set_id, out_spans)]
    removed_quotes = [rows.quote(r) for r in _stored(session, QuoteRow, run.set_id, out_quotes)]
    gone = {s.id for s in removed_spans}, {q.id for q in removed_quotes}
    # An id this step takes out may come back in (a run's rows replaced by themselves).
    _check_free(session, SpanRow, [s.id for s in in_spans if s.id not in gone[0]])
    _check_free(session, QuoteRow, [q.id for q in in_quotes if q.id not in gone[1]])
    for entity_id in {s.entity_id for s in in_spans} | {q.entity_id for q in in_quotes}:
        edits.check_entity(session, entity_id)
    stay_spans = [rows.span(r) for r in edits.span_rows(session, run.set_id) if r.id not in gone[0]]
    stay_quotes = [
        rows.quote(r) for r in edits.quote_rows(session, run.set_id) if r.id not in gone[1]
    ]
    text = edits.document_text(session, set_row.document_id)
    AnnotationSet(
        0, "", spans=[*stay_spans, *in_spans], quotes=[*stay_quotes, *in_quotes]
    ).validate(text, None)
    for table, ids in ((SpanRow, list(gone[0])), (QuoteRow, list(gone[1]))):
        for i in range(0, len(ids), CHUNK):
            session.execute(delete(table).where(table.id.in_(ids[i : i + CHUNK])))
    store_annotations(session, run.set_id, in_spans, in_quotes)
    before = Status(set_row.status)
    set_row.status = status.value
    uncertainty_before = set_row.uncertainty
    set_row.uncertainty = run.uncertainty_before if undo else run.uncertainty_after
    state = edits.touch(
        session,
        set_row,
        who,
        "undo_predictions" if undo else "redo_predictions",
        None,
        {"status": before.value, "spans": len(removed_spans), "quotes": len(removed_quotes)},
        {"status": status.value, "spans": len(in_spans), "quotes": len(in_quotes)},
        human=False,
    )
    return ModelRun(
        run.set_id,
        tuple(removed_spans),
        tuple(in_spans),
        tuple(removed_quotes),
        tuple(in_quotes),
        before,
        state,
        uncertainty_before,
        set_row.uncertainty,
    )


def _stored(
    session: Session,
    table: type[SpanRow] | type[QuoteRow],
    set_id: int,
    items: Sequence[Span] | Sequence[Quote],
) -> list[Any]:
    """The stored rows of `items` (by id); a ConflictError if one is gone or changed."""
    wanted: dict[int | None, Span | Quote] = {item.id: item for item in items}
    ids = list(wanted)
    found: list[Any] = []
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        found += session.scalars(select(table).where(table.id.in_(chunk), table.set_id == set_id))
    convert = rows.span if table is SpanRow else rows.quote
    if len(found) != len(wanted) or any(convert(r) != wanted[r.id] for r in found):
        what = table.__tablename__
        raise ConflictError(f"the {what} of annotation set {set_id} changed since the model run")
    return found


def _check_free(
    session: Session, table: type[SpanRow] | type[QuoteRow], ids: Sequence[int | None]
) -> None:
    """Ids an undo or redo puts back must be free (later steps refer to them)."""
    wanted = [i for i in ids if i is not None]
    for i in range(0, len(wanted), CHUNK):
        taken = session.scalar(select(table.id).where(table.id.in_(wanted[i : i + CHUNK])))
        if taken is not None:
            raise ConflictError(f"{table.__tablename__[:-1]} id {taken} is already in use")


def clear_of(kept: Sequence[Span], spans: Sequence[Span]) -> list[Span]:
    """The spans that overlap none of `kept` (stored spans: sorted, none overlapping)."""
    ordered = sorted(kept, key=lambda s: s.start)
    starts = [s.start for s in ordered]
    out = []
    for span in spans:
        i = bisect_left(starts, span.end) - 1  # the last kept span starting before its end
        if i < 0 or ordered[i].end <= span.start:
            out.append(span)
    return out


def store_annotations(
    session: Session, set_id: int, spans: Sequence[Span], quotes: Sequence[Quote]
) -> None:
    """Insert spans and quotes under the ids they carry (one executemany each)."""
    if any(s.id is None for s in spans) or any(q.id is None for q in quotes):
        raise ValueError("store_annotations: every span and quote needs its id")
    if spans:
        session.execute(
            insert(SpanRow), [{"id": s.id, "set_id": set_id, **rows.span_values(s)} for s in spans]
        )
    if quotes:
        session.execute(
            insert(QuoteRow),
            [{"id": q.id, "set_id": set_id, **rows.quote_values(q)} for q in quotes],
        )


def _new_ids(session: Session, table: type[SpanRow] | type[QuoteRow], count: int) -> list[int]:
    """`count` ids for new rows: above every stored one on SQLite (one writer), from the
    table's sequence on a server, where writers run side by side and the sequence must
    stay ahead of every id in use."""
    if not count:
        return []
    if session.get_bind().dialect.name == "postgresql":
        seq = func.pg_get_serial_sequence(table.__tablename__, "id")
        stmt = select(func.nextval(seq)).select_from(func.generate_series(1, count))
        return [int(i) for i in session.scalars(stmt)]
    first = (session.scalar(select(func.max(table.id))) or 0) + 1
    return list(range(first, first + count))
