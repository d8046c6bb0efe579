"""The document list on a corpus larger than a page: lazy pages, counts, search, one-row
updates after edits, and navigation past the rows fetched so far."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmark.domain.document import DocumentInput
from newsmark.domain.status import Status
from newsmark.nlp.tokens import tokenize_many
from newsmark.ui.main_window import MainWindow
from newsmark.ui.models.document_list_model import PAGE_ROWS

N_DOCS = 250
ACCEPTED = range(1, 150)  # documents 1..149 come accepted: next unfinished is 150


def article(n: int) -> str:
    place = "Zürich" if n % 50 == 7 else "Berlin"
    return f"Report {n} from {place}.\n\nThe council met in {place} on Monday.\n"


@pytest.fixture
def corpus_window(qtbot, tmp_path: Path):
    from newsmark.services.workspace import open_workspace

    ws = open_workspace(tmp_path / "data", take_lock=True)
    texts = [article(n) for n in range(N_DOCS)]
    items = [
        (
            DocumentInput(
                text,
                {"title": f"Report {n}"},
                annotator=ws.annotator if n in ACCEPTED else None,
                status="accepted" if n in ACCEPTED else None,
            ),
            tokens,
        )
        for n, (text, tokens) in enumerate(zip(texts, tokenize_many(texts), strict=True))
    ]
    ids = [doc_id for doc_id, _ in ws.repo.add_documents(items, "import:test")]
    win = MainWindow(ws.repo, ws.annotator, settings_path=tmp_path / "data" / "window.ini")
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.load()
    yield win, ws, ids
    win.close()
    ws.close()


def test_the_list_holds_a_page_and_fetches_more_as_it_scrolls(qtbot, corpus_window):
    win, _, ids = corpus_window
    panel = win.documents
    assert PAGE_ROWS < N_DOCS
    assert panel.model.rowCount() == PAGE_ROWS
    assert panel.current_id == ids[0]
    # The counts cover the whole corpus, not the rows fetched.
    assert panel.status_filter.itemText(0) == f"All statuses · {N_DOCS}"
    accepted = panel.status_filter.findData(Status.ACCEPTED.value)
    assert panel.status_filter.itemText(accepted) == f"Accepted · {len(ACCEPTED)}"
    assert panel.count_label.text() == f"{N_DOCS} listed"
    assert panel.progress_label.text() == f"{len(ACCEPTED)}/{N_DOCS} accepted"
    panel.view.scrollToBottom()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2 * PAGE_ROWS)
    panel.view.scrollToBottom()
    qtbot.waitUntil(lambda: panel.model.rowCount() == N_DOCS)
    assert [panel.model.doc_id_at(r) for r in range(N_DOCS)] == ids
    assert not panel.model.canFetchMore()


def test_selecting_a_document_further_down_fetches_up_to_it(qtbot, corpus_window):
    win, _, ids = corpus_window
    with qtbot.waitSignal(win.session.document_opened):
        assert win.documents.select(ids[-2])
    assert win.article.current_document.id == ids[-2]
    assert win.documents.model.rowCount() == N_DOCS
    assert win.documents.step(+1) == ids[-1]


def test_search_folds_diacritics_and_counts_what_it_found(qtbot, corpus_window):
    win, _, ids = corpus_window
    with qtbot.waitSignal(win.session.documents_listed):
        win.documents.search.setText("ZURICH")
    expected = [ids[n] for n in range(N_DOCS) if n % 50 == 7]
    assert [r.id for r in win.documents.model.rows] == expected
    assert win.documents.count_label.text() == f"{len(expected)} found"
    with qtbot.waitSignal(win.session.documents_listed):
        win.documents.status_filter.setCurrentIndex(
            win.documents.status_filter.findData(Status.NEW.value)
        )
    assert [r.id for r in win.documents.model.rows] == [
        ids[n] for n in range(N_DOCS) if n % 50 == 7 and n not in ACCEPTED
    ]


def test_an_edit_updates_its_row_and_the_counts_without_listing_again(qtbot, corpus_window):
    win, _, ids = corpus_window
    session = win.session
    with (
        qtbot.assertNotEmitted(session.documents_listed, wait=0),
        qtbot.waitSignal(session.summary_changed, timeout=5000) as changed,
    ):
        assert session.label_range(0, len("Report 0"), "WORK_OF_ART")
    assert changed.args[0].id == ids[0]
    row = win.documents.model.summary(ids[0])
    assert row.status is Status.IN_PROGRESS and row.n_spans == 1
    in_progress = win.documents.status_filter.findData(Status.IN_PROGRESS.value)
    assert win.documents.status_filter.itemText(in_progress) == "In progress · 1"
    new = win.documents.status_filter.findData(Status.NEW.value)
    assert win.documents.status_filter.itemText(new) == f"New · {N_DOCS - len(ACCEPTED) - 1}"
    assert win.documents.model.rowCount() == PAGE_ROWS  # nothing fetched again


def test_next_unfinished_looks_past_the_rows_fetched(qtbot, corpus_window):
    win, _, ids = corpus_window
    assert win.documents.model.rowCount() == PAGE_ROWS  # 1..99 loaded and accepted
    with qtbot.waitSignal(win.session.document_opened):
        win.navigator.next_unfinished()
    assert win.article.current_document.id == ids[150]
    assert win.documents.current_id == ids[150]
    with qtbot.waitSignal(win.session.document_opened):
        win.documents.select(ids[-1])
    with qtbot.waitSignal(win.session.document_opened):
        win.navigator.next_unfinished()  # nothing after the last: wraps around to the first
    assert win.article.current_document.id == ids[0]


def test_only_a_search_is_counted_up_to_a_cap(qtbot, corpus_window, monkeypatch):
    from newsmark.ui import document_session

    win, _, _ = corpus_window
    monkeypatch.setattr(document_session, "LISTED_CAP", 100)
    with qtbot.waitSignal(win.session.documents_listed):
        win.documents.status_filter.setCurrentIndex(
            win.documents.status_filter.findData(Status.NEW.value)
        )
    assert win.documents.count_label.text() == f"{N_DOCS - len(ACCEPTED)} listed"  # exact
    with qtbot.waitSignal(win.session.documents_listed):
        win.documents.search.setText("council")  # in every document
    assert win.documents.count_label.text() == "100+ found"
    assert win.documents.status_filter.itemText(0) == f"All statuses · {N_DOCS}"
