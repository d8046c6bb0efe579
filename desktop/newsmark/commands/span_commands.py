"""Undoable span edits: each step is one repository transaction, never widget state.

Each step reports exactly which spans it removed and added (as the repository returned
them), so the window updates what changed instead of re-reading the whole set.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from newsmark.commands.edit_command import EditCommand, Step
from newsmark.commands.edit_command import item_id as _id
from newsmark.domain.spans import Span

if TYPE_CHECKING:
    from newsmark.storage import Repository
    from newsmark.storage.records import SetState

Changed = Callable[[Sequence[Span], Sequence[Span], "SetState"], None]


class SpanCommand(EditCommand[Span]):
    """An undoable span edit (see EditCommand); no signals."""


class AddSpanCommand(SpanCommand):
    """Label a range: add a human span (undo deletes it)."""

    def __init__(
        self, repo: Repository, set_id: int, span: Span, who: str, on_changed: Changed
    ) -> None:
        super().__init__(repo, set_id, who, on_changed, f"Label {span.label}")
        self.span = span

    def _do(self) -> Step[Span]:
        # The first add gets an id; a redo restores the same id, so later commands that
        # refer to it stay valid.
        done = self.repo.add_span(
            self.set_id, self.span, self.who, expected_version=self.expected, reverts=self.logged
        )
        self.span = done.item
        return [], [self.span], done.state

    def _undo(self) -> Step[Span]:
        done = self.repo.delete_span(
            self.set_id,
            _id(self.span),
            self.who,
            expected_version=self.expected,
            reverts=self.logged,
        )
        return [done.item], [], done.state


class DeleteSpanCommand(SpanCommand):
    """Remove a span (undo puts it back with its id, origin and model)."""

    def __init__(
        self, repo: Repository, set_id: int, span: Span, who: str, on_changed: Changed
    ) -> None:
        super().__init__(repo, set_id, who, on_changed, f"Delete {span.label}")
        self.span = span

    def _do(self) -> Step[Span]:
        done = self.repo.delete_span(
            self.set_id,
            _id(self.span),
            self.who,
            expected_version=self.expected,
            reverts=self.logged,
        )
        self.span = done.item
        return [self.span], [], done.state

    def _undo(self) -> Step[Span]:
        done = self.repo.add_span(
            self.set_id, self.span, self.who, expected_version=self.expected, reverts=self.logged
        )
        self.span = done.item
        return [], [self.span], done.state


class UpdateSpanCommand(SpanCommand):
    """Relabel or resize a span (it becomes human); undo restores every field as it was."""

    def __init__(
        self,
        repo: Repository,
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
        self.label, self.start, self.end = label, start, end

    def _do(self) -> Step[Span]:
        done = self.repo.update_span(
            self.set_id,
            _id(self.before),
            self.who,
            label=self.label,
            start=self.start,
            end=self.end,
            expected_version=self.expected,
            reverts=self.logged,
        )
        self.after = done.item
        return [self.before], [self.after], done.state

    def _undo(self) -> Step[Span]:
        restored = self.repo.replace_span(
            self.set_id, self.before, self.who, expected_version=self.expected, reverts=self.logged
        )
        return [self.after or self.before], [restored.item], restored.state
