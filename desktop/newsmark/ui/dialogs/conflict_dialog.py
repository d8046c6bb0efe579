"""A conflict: the open document changed elsewhere; it was reloaded and the edit not applied."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from newsmark.ui.document_session import DocumentSession
from newsmark.ui.views.status_bar import StatusBar

TITLE = "Changed elsewhere"
DETAIL = (
    "Another window (or the command line) saved this annotation set after you opened it. "
    "You now see their version; make your edit again if it is still needed."
)


class ConflictNotice(QObject):
    """Shows the session's conflicts: a window-modal message box (non-blocking, `open()`)
    and the same line in the status bar. `box` is the one shown last; no signals."""

    def __init__(self, session: DocumentSession, status: StatusBar, parent: QWidget) -> None:
        super().__init__(parent)
        self._window, self._status = parent, status
        self.box: QMessageBox | None = None
        session.conflicted.connect(self.show_conflict)

    def show_conflict(self, message: str) -> None:
        self._status.show_error(message)
        if self.box is not None:  # one at a time: the newest says what happened last
            self.box.close()
            self.box.deleteLater()
        box = QMessageBox(QMessageBox.Icon.Warning, TITLE, message, parent=self._window)
        box.setObjectName("conflict_message")
        box.setInformativeText(DETAIL)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.box = box
        box.open()
