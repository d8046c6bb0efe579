"""A banner over the article: why the window is read-only (another instance holds the lock)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

STYLE = (
    "QLabel { background: #fff4d6; color: #5c4400; padding: 6px 12px;"
    " border-bottom: 1px solid #e8d49a; }"
)


class Banner(QLabel):
    """A quiet yellow strip, hidden when there is nothing to say; no signals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readonly_banner")
        self.setWordWrap(True)
        self.setStyleSheet(STYLE)
        self.set_message(None)

    def set_message(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(message is not None)
