"""View › Agreement: the annotators' agreement figures, computed in a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from newsmark.domain.agreement_report import BREAKDOWNS
from newsmark.domain.status import STATUS_FILTERS
from newsmark.services.agreement_table import COLUMNS, OVERALL, TEXT, cell, rows_of
from newsmark.workers.agreement_tasks import agreement_task
from newsmark.workers.task_runner import Task, TaskRunner

if TYPE_CHECKING:
    from newsmark.storage import Repository


class AgreementDialog(QDialog):
    """The overall figures above a table of one breakdown (label, annotator pair or
    document), from the same service as `newsmark agreement`; a bad selection (one
    annotator, an unknown name) shows its one-line message instead.

    Signals:
        report_shown(object): the report (dict) the table now shows.
    """

    report_shown = Signal(object)

    def __init__(self, repo: Repository, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreement_dialog")
        self.setWindowTitle("Agreement — Newsmark")
        self.repo, self.tasks = repo, tasks
        self.report: dict[str, Any] | None = None
        self._task: Task | None = None

        self.by_box = QComboBox(self)
        self.by_box.addItems(list(BREAKDOWNS))
        self.status_box = QComboBox(self)
        self.status_box.addItems(list(STATUS_FILTERS))
        self.status_box.setCurrentText("accepted")
        self.status_box.setToolTip("Compare the annotation sets in this status")
        self.annotators = QLineEdit(self)
        self.annotators.setPlaceholderText("everyone")
        self.annotators.setToolTip("Compare these annotators only, comma-separated")
        self.refresh_button = QPushButton("&Refresh", self)
        self.summary = QLabel(self)
        self.summary.setObjectName("agreement_summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # messages quote user input
        # The overall figures: a value label per figure, under its heading.
        self.figures: dict[str, QLabel] = {}
        for key, _heading in OVERALL:
            value = QLabel("-", self)
            value.setObjectName(f"agreement_{key}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            # Wide enough for any figure at once: the grid does not jump when they arrive.
            value.setMinimumWidth(value.fontMetrics().horizontalAdvance("-0.000") + 4)
            self.figures[key] = value
        self.table = QTableWidget(self)
        self.table.setObjectName("agreement_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(False)
        self.table.verticalHeader().setVisible(False)
        self._build_layout()

        self.refresh_button.clicked.connect(self.refresh)
        self.by_box.currentTextChanged.connect(lambda _t: self.refresh())
        self.status_box.currentTextChanged.connect(lambda _t: self.refresh())
        self.annotators.returnPressed.connect(self.refresh)
        self.resize(1000, 640)

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        for text, box in (
            ("&By:", self.by_box),
            ("&Sets:", self.status_box),
            ("A&nnotators:", self.annotators),
        ):
            label = QLabel(text, self)
            label.setBuddy(box)
            bar.addWidget(label)
            bar.addWidget(box)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        grid = QGridLayout()
        per_row = 3
        for i, (key, heading) in enumerate(OVERALL):
            row, column = divmod(i, per_row)
            grid.addWidget(QLabel(heading, self), row, 3 * column)
            grid.addWidget(self.figures[key], row, 3 * column + 1)
            grid.setColumnMinimumWidth(3 * column + 2, 24)  # space between the columns
        grid.setColumnStretch(3 * per_row, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addLayout(grid)
        layout.addWidget(self.table, 1)

    @property
    def busy(self) -> bool:
        return self._task is not None

    def refresh(self) -> None:
        """Compute the figures again in a worker; a result for older settings is dropped."""
        if self._task is not None:
            self._task.cancel()
        typed = [n.strip() for n in self.annotators.text().split(",") if n.strip()]
        fn = agreement_task(
            self.repo, self.by_box.currentText(), self.status_box.currentText(), typed or None
        )
        task = self.tasks.start(fn, "agreement")
        self._task = task
        task.signals.finished.connect(lambda result: self._finished(task, result))
        task.signals.failed.connect(lambda message: self._failed(task, message))
        self.summary.setText("Computing…")
        self.refresh_button.setEnabled(False)

    def _finished(self, task: Task, report: dict[str, Any]) -> None:
        if task is not self._task:
            return
        self._task = None
        self.refresh_button.setEnabled(True)
        self.show_report(report)

    def _failed(self, task: Task, message: str) -> None:
        if task is not self._task:
            return
        self._task = None
        self.refresh_button.setEnabled(True)
        self.report = None
        self.table.setRowCount(0)
        for value in self.figures.values():
            value.setText("-")
        self.summary.setText(message)

    def show_report(self, report: dict[str, Any]) -> None:
        self.report = report
        docs = report["documents"]
        overall = report["overall"]
        self.summary.setText(
            f"{', '.join(report['annotators'])}: {_documents(docs['compared'])} compared "
            f"({docs['with_all']} with every annotator), {docs['skipped']} skipped "
            "(fewer than two annotators)"
        )
        for key, value in self.figures.items():
            value.setText(cell(key, overall.get(key)))
        headings, cells = rows_of(report)
        keys = [k for k, _ in COLUMNS[report["by"]]]
        self.table.clear()
        self.table.setColumnCount(len(headings))
        self.table.setHorizontalHeaderLabels(headings)
        self.table.setRowCount(len(cells))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r, row in enumerate(cells):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if keys[c] not in TEXT:
                    item.setTextAlignment(right)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.report_shown.emit(report)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        super().closeEvent(event)


def _documents(n: int) -> str:
    return f"{n} document" if n == 1 else f"{n} documents"
