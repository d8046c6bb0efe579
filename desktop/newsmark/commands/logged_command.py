"""An edit rebuilt from the edit log after a restart: undo and redo go through `revert`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from newsmark.commands.edit_command import SeenVersion, against
from newsmark.domain.errors import ConflictError, NewsmarkError

if TYPE_CHECKING:
    from newsmark.storage.history import Step
    from newsmark.storage.records import EditLogEntry
    from newsmark.storage.repository import Repository

MAX_RESTORED_STEPS = 500  # each way: done and undone


def describe(entry: EditLogEntry) -> str:
    """A history line for a logged edit, in the words the live commands use."""
    before, after = _fields(entry.before), _fields(entry.after)
    label = after.get("label") or before.get("label")
    if entry.op == "update_span" and before.get("label") != after.get("label"):
        return f"Relabel {before.get('label')} → {after.get('label')}"
    if entry.op == "update_quote":
        return _quote_change(before, after)
    words = {
        "add_span": f"Label {label}",
        "update_span": f"Resize {label}",
        "replace_span": f"Restore {label}",
        "link_span": f"Link {label} mention",
        "delete_span": f"Delete {label}",
        "add_quote": f"Mark {after.get('kind', '')} quote".replace("  ", " "),
        "replace_quote": "Restore quote",
        "delete_quote": "Delete quote",
        "set_status": f"Status {after.get('status', '')}".replace("_", " "),
        "merge_entities": f"Merge {before.get('name')} into {after.get('name')}",
        "unmerge_entities": f"Unmerge {after.get('name')}",
    }
    return words.get(entry.op, entry.op.replace("_", " "))


def _fields(data: Any) -> dict[str, Any]:
    return data if isinstance(data, dict) else {}


def _quote_change(before: dict[str, Any], after: dict[str, Any]) -> str:
    """What a quote edit changed, named as the window's quote commands name it."""
    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    parts_before, parts_after = before.get("parts") or [], after.get("parts") or []
    if "parts" in changed and parts_before and parts_after:
        if len(parts_after) > len(parts_before):
            return "Add quote part"
        if len(parts_after) < len(parts_before):
            return "Remove quote part"
        starts = (min(p[0] for p in parts_before), min(p[0] for p in parts_after))
        moved = "start" if starts[0] != starts[1] else "end"
        return f"Move quote {moved}"
    if changed & {"speaker_start", "speaker_end"}:
        return "Speaker" if after.get("speaker_start") is not None else "Clear speaker"
    if changed & {"entity", "entity_id"} and after.get("entity"):
        return f"Attribute quote to {after['entity']}"
    if changed & {"cue_start", "cue_end"}:
        return "Cue" if after.get("cue_start") is not None else "Clear cue"
    if "kind" in changed:
        return f"Kind {before.get('kind')} → {after.get('kind')}"
    return "Edit quote"


class LoggedEditCommand(QUndoCommand):
    """A step of an earlier session: undo reverts its newest log row, redo reverts that
    revert (`Repository.revert` names the row it reverts, so the next restart reads the
    history back exactly).

    `on_changed()` runs after each undo/redo so the window re-reads the set. A step that
    can no longer be applied (the set changed elsewhere) is reported through
    `on_failed(message)` and made obsolete, so the stack drops it; a ConflictError (the
    set moved on from the version in `seen`) goes to `on_conflict(what)`. No signals.
    """

    on_conflict: Callable[[str], None] | None = None

    def __init__(
        self,
        repo: Repository,
        step: Step,
        who: str,
        on_changed: Callable[[], None],
        on_failed: Callable[[str], None] | None = None,
        seen: SeenVersion | None = None,
    ) -> None:
        super().__init__(describe(step.entry))
        self.repo, self.who, self._on_changed = repo, who, on_changed
        self._on_failed = on_failed
        self.seen = seen
        self._set_id = step.entry.set_id or 0
        self.entry_id: int = step.newest  # the row the next undo or redo reverts
        # It happened before the restart: the push's redo (and, for a step that was
        # undone, the stack's undo while it is rebuilt) only say where the stack stands.
        self._replayed = True

    def replay_undo(self) -> None:
        """Let the stack's next undo of this step only record that it was undone."""
        self._replayed = True

    def _revert(self, what: str) -> None:
        if self._replayed:
            self._replayed = False
            return
        try:
            expected = against(self.seen, self._set_id)
            self.entry_id = self.repo.revert(self.entry_id, self.who, expected_version=expected).id
        except NewsmarkError as exc:
            self.setObsolete(True)
            if isinstance(exc, ConflictError) and self.on_conflict is not None:
                self.on_conflict(f"{what} of “{self.text()}”")
            elif self._on_failed is not None:
                self._on_failed(f"Cannot {what} “{self.text()}”: {exc}")
            return
        self._on_changed()  # the owner re-reads the set (and the version the window shows)

    def redo(self) -> None:
        self._revert("redo")

    def undo(self) -> None:
        self._revert("undo")


def restore_history(
    stack: QUndoStack,
    repo: Repository,
    set_id: int,
    who: str,
    on_changed: Callable[[], None],
    on_failed: Callable[[str], None] | None = None,
    seen: SeenVersion | None = None,
    on_conflict: Callable[[str], None] | None = None,
) -> None:
    """Fill a fresh document stack with the set's logged history: the steps done, and
    above them the steps undone, ready to redo (undo survives a restart)."""
    history = repo.undo_history(set_id, MAX_RESTORED_STEPS)
    commands = [
        LoggedEditCommand(repo, step, who, on_changed, on_failed, seen)
        for step in [*history.done, *reversed(history.undone)]
    ]
    for command in commands:
        command.on_conflict = on_conflict
    for command in commands:
        stack.push(command)
    for command in commands[len(history.done) :]:
        command.replay_undo()
    stack.setIndex(len(history.done))
    stack.setClean()
