"""Model › Train a model: the same services.training.train as `newsmark train`, in a worker;
progress per evaluation, Cancel keeps the best so far, and at the end the new model's
scores beside the current one's on the same dev documents, and the choice to switch."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from newsmark.domain.training import TrainProgress
from newsmark.services.training import NER_STEPS
from newsmark.workers.training_worker import TrainingWorker

if TYPE_CHECKING:
    from newsmark.services.training import TrainOptions, TrainOutcome
    from newsmark.storage import Repository

ALL_ANNOTATORS = "All annotators"
GOLD_STATUSES = ("accepted", "in_progress")


# The dev figures a progress line shows (a stage may report many more, per role).
MAIN_SCORES = ("ents_f", "ents_p", "ents_r", "quote_roles_f", "all_f", "all_quote_speaker_f")


def progress_text(p: TrainProgress) -> str:
    shown = [k for k in MAIN_SCORES if k in p.scores] or list(p.scores)[:3]
    scores = ", ".join(f"{k} {p.scores[k]:.3f}" for k in shown)
    if p.stage == "done":
        return f"done after {p.seconds:.0f} s: the kept model scores {scores or 'nothing'}"
    return (
        f"{p.stage}: step {p.step}, loss {p.loss:.2f}, {scores or 'no scores yet'}; "
        f"best {p.best:.3f}; {p.seconds:.0f} s"
    )


def comparison_rows(meta: dict[str, Any]) -> list[tuple[str, float | None, float | None]]:
    """(label, current model's F1, new model's F1) per label and overall, for the table."""
    new = (meta.get("scores") or {}).get("ner") or {}
    old = (meta.get("base_scores") or {}).get("ner") or {}
    # The labels the gold has or the new model predicts; the current model's guesses at
    # labels nobody annotates count in "All entities" only.
    labels = sorted(new.get("per_label", {}))
    rows: list[tuple[str, float | None, float | None]] = [
        ("All entities", old.get("ents_f"), new.get("ents_f"))
    ]
    for label in labels:
        before = old.get("per_label", {}).get(label, {}).get("f")
        after = new.get("per_label", {}).get(label, {}).get("f")
        rows.append((label, before, after))
    quotes = (meta.get("scores") or {}).get("quotes") or {}
    quotes_before = (meta.get("base_scores") or {}).get("quotes") or {}
    for key, value in sorted(quotes.items()):
        # F1 per kind (and with the speaker) and speaker accuracy; not every P and R.
        if isinstance(value, int | float) and key.endswith(("_f", "_speaker_acc")):
            before = quotes_before.get(key)
            rows.append((f"quotes {key}", None if before is None else float(before), value))
    return rows


class TrainDialog(QDialog):
    """Not modal: annotating goes on while it trains.

    Signals:
        use_model(str): the user chose to switch to the newly trained model (its name).
        trained(object): a TrainOutcome (the model is registered, whatever the choice).
    """

    use_model = Signal(str)
    trained = Signal(object)

    def __init__(
        self,
        repo: Repository,
        data_dir: Path,
        configured_model: str | None,
        current_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("train_dialog")
        self.setWindowTitle("Train a model from your gold")
        self.repo = repo
        self.data_dir = data_dir
        self.configured_model = configured_model
        self.current_name = current_name
        # How long a run may go (tests make these tiny); --max-steps/--eval-frequency.
        self.max_steps: int | None = None
        self.eval_frequency: int | None = None
        self.worker: TrainingWorker | None = None
        self.outcome: TrainOutcome | None = None
        self.progress_seen: list[TrainProgress] = []
        self._build()

    # -- layout ---------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        form = QFormLayout()
        what = QWidget(self)
        row = QHBoxLayout(what)
        row.setContentsMargins(0, 0, 0, 0)
        self.ner_box = QCheckBox("&Entities", what)
        self.ner_box.setChecked(True)
        self.quotes_box = QCheckBox("&Quotes", what)
        row.addWidget(self.ner_box)
        row.addWidget(self.quotes_box)
        row.addStretch(1)
        form.addRow("Train:", what)
        self.status_combo = QComboBox(self)
        self.status_combo.addItems(list(GOLD_STATUSES))
        form.addRow("Gold status:", self.status_combo)
        self.annotator_combo = QComboBox(self)
        self.annotator_combo.addItem(ALL_ANNOTATORS)
        annotators = sorted({who for (_status, who) in self.repo.set_counts()})
        self.annotator_combo.addItems([a for a in annotators if not a.startswith("import:")])
        form.addRow("Annotator:", self.annotator_combo)
        self.base_edit = QLineEdit(self)
        self.base_edit.setPlaceholderText(f"the current model ({self.current_name})")
        form.addRow("Start from:", self.base_edit)
        self.split_spin = QSpinBox(self)
        self.split_spin.setRange(5, 50)
        self.split_spin.setSingleStep(5)
        self.split_spin.setValue(20)
        self.split_spin.setSuffix(" % of the gold documents")
        self.split_spin.setToolTip("Held out to evaluate on, chosen by document and seed")
        form.addRow("Evaluate on:", self.split_spin)
        self.minutes_spin = QSpinBox(self)
        self.minutes_spin.setRange(0, 24 * 60)
        self.minutes_spin.setValue(30)
        self.minutes_spin.setSuffix(" min")
        self.minutes_spin.setSpecialValueText("no limit")
        form.addRow("Time limit:", self.minutes_spin)
        self.seed_spin = QSpinBox(self)
        self.seed_spin.setRange(0, 1_000_000)
        form.addRow("Seed:", self.seed_spin)
        self.name_edit = QLineEdit(datetime.now().strftime("newsmark-%Y%m%d-%H%M"), self)
        form.addRow("Name:", self.name_edit)
        layout.addLayout(form)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("ready")
        layout.addWidget(self.progress)
        self.status_label = QLabel("Trains on the gold your team accepted.", self)
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        self.log = QPlainTextEdit(self)
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(2000)
        self.log.setMinimumHeight(90)
        layout.addWidget(self.log, 1)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(["", "Current model F1", "New model F1"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.hide()
        layout.addWidget(self.table, 2)

        buttons = QHBoxLayout()
        self.train_button = QPushButton("&Train", self)
        self.train_button.setDefault(True)
        self.cancel_button = QPushButton("&Cancel", self)
        self.use_button = QPushButton("&Use the new model", self)
        self.keep_button = QPushButton("&Keep the current model", self)
        self.use_button.hide()
        self.keep_button.hide()
        buttons.addStretch(1)
        for button in (self.train_button, self.use_button, self.keep_button, self.cancel_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.train_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self._cancel_or_close)
        self.use_button.clicked.connect(self._use)
        self.keep_button.clicked.connect(self.accept)
        self.resize(580, 680)

    # -- running ----------------------------------------------------------------------
    def options(self) -> TrainOptions:
        from newsmark.services.training import TrainOptions

        annotator = self.annotator_combo.currentText()
        return TrainOptions(
            ner=self.ner_box.isChecked(),
            quotes=self.quotes_box.isChecked(),
            status=self.status_combo.currentText(),
            annotator=None if annotator == ALL_ANNOTATORS else annotator,
            base=self.base_edit.text().strip() or None,
            eval_split=self.split_spin.value() / 100,
            max_minutes=self.minutes_spin.value() or None,
            seed=self.seed_spin.value(),
            name=self.name_edit.text().strip() or None,
            max_steps=self.max_steps,
            eval_frequency=self.eval_frequency,
        )

    def start(self) -> TrainingWorker | None:
        if self.worker is not None and self.worker.is_running:
            return None
        self.worker = worker = TrainingWorker(
            self.repo, self.data_dir, self.options(), self.configured_model, self
        )
        worker.progressed.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        self._set_running(True)
        self.progress.setRange(0, self.max_steps or NER_STEPS[0])
        self.progress.setValue(0)
        self.progress.setFormat("loading the base model…")
        self.status_label.setText("Training… the window stays usable; Cancel keeps the best.")
        self.log.clear()
        self.progress_seen.clear()
        worker.start()
        return worker

    def _set_running(self, running: bool) -> None:
        for widget in (
            self.ner_box, self.quotes_box, self.status_combo, self.annotator_combo,
            self.base_edit, self.split_spin, self.minutes_spin, self.seed_spin, self.name_edit,
            self.train_button,
        ):  # fmt: skip
            # A finished run keeps its settings on view; the result is what is asked about.
            widget.setEnabled(not running and self.outcome is None)
        self.cancel_button.setText("&Cancel" if running else "&Close")
        self.cancel_button.setEnabled(True)

    def _on_progress(self, p: TrainProgress) -> None:
        self.progress_seen.append(p)
        self.log.appendPlainText(progress_text(p))
        if p.stage != "done":
            self.progress.setMaximum(max(self.progress.maximum(), p.step))
            self.progress.setValue(p.step)
            self.progress.setFormat(f"{p.stage}: step %v of %m")
            self.status_label.setText(progress_text(p))

    def _on_finished(self, outcome: TrainOutcome) -> None:
        self.outcome = outcome
        self._set_running(False)
        self.log.setMaximumHeight(90)  # the comparison gets the room
        self.resize(self.width(), max(self.height(), 760))
        self.train_button.hide()
        model = outcome.model
        docs = model.meta.get("documents", {})
        early = "stopped early; kept the best so far. " if outcome.cancelled else ""
        if outcome.timed_out:
            early = "time limit reached; kept the best so far. "
        self.progress.setValue(self.progress.maximum())
        self.progress.setFormat("done")
        self.status_label.setText(
            f"{early.capitalize()}{model.name} ({model.provenance}) trained on "
            f"{docs.get('train', 0)} document(s) in {model.meta.get('seconds', 0):.0f} s. "
            f"Scores on the same {docs.get('dev', 0)} dev document(s):"
        )
        self._show_table(model.meta)
        self.use_button.show()
        self.keep_button.show()
        self.use_button.setFocus()
        self.trained.emit(outcome)

    def _show_table(self, meta: dict[str, Any]) -> None:
        base = meta.get("base_model") or self.current_name
        self.table.setHorizontalHeaderLabels(["", f"Current ({base}) F1", "New model F1"])
        rows = comparison_rows(meta)
        self.table.setRowCount(len(rows))
        for r, (label, before, after) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(label))
            for c, value in ((1, before), (2, after)):
                item = QTableWidgetItem("–" if value is None else f"{value:.3f}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if before is not None and after is not None and c == 2 and after != before:
                    item.setToolTip("better" if after > before else "worse")
                    font = item.font()
                    font.setBold(after > before)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.show()

    def _on_failed(self, message: str) -> None:
        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("not trained")
        self.status_label.setText(f"Not trained: {message}")

    def _on_cancelled(self) -> None:
        self._set_running(False)
        self.progress.setFormat("cancelled")
        self.status_label.setText("Cancelled before training started; nothing was kept.")

    def _cancel_or_close(self) -> None:
        if self.worker is not None and self.worker.is_running:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.status_label.setText("Stopping after this step; the best model so far is kept…")
            return
        super().reject()

    def reject(self) -> None:
        """Escape while training cancels it (keeping the best); otherwise closes."""
        self._cancel_or_close()

    def _use(self) -> None:
        if self.outcome is not None:
            self.use_model.emit(self.outcome.model.name)
        self.accept()

    def closeEvent(self, event: QCloseEvent) -> None:
        # The title bar's X: the run stops after its step and its result is kept, but the
        # GUI thread never waits for it (the final evaluation takes seconds); the dialog
        # only hides, so the worker lives on and its finished signal still lands here.
        if self.worker is not None and self.worker.is_running:
            self.worker.cancel()
            self.hide()  # not reject(): while training that only cancels, and stays open
            event.accept()
            return
        super().closeEvent(event)
