"""An annotator's queue in the document list: only their assigned documents, with every
filter, sort, keyset page and count, answered by a join on assignments in SQL."""

from __future__ import annotations

import pytest
from storage_helpers import item, plans

from newsmark.domain.status import Status
from newsmark.storage import Database, Repository

N = 30


@pytest.fixture
def ids(repo: Repository) -> list[int]:
    items = [item(f"Story {i}: Angela Merkel met the mayor of Town{i}.") for i in range(N)]
    return [doc_id for doc_id, _ in repo.add_documents(items, "import")]


@pytest.fixture
def queue(repo: Repository, ids: list[int]) -> list[int]:
    """ann's queue: every third document, and one shared with bob; bob has the rest."""
    mine = ids[::3]
    planned = {d: ("ann",) for d in mine}
    planned[mine[1]] = ("bob", "ann")
    planned |= {d: ("bob",) for d in ids if d not in mine}
    repo.assign(planned, "coord", replace=False)
    return mine


def listed(repo: Repository, **kwargs: object) -> list[int]:
    return [d.id for d in repo.list_documents(annotator="ann", queue="ann", **kwargs)]  # type: ignore[arg-type]


def test_the_queue_lists_only_assigned_documents(
    repo: Repository, ids: list[int], queue: list[int]
) -> None:
    assert listed(repo) == queue
    assert [d.id for d in repo.list_documents(annotator="ann")] == ids  # no queue: all
    assert [d.id for d in repo.list_documents(annotator="bob", queue="bob")] == [
        d for d in ids if d not in queue or d == queue[1]
    ]
    assert [d.id for d in repo.list_documents(annotator="cy", queue="cy")] == []


def test_pages_of_the_queue_are_full_and_add_up(
    repo: Repository, ids: list[int], queue: list[int]
) -> None:
    # A filter applied after paging would leave holes in the pages: these are full.
    pages, after = [], None
    while True:
        page = listed(repo, limit=3, after=after)
        pages.append(page)
        if len(page) < 3:
            break
        after = page[-1]
    assert [len(p) for p in pages[:-1]] == [3] * (len(pages) - 1)
    assert [d for p in pages for d in p] == queue


def test_status_search_sort_and_counts_within_the_queue(
    repo: Repository, ids: list[int], queue: list[int]
) -> None:
    outside = next(d for d in ids if d not in queue)
    for doc_id, status in [
        (queue[0], "accepted"),
        (queue[2], "in_progress"),
        (outside, "accepted"),
    ]:
        aset = repo.annotation_set(doc_id, "ann")
        assert aset is not None and aset.id is not None
        repo.set_status(aset.id, status, "ann")
    assert listed(repo, status="accepted") == [queue[0]]  # not the one outside the queue
    assert listed(repo, status="in_progress") == [queue[2]]
    assert listed(repo, status="new") == [d for d in queue if d not in (queue[0], queue[2])]
    assert listed(repo, search="town9") == [ids[9]]  # in ann's queue (ids[::3])
    assert listed(repo, search="town10") == []  # Town10 is bob's
    assert listed(repo, sort="uncertainty") == queue  # no model yet: id order
    counts = repo.count_by_status("ann", queue="ann")
    assert counts[Status.ACCEPTED] == 1 and counts[Status.IN_PROGRESS] == 1
    assert sum(counts.values()) == len(queue)
    assert sum(repo.count_by_status("ann", "town", queue="ann").values()) == len(queue)
    assert repo.count_documents("new", "ann", queue="ann") == len(queue) - 2
    assert repo.count_by_status("ann")[Status.ACCEPTED] == 2  # all documents: both


@pytest.mark.usefixtures("sqlite_only")  # SQLite's query plans
def test_the_queue_is_a_join_on_the_assignments_index(
    db: Database, repo: Repository, queue: list[int]
) -> None:
    [page, _rows] = plans(db, lambda: repo.list_documents(annotator="ann", queue="ann", limit=50))
    assert "ix_assignments_annotator_document" in page and "TEMP B-TREE" not in page
    [by_status, total] = plans(db, lambda: repo.count_by_status("ann", queue="ann"))
    assert "ix_assignments_annotator_document" in by_status + total
