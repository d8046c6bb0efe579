"""The gold a training run may read: human-touched annotation sets as GoldDocs.

A set is gold when its status is one a person decides (accepted, or in_progress on
request) AND its edit log holds a row a person wrote: a status change, a span or quote
edit (or its undo), or an import of annotations made in another tool. A set whose log
holds only model runs (`save_predictions`, their replays) is model output nobody saw,
whatever its status says, and is never trained on.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Exists, and_, case, exists, not_, select
from sqlalchemy.orm import Session

from newsmark.domain.review import GOLD_ANNOTATOR
from newsmark.domain.spans import Origin, Span
from newsmark.domain.training import GoldDoc
from newsmark.storage import rows
from newsmark.storage.orm import DocumentRow, EditLogRow, QuoteRow, SetRow, SpanRow

# Log rows a model writes: a prediction stored, undone or redone. Everything else in a
# set's log (set_status, *_span, *_quote, import) is a person's doing.
MODEL_OPS = ("save_predictions", "undo_predictions", "redo_predictions")


def human_touched() -> Exists:
    """EXISTS: the outer SetRow has a log row no model wrote."""
    return exists().where(EditLogRow.set_id == SetRow.id, not_(EditLogRow.op.in_(MODEL_OPS)))


def iter_gold(session: Session, status: str, annotator: str | None) -> Iterator[GoldDoc]:
    """One GoldDoc per document, in document order: its set in `status` (by `annotator`
    when given) that a person touched; of several such sets the reviewed gold set, else
    the most recently updated."""
    stmt = (
        select(SetRow.id, SetRow.document_id, DocumentRow.sha256, DocumentRow.text)
        .join(DocumentRow, DocumentRow.id == SetRow.document_id)
        .where(SetRow.status == status, human_touched())
        .order_by(
            SetRow.document_id,
            case((SetRow.annotator == GOLD_ANNOTATOR, 0), else_=1),
            SetRow.updated_at.desc(),
            SetRow.id.desc(),
        )
    )
    if annotator is not None:
        stmt = stmt.where(SetRow.annotator == annotator)
    last_doc: int | None = None
    for set_id, doc_id, sha, text in session.execute(stmt).all():
        if doc_id == last_doc:
            continue  # an older set of a document already given
        last_doc = doc_id
        spans = tuple(
            Span(r.start, r.end, r.label, Origin(r.origin))
            for r in session.scalars(
                select(SpanRow).where(SpanRow.set_id == set_id).order_by(SpanRow.start)
            )
        )
        quotes = tuple(
            rows.quote(r)
            for r in session.scalars(
                select(QuoteRow).where(QuoteRow.set_id == set_id).order_by(QuoteRow.id)
            )
        )
        yield GoldDoc(key=sha, text=text, spans=spans, quotes=quotes)


def count_untouched(session: Session, status: str, annotator: str | None) -> int:
    """Sets in `status` left out because no person touched them (what a refusal names)."""
    stmt = select(SetRow.id).where(and_(SetRow.status == status, not_(human_touched())))
    if annotator is not None:
        stmt = stmt.where(SetRow.annotator == annotator)
    return len(session.scalars(stmt).all())


def annotator_known(session: Session, annotator: str) -> bool:
    found = session.scalar(select(SetRow.id).where(SetRow.annotator == annotator).limit(1))
    return found is not None
