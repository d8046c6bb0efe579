"""The document list dock: status filter with counts, search box, lazy list, progress."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from newsmark.domain.status import Status
from newsmark.ui.icons import icon, status_icon
from newsmark.ui.models.document_list_model import (
    DocumentListModel,
    DocumentPager,
    ListCounts,
    status_of,
    status_text,
)

if TYPE_CHECKING:
    from newsmark.storage import DocumentSummary

SEARCH_DELAY_MS = 250
ALL_STATUSES = "All statuses"
# (label, storage sort): the list's orders; the model's least sure documents teach it most.
SORTS = (("Document order", "id"), ("Most uncertain first", "uncertainty"))
# (label, queue only): team mode's choice, shown when the database has assignments.
QUEUES = (("My queue", True), ("All documents", False))


class DocumentPanel(QWidget):
    """Lists documents; the caller fills it (`set_rows`, a pager or rows) when the filter
    changes, and keeps its counts (`set_counts`) and changed rows (`update_row`) current.

    Signals:
        document_selected(int): the user picked a document (its id).
        filter_changed(): the status filter or the search text changed (debounced).
    """

    document_selected = Signal(int)
    filter_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentListModel(self)

        self.search = QLineEdit(self)
        self.search.setObjectName("document_search")
        self.search.setPlaceholderText("Search titles and text")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)

        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("status_filter")
        self.status_filter.addItem(ALL_STATUSES, None)
        for status in Status:
            self.status_filter.addItem(
                status_icon(status), status_text(status).capitalize(), status.value
            )
        self.status_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.sort_order = QComboBox(self)
        self.sort_order.setObjectName("document_sort")
        for label, sort in SORTS:
            self.sort_order.addItem(label, sort)
        self.sort_order.setToolTip(
            "Most uncertain first: the documents the model was least sure of\n"
            "(see its pre-annotation); those it has not seen come last"
        )
        self.queue_filter = QComboBox(self)
        self.queue_filter.setObjectName("queue_filter")
        for label, mine in QUEUES:
            self.queue_filter.addItem(label, mine)
        self.queue_filter.setToolTip(
            "My queue: the documents assigned to you (newsmark assign);\nAll documents: everyone's"
        )
        self.queue_filter.hide()  # until the database has assignments (show_queue_choice)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("document_count")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        # A one-column table, not a QListView: QListView lays every row out again when a
        # page is appended (72 ms a page at 20,000 rows here), a table with fixed-height
        # rows does not (4 ms, however many rows are loaded).
        self.view = QTableView(self)
        self.view.setObjectName("document_list")
        self.view.setModel(self.model)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setTabKeyNavigation(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.horizontalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        rows = self.view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.view.setIconSize(QSize(14, 14))
        self.view.setAlternatingRowColors(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("document_progress")
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumHeight(5)

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.queue_filter)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.sort_order)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress_bar)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.filter_changed)
        self.search.textChanged.connect(self._search_timer.start)
        self.status_filter.currentIndexChanged.connect(self.filter_changed)
        self.sort_order.currentIndexChanged.connect(self.filter_changed)
        self.queue_filter.currentIndexChanged.connect(self.filter_changed)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        self._quiet = False
        self._pager: DocumentPager | None = None

    # -- what the caller reads --------------------------------------------------------
    @property
    def status(self) -> str | None:
        value = self.status_filter.currentData()
        return str(value) if value else None

    @property
    def sort(self) -> str:
        """The list's order: "id" or "uncertainty" (storage's sorts)."""
        return str(self.sort_order.currentData() or "id")

    @property
    def queue_only(self) -> bool:
        """Whether the list shows only the annotator's queue (never when not offered)."""
        return not self.queue_filter.isHidden() and bool(self.queue_filter.currentData())

    def show_queue_choice(self, shown: bool) -> None:
        """Offer "My queue / All documents" (the database has assignments), or not."""
        self.queue_filter.setVisible(shown)

    @property
    def search_text(self) -> str | None:
        return self.search.text().strip() or None

    @property
    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.doc_id_at(index.row()) if index.isValid() else None

    # -- what the caller sets ---------------------------------------------------------
    def set_rows(
        self, rows: DocumentPager | Sequence[DocumentSummary], accepted: int, total: int
    ) -> None:
        """Show `rows` (a pager: fetched as the list scrolls), keeping the current document
        selected if it is still listed."""
        current = self.current_id
        self._quiet = True
        try:
            if isinstance(rows, DocumentPager):
                self._pager = rows
                self.model.set_source(rows.fetch, rows.in_id_order)
            else:
                self._pager = None
                self.model.set_rows(rows)
            if current is not None:
                self.select(current, notify=False)
        finally:
            self._quiet = False
        self.set_progress(accepted, total)

    def set_counts(self, counts: ListCounts) -> None:
        """Documents per status in the filter's entries, what the list holds beside it."""
        self.status_filter.setItemText(0, f"{ALL_STATUSES} · {counts.total:,}")
        for i, status in enumerate(Status, start=1):
            n = counts.by_status.get(status, 0)
            self.status_filter.setItemText(i, f"{status_text(status).capitalize()} · {n:,}")
        more = "+" if counts.more else ""
        found = "found" if self.search_text else "listed"
        self.count_label.setText(f"{counts.listed:,}{more} {found}")
        self.set_progress(counts.accepted, counts.total)

    def set_progress(self, accepted: int, total: int) -> None:
        self.progress_label.setText(f"{accepted:,}/{total:,} accepted")
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(accepted)

    def update_row(self, summary: DocumentSummary) -> None:
        self.model.update_row(summary)

    def select(self, doc_id: int, *, notify: bool = True) -> bool:
        row = self.model.ensure_loaded(doc_id)  # fetched up to it if further down
        if row is None:
            return False
        self._quiet = not notify
        try:
            index = self.model.index(row)
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.view.scrollTo(index)
        finally:
            self._quiet = False
        return True

    def step(self, delta: int) -> int | None:
        """The id `delta` rows from the current one (None past either end)."""
        index = self.view.currentIndex()
        row = (index.row() + delta) if index.isValid() else (0 if delta > 0 else -1)
        if row < 0 and not index.isValid():
            row = self.model.rowCount() - 1
        while row >= self.model.rowCount() and self.model.canFetchMore():
            self.model.fetchMore()
        return self.model.doc_id_at(row)

    def next_unfinished(self) -> int | None:
        """The next listed document not yet decided, after the current one (wrapping)."""
        current = self.current_id
        if self._pager is not None:  # asked of the database: most rows are not fetched
            found = self._pager.next_undecided(current)
            if found is None and current is not None:
                found = self._pager.next_undecided(None)
            return None if found == current else found
        rows = self.model.rows
        if not rows:
            return None
        index = self.view.currentIndex()
        here = index.row() if index.isValid() else -1
        for k in range(1, len(rows) + 1):
            row = rows[(here + k) % len(rows)]
            if not status_of(row).is_decided and row.id != current:
                return int(row.id)
        return None

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        doc_id = self.model.doc_id_at(current.row())
        if doc_id is not None:
            self.document_selected.emit(doc_id)
