"""An edit rebuilt from the edit log after a restart: undo and redo go through `revert`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from newsmark.domain.errors import NewsmarkError

MAX_RESTORED_STEPS = 500


def describe(entry: Any) -> str:
    """A history line for a logged edit, in the words the live commands use."""
    data = entry.after or entry.before or {}
    label = data.get("label") if isinstance(data, dict) else None
    words = {
        "add_span": f"Label {label}",
        "update_span": f"Edit {label}",
        "replace_span": f"Restore {label}",
        "link_span": f"Link {label}",
        "delete_span": f"Delete {label}",
        "add_quote": "Mark quote",
        "update_quote": "Edit quote",
        "replace_quote": "Restore quote",
        "delete_quote": "Delete quote",
    }
    if entry.op == "set_status" and isinstance(entry.after, dict):
        return f"Status {entry.after.get('status', '')}".replace("_", " ")
    return words.get(entry.op, entry.op.replace("_", " "))


class LoggedEditCommand(QUndoCommand):
    """A step of an earlier session: undo reverts its log row, redo reverts that revert.

    `on_changed()` runs after each undo/redo so the window re-reads the set. A step that
    can no longer be applied (the set changed elsewhere) is reported through
    `on_failed(message)` and made obsolete, so the stack drops it. No signals.
    """

    def __init__(
        self,
        repo: Any,
        entry: Any,
        who: str,
        on_changed: Callable[[], None],
        on_failed: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(describe(entry))
        self.repo, self.who, self._on_changed = repo, who, on_changed
        self._on_failed = on_failed
        self.entry_id: int = entry.id  # the row whose inverse undo applies
        self._done = True  # it happened before the restart: push() must not redo it

    def _revert(self) -> bool:
        try:
            self.entry_id = self.repo.revert(self.entry_id, self.who).id
        except NewsmarkError as exc:
            self.setObsolete(True)
            if self._on_failed is not None:
                self._on_failed(f"Cannot undo “{self.text()}”: {exc}")
            return False
        return True

    def redo(self) -> None:
        if self._done:
            return
        self._done = self._revert()
        self._on_changed()

    def undo(self) -> None:
        self._done = not self._revert()
        self._on_changed()


def restorable(entries: Sequence[Any], can_revert: Callable[[str], bool]) -> list[Any]:
    """The steps the undo stack held when the log was written, oldest first.

    Replays the log: a row that inverts the newest open step was an undo (both leave the
    stack), a row that repeats the newest undone step was a redo, anything else is a new
    step (and clears what was undone). An irreversible row (an import, a model run, a
    merge) starts the history afresh, as it ended undo in the window too.
    """
    done: list[Any] = []
    undone: list[Any] = []
    for entry in entries:
        if not can_revert(entry.op):
            done, undone = [], []
        elif (
            done
            and _same_target(entry, done[-1])
            and (entry.before, entry.after)
            == (
                done[-1].after,
                done[-1].before,
            )
        ):
            undone.append(done.pop())
        elif (
            undone
            and _same_target(entry, undone[-1])
            and (entry.before, entry.after)
            == (
                undone[-1].before,
                undone[-1].after,
            )
        ):
            undone.pop()
            done.append(entry)  # reverting this newer row undoes the redone step
        else:
            done.append(entry)
            undone.clear()
    return done[-MAX_RESTORED_STEPS:]


def _same_target(a: Any, b: Any) -> bool:
    kind = "span" if a.op.endswith("_span") else "quote" if a.op.endswith("_quote") else a.op
    other = "span" if b.op.endswith("_span") else "quote" if b.op.endswith("_quote") else b.op
    return kind == other and a.target_id == b.target_id


def restore_history(
    stack: QUndoStack,
    repo: Any,
    set_id: int,
    who: str,
    on_changed: Callable[[], None],
    on_failed: Callable[[str], None] | None = None,
) -> None:
    """Fill a fresh document stack with the set's logged edits (undo survives a restart)."""
    for entry in restorable(repo.edit_log(set_id), repo.can_revert):
        stack.push(LoggedEditCommand(repo, entry, who, on_changed, on_failed))
    stack.setClean()
