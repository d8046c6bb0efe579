"""Quote training's early ends through the training service (real SQLite, real model,
tiny runs): a cancel before the first evaluation keeps and registers nothing; a dev split
without quotes is refused before any stage runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from gold_support import add_gold, add_quote_gold
from newsmark.domain.errors import UsageError
from newsmark.domain.training import TrainProgress
from newsmark.services.progress import Cancelled
from newsmark.services.training import TrainOptions, split_gold, train
from newsmark.services.workspace import Workspace, open_workspace


def test_a_quote_training_cancelled_before_its_first_update_keeps_nothing(
    data_dir: Path,
) -> None:
    ws = open_workspace()
    try:
        add_quote_gold(ws.repo, 5)
        options = TrainOptions(quotes=True, name="never-q", max_steps=50, eval_frequency=10)
        with pytest.raises(Cancelled):
            train(ws.repo, ws.data_dir, options, cancelled=lambda: True)
        assert ws.repo.trained_models() == []
        # Neither the model's folder nor any scratch is left.
        assert not (data_dir / "models").exists() or not any((data_dir / "models").iterdir())
    finally:
        ws.close()


def _seed_with_no_dev_quotes(ws: Workspace) -> int:
    docs = ws.repo.gold_docs()
    for seed in range(200):
        split = split_gold(docs, 0.2, seed)
        if any(d.quotes for d in split.train) and not any(d.quotes for d in split.dev):
            return seed
    raise AssertionError("no seed leaves the dev documents without quotes")


def test_a_dev_split_without_quotes_is_refused_before_anything_trains(data_dir: Path) -> None:
    ws = open_workspace()
    try:
        add_gold(ws.repo)
        add_quote_gold(ws.repo, 2)
        seed = _seed_with_no_dev_quotes(ws)
        seen: list[TrainProgress] = []
        options = TrainOptions(
            ner=True, quotes=True, seed=seed, name="nodev", max_steps=4, eval_frequency=2
        )
        with pytest.raises(UsageError) as refused:
            train(ws.repo, ws.data_dir, options, progress=seen.append)
        assert str(refused.value).startswith("no quotes to evaluate on: the ")
        assert seen == []  # refused before the entity stage ran
        assert ws.repo.trained_models() == []
        assert not (data_dir / "models").exists() or not any((data_dir / "models").iterdir())

        # Not asked for by name: the entities train, and the outcome says why quotes did not.
        implicit = TrainOptions(seed=seed, name="nodev", max_steps=4, eval_frequency=2)
        outcome = train(ws.repo, ws.data_dir, implicit)
        assert "quotes not trained: the dev documents have none to evaluate on" in outcome.notes
        assert set(outcome.model.meta["scores"]) == {"ner"}
    finally:
        ws.close()
