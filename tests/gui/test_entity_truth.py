"""Entities stay true: the label follows the mentions (mixed ones shown), duplicates are
proposed and merged in one undo step; decisions are undo steps with auto-advance."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import open_window, save_shot
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox
from test_quotes_attribution import select

from newsmark.domain.document import DocumentInput
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.status import Status
from newsmark.formats.newsmark_jsonl import export_record
from newsmark.nlp.tokens import tokenize_many
from newsmark.services.settings import Settings

TEXT = (
    "Pat Caddell, a pollster, spoke first.\n"
    "“Polls lie,” Caddell said.\n"
    "Ronald Reagan listened; Reagan smiled.\n"
    "Bill Clinton met Hillary Clinton; Clinton left. Later Caddell wrote.\n"
)
OTHER = "Olaf Scholz spoke in Berlin.\n"
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
LEFT = Qt.MouseButton.LeftButton
SHOTS = Path("/tmp/shots")


@pytest.fixture
def truth_window(qtbot, tmp_path: Path):
    from newsmark.services.workspace import open_workspace

    ws = open_workspace(tmp_path / "data", take_lock=True)
    items = [
        (DocumentInput(text, {"title": title}), tokens)
        for text, title, tokens in zip(
            [TEXT, OTHER], ["Caddell", "Berlin"], tokenize_many([TEXT, OTHER]), strict=True
        )
    ]
    ids = [d for d, _ in ws.repo.add_documents(items, "t")]
    win = open_window(qtbot, ws, tmp_path / "data")
    win.documents.select(ids[0])
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    win.article.setFocus()
    yield win, ws, ids
    win.close()
    ws.close()


def at(name: str, nth: int = 0) -> int:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(name, start + 1)
    return start


def label_key(view, name: str, nth: int, key: Qt.Key) -> None:
    start = at(name, nth)
    select(view, start, start + len(name))
    QTest.keyClick(view, key)


def link(win, ws, doc_id: int, name: str, label: str, *starts: int) -> int:
    """Link the mentions at `starts` to the entity (name, label), as the model's
    pre-annotation links speakers; returns the entity id."""
    entity = ws.repo.find_or_create_entity(name, label)
    aset = ws.repo.annotation_set(doc_id, ws.annotator)
    for start in starts:
        span = next(s for s in aset.spans if s.start == start)
        ws.repo.link_span(aset.id, span.id, entity.id, ws.annotator)
    win.session.reload_annotations()
    return entity.id


def build_entities(win, ws, doc_id: int) -> dict[str, int]:
    view = win.article
    person, org = Qt.Key.Key_P, Qt.Key.Key_O
    for name, nth, key in (
        ("Pat Caddell", 0, person),
        ("Caddell", 1, org),  # "Caddell said": the model called it an ORG
        ("Caddell", 2, org),  # "Later Caddell"
        ("Ronald Reagan", 0, person),
        ("Reagan", 1, person),
        ("Bill Clinton", 0, person),
        ("Hillary Clinton", 0, person),
        ("Clinton", 2, person),
    ):
        label_key(view, name, nth, key)
    ids = {
        "pat": link(win, ws, doc_id, "Pat Caddell", "PERSON", at("Pat Caddell")),
        "caddell": link(win, ws, doc_id, "Caddell", "ORG", at("Caddell", 1), at("Caddell", 2)),
        "ronald": link(win, ws, doc_id, "Ronald Reagan", "PERSON", at("Ronald Reagan")),
        "reagan": link(win, ws, doc_id, "Reagan", "PERSON", at("Reagan", 1)),
        "bill": link(win, ws, doc_id, "Bill Clinton", "PERSON", at("Bill Clinton")),
        "hillary": link(win, ws, doc_id, "Hillary Clinton", "PERSON", at("Hillary Clinton")),
        "clinton": link(win, ws, doc_id, "Clinton", "PERSON", at("Clinton", 2)),
    }
    # "“Polls lie,” Caddell said.": a quote attributed to the Caddell entity
    aset = ws.repo.annotation_set(doc_id, ws.annotator)
    q0 = TEXT.index("“Polls")
    said = at("Caddell", 1)
    quote = Quote(
        ((q0, q0 + len("“Polls lie,”")),),
        QuoteKind.DIRECT,
        speaker=(said, said + 7),
        speaker_label="ORG",
        entity="Caddell",
        entity_id=ids["caddell"],
    )
    ws.repo.add_quote(aset.id, quote, ws.annotator)
    win.session.reload_annotations()
    win.entity_tools.refresh()
    return ids


def proposals(win) -> list[tuple[str, str]]:
    return [(p.drop.name, p.keep.name) for p in win.entity_panel.proposals]


def label_shown(win, entity_id: int) -> str:
    model = win.entity_panel.model
    return model.data(model.index(model.row_of(entity_id), 1))


def test_relabelling_all_mentions_relabels_the_entity_and_merge_is_one_step(qtbot, truth_window):
    win, ws, (doc_id, _) = truth_window
    view = win.article
    ids = build_entities(win, ws, doc_id)
    panel, model = win.entity_panel, win.entity_panel.model
    # Clinton ends two longer names: ambiguous, not proposed; Caddell is an ORG still.
    assert proposals(win) == [("Reagan", "Ronald Reagan")]
    assert label_shown(win, ids["caddell"]) == "ORG"

    # P on the first "Caddell" mention: the entity is mixed, and shown so.
    label_key(view, "Caddell", 1, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: label_shown(win, ids["caddell"]) == "ORG/PERSON")
    row = model.index(model.row_of(ids["caddell"]), 1)
    assert model.data(row, Qt.ItemDataRole.DecorationRole) is not None
    assert "PERSON" in model.data(row, Qt.ItemDataRole.ToolTipRole)
    assert ws.repo.get_entity(ids["caddell"]).label == "ORG"
    win.entities_dock.raise_()
    save_shot(win, SHOTS / "entities-mixed.png")

    # Apply to all mentions (Ctrl+Shift+L) relabels the other one: they agree, PERSON.
    win.editor.select_span(next(s for s in view.spans if s.start == at("Caddell", 1)))
    win.entity_tools.confirm = lambda dialog: True
    QTest.keyClick(view, Qt.Key.Key_L, CTRL | SHIFT)
    assert ws.repo.get_entity(ids["caddell"]).label == "PERSON"
    qtbot.waitUntil(lambda: label_shown(win, ids["caddell"]) == "PERSON")
    assert proposals(win) == [("Caddell", "Pat Caddell"), ("Reagan", "Ronald Reagan")]
    assert "2 mentions, 1 quote move" in panel.duplicates.item(0).text()
    aset = ws.repo.annotation_set(doc_id, ws.annotator)
    corpus = {e.id: e for e in ws.repo.entities()}
    record = export_record(ws.repo.get_document(doc_id), aset, corpus)
    exported = {e["name"]: e["label"] for e in record["entities"]}
    assert exported["Caddell"] == "PERSON"
    # One undo: the mention and the entity's label both go back (mixed again).
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert ws.repo.get_entity(ids["caddell"]).label == "ORG"
    qtbot.waitUntil(lambda: label_shown(win, ids["caddell"]) == "ORG/PERSON")
    assert proposals(win) == [("Reagan", "Ronald Reagan")]
    QTest.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert ws.repo.get_entity(ids["caddell"]).label == "PERSON"
    qtbot.waitUntil(lambda: ("Caddell", "Pat Caddell") in proposals(win))
    win.entities_dock.raise_()
    save_shot(win, SHOTS / "entities-proposal.png")

    # Ctrl+M merges the current proposal: every mention and the quote move, one step.
    before = {k: ws.repo.entity_links(v) for k, v in ids.items() if k in ("pat", "caddell")}
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_M, CTRL)
    assert ids["caddell"] not in {e.id for e in ws.repo.entities()}
    assert ws.repo.entity_counts()[ids["pat"]] == (3, 1)
    [quote] = ws.repo.annotation_set(doc_id, ws.annotator).quotes
    assert (quote.entity, quote.entity_id) == ("Pat Caddell", ids["pat"])
    qtbot.waitUntil(lambda: proposals(win) == [("Reagan", "Ronald Reagan")])
    QTest.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert ws.repo.get_entity(ids["caddell"]).name == "Caddell"
    assert {k: ws.repo.entity_links(ids[k]) for k in before} == before
    [quote] = ws.repo.annotation_set(doc_id, ws.annotator).quotes
    assert (quote.entity, quote.entity_id) == ("Caddell", ids["caddell"])


def test_decisions_undo_auto_advance_and_the_edited_mark(qtbot, truth_window, tmp_path):
    win, ws, (doc_id, other_id) = truth_window
    view = win.article
    label_key(view, "Pat Caddell", 0, Qt.Key.Key_P)
    status = lambda d: ws.repo.annotation_set(d, ws.annotator).status  # noqa: E731

    # A: accepted, the next unfinished document opens, the status bar says so
    QTest.keyClick(view, Qt.Key.Key_A)
    assert status(doc_id) is Status.ACCEPTED
    assert win.article.current_document.id == other_id
    assert win.status.currentMessage() == "Accepted · opened “Berlin” (next unfinished)"
    # Ctrl+Z: back to the decided document, its previous status
    QTest.keyClick(win.article, Qt.Key.Key_Z, CTRL)
    assert win.article.current_document.id == doc_id
    assert status(doc_id) is Status.IN_PROGRESS
    assert win.documents.current_id == doc_id
    QTest.keyClick(win.article, Qt.Key.Key_Z, CTRL, delay=-1)  # then the label itself
    assert ws.repo.annotation_set(doc_id, ws.annotator).spans == []
    QTest.keyClick(win.article, Qt.Key.Key_Y, CTRL)
    QTest.keyClick(win.article, Qt.Key.Key_Y, CTRL)  # redo the accept, staying here
    assert status(doc_id) is Status.ACCEPTED
    assert win.article.current_document.id == doc_id

    # After an advance, an edit in the new document: Ctrl+Z undoes that edit, not the
    # decision. (Shift+X rejects.)
    QTest.keyClick(win.article, Qt.Key.Key_X, SHIFT)
    assert status(doc_id) is Status.REJECTED and win.article.current_document.id == other_id
    start = OTHER.index("Berlin")
    select(win.article, start, start + 6)
    QTest.keyClick(win.article, Qt.Key.Key_G)
    QTest.keyClick(win.article, Qt.Key.Key_Z, CTRL)
    assert win.article.current_document.id == other_id
    assert ws.repo.annotation_set(other_id, ws.annotator).spans == []
    assert status(doc_id) is Status.REJECTED

    # Auto-advance off (Preferences): S skips and stays
    dialog = win.preferences.show_preferences()
    assert dialog.auto_advance.isChecked()  # on by default
    dialog.auto_advance.click()
    QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), LEFT)
    assert not Settings(tmp_path / "data" / "newsmark.ini").auto_advance
    assert not win.navigator.auto_advance
    win.activateWindow()
    win.article.setFocus()
    QTest.keyClick(win.article, Qt.Key.Key_S)
    assert status(other_id) is Status.SKIPPED
    assert win.article.current_document.id == other_id
    assert "stayed" in win.status.currentMessage()
    QTest.keyClick(win.article, Qt.Key.Key_Z, CTRL)
    assert status(other_id) is not Status.SKIPPED

    # Accept, then edit: still accepted, marked in the status bar and the list
    QTest.keyClick(win.article, Qt.Key.Key_A)
    assert status(other_id) is Status.ACCEPTED
    assert "edited after accept" not in win.status.doc_label.text()
    select(win.article, start, start + 6)
    QTest.keyClick(win.article, Qt.Key.Key_G)
    assert status(other_id) is Status.ACCEPTED
    assert "edited after accept" in win.status.doc_label.text()
    row = win.documents.model.row_of(other_id)
    qtbot.waitUntil(lambda: "✎" in win.documents.model.index(row).data())
    save_shot(win, SHOTS / "entities-edited-after-accept.png")
    QTest.keyClick(win.article, Qt.Key.Key_A)  # accepting again clears the mark
    assert "edited after accept" not in win.status.doc_label.text()
    qtbot.waitUntil(lambda: "✎" not in win.documents.model.index(row).data())
