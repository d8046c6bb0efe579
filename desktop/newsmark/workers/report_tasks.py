"""Background tasks of the dashboard: the report's figures and the learning curve."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsmark.services.learning_curve import TrainAndScore, learning_curve
from newsmark.workers.task_runner import Cancel, Progress, TaskFn

if TYPE_CHECKING:
    from newsmark.storage import Repository


def report_task(
    repo: Repository, model_name: str | None, status: str, annotator: str | None
) -> TaskFn:
    """Load the model (None: the default) and compute every figure of the report."""

    def run(progress: Progress, cancel: Cancel) -> dict[str, Any]:
        # Imported here, on the pool thread: spaCy's import never delays the window.
        from newsmark.services.models import load_resolved
        from newsmark.services.report import build_report

        progress(0, None, f"loading {model_name or 'the default model'}")
        model = load_resolved(repo, model_name)  # a trained model's name: its directory
        return build_report(
            repo, model, status=status, annotator=annotator, progress_cb=progress, cancel=cancel
        )

    return run


def learning_curve_task(train_and_score: TrainAndScore) -> TaskFn:
    """Train on 25/50/75/100 % of the gold, one run after the other; (fraction, score)s."""

    def run(progress: Progress, cancel: Cancel) -> list[tuple[float, float]]:
        return learning_curve(train_and_score, progress_cb=progress, cancel=cancel)

    return run
