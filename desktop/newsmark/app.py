"""The composition root: QApplication, logging, crash handler, workspace, window, workers."""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit, QWidget

from newsmark import __version__
from newsmark import paths as data_paths
from newsmark.domain.errors import StorageError, UsageError
from newsmark.storage.peek import first_document  # stdlib only
from newsmark.ui.start_preview import Preview  # light: PySide6 and the layout's defaults

if TYPE_CHECKING:
    from newsmark.services.workspace import Workspace
    from newsmark.workers.task_runner import Cancel, Progress

# SQLAlchemy (services.workspace) and the window's modules (Qt widgets) load in `run`
# after the first paint of the peeked article, or in Application when built directly.

log = logging.getLogger(__name__)

LOG_FILENAME = "newsmark.log"
WINDOW_SETTINGS = "window.ini"  # QSettings (geometry, dock state), beside newsmark.ini
LOG_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def setup_logging(data_dir: Path, debug: bool) -> Path | None:
    """Log to `<data_dir>/logs/newsmark.log` (rotating); None when it cannot be written."""
    import logging.handlers  # socket, pickle...: ~30 ms, after the first paint when peeked

    root = logging.getLogger()
    for handler in root.handlers:  # the CLI's stderr handler stays quiet unless --debug
        if handler.level == logging.NOTSET:
            handler.setLevel(logging.DEBUG if debug else logging.WARNING)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    log_path = data_paths.logs_dir(data_dir) / LOG_FILENAME
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError as exc:
        log.warning("cannot write the log file %s: %s", log_path, exc)
        return None
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.setLevel(logging.DEBUG if debug else logging.INFO)
    root.addHandler(handler)
    return log_path


