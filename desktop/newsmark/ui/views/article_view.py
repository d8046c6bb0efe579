"""The article view: read-only document text with entity spans and the quote layer."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import (
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPaintEvent,
    QResizeEvent,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from newsmark.domain.document import Document
from newsmark.domain.labels import LabelSet
from newsmark.domain.offsets import Alignment, TokenIndex, Utf16Map
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Span
from newsmark.ui.appearance import PAGE_MARGIN, style_page
from newsmark.ui.views.overlay import Overlay
from newsmark.ui.views.span_highlighter import SpanHighlighter

MEASURE_CHARS = 72  # readable line length; wider windows get side margins
# Above this many changed spans a full rehighlight is cheaper than block-by-block.
PARTIAL_REHIGHLIGHT_LIMIT = 200


def describe_span(span: Span, text: str) -> str:
    """Tooltip text: label, origin and model provenance."""
    lines = [f"<b>{span.label}</b> — {text[span.start : span.end]}", f"origin: {span.origin.value}"]
    if span.model:
        lines.append(f"model: {span.model}")
    return "<br>".join(lines)


class ArticleView(QPlainTextEdit):
    """Shows one document with its spans and quotes; offsets in and out are code points.

    Signals:
        span_clicked(object): the Span under a click (None when clicking plain text).
        mention_clicked(object): the Span under a Ctrl+click (a speaker for the quote).
        quote_clicked(object): the Quote under a click on its plain text, or under a
            second click on the entity already selected inside it.
        quote_selected(object): `select_quote` chose a Quote (None: none).
        phrase_clicked(int): a Ctrl+click on text that is no span (its code point offset).
        cue_clicked(int): a Ctrl+Shift+click on a word (its code point offset): the cue.
    """

    span_clicked = Signal(object)
    mention_clicked = Signal(object)
    quote_clicked = Signal(object)
    quote_selected = Signal(object)
    phrase_clicked = Signal(int)
    cue_clicked = Signal(int)

    def __init__(self, labels: LabelSet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("article_view")
        style_page(self)  # the side margins (see resizeEvent) in the page colour
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setCenterOnScroll(False)
        self._text = ""
        self._umap = Utf16Map("")
        self._document: Document | None = None
        self._tokens = TokenIndex(())
        self._exact = False  # the last drag was an Alt-drag: keep exact characters
        self.selected_span: Span | None = None
        self.selected_quote: Quote | None = None
        self._quotes: list[Quote] = []
        self._spans: dict[tuple[int, int, str, str], Span] = {}
        self._highlighter = SpanHighlighter(self.document(), labels)
        self._overlay = Overlay()
        self.viewport().setMouseTracking(True)  # hovering a speaker shows its quotes
        self._labels = labels
        self.setPlaceholderText("Pick a document from the list.")

    # -- content ----------------------------------------------------------------------
    @property
    def current_document(self) -> Document | None:
        return self._document

    @property
    def text(self) -> str:
        return self._text

    @property
    def utf16(self) -> Utf16Map:
        return self._umap

    @property
    def spans(self) -> list[Span]:
        return list(self._highlighter.index.spans)

    def set_document(
        self,
        document: Document | None,
        spans: Sequence[Span] = (),
        quotes: Sequence[Quote] = (),
        *,
        confirmed: bool = False,
    ) -> None:
        """Show `document` (None clears) with its annotations, scrolled to the top."""
        self._document = document
        self._text = document.text if document else ""
        self._umap = Utf16Map(self._text)
        self._tokens = TokenIndex(document.tokens if document else ())
        self._overlay.selected = None
        self._overlay.select_quote(None)
        self._overlay.hovered = None
        self.selected_span = None
        self.selected_quote = None
        # Index first, then set the text: the highlighter formats each block once.
        self._highlighter.set_spans(spans, self._umap, rehighlight=False)
        self._highlighter.set_confirmed(confirmed, rehighlight=False)  # the text formats it
        self._spans = {self._key(s): s for s in spans}
        self._quotes = list(quotes)
        self._overlay.set_quotes(quotes, self._text, self._umap)
        self.setPlainText(self._text)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def set_annotations(self, spans: Sequence[Span], quotes: Sequence[Quote] = ()) -> None:
        """Replace the spans and quotes; only blocks whose spans changed are re-formatted."""
        new = {self._key(s): s for s in spans}
        changed = [s for k, s in self._spans.items() if k not in new]
        changed += [s for k, s in new.items() if k not in self._spans]
        self._spans = new
        partial = len(changed) <= PARTIAL_REHIGHLIGHT_LIMIT
        self._highlighter.set_spans(spans, self._umap, rehighlight=not partial)
        if partial:
            for span in changed:
                self._highlighter.rehighlight_range16(*self.to_utf16(span.start, span.end))
        self._quotes = list(quotes)
        self._overlay.set_quotes(quotes, self._text, self._umap)
        self.viewport().update()

    def update_spans(self, removed: Sequence[Span], added: Sequence[Span]) -> None:
        """An edit: drop `removed`, show `added`; repaints only the blocks they touch."""
        for span in removed:
            self._spans.pop(self._key(span), None)
        for span in added:
            self._spans[self._key(span)] = span
        # Re-formatting a block makes Qt repaint that block's rectangle only.
        self._highlighter.update_spans(removed, added, self._umap)

    def set_confirmed(self, confirmed: bool) -> None:
        """Accepted sets show model spans as confirmed (no longer provisional)."""
        self._highlighter.set_confirmed(confirmed)

    def set_labels(self, labels: LabelSet) -> None:
        self._labels = labels
        self._highlighter.set_labels(labels)

    @staticmethod
    def _key(span: Span) -> tuple[int, int, str, str]:
        return (span.start, span.end, span.label, span.origin.value)

    # -- offsets ----------------------------------------------------------------------
    def to_utf16(self, start: int, end: int) -> tuple[int, int]:
        return self._umap.to_utf16(start), self._umap.to_utf16(end)

    def cursor_for(self, start: int, end: int) -> QTextCursor:
        """A QTextCursor selecting code points [start, end) of the text."""
        s16, e16 = self.to_utf16(start, end)
        cursor = QTextCursor(self.document())
        cursor.setPosition(s16)
        cursor.setPosition(e16, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def selection_range(self) -> tuple[int, int] | None:
        """The selected text as code points [start, end), None when nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return (
            self._umap.from_utf16(cursor.selectionStart()),
            self._umap.from_utf16(cursor.selectionEnd()),
        )

    def snapped_selection(self) -> tuple[int, int] | None:
        """The selection snapped out to token boundaries (exact after an Alt-drag)."""
        selected = self.selection_range()
        if selected is None:
            return None
        start, end = selected
        if not self._exact and len(self._tokens):
            snapped = self._tokens.snap(start, end, Alignment.EXPAND)
            if snapped is None:
                return None
            start, end = snapped
        # Never begin or end on whitespace, whatever the mode.
        while start < end and self._text[start].isspace():
            start += 1
        while end > start and self._text[end - 1].isspace():
            end -= 1
        return (start, end) if start < end else None

    def offset_at(self, point: QPoint) -> int:
        """The code point offset of the character under a viewport position."""
        return self._umap.from_utf16(self.cursorForPosition(point).position())

    def quote_at(self, offset: int) -> Quote | None:
        """The quote with a part over `offset` (the shortest part, when quotes nest)."""
        found = [(e - s, q) for q in self._quotes for s, e in q.parts if s <= offset < e]
        return min(found, key=lambda f: f[0])[1] if found else None

    def cursor_offset(self) -> int:
        """The text cursor's position as a code point offset."""
        return self._umap.from_utf16(self.textCursor().position())

    def span_at(self, offset: int) -> Span | None:
        if not 0 <= offset <= len(self._text):
            return None
        return self._highlighter.index.at16(self._umap.to_utf16(offset))

    def char_format_ranges(self, span: Span) -> list[tuple[int, int]]:
        """UTF-16 document ranges the highlighter formatted for `span` (for tests)."""
        fmt = self._highlighter.format_for(span)
        s16, e16 = self.to_utf16(span.start, span.end)
        out: list[tuple[int, int]] = []
        block = self.document().findBlock(s16)
        while block.isValid() and block.position() < e16:
            for r in block.layout().formats():
                if r.format == fmt:
                    out.append((block.position() + r.start, block.position() + r.start + r.length))
            block = block.next()
        return [r for r in out if r[0] < e16 and r[1] > s16]

    def next_span(self, forward: bool = True) -> Span | None:
        """The span after (before) the selected span or the cursor, wrapping around."""
        spans = self._highlighter.index.spans
        if not spans:
            return None
        starts = [s.start for s in spans]
        if self.selected_span is not None:
            pos = self.selected_span.start
            i = bisect_right(starts, pos) if forward else bisect_left(starts, pos) - 1
        else:
            pos = self._umap.from_utf16(self.textCursor().position())
            i = bisect_left(starts, pos) if forward else bisect_left(starts, pos) - 1
        return spans[i % len(spans)]

    def moved_edge(self, span: Span, edge: str, forward: bool) -> tuple[int, int] | None:
        """`span`'s range with one edge moved to the next token boundary; None if empty."""
        return self.moved_range(span.start, span.end, edge, forward)

    def moved_range(
        self, first: int, last: int, edge: str, forward: bool
    ) -> tuple[int, int] | None:
        """[first, last) with one edge moved to the next token boundary; None if empty."""
        if not len(self._tokens):
            return None
        start, end = first, last
        # Token edges include both sides of each space: step until the trimmed range moves.
        for _ in range(3):
            if edge == "end":
                end = self._tokens.next_boundary(end, forward)
            else:
                start = self._tokens.next_boundary(start, forward)
            s, e = start, end
            while s < e and self._text[s].isspace():
                s += 1
            while e > s and self._text[e - 1].isspace():
                e -= 1
            if s >= e:
                return None
            if (s, e) != (first, last):
                return s, e
        return None

    # -- selection and scrolling ------------------------------------------------------
    def select_span(self, span: Span | None) -> None:
        """Outline `span` (None clears) and scroll it into view; a quote selected before
        is deselected (the last one selected is what the edge keys and Delete act on)."""
        if span is not None and self.selected_quote is not None:
            self.select_quote(None)
        self.selected_span = span
        self._overlay.selected = self.to_utf16(span.start, span.end) if span else None
        if span is not None:
            cursor = self.cursor_for(span.start, span.end)
            cursor.clearSelection()
            self.setTextCursor(cursor)
            self.ensureCursorVisible()
        self.viewport().update()

    def select_quote(self, quote: Quote | None) -> None:
        """Tint a quote (None clears; a selected span is deselected) and scroll to it.
        The quote's text is not selected, so a label key cannot label the whole quote by
        accident; a cursor already in one of its parts (a click) stays where it is."""
        self.selected_quote = quote
        self._overlay.select_quote(quote, self._umap)
        if quote is not None:
            self.selected_span = None
            self._overlay.selected = None
            at = self.cursor_offset()
            if not any(s <= at <= e for s, e in quote.parts):
                self.setTextCursor(self.cursor_for(quote.start, quote.start))
            self.ensureCursorVisible()
        self.viewport().update()
        self.quote_selected.emit(quote)

    def set_quotes(self, quotes: Sequence[Quote]) -> None:
        self._quotes = list(quotes)
        self._overlay.set_quotes(quotes, self._text, self._umap)
        self.viewport().update()

    @property
    def overlay(self) -> Overlay:
        return self._overlay

    def show_attributions(self, on: bool) -> None:
        """Draw every visible quote's link to its speaker (thin; the selected one strong)."""
        self._overlay.show_all = on
        self.viewport().update()

    def _mention_at16(self, pos16: int) -> tuple[tuple[str, str], tuple[int, int]] | None:
        span = self._highlighter.index.at16(pos16)
        if span is None or span.entity_id is None:
            return None
        return ("entity", str(span.entity_id)), self.to_utf16(span.start, span.end)

    def _hover(self, point: QPoint | None) -> None:
        key = None if point is None else self._overlay.hover_key(self, point, self._mention_at16)
        if key != self._overlay.hovered:
            self._overlay.hovered = key
            self.viewport().update()

    # -- painting and events ----------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self._overlay.paint(self, event.rect())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        measure = self.fontMetrics().horizontalAdvance("n") * MEASURE_CHARS
        side = max(0, (self.width() - measure) // 2 - PAGE_MARGIN)
        self.setViewportMargins(side, 0, side, 0)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Leave:
            self._hover(None)
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            span = self.span_at(self.offset_at(event.pos()))
            if span is not None:
                QToolTip.showText(event.globalPos(), describe_span(span, self._text), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Shift+arrows extend the selection by token, not by character.
        arrows = (Qt.Key.Key_Right, Qt.Key.Key_Left)
        shift = event.modifiers() == Qt.KeyboardModifier.ShiftModifier
        if event.key() in arrows and shift and len(self._tokens):
            cursor = self.textCursor()
            pos = self._umap.from_utf16(cursor.position())
            new = self._tokens.next_boundary(pos, forward=event.key() == Qt.Key.Key_Right)
            cursor.setPosition(self._umap.to_utf16(new), QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)
            self._exact = False
            return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        # Double-click selects exactly one token (Qt's word rules differ from spaCy's).
        word = self._tokens.word_at(self.offset_at(event.position().toPoint()))
        if event.button() == Qt.MouseButton.LeftButton and word is not None:
            self._exact = False
            self.setTextCursor(self.cursor_for(*word))
            return
        super().mouseDoubleClickEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # A press always starts a new selection: dragging the selected text away (Qt's
        # text drag and drop) has no meaning in an annotation view.
        if event.button() == Qt.MouseButton.LeftButton and self.textCursor().hasSelection():
            cursor = self.textCursor()
            cursor.clearSelection()
            self.setTextCursor(cursor)
        if _cue_click(event):  # a plain click for Qt, not Shift's extended selection
            event = QMouseEvent(
                event.type(),
                event.position(),
                event.globalPosition(),
                event.button(),
                event.buttons(),
                Qt.KeyboardModifier.ControlModifier,
            )
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        # A drag selects text; only a free mouse highlights a speaker's quotes.
        free = event.buttons() == Qt.MouseButton.NoButton
        self._hover(event.position().toPoint() if free else None)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if not self.textCursor().hasSelection():
            offset = self.offset_at(event.position().toPoint())
            span = self.span_at(offset)
            # Ctrl+click names the selected quote's speaker and keeps the quote selected.
            ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            if _cue_click(event):  # Ctrl+Shift+click: the word (or "according to") is the cue
                self.cue_clicked.emit(offset)
                return
            if ctrl:
                if span is None:
                    self.phrase_clicked.emit(offset)  # the noun phrase around the word
                else:
                    self.mention_clicked.emit(span)
                return
            # Inside a quote: plain text selects the quote, an entity the entity, and a
            # second click on that entity (selected already) the quote around it.
            quote = self.quote_at(offset)
            if quote is not None and (span is None or span == self.selected_span):
                self.quote_clicked.emit(quote)
                return
            if span is None and quote is None and self.selected_quote is not None:
                self.select_quote(None)  # a click on plain text deselects, as for spans
            self.span_clicked.emit(span)
            return
        # Drag-select snaps to tokens on release; Alt-drag keeps exact characters.
        self._exact = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        snapped = self.snapped_selection()
        if snapped is not None and snapped != self.selection_range():
            self.setTextCursor(self.cursor_for(*snapped))


def _cue_click(event: QMouseEvent) -> bool:
    """A left Ctrl+Shift+click: names the selected quote's cue."""
    both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    return event.button() == Qt.MouseButton.LeftButton and event.modifiers() & both == both
