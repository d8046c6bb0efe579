"""Team mode in the window: with assignments the list shows the annotator's queue by
default, "All documents" shows everyone's, accepting moves on within the queue; without
assignments nothing changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from gui_support import open_window, save_shot
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from newsmark.domain.document import DocumentInput
from newsmark.nlp.tokens import tokenize_many
from newsmark.services.assignment import assign
from newsmark.services.workspace import open_workspace

SHOTS = Path(os.environ.get("NEWSMARK_SHOTS", "/tmp/shots"))
N_DOCS = 12


@pytest.fixture
def team(tmp_path: Path):
    ws = open_workspace(tmp_path / "data", take_lock=True)
    texts = [
        f"Report {n} from Berlin.\n\nAngela Merkel met the council on Monday, it said.\n"
        for n in range(N_DOCS)
    ]
    items = [
        (DocumentInput(text, {"title": f"Report {n}"}), tokens)
        for n, (text, tokens) in enumerate(zip(texts, tokenize_many(texts), strict=True))
    ]
    ids = [doc_id for doc_id, _ in ws.repo.add_documents(items, "import:test")]
    yield ws, ids, tmp_path / "data"
    ws.close()


def listed(win) -> list[int]:
    model = win.documents.model
    while model.canFetchMore():
        model.fetchMore()
    return [model.doc_id_at(r) for r in range(model.rowCount())]


def test_the_list_shows_my_queue_and_all_documents_on_request(qtbot, team) -> None:
    ws, ids, data_dir = team
    me = ws.annotator
    assign(ws.repo, f"{me},other", overlap=0.25, seed=3, by="coord")
    mine = sorted(d for d, who in ws.repo.assignments().items() if me in who)
    # 12 documents, 3 shared: 15 slots, 7 or 8 for me; some documents are not mine.
    assert len(mine) in (7, 8) and set(ids) - set(mine)
    win = open_window(qtbot, ws, data_dir)
    panel = win.documents
    assert panel.queue_filter.isVisible() and panel.queue_filter.currentText() == "My queue"
    assert listed(win) == mine
    assert panel.current_id == mine[0] and win.session.document.id == mine[0]
    assert panel.status_filter.itemText(0) == f"All statuses · {len(mine)}"
    assert panel.progress_label.text() == f"0/{len(mine)} accepted"
    save_shot(win, SHOTS / "assign15-my-queue.png")

    # Accept (its shortcut, A): the next unfinished document is the next one in my queue.
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    win.article.setFocus()
    qtbot.keyClick(win.article, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: win.session.document.id == mine[1])
    assert panel.progress_label.text() == f"1/{len(mine)} accepted"

    # The toggle: all documents (a key on the combo, as a user would choose it).
    panel.queue_filter.setFocus()
    qtbot.keyClick(panel.queue_filter, Qt.Key.Key_Down)
    assert panel.queue_filter.currentText() == "All documents"
    qtbot.waitUntil(lambda: listed(win) == ids)
    assert panel.status_filter.itemText(0) == f"All statuses · {N_DOCS}"
    assert panel.current_id == mine[1]  # the open document stays selected
    save_shot(win, SHOTS / "assign15-all-documents.png")
    qtbot.keyClick(panel.queue_filter, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: listed(win) == mine)

    # Another annotator (Preferences): their queue.
    win.session.switch_annotator("other")
    theirs = sorted(d for d, who in ws.repo.assignments().items() if "other" in who)
    qtbot.waitUntil(lambda: listed(win) == theirs)
    win.close()


def test_without_assignments_nothing_changes(qtbot, team) -> None:
    ws, ids, data_dir = team
    win = open_window(qtbot, ws, data_dir)
    assert not win.documents.queue_filter.isVisible()
    assert not win.documents.queue_filter.isVisibleTo(win)
    assert listed(win) == ids
    assert win.documents.status_filter.itemText(0) == f"All statuses · {N_DOCS}"
    save_shot(win, SHOTS / "assign15-no-assignments.png")
    win.close()
