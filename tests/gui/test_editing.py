"""Editing with mouse and keyboard: snap, label, relabel, delete, undo/redo per document."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import open_window, save_shot
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from newsmark.domain.document import DocumentInput
from newsmark.domain.spans import Origin
from newsmark.domain.status import Status
from newsmark.nlp.tokens import tokenize_many

TEXT = "Today Vladimir Putin called Benjamin Netanyahu about the hostages in Gaza.\n"
OTHER = "Olaf Scholz spoke in Berlin on Monday.\n"


@pytest.fixture
def editor(qtbot, tmp_path: Path):
    from newsmark.services.workspace import open_workspace

    ws = open_workspace(tmp_path / "data", take_lock=True)
    items = [
        (DocumentInput(text, {"title": title}), tokens)
        for text, title, tokens in zip(
            [TEXT, OTHER], ["Call", "Scholz"], tokenize_many([TEXT, OTHER]), strict=True
        )
    ]
    ws.repo.add_documents(items, "import:test")
    win = open_window(qtbot, ws, tmp_path / "data")
    yield win, ws
    win.close()
    ws.close()


def point_at(view, offset: int) -> QPoint:
    cursor = view.cursor_for(offset, offset)
    return view.cursorRect(cursor).center()


def drag(view, start: int, end: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    a, b = point_at(view, start), point_at(view, end)
    vp = view.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, modifier, a)
    # QTest.mouseMove spins in offscreen tests; a synthetic move with the button held is
    # what a drag delivers to the viewport.
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(b),
        QPointF(vp.mapToGlobal(b)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.LeftButton,
        modifier,
    )
    QApplication.sendEvent(vp, move)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, modifier, b)


def spans(ws, win) -> list[tuple[str, str, Origin]]:
    aset = ws.repo.annotation_set(win.article.current_document.id, ws.annotator)
    return sorted((TEXT[s.start : s.end], s.label, s.origin) for s in aset.spans)


def test_drag_snaps_to_tokens_and_alt_drag_keeps_characters(qtbot, editor):
    win, _ = editor
    view = win.article
    drag(view, TEXT.index("ladimir"), TEXT.index("Putin") + 2)
    assert view.snapped_selection() == (TEXT.index("Vladimir"), TEXT.index(" called"))
    assert view.textCursor().selectedText() == "Vladimir Putin"
    drag(view, TEXT.index("ladimir"), TEXT.index("Putin") + 2, Qt.KeyboardModifier.AltModifier)
    assert view.snapped_selection() == (TEXT.index("ladimir"), TEXT.index("Putin") + 2)


def test_label_relabel_delete_and_undo_through_the_repository(qtbot, editor, tmp_path):
    win, ws = editor
    view = win.article
    drag(view, TEXT.index("Vladimir") + 1, TEXT.index("Putin") + 1)
    QTest.keyClick(view, Qt.Key.Key_P)
    assert spans(ws, win) == [("Vladimir Putin", "PERSON", Origin.HUMAN)]
    assert view.selected_span is not None
    assert win.status.saved_label.text().startswith("Saved")
    aset = ws.repo.annotation_set(view.current_document.id, ws.annotator)
    assert aset.status is Status.IN_PROGRESS
    save_shot(win, tmp_path / "shots" / "labelled.png")

    QTest.keyClick(view, Qt.Key.Key_O)  # relabel the selected span
    assert spans(ws, win) == [("Vladimir Putin", "ORG", Origin.HUMAN)]
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert spans(ws, win) == []

    QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert spans(ws, win) == [("Vladimir Putin", "ORG", Origin.HUMAN)]
    QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert spans(ws, win) == [("Vladimir Putin", "PERSON", Origin.HUMAN)]
    QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert spans(ws, win) == []
    assert [s.label for s in view.spans] == []
    mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(view, Qt.Key.Key_Z, mods)
    assert spans(ws, win) == [("Vladimir Putin", "PERSON", Origin.HUMAN)]
    assert [s.label for s in view.spans] == ["PERSON"]


def test_each_document_keeps_its_own_undo_history(qtbot, editor):
    win, ws = editor
    view = win.article
    first = view.current_document.id
    view.setTextCursor(view.cursor_for(TEXT.index("Gaza"), TEXT.index("Gaza") + 4))
    win.editor.label_selection("GPE")
    assert win.window_actions["undo"].isEnabled()

    win.navigator.step(+1)
    assert view.current_document.id != first
    assert not win.window_actions["undo"].isEnabled()  # the other document has no history

    win.navigator.step(-1)
    assert view.current_document.id == first
    assert win.window_actions["undo"].isEnabled()
    win.window_actions["undo"].trigger()
    assert spans(ws, win) == []


def test_an_overlapping_label_is_refused_with_a_message(qtbot, editor):
    win, ws = editor
    view = win.article
    start = TEXT.index("Benjamin")
    view.setTextCursor(view.cursor_for(start, start + len("Benjamin Netanyahu")))
    win.editor.label_selection("PERSON")
    view.setTextCursor(view.cursor_for(start + len("Benjamin "), start + len("Benjamin Net")))
    with qtbot.waitSignal(win.session.failed) as failed:
        win.editor.label_selection("ORG")
    assert spans(ws, win) == [("Benjamin Netanyahu", "PERSON", Origin.HUMAN)]
    # The rule itself, as a person reads it: no file location such as "<input>:" before it.
    end = start + len("Benjamin Netanyahu")  # the ORG selection snapped to "Netanyahu"
    message = f"spans {start}..{end} PERSON and {start + 9}..{end} ORG overlap"
    assert message in str(failed.args[0]) and "<input>" not in str(failed.args[0])


def test_keyboard_selection_moves_by_token_and_tab_walks_spans(qtbot, editor):
    win, ws = editor
    view = win.article
    start = TEXT.index("Benjamin")
    view.setTextCursor(view.cursor_for(start, start))
    QTest.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.textCursor().selectedText() == "Benjamin Netanyahu"
    QTest.keyClick(view, Qt.Key.Key_P)
    gaza = TEXT.index("Gaza")
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(view, gaza + 1))
    assert view.textCursor().selectedText() == "Gaza"
    QTest.keyClick(view, Qt.Key.Key_G)
    assert [t for t, *_ in spans(ws, win)] == ["Benjamin Netanyahu", "Gaza"]

    view.select_span(None)
    view.setTextCursor(view.cursor_for(0, 0))
    QTest.keyClick(view, Qt.Key.Key_Tab)
    assert TEXT[view.selected_span.start : view.selected_span.end] == "Benjamin Netanyahu"
    QTest.keyClick(view, Qt.Key.Key_Tab)
    assert TEXT[view.selected_span.start : view.selected_span.end] == "Gaza"
    QTest.keyClick(view, Qt.Key.Key_Tab)  # wraps around
    assert TEXT[view.selected_span.start : view.selected_span.end] == "Benjamin Netanyahu"
    QTest.keyClick(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert TEXT[view.selected_span.start : view.selected_span.end] == "Gaza"
    # Edit › History lists the steps.
    assert win.history.model().rowCount() == 3  # "Opened" + two labels


def test_next_unfinished_skips_decided_documents_and_shortcuts_are_listed(qtbot, editor):
    win, _ = editor
    first = win.article.current_document.id
    win.navigator.decide(Status.SKIPPED)  # decides the first, moves to the second
    assert win.article.current_document.id != first
    win.navigator.next_unfinished()
    assert win.article.current_document.id != first  # only the second is unfinished

    from newsmark.ui.dialogs.shortcuts_dialog import ShortcutsDialog

    dialog = ShortcutsDialog(win.window_actions.all(), win)
    qtbot.addWidget(dialog)
    rows = {
        dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text()
        for r in range(dialog.table.rowCount())
    }
    assert rows["Accept"] == "A"
    assert rows["PERSON"] == "P"
    assert "Ctrl+Z" in rows["Undo"]


def test_keyboard_resizes_the_selected_span_and_undo_restores_it(qtbot, editor):
    win, ws = editor
    view = win.article
    start = TEXT.index("Putin")
    view.setTextCursor(view.cursor_for(start, start + len("Putin")))
    QTest.keyClick(view, Qt.Key.Key_P)
    alt = Qt.KeyboardModifier.AltModifier
    QTest.keyClick(view, Qt.Key.Key_Left, alt | Qt.KeyboardModifier.ShiftModifier)
    assert spans(ws, win) == [("Vladimir Putin", "PERSON", Origin.HUMAN)]
    QTest.keyClick(view, Qt.Key.Key_Right, alt)
    assert spans(ws, win) == [("Vladimir Putin called", "PERSON", Origin.HUMAN)]
    QTest.keyClick(view, Qt.Key.Key_Left, alt)
    assert spans(ws, win) == [("Vladimir Putin", "PERSON", Origin.HUMAN)]
    QTest.keyClick(view, Qt.Key.Key_Right, alt | Qt.KeyboardModifier.ShiftModifier)
    assert spans(ws, win) == [("Putin", "PERSON", Origin.HUMAN)]
    for _ in range(4):
        QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert spans(ws, win) == [("Putin", "PERSON", Origin.HUMAN)]  # back to the first label


QUOTES = (
    "Olaf Scholz met Emmanuel Macron in Paris.\n"
    "“We stand together,” Scholz said.\n"
    "“Europe will not wait,” he added.\n"
    "Macron said the talks were useful.\n"
)


def test_mark_a_quote_attribute_it_by_digit_and_same_as_previous(qtbot, editor, tmp_path):
    win, ws = editor
    (tokens,) = tokenize_many([QUOTES])
    [(doc_id, _)] = ws.repo.add_documents(
        [(DocumentInput(QUOTES, {"title": "Quotes"}), tokens)], "import:test"
    )
    win.load()
    win.documents.select(doc_id)
    view = win.article
    for name in ("Olaf Scholz", "Emmanuel Macron"):
        start = QUOTES.index(name)
        view.setTextCursor(view.cursor_for(start, start + len(name)))
        QTest.keyClick(view, Qt.Key.Key_P)

    first = (QUOTES.index("“We"), QUOTES.index(" Scholz said"))
    view.setTextCursor(view.cursor_for(*first))
    QTest.keyClick(view, Qt.Key.Key_Q)
    aset = ws.repo.annotation_set(doc_id, ws.annotator)
    assert [(q.start, q.end, q.kind.value) for q in aset.quotes] == [(*first, "direct")]
    assert view.selected_quote is not None
    # Q proposed the mention "Scholz" (unlinked: no span); speaker 1 links it to Olaf Scholz
    assert QUOTES[slice(*aset.quotes[0].speaker)] == "Scholz"
    QTest.keyClick(view, Qt.Key.Key_1)  # speaker 1: Olaf Scholz, first mentioned
    quote = ws.repo.annotation_set(doc_id, ws.annotator).quotes[0]
    assert QUOTES[slice(*quote.speaker)] == "Scholz" and quote.entity == "Olaf Scholz"
    assert win.quotes.model.data(win.quotes.model.index(0, 1)) == "Olaf Scholz"

    second = (QUOTES.index("“Europe"), QUOTES.index(" he added"))
    view.setTextCursor(view.cursor_for(*second))
    QTest.keyClick(view, Qt.Key.Key_Q)
    QTest.keyClick(view, Qt.Key.Key_Equal)  # same speaker as the previous quote
    quotes = sorted(ws.repo.annotation_set(doc_id, ws.annotator).quotes, key=lambda q: q.start)
    assert [q.entity for q in quotes] == ["Olaf Scholz", "Olaf Scholz"]
    save_shot(win, tmp_path / "shots" / "quotes-attributed.png")

    QTest.keyClick(view, Qt.Key.Key_2)  # re-attribute to Macron, then undo it
    quotes = sorted(ws.repo.annotation_set(doc_id, ws.annotator).quotes, key=lambda q: q.start)
    assert quotes[1].entity == "Emmanuel Macron"
    QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    quotes = sorted(ws.repo.annotation_set(doc_id, ws.annotator).quotes, key=lambda q: q.start)
    assert quotes[1].entity == "Olaf Scholz"

    QTest.keyClick(view, Qt.Key.Key_Delete)  # no span selected: deletes the quote
    assert len(ws.repo.annotation_set(doc_id, ws.annotator).quotes) == 1
    assert win.quotes.model.rowCount() == 1


def test_roster_lists_speakers_by_first_mention(qtbot, editor):
    from newsmark.domain.spans import Span as S
    from newsmark.ui.speaker_roster import build_roster

    text = "Benjamin Netanyahu spoke to Vladimir Putin. Netanyahu said Russia must act.\n"
    spans = [
        S(0, 18, "PERSON"),
        S(28, 42, "PERSON"),
        S(44, 53, "PERSON"),
        S(59, 65, "GPE"),
    ]
    roster = build_roster(text, spans)
    assert [(sp.name, sp.label) for sp in roster] == [
        ("Benjamin Netanyahu", "PERSON"),
        ("Vladimir Putin", "PERSON"),
    ]  # a place only once a quote has it as its speaker ("Russia said")
    win, _ = editor
    win.quotes.refresh_roster()
    assert win.quotes.roster_texts()


def test_the_set_in_memory_carries_the_stored_version_and_status(qtbot, editor):
    win, ws = editor
    s = win.session

    def in_step() -> None:
        stored = ws.repo.get_set(s.annotations.id)
        assert (s.annotations.version, s.annotations.status) == (stored.version, stored.status)

    start = TEXT.index("Gaza")
    assert s.label_range(start, start + 4, "GPE")
    in_step()
    assert s.annotations.status is Status.IN_PROGRESS
    win.navigator.decide(Status.ACCEPTED)  # moves on to the next document
    win.navigator.step(-1)
    in_step()
    assert s.annotations.status is Status.ACCEPTED
    # An edit of an accepted set keeps its status (the repository's rule, applied here).
    assert s.label_range(TEXT.index("Putin"), TEXT.index("Putin") + 5, "PERSON")
    in_step()
    assert s.annotations.status is Status.ACCEPTED
    s.undo_group.undo()
    in_step()
    s.undo_group.redo()
    in_step()
