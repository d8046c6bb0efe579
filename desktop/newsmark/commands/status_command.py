"""Undoable decisions: accept, reject or skip a document (or any other status change)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from newsmark.commands.edit_command import EditCommand, Step
from newsmark.domain.status import Status

if TYPE_CHECKING:
    from newsmark.storage import Repository
    from newsmark.storage.records import SetState

WORDS = {Status.ACCEPTED: "Accept", Status.REJECTED: "Reject", Status.SKIPPED: "Skip"}


class StatusCommand(EditCommand[Status]):
    """Set the status; undo writes the previous one back (logged as reverting the change).

    `on_changed(removed, added, state)` gets the old and the new status. No signals.
    """

    def __init__(
        self,
        repo: Repository,
        set_id: int,
        status: Status,
        who: str,
        on_changed: Callable[[Sequence[Status], Sequence[Status], SetState], None],
    ) -> None:
        text = WORDS.get(status, f"Status {status.value.replace('_', ' ')}")
        super().__init__(repo, set_id, who, on_changed, text)
        self.status = status
        self.before: Status | None = None

    def _do(self) -> Step[Status]:
        done = self.repo.set_status(
            self.set_id, self.status, self.who, expected_version=self.expected, reverts=self.logged
        )
        self.before = done.item
        return [done.item], [self.status], done.state

    def _undo(self) -> Step[Status]:
        old = self.before or Status.IN_PROGRESS
        done = self.repo.set_status(
            self.set_id, old, self.who, expected_version=self.expected, reverts=self.logged
        )
        return [self.status], [old], done.state
