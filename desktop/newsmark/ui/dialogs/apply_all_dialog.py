"""Preview of "Apply to all mentions": every other occurrence, each with a checkbox."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

CONTEXT_CHARS = 40


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place the string occurs; `blocked` says why it cannot be labelled (overlap)."""

    start: int
    end: int
    current: str | None = None  # the label a span on exactly this range has now
    blocked: str | None = None


class ApplyAllDialog(QDialog):
    """Lists occurrences in context; the checked ones are `chosen()` after accept.

    No signals beyond QDialog's.
    """

    def __init__(
        self, text: str, label: str, occurrences: Sequence[Occurrence], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("apply_all_dialog")
        self.setWindowTitle("Apply to all mentions")
        self._occurrences = list(occurrences)
        self.list = QListWidget(self)
        self.list.setObjectName("apply_all_list")
        for occ in self._occurrences:
            before = text[max(0, occ.start - CONTEXT_CHARS) : occ.start].replace("\n", " ")
            after = text[occ.end : occ.end + CONTEXT_CHARS].replace("\n", " ")
            note = f"  ({occ.blocked})" if occ.blocked else ""
            if occ.current and not occ.blocked:
                note = f"  ({occ.current} → {label})"
            item = QListWidgetItem(f"…{before}[{text[occ.start : occ.end]}]{after}…{note}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            if occ.blocked:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            item.setCheckState(Qt.CheckState.Unchecked if occ.blocked else Qt.CheckState.Checked)
            self.list.addItem(item)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(f"Label {label}")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        n = len(self._occurrences)
        layout.addWidget(QLabel(f"{n} other occurrence{'s' * (n != 1)}: label as {label}?"))
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(640, 360)

    def chosen(self) -> list[Occurrence]:
        return [
            occ
            for i, occ in enumerate(self._occurrences)
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]
