"""File › Open Recent (kept in the settings) and Document › Re-run model (human edits kept)."""

from __future__ import annotations

from pathlib import Path

from gui_support import MODEL_TIMEOUT_MS

from newsmark.domain.document import DocumentInput
from newsmark.domain.spans import Origin
from newsmark.nlp.tokens import tokenize_many
from newsmark.services.settings import Settings
from newsmark.services.workspace import open_workspace
from newsmark.ui.main_window import MainWindow

TEXTS = {
    "Call": "Today Vladimir Putin called Benjamin Netanyahu about Gaza.\n",
    "Scholz": "Olaf Scholz spoke in Berlin on Monday.\n",
    "Merkel": "Angela Merkel visited Paris.\n",
}


def make_window(qtbot, ws, data: Path) -> MainWindow:
    win = MainWindow(ws.repo, "ann1", settings_path=data / "window.ini", settings=ws.settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.load()
    return win


def test_recent_documents_are_listed_newest_first_and_kept(qtbot, tmp_path):
    data = tmp_path / "data"
    ws = open_workspace(data, take_lock=True)
    ws.settings.set("annotator", "ann1")
    texts = list(TEXTS.values())
    ws.repo.add_documents(
        [
            (DocumentInput(text, {"title": title, "source": f"/news/{title}.txt"}), tokens)
            for (title, text), tokens in zip(TEXTS.items(), tokenize_many(texts), strict=True)
        ],
        "import:test",
    )
    win = make_window(qtbot, ws, data)  # opens the first document
    win.navigator.step(+1)
    win.navigator.step(+1)
    menu = win.recent.menu
    titles = [a.text() for a in menu.actions() if a.text() and not a.isSeparator()]
    assert titles[:3] == ["&1 Merkel", "&2 Scholz", "&3 Call"]
    assert menu.actions()[0].statusTip() == "/news/Merkel.txt"
    assert [r["title"] for r in Settings(data / "newsmark.ini").recent] == [
        "Merkel",
        "Scholz",
        "Call",
    ]
    file_menu = win.menuBar().actions()[0].menu()
    assert menu in [a.menu() for a in file_menu.actions()]

    with qtbot.waitSignal(win.session.document_opened):
        menu.actions()[2].trigger()  # "Call"
    assert win.article.current_document.title == "Call"
    win.close()

    again = make_window(qtbot, ws, data)
    first = again.recent.menu.actions()[0]
    assert first.text() == "&1 Call"  # reopened last, and the list survived the restart
    again.recent.clear()
    assert not again.recent.menu.isEnabled()
    again.close()
    ws.close()


def test_rerun_model_replaces_model_spans_and_keeps_human_edits(qtbot, window, worker):
    with qtbot.waitSignal(window.session.annotations_changed, timeout=MODEL_TIMEOUT_MS):
        window.load()
        worker.start()
    s, prefs = window.session, window.preferences
    model_spans = list(s.annotations.spans)
    assert model_spans and all(sp.origin is Origin.MODEL for sp in model_spans)

    # Nobody edited yet: the model's spans are simply replaced.
    with qtbot.waitSignal(s.rerun_done, timeout=MODEL_TIMEOUT_MS) as done:
        window.window_actions["rerun_model"].trigger()
    assert done.args[0] == len(model_spans)
    assert len(s.annotations.spans) == len(model_spans)

    # A human deletes one model span: a re-run asks; "skip" leaves everything alone.
    gone = s.annotations.spans[0]
    assert s.delete_span(gone)
    before = sorted((sp.start, sp.end, sp.label) for sp in s.annotations.spans)
    prefs.ask_add_new_only = lambda: False
    with qtbot.waitSignal(s.rerun_done, timeout=MODEL_TIMEOUT_MS) as done:
        prefs.rerun_model()
    assert done.args[0] == -1
    assert sorted((sp.start, sp.end, sp.label) for sp in s.annotations.spans) == before

    # "Add new model spans only": the deleted one comes back, nothing else changes.
    prefs.ask_add_new_only = lambda: True
    with qtbot.waitSignal(s.rerun_done, timeout=MODEL_TIMEOUT_MS) as done:
        prefs.rerun_model()
    assert done.args[0] == 1
    after = sorted((sp.start, sp.end, sp.label) for sp in s.annotations.spans)
    assert after == sorted([*before, (gone.start, gone.end, gone.label)])
