"""View › Agreement…: the agreement dialog, made on first use and kept (modeless)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from newsmark.ui.actions import ActionRegistry
from newsmark.ui.document_session import DocumentSession
from newsmark.workers.task_runner import TaskRunner

if TYPE_CHECKING:
    from newsmark.ui.dialogs.agreement_dialog import AgreementDialog


class AgreementController(QObject):
    """Owns the Agreement action and its dialog; each opening recomputes the figures
    (another annotator's sets may have arrived meanwhile). No signals."""

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
        self.dialog: AgreementDialog | None = None
        actions.bind("agreement", self.show)

    def show(self) -> AgreementDialog:
        if self.dialog is None:
            from newsmark.ui.dialogs.agreement_dialog import AgreementDialog

            self.dialog = AgreementDialog(self.session.repo, self.tasks, self._window)
        dialog = self.dialog
        dialog.show()
        dialog.activateWindow()
        if not dialog.busy:
            dialog.refresh()
        return dialog
