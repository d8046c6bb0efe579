"""File › Export: the same services.exporting.export as `newsmark export`, in a task."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from newsmark.domain.errors import InputError
from newsmark.domain.status import STATUS_FILTERS
from newsmark.workers.task_runner import Cancel, Progress, Task, TaskRunner

if TYPE_CHECKING:
    from newsmark.services.exporting import ExportReport
    from newsmark.storage import Repository

ALL_ANNOTATORS = "All annotators"
ALIGNMENTS = ("strict", "expand", "contract")


class ExportOptions(TypedDict):
    """The dialog's choices: keyword arguments of services.exporting.export."""

    fmt: str
    status: str
    annotator: str | None
    alignment: str
    split: float | None


def exportable_formats() -> list[tuple[str, str, tuple[str, ...]]]:
    """(name, description, extensions) of every format Newsmark can write."""
    from newsmark.services import catalog  # the spacy format's code (spaCy stays unloaded)

    return [(f.name, f.description, f.extensions) for f in catalog.formats() if f.output]


def writes_folder(fmt: str, split: bool) -> bool:
    from newsmark.formats import Output, get_format

    return get_format(fmt).target(split) is Output.FOLDER


def tool_note(fmt: str) -> str:
    """What the target tool's project needs for this format (doccano's settings), or ""."""
    from newsmark.formats.doccano import PROJECT_SETTINGS

    text = PROJECT_SETTINGS.get(fmt, "")
    return f"{text}." if text else ""


def token_based(fmt: str) -> bool:
    from newsmark.formats import get_format

    return get_format(fmt).token_aligned


