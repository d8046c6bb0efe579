"""The entity stage trains and scores on documents with entity spans only: quote gold
(sets with quotes and no spans) beside entity gold must not teach "no entities here"
(real SQLite, real model, a tiny run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gold_support import GOLD, add_gold, add_quote_gold
from newsmark.domain.errors import UsageError
from newsmark.services.training import (
    TrainOptions,
    entity_split,
    gold_split,
    split_gold,
    train,
)
from newsmark.services.workspace import open_workspace


def test_quote_only_gold_is_left_out_of_the_entity_stage(data_dir: Path) -> None:
    ws = open_workspace()
    try:
        add_gold(ws.repo)
        add_quote_gold(ws.repo, 8)
        options = TrainOptions(ner=True, name="ents", max_steps=4, eval_frequency=2)
        split = gold_split(ws.repo, options)
        assert len(split.train) + len(split.dev) == len(GOLD) + 8
        outcome = train(ws.repo, ws.data_dir, options)
        entity_docs = outcome.model.meta["entity_documents"]
        assert entity_docs["train"] + entity_docs["dev"] == len(GOLD)
        assert entity_docs["dev"] == sum(1 for d in split.dev if d.spans)
        assert (
            "entities: 8 document(s) without entity spans (quote gold) were left out of the "
            "entity stage" in outcome.notes
        )
    finally:
        ws.close()


def test_an_entity_stage_with_no_spans_in_dev_is_refused(data_dir: Path) -> None:
    ws = open_workspace()
    try:
        add_gold(ws.repo)
        add_quote_gold(ws.repo, 8)
        docs = ws.repo.gold_docs()
        seed = next(s for s in range(500) if not any(d.spans for d in split_gold(docs, 0.2, s).dev))
        options = TrainOptions(ner=True, seed=seed, name="nodev", max_steps=4, eval_frequency=2)
        with pytest.raises(UsageError, match="no entity spans to evaluate on"):
            train(ws.repo, ws.data_dir, options)
        assert ws.repo.trained_models() == []
    finally:
        ws.close()


def test_entity_split_counts_what_it_leaves_out(data_dir: Path) -> None:
    ws = open_workspace()
    try:
        add_gold(ws.repo)
        add_quote_gold(ws.repo, 3)
        split = gold_split(ws.repo, TrainOptions(ner=True))
        kept, left_out = entity_split(split)
        assert left_out == 3
        assert all(d.spans for d in (*kept.train, *kept.dev))
        assert len(kept.train) + len(kept.dev) == len(GOLD)
    finally:
        ws.close()
