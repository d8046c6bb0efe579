"""annotation_sets.uncertainty: stored with a model run, and the list's "most uncertain first"
order (NULLs last, ties by id, keyset pages, filters)."""

from __future__ import annotations

import pytest
from storage_helpers import item

from newsmark.domain.errors import UsageError
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.storage import Repository

TEXTS = [f"Document number {n} says little about the harbour." for n in range(6)]


@pytest.fixture
def ids(repo: Repository) -> list[int]:
    return [doc_id for doc_id, _ in repo.add_documents([item(t) for t in TEXTS], "import")]


def _run(repo: Repository, doc_id: int, uncertainty: float | None, force: bool = False) -> None:
    span = Span(0, 8, "ORG", Origin.MODEL, "m==1")
    repo.save_predictions(doc_id, "ann", [span], [], force, uncertainty=uncertainty)


def _stored(repo: Repository, doc_id: int) -> float | None:
    [row] = [r for r in repo.list_documents(annotator="ann") if r.id == doc_id]
    return row.uncertainty


def listed(repo: Repository, **kw: object) -> list[int]:
    return [r.id for r in repo.list_documents(annotator="ann", sort="uncertainty", **kw)]


def test_a_model_run_stores_the_uncertainty_and_none_keeps_it(
    repo: Repository, ids: list[int]
) -> None:
    _run(repo, ids[0], 0.25)
    assert _stored(repo, ids[0]) == 0.25
    _run(repo, ids[0], None)
    assert _stored(repo, ids[0]) == 0.25
    assert _stored(repo, ids[1]) is None  # no model touched it


def test_a_run_skipped_for_human_edits_writes_no_uncertainty(
    repo: Repository, ids: list[int]
) -> None:
    _run(repo, ids[0], 0.25)
    aset = repo.annotation_set(ids[0], "ann")
    assert aset is not None
    repo.set_status(aset.id, Status.ACCEPTED, "ann")
    _run(repo, ids[0], 0.9)
    assert _stored(repo, ids[0]) == 0.25


def test_most_uncertain_first_ties_by_id_nulls_last(repo: Repository, ids: list[int]) -> None:
    for doc_id, u in zip(ids, [0.1, 0.7, None, 0.7, 0.0, None], strict=True):
        if u is not None:
            _run(repo, doc_id, u)
    want = [ids[1], ids[3], ids[0], ids[4], ids[2], ids[5]]
    assert listed(repo) == want
    # The default order is still by id.
    assert [r.id for r in repo.list_documents(annotator="ann")] == ids


def test_keyset_pages_follow_the_same_order(repo: Repository, ids: list[int]) -> None:
    for doc_id, u in zip(ids, [0.1, 0.7, None, 0.7, 0.0, None], strict=True):
        if u is not None:
            _run(repo, doc_id, u)
    pages: list[int] = []
    after: int | None = None
    while True:
        page = listed(repo, limit=2, after=after)
        pages += page
        if len(page) < 2:
            break
        after = page[-1]
    assert pages == listed(repo)


def test_the_sort_keeps_the_status_filter(repo: Repository, ids: list[int]) -> None:
    _run(repo, ids[0], 0.2)
    _run(repo, ids[1], 0.8)
    assert listed(repo, status=Status.PREANNOTATED.value) == [ids[1], ids[0]]
    assert listed(repo, status=Status.NEW.value) == ids[2:]


def test_an_unknown_sort_is_refused(repo: Repository, ids: list[int]) -> None:
    with pytest.raises(UsageError, match="unknown sort 'size'"):
        repo.list_documents(sort="size")


def test_undoing_a_model_run_puts_the_uncertainty_back(repo: Repository, ids: list[int]) -> None:
    span = Span(0, 8, "ORG", Origin.MODEL, "m==1")
    first = repo.save_predictions(ids[0], "ann", [span], [], uncertainty=0.25)
    again = repo.save_predictions(ids[0], "ann", [span], [], uncertainty=0.75)
    assert first is not None and again is not None
    repo.replay_predictions(again, "ann", undo=True)
    assert _stored(repo, ids[0]) == 0.25
    repo.replay_predictions(again, "ann", undo=False)
    assert _stored(repo, ids[0]) == 0.75
    repo.replay_predictions(again, "ann", undo=True)
    repo.replay_predictions(first, "ann", undo=True)
    assert _stored(repo, ids[0]) is None  # as before any model ran
