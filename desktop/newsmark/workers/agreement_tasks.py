"""Background task of the Agreement dialog: the figures from the agreement service."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsmark.workers.task_runner import Cancel, Progress, TaskFn

if TYPE_CHECKING:
    from newsmark.storage import Repository


def agreement_task(repo: Repository, by: str, status: str, names: list[str] | None) -> TaskFn:
    """`services.agreement.agreement` on the pool thread (its UsageError is the failure
    message the dialog shows)."""

    def run(progress: Progress, cancel: Cancel) -> dict[str, Any]:
        from newsmark.services.agreement import agreement

        progress(0, None, "comparing the annotators' sets")
        return agreement(repo, by=by, annotators=names, status=status)

    return run
