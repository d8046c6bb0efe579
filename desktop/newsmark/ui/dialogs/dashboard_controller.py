"""View › Model vs gold: the dashboard dialog, made on first use and kept (modeless)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from newsmark.services.learning_curve import TrainAndScore
from newsmark.ui.actions import ActionRegistry
from newsmark.ui.document_session import DocumentSession
from newsmark.workers.nlp_worker import NlpWorker
from newsmark.workers.task_runner import TaskRunner

if TYPE_CHECKING:
    from newsmark.ui.dialogs.dashboard_dialog import DashboardDialog


class DashboardController(QObject):
    """Owns the Model vs gold action and its dialog; each opening recomputes the figures
    with the model the window uses now. `train_and_score` (set by whoever can train)
    enables the learning curve. No signals."""

    def __init__(
        self,
        session: DocumentSession,
        tasks: TaskRunner,
        worker: NlpWorker | None,
        actions: ActionRegistry,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session, self.tasks, self.worker = session, tasks, worker
        self._window = parent
        self.dialog: DashboardDialog | None = None
        self.train_and_score: TrainAndScore | None = None
        actions.bind("model_vs_gold", self.show)

    def show(self) -> DashboardDialog:
        if self.dialog is None:
            # Imported on first use: pyqtgraph (and numpy) stay out of the window's start.
            from newsmark.ui.dialogs.dashboard_dialog import DashboardDialog

            self.dialog = DashboardDialog(self.session.repo, self.tasks, None, self._window)
        dialog = self.dialog
        dialog.model_name = self.worker.model_name if self.worker is not None else None
        dialog.set_train_and_score(self.train_and_score)
        dialog.set_annotators(sorted({who for _, who in self.session.repo.set_counts()}))
        dialog.show()
        dialog.activateWindow()  # brings an open one to the front
        if not dialog.busy:
            dialog.refresh()
        return dialog
