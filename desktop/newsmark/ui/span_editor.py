"""Span editing from the article view: label, relabel, delete, resize, select."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from newsmark.domain.annotations import AnnotationSet
from newsmark.domain.spans import Span
from newsmark.ui.document_session import DocumentSession
from newsmark.ui.views.article_view import ArticleView


class SpanEditor(QObject):
    """Turns the article's selection into session edits, and keeps a span selected.

    Signals:
        span_selected(object): the selected Span, or None.
        hint_given(str): a short message for the status bar (nothing to label, ...).
    """

    span_selected = Signal(object)
    hint_given = Signal(str)

    def __init__(self, article: ArticleView, session: DocumentSession, parent: QObject) -> None:
        super().__init__(parent)
        self.article = article
        self.session = session

    @property
    def selected(self) -> Span | None:
        return self.article.selected_span

    def select_span(self, span: Span | None) -> None:
        self.article.select_span(span)
        self.span_selected.emit(span)

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
        span = self.selected
        if span is not None and self.session.delete_span(span):
            self.select_span(None)

    def resize_selected(self, edge: str, forward: bool) -> None:
        """Move the selected span's `edge` ("start" or "end") to the next token boundary."""
        span = self.selected
        if span is None:
            self.hint_given.emit("Select a span first (click it, or Tab)")
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
