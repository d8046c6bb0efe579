"""The document list as a Qt item model over the repository's DocumentSummary rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from newsmark.domain.status import Status
from newsmark.ui.icons import STATUS_COLORS, status_icon

DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


def status_of(row: Any) -> Status:
    """A summary's status as a Status (None and unknown strings read as new)."""
    value = getattr(row, "status", None)
    if isinstance(value, Status):
        return value
    try:
        return Status(value) if value else Status.NEW
    except ValueError:
        return Status.NEW


def status_text(status: Status) -> str:
    return status.value.replace("_", " ")


class DocumentListModel(QAbstractListModel):
    """Rows are DocumentSummary objects (id, title, source, status, n_spans, n_quotes).

    No signals beyond QAbstractListModel's; `set_rows` resets, `update_row` changes one row.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._row_of: dict[int, int] = {}

    # -- Qt model API -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title
        if role == Qt.ItemDataRole.DecorationRole:
            return status_icon(status_of(row))
        if role == Qt.ItemDataRole.ToolTipRole:
            status = status_text(status_of(row))
            source = getattr(row, "source", None) or ""
            counts = f"{getattr(row, 'n_spans', 0)} spans, {getattr(row, 'n_quotes', 0)} quotes"
            return "\n".join(x for x in (row.title, source, f"{status} · {counts}") if x)
        if role == Qt.ItemDataRole.ForegroundRole and status_of(row).is_decided:
            return QColor(STATUS_COLORS[status_of(row)]).darker(130)
        if role == DOC_ID_ROLE:
            return row.id
        if role == STATUS_ROLE:
            return status_of(row).value
        return None

    # -- Newsmark API -----------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._row_of = {r.id: i for i, r in enumerate(self._rows)}
        self.endResetModel()

    def update_row(self, summary: Any) -> None:
        """Replace the row of `summary.id` in place (a status change repaints one row)."""
        i = self._row_of.get(summary.id)
        if i is None:
            return
        self._rows[i] = summary
        index = self.index(i)
        self.dataChanged.emit(index, index)

    def row_of(self, doc_id: int) -> int | None:
        return self._row_of.get(doc_id)

    def doc_id_at(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def summary(self, doc_id: int) -> Any | None:
        i = self._row_of.get(doc_id)
        return self._rows[i] if i is not None else None

    @property
    def rows(self) -> list[Any]:
        return list(self._rows)
