"""Entity spans painted per text block by a QSyntaxHighlighter, in Qt's UTF-16 offsets.

A highlighter formats one block at a time from a bisectable index, so 20,000 spans cost
nothing until their block is laid out, and an edit re-formats only the blocks it touches.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from newsmark.domain.labels import LabelSet
from newsmark.domain.offsets import Utf16Map
from newsmark.domain.spans import Origin, Span

# Spans the model proposed and no human confirmed look provisional: a lighter fill and a
# dashed underline; human and imported spans get the full label colour.
PROVISIONAL = frozenset({Origin.MODEL, Origin.RULE})
MODEL_FILL_ALPHA = 0.45


def blend(color: str, alpha: float, base: str = "#ffffff") -> QColor:
    """`color` at `alpha` over `base`, as an opaque colour (cheap to paint)."""
    c, b = QColor(color), QColor(base)
    return QColor(
        round(c.red() * alpha + b.red() * (1 - alpha)),
        round(c.green() * alpha + b.green() * (1 - alpha)),
        round(c.blue() * alpha + b.blue() * (1 - alpha)),
    )


class SpanIndex:
    """Spans of one text sorted by start, with UTF-16 ranges for lookups by Qt position."""

    __slots__ = ("_ends16", "_max_end16", "_starts16", "spans")

    def __init__(self, spans: Iterable[Span], umap: Utf16Map) -> None:
        self.spans: list[Span] = sorted(spans, key=lambda s: (s.start, s.end, s.label))
        self._starts16 = [umap.to_utf16(s.start) for s in self.spans]
        self._ends16 = [umap.to_utf16(s.end) for s in self.spans]
        # Running maximum of ends: bisectable even if imported spans overlap.
        self._max_end16 = list(accumulate(self._ends16, max))

    def __len__(self) -> int:
        return len(self.spans)

    def insert(self, span: Span, umap: Utf16Map) -> tuple[int, int]:
        """Add one span in order; returns its UTF-16 range."""
        s16, e16 = umap.to_utf16(span.start), umap.to_utf16(span.end)
        i = bisect_right(self._starts16, s16)
        self.spans.insert(i, span)
        self._starts16.insert(i, s16)
        self._ends16.insert(i, e16)
        self._max_end16.insert(i, 0)
        self._recompute_from(i)
        return s16, e16

    def remove(self, span: Span, umap: Utf16Map) -> tuple[int, int] | None:
        """Drop the span with `span`'s id (or equal fields); its UTF-16 range, if found."""
        s16 = umap.to_utf16(span.start)
        i = bisect_left(self._starts16, s16)
        while i < len(self.spans) and self._starts16[i] == s16:
            other = self.spans[i]
            if (other.id is not None and other.id == span.id) or other == span:
                e16 = self._ends16[i]
                del self.spans[i], self._starts16[i], self._ends16[i], self._max_end16[i]
                self._recompute_from(i)
                return s16, e16
            i += 1
        return None

    def _recompute_from(self, i: int) -> None:
        # Running maxima from i on, stopping where they agree with the old ones again
        # (right away when spans do not overlap): an edit costs O(1), not O(n).
        previous = self._max_end16[i - 1] if i > 0 else 0
        maxima, ends = self._max_end16, self._ends16
        for k in range(i, len(ends)):
            value = max(previous, ends[k])
            if maxima[k] == value and k > i:
                break
            maxima[k] = previous = value

    def overlapping16(self, start16: int, end16: int) -> Iterator[tuple[int, int, Span]]:
        """(start16, end16, span) of spans intersecting [start16, end16)."""
        i = bisect_right(self._max_end16, start16)
        stop = bisect_left(self._starts16, end16)
        for k in range(i, stop):
            if self._ends16[k] > start16:
                yield self._starts16[k], self._ends16[k], self.spans[k]

    def at16(self, pos16: int) -> Span | None:
        """The span covering the character at UTF-16 position `pos16`."""
        return next((s for _, _, s in self.overlapping16(pos16, pos16 + 1)), None)


class SpanHighlighter(QSyntaxHighlighter):
    """Formats entity spans in label colours; no signals."""

    def __init__(self, document: QTextDocument, labels: LabelSet) -> None:
        super().__init__(document)
        self._labels = labels
        self._index = SpanIndex((), Utf16Map(""))
        self._formats: dict[tuple[str, bool], QTextCharFormat] = {}
        self._confirmed = False  # an accepted set: every span is gold, none provisional

    @property
    def index(self) -> SpanIndex:
        return self._index

    def set_labels(self, labels: LabelSet) -> None:
        self._labels = labels
        self._formats.clear()
        self.rehighlight()

    def set_spans(self, spans: Sequence[Span], umap: Utf16Map, *, rehighlight: bool = True) -> None:
        self._index = SpanIndex(spans, umap)
        if rehighlight:
            self.rehighlight()

    def set_confirmed(self, confirmed: bool, *, rehighlight: bool = True) -> None:
        if confirmed != self._confirmed:
            self._confirmed = confirmed
            if rehighlight:
                self.rehighlight()

    def update_spans(self, removed: Sequence[Span], added: Sequence[Span], umap: Utf16Map) -> None:
        """Apply an edit to the index and re-format only the blocks it touched."""
        ranges = [r for r in (self._index.remove(s, umap) for s in removed) if r is not None]
        ranges += [self._index.insert(s, umap) for s in added]
        for start16, end16 in ranges:
            self.rehighlight_range16(start16, end16)

    def rehighlight_range16(self, start16: int, end16: int) -> None:
        """Re-format only the blocks holding [start16, end16)."""
        doc = self.document()
        block = doc.findBlock(start16)
        while block.isValid() and block.position() <= max(start16, end16 - 1):
            self.rehighlightBlock(block)
            block = block.next()

    def format_for(self, span: Span) -> QTextCharFormat:
        provisional = span.origin in PROVISIONAL and not self._confirmed
        key = (span.label, provisional)
        fmt = self._formats.get(key)
        if fmt is None:
            color = self._labels.color(span.label)
            fmt = QTextCharFormat()
            if provisional:
                fmt.setBackground(blend(color, MODEL_FILL_ALPHA))
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
                fmt.setUnderlineColor(QColor(color).darker(160))
            else:
                fmt.setBackground(QColor(color))
            self._formats[key] = fmt
        return fmt

    def highlightBlock(self, text: str) -> None:
        del text  # its len() counts code points; Qt positions count UTF-16 units
        block = self.currentBlock()
        pos = block.position()
        length = block.length() - 1  # without the block separator
        if length <= 0 or not len(self._index):
            return
        for s16, e16, span in self._index.overlapping16(pos, pos + length):
            start = max(s16, pos) - pos
            end = min(e16, pos + length) - pos
            self.setFormat(start, end - start, self.format_for(span))
