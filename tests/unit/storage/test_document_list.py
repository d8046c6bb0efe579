"""The document list at archive scale: keyset pages, counts per status, full-text search
(folding case and diacritics, kept in step by triggers) and query plans that use indexes."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from storage_helpers import item, plans

from newsmark.domain.errors import NotFoundError
from newsmark.domain.spans import Span
from newsmark.domain.status import Status
from newsmark.storage import Database, Repository, queries

TEXTS = [
    ("Ärger in Zürich: the council met today.", "Zürich council"),
    ("Benjamin Netanyahu spoke with Vladimir Putin in Jerusalem.", "The call"),
    ("Nothing to see here, said nobody at the harbour.", None),
    ("Straße closed after the storm; Crème brûlée festival postponed.", "Storm news"),
    ("今日は東京で会議がありました。", "東京"),
    ('He wrote "AND" NEAR(x y) - not: a*b OR c.', "Syntax"),
]


@pytest.fixture
def ids(repo: Repository) -> list[int]:
    items = [item(text, meta={"title": title} if title else {}) for text, title in TEXTS]
    return [doc_id for doc_id, _ in repo.add_documents(items, "import")]


def found(repo: Repository, search: str) -> list[int]:
    return [d.id for d in repo.list_documents(search=search)]


def test_search_folds_case_and_diacritics_both_ways(repo: Repository, ids: list[int]) -> None:
    assert found(repo, "ärger") == [ids[0]]
    assert found(repo, "ARGER") == [ids[0]]
    assert found(repo, "zurich council") == [ids[0]]  # the title, as a phrase
    assert found(repo, "ZÜRICH") == [ids[0]]
    assert found(repo, "creme brulee") == [ids[3]]
    assert found(repo, "crème BRÛLÉE") == [ids[3]]
    assert found(repo, "straße") == [ids[3]]


def test_search_is_a_phrase_whose_last_word_may_be_a_prefix(
    repo: Repository, ids: list[int]
) -> None:
    assert found(repo, "jerusal") == [ids[1]]
    assert found(repo, "vladimir puti") == [ids[1]]
    assert found(repo, "putin vladimir") == []  # the words in the order typed
    assert found(repo, "nothing to see here") == [ids[2]]  # untitled: its text
    # A last word under four characters is a whole word: "the" is not "then"/"there".
    assert found(repo, "the") == ids[:4]
    assert found(repo, "zur") == found(repo, "vladimir put") == []
    assert found(repo, "zuri") == [ids[0]]
    assert found(repo, "jerusalem ") == [ids[1]]  # a finished word, then a space
    assert found(repo, "jerusal ") == []


def test_search_text_is_never_read_as_query_syntax(repo: Repository, ids: list[int]) -> None:
    for search in ['"AND"', "NEAR(x y)", "not:", "a*b OR c", "- not", '"', "*", "(", "AND"]:
        hits = found(repo, search)  # no FTS5 syntax error for any of them
        assert set(hits) <= {ids[5], ids[4], ids[0], ids[1], ids[2], ids[3]}
    assert found(repo, "a*b or c") == [ids[5]]
    assert found(repo, "near(x y)") == [ids[5]]
    assert found(repo, '"') == [ids[5]]  # nothing but punctuation: a substring scan


def test_words_of_unspaced_scripts_are_found_inside_runs(repo: Repository, ids: list[int]) -> None:
    # unicode61 makes "今日は東京で会議がありました" one token; a scan finds the word in it.
    assert found(repo, "東京") == [ids[4]]
    assert found(repo, "会議") == [ids[4]]


@pytest.mark.usefixtures("sqlite_only")  # a server has no index: it scans
def test_the_index_follows_every_writer(db: Database, repo: Repository, ids: list[int]) -> None:
    # Another program writing plain SQL: the triggers keep the index in step.
    with sqlite3.connect(db.path) as conn:
        conn.execute("UPDATE documents SET title = 'Harbour update' WHERE id = ?", (ids[2],))
        conn.execute(
            "INSERT INTO documents (sha256, text, meta, title, created_at, tokens)"
            " VALUES ('x', 'A brand new article about Jerusalem.', '{}', NULL, 'now', '[]')"
        )
        conn.execute("DELETE FROM documents WHERE id = ?", (ids[1],))
    conn.close()
    assert found(repo, "harbour update") == [ids[2]]
    new_id = max(repo.document_ids())
    assert found(repo, "jerusalem") == [new_id]  # the deleted one is gone from the index
    assert found(repo, "zurich council") == [ids[0]]


def make_statuses(repo: Repository, ids: list[int]) -> None:
    """ann1: 0 accepted, 1 in progress, 2 rejected, 3 new (a set), 4 and 5 no set.
    ann2 accepts everything it touches, which must not show in ann1's list."""
    for doc_id, status in zip(ids[:4], ["accepted", "in_progress", "rejected", "new"], strict=True):
        aset = repo.annotation_set(doc_id, "ann1")
        assert aset is not None and aset.id is not None
        if status != "new":
            repo.set_status(aset.id, status, "ann1")
    for doc_id in ids[2:]:
        other = repo.annotation_set(doc_id, "ann2")
        assert other is not None and other.id is not None
        repo.set_status(other.id, "accepted", "ann2")


