"""View › Review…: the review window, made on first use and kept (modeless)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from newsmark.ui.actions import ActionRegistry
from newsmark.ui.document_session import DocumentSession
from newsmark.workers.task_runner import TaskRunner

if TYPE_CHECKING:
    from newsmark.ui.review_dialog import ReviewDialog


class ReviewController(QObject):
    """Owns the Review action and its window; each opening lists the documents to review
    again and shows the window's current document when it is one of them. No signals."""

    def __init__(
        self,
        session: DocumentSession,
        tasks: TaskRunner,
        actions: ActionRegistry,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session, self.tasks = session, tasks
        self._window = parent
        self.dialog: ReviewDialog | None = None
        actions.bind("review", self.show)

    def show(self) -> ReviewDialog:
        if self.dialog is None:
            from newsmark.ui.review_dialog import ReviewDialog

            self.dialog = ReviewDialog(
                self.session.repo, self.tasks, self.session.annotator, self._window
            )
        dialog = self.dialog
        dialog.reviewer = self.session.annotator  # Preferences may have switched it
        dialog.show()
        dialog.activateWindow()
        if not dialog.busy:
            doc = self.session.document
            dialog.open_document(doc.id if doc is not None else None)
        return dialog
