"""Undoable quote edits: mark a quote, attribute it to a speaker, delete it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Unpack

from newsmark.commands.edit_command import EditCommand, Step, item_id
from newsmark.domain.quotes import Quote, QuoteChanges

if TYPE_CHECKING:
    from newsmark.storage import Repository
    from newsmark.storage.records import SetState

Changed = Callable[[Sequence[Quote], Sequence[Quote], "SetState"], None]


class QuoteCommand(EditCommand[Quote]):
    """An undoable quote edit (see EditCommand); no signals."""


class AddQuoteCommand(QuoteCommand):
    """Mark a quote (undo removes it)."""

    def __init__(
        self, repo: Repository, set_id: int, quote: Quote, who: str, on_changed: Changed
    ) -> None:
        super().__init__(repo, set_id, who, on_changed, f"Mark {quote.kind.value} quote")
        self.quote = quote

    def _do(self) -> Step[Quote]:
        done = self.repo.add_quote(
            self.set_id, self.quote, self.who, expected_version=self.expected, reverts=self.logged
        )
        self.quote = done.item
        return [], [self.quote], done.state

    def _undo(self) -> Step[Quote]:
        done = self.repo.delete_quote(
            self.set_id,
            item_id(self.quote),
            self.who,
            expected_version=self.expected,
            reverts=self.logged,
        )
        return [done.item], [], done.state


class DeleteQuoteCommand(QuoteCommand):
    """Remove a quote (undo restores it with its id)."""

    def __init__(
        self, repo: Repository, set_id: int, quote: Quote, who: str, on_changed: Changed
    ) -> None:
        super().__init__(repo, set_id, who, on_changed, "Delete quote")
        self.quote = quote

    def _do(self) -> Step[Quote]:
        done = self.repo.delete_quote(
            self.set_id,
            item_id(self.quote),
            self.who,
            expected_version=self.expected,
            reverts=self.logged,
        )
        self.quote = done.item
        return [self.quote], [], done.state

    def _undo(self) -> Step[Quote]:
        done = self.repo.add_quote(
            self.set_id, self.quote, self.who, expected_version=self.expected, reverts=self.logged
        )
        self.quote = done.item
        return [], [self.quote], done.state


class UpdateQuoteCommand(QuoteCommand):
    """Change a quote's speaker, cue or kind; undo writes the earlier quote back."""

    def __init__(
        self,
        repo: Repository,
        set_id: int,
        quote: Quote,
        who: str,
        on_changed: Changed,
        text: str,
        **changes: Unpack[QuoteChanges],
    ) -> None:
        super().__init__(repo, set_id, who, on_changed, text)
        self.before = quote
        self.after: Quote | None = None
        self.changes: QuoteChanges = changes

    def _do(self) -> Step[Quote]:
        done = self.repo.update_quote(
            self.set_id,
            item_id(self.before),
            self.who,
            expected_version=self.expected,
            reverts=self.logged,
            **self.changes,
        )
        self.after = done.item
        return [self.before], [self.after], done.state

    def _undo(self) -> Step[Quote]:
        restored = self.repo.replace_quote(
            self.set_id, self.before, self.who, expected_version=self.expected, reverts=self.logged
        )
        return [self.after or self.before], [restored.item], restored.state
