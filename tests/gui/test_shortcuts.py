"""Configurable shortcuts: the F1 sheet lists every action, changes one, refuses clashes."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import save_shot
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from newsmark.services.settings import Settings
from newsmark.services.workspace import open_workspace
from newsmark.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from newsmark.ui.keymap import default_keys
from newsmark.ui.main_window import MainWindow


def make_window(qtbot, ws, data: Path) -> MainWindow:
    win = MainWindow(ws.repo, "ann1", settings_path=data / "window.ini", settings=ws.settings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def keyed(qtbot, tmp_path: Path):
    data = tmp_path / "data"
    ws = open_workspace(data, take_lock=True)
    ws.settings.set("annotator", "ann1")
    win = make_window(qtbot, ws, data)
    yield win, ws, data
    for sheet in win.findChildren(ShortcutsDialog):
        sheet.close()  # a modal sheet left open would block the next test's keys
    win.close()
    ws.close()


def open_sheet(win: MainWindow) -> ShortcutsDialog:
    win.activateWindow()
    QTest.keyClick(win, Qt.Key.Key_F1)
    [dialog] = [d for d in win.findChildren(ShortcutsDialog) if d.isVisible()]
    return dialog


def type_shortcut(dialog: ShortcutsDialog, key: Qt.Key, mods=Qt.KeyboardModifier.NoModifier):
    dialog.key_edit.setFocus()
    QTest.keyClick(dialog.key_edit, key, mods)
    QTest.mouseClick(dialog.set_button, Qt.MouseButton.LeftButton)


def shown(win: MainWindow, name: str) -> str:
    return win.window_actions[name].shortcut().toString()


def test_the_sheet_lists_every_action_with_its_shortcut(qtbot, keyed, tmp_path):
    win, _, _ = keyed
    dialog = open_sheet(win)
    assert dialog.table.rowCount() == len(win.window_actions.all())
    row = dialog.row_of("export")
    assert dialog.table.item(row, 1).text() == "Ctrl+E"
    assert dialog.table.item(dialog.row_of("label_PERSON"), 1).text() == "P"
    save_shot(dialog, tmp_path / "shots" / "shortcuts.png")


def test_a_shortcut_is_changed_kept_and_shown_in_the_menu(qtbot, keyed):
    win, ws, data = keyed
    dialog = open_sheet(win)
    dialog.select("export")
    with qtbot.waitSignal(dialog.shortcut_changed):
        type_shortcut(dialog, Qt.Key.Key_F2)
    assert shown(win, "export") == "F2"
    assert dialog.table.item(dialog.row_of("export"), 1).text() == "F2"
    assert Settings(data / "newsmark.ini").keymap == {"export": ["F2"]}
    file_menu = win.menuBar().actions()[0].menu()
    [in_menu] = [a for a in file_menu.actions() if a.objectName() == "export"]
    assert in_menu.shortcut() == QKeySequence("F2")  # menus show an action's shortcut

    win.close()
    again = make_window(qtbot, ws, data)  # a restart keeps it
    assert shown(again, "export") == "F2"
    again.close()


def test_a_clash_is_refused_with_a_message(qtbot, keyed):
    win, _, data = keyed
    dialog = open_sheet(win)
    dialog.select("export")
    type_shortcut(dialog, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert "Find document" in dialog.message.text()
    assert "Not changed" in dialog.message.text()
    assert shown(win, "export") == "Ctrl+E"
    type_shortcut(dialog, Qt.Key.Key_P)  # PERSON's label hotkey
    assert "PERSON" in dialog.message.text()
    assert shown(win, "export") == "Ctrl+E"
    assert Settings(data / "newsmark.ini").keymap == {}


def test_label_rows_point_to_preferences_and_default_restores(qtbot, keyed):
    win, _, data = keyed
    dialog = open_sheet(win)
    dialog.select("label_ORG")
    assert not dialog.set_button.isEnabled()
    assert "Preferences" in dialog.message.text()
    dialog.select("skip")
    type_shortcut(dialog, Qt.Key.Key_F3)
    assert shown(win, "skip") == "F3"
    QTest.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert shown(win, "skip") == "S" and default_keys("skip") == ["S"]
    assert Settings(data / "newsmark.ini").keymap == {}


def test_a_clashing_stored_keymap_is_ignored(qtbot, tmp_path):
    data = tmp_path / "data"
    ws = open_workspace(data, take_lock=True)
    ws.settings.set_keymap({"export": ["Ctrl+F"], "nonsense": ["F9"], "skip": ["F4"]})
    win = make_window(qtbot, ws, data)
    assert shown(win, "export") == "Ctrl+E"
    assert shown(win, "skip") == "F4"
    win.close()
    ws.close()
