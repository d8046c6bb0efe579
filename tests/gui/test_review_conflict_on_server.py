"""Two real windows on one PostgreSQL database, on one annotation set: annotator ann's and
a reviewer's (ben, working in ann's set). Whoever edits second, against a version the
other has moved on from, gets the conflict message and a reload; nothing is lost."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from gui_support import server_window, server_workspace
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from newsmark.domain.document import DocumentInput
from newsmark.nlp.tokens import tokenize_many
from newsmark.storage import Repository
from newsmark.ui.main_window import MainWindow

pytestmark = pytest.mark.postgres

TEXT = "Olaf Scholz met Emmanuel Macron in Berlin. The chancellor said talks went well."
CTRL = Qt.KeyboardModifier.ControlModifier


def span_of(name: str) -> tuple[int, int]:
    start = TEXT.index(name)
    return start, start + len(name)


def stored(repo: Repository, set_id: int) -> list[tuple[str, str]]:
    return sorted((TEXT[s.start : s.end], s.label) for s in repo.get_set(set_id).spans)


def newest_time(repo: Repository, set_id: int) -> str:
    at = repo.edit_log(set_id)[-1].at
    return datetime.fromisoformat(at).astimezone().strftime("%H:%M")


def close_message(win: MainWindow) -> None:
    assert win.conflicts.box is not None and win.conflicts.box.isVisible()
    ok = win.conflicts.box.button(QMessageBox.StandardButton.Ok)
    QTest.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_annotator_and_reviewer_windows_on_one_set(qtbot, pg_url: str, tmp_path: Path) -> None:
    first = server_workspace(tmp_path / "ann", pg_url)
    second = server_workspace(tmp_path / "ben", pg_url)
    try:
        [tokens] = tokenize_many([TEXT])
        first.repo.add_documents([(DocumentInput(TEXT, {"title": "Scholz"}), tokens)], "import")
        ann = server_window(qtbot, first, "ann", tmp_path / "ann", editor="ann")
        ben = server_window(qtbot, second, "ann", tmp_path / "ben", editor="ben")
        set_id = ann.session.annotations.id
        assert set_id is not None and ben.session.annotations.id == set_id
        repo = first.repo
        # ann labels first; ben's window still shows the set before it.
        assert ann.session.label_range(*span_of("Olaf Scholz"), "PERSON")
        with qtbot.waitSignal(ben.session.conflicted) as said:
            assert not ben.session.label_range(*span_of("Emmanuel Macron"), "PERSON")
        when = newest_time(repo, set_id)
        assert said.args[0].startswith(
            f"ann changed this document at {when}; reloaded with their changes; "
            "your edit “Label PERSON” was not applied."
        )
        assert ben.conflicts.box.text() == said.args[0]
        assert stored(repo, set_id) == [("Olaf Scholz", "PERSON")]  # ben's edit not applied
        assert [(s.start, s.end, s.label) for s in ben.session.annotations.spans] == [
            (*span_of("Olaf Scholz"), "PERSON")
        ]
        assert ben.session.annotations.version == repo.get_set(set_id).version
        assert ben.session.pending_edits == []  # no retry loop
        close_message(ben)
        # Reloaded, ben reviews: relabels ann's span and adds the one that was refused.
        assert ben.session.label_range(*span_of("Olaf Scholz"), "ORG")
        assert ben.session.label_range(*span_of("Emmanuel Macron"), "PERSON")
        # ann, still on the version before ben's edits, undoes her label: refused, or it
        # would delete ben's correction.
        ann.activateWindow()
        qtbot.waitUntil(ann.isActiveWindow)
        ann.article.setFocus()
        with qtbot.waitSignal(ann.session.conflicted) as said:
            QTest.keyClick(ann.article, Qt.Key.Key_Z, CTRL)
        assert said.args[0].startswith(f"ben changed this document at {newest_time(repo, set_id)}")
        assert "your undo of “Label PERSON” was not applied" in said.args[0]
        both = [("Emmanuel Macron", "PERSON"), ("Olaf Scholz", "ORG")]
        assert stored(repo, set_id) == both
        shown = sorted((TEXT[s.start : s.end], s.label) for s in ann.session.annotations.spans)
        assert shown == both and ann.session.annotations.version == repo.get_set(set_id).version
        qtbot.waitUntil(lambda: ann.session.undo_group.activeStack().count() == 0)
        close_message(ann)
        # ann goes on from ben's version; every edit that was acknowledged is there.
        assert ann.session.label_range(*span_of("Berlin"), "GPE")
        assert stored(repo, set_id) == sorted([*both, ("Berlin", "GPE")])
        log = repo.edit_log(set_id)
        assert [(e.who, e.op) for e in log] == [
            ("ann", "add_span"),
            ("ben", "update_span"),
            ("ben", "add_span"),
            ("ann", "add_span"),
        ]
        assert repo.get_set(set_id).version == len(log)
        ann.close()
        ben.close()
    finally:
        first.close()
        second.close()
