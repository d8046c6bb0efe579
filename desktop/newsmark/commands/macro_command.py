"""Several edits as one undo step (e.g. "Apply to all mentions", attribute and link)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QUndoCommand

from newsmark.commands.edit_command import EditCommand, SeenVersion, conflict_or_failure
from newsmark.domain.errors import NewsmarkError
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Span

# The edits a macro holds: span and quote steps (an entity link is a span step).
ItemCommand = EditCommand[Span] | EditCommand[Quote]


class MacroCommand(QUndoCommand):
    """Runs its edits in order and undoes them in reverse; no signals.

    Like EditCommand it is applied once by its creator (`apply()`): if one edit fails,
    the ones already applied are undone and the error propagates, so nothing half-done
    is left in the database or on the stack. A refused undo or redo goes to `on_failed`
    as in EditCommand (the first sub-edit refused stops the rest).
    """

    on_failed: Callable[[str], None] | None = None
    on_conflict: Callable[[str], None] | None = None

    def __init__(self, text: str, commands: Sequence[ItemCommand]) -> None:
        super().__init__(text)
        self.commands = list(commands)
        self._applied = False

    @property
    def seen(self) -> SeenVersion | None:
        return self.commands[0].seen if self.commands else None

    @seen.setter
    def seen(self, seen: SeenVersion | None) -> None:
        """Its edits are of one set: each is made against the version the one before left."""
        for command in self.commands:
            command.seen = seen

    def apply(self) -> None:
        done: list[ItemCommand] = []
        try:
            for command in self.commands:
                command.apply()
                done.append(command)
        except Exception:
            for command in reversed(done):
                command.redo()  # reports the first apply's diff...
                command.undo()  # ...then writes the inverse
            raise
        self._applied = True

    def redo(self) -> None:
        try:
            for command in self.commands:
                command.redo()
        except NewsmarkError as exc:
            self._refused("redo", exc)
        self._applied = False

    def undo(self) -> None:
        try:
            for command in reversed(self.commands):
                command.undo()
        except NewsmarkError as exc:
            self._refused("undo", exc)

    def _refused(self, what: str, exc: NewsmarkError) -> None:
        conflict_or_failure(self, what, exc, self.on_failed, self.on_conflict)
