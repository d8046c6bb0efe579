"""The History dock: the open document's undo stack, listed; owns Undo and Redo."""

from __future__ import annotations

from PySide6.QtWidgets import QUndoView, QWidget

from newsmark.ui.actions import ActionRegistry
from newsmark.ui.document_session import DocumentSession


class UndoHistory(QUndoView):
    """Lists the steps of the session's active undo stack under "Opened" (clicking one
    goes back to it); Undo and Redo are enabled while there is a step to take.

    No signals beyond QUndoView's.
    """

    def __init__(
        self, session: DocumentSession, actions: ActionRegistry, parent: QWidget | None = None
    ) -> None:
        super().__init__(session.undo_group, parent)
        self.setEmptyLabel("Opened")
        group = session.undo_group
        undo, redo = actions.bind("undo", session.undo), actions.bind("redo", group.redo)
        group.canUndoChanged.connect(undo.setEnabled)
        group.canRedoChanged.connect(redo.setEnabled)

        def update_actions(*_: object) -> None:
            undo.setEnabled(group.canUndo())
            redo.setEnabled(group.canRedo())

        session.document_opened.connect(update_actions)
        update_actions()
