"""A window whose open set another writer changed (on SQLite: a second repository on the
file, as a CLI or an older window bypassing the lock would): its next edit, undo or redo
is refused as a conflict, the set is reloaded, its history cleared, nothing is lost."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from gui_support import open_window
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from test_quotes_attribution import select

from newsmark.domain.document import DocumentInput
from newsmark.domain.spans import Span
from newsmark.nlp.tokens import tokenize_many
from newsmark.services.workspace import Workspace, open_workspace
from newsmark.storage import Database, Repository
from newsmark.storage.records import EditLogEntry
from newsmark.ui.conflict_text import conflict_message
from newsmark.ui.main_window import MainWindow

TEXT = "Today Vladimir Putin called Benjamin Netanyahu about the hostages in Gaza.\n"
OTHER = "Olaf Scholz met Emmanuel Macron in Berlin on Monday.\n"
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path / "data", take_lock=True, busy_timeout_ms=200)
    docs = [
        (DocumentInput(t, {"title": t[:12]}), k)
        for t, k in zip((TEXT, OTHER), tokenize_many([TEXT, OTHER]), strict=True)
    ]
    workspace.repo.add_documents(docs, "import:test")
    yield workspace
    workspace.close()


@pytest.fixture
def other(ws: Workspace) -> Iterator[Repository]:
    """The other writer: its own connection to the same file."""
    db = Database.open(ws.repo.path)
    yield Repository(db)
    db.close()


@pytest.fixture
def win(qtbot, ws: Workspace, tmp_path: Path) -> Iterator[MainWindow]:
    window = open_window(qtbot, ws, tmp_path / "data")
    window.documents.select(1)
    qtbot.waitUntil(window.isActiveWindow)
    window.article.setFocus()
    yield window
    if window.conflicts.box is not None:
        window.conflicts.box.close()
    window.close()


def label(win: MainWindow, name: str, key: Qt.Key) -> None:
    start = TEXT.index(name)
    select(win.article, start, start + len(name))
    QTest.keyClick(win.article, key)


def at(repo: Repository, set_id: int) -> str:
    """The local hour and minute of the set's newest log row, as the clock shows it."""
    return datetime.fromisoformat(repo.edit_log(set_id)[-1].at).astimezone().strftime("%H:%M")


def spans(repo: Repository, set_id: int) -> list[tuple[str, str]]:
    return sorted((TEXT[s.start : s.end], s.label) for s in repo.get_set(set_id).spans)


def shown_matches_stored(win: MainWindow, repo: Repository) -> None:
    aset = win.session.annotations
    assert aset is not None and aset.id is not None
    stored = repo.get_set(aset.id)

    def key(item: Span) -> tuple[int, int]:
        return (item.start, item.end)

    assert (aset.version, aset.status) == (stored.version, stored.status)
    assert sorted(aset.spans, key=key) == sorted(stored.spans, key=key)
    assert sorted(aset.quotes, key=key) == sorted(stored.quotes, key=key)
    assert sorted((s.start, s.end, s.label) for s in win.article.spans) == sorted(
        (s.start, s.end, s.label) for s in stored.spans
    )


def test_an_edit_after_another_writer_is_a_conflict_and_a_reload(qtbot, win, other):
    set_id = win.session.annotations.id
    refused: list[object] = []
    win.session.save_failed.connect(lambda *args: refused.append(args))
    gaza = TEXT.index("Gaza")
    other.add_span(set_id, Span(gaza, gaza + 4, "GPE"), "ben")  # the window still shows v0
    with qtbot.waitSignal(win.session.conflicted) as said:
        label(win, "Vladimir Putin", Qt.Key.Key_P)
    expected = f"ben changed this document at {at(other, set_id)}; reloaded with their changes"
    assert said.args[0].startswith(expected)
    assert "your edit “Label PERSON” was not applied" in said.args[0]
    assert win.conflicts.box is not None and win.conflicts.box.isVisible()
    assert win.conflicts.box.text() == said.args[0]
    assert said.args[0] in win.statusBar().currentMessage()
    # Reloaded: ben's span on screen, the window's edit nowhere, no retry pending.
    assert spans(other, set_id) == [("Gaza", "GPE")]
    shown_matches_stored(win, other)
    assert refused == [] and win.session.pending_edits == []
    assert win.session.undo_group.activeStack().count() == 0
    # OK closes the (window-modal) message; the next edit is made against the reloaded
    # version and saves.
    ok = win.conflicts.box.button(QMessageBox.StandardButton.Ok)
    QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not win.conflicts.box.isVisible()
    label(win, "Vladimir Putin", Qt.Key.Key_P)
    assert spans(other, set_id) == [("Gaza", "GPE"), ("Vladimir Putin", "PERSON")]
    shown_matches_stored(win, other)
    assert [e.who for e in other.edit_log(set_id)] == ["ben", win.session.who]


def test_an_undo_never_writes_over_the_other_writers_change(qtbot, win, other):
    set_id = win.session.annotations.id
    label(win, "Vladimir Putin", Qt.Key.Key_P)
    [putin] = other.get_set(set_id).spans
    other.update_span(set_id, putin.id, "ben", label="ORG")  # ben relabels the window's span
    with qtbot.waitSignal(win.session.conflicted) as said:
        QTest.keyClick(win.article, Qt.Key.Key_Z, CTRL)  # the old code deleted ben's span
    assert "your undo of “Label PERSON” was not applied" in said.args[0]
    assert said.args[0].startswith("ben changed this document")
    assert spans(other, set_id) == [("Vladimir Putin", "ORG")]
    shown_matches_stored(win, other)
    qtbot.waitUntil(lambda: win.session.undo_group.activeStack().count() == 0)
    QTest.keyClick(win.article, Qt.Key.Key_Z, CTRL)  # nothing left to undo
    QTest.keyClick(win.article, Qt.Key.Key_Z, CTRL | SHIFT)
    assert spans(other, set_id) == [("Vladimir Putin", "ORG")]


