"""The shape of every undoable edit: one repository transaction per step, reporting a diff."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtGui import QUndoCommand

T = TypeVar("T")


class EditCommand(QUndoCommand, Generic[T]):
    """Base of span and quote commands: repository, set, who edits, whom to tell.

    A command is applied once by its creator (`apply()`, which may raise the repository's
    InputError before anything is pushed); QUndoStack.push then skips that first redo.
    After every redo and undo `on_changed(removed, added)` gets the items the step took
    away and put in, as the repository returned them. No signals.
    """

    def __init__(
        self,
        repo: Any,
        set_id: int,
        who: str,
        on_changed: Callable[[Sequence[T], Sequence[T]], None],
        text: str,
    ) -> None:
        super().__init__(text)
        self.repo = repo
        self.set_id = set_id
        self.who = who
        self._on_changed = on_changed
        self._first: tuple[list[T], list[T]] | None = None

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

    def _do(self) -> tuple[list[T], list[T]]:
        raise NotImplementedError

    def _undo(self) -> tuple[list[T], list[T]]:
        raise NotImplementedError


def item_id(item: Any) -> int:
    """The stored id of a span or quote; commands only ever touch stored items."""
    if item.id is None:
        raise ValueError(f"{type(item).__name__} {item.start}..{item.end} has no id")
    return int(item.id)
