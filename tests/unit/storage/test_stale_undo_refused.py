"""Undo and redo are edits too: a revert or a replayed model run made against a version
the set has moved on from is refused (ConflictError) and writes nothing (both backends)."""

from __future__ import annotations

import pytest

from newsmark.domain.errors import ConflictError
from newsmark.domain.spans import Origin, Span
from newsmark.storage import Repository


def snapshot(repo: Repository, set_id: int) -> tuple[object, ...]:
    aset = repo.get_set(set_id)
    return (aset.version, aset.status, aset.spans, aset.quotes, len(repo.edit_log(set_id)))


def test_a_stale_revert_is_refused_and_a_current_one_applies(repo: Repository, doc_id: int):
    aset = repo.annotation_set(doc_id, "ann")
    assert aset is not None and aset.id is not None
    added = repo.add_span(aset.id, Span(0, 8, "PERSON"), "ann")
    mine = added.state.version
    # Another window relabels the span the window is about to undo.
    repo.update_span(aset.id, added.item.id or 0, "ben", label="ORG", expected_version=mine)
    before = snapshot(repo, aset.id)
    with pytest.raises(ConflictError, match="changed elsewhere"):
        repo.revert(added.state.logged, "ann", expected_version=mine)
    assert snapshot(repo, aset.id) == before  # ben's ORG stays, nothing logged
    now = repo.get_set(aset.id).version
    undone = repo.revert(added.state.logged, "ann", expected_version=now)
    assert undone.reverts == added.state.logged and repo.get_set(aset.id).spans == []


def test_a_stale_model_run_undo_is_refused(repo: Repository, doc_id: int):
    predicted = [Span(0, 8, "PERSON", Origin.MODEL), Span(30, 44, "PERSON", Origin.MODEL)]
    run = repo.save_predictions(doc_id, "ann", predicted, [])
    assert run is not None
    repo.add_span(run.set_id, Span(72, 81, "GPE"), "ben", expected_version=run.state.version)
    before = snapshot(repo, run.set_id)
    with pytest.raises(ConflictError, match="changed elsewhere"):
        repo.replay_predictions(run, "ann", undo=True, expected_version=run.state.version)
    assert snapshot(repo, run.set_id) == before


def test_recent_edits_are_the_newest_rows_newest_first(repo: Repository, doc_id: int):
    aset = repo.annotation_set(doc_id, "ann")
    assert aset is not None and aset.id is not None
    repo.add_span(aset.id, Span(0, 8, "PERSON"), "ann")
    repo.add_span(aset.id, Span(30, 38, "PERSON"), "ben")
    repo.set_status(aset.id, "accepted", "cara")
    recent = repo.recent_edits(aset.id, 2)
    assert [(e.who, e.op) for e in recent] == [("cara", "set_status"), ("ben", "add_span")]
    assert repo.recent_edits(aset.id, 0) == []
