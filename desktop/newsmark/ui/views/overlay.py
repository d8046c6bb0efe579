"""Painting over an article's text: the quote layer and the selected-span outline.

Quotes are drawn as lines under the text in the speaker's colour, beneath the span
highlights' own underline, so a quote never hides the entities inside it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import cast

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextBlock, QTextLine
from PySide6.QtWidgets import QPlainTextEdit

from newsmark.domain.offsets import Utf16Map
from newsmark.domain.quotes import Quote
from newsmark.ui.colors import speaker_color


def visible_blocks(editor: QPlainTextEdit, clip: QRect) -> Iterator[tuple[QTextBlock, QPointF]]:
    """Blocks intersecting `clip` (viewport coordinates) with their top-left corner."""
    block = editor.firstVisibleBlock()
    offset = editor.contentOffset()
    while block.isValid():
        geometry = editor.blockBoundingGeometry(block).translated(offset)
        if geometry.top() > clip.bottom():
            break
        if block.isVisible() and geometry.bottom() >= clip.top():
            yield block, geometry.topLeft()
        block = block.next()


def range_rects(block: QTextBlock, origin: QPointF, start16: int, end16: int) -> list[QRectF]:
    """One rectangle per laid-out line of `block` that [start16, end16) covers."""
    layout = block.layout()
    pos = block.position()
    rects: list[QRectF] = []
    for i in range(layout.lineCount()):
        line = layout.lineAt(i)
        ls = pos + line.textStart()
        le = ls + line.textLength()
        s, e = max(start16, ls), min(end16, le)
        if s >= e:
            continue
        x1, x2 = _x(line, s - pos), _x(line, e - pos)
        rects.append(
            QRectF(origin.x() + min(x1, x2), origin.y() + line.y(), abs(x2 - x1), line.height())
        )
    return rects


def _x(line: QTextLine, cursor: int) -> float:
    # PySide6 returns cursorToX's (x, cursor) pair typed as `object`.
    x, _ = cast(tuple[float, int], line.cursorToX(cursor))
    return x


class Overlay:
    """What the article paints over its text; holds quotes in UTF-16 and the selection."""

    def __init__(self) -> None:
        self.quotes: list[tuple[list[tuple[int, int]], tuple[int, int] | None, QColor]] = []
        self.selected: tuple[int, int] | None = None
        self.selected_quote: list[tuple[int, int]] = []  # UTF-16 parts of the chosen quote

    def set_quotes(self, quotes: Sequence[Quote], text: str, umap: Utf16Map) -> None:
        self.quotes = []
        for quote in quotes:
            parts = [(umap.to_utf16(s), umap.to_utf16(e)) for s, e in quote.parts]
            cue = (umap.to_utf16(quote.cue[0]), umap.to_utf16(quote.cue[1])) if quote.cue else None
            color = QColor(speaker_color(quote, text))
            color.setAlpha(190)  # present, not shouting
            self.quotes.append((parts, cue, color))

    def paint(self, editor: QPlainTextEdit, clip: QRect) -> None:
        if not self.quotes and self.selected is None:
            return
        tint = QColor(editor.palette().highlight().color())
        tint.setAlpha(38)
        painter = QPainter(editor.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for block, origin in visible_blocks(editor, clip):
            b0 = block.position()
            b1 = b0 + block.length()
            for parts, cue, color in self.quotes:
                for s, e in parts:
                    if s < b1 and e > b0:
                        self._underline(painter, range_rects(block, origin, s, e), color, 1.6)
                if cue and cue[0] < b1 and cue[1] > b0:
                    self._underline(
                        painter, range_rects(block, origin, *cue), color, 1.2, Qt.PenStyle.DotLine
                    )
            for s, e in self.selected_quote:
                if s < b1 and e > b0:
                    for rect in range_rects(block, origin, s, e):
                        painter.fillRect(rect, tint)
            if self.selected and self.selected[0] < b1 and self.selected[1] > b0:
                pen = QPen(editor.palette().highlight().color(), 1.6)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                for rect in range_rects(block, origin, *self.selected):
                    painter.drawRoundedRect(rect.adjusted(-1, 0, 1, 0), 2.5, 2.5)
        painter.end()

    @staticmethod
    def _underline(
        painter: QPainter,
        rects: list[QRectF],
        color: QColor,
        width: float,
        style: Qt.PenStyle = Qt.PenStyle.SolidLine,
    ) -> None:
        pen = QPen(color, width)
        pen.setStyle(style)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        for rect in rects:
            y = rect.bottom() - width / 2
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
