"""View › Agreement…: the figures of `newsmark agreement` in a dialog, computed in a
worker, by label or annotator pair; a bad selection shows its one-line message."""

from __future__ import annotations

import time
from pathlib import Path

from gui_support import open_window, save_shot
from PySide6.QtCore import Qt

from newsmark.domain.document import DocumentInput, Token, complete_tokens
from newsmark.domain.spans import Span
from newsmark.services.workspace import Workspace
from newsmark.ui.dialogs.agreement_dialog import AgreementDialog

TEXT = "Anna Berg met Carl Dahl in Oslo today ."
SHOTS = Path("/tmp/shots")


def add_two_annotators(ws: Workspace) -> None:
    """ann: Anna Berg, Carl Dahl (PERSON), Oslo (GPE); bob: Anna Berg, Oslo (ORG)."""
    tokens = complete_tokens(TEXT, [Token(i, i + len(w), False) for i, w in _words(TEXT)])
    [(doc_id, _)] = ws.repo.add_documents([(DocumentInput(text=TEXT), tokens)], "import")
    for name, spans in (
        ("ann", [Span(0, 9, "PERSON"), Span(14, 23, "PERSON"), Span(27, 31, "GPE")]),
        ("bob", [Span(0, 9, "PERSON"), Span(27, 31, "ORG")]),
    ):
        aset = ws.repo.annotation_set(doc_id, name)
        assert aset is not None and aset.id is not None
        for span in spans:
            ws.repo.add_span(aset.id, span, name)
        ws.repo.set_status(aset.id, "accepted", name)


def _words(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for word in text.split(" "):
        out.append((pos, word))
        pos += len(word) + 1
    return out


def cells(dialog: AgreementDialog) -> dict[str, list[str]]:
    """Each row of the table by its first cell."""
    table = dialog.table
    return {
        table.item(r, 0).text(): [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    }


def test_agreement_dialog_shows_the_figures(qtbot, workspace: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_two_annotators(workspace)
    win = open_window(qtbot, workspace, tmp_path)
    view = next(m for m in win.menuBar().actions() if m.text() == "&View").menu()
    action = win.window_actions["agreement"]
    assert action in view.actions()
    started = time.monotonic()
    with qtbot.waitSignal(win.tasks.task_started, timeout=5000):
        action.trigger()
    assert time.monotonic() - started < 1.0  # the figures come from the pool
    dialog = win.agreement.dialog
    assert dialog is not None and dialog.isVisible()
    with qtbot.waitSignal(dialog.report_shown, timeout=20_000):
        pass
    rows = cells(dialog)
    # By label. PERSON: ann 2, bob 1, one exact match: F1 = 2·1/3; GPE and ORG: none.
    assert set(rows) == {"GPE", "ORG", "PERSON"}
    headings = [
        dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())
    ]
    person = dict(zip(headings, rows["PERSON"], strict=True))
    assert (person["spans"], person["F1 exact"], person["F1 overlap"]) == ("3", "0.667", "0.667")
    assert dict(zip(headings, rows["GPE"], strict=True))["F1 exact"] == "0.000"
    assert "ann, bob: 1 document compared" in dialog.summary.text()
    # The overall figures: one exact match of 2 + 1 + 1 + 1 spans → F1 = 2/5.
    assert dialog.figures["span_f1_exact"].text() == "0.400"
    save_shot(dialog, SHOTS / "agree15-by-label.png")

    with qtbot.waitSignal(dialog.report_shown, timeout=20_000):
        dialog.by_box.setCurrentText("annotator-pair")
    assert list(cells(dialog)) == ["ann/bob"]
    save_shot(dialog, SHOTS / "agree15-by-pair.png")

    dialog.annotators.setText("ann")
    with qtbot.waitSignal(win.tasks.task_ended, timeout=20_000):
        qtbot.keyClick(dialog.annotators, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.refresh_button.isEnabled(), timeout=5000)
    assert dialog.summary.text() == ("agreement needs two or more annotators; 1 named (ann)")
    assert dialog.table.rowCount() == 0 and dialog.report is None
    assert {v.text() for v in dialog.figures.values()} == {"-"}
    save_shot(dialog, SHOTS / "agree15-one-annotator.png")
