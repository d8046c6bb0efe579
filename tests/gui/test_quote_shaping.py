"""Quotes you can edit: click to select one, edges by token (Alt+arrows), a second part
(Shift+Q) and its removal (Ctrl+Shift+Q), clearing speaker and cue, setting the kind,
stepping through quotes with . and ,; every edit one undo step, saved at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import save_shot, window_on
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from newsmark.domain.document import DocumentInput
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Origin, Span
from newsmark.nlp.tokens import tokenize_many
from newsmark.ui.main_window import MainWindow

TEXT = (
    "Angela Merkel spoke in Berlin on Monday.\n"
    '"We will manage this," Merkel said. "Europe is strong."\n'
    "She said the talks with Emmanuel Macron were useful.\n"
    "“Nobody wants a trade war,” a spokesman added.\n"
)
LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def find(text: str, nth: int = 0) -> int:
    at = -1
    for _ in range(nth + 1):
        at = TEXT.index(text, at + 1)
    return at


def hull(first: str, last: str) -> tuple[int, int]:
    start = find(first)
    return start, TEXT.index(last, start) + len(last)


FIRST = hull('"We will', 'this,"')  # one part of the split quote, to begin with
SECOND = hull('"Europe', 'strong."')
REPORTED = hull("the talks", "useful")
SPOKESMAN = hull("“Nobody", "war,”")


@pytest.fixture
def shaping(qtbot, tmp_path: Path):
    """A window on TEXT with three quotes and the entity "Emmanuel Macron" stored."""
    from newsmark.services.workspace import open_workspace

    ws = open_workspace(tmp_path / "data", take_lock=True)
    [(doc_id, _)] = ws.repo.add_documents(
        [(DocumentInput(TEXT, {"title": "Berlin"}), next(tokenize_many([TEXT])))], "import:test"
    )
    aset = ws.repo.annotation_set(doc_id, ws.annotator, create=True)
    assert aset is not None and aset.id is not None
    macron = hull("Emmanuel", "Macron")
    ws.repo.add_span(aset.id, Span(*macron, "PERSON", Origin.HUMAN), ws.annotator)
    for parts, kind in ((FIRST, "direct"), (REPORTED, "indirect"), (SPOKESMAN, "direct")):
        ws.repo.add_quote(aset.id, Quote((parts,), QuoteKind(kind)), ws.annotator)
    win = window_on(qtbot, ws, doc_id, tmp_path / "data")
    yield win, ws, doc_id
    win.close()
    ws.close()


def click(qtbot, win: MainWindow, offset: int, modifier=NONE) -> None:
    """A real click on the character at `offset` (its middle), then a pause long enough
    that the next click is not a double-click."""
    view = win.article
    left = view.cursorRect(view.cursor_for(offset, offset)).center()
    right = view.cursorRect(view.cursor_for(offset + 1, offset + 1)).center()
    QTest.mouseClick(view.viewport(), LEFT, modifier, QPoint((left.x() + right.x()) // 2, left.y()))
    qtbot.wait(QApplication.doubleClickInterval() + 50)


def key(win: MainWindow, k: Qt.Key, modifier=NONE) -> None:
    QTest.keyClick(win.article, k, modifier)


def stored(ws, doc_id) -> list[Quote]:
    """The quotes as the database has them, read again."""
    return sorted(ws.repo.annotation_set(doc_id, ws.annotator).quotes, key=lambda q: q.start)


def shown(win: MainWindow) -> list[Quote]:
    aset = win.session.annotations
    assert aset is not None
    return sorted(aset.quotes, key=lambda q: q.start)


def quote_with(quotes: list[Quote], offset: int) -> Quote:
    return next(q for q in quotes if any(s <= offset < e for s, e in q.parts))


def panel_quote(win: MainWindow) -> Quote | None:
    rows = win.quotes.table.selectionModel().selectedRows()
    return win.quotes.model.quote_at(rows[0].row()) if rows else None


def test_a_click_inside_a_quote_selects_it_and_an_entity_inside_needs_a_second_click(
    qtbot, shaping
):
    win, _ws, _doc_id = shaping
    view = win.article
    click(qtbot, win, find("talks") + 2)  # plain text inside the reported quote
    assert view.selected_quote is not None
    assert (view.selected_quote.start, view.selected_quote.end) == REPORTED
    assert panel_quote(win) == view.selected_quote  # the Quotes panel follows

    click(qtbot, win, find("Macron") + 2)  # an entity inside it: the entity
    assert view.selected_span is not None
    assert TEXT[view.selected_span.start : view.selected_span.end] == "Emmanuel Macron"
    assert view.selected_quote is None
    click(qtbot, win, find("Macron") + 2)  # the same entity again: the quote around it
    assert view.selected_span is None
    assert view.selected_quote is not None and view.selected_quote.start == REPORTED[0]
    click(qtbot, win, find("Macron") + 2)  # and back to the entity
    assert view.selected_span is not None and view.selected_quote is None

    click(qtbot, win, find("Europe") + 2)  # a quotation not marked as a quote: nothing
    assert view.selected_quote is None and view.selected_span is None
    click(qtbot, win, find("Nobody") + 2)
    assert view.selected_quote is not None and view.selected_quote.start == SPOKESMAN[0]
    click(qtbot, win, find("spoke") + 1)  # plain text outside every quote clears
    assert view.selected_quote is None and panel_quote(win) is None


def test_alt_arrows_move_the_selected_quotes_edges_and_ctrl_z_restores(qtbot, shaping):
    win, ws, doc_id = shaping
    view = win.article
    before = stored(ws, doc_id)
    click(qtbot, win, find("talks") + 2)
    key(win, Qt.Key.Key_Right, ALT)  # end: one token right, over the full stop
    end = find("useful.") + len("useful.")
    assert quote_with(stored(ws, doc_id), find("talks")).parts == ((REPORTED[0], end),)
    key(win, Qt.Key.Key_Left, ALT | SHIFT)  # start: one token left, over "said"
    start = find("said the talks")
    assert quote_with(stored(ws, doc_id), find("talks")).parts == ((start, end),)
    assert view.selected_quote is not None and view.selected_quote.parts == ((start, end),)
    key(win, Qt.Key.Key_Right, ALT | SHIFT)  # and back
    assert quote_with(stored(ws, doc_id), find("talks")).parts == ((REPORTED[0], end),)
    for _ in range(3):
        key(win, Qt.Key.Key_Z, CTRL)
    assert stored(ws, doc_id) == before

    # The last thing selected is what the keys act on: a span after the quote...
    click(qtbot, win, find("talks") + 2)
    click(qtbot, win, find("Macron") + 2)
    key(win, Qt.Key.Key_Right, ALT)
    assert stored(ws, doc_id) == before  # the span moved, not the quote
    spans = ws.repo.annotation_set(doc_id, ws.annotator).spans
    assert [TEXT[s.start : s.end] for s in spans] == ["Emmanuel Macron were"]
    key(win, Qt.Key.Key_Z, CTRL)
    # ...and the quote after the span: Delete removes the quote, the span stays.
    assert view.selected_span is not None  # the span, as it was again
    click(qtbot, win, find("talks") + 2)
    key(win, Qt.Key.Key_Delete)
    assert [q.start for q in stored(ws, doc_id)] == [FIRST[0], SPOKESMAN[0]]
    assert len(ws.repo.annotation_set(doc_id, ws.annotator).spans) == 1
    key(win, Qt.Key.Key_Z, CTRL)
    assert stored(ws, doc_id) == before


def test_shift_q_adds_a_part_and_ctrl_shift_q_removes_the_one_under_the_cursor(
    qtbot, shaping, tmp_path
):
    win, ws, doc_id = shaping
    view = win.article
    click(qtbot, win, find("manage") + 2)
    view.setTextCursor(view.cursor_for(*SECOND))  # select the second half
    key(win, Qt.Key.Key_Q, SHIFT)
    split = quote_with(stored(ws, doc_id), find("manage"))
    assert split.parts == (FIRST, SECOND)
    assert split.kind is QuoteKind.DIRECT  # "A," she said. "B.": both parts direct
    assert len(stored(ws, doc_id)) == 3  # Shift+Q is not Q: no new quote
    assert view.selected_quote is not None and view.selected_quote.parts == (FIRST, SECOND)
    assert shown(win) == stored(ws, doc_id)
    shot = save_shot(win, Path("/tmp/shots/quoteedit-split-quote.png"))
    save_shot(win, tmp_path / shot.name)

    view.setTextCursor(view.cursor_for(*hull("Merkel said", "said")))  # overlaps nothing...
    key(win, Qt.Key.Key_Q, SHIFT)
    view.setTextCursor(view.cursor_for(*hull("manage", "this")))  # ...this is in it already
    key(win, Qt.Key.Key_Q, SHIFT)
    assert "already in the quote" in win.statusBar().currentMessage()
    key(win, Qt.Key.Key_Z, CTRL)  # the "Merkel said" part goes again
    assert quote_with(stored(ws, doc_id), find("manage")).parts == (FIRST, SECOND)

    click(qtbot, win, find("strong") + 2)  # in the second part: the split quote, cursor there
    assert view.selected_quote is not None and view.selected_quote.parts == (FIRST, SECOND)
    key(win, Qt.Key.Key_Q, CTRL | SHIFT)
    assert quote_with(stored(ws, doc_id), find("manage")).parts == (FIRST,)
    assert all(find("strong") not in range(*q.parts[0]) for q in stored(ws, doc_id))
    click(qtbot, win, find("manage") + 2)
    key(win, Qt.Key.Key_Q, CTRL | SHIFT)  # the last part stays
    assert "at least one part" in win.statusBar().currentMessage()
    assert quote_with(stored(ws, doc_id), find("manage")).parts == (FIRST,)
    key(win, Qt.Key.Key_Z, CTRL)
    assert quote_with(stored(ws, doc_id), find("manage")).parts == (FIRST, SECOND)
    assert shown(win) == stored(ws, doc_id)


def test_clear_speaker_and_cue_and_set_the_kind_each_one_undo_step(qtbot, shaping):
    win, ws, doc_id = shaping
    view = win.article
    # Attribute the spokesman's quote the usual way: a speaker (digit 1) and a cue (C).
    click(qtbot, win, find("Nobody") + 2)
    key(win, Qt.Key.Key_1)
    view.setTextCursor(view.cursor_for(*hull("added", "added")))
    key(win, Qt.Key.Key_C)
    attributed = quote_with(stored(ws, doc_id), find("Nobody"))
    assert attributed.speaker is not None and attributed.entity_id is not None
    assert attributed.cue == hull("added", "added")
    stack = win.history.stack()
    steps = stack.count()

    key(win, Qt.Key.Key_S, CTRL | SHIFT)
    cleared = quote_with(stored(ws, doc_id), find("Nobody"))
    assert (cleared.speaker, cleared.speaker_label, cleared.entity, cleared.entity_id) == (
        None,
        None,
        None,
        None,
    )
    assert cleared.cue == attributed.cue
    key(win, Qt.Key.Key_S, CTRL | SHIFT)  # nothing left to clear: a hint, no step
    assert "no speaker" in win.statusBar().currentMessage()
    key(win, Qt.Key.Key_C, SHIFT)
    assert quote_with(stored(ws, doc_id), find("Nobody")).cue is None
    kinds = []
    for k in (Qt.Key.Key_I, Qt.Key.Key_M, Qt.Key.Key_D):
        key(win, k, SHIFT)
        kinds.append(quote_with(stored(ws, doc_id), find("Nobody")).kind)
    assert kinds == [QuoteKind.INDIRECT, QuoteKind.MIXED, QuoteKind.DIRECT]
    spans = ws.repo.annotation_set(doc_id, ws.annotator).spans
    assert len(spans) == 1  # Shift+D/I/M are not the DATE/ORDINAL/MONEY hotkeys
    assert stack.count() == steps + 5
    assert shown(win) == stored(ws, doc_id)
    for _ in range(5):
        key(win, Qt.Key.Key_Z, CTRL)
    assert quote_with(stored(ws, doc_id), find("Nobody")) == attributed


def test_period_and_comma_step_through_the_quotes_and_wrap(qtbot, shaping):
    win, _ws, _doc_id = shaping
    view = win.article
    starts = []
    for _ in range(4):
        key(win, Qt.Key.Key_Period)
        assert view.selected_quote is not None and panel_quote(win) == view.selected_quote
        starts.append(view.selected_quote.start)
    assert starts == [FIRST[0], REPORTED[0], SPOKESMAN[0], FIRST[0]]  # wraps at the end
    key(win, Qt.Key.Key_Comma)  # and at the beginning
    assert view.selected_quote is not None and view.selected_quote.start == SPOKESMAN[0]
    key(win, Qt.Key.Key_Comma)
    assert view.selected_quote is not None and view.selected_quote.start == REPORTED[0]
    assert view.cursor_offset() == REPORTED[0]  # the cursor (and the view) went there


def test_a_new_part_survives_a_restart_and_its_undo_comes_back_with_the_history(
    qtbot, shaping, tmp_path
):
    win, ws, doc_id = shaping
    view = win.article
    click(qtbot, win, find("manage") + 2)
    view.setTextCursor(view.cursor_for(*SECOND))
    key(win, Qt.Key.Key_Q, SHIFT)
    key(win, Qt.Key.Key_Left, ALT)  # and the end of the last part one token back
    shrunk = (SECOND[0], find('strong."') + len("strong."))
    win.close()

    again = MainWindow(ws.repo, ws.annotator, settings_path=tmp_path / "data" / "window.ini")
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    again.load()
    again.documents.select(doc_id)
    again.activateWindow()
    qtbot.waitUntil(again.isActiveWindow)
    again.article.setFocus()
    split = quote_with(stored(ws, doc_id), find("manage"))
    assert split.parts == (FIRST, shrunk)
    assert quote_with(shown(again), find("manage")) == split
    QTest.keyClick(again.article, Qt.Key.Key_Z, CTRL)
    assert quote_with(stored(ws, doc_id), find("manage")).parts == (FIRST, SECOND)
    QTest.keyClick(again.article, Qt.Key.Key_Z, CTRL)
    assert quote_with(stored(ws, doc_id), find("manage")).parts == (FIRST,)
    assert quote_with(shown(again), find("manage")).parts == (FIRST,)
    again.close()


def test_on_the_seed_the_models_quotes_are_clicked_stepped_and_edited(qtbot, window, tmp_path):
    from gui_support import MODEL_TIMEOUT_MS

    with qtbot.waitSignal(window.session.annotations_changed, timeout=MODEL_TIMEOUT_MS):
        window.load()
        window.session._worker.start()  # type: ignore[union-attr]
    window.activateWindow()
    window.article.setFocus()
    view, repo, session = window.article, window.session.repo, window.session
    quotes = shown(window)
    assert len(quotes) >= 2, "the model found the seed's quotes"
    key(window, Qt.Key.Key_Period)
    assert view.selected_quote == quotes[0] and panel_quote(window) == quotes[0]

    # a click on a character of the second quote that no entity covers selects it
    target = quotes[1]
    text = view.text
    plain = next(
        i
        for s, e in target.parts
        for i in range(s + 1, e - 1)
        if text[i].isalpha() and view.span_at(i) is None and view.span_at(i + 1) is None
    )
    click(qtbot, window, plain)
    assert view.selected_quote == target and panel_quote(window) == target
    other = QuoteKind.MIXED if target.kind is not QuoteKind.MIXED else QuoteKind.INDIRECT
    key(window, Qt.Key.Key_M if other is QuoteKind.MIXED else Qt.Key.Key_I, SHIFT)
    doc_id = view.current_document.id
    again = {q.id: q for q in repo.annotation_set(doc_id, session.annotator).quotes}
    assert again[target.id].kind is other
    save_shot(window, Path("/tmp/shots/quoteedit-seed-quote-clicked.png"))
    save_shot(window, tmp_path / "seed-quote-clicked.png")
    key(window, Qt.Key.Key_Z, CTRL)
    again = {q.id: q for q in repo.annotation_set(doc_id, session.annotator).quotes}
    assert again[target.id].kind is target.kind


def test_after_a_restart_the_history_names_quote_edits_as_they_were_named(qtbot, shaping, tmp_path):
    """The undo history is rebuilt from the edit log: each quote edit keeps the name the
    live command gave it (not a generic "Edit quote"), where the log can tell it."""
    win, ws, doc_id = shaping
    view = win.article
    click(qtbot, win, find("manage") + 2)
    view.setTextCursor(view.cursor_for(*SECOND))
    key(win, Qt.Key.Key_Q, SHIFT)  # Add quote part
    click(qtbot, win, find("strong") + 2)
    key(win, Qt.Key.Key_Q, CTRL | SHIFT)  # Remove quote part
    click(qtbot, win, find("talks") + 2)
    key(win, Qt.Key.Key_Right, ALT)  # Move quote end
    key(win, Qt.Key.Key_Left, ALT | SHIFT)  # Move quote start
    key(win, Qt.Key.Key_M, SHIFT)  # Kind indirect → mixed
    live = win.session.undo_group.activeStack()
    named = [live.text(i) for i in range(live.count())]
    assert named[-5:] == [
        "Add quote part",
        "Remove quote part",
        "Move quote end",
        "Move quote start",
        "Kind indirect → mixed",
    ]
    win.close()

    again = window_on(qtbot, ws, doc_id, tmp_path / "data")
    stack = again.session.undo_group.activeStack()
    assert [stack.text(i) for i in range(stack.count())] == named
    again.close()
