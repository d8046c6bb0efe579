"""Undoable entity edits: rename / KB id, merge two entities, link a mention to one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from newsmark.commands.edit_command import EditCommand, Step, item_id
from newsmark.domain.entities import Entity
from newsmark.domain.spans import Span

if TYPE_CHECKING:
    from newsmark.storage import Repository
    from newsmark.storage.records import SetState

Changed = Callable[[], None]


class UpdateEntityCommand(QUndoCommand):
    """Change an entity's canonical name, label or KB id; undo writes the old values back.

    Applied once by its creator (`apply()`, which may raise before the push); no signals.
    """

    def __init__(
        self, repo: Repository, entity: Entity, who: str, on_changed: Changed, **changes: str | None
    ) -> None:
        what = ", ".join(f"{k.replace('_', ' ')}" for k, v in changes.items() if v is not None)
        super().__init__(f"Edit {entity.name}: {what}")
        self.repo, self.who, self._on_changed = repo, who, on_changed
        self.before = entity
        self.changes = changes
        self.logged: int | None = None  # the corpus-wide row a redo or undo reverts
        self._skip = False

    def _update(self, **values: str | None) -> None:
        self.repo.update_entity(self.before.id, self.who, reverts=self.logged, **values)
        self.logged = self.repo.last_edit_id(None)

    def apply(self) -> None:
        self._update(**self.changes)
        self._skip = True

    def redo(self) -> None:
        if not self._skip:
            self._update(**self.changes)
        self._skip = False
        self._on_changed()

    def undo(self) -> None:
        b = self.before
        self._update(name=b.name, label=b.label, kb_id=b.kb_id or "")
        self._on_changed()


class MergeEntitiesCommand(QUndoCommand):
    """Merge `drop` into `keep` (every mention and quote relinked) as one undo step.

    Undo recreates `drop` with its id and relinks exactly the mentions and quotes it had
    (`Repository.unmerge_entities`). No signals.
    """

    def __init__(self, repo: Repository, keep: Entity, drop: Entity, who: str, on_changed: Changed):
        super().__init__(f"Merge {drop.name} into {keep.name}")
        self.repo, self.who, self._on_changed = repo, who, on_changed
        self.keep, self.drop = keep, drop
        self.links: dict[str, list[int]] = {}
        self.logged: int | None = None  # the corpus-wide row a redo or undo reverts
        self._skip = False

    def _merge(self) -> None:
        self.links = self.repo.entity_links(self.drop.id)
        self.repo.merge_entities(self.keep.id, self.drop.id, self.who, reverts=self.logged)
        self.logged = self.repo.last_edit_id(None)

    def apply(self) -> None:
        self._merge()
        self._skip = True

    def redo(self) -> None:
        if not self._skip:
            self._merge()
        self._skip = False
        self._on_changed()

    def undo(self) -> None:
        self.repo.unmerge_entities(self.keep, self.drop, self.links, self.who, reverts=self.logged)
        self.logged = self.repo.last_edit_id(None)
        self._on_changed()


class LinkSpanCommand(EditCommand[Span]):
    """Link a mention to a corpus entity (None unlinks); undo restores the old link."""

    def __init__(
        self,
        repo: Repository,
        set_id: int,
        span: Span,
        entity_id: int | None,
        who: str,
        on_changed: Callable[[Sequence[Span], Sequence[Span], SetState], None],
    ) -> None:
        super().__init__(repo, set_id, who, on_changed, f"Link {span.label} mention")
        self.before = span
        self.after: Span | None = None
        self.entity_id = entity_id

    def _do(self) -> Step[Span]:
        done = self.repo.link_span(
            self.set_id,
            item_id(self.before),
            self.entity_id,
            self.who,
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