def test_counts_per_status_match_what_the_list_shows(repo: Repository, ids: list[int]) -> None:
    make_statuses(repo, ids)
    counts = repo.count_by_status("ann1")
    assert counts == {
        Status.NEW: 3,
        Status.PREANNOTATED: 0,
        Status.IN_PROGRESS: 1,
        Status.ACCEPTED: 1,
        Status.REJECTED: 1,
        Status.SKIPPED: 0,
    }
    for status, n in counts.items():
        assert len(repo.list_documents(status=status.value, annotator="ann1")) == n
    assert [d.id for d in repo.list_documents(status="new", annotator="ann1")] == ids[3:]
    # Narrowed by a search: "the" is in documents 0 to 3.
    assert repo.count_by_status("ann1", "the") == {
        **dict.fromkeys(Status, 0),
        Status.ACCEPTED: 1,
        Status.IN_PROGRESS: 1,
        Status.REJECTED: 1,
        Status.NEW: 1,
    }
    # Without an annotator the most recently changed set counts (ann2's, where it has one).
    assert repo.count_by_status() == {
        **dict.fromkeys(Status, 0),
        Status.ACCEPTED: 5,
        Status.IN_PROGRESS: 1,
    }


def test_counting_what_is_listed_stops_past_the_cap(repo: Repository, ids: list[int]) -> None:
    make_statuses(repo, ids)
    assert repo.count_documents(search="the") == 4
    assert repo.count_documents(search="the", cap=2) == 3  # "more than 2"
    assert repo.count_documents("accepted", "ann1", search="the") == 1
    assert repo.count_documents("new", "ann1") == 3
    assert repo.count_documents() == len(ids)


@pytest.mark.parametrize(
    ("status", "search"),
    [(None, None), ("new", None), ("accepted", None), (None, "the"), ("new", "the")],
)
def test_keyset_pages_add_up_to_the_whole_list(
    repo: Repository, ids: list[int], status: str | None, search: str | None
) -> None:
    make_statuses(repo, ids)
    whole = repo.list_documents(status=status, annotator="ann1", search=search)
    pages: list[Any] = []
    after = None
    while True:
        page = repo.list_documents(
            status=status, annotator="ann1", search=search, limit=2, after=after
        )
        pages += page
        if len(page) < 2:
            break
        after = page[-1].id
    assert pages == whole and whole


def test_the_whole_list_comes_in_bounded_chunks(
    repo: Repository, ids: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "PAGE", 2)  # an IN list per chunk, never one per document
    assert [d.id for d in repo.list_documents()] == ids
    assert [d.id for d in repo.list_documents(offset=3)] == ids[3:]


def test_one_row_summary_after_an_edit(repo: Repository, ids: list[int]) -> None:
    aset = repo.annotation_set(ids[1], "ann1")
    assert aset is not None and aset.id is not None
    repo.add_span(aset.id, Span(0, 18, "PERSON"), "ann1")
    row = repo.document_summary(ids[1], "ann1")
    assert (row.id, row.title, row.status, row.n_spans, row.set_id) == (
        ids[1],
        "The call",
        Status.IN_PROGRESS,
        1,
        aset.id,
    )
    assert repo.document_summary(ids[2], "ann1").title.startswith("Nothing to see here")
    with pytest.raises(NotFoundError, match="no document with id 999"):
        repo.document_summary(999, "ann1")


# -- query plans: every list query is answered from an index, never a table scan ------------


@pytest.mark.usefixtures("sqlite_only")  # SQLite's query plans
def test_list_pages_and_counts_use_indexes(db: Database, repo: Repository, ids: list[int]) -> None:
    make_statuses(repo, ids)
    last = ids[2]
    accepted = plans(db, lambda: repo.list_documents("accepted", "ann1", limit=50, after=last))
    assert "ix_annotation_sets_annotator_status" in accepted[0]
    assert "SCAN" not in accepted[0] and "TEMP B-TREE" not in accepted[0]
    unfiltered = plans(db, lambda: repo.list_documents(annotator="ann1", limit=50, after=last))
    assert "SEARCH documents USING INTEGER PRIMARY KEY (rowid>?)" in unfiltered[0]
    searched = plans(db, lambda: repo.list_documents(search="the", limit=50, after=last))
    assert "VIRTUAL TABLE INDEX" in searched[0] and "TEMP B-TREE" not in searched[0]
    [by_status, _total] = plans(db, lambda: repo.count_by_status("ann1"))
    assert "COVERING INDEX ix_annotation_sets_annotator_status" in by_status
    assert "SCAN annotation_sets " not in by_status + " "
