"""Editing from the article view: spans (label, relabel, resize, delete) and quotes."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from newsmark.domain.annotations import AnnotationSet
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Span
from newsmark.ui.document_session import DocumentSession
from newsmark.ui.speaker_roster import build_roster
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

    def attribute_speaker(self, number: int) -> None:
        """Give the selected quote the roster's speaker `number` (1–9)."""
        quote, aset = self.article.selected_quote, self.session.annotations
        if quote is None or aset is None:
            self.hint_given.emit("Select a quote first (Quotes panel, or mark one with Q)")
            return
        roster = build_roster(self.article.text, aset.spans)
        if not 1 <= number <= len(roster):
            self.hint_given.emit(f"No speaker {number}: label the people first")
            return
        if self.session.attribute(quote, roster[number - 1].mention):
            self._select_quote_at(quote.start, quote.end)

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
