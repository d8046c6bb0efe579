"""The shape of every undoable edit: one repository transaction per step, reporting a diff."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6.QtGui import QUndoCommand

from newsmark.domain.errors import ConflictError, NewsmarkError
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Span

if TYPE_CHECKING:
    from newsmark.storage import Repository
    from newsmark.storage.records import SetState

T = TypeVar("T")
# What a step did: the items it removed and added, and the set's state after it.
Step = tuple[list[T], list[T], "SetState"]


@dataclass(eq=False, slots=True)
class SeenVersion:
    """The version of one annotation set as the window shows it: every edit, undo and redo
    of the set is made against it (the repository refuses a stale one, ConflictError),
    and each write moves it to the version the repository returned. `dropped` once the
    set was reloaded after a change elsewhere: steps still holding it refuse to write."""

    value: int | None = None
    dropped: bool = False

    def expected(self, set_id: int) -> int | None:
        if self.dropped:
            raise ConflictError(f"annotation set {set_id} was reloaded after a change elsewhere")
        return self.value


def against(seen: SeenVersion | None, set_id: int) -> int | None:
    """The version an edit of `set_id` is made against (None: no check, as for the CLI)."""
    return None if seen is None else seen.expected(set_id)


def conflict_or_failure(
    command: QUndoCommand,
    what: str,
    exc: NewsmarkError,
    on_failed: Callable[[str], None] | None,
    on_conflict: Callable[[str], None] | None,
) -> None:
    """Report a refused undo or redo: a conflict to `on_conflict` (the owner reloads the
    set), anything else to `on_failed`; either way the step leaves the history."""
    if isinstance(exc, ConflictError) and on_conflict is not None:
        command.setObsolete(True)
        on_conflict(f"{what} of “{command.text()}”")
        return
    if on_failed is None:
        raise exc  # inside a MacroCommand: the macro reports it
    command.setObsolete(True)
    on_failed(refusal(what, command.text(), exc))


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
    raising out of QUndoStack. A ConflictError (the set changed elsewhere since the
    version in `seen`) goes to `on_conflict(what)` instead, when set. No signals.
    """

    on_failed: Callable[[str], None] | None = None
    on_conflict: Callable[[str], None] | None = None
    logged: int | None = None  # the step's newest log row: what its next undo/redo reverts
    seen: SeenVersion | None = None  # the window's version of the set (None: unchecked)

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

    @property
    def expected(self) -> int | None:
        """The set's version this step writes against (raises once the set was reloaded)."""
        return against(self.seen, self.set_id)

    def _wrote(self, step: Step[T]) -> Step[T]:
        self.logged = step[2].logged
        if self.seen is not None:  # the next step (of a macro too) is made against it
            self.seen.value = step[2].version
        return step

    def apply(self) -> None:
        """The first redo, run by the creator so errors surface before the push."""
        self._first = self._wrote(self._do())

    def redo(self) -> None:
        if self._first is not None:  # push() calls redo once: it happened in apply()
            step = self._first
            self._first = None
        else:
            try:
                step = self._wrote(self._do())
            except NewsmarkError as exc:
                self._refused("redo", exc)
                return
        self._on_changed(*step)

    def undo(self) -> None:
        try:
            step = self._wrote(self._undo())
        except NewsmarkError as exc:
            self._refused("undo", exc)
            return
        self._on_changed(*step)

    def _refused(self, what: str, exc: NewsmarkError) -> None:
        conflict_or_failure(self, what, exc, self.on_failed, self.on_conflict)

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
