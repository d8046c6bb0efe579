"""The dashboard's learning curve stops when cancelled during a training, not only
between two (real SQLite, real spaCy: one run would go on for its whole time limit)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from gold_support import add_gold
from newsmark.services.learning_curve import learning_curve
from newsmark.services.progress import Cancelled
from newsmark.services.training import TrainOptions, score_fraction
from newsmark.services.workspace import open_workspace

# Long enough that only a cancel inside the training ends a run early.
LONG = TrainOptions(ner=True, max_steps=100_000, eval_frequency=2, max_minutes=0.5)


def test_a_cancel_during_a_training_stops_the_curve(data_dir: Path) -> None:
    ws = open_workspace()
    try:
        add_gold(ws.repo)
        checks: list[float] = []
        started: list[str] = []

        def cancel() -> bool:  # asked before the first run, then by the trainer
            checks.append(time.monotonic())
            return len(checks) > 3

        def train_and_score(fraction: float, cancelled) -> float:  # type: ignore[no-untyped-def]
            return score_fraction(ws.repo, ws.data_dir, fraction, options=LONG, cancelled=cancelled)

        t0 = time.monotonic()
        with pytest.raises(Cancelled):
            learning_curve(
                train_and_score, progress_cb=lambda _d, _t, m: started.append(m), cancel=cancel
            )
        assert started == ["training on 25% of the gold"]  # the first run was stopped
        assert time.monotonic() - t0 < 20  # not its 30 s time limit
        assert not [p for p in (data_dir / "models").iterdir() if p.name.startswith(".curve-")]
    finally:
        ws.close()
