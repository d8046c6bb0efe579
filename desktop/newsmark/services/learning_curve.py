"""The learning curve: the score after training on growing shares of the gold."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from newsmark.domain.errors import UsageError
from newsmark.services.progress import Cancel, Cancelled, Progress, never_cancel, no_progress

FRACTIONS = (0.25, 0.5, 0.75, 1.0)

# Trains on `fraction` of the gold (the same dev set each time) and returns the dev score;
# it consults the cancel check while it trains (one run takes minutes) and raises Cancelled.
TrainAndScore = Callable[[float, Cancel], float]


def learning_curve(
    train_and_score: TrainAndScore,
    fractions: Sequence[float] = FRACTIONS,
    progress_cb: Progress = no_progress,
    cancel: Cancel = never_cancel,
) -> list[tuple[float, float]]:
    """(fraction, score) for each fraction in order; Cancelled between trainings and,
    through `train_and_score`, during one.

    Training itself lives elsewhere (services/training.py): this only orders the runs,
    so the dashboard draws whatever scorer it is given.
    """
    if not fractions or any(not 0 < f <= 1 for f in fractions):
        raise UsageError(f"fractions must lie in (0, 1]: {list(fractions)}")
    points: list[tuple[float, float]] = []
    for n, fraction in enumerate(fractions):
        if cancel():
            raise Cancelled()
        progress_cb(n, len(fractions), f"training on {fraction:.0%} of the gold")
        points.append((fraction, float(train_and_score(fraction, cancel))))
    progress_cb(len(fractions), len(fractions), "learning curve done")
    return points
