"""A forced pre-annotation never writes into a decided set (real SQLite, real model):
what an annotator accepted, rejected or skipped is gold as they saw it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from gold_support import add_gold
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.services.preannotation import load_model, preannotate
from newsmark.services.workspace import open_workspace


def test_force_leaves_accepted_rejected_and_skipped_sets_alone(data_dir: Path) -> None:
    ws = open_workspace()
    try:
        ids = add_gold(ws.repo)
        gold_before = ws.repo.gold_docs()
        assert {s.origin for d in gold_before for s in d.spans} == {Origin.HUMAN}
        rejected, skipped, open_ = ids[-3], ids[-2], ids[-1]
        for doc_id, status in (
            (rejected, "rejected"),
            (skipped, "skipped"),
            (open_, "in_progress"),
        ):
            aset = ws.repo.annotation_set(doc_id, "alice")
            assert aset is not None
            ws.repo.set_status(aset.id, status, "alice")
        decided = {i: ws.repo.annotation_set(i, "alice") for i in ids if i != open_}

        report = preannotate(ws.repo, load_model(), None, annotator="alice", force=True)

        assert sorted(report.kept_decided) == sorted(decided)
        assert report.done == [open_]
        assert "accepted, rejected or skipped" in report.summary()
        for doc_id, before in decided.items():
            after = ws.repo.annotation_set(doc_id, "alice")
            assert after is not None and before is not None
            assert (after.status, after.version) == (before.status, before.version)
            assert after.spans == before.spans and after.quotes == before.quotes
        gold = ws.repo.gold_docs()
        origins = Counter(s.origin for d in gold for s in d.spans)
        assert set(origins) == {Origin.HUMAN}
        assert not any(q.origin is Origin.MODEL for d in gold for q in d.quotes)
        # The in_progress one was redone (force) and stays in_progress.
        redone = ws.repo.annotation_set(open_, "alice")
        assert redone is not None and redone.status is Status.IN_PROGRESS
    finally:
        ws.close()


def test_storage_refuses_a_forced_prediction_into_an_accepted_set(data_dir: Path) -> None:
    ws = open_workspace()
    try:
        doc_id = add_gold(ws.repo)[0]
        before = ws.repo.annotation_set(doc_id, "alice")
        assert before is not None and before.status is Status.ACCEPTED
        span = before.spans[0]
        text = ws.repo.get_document(doc_id).text
        free = next(
            i
            for i in range(len(text) - 3)
            if text[i : i + 3].isalpha()
            and all(s.end <= i or s.start >= i + 3 for s in before.spans)
        )
        run = ws.repo.save_predictions(
            doc_id, "alice", [Span(free, free + 3, span.label, Origin.MODEL)], [], force=True
        )
        assert run is None
        after = ws.repo.annotation_set(doc_id, "alice")
        assert after is not None and after.spans == before.spans
        assert after.version == before.version
    finally:
        ws.close()
