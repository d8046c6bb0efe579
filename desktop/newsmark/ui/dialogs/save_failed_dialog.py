"""An edit the database refused to store: what happened, what to do, Retry/Keep/Discard."""

from __future__ import annotations

import html

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from newsmark.ui.document_session import Command, DocumentSession
from newsmark.ui.views.pending_banner import PendingBanner

WHAT_TO_DO = "Free disk space / close the other program holding the database, then Retry."
RETRY, KEEP, DISCARD = "retry", "keep", "discard"


class SaveFailedDialog(QDialog):
    """Says which edit was not saved and why; `choice` is RETRY, KEEP or DISCARD once done.

    No signals beyond QDialog's (`finished` tells the owner to read `choice`).
    """

    def __init__(self, edit: str, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("save_failed_dialog")
        self.setWindowTitle("Edit not saved")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.choice = KEEP  # Escape or closing the dialog keeps the edit
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        icon.setPixmap(warning.pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message = QLabel(self)
        self.message.setObjectName("save_failed_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setMinimumWidth(420)
        self.message.setText(
            f"<p><b>This edit was not saved:</b> {html.escape(edit)}</p>"
            f"<p>{html.escape(reason)}</p>"
            f"<p><b>What to do:</b> {WHAT_TO_DO}</p>"
            "<p>Keep for later leaves the edit pending, with a Retry button above the "
            "article; Discard drops it.</p>"
        )
        buttons = QDialogButtonBox(self)
        role = QDialogButtonBox.ButtonRole
        self.retry_button = buttons.addButton("Retry", role.AcceptRole)
        self.keep_button = buttons.addButton("Keep for later", role.RejectRole)
        self.discard_button = buttons.addButton("Discard", role.DestructiveRole)
        self.retry_button.setDefault(True)
        buttons.clicked.connect(self._clicked)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)

    def _clicked(self, button: QAbstractButton) -> None:
        if button is self.retry_button:
            self.choice = RETRY
            self.accept()
        elif button is self.discard_button:
            self.choice = DISCARD
            self.reject()
        else:
            self.choice = KEEP
            self.reject()


class SaveFailures(QObject):
    """Shows the dialog for each refused edit and keeps the banner in step; no signals."""

    def __init__(self, session: DocumentSession, banner: PendingBanner, parent: QWidget) -> None:
        super().__init__(parent)
        self.session, self.banner, self._window = session, banner, parent
        self.dialog: SaveFailedDialog | None = None
        session.save_failed.connect(self.show_failure)
        session.pending_changed.connect(self._show_pending)
        banner.retry_requested.connect(session.retry_all)

    def show_failure(self, command: Command, reason: str) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        dialog = SaveFailedDialog(self.session.describe(command), reason, self._window)
        dialog.finished.connect(lambda _result: self._answered(dialog, command))
        self.dialog = dialog
        dialog.open()

    def _answered(self, dialog: SaveFailedDialog, command: Command) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        if dialog.choice == RETRY:
            self.session.retry(command)  # saved: "Saved" in the status bar; else a new dialog
        elif dialog.choice == DISCARD:
            self.session.discard(command)

    def _show_pending(self, _count: int) -> None:
        self.banner.set_pending([self.session.describe(c) for c in self.session.pending_edits])
