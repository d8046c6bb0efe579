"""View › Model vs gold: the model against the gold, progress and the learning curve in charts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from newsmark.domain.status import STATUS_FILTERS
from newsmark.services.learning_curve import TrainAndScore
from newsmark.ui.dialogs.dashboard_figures import draw_report, summary_text
from newsmark.ui.views.charts import ChartPanel
from newsmark.workers.report_tasks import learning_curve_task, report_task
from newsmark.workers.task_runner import Task, TaskRunner

if TYPE_CHECKING:
    from newsmark.storage import Repository

ALL_ANNOTATORS = "All annotators"
NO_TRAINING = (
    "Training is not available in this build: the learning curve needs a trainer "
    "(train_and_score) to run."
)


class DashboardDialog(QDialog):
    """Five charts over one report: entities per label, quotes per kind (with speaker
    accuracy), documents accepted per day, work per annotator, and the learning curve.

    The figures are computed in a TaskRunner task (the model runs over every gold text);
    the window stays usable, the bar shows progress and Cancel stops it. The learning
    curve runs on demand, only when a `train_and_score` is given.

    Signals:
        report_shown(object): the report (dict) the charts now show.
        curve_shown(object): the learning curve's [(fraction, score)] now drawn.
    """

    report_shown = Signal(object)
    curve_shown = Signal(object)

    def __init__(
        self,
        repo: Repository,
        tasks: TaskRunner,
        model_name: str | None,
        parent: QWidget | None = None,
        *,
        train_and_score: TrainAndScore | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard_dialog")
        self.setWindowTitle("Model vs gold — Newsmark")
        self.repo, self.tasks, self.model_name = repo, tasks, model_name
        self.train_and_score = train_and_score
        self.report: dict[str, Any] | None = None
        self._task: Task | None = None

        self.status_box = QComboBox(self)
        self.status_box.addItems(list(STATUS_FILTERS))
        self.status_box.setCurrentText("accepted")
        self.status_box.setToolTip("Which annotation sets count as the gold")
        self.annotator_box = QComboBox(self)
        self.annotator_box.setToolTip("Only this annotator's sets")
        self.refresh_button = QPushButton("&Refresh", self)
        self.refresh_button.setToolTip("Run the model over the gold again and redraw")
        self.curve_button = QPushButton("&Learning curve", self)
        self.cancel_button = QPushButton("Cancel", self)
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("dashboard_summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.entities = ChartPanel("entities", "Entities per label (exact match)", self)
        self.quotes = ChartPanel("quotes", "Quotes per kind (overlap ≥ 0.5)", self)
        self.per_day = ChartPanel("accepted_per_day", "Accepted per day (UTC)", self)
        self.annotators = ChartPanel("annotators", "Accepted per annotator", self)
        self.curve = ChartPanel("learning_curve", "Learning curve", self)
        self.charts = (self.entities, self.quotes, self.per_day, self.annotators, self.curve)
        self._build_layout()

        self.refresh_button.clicked.connect(self.refresh)
        self.curve_button.clicked.connect(self.compute_curve)
        self.cancel_button.clicked.connect(self.cancel)
        self.status_box.currentTextChanged.connect(lambda _t: self.refresh())
        self.annotator_box.currentTextChanged.connect(lambda _t: self.refresh())
        self.set_train_and_score(train_and_score)
        self.curve.line([])
        self._idle()
        self.resize(1280, 800)

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        for text, box in (("&Gold:", self.status_box), ("&Annotator:", self.annotator_box)):
            label = QLabel(text, self)
            label.setBuddy(box)
            bar.addWidget(label)
            bar.addWidget(box)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.curve_button)
        bar.addStretch(1)
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.cancel_button)
        grid = QGridLayout()
        grid.addWidget(self.entities, 0, 0, 2, 1)
        grid.addWidget(self.quotes, 0, 1)
        grid.addWidget(self.curve, 0, 2)
        grid.addWidget(self.per_day, 1, 1)
        grid.addWidget(self.annotators, 1, 2)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addLayout(grid, 1)

    # -- running ---------------------------------------------------------------------------

    def set_train_and_score(self, train_and_score: TrainAndScore | None) -> None:
        """The trainer the learning curve runs (None: the button explains it is missing)."""
        self.train_and_score = train_and_score
        self.curve_button.setToolTip(
            NO_TRAINING
            if train_and_score is None
            else "Train on 25, 50, 75 and 100 % of the gold and score each model (slow)"
        )
        self._idle()

    def set_annotators(self, names: list[str]) -> None:
        current = self.annotator_box.currentText()
        self.annotator_box.blockSignals(True)
        self.annotator_box.clear()
        self.annotator_box.addItems([ALL_ANNOTATORS, *sorted(names)])
        self.annotator_box.setCurrentText(current or ALL_ANNOTATORS)
        self.annotator_box.blockSignals(False)

    @property
    def busy(self) -> bool:
        return self._task is not None

    def refresh(self) -> None:
        """Compute the report again in a worker (a running one is cancelled first)."""
        self.cancel()
        who = self.annotator_box.currentText()
        annotator = None if who in ("", ALL_ANNOTATORS) else who
        fn = report_task(self.repo, self.model_name, self.status_box.currentText(), annotator)
        if self.report is None:  # the first run: nothing drawn yet
            for panel in (self.entities, self.quotes, self.per_day, self.annotators):
                panel.clear("Computing…")
        self._start(fn, "dashboard report", self._show_report)

    def compute_curve(self) -> None:
        if self.train_and_score is None:
            self.summary.setText(NO_TRAINING)
            return
        self.cancel()
        self._start(learning_curve_task(self.train_and_score), "learning curve", self._show_curve)

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
            self.summary.setText("Cancelled.")
            self._idle()

    def _start(self, fn: Any, name: str, done: Any) -> None:
        task = self.tasks.start(fn, name)
        self._task = task
        task.signals.progressed.connect(lambda d, t, m: self._progressed(task, d, t, m))
        task.signals.finished.connect(lambda result: self._finished(task, result, done))
        task.signals.failed.connect(lambda message: self._failed(task, message))
        self.progress.setRange(0, 0)
        self.progress.setFormat("Starting…")
        self._busy_buttons(True)

    def _progressed(self, task: Task, done: int, total: int, message: str) -> None:
        if task is not self._task:
            return  # a cancelled run still reporting
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.progress.setFormat(f"{message}: {done}/{total}")
        else:
            self.progress.setRange(0, 0)
            self.progress.setFormat(message)

    def _finished(self, task: Task, result: Any, done: Any) -> None:
        if task is not self._task:
            return
        self._task = None
        self._idle()
        done(result)

    def _failed(self, task: Task, message: str) -> None:
        if task is not self._task:
            return
        self._task = None
        self._idle()
        self.summary.setText(f"Could not compute the figures: {message}")

    def _busy_buttons(self, busy: bool) -> None:
        self.cancel_button.setEnabled(busy)
        self.refresh_button.setEnabled(not busy)
        self.curve_button.setEnabled(not busy and self.train_and_score is not None)
        self.progress.setVisible(busy)

    def _idle(self) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self._busy_buttons(False)

    # -- drawing ---------------------------------------------------------------------------

    def _show_report(self, report: dict[str, Any]) -> None:
        self.report = report
        self.summary.setText(summary_text(report))
        draw_report(self, report)
        self.report_shown.emit(report)

    def _show_curve(self, points: list[tuple[float, float]]) -> None:
        self.curve.line(
            [(f * 100, s) for f, s in points],
            x_ticks=[(f * 100, f"{f:.0%}") for f, _ in points],
            value_range=(0.0, 1.0),
            value_label="score",
        )
        self.curve.item.setLabel("bottom", "share of the gold trained on")
        self.curve_shown.emit(points)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.cancel()
        super().closeEvent(event)
