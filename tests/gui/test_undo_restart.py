"""Undo survives a restart: a fresh window rebuilds each document's stack from the edit log."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from test_quotes_attribution import open_window, select

from newsmark.domain.document import DocumentInput
from newsmark.nlp.tokens import tokenize_many

TEXT = "Today Vladimir Putin called Benjamin Netanyahu about Gaza.\n"
CTRL = Qt.KeyboardModifier.ControlModifier


def test_undo_and_redo_after_reopening_the_database(qtbot, tmp_path: Path):
    from newsmark.services.workspace import open_workspace

    ws = open_workspace(tmp_path / "data", take_lock=True)
    [(tokens,)] = [tokenize_many([TEXT])]
    [(doc_id, _)] = ws.repo.add_documents([(DocumentInput(TEXT, {"title": "T"}), tokens)], "t")

    def labels() -> list[tuple[str, str]]:
        aset = ws.repo.annotation_set(doc_id, ws.annotator)
        return sorted((TEXT[s.start : s.end], s.label) for s in aset.spans)

    win = open_window(qtbot, ws, tmp_path / "data")
    win.documents.select(doc_id)
    qtbot.waitUntil(win.isActiveWindow)
    win.article.setFocus()
    for name, key in (("Vladimir Putin", Qt.Key.Key_P), ("Gaza", Qt.Key.Key_G)):
        start = TEXT.index(name)
        select(win.article, start, start + len(name))
        QTest.keyClick(win.article, key)
    win.close()
    assert labels() == [("Gaza", "GPE"), ("Vladimir Putin", "PERSON")]

    again = open_window(qtbot, ws, tmp_path / "data")
    again.documents.select(doc_id)
    again.activateWindow()
    qtbot.waitUntil(again.isActiveWindow)
    again.article.setFocus()
    stack = again.session.undo_group.activeStack()
    assert [stack.text(i) for i in range(stack.count())] == ["Label PERSON", "Label GPE"]
    QTest.keyClick(again.article, Qt.Key.Key_Z, CTRL)
    assert labels() == [("Vladimir Putin", "PERSON")]
    assert [s.label for s in again.article.spans] == ["PERSON"]
    QTest.keyClick(again.article, Qt.Key.Key_Z, CTRL)
    assert labels() == []
    QTest.keyClick(again.article, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert labels() == [("Vladimir Putin", "PERSON")]
    assert again.session.undo_group.canUndo() and again.session.undo_group.canRedo()
    again.close()
    ws.close()


def test_a_restored_step_that_no_longer_applies_is_reported_and_dropped(qtbot, tmp_path: Path):
    from newsmark.domain.spans import Span
    from newsmark.services.workspace import open_workspace

    ws = open_workspace(tmp_path / "data", take_lock=True)
    [(tokens,)] = [tokenize_many([TEXT])]
    [(doc_id, _)] = ws.repo.add_documents([(DocumentInput(TEXT, {"title": "T"}), tokens)], "t")
    aset = ws.repo.annotation_set(doc_id, ws.annotator)
    gaza = TEXT.index("Gaza")
    span = ws.repo.add_span(aset.id, Span(gaza, gaza + 4, "GPE"), ws.annotator).item

    win = open_window(qtbot, ws, tmp_path / "data")
    win.documents.select(doc_id)
    qtbot.waitUntil(win.isActiveWindow)
    win.article.setFocus()
    assert win.session.undo_group.activeStack().count() == 1
    ws.repo.delete_span(aset.id, span.id, "someone else")  # behind the window's back
    QTest.keyClick(win.article, Qt.Key.Key_Z, CTRL)
    assert "Cannot undo" in win.statusBar().currentMessage()
    assert win.session.undo_group.activeStack().count() == 0  # the step was dropped
    win.close()
    ws.close()


def test_the_reopened_stack_is_the_one_left_undos_and_redos_included(qtbot, tmp_path: Path):
    from newsmark.services.workspace import open_workspace

    ws = open_workspace(tmp_path / "data", take_lock=True)
    [(tokens,)] = [tokenize_many([TEXT])]
    [(doc_id, _)] = ws.repo.add_documents([(DocumentInput(TEXT, {"title": "T"}), tokens)], "t")
    win = open_window(qtbot, ws, tmp_path / "data")
    win.documents.select(doc_id)
    qtbot.waitUntil(win.isActiveWindow)
    view = win.article
    view.setFocus()
    for name, key in (("Vladimir Putin", Qt.Key.Key_P), ("Gaza", Qt.Key.Key_G)):
        start = TEXT.index(name)
        select(view, start, start + len(name))
        QTest.keyClick(view, key)
    QTest.keyClick(view, Qt.Key.Key_Z, CTRL)  # Gaza goes...
    QTest.keyClick(view, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)  # ...comes
    QTest.keyClick(view, Qt.Key.Key_Z, CTRL)  # ...and goes again
    view.setTextCursor(view.cursor_for(0, 0))
    win.editor.select_span(next(iter(view.spans)))
    QTest.keyClick(view, Qt.Key.Key_O)  # relabel Vladimir Putin as ORG
    assert [s.label for s in ws.repo.annotation_set(doc_id, ws.annotator).spans] == ["ORG"]
    QTest.keyClick(view, Qt.Key.Key_Z, CTRL)  # and back
    before = [win.session.undo_group.activeStack().text(i) for i in range(1)]
    win.close()

    again = open_window(qtbot, ws, tmp_path / "data")
    again.documents.select(doc_id)
    qtbot.waitUntil(again.isActiveWindow)
    again.article.setFocus()
    stack = again.session.undo_group.activeStack()
    assert [stack.text(i) for i in range(stack.count())] == before == ["Label PERSON"]
    QTest.keyClick(again.article, Qt.Key.Key_Z, CTRL)
    assert ws.repo.annotation_set(doc_id, ws.annotator).spans == []
    again.close()
    ws.close()
