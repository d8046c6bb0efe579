"""Undo survives a restart: a fresh window rebuilds each document's stack from the edit log."""

from __future__ import annotations

from pathlib import Path

from gui_support import open_window
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from test_quotes_attribution import select

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
    # A conflict (the set moved on): reported with who did it, the set re-read.
    assert "someone else changed this document" in win.statusBar().currentMessage()
    assert "your undo of “Label GPE” was not applied" in win.statusBar().currentMessage()
    assert win.session.annotations.spans == []
    qtbot.waitUntil(lambda: win.session.undo_group.activeStack().count() == 0)
    win.conflicts.box.close()
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
    live = win.session.undo_group.activeStack()
    before = ([live.text(i) for i in range(live.count())], live.index())
    win.close()

    again = open_window(qtbot, ws, tmp_path / "data")
    again.documents.select(doc_id)
    qtbot.waitUntil(again.isActiveWindow)
    again.article.setFocus()
    stack = again.session.undo_group.activeStack()
    # The relabel was undone, not dropped: it comes back above the index, ready to redo.
    reopened = ([stack.text(i) for i in range(stack.count())], stack.index())
    assert reopened == before == (["Label PERSON", "Relabel PERSON → ORG"], 1)
    assert stack.isClean()
    QTest.keyClick(again.article, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert [s.label for s in ws.repo.annotation_set(doc_id, ws.annotator).spans] == ["ORG"]
    QTest.keyClick(again.article, Qt.Key.Key_Z, CTRL)
    QTest.keyClick(again.article, Qt.Key.Key_Z, CTRL)
    assert ws.repo.annotation_set(doc_id, ws.annotator).spans == []
    assert stack.index() == 0 and stack.count() == 2
    again.close()
    ws.close()


def test_a_relabel_back_is_a_step_of_its_own_after_reopening(qtbot, tmp_path: Path):
    """A span relabelled PERSON -> ORG and then back to PERSON by a new edit (not an
    undo): three steps, and the reopened history holds all three (issue 12, item 3)."""
    from newsmark.services.workspace import open_workspace

    ws = open_workspace(tmp_path / "data", take_lock=True)
    [(tokens,)] = [tokenize_many([TEXT])]
    [(doc_id, _)] = ws.repo.add_documents([(DocumentInput(TEXT, {"title": "T"}), tokens)], "t")

    def stored() -> list[str]:
        return [s.label for s in ws.repo.annotation_set(doc_id, ws.annotator).spans]

    win = open_window(qtbot, ws, tmp_path / "data")
    win.documents.select(doc_id)
    qtbot.waitUntil(win.isActiveWindow)
    view = win.article
    view.setFocus()
    start = TEXT.index("Vladimir Putin")
    select(view, start, start + len("Vladimir Putin"))
    QTest.keyClick(view, Qt.Key.Key_P)
    for key in (Qt.Key.Key_O, Qt.Key.Key_P):  # relabel as ORG, then as PERSON again
        view.setTextCursor(view.cursor_for(0, 0))
        win.editor.select_span(next(iter(view.spans)))
        QTest.keyClick(view, key)
    assert stored() == ["PERSON"]
    live = win.session.undo_group.activeStack()
    steps = [live.text(i) for i in range(live.count())]
    assert steps == ["Label PERSON", "Relabel PERSON → ORG", "Relabel ORG → PERSON"]
    win.close()

    again = open_window(qtbot, ws, tmp_path / "data")
    again.documents.select(doc_id)
    qtbot.waitUntil(again.isActiveWindow)
    view = again.article
    view.setFocus()
    stack = again.session.undo_group.activeStack()
    assert [stack.text(i) for i in range(stack.count())] == steps
    assert stack.index() == 3
    undo, redo = CTRL, CTRL | Qt.KeyboardModifier.ShiftModifier
    for key, labels, index in (
        (undo, ["ORG"], 2),
        (undo, ["PERSON"], 1),
        (undo, [], 0),
        (redo, ["PERSON"], 1),
        (redo, ["ORG"], 2),
        (redo, ["PERSON"], 3),
        (undo, ["ORG"], 2),
    ):
        QTest.keyClick(view, Qt.Key.Key_Z, key)
        assert (stored(), [s.label for s in view.spans], stack.index()) == (labels, labels, index)
    again.close()
    ws.close()


def test_an_entity_merge_comes_back_into_the_history(qtbot, tmp_path: Path):
    """A merge made in the window is a step of the reopened history of the document whose
    mentions it relinked; undone there, it recreates the entity, redone, it merges again."""
    from newsmark.domain.spans import Span
    from newsmark.services.workspace import open_workspace

    ws = open_workspace(tmp_path / "data", take_lock=True)
    [(tokens,)] = [tokenize_many([TEXT])]
    [(doc_id, _)] = ws.repo.add_documents([(DocumentInput(TEXT, {"title": "T"}), tokens)], "t")
    keep = ws.repo.find_or_create_entity("Vladimir Putin", "PERSON")
    drop = ws.repo.find_or_create_entity("Putin", "PERSON", "Q7747")
    aset = ws.repo.annotation_set(doc_id, ws.annotator)
    start = TEXT.index("Vladimir Putin")
    span = ws.repo.add_span(aset.id, Span(start, start + 14, "PERSON", entity_id=drop.id), "t").item

    def linked() -> int | None:
        return ws.repo.get_span(aset.id, span.id).entity_id

    win = open_window(qtbot, ws, tmp_path / "data")
    win.documents.select(doc_id)
    qtbot.waitUntil(win.isActiveWindow)
    win.entity_tools.merge(keep, drop)  # what the panel's Merge button does
    assert (linked(), [e.name for e in ws.repo.entities()]) == (keep.id, ["Vladimir Putin"])
    live = win.session.undo_group.activeStack()
    assert live.text(live.count() - 1) == "Merge Putin into Vladimir Putin"
    win.close()

    again = open_window(qtbot, ws, tmp_path / "data")
    again.documents.select(doc_id)
    qtbot.waitUntil(again.isActiveWindow)
    view = again.article
    view.setFocus()
    stack = again.session.undo_group.activeStack()
    assert [stack.text(i) for i in range(stack.count())] == [
        "Label PERSON",
        "Merge Putin into Vladimir Putin",
    ]
    QTest.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert ws.repo.get_entity(drop.id) == drop and linked() == drop.id
    assert ws.repo.get_entity(keep.id).kb_id is None  # as before the merge
    qtbot.waitUntil(lambda: again.entity_panel.model.rowCount() == 2)  # the panel too
    QTest.keyClick(view, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert (linked(), [e.name for e in ws.repo.entities()]) == (keep.id, ["Vladimir Putin"])
    QTest.keyClick(view, Qt.Key.Key_Z, CTRL)  # undone again, then closed
    again.close()

    third = open_window(qtbot, ws, tmp_path / "data")
    third.documents.select(doc_id)
    qtbot.waitUntil(third.isActiveWindow)
    stack = third.session.undo_group.activeStack()
    assert (stack.count(), stack.index()) == (2, 1)  # the merge waits above, to redo
    third.close()
    ws.close()
