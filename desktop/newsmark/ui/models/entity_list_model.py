"""Corpus entities as a table: name, label, KB id, mention and quote counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from newsmark.domain.entities import Entity

COLUMNS = ("Name", "Label", "KB id", "Mentions", "Quotes")
NAME, LABEL, KB_ID, MENTIONS, QUOTES = range(len(COLUMNS))
EDITABLE = {NAME: "name", KB_ID: "kb_id"}
Index = QModelIndex | QPersistentModelIndex


class EntityListModel(QAbstractTableModel):
    """Rows are entities (most mentioned first); editing a name or KB id asks, never writes.

    Signals:
        edit_requested(object, str, str): the Entity, the field ("name" or "kb_id"), the
            new value; the panel's owner turns it into an undoable command.
    """

    edit_requested = Signal(object, str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entities: list[Entity] = []
        self._counts: dict[int, tuple[int, int]] = {}

    def set_entities(
        self, entities: Sequence[Entity], counts: Mapping[int, tuple[int, int]]
    ) -> None:
        self.beginResetModel()
        self._counts = dict(counts)
        self._entities = sorted(
            entities, key=lambda e: (-sum(self._counts.get(e.id, (0, 0))), e.name.casefold())
        )
        self.endResetModel()

    def entity_at(self, row: int) -> Entity | None:
        return self._entities[row] if 0 <= row < len(self._entities) else None

    def row_of(self, entity_id: int) -> int | None:
        return next((i for i, e in enumerate(self._entities) if e.id == entity_id), None)

    def counts(self, entity_id: int) -> tuple[int, int]:
        return self._counts.get(entity_id, (0, 0))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._entities)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() in EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        entity = self.entity_at(index.row()) if index.isValid() else None
        if entity is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            mentions, quotes = self.counts(entity.id)
            values = (entity.name, entity.label, entity.kb_id or "", mentions, quotes)
            return values[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (MENTIONS, QUOTES):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == KB_ID:
            return "A knowledge-base id, e.g. a Wikidata QID such as Q43723"
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        entity = self.entity_at(index.row()) if index.isValid() else None
        field = EDITABLE.get(index.column())
        if entity is None or field is None or role != Qt.ItemDataRole.EditRole:
            return False
        new = str(value).strip()
        if new == (getattr(entity, field) or ""):
            return False
        self.edit_requested.emit(entity, field, new)
        return False  # the model is refreshed from the repository after the edit
