"""The article's controller: shows the open set, edits spans (label, relabel, resize,
delete) and marks and attributes quotes from the selection."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from newsmark.domain.annotations import AnnotationSet
from newsmark.domain.document import Document
from newsmark.domain.labels import LabelSet
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Span
from newsmark.domain.status import Status
from newsmark.ui.actions import ActionRegistry
from newsmark.ui.document_session import DocumentSession
from newsmark.ui.views.article_view import ArticleView
from newsmark.ui.views.label_palette import LabelPalette
from newsmark.ui.views.status_bar import StatusBar

EDGE_ACTIONS = ("grow_span_end", "shrink_span_end", "grow_span_start", "shrink_span_start")


class SpanEditor(QObject):
    """Keeps the article and the label palette in step with the session, turns the
    article's selection into session edits, and keeps a span selected.

    Owns the span actions (delete, next/previous span, span edges, the label actions),
    Mark quote and Same speaker (Speaker 1-9 are the quote editor's).

    Signals:
        span_selected(object): the selected Span, or None.
        hint_given(str): a short message for the status bar (nothing to label, ...).
        quote_edge_requested(str, bool): an edge key with a quote (not a span) selected:
            the edge ("start", "end") and whether it moves forward.
    """

    span_selected = Signal(object)
    hint_given = Signal(str)
    quote_edge_requested = Signal(str, bool)

    def __init__(
        self,
        article: ArticleView,
        palette: LabelPalette,
        session: DocumentSession,
        status: StatusBar,
        actions: ActionRegistry,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.article = article
        self.palette = palette
        self.session = session
        self.actions = actions
        self.hint_given.connect(status.show_hint)
        session.document_opened.connect(self._show_document)
        session.annotations_changed.connect(self._show_annotations)
        session.spans_changed.connect(self._show_span_changes)
        session.quotes_changed.connect(self._show_quote_changes)
        article.span_clicked.connect(self.select_span)
        palette.label_clicked.connect(self.label_selection)
        actions.label_triggered.connect(self.label_selection)
        actions.labels_changed.connect(self._use_labels)
        self.span_selected.connect(self._update_actions)
        actions.bind("delete_span", self.delete_selected)
        actions.bind("next_span", lambda: self.select_next(True))
        actions.bind("previous_span", lambda: self.select_next(False))
        actions.bind("grow_span_end", lambda: self.resize_selected("end", True))
        actions.bind("shrink_span_end", lambda: self.resize_selected("end", False))
        actions.bind("grow_span_start", lambda: self.resize_selected("start", False))
        actions.bind("shrink_span_start", lambda: self.resize_selected("start", True))
        actions.bind("mark_quote", self.mark_quote)
        actions.bind("same_speaker", self.same_speaker_as_previous)
        self._update_actions()

    # -- showing the session ------------------------------------------------------------
    def _show_document(self, document: Document, aset: AnnotationSet | None) -> None:
        spans = aset.spans if aset else []
        quotes = aset.quotes if aset else []
        accepted = aset is not None and aset.status is Status.ACCEPTED
        self.article.set_document(document, spans, quotes, confirmed=accepted)
        self._show_counts(aset)
        self._update_actions()

    def _show_annotations(self, aset: AnnotationSet) -> None:
        self.article.set_confirmed(aset.status is Status.ACCEPTED)
        self.article.set_annotations(aset.spans, aset.quotes)
        self.follow(aset)
        self._show_counts(aset)

    def _show_span_changes(self, removed: list[Span], added: list[Span]) -> None:
        self.article.update_spans(removed, added)
        self.follow_change(removed, added)
        self._show_counts(self.session.annotations)

    def _show_quote_changes(self, removed: list[Quote], added: list[Quote]) -> None:
        aset = self.session.annotations
        self.article.set_quotes(aset.quotes if aset else [])
        self.follow_quote_change(removed, added)

    def _show_counts(self, aset: AnnotationSet | None) -> None:
        counts: dict[str, int] = {}
        for span in aset.spans if aset else []:
            counts[span.label] = counts.get(span.label, 0) + 1
        self.palette.set_counts(counts)

    def _use_labels(self, labels: LabelSet) -> None:
        self.article.set_labels(labels)
        self.palette.set_labels(labels)
        self._update_actions()

    def _update_actions(self, *_: object) -> None:
        a = self.actions
        writable = not self.session.readonly and self.session.annotations is not None
        a.set_enabled(EDGE_ACTIONS, writable)  # a span or a quote: a hint when neither
        a["delete_span"].setEnabled(writable)  # the span, else the quote, selected
        for action in a.label_actions:
            action.setEnabled(writable)

    # -- selection ----------------------------------------------------------------------
    @property
    def selected(self) -> Span | None:
        return self.article.selected_span

    def select_span(self, span: Span | None) -> None:
        """Select a span (None clears); one thing is selected at a time."""
        if span is not None and self.article.selected_quote is not None:
            self.article.select_quote(None)
        self.article.select_span(span)
        self.span_selected.emit(span)

    def select_quote(self, quote: Quote | None) -> None:
        if quote is not None and self.selected is not None:
            self.select_span(None)
        self.article.select_quote(quote)

    def select_next(self, forward: bool = True) -> None:
        self.select_span(self.article.next_span(forward))

    def follow(self, aset: AnnotationSet) -> None:
        """After the set changed: keep the same range selected (through relabels)."""
        selected = self.selected
        if selected is not None:
            same = [s for s in aset.spans if (s.start, s.end) == (selected.start, selected.end)]
            self.select_span(same[0] if same else None)

    def follow_change(self, removed: Sequence[Span], added: Sequence[Span]) -> None:
        """After an edit: a selected span that was replaced one-for-one stays selected."""
        selected = self.selected
        if selected is not None and selected.id in {s.id for s in removed}:
            self.select_span(added[0] if len(added) == 1 else None)

    def label_selection(self, label: str) -> None:
        """Label the selected text (snapped to tokens), or relabel the selected span."""
        target = self.article.snapped_selection()
        span = self.selected
        if target is None and span is not None:
            target = (span.start, span.end)
        if target is None:
            self.hint_given.emit("Select some text or a span first")
            return
        if self.session.label_range(*target, label):
            self._select_range(*target)

    def delete_selected(self) -> None:
        """Delete the selected span, else the selected quote."""
        span, quote = self.selected, self.article.selected_quote
        if span is not None:
            if self.session.delete_span(span):
                self.select_span(None)
        elif quote is not None and self.session.delete_quote(quote):
            self.select_quote(None)

    # -- quotes -------------------------------------------------------------------------
    def mark_quote(self) -> None:
        target = self.article.snapped_selection()
        if target is None:
            self.hint_given.emit("Select the quoted text first")
            return
        if self.session.mark_quote(*target):
            self.article.setTextCursor(self.article.cursor_for(target[1], target[1]))
            self._select_quote_at(target[0], target[1])

    def same_speaker_as_previous(self) -> None:
        quote, aset = self.article.selected_quote, self.session.annotations
        if quote is None or aset is None:
            self.hint_given.emit("Select a quote first")
            return
        earlier = [q for q in aset.quotes if q.start < quote.start and q.speaker is not None]
        if not earlier:
            self.hint_given.emit("No earlier quote has a speaker")
            return
        previous = max(earlier, key=lambda q: q.start)
        assert previous.speaker is not None
        mention = Span(*previous.speaker, previous.speaker_label or "PERSON")
        if self.session.attribute(quote, mention):
            self._select_quote_at(quote.start, quote.end)

    def follow_quote_change(self, removed: Sequence[Quote], added: Sequence[Quote]) -> None:
        selected = self.article.selected_quote
        if selected is not None and selected.id in {q.id for q in removed}:
            self.select_quote(added[0] if len(added) == 1 else None)

    def _select_quote_at(self, start: int, end: int) -> None:
        aset = self.session.annotations
        found = [q for q in (aset.quotes if aset else []) if (q.start, q.end) == (start, end)]
        self.select_quote(found[0] if found else None)

    def resize_selected(self, edge: str, forward: bool) -> None:
        """Move the selected span's `edge` ("start" or "end") to the next token boundary;
        with a quote selected instead, ask for the quote's edge to move."""
        span = self.selected
        if span is None and self.article.selected_quote is not None:
            self.quote_edge_requested.emit(edge, forward)
            return
        if span is None:
            self.hint_given.emit("Select a span or a quote first (click it, or Tab)")
            return
        moved = self.article.moved_edge(span, edge, forward)
        if moved is None:
            return
        if self.session.resize_span(span, *moved):
            self._select_range(*moved)

    def _select_range(self, start: int, end: int) -> None:
        self.article.setTextCursor(self.article.cursor_for(end, end))
        found = [s for s in self.article.spans if (s.start, s.end) == (start, end)]
        self.select_span(found[0] if found else None)
