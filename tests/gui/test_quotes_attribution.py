"""The issue's quote script: mark, attribute by digit, by Ctrl+click and same-as-previous;
cue, kind, next unattributed; entities reach the export; accept, move on, reopen."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import open_window, save_shot
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from newsmark.domain.document import DocumentInput
from newsmark.domain.status import Status
from newsmark.formats.newsmark_jsonl import export_record
from newsmark.nlp.tokens import tokenize_many

TEXT = (
    "Olaf Scholz met Emmanuel Macron in Paris.\n"
    "“We stand together,” Scholz said.\n"
    "“Europe will not wait,” he added.\n"
    "Macron said the talks were useful.\n"
)
OTHER = "Olaf Scholz spoke in Berlin on Monday.\n"
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def quotes_window(qtbot, tmp_path: Path):
    from newsmark.services.workspace import open_workspace

    ws = open_workspace(tmp_path / "data", take_lock=True)
    items = [
        (DocumentInput(text, {"title": title}), tokens)
        for text, title, tokens in zip(
            [TEXT, OTHER], ["Paris", "Berlin"], tokenize_many([TEXT, OTHER]), strict=True
        )
    ]
    [(doc_id, _), _] = ws.repo.add_documents(items, "import:test")
    win = open_window(qtbot, ws, tmp_path / "data")
    win.documents.select(doc_id)
    yield win, ws, doc_id
    win.close()
    ws.close()


def point_at(view, offset: int) -> QPoint:
    return view.cursorRect(view.cursor_for(offset, offset)).center()


def select(view, start: int, end: int) -> None:
    view.setTextCursor(view.cursor_for(start, end))


def label(view, name: str, nth: int = 0, key=Qt.Key.Key_P) -> None:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(name, start + 1)
    select(view, start, start + len(name))
    QTest.keyClick(view, key)


def stored_quotes(ws, doc_id):
    return sorted(ws.repo.annotation_set(doc_id, ws.annotator).quotes, key=lambda q: q.start)


def test_attribute_by_digit_click_and_same_as_previous_then_reopen(qtbot, quotes_window, tmp_path):
    win, ws, doc_id = quotes_window
    view = win.article
    label(view, "Olaf Scholz")
    label(view, "Emmanuel Macron")
    label(view, "Macron", nth=1)

    # 1. mark a direct quote, attribute it with a digit (speaker 1: Olaf Scholz)
    select(view, TEXT.index("“We"), TEXT.index(" Scholz said"))
    QTest.keyClick(view, Qt.Key.Key_Q)
    QTest.keyClick(view, Qt.Key.Key_1)
    # 2. the next one: same speaker as the previous quote
    select(view, TEXT.index("“Europe"), TEXT.index(" he added"))
    QTest.keyClick(view, Qt.Key.Key_Q)
    QTest.keyClick(view, Qt.Key.Key_Equal)
    # 3. an indirect quote, found with "next unattributed", attributed by Ctrl+click
    reported = TEXT.index("the talks")
    select(view, reported, TEXT.index(".", reported))
    QTest.keyClick(view, Qt.Key.Key_Q)
    proposed = view.selected_quote  # Q proposed the speaker span "Macron", unlinked
    assert proposed is not None and proposed.speaker is not None
    assert (TEXT[slice(*proposed.speaker)], proposed.speaker_label) == ("Macron", "PERSON")
    QTest.keyClick(view, Qt.Key.Key_S, CTRL | SHIFT)  # Q proposed Macron: cleared here
    view.select_quote(None)
    QTest.keyClick(view, Qt.Key.Key_N, SHIFT)
    assert view.selected_quote is not None and view.selected_quote.start == reported
    assert view.selected_quote.kind.value == "indirect"  # guessed: no quotation marks
    macron = TEXT.index("Macron said")
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, CTRL, point_at(view, macron + 2))
    # its cue (C on the selected text) and a kind change (Shift+K cycles)
    said = TEXT.index("said the talks")
    select(view, said, said + 4)
    QTest.keyClick(view, Qt.Key.Key_C)
    QTest.keyClick(view, Qt.Key.Key_K, SHIFT)

    quotes = stored_quotes(ws, doc_id)
    assert [q.entity for q in quotes] == ["Olaf Scholz", "Olaf Scholz", "Emmanuel Macron"]
    assert [q.kind.value for q in quotes] == ["direct", "direct", "mixed"]
    assert TEXT[slice(*quotes[2].speaker)] == "Macron"
    assert TEXT[slice(*quotes[2].cue)] == "said"
    ids = {q.entity_id for q in quotes}
    assert None not in ids and len(ids) == 2  # two corpus entities
    model = win.quotes.model
    rows = [[model.data(model.index(r, c)) for c in range(4)] for r in range(model.rowCount())]
    assert rows[2][1:] == ["Emmanuel Macron", "mixed", "said"]
    QTest.keyClick(view, Qt.Key.Key_N, SHIFT)  # nothing left: a hint, no change
    assert "Every quote has a speaker" in win.statusBar().currentMessage()
    save_shot(win, tmp_path / "shots" / "quotes-attributed.png")

    # the export carries the entities
    aset = ws.repo.annotation_set(doc_id, ws.annotator)
    entities = {e.id: e for e in ws.repo.entities()}
    record = export_record(ws.repo.get_document(doc_id), aset, entities)
    assert [q["entity"] for q in record["quotes"]] == [q.entity for q in quotes]
    assert all(q["entity_id"] in entities for q in record["quotes"])
    assert {e["name"] for e in record["entities"]} == {"Olaf Scholz", "Emmanuel Macron"}
    linked = [s for s in record["spans"] if s.get("entity_id") is not None]
    assert {TEXT[s["start"] : s["end"]] for s in linked} >= {"Olaf Scholz", "Macron"}

    # accept and move to the next document
    QTest.keyClick(view, Qt.Key.Key_A)
    assert ws.repo.annotation_set(doc_id, ws.annotator).status is Status.ACCEPTED
    assert win.article.current_document.text == OTHER
    win.close()

    # a fresh window on the same database finds every edit, and can undo the last one
    again = open_window(qtbot, ws, tmp_path / "data")
    again.documents.select(doc_id)
    reopened = stored_quotes(ws, doc_id)
    assert [(q.entity, q.kind, q.cue) for q in reopened] == [
        (q.entity, q.kind, q.cue) for q in quotes
    ]
    assert again.quotes.model.rowCount() == 3
    aset = ws.repo.annotation_set(doc_id, ws.annotator)
    assert sorted(TEXT[sp.start : sp.end] for sp in aset.spans) == [
        "Emmanuel Macron",
        "Macron",
        "Olaf Scholz",
    ]
    assert [(sp.start, sp.end) for sp in again.article.spans] == sorted(
        (sp.start, sp.end) for sp in aset.spans
    )
    stack = again.history.stack()
    assert stack.count() >= 10  # the history came back from the log...
    assert again.history.model().rowCount() == stack.count() + 1  # ...listed under "Opened"
    assert stack.text(stack.count() - 1) == "Status accepted"
    again.activateWindow()
    qtbot.waitUntil(again.isActiveWindow)
    again.article.setFocus()
    QTest.keyClick(again.article, Qt.Key.Key_Z, CTRL)  # undo the accept
    assert ws.repo.annotation_set(doc_id, ws.annotator).status is Status.IN_PROGRESS
    QTest.keyClick(again.article, Qt.Key.Key_Z, CTRL)  # undo the kind change
    assert stored_quotes(ws, doc_id)[2].kind.value == "indirect"
    save_shot(again, tmp_path / "shots" / "reopened-history.png")
    again.close()


def test_ctrl_click_without_a_quote_hints_and_changes_nothing(qtbot, quotes_window):
    win, ws, doc_id = quotes_window
    view = win.article
    label(view, "Olaf Scholz")
    view.select_quote(None)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, CTRL, point_at(view, 3))
    assert "Select a quote first" in win.statusBar().currentMessage()
    assert stored_quotes(ws, doc_id) == []


def test_roster_groups_mentions_of_one_entity_and_keeps_others_apart():
    from newsmark.domain.spans import Span
    from newsmark.ui.speaker_roster import build_roster

    text = "Olaf Scholz met John Scholz. Scholz said so, and Scholz agreed.\n"
    olaf, john = (0, 11), (16, 27)
    spans = [
        Span(*olaf, "PERSON", entity_id=1),
        Span(*john, "PERSON", entity_id=2),  # same last word, another entity
        Span(29, 35, "PERSON", entity_id=2),
        Span(49, 55, "PERSON"),  # unlinked: joins the first "… Scholz"
    ]
    roster = build_roster(text, spans)
    assert [(sp.name, sp.mention.entity_id) for sp in roster] == [
        ("Olaf Scholz", 1),
        ("John Scholz", 2),
    ]


def test_cheat_sheet_lists_the_quote_keys_and_ctrl_click(qtbot, quotes_window):
    from newsmark.ui.dialogs.shortcuts_dialog import ShortcutsDialog, shortcut_text

    win, _, _ = quotes_window
    dialog = ShortcutsDialog(win.window_actions.all(), win)
    qtbot.addWidget(dialog)
    rows = {
        dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text()
        for r in range(dialog.table.rowCount())
    }
    assert rows["Mark cue"] == "C"
    assert rows["Change quote kind"] == "Shift+K"
    assert rows["Next unattributed quote"] == "Shift+N"
    assert rows["Apply to all mentions…"] == "Ctrl+Shift+L"
    assert "Speaker: Ctrl+click a name" in rows
    assert shortcut_text(win.window_actions["speaker_1"]) == "1"
