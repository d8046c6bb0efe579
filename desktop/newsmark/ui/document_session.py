"""The open document and its annotation set: loading, pre-annotation, decisions.

Widgets never talk to the repository; they ask this object, which answers with signals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar, Unpack

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoGroup, QUndoStack

from newsmark.commands.edit_command import EditCommand, SeenVersion
from newsmark.commands.entity_commands import MergeEntitiesCommand, UpdateEntityCommand
from newsmark.commands.logged_command import restore_history
from newsmark.commands.macro_command import MacroCommand
from newsmark.commands.model_run_command import ModelRunCommand
from newsmark.commands.quote_commands import (
    DeleteQuoteCommand,
    UpdateQuoteCommand,
)
from newsmark.commands.span_commands import (
    AddSpanCommand,
    DeleteSpanCommand,
    SpanCommand,
    UpdateSpanCommand,
)
from newsmark.commands.status_command import StatusCommand
from newsmark.domain.annotations import AnnotationSet
from newsmark.domain.document import Document
from newsmark.domain.entities import Entity
from newsmark.domain.errors import ConflictError, NewsmarkError, StorageError
from newsmark.domain.labels import LabelSet
from newsmark.domain.quotes import Quote, QuoteChanges, guess_kind
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.services.preannotation import apply_prediction
from newsmark.ui.conflict_text import conflict_message
from newsmark.ui.models.document_list_model import DocumentPager, ListCounts, status_of
from newsmark.ui.quote_attribution import attribution_command
from newsmark.ui.quote_proposal import mark_command
from newsmark.workers.nlp_worker import NlpWorker

if TYPE_CHECKING:
    from newsmark.services.preannotation import Prediction
    from newsmark.storage import DocumentSummary, ModelRun, Repository, SetState

log = logging.getLogger(__name__)

LIST_REFRESH_DELAY_MS = 300
LISTED_CAP = 10_000  # a search counts its matches up to this many ("more than 10,000")
UNDECIDED_PAGE = 200  # rows read at a time looking for the next undecided in a sorted list
UNDECIDED = (Status.NEW, Status.PREANNOTATED, Status.IN_PROGRESS)

# What `push` takes: a command its creator applies once (`apply()`), then stacked.
Command = EditCommand[Any] | MacroCommand | UpdateEntityCommand | MergeEntitiesCommand
T = TypeVar("T", Span, Quote)


def needs_prediction(aset: AnnotationSet | None) -> bool:
    """A set nobody annotated yet: no set at all, or an empty one still new."""
    return aset is None or (aset.status is Status.NEW and not aset.spans and not aset.quotes)


class DocumentSession(QObject):
    """Holds the current document and answers the window's requests about it.

    Edits go through undoable commands over the repository; what each one stored (the
    items it removed and added, and the set's new version and status, as the repository
    returned them) is applied to the set in memory, never worked out here.

    Signals:
        documents_listed(object, int, int): a DocumentPager for the filter (the list reads
            it a page at a time), accepted, total.
        counts_changed(object): ListCounts (documents per status, how many are listed).
        summary_changed(object): the DocumentSummary of a document an edit changed.
        document_opened(object, object): Document and AnnotationSet (None: none yet).
        annotations_changed(object): the current AnnotationSet, re-read, predicted or
            re-run (a whole-set change).
        spans_changed(object, object): an edit's removed and added spans (the set in
            `annotations` already holds the result).
        quotes_changed(object, object): the same for quotes.
        prediction_requested(int, int): request id, document id.
        prediction_dropped(int, int): a stale result's request id and document id.
        rerun_done(int): a re-run of the model was stored (the model spans it added) or,
            -1, skipped to keep human edits as they are.
        saved(str): a write reached the database; the argument says what.
        failed(str): an operation failed; the message is for the user.
        save_failed(object, str): an edit command the database refused to store (locked,
            disk full, read-only) and the reason; it stays pending (`pending_edits`)
            until `retry` saves it or `discard` drops it.
        pending_changed(int): the number of pending edits changed.
        conflicted(str): an edit, undo or redo was refused because the set changed
            elsewhere (another window, the CLI) since the version this window showed; the
            set was re-read and its undo history cleared; the message says who and when.
    """

    documents_listed = Signal(object, int, int)
    counts_changed = Signal(object)
    summary_changed = Signal(object)
    document_opened = Signal(object, object)
    annotations_changed = Signal(object)
    spans_changed = Signal(object, object)
    quotes_changed = Signal(object, object)
    prediction_requested = Signal(int, int)
    prediction_dropped = Signal(int, int)
    rerun_done = Signal(int)
    saved = Signal(str)
    failed = Signal(str)
    save_failed = Signal(object, str)
    pending_changed = Signal(int)
    conflicted = Signal(str)

    def __init__(
        self,
        repo: Repository,
        annotator: str,
        worker: NlpWorker | None = None,
        *,
        readonly: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.repo = repo
        self.annotator = annotator
        # Who the edit log names, when not the set's annotator (a reviewer in their set).
        self.editor: str | None = None
        self.readonly = readonly
        self.document: Document | None = None
        self.annotations: AnnotationSet | None = None
        self._worker = worker
        self._pending: int | None = None  # the one prediction request still wanted
        # The re-run request still wanted, and who decides when a person edited the set.
        self._rerun: tuple[int, Callable[[], bool]] | None = None
        self._filter: tuple[str | None, str | None] = (None, None)
        self._sort = "id"  # the list's order: "id" or "uncertainty" (storage's sorts)
        self.queue_only = False  # list only the annotator's assigned documents (team mode)
        # One undo stack per document: switching documents keeps each one's history.
        self.undo_group = QUndoGroup(self)
        self._list_timer = QTimer(self)
        self._list_timer.setSingleShot(True)
        self._list_timer.setInterval(LIST_REFRESH_DELAY_MS)
        self._list_timer.timeout.connect(self._refresh_current)
        self._stacks: dict[int, QUndoStack] = {}
        self._unsaved: list[tuple[int, Command]] = []  # (document id, command), oldest first
        # Per set: the version this window shows, which its edits are made against.
        self._seen: dict[int, SeenVersion] = {}
        # Accepted, then edited (a span or quote edit after the last status change).
        self.edited_after_accept = False
        self.before_undo: Callable[[], bool] | None = None
        if worker is not None:
            worker.prediction_ready.connect(self._on_prediction_ready)
            worker.prediction_failed.connect(self._on_prediction_failed)

    @property
    def who(self) -> str:
        """The name the edit log records for this window's edits."""
        return self.editor or self.annotator

    @property
    def can_rerun(self) -> bool:
        """Whether Re-run model can work at all: a model worker and a writable database."""
        return self._worker is not None and not self.readonly

    def use_labels(self, labels: LabelSet) -> None:
        """Check later edits against this label set (changed in Preferences)."""
        self.repo.labels = labels

    # -- the list ---------------------------------------------------------------------
    def list_documents(
        self,
        status: str | None = None,
        search: str | None = None,
        sort: str = "id",
        *,
        queue_only: bool = False,
    ) -> None:
        self._filter = (status, search)
        self._sort = sort
        self.queue_only = queue_only
        self.refresh_list()

    def has_assignments(self) -> bool:
        """Whether documents are assigned to annotators (the list then offers "My queue")."""
        try:
            return self.repo.has_assignments()
        except NewsmarkError as exc:
            self.failed.emit(str(exc))
            return False

    @property
    def _queue(self) -> str | None:
        """The annotator whose queue the list shows, or None for every document."""
        return self.annotator if self.queue_only else None

    def refresh_list(self) -> None:
        """List again from the top (the filter changed, documents were imported)."""
        status, search = self._filter
        try:
            counts = self._counts()
        except NewsmarkError as exc:
            self.failed.emit(str(exc))
            return
        sort = self._sort
        pager = DocumentPager(
            partial(self._page, status, search, sort),
            partial(self._next_undecided, status, search, sort),
            in_id_order=sort == "id",
        )
        self.documents_listed.emit(pager, counts.accepted, counts.total)
        self.counts_changed.emit(counts)

    def _refresh_current(self) -> None:
        """The open document's row and the counts, after an edit or a decision: one row
        read, not the list (whose other rows did not change)."""
        self._list_timer.stop()
        try:
            counts = self._counts()
            doc = self.document
            summary = self.repo.document_summary(doc.id, self.annotator) if doc else None
        except NewsmarkError as exc:
            self.failed.emit(str(exc))
            return
        if summary is not None:
            self.summary_changed.emit(summary)
        self.counts_changed.emit(counts)

    def _counts(self) -> ListCounts:
        status, search = self._filter
        by_status = self.repo.count_by_status(self.annotator, queue=self._queue)
        if search:  # "the" matches the whole archive: counted up to a cap
            found = self.repo.count_documents(
                status, self.annotator, search, cap=LISTED_CAP, queue=self._queue
            )
            return ListCounts(by_status, min(found, LISTED_CAP), found > LISTED_CAP)
        if status in (None, "any"):
            return ListCounts(by_status, sum(by_status.values()))
        return ListCounts(by_status, by_status[Status(status)])

    def _page(
        self, status: str | None, search: str | None, sort: str, after: int | None, limit: int
    ) -> list[DocumentSummary]:
        try:
            return list(
                self.repo.list_documents(
                    status=status,
                    annotator=self.annotator,
                    search=search,
                    limit=limit,
                    after=after,
                    sort=sort,
                    queue=self._queue,
                )
            )
        except NewsmarkError as exc:
            self.failed.emit(str(exc))
            return []

    def _next_undecided(
        self, status: str | None, search: str | None, sort: str, after: int | None
    ) -> int | None:
        if sort != "id":  # the list's own order: read on from `after` a page at a time
            while True:
                rows = self._page(status, search, sort, after, UNDECIDED_PAGE)
                hit = next((r.id for r in rows if not status_of(r).is_decided), None)
                if hit is not None or len(rows) < UNDECIDED_PAGE:
                    return hit
                after = rows[-1].id
        found: list[int] = []
        for undecided in UNDECIDED:
            if status not in (None, "any", undecided.value):
                continue
            try:
                rows = self.repo.list_documents(
                    undecided.value, self.annotator, search, limit=1, after=after, queue=self._queue
                )
            except NewsmarkError as exc:
                self.failed.emit(str(exc))
                return None
            found += [r.id for r in rows]
        return min(found, default=None)

    # -- opening ----------------------------------------------------------------------
    def open(self, doc_id: int) -> None:
        try:
            document = self.repo.get_document(doc_id)
            aset = self.repo.annotation_set(doc_id, self.annotator, create=not self.readonly)
        except NewsmarkError as exc:
            self.failed.emit(str(exc))
            return
        self.document, self.annotations = document, aset
        self._pending = self._rerun = None
        self._saw(doc_id, aset)
        self.edited_after_accept = self._read_edited_mark()
        self.undo_group.setActiveStack(self._undo_stack(doc_id))
        self.document_opened.emit(document, aset)
        if self._worker is not None and needs_prediction(aset):
            self._pending = self._worker.request(doc_id, document.text)
            self.prediction_requested.emit(self._pending, doc_id)

    @property
    def pending_request(self) -> int | None:
        return self._pending

    def _on_prediction_ready(self, request_id: int, doc_id: int, prediction: Prediction) -> None:
        """Save and show a prediction if it is still the one wanted, else drop it."""
        if self._rerun is not None and request_id == self._rerun[0]:
            self._rerun_ready(doc_id, prediction, self._rerun[1])
            return
        current = self.document.id if self.document else None
        if request_id != self._pending or doc_id != current:
            log.debug("dropping stale prediction %s for document %s", request_id, doc_id)
            self.prediction_dropped.emit(request_id, doc_id)
            return
        self._pending = None
        if not needs_prediction(self.annotations):
            # A human edit landed while the model ran: never overwrite it.
            self.prediction_dropped.emit(request_id, doc_id)
            return
        if self.readonly:
            spans, quotes = list(prediction.spans), list(prediction.quotes)
            aset = AnnotationSet(doc_id, self.annotator, Status.PREANNOTATED, spans, quotes)
            self.annotations = aset
            self.annotations_changed.emit(aset)
            return
        try:
            run = apply_prediction(self.repo, doc_id, self.annotator, prediction)
        except NewsmarkError as exc:
            self.failed.emit(str(exc))
            return
        if run is None:  # edited elsewhere meanwhile: kept as it is
            self.prediction_dropped.emit(request_id, doc_id)
            return
        self._apply_run(run)
        self.saved.emit(f"{len(run.added_spans)} predicted spans")
        self._refresh_current()

    def _on_prediction_failed(self, request_id: int, doc_id: int, reason: str) -> None:
        if request_id == self._pending:
            self._pending = None
            self.failed.emit(f"Pre-annotation failed: {reason}")
        elif self._rerun is not None and request_id == self._rerun[0]:
            self._rerun = None
            self.failed.emit(f"Re-running the model failed: {reason}")

    # -- re-running the model -----------------------------------------------------------
    def rerun_model(self, ask_add_new_only: Callable[[], bool]) -> int | None:
        """Ask the model for the open document again; returns the request id.

        The answer replaces the model's spans and quotes, as one undo step. Where a person
        edited the set, the model never overwrites: `ask_add_new_only()` then says whether
        to add the model's spans that overlap none (True) or to skip the re-run.
        """
        doc = self.document
        if self._worker is None or doc is None or self._editable() is None:
            return None
        request = self._worker.request(doc.id, doc.text, supersede=False)
        self._rerun = (request, ask_add_new_only)
        return request

    def _rerun_ready(
        self, doc_id: int, prediction: Prediction, ask_add_new_only: Callable[[], bool]
    ) -> None:
        self._rerun = None
        aset = self._editable()
        if aset is None or aset.document_id != doc_id:
            return  # the user moved on
        # Over a person's edits the model never overwrites: it may only add, if asked to.
        add_only = not aset.status.untouched
        if add_only and not ask_add_new_only():
            self.rerun_done.emit(-1)
            return
        try:
            run = apply_prediction(self.repo, doc_id, self.annotator, prediction, add_only=add_only)
        except NewsmarkError as exc:
            self.failed.emit(f"Re-running the model failed: {exc}")
            return
        if run is None:  # edited elsewhere meanwhile: the repository checked again
            self.rerun_done.emit(-1)
            return
        self._apply_run(run)
        self._stack_applied(doc_id, ModelRunCommand(self.repo, run, self.who, self._apply_run))
        self.rerun_done.emit(len(run.added_spans))

    # -- decisions and edits ----------------------------------------------------------
    def _editable(self) -> AnnotationSet | None:
        """The open set when it may be edited (a document open, writable), else None."""
        aset = self.annotations
        if self.readonly or aset is None or aset.id is None or self.document is None:
            return None
        return aset

    def set_status(self, status: Status) -> bool:
        """Decide (accept, reject, skip...) as an undo step of the document's stack."""
        aset = self._editable()
        if aset is None or aset.id is None:
            return False
        changed = self._apply_status
        return self.push(StatusCommand(self.repo, aset.id, status, self.who, changed))

    def _apply_status(
        self, _removed: Sequence[Status], _added: Sequence[Status], state: SetState
    ) -> None:
        aset = self.annotations
        if aset is None:
            return
        self._apply_state(aset, state)
        self.edited_after_accept = self._read_edited_mark()  # undo may bring one back
        self.annotations_changed.emit(aset)
        self._refresh_current()

    def _read_edited_mark(self) -> bool:
        aset = self.annotations
        if aset is None or aset.id is None or aset.status is not Status.ACCEPTED:
            return False
        try:
            return self.repo.edited_after_accept(aset.id)
        except NewsmarkError:
            return False

    def undo(self) -> None:
        """Undo the last step; `before_undo` may take it instead (returning True): the
        navigator goes back to a document it left after a decision."""
        if self.before_undo is not None and self.before_undo():
            return
        self.undo_group.undo()

    def switch_annotator(self, annotator: str) -> None:
        """Work as `annotator` from now on (changed in Preferences): the list's states and
        the open document become theirs (it is reopened); the undo history of the
        previous annotator's sets is dropped (it is restored for each set on opening)."""
        if annotator == self.annotator:
            return
        self.annotator = annotator
        for stack in self._stacks.values():
            self.undo_group.removeStack(stack)
            stack.deleteLater()
        self._stacks.clear()
        self.refresh_list()
        if self.document is not None:
            self.open(self.document.id)

    def _undo_stack(self, doc_id: int) -> QUndoStack:
        stack = self._stacks.get(doc_id)
        if stack is None:
            stack = self._stacks[doc_id] = QUndoStack(self.undo_group)
            aset = None if self.readonly else self.annotations  # read-only: no undo
            if aset is not None and aset.id is not None and aset.document_id == doc_id:
                changed, failed = self.reload_annotations, self.failed.emit
                seen, conflict = self._seen_for(aset.id), self._conflict_in_stack
                restore_history(
                    stack, self.repo, aset.id, self.who, changed, failed, seen, conflict
                )
        return stack

    def label_range(self, start: int, end: int, label: str) -> bool:
        """Label [start, end) (code points); on an existing span of that range, relabel it."""
        aset = self._editable()
        if aset is None or aset.id is None:
            return False
        same = next((sp for sp in aset.spans if (sp.start, sp.end) == (start, end)), None)
        command: SpanCommand
        if same is not None and same.id is not None:
            if same.label == label and same.origin not in (Origin.MODEL, Origin.RULE):
                return False
            command = UpdateSpanCommand(
                self.repo, aset.id, same, self.who, self.apply_changes, label=label
            )
        else:
            span = Span(start, end, label, Origin.HUMAN)
            command = AddSpanCommand(self.repo, aset.id, span, self.who, self.apply_changes)
        return self.push(command)

    def resize_span(self, span: Span, start: int, end: int) -> bool:
        aset = self._editable()
        if aset is None or aset.id is None or span.id is None:
            return False
        command = UpdateSpanCommand(
            self.repo, aset.id, span, self.who, self.apply_changes, start=start, end=end
        )
        return self.push(command)

    def delete_span(self, span: Span) -> bool:
        aset = self._editable()
        if aset is None or aset.id is None or span.id is None:
            return False
        changed = self.apply_changes
        return self.push(DeleteSpanCommand(self.repo, aset.id, span, self.who, changed))

    # -- quotes -------------------------------------------------------------------------
    def mark_quote(self, start: int, end: int) -> bool:
        """Mark [start, end) as a quote; its kind is guessed from the quotation marks, its
        cue and speaker proposed from the words around it (one undo step)."""
        aset, doc = self._editable(), self.document
        if aset is None or aset.id is None or doc is None:
            return False
        quote = Quote(((start, end),), guess_kind(doc.text, start, end), origin=Origin.HUMAN)
        try:  # with the cue and speaker the words around it propose (quote_proposal)
            command = mark_command(self, quote)
        except NewsmarkError as exc:
            self.failed.emit(str(exc))
            return False
        return self.push(command)

    def attribute(self, quote: Quote, speaker: Span, entity: Entity | None = None) -> bool:
        """Make `speaker` (a mention in the text) the quote's speaker, linked to its entity."""
        if self._editable() is None:
            return False
        try:
            command = attribution_command(self, quote, speaker, entity)
        except NewsmarkError as exc:
            self.failed.emit(str(exc))
            return False
        return self.push(command)

    def update_quote(self, quote: Quote, text: str, **changes: Unpack[QuoteChanges]) -> bool:
        """Change the quote (parts, kind, speaker, cue, entity) as one undo step `text`."""
        aset = self._editable()
        if aset is None or aset.id is None:
            return False
        changed = self.apply_quote_changes
        return self.push(
            UpdateQuoteCommand(self.repo, aset.id, quote, self.who, changed, text, **changes)
        )

    def quote_now(self, quote: Quote) -> Quote | None:
        """`quote` as the set holds it after an edit (found by id), None once deleted."""
        quotes = self.annotations.quotes if self.annotations else []
        return next((q for q in quotes if q.id == quote.id), None)

    def delete_quote(self, quote: Quote) -> bool:
        aset = self._editable()
        if aset is None or aset.id is None or quote.id is None:
            return False
        changed = self.apply_quote_changes
        return self.push(DeleteQuoteCommand(self.repo, aset.id, quote, self.who, changed))

    # -- what an edit stored, applied to the set in memory ------------------------------
    def apply_changes(
        self, removed: Sequence[Span], added: Sequence[Span], state: SetState
    ) -> None:
        """What a span edit step did (no re-read of the set)."""
        aset = self.annotations
        if aset is not None:
            aset.spans = _swapped(aset.spans, removed, added)
            self._apply_state(aset, state)
            self.edited_after_accept = state.status is Status.ACCEPTED
            self.spans_changed.emit(list(removed), list(added))

    def apply_quote_changes(
        self, removed: Sequence[Quote], added: Sequence[Quote], state: SetState
    ) -> None:
        """What a quote edit step did (no re-read of the set)."""
        aset = self.annotations
        if aset is not None:
            aset.quotes = _swapped(aset.quotes, removed, added)
            self._apply_state(aset, state)
            self.edited_after_accept = state.status is Status.ACCEPTED
            self.quotes_changed.emit(list(removed), list(added))

    def _apply_run(self, run: ModelRun) -> None:
        """What a model run (or its undo) stored: a whole-set change."""
        aset = self.annotations
        if aset is None or aset.id != run.set_id:
            return
        aset.spans = _swapped(aset.spans, run.removed_spans, run.added_spans)
        aset.quotes = _swapped(aset.quotes, run.removed_quotes, run.added_quotes)
        self._seen_for(run.set_id).value = run.state.version  # a write of this window
        self._apply_state(aset, run.state)
        self.annotations_changed.emit(aset)

    def _apply_state(self, aset: AnnotationSet, state: SetState) -> None:
        aset.version, aset.status = state.version, state.status
        if state.status is not Status.ACCEPTED:
            self.edited_after_accept = False
        # The list shows the new status and counts, re-read (one row) once a burst of
        # edits is over so the edit itself stays instant.
        self._list_timer.start()

    def reload_annotations(self) -> None:
        """Re-read the current set (after a command that reports no diff: a step restored
        from the log, an entity edit or merge)."""
        if self.annotations is None or self.annotations.id is None:
            return
        try:
            self.annotations = self.repo.get_set(self.annotations.id)
        except NewsmarkError as exc:
            self.failed.emit(str(exc))
            return
        self._seen_for(self.annotations.id or 0).value = self.annotations.version
        self.edited_after_accept = self._read_edited_mark()
        self.annotations_changed.emit(self.annotations)
        self._list_timer.start()

    # -- the undo stack, and edits the database refused to store -------------------------
    def push(self, command: Command) -> bool:
        """Apply a command (its first redo) and stack it; False when it was refused."""
        if self.document is None:
            return False
        self._watch(command)
        try:
            command.apply()
        except ConflictError:  # changed elsewhere: re-read, never retried over their change
            self._conflict(f"edit “{command.text()}”")
            return False
        except StorageError as exc:  # locked, disk full: the edit waits for a retry
            self._unsaved.append((self.document.id, command))
            self.pending_changed.emit(len(self._unsaved))
            self.save_failed.emit(command, str(exc))
            return False
        except NewsmarkError as exc:  # overlap, out of range...: the message says which
            self.failed.emit(str(exc))
            return False
        self._stack_applied(self.document.id, command)
        return True

    def _stack_applied(self, doc_id: int, command: Command | ModelRunCommand) -> None:
        if isinstance(command, EditCommand | MacroCommand | ModelRunCommand):
            command.on_failed = self.failed.emit  # a refused undo/redo: reported, not raised
            command.on_conflict = self._conflict_in_stack
        if isinstance(command, ModelRunCommand) and self.annotations is not None:
            command.seen = self._seen_for(command.run.set_id)
        self._undo_stack(doc_id).push(command)
        self.saved.emit(command.text())

    @property
    def pending_edits(self) -> list[Command]:
        return [command for _, command in self._unsaved]

    def describe(self, command: Command) -> str:
        """The command's text, with the words it labels when it is one span edit."""
        span, doc = getattr(command, "span", None), self.document
        doc_id = next((d for d, c in self._unsaved if c is command), None)
        if span is None or doc is None or doc_id not in (None, doc.id):
            return str(command.text())
        return f"{command.text()} “{doc.text[span.start : span.end]}”"

    def retry(self, command: Command) -> bool:
        """Store a pending edit again (opening its document first); True once saved."""
        entry = next((e for e in self._unsaved if e[1] is command), None)
        if entry is None:
            return False
        doc_id = entry[0]
        if self.document is None or self.document.id != doc_id:
            self.open(doc_id)  # its diff is applied to the set in memory, which must match
        try:
            command.apply()
        except ConflictError:  # made against a version another writer has moved on from
            self.discard(command)
            self._conflict(f"edit “{command.text()}”")
            return False
        except StorageError as exc:
            self.save_failed.emit(command, str(exc))
            return False
        except NewsmarkError as exc:  # e.g. another edit now overlaps it
            self.discard(command)
            self.failed.emit(f"“{command.text()}” was not saved: {exc}")
            return False
        self.discard(command)
        self._stack_applied(doc_id, command)
        return True

    def retry_all(self) -> bool:
        """Retry the pending edits in order, stopping at the first one still refused."""
        return all(self.retry(command) for command in self.pending_edits)

    def discard(self, command: Command) -> None:
        self._unsaved = [e for e in self._unsaved if e[1] is not command]
        self.pending_changed.emit(len(self._unsaved))

    # -- the version each edit is made against, and conflicts ----------------------------
    def _seen_for(self, set_id: int) -> SeenVersion:
        seen = self._seen.get(set_id)
        if seen is None:
            aset = self.annotations
            shown = aset.version if aset is not None and aset.id == set_id else None
            seen = self._seen[set_id] = SeenVersion(shown)
        return seen

    def _saw(self, doc_id: int, aset: AnnotationSet | None) -> None:
        """A set just read whole: its edits are made against this version. A set changed
        elsewhere since this window last wrote it loses its undo history here."""
        if aset is None or aset.id is None:
            return
        seen = self._seen.get(aset.id)
        stack = self._stacks.get(doc_id)
        shown = seen.value if seen is not None else None
        if seen and shown is not None and self._changed_elsewhere(aset.id, shown, aset.version):
            seen.dropped = True
            del self._seen[aset.id]
            if stack is not None and stack.count():
                stack.clear()
                self.failed.emit(
                    "This document was changed elsewhere since you last had it open; "
                    "its undo history was cleared"
                )
        self._seen_for(aset.id).value = aset.version

    def _changed_elsewhere(self, set_id: int, seen: int, now: int) -> bool:
        """Whether someone else wrote the set between versions `seen` and `now` (this
        window's own entity merges relink mentions in sets it is not showing: not them)."""
        if now == seen:
            return False
        if now < seen:  # the set was replaced (a restore): nothing here is current
            return True
        try:
            since = self.repo.recent_edits(set_id, min(max(now - seen, 1), 50))
        except NewsmarkError:
            return True
        ours = ("merge_entities", "unmerge_entities")
        return any(e.who != self.who or e.op not in ours for e in since)

    def _watch(self, command: Command) -> None:
        """Make a new edit (each step of a macro in turn) against the version the window
        shows; its first apply raises a conflict, `_stack_applied` wires its undo/redo."""
        aset = self.annotations
        if isinstance(command, EditCommand | MacroCommand) and aset is not None:
            command.seen = self._seen_for(aset.id or 0)

    def _conflict_in_stack(self, what: str) -> None:
        """An undo or redo refused as a conflict (inside QUndoStack: cleared afterwards)."""
        self._conflict(what, in_stack=True)

    def _conflict(self, what: str, *, in_stack: bool = False) -> None:
        """The open set changed elsewhere since the version this window showed: re-read it,
        drop its undo history (an undo must never write over the other's change) and say
        who changed it. `what` names the refused step ("edit “Label PERSON”")."""
        aset, doc = self.annotations, self.document
        if aset is None or aset.id is None or doc is None:
            return
        old = self._seen.pop(aset.id, None)
        if old is not None:
            old.dropped = True  # the steps of the old history refuse from now on
        had = old.value if old is not None and old.value is not None else aset.version
        self.reload_annotations()
        stack = self._stacks.get(doc.id)
        if stack is not None:  # inside its undo(): the stack deletes that step first
            if in_stack:
                QTimer.singleShot(0, stack, stack.clear)
            else:
                stack.clear()
        # Edits still waiting for a retry were made against the old version too.
        waiting = [e for e in self._unsaved if e[0] == doc.id]
        if waiting:
            self._unsaved = [e for e in self._unsaved if e[0] != doc.id]
            self.pending_changed.emit(len(self._unsaved))
        now = self.annotations.version if self.annotations is not None else had
        try:
            entries = self.repo.recent_edits(aset.id, min(max(now - had, 1), 50))
        except NewsmarkError:
            entries = []
        message = conflict_message(entries, what, self.who)
        if waiting:
            n = len(waiting)
            edits = (
                "1 edit waiting for a retry was"
                if n == 1
                else f"{n} edits waiting for a retry were"
            )
            message += f" {edits} dropped."
        self.conflicted.emit(message)


def _swapped(items: list[T], removed: Sequence[T], added: Sequence[T]) -> list[T]:
    """`items` without the removed ones (by id), with the added ones."""
    gone = {item.id for item in removed}
    return [item for item in items if item.id not in gone] + list(added)
