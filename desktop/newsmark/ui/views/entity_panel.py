"""The entity panel dock: corpus entities with counts; edit name and KB id; merge two;
possible duplicates ("Caddell" / "Pat Caddell") proposed for a merge."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from newsmark.domain.entities import Entity
from newsmark.domain.entity_duplicates import MergeProposal, merge_proposals
from newsmark.ui.icons import icon
from newsmark.ui.models.entity_list_model import EntityListModel

MAX_PROPOSAL_ROWS = 3


class EntityPanel(QWidget):
    """Lists entities; double-click a name or KB id to edit; select two and Merge.

    Signals:
        edit_requested(object, dict): the Entity and its changes ({"kb_id": "Q43723"}).
        merge_requested(object, object): keep, drop (the first selected row is kept).
    """

    edit_requested = Signal(object, dict)
    merge_requested = Signal(object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = EntityListModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.search = QLineEdit(self)
        self.search.setObjectName("entity_search")
        self.search.setPlaceholderText("Filter entities…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.merge_button = QPushButton(icon("speaker"), "Merge", self)
        self.merge_button.setObjectName("entity_merge")
        self.merge_button.setToolTip("Merge the second selected entity into the first")
        self.merge_button.setEnabled(False)
        self.table = QTableView(self)
        self.table.setObjectName("entity_table")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setShowGrid(False)
        self.table.verticalHeader().setVisible(False)
        # Compact rows: the dock shares the height with the quotes and the proposals.
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.merge_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)  # the table takes the height; proposals fit theirs
        # Possible duplicates: one row per proposal, with what a merge would move.
        self.proposals: list[MergeProposal] = []
        self.duplicates_title = QLabel("Possible duplicates", self)
        self.duplicates_title.setObjectName("entity_duplicates_title")
        self.duplicates = QListWidget(self)
        self.duplicates.setObjectName("entity_duplicates")
        self.duplicates.itemDoubleClicked.connect(lambda *_: self.merge_proposal())
        self.merge_proposal_button = QPushButton(icon("merge"), "Merge (Ctrl+M)", self)
        self.merge_proposal_button.setObjectName("entity_merge_proposal")
        self.merge_proposal_button.clicked.connect(self.merge_proposal)
        # Title and button beside the list, not above it: the dock is short.
        side = QVBoxLayout()
        side.addWidget(self.duplicates_title)
        side.addWidget(self.merge_proposal_button)
        side.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addLayout(side)
        bottom.addWidget(self.duplicates, 1)
        layout.addLayout(bottom)
        self._show_proposals()
        self._order: list[int] = []  # source rows in the order the user selected them
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.merge_button.clicked.connect(self.merge_selected)
        # Queued: the edit re-reads the table, which must not happen inside the editor's
        # commit (Qt warns "commitData called with an editor that does not belong...").
        self.model.edit_requested.connect(self._on_edit, Qt.ConnectionType.QueuedConnection)

    def set_entities(
        self, entities: Sequence[Entity], counts: Mapping[int, tuple[int, int]]
    ) -> None:
        self.model.set_entities(entities, counts)
        self._order = []
        self.merge_button.setEnabled(False)
        self.proposals = merge_proposals(entities)
        self._show_proposals()

    def _show_proposals(self) -> None:
        self.duplicates.clear()
        for p in self.proposals:
            mentions, quotes = self.model.counts(p.drop.id)
            item = QListWidgetItem(
                f"“{p.drop.name}” → “{p.keep.name}” ({p.keep.label}) · "
                f"{mentions} mention{'s' * (mentions != 1)}, {quotes} quote{'s' * (quotes != 1)}"
                " move",
                self.duplicates,
            )
            item.setToolTip(
                f"“{p.drop.name}” is the last word of one longer {p.keep.label} name only: "
                f"merging moves its mentions and quote links to “{p.keep.name}” (one undo step)"
            )
        # As tall as its rows, up to three (it scrolls beyond): the table keeps the rest.
        rows = min(max(len(self.proposals), 1), MAX_PROPOSAL_ROWS)
        row_height = max(self.duplicates.sizeHintForRow(0), self.fontMetrics().height() + 4)
        tall = max(rows * row_height, self.merge_proposal_button.sizeHint().height() * 2)
        self.duplicates.setFixedHeight(tall + 2 * self.duplicates.frameWidth())
        shown = bool(self.proposals)
        for widget in (self.duplicates_title, self.duplicates, self.merge_proposal_button):
            widget.setVisible(shown)
        if shown:
            self.duplicates.setCurrentRow(0)

    def current_proposal(self) -> MergeProposal | None:
        row = self.duplicates.currentRow()
        return self.proposals[row] if 0 <= row < len(self.proposals) else None

    def merge_proposal(self) -> None:
        proposal = self.current_proposal()
        if proposal is not None:
            self.merge_requested.emit(proposal.keep, proposal.drop)

    def merge_chosen(self) -> bool:
        """Ctrl+M: the two selected entities (the second into the first), else the
        current proposal; False when there is neither."""
        if len(self.selected_entities()) == 2:
            self.merge_selected()
            return True
        if self.current_proposal() is not None:
            self.merge_proposal()
            return True
        return False

    def _on_edit(self, entity: Entity, field: str, value: str) -> None:
        self.edit_requested.emit(entity, {field: value})

    def selected_entities(self) -> list[Entity]:
        found = [self.model.entity_at(r) for r in self._order]
        return [e for e in found if e is not None]

    def select_rows(self, *rows: int) -> None:
        """Select source rows in this order (the first one is kept by a merge)."""
        self.table.clearSelection()
        flags = self.table.selectionModel().SelectionFlag
        for row in rows:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            self.table.selectionModel().select(index, flags.Select | flags.Rows)

    def merge_selected(self) -> None:
        chosen = self.selected_entities()
        if len(chosen) == 2:
            self.merge_requested.emit(chosen[0], chosen[1])

    def _on_selection(self, *_: object) -> None:
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        self._order = [r for r in self._order if r in rows] + sorted(rows - set(self._order))
        chosen = self.selected_entities()
        self.merge_button.setEnabled(len(chosen) == 2)
