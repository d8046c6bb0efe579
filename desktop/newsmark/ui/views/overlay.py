"""Painting over an article's text: the quote layer, attribution links, the span outline.

Quotes are lines under the text in the speaker's colour, beneath the span highlights' own
underline, so a quote never hides the entities inside it. The line's style tells the
kind without colour: direct a solid double line, indirect dashed, mixed dash-dot. A cue
is dotted; a speaker mention has a thin box. The selected quote, the quotes of the
speaker under the mouse and (with "Show attributions") every visible quote get a link to
their speaker, the selected one drawn strongest. Ranges are held in UTF-16 (Qt's unit),
converted once per `set_quotes`; painting looks up the quotes of the visible blocks by
bisection and never walks the rest of the document.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QPlainTextEdit

from newsmark.domain.offsets import Utf16Map
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.ui.colors import NO_SPEAKER_COLOR, SpeakerKey, colors_in_order, speaker_key
from newsmark.ui.models.quote_list_model import KIND_MARKS
from newsmark.ui.views.attribution_links import (
    Link,
    Range16,
    VisibleText,
    Weight,
    link_for,
    range_rects,
)

# The kind legend (also in the Quotes panel's Kind tooltip and the README).
KIND_PEN_STYLES = {
    QuoteKind.DIRECT: Qt.PenStyle.SolidLine,  # drawn twice: a double line
    QuoteKind.INDIRECT: Qt.PenStyle.DashLine,
    QuoteKind.MIXED: Qt.PenStyle.DashDotLine,
}
KIND_LEGEND = (
    "; ".join(f"{kind} quote: {mark}" for kind, mark in KIND_MARKS.items())
    + "; cue: dotted underline; speaker: boxed in the speaker's colour"
)
MAX_MENTION16 = 4096  # no speaker mention is longer: bounds the look-up under the mouse
# (SpeakerKey, UTF-16 range) of an entity-linked mention at a UTF-16 position, if any.
MentionAt = Callable[[int], tuple[SpeakerKey, Range16] | None]
# Width 1 takes the raster engine's fast path (a 1.2 px curve costs ten times more).
LINK_PENS = {Weight.ALL: (1.0, 200), Weight.HOVERED: (1.5, 220), Weight.SELECTED: (2.2, 255)}


@dataclass(frozen=True, slots=True)
class QuoteMarks:
    """One quote as painted: UTF-16 ranges, kind, speaker key and colour."""

    quote: Quote
    parts: tuple[Range16, ...]
    cue: Range16 | None
    speaker: Range16 | None
    kind: QuoteKind
    key: SpeakerKey | None
    color: QColor


class Overlay:
    """What the article paints over its text: quotes, links, the selected span.

    State: `selected` (a span's UTF-16 range), `selected_quote` (the chosen quote's UTF-16
    parts), `hovered` (a speaker key), `show_all` (draw every visible link).
    """

    def __init__(self) -> None:
        self.quotes: list[QuoteMarks] = []
        self._text = ""
        self._dark = False  # a dark page: the palette's darker colours are lightened
        self.colors: dict[SpeakerKey, str] = {}
        self.selected: Range16 | None = None
        self.selected_quote: list[Range16] = []  # UTF-16 parts of the chosen quote
        self.selected_index: int | None = None
        self.hovered: SpeakerKey | None = None
        self.show_all = False
        self.links: list[Link] = []  # as last painted (for tests and tooltips)
        self._chosen: Quote | None = None
        self._by_id: dict[object, int] = {}
        self._by_key: dict[SpeakerKey, list[int]] = {}
        # Every part, cue and speaker as (start16, end16, quote index), sorted by start,
        # and the running maximum of their ends: the intervals that reach a position.
        self._intervals: list[tuple[int, int, int]] = []
        self._starts: list[int] = []
        self._reach: list[int] = []
        self._speakers: list[tuple[int, int, int]] = []

    # -- content ----------------------------------------------------------------------
    def set_quotes(self, quotes: Sequence[Quote], text: str, umap: Utf16Map) -> None:
        self._text = text
        ordered = sorted(quotes, key=lambda q: (q.start, q.end))
        keys = [speaker_key(q, text) for q in ordered]
        self.colors = colors_in_order(keys)  # as assign_speaker_colors(quotes, text)
        shades = {c: QColor(c) for c in (*self.colors.values(), NO_SPEAKER_COLOR)}
        to16 = umap.to_utf16
        self.quotes = []
        for quote, key in zip(ordered, keys, strict=True):
            cue, speaker = quote.cue, quote.speaker
            self.quotes.append(
                QuoteMarks(
                    quote,
                    tuple((to16(s), to16(e)) for s, e in quote.parts),
                    (to16(cue[0]), to16(cue[1])) if cue else None,
                    (to16(speaker[0]), to16(speaker[1])) if speaker else None,
                    quote.kind,
                    key,
                    shades[NO_SPEAKER_COLOR if key is None else self.colors[key]],
                )
            )
        self._by_id = {_ident(m.quote): i for i, m in enumerate(self.quotes)}
        self._by_key = {}
        intervals: list[tuple[int, int, int]] = []
        for i, m in enumerate(self.quotes):
            if m.key is not None:
                self._by_key.setdefault(m.key, []).append(i)
            ranges = [*m.parts, *(r for r in (m.cue, m.speaker) if r is not None)]
            intervals += [(s, e, i) for s, e in ranges]
        intervals.sort()
        self._intervals = intervals
        self._starts = [s for s, _, _ in intervals]
        self._reach = list(accumulate((e for _, e, _ in intervals), max))
        self._speakers = sorted((*m.speaker, i) for i, m in enumerate(self.quotes) if m.speaker)
        self.select_quote(self._chosen)

    def select_quote(self, quote: Quote | None, umap: Utf16Map | None = None) -> None:
        """Choose `quote` (None clears); found again by id after each `set_quotes`."""
        self._chosen = quote
        self.selected_index = None if quote is None else self._by_id.get(_ident(quote))
        if self.selected_index is not None:
            self.selected_quote = list(self.quotes[self.selected_index].parts)
        elif quote is not None and umap is not None:  # not (yet) among the painted quotes
            self.selected_quote = [(umap.to_utf16(s), umap.to_utf16(e)) for s, e in quote.parts]
        elif quote is None:
            self.selected_quote = []

    def quotes_between(self, start16: int, end16: int) -> list[int]:
        """Indices of the quotes with a part, cue or speaker in [start16, end16)."""
        first = bisect_right(self._reach, start16)
        last = bisect_left(self._starts, end16)
        return sorted({i for _, e, i in self._intervals[first:last] if e > start16})

    def speaker_at(self, pos16: int) -> list[int]:
        """Indices of the quotes whose speaker mention covers UTF-16 position `pos16`."""
        out = []
        i = bisect_right(self._speakers, (pos16, MAX_MENTION16, 0)) - 1
        while i >= 0 and pos16 - self._speakers[i][0] < MAX_MENTION16:  # mentions are short
            s, e, q = self._speakers[i]
            if s <= pos16 < e:
                out.append(q)
            i -= 1
        return out

    def hover_key(
        self, editor: QPlainTextEdit, point: QPoint, mention_at16: MentionAt
    ) -> SpeakerKey | None:
        """The speaker under viewport `point`: a quote's speaker mention, or a mention
        linked to an entity that is some quote's speaker."""
        pos16 = editor.cursorForPosition(point).position()
        here = QPointF(point)
        for p in (pos16, pos16 - 1):  # the cursor lands on the nearer edge of a character
            for i in self.speaker_at(p):
                m = self.quotes[i]
                if m.speaker and _covers(editor, m.speaker, here):
                    return m.key
            found = mention_at16(p) if p >= 0 else None
            if found is not None:
                key, span16 = found
                if key in self._by_key and _covers(editor, span16, here):
                    return key
        return None

    def quotes_of(self, key: SpeakerKey | None) -> list[int]:
        return [] if key is None else self._by_key.get(key, [])

    def highlighted(self) -> dict[str, list[Range16]]:
        """The ranges drawn emphasised: the selected quote's speaker and cue, and the
        quotes (parts) of the hovered speaker."""
        out: dict[str, list[Range16]] = {"speaker": [], "cue": [], "hovered": []}
        if self.selected_index is not None:
            m = self.quotes[self.selected_index]
            out["speaker"] += [m.speaker] if m.speaker else []
            out["cue"] += [m.cue] if m.cue else []
        for i in self.quotes_of(self.hovered):
            out["hovered"] += self.quotes[i].parts
        return out

    # -- painting ---------------------------------------------------------------------
    def paint(self, editor: QPlainTextEdit, clip: QRect) -> None:
        if not self.quotes and self.selected is None:
            self.links = []
            return
        text = VisibleText(editor)
        self._dark = editor.palette().base().color().lightness() < 128
        painter = QPainter(editor.viewport())
        painter.setClipRect(clip)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        visible = self.quotes_between(text.start, text.end)
        hovered = set(self.quotes_of(self.hovered))
        for i in visible:
            self._paint_quote(painter, text, i, hovered)
        self.links = self._links(text, visible, hovered)
        for link in sorted(self.links, key=lambda k: k.weight):
            self._paint_link(painter, editor, link)
        if self.selected is not None:
            pen = QPen(editor.palette().highlight().color(), 1.6)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for rect in text.rects(*self.selected):
                painter.drawRoundedRect(rect.adjusted(-1, 0, 1, 0), 2.5, 2.5)
        painter.end()

    def _paint_quote(self, painter: QPainter, text: VisibleText, i: int, hovered: set[int]) -> None:
        m = self.quotes[i]
        chosen = i == self.selected_index
        color = self._shade(m.color)
        color.setAlpha(255 if chosen or i in hovered else 190)  # present, not shouting
        if chosen or i in hovered:
            tint = self._shade(m.color)
            tint.setAlpha(46 if chosen else 30)
            for part in m.parts:
                for rect in text.rects(*part):
                    painter.fillRect(rect, tint)
        for part in m.parts:
            _kind_underline(painter, text.rects(*part), color, m.kind)
        if m.cue:
            width = 2.6 if chosen else 1.2
            _underline(painter, text.rects(*m.cue), color, width, Qt.PenStyle.DotLine)
        if m.speaker:
            pen = QPen(color, 2.0 if chosen or i in hovered else 1.0)
            if not (chosen or i in hovered):
                pen.setColor(QColor(color.red(), color.green(), color.blue(), 120))
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for rect in text.rects(*m.speaker):
                painter.drawRoundedRect(rect.adjusted(-1.5, 0.5, 1.5, -0.5), 3, 3)

    def _shade(self, color: QColor) -> QColor:
        # Tol's muted indigo and wine vanish on a dark page; lighter keeps their hue.
        return color.lighter(175) if self._dark and color.lightness() < 140 else QColor(color)

    def _links(self, text: VisibleText, visible: list[int], hovered: set[int]) -> list[Link]:
        weights: dict[int, Weight] = {}
        if self.show_all:
            weights.update(dict.fromkeys(visible, Weight.ALL))
        for i in hovered.intersection(visible):
            weights[i] = Weight.HOVERED
        if self.selected_index is not None:
            weights[self.selected_index] = Weight.SELECTED
        links = []
        for i, weight in weights.items():
            m = self.quotes[i]
            if m.speaker is None:
                continue
            for n, part in enumerate(m.parts):
                link = link_for(text, i, n, part, m.speaker, weight)
                if link is not None:
                    links.append(link)
        return links

    def _paint_link(self, painter: QPainter, editor: QPlainTextEdit, link: Link) -> None:
        m = self.quotes[link.quote]
        width, alpha = LINK_PENS[link.weight]
        color = self._shade(m.color)
        color.setAlpha(alpha)
        pen = QPen(color, width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(link.path)
        painter.setBrush(color)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(link.start, width + 1.0, width + 1.0)  # the quote's end
        if not link.speaker_visible and link.weight is Weight.SELECTED and m.speaker:
            # Name the speaker out of view beside the arrow.
            font = editor.font()
            font.setPointSizeF(font.pointSizeF() * 0.8)
            painter.setFont(font)
            painter.setPen(color)
            metrics = QFontMetricsF(font)
            up = link.end.y() < link.start.y()
            y = link.end.y() + (metrics.ascent() / 2 if up else metrics.ascent())
            name = " ".join(self._text[slice(*m.quote.speaker or (0, 0))].split())
            at = QPointF(link.end.x() + 6, y)
            plate = metrics.boundingRect(name).translated(at).adjusted(-3, -1, 3, 1)
            page = editor.palette().base().color()
            page.setAlpha(235)  # readable over the text it covers
            painter.fillRect(plate, page)
            painter.drawText(at, name)


def _covers(editor: QPlainTextEdit, span16: Range16, point: QPointF) -> bool:
    """Whether viewport `point` lies on the text of `span16` (its first block)."""
    block = editor.document().findBlock(span16[0])
    origin = editor.blockBoundingGeometry(block).translated(editor.contentOffset()).topLeft()
    rects = range_rects(block, origin, *span16)
    return any(r.adjusted(-1, -1, 1, 1).contains(point) for r in rects)


def _ident(quote: Quote) -> object:
    return ("id", quote.id) if quote.id is not None else quote.key


def _kind_underline(painter: QPainter, rects: list[QRectF], color: QColor, kind: QuoteKind) -> None:
    if kind is QuoteKind.DIRECT:  # two thin solid lines
        _underline(painter, rects, color, 1.0, Qt.PenStyle.SolidLine)
        _underline(painter, rects, color, 1.0, Qt.PenStyle.SolidLine, lift=2.6)
    else:
        _underline(painter, rects, color, 1.6, KIND_PEN_STYLES[kind])


def _underline(
    painter: QPainter,
    rects: list[QRectF],
    color: QColor,
    width: float,
    style: Qt.PenStyle = Qt.PenStyle.SolidLine,
    lift: float = 0.0,
) -> None:
    pen = QPen(color, width)
    pen.setStyle(style)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    painter.setPen(pen)
    for rect in rects:
        y = math.floor(rect.bottom() - width / 2 - lift) + 0.5  # on a pixel row: crisp
        painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
