"""Undoable span edits: each step is one repository transaction, never widget state.

A command is applied once by its creator (`apply()`, which may raise the repository's
InputError before anything is pushed); QUndoStack.push then skips that first redo.
Each step reports exactly which spans it removed and added (as the repository returned
them), so the window updates what changed instead of re-reading the whole set.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from newsmark.domain.spans import Span

# changed(removed, added): the spans one step took away and put in.
Changed = Callable[[Sequence[Span], Sequence[Span]], None]


class SpanCommand(QUndoCommand):
    """Base: the repository, the set, who edits, and whom to tell what changed.

    No signals: `on_changed(removed, added)` is called after every redo and undo.
    """

    def __init__(self, repo: Any, set_id: int, who: str, on_changed: Changed, text: str) -> None:
        super().__init__(text)
        self.repo = repo
        self.set_id = set_id
        self.who = who
        self._on_changed = on_changed
        self._first: tuple[list[Span], list[Span]] | None = None

    def apply(self) -> None:
        """The first redo, run by the creator so errors surface before the push."""
        self._first = self._do()

    def redo(self) -> None:
        if self._first is not None:  # push() calls redo once: it happened in apply()
            removed, added = self._first
            self._first = None
        else:
            removed, added = self._do()
        self._on_changed(removed, added)

    def undo(self) -> None:
        self._on_changed(*self._undo())

    def _do(self) -> tuple[list[Span], list[Span]]:
        raise NotImplementedError

    def _undo(self) -> tuple[list[Span], list[Span]]:
        raise NotImplementedError


def _id(span: Span) -> int:
    if span.id is None:
        raise ValueError(f"span {span.start}..{span.end} has no id")
    return span.id


class AddSpanCommand(SpanCommand):
    """Label a range: add a human span (undo deletes it)."""

    def __init__(self, repo: Any, set_id: int, span: Span, who: str, on_changed: Changed) -> None:
        super().__init__(repo, set_id, who, on_changed, f"Label {span.label}")
        self.span = span

    def _do(self) -> tuple[list[Span], list[Span]]:
        # The first add gets an id; a redo restores the same id, so later commands that
        # refer to it stay valid.
        self.span = self.repo.add_span(self.set_id, self.span, self.who)
        return [], [self.span]

    def _undo(self) -> tuple[list[Span], list[Span]]:
        return [self.repo.delete_span(self.set_id, _id(self.span), self.who)], []


class DeleteSpanCommand(SpanCommand):
    """Remove a span (undo puts it back with its id, origin and model)."""

    def __init__(self, repo: Any, set_id: int, span: Span, who: str, on_changed: Changed) -> None:
        super().__init__(repo, set_id, who, on_changed, f"Delete {span.label}")
        self.span = span

    def _do(self) -> tuple[list[Span], list[Span]]:
        self.span = self.repo.delete_span(self.set_id, _id(self.span), self.who)
        return [self.span], []

    def _undo(self) -> tuple[list[Span], list[Span]]:
        self.span = self.repo.add_span(self.set_id, self.span, self.who)
        return [], [self.span]


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
        self.after: Span | None = None
        self.changes = {"label": label, "start": start, "end": end}

    def _do(self) -> tuple[list[Span], list[Span]]:
        self.after = self.repo.update_span(self.set_id, _id(self.before), self.who, **self.changes)
        return [self.before], [self.after]

    def _undo(self) -> tuple[list[Span], list[Span]]:
        restored = self.repo.replace_span(self.set_id, self.before, self.who)
        return [self.after or self.before], [restored]
