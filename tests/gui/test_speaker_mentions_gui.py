"""Speaker mentions of their own (issue 13): Shift+S and Ctrl+click make any text the
speaker without an entity span; the roster has one entry per entity, attributes to the
nearest preceding mention and follows `]` at once; an unlinked speaker survives export."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import MODEL_TIMEOUT_MS, save_shot, window_on
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from newsmark.domain.document import DocumentInput
from newsmark.nlp.tokens import tokenize_many
from newsmark.services.exporting import export
from newsmark.services.importing import import_file
from newsmark.services.workspace import open_workspace
from newsmark.ui.main_window import MainWindow

TEXT = (
    "Jill Stein spoke in Boston on Monday.\n"
    "“We will be on the ballot,” she said.\n"
    "“The count is fair,” a spokesman said.\n"
    "Stein later met Hillary Clinton in Boston.\n"
    "“It went well,” Stein said.\n"
)
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
SHOTS = Path("/tmp/shots")


@pytest.fixture
def speakers_window(qtbot, tmp_path: Path):
    ws = open_workspace(tmp_path / "data", take_lock=True)
    [tokens] = tokenize_many([TEXT])
    [(doc_id, _)] = ws.repo.add_documents(
        [(DocumentInput(TEXT, {"title": "Stein"}), tokens)], "import:test"
    )
    win = window_on(qtbot, ws, doc_id, tmp_path / "data")
    yield win, ws, doc_id
    win.close()
    ws.close()


def point_at(view, offset: int) -> QPoint:
    return view.cursorRect(view.cursor_for(offset, offset)).center()


def select(view, start: int, end: int) -> None:
    view.setTextCursor(view.cursor_for(start, end))


def mark_quote(view, opening: str, closing: str) -> int:
    start = TEXT.index(opening)
    select(view, start, TEXT.index(closing, start) + len(closing))
    QTest.keyClick(view, Qt.Key.Key_Q)
    assert view.selected_quote is not None and view.selected_quote.start == start
    return start


def label_person(view, start: int, end: int) -> None:
    select(view, start, end)
    QTest.keyClick(view, Qt.Key.Key_P)


def stored(ws, doc_id):
    return ws.repo.annotation_set(doc_id, ws.annotator)


def quote_at(ws, doc_id, start: int):
    return next(q for q in stored(ws, doc_id).quotes if q.start == start)


def test_shift_s_makes_a_pronoun_the_speaker_without_a_span_and_undo_restores(
    speakers_window, tmp_path
):
    win, ws, doc_id = speakers_window
    view = win.article
    start = mark_quote(view, "“We", "ballot,”")
    she = TEXT.index("she said")
    assert quote_at(ws, doc_id, start).speaker == (she, she + 3)  # Q proposed it
    QTest.keyClick(view, Qt.Key.Key_S, CTRL | SHIFT)  # cleared, to mark it by hand
    assert quote_at(ws, doc_id, start).speaker is None
    select(view, she + 1, she + 2)  # part of the word: snapped out to the token
    QTest.keyClick(view, Qt.Key.Key_S, SHIFT)
    quote = quote_at(ws, doc_id, start)
    assert quote.speaker == (she, she + 3)
    assert (quote.entity, quote.entity_id, quote.speaker_label) == (None, None, None)
    assert stored(ws, doc_id).spans == []  # no entity span was made for "she"
    assert win.quotes.model.data(win.quotes.model.index(0, 1)) == "she"

    QTest.keyClick(view, Qt.Key.Key_Z, CTRL)  # one undo step
    assert quote_at(ws, doc_id, start).speaker is None
    QTest.keyClick(view, Qt.Key.Key_Z, CTRL | SHIFT)  # and redo
    assert quote_at(ws, doc_id, start).speaker == (she, she + 3)

    # the export keeps the unlinked mention; importing it gives the same quote back
    out = tmp_path / "out.jsonl"
    export(ws.repo, out, status="any", annotator=ws.annotator)
    other = open_workspace(tmp_path / "other", take_lock=True)
    try:
        import_file(other.repo, out, fmt="newsmark", annotator=ws.annotator)
        [back_id] = other.repo.document_ids()
        [back] = other.repo.annotation_set(back_id, ws.annotator).quotes
        assert other.repo.get_document(back_id).text == TEXT
        assert back.speaker == (she, she + 3)
        assert (back.entity, back.entity_id, back.parts) == (None, None, quote.parts)
        assert other.repo.annotation_set(back_id, ws.annotator).spans == []
    finally:
        other.close()


def test_same_speaker_after_an_unlinked_pronoun_makes_no_entity(speakers_window):
    win, ws, doc_id = speakers_window
    view = win.article
    mark_quote(view, "“We", "ballot,”")
    she = TEXT.index("she said")
    select(view, she, she + 3)
    QTest.keyClick(view, Qt.Key.Key_S, SHIFT)
    second = mark_quote(view, "“The count", "fair,”")
    QTest.keyClick(view, Qt.Key.Key_Equal)
    quote = quote_at(ws, doc_id, second)
    assert quote.speaker == (she, she + 3)
    assert (quote.entity, quote.entity_id, quote.speaker_label) == (None, None, None)
    assert ws.repo.entities() == []  # no entity called "she"


def test_ctrl_click_on_a_plain_word_takes_its_noun_phrase(speakers_window):
    win, ws, doc_id = speakers_window
    view = win.article
    start = mark_quote(view, "“The count", "fair,”")
    spokesman = TEXT.index("spokesman")
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, CTRL, point_at(view, spokesman + 3)
    )
    phrase = TEXT.index("a spokesman")
    quote = quote_at(ws, doc_id, start)
    assert quote.speaker == (phrase, phrase + len("a spokesman"))
    assert quote.entity_id is None  # a descriptive speaker stays unlinked
    assert stored(ws, doc_id).spans == []
    # a function word is no phrase: a hint, nothing changes
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, CTRL, point_at(view, TEXT.index("is fair") + 1)
    )
    assert "noun" in win.statusBar().currentMessage()
    assert quote_at(ws, doc_id, start).speaker == (phrase, phrase + len("a spokesman"))


def test_digit_takes_the_nearest_preceding_mention_and_links_an_own_mention(qtbot, speakers_window):
    win, ws, doc_id = speakers_window
    view = win.article
    first = (0, len("Jill Stein"))
    later = TEXT.index("Stein later")
    after = TEXT.index("Stein said")
    for s in (first[0], later, after):
        e = TEXT.index("Stein", s) + len("Stein")
        label_person(view, s, e)
    clinton = TEXT.index("Hillary Clinton")
    label_person(view, clinton, clinton + len("Hillary Clinton"))

    start = mark_quote(view, "“It went", "well,”")
    QTest.keyClick(view, Qt.Key.Key_1)
    quote = quote_at(ws, doc_id, start)
    # "Stein later" precedes the quote most closely ("Stein said" follows it)
    assert quote.speaker == (later, later + len("Stein"))
    assert quote.entity == "Jill Stein" and quote.entity_id is not None
    roster = win.quotes.roster
    assert [sp.name for sp in roster] == ["Jill Stein", "Hillary Clinton"]  # one entry each
    assert len(roster[0].mentions) == 3

    # a pronoun marked with Shift+S keeps its place and is linked by the digit
    quote_start = mark_quote(view, "“We", "ballot,”")
    she = TEXT.index("she said")
    select(view, she, she + 3)
    QTest.keyClick(view, Qt.Key.Key_S, SHIFT)
    QTest.keyClick(view, Qt.Key.Key_1)
    linked = quote_at(ws, doc_id, quote_start)
    assert linked.speaker == (she, she + 3)
    assert linked.entity_id == quote.entity_id
    # the roster follows soon after (a timer): "she" is grouped under Jill Stein
    qtbot.waitUntil(lambda: len(win.quotes.roster[0].mentions) == 4)
    roster = win.quotes.roster
    assert [sp.name for sp in roster] == ["Jill Stein", "Hillary Clinton"]
    assert (she, she + 3) in [(m.start, m.end) for m in roster[0].mentions]
    assert win.quotes.roster_texts()[0] == "1  Jill Stein  ×4"
    win.quotes.table.selectRow(0)
    save_shot(win, SHOTS / "speakers-pronoun-linked.png")
    QTest.keyClick(view, Qt.Key.Key_Z, CTRL)  # the link was one step: "she" unlinked again
    assert quote_at(ws, doc_id, quote_start).entity_id is None
    assert quote_at(ws, doc_id, quote_start).speaker == (she, she + 3)


def open_and_predict(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.session.annotations_changed, timeout=MODEL_TIMEOUT_MS):
        window.load()
        window.session._worker.start()  # type: ignore[union-attr]


def test_seed_roster_has_no_duplicates_no_unused_place_and_clears_on_next(qtbot, window):
    open_and_predict(qtbot, window)
    text = window.article.text
    assert "Netanyahu" in text, "the Netanyahu seed did not open first"
    panel = window.quotes
    panel.refresh_roster()
    roster = panel.roster
    names = [sp.name for sp in roster]
    assert len(set(names)) == len(names), names
    ids = [sp.entity_id for sp in roster if sp.entity_id is not None]
    assert len(set(ids)) == len(ids)
    assert sum("Netanyahu" in n for n in names) == 1 and sum("Putin" in n for n in names) == 1
    assert "the Gaza Strip" not in names and "Gaza" not in names
    assert all(sp.label not in ("GPE", "LOC", "FAC") for sp in roster)  # no quote says so
    aset = window.session.annotations
    netanyahu = next(sp for sp in roster if "Netanyahu" in sp.name)
    assert len(netanyahu.mentions) >= text.count("Netanyahu") - 1

    # a digit attributes the last quote to the nearest Netanyahu before it
    last = max(aset.quotes, key=lambda q: q.start)
    window.editor.select_quote(last)
    window.article.setFocus()
    QTest.keyClick(window.article, Qt.Key(Qt.Key.Key_1.value + roster.index(netanyahu)))
    now = next(q for q in window.session.annotations.quotes if q.id == last.id)
    assert now.speaker is not None
    assert now.speaker[0] == text.rindex("Netanyahu", 0, last.start)
    panel.table.selectRow(len(aset.quotes) - 1)
    SHOTS.mkdir(parents=True, exist_ok=True)
    save_shot(window, SHOTS / "speakers-roster.png")
    save_shot(panel, SHOTS / "speakers-quote-panel.png")

    shown = panel.roster_texts()
    QTest.keyClick(window.article, Qt.Key.Key_BracketRight)
    assert window.article.text != text
    after = " ".join(panel.roster_texts())  # at once: no event loop turn in between
    assert after != shown
    for name in names:
        if name not in window.article.text:
            assert name not in after
