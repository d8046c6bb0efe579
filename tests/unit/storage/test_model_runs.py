"""Stored predictions report what they changed (ids included) and replay exactly for undo."""

from __future__ import annotations

import pytest
from storage_helpers import TEXT

from newsmark.domain.annotations import AnnotationSet
from newsmark.domain.errors import AnnotationError, ConflictError
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.storage import Repository, SetState

MODEL = "en_core_web_sm==3.8.0"
NETANYAHU = Span(0, 18, "PERSON", Origin.MODEL, MODEL)
PUTIN = Span(30, 44, "PERSON", Origin.MODEL, MODEL)
JERUSALEM = Span(72, 81, "GPE", Origin.MODEL, MODEL)
QUOTE = Quote(
    parts=((46, 60),), speaker=(61, 63), kind=QuoteKind.DIRECT, origin=Origin.MODEL, model=MODEL
)


def stored(repo: Repository, set_id: int) -> tuple[object, ...]:
    aset = repo.get_set(set_id)
    return aset.status, sorted(aset.spans, key=lambda s: s.start), aset.quotes


def the_set(repo: Repository, doc_id: int) -> AnnotationSet:
    aset = repo.annotation_set(doc_id, "ann1", create=False)
    assert aset is not None and aset.id is not None
    return aset


def test_a_stored_prediction_says_what_it_replaced_with_ids(repo: Repository, doc_id: int) -> None:
    assert TEXT[61:63] == "he" and TEXT[72:81] == "Jerusalem"
    first = repo.save_predictions(doc_id, "ann1", [NETANYAHU, PUTIN], [QUOTE])
    aset = the_set(repo, doc_id)
    assert first is not None and first.set_id == aset.id
    assert first.removed_spans == () and first.removed_quotes == ()
    assert list(first.added_spans) == sorted(aset.spans, key=lambda s: s.start)
    assert list(first.added_quotes) == aset.quotes and all(q.id for q in aset.quotes)
    assert first.before is Status.NEW
    assert first.state == SetState(aset.version, Status.PREANNOTATED) == SetState(1, aset.status)

    second = repo.save_predictions(doc_id, "ann1", [JERUSALEM], [])
    assert second is not None
    assert second.removed_spans == first.added_spans
    assert second.removed_quotes == first.added_quotes
    assert [s.key for s in second.added_spans] == [JERUSALEM.key]
    assert second.added_spans == tuple(repo.get_set(first.set_id).spans)
    # Above the replaced rows' ids: an undo step still holding one never meets a new row.
    assert min(s.id or 0 for s in second.added_spans) > max(s.id or 0 for s in first.added_spans)
    assert second.before is Status.PREANNOTATED and second.state.version == 2


def test_add_only_keeps_every_stored_item_and_adds_spans_that_overlap_none(
    repo: Repository, doc_id: int
) -> None:
    assert repo.save_predictions(doc_id, "ann1", [NETANYAHU], [QUOTE])
    aset = the_set(repo, doc_id)
    assert aset.id is not None
    human = repo.add_span(aset.id, Span(30, 38, "ORG", Origin.HUMAN), "ann1").item
    assert repo.save_predictions(doc_id, "ann1", [PUTIN], []) is None  # a person edited it
    before = repo.get_set(aset.id)

    predicted = [
        NETANYAHU,  # already there
        PUTIN,  # overlaps the person's ORG
        JERUSALEM,  # new
        Span(64, 68, "VERB", Origin.MODEL, MODEL),  # "said": a label outside the set
    ]
    run = repo.save_predictions(doc_id, "ann1", predicted, [], add_only=True)
    assert run is not None
    assert run.removed_spans == () and run.removed_quotes == () and run.added_quotes == ()
    assert [(s.key, s.origin) for s in run.added_spans] == [(JERUSALEM.key, Origin.MODEL)]
    after = repo.get_set(aset.id)
    assert sorted(after.spans, key=lambda s: s.start) == sorted(
        [*before.spans, *run.added_spans], key=lambda s: s.start
    )
    assert human in after.spans and after.quotes == before.quotes
    assert after.status is Status.IN_PROGRESS and run.state == SetState(after.version, after.status)


