"""The status bar: model state on the right, document state and "Saved" on the left."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton, QWidget

from newsmark.domain.status import Status
from newsmark.ui.icons import icon, status_icon

if TYPE_CHECKING:
    from newsmark.ui.document_session import DocumentSession
    from newsmark.workers.nlp_worker import NlpWorker

SAVED_FADE_MS = 4000
HINT_MS = 4000


EDITED_TIP = "Accepted, then edited: press A to accept this version again"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class StatusBar(QStatusBar):
    """Permanent labels for model and document state; transient messages for the rest.

    Signals:
        cancel_requested(): the user pressed the running task's cancel button.
    """

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(True)
        self.saved_label = QLabel(self)
        self.saved_label.setObjectName("saved_label")
        self.doc_icon = QLabel(self)
        self.doc_label = QLabel(self)
        self.doc_label.setObjectName("document_state")
        self.doc_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("M" * 22))
        self.model_icon = QLabel(self)
        self.model_icon.setPixmap(icon("model").pixmap(14, 14))
        self.model_label = QLabel("Model: not loaded", self)
        self.model_label.setObjectName("model_state")
        self.addWidget(self.doc_icon)
        self.addWidget(self.doc_label)
        self.addWidget(self.saved_label, 1)
        self.task_bar = QProgressBar(self)
        self.task_bar.setObjectName("task_progress")
        self.task_bar.setMaximumWidth(180)
        self.task_bar.setMaximumHeight(14)
        self.task_cancel = QToolButton(self)
        self.task_cancel.setIcon(icon("cancel"))
        self.task_cancel.setToolTip("Cancel")
        self.task_cancel.setAutoRaise(True)
        self.task_cancel.clicked.connect(self.cancel_requested)
        self.addPermanentWidget(self.task_bar)
        self.addPermanentWidget(self.task_cancel)
        self.end_task()
        self.addPermanentWidget(self.model_icon)
        self.addPermanentWidget(self.model_label)
        self._fade = QTimer(self)
        self._fade.setSingleShot(True)
        self._fade.timeout.connect(lambda: self.saved_label.setText(""))

    def follow(self, session: DocumentSession, worker: NlpWorker | None = None) -> None:
        """Report the session's saves, failures and the open set's state (and the model's)."""
        session.prediction_requested.connect(lambda *_: self.show_busy("Pre-annotating…"))
        session.saved.connect(self.show_saved)
        session.failed.connect(self.show_error)

        def show_set(*_: object) -> None:
            aset = session.annotations
            if aset is not None:
                edited = session.edited_after_accept
                self.show_document_status(aset.status, len(aset.spans), len(aset.quotes), edited)

        for changed in (
            session.document_opened,
            session.annotations_changed,
            session.spans_changed,
            session.quotes_changed,
        ):
            changed.connect(show_set)
        if worker is not None:
            worker.model_loading.connect(self.show_model_loading)
            worker.model_loaded.connect(self.show_model_loaded)
            worker.model_failed.connect(self.show_model_failed)

    def show_model_loading(self, name: str) -> None:
        self.model_label.setText("Loading model…")
        self.model_label.setToolTip(name)

    def show_model_loaded(self, description: str) -> None:
        self.model_label.setText(f"Model: {description}")
        self.model_label.setToolTip(description)

    def show_model_failed(self, reason: str) -> None:
        self.model_label.setText("Model unavailable")
        self.model_label.setToolTip(reason)
        self.showMessage(reason, 15000)

    def show_busy(self, message: str) -> None:
        self.saved_label.setText(message)

    def show_saved(self, what: str = "") -> None:
        self.saved_label.setText(f"Saved · {what}" if what else "Saved")
        self._fade.start(SAVED_FADE_MS)

    def show_hint(self, text: str) -> None:
        """A short hint for the key just pressed (select something first, ...)."""
        self.showMessage(text, HINT_MS)

    def show_error(self, message: str) -> None:
        self.saved_label.setText("")
        self.showMessage(message, 15000)

    def show_document_status(
        self, status: Status, n_spans: int, n_quotes: int, edited: bool = False
    ) -> None:
        self.doc_icon.setPixmap(status_icon(status).pixmap(14, 14))
        mark = " (edited after accept)" if edited else ""
        self.doc_label.setText(
            f"{status.value.replace('_', ' ').capitalize()}{mark} · {plural(n_spans, 'span')}"
            f" · {plural(n_quotes, 'quote')}"
        )
        self.doc_label.setToolTip(EDITED_TIP if edited else "")

    def show_task(self, message: str) -> None:
        self.saved_label.setText(message)
        self.task_bar.setRange(0, 0)  # busy until the first progress report
        self.task_bar.setVisible(True)
        self.task_cancel.setVisible(True)

    def show_task_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.task_bar.setRange(0, total)
            self.task_bar.setValue(done)
        if message:
            self.saved_label.setText(message)

    def end_task(self) -> None:
        self.task_bar.setVisible(False)
        self.task_cancel.setVisible(False)
