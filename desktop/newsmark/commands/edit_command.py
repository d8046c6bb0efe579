"""The shape of every undoable edit: one repository transaction per step, reporting a diff."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6.QtGui import QUndoCommand

from newsmark.domain.errors import NewsmarkError
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Span

if TYPE_CHECKING:
    from newsmark.storage import Repository
    from newsmark.storage.records import SetState

T = TypeVar("T")
# What a step did: the items it removed and added, and the set's state after it.
Step = tuple[list[T], list[T], "SetState"]


class EditCommand(QUndoCommand, Generic[T]):
    """Base of span and quote commands: repository, set, who edits, whom to tell.

    A command is applied once by its creator (`apply()`, which may raise the repository's
    InputError before anything is pushed); QUndoStack.push then skips that first redo.
    After every redo and undo `on_changed(removed, added)` gets the items the step took
    away and put in, as the repository returned them, and the set's state after the step
    (`on_changed(removed, added, state)`). Each undo and redo passes the repository
    `reverts=self.logged`, the step's newest log row, so the log records what it inverts
    and a restart rebuilds this history exactly (ADR 0006). An undo or redo the
    repository refuses (the database locked, the disk full) goes to `on_failed(message)`
    when the owner set it: the step becomes obsolete (the stack drops it) instead of
    raising out of QUndoStack. No signals.
    """

    on_failed: Callable[[str], None] | None = None
    logged: int | None = None  # the step's newest log row: what its next undo/redo reverts

    def __init__(
        self,
        repo: Repository,
        set_id: int,
        who: str,
        on_changed: Callable[[Sequence[T], Sequence[T], SetState], None],
        text: str,
    ) -> None:
        super().__init__(text)
        self.repo = repo
        self.set_id = set_id
        self.who = who
        self._on_changed = on_changed
        self._first: Step[T] | None = None

    def apply(self) -> None:
        """The first redo, run by the creator so errors surface before the push."""
        self._first = self._do()
        self.logged = self._first[2].logged

    def redo(self) -> None:
        if self._first is not None:  # push() calls redo once: it happened in apply()
            step = self._first
            self._first = None
        else:
            try:
                step = self._do()
            except NewsmarkError as exc:
                self._refused("redo", exc)
                return
            self.logged = step[2].logged
        self._on_changed(*step)

    def undo(self) -> None:
        try:
            step = self._undo()
        except NewsmarkError as exc:
            self._refused("undo", exc)
            return
        self.logged = step[2].logged
        self._on_changed(*step)

    def _refused(self, what: str, exc: NewsmarkError) -> None:
        if self.on_failed is None:
            raise exc  # inside a MacroCommand: the macro reports it
        self.setObsolete(True)
        self.on_failed(refusal(what, self.text(), exc))

    def _do(self) -> Step[T]:
        raise NotImplementedError

    def _undo(self) -> Step[T]:
        raise NotImplementedError


def refusal(what: str, text: str, exc: Exception) -> str:
    """The status-bar line for an undo or redo the repository refused."""
    state = "still saved" if what == "undo" else "still undone"
    return f"Could not {what} “{text}”: {exc}. The edit is {state}; it left the history."


def item_id(item: Span | Quote) -> int:
    """The stored id of a span or quote; commands only ever touch stored items."""
    if item.id is None:
        raise ValueError(f"{type(item).__name__} {item.start}..{item.end} has no id")
    return int(item.id)
