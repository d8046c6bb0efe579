"""The gold training reads: human-touched sets only, one per document, a deterministic
split, and clear refusals (real SQLite, no spaCy training here)."""

from __future__ import annotations

import sqlite3
from itertools import pairwise
from pathlib import Path

import pytest

from gold_support import GOLD, add_gold
from newsmark.domain.errors import UsageError
from newsmark.domain.spans import Span
from newsmark.domain.training import GoldDoc
from newsmark.services.training import (
    TrainOptions,
    curve_subset,
    gold_split,
    parse_eval_from,
    split_gold,
)
from newsmark.services.workspace import Workspace, open_workspace


@pytest.fixture
def ws(data_dir: Path):
    opened = open_workspace()
    yield opened
    opened.close()


def test_gold_is_the_accepted_sets_a_person_touched(ws: Workspace) -> None:
    ids = add_gold(ws.repo)
    docs = ws.repo.gold_docs()
    assert len(docs) == len(GOLD)
    first = next(d for d in docs if d.text == GOLD[0][0])
    assert [(first.text[s.start : s.end], s.label) for s in first.spans] == GOLD[0][1]
    # An accepted set whose log holds only a model run: model output nobody saw.
    aset = ws.repo.annotation_set(ids[0], "robot")
    assert aset is not None
    ws.repo.save_predictions(ids[0], "robot", [Span(0, 4, "PERSON")], [])
    with sqlite3.connect(ws.repo.path) as raw:  # as an older tool could have left it
        raw.execute("UPDATE annotation_sets SET status='accepted' WHERE id=?", (aset.id,))
    assert ws.repo.gold_docs(annotator="robot") == []
    assert ws.repo.untouched_sets(annotator="robot") == 1
    with pytest.raises(UsageError, match="1 such set"):
        gold_split(ws.repo, TrainOptions(annotator="robot"))
    # Still one GoldDoc per document (the person's set, not the robot's).
    assert len(ws.repo.gold_docs()) == len(GOLD)


def test_in_progress_on_request_and_refusals(ws: Workspace) -> None:
    add_gold(ws.repo, annotator="bob", status="in_progress")
    with pytest.raises(UsageError, match=r"no gold to train on: no accepted.*are 6 in_progress"):
        gold_split(ws.repo, TrainOptions())
    assert len(gold_split(ws.repo, TrainOptions(status="in_progress")).train) >= 1
    with pytest.raises(UsageError, match="unknown annotator 'carol'"):
        gold_split(ws.repo, TrainOptions(status="in_progress", annotator="carol"))
    with pytest.raises(UsageError, match="--status 'preannotated'"):
        gold_split(ws.repo, TrainOptions(status="preannotated"))
    with pytest.raises(UsageError, match=r"--eval-split 1\.5"):
        gold_split(ws.repo, TrainOptions(status="in_progress", eval_split=1.5))
    with pytest.raises(UsageError, match="--eval-from 'rejected/bob'"):
        parse_eval_from("rejected/bob")
    with pytest.raises(UsageError, match="unknown annotator 'zed'"):
        gold_split(ws.repo, TrainOptions(status="in_progress", eval_from="in_progress/zed"))


def test_eval_from_another_annotator_keeps_dev_text_out_of_training(ws: Workspace) -> None:
    add_gold(ws.repo, annotator="alice", gold=GOLD[:4])
    add_gold(ws.repo, annotator="bob", gold=GOLD[3:])  # GOLD[3] done by both
    split = gold_split(ws.repo, TrainOptions(annotator="alice", eval_from="accepted/bob"))
    assert {d.text for d in split.dev} == {t for t, _ in GOLD[3:]}
    assert {d.text for d in split.train} == {t for t, _ in GOLD[:3]}
    assert split.described == "dev from accepted/bob"


def test_split_is_deterministic_by_key_and_seed() -> None:
    docs = [GoldDoc(key=f"{n:04d}", text=f"text {n}") for n in range(200)]
    a = split_gold(docs, 0.2, seed=1)
    assert split_gold(list(reversed(docs)), 0.2, seed=1) == a  # order does not matter
    assert 25 <= len(a.dev) <= 55 and len(a.train) + len(a.dev) == 200
    assert {d.key for d in split_gold(docs, 0.2, seed=2).dev} != {d.key for d in a.dev}
    # A document added later does not move the others.
    more = split_gold([*docs, GoldDoc(key="new", text="x")], 0.2, seed=1)
    assert {d.key for d in a.dev} <= {d.key for d in more.dev}
    # Two documents: one on each side, whatever the share.
    two = split_gold(docs[:2], 0.01, seed=0)
    assert len(two.train) == 1 and len(two.dev) == 1
    with pytest.raises(UsageError, match="at least 2"):
        split_gold(docs[:1], 0.2, seed=0)


def test_learning_curve_shares_grow_by_adding_documents() -> None:
    docs = [GoldDoc(key=f"{n:04d}", text=f"text {n}") for n in range(40)]
    shares = [curve_subset(docs, f, seed=0) for f in (0.25, 0.5, 0.75, 1.0)]
    assert [len(s) for s in shares] == [10, 20, 30, 40]
    for smaller, larger in pairwise(shares):
        assert set(smaller) <= set(larger)
    assert curve_subset(list(reversed(docs)), 0.5, seed=0) == shares[1]
    assert len(curve_subset(docs[:2], 0.25, seed=0)) == 1  # never empty
