"""Cancellable background tasks on a thread pool, reporting progress through signals."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

log = logging.getLogger(__name__)

# The services' callback shapes: progress(done, total or None, message); cancel() -> stop?
Progress = Callable[[int, int | None, str], None]
Cancel = Callable[[], bool]
TaskFn = Callable[[Progress, Cancel], object]  # the result goes out in `finished`


class TaskSignals(QObject):
    """Signals of one Task. They are emitted in the thread the object lives in (the GUI
    thread): the pool thread emits on a private copy relayed through queued connections.

    Signals:
        progressed(int, int, str): done, total (-1 when unknown), message.
        finished(object): the function's result.
        failed(str): the exception's message (the traceback is logged).
        cancelled(): the task stopped because cancel() was called.
    """

    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class Task(QRunnable):
    """Runs `fn(progress, cancel)` once on a pool thread; cancel() asks it to stop."""

    def __init__(self, fn: TaskFn, name: str) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the runner keeps the Python object until it reports
        self.name = name
        self.signals = TaskSignals()
        self._raw = TaskSignals()  # emitted from the pool thread, relayed to `signals`
        queued = Qt.ConnectionType.QueuedConnection
        self._raw.progressed.connect(self.signals.progressed, queued)
        self._raw.finished.connect(self.signals.finished, queued)
        self._raw.failed.connect(self.signals.failed, queued)
        self._raw.cancelled.connect(self.signals.cancelled, queued)
        self._fn = fn
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int | None, message: str = "") -> None:
        self._raw.progressed.emit(done, -1 if total is None else total, message)

    def run(self) -> None:
        try:
            result = self._fn(self._progress, self._cancel.is_set)
        except Exception as exc:
            if self._cancel.is_set():  # the services raise Cancelled when asked to stop
                self._raw.cancelled.emit()
                return
            log.exception("task %s failed", self.name)
            self._raw.failed.emit(str(exc) or type(exc).__name__)
            return
        if self._cancel.is_set():
            self._raw.cancelled.emit()
        else:
            self._raw.finished.emit(result)


class TaskRunner(QObject):
    """Starts Tasks on its own QThreadPool and keeps them alive until they report.

    Signals:
        task_started(str): a task's name, when it is queued.
        task_ended(str): a task's name, after it finished, failed or was cancelled.
    """

    task_started = Signal(str)
    task_ended = Signal(str)

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._tasks: set[Task] = set()

    def start(self, fn: TaskFn, name: str) -> Task:
        task = Task(fn, name)
        self._tasks.add(task)
        for signal in (task.signals.finished, task.signals.failed, task.signals.cancelled):
            signal.connect(lambda *_: self._ended(task))
        self.task_started.emit(name)
        self._pool.start(task)
        return task

    def _ended(self, task: Task) -> None:
        if task in self._tasks:
            self._tasks.discard(task)
            self.task_ended.emit(task.name)

    @property
    def active(self) -> int:
        return len(self._tasks)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Cancel nothing; wait for running tasks (at shutdown, after cancel_all)."""
        return self._pool.waitForDone(timeout_ms)
