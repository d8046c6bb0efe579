"""Preferences: annotator, model, labels (validated by the domain), font and theme, persisted."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import save_shot
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit

from newsmark.domain.document import DocumentInput
from newsmark.domain.labels import Label, LabelSet
from newsmark.nlp.tokens import tokenize_many
from newsmark.services.settings import Settings
from newsmark.services.workspace import open_workspace
from newsmark.ui.dialogs.preferences_dialog import AnnotatorDialog, PreferencesDialog
from newsmark.ui.main_window import MainWindow
from newsmark.ui.preferences_theme import apply_theme

TEXT = "Olaf Scholz spoke in Berlin on Monday.\n"


@pytest.fixture
def prefs_window(qtbot, tmp_path: Path):
    data = tmp_path / "data"
    ws = open_workspace(data, take_lock=True)
    ws.settings.set("annotator", "ann1")
    [tokens] = tokenize_many([TEXT])
    ws.repo.add_documents([(DocumentInput(TEXT, {"title": "Scholz"}), tokens)], "import:test")
    win = MainWindow(ws.repo, "ann1", settings_path=data / "window.ini", settings=ws.settings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.load()
    yield win, ws, data
    apply_theme("light", win.article)  # the palette is application-wide
    win.close()
    ws.close()


def shot_with_dialog(win, dialog, path: Path) -> Path:
    """The window with the dialog drawn over its centre, as a user sees them."""
    from PySide6.QtGui import QPainter

    image = win.grab()
    painter = QPainter(image)
    picture = dialog.grab()
    x = (image.width() - picture.width()) // 2
    y = (image.height() - picture.height()) // 2
    painter.fillRect(x - 1, y - 1, picture.width() + 2, picture.height() + 2, Qt.GlobalColor.gray)
    painter.drawPixmap(x, y, picture)
    painter.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    assert image.save(str(path)), path
    return path


def open_preferences(qtbot, win: MainWindow) -> PreferencesDialog:
    win.activateWindow()
    QTest.keyClick(win, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialogs = [d for d in win.findChildren(PreferencesDialog) if d.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def ok(dialog: PreferencesDialog) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def test_preferences_are_validated_stored_and_applied(qtbot, prefs_window, tmp_path):
    win, _, data = prefs_window
    dialog = open_preferences(qtbot, win)
    assert dialog.annotator.text() == "ann1"
    shot_with_dialog(win, dialog, tmp_path / "shots" / "window_with_preferences.png")

    dialog.annotator.selectAll()
    QTest.keyClicks(dialog.annotator, "maria")
    QTest.keyClicks(dialog.model, "en_core_web_sm")
    dialog.font_size.selectAll()
    QTest.keyClicks(dialog.font_size, "15")
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))

    # Give ORG the hotkey of PERSON: the domain's LabelSet refuses, the dialog says why.
    dialog.tabs.setCurrentIndex(1)
    table = dialog.labels.table
    org_row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "ORG")
    table.item(org_row, 2).setText("p")
    dialog.labels.pick_color = lambda current: "#123456"
    table.setCurrentCell(org_row, 1)
    QTest.mouseClick(dialog.labels.color_button, Qt.MouseButton.LeftButton)
    ok(dialog)
    assert dialog.isVisible(), "a clashing label set is refused"
    assert "hotkey 'p' is used by both PERSON and ORG" in dialog.error.text()
    assert dialog.tabs.currentIndex() == 1
    save_shot(dialog, tmp_path / "shots" / "preferences_labels_refused.png")

    table.item(org_row, 2).setText("q")  # reserved for quotes
    ok(dialog)
    assert "not available" in dialog.error.text()

    table.item(org_row, 2).setText("h")
    with qtbot.waitSignal(win.preferences.preferences_changed):
        ok(dialog)
    assert not dialog.isVisible()

    stored = Settings(data / "newsmark.ini")  # read back from the file
    assert stored.annotator == "maria"
    assert stored.model == "en_core_web_sm"
    assert stored.theme == "dark"
    assert stored.font[1] == 15
    assert stored.labels["ORG"] == Label("ORG", "#123456", "h", stored.labels["ORG"].description)
    assert win.article.font().pointSize() == 15

    # The new label set is live: menu, palette, hotkeys and the repository's checks.
    [org] = [a for a in win.window_actions.label_actions if a.data() == "ORG"]
    assert org.shortcut().toString() == "H"
    label_menu = next(a.menu() for a in win.menuBar().actions() if a.text() == "&Label")
    assert org in label_menu.actions()
    assert win.label_palette.list.item(1).text() == "H   ORG"
    assert win.session.repo.labels["ORG"].hotkey == "h"
    win.article.setTextCursor(win.article.cursor_for(0, 11))
    win.article.setFocus()
    QTest.keyClick(win.article, Qt.Key.Key_H)
    assert [(sp.start, sp.end, sp.label) for sp in win.session.annotations.spans] == [
        (0, 11, "ORG")
    ]
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 100
    win.session.label_range(0, 11, "PERSON")  # relabel; highlights stay legible in the dark
    win.session.label_range(TEXT.index("Berlin"), TEXT.index("Berlin") + 6, "GPE")
    qtbot.wait(50)  # palette-change events are posted
    save_shot(win, tmp_path / "shots" / "window_dark.png")


def test_the_stored_label_set_is_the_repositorys(tmp_path):
    data = tmp_path / "data"
    Settings(data / "newsmark.ini").set_labels(
        LabelSet([Label("PERSON", "#aa9cfc", "p"), Label("SHIP", "#336699", "v")])
    )
    ws = open_workspace(data)
    try:
        assert ws.repo.labels is not None and ws.repo.labels.names == ("PERSON", "SHIP")
    finally:
        ws.close()


def test_a_hand_broken_label_list_falls_back_to_the_defaults(tmp_path):
    settings = Settings(tmp_path / "newsmark.ini")
    settings.set("labels", '[{"name": "A", "color": "#fff", "hotkey": "q"}]')  # reserved key
    assert "PERSON" in Settings(tmp_path / "newsmark.ini").labels


def test_first_run_asks_for_the_annotator_once(qtbot, tmp_path):
    data = tmp_path / "data"
    ws = open_workspace(data, take_lock=True)
    assert not ws.settings.has_annotator
    win = MainWindow(ws.repo, ws.annotator, settings_path=data / "window.ini", settings=ws.settings)
    qtbot.addWidget(win)

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AnnotatorDialog)
        edit = dialog.findChild(QLineEdit)
        assert edit.text()  # the OS user, preselected
        QTest.keyClicks(edit, "ines")
        QTest.keyClick(edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    assert win.preferences.ask_annotator() == "ines"
    assert win.session.annotator == "ines"
    assert Settings(data / "newsmark.ini").has_annotator
    win.close()
    ws.close()
