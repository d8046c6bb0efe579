"""The label palette dock: each label's colour swatch, name and hotkey; a click picks it."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from newsmark.domain.labels import LabelSet

NAME_ROLE = Qt.ItemDataRole.UserRole + 1


def swatch(color: str, size: int = 14) -> QIcon:
    """A rounded colour square for a label."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(color).darker(140))
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 3, 3)
    painter.end()
    return QIcon(pixmap)


class LabelPalette(QWidget):
    """Shows the label set as a legend; clicking a label asks to apply it.

    Signals:
        label_clicked(str): the label's name.
    """

    label_clicked = Signal(str)

    def __init__(self, labels: LabelSet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setObjectName("label_palette")
        self.list.setIconSize(QSize(14, 14))
        self.list.setUniformItemSizes(True)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the article
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.list)
        self.list.itemClicked.connect(self._on_clicked)
        self.set_labels(labels)

    def set_labels(self, labels: LabelSet) -> None:
        self.labels = labels
        self.list.clear()
        for label in labels:
            key = label.hotkey.upper() if label.hotkey else " "
            item = QListWidgetItem(swatch(label.color), f"{key}   {label.name}")
            item.setData(NAME_ROLE, label.name)
            tip = label.description or label.name
            item.setToolTip(f"{tip}\nHotkey: {key}" if label.hotkey else tip)
            self.list.addItem(item)

    def set_counts(self, counts: dict[str, int]) -> None:
        """Show how many spans of each label the open document has (legend style)."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            name = str(item.data(NAME_ROLE))
            label = self.labels[name]
            key = label.hotkey.upper() if label.hotkey else " "
            n = counts.get(name, 0)
            item.setText(f"{key}   {name}" + (f"  ·  {n}" if n else ""))
            font = item.font()
            font.setBold(n > 0)
            item.setFont(font)

    def _on_clicked(self, item: QListWidgetItem) -> None:
        self.label_clicked.emit(str(item.data(NAME_ROLE)))