def test_a_redo_after_another_writer_is_refused_too(qtbot, win, other):
    set_id = win.session.annotations.id
    label(win, "Vladimir Putin", Qt.Key.Key_P)
    QTest.keyClick(win.article, Qt.Key.Key_Z, CTRL)
    assert spans(other, set_id) == []
    start = TEXT.index("Vladimir")
    other.add_span(set_id, Span(start, start + len("Vladimir"), "PERSON"), "ben")
    with qtbot.waitSignal(win.session.conflicted) as said:
        QTest.keyClick(win.article, Qt.Key.Key_Z, CTRL | SHIFT)
    assert "your redo of “Label PERSON” was not applied" in said.args[0]
    assert spans(other, set_id) == [("Vladimir", "PERSON")]
    shown_matches_stored(win, other)


def test_a_decision_after_another_writer_reloads_the_status(qtbot, win, other):
    set_id = win.session.annotations.id
    other.set_status(set_id, "rejected", "ben")
    with qtbot.waitSignal(win.session.conflicted):
        assert not win.session.set_status(win.session.annotations.status.ACCEPTED)
    assert other.get_set(set_id).status.value == "rejected"
    shown_matches_stored(win, other)
    assert win.session.annotations.status.value == "rejected"


def test_returning_to_a_document_changed_meanwhile_drops_its_history(qtbot, win, other):
    set_id = win.session.annotations.id
    label(win, "Vladimir Putin", Qt.Key.Key_P)
    win.documents.select(2)
    gaza = TEXT.index("Gaza")
    other.add_span(set_id, Span(gaza, gaza + 4, "GPE"), "ben")
    win.documents.select(1)
    assert "changed elsewhere since you last had it open" in win.statusBar().currentMessage()
    assert win.session.undo_group.activeStack().count() == 0
    QTest.keyClick(win.article, Qt.Key.Key_Z, CTRL)  # nothing to undo: both spans stay
    assert spans(other, set_id) == [("Gaza", "GPE"), ("Vladimir Putin", "PERSON")]
    shown_matches_stored(win, other)


def hold_write_lock(ws: Workspace) -> sqlite3.Connection:
    """Another program holding the file's write lock: a genuine write failure."""
    conn = sqlite3.connect(ws.repo.path, isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    return conn


def test_a_genuine_write_failure_is_still_a_retry_not_a_conflict(qtbot, ws, win, other):
    """Kept as it was: "save failed, retry" is for writes the database could not do."""
    set_id = win.session.annotations.id
    conflicts: list[str] = []
    win.session.conflicted.connect(conflicts.append)
    lock = hold_write_lock(ws)
    label(win, "Vladimir Putin", Qt.Key.Key_P)
    lock.execute("ROLLBACK")
    lock.close()
    assert conflicts == [] and len(win.session.pending_edits) == 1
    win.save_failures.dialog.close()
    assert win.session.retry_all()
    assert spans(other, set_id) == [("Vladimir Putin", "PERSON")]


def test_a_waiting_edit_is_dropped_not_retried_over_a_change(qtbot, ws, win, other):
    """An edit pending after a write failure, whose set someone changed meanwhile: its
    retry is a conflict (reload, message), and the other edits waiting go with it."""
    set_id = win.session.annotations.id
    lock = hold_write_lock(ws)
    label(win, "Vladimir Putin", Qt.Key.Key_P)
    win.save_failures.dialog.close()
    label(win, "Gaza", Qt.Key.Key_G)
    win.save_failures.dialog.close()
    lock.execute("ROLLBACK")
    lock.close()
    assert len(win.session.pending_edits) == 2
    start = TEXT.index("Benjamin Netanyahu")
    other.add_span(set_id, Span(start, start + len("Benjamin Netanyahu"), "PERSON"), "ben")
    with qtbot.waitSignal(win.session.conflicted) as said:
        assert not win.session.retry_all()
    assert said.args[0].startswith("ben changed this document")
    assert "your edit “Label PERSON” was not applied" in said.args[0]
    assert said.args[0].endswith("1 edit waiting for a retry was dropped.")
    assert win.session.pending_edits == []
    assert spans(other, set_id) == [("Benjamin Netanyahu", "PERSON")]
    shown_matches_stored(win, other)


def test_the_message_names_everyone_and_the_newest_time():
    def entry(who: str, at: str) -> EditLogEntry:
        return EditLogEntry(1, 1, at, who, "add_span", 1, None, None)

    newest = "2026-12-06T14:02:31.000000+00:00"
    hhmm = datetime.fromisoformat(newest).astimezone().strftime("%H:%M")
    two = [entry("cara", newest), entry("ben", "2026-12-06T13:59:00+00:00"), entry("cara", "x")]
    assert conflict_message(two, "edit “Label PERSON”", "ann").startswith(
        f"cara and ben changed this document at {hhmm}; reloaded with their changes; "
        "your edit “Label PERSON” was not applied."
    )
    mine = conflict_message([entry("ann", newest)], "undo of “Delete quote”", "ann")
    assert mine.startswith("ann (in another window) changed this document")
    assert conflict_message([], "edit “Accept”", "ann").startswith(
        "This document was changed elsewhere; reloaded"
    )
