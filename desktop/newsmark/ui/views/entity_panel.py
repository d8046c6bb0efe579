"""The entity panel dock: corpus entities with counts; edit name and KB id; merge two."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from newsmark.domain.entities import Entity
from newsmark.ui.icons import icon
from newsmark.ui.models.entity_list_model import EntityListModel


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
        layout.addWidget(self.table)
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
