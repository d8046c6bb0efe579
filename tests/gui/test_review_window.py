"""View › Review (F7): two annotators' sets of a document as a diff, adjudicated into the
gold set with real key events; the window's work runs in workers; screenshots."""

from __future__ import annotations

from pathlib import Path

from gui_support import open_window, save_shot
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from newsmark.domain.document import DocumentInput
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.review import GOLD_ANNOTATOR, Verdict
from newsmark.domain.spans import Span
from newsmark.nlp.tokens import tokenize
from newsmark.services.workspace import Workspace
from newsmark.ui.review_dialog import ReviewDialog

TEXT = (
    "Prime Minister Benjamin Netanyahu met Vladimir Putin in Moscow 🇷🇺 on Monday. "
    '"We agreed on nothing," Netanyahu said afterwards, according to Haaretz. '
    "The Kremlin said the talks were useful."
)
SHOTS = Path("/tmp/shots")


def at(word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return start, start + len(word)


def add_document(ws: Workspace) -> int:
    [(doc_id, _)] = ws.repo.add_documents(
        [(DocumentInput(text=TEXT, meta={"title": "Netanyahu in Moscow"}), tokenize(TEXT))],
        "import",
    )
    content = (TEXT.index('"We'), TEXT.index('nothing,"') + 9)
    kremlin = (TEXT.index("the talks"), TEXT.index("useful") + 6)
    sets = {
        "ann": (
            [
                Span(*at("Benjamin Netanyahu"), "PERSON"),
                Span(*at("Vladimir Putin"), "PERSON"),
                Span(*at("Moscow"), "GPE"),
                Span(*at("Haaretz"), "ORG"),
            ],
            [
                Quote((content,), QuoteKind.DIRECT, speaker=at("Netanyahu", 1), cue=at("said")),
                Quote((kremlin,), QuoteKind.INDIRECT, speaker=at("The Kremlin")),
            ],
        ),
        "bob": (
            [
                Span(*at("Benjamin Netanyahu"), "PERSON"),
                Span(*at("Putin"), "PERSON"),
                Span(*at("Moscow"), "GPE"),
                Span(*at("Kremlin"), "ORG"),
            ],
            [Quote((content,), QuoteKind.DIRECT, speaker=at("Haaretz"), cue=at("said"))],
        ),
    }
    for name, (spans, quotes) in sets.items():
        aset = ws.repo.annotation_set(doc_id, name)
        assert aset is not None and aset.id is not None
        for span in spans:
            ws.repo.add_span(aset.id, span, name)
        for quote in quotes:
            ws.repo.add_quote(aset.id, quote, name)
        ws.repo.set_status(aset.id, "accepted", name)
    return doc_id


def key(qtbot, dialog: ReviewDialog, k: Qt.Key, mods=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    """A real key event to the review window's focused widget; waits for the worker when
    the key starts one."""
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    target = dialog.focusWidget() or dialog
    QTest.keyClick(target, k, mods)
    if dialog.busy:
        with qtbot.waitSignal(dialog.review_shown, timeout=10_000):
            pass


def test_review_window_adjudicates_by_key(qtbot, workspace: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc_id = add_document(workspace)
    win = open_window(qtbot, workspace, tmp_path)
    assert (
        win.window_actions["review"]
        in next(m for m in win.menuBar().actions() if m.text() == "&View").menu().actions()
    )
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)
    with qtbot.waitSignal(win.tasks.task_started, timeout=5000):
        QTest.keyClick(win, Qt.Key.Key_F7)
    [dialog] = win.findChildren(ReviewDialog)
    qtbot.waitUntil(lambda: dialog.review is not None and not dialog.busy, timeout=10_000)
    review = dialog.review
    assert review is not None and review.document.id == doc_id
    assert review.annotators == ("ann", "bob")
    assert dialog.table.rowCount() == len(review.diff.items) == 7
    assert "2 agree · 2 disagree · 3 in one set only · 0 of 7 in gold" in dialog.summary.text()
    dialog.table.setFocus()
    qtbot.wait(50)  # the layout settles before the grab
    save_shot(dialog, SHOTS / "review15-diff.png")

    # F8: the first open disagreement (Putin's boundaries); 2 takes bob's version of it.
    key(qtbot, dialog, Qt.Key.Key_F8)
    item = dialog.current_item()
    assert item is not None and item.verdict is Verdict.DISAGREE
    assert TEXT[item.start : item.end] == "Vladimir Putin"
    key(qtbot, dialog, Qt.Key.Key_2)
    gold = workspace.repo.annotation_set(doc_id, GOLD_ANNOTATOR, create=False)
    assert gold is not None and [TEXT[s.start : s.end] for s in gold.spans] == ["Putin"]
    assert dialog.review.diff.items[dialog.current].gold_from == ("bob",)
    # F8 again skips the decided item: the quote, where they name different speakers.
    key(qtbot, dialog, Qt.Key.Key_F8)
    item = dialog.current_item()
    assert item is not None and (item.kind, item.differs) == ("quote", ("speaker",))
    key(qtbot, dialog, Qt.Key.Key_1)
    gold = workspace.repo.annotation_set(doc_id, GOLD_ANNOTATOR, create=False)
    assert gold is not None and [q.speaker for q in gold.quotes] == [at("Netanyahu", 1)]
    # K goes back to Putin; 0 leaves gold without it.
    key(qtbot, dialog, Qt.Key.Key_K)
    key(qtbot, dialog, Qt.Key.Key_K)
    assert TEXT[dialog.current_item().start : dialog.current_item().end] == "Vladimir Putin"
    key(qtbot, dialog, Qt.Key.Key_0)
    gold = workspace.repo.annotation_set(doc_id, GOLD_ANNOTATOR, create=False)
    assert gold is not None and gold.spans == []
    save_shot(dialog, SHOTS / "review15-picked.png")

    # Ctrl+1 takes ann's whole set; Ctrl+Return marks it reviewed by the window's user.
    key(qtbot, dialog, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    gold = workspace.repo.annotation_set(doc_id, GOLD_ANNOTATOR, create=False)
    ann = workspace.repo.annotation_set(doc_id, "ann", create=False)
    assert gold is not None and ann is not None
    assert sorted(s.key for s in gold.spans) == sorted(s.key for s in ann.spans)
    assert gold.status.value == "accepted"
    assert workspace.repo.reviewed(gold.id)[0] == workspace.annotator
    assert f"gold: reviewed by {workspace.annotator}" in dialog.summary.text()
    # A key for an annotator the document does not have says so and writes nothing.
    version = gold.version
    key(qtbot, dialog, Qt.Key.Key_5)
    assert "no annotator 5" in dialog.message.text()
    assert workspace.repo.get_set(gold.id).version == version
    save_shot(dialog, SHOTS / "review15-reviewed.png")
    dialog.close()
