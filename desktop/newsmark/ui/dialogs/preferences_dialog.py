"""Preferences: annotator, model, label set (name, colour, hotkey), article font, theme."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFontComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from newsmark.domain.db_target import check_target
from newsmark.domain.errors import NewsmarkError, UsageError
from newsmark.domain.labels import Label, LabelSet

THEMES = (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark"))
NAME, COLOUR, HOTKEY = range(3)


@dataclass
class Preferences:
    """What the dialog edits; the controller reads and stores it."""

    annotator: str
    model: str
    labels: LabelSet
    font_family: str
    font_size: int
    theme: str
    auto_advance: bool = True
    database: str = ""  # "" the data dir's SQLite file; a path or a PostgreSQL URL (no password)


def swatch(color: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class LabelTable(QWidget):
    """Edits a label set as rows of name, colour and hotkey; no signals.

    A double click on a colour opens QColorDialog (`pick_color` is replaced in tests).
    """

    def __init__(self, labels: LabelSet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(["Label", "Colour", "Hotkey"])
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COLOUR, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HOTKEY, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self._descriptions: dict[str, str] = {}
        for label in labels:
            self._descriptions[label.name] = label.description
            self.add_row(label.name, label.color, label.hotkey or "")
        self.add_button = QPushButton("&Add label", self)
        self.remove_button = QPushButton("&Remove", self)
        self.color_button = QPushButton("&Colour…", self)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.color_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self._add_new())
        self.remove_button.clicked.connect(self._remove)
        self.color_button.clicked.connect(self._choose_color)
        self.table.cellDoubleClicked.connect(
            lambda row, col: self._choose_color() if col == COLOUR else None
        )

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        if item is None:  # a row being edited may lack a cell; treat it as empty
            item = QTableWidgetItem("")
            self.table.setItem(row, column, item)
        return item

    def pick_color(self, current: str) -> str | None:
        chosen = QColorDialog.getColor(QColor(current), self, "Label colour")
        return chosen.name() if chosen.isValid() else None

    def add_row(self, name: str, color: str, hotkey: str) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, NAME, QTableWidgetItem(name))
        colour = QTableWidgetItem(swatch(color), color)
        colour.setFlags(colour.flags() & ~Qt.ItemFlag.ItemIsEditable)
        colour.setToolTip("Double-click to choose a colour")
        self.table.setItem(row, COLOUR, colour)
        key = QTableWidgetItem(hotkey)
        key.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.setItem(row, HOTKEY, key)
        return row

    def set_color(self, row: int, color: str) -> None:
        item = self._cell(row, COLOUR)
        item.setText(color)
        item.setIcon(swatch(color))

    def _add_new(self) -> None:
        row = self.add_row("NEW_LABEL", "#dddddd", "")
        self.table.setCurrentCell(row, NAME)
        self.table.editItem(self._cell(row, NAME))

    def _remove(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def _choose_color(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        chosen = self.pick_color(self._cell(row, COLOUR).text())
        if chosen:
            self.set_color(row, chosen)

    def label_set(self) -> LabelSet:
        """The rows as a LabelSet; InputError (with the domain's message) on a clash."""
        labels = []
        for row in range(self.table.rowCount()):
            name = self._cell(row, NAME).text()
            hotkey = self._cell(row, HOTKEY).text().strip() or None
            color = self._cell(row, COLOUR).text()
            labels.append(Label(name, color, hotkey, self._descriptions.get(name, "")))
        return LabelSet(labels)


class PreferencesDialog(QDialog):
    """Edits Preferences; OK is refused (with the reason shown) while the label set clashes.

    Signals:
        accepted_preferences(object): the Preferences the user confirmed.
    """

    accepted_preferences = Signal(object)

    def __init__(self, prefs: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferences_dialog")
        self.setWindowTitle("Preferences")
        self.result_preferences: Preferences | None = None
        tabs = QTabWidget(self)

        general = QWidget(tabs)
        form = QFormLayout(general)
        self.annotator = QLineEdit(prefs.annotator, general)
        self.model = QLineEdit(prefs.model, general)
        self.model.setPlaceholderText("en_core_web_sm (a package name or a folder)")
        browse = QPushButton("Folder…", general)
        browse.clicked.connect(self._browse_model)
        model_row = QHBoxLayout()
        model_row.addWidget(self.model, 1)
        model_row.addWidget(browse)
        form.addRow("&Annotator:", self.annotator)
        form.addRow(self._buddy("&Model:", self.model), model_row)
        self.font_family = QFontComboBox(general)
        self.font_family.setCurrentFont(QFont(prefs.font_family))
        self.font_size = QSpinBox(general)
        self.font_size.setRange(8, 36)
        self.font_size.setValue(prefs.font_size)
        self.font_size.setSuffix(" pt")
        font_row = QHBoxLayout()
        font_row.addWidget(self.font_family, 1)
        font_row.addWidget(self.font_size)
        form.addRow(self._buddy("Article &font:", self.font_family), font_row)
        self.theme = QComboBox(general)
        for value, text in THEMES:
            self.theme.addItem(text, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(prefs.theme)))
        form.addRow("&Theme:", self.theme)
        self.auto_advance = QCheckBox("Open the next unfinished document after a decision", general)
        self.auto_advance.setObjectName("auto_advance")
        self.auto_advance.setChecked(prefs.auto_advance)
        self.auto_advance.setToolTip("After Accept, Reject or Skip; Ctrl+Z goes back either way")
        form.addRow("After a decision:", self.auto_advance)
        self.database = QLineEdit(prefs.database, general)
        self.database.setObjectName("database")
        self.database.setPlaceholderText(
            "the data folder's file, or postgresql+psycopg://USER@HOST/DB"
        )
        self.database.setToolTip(
            "A SQLite file, or a PostgreSQL server for team work; the password goes in "
            "~/.pgpass, never here. Takes effect at the next start."
        )
        form.addRow("&Database:", self.database)
        note = QLabel(
            "A new annotator or model takes effect at once: the open document reopens "
            "as the annotator, the model loads in the background.",
            general,
        )
        note.setEnabled(False)
        note.setWordWrap(True)
        form.addRow("", note)
        tabs.addTab(general, "General")

        labels_tab = QWidget(tabs)
        labels_layout = QVBoxLayout(labels_tab)
        self.labels = LabelTable(prefs.labels, labels_tab)
        hint = QLabel(
            "Hotkeys are single letters; q, c, x, a, s and digits are kept for quotes, "
            "decisions and speakers. Double-click a colour to change it.",
            labels_tab,
        )
        hint.setWordWrap(True)
        hint.setEnabled(False)
        labels_layout.addWidget(self.labels)
        labels_layout.addWidget(hint)
        tabs.addTab(labels_tab, "Labels")
        self.tabs = tabs

        self.error = QLabel("", self)
        self.error.setObjectName("preferences_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(520, 480)

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        """A form label whose mnemonic focuses `widget` (rows holding layouts need one)."""
        label = QLabel(text, self)
        label.setBuddy(widget)
        return label

    def _browse_model(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "A spaCy pipeline folder")
        if folder:
            self.model.setText(folder)

    def preferences(self) -> Preferences:
        """The edited values; InputError when the label set or the annotator is refused."""
        annotator = self.annotator.text().strip()
        if not annotator:
            raise UsageError("the annotator name cannot be empty")
        database = self.database.text().strip()
        if database:
            database = check_target(database, "Database")  # refuses a password, masked
        return Preferences(
            annotator=annotator,
            model=self.model.text().strip(),
            labels=self.labels.label_set(),
            font_family=self.font_family.currentFont().family(),
            font_size=self.font_size.value(),
            theme=str(self.theme.currentData()),
            auto_advance=self.auto_advance.isChecked(),
            database=database,
        )

    def accept(self) -> None:
        try:
            prefs = self.preferences()
        except NewsmarkError as exc:  # a label rule broken, or no annotator name
            reason = str(exc)
            self.error.setText(reason)
            if "label" in reason or "hotkey" in reason:
                self.tabs.setCurrentIndex(1)
            return
        self.result_preferences = prefs
        self.accepted_preferences.emit(prefs)
        super().accept()


class AnnotatorDialog(QDialog):
    """First run: who is annotating (the OS user by default); no signals."""

    def __init__(self, default: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Newsmark")
        text = QLabel(
            "Your name is stored with every annotation you make. "
            "You can change it later in Preferences.",
            self,
        )
        text.setWordWrap(True)
        self.name = QLineEdit(default, self)
        self.name.selectAll()
        # Cancel keeps the OS user (prefilled): the app starts either way.
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Annotator &name:", self.name)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def annotator(self, default: str) -> str:
        """The name typed when the dialog was accepted; `default` when cancelled or empty."""
        if self.result() != QDialog.DialogCode.Accepted:
            return default
        return self.name.text().strip() or default
