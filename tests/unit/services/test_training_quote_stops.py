"""Quote training's early ends through the training service (real SQLite, real model,
tiny runs): a cancel before the first evaluation keeps and registers nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from gold_support import add_quote_gold
from newsmark.services.progress import Cancelled
from newsmark.services.training import TrainOptions, train
from newsmark.services.workspace import open_workspace


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
