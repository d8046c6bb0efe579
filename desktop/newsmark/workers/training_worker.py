"""Runs services.training.train in its own QThread: progress per evaluation, cancel, result."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal

if TYPE_CHECKING:
    from newsmark.services.training import TrainOptions
    from newsmark.storage import Repository

log = logging.getLogger(__name__)


class _Thread(QThread):
    def __init__(self, job: TrainingWorker) -> None:
        super().__init__()
        self.setObjectName("newsmark-train")
        self._job = job

    def run(self) -> None:
        self._job._run()


class TrainingWorker(QObject):
    """One training run off the GUI thread (the window stays usable meanwhile).

    The object lives in the GUI thread; the run emits from the training thread, so every
    connection to a GUI-thread receiver is queued.

    Signals:
        progressed(object): a TrainProgress after each evaluation (and "done" at the end).
        finished(object): the TrainOutcome (the model is registered).
        failed(str): why it stopped (a refusal of the gold, a model that would not load).
        cancelled(): cancelled before the loop started; nothing was kept.
    """

    progressed = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        repo: Repository,
        data_dir: Path,
        options: TrainOptions,
        configured_model: str | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.repo = repo
        self.data_dir = data_dir
        self.options = options
        self.configured_model = configured_model
        self._cancel = threading.Event()
        self._thread = _Thread(self)

    def start(self) -> None:
        self._thread.start(QThread.Priority.LowPriority)

    def cancel(self) -> None:
        """Stop after the step in hand; the best model so far is kept."""
        self._cancel.set()

    @property
    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, timeout_ms: int = 120_000) -> bool:
        return self._thread.wait(timeout_ms)

    def _run(self) -> None:
        from newsmark.domain.errors import NewsmarkError
        from newsmark.services.progress import Cancelled
        from newsmark.services.training import train

        try:
            outcome = train(
                self.repo,
                self.data_dir,
                self.options,
                configured_model=self.configured_model,
                progress=self.progressed.emit,
                cancelled=self._cancel.is_set,
            )
        except Cancelled:
            self.cancelled.emit()
            return
        except NewsmarkError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # a training bug is a message in the dialog, not a crash
            log.exception("training failed")
            self.failed.emit(str(exc) or type(exc).__name__)
            return
        self.finished.emit(outcome)
