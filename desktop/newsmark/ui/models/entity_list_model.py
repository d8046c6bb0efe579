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
from newsmark.ui.icons import icon

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
        self._labels: dict[int, dict[str, int]] = {}  # entity id -> {label: mentions}

    def set_mention_labels(self, labels: Mapping[int, Mapping[str, int]]) -> None:
        """What the mentions of each entity are labelled (read before `set_entities`)."""
        self._labels = {k: dict(v) for k, v in labels.items()}

    def mixed(self, entity: Entity) -> dict[str, int] | None:
        """{label: mentions} when the mentions disagree with each other or the entity."""
        found = self._labels.get(entity.id, {})
        return found if found and set(found) != {entity.label} else None

    def label_text(self, entity: Entity) -> str:
        """The label, or "ORG/PERSON" (the entity's own first) for a mixed entity."""
        mixed = self.mixed(entity)
        if mixed is None:
            return entity.label
        others = sorted(set(mixed) - {entity.label}, key=lambda k: (-mixed[k], k))
        return "/".join([entity.label, *others])

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
            label = entity.label if role == Qt.ItemDataRole.EditRole else self.label_text(entity)
            values = (entity.name, label, entity.kb_id or "", mentions, quotes)
            return values[column]
        mixed = self.mixed(entity) if column == LABEL else None
        if mixed is not None and role == Qt.ItemDataRole.DecorationRole:
            return icon("warning", "#d08a12")
        if mixed is not None and role == Qt.ItemDataRole.ToolTipRole:
            said = ", ".join(f"{n} {k}" for k, n in sorted(mixed.items(), key=lambda x: -x[1]))
            return (
                f"Mixed: the mentions say {said}. The entity stays {entity.label} (and is "
                "exported so) until every mention has one label; relabel them to agree."
            )
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
