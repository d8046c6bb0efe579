"""File › Open and drag & drop: imports run as a cancellable task through the services."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from newsmark.domain.errors import UnsupportedContent
from newsmark.domain.reading import ReadOptions
from newsmark.ui.actions import ActionRegistry
from newsmark.ui.document_session import DocumentSession
from newsmark.ui.views.status_bar import StatusBar
from newsmark.workers.nlp_worker import NlpWorker
from newsmark.workers.task_runner import Cancel, Progress, Task, TaskRunner

if TYPE_CHECKING:
    from newsmark.formats.registry import Format
    from newsmark.services.importing import ImportReport
    from newsmark.storage import Repository

log = logging.getLogger(__name__)


def format_title(fmt: Format) -> str:
    """A format's short name for the Open dialog: its description up to the first
    comma, colon, semicolon or parenthesis ("Label Studio JSON tasks", "spaCy DocBin")."""
    head = re.split(r"[,;:(]", fmt.description, maxsplit=1)[0]
    return head.replace("`", "").strip() or fmt.name


def file_filter() -> str:
    """The Open dialog's filters, from the format table (formats/catalog.py): every
    importable extension at once, then one entry per format that can be read."""
    from newsmark.services.catalog import formats

    readable = [f for f in formats() if f.read is not None]

    def patterns(extensions: Iterable[str]) -> str:
        return " ".join(f"*{e}" for e in dict.fromkeys(extensions))

    entries = [
        f"Articles and annotated files ({patterns(e for f in readable for e in f.extensions)})"
    ]
    entries += [f"{format_title(f)} ({patterns(f.extensions)})" for f in readable]
    entries.append("All files (*)")
    return ";;".join(entries)


class ImportController(QObject):
    """Imports files and folders in the background, one task at a time; owns File › Open.

    Imports wait until spaCy is imported once (`set_ready`): two threads importing spaCy
    for the first time at once break its Cython modules.

    Signals:
        imported(object): ids of the documents the import added or found (in order).
    """

    imported = Signal(object)

    def __init__(
        self,
        session: DocumentSession,
        tasks: TaskRunner,
        status: StatusBar,
        actions: ActionRegistry,
        worker: NlpWorker | None,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.repo: Repository = session.repo
        self.tasks = tasks
        self.status = status
        self._window = parent
        self._ready = True
        self._waiting: list[Path] = []
        self.task: Task | None = None
        status.cancel_requested.connect(self.cancel)
        actions.bind("open", self.ask).setEnabled(not session.readonly)
        if worker is not None:
            self._ready = False  # until the worker has imported spaCy
            worker.model_loaded.connect(lambda *_: self.set_ready(True))
            worker.model_failed.connect(lambda *_: self.set_ready(True))

    def set_ready(self, ready: bool) -> None:
        self._ready = ready
        if ready and self._waiting:
            paths, self._waiting = self._waiting, []
            self.import_paths(paths)

    def ask(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self._window, "Open articles", str(Path.home()), file_filter()
        )
        if files:
            self.import_paths([Path(f) for f in files])

    def import_paths(self, paths: Sequence[Path], *, drop_unsupported: bool = False) -> None:
        """Import in the background; `drop_unsupported` imports what Newsmark can hold of
        files that carry more (other relations, document labels) and counts the rest."""
        if self.task is not None or not self._ready:
            self._waiting.extend(paths)
            return
        repo = self.repo
        options = ReadOptions(drop_unsupported=drop_unsupported)

        def run(progress: Progress, cancel: Cancel) -> ImportReport:
            from newsmark.services.importing import import_paths

            return import_paths(
                repo, list(paths), options=options, progress=progress, cancel=cancel
            )

        self.task = self.tasks.start(run, "import")
        self.status.show_task("Importing…")
        self.task.signals.progressed.connect(self.status.show_task_progress)
        self.task.signals.finished.connect(self._on_finished)
        self.task.signals.failed.connect(self._on_failed)
        self.task.signals.cancelled.connect(self._on_cancelled)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _done(self) -> None:
        self.task = None
        self.status.end_task()
        if self._waiting:
            paths, self._waiting = self._waiting, []
            self.import_paths(paths)

    def _on_finished(self, report: ImportReport) -> None:
        self._done()
        ids = [*report.added, *report.duplicates]
        # The summary's first line is what landed; the others say what was left out.
        summary = "; ".join(report.summary().splitlines())
        if report.files:
            self.status.show_saved(summary)
        else:
            self.status.show_error(summary)  # nothing was saved
        if report.refused:
            self._show_refused(report.refused)
        self.imported.emit(ids)

    def _show_refused(self, refused: Sequence[Exception]) -> None:
        lines = "\n".join(str(err) for err in refused[:30])
        if len(refused) > 30:
            lines += f"\n… and {len(refused) - 30} more"
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Some files were not imported")
        box.setText(f"{len(refused)} file(s) were refused; the others were imported.")
        box.setDetailedText(lines)
        # Files refused only for what Newsmark cannot hold can come in without it.
        partial = [Path(e.path) for e in refused if isinstance(e, UnsupportedContent) and e.path]
        if partial:
            box.setInformativeText(
                f"{len(partial)} of them hold things Newsmark cannot represent (relations "
                "of other types, document labels, …). “Import the rest” imports them "
                "without those things and counts what it leaves out."
            )
            rest = box.addButton("Import the rest", QMessageBox.ButtonRole.AcceptRole)
            rest.clicked.connect(lambda: self.import_paths(partial, drop_unsupported=True))
            box.addButton(QMessageBox.StandardButton.Close)
        box.open()  # not modal to the event loop: tests and imports go on

    def _on_failed(self, message: str) -> None:
        self._done()
        self.status.show_error(f"Import failed: {message}")

    def _on_cancelled(self) -> None:
        self._done()
        self.status.show_error("Import cancelled; files imported before the cancel are kept")
