"""Read-side queries: the document list, streamed export and corpus statistics."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any, TypeVarTuple

from sqlalchemy import (
    ColumnElement,
    Exists,
    Integer,
    Select,
    and_,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Session, aliased

from newsmark.domain.annotations import AnnotationSet, ExportSet
from newsmark.domain.document import Document
from newsmark.domain.entities import Entity
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import SpanFields
from newsmark.domain.status import Status
from newsmark.storage import fulltext, rows
from newsmark.storage.orm import (
    AssignmentRow,
    DocumentRow,
    EditLogRow,
    EntityRow,
    QuoteRow,
    SetRow,
    SpanRow,
)
from newsmark.storage.records import DocumentSummary

Ts = TypeVarTuple("Ts")
TITLE_PREVIEW = 300  # characters of text fetched to make a title for untitled documents
PAGE = 500  # documents per summary query when a whole list is asked for (bound parameters)

# The FTS5 index (storage.fulltext): only its rowid and the MATCH operator are used here.
_FTS = table(fulltext.TABLE, column("rowid", Integer))
_FTS_NAME: ColumnElement[Any] = literal_column(fulltext.TABLE)


def _status_filter(status: str | None) -> str | None:
    if status is None or status == "any":
        return None
    return Status(status).value  # ValueError for unknown statuses


def _candidate_sets(annotator: str | None, status: str | None) -> Select[int]:
    """Sets of the outer query's document matching the filters (an alias: the outer query
    joins SetRow itself, and auto-correlation would otherwise swallow the inner one)."""
    inner = aliased(SetRow)
    stmt = select(inner.id).where(inner.document_id == DocumentRow.id)
    if annotator is not None:
        stmt = stmt.where(inner.annotator == annotator)
    if status is not None:
        stmt = stmt.where(inner.status == status)
    return stmt.order_by(inner.updated_at.desc(), inner.id.desc()).correlate(DocumentRow)


def _listed_as(doc_id: Any, annotator: str | None, wanted: str) -> ColumnElement[bool]:
    """Whether the document `doc_id` is listed under the status `wanted`."""
    inner = aliased(SetRow)

    def sets(*conds: ColumnElement[bool]) -> Exists:
        if annotator is not None:
            conds = (*conds, inner.annotator == annotator)
        return exists(select(inner.id).where(inner.document_id == doc_id, *conds))

    if wanted != Status.NEW.value:
        return sets(inner.status == wanted)
    if annotator is not None:
        # One set per (document, annotator) at most: new until that set moves on.
        return ~sets(inner.status != wanted)
    # A document nobody has a set for yet is new too.
    return or_(sets(inner.status == wanted), ~sets())


def _scan_search(search: str, server: bool = False) -> ColumnElement[bool]:
    """A substring scan, for what the full-text index cannot answer (fulltext.match_expression).

    `server` (PostgreSQL, which has no FTS5 index: every search scans): lower() on both
    sides, the database's Unicode case mapping, where SQLite calls Python's casefold.
    """
    if server:
        needle = search.lower()
        return or_(
            func.strpos(func.lower(DocumentRow.title), needle) > 0,
            func.strpos(func.lower(DocumentRow.text), needle) > 0,
        )
    needle = search.casefold()
    return or_(
        func.instr(func.nm_casefold(DocumentRow.title), needle) > 0,
        func.instr(func.nm_casefold(DocumentRow.text), needle) > 0,
    )


def _on_server(session: Session) -> bool:
    return session.get_bind().dialect.name != "sqlite"


def _matching(search: str | None, server: bool = False) -> tuple[Any, Select[Any]]:
    """(the document id column, a query of ids) for the search: the full-text index
    when it can answer, else documents with a scan (always on a server)."""
    if server and search and (pattern := fulltext.server_pattern(search)) is not None:
        folded = func.lower(func.unaccent(pattern))
        found = or_(
            func.lower(func.unaccent(DocumentRow.title)).regexp_match(folded),
            func.lower(func.unaccent(DocumentRow.text)).regexp_match(folded),
        )
        return DocumentRow.id, select(DocumentRow.id).where(found)
    match = fulltext.match_expression(search) if search and not server else None
    if match is not None:
        return _FTS.c.rowid, select(_FTS.c.rowid).where(_FTS_NAME.match(match))
    stmt = select(DocumentRow.id)
    return DocumentRow.id, stmt.where(_scan_search(search, server)) if search else stmt


def _in_queue(stmt: Select[*Ts], doc_id: Any, queue: str | None) -> Select[*Ts]:
    """`stmt` joined to `queue`'s assignments: only the documents assigned to that
    annotator (one row each: an annotator is assigned a document once)."""
    if queue is None:
        return stmt
    return stmt.join(
        AssignmentRow, and_(AssignmentRow.document_id == doc_id, AssignmentRow.annotator == queue)
    )


def _listed(
    status: str | None,
    annotator: str | None,
    search: str | None,
    after: int | None,
    queue: str | None = None,
    server: bool = False,
) -> Select[Any]:
    """Ids of the listed documents in id order, from one index (see `page_ids`); `queue`:
    only the documents assigned to that annotator."""
    wanted = _status_filter(status)
    if wanted not in (None, Status.NEW.value) and annotator is not None and not search:
        # The (annotator, status, document_id) index holds the answer in order.
        doc_id: Any = SetRow.document_id
        stmt = select(doc_id).where(SetRow.annotator == annotator, SetRow.status == wanted)
    else:
        doc_id, stmt = _matching(search, server)
        if wanted is not None:
            stmt = stmt.where(_listed_as(doc_id, annotator, wanted))
    stmt = _in_queue(stmt, doc_id, queue)
    if queue is not None:
        # The same ids, ordered and paged by the (annotator, document_id) index's column:
        # SQLite reads the queue in order instead of sorting it.
        doc_id = AssignmentRow.document_id
    if after is not None:
        stmt = stmt.where(doc_id > after)
    return stmt.order_by(doc_id)


SORTS = ("id", "uncertainty")


def _uncertainty(doc_id: Any, annotator: str | None) -> Any:
    """The model's uncertainty of a document: its annotator's set's (the largest of its
    sets' without an annotator); NULL when no model touched them."""
    inner = aliased(SetRow)
    stmt = select(func.max(inner.uncertainty)).where(inner.document_id == doc_id)
    if annotator is not None:
        stmt = stmt.where(inner.annotator == annotator)
    return stmt.scalar_subquery()


