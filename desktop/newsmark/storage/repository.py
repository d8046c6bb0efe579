"""The repository: every read and write of Newsmark data, one transaction per method.

Edits return domain objects so an undo command can invert them: `add_*` returns the
stored object (with id), `delete_*` what was deleted, `update_*` the new state (read the
old one with `get_span`/`get_quote` first); `replace_*` writes a full earlier state back,
and `add_*` reuses a given id, so undo/redo keep referring to the same rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from newsmark.domain.annotations import AnnotationSet
from newsmark.domain.document import Document, DocumentInput, Token
from newsmark.domain.entities import Entity
from newsmark.domain.errors import InputError, StorageError
from newsmark.domain.labels import LabelSet
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.storage import batch, edits, entity_ops, queries, rows
from newsmark.storage.db import Database
from newsmark.storage.orm import DocumentRow, EditLogRow, EntityRow, QuoteRow, SetRow, SpanRow
from newsmark.storage.records import DocumentSummary, EditLogEntry

DEFAULT_LABEL_SET = LabelSet()


class Repository:
    """Reads return domain objects and records, never ORM rows.

    `labels`: imported and newly edited spans (and quote speakers) must use one of these
    (spaCy's OntoNotes labels by default); None accepts any label. Predictions are not
    checked: a model's labels are what it predicts.
    """

    def __init__(self, db: Database, labels: LabelSet | None = DEFAULT_LABEL_SET) -> None:
        if not db.is_current:
            raise StorageError(
                f"{db.path} has schema {db.revision() or 'none'}, this Newsmark needs "
                f"{db.head_revision()}; run `newsmark db upgrade`"
            )
        self.db = db
        self.labels = labels

    # -- documents --------------------------------------------------------------------------

    def add_documents(
        self,
        items: Sequence[tuple[DocumentInput, Sequence[Token]]],
        annotator: str,
        *,
        labels: LabelSet | None = None,
    ) -> list[tuple[int, bool]]:
        """Store a batch whole or not at all; (document id, newly created) per item.

        Same text as a stored document: nothing added, unless the item has annotations,
        which become a new annotation set. Raises BatchInputError (an InputError with the
        item's `index`) for invalid annotations, before anything is written. `labels`
        replaces the repository's label set for this batch (e.g. `--add-labels`).
        """
        checked = labels if labels is not None else self.labels
        statuses = batch.validate_inputs(items, checked)
        out: list[tuple[int, bool]] = []
        with self.db.session() as s:
            known = batch.existing_ids(s, [item.sha256 for item, _ in items])
            for (item, tokens), status in zip(items, statuses, strict=True):
                doc_id = known.get(item.sha256)
                created = doc_id is None
                if doc_id is None:
                    doc_id = known[item.sha256] = batch.insert_document(s, item, tokens)
                if item.has_annotations:
                    batch.import_set(s, doc_id, item, item.annotator or annotator, status)
                out.append((doc_id, created))
        return out

    def get_document(self, doc_id: int) -> Document:
        with self.db.session(write=False) as s:
            row = s.get(DocumentRow, doc_id)
            if row is None:
                raise InputError(None, None, f"no document with id {doc_id}")
            return rows.document(row)

    def list_documents(
        self,
        status: str | None = None,
        annotator: str | None = None,
        search: str | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[DocumentSummary]:
        """Documents in id order; `search` matches title or text, ignoring case."""
        _check_status_filter(status)
        with self.db.session(write=False) as s:
            return queries.list_documents(s, status, annotator, search, limit, offset)

    def document_ids(self) -> list[int]:
        with self.db.session(write=False) as s:
            return list(s.scalars(select(DocumentRow.id).order_by(DocumentRow.id)))

    # -- annotation sets --------------------------------------------------------------------

    def annotation_set(
        self, doc_id: int, annotator: str, create: bool = True
    ) -> AnnotationSet | None:
        with self.db.session(write=create) as s:
            row = s.scalar(
                select(SetRow).where(SetRow.document_id == doc_id, SetRow.annotator == annotator)
            )
            if row is None:
                if not create:
                    return None
                edits.document_text(s, doc_id)  # InputError if the document is missing
                row = edits.new_set(s, doc_id, annotator)
            return edits.load_annotation_set(s, row)

    def get_set(self, set_id: int) -> AnnotationSet:
        with self.db.session(write=False) as s:
            return edits.load_annotation_set(s, edits.load_set(s, set_id))

    def sets_for_document(self, doc_id: int) -> list[AnnotationSet]:
        with self.db.session(write=False) as s:
            found = s.scalars(
                select(SetRow).where(SetRow.document_id == doc_id).order_by(SetRow.id)
            )
            return [edits.load_annotation_set(s, row) for row in found]

    def save_predictions(
        self,
        doc_id: int,
        annotator: str,
        spans: Sequence[Span],
        quotes: Sequence[Quote],
        force: bool = False,
    ) -> bool:
        """Replace the model's spans and quotes unless a person edited the set (or force).

        Returns False, writing nothing, when skipped because of human edits.
        """
        with self.db.session() as s:
            row = s.scalar(
                select(SetRow).where(SetRow.document_id == doc_id, SetRow.annotator == annotator)
            )
            if row is None:
                edits.document_text(s, doc_id)
                row = edits.new_set(s, doc_id, annotator)
            return batch.save_predictions(s, row, spans, quotes, force)

    def iter_export(
        self, status: str = "accepted", annotator: str | None = None, *, batch_size: int = 200
    ) -> Iterator[tuple[Document, AnnotationSet, dict[int, Entity]]]:
        """Stream (document, set, entities it uses) in document id order, constant memory.

        One read transaction spans the whole iteration (a consistent snapshot under WAL);
        close the generator early to end it.
        """
        _check_status_filter(status)
        with self.db.session(write=False) as s:
            yield from queries.iter_export(s, status, annotator, batch_size)

    # -- span edits -------------------------------------------------------------------------

    def get_span(self, set_id: int, span_id: int) -> Span:
        with self.db.session(write=False) as s:
            return rows.span(edits.get_span_row(s, set_id, span_id))

    def add_span(
        self, set_id: int, span: Span, who: str, *, expected_version: int | None = None
    ) -> Span:
        with self.db.session() as s:
            row = edits.load_set(s, set_id, expected_version)
            others = [rows.span(r) for r in edits.span_rows(s, set_id)]
            edits.check_spans(edits.document_text(s, row.document_id), others, span, self.labels)
            edits.check_entity(s, span.entity_id)
            new = SpanRow(
                id=edits.free_id(s, SpanRow, span.id), set_id=set_id, **rows.span_values(span)
            )
            s.add(new)
            s.flush()
            result = rows.span(new)
            edits.touch(s, row, who, "add_span", new.id, None, rows.span_json(result))
            return result

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
    ) -> Span:
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
    ) -> Span:
        """Write every field of `span` (by its id) back: how undo restores an earlier state."""
        if span.id is None:
            raise InputError(None, None, "replace_span needs a span with an id")
        with self.db.session() as s:
            old = rows.span(edits.get_span_row(s, set_id, span.id))
            return edits.write_span(
                s, self.labels, set_id, old, span, who, "replace_span", expected_version
            )

    def link_span(
        self,
        set_id: int,
        span_id: int,
        entity_id: int | None,
        who: str,
        *,
        expected_version: int | None = None,
    ) -> Span:
        """Link the mention to a corpus entity (None unlinks)."""
        with self.db.session() as s:
            old = rows.span(edits.get_span_row(s, set_id, span_id))
            changed = replace(old, entity_id=entity_id)
            return edits.write_span(
                s, self.labels, set_id, old, changed, who, "link_span", expected_version
            )

    def delete_span(
        self, set_id: int, span_id: int, who: str, *, expected_version: int | None = None
    ) -> Span:
        """Returns the deleted span (with its id, so `add_span` can restore it)."""
        with self.db.session() as s:
            row = edits.load_set(s, set_id, expected_version)
            span_row = edits.get_span_row(s, set_id, span_id)
            old = rows.span(span_row)
            s.delete(span_row)
            edits.touch(s, row, who, "delete_span", span_id, rows.span_json(old), None)
            return old

    # -- quote edits ------------------------------------------------------------------------

    def get_quote(self, set_id: int, quote_id: int) -> Quote:
        with self.db.session(write=False) as s:
            return rows.quote(edits.get_quote_row(s, set_id, quote_id))

    def add_quote(
        self, set_id: int, quote: Quote, who: str, *, expected_version: int | None = None
    ) -> Quote:
        with self.db.session() as s:
            row = edits.load_set(s, set_id, expected_version)
            others = [rows.quote(r) for r in edits.quote_rows(s, set_id)]
            text = edits.document_text(s, row.document_id)
            edits.check_quotes(text, others, quote, self.labels)
            edits.check_entity(s, quote.entity_id)
            new = QuoteRow(
                id=edits.free_id(s, QuoteRow, quote.id), set_id=set_id, **rows.quote_values(quote)
            )
            s.add(new)
            s.flush()
            result = rows.quote(new)
            edits.touch(s, row, who, "add_quote", new.id, None, rows.quote_json(result))
            return result

    def update_quote(
        self,
        set_id: int,
        quote_id: int,
        who: str,
        *,
        expected_version: int | None = None,
        **changes: Any,
    ) -> Quote:
        """Change any of parts, kind, speaker, speaker_label, cue, entity, entity_id."""
        changes = edits.quote_changes(changes)
        with self.db.session() as s:
            old = rows.quote(edits.get_quote_row(s, set_id, quote_id))
            changed = replace(old, origin=Origin.HUMAN, model=None, **changes)
            return edits.write_quote(
                s, self.labels, set_id, old, changed, who, "update_quote", expected_version
            )

    def replace_quote(
        self, set_id: int, quote: Quote, who: str, *, expected_version: int | None = None
    ) -> Quote:
        """Write every field of `quote` (by its id) back: how undo restores an earlier state."""
        if quote.id is None:
            raise InputError(None, None, "replace_quote needs a quote with an id")
        with self.db.session() as s:
            old = rows.quote(edits.get_quote_row(s, set_id, quote.id))
            return edits.write_quote(
                s, self.labels, set_id, old, quote, who, "replace_quote", expected_version
            )

    def delete_quote(
        self, set_id: int, quote_id: int, who: str, *, expected_version: int | None = None
    ) -> Quote:
        with self.db.session() as s:
            row = edits.load_set(s, set_id, expected_version)
            quote_row = edits.get_quote_row(s, set_id, quote_id)
            old = rows.quote(quote_row)
            s.delete(quote_row)
            edits.touch(s, row, who, "delete_quote", quote_id, rows.quote_json(old), None)
            return old

    # -- status and log ---------------------------------------------------------------------

    def set_status(
        self, set_id: int, status: Status | str, who: str, *, expected_version: int | None = None
    ) -> Status:
        """Set the status; returns the previous one (for undo)."""
        try:
            new = Status(status)
        except ValueError:
            raise InputError(None, None, f"unknown status {status!r}") from None
        with self.db.session() as s:
            row = edits.load_set(s, set_id, expected_version)
            old = Status(row.status)
            row.status = new.value
            edits.touch(
                s,
                row,
                who,
                "set_status",
                set_id,
                {"status": old.value},
                {"status": new.value},
                human=False,
            )
            return old

    def edit_log(self, set_id: int) -> list[EditLogEntry]:
        with self.db.session(write=False) as s:
            found = s.scalars(
                select(EditLogRow).where(EditLogRow.set_id == set_id).order_by(EditLogRow.id)
            )
            return [rows.edit_log_entry(r) for r in found]

    # -- entities ---------------------------------------------------------------------------

    def entities(self) -> list[Entity]:
        with self.db.session(write=False) as s:
            found = s.scalars(select(EntityRow).order_by(EntityRow.name, EntityRow.label))
            return [rows.entity(r) for r in found]

    def get_entity(self, entity_id: int) -> Entity:
        with self.db.session(write=False) as s:
            row = s.get(EntityRow, entity_id)
            if row is None:
                raise InputError(None, None, f"no entity with id {entity_id}")
            return rows.entity(row)

    def find_or_create_entity(self, name: str, label: str, kb_id: str | None = None) -> Entity:
        """The entity (name, label), created if new; a missing kb_id is filled in."""
        name, label = name.strip(), label.strip()
        if not name or not label:
            raise InputError(None, None, "an entity needs a name and a label")
        try:
            with self.db.session() as s:
                return entity_ops.find_or_create(s, name, label, kb_id)
        except StorageError as exc:
            if not isinstance(exc.__cause__, IntegrityError):
                raise
        # Another process created it between our select and insert: it exists now.
        with self.db.session() as s:
            return entity_ops.find_or_create(s, name, label, kb_id)

    def merge_entities(self, keep_id: int, drop_id: int, who: str) -> Entity:
        """Relink every mention and quote of `drop_id` to `keep_id`, then delete it."""
        with self.db.session() as s:
            return entity_ops.merge(s, keep_id, drop_id, who)

    # -- stats ------------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Counts: documents, annotation_sets, by_status, spans, spans_by_label,
        spans_by_origin, quotes, quotes_by_kind, entities."""
        with self.db.session(write=False) as s:
            return queries.stats(s)


def _check_status_filter(status: str | None) -> None:
    if status is not None and status != "any" and status not in {s.value for s in Status}:
        raise InputError(None, None, f"unknown status {status!r}")
