"""The first window on a real database and the real model: list, highlights, decisions."""

from __future__ import annotations

import os
from pathlib import Path

from gui_support import MODEL_TIMEOUT_MS, save_shot
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from newsmark.domain.document import DocumentInput
from newsmark.domain.spans import Origin
from newsmark.domain.status import Status
from newsmark.nlp.tokens import tokenize_many
from newsmark.resources import seed_files
from newsmark.ui.main_window import MainWindow
from newsmark.ui.views.span_highlighter import MODEL_FILL_ALPHA, blend

DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot.png"


def open_and_predict(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.session.annotations_changed, timeout=MODEL_TIMEOUT_MS):
        window.load()
        window.session._worker.start()  # type: ignore[union-attr]


def add_document(repo, text: str, title: str) -> int:
    (tokens,) = tokenize_many([text])
    [(doc_id, _)] = repo.add_documents(
        [(DocumentInput(text, {"title": title}), tokens)], "import:test"
    )
    return doc_id


def test_window_lists_the_seed_and_highlights_its_entities(qtbot, window, workspace, tmp_path):
    save_shot(window, tmp_path / "shots" / "01-opened.png")
    open_and_predict(qtbot, window)

    assert window.documents.model.rowCount() == len(seed_files())
    assert "Model:" in window.status.model_label.text()
    found = {(window.article.text[s.start : s.end], s.label) for s in window.article.spans}
    for expected in [
        ("Netanyahu", "PERSON"),
        ("Putin", "PERSON"),
        ("Russia", "GPE"),
        ("Israel", "GPE"),
    ]:
        assert expected in found, f"{expected} not highlighted; got {sorted(found)}"
    # Every model span is painted, lighter than a human span, over exactly its characters.
    for span in window.article.spans:
        assert span.origin is Origin.MODEL
        s16, e16 = window.article.to_utf16(span.start, span.end)
        assert window.article.char_format_ranges(span) == [(s16, e16)]
    putin = next(s for s in window.article.spans if window.article.text[s.start : s.end] == "Putin")
    fmt = window.article._highlighter.format_for(putin)
    person = window.window_actions.labels.color("PERSON")
    assert fmt.background().color() == blend(person, MODEL_FILL_ALPHA)
    assert fmt.underlineColor() == QColor(person).darker(160)
    # Saved through the repository: status and spans survive.
    aset = workspace.repo.annotation_set(window.article.current_document.id, workspace.annotator)
    assert aset.status is Status.PREANNOTATED
    assert len(aset.spans) == len(window.article.spans)
    assert window.status.saved_label.text().startswith("Saved")
    qtbot.waitUntil(lambda: any("Netanyahu" in t for t in window.quotes.roster_texts()))
    save_shot(window, tmp_path / "shots" / "02-highlighted.png")
    if os.environ.get("NEWSMARK_UPDATE_SCREENSHOT"):
        save_shot(window, DOCS_SCREENSHOT)


def test_switching_documents_drops_stale_predictions(qtbot, window, workspace, worker):
    first = window.documents.model
    other = add_document(workspace.repo, "Angela Merkel visited Paris on Monday.\n", "Merkel")
    window.load()
    seed_id = first.doc_id_at(0)
    assert seed_id is not None and seed_id != other
    assert window.session.pending_request is not None
    stale = window.session.pending_request

    # The user moves on before the model answered: the seed's request is stale.
    with qtbot.waitSignal(window.session.annotations_changed, timeout=MODEL_TIMEOUT_MS):
        window.documents.select(other)
        fresh = window.session.pending_request
        assert fresh is not None and fresh > stale
        worker.start()
    assert window.article.current_document.id == other
    assert {window.article.text[s.start : s.end] for s in window.article.spans} >= {
        "Angela Merkel",
        "Paris",
    }

    # A late answer for the seed arrives anyway: it is dropped, nothing saved or shown.
    shown = list(window.article.spans)
    with qtbot.waitSignal(window.session.prediction_dropped) as dropped:
        worker.prediction_ready.emit(stale, seed_id, object())
    assert dropped.args == [stale, seed_id]
    assert window.article.spans == shown
    seed_set = workspace.repo.annotation_set(seed_id, workspace.annotator, create=False)
    assert seed_set is None or (not seed_set.spans and seed_set.status is Status.NEW)


def test_accept_saves_the_decision_and_moves_on(qtbot, window, workspace, tmp_path):
    add_document(workspace.repo, "Olaf Scholz spoke in Berlin.\n", "Scholz")
    open_and_predict(qtbot, window)
    seed_id = window.article.current_document.id

    with qtbot.waitSignal(window.session.document_opened):
        window.window_actions["accept"].trigger()

    aset = workspace.repo.annotation_set(seed_id, workspace.annotator)
    assert aset.status is Status.ACCEPTED
    assert window.documents.progress_label.text() == f"1/{len(seed_files()) + 1} accepted"
    assert window.article.current_document.id != seed_id
    save_shot(window, tmp_path / "shots" / "03-accepted.png")


def test_filters_and_search_narrow_the_list(qtbot, window, workspace):
    add_document(workspace.repo, "Olaf Scholz spoke in Berlin.\n", "Scholz")
    window.load()
    assert window.documents.model.rowCount() == len(seed_files()) + 1
    with qtbot.waitSignal(window.session.documents_listed):
        window.documents.search.setText("Scholz")
    assert [r.title for r in window.documents.model.rows] == ["Scholz"]
    window.documents.search.clear()
    with qtbot.waitSignal(window.session.documents_listed):
        window.documents.status_filter.setCurrentIndex(
            window.documents.status_filter.findData(Status.ACCEPTED.value)
        )
    assert window.documents.model.rowCount() == 0


def test_window_geometry_is_kept_in_an_ini_file(qtbot, window, workspace):
    window.resize(1100, 700)
    window.close()
    ini = workspace.data_dir / "window.ini"
    assert ini.is_file()
    settings = QSettings(str(ini), QSettings.Format.IniFormat)
    assert settings.value("window/geometry") is not None
    assert settings.value("window/state") is not None

    again = MainWindow(workspace.repo, workspace.annotator, settings_path=ini)
    qtbot.addWidget(again)
    assert again.size().width() == 1100


def test_read_only_workspace_shows_a_banner_and_refuses_decisions(qtbot, workspace):
    win = MainWindow(
        workspace.repo, workspace.annotator, readonly_reason="another Newsmark is editing"
    )
    qtbot.addWidget(win)
    win.show()
    win.load()
    assert win.banner.isVisible()
    assert "another Newsmark" in win.banner.text()
    assert not win.window_actions["accept"].isEnabled()
    assert win.article.current_document is not None


def test_quote_panel_lists_the_quotes_and_selects_one_in_the_text(qtbot, window, tmp_path):
    open_and_predict(qtbot, window)
    aset = window.session.annotations
    assert aset.quotes, "the seed's quotes were not predicted"
    model = window.quotes.model
    assert model.rowCount() == len(aset.quotes)
    first = model.quote_at(0)
    assert model.data(model.index(0, 2)) == first.kind.value
    index = model.index(0, 0)
    window.quotes.table.scrollTo(index)
    rect = window.quotes.table.visualRect(index)
    QTest.mouseClick(window.quotes.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.article.selected_quote == first
    assert window.article._overlay.selected_quote == [
        window.article.to_utf16(*p) for p in first.parts
    ]
    assert window.article.selection_range() is None  # a label key cannot label the quote
    save_shot(window, tmp_path / "shots" / "04-quote-selected.png")
