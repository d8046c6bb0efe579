"""Background tasks of the review window: load a document's review, write a decision."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from newsmark.workers.task_runner import Cancel, Progress, TaskFn

if TYPE_CHECKING:
    from newsmark.services.review import Review
    from newsmark.storage import Repository


def review_list_task(repo: Repository) -> TaskFn:
    """The documents to review (`services.review.review_list`)."""

    def run(progress: Progress, cancel: Cancel) -> object:
        from newsmark.services.review import review_list

        return review_list(repo)

    return run


def load_review_task(repo: Repository, doc_id: int) -> TaskFn:
    """A document's review; its UsageError (one annotator) is the failure message."""

    def run(progress: Progress, cancel: Cancel) -> Review:
        from newsmark.services.review import load_review

        return load_review(repo, doc_id)

    return run


def review_write_task(write: Callable[[], Review]) -> TaskFn:
    """A decision (`take_item`, `take_version`, `drop_item`, `mark_reviewed` bound to its
    arguments) on the pool thread; the new review is the result."""

    def run(progress: Progress, cancel: Cancel) -> Review:
        return write()

    return run