def _most_uncertain(
    session: Session,
    status: str | None,
    annotator: str | None,
    search: str | None,
    after: int | None,
    queue: str | None = None,
) -> Select[Any]:
    """The listed ids, most uncertain first, then by id; NULLs (no model yet) last.

    SQLite sorts NULL below every number, so a plain DESC puts them last, and an index
    on (annotator, uncertainty) can give this order as it stands. `after` (a document id)
    continues after that document in this order (keyset paging).
    """
    server = _on_server(session)
    listed = _listed(status, annotator, search, None, queue, server).order_by(None).subquery()
    doc_id = listed.c[0]
    score = _uncertainty(doc_id, annotator)
    stmt = select(doc_id)
    if after is not None:
        last = session.scalar(select(_uncertainty(after, annotator)))
        if last is None:
            stmt = stmt.where(score.is_(None), doc_id > after)
        else:
            stmt = stmt.where(
                or_(score < last, and_(score == last, doc_id > after), score.is_(None))
            )
    # PostgreSQL sorts NULL above every number: say where they go.
    return stmt.order_by(score.desc().nulls_last() if server else score.desc(), doc_id)


def page_ids(
    session: Session,
    status: str | None,
    annotator: str | None,
    search: str | None,
    limit: int | None,
    offset: int = 0,
    after: int | None = None,
    sort: str = "id",
    queue: str | None = None,
) -> list[int]:
    """Ids of the listed documents in id order (or `sort`="uncertainty": most uncertain
    first): `after` an id (keyset paging: the next page starts where the last one ended,
    as fast deep in the list as at its top), or `offset`."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; use one of {', '.join(SORTS)}")
    if sort == "uncertainty":
        stmt = _most_uncertain(session, status, annotator, search, after, queue)
    else:
        stmt = _listed(status, annotator, search, after, queue, _on_server(session))
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    return list(session.scalars(stmt))


def count_listed(
    session: Session,
    status: str | None,
    annotator: str | None,
    search: str | None,
    cap: int,
    queue: str | None = None,
) -> int:
    """How many documents the list shows, counted no further than `cap` + 1: a search
    for "the" matches the whole archive, and "more than 10,000" says enough."""
    stmt = _listed(status, annotator, search, None, queue, _on_server(session))
    listed = stmt.limit(cap + 1).subquery()
    return session.scalar(select(func.count()).select_from(listed)) or 0


def summaries(
    session: Session, ids: Sequence[int], status: str | None, annotator: str | None
) -> list[DocumentSummary]:
    """The list rows of `ids` (at most a few hundred), in the order of `ids`."""
    if not ids:
        return []
    wanted = _status_filter(status)
    # The set shown for each document: the most recently changed one matching the filters.
    chosen = _candidate_sets(annotator, wanted).limit(1).scalar_subquery()
    n_spans = select(func.count(SpanRow.id)).where(SpanRow.set_id == SetRow.id).scalar_subquery()
    n_quotes = select(func.count(QuoteRow.id)).where(QuoteRow.set_id == SetRow.id).scalar_subquery()
    last_op = newest_op(SetRow.id)
    stmt = (
        select(
            DocumentRow.id,
            DocumentRow.title,
            DocumentRow.source,
            func.substr(DocumentRow.text, 1, TITLE_PREVIEW),
            SetRow.status,
            SetRow.annotator,
            SetRow.id,
            n_spans,
            n_quotes,
            last_op,
            SetRow.uncertainty,
        )
        .select_from(DocumentRow)
        .outerjoin(SetRow, SetRow.id == chosen)
        .where(DocumentRow.id.in_(list(ids)))
        .order_by(DocumentRow.id)
    )
    out = []
    for doc_id, title, source, preview, st, ann, set_id, ns, nq, op, unc in session.execute(stmt):
        meta = {"title": title} if title else {}
        # Same title rule as Document.title, from a preview rather than the whole text.
        shown = Document(id=doc_id, text=preview, sha256="", meta=meta).title
        out.append(
            DocumentSummary(
                id=doc_id,
                title=shown,
                source=source,
                status=Status(st) if st else None,
                n_spans=ns or 0,
                n_quotes=nq or 0,
                annotator=ann,
                set_id=set_id,
                edited_after_accept=st == Status.ACCEPTED.value and is_edit(op),
                uncertainty=unc,
            )
        )
    order = {doc_id: i for i, doc_id in enumerate(ids)}
    return sorted(out, key=lambda r: order[r.id])


def newest_op(set_id: Any) -> Any:
    """The op of a set's newest status change or span/quote edit (a scalar subquery on
    the set_id index); rows of other kinds (merges, model runs) neither mark nor clear."""
    relevant = or_(
        EditLogRow.op == "set_status", EditLogRow.op.like("%\\_span", escape="\\"),
        EditLogRow.op.like("%\\_quote", escape="\\"),
    )  # fmt: skip
    return (
        select(EditLogRow.op)
        .where(EditLogRow.set_id == set_id, relevant)
        .order_by(EditLogRow.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def is_edit(op: str | None) -> bool:
    """Whether a log row's op is a person's span or quote edit (or its undo), the kind
    that marks an accepted set "edited after accept" when it comes after the acceptance;
    set_status, imports, model runs and merges do not."""
    return op is not None and op.endswith(("_span", "_quote"))


def edited_after_accept(session: Session, set_id: int) -> bool:
    """An accepted set whose newest log row is an edit (accepting again clears it)."""
    status = session.scalar(select(SetRow.status).where(SetRow.id == set_id))
    op = session.scalar(select(newest_op(set_id)))
    return status == Status.ACCEPTED.value and is_edit(op)


def listed_ids(session: Session, status: str | None, annotator: str | None) -> list[int]:
    """Every id `list_documents` would list, a page at a time (keyset)."""
    out: list[int] = []
    after: int | None = None
    while True:
        ids = page_ids(session, status, annotator, None, PAGE, 0, after)
        out += ids
        if len(ids) < PAGE:
            return out
        after = ids[-1]


def list_documents(
    session: Session,
    status: str | None,
    annotator: str | None,
    search: str | None,
    limit: int | None,
    offset: int,
    after: int | None = None,
    sort: str = "id",
    queue: str | None = None,
) -> list[DocumentSummary]:
    if limit is not None:
        ids = page_ids(session, status, annotator, search, limit, offset, after, sort, queue)
        return summaries(session, ids, status, annotator)
    out: list[DocumentSummary] = []
    while True:  # everything, a page at a time (an IN list has a bounded size)
        ids = page_ids(session, status, annotator, search, PAGE, offset, after, sort, queue)
        out += summaries(session, ids, status, annotator)
        if len(ids) < PAGE:
            return out
        offset, after = 0, ids[-1]


def count_by_status(
    session: Session, annotator: str | None, search: str | None, queue: str | None = None
) -> dict[Status, int]:
    """Documents per status, every status present (zeros too), each document counted once:
    under its annotator's set (as the list shows it), or without an annotator under its
    most recently changed set (the list's status filter may show it under several).
    `queue`: only the documents assigned to that annotator."""
    counts = dict.fromkeys(Status, 0)
    if annotator is not None and not search:
        # From the (annotator, status) index; new is what has no other status.
        by_status = select(SetRow.status, func.count()).where(SetRow.annotator == annotator)
        by_status = _in_queue(by_status, SetRow.document_id, queue)
        for st, n in session.execute(by_status.group_by(SetRow.status)):
            counts[Status(st)] = int(n)
        documents = _in_queue(select(func.count()).select_from(DocumentRow), DocumentRow.id, queue)
        total = session.scalar(documents) or 0
        counts[Status.NEW] = total - sum(n for st, n in counts.items() if st is not Status.NEW)
        return counts
    doc_id, ids = _matching(search, _on_server(session))
    ids = _in_queue(ids, doc_id, queue)
    inner = aliased(SetRow)
    latest = select(inner.status).where(inner.document_id == doc_id)
    if annotator is not None:
        latest = latest.where(inner.annotator == annotator)
    shown = func.coalesce(
        latest.order_by(inner.updated_at.desc(), inner.id.desc()).limit(1).scalar_subquery(),
        Status.NEW.value,
    )
    grouped = ids.with_only_columns(shown, func.count(), maintain_column_froms=True)
    grouped = grouped.group_by(shown)
    for st, n in session.execute(grouped):
        counts[Status(st)] = int(n)
    return counts


def iter_export(
    session: Session, status: str | None, annotator: str | None, batch_size: int
) -> Iterator[tuple[Document, AnnotationSet, dict[int, Entity]]]:
    """`iter_export_sets` as domain objects (Spans made from the fields)."""
    for item in iter_export_sets(session, status, annotator, batch_size):
        yield item.document, item.annotation_set(), item.entities


# Spans of the sets in a batch, straight from the driver: export reads millions of them,
# and SQLAlchemy's row objects would double the cost of each. Spans of a set never
# overlap, so (set_id, start) orders them, and the index gives that order.
_SPANS_SQL = (
    'SELECT set_id, start, "end", label, origin, model, id, entity_id FROM spans '
    "WHERE set_id IN ({}) ORDER BY set_id, start"
)


def iter_export_sets(
    session: Session, status: str | None, annotator: str | None, batch_size: int
) -> Iterator[ExportSet]:
    """Sets in document order, fetched `batch_size` at a time as plain rows.

    Core columns and driver rows rather than ORM objects (nothing accumulates in the
    session's identity map: memory stays flat however many documents there are), spans
    as field tuples, tokens left packed (PackedTokens): export is mostly this loop.
    """
    wanted = _status_filter(status)
    sets, docs = SetRow.__table__.c, DocumentRow.__table__.c
    quotes_t = QuoteRow.__table__.c
    stmt = (
        select(
            sets.id,
            sets.annotator,
            sets.status,
            sets.version,
            docs.id,
            docs.text,
            docs.sha256,
            docs.meta,
            docs.tokens,
        )
        .join_from(SetRow.__table__, DocumentRow.__table__, sets.document_id == docs.id)
        .order_by(docs.id, sets.id)
        .execution_options(yield_per=batch_size)
    )
    conds = []
    if wanted is not None:
        conds.append(sets.status == wanted)
    if annotator is not None:
        conds.append(sets.annotator == annotator)
    if conds:
        stmt = stmt.where(and_(*conds))
    conn = session.connection()
    driver = conn.connection.driver_connection
    assert driver is not None
    mark = "?" if conn.dialect.name == "sqlite" else "%s"  # psycopg's placeholder
    for batch in conn.execute(stmt).partitions():
        set_ids = [r[0] for r in batch]
        spans: dict[int, list[SpanFields]] = defaultdict(list)
        sql = _SPANS_SQL.format(",".join([mark] * len(set_ids)))
        for row in driver.execute(sql, set_ids).fetchall():
            spans[row[0]].append(row[1:])
        quotes: dict[int, list[Quote]] = defaultdict(list)
        quote_cols = select(
            quotes_t.set_id,
            quotes_t.parts,
            quotes_t.kind,
            quotes_t.speaker_start,
            quotes_t.speaker_end,
            quotes_t.speaker_label,
            quotes_t.cue_start,
            quotes_t.cue_end,
            quotes_t.entity,
            quotes_t.entity_id,
            quotes_t.origin,
            quotes_t.model,
            quotes_t.id,
        ).where(quotes_t.set_id.in_(set_ids))
        for quote_set, *qcols in conn.execute(quote_cols).all():
            quotes[quote_set].append(rows.quote_from_columns(*qcols))
        entity_ids = {e for items in spans.values() for f in items if (e := f[6]) is not None}
        entity_ids.update(
            e for items in quotes.values() for q in items if (e := q.entity_id) is not None
        )
        entities = (
            {
                r.id: rows.entity(r)
                for r in session.scalars(select(EntityRow).where(EntityRow.id.in_(entity_ids)))
            }
            if entity_ids
            else {}
        )
        # Entity rows above are ORM objects: drop them before the next batch.
        session.expunge_all()
        for set_id, ann, st, version, doc_id, text, sha, meta, tokens in batch:
            doc = Document(
                id=doc_id,
                text=text,
                sha256=sha,
                meta=dict(meta or {}),
                tokens=rows.packed_tokens(tokens),
            )
            set_spans = spans.get(set_id, [])
            set_quotes = sorted(quotes.get(set_id, []), key=lambda q: (q.start, q.end))
            linked: dict[int, Entity] = {}
            if entities:
                used = {f[6] for f in set_spans if f[6] is not None}
                used.update(q.entity_id for q in set_quotes if q.entity_id is not None)
                linked = {i: entities[i] for i in used if i in entities}
            yield ExportSet(doc, ann, Status(st), set_spans, set_quotes, linked, set_id, version)


def set_counts(session: Session) -> dict[tuple[str, str], int]:
    """Annotation sets by (status, annotator): what an empty export explains itself with."""
    stmt = select(SetRow.status, SetRow.annotator, func.count()).group_by(
        SetRow.status, SetRow.annotator
    )
    return {(str(st), str(ann)): int(n) for st, ann, n in session.execute(stmt)}


def stats(session: Session) -> dict[str, Any]:
    def grouped(column: Any, table: Any) -> dict[str, int]:
        stmt = select(column, func.count()).select_from(table).group_by(column).order_by(column)
        return {str(key): int(n) for key, n in session.execute(stmt)}

    n_docs = session.scalar(select(func.count(DocumentRow.id))) or 0
    by_status = grouped(SetRow.status, SetRow)
    unannotated = (
        session.scalar(
            select(func.count(DocumentRow.id)).where(
                ~exists(select(SetRow.id).where(SetRow.document_id == DocumentRow.id))
            )
        )
        or 0
    )
    if unannotated:
        # Documents without any set count as new: that is what the document list shows.
        by_status[Status.NEW.value] = by_status.get(Status.NEW.value, 0) + unannotated
    return {
        "documents": n_docs,
        "annotation_sets": session.scalar(select(func.count(SetRow.id))) or 0,
        "by_status": {s.value: by_status[s.value] for s in Status if s.value in by_status},
        "spans": session.scalar(select(func.count(SpanRow.id))) or 0,
        "spans_by_label": grouped(SpanRow.label, SpanRow),
        "spans_by_origin": grouped(SpanRow.origin, SpanRow),
        "quotes": session.scalar(select(func.count(QuoteRow.id))) or 0,
        "quotes_by_kind": grouped(QuoteRow.kind, QuoteRow),
        "entities": session.scalar(select(func.count(EntityRow.id))) or 0,
    }
