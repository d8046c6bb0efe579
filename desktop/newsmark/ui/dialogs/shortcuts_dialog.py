"""The keyboard cheat-sheet (F1): every action with its shortcut; window actions editable."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

# change(name, keys) -> the refusal's message, or None when the keys were taken.
Change = Callable[[str, list[str]], str | None]


def shortcut_text(action: QAction) -> str:
    native = QKeySequence.SequenceFormat.NativeText
    return ", ".join(k.toString(native) for k in action.shortcuts() if not k.isEmpty())


class ShortcutsDialog(QDialog):
    """Actions and shortcuts; with `change`, a selected action's shortcut can be set.

    Label hotkeys are listed but edited in Preferences (the label set owns them).

    Signals:
        shortcut_changed(str): the name of the action whose shortcuts changed.
    """

    shortcut_changed = Signal(str)

    def __init__(
        self,
        actions: Sequence[QAction],
        parent: QWidget | None = None,
        change: Change | None = None,
        reset: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle("Keyboard shortcuts")
        self._change, self._reset = change, reset
        self.listed = list(actions)
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels(["Action", "Shortcut"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        rows = self.table.verticalHeader()
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)  # a dense cheat-sheet
        self.table.setAlternatingRowColors(True)
        for action in self.listed:
            row = self.table.rowCount()
            self.table.insertRow(row)
            item = QTableWidgetItem(action.text().replace("&", ""))
            item.setData(Qt.ItemDataRole.UserRole, action.objectName())
            item.setToolTip(action.statusTip())
            self.table.setItem(row, 0, item)
            self.table.setItem(row, 1, QTableWidgetItem(shortcut_text(action)))
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

        self.key_edit = QKeySequenceEdit(self)
        self.key_edit.setMaximumSequenceLength(1)
        self.key_edit.setClearButtonEnabled(True)
        self.set_button = QPushButton("&Set", self)
        self.reset_button = QPushButton("&Default", self)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setObjectName("shortcut_message")
        if change is not None:
            edit_row = QHBoxLayout()
            edit_row.addWidget(QLabel("New shortcut:", self))
            edit_row.addWidget(self.key_edit, 1)
            edit_row.addWidget(self.set_button)
            edit_row.addWidget(self.reset_button)
            layout.addLayout(edit_row)
            layout.addWidget(self.message)
            self.set_button.clicked.connect(self._set)
            self.reset_button.clicked.connect(self._reset_selected)
            self.table.itemSelectionChanged.connect(self._selected)
        self.key_edit.setVisible(change is not None)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._selected()
        self.resize(520, 640)

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        assert item is not None, "every cell is filled when the table is built"
        return item

    def row_of(self, name: str) -> int:
        for row in range(self.table.rowCount()):
            if self._cell(row, 0).data(Qt.ItemDataRole.UserRole) == name:
                return row
        return -1

    def select(self, name: str) -> None:
        self.table.selectRow(self.row_of(name))

    def _current(self) -> tuple[int, str | None]:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return -1, None
        row = rows[0].row()
        return row, str(self._cell(row, 0).data(Qt.ItemDataRole.UserRole))

    def _editable(self, name: str | None) -> bool:
        return name is not None and not name.startswith("label_")

    def _selected(self) -> None:
        _, name = self._current()
        editable = self._editable(name)
        for widget in (self.key_edit, self.set_button, self.reset_button):
            widget.setEnabled(editable)
        if name is not None and not editable:
            self.message.setText("Label hotkeys are edited in Preferences › Labels.")
        else:
            self.message.setText("")

    def _set(self) -> None:
        keys = self.key_edit.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
        self.apply(keys)

    def apply(self, keys: str) -> bool:
        """Give the selected action `keys` ("" clears it); False (and why) when refused."""
        row, name = self._current()
        if self._change is None or not self._editable(name) or name is None:
            return False
        refusal = self._change(name, [keys] if keys else [])
        return self._done(row, name, refusal)

    def _reset_selected(self) -> None:
        row, name = self._current()
        if self._reset is None or name is None or not self._editable(name):
            return
        self._done(row, name, self._reset(name))

    def _done(self, row: int, name: str, refusal: str | None) -> bool:
        if refusal:
            self.message.setText(f"<b>Not changed:</b> {refusal}")
            return False
        action = next(a for a in self.listed if a.objectName() == name)
        self._cell(row, 1).setText(shortcut_text(action))
        keys = shortcut_text(action) or "without a shortcut"
        self.message.setText(f"“{action.text().replace('&', '')}” is now {keys}.")
        self.key_edit.clear()
        self.shortcut_changed.emit(name)
        return True
