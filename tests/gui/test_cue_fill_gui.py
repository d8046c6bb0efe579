"""The cue in one action (Ctrl+Shift+click a word) and what Q proposes for a new quote:
its cue and speaker read from the words around it, in the same undo step as the quote."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import save_shot, window_on
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from newsmark.domain.document import DocumentInput
from newsmark.domain.spans import Span
from newsmark.nlp.tokens import tokenize_many

TEXT = (
    "Mayor Ana Ortiz opened the new bridge on Monday.\n"
    "According to the city council, the bridge cost less than planned.\n"
    "“It will carry ten thousand cars a day,” said Ortiz.\n"
    "Traffic fell sharply in the first week.\n"
)
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
LEFT = Qt.MouseButton.LeftButton
SHOTS = Path("/tmp/shots")


@pytest.fixture
def cue_window(qtbot, tmp_path: Path):
    from newsmark.services.workspace import open_workspace

    ws = open_workspace(tmp_path / "data", take_lock=True)
    [tokens] = tokenize_many([TEXT])
    [(doc_id, _)] = ws.repo.add_documents(
        [(DocumentInput(TEXT, {"title": "Bridge"}), tokens)], "import:test"
    )
    win = window_on(qtbot, ws, doc_id, tmp_path / "data")
    yield win, ws, doc_id
    win.close()
    ws.close()


def point_at(view, offset: int) -> QPoint:
    """The middle of the character at `offset`."""
    a = view.cursorRect(view.cursor_for(offset, offset)).center()
    b = view.cursorRect(view.cursor_for(offset + 1, offset + 1)).center()
    return QPoint((a.x() + b.x()) // 2, a.y())


def mark(view, content: str) -> None:
    start = TEXT.index(content)
    view.setTextCursor(view.cursor_for(start, start + len(content)))
    QTest.keyClick(view, Qt.Key.Key_Q)
    assert view.selected_quote is not None and view.selected_quote.start == start


def the_quote(ws, doc_id):
    [quote] = ws.repo.annotation_set(doc_id, ws.annotator).quotes
    return quote


def words(rng: tuple[int, int] | None) -> str | None:
    return TEXT[rng[0] : rng[1]] if rng else None


def test_ctrl_shift_click_makes_a_word_or_a_known_phrase_the_cue(cue_window, qtbot):
    win, ws, doc_id = cue_window
    view = win.article
    mark(view, "the bridge cost less than planned")
    before = the_quote(ws, doc_id).cue
    # "to" of "According to": the whole phrase is the cue.
    to = TEXT.index("to the city")
    qtbot.mouseClick(view.viewport(), LEFT, CTRL | SHIFT, point_at(view, to))
    assert words(the_quote(ws, doc_id).cue) == "According to"
    assert not view.textCursor().hasSelection()  # Shift did not extend a selection
    assert view.selected_quote is not None and view.selected_quote.cue is not None
    # Any single word: the token under the click.
    cost = TEXT.index("cost")
    qtbot.mouseClick(view.viewport(), LEFT, CTRL | SHIFT, point_at(view, cost + 1))
    assert words(the_quote(ws, doc_id).cue) == "cost"
    # A word touching the cue extends it.
    less = TEXT.index("less")
    qtbot.mouseClick(view.viewport(), LEFT, CTRL | SHIFT, point_at(view, less + 1))
    assert words(the_quote(ws, doc_id).cue) == "cost less"
    # Each click one undo step.
    QTest.keyClick(win, Qt.Key.Key_Z, CTRL)
    assert words(the_quote(ws, doc_id).cue) == "cost"
    QTest.keyClick(win, Qt.Key.Key_Z, CTRL)
    assert words(the_quote(ws, doc_id).cue) == "According to"
    QTest.keyClick(win, Qt.Key.Key_Z, CTRL)
    assert the_quote(ws, doc_id).cue == before


def test_ctrl_shift_click_without_a_quote_changes_nothing(cue_window, qtbot):
    win, ws, doc_id = cue_window
    view = win.article
    said = TEXT.index("said")
    qtbot.mouseClick(view.viewport(), LEFT, CTRL | SHIFT, point_at(view, said))
    assert ws.repo.annotation_set(doc_id, ws.annotator).quotes == []
    assert "quote" in win.statusBar().currentMessage().lower()


def test_q_proposes_the_cue_and_speaker_and_one_undo_removes_the_quote(cue_window, qtbot):
    win, ws, doc_id = cue_window
    view = win.article
    mark(view, "It will carry ten thousand cars a day")
    quote = the_quote(ws, doc_id)
    assert (words(quote.speaker), words(quote.cue)) == ("Ortiz", "said")
    assert quote.entity_id is None  # "Ortiz" is no entity span: unlinked
    assert view.selected_quote is not None and view.selected_quote.cue == quote.cue
    assert win.session.undo_group.undoText() == "Mark direct quote (speaker “Ortiz”, cue “said”)"
    SHOTS.mkdir(parents=True, exist_ok=True)
    save_shot(win, SHOTS / "fill-q-proposed.png")
    QTest.keyClick(win, Qt.Key.Key_Z, CTRL)  # one step: the quote and what Q filled in
    assert ws.repo.annotation_set(doc_id, ws.annotator).quotes == []
    QTest.keyClick(win, Qt.Key.Key_Z, CTRL | SHIFT)
    assert words(the_quote(ws, doc_id).speaker) == "Ortiz"


def test_q_gives_an_entity_span_speaker_its_label_and_creates_no_entity(cue_window, qtbot):
    win, ws, doc_id = cue_window
    view = win.article
    # "Ortiz" of the quote's line as a PERSON span (P), then the quote.
    at = TEXT.index("Ortiz.")
    view.setTextCursor(view.cursor_for(at, at + len("Ortiz")))
    QTest.keyClick(view, Qt.Key.Key_P)
    mark(view, "It will carry ten thousand cars a day")
    quote = the_quote(ws, doc_id)
    assert words(quote.speaker) == "Ortiz" and quote.speaker_label == "PERSON"
    # No entity is made outside the undo step: a digit or the roster links it.
    assert quote.entity_id is None and ws.repo.entities() == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    save_shot(win, SHOTS / "fill-q-linked.png")
    QTest.keyClick(win, Qt.Key.Key_Z, CTRL)
    aset = ws.repo.annotation_set(doc_id, ws.annotator)
    assert aset.quotes == [] and aset.spans[0].entity_id is None
    assert ws.repo.entities() == []  # the corpus is as before the Q


def test_q_carries_the_entity_of_a_linked_speaker_span(cue_window, qtbot):
    win, ws, doc_id = cue_window
    ortiz = ws.repo.find_or_create_entity("Ana Ortiz", "PERSON")
    aset = ws.repo.annotation_set(doc_id, ws.annotator, create=True)
    assert aset.id is not None
    at = TEXT.index("Ortiz.")
    ws.repo.add_span(aset.id, Span(at, at + 5, "PERSON", entity_id=ortiz.id), ws.annotator)
    win.session.reload_annotations()
    mark(win.article, "It will carry ten thousand cars a day")
    quote = the_quote(ws, doc_id)
    assert (words(quote.speaker), quote.entity_id, quote.entity) == ("Ortiz", ortiz.id, "Ana Ortiz")


def test_q_proposes_nothing_where_no_reporting_word_is_near(cue_window, qtbot):
    win, ws, doc_id = cue_window
    mark(win.article, "Traffic fell sharply in the first week")
    quote = the_quote(ws, doc_id)
    assert (quote.speaker, quote.cue, quote.entity_id) == (None, None, None)