def test_replay_undoes_and_redoes_a_run_exactly(repo: Repository, doc_id: int) -> None:
    assert repo.save_predictions(doc_id, "ann1", [NETANYAHU, JERUSALEM], [QUOTE])
    set_id = the_set(repo, doc_id).id
    assert set_id is not None
    before = stored(repo, set_id)
    run = repo.save_predictions(doc_id, "ann1", [PUTIN], [])
    assert run is not None
    after = stored(repo, set_id)
    assert after != before

    undone = repo.replay_predictions(run, "ann1", undo=True)
    assert stored(repo, set_id) == before
    assert undone.removed_spans == run.added_spans and undone.added_spans == run.removed_spans
    assert undone.added_quotes == run.removed_quotes
    redone = repo.replay_predictions(run, "ann1", undo=False)
    assert stored(repo, set_id) == after
    assert redone.added_spans == run.added_spans and redone.state.status is Status.PREANNOTATED
    log = repo.edit_log(set_id)
    assert [e.op for e in log][-3:] == ["save_predictions", "undo_predictions", "redo_predictions"]
    assert redone.state.version == repo.get_set(set_id).version == 4


def test_undo_of_a_first_prediction_puts_the_set_back_to_new(repo: Repository, doc_id: int) -> None:
    run = repo.save_predictions(doc_id, "ann1", [NETANYAHU], [QUOTE])
    assert run is not None
    repo.replay_predictions(run, "ann1", undo=True)
    aset = repo.get_set(run.set_id)
    assert (aset.status, aset.spans, aset.quotes) == (Status.NEW, [], [])


def test_replay_refuses_when_the_set_moved_on_and_writes_nothing(
    repo: Repository, doc_id: int
) -> None:
    assert repo.save_predictions(doc_id, "ann1", [NETANYAHU], [])
    set_id = the_set(repo, doc_id).id
    assert set_id is not None
    run = repo.save_predictions(doc_id, "ann1", [PUTIN], [])
    assert run is not None
    [putin] = run.added_spans
    assert putin.id is not None

    # A person relabelled a span the run added: undo would delete what the person made.
    repo.update_span(set_id, putin.id, "ann1", label="ORG")
    kept, log = stored(repo, set_id), len(repo.edit_log(set_id))
    with pytest.raises(ConflictError, match="changed since the model run"):
        repo.replay_predictions(run, "ann1", undo=True)
    assert stored(repo, set_id) == kept and len(repo.edit_log(set_id)) == log

    # Undone by hand, then a person's span where the run's removed span would come back.
    repo.update_span(set_id, putin.id, "ann1", label="PERSON")
    repo.replace_span(set_id, putin, "ann1")
    repo.add_span(set_id, Span(0, 8, "PERSON", Origin.HUMAN), "ann1")
    kept, log = stored(repo, set_id), len(repo.edit_log(set_id))
    with pytest.raises(AnnotationError, match="overlap"):
        repo.replay_predictions(run, "ann1", undo=True)
    assert stored(repo, set_id) == kept and len(repo.edit_log(set_id)) == log


@pytest.mark.parametrize("decided", [Status.ACCEPTED, Status.REJECTED, Status.SKIPPED])
def test_a_re_run_that_adds_to_a_decided_set_takes_its_decision_back_until_undone(
    repo: Repository, doc_id: int, decided: Status
) -> None:
    """The decision covered what the person saw: spans a re-run adds since are not part
    of it (nor gold for training) until they decide again; undoing the run restores it."""
    assert repo.save_predictions(doc_id, "ann1", [NETANYAHU], [])
    set_id = the_set(repo, doc_id).id
    assert set_id is not None
    repo.set_status(set_id, decided.value, "ann1")
    nothing_new = repo.save_predictions(doc_id, "ann1", [NETANYAHU], [], add_only=True)
    assert nothing_new is not None and nothing_new.added_spans == ()
    assert repo.get_set(set_id).status is decided  # nothing added: the decision stands

    run = repo.save_predictions(doc_id, "ann1", [NETANYAHU, JERUSALEM], [], add_only=True)
    assert run is not None and [s.key for s in run.added_spans] == [JERUSALEM.key]
    assert run.before is decided and repo.get_set(set_id).status is Status.IN_PROGRESS
    repo.replay_predictions(run, "ann1", undo=True)
    assert repo.get_set(set_id).status is decided
    repo.replay_predictions(run, "ann1", undo=False)
    assert repo.get_set(set_id).status is Status.IN_PROGRESS