class ExportDialog(QDialog):
    """Options, destination, progress and the export's report.

    Signals:
        exported(object): the ExportReport of a finished export.
    """

    exported = Signal(object)

    def __init__(
        self,
        repo: Repository,
        tasks: TaskRunner,
        annotators: list[str],
        parent: QWidget | None = None,
        start_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("export_dialog")
        self.setWindowTitle("Export annotations")
        self.repo = repo
        self.tasks = tasks
        self.task: Task | None = None
        self.report: ExportReport | None = None
        self._start_dir = start_dir or Path.home()
        # Replaced in tests: asks before overwriting an existing file or folder.
        self.confirm_overwrite: Callable[[Path], bool] = self._ask_overwrite

        self.format = QComboBox(self)
        for name, description, _ in exportable_formats():
            self.format.addItem(f"{name} — {description}", name)
        self.status_filter = QComboBox(self)
        for value in STATUS_FILTERS:
            self.status_filter.addItem(value.replace("_", " "), value)
        self.status_filter.setCurrentIndex(self.status_filter.findData("accepted"))
        self.annotator = QComboBox(self)
        self.annotator.addItem(ALL_ANNOTATORS, None)
        for name in annotators:
            self.annotator.addItem(name, name)
        # Editable: another annotator's sets (or an import's, e.g. "import:doccano").
        self.annotator.setEditable(True)
        self.annotator.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.annotator.setToolTip("Whose annotation sets to export; type another name")
        self.alignment = QComboBox(self)
        for mode in ALIGNMENTS:
            self.alignment.addItem(mode, mode)
        self.alignment.setToolTip(
            "Spans off token boundaries: refuse the export (strict), widen (expand) "
            "or narrow (contract) them"
        )
        self.split = QCheckBox("Split into train/dev", self)
        self.split_ratio = QDoubleSpinBox(self)
        self.split_ratio.setRange(0.05, 0.95)
        self.split_ratio.setSingleStep(0.05)
        self.split_ratio.setValue(0.8)
        self.split_ratio.setSuffix(" train")
        split_row = QHBoxLayout()
        split_row.addWidget(self.split)
        split_row.addWidget(self.split_ratio, 1)
        self.destination = QLineEdit(self)
        self.destination.setPlaceholderText("Choose a file…")
        self.browse = QPushButton("Browse…", self)
        dest_row = QHBoxLayout()
        dest_row.addWidget(self.destination, 1)
        dest_row.addWidget(self.browse)

        form = QFormLayout()
        form.addRow("&Format:", self.format)
        form.addRow("&Status:", self.status_filter)
        form.addRow("A&nnotator:", self.annotator)
        form.addRow("A&lignment:", self.alignment)
        form.addRow("", split_row)
        dest_label = QLabel("&Destination:", self)
        dest_label.setBuddy(self.destination)
        form.addRow(dest_label, dest_row)

        # Shown for formats whose target tool needs a project setting (doccano).
        self.tool_note = QLabel("", self)
        self.tool_note.setObjectName("tool_note")
        self.tool_note.setWordWrap(True)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)
        self.progress.setVisible(False)  # shown while an export runs
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("The export's report appears here.")
        self.details.setMinimumHeight(90)
        self.export_button = QPushButton("&Export", self)
        self.export_button.setDefault(True)
        self.cancel_button = QPushButton("Close", self)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.tool_note)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.details, 1)
        layout.addLayout(buttons)

        self.format.currentIndexChanged.connect(self._update_options)
        self.split.toggled.connect(self._update_options)
        self.browse.clicked.connect(self._browse)
        self.destination.textChanged.connect(self._update_options)
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self._cancel_or_close)
        self._update_options()
        self.resize(560, 400)

    # -- options ------------------------------------------------------------------------
    @property
    def fmt(self) -> str:
        return str(self.format.currentData())

    def set_format(self, name: str) -> None:
        self.format.setCurrentIndex(self.format.findData(name))

    def set_status(self, value: str) -> None:
        self.status_filter.setCurrentIndex(self.status_filter.findData(value))

    def options(self) -> ExportOptions:
        """The keyword arguments for services.exporting.export (force is asked later)."""
        fmt = self.fmt
        split = self.split.isChecked() and fmt == "spacy"
        return ExportOptions(
            fmt=fmt,
            status=str(self.status_filter.currentData()),
            annotator=self.annotator_filter(),
            alignment=str(self.alignment.currentData()) if token_based(fmt) else "strict",
            split=round(self.split_ratio.value(), 2) if split else None,
        )

    def annotator_filter(self) -> str | None:
        text = self.annotator.currentText().strip()
        return None if not text or text == ALL_ANNOTATORS else text

    def _update_options(self, *_: object) -> None:
        fmt = self.fmt
        self.alignment.setEnabled(token_based(fmt))
        self.split.setEnabled(fmt == "spacy")
        self.split_ratio.setEnabled(fmt == "spacy" and self.split.isChecked())
        note = tool_note(fmt)
        self.tool_note.setText(note)
        self.tool_note.setVisible(bool(note))
        folder = writes_folder(fmt, self.split.isChecked())
        self.destination.setPlaceholderText("Choose a folder…" if folder else "Choose a file…")
        idle = self.task is None
        self.export_button.setEnabled(idle and bool(self.destination.text().strip()))

    def _browse(self) -> None:
        fmt = self.fmt
        if writes_folder(fmt, self.split.isChecked()):
            # The export replaces the whole folder: ask for a new folder's name, not an
            # existing folder to write into.
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                "Export to a new folder",
                str(self._start_dir / f"annotations-{fmt}"),
                "Folder (*)",
                options=QFileDialog.Option.DontConfirmOverwrite,
            )
        else:
            exts = next((e for n, _, e in exportable_formats() if n == fmt), ())
            pattern = " ".join(f"*{e}" for e in exts) or "*"
            default = str(self._start_dir / f"annotations{exts[0] if exts else ''}")
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                "Export to file",
                default,
                f"{fmt} ({pattern});;All files (*)",
                options=QFileDialog.Option.DontConfirmOverwrite,  # we ask, then force
            )
        if chosen:
            self.destination.setText(chosen)

    def _ask_overwrite(self, dest: Path) -> bool:
        if dest.is_dir():
            n = sum(1 for _ in dest.iterdir())
            what = f"The folder {dest} and the {n} item(s) in it will be deleted"
        else:
            what = f"{dest} already exists and will be replaced"
        answer = QMessageBox.question(
            self,
            "Replace?",
            f"{what}. Export anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    # -- running ------------------------------------------------------------------------
    def start(self) -> Task | None:
        """Export with the chosen options; None when the user declined to overwrite."""
        text = self.destination.text().strip()
        if not text or self.task is not None:
            return None
        dest = Path(text).expanduser().absolute()
        options = self.options()
        force = False
        if dest.is_dir() and dest in (Path.home(), Path(dest.anchor)):
            self.message.setText(f"Choose a new folder: {dest} would be replaced whole.")
            return None
        if dest.exists() or dest.is_symlink():
            # What --force may never replace (a database, a folder Newsmark did not
            # write, a link) is refused before the user is asked.
            from newsmark.formats.files import check_target

            folder = writes_folder(options["fmt"], options["split"] is not None)
            try:
                check_target(dest, folder=folder, force=True, protected=self.repo.path.parent)
            except InputError as exc:
                self.message.setText(f"Not exported: {exc.reason}.")
                return None
            if not self.confirm_overwrite(dest):
                self.message.setText("Nothing exported: the destination was kept.")
                return None
            force = True
        repo = self.repo

        def run(progress: Progress, cancel: Cancel) -> ExportReport:
            from newsmark.services.exporting import export

            return export(repo, dest, force=force, progress=progress, cancel=cancel, **options)

        self.details.clear()
        self.message.setText(f"Exporting to {dest}…")
        self.progress.setRange(0, 0)  # busy until the first count
        self.progress.setVisible(True)
        self.task = self.tasks.start(run, "export")
        self.task.signals.progressed.connect(self._on_progress)
        self.task.signals.finished.connect(self._on_finished)
        self.task.signals.failed.connect(self._on_failed)
        self.task.signals.cancelled.connect(self._on_cancelled)
        self.cancel_button.setText("Cancel")
        self._update_options()
        return self.task

    def _cancel_or_close(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.message.setText("Cancelling…")
        else:
            self.reject()

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.message.setText(message)

    def _end(self) -> None:
        self.task = None
        self.cancel_button.setText("Close")
        self.progress.setRange(0, 1)
        self._update_options()

    def _on_finished(self, report: ExportReport) -> None:
        self._end()
        self.progress.setValue(1)
        self.report = report
        self.message.setText(report.summary()[0].upper() + report.summary()[1:] + ".")
        lines = [report.hint[0].upper() + report.hint[1:] + "."] if report.hint else []
        lines += [f"Note: {note}" for note in report.notes]
        if report.misaligned:
            lines.append(f"{len(report.misaligned)} span(s) not aligned to tokens:")
            lines += [f"  {item}" for item in report.misaligned[:200]]
        self.details.setPlainText("\n".join(lines) or "No warnings.")
        self.exported.emit(report)

    def _on_failed(self, message: str) -> None:
        self._end()
        self.progress.setValue(0)
        self.message.setText("Export failed; nothing was written.")
        self.details.setPlainText(message)

    def _on_cancelled(self) -> None:
        self._end()
        self.progress.setValue(0)
        self.message.setText("Export cancelled; nothing was written.")

    def reject(self) -> None:
        if self.task is not None:  # Esc while running cancels first
            self.task.cancel()
            return
        super().reject()
