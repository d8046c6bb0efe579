"""The NLP worker: loads the spaCy pipeline once, in its own thread, and predicts documents."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from newsmark.services.preannotation import LoadedModel, Prediction

# The worker holds the model without looking into it: the loader makes it, the
# predictor reads it (by default spaCy's LoadedModel and a Prediction of its spans).
Loader = Callable[[str | None], object]
Predictor = Callable[[object, str], object]
QUEUED = Qt.ConnectionType.QueuedConnection


def _default_loader(name: str | None) -> LoadedModel:
    # Imported here, in the worker thread, so spaCy's import cost never delays the window.
    from newsmark.services import preannotation

    return preannotation.load_model(name)


def _default_predictor(model: object, text: str) -> Prediction:
    from newsmark.services import preannotation

    if not isinstance(model, preannotation.LoadedModel):
        raise TypeError(f"the default predictor needs a LoadedModel, not {type(model).__name__}")
    return preannotation.predict_text(model, text)


def describe_model(model: object) -> str:
    """'name version' of a loaded model (services' LoadedModel), for the status bar."""
    name = getattr(model, "name", None) or type(model).__name__
    version = getattr(model, "version", "")
    return f"{name} {version}".strip()


class _Engine(QObject):
    """Lives in the NLP thread; its signals are relayed to the GUI thread by NlpWorker."""

    loaded = Signal(str)
    load_failed = Signal(str)
    ready = Signal(int, int, object)
    failed = Signal(int, int, str)
    skipped = Signal(int, int)

    def __init__(self, name: str | None, loader: Loader, predictor: Predictor) -> None:
        super().__init__()
        self.name = name
        self.superseding_id = 0  # requests below this one are stale before they run
        self._loader = loader
        self._predictor = predictor
        self._model: object | None = None
        self._error: str | None = None

    @Slot()
    def load(self) -> None:
        if self._model is not None or self._error is not None:
            return  # loaded already: a request that arrived first needed it
        try:
            self._model = self._loader(self.name)
        except Exception as exc:  # a missing model is a message, not a crash
            log.exception("model %s failed to load", self.name)
            self._error = str(exc) or type(exc).__name__
            self.load_failed.emit(self._error)
            return
        described = describe_model(self._model)
        log.info("model loaded: %s", described)
        self.loaded.emit(described)

    @Slot(object)
    def reload(self, name: str | None) -> None:
        """Drop the model and load `name` (None: the default resolution) in its place."""
        self.name, self._model, self._error = name, None, None
        self.load()

    @Slot(int, int, str)
    def predict(self, request_id: int, doc_id: int, text: str) -> None:
        if request_id < self.superseding_id:
            self.skipped.emit(request_id, doc_id)
            return
        self.load()  # requests queued before start() load the model on first need
        if self._model is None:
            self.failed.emit(request_id, doc_id, self._error or "no model loaded")
            return
        try:
            prediction = self._predictor(self._model, text)
        except Exception as exc:
            log.exception("prediction of document %s failed", doc_id)
            self.failed.emit(request_id, doc_id, str(exc) or type(exc).__name__)
            return
        self.ready.emit(request_id, doc_id, prediction)


class NlpWorker(QObject):
    """Loads the model in its own QThread (again when set_model changes it) and answers
    prediction requests.

    The object itself lives in the GUI thread, so every signal below is emitted there,
    whatever receives it. Requests carry increasing ids; the receiver drops results it
    no longer wants, and a request superseded before its turn is skipped.

    Signals:
        model_loading(str): loading started; the argument names what is loaded.
        model_loaded(str): the model is ready; "name version".
        model_failed(str): no model could be loaded; the message says what to install.
        prediction_ready(int, int, object): request id, document id, Prediction.
        prediction_failed(int, int, str): request id, document id, reason.
        prediction_skipped(int, int): request id, document id (superseded while queued).
    """

    model_loading = Signal(str)
    model_loaded = Signal(str)
    model_failed = Signal(str)
    prediction_ready = Signal(int, int, object)
    prediction_failed = Signal(int, int, str)
    prediction_skipped = Signal(int, int)

    _load_requested = Signal()
    _reload_requested = Signal(object)
    _predict_requested = Signal(int, int, str)

    def __init__(
        self,
        model_name: str | None = None,
        *,
        loader: Loader | None = None,
        predictor: Predictor | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._model_name = model_name
        self._next_id = 0
        self._thread = QThread()
        self._thread.setObjectName("newsmark-nlp")
        self._engine = _Engine(
            model_name, loader or _default_loader, predictor or _default_predictor
        )
        self._engine.moveToThread(self._thread)
        self._load_requested.connect(self._engine.load)
        self._reload_requested.connect(self._engine.reload)
        self._predict_requested.connect(self._engine.predict)
        # Signal to signal, queued: re-emitted by this object, in the GUI thread.
        self._engine.loaded.connect(self.model_loaded, QUEUED)
        self._engine.load_failed.connect(self.model_failed, QUEUED)
        self._engine.ready.connect(self.prediction_ready, QUEUED)
        self._engine.failed.connect(self.prediction_failed, QUEUED)
        self._engine.skipped.connect(self.prediction_skipped, QUEUED)

    def start(self) -> None:
        """Start the thread and load the model there (call after the window is shown)."""
        if not self._thread.isRunning():
            self._thread.start(QThread.Priority.LowPriority)
            self.model_loading.emit(self._model_name or "default model")
            self._load_requested.emit()

    @property
    def model_name(self) -> str | None:
        return self._model_name

    def set_model(self, name: str | None) -> None:
        """Use model `name` (None: the default) from now on, without a restart: the NLP
        thread drops the loaded model and loads this one before any later request.
        Before start() it only changes what start() will load."""
        name = name or None
        if name == self._model_name:
            return
        self._model_name = name
        if not self._thread.isRunning():
            self._engine.name = name
            return
        self.model_loading.emit(name or "default model")
        self._reload_requested.emit(name)

    def request(self, doc_id: int, text: str, *, supersede: bool = True) -> int:
        """Queue a prediction of `text`; returns its request id.

        With `supersede`, older requests still waiting are skipped: the user moved on
        and only the newest document matters.
        """
        self._next_id += 1
        if supersede:
            self._engine.superseding_id = self._next_id
        self._predict_requested.emit(self._next_id, doc_id, text)
        return self._next_id

    @property
    def is_running(self) -> bool:
        return self._thread.isRunning()

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Stop the thread after the work in hand; True when it stopped in time."""
        if not self._thread.isRunning():
            return True
        self._engine.superseding_id = self._next_id + 1  # skip whatever is still queued
        self._thread.quit()
        return self._thread.wait(timeout_ms)
