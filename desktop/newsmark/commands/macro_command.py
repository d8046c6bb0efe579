"""Several edits as one undo step (e.g. "Apply to all mentions", attribute and link)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from newsmark.commands.edit_command import EditCommand


class MacroCommand(QUndoCommand):
    """Runs its edits in order and undoes them in reverse; no signals.

    Like EditCommand it is applied once by its creator (`apply()`): if one edit fails,
    the ones already applied are undone and the error propagates, so nothing half-done
    is left in the database or on the stack.
    """

    def __init__(self, text: str, commands: Sequence[EditCommand[Any]]) -> None:
        super().__init__(text)
        self.commands = list(commands)
        self._applied = False

    def apply(self) -> None:
        done: list[EditCommand[Any]] = []
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
        for command in self.commands:
            command.redo()
        self._applied = False

    def undo(self) -> None:
        for command in reversed(self.commands):
            command.undo()
