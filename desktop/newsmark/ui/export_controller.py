"""File › Export: the export dialog, made on first use and kept (modeless)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from newsmark.ui.actions import ActionRegistry
from newsmark.ui.document_session import DocumentSession
from newsmark.ui.views.status_bar import StatusBar
from newsmark.workers.task_runner import TaskRunner

if TYPE_CHECKING:
    from newsmark.services.exporting import ExportReport
    from newsmark.ui.dialogs.export_dialog import ExportDialog


class ExportController(QObject):
    """Owns the Export action and its dialog; a finished export shows in the status bar.

    No signals (the dialog's `exported` carries the report).
    """

    def __init__(
        self,
        session: DocumentSession,
        tasks: TaskRunner,
        status: StatusBar,
        actions: ActionRegistry,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session, self.tasks, self.status = session, tasks, status
        self._window = parent
        self.dialog: ExportDialog | None = None
        actions.bind("export", self.show)

    def show(self) -> ExportDialog:
        if self.dialog is None:
            # Imported on first use: the formats it lists are not needed at start-up.
            from newsmark.ui.dialogs.export_dialog import ExportDialog

            s = self.session
            self.dialog = ExportDialog(
                s.repo, self.tasks, [s.annotator], self._window, start_dir=Path.home()
            )
            self.dialog.exported.connect(self._exported)
        self.dialog.show()  # modeless: the user can keep reading while it runs
        return self.dialog

    def _exported(self, report: ExportReport) -> None:
        self.status.show_saved(report.summary())