class CrashHandler(QObject):
    """sys.excepthook: logs an uncaught exception and shows what failed; the app goes on.

    Exceptions from other threads are handed to the GUI thread through a queued signal.

    Signals:
        crashed(str, str): a one-line summary and the formatted traceback.
    """

    crashed = Signal(str, str)

    def __init__(self, log_path: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self.shown: list[str] = []  # summaries shown, newest last (tests read it)
        self.show_dialog: Callable[[str, str], None] = self._dialog
        self._showing = False
        self.crashed.connect(self._on_crashed, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        sys.excepthook = self
        threading.excepthook = lambda args: self(
            args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback
        )

    def uninstall(self) -> None:
        sys.excepthook = sys.__excepthook__
        threading.excepthook = threading.__excepthook__

    def __call__(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        log.critical("uncaught exception", exc_info=(exc_type, exc, tb))
        summary = f"{exc_type.__name__}: {exc}"
        self.crashed.emit(summary, "".join(traceback.format_exception(exc_type, exc, tb)))

    def _on_crashed(self, summary: str, details: str) -> None:
        self.shown.append(summary)
        if self._showing:  # one dialog at a time; the log has the rest
            return
        self._showing = True
        try:
            self.show_dialog(summary, details)
        finally:
            self._showing = False

    def _dialog(self, summary: str, details: str) -> None:
        box = QMessageBox(QApplication.activeWindow())
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle("Newsmark: something failed")
        box.setText(f"An operation failed:\n{summary}")
        where = f"The details are in the log:\n{self.log_path}" if self.log_path else ""
        box.setInformativeText(f"Your annotations so far are saved. {where}".strip())
        box.setDetailedText(details)
        box.exec()


def make_application(argv: Sequence[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv or sys.argv[:1]))
    app.setApplicationName("Newsmark")
    app.setApplicationDisplayName("Newsmark")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Newsmark")
    app.setOrganizationDomain("newsmark.dev")
    app.setDesktopFileName("newsmark")  # matches packaging/newsmark.desktop
    return app


BENCH_MARKER = "NEWSMARK_FIRST_PAINT"  # printed with NEWSMARK_BENCH_MARKER=1 (benchmarks)
INTERACTIVE_MARKER = "NEWSMARK_INTERACTIVE"  # the full window painted, list and document in


class AfterFirstPaint(QObject):
    """Calls `callback` once, just after the article's first paint (with text, if asked),
    or after `fallback_ms` if no paint comes (a minimised window). No signals.
    """

    def __init__(
        self,
        article: QPlainTextEdit,
        callback: Callable[[], None],
        *,
        needs_text: bool = False,
        fallback_ms: int | None = 2000,
    ) -> None:
        super().__init__(article)
        self._article, self._callback, self._needs_text = article, callback, needs_text
        self._done = False
        article.viewport().installEventFilter(self)
        if fallback_ms is not None:
            QTimer.singleShot(fallback_ms, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and (
            not self._needs_text or self._article.toPlainText()
        ):
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._fire)  # after this paint is on screen
        return False

    def _fire(self) -> None:
        if not self._done:
            self._done = True
            self._callback()


def refuse(message: str, parent: QWidget | None = None) -> None:
    """A database Newsmark will not touch: say why (no window follows)."""
    QMessageBox.critical(parent, "Newsmark cannot open its database", message)


class Application(QObject):
    """Owns the workspace, the window, the NLP worker and background tasks for one run.

    Signals:
        seeded(object): the document ids the first-run seeding (or launch import) added.
    """

    seeded = Signal(object)

    def __init__(self, workspace: Workspace, model: str | None, paths: Sequence[Path] = ()) -> None:
        from newsmark.ui.main_window import MainWindow  # the one upward import (see pyproject)
        from newsmark.workers.nlp_worker import NlpWorker
        from newsmark.workers.task_runner import TaskRunner

        super().__init__()
        self.workspace = workspace
        self.paths = list(paths)
        self.backup_problem: str | None = None  # set by the start-up task
        from newsmark.services.models import loader

        # Registered trained models load from their directory (services.models.resolve).
        self.worker = NlpWorker(model or workspace.settings.model, loader=loader(workspace.repo))
        self.tasks = TaskRunner(self)
        self.window = MainWindow(
            workspace.repo,
            workspace.annotator,
            worker=self.worker,
            settings_path=workspace.data_dir / WINDOW_SETTINGS,
            readonly_reason=workspace.readonly_reason,
            tasks=self.tasks,
            settings=workspace.settings,
            labels=workspace.repo.labels,
        )

    def start(self) -> None:
        """Show the window with what is stored, then seed/import and load the model."""
        self.window.show()
        self.window.load()
        # After the first paint: spaCy's import and load never delay the window (a worker
        # thread importing spaCy holds the GIL for a second). Seeding imports spaCy's
        # tokenizer; two threads importing spaCy at once break its Cython modules, so the
        # model loads after the seeding task is done.
        if self.workspace.readonly:
            AfterFirstPaint(self.window.article, self.worker.start)
        else:
            AfterFirstPaint(self.window.article, self._start_seeding)

    def _start_seeding(self) -> None:
        from newsmark.services.workspace import seed_if_empty

        ws, extra = self.workspace, self.paths

        def seed(progress: Progress, cancel: Cancel) -> list[int]:
            # The day's backup first, off the GUI thread (it checks its copy in full).
            self.backup_problem = ws.daily_backup()
            added = seed_if_empty(ws, progress)
            if extra:
                from newsmark.services import importing  # spaCy's tokenizer: off the GUI thread

                report = importing.import_paths(ws.repo, extra, progress=progress, cancel=cancel)
                for error in report.refused:
                    log.warning("not imported: %s", error)
                added = [*report.added, *report.duplicates, *added]
            return added

        task = self.tasks.start(seed, "seed")
        task.signals.progressed.connect(
            lambda done, total, msg: self.window.status.show_busy(f"Importing… {msg}")
        )
        task.signals.finished.connect(self._on_seeded)
        task.signals.failed.connect(self._on_seed_failed)

    def _on_seed_failed(self, message: str) -> None:
        self.window.status.show_error(f"Import failed: {message}")
        self.worker.start()
        self.seeded.emit([])

    def _on_seeded(self, added: list[int]) -> None:
        self.worker.start()
        self.window.status.show_busy("")
        if self.backup_problem:  # e.g. the database fails its check: the user must know
            self.window.status.show_error(self.backup_problem)
        self.window.load()
        if added:
            self.window.navigator.select(added[0])
        self.seeded.emit(added)

    def shutdown(self) -> None:
        self.window.save_settings()
        self.tasks.cancel_all()
        self.tasks.wait()
        if not self.worker.shutdown():
            log.warning("the NLP thread did not stop in time")
        self.workspace.close()


def _bench_marker(article: QPlainTextEdit, marker: str) -> None:
    if os.environ.get("NEWSMARK_BENCH_MARKER") == "1":  # installed last, so it fires first
        AfterFirstPaint(
            article, lambda: print(marker, flush=True), needs_text=True, fallback_ms=None
        )


def _open(
    directory: Path,
    model: str | None,
    paths: list[Path],
    preview: Preview | None,
    db: str | None = None,
) -> Application | None:
    """Open the workspace and show the real window; None (after saying why) if refused."""
    from newsmark.services.workspace import open_workspace  # SQLAlchemy: ~0.3 s

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        # The preview exists only when storage.peek's quick_check passed a moment ago.
        ws = open_workspace(directory, take_lock=True, quick_checked=preview is not None, db=db)
    except StorageError as exc:
        log.error("database refused: %s", exc)
        if preview is not None:
            preview.close()
            preview.deleteLater()
        refuse(str(exc))
        return None
    root = Application(ws, model, paths)
    if not ws.readonly and not ws.settings.has_annotator:
        root.window.preferences.ask_annotator()  # first run only; tests preset the name
    app.aboutToQuit.connect(root.shutdown)
    root.start()
    if preview is not None:
        preview.close()
        preview.deleteLater()  # frees its copy of the text
    _bench_marker(root.window.article, INTERACTIVE_MARKER)
    return root


def run(
    data_dir: Path | None,
    model: str | None,
    debug: bool,
    paths: list[Path],
    db: str | None = None,
) -> int:
    """Open the window; returns the process exit code.

    With a current database, the first document's text is painted first (Preview), and
    the workspace and window open right after that paint; otherwise they open first.
    The window keeps its own restored geometry.
    """
    app = make_application()
    directory = data_paths.data_dir(data_dir)
    crash = CrashHandler(None, app)
    crash.install()

    def start_logging() -> None:  # with a preview, just after its first paint
        crash.log_path = setup_logging(directory, debug)
        log.info(
            "Newsmark %s starting on %s (Qt thread %s)",
            __version__,
            directory,
            QThread.currentThread().objectName(),
        )

    # The preview reads a local SQLite file; a server database (--db, NEWSMARK_DB,
    # Preferences) opens with the window.
    from newsmark.services.db_choice import choose  # stdlib only

    try:
        choice = choose(directory, db)
    except UsageError as exc:
        refuse(str(exc))
        return 1
    local = None if choice.server else choice.path
    peeked = None if paths or local is None else first_document(local)
    try:
        if peeked is None:
            start_logging()
            root = _open(directory, model, paths, None, db)
            if root is None:
                return 1
            _bench_marker(root.window.article, BENCH_MARKER)  # after INTERACTIVE: fires first
            return app.exec()
        from newsmark.services.settings import Settings  # stdlib only

        settings = Settings(data_paths.settings_path(directory))
        preview = Preview(peeked, directory / WINDOW_SETTINGS, settings)
        opened: list[Application | None] = []

        def open_after_paint() -> None:
            start_logging()
            opened.append(_open(directory, model, paths, preview, db))
            if opened[-1] is None:
                app.exit(1)

        preview.show()
        AfterFirstPaint(preview.article, open_after_paint)
        _bench_marker(preview.article, BENCH_MARKER)
        return app.exec()
    finally:
        crash.uninstall()


def self_test_window(workspace: Workspace, model: str | None) -> None:
    """`newsmark --self-test`'s window step: the real window on the self-test's workspace,
    shown, loaded and painted, then closed. Qt's offscreen platform unless QT_QPA_PLATFORM
    names another (CI checks xcb under Xvfb with it): the check needs no display."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_application()
    root = Application(workspace, model)
    try:
        root.window.show()
        root.window.load()
        app.processEvents()
        image = root.window.grab()  # paints every widget, as a first paint would
        if image.isNull() or image.width() == 0:
            raise RuntimeError("the window painted nothing")
        if not root.window.isVisible():
            raise RuntimeError("the window is not shown")
    finally:
        root.tasks.cancel_all()
        root.tasks.wait()
        root.worker.shutdown()
        root.window.close()
        root.window.deleteLater()
        app.processEvents()
