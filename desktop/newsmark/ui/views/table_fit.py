"""Keeps a table's stretching text column wide: the other columns give way first."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QTableView


class StretchGuard(QObject):
    """On every resize of `table`, the columns other than `stretch` keep their preferred
    widths while the stretching column still gets `share` of the viewport; past that
    they shrink in proportion (to `floor` px at least). A width the user drags a column
    to becomes its preferred width. No signals.
    """

    def __init__(
        self, table: QTableView, stretch: int = 0, share: float = 0.5, floor: int = 48
    ) -> None:
        super().__init__(table)
        self.table, self.stretch, self.share, self.floor = table, stretch, share, floor
        header = table.horizontalHeader()
        self.preferred = {c: header.sectionSize(c) for c in range(header.count()) if c != stretch}
        self._fitting = False
        header.sectionResized.connect(self._on_section_resized)
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        header = self.table.horizontalHeader()
        width = self.table.viewport().width()
        others = {c: self.preferred.get(c, header.sectionSize(c)) for c in range(header.count())}
        others.pop(self.stretch, None)
        total = sum(others.values())
        room = width * (1 - self.share)
        scale = min(1.0, room / total) if total else 1.0
        self._fitting = True
        try:
            for column, size in others.items():
                if not header.isSectionHidden(column):
                    header.resizeSection(column, max(self.floor, round(size * scale)))
        finally:
            self._fitting = False

    def _on_section_resized(self, column: int, _old: int, new: int) -> None:
        if not self._fitting and column != self.stretch:
            self.preferred[column] = new  # the user dragged it (or code set it)
