"""Undoable span edits: each step is one repository transaction, never widget state.

A command is applied once by its creator (`apply()`, which may raise the repository's
InputError before anything is pushed); QUndoStack.push then skips that first redo.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from newsmark.domain.spans import Span

Changed = Callable[[], None]


class SpanCommand(QUndoCommand):
    """Base: holds the repository, the set, who edits, and what to call after a change.

    No signals: `on_changed` tells the session to re-read the set from the repository.
    """

    def __init__(self, repo: Any, set_id: int, who: str, on_changed: Changed, text: str) -> None:
        super().__init__(text)
        self.repo = repo
        self.set_id = set_id
        self.who = who
        self._on_changed = on_changed
        self._applied_once = False

    def apply(self) -> None:
        """The first redo, run by the creator so errors surface before the push."""
        self._do()
        self._applied_once = True

    def redo(self) -> None:
        if self._applied_once:
            self._applied_once = False  # push() calls redo once: it happened in apply()
        else:
            self._do()
        self._on_changed()

    def undo(self) -> None:
        self._undo()
        self._on_changed()

    def _do(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class AddSpanCommand(SpanCommand):
    """Label a range: add a human span (undo deletes it)."""

    def __init__(self, repo: Any, set_id: int, span: Span, who: str, on_changed: Changed) -> None:
        super().__init__(repo, set_id, who, on_changed, f"Label {span.label}")
        self.span = span

    def _do(self) -> None:
        # The first add gets an id; a redo restores the same id, so later commands that
        # refer to it stay valid.
        self.span = self.repo.add_span(self.set_id, self.span, self.who)

    def _undo(self) -> None:
        assert self.span.id is not None
        self.repo.delete_span(self.set_id, self.span.id, self.who)


class DeleteSpanCommand(SpanCommand):
    """Remove a span (undo puts it back with its id, origin and model)."""

    def __init__(self, repo: Any, set_id: int, span: Span, who: str, on_changed: Changed) -> None:
        super().__init__(repo, set_id, who, on_changed, f"Delete {span.label}")
        self.span = span

    def _do(self) -> None:
        assert self.span.id is not None
        self.span = self.repo.delete_span(self.set_id, self.span.id, self.who)

    def _undo(self) -> None:
        self.span = self.repo.add_span(self.set_id, self.span, self.who)


class UpdateSpanCommand(SpanCommand):
    """Relabel or resize a span (it becomes human); undo restores every field as it was."""

    def __init__(
        self,
        repo: Any,
        set_id: int,
        span: Span,
        who: str,
        on_changed: Changed,
        *,
        label: str | None = None,
        start: int | None = None,
        end: int | None = None,
    ) -> None:
        text = f"Relabel {span.label} → {label}" if label else f"Resize {span.label}"
        super().__init__(repo, set_id, who, on_changed, text)
        self.before = span
        self.changes = {"label": label, "start": start, "end": end}

    def _do(self) -> None:
        assert self.before.id is not None
        self.repo.update_span(self.set_id, self.before.id, self.who, **self.changes)

    def _undo(self) -> None:
        self.repo.replace_span(self.set_id, self.before, self.who)
