"""Team mode end to end on a PostgreSQL server: two annotators' windows annotate and
accept one document, a reviewer's window adjudicates it by key into the gold set, and a
second reviewer's stale review window gets the conflict and reloads, losing nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import server_window, server_workspace
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from newsmark.domain.document import DocumentInput
from newsmark.domain.review import GOLD_ANNOTATOR
from newsmark.domain.spans import Span
from newsmark.domain.status import Status
from newsmark.nlp.tokens import tokenize_many
from newsmark.ui.review_dialog import ReviewDialog
from newsmark.workers.task_runner import TaskRunner

pytestmark = pytest.mark.postgres

TEXT = "Olaf Scholz met Emmanuel Macron in Berlin. The chancellor said talks went well."
CTRL = Qt.KeyboardModifier.ControlModifier
SCHOLZ, MACRON, BERLIN = (0, 11), (16, 31), (35, 41)


def press(qtbot, dialog: ReviewDialog, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    """A real key event to the review window; waits for the decision it starts."""
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    QTest.keyClick(dialog.focusWidget() or dialog, key)
    if dialog.busy:
        with qtbot.waitSignal(dialog.review_shown, timeout=10_000):
            pass


def test_annotators_then_reviewers_on_one_server(qtbot, pg_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    spaces = {n: server_workspace(tmp_path / n, pg_url) for n in ("a", "b", "r")}
    try:
        [tokens] = tokenize_many([TEXT])
        spaces["a"].repo.add_documents(
            [(DocumentInput(TEXT, {"title": "Scholz"}), tokens)], "import"
        )
        # ann1 and ann2 annotate in their own windows and accept.
        for key, name, spans in (
            ("a", "ann1", [Span(*SCHOLZ, "PERSON"), Span(*MACRON, "PERSON")]),
            ("b", "ann2", [Span(*SCHOLZ, "PERSON"), Span(*MACRON, "ORG"), Span(*BERLIN, "GPE")]),
        ):
            win = server_window(qtbot, spaces[key], name, tmp_path / key)
            for span in spans:
                assert win.session.label_range(span.start, span.end, span.label)
            assert win.session.set_status(Status.ACCEPTED)
            win.close()
        # The reviewer's window opens the document too (an empty set of hers: no
        # alternative), then F7.
        reviewer = server_window(qtbot, spaces["r"], "rita", tmp_path / "r")
        reviewer.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is reviewer, timeout=5000)
        QTest.keyClick(reviewer, Qt.Key.Key_F7)
        dialog = reviewer.review.dialog
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.review is not None and not dialog.busy, timeout=10_000)
        assert dialog.review.annotators == ("ann1", "ann2")
        # A second reviewer's review window, loaded now: it goes stale below.
        other = ReviewDialog(spaces["a"].repo, TaskRunner(), "dave")
        qtbot.addWidget(other)
        other.show()
        with qtbot.waitSignal(other.review_shown, timeout=10_000):
            other.load(dialog.review.document.id)

        press(qtbot, dialog, Qt.Key.Key_F8)  # Macron: PERSON or ORG
        assert TEXT[dialog.current_item().start : dialog.current_item().end] == "Emmanuel Macron"
        press(qtbot, dialog, Qt.Key.Key_1)
        press(qtbot, dialog, Qt.Key.Key_K)  # Scholz, agreed
        press(qtbot, dialog, Qt.Key.Key_1)
        with qtbot.waitSignal(dialog.review_shown, timeout=10_000):
            QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return, CTRL)
        doc_id = dialog.review.document.id
        gold = spaces["r"].repo.annotation_set(doc_id, GOLD_ANNOTATOR, create=False)
        assert gold is not None and gold.status is Status.ACCEPTED
        assert sorted(s.key for s in gold.spans) == [(*SCHOLZ, "PERSON"), (*MACRON, "PERSON")]
        assert spaces["r"].repo.reviewed(gold.id)[0] == "rita"

        # dave's window still shows no gold: his take of ann2's whole set is refused,
        # then his window reloads and shows rita's gold; nothing of hers was lost.
        other.current = 0
        other.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is other, timeout=5000)
        with qtbot.waitSignal(other.review_failed, timeout=10_000) as failed:
            QTest.keyClick(other.focusWidget() or other, Qt.Key.Key_2, CTRL)
        assert "changed elsewhere" in failed.args[0]
        qtbot.waitUntil(lambda: other.review.gold is not None and not other.busy, timeout=10_000)
        assert other.review.reviewed_by == "rita"
        again = spaces["r"].repo.annotation_set(gold.document_id, GOLD_ANNOTATOR, create=False)
        assert again is not None and again.version == gold.version
        other.close()
        dialog.close()
        reviewer.close()
    finally:
        for ws in spaces.values():
            ws.close()
