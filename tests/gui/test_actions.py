"""The action registry: every action has one owner and a place in the menus."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from newsmark.domain.labels import Label, LabelSet
from newsmark.ui.actions import ACTION_SPECS, ActionRegistry
from newsmark.ui.main_window import MainWindow


def menu_actions(menu: QMenu) -> list[QAction]:
    found = []
    for action in menu.actions():
        found.append(action)
        sub = action.menu()
        if isinstance(sub, QMenu):
            found += menu_actions(sub)
    return found


def test_every_action_is_bound_once_and_in_a_menu(qtbot, workspace):
    win = MainWindow(workspace.repo, workspace.annotator)
    qtbot.addWidget(win)
    registry = win.window_actions
    assert registry.unbound() == []  # each controller bound the actions it owns
    with pytest.raises(ValueError, match="bound already"):
        registry.bind("accept", lambda: None)
    in_menus = [a for top in win.menuBar().actions() for a in menu_actions(top.menu())]
    # A shortcut works only for an action the window shows: every one is in a menu.
    assert [a.objectName() for a in registry.all() if a not in in_menus] == []
    assert len(registry.all()) == len(ACTION_SPECS) + len(list(registry.labels))


def test_new_labels_replace_the_label_actions_and_keep_their_handler(qtbot):
    registry = ActionRegistry(LabelSet([Label("PERSON", "#ff0000", "p")]))
    fired: list[str] = []
    registry.label_triggered.connect(fired.append)
    registry.set_labels(LabelSet([Label("ORG", "#00ff00", "o"), Label("GPE", "#0000ff", "g")]))
    assert [a.data() for a in registry.label_actions] == ["ORG", "GPE"]
    assert registry.label_actions[1].shortcut().toString() == "G"
    registry.label_actions[1].trigger()
    assert fired == ["GPE"]
