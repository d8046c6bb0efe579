"""Progress and cancel callbacks shared by every long-running service."""

from __future__ import annotations

from collections.abc import Callable

# (done, total or None when unknown, message)
Progress = Callable[[int, int | None, str], None]
Cancel = Callable[[], bool]


def no_progress(done: int, total: int | None, message: str) -> None:
    """The default Progress: report nothing."""


def never_cancel() -> bool:
    return False


class Cancelled(Exception):
    """Raised inside a service when its cancel callback returned True."""
