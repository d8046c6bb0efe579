"""A banner over the article while edits wait to be saved, with a Retry button."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from newsmark.ui.views.banner import STYLE

FRAME_STYLE = "QWidget#pending_banner { background: #fff4d6; border-bottom: 1px solid #e8d49a; }"


class PendingBanner(QWidget):
    """The read-only banner's yellow strip, saying how many edits are not saved yet.

    Signals:
        retry_requested(): the user pressed Retry (save the pending edits, in order).
    """

    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pending_banner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # paint the strip
        self.setStyleSheet(FRAME_STYLE)
        self.label = QLabel(self)
        self.label.setObjectName("pending_message")
        self.label.setWordWrap(True)
        self.label.setStyleSheet(STYLE.replace("border-bottom: 1px solid #e8d49a;", "border: 0;"))
        self.retry_button = QPushButton("Retry", self)
        self.retry_button.setObjectName("pending_retry")
        self.retry_button.setToolTip("Save the pending edits again, oldest first")
        self.retry_button.clicked.connect(self.retry_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.retry_button)
        self.set_pending([])

    def set_pending(self, descriptions: list[str]) -> None:
        """Show the pending edits (oldest first); hide when there are none."""
        n = len(descriptions)
        if n:
            edits = "1 edit" if n == 1 else f"{n} edits"
            oldest = "" if n == 1 else "oldest: "
            self.label.setText(
                f"<b>{edits} not saved</b> — {oldest}{html.escape(descriptions[0])}. "
                "Free disk space or close the program holding the database, then Retry."
            )
        self.setVisible(n > 0)
