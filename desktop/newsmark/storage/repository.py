"""The repository: every read and write of Newsmark data, one transaction per method.

Each method opens the transaction and hands it to the module that holds the job:
`queries` (reads), `annotation_edits` (a set's span, quote and status edits and their
reverts), `batch` (imports and predictions), `entity_ops` (the corpus's entities).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from newsmark import paths
from newsmark.domain.annotations import AnnotationSet, ExportSet
from newsmark.domain.assignment import AnnotatorProgress
from newsmark.domain.document import Document, DocumentInput, Token
from newsmark.domain.entities import Entity
from newsmark.domain.errors import (
    AnnotationError,
    NotFoundError,
    StorageError,
    UsageError,
)
from newsmark.domain.labels import LabelSet
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Span
from newsmark.domain.status import Status
from newsmark.domain.training import GoldDoc
from newsmark.storage import (
    annotation_edits,
    assignments,
    batch,
    edits,
    entity_ops,
    gold,
    history,
    model_registry,
    queries,
    review,
    roles,
    rows,
)
from newsmark.storage.db import Database
from newsmark.storage.model_registry import TrainedModel
from newsmark.storage.orm import DocumentRow, EditLogRow, EntityRow, SetRow
from newsmark.storage.records import (
    DocumentSummary,
    Edited,
    EditLogEntry,
    ImportedItem,
    ModelRun,
    SetState,
)
from newsmark.storage.server_db import ServerDatabase

DEFAULT_LABEL_SET = LabelSet()
# Linking a mention creates its entity: any user may; changing one is corpus-wide.
ENTITY_CREATE = roles.corpus("create entities", "annotator")
USER_ADMIN = roles.corpus("add or remove users", "admin")


class Repository:
    """Reads return domain objects and records, never ORM rows.

    `labels`: imported and newly edited spans (and quote speakers) must use one of these
    (spaCy's OntoNotes labels by default); None accepts any label. Predictions are not
    checked: a model's labels are what it predicts.
    """

    def __init__(
        self, db: Database | ServerDatabase, labels: LabelSet | None = DEFAULT_LABEL_SET
    ) -> None:
        if not db.is_current:
            raise StorageError(
                f"{db.where} has schema {db.revision() or 'none'}, this Newsmark needs "
                f"{db.head_revision()}; run `newsmark db upgrade`"
            )
        self.db = db
        self.labels = labels

    @property
    def path(self) -> Path:
        """The database file (everything beside it is Newsmark's: exports keep out); for a
        server database, a name in the local data dir that is never created."""
        return self.db.path

    # -- documents --------------------------------------------------------------------------

    def add_documents(
        self,
        items: Sequence[tuple[DocumentInput, Sequence[Token]]],
        annotator: str,
        *,
        labels: LabelSet | None = None,
    ) -> list[tuple[int, bool]]:
        """`import_documents`, returning only (document id, newly created) per item."""
        return [
            (i.doc_id, i.created) for i in self.import_documents(items, annotator, labels=labels)
        ]

    def import_documents(
        self,
        items: Sequence[tuple[DocumentInput, Sequence[Token]]],
        annotator: str,
        *,
        labels: LabelSet | None = None,
    ) -> list[ImportedItem]:
        """Store a batch whole or not at all; what was stored, per item.

        Same text as a stored document: nothing added, unless the item has annotations
        or a status (an accepted record with no spans is gold), which become a new
        annotation set. Raises BatchInputError (an InputError with the item's `index`) for
        invalid annotations, before anything is written. `labels` replaces the
        repository's label set for this batch (e.g. `--add-labels`).
        """
        checked = labels if labels is not None else self.labels
        statuses = batch.validate_inputs(items, checked)
        with self.db.session(guard=roles.corpus("import documents", "admin")) as s:
            return batch.import_documents(s, items, annotator, statuses)

    def get_document(self, doc_id: int) -> Document:
        with self.db.session(write=False) as s:
            row = s.get(DocumentRow, doc_id)
            if row is None:
                raise NotFoundError("document", doc_id)
            return rows.document(row)

    def iter_texts(self, doc_ids: Sequence[int]) -> Iterator[str]:
        """The texts of `doc_ids`, in that order, a few at a time (no tokens, no meta).

        Pre-annotation streams these into `nlp.pipe`; an unknown id raises InputError
        before anything is yielded.
        """
        ids = list(doc_ids)
        known: set[int] = set()
        with self.db.session(write=False) as s:
            for start in range(0, len(ids), 500):  # SQLite caps bound parameters per query
                chunk = ids[start : start + 500]
                known.update(s.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(chunk))))
        missing = [i for i in ids if i not in known]
        if missing:
            raise NotFoundError("document", missing[0])
        return self._texts(ids)

    def _texts(self, ids: list[int]) -> Iterator[str]:
        for start in range(0, len(ids), 64):
            chunk = ids[start : start + 64]
            with self.db.session(write=False) as s:
                query = select(DocumentRow.id, DocumentRow.text).where(DocumentRow.id.in_(chunk))
                found = {doc_id: text for doc_id, text in s.execute(query)}
            for doc_id in chunk:
                yield found[doc_id]

    def list_documents(
        self,
        status: str | None = None,
        annotator: str | None = None,
        search: str | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
        after: int | None = None,
        sort: str = "id",
        queue: str | None = None,
    ) -> list[DocumentSummary]:
        """Documents in id order; `search` matches words of the title or text (the last
        one as a prefix), ignoring case and diacritics. `after` (an id) starts the page
        after that document: keyset paging, as fast at the end of the list as at the top.
        `sort`="uncertainty": the model's most uncertain documents first, then those no
        model touched (queries.SORTS). `queue` (an annotator): only the documents assigned
        to them.
        """
        _check_status_filter(status)
        if sort not in queries.SORTS:
            raise UsageError(f"unknown sort {sort!r}; use one of {', '.join(queries.SORTS)}")
        with self.db.session(write=False) as s:
            return queries.list_documents(
                s, status, annotator, search, limit, offset, after, sort, queue
            )

    def document_summary(self, doc_id: int, annotator: str | None = None) -> DocumentSummary:
        """One document's list row (after an edit: its status and counts)."""
        with self.db.session(write=False) as s:
            found = queries.summaries(s, [doc_id], None, annotator)
        if not found:
            raise NotFoundError("document", doc_id)
        return found[0]

    def count_by_status(
        self, annotator: str | None = None, search: str | None = None, queue: str | None = None
    ) -> dict[Status, int]:
        """Documents per status (each counted once, see queries.count_by_status)."""
        with self.db.session(write=False) as s:
            return queries.count_by_status(s, annotator, search, queue)

    def count_documents(
        self,
        status: str | None = None,
        annotator: str | None = None,
        search: str | None = None,
        *,
        cap: int = 10_000,
        queue: str | None = None,
    ) -> int:
        """How many documents `list_documents` lists, counting at most `cap` + 1."""
        _check_status_filter(status)
        with self.db.session(write=False) as s:
            return queries.count_listed(s, status, annotator, search, cap, queue)

    def document_ids(self, status: str | None = None, annotator: str | None = None) -> list[int]:
        """Ids of the documents `list_documents` lists with these filters, in id order,
        without building their rows (pre-annotation's "not done yet" at 200,000 articles)."""
        _check_status_filter(status)
        with self.db.session(write=False) as s:
            if status is None and annotator is None:
                return list(s.scalars(select(DocumentRow.id).order_by(DocumentRow.id)))
            return queries.listed_ids(s, status, annotator)

    # -- annotation sets --------------------------------------------------------------------

    def annotation_set(
        self, doc_id: int, annotator: str, create: bool = True
    ) -> AnnotationSet | None:
        """The annotator's set for the document (created, status new, if missing and create)."""
        query = select(SetRow).where(SetRow.document_id == doc_id, SetRow.annotator == annotator)
        # Read first: an existing set needs no write lock (and works on a read-only database).
        with self.db.session(write=False) as s:
            row = s.scalar(query)
            if row is not None or not create:
                return None if row is None else edits.load_annotation_set(s, row)
        try:
            with self.db.session(guard=roles.of_annotator(annotator, doc_id)) as s:
                row = s.scalar(query)  # another process may have created it meanwhile
                if row is None:
                    edits.document_text(s, doc_id)  # InputError if the document is missing
                    row = edits.new_set(s, doc_id, annotator)
                return edits.load_annotation_set(s, row)
        except StorageError as exc:
            # On a server, where writers do not queue, another one inserted the same set
            # between our select and insert: it exists now.
            if not isinstance(exc.__cause__, IntegrityError):
                raise
        with self.db.session(write=False) as s:
            return edits.load_annotation_set(s, s.scalars(query).one())

    def get_set(self, set_id: int) -> AnnotationSet:
        with self.db.session(write=False) as s:
            return edits.load_annotation_set(s, edits.load_set(s, set_id))

    def sets_for_document(self, doc_id: int) -> list[AnnotationSet]:
        with self.db.session(write=False) as s:
            found = s.scalars(
                select(SetRow).where(SetRow.document_id == doc_id).order_by(SetRow.id)
            )
            return [edits.load_annotation_set(s, row) for row in found]

    # -- edits of one set (annotation_edits; `expected_version` is the optimistic check,
    # `reverts` the log row an undo or redo inverts) --------------------------------------

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
        with self.db.session(guard=roles.of_set(set_id)) as s:
            return annotation_edits.add_span(
                s, self.labels, set_id, span, who, expected_version, reverts
            )

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
        with self.db.session(guard=roles.of_set(set_id)) as s:
            return annotation_edits.update_span(
                s, self.labels, set_id, span_id, who, label, (start, end), expected_version, reverts
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
        with self.db.session(guard=roles.of_set(set_id)) as s:
            return annotation_edits.replace_span(s, set_id, span, who, expected_version, reverts)

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
        with self.db.session(guard=roles.of_set(set_id)) as s:
            return annotation_edits.link_span(
                s, self.labels, set_id, span_id, entity_id, who, expected_version, reverts
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
        with self.db.session(guard=roles.of_set(set_id)) as s:
            return annotation_edits.delete_span(s, set_id, span_id, who, expected_version, reverts)

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
        with self.db.session(guard=roles.of_set(set_id)) as s:
            return annotation_edits.add_quote(
                s, self.labels, set_id, quote, who, expected_version, reverts
            )

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
        """Change any of parts, kind, speaker, speaker_label, cue, entity, entity_id
        (`QuoteChanges`; lists and kind values read from JSON are accepted)."""
        with self.db.session(guard=roles.of_set(set_id)) as s:
            return annotation_edits.update_quote(
                s, self.labels, set_id, quote_id, who, changes, expected_version, reverts
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
        with self.db.session(guard=roles.of_set(set_id)) as s:
            return annotation_edits.replace_quote(s, set_id, quote, who, expected_version, reverts)

    def delete_quote(
        self,
        set_id: int,
        quote_id: int,
        who: str,
        *,
        expected_version: int | None = None,
        reverts: int | None = None,
    ) -> Edited[Quote]:
        with self.db.session(guard=roles.of_set(set_id)) as s:
            return annotation_edits.delete_quote(
                s, set_id, quote_id, who, expected_version, reverts
            )

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
        with self.db.session(guard=roles.of_set(set_id)) as s:
            return annotation_edits.set_status(s, set_id, status, who, expected_version, reverts)

    def save_predictions(
        self,
        doc_id: int,
        annotator: str,
        spans: Sequence[Span],
        quotes: Sequence[Quote],
        force: bool = False,
        *,
        add_only: bool = False,
        uncertainty: float | None = None,
    ) -> ModelRun | None:
        """Replace the model's spans and quotes unless a person edited the set (or force).

        Returns what changed (ids included, for undo), or None, writing nothing, when
        skipped because of human edits. `add_only` keeps every stored span and quote and
        adds the predicted spans that overlap none (a label of the label set), no quotes.
        `uncertainty` (nlp.uncertainty) is stored on the set for the list's sort.
        """
        return self.save_predictions_many(
            [(doc_id, spans, quotes)], annotator, force, add_only, [uncertainty]
        )[0]

    def save_predictions_many(
        self,
        predictions: Sequence[tuple[int, Sequence[Span], Sequence[Quote]]],
        annotator: str,
        force: bool = False,
        add_only: bool = False,
        uncertainties: Sequence[float | None] | None = None,
    ) -> list[ModelRun | None]:
        """`save_predictions` for several documents in ONE transaction.

        A commit costs an fsync (synchronous=FULL); batching a few dozen documents keeps
        bulk pre-annotation fast, at the price of redoing that batch after a crash.
        `uncertainties`, one per prediction, go to the sets (None leaves one as it was).
        """
        scores = list(uncertainties) if uncertainties is not None else [None] * len(predictions)
        if len(scores) != len(predictions):
            raise ValueError("one uncertainty per prediction")
        with self.db.session(guard=roles.of_annotator(annotator)) as s:
            return [
                batch.save_predictions(
                    s,
                    _set_row(s, doc_id, annotator),
                    spans,
                    quotes,
                    force,
                    add_only=add_only,
                    labels=self.labels,
                    uncertainty=score,
                )
                for (doc_id, spans, quotes), score in zip(predictions, scores, strict=True)
            ]

    def replay_predictions(
        self, run: ModelRun, who: str, *, undo: bool, expected_version: int | None = None
    ) -> ModelRun:
        """Undo a stored model run (`undo`) or store it again, with the same ids and status;
        returns what this write changed. Refused, writing nothing, when the set moved on."""
        with self.db.session(guard=roles.of_set(run.set_id)) as s:
            return batch.replay_predictions(s, run, who, undo=undo, version=expected_version)

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

    def iter_export_sets(
        self, status: str = "accepted", annotator: str | None = None, *, batch_size: int = 200
    ) -> Iterator[ExportSet]:
        """`iter_export` with spans as field tuples: what export itself reads (faster)."""
        _check_status_filter(status)
        with self.db.session(write=False) as s:
            yield from queries.iter_export_sets(s, status, annotator, batch_size)

    def set_counts(self) -> dict[tuple[str, str], int]:
        """How many annotation sets each (status, annotator) pair has."""
        with self.db.session(write=False) as s:
            return queries.set_counts(s)

    # -- log ------------------------------------------------------------------------------

    def edit_log(self, set_id: int) -> list[EditLogEntry]:
        with self.db.session(write=False) as s:
            found = s.scalars(
                select(EditLogRow).where(EditLogRow.set_id == set_id).order_by(EditLogRow.id)
            )
            return [rows.edit_log_entry(r) for r in found]

    def last_edit_id(self, set_id: int | None) -> int | None:
        """The newest log row of the set (None: of the corpus-wide rows): the row an edit
        just wrote, which its undo names as `reverts`. One writer holds the database's
        WriterLock, so no other process writes in between."""
        with self.db.session(write=False) as s:
            newest = annotation_edits.newest(s, set_id)
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

    def revert(
        self, entry_id: int, who: str, *, expected_version: int | None = None
    ) -> EditLogEntry:
        """Apply the inverse of a logged edit as a new logged edit, in one transaction;
        returns the new entry (`annotation_edits.revert`)."""
        with self.db.session(guard=roles.of_log_entry(entry_id)) as s:
            return annotation_edits.revert(s, entry_id, who, expected_version)

    def recent_edits(self, set_id: int, limit: int) -> list[EditLogEntry]:
        """The set's newest `limit` log rows, newest first (who changed it, and when)."""
        with self.db.session(write=False) as s:
            found = s.scalars(
                select(EditLogRow)
                .where(EditLogRow.set_id == set_id)
                .order_by(EditLogRow.id.desc())
                .limit(max(limit, 0))
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
                raise NotFoundError("entity", entity_id)
            return rows.entity(row)

    def find_or_create_entity(self, name: str, label: str, kb_id: str | None = None) -> Entity:
        """The entity (name, label), created if new; a missing kb_id is filled in."""
        name, label = name.strip(), label.strip()
        if not name or not label:
            raise AnnotationError("an entity needs a name and a label")
        try:
            with self.db.session(guard=ENTITY_CREATE) as s:
                return entity_ops.find_or_create(s, name, label, kb_id)
        except StorageError as exc:
            if not isinstance(exc.__cause__, IntegrityError):
                raise
        # Another process created it between our select and insert: it exists now.
        with self.db.session(guard=ENTITY_CREATE) as s:
            return entity_ops.find_or_create(s, name, label, kb_id)

    def update_entity(
        self,
        entity_id: int,
        who: str,
        *,
        name: str | None = None,
        label: str | None = None,
        kb_id: str | None = None,
        reverts: int | None = None,
    ) -> Entity:
        """Rename, relabel or set the knowledge-base id ("" clears it); logged corpus-wide.

        `reverts`: the corpus-wide row this change undoes or redoes (ADR 0006)."""
        with self.db.session(guard=roles.ENTITY_EDITS) as s:
            return entity_ops.update_entity(s, entity_id, who, name, label, kb_id, reverts)

    def merge_entities(
        self, keep_id: int, drop_id: int, who: str, *, reverts: int | None = None
    ) -> Entity:
        """Relink every mention and quote of `drop_id` to `keep_id`, then delete it.

        `reverts`: the corpus-wide row of the unmerge this merge redoes (ADR 0006)."""
        with self.db.session(guard=roles.ENTITY_EDITS) as s:
            return entity_ops.merge(s, keep_id, drop_id, who, reverts)

    def entity_counts(self) -> dict[int, tuple[int, int]]:
        """Entity id -> (mentions, quotes) across the corpus (unused entities are absent)."""
        with self.db.session(write=False) as s:
            return entity_ops.counts(s)

    def entity_mention_labels(self) -> dict[int, dict[str, int]]:
        """Entity id -> {label: mentions}: an entity with more than one label is mixed."""
        with self.db.session(write=False) as s:
            return entity_ops.mention_labels(s)

    def edited_after_accept(self, set_id: int) -> bool:
        """Whether the set is accepted and a span or quote edit came after that."""
        with self.db.session(write=False) as s:
            return queries.edited_after_accept(s, set_id)

    def entity_links(self, entity_id: int) -> dict[str, list[int]]:
        """{"spans": [...], "quotes": [...]}: the ids linked to the entity."""
        with self.db.session(write=False) as s:
            return entity_ops.links(s, entity_id)

    def unmerge_entities(
        self,
        kept: Entity,
        dropped: Entity,
        links: dict[str, list[int]],
        who: str,
        *,
        reverts: int | None = None,
    ) -> Entity:
        """The inverse of `merge_entities`: `dropped` comes back (same id) with its links;
        `kept` is the surviving entity as it was before the merge, `reverts` the merge's
        corpus-wide row."""
        with self.db.session(guard=roles.ENTITY_EDITS) as s:
            return entity_ops.unmerge(s, kept, dropped, links, who, reverts)

    # -- stats ------------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Counts: documents, annotation_sets, by_status, spans, spans_by_label,
        spans_by_origin, quotes, quotes_by_kind, entities."""
        with self.db.session(write=False) as s:
            return queries.stats(s)

    # -- training: gold and the model registry (storage.gold, storage.model_registry) ------

    def gold_docs(self, status: str = "accepted", annotator: str | None = None) -> list[GoldDoc]:
        """The human-touched gold in `status` (by `annotator`), one per document
        (`storage.gold` says what counts as touched)."""
        _check_status_filter(status)
        with self.db.session(write=False) as s:
            return list(gold.iter_gold(s, status, annotator))

    def untouched_sets(self, status: str = "accepted", annotator: str | None = None) -> int:
        """Sets in `status` that no person touched (left out of the gold)."""
        with self.db.session(write=False) as s:
            return gold.count_untouched(s, status, annotator)

    def annotator_known(self, annotator: str) -> bool:
        """Whether any annotation set belongs to `annotator`."""
        with self.db.session(write=False) as s:
            return gold.annotator_known(s, annotator)

    def register_model(
        self, name: str, path: str, base_model: str, version: str, meta: dict[str, Any]
    ) -> TrainedModel:
        """Record a trained pipeline; a name registered already is a UsageError. A folder
        in the data dir's models/ is stored relative to it (model_registry)."""
        with self.db.session(guard=roles.corpus("register trained models", "reviewer")) as s:
            return model_registry.add(s, name, path, base_model, version, meta, self._models)

    def trained_models(self) -> list[TrainedModel]:
        """The registered models, oldest first."""
        with self.db.session(write=False) as s:
            return model_registry.all_models(s, self._models)

    def trained_model(self, name: str) -> TrainedModel | None:
        with self.db.session(write=False) as s:
            return model_registry.find(s, name, self._models)

    def unregister_model(self, name: str) -> TrainedModel:
        """Remove the model's row (its files are the caller's); unknown: UsageError."""
        with self.db.session(guard=roles.corpus("delete trained models", "admin")) as s:
            return model_registry.delete(s, name, self._models)

    @property
    def _models(self) -> Path:
        # The data dir is the database's folder: models/ beside it, wherever it now is.
        return paths.models_dir(self.db.path.parent)

    # -- team mode: assignments and users (storage.assignments, migration 0006) ------------

    def assignments(self) -> dict[int, tuple[str, ...]]:
        """Document id -> the annotators it is assigned to."""
        with self.db.session(write=False) as s:
            return assignments.current(s)

    def has_assignments(self) -> bool:
        """Whether anything is assigned (the window then lists the annotator's queue)."""
        with self.db.session(write=False) as s:
            return assignments.any_assigned(s)

    def assign(self, planned: dict[int, tuple[str, ...]], by: str, *, replace: bool) -> int:
        """Store an assignment plan in one transaction (`replace`: the planned documents'
        earlier assignments are dropped first); the rows written."""
        with self.db.session(guard=roles.corpus("assign documents", "admin")) as s:
            return assignments.write(s, planned, by, replace=replace)

    def assignment_progress(self, annotator: str | None = None) -> list[AnnotatorProgress]:
        with self.db.session(write=False) as s:
            return assignments.progress(s, annotator)

    def users(self) -> dict[str, str]:
        """User name -> role (empty: single-user)."""
        with self.db.session(write=False) as s:
            return assignments.users(s)

    def add_user(self, name: str, role: str) -> None:
        with self.db.session(guard=USER_ADMIN) as s:
            assignments.add_user(s, name, role)

    def remove_user(self, name: str) -> str:
        """Delete a user (their sets and assignments stay); returns their role. Refused for
        an unknown name and for the last admin."""
        with self.db.session(guard=USER_ADMIN) as s:
            return assignments.remove_user(s, name)

    def login(self) -> str | None:
        """The server login writes are checked as (ADR 0013); None for a file (single-user)."""
        if not isinstance(self.db, ServerDatabase):
            return None
        with self.db.session(write=False) as s:
            return roles.identity(s).login

    # -- review (storage/review.py) -----------------------------------------------------------

    def review_items(
        self,
        set_id: int,
        who: str,
        *,
        drop_spans: Sequence[int] = (),
        drop_quotes: Sequence[int] = (),
        spans: Sequence[Span] = (),
        quotes: Sequence[Quote] = (),
        reviewed: bool = False,
        expected_version: int | None = None,
    ) -> SetState:
        """One transaction of logged edits to a gold set: drop items, add copies of
        another set's, and with `reviewed` accept it as reviewed by `who`."""
        with self.db.session(guard=roles.of_set(set_id, review=reviewed)) as s:
            return review.replace_items(
                s, set_id, drop_spans, drop_quotes, spans, quotes, who, expected_version, reviewed
            )

    def mark_reviewed(
        self, set_id: int, who: str, *, expected_version: int | None = None
    ) -> SetState:
        with self.db.session(guard=roles.of_set(set_id, review=True)) as s:
            return review.mark_reviewed(s, set_id, who, expected_version)

    def reviewed(self, set_id: int) -> tuple[str | None, str | None]:
        """(reviewed_by, reviewed_at) of a set; None, None until reviewed."""
        with self.db.session(write=False) as s:
            return review.reviewed(s, set_id)

    def review_overview(self, gold: str, skipped: Sequence[str] = ()) -> list[review.ReviewRow]:
        """Documents with sets of two or more annotators besides `gold` (sets in a
        `skipped` status left out), with gold's state."""
        with self.db.session(write=False) as s:
            return review.overview(s, gold, skipped)


def _check_status_filter(status: str | None) -> None:
    if status is not None and status != "any" and status not in {s.value for s in Status}:
        raise UsageError(f"unknown status {status!r}")


def _set_row(s: Session, doc_id: int, annotator: str) -> SetRow:
    row = s.scalar(
        select(SetRow).where(SetRow.document_id == doc_id, SetRow.annotator == annotator)
    )
    if row is None:
        edits.document_text(s, doc_id)  # InputError if the document is missing
        row = edits.new_set(s, doc_id, annotator)
    return row
