"""Attribution links: where a quote's connector to its speaker runs, in viewport pixels.

A link joins the end of a quote part nearest the speaker to the speaker mention: an arc
above the line when both sit on one line (longer arcs rise higher, so the links of one
line nest instead of crossing), an S-curve through the gap between lines otherwise. A
speaker outside the visible text gets a short arrow pointing up or down instead.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum
from typing import cast

from PySide6.QtCore import QPointF, QRect, QRectF
from PySide6.QtGui import QPainterPath, QTextBlock, QTextLine
from PySide6.QtWidgets import QPlainTextEdit

Range16 = tuple[int, int]  # UTF-16 [start, end) of the document
STUB = 14.0  # length of the arrow towards a speaker out of view


class Weight(IntEnum):
    """How strongly a link is drawn; a quote takes its strongest reason."""

    ALL = 1  # "Show attributions": every visible link, thin
    HOVERED = 2  # the quotes of the speaker under the mouse
    SELECTED = 3  # the selected quote


@dataclass(frozen=True, slots=True)
class Link:
    """One connector: from a quote part (`start`) to its speaker (`end`)."""

    quote: int  # index into Overlay.quotes
    part: int
    start: QPointF
    end: QPointF
    weight: Weight
    speaker_visible: bool  # False: `end` is an arrow tip towards a speaker out of view
    path: QPainterPath


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
    # Start at the line holding start16, not the paragraph's first line.
    first = layout.lineForTextPosition(max(0, start16 - pos)).lineNumber() if start16 > pos else 0
    for i in range(max(0, first), layout.lineCount()):
        line = layout.lineAt(i)
        ls = pos + line.textStart()
        le = ls + line.textLength()
        if ls >= end16:
            break
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


class VisibleText:
    """The blocks on screen (the whole viewport, not a paint event's clip, so a link is
    computed the same whichever part of it is repainted) and the rectangles of ranges."""

    def __init__(self, editor: QPlainTextEdit) -> None:
        area = editor.viewport().rect()
        self.height = float(area.height())
        self.blocks = [
            (block.position(), block.position() + block.length(), block, origin)
            for block, origin in visible_blocks(editor, area)
        ]
        self._starts = [b[0] for b in self.blocks]
        self.start = self.blocks[0][0] if self.blocks else 0
        self.end = self.blocks[-1][1] if self.blocks else 0
        self._cache: dict[Range16, list[QRectF]] = {}

    def rects(self, start16: int, end16: int) -> list[QRectF]:
        """The on-screen rectangles of [start16, end16), one per line, in text order."""
        key = (start16, end16)
        if key not in self._cache:
            out: list[QRectF] = []
            first = max(0, bisect_right(self._starts, start16) - 1)
            for pos, end, block, origin in self.blocks[first:]:
                if pos >= end16:
                    break
                if end > start16:
                    out += range_rects(block, origin, start16, end16)
            self._cache[key] = out
        return self._cache[key]


def link_for(
    text: VisibleText, quote: int, part: int, span: Range16, speaker: Range16, weight: Weight
) -> Link | None:
    """The connector from `span` (a quote part) to `speaker`, None when neither is in view."""
    before = speaker[1] <= span[0]  # the speaker precedes the part: leave from its start
    part_rects = text.rects(*span)
    quote_rect: QRectF | None = None
    if part_rects:
        if before and span[0] >= text.start:
            quote_rect = part_rects[0]
        elif not before and span[1] <= text.end:
            quote_rect = part_rects[-1]
    speaker_rects = text.rects(*speaker)
    if quote_rect is None and not speaker_rects:
        return None
    if quote_rect is None:  # only the speaker is in view: an arrow towards the quote
        return _stub(quote, part, speaker_rects[0], speaker[0] >= span[1], weight, to_speaker=False)
    inset = min(6.0, quote_rect.width() / 2)
    ax = quote_rect.left() + inset if before else quote_rect.right() - inset
    if not speaker_rects:
        return _stub(quote, part, quote_rect, before, weight, to_speaker=True, x=ax)
    # The speaker's line nearest the quote (a name broken over two lines).
    target = min(speaker_rects, key=lambda r: abs(r.center().y() - quote_rect.center().y()))
    bx = target.center().x()
    path = QPainterPath()
    if abs(target.top() - quote_rect.top()) < 1:  # one line: an arc above it
        a, b = QPointF(ax, quote_rect.top() + 1), QPointF(bx, target.top() + 1)
        # Lines sit close: the arc stays in the gap and the line above's descenders.
        lift = min(6.0 + abs(bx - ax) * 0.02, quote_rect.height() * 0.42)
        path.moveTo(a)
        path.cubicTo(QPointF(ax, a.y() - lift), QPointF(bx, b.y() - lift), b)
    else:  # through the gap between the lines
        down = target.top() > quote_rect.top()
        a = QPointF(ax, quote_rect.bottom() if down else quote_rect.top())
        b = QPointF(bx, target.top() if down else target.bottom())
        bend = min(12.0, abs(b.y() - a.y()) / 2) * (1 if down else -1)
        path.moveTo(a)
        path.cubicTo(QPointF(ax, a.y() + bend), QPointF(bx, b.y() - bend), b)
    return Link(quote, part, a, b, weight, True, path)


def _stub(
    quote: int,
    part: int,
    rect: QRectF,
    up: bool,
    weight: Weight,
    *,
    to_speaker: bool,
    x: float | None = None,
) -> Link:
    """A short arrow out of `rect` pointing up (`up`) or down to what is out of view."""
    x = rect.center().x() if x is None else x
    a = QPointF(x, rect.top() if up else rect.bottom())
    b = QPointF(x, a.y() - STUB if up else a.y() + STUB)
    path = QPainterPath(a)
    path.lineTo(b)
    head = 3.5 if up else -3.5
    path.moveTo(b.x() - 3.5, b.y() + head)
    path.lineTo(b)
    path.lineTo(b.x() + 3.5, b.y() + head)
    if not to_speaker:  # the quote is out of view: the arrow starts at the speaker
        return Link(quote, part, b, a, weight, True, path)
    return Link(quote, part, a, b, weight, False, path)
