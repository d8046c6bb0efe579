"""The quotes of the open document as a table: excerpt, speaker, kind, cue."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from newsmark.domain.quotes import Quote
from newsmark.ui.colors import SpeakerKey, assign_speaker_colors, quote_color, speaker_name

COLUMNS = ("Quote", "Speaker", "Kind", "Cue")
EXCERPT_CHARS = 70
Index = QModelIndex | QPersistentModelIndex
# How the article draws each kind (the overlay's KIND_PEN_STYLES), for the Kind tooltip.
KIND_MARKS = {
    "direct": "solid double underline",
    "indirect": "dashed underline",
    "mixed": "dash-dot underline",
}
KIND_LEGEND = "In the text: " + "; ".join(f"{k}: {v}" for k, v in KIND_MARKS.items())


def excerpt(text: str, quote: Quote, limit: int = EXCERPT_CHARS) -> str:
    body = " … ".join(text[s:e] for s, e in quote.parts).strip().replace("\n", " ")
    return body if len(body) <= limit else body[: limit - 1].rstrip() + "…"


class QuoteListModel(QAbstractTableModel):
    """Rows are the document's quotes in text order; no signals beyond Qt's."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._quotes: list[Quote] = []
        self._colors: dict[SpeakerKey, str] = {}

    def set_quotes(self, text: str, quotes: Sequence[Quote]) -> None:
        self.beginResetModel()
        self._text = text
        self._quotes = sorted(quotes, key=lambda q: (q.start, q.end))
        self._colors = assign_speaker_colors(self._quotes, text)  # the article's colours
        self.endResetModel()

    def quote_at(self, row: int) -> Quote | None:
        return self._quotes[row] if 0 <= row < len(self._quotes) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._quotes)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return KIND_LEGEND if COLUMNS[section] == "Kind" else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        quote = self.quote_at(index.row()) if index.isValid() else None
        if quote is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return excerpt(self._text, quote)
            if column == 1:
                return speaker_name(quote, self._text) or "—"
            if column == 2:
                return quote.kind.value
            if column == 3:
                return self._text[quote.cue[0] : quote.cue[1]] if quote.cue else "—"
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QColor(quote_color(quote, self._text, self._colors))
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return excerpt(self._text, quote, limit=600)
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            return f"{quote.kind.value}: {KIND_MARKS[quote.kind.value]} in the text"
        return None
