"""The document list as a lazy Qt item model: pages of DocumentSummary rows on demand.

An archive holds hundreds of thousands of documents; the model holds the rows scrolled
to so far. The view asks `canFetchMore`/`fetchMore` as it nears the end of them, and each
page is one keyset query (`Repository.list_documents(after=...)`), as fast deep in the
list as at its top.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from newsmark.domain.status import Status
from newsmark.ui.icons import STATUS_COLORS, status_icon

if TYPE_CHECKING:
    from newsmark.storage import DocumentSummary

DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
PAGE_ROWS = 100  # rows per fetch: about three screens, one query of a few milliseconds
JUMP_ROWS = 2000  # rows per fetch when loading up to a document far down the list

Index = QModelIndex | QPersistentModelIndex
# (after this document id or None for the start, at most this many) -> summaries in id order
Fetch = Callable[[int | None, int], Sequence["DocumentSummary"]]


@dataclass(frozen=True, slots=True)
class DocumentPager:
    """What the list shows, a page at a time, and where the next undecided document is.

    `fetch(after, limit)`: up to `limit` summaries after the document `after` (None: from
    the start), in id order unless `in_id_order` is False (the list sorted by the model's
    uncertainty). `next_undecided(after)`: the first listed document after that one (None:
    from the start) that is not accepted, rejected or skipped, or None.
    """

    fetch: Fetch
    next_undecided: Callable[[int | None], int | None]
    in_id_order: bool = True


@dataclass(frozen=True, slots=True)
class ListCounts:
    """The panel's counts: the annotator's documents per status (all of them), and how
    many the current filter and search list (`listed`; a search counts up to a cap, and
    `more` says it found more than that)."""

    by_status: Mapping[Status, int]
    listed: int
    more: bool = False

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def accepted(self) -> int:
        return self.by_status.get(Status.ACCEPTED, 0)


def status_of(row: DocumentSummary) -> Status:
    """A summary's status (a document with no set yet reads as new)."""
    return row.status or Status.NEW


def status_text(status: Status) -> str:
    return status.value.replace("_", " ")


class DocumentListModel(QAbstractListModel):
    """Rows are DocumentSummary objects (id, title, source, status, n_spans, n_quotes).

    `set_source(fetch)` resets to a paged source (the first page is read at once);
    `set_rows` to a fixed list. `update_row` changes one row. No signals beyond
    QAbstractListModel's.
    """

    def __init__(self, parent: QObject | None = None, page_rows: int = PAGE_ROWS) -> None:
        super().__init__(parent)
        self.page_rows = page_rows
        self._rows: list[DocumentSummary] = []
        self._row_of: dict[int, int] = {}
        self._fetch: Fetch | None = None
        self._more = False
        self._in_id_order = True

    # -- Qt model API -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt API
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008 - Qt API
        if self.canFetchMore(parent):
            self._fetch_page(self.page_rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            # The mark: accepted, then edited (accepting again clears it).
            title = f"{row.title}  ✎" if row.edited_after_accept else row.title
            if not self._in_id_order and row.uncertainty is not None:
                return f"{title}  · {row.uncertainty:.2f}"  # why it is this high up
            return title
        if role == Qt.ItemDataRole.DecorationRole:
            return status_icon(status_of(row))
        if role == Qt.ItemDataRole.ToolTipRole:
            status = status_text(status_of(row))
            if row.edited_after_accept:
                status += ", edited after accept"
            source = row.source or ""
            counts = f"{row.n_spans} spans, {row.n_quotes} quotes"
            unsure = (
                f"model uncertainty {row.uncertainty:.2f}" if row.uncertainty is not None else ""
            )
            lines = (row.title, source, f"{status} · {counts}", unsure)
            return "\n".join(x for x in lines if x)
        if role == Qt.ItemDataRole.ForegroundRole and status_of(row).is_decided:
            return QColor(STATUS_COLORS[status_of(row)]).darker(130)
        if role == DOC_ID_ROLE:
            return row.id
        if role == STATUS_ROLE:
            return status_of(row).value
        return None

    # -- Newsmark API -----------------------------------------------------------------
    def set_source(self, fetch: Fetch, in_id_order: bool = True) -> None:
        """List what `fetch` pages through, starting with its first page (`in_id_order`:
        whether its pages come in id order, which lets `ensure_loaded` stop early)."""
        self.beginResetModel()
        self._rows, self._row_of = [], {}
        self._fetch, self._more = fetch, True
        self._in_id_order = in_id_order
        self._append(fetch(None, self.page_rows), self.page_rows)
        self.endResetModel()

    def set_rows(self, rows: Sequence[DocumentSummary]) -> None:
        """List exactly `rows` (nothing more to fetch)."""
        self.beginResetModel()
        self._rows, self._row_of = [], {}
        self._fetch, self._more = None, False
        self._in_id_order = True
        self._append(rows, None)
        self.endResetModel()

    def _append(self, page: Sequence[DocumentSummary], asked: int | None) -> None:
        start = len(self._rows)
        self._rows.extend(page)
        self._row_of.update((r.id, start + i) for i, r in enumerate(page))
        # A short page is the last one.
        self._more = asked is not None and len(page) == asked

    def _fetch_page(self, limit: int) -> None:
        assert self._fetch is not None  # _more is only true with a source
        after = self._rows[-1].id if self._rows else None
        page = list(self._fetch(after, limit))
        if not page:
            self._more = False
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._append(page, limit)
        self.endInsertRows()

    def ensure_loaded(self, doc_id: int) -> int | None:
        """The row of `doc_id`, fetching pages up to it if it is further down; None if it
        is not listed (in id order the search stops past it; sorted otherwise, at the end)."""
        while (
            doc_id not in self._row_of
            and self._more
            and (not self._in_id_order or not self._rows or self._rows[-1].id < doc_id)
        ):
            self._fetch_page(JUMP_ROWS)
        return self._row_of.get(doc_id)

    def update_row(self, summary: DocumentSummary) -> None:
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

    def summary(self, doc_id: int) -> DocumentSummary | None:
        i = self._row_of.get(doc_id)
        return self._rows[i] if i is not None else None

    @property
    def rows(self) -> list[DocumentSummary]:
        """The rows fetched so far."""
        return list(self._rows)
