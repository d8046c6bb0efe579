"""Editing a quote's shape and fields from the keyboard: its edges, its parts (a split
quote), clearing its speaker or cue, its kind, and stepping from quote to quote."""

from __future__ import annotations

from functools import partial
from typing import Unpack

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QAbstractItemView

from newsmark.domain.quotes import Quote, QuoteChanges, QuoteKind, Range, guess_quote_kind
from newsmark.ui.actions import ActionRegistry
from newsmark.ui.document_session import DocumentSession
from newsmark.ui.views.article_view import ArticleView
from newsmark.ui.views.quote_panel import QuotePanel
from newsmark.ui.views.status_bar import StatusBar

QUOTE_SHAPER_ACTIONS = (
    "next_quote",
    "previous_quote",
    "add_quote_part",
    "remove_quote_part",
    "clear_speaker",
    "clear_cue",
    "kind_direct",
    "kind_indirect",
    "kind_mixed",
)
NO_QUOTE = "Select a quote first (click inside it, or . and , to step through them)"


class QuoteShaper(QObject):
    """Edits the selected quote (each change one undo step, saved at once) and keeps the
    Quotes panel's row on the quote selected in the article.

    Owns Next/Previous quote, Add/Remove quote part, Clear speaker, Clear cue and the
    three Kind actions; `move_edge` serves the edge keys (Alt+arrows) when a quote, not a
    span, is the current selection.

    Signals:
        hint_given(str): a short message for the status bar.
    """

    hint_given = Signal(str)

    def __init__(
        self,
        article: ArticleView,
        panel: QuotePanel,
        session: DocumentSession,
        status: StatusBar,
        actions: ActionRegistry,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.article = article
        self.panel = panel
        self.session = session
        self.hint_given.connect(status.show_hint)
        article.quote_selected.connect(self._show_in_panel)
        # After the panel re-listed the quotes (its row selection is gone with them).
        session.quotes_changed.connect(lambda *_: self._show_in_panel(article.selected_quote))
        actions.bind("next_quote", lambda: self.step(True))
        actions.bind("previous_quote", lambda: self.step(False))
        actions.bind("add_quote_part", self.add_part)
        actions.bind("remove_quote_part", self.remove_part)
        actions.bind("clear_speaker", self.clear_speaker)
        actions.bind("clear_cue", self.clear_cue)
        for kind in QuoteKind:
            actions.bind(f"kind_{kind.value}", partial(self.set_kind, kind))

    # -- selection ----------------------------------------------------------------------
    def _quotes(self) -> list[Quote]:
        aset = self.session.annotations
        return sorted(aset.quotes if aset else [], key=lambda q: (q.start, q.end))

    def _selected(self) -> Quote | None:
        quote = self.article.selected_quote
        if quote is None:
            self.hint_given.emit(NO_QUOTE)
        return quote

    def step(self, forward: bool) -> Quote | None:
        """Select the next (previous) quote after the selected one or the cursor, wrapping
        around, and scroll to it."""
        quotes = self._quotes()
        if not quotes:
            self.hint_given.emit("No quotes in this document (mark one with Q)")
            return None
        current = self.article.selected_quote
        here = (current.start, current.end) if current else (self.article.cursor_offset(), -1)
        if forward:
            target = next((q for q in quotes if (q.start, q.end) > here), quotes[0])
        else:
            target = next((q for q in reversed(quotes) if (q.start, q.end) < here), quotes[-1])
        # Moving to a quote starts at its beginning (a click inside keeps the cursor there).
        self.article.setTextCursor(self.article.cursor_for(target.start, target.start))
        self.article.select_quote(target)
        return target

    def _show_in_panel(self, quote: Quote | None) -> None:
        table, model = self.panel.table, self.panel.model
        rows = [r for r in range(model.rowCount()) if _same(model.quote_at(r), quote)]
        if not rows:
            table.clearSelection()
            return
        table.selectRow(rows[0])
        table.scrollTo(model.index(rows[0], 0), QAbstractItemView.ScrollHint.EnsureVisible)

    # -- edits --------------------------------------------------------------------------
    def move_edge(self, edge: str, forward: bool) -> None:
        """Move the selected quote's start (its first part's) or end (its last part's)
        one token."""
        quote = self._selected()
        if quote is None:
            return
        parts = sorted(quote.parts)
        i = 0 if edge == "start" else len(parts) - 1
        moved = self.article.moved_range(*parts[i], edge, forward)
        if moved is None or _overlaps(moved, parts[:i] + parts[i + 1 :]):
            self.hint_given.emit("The quote cannot shrink or grow further that way")
            return
        parts[i] = moved
        self._set_parts(quote, tuple(parts), f"Move quote {edge}")

    def add_part(self) -> None:
        """The selected text (snapped to tokens) becomes another part of the selected quote."""
        quote = self.article.selected_quote
        target = self.article.snapped_selection()
        if quote is None or target is None:
            self.hint_given.emit("Select a quote, then select its other part and press Shift+Q")
            return
        if _overlaps(target, quote.parts):
            self.hint_given.emit("That text is already in the quote (Alt+arrows move its edges)")
            return
        if self._set_parts(quote, tuple(sorted((*quote.parts, target))), "Add quote part"):
            self.article.setTextCursor(self.article.cursor_for(target[1], target[1]))

    def remove_part(self) -> None:
        """Remove the selected quote's part the text cursor is in (never its last part)."""
        quote = self._selected()
        if quote is None:
            return
        at = self.article.cursor_offset()
        part = next((p for p in quote.parts if p[0] <= at <= p[1]), None)
        if part is None:
            self.hint_given.emit("Click in the part of the quote to remove, then Ctrl+Shift+Q")
            return
        if len(quote.parts) == 1:
            self.hint_given.emit("A quote keeps at least one part (delete the quote with X)")
            return
        self._set_parts(quote, tuple(p for p in quote.parts if p != part), "Remove quote part")

    def clear_speaker(self) -> None:
        quote = self._selected()
        if quote is None:
            return
        if quote.speaker is None and quote.entity is None and quote.entity_id is None:
            self.hint_given.emit("The quote has no speaker")
            return
        self._update(
            quote, "Clear speaker", speaker=None, speaker_label=None, entity=None, entity_id=None
        )

    def clear_cue(self) -> None:
        quote = self._selected()
        if quote is None:
            return
        if quote.cue is None:
            self.hint_given.emit("The quote has no cue")
            return
        self._update(quote, "Clear cue", cue=None)

    def set_kind(self, kind: QuoteKind) -> None:
        quote = self._selected()
        if quote is None:
            return
        if quote.kind is kind:
            self.hint_given.emit(f"The quote is {kind.value} already")
            return
        self._update(quote, f"Kind {quote.kind.value} → {kind.value}", kind=kind.value)

    def _set_parts(self, quote: Quote, parts: tuple[Range, ...], text: str) -> bool:
        # A kind still as guessed follows the new parts; one the annotator set stays.
        if quote.kind is guess_quote_kind(self.article.text, quote.parts):
            kind = guess_quote_kind(self.article.text, parts)
            return self._update(quote, text, parts=parts, kind=kind.value)
        return self._update(quote, text, parts=parts)

    def _update(self, quote: Quote, text: str, **changes: Unpack[QuoteChanges]) -> bool:
        if not self.session.update_quote(quote, text, **changes):
            return False
        self.article.select_quote(self.session.quote_now(quote))
        return True


def _same(a: Quote | None, b: Quote | None) -> bool:
    return a is not None and b is not None and (a.id, a.key) == (b.id, b.key)


def _overlaps(part: Range, parts: tuple[Range, ...] | list[Range]) -> bool:
    return any(part[0] < e and s < part[1] for s, e in parts)
