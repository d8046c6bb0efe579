"""An edit the database refuses (another program holds its lock): dialog, banner, retry."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_support import open_window, save_shot
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from test_editing import drag

from newsmark.domain.document import DocumentInput
from newsmark.nlp.tokens import tokenize_many
from newsmark.services.workspace import Workspace, open_workspace
from newsmark.ui.dialogs.save_failed_dialog import SaveFailedDialog
from newsmark.ui.main_window import MainWindow

TEXT = "Today Vladimir Putin called Benjamin Netanyahu about the hostages in Gaza.\n"
BUSY_TIMEOUT_MS = 200  # a refused write gives up after this long (the window uses 5 s)
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def editor(qtbot, tmp_path: Path) -> Iterator[tuple[MainWindow, Workspace]]:
    ws = open_workspace(tmp_path / "data", take_lock=True, busy_timeout_ms=BUSY_TIMEOUT_MS)
    ws.repo.add_documents(
        [(DocumentInput(TEXT, {"title": "Call"}), next(iter(tokenize_many([TEXT]))))], "import:test"
    )
    win = open_window(qtbot, ws, tmp_path / "data")
    yield win, ws
    win.close()
    ws.close()


@pytest.fixture
def other_program(editor) -> Iterator[sqlite3.Connection]:
    """A second connection holding the database's write lock, as another program would."""
    _, ws = editor
    conn = sqlite3.connect(ws.db.path, isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    yield conn
    with contextlib.suppress(sqlite3.ProgrammingError):  # the test released it already
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


def release(conn: sqlite3.Connection) -> None:
    conn.execute("ROLLBACK")
    conn.close()


def the_dialog(qtbot) -> SaveFailedDialog:
    found: list[SaveFailedDialog] = []

    def shown() -> bool:
        found[:] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, SaveFailedDialog) and w.isVisible()
        ]
        return len(found) == 1

    qtbot.waitUntil(shown, timeout=5000)
    return found[0]


def stored(win: MainWindow, ws: Workspace) -> list[tuple[str, str]]:
    aset = ws.repo.annotation_set(win.article.current_document.id, ws.annotator)
    return sorted((TEXT[s.start : s.end], s.label) for s in aset.spans)


def log_ops(win: MainWindow, ws: Workspace) -> list[str]:
    aset = ws.repo.annotation_set(win.article.current_document.id, ws.annotator)
    return [entry.op for entry in ws.repo.edit_log(aset.id)]


def label_putin(win: MainWindow) -> None:
    view = win.article
    drag(view, TEXT.index("Vladimir") + 1, TEXT.index("Putin") + 1)
    assert view.textCursor().selectedText() == "Vladimir Putin"
    QTest.keyClick(view, Qt.Key.Key_P)


def test_refused_edit_kept_for_later_then_retried_from_the_banner(
    qtbot, editor, other_program, tmp_path
):
    win, ws = editor
    label_putin(win)

    dialog = the_dialog(qtbot)
    assert dialog.windowTitle() == "Edit not saved"
    text = dialog.message.text()
    assert "not saved:</b> Label PERSON “Vladimir Putin”" in text
    assert "locked" in text
    assert "then Retry" in text
    save_shot(dialog, tmp_path / "shots" / "save_failed_dialog.png")
    # Nothing was stored or stacked, and the user's selection is still there.
    assert stored(win, ws) == []
    assert win.session.undo_group.activeStack().count() == 0
    assert win.article.textCursor().selectedText() == "Vladimir Putin"

    qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    banner = win.pending_banner
    assert banner.isVisible()
    assert "1 edit not saved" in banner.label.text()
    assert "Vladimir Putin" in banner.label.text()
    assert win.article.textCursor().selectedText() == "Vladimir Putin"
    save_shot(win, tmp_path / "shots" / "pending_banner.png")

    release(other_program)
    qtbot.mouseClick(banner.retry_button, Qt.MouseButton.LeftButton)
    assert stored(win, ws) == [("Vladimir Putin", "PERSON")]
    assert log_ops(win, ws) == ["add_span"]  # exactly one edit-log row, no duplicate
    stack = win.session.undo_group.activeStack()
    assert [stack.text(i) for i in range(stack.count())] == ["Label PERSON"]
    assert [s.label for s in win.article.spans] == ["PERSON"]
    assert win.status.saved_label.text().startswith("Saved")
    assert not banner.isVisible()
    assert win.session.pending_edits == []

    # The retried step undoes like any other.
    QTest.keyClick(win.article, Qt.Key.Key_Z, CTRL)
    assert stored(win, ws) == []


def test_discard_leaves_the_database_unchanged(qtbot, editor, other_program):
    win, ws = editor
    label_putin(win)
    dialog = the_dialog(qtbot)
    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    release(other_program)
    assert not win.pending_banner.isVisible()
    assert win.session.pending_edits == []
    assert stored(win, ws) == []
    assert log_ops(win, ws) == []
    assert win.session.undo_group.activeStack().count() == 0


def test_retry_in_the_dialog_while_still_locked_asks_again(qtbot, editor, other_program):
    win, ws = editor
    label_putin(win)
    first = the_dialog(qtbot)
    qtbot.mouseClick(first.retry_button, Qt.MouseButton.LeftButton)
    second = the_dialog(qtbot)  # still locked: refused again, the same edit offered again
    assert second is not first
    assert "locked" in second.message.text()
    release(other_program)
    qtbot.mouseClick(second.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not second.isVisible())
    assert stored(win, ws) == [("Vladimir Putin", "PERSON")]
    assert log_ops(win, ws) == ["add_span"]
    assert not win.pending_banner.isVisible()


def test_refused_undo_is_reported_not_raised(qtbot, editor, tmp_path):
    win, ws = editor
    label_putin(win)
    assert stored(win, ws) == [("Vladimir Putin", "PERSON")]
    holder = sqlite3.connect(ws.db.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        QTest.keyClick(win.article, Qt.Key.Key_Z, CTRL)  # an exception here fails the test
    finally:
        release(holder)
    assert "Could not undo “Label PERSON”" in win.status.currentMessage()
    assert "locked" in win.status.currentMessage()
    assert stored(win, ws) == [("Vladimir Putin", "PERSON")]  # still saved, as it says
    assert [s.label for s in win.article.spans] == ["PERSON"]
    assert win.session.undo_group.activeStack().count() == 0  # the step left the history
