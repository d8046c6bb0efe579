"""A stored run of the model (Re-run model) as one undo step, replayed with the same ids."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from newsmark.commands.edit_command import SeenVersion, against, conflict_or_failure
from newsmark.domain.errors import NewsmarkError

if TYPE_CHECKING:
    from newsmark.storage import ModelRun, Repository


class ModelRunCommand(QUndoCommand):
    """A model run the repository already stored (`Repository.save_predictions` returned
    it): undo puts back the spans, quotes and status it replaced, redo stores it again,
    both through `Repository.replay_predictions`, so the ids later steps refer to stay.

    `on_changed(run)` gets what each undo and redo changed. A refused undo or redo goes
    to `on_failed(message)` and the step becomes obsolete, as in EditCommand. No signals.
    """

    on_failed: Callable[[str], None] | None = None
    on_conflict: Callable[[str], None] | None = None
    seen: SeenVersion | None = None  # the window's version of the set (None: unchecked)

    def __init__(
        self,
        repo: Repository,
        run: ModelRun,
        who: str,
        on_changed: Callable[[ModelRun], None],
        text: str = "Re-run model",
    ) -> None:
        super().__init__(text)
        self.repo, self.run, self.who = repo, run, who
        self._on_changed = on_changed
        self._stored = True  # push() calls redo once: the run is in the database already

    def redo(self) -> None:
        if self._stored:
            self._stored = False
            return
        self._replay(undo=False)

    def undo(self) -> None:
        self._replay(undo=True)

    def _replay(self, *, undo: bool) -> None:
        try:
            expected = against(self.seen, self.run.set_id)
            changed = self.repo.replay_predictions(
                self.run, self.who, undo=undo, expected_version=expected
            )
        except NewsmarkError as exc:
            what = "undo" if undo else "redo"
            conflict_or_failure(self, what, exc, self.on_failed, self.on_conflict)
            return
        if self.seen is not None:
            self.seen.value = changed.state.version
        self._on_changed(changed)
